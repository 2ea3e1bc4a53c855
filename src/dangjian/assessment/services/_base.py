"""What the assessment services share: audited fields, the state-machine steps, the lock,
the computed results."""

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django_fsm import can_proceed

from dangjian.assessment import rules
from dangjian.assessment.models import BranchAssessment
from dangjian.assessment.selectors import funding_for
from dangjian.core import audit
from dangjian.core.events import EventType
from dangjian.core.models import AuditEvent, User

TEMPLATE_FIELDS = ["name", "note", "bands", "bonus_cap", "veto_rules", "is_active"]
ITEM_FIELDS = ["number", "content", "points", "elements", "methods", "bonus_rule"]
ROUND_FIELDS = [
    "template",
    "year",
    "title",
    "kind",
    "organisation",
    "self_due",
    "finish_by",
    "note",
]
ASSESSMENT_FIELDS = [
    "state",
    "submitted_on",
    "self_total",
    "base_total",
    "bonus_raw",
    "bonus_total",
    "total",
    "grade",
    "vetoed",
    "veto_reason",
    "staff_members",
    "student_members",
    "funding",
    "notice_on",
    "appeal_due",
]
CLAIM_FIELDS = ["item", "option", "description", "count", "points", "accepted", "group_note"]
APPEAL_FIELDS = [
    "filed_on",
    "reason",
    "answer_due",
    "state",
    "answered_on",
    "answer",
    "original_total",
    "revised_total",
]

TEMPLATE_IN_USE = (
    "该评分表已用于考核，不能再修改分值、指标和等次（考核结果须可复核）；请复制为新版本后修改。"
)

# Why a step is refused in another state.
STEP_RULES = {
    "to_submitted": ("提交自评", "只有“支部自评”状态可以提交"),
    "to_self_scoring": ("退回修改", "只有“已提交自评”、尚未评分的考核可以退回支部修改"),
    "to_scored": ("完成评分", "支部提交自评后，考核组才能完成评分"),
    "to_notified": (
        "书面通知",
        "考核组完成评分后，才能以书面形式通知被考核支部（《支部考核办法》§四(二)）",
    ),
    "to_appealed": (
        "申请复核",
        "支部接到书面通知后才能申请复核，且只能申请一次（《支部考核办法》§四(二)）",
    ),
    "to_reviewed": (
        "提出复核意见",
        "只有已申请复核的考核需要提出复核意见（《支部考核办法》§四(二)）",
    ),
}


def _step(assessment: BranchAssessment, name: str) -> None:
    method = getattr(assessment, name)
    if not can_proceed(method):
        label, rule = STEP_RULES[name]
        raise ValidationError(
            {"state": f"该考核当前为“{assessment.get_state_display()}”，不能{label}：{rule}。"}
        )
    method()


def _state_in(assessment: BranchAssessment, states: Collection[str], doing: str, rule: str) -> None:
    if assessment.state not in states:
        raise ValidationError(
            {"state": f"该考核当前为“{assessment.get_state_display()}”，不能{doing}：{rule}。"}
        )


VETO_RULE_TEXT = rules.VETO_RULE.rstrip("。") + rules.VETO_SOURCE
SELF_RULE = "支部自评只能在提交前填报；已提交的，可请考核组退回修改"
GROUP_RULE = "考核组在支部提交自评后、书面通知前评分"


def _lock(assessment: BranchAssessment) -> BranchAssessment:
    return (
        BranchAssessment.objects.select_for_update(of=("self",))
        .select_related("branch", "round__template")
        .get(pk=assessment.pk)
    )


def _full_clean(obj: Model, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _unscored(assessment: BranchAssessment, score: str) -> str:
    """The numbers of the items without a `score` ("self_score", "group_score"), as 1、2、3."""
    missing = (
        assessment.scores.filter(**{f"{score}__isnull": True})
        .order_by("item__number")
        .values_list("item__number", flat=True)
    )
    return "、".join(str(n) for n in missing)


def _compute(assessment: BranchAssessment) -> None:
    """Set the group's results on a locked assessment from its scores and accepted claims."""
    template = assessment.round.template
    scores = list(assessment.scores.filter(item__indicator__is_bonus=False))
    claims = list(assessment.claims.filter(accepted=True).values_list("points", flat=True))
    raw, counted = rules.bonus_total(claims, template.bonus_cap)
    assessment.base_total = rules.total((s.group_score for s in scores), 0)
    assessment.bonus_raw = raw
    assessment.bonus_total = counted
    assessment.total = assessment.base_total + counted
    _grade(assessment)


def _grade(assessment: BranchAssessment) -> None:
    template = assessment.round.template
    assert assessment.total is not None  # set by every caller (the computed or revised total)
    assessment.grade = rules.grade(assessment.total, template.bands, assessment.vetoed)
    if assessment.staff_members is not None:
        assessment.funding = funding_for(
            assessment.staff_members, assessment.student_members or 0, assessment.grade
        ).amount


def _self_total(assessment: BranchAssessment) -> Decimal:
    scores = assessment.scores.filter(item__indicator__is_bonus=False).values_list(
        "self_score", flat=True
    )
    claimed = assessment.claims.values_list("points", flat=True)
    _raw, counted = rules.bonus_total(claimed, assessment.round.template.bonus_cap)
    return rules.total(scores, counted)


def _save(
    actor: User,
    assessment: BranchAssessment,
    before: dict[str, Any],
    note: str = "",
    action: str | None = None,
    event: EventType | None = None,
) -> BranchAssessment:
    _full_clean(assessment)
    assessment.save()
    audit.changed(
        actor=actor,
        obj=assessment,
        fields=ASSESSMENT_FIELDS,
        before=before,
        event=event,
        note=note,
        action=action or AuditEvent.Action.STATUS,
    )
    return assessment
