"""Reminders (待办) of organisational life and education hours, for the core sweep.

- an organisation whose rule is still short in the current period, when that period ends on
  or before the horizon → its officers ("机关一支部：本月机关党支部组织生活尚需开展1次");
- in the last two months of the year, a member short of the yearly education hours
  (《基层组织建设实施意见》§四(二)1) → the member;
- near the end of a half-year, a branch secretary without that half-year's centralised
  training (《组织建设年实施方案》§一) → the secretary.
- a planned meeting between today and the horizon → each attendee still expected (not excused,
  not signed in), due on the meeting day, linking to the member's page of the meeting.
Keys are stable per item and period, so the sweep is idempotent. A fixed number of queries.
"""

from collections.abc import Iterator
from datetime import date

from django.urls import reverse

from dangjian.core.reminders import Due
from dangjian.org.models import Organisation
from dangjian.org.selectors import officers_of
from dangjian.orglife import rules, selectors
from dangjian.orglife.models import Attendance, AttendanceRole, AttendanceStatus, MeetingState

CATEGORY_ORGLIFE = "组织生活"
CATEGORY_HOURS = "学习教育"
CATEGORY_SECRETARY = "书记培训"
# In November and December members short of hours are reminded (the last two months).
HOURS_REMINDER_FROM_MONTH = 11


def _frequency(today: date, horizon: date) -> Iterator[Due]:
    orgs = list(
        Organisation.objects.active().filter(kind__in=selectors.RULE_ORG_KINDS).order_by("path")
    )
    statuses = selectors.compliance_for(orgs, None, today, today, selectors.active_rules())
    short = [
        (status.org, row)
        for status in statuses
        for row in status.rows
        if row.result.state == rules.DUE and row.result.end <= horizon
    ]
    if not short:
        return
    officers = officers_of({org.pk for org, _row in short})
    base = reverse("orglife:compliance")
    for org, row in short:
        label = rules.CURRENT_LABELS.get(row.rule.period, "本期")
        for person_id in officers.get(org.pk, []):
            yield Due(
                person_id=person_id,
                key=f"orglife:rule:{row.rule.pk}:org:{org.pk}:{row.result.start.isoformat()}",
                category=CATEGORY_ORGLIFE,
                title=f"{org.name}：{label}{row.rule.name}尚需开展{row.result.missing}次",
                due_on=row.result.end,
                url=f"{base}?organisation={org.pk}",
            )


def _hours(today: date) -> Iterator[Due]:
    if today.month < HOURS_REMINDER_FROM_MONTH:
        return
    short = selectors.members_with_hours(None, today.year).filter(selectors.short_of_hours_q())
    year_end = date(today.year, 12, 31)
    url = reverse("orglife:my_hours")
    for person in short.iterator(chunk_size=2000):
        row = selectors.hours_row(person)
        text = f"{today.year}年教育学时尚缺{row.shortfall.total.normalize():f}学时"
        if row.shortfall.integrity:
            text += f"（廉政教育尚缺{row.shortfall.integrity.normalize():f}学时）"
        yield Due(
            person_id=row.person.pk,
            key=f"orglife:hours:{row.person.pk}:{today.year}",
            category=CATEGORY_HOURS,
            title=text,
            due_on=year_end,
            url=url,
        )


def _secretaries(today: date, horizon: date) -> Iterator[Due]:
    start, end = rules.period_bounds(rules.HALF_YEAR, today)
    if end > horizon:
        return
    checks = selectors.secretary_checks(selectors.secretary_positions(None, today), today)
    for check in checks:
        if check.half_year.state == rules.DONE:
            continue
        yield Due(
            person_id=check.position.person_id,
            key=f"orglife:secretary:{check.position.person_id}:{start.isoformat()}",
            category=CATEGORY_SECRETARY,
            title=f"{check.position.organisation.name}书记：本半年尚未参加党支部书记集中培训",
            due_on=end,
            url="",
        )


def _planned(today: date, horizon: date) -> Iterator[Due]:
    rows = (
        Attendance.objects.filter(
            meeting__state=MeetingState.PLANNED,
            meeting__held_on__range=(today, horizon),
            role=AttendanceRole.MEMBER,
            status=AttendanceStatus.ABSENT,
        )
        .select_related("meeting")
        .order_by("meeting__held_on", "id")
    )
    for row in rows.iterator(chunk_size=2000):
        m = row.meeting
        when = f"{m.held_on:%m月%d日} {m.starts_at:%H:%M}"
        yield Due(
            person_id=row.person_id,
            key=f"orglife:meeting:{m.pk}:person:{row.person_id}",
            category=CATEGORY_ORGLIFE,
            title=f"{when} {m.get_kind_display()}：{m.topic}（{m.place}）",
            due_on=m.held_on,
            url=reverse("orglife:my_meeting", args=[m.pk]),
        )


def collect(today: date, horizon: date) -> Iterator[Due]:
    yield from _planned(today, horizon)
    yield from _frequency(today, horizon)
    yield from _hours(today)
    yield from _secretaries(today, horizon)
