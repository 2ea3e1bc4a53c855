"""Writes of the grading standards (《组织建设年实施方案》附件2、3): the department edits a
standard's bands and criteria; the surveys in progress under it follow."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum

from dangjian.branches import rules
from dangjian.branches.models import (
    CRITERION_SNAPSHOT,
    BranchGrading,
    Criterion,
    GradingScore,
    GradingStandard,
    GradingState,
)
from dangjian.branches.services._common import STANDARD_FIELDS, _full_clean
from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User


def _criteria_rows(
    standard: GradingStandard, criteria: list[dict[str, Any]]
) -> tuple[list[Criterion], list[Criterion], list[Criterion]]:
    """(to_update, to_create, to_delete) from a full list of criteria dicts (id for existing)."""
    existing = {c.pk: c for c in standard.criteria.all()}
    keep: set[int] = set()
    update: list[Criterion] = []
    create: list[Criterion] = []
    for index, row in enumerate(criteria, start=1):
        pk = row.get("id")
        if pk:
            criterion = existing.get(pk)
            if criterion is None:
                raise ValidationError({"criteria": f"评分项目{pk}不属于该标准。"})
            keep.add(pk)
        else:
            criterion = Criterion(standard=standard)
        for name in ("group", "name", "guidance", "points"):
            if name in row:
                setattr(criterion, name, row[name])
        criterion.order = row.get("order") or index
        try:
            _full_clean(criterion, exclude=["standard"])
        except ValidationError as exc:
            raise ValidationError(
                {"criteria": [f"第{index}项：{m}" for m in exc.messages]}
            ) from exc
        (update if pk else create).append(criterion)
    delete = [c for pk, c in existing.items() if pk not in keep]
    return update, create, delete


@transaction.atomic
def standard_update(
    *,
    actor: User,
    standard: GradingStandard,
    name: str | None = None,
    bands: object = None,
    is_active: bool | None = None,
    note: str | None = None,
    criteria: list[dict[str, Any]] | None = None,
) -> GradingStandard:
    """The department edits a standard: its bands, and (when given) the whole list of criteria,
    whose points must add up to 100. A criterion already scored cannot be removed."""
    access.require(actor, "branches.set_up")
    standard = GradingStandard.objects.select_for_update().get(pk=standard.pk)
    before = audit.snapshot(standard, STANDARD_FIELDS)
    if bands is not None:
        error = rules.bands_error(bands)
        if error:
            raise ValidationError({"bands": error})
        standard.bands = [
            [float(t) if t % 1 else int(t), label] for t, label in rules.parse_bands(bands)
        ]
    if name is not None:
        standard.name = name
    if note is not None:
        standard.note = note
    if is_active is not None:
        if is_active and not standard.is_active:
            clash = GradingStandard.objects.filter(
                applies_to=standard.applies_to, is_active=True
            ).exclude(pk=standard.pk)
            if clash.exists():
                raise ValidationError(
                    {"is_active": "同一类支部只能启用一个评分参考标准，请先停用另一个。"}
                )
        standard.is_active = is_active
    _full_clean(standard)
    standard.save()
    note_text = ""
    if criteria is not None:
        update, create, delete = _criteria_rows(standard, criteria)
        error = rules.points_total_error(Decimal(str(c.points)) for c in [*update, *create])
        if error:
            raise ValidationError({"criteria": error})
        used = {c.pk for c in delete if c.scores.exists()}
        if used:
            raise ValidationError(
                {"criteria": "已用于调查摸底评分的评分项目不能删除，可修改其名称、要点和分值。"}
            )
        for criterion in delete:
            criterion.delete()
        for criterion in [*update, *create]:
            criterion.save()
        too_high = (
            GradingScore.objects.filter(
                criterion__standard=standard,
                grading__state=GradingState.DRAFT,
                score__gt=F("criterion__points"),
            )
            .select_related("criterion", "grading__branch")
            .first()
        )
        if too_high is not None:
            raise ValidationError(
                {
                    "criteria": f"{too_high.grading.branch.name}正在调查摸底，"
                    f"“{too_high.criterion.name}”已评{too_high.score}分，"
                    f"高于新分值{too_high.criterion.points}分：请先修改该评分。"
                }
            )
        note_text = "；".join(f"{c.order}.{c.name}（{c.points}分）" for c in [*update, *create])
    if bands is not None or criteria is not None:
        _follow_standard(
            standard, create if criteria is not None else [], criteria_changed=criteria is not None
        )
    audit.changed(
        actor=actor,
        obj=standard,
        fields=STANDARD_FIELDS,
        before=before,
        note=note_text[:1000],
        action=AuditEvent.Action.UPDATE,
    )
    return standard


def _follow_standard(
    standard: GradingStandard, new_criteria: list[Criterion], *, criteria_changed: bool = True
) -> None:
    """The surveys still in progress under an edited standard follow it: their copies of the
    criteria (name, group, guidance, points, order) again, an empty score for each new
    criterion, the total and the suggested grade again under the new bands. Decided gradings
    keep what they were graded on: their copies and their bands are not touched."""
    drafts = BranchGrading.objects.filter(standard=standard, state=GradingState.DRAFT)
    if criteria_changed:
        live = Criterion.objects.filter(pk=OuterRef("criterion_id"))
        GradingScore.objects.filter(grading__in=drafts).update(
            **{name: Subquery(live.values(name)[:1]) for name in CRITERION_SNAPSHOT}
        )
    if new_criteria:
        GradingScore.objects.bulk_create(
            [
                GradingScore.of(criterion, grading_id=pk)
                for pk in drafts.values_list("pk", flat=True)
                for criterion in new_criteria
            ],
            batch_size=1000,
        )
    rows = list(
        drafts.annotate(
            unscored=Count("scores", filter=Q(scores__score__isnull=True)),
            scored=Sum("scores__score"),
        ).only("pk", "total", "suggested_grade")
    )
    for grading in rows:
        grading.total = grading.scored or Decimal(0)
        grading.suggested_grade = (
            "" if grading.unscored else rules.suggested_grade(grading.total, standard.bands)
        )
    BranchGrading.objects.bulk_update(rows, ["total", "suggested_grade"], batch_size=500)
