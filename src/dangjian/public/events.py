"""The named steps of handling a suggestion on the audit trail (core.events)."""

from dangjian.core.events import EventType

SUGGESTION_CLASSIFIED = EventType("public.suggestion_classified", "调整意见建议类别")
SUGGESTION_ASSIGNED = EventType("public.suggestion_assigned", "交办意见建议")
SUGGESTION_REPLIED = EventType("public.suggestion_replied", "答复意见建议")
SUGGESTION_CLOSED = EventType("public.suggestion_closed", "办结意见建议")
SUGGESTION_TO_OPINION = EventType("public.suggestion_to_opinion", "意见建议转入征求意见")
