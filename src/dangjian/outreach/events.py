"""The named steps of the outreach app on the audit trail (core.events)."""

from dangjian.core.events import EventType

CONTACT_ENDED = EventType("outreach.contact_ended", "结束联系群众")
LINK_ENDED = EventType("outreach.link_ended", "结束联系点")
