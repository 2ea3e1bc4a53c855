"""Builders for the assessment tests (on top of tests/conftest.py's `world`).

A 2025 annual round over the whole committee: branch_a (gb_a) and branch_b (gb_b) each get an
assessment with the 16 base items of the seeded seed-004 sheet.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.assessment import services
from dangjian.assessment.models import BranchAssessment, Item, ScoreSheetTemplate

SEED_NAME = "基层党支部工作目标管理考核评分表"


@pytest.fixture
def template(db):
    return ScoreSheetTemplate.objects.get(name=SEED_NAME)


@pytest.fixture
def round_(world, template):
    return services.round_create(
        actor=world.org_officer,
        template=template,
        year=2025,
        organisation=world.committee,
        self_due=date(2025, 11, 30),
    )


@pytest.fixture
def ass_a(round_, world):
    return BranchAssessment.objects.get(round=round_, branch=world.branch_a)


@pytest.fixture
def ass_b(round_, world):
    return BranchAssessment.objects.get(round=round_, branch=world.branch_b)


def base_items(template) -> list[Item]:
    return list(
        Item.objects.filter(indicator__template=template, indicator__is_bonus=False).order_by(
            "number"
        )
    )


def bonus_item(template, number: int) -> Item:
    return Item.objects.get(indicator__template=template, number=number)


def entries(template, score=None, *, short: Decimal = Decimal(0)):
    """A score entry per base item: full points (or `score`), with `short` points taken off
    the first items (each stays within 0..its points)."""
    result = []
    left = Decimal(short)
    for item in base_items(template):
        value = item.points if score is None else Decimal(score)
        take = min(left, value)
        left -= take
        result.append(services.ScoreEntry(item=item, score=value - take, note="材料齐全"))
    return result


def submitted(world, template, assessment, actor=None):
    services.self_scores_save(
        actor=actor or world.secretary_a, assessment=assessment, entries=entries(template)
    )
    return services.assessment_submit(actor=actor or world.secretary_a, assessment=assessment)


def scored(world, template, assessment, *, short=Decimal(0), group=None):
    """Through the group's scoring: full points less `short` on item 1."""
    branch_actor = (
        world.secretary_a if assessment.branch_id == world.branch_a.pk else (world.secretary_b)
    )
    submitted(world, template, assessment, branch_actor)
    group = group or world.org_officer
    services.group_scores_save(
        actor=group, assessment=assessment, entries=entries(template, short=short)
    )
    return services.assessment_score(actor=group, assessment=assessment)


def notified(world, template, assessment, *, days_ago=0, short=Decimal(0)):
    """Scored and notified `days_ago` days before today."""
    a = scored(world, template, assessment, short=short)
    notice_on = timezone.localdate() - timedelta(days=days_ago)
    BranchAssessment.objects.filter(pk=a.pk).update(scored_on=notice_on)
    a.refresh_from_db()
    return services.assessment_notify(actor=world.org_officer, assessment=a, notice_on=notice_on)
