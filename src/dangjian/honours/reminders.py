"""Reminders (待办) of honours: a round's nomination deadline reaches the secretaries of the
branches and general branches that hold a quota in it (and of the branches under them),
HONOURS_REMINDER_DAYS ahead, until the deadline passes (《基层组织建设实施意见》§四(五)3(1)).
Two queries whatever the number of organisations."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from dangjian.core.reminders import Due
from dangjian.honours.models import HonourRound, RoundState
from dangjian.org.models import OrgKind, Position, in_orgs


def collect(today: date, horizon: date) -> Iterator[Due]:
    ahead = today + timedelta(days=settings.HONOURS_REMINDER_DAYS)
    rounds = list(
        HonourRound.objects.filter(
            state=RoundState.NOMINATING,
            nomination_deadline__gte=today,
            nomination_deadline__lte=max(horizon, ahead),
        ).prefetch_related("quotas__organisation")
    )
    for round_ in rounds:
        paths = tuple({q.organisation.path for q in round_.quotas.all() if q.quota > 0})
        if not paths:
            continue
        secretaries = (
            Position.objects.current(today)
            .filter(
                title="secretary", organisation__kind__in=(OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)
            )
            .filter(in_orgs("organisation", paths))
            .values_list("person_id", flat=True)
            .distinct()
        )
        url = reverse("honours:round_detail", args=[round_.pk])
        for person_id in secretaries:
            yield Due(
                person_id=person_id,
                key=f"honours:round:{round_.pk}:deadline:{round_.nomination_deadline.isoformat()}",
                category="评选表彰",
                title=f"{round_.title}：推荐截止{round_.nomination_deadline:%Y-%m-%d}",
                due_on=round_.nomination_deadline,
                url=url,
            )
