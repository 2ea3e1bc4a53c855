"""Column layout of the suggestion register (意见箱意见建议办理台账)."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dangjian.public.models import Suggestion

TITLE = "意见箱意见建议办理台账"
EXPORT_HEADERS = [
    "查询码",
    "提交时间",
    "党组织",
    "类别",
    "意见建议",
    "姓名",
    "联系方式",
    "办理状态",
    "承办人",
    "答复",
    "答复日期",
    "公开答复",
]
# xlsx_table(sheet=, headers=, widths=)
SUGGESTIONS = {
    "sheet": "意见建议",
    "headers": EXPORT_HEADERS,
    "widths": [14, 17, 24, 10, 50, 10, 16, 10, 10, 40, 12, 8],
}


def suggestion_rows(suggestions: QuerySet[Suggestion]) -> Iterator[list[Any]]:
    """The register, streamed."""
    for s in suggestions.iterator(chunk_size=500):
        yield [
            s.tracking_code,
            timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"),
            s.organisation.name,
            s.get_category_display(),
            s.content,
            s.name or "匿名",
            s.contact,
            s.get_status_display(),
            s.assigned_to.name if s.assigned_to else "",
            s.reply,
            s.replied_on,
            "是" if s.reply_public else "否",
        ]
