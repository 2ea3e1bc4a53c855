"""The named steps of organisational life on the audit trail (core.events)."""

from dangjian.core.events import EventType

MEETING_FILE_ADDED = EventType("orglife.meeting_file_added", "上传会议照片或文件")
MEETING_FILE_REMOVED = EventType("orglife.meeting_file_removed", "删除会议照片或文件")
