"""The named steps of a quarterly report (core.events)."""

from dangjian.core.events import EventType

SUBMITTED = EventType("reports.submitted", "报送上级党组织审核")
SUBMITTED_UPWARD = EventType("reports.submitted_upward", "报送市委教育工委")
ACCEPTED = EventType("reports.accepted", "审核通过")
RETURNED = EventType("reports.returned", "退回修改")
