"""Reminders (待办) of the branch target-management assessment, a fixed number of queries:

- a branch still self-scoring when the round's self-assessment deadline falls due → the branch's
  officers, due self_due;
- an appeal waiting for its answer → the officers of the level above the branch (the general
  branch; the organisation department when that level has none), due answer_due (考核组接到复核
  申请后10日之内提出复核意见, 《支部考核办法》§四(二));
- a round whose finish_by (考核年度的12月中旬前完成, 《支部考核办法》§五) falls due with
  branches not yet
  notified → the organisation department (its users linked to a person, and the officers of the
  round's organisation), due finish_by.
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.assessment.models import (
    AppealState,
    AssessmentRound,
    AssessmentState,
    BranchAssessment,
)
from dangjian.assessment.rules import cn_date
from dangjian.core.models import User
from dangjian.core.reminders import Due
from dangjian.org.models import Organisation
from dangjian.org.selectors import officers_of

CATEGORY = "支部考核"
OPEN_STATES = (AssessmentState.SELF_SCORING, AssessmentState.SUBMITTED, AssessmentState.SCORED)


def _department() -> list[int]:
    return list(
        User.objects.filter(is_active=True, person__isnull=False)
        .filter(Q(is_org_officer=True) | Q(is_superuser=True))
        .values_list("person_id", flat=True)
    )


def _self_due(today: date, horizon: date) -> Iterator[Due]:
    rows = list(
        BranchAssessment.objects.filter(
            state=AssessmentState.SELF_SCORING, round__self_due__lte=horizon
        ).values_list("pk", "branch_id", "round__title", "round__self_due")
    )
    officers = officers_of({r[1] for r in rows})
    for pk, branch_id, title, due_on in rows:
        late = "已逾期，" if today > due_on else ""
        for person_id in officers.get(branch_id, []):
            yield Due(
                person_id=person_id,
                key=f"assessment:self:{pk}",
                category=CATEGORY,
                title=f"{title}：{late}请在{cn_date(due_on)}前完成支部自评并提交",
                due_on=due_on,
                url=reverse("assessment:assessment_detail", args=[pk]),
            )


def _appeals(today: date, horizon: date, department: list[int]) -> Iterator[Due]:
    rows = list(
        BranchAssessment.objects.filter(
            state=AssessmentState.APPEALED,
            appeal__state=AppealState.PENDING,
            appeal__answer_due__lte=horizon,
        ).values_list("pk", "branch__path", "branch__name", "appeal__answer_due")
    )
    step = Organisation.steplen
    parents = dict(
        Organisation.objects.filter(
            path__in={r[1][:-step] for r in rows if len(r[1]) > step}
        ).values_list("path", "pk")
    )
    officers = officers_of(parents.values())
    for pk, path, name, due_on in rows:
        people = officers.get(parents.get(path[:-step]), []) or department
        for person_id in people:
            yield Due(
                person_id=person_id,
                key=f"assessment:appeal:{pk}",
                category=CATEGORY,
                title=f"{name}申请复核，须在{cn_date(due_on)}前提出复核意见（接到申请后10日之内）",
                due_on=due_on,
                url=reverse("assessment:assessment_detail", args=[pk]),
            )


def _finish(today: date, horizon: date, department: list[int]) -> Iterator[Due]:
    rows = list(
        AssessmentRound.objects.filter(finish_by__lte=horizon)
        .annotate(open=Count("assessments", filter=Q(assessments__state__in=OPEN_STATES)))
        .filter(open__gt=0)
        .values_list("pk", "title", "finish_by", "open", "organisation_id")
    )
    officers = officers_of({r[4] for r in rows})
    for pk, title, due_on, open_count, org_id in rows:
        for person_id in sorted(set(department) | set(officers.get(org_id, []))):
            yield Due(
                person_id=person_id,
                key=f"assessment:finish:{pk}",
                category=CATEGORY,
                title=(
                    f"{title}：还有{open_count}个党支部未书面通知考核结果，"
                    f"应在{cn_date(due_on)}前完成（考核年度的12月中旬前完成）"
                ),
                due_on=due_on,
                url=reverse("assessment:round_detail", args=[pk]),
            )


def collect(today: date, horizon: date) -> Iterator[Due]:
    department = _department()
    yield from _self_due(today, horizon)
    yield from _appeals(today, horizon, department)
    yield from _finish(today, horizon, department)
