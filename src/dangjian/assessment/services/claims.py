"""Bonus claims: the branch claims (评分表 17–20), the group accepts or rejects."""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Sum

from dangjian.assessment import rules
from dangjian.assessment.models import AssessmentState, BonusClaim, BranchAssessment, Item
from dangjian.assessment.permissions import require_branch_side, require_group
from dangjian.assessment.services._base import (
    ASSESSMENT_FIELDS,
    CLAIM_FIELDS,
    GROUP_RULE,
    SELF_RULE,
    _compute,
    _full_clean,
    _lock,
    _save,
    _self_total,
    _state_in,
)
from dangjian.core import audit
from dangjian.core.models import AuditEvent, User


def _pairs_papers(item: Item, option: str) -> bool:
    """评分表第20项: the claim is a paper or its award, on an item that has both options."""
    return option in (rules.PAPER, rules.PAPER_AWARD) and item.bonus_options.keys() >= {
        rules.PAPER,
        rules.PAPER_AWARD,
    }


def _papers_and_awards(
    assessment: BranchAssessment, item: Item, accepted_only: bool = False
) -> tuple[int, int]:
    """The 项 of papers and of paper awards claimed (or accepted) on the item."""
    claims = assessment.claims.filter(item=item, option__in=(rules.PAPER, rules.PAPER_AWARD))
    if accepted_only:
        claims = claims.filter(accepted=True)
    counts = dict(
        claims.order_by().values("option").annotate(n=Sum("count")).values_list("option", "n")
    )
    return counts.get(rules.PAPER, 0), counts.get(rules.PAPER_AWARD, 0)


@transaction.atomic
def bonus_claim_create(
    *,
    actor: User,
    assessment: BranchAssessment,
    item: Item,
    option: str,
    description: str,
    count: int = 1,
    evidence: File | None = None,
) -> BonusClaim:
    """The branch claims bonus points (评分表 17–20) with evidence, before it submits."""
    assessment = _lock(assessment)
    require_branch_side(actor, assessment)
    _state_in(assessment, (AssessmentState.SELF_SCORING,), "申报附加分", SELF_RULE)
    if item.indicator.template_id != assessment.round.template_id or not item.is_bonus:
        raise ValidationError({"item": "请选择本考核评分表的附加分项目（第17～20项）。"})
    options = item.bonus_options
    error = rules.claim_error(options, option, count)
    if error:
        raise ValidationError({"option" if "类别" in error else "count": error})
    if not description.strip():
        raise ValidationError({"description": "请填写事项，如荣誉名称、报道标题、论文题目。"})
    if _pairs_papers(item, option):
        papers, awards = _papers_and_awards(assessment, item)
        if option == rules.PAPER:
            papers += count
        else:
            awards += count
        error = rules.paper_award_error(papers, awards)
        if error:
            raise ValidationError({"option": error})
    claim = BonusClaim(
        assessment=assessment,
        item=item,
        option=option,
        description=description.strip(),
        count=count,
        points=rules.bonus_points(options[option], count),
        evidence=evidence or "",
        created_by=actor,
    )
    _full_clean(claim)
    claim.save()
    assessment.self_total = _self_total(assessment)
    assessment.save(update_fields=["self_total"])
    audit.created(actor=actor, obj=claim, fields=CLAIM_FIELDS)
    return claim


@transaction.atomic
def bonus_claim_delete(*, actor: User, claim: BonusClaim) -> None:
    assessment = _lock(claim.assessment)
    require_branch_side(actor, assessment)
    _state_in(assessment, (AssessmentState.SELF_SCORING,), "撤回附加分申报", SELF_RULE)
    claim = (
        BonusClaim.objects.select_for_update(of=("self",))
        .select_related("item")
        .get(pk=claim.pk, assessment=assessment)
    )
    if claim.option == rules.PAPER and _pairs_papers(claim.item, claim.option):
        papers, awards = _papers_and_awards(assessment, claim.item)
        error = rules.paper_award_error(papers - claim.count, awards)
        if error:
            raise ValidationError({"claim": f"请先撤回对应的“{rules.PAPER_AWARD}”申报：{error}"})
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=claim,
        before=audit.snapshot(claim, CLAIM_FIELDS),
    )
    claim.delete()
    assessment.self_total = _self_total(assessment)
    assessment.save(update_fields=["self_total"])


@transaction.atomic
def bonus_claim_review(
    *, actor: User, claim: BonusClaim, accepted: bool, group_note: str = ""
) -> BonusClaim:
    """The group accepts or rejects a bonus claim (认定附加分)."""
    assessment = _lock(claim.assessment)
    require_group(actor, assessment)
    _state_in(
        assessment, (AssessmentState.SUBMITTED, AssessmentState.SCORED), "认定附加分", GROUP_RULE
    )
    claim = (
        BonusClaim.objects.select_for_update(of=("self",))
        .select_related("item")
        .get(pk=claim.pk, assessment=assessment)
    )
    if not accepted and not group_note.strip():
        raise ValidationError({"group_note": "不予认定的，请写明理由。"})
    audit.audited_update(
        actor=actor,
        obj=claim,
        fields={"accepted": accepted, "group_note": group_note.strip()},
        audit_fields=CLAIM_FIELDS,
        clean=_full_clean,
    )
    if _pairs_papers(claim.item, claim.option):
        error = rules.paper_award_error(*_papers_and_awards(assessment, claim.item, True))
        if error:
            raise ValidationError(
                {"accepted": f"认定的“{rules.PAPER_AWARD}”不能多于认定的论文：{error}"}
            )
    if assessment.state == AssessmentState.SCORED:
        before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
        _compute(assessment)
        _save(actor, assessment, before, note="附加分认定变更", action=AuditEvent.Action.UPDATE)
    return claim
