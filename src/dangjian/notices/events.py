"""The named steps of a notice on the audit trail (core.events)."""

from dangjian.core.events import EventType

NOTICE_PUBLISHED = EventType("notices.published", "通知已发布")
NOTICE_WITHDRAWN = EventType("notices.withdrawn", "通知已撤回")
ATTACHMENT_ADDED = EventType("notices.attachment_added", "上传通知附件")
ATTACHMENT_REMOVED = EventType("notices.attachment_removed", "删除通知附件")
