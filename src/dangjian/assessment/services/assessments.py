"""A branch assessment's steps: submit, reopen, score, veto, notify."""

from datetime import date
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.assessment import events, rules
from dangjian.assessment.models import AssessmentState, BranchAssessment
from dangjian.assessment.permissions import require_branch_side, require_group
from dangjian.assessment.selectors import appeal_days, default_notice, member_counts
from dangjian.assessment.services._base import (
    ASSESSMENT_FIELDS,
    VETO_RULE_TEXT,
    _compute,
    _grade,
    _lock,
    _save,
    _self_total,
    _state_in,
    _step,
    _unscored,
)
from dangjian.branches import services as branches
from dangjian.branches.models import PlanSource
from dangjian.core import audit
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation


@transaction.atomic
def assessment_submit(*, actor: User, assessment: BranchAssessment) -> BranchAssessment:
    """提交自评: every base item self-scored."""
    assessment = _lock(assessment)
    require_branch_side(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    numbers = (
        _unscored(assessment, "self_score")
        if assessment.state == AssessmentState.SELF_SCORING
        else ""
    )
    if numbers:
        raise ValidationError({"state": f"第{numbers}项尚未自评，请全部填报后再提交。"})
    _step(assessment, "to_submitted")
    assessment.submitted_on = timezone.localdate()
    assessment.self_total = _self_total(assessment)
    return _save(actor, assessment, before, note="支部提交自评", event=events.SELF_SUBMITTED)


@transaction.atomic
def assessment_reopen(
    *, actor: User, assessment: BranchAssessment, reason: str = ""
) -> BranchAssessment:
    """退回修改: the group sends a submitted self-assessment back to the branch."""
    assessment = _lock(assessment)
    require_group(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    _step(assessment, "to_self_scoring")
    assessment.submitted_on = None
    note = f"退回支部修改：{reason.strip()}"[:500]
    return _save(actor, assessment, before, note=note, event=events.REOPENED)


@transaction.atomic
def assessment_score(*, actor: User, assessment: BranchAssessment) -> BranchAssessment:
    """完成评分: every base item scored and every claim reviewed; the results are computed and
    the members counted for the funding (snapshot)."""
    assessment = _lock(assessment)
    require_group(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    if assessment.state == AssessmentState.SUBMITTED:
        if numbers := _unscored(assessment, "group_score"):
            raise ValidationError({"state": f"第{numbers}项尚未评分。"})
        if assessment.claims.filter(accepted__isnull=True).exists():
            raise ValidationError({"state": "还有附加分申报尚未认定。"})
    _step(assessment, "to_scored")
    staff, students = member_counts([assessment.branch])[assessment.branch_id]
    assessment.staff_members, assessment.student_members = staff, students
    assessment.scored_on = timezone.localdate()
    assessment.scored_by = actor
    _compute(assessment)
    return _save(actor, assessment, before, note="考核组完成评分", event=events.SCORED)


@transaction.atomic
def assessment_veto(
    *, actor: User, assessment: BranchAssessment, vetoed: bool, reason: str = ""
) -> BranchAssessment:
    """一票否决 (《支部考核办法》§六(二)): a branch with a member disciplined for violating
    discipline or
    law is 不合格 whatever its score. Recorded (or lifted) before the written notice."""
    assessment = _lock(assessment)
    require_group(actor, assessment)
    _state_in(
        assessment,
        (AssessmentState.SUBMITTED, AssessmentState.SCORED),
        "一票否决",
        "一票否决在书面通知前由考核组认定；通知后只能经复核改变结果",
    )
    reason = reason.strip()
    if vetoed and not reason:
        raise ValidationError({"veto_reason": f"请写明否决事由（{VETO_RULE_TEXT}）。"})
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    assessment.vetoed = vetoed
    assessment.veto_reason = reason if vetoed else ""
    if assessment.total is not None:
        _grade(assessment)
    return _save(
        actor,
        assessment,
        before,
        note="一票否决" if vetoed else "撤销一票否决",
        action=AuditEvent.Action.UPDATE,
        event=events.VETO_DECIDED,
    )


@transaction.atomic
def assessment_notify(
    *,
    actor: User,
    assessment: BranchAssessment,
    notice_on: date | None = None,
    notice_text: str = "",
) -> BranchAssessment:
    """书面通知 (《支部考核办法》§四(二)): the result in writing; the appeal window opens."""
    assessment = _lock(assessment)
    require_group(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    _step(assessment, "to_notified")
    today = timezone.localdate()
    notice_on = notice_on or today
    if notice_on > today:
        raise ValidationError({"notice_on": "通知日期不能晚于今天。"})
    if assessment.scored_on and notice_on < assessment.scored_on:
        raise ValidationError({"notice_on": "通知日期不能早于评分日期。"})
    assessment.notice_on = notice_on
    assessment.appeal_due = rules.appeal_deadline(notice_on, appeal_days())
    assessment.notice_text = notice_text.strip() or default_notice(assessment, notice_on)
    assessment.notified_by = actor
    _save(actor, assessment, before, note="书面通知考核结果", event=events.NOTIFIED)
    _rectify_if_failed(actor, assessment)
    return assessment


class _Where(TypedDict):
    branch: Organisation
    year: int


def _rectify_if_failed(actor: User, assessment: BranchAssessment) -> None:
    """考核不合格的基层党组织，及时整顿，限期整改 (《支部考核办法》§七(四)): a failed branch gets a
    rectification plan in the branches app, where its items are tracked to year end; when an
    appeal lifts the result, a plan not yet started is withdrawn."""
    where: _Where = {"branch": assessment.branch, "year": assessment.round.year}
    total = rules.fmt(assessment.total)
    if assessment.grade != rules.FAIL:
        branches.rectification_plan_withdraw(
            actor=actor,
            source=PlanSource.ASSESSMENT,
            reason=f"{assessment.round.title}复核后为{assessment.grade}（总分{total}分）",
            **where,
        )
        return
    why = f"，一票否决：{assessment.veto_reason}" if assessment.vetoed else ""
    branches.rectification_plan_open(
        actor=actor,
        source=PlanSource.ASSESSMENT,
        reason=f"{assessment.round.title}结果为不合格（总分{total}分{why}）"[:200],
        **where,
    )
