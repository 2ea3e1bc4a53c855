"""Appeals (申请复核) and the group's answer (复核意见), 《支部考核办法》§四(二)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.assessment import events, rules
from dangjian.assessment.models import Appeal, AppealState, BranchAssessment
from dangjian.assessment.permissions import require_branch_side, require_group
from dangjian.assessment.selectors import answer_days, appeal_days, base_full_marks
from dangjian.assessment.services._base import (
    APPEAL_FIELDS,
    ASSESSMENT_FIELDS,
    _full_clean,
    _grade,
    _lock,
    _save,
    _step,
)
from dangjian.assessment.services.assessments import _rectify_if_failed
from dangjian.core import audit
from dangjian.core import rules as core_rules
from dangjian.core.models import User


@transaction.atomic
def appeal_file(
    *, actor: User, assessment: BranchAssessment, reason: str, filed_on: date | None = None
) -> Appeal:
    """申请复核: within a week of the written notice (《支部考核办法》§四(二)). A paper appeal
    entered
    later carries its own date (`filed_on`), from which the week and the answer's 10 days count."""
    assessment = _lock(assessment)
    require_branch_side(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    _step(assessment, "to_appealed")
    today = filed_on or timezone.localdate()
    error = core_rules.recorded_on_error(
        today,
        timezone.localdate(),
        label="申请复核日期",
        earliest=assessment.notice_on,
        earliest_label="书面通知日期",
    )
    if error:
        raise ValidationError({"filed_on": error})
    assert assessment.notice_on is not None  # a notified assessment (to_appealed)
    error = rules.appeal_error(assessment.notice_on, today, appeal_days())
    if error:
        raise ValidationError({"filed_on" if filed_on else "reason": error})
    if not reason.strip():
        raise ValidationError({"reason": "请写明申请复核的理由。"})
    appeal = Appeal(
        assessment=assessment,
        filed_on=today,
        filed_by=actor,
        reason=reason.strip(),
        answer_due=rules.answer_due(today, answer_days()),
        original_total=assessment.total,
        original_grade=assessment.grade,
    )
    _full_clean(appeal, exclude=["assessment"])
    appeal.save()
    _save(actor, assessment, before, note="支部申请复核", event=events.APPEALED)
    audit.created(actor=actor, obj=appeal, fields=APPEAL_FIELDS)
    return appeal


@transaction.atomic
def appeal_answer(
    *,
    actor: User,
    assessment: BranchAssessment,
    answer: str,
    revised_total: Decimal | None = None,
    answered_on: date | None = None,
) -> Appeal:
    """复核意见 (《支部考核办法》§四(二)): in writing, within 10 days of the appeal (a later
    answer is
    recorded and flagged). A revised total re-computes the grade; a veto still applies. An
    answer given on paper and entered later carries its own date (`answered_on`)."""
    assessment = _lock(assessment)
    require_group(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    _step(assessment, "to_reviewed")
    appeal = Appeal.objects.select_for_update().get(assessment=assessment)
    if not answer.strip():
        raise ValidationError({"answer": "请填写复核意见。"})
    if revised_total is not None:
        revised_total = rules.dec(revised_total)
        claimed = assessment.claims.values_list("points", flat=True)
        _raw, counted = rules.bonus_total(claimed, assessment.round.template.bonus_cap)
        ceiling = base_full_marks(assessment.round.template_id) + counted
        error = rules.revised_total_error(revised_total, ceiling)
        if error:
            raise ValidationError({"revised_total": error})
    today = answered_on or timezone.localdate()
    error = core_rules.recorded_on_error(
        today,
        timezone.localdate(),
        label="复核意见日期",
        earliest=appeal.filed_on,
        earliest_label="申请复核日期",
    )
    if error:
        raise ValidationError({"answered_on": error})
    appeal_before = audit.snapshot(appeal, APPEAL_FIELDS)
    appeal.answer = answer.strip()
    appeal.answered_on = today
    appeal.answered_by = actor
    appeal.state = AppealState.ANSWERED
    appeal.revised_total = revised_total
    _full_clean(appeal, exclude=["assessment"])
    appeal.save()
    late = rules.answer_late(appeal.filed_on, today, answer_days())
    audit.changed(
        actor=actor,
        obj=appeal,
        fields=APPEAL_FIELDS,
        before=appeal_before,
        note="超过10日提出复核意见" if late else "",
    )
    if revised_total is not None:
        assessment.total = revised_total
        _grade(assessment)
    _save(actor, assessment, before, note="复核完成", event=events.APPEAL_ANSWERED)
    _rectify_if_failed(actor, assessment)
    return appeal
