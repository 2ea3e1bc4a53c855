"""The named steps of member duty evaluation on the audit trail (core.events)."""

from dangjian.core.events import EventType

CYCLE_COMPUTED = EventType("appraisal.cycle_computed", "考评结果已计算")
CYCLE_PUBLISHED = EventType("appraisal.cycle_published", "考评结果已公布")
RECTIFICATION_EXPLAINED = EventType("appraisal.rectification_explained", "已在党员大会上作出说明")
RECTIFICATION_COMPLETED = EventType("appraisal.rectification_completed", "已登记整改完成")
