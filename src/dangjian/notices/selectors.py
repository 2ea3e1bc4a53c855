"""Reads of notices and the message centre: what reaches a person, who has not read, the unread
count of the bell (cached per user, dropped when they read), the e-mail digest's content."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from dangjian.core.models import Reminder
from dangjian.notices import rules
from dangjian.notices.models import (
    Audience,
    Inbox,
    Notice,
    NoticeRead,
)
from dangjian.org.models import Organisation, PeopleCount, Person, Position, in_orgs
from dangjian.org.rollup import grouped_by_prefix
from dangjian.org.rules import MEMBER_STATUSES, OFFICER_TITLES

# 全部标为已读 records at most this many notices at once (older ones are long past).
MARK_ALL_LIMIT = 1000
# Organisations one level below the sender shown with their own figures.
CHILDREN_SHOWN = 200

# --- what reaches a person -------------------------------------------------------------------


def _read_by(person_id: Any) -> Exists:
    return Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), person_id=person_id))


def my_notices(user: Any) -> QuerySet[Notice]:
    """The published notices addressed to the user, each with whether they read and confirmed
    it: one query whatever the number read (the read flags are subqueries, not a join)."""
    person_id: Any = getattr(user, "person_id", None)
    confirmed = NoticeRead.objects.filter(
        notice=OuterRef("pk"), person_id=person_id, confirmed_at__isnull=False
    )
    return (
        Notice.objects.addressed_to(user)
        .select_related("organisation")
        .annotate(is_read=_read_by(person_id), is_confirmed=Exists(confirmed))
    )


def unread_notices(user: Any) -> QuerySet[Notice]:
    return Notice.objects.addressed_to(user).filter(~_read_by(getattr(user, "person_id", None)))


def is_addressed(user: Any, notice: Notice) -> bool:
    return Notice.objects.addressed_to(user).filter(pk=notice.pk).exists()


# --- reminders and replies in the message centre ---------------------------------------------


def inbox(user: Any) -> Inbox:
    """The user's message centre settings; the defaults (digest on) until they change one."""
    return Inbox.objects.filter(user=user).first() or Inbox(user=user)


def seen_at(user: Any) -> datetime | None:
    return Inbox.objects.filter(user=user).values_list("seen_at", flat=True).first()


def open_reminders(user: Any) -> QuerySet[Reminder]:
    if not getattr(user, "person_id", None):
        return Reminder.objects.none()
    return Reminder.objects.filter(
        person_id=user.person_id, resolved_at__isnull=True, dismissed_at__isnull=True
    )


def _unread_since(queryset: QuerySet[Any], field: str, seen: date | None) -> QuerySet[Any]:
    return queryset if seen is None else queryset.filter(**{f"{field}__gt": seen})


def replies(user: Any) -> QuerySet[Any]:
    """Answers to what the user asked: the written answers to the branch assessment appeals
    they filed (《支部考核办法》: 以书面形式通知申请复核单位). The suggestion box is anonymous
    (no account to answer), so its replies stay on the public board."""
    from dangjian.assessment.models import Appeal

    if not getattr(user, "is_authenticated", False):
        return Appeal.objects.none()
    return (
        Appeal.objects.filter(filed_by=user, answered_on__isnull=False)
        .select_related("assessment__branch")
        .order_by("-answered_on", "-id")
    )


# --- the bell --------------------------------------------------------------------------------

GENERATION_KEY = "notices:generation"


def bump_generation() -> None:
    """A notice was published or withdrawn: every cached count may be stale (they are keyed by
    this number, so they lapse at once without a scan of the cache)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _bell_key(user: Any) -> str:
    return f"notices:unread:{user.pk}:{cache.get(GENERATION_KEY, 0)}"


def forget_unread(user: Any) -> None:
    cache.delete(_bell_key(user))


@dataclass
class Unread:
    notices: int = 0
    reminders: int = 0
    replies: int = 0

    @property
    def total(self) -> int:
        return self.notices + self.reminders + self.replies


def unread(user: Any) -> Unread:
    """What the message centre holds unread; three counting queries (indexed: a person's
    notices by organisation, their reminders, their appeals) and the inbox's row."""
    seen = seen_at(user)
    return Unread(
        notices=unread_notices(user).count(),
        reminders=_unread_since(open_reminders(user), "updated_at", seen).count(),
        replies=_unread_since(replies(user), "answered_on", seen and seen.date()).count(),
    )


def unread_total(user: Any) -> int:
    """The bell's number, kept NOTICE_BELL_CACHE_SECONDS per user and dropped when they read."""
    key = _bell_key(user)
    total = cache.get(key)
    if total is None:
        total = unread(user).total
        cache.set(key, total, settings.NOTICE_BELL_CACHE_SECONDS)
    return total


# --- who has read ----------------------------------------------------------------------------


