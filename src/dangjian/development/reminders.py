"""Reminders (待办) of member development for the idempotent sweep (core.reminders):

- a notice ends (公示期满) → the branch's officers: check the objections and take the next step;
- a probation report falls due → the probationary member (to the sponsors every two months, in
  writing to the branch every quarter, 《基层组织建设实施意见》§四(三)1(9));
- the conversion application falls due (one month before the probation ends) → the member and
  the branch's officers (《基层组织建设实施意见》§四(三)1(10));
- the probation ends without a conversion vote → the branch's officers;
- one year of cultivation is reached → the branch's officers: may now be proposed as 发展对象
  (《基层组织建设实施意见》§四(三)1(5)).

Keys are stable per item, so running the sweep twice changes nothing. Fixed number of queries:
cases, notices, reports, votes, officers.
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import Q
from django.urls import reverse

from dangjian.core.reminders import Due
from dangjian.development import rules
from dangjian.development.models import (
    PROBATION_STATUSES,
    Case,
    CaseStatus,
    Notice,
    NoticePurpose,
    ProbationReport,
    Stage,
    Vote,
    VotePurpose,
)
from dangjian.development.selectors import params
from dangjian.org.selectors import officers_of

CATEGORY = "发展党员"


def collect(today: date, horizon: date) -> Iterator[Due]:
    p = params()
    # A notice is open until its case takes the step it prepares.
    waiting = (
        Q(purpose=NoticePurpose.CANDIDATE, case__stage=Stage.CANDIDATE)
        | Q(purpose=NoticePurpose.TARGET, case__stage=Stage.CULTIVATION)
        | Q(purpose=NoticePurpose.CONVERSION, case__stage=Stage.PROBATION)
    )
    notices = list(
        Notice.objects.filter(
            waiting,
            case__status__in=[CaseStatus.ACTIVE, *PROBATION_STATUSES],
            ends_on__lte=horizon,
        ).values(
            "id", "case_id", "purpose", "ends_on", "case__organisation_id", "case__person__name"
        )
    )
    probation = list(
        Case.objects.filter(status__in=PROBATION_STATUSES).values(
            "id",
            "person_id",
            "person__name",
            "organisation_id",
            "admitted_on",
            "probation_ends_on",
            "conversion_applied_on",
            "conversion_reviewed_on",
        )
    )
    cultivating = list(
        Case.objects.filter(status=CaseStatus.ACTIVE, stage=Stage.CULTIVATION).values(
            "id", "person__name", "organisation_id", "cultivation_starts_on"
        )
    )
    probation_ids = [c["id"] for c in probation]
    reports: dict[int, list] = {}
    for case_id, kind, on in ProbationReport.objects.filter(case_id__in=probation_ids).values_list(
        "case_id", "kind", "submitted_on"
    ):
        reports.setdefault(case_id, []).append((kind, on))
    voted = set(
        Vote.objects.filter(
            case_id__in=probation_ids, purpose=VotePurpose.CONVERSION, passed=True
        ).values_list("case_id", flat=True)
    )
    org_ids = (
        {n["case__organisation_id"] for n in notices}
        | {c["organisation_id"] for c in probation}
        | {c["organisation_id"] for c in cultivating}
    )
    officers = officers_of(org_ids)

    def url(case_id: int) -> str:
        return reverse("development:case_detail", args=[case_id])

    for n in notices:
        if n["purpose"] == NoticePurpose.CONVERSION and n["case_id"] in voted:
            continue
        purpose = dict(Notice._meta.get_field("purpose").choices)[n["purpose"]]
        for person_id in officers.get(n["case__organisation_id"], []):
            yield Due(
                person_id=person_id,
                key=f"development:notice:{n['id']}",
                category=CATEGORY,
                title=f"{n['case__person__name']}的{purpose}期满，请核查意见并办理下一步",
                due_on=n["ends_on"],
                url=url(n["case_id"]),
            )

    for c in probation:
        schedule = rules.report_schedule(
            c["admitted_on"],
            c["probation_ends_on"],
            reports.get(c["id"], []),
            p.sponsor_report_months,
            p.branch_report_months,
        )
        for r in schedule:
            if r.submitted or r.due_on > horizon:
                continue
            label = "向入党介绍人汇报思想" if r.kind == "sponsor" else "向党支部书面汇报思想"
            yield Due(
                person_id=c["person_id"],
                key=f"development:report:{c['id']}:{r.kind}:{r.due_on.isoformat()}",
                category=CATEGORY,
                title=f"预备期{label}（{r.due_on:%Y-%m-%d}前）",
                due_on=r.due_on,
                url=reverse("development:my_case"),
            )
        deadline = rules.conversion_deadline(c["probation_ends_on"], p.conversion_lead_months)
        ends = c["probation_ends_on"]
        if c["conversion_applied_on"] is None and deadline <= horizon:
            key = f"development:conversion:{c['id']}:{ends.isoformat()}"
            yield Due(
                person_id=c["person_id"],
                key=key,
                category=CATEGORY,
                title=f"预备期{ends:%Y-%m-%d}期满，请于{deadline:%Y-%m-%d}前提出书面转正申请",
                due_on=deadline,
                url=reverse("development:my_case"),
            )
            for person_id in officers.get(c["organisation_id"], []):
                yield Due(
                    person_id=person_id,
                    key=key,
                    category=CATEGORY,
                    title=f"{c['person__name']}应于{deadline:%Y-%m-%d}前提出书面转正申请",
                    due_on=deadline,
                    url=url(c["id"]),
                )
        if c["id"] not in voted and ends <= horizon:
            for person_id in officers.get(c["organisation_id"], []):
                yield Due(
                    person_id=person_id,
                    key=f"development:probation-end:{c['id']}:{ends.isoformat()}",
                    category=CATEGORY,
                    title=f"{c['person__name']}预备期{ends:%Y-%m-%d}期满，尚未召开支部大会讨论转正",
                    due_on=ends,
                    url=url(c["id"]),
                )

    for c in cultivating:
        if c["cultivation_starts_on"] is None:
            continue
        ready = rules.cultivation_ready_on(c["cultivation_starts_on"], p.cultivation_years)
        if ready > horizon:
            continue
        for person_id in officers.get(c["organisation_id"], []):
            yield Due(
                person_id=person_id,
                key=f"development:cultivation:{c['id']}",
                category=CATEGORY,
                title=f"{c['person__name']}培养考察已满{p.cultivation_years}年，可按程序确定为发展对象",
                due_on=ready,
                url=url(c["id"]),
            )
