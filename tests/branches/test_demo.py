"""The demo loader of branch grading and rectification, on the `world` tree and on a larger one."""

from datetime import date

import pytest

from dangjian.branches import rules
from dangjian.branches.models import (
    BranchGrading,
    GradingYear,
    RectificationItem,
    RectificationPlan,
)
from dangjian.demo.branches import MEETING_TOPIC, BranchesLoader, reset_branches
from dangjian.orglife.models import Meeting
from tests.factories import make_officer, make_org, make_person

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 10)


def snapshot():
    return sorted(
        BranchGrading.objects.values_list(
            "grading_year__year", "branch__code", "round", "grade", "total", "state"
        )
    )


def test_loader_on_world(world):
    counts = BranchesLoader(seed=7, today=TODAY).run()
    assert counts["年度分类定级"] == 2
    assert counts["党支部调查摸底与分类定级"] == BranchGrading.objects.count()
    last, this = (GradingYear.objects.get(year=y) for y in (2025, 2026))
    initial = BranchGrading.objects.filter(grading_year=last, round="initial")
    assert initial.count() == 2 and all(g.state == "graded" for g in initial)
    assert len({g.grade for g in initial}) == 2
    for g in BranchGrading.objects.filter(state="graded"):
        assert rules.suggested_grade(g.total) == g.suggested_grade == g.grade
        assert g.scores.count() == 12
    # last year: plans discussed at a general meeting, the regrade moved branches up
    for plan in RectificationPlan.objects.filter(year=2025):
        assert plan.meeting.kind == "general" and plan.discussed_on <= plan.submitted_on
        assert plan.state == "done"
    moves = [
        rules.movement(
            i.grade,
            BranchGrading.objects.get(grading_year=last, branch=i.branch, round="regrade").grade,
        )
        for i in initial
    ]
    assert "up" in moves
    assert RectificationItem.objects.filter(plan__year=2025, long_term=True, state="open").exists()
    # this year: graded in March, items at several states, at least one overdue
    assert (
        BranchGrading.objects.filter(grading_year=this, round="initial", state="graded").count()
        == 2
    )
    this_items = RectificationItem.objects.filter(plan__year=2026)
    statuses = {i.status(TODAY) for i in this_items}
    assert {"overdue", "done"} <= statuses or {"overdue", "verified"} <= statuses
    # deterministic, and a second run adds nothing
    first = snapshot()
    assert BranchesLoader(seed=7, today=TODAY).run() == {}
    reset_branches()
    assert (
        not BranchGrading.objects.exists()
        and not Meeting.objects.filter(topic=MEETING_TOPIC).exists()
    )
    BranchesLoader(seed=7, today=TODAY).run()
    assert snapshot() == first


def test_loader_spread_on_a_larger_tree(world):
    for g in range(3):
        gb = make_org(world.committee, name=f"第{g}党总支")
        make_officer(gb)
        for b in range(4):
            branch = make_org(gb, name=f"第{g}-{b}支部", category="student" if b % 2 else "staff")
            make_officer(branch)
            make_person(branch)
    BranchesLoader(seed=3, today=TODAY).run()
    last = GradingYear.objects.get(year=2025)
    grades = set(
        BranchGrading.objects.filter(grading_year=last, round="initial").values_list(
            "grade", flat=True
        )
    )
    assert grades == set(rules.GRADES)
    moves = []
    for g in BranchGrading.objects.filter(grading_year=last, round="regrade"):
        before = BranchGrading.objects.get(
            grading_year=last, branch=g.branch, round="initial"
        ).grade
        moves.append(rules.movement(before, g.grade))
    assert moves.count("down") == 1 and "up" in moves and "same" in moves
    this = GradingYear.objects.get(year=2026)
    graded = BranchGrading.objects.filter(
        grading_year=this, round="initial", state="graded"
    ).count()
    plans = RectificationPlan.objects.filter(year=2026, source="grading")
    assert plans.count() == graded - 1  # one missing
    assert plans.filter(submitted_on__gt=this.rectification_plans_due).count() == 1  # one late
    regraded = BranchGrading.objects.filter(grading_year=this, round="regrade").count()
    assert 0 < regraded < graded
    statuses = {i.status(TODAY) for i in RectificationItem.objects.filter(plan__year=2026)}
    assert {"open", "overdue", "done", "verified"} <= statuses
    assert RectificationItem.objects.filter(long_term=True).exists()


def test_loader_without_branches_does_nothing(db):
    assert BranchesLoader(seed=1, today=TODAY).run() == {}
