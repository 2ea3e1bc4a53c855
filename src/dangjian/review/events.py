"""The named steps of 联述联评联考 on the audit trail (core.events)."""

from dangjian.core.events import EventType

ROUND_CREATED = EventType("review.round_created", "组织联述联评联考")
REPORT_SUBMITTED = EventType("review.report_submitted", "提交述职报告（联述）")
RATING_OPENED = EventType("review.rating_opened", "组织党员群众测评（联评）")
REPORT_REVIEWED = EventType("review.report_reviewed", "上级党组织评定")
ROUND_PUBLISHED = EventType("review.round_published", "发布联述联评联考结果")
