"""Reminders (待办) of committee terms, two queries whatever the number of organisations: from
ELECTION_REMINDER_MONTHS (three) before a term ends, the organisation's secretary is reminded to
prepare the election (《中国共产党基层组织选举工作条例》第三条: 任期届满应当按期进行换届选举)."""

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.urls import reverse

from dangjian.core.reminders import Due
from dangjian.elections import rules, selectors
from dangjian.org.models import Position


def collect(today: date, horizon: date) -> Iterator[Due]:
    months = settings.ELECTION_REMINDER_MONTHS
    # A term is due from `months` before its end: those ending by horizon + months.
    rows = list(
        selectors.current_terms()
        .filter(
            ends_on__isnull=False,
            ends_on__lte=rules.add_months(horizon, months),
            organisation__dissolved_on__isnull=True,
            organisation__kind__in=selectors.ELECTED_KINDS,
        )
        .values_list("pk", "organisation_id", "organisation__name", "number", "ends_on")
    )
    secretaries = dict(
        Position.objects.current(today)
        .filter(title="secretary", organisation_id__in={row[1] for row in rows})
        .values_list("organisation_id", "person_id")
    )
    for pk, org_id, name, number, ends_on in rows:
        due_on = rules.reminder_on(ends_on, months)
        recipient = secretaries.get(org_id)
        if recipient is None or due_on > horizon:
            continue
        yield Due(
            person_id=recipient,
            key=f"elections:term:{pk}",
            category="换届选举",
            title=f"{name}第{number}届委员会{ends_on:%Y-%m-%d}届满，请按期换届",
            due_on=due_on,
            url=reverse("elections:term_list") + f"?org={org_id}",
        )
