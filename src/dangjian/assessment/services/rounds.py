"""Assessment rounds (the organisation department): one assessment per branch below."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from dangjian.assessment import rules
from dangjian.assessment.models import (
    AssessmentRound,
    BranchAssessment,
    ItemScore,
    RoundKind,
    ScoreSheetTemplate,
)
from dangjian.assessment.permissions import CREATE_ROUND, ROUND_UNDER, require_department
from dangjian.assessment.selectors import base_items
from dangjian.assessment.services._base import ROUND_FIELDS, _full_clean
from dangjian.core import access, audit
from dangjian.core.models import User
from dangjian.org.models import Organisation, OrgKind


@transaction.atomic
def round_create(
    *,
    actor: User,
    template: ScoreSheetTemplate,
    year: int,
    organisation: Organisation,
    self_due: date,
    title: str = "",
    kind: str = RoundKind.ANNUAL,
    finish_by: date | None = None,
    note: str = "",
) -> AssessmentRound:
    """A round with one assessment (and an empty score sheet) per active branch below."""
    require_department(actor, CREATE_ROUND)
    access.require(actor, ROUND_UNDER, organisation)
    if not template.is_active:
        raise ValidationError({"template": "该评分表已停用，请选择启用的评分表。"})
    if organisation.dissolved_on is not None:
        raise ValidationError({"organisation": "该党组织已撤销。"})
    finish_by = finish_by or rules.finish_by(year)
    if finish_by.year != year:
        raise ValidationError(
            {
                "finish_by": "考核应在考核年度内完成"
                "（《支部考核办法》§五：考核年度的12月中旬前完成）。"
            }
        )
    if self_due > finish_by:
        raise ValidationError({"self_due": "自评截止日期不能晚于考核完成日期。"})
    if self_due.year != year:
        raise ValidationError({"self_due": f"自评截止日期应在考核年度（{year}年）内。"})
    if kind == RoundKind.ANNUAL:
        # A branch has one annual assessment a year: no second round over the same branches
        # (the same organisation, one above it or one below it).
        step = Organisation.steplen
        above = [organisation.path[:i] for i in range(step, len(organisation.path) + 1, step)]
        overlapping = (
            AssessmentRound.objects.filter(year=year, kind=RoundKind.ANNUAL)
            .filter(
                Q(organisation__path__in=above)
                | Q(organisation__path__startswith=organisation.path)
            )
            .select_related("organisation")
            .first()
        )
        if overlapping is not None:
            raise ValidationError(
                {
                    "year": f"{overlapping.organisation.name}{year}年度考核已创建，"
                    "同一党支部每年只进行一次年度考核；需要时请创建专项考核。"
                }
            )
    branches = list(
        Organisation.objects.active()
        .filter(path__startswith=organisation.path, kind=OrgKind.BRANCH)
        .order_by("path")
    )
    if not branches:
        raise ValidationError({"organisation": "该党组织下没有党支部，不能创建考核。"})
    items = base_items(template.pk)
    round_ = AssessmentRound(
        template=template,
        year=year,
        title=title.strip() or f"{year}年度党支部工作目标管理考核",
        kind=kind,
        organisation=organisation,
        self_due=self_due,
        finish_by=finish_by,
        note=note,
        created_by=actor,
    )
    _full_clean(round_)
    round_.save()
    assessments = BranchAssessment.objects.bulk_create(
        [BranchAssessment(round=round_, branch=b) for b in branches], batch_size=1000
    )
    ItemScore.objects.bulk_create(
        [ItemScore(assessment=a, item=i) for a in assessments for i in items], batch_size=2000
    )
    audit.created(
        actor=actor, obj=round_, fields=ROUND_FIELDS, note=f"参加考核的党支部{len(branches)}个"
    )
    return round_
