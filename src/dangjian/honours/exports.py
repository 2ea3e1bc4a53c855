"""Export layouts of honours: the list of nominees as the department reports it."""

from collections.abc import Iterable, Iterator
from typing import Any

from dangjian.honours.models import Nomination

NOMINATION_HEADERS = [
    "类别",
    "推荐对象",
    "所在党组织",
    "占用名额的党总支",
    "主要事迹",
    "推荐日期",
    "状态",
    "审核意见",
]
NOMINATION_WIDTHS = [16, 16, 24, 20, 60, 12, 12, 24]


def nomination_rows(rows: Iterable[Nomination]) -> Iterator[list[Any]]:
    for n in rows:
        yield [
            n.get_category_display(),
            n.nominee_name,
            n.organisation.name,
            n.quota_holder.name,
            n.deeds,
            n.nominated_on,
            n.get_state_display(),
            n.review_note,
        ]
