"""The named steps of an election on the audit trail (core.events)."""

from dangjian.core.events import EventType

PLAN_SUBMITTED = EventType("elections.plan_submitted", "报送换届选举方案")
PLAN_APPROVED = EventType("elections.plan_approved", "批复换届选举方案")
PLAN_RETURNED = EventType("elections.plan_returned", "退回换届选举方案")
BALLOT_RECORDED = EventType("elections.ballot_recorded", "登记选举结果")
RESULT_APPROVED = EventType("elections.result_approved", "批复选举结果")
COMMITTEE_APPOINTED = EventType("elections.committee_appointed", "新一届委员会任职")
