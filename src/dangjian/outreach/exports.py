"""The column layouts of the outreach XLSX files: members' contacts and visits."""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from dangjian.org.models import Person
from dangjian.outreach import rules
from dangjian.outreach.models import Visit

CONTACT_HEADERS = [
    "序号",
    "姓名",
    "所在党支部",
    "政治面貌",
    "联系群众人数",
    "联系对象（关系）",
    "情况",
]
CONTACT_WIDTHS = [6, 10, 20, 10, 12, 40, 12]
CONTACT_STATES = {rules.CONTACT_NONE: "未联系群众", rules.CONTACT_OK: "符合要求", "over": "超过3名"}

VISIT_HEADERS = [
    "日期",
    "走访人",
    "所在党组织",
    "走访类别",
    "联系点",
    "走访单位",
    "访谈对象",
    "重点群体",
    "方式",
    "走访内容及成效",
    "需要回访",
]
VISIT_WIDTHS = [12, 10, 18, 16, 16, 18, 12, 12, 8, 40, 8]


def contact_rows(members: Iterable[Person], state_of: Callable[[int], str]) -> Iterator[list[Any]]:
    """Members annotated with `active_contacts` and prefetched `active_list`
    (selectors.members_with_contacts)."""
    for index, p in enumerate(members, start=1):
        count = p.active_contacts  # type: ignore[attr-defined]
        yield [
            index,
            p.name,
            p.primary_org.name if p.primary_org_id else "",
            p.get_party_status_display(),
            count,
            "；".join(f"{c.name}（{c.relation}）" for c in p.active_list),  # type: ignore[attr-defined]
            CONTACT_STATES[state_of(count)],
        ]


def visit_rows(visits: Iterable[Visit]) -> Iterator[list[Any]]:
    for v in visits:
        yield [
            v.visited_on,
            v.visitor.name,
            v.organisation.name,
            v.get_kind_display(),
            str(v.link.target or v.link.get_kind_display()) if v.link_id else "",
            v.unit.full_name if v.unit_id else "",
            v.interviewee,
            v.get_focus_group_display() if v.focus_group else "",
            v.get_method_display(),
            v.content,
            "是" if v.needs_follow_up else "否",
        ]


LINK_HEADERS = [
    "序号",
    "联系人",
    "所在党组织",
    "联系类别",
    "联系对象",
    "期间",
    "要求",
    "已走访",
    "情况",
]
LINK_WIDTHS = [6, 10, 24, 14, 24, 22, 16, 8, 12]


def link_rows(links: Iterable[Any]) -> Iterator[list[Any]]:
    """三联二访落实情况 rows: links decorated with period, frequency and status."""
    for index, link in enumerate(links, start=1):
        target = link.unit.full_name if link.unit_id else link.target
        yield [
            index,
            link.visitor.name,
            link.organisation.name,
            link.get_kind_display(),
            target,
            link.period.label,
            link.frequency.label,
            link.done,
            link.status_label,
        ]
