"""Item scores: the branch's self-assessment and the group's scores."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.assessment import rules
from dangjian.assessment.models import AssessmentState, BranchAssessment, Item, ItemScore
from dangjian.assessment.permissions import require_branch_side, require_group
from dangjian.assessment.services._base import (
    ASSESSMENT_FIELDS,
    GROUP_RULE,
    SELF_RULE,
    _compute,
    _lock,
    _self_total,
    _state_in,
)
from dangjian.core import audit
from dangjian.core.models import AuditEvent, User


@dataclass
class ScoreEntry:
    item: Item
    score: Decimal | None
    note: str = ""
    evidence: object = None  # an uploaded file, or None to keep the current one
    clear_evidence: bool = False


def _scores_by_item(
    assessment: BranchAssessment, entries: list[ScoreEntry]
) -> dict[int, ItemScore]:
    rows = {
        s.item_id: s
        for s in assessment.scores.select_for_update(of=("self",)).select_related("item")
    }
    for entry in entries:
        if entry.item.pk not in rows:
            raise ValidationError({"item": f"第{entry.item.number}项不是本考核的基本分指标。"})
    return rows


def _validate(entries: list[ScoreEntry]) -> None:
    errors: dict[str, list[str]] = {}
    for entry in entries:
        if entry.score is None:
            continue
        assert entry.item.points is not None  # a base item has points (_check_item)
        error = rules.score_error(entry.score, entry.item.points, entry.item.number)
        if error:
            errors.setdefault(f"score_{entry.item.pk}", []).append(error)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def self_scores_save(
    *, actor: User, assessment: BranchAssessment, entries: list[ScoreEntry]
) -> BranchAssessment:
    """The branch fills in its self scores, notes and evidence (partial saves allowed)."""
    assessment = _lock(assessment)
    require_branch_side(actor, assessment)
    _state_in(assessment, (AssessmentState.SELF_SCORING,), "修改支部自评", SELF_RULE)
    rows = _scores_by_item(assessment, entries)
    _validate(entries)
    before, after = {}, {}
    for entry in entries:
        row = rows[entry.item.pk]
        label = f"第{entry.item.number}项自评"
        old = (row.self_score, row.self_note, row.evidence.name)
        row.self_score = entry.score
        row.self_note = entry.note.strip()
        if entry.evidence:
            row.evidence = entry.evidence
        elif entry.clear_evidence:
            row.evidence = ""
        if old != (row.self_score, row.self_note, row.evidence.name):
            row.save()
            before[label] = rules.fmt(old[0]) if old[0] is not None else None
            after[label] = rules.fmt(row.self_score) if row.self_score is not None else None
    before_total = assessment.self_total
    assessment.self_total = _self_total(assessment)
    assessment.save(update_fields=["self_total"])
    if before or before_total != assessment.self_total:
        before["自评得分"] = str(before_total) if before_total is not None else None
        after["自评得分"] = str(assessment.self_total)
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=assessment,
            before=before,
            after=after,
            note="填报支部自评",
        )
    return assessment


@transaction.atomic
def group_scores_save(
    *, actor: User, assessment: BranchAssessment, entries: list[ScoreEntry]
) -> BranchAssessment:
    """The group's score of each base item (partial saves allowed; results follow once scored)."""
    assessment = _lock(assessment)
    require_group(actor, assessment)
    _state_in(
        assessment,
        (AssessmentState.SUBMITTED, AssessmentState.SCORED),
        "修改考核组评分",
        GROUP_RULE,
    )
    rows = _scores_by_item(assessment, entries)
    _validate(entries)
    if assessment.state == AssessmentState.SCORED and any(e.score is None for e in entries):
        raise ValidationError({"state": "已完成评分的考核，每项都须有考核组评分。"})
    before, after = {}, {}
    for entry in entries:
        row = rows[entry.item.pk]
        old = (row.group_score, row.group_note)
        row.group_score = entry.score
        row.group_note = entry.note.strip()
        if old != (row.group_score, row.group_note):
            row.save(update_fields=["group_score", "group_note"])
            label = f"第{entry.item.number}项考评"
            before[label] = rules.fmt(old[0]) if old[0] is not None else None
            after[label] = rules.fmt(row.group_score) if row.group_score is not None else None
    if assessment.state == AssessmentState.SCORED:
        snap = audit.snapshot(assessment, ASSESSMENT_FIELDS)
        _compute(assessment)
        assessment.save()
        for key, value in audit.snapshot(assessment, ASSESSMENT_FIELDS).items():
            if value != snap[key]:
                before[key], after[key] = snap[key], value
    if before:
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=assessment,
            before=before,
            after=after,
            note="考核组评分",
        )
    return assessment
