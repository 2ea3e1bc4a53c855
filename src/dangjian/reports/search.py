"""全局搜索 (the top bar's search box): what an officer looks up most — people, organisations,
meetings, posts, work items, suggestions, members away — each searched by its own list's
filter over the rows that list shows the user, so a hit is what that page would show and
“查看全部” opens the page with the same words. One bounded query per source."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from dangjian.column import selectors as column_selectors
from dangjian.column.filters import ArticleFilter
from dangjian.core.filters import ListFilterSet
from dangjian.membership.filters import MemberAwayFilter
from dangjian.membership.models import MemberAway
from dangjian.org import selectors as org_selectors
from dangjian.org.filters import OrganisationFilter, PersonFilter
from dangjian.org.models import Organisation
from dangjian.orglife.filters import MeetingFilter
from dangjian.orglife.models import Meeting
from dangjian.posts.filters import PostFilter
from dangjian.posts.models import Post
from dangjian.public import selectors as public_selectors
from dangjian.public.filters import SuggestionFilter
from dangjian.targets.filters import WorkItemFilter
from dangjian.targets.models import WorkItem

PER_SOURCE = 5
MAX_LENGTH = 50


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Source:
    label: str
    icon: str
    list_url: str  # the list page's URL name; its `q` parameter takes the same words
    filterset: type[ListFilterSet]
    rows: Callable[[Any], QuerySet]  # the rows the list shows the user, with relations
    order: tuple[str, ...]
    hit: Callable[[Any], Hit]


@dataclass(frozen=True)
class Group:
    source: Source
    hits: list[Hit]
    more: bool  # more than PER_SOURCE: the list page has the rest
    url: str


SOURCES = [
    Source(
        "人员",
        "bi-people",
        "org:person_list",
        PersonFilter,
        org_selectors.people_for_list,
        ("name", "id"),
        lambda p: Hit(
            p.name,
            " · ".join(
                x
                for x in (
                    p.primary_org.name if p.primary_org_id else "",
                    p.get_party_status_display(),
                )
                if x
            ),
            reverse("org:person_detail", args=[p.pk]),
        ),
    ),
    Source(
        "党组织",
        "bi-diagram-3",
        "org:org_tree",
        OrganisationFilter,
        lambda user: Organisation.objects.visible_to(user).active(),
        ("path",),
        lambda o: Hit(o.name, o.get_kind_display(), reverse("org:org_detail", args=[o.pk])),
    ),
    Source(
        "组织生活",
        "bi-calendar-event",
        "orglife:meeting_list",
        MeetingFilter,
        lambda user: Meeting.objects.visible_to(user).select_related("organisation"),
        ("-held_on", "-id"),
        lambda m: Hit(
            m.topic,
            f"{m.held_on:%Y-%m-%d} · {m.organisation.name} · {m.get_kind_display()}",
            reverse("orglife:meeting_detail", args=[m.pk]),
        ),
    ),
    Source(
        "岗位",
        "bi-award",
        "posts:post_list",
        PostFilter,
        lambda user: Post.objects.visible_to(user).select_related("organisation", "holder"),
        ("organisation__path", "id"),
        lambda p: Hit(
            p.name,
            " · ".join(x for x in (p.organisation.name, p.holder.name if p.holder_id else "") if x),
            reverse("posts:post_detail", args=[p.pk]),
        ),
    ),
    Source(
        "工作事项",
        "bi-signpost-split",
        "targets:workitem_list",
        WorkItemFilter,
        lambda user: WorkItem.objects.visible_to(user).select_related("organisation"),
        ("-year", "-id"),
        lambda w: Hit(
            w.title,
            f"{w.year}年 · {w.organisation.name} · {w.get_step_display()}",
            reverse("targets:workitem_detail", args=[w.pk]),
        ),
    ),
    Source(
        "意见建议",
        "bi-mailbox",
        "public:suggestion_list",
        SuggestionFilter,
        public_selectors.suggestions,
        ("-created_at", "-id"),
        lambda s: Hit(
            s.content[:40],
            f"{s.created_at:%Y-%m-%d} · {s.organisation.name} · {s.get_status_display()}",
            reverse("public:suggestion_detail", args=[s.pk]),
        ),
    ),
    Source(
        "流动党员",
        "bi-geo-alt",
        "membership:away_list",
        MemberAwayFilter,
        lambda user: MemberAway.objects.visible_to(user).select_related("person"),
        ("-left_on", "-id"),
        lambda a: Hit(
            a.person.name,
            f"{a.get_kind_display()} · {a.place}",
            reverse("membership:away_detail", args=[a.pk]),
        ),
    ),
    Source(
        "专栏稿件",
        "bi-newspaper",
        "column:article_list",
        ArticleFilter,
        column_selectors.articles,
        ("-created_at", "-id"),
        lambda a: Hit(
            a.title,
            f"{a.organisation.name} · {a.get_column_display()} · {a.get_state_display()}",
            reverse("column:article_detail", args=[a.pk]),
        ),
    ),
]


def _page_data(filterset: type[ListFilterSet], q: str) -> dict[str, Any]:
    """The query a list page would apply for `?q=…`: its defaults, then the words."""
    data = {k: v() if callable(v) else v for k, v in filterset.page_defaults.items()}
    return {**data, "q": q}


def search(user: Any, q: str) -> list[Group]:
    """The groups with at least one hit, in the order of SOURCES."""
    q = q.strip()[:MAX_LENGTH]
    if not q:
        return []
    groups = []
    for source in SOURCES:
        filters = source.filterset(_page_data(source.filterset, q), source.rows(user), user=user)
        rows = list(filters.qs.order_by(*source.order)[: PER_SOURCE + 1])
        if rows:
            groups.append(
                Group(
                    source,
                    [source.hit(row) for row in rows[:PER_SOURCE]],
                    len(rows) > PER_SOURCE,
                    f"{reverse(source.list_url)}?{urlencode({'q': q})}",
                )
            )
    return groups
