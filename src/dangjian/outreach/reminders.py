"""Reminders (待办) of contacts and visits, three queries whatever the number of rows:

- a link of 三联二访 whose current period ends on or before the horizon without the required
  visits → its visitor (《基层组织建设实施意见》§四(四)1), one item per link and period;
- a member with no active contact among the masses → the member
  (《基层组织建设实施意见》§四(二)4(2)), due at the end of the month in which they became a member
  or ended their last contact (so that a long-standing gap stays overdue instead of moving with the
  calendar);
- a visit marked 需要回访 without a later 回访 → its visitor, due OUTREACH_FOLLOW_UP_DAYS (30)
  days after the visit (《组织建设年实施方案》§四(二): 需要强化访谈效果的，要进行回访).
"""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.urls import reverse

from dangjian.core.reminders import Due
from dangjian.org.models import Person
from dangjian.org.rules import MEMBER_STATUSES
from dangjian.outreach import rules, selectors
from dangjian.outreach.models import Contact, Link, Visit


def _links(today: date, horizon: date) -> Iterator[Due]:
    qs = (
        selectors.with_compliance(Link.objects.filter(ended_on__isnull=True), today)
        .filter(p_end__lte=horizon, done__lt=F("required"))
        .select_related("unit__parent")
        .only(
            "pk", "visitor_id", "kind", "target", "unit__name", "unit__kind", "unit__parent__name"
        )
    )
    periods = selectors.periods_on(today)
    table = selectors.frequencies()
    url = reverse("outreach:visit_create")
    for link in qs.iterator(chunk_size=2000):
        period = periods[link.kind]
        where = link.unit.full_name if link.unit_id else link.target
        late = today > period.end
        yield Due(
            person_id=link.visitor_id,
            key=f"outreach:link:{link.pk}:{period.key}",
            category="三联二访",
            title=(
                f"{period.label}深入{where}{table[link.kind].label}，"
                f"已走访{link.done}次，{'已逾期' if late else '请按时走访'}"
            ),
            due_on=period.end,
            url=f"{url}?link={link.pk}",
        )


def _members_without_contact(today: date, horizon: date) -> Iterator[Due]:
    last_ended = (
        Contact.objects.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(m=Max("ended_on"))
        .values("m")
    )
    qs = (
        Person.objects.filter(
            party_status__in=MEMBER_STATUSES, is_active=True, primary_org__isnull=False
        )
        .exclude(Exists(Contact.objects.filter(member=OuterRef("pk"), ended_on__isnull=True)))
        .annotate(last_ended=Subquery(last_ended))
        .values_list("pk", "status_since", "joined_on", "last_ended")
    )
    url = reverse("outreach:my_contacts")
    for pk, status_since, joined_on, last_ended_on in qs.iterator(chunk_size=2000):
        known = [d for d in (status_since or joined_on, last_ended_on) if d is not None]
        due_on = rules.contacts_due_on(known, today)
        if due_on > horizon:
            continue
        yield Due(
            person_id=pk,
            key=f"outreach:contacts:{pk}",
            category="联系群众",
            title="每个党员都要联系1～3名党外群众，请登记您的联系对象",
            due_on=due_on,
            url=url,
        )


def _follow_ups(today: date, horizon: date) -> Iterator[Due]:
    days = selectors.follow_up_days()
    qs = (
        selectors.pending_follow_ups(Visit.objects.all())
        .filter(visited_on__lte=horizon - timedelta(days=days))
        .filter(~Q(interviewee=""))
        .values_list("pk", "visitor_id", "visited_on", "interviewee")
    )
    url = reverse("outreach:visit_create")
    for pk, visitor_id, visited_on, interviewee in qs.iterator(chunk_size=2000):
        yield Due(
            person_id=visitor_id,
            key=f"outreach:follow_up:{pk}",
            category="回访",
            title=f"{visited_on:%Y-%m-%d}访谈{interviewee}需要回访，尚未登记回访",
            due_on=rules.follow_up_due(visited_on, days),
            url=f"{url}?follow_up={pk}",
        )


def collect(today: date, horizon: date) -> Iterator[Due]:
    yield from _links(today, horizon)
    yield from _members_without_contact(today, horizon)
    yield from _follow_ups(today, horizon)
