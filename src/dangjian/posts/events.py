"""The named steps of 设岗定责 / 亮岗履职 on the audit trail (core.events)."""

from dangjian.core.events import EventType

POST_CLAIMED = EventType("posts.claimed", "本人认岗")
POST_ASSIGNED = EventType("posts.assigned", "党组织安排上岗")
POST_RELEASED = EventType("posts.released", "退岗")
POST_CONFIRMED = EventType("posts.confirmed", "定岗")
POST_PUBLISHED = EventType("posts.published", "明岗公示")
POST_PERFORMING = EventType("posts.performing", "开始履岗")
POST_EVALUATED = EventType("posts.evaluated", "评岗")
COMMITMENT_PUBLISHED = EventType("posts.commitment_published", "公开承诺书")
CHECK_CIRCULATED = EventType("posts.check_circulated", "通报检查情况")
