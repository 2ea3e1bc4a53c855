"""The home page's 考核评价待办: what waits for an officer in the evaluation modules, in scope."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.appraisal import services as appraisal
from dangjian.assessment import services as assessment
from dangjian.assessment.models import BranchAssessment, ScoreSheetTemplate
from dangjian.branches import services as branches
from dangjian.reports import dashboard

pytestmark = pytest.mark.django_db


def todo(user, label):
    return next(t.count for t in dashboard.evaluation_todos(user) if t.label == label)


def test_members_without_a_rating_wait_for_their_officers(world):
    today = timezone.localdate()
    appraisal.cycle_create(
        actor=world.org_officer,
        organisation=world.committee,
        kind="quarter",
        year=today.year,
        period=(today.month - 1) // 3 + 1,
        weight_self=Decimal(20),
        weight_masses=Decimal(0),
        weight_branch=Decimal(80),
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=10),
    )
    # each branch: its secretary and one member; nobody rates himself
    assert todo(world.secretary_a, "待综合评定的党员") == 1
    assert todo(world.secretary_b, "待综合评定的党员") == 1
    assert todo(world.gb_secretary_a, "待综合评定的党员") == 2  # branch_a's two
    assert todo(world.org_officer, "待综合评定的党员") == 5


def test_submitted_self_assessments_wait_for_the_level_above_not_the_branch(world):
    template = ScoreSheetTemplate.objects.get(is_active=True, name__contains="评分表")
    round_ = assessment.round_create(
        actor=world.org_officer,
        template=template,
        year=timezone.localdate().year,
        organisation=world.committee,
        self_due=timezone.localdate() + timedelta(days=5),
    )
    a = BranchAssessment.objects.get(round=round_, branch=world.branch_a)
    entries = [
        assessment.ScoreEntry(item=i, score=i.points, note="材料齐全")
        for i in template.indicators.filter(is_bonus=False).first().items.all()
    ]
    assessment.self_scores_save(actor=world.secretary_a, assessment=a, entries=entries)
    assert todo(world.gb_secretary_a, "待考核组评分的党支部") == 0
    for indicator in template.indicators.filter(is_bonus=False)[1:]:
        assessment.self_scores_save(
            actor=world.secretary_a,
            assessment=a,
            entries=[
                assessment.ScoreEntry(item=i, score=i.points, note="材料齐全")
                for i in indicator.items.all()
            ],
        )
    assessment.assessment_submit(actor=world.secretary_a, assessment=a)
    assert todo(world.gb_secretary_a, "待考核组评分的党支部") == 1
    assert todo(world.org_officer, "待考核组评分的党支部") == 1
    assert todo(world.secretary_a, "待考核组评分的党支部") == 0
    assert todo(world.secretary_b, "待考核组评分的党支部") == 0


def test_overdue_rectification_items_in_scope(world, monkeypatch):
    plan = branches.rectification_plan_create(
        actor=world.secretary_a, branch=world.branch_a, year=timezone.localdate().year
    )
    branches.rectification_item_create(
        actor=world.secretary_a,
        plan=plan,
        problem="组织生活次数不足",
        measures="按月开展",
        responsible=world.member_a,
        deadline=date(timezone.localdate().year, 12, 31),
    )
    assert todo(world.secretary_a, "逾期未完成的整改事项") == 0
    later = date(timezone.localdate().year + 1, 1, 5)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    assert todo(world.secretary_a, "逾期未完成的整改事项") == 1
    assert todo(world.secretary_b, "逾期未完成的整改事项") == 0


def test_home_shows_the_card_to_officers_only(world, as_user):
    page = as_user(world.gb_secretary_a).get(reverse("home")).content.decode()
    assert "考核评价待办" in page and "待答复的复核申请" in page
    page = as_user(world.member_user).get(reverse("home")).content.decode()
    assert "考核评价待办" not in page