def _officer_positions(org_path: str) -> QuerySet[Position]:
    return Position.objects.current().filter(
        title__in=OFFICER_TITLES,
        organisation__dissolved_on__isnull=True,
        organisation__path__startswith=org_path,
    )


def audience_people(notice: Notice) -> QuerySet[Person]:
    """Everyone the notice addresses now (people who joined the subtree since it was published
    included; those who left, not)."""
    path = notice.organisation.path
    if notice.audience == Audience.OFFICERS:
        officer = _officer_positions(path).filter(person=OuterRef("pk"))
        return Person.objects.filter(Exists(officer))
    people = Person.objects.filter(is_active=True).filter(in_orgs("primary_org", (path,)))
    if notice.audience == Audience.MEMBERS:
        people = people.filter(party_status__in=MEMBER_STATUSES)
    return people


def not_read(notice: Notice) -> QuerySet[Person]:
    """The audience minus those who opened it, for a keyset page ordered by (name, id)."""
    read = NoticeRead.objects.filter(notice=notice, person=OuterRef("pk"))
    return audience_people(notice).filter(~Exists(read)).select_related("primary_org")


def not_confirmed(notice: Notice) -> QuerySet[Person]:
    """Those who opened a notice asking for a receipt without confirming 已阅."""
    return audience_people(notice).filter(
        notice_reads__notice=notice, notice_reads__confirmed_at__isnull=True
    )


def _count_rows(notice: Notice) -> QuerySet[PeopleCount]:
    rows = PeopleCount.objects.order_by().filter(is_active=True)
    if notice.audience == Audience.MEMBERS:
        rows = rows.filter(party_status__in=MEMBER_STATUSES)
    return rows


def audience_size(notice: Notice) -> int:
    """From the count table (org.PeopleCount), never a count of people; officers are counted
    from their positions (a few per organisation)."""
    path = notice.organisation.path
    if notice.audience == Audience.OFFICERS:
        return _officer_positions(path).values("person").distinct().count()
    rows = _count_rows(notice).filter(in_orgs("organisation", (path,)))
    return rows.aggregate(n=Sum("n"))["n"] or 0


@dataclass
class OrgFigures:
    organisation: Organisation
    audience: int
    read: int

    @property
    def rate(self) -> float | None:
        return rules.read_rate(self.read, self.audience)


@dataclass
class ReadStats:
    audience: int
    read: int
    confirmed: int
    by_org: list[OrgFigures] = field(default_factory=list)
    more_orgs: bool = False

    @property
    def rate(self) -> float | None:
        return rules.read_rate(self.read, self.audience)

    @property
    def unread(self) -> int:
        return max(self.audience - self.read, 0)


def read_stats(notice: Notice) -> ReadStats:
    """The totals and the figures of each organisation one level below the sender: audience
    sizes from the count table, reads grouped by the reader's organisation path (one grouped
    query each, org.rollup)."""
    reads = NoticeRead.objects.filter(notice=notice).aggregate(
        read=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False))
    )
    stats = ReadStats(
        audience=audience_size(notice), read=reads["read"], confirmed=reads["confirmed"]
    )
    org = notice.organisation
    children = list(
        Organisation.objects.filter(
            path__startswith=org.path, depth=org.depth + 1, dissolved_on__isnull=True
        )
        .exclude(kind="group")
        .order_by("path")[: CHILDREN_SHOWN + 1]
    )
    stats.more_orgs = len(children) > CHILDREN_SHOWN
    children = children[:CHILDREN_SHOWN]
    if not children:
        return stats
    if notice.audience == Audience.OFFICERS:
        sizes = grouped_by_prefix(
            _officer_positions(org.path),
            "organisation__path",
            children,
            {"n": Count("person", distinct=True)},
        )
    else:
        sizes = grouped_by_prefix(
            _count_rows(notice).filter(in_orgs("organisation", (org.path,))),
            "organisation__path",
            children,
            {"n": Sum("n")},
        )
    read = grouped_by_prefix(
        NoticeRead.objects.filter(notice=notice),
        "person__primary_org__path",
        children,
        {"n": Count("pk")},
    )
    stats.by_org = [
        OrgFigures(
            organisation=child,
            audience=(sizes.get(child.pk) or {}).get("n") or 0,
            read=(read.get(child.pk) or {}).get("n") or 0,
        )
        for child in children
    ]
    return stats


# --- the e-mail digest -----------------------------------------------------------------------


@dataclass
class DigestContent:
    notices: list[Notice]
    reminders: list[Reminder]


DIGEST_ITEMS = 50


def digest_content(user: Any, since: datetime) -> DigestContent:
    notices = list(
        unread_notices(user)
        .filter(published_at__gte=since)
        .select_related("organisation")
        .order_by("-published_at", "-id")[:DIGEST_ITEMS]
    )
    reminders = list(
        open_reminders(user).filter(updated_at__gte=since).order_by("due_on", "id")[:DIGEST_ITEMS]
    )
    return DigestContent(notices=notices, reminders=reminders)
