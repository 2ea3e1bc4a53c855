"""Reminders of the quarterly report: the officers of each reporting organisation whose report
for the current quarter is not yet submitted, from `horizon` days before the 20th of the
quarter's third month (《延伸提升168机制意见》§五) until it is in."""

from collections.abc import Iterator
from datetime import date

from django.urls import reverse

from dangjian.core.reminders import Due
from dangjian.org.models import Organisation
from dangjian.org.selectors import officers_of
from dangjian.reports import rules
from dangjian.reports.models import QuarterlyReport, ReportStatus


def collect(today: date, horizon: date) -> Iterator[Due]:
    year, quarter = today.year, rules.quarter_of(today)
    due = rules.due_date(year, quarter)
    if due > horizon:
        return
    submitted = QuarterlyReport.objects.filter(
        year=year,
        quarter=quarter,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
    ).values("organisation_id")
    orgs = dict(
        Organisation.objects.active()
        .filter(kind__in=rules.REPORTING_KINDS)
        .exclude(pk__in=submitted)
        .values_list("pk", "name")
    )
    url = reverse("reports:report_list")
    for org_id, people in officers_of(orgs).items():
        for person_id in people:
            yield Due(
                person_id=person_id,
                key=f"reports:quarterly:{org_id}:{year}Q{quarter}",
                category="季报表",
                title=f"{orgs[org_id]}{year}年第{quarter}季度“168”机制季报表待报送",
                due_on=due,
                url=url,
            )
