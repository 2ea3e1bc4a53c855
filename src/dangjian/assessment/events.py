"""The named steps of a branch assessment (core.events), recorded with their audit rows."""

from dangjian.core.events import EventType

SELF_SUBMITTED = EventType("assessment.self_submitted", "支部提交自评")
REOPENED = EventType("assessment.reopened", "退回支部修改自评")
SCORED = EventType("assessment.scored", "考核组完成评分")
VETO_DECIDED = EventType("assessment.veto_decided", "认定一票否决")
NOTIFIED = EventType("assessment.notified", "书面通知考核结果")
APPEALED = EventType("assessment.appealed", "支部申请复核")
APPEAL_ANSWERED = EventType("assessment.appeal_answered", "提出复核意见")
