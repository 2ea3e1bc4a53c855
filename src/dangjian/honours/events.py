"""The named steps of honours rounds and model units on the audit trail (core.events)."""

from dangjian.core.events import EventType

ROUND_OPENED = EventType("honours.round_opened", "发起评选表彰")
QUOTA_SET = EventType("honours.quota_set", "设置推荐名额")
NOMINATED = EventType("honours.nominated", "推荐评选对象")
NOMINATION_WITHDRAWN = EventType("honours.nomination_withdrawn", "撤回推荐")
REVIEWED = EventType("honours.reviewed", "上级党组织审核推荐")
NOTICE_POSTED = EventType("honours.notice_posted", "公示拟表彰对象")
OBJECTION_RECEIVED = EventType("honours.objection_received", "登记公示意见")
OBJECTION_RESOLVED = EventType("honours.objection_resolved", "核查处理公示意见")
DECIDED = EventType("honours.decided", "作出表彰决定")
PUBLISHED = EventType("honours.published", "发布表彰结果")
UNIT_CHOSEN = EventType("honours.unit_chosen", "确定培育示范单位")
UNIT_CHECKED = EventType("honours.unit_checked", "检查示范单位培育情况")
UNIT_REVIEWED = EventType("honours.unit_reviewed", "评审示范单位")
