"""The named steps of branch grading and rectification (《组织建设年实施方案》附件1 二), on the
audit trail."""

from dangjian.core.events import EventType

GRADING_DECIDED = EventType("branches.grading_decided", "决定定级等次")
GRADING_REOPENED = EventType("branches.grading_reopened", "退回重新调查摸底")
PLAN_DISCUSSED = EventType("branches.plan_discussed", "党员大会讨论整改提高方案")
PLAN_SUBMITTED = EventType("branches.plan_submitted", "提交整改提高方案")
PLAN_COMPLETED = EventType("branches.plan_completed", "整改事项全部完成（长期性项目除外）")
PLAN_RESUMED = EventType("branches.plan_resumed", "整改提高方案恢复整改")
PLAN_REOPENED = EventType("branches.plan_reopened", "重新整改")
PLAN_WITHDRAWN = EventType("branches.plan_withdrawn", "撤销整改提高方案")
ITEM_DONE = EventType("branches.item_done", "报告整改完成")
ITEM_VERIFIED = EventType("branches.item_verified", "核实销号")
ITEM_RETURNED = EventType("branches.item_returned", "退回继续整改")
