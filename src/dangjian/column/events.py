"""The named steps of an article on the audit trail (core.events)."""

from dangjian.core.events import EventType

ARTICLE_SUBMITTED = EventType("column.submitted", "稿件报送审核")
ARTICLE_APPROVED = EventType("column.approved", "稿件审核通过并发布")
ARTICLE_RETURNED = EventType("column.returned", "稿件退回修改")
ARTICLE_WITHDRAWN = EventType("column.withdrawn", "稿件撤回")
FILE_ADDED = EventType("column.file_added", "上传稿件图片或附件")
FILE_REMOVED = EventType("column.file_removed", "删除稿件图片或附件")
