"""The steps of account opening that the audit trail names (core.events)."""

from dangjian.core.events import EventType

BATCH_OPENED = EventType("accounts.batch_opened", "批量开通账号")
