"""Reminders (待办) of member duty evaluation, four queries whatever the number of rows:

- a member of an open cycle whose window has begun and who has not submitted a self-report →
  the member, due the window's last day (述岗自评);
- members of an open cycle without any branch rating → the officers of their branch (one item
  per branch and cycle), due the window's last day (综合评定);
- a rectification not yet done → the officers of the member's branch and, once the result is
  published, the member, due its deadline (《168模式实施意见》§五(二)5: 支部要责令其限期整改).
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse

from dangjian.appraisal.models import (
    BranchRating,
    CycleState,
    EvaluationResult,
    MemberRectification,
    SelfReport,
)
from dangjian.core.reminders import Due
from dangjian.org.selectors import officers_of


def _open_results(today: date, horizon: date):
    """Results of open cycles whose window has begun: the reminder stands for the whole window,
    not only its last fortnight — a member can report as soon as the window opens."""
    return EvaluationResult.objects.filter(
        cycle__state=CycleState.OPEN, cycle__starts_on__lte=today
    )


def _self_reports(today: date, horizon: date) -> Iterator[Due]:
    rows = (
        _open_results(today, horizon)
        .exclude(
            Exists(
                SelfReport.objects.filter(
                    cycle_id=OuterRef("cycle_id"), person_id=OuterRef("person_id")
                )
            )
        )
        .values_list("cycle_id", "person_id", "cycle__title", "cycle__ends_on")
    )
    for cycle_id, person_id, title, ends_on in rows.iterator(chunk_size=2000):
        yield Due(
            person_id=person_id,
            key=f"appraisal:self_report:{cycle_id}",
            category="述岗自评",
            title=f"{title}：请在{ends_on:%Y-%m-%d}前提交述岗自评",
            due_on=ends_on,
            url=reverse("appraisal:self_report", args=[cycle_id]),
        )


def _unrated(today: date, horizon: date) -> list[tuple[int, int, str, date, str, int]]:
    return list(
        _open_results(today, horizon)
        .filter(cycle__weight_branch__gt=0)
        .exclude(
            Exists(
                BranchRating.objects.filter(
                    cycle_id=OuterRef("cycle_id"), ratee_id=OuterRef("person_id")
                )
            )
        )
        .order_by()
        .values(
            "cycle_id", "organisation_id", "cycle__title", "cycle__ends_on", "organisation__name"
        )
        .annotate(n=Count("pk"))
        .values_list(
            "cycle_id",
            "organisation_id",
            "cycle__title",
            "cycle__ends_on",
            "organisation__name",
            "n",
        )
    )


def _rectifications(horizon: date) -> list[tuple[int, int, int, date, str, bool]]:
    published = Q(result__cycle__state=CycleState.PUBLISHED)
    return list(
        MemberRectification.objects.unfinished()
        .filter(deadline__lte=horizon)
        .annotate(published=ExpressionWrapper(published, output_field=BooleanField()))
        .values_list("pk", "person_id", "organisation_id", "deadline", "person__name", "published")
    )


def collect(today: date, horizon: date) -> Iterator[Due]:
    yield from _self_reports(today, horizon)
    unrated = _unrated(today, horizon)
    items = _rectifications(horizon)
    officers = officers_of({row[1] for row in unrated} | {row[2] for row in items})
    for cycle_id, org_id, title, ends_on, org_name, n in unrated:
        url = f"{reverse('appraisal:rating', args=[cycle_id])}?org={org_id}"
        for person_id in officers.get(org_id, []):
            yield Due(
                person_id=person_id,
                key=f"appraisal:ratings:{cycle_id}:{org_id}",
                category="综合评定",
                title=f"{title}：{org_name}尚有{n}名党员未作综合评定",
                due_on=ends_on,
                url=url,
            )
    recipients: dict[int, set[int]] = defaultdict(set)
    for pk, person_id, org_id, _deadline, _name, published in items:
        if published:  # the member learns of it with the published result
            recipients[pk].add(person_id)
        recipients[pk].update(officers.get(org_id, []))
    for pk, person_id, _org_id, deadline, name, _published in items:
        url = reverse("appraisal:rectification_detail", args=[pk])
        for recipient in sorted(recipients[pk]):
            own = recipient == person_id
            yield Due(
                person_id=recipient,
                key=f"appraisal:rectification:{pk}",
                category="限期整改",
                title=(
                    f"请在{deadline:%Y-%m-%d}前完成限期整改"
                    if own
                    else f"{name}的限期整改将于{deadline:%Y-%m-%d}到期"
                ),
                due_on=deadline,
                url=url,
            )
