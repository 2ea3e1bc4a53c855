"""appraisal/permissions.py: each action as the officer in scope, the level above, another
branch's officer, a member, the department and an anonymous visitor."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dangjian.appraisal.models import (
    EvaluationCycle,
    EvaluationResult,
    Honour,
    MemberRectification,
)
from dangjian.core.access import can
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# Actions on a row of branch_a (member_a's), by who may do them.
ON_BRANCH_A = [
    "appraisal.manage_cycle",
    "appraisal.rate",
    "appraisal.award_honour",
    "appraisal.revoke_honour",
    "appraisal.handle_rectification",
    "appraisal.report_rectification",
]


def rows(world):
    """Unsaved rows of branch_a about member_a: the access policy reads their relations."""
    a, person = world.branch_a, world.member_a
    return {
        "appraisal.manage_cycle": EvaluationCycle(organisation=a),
        "appraisal.rate": EvaluationResult(organisation=a, person=person),
        "appraisal.award_honour": EvaluationResult(organisation=a, person=person),
        "appraisal.revoke_honour": Honour(organisation=a, person=person),
        "appraisal.handle_rectification": MemberRectification(organisation=a, person=person),
        "appraisal.report_rectification": MemberRectification(organisation=a, person=person),
    }


@pytest.mark.parametrize("name", ON_BRANCH_A)
def test_actions_on_a_branch_row(world, name):
    row = rows(world)[name]
    assert can(world.secretary_a, name, row)
    assert can(world.gb_secretary_a, name, row)  # the level above
    assert can(world.org_officer, name, row)
    assert not can(world.secretary_b, name, row)  # another branch
    assert not can(AnonymousUser(), name, row)
    # the member: only their own rectification's completion
    assert can(world.member_user, name, row) == (name == "appraisal.report_rectification")


def test_creating_a_cycle_is_for_the_organisations_officers(world):
    name = "appraisal.create_cycle"
    assert can(world.secretary_a, name, world.branch_a)
    assert can(world.gb_secretary_a, name, world.branch_a)
    assert not can(world.secretary_a, name, world.gb_a)
    assert not can(world.secretary_b, name, world.branch_a)
    assert not can(world.member_user, name, world.branch_a)
    assert not can(AnonymousUser(), name, world.branch_a)


def test_self_reports_are_ones_own_and_taking_part_needs_a_person(world):
    assert can(world.member_user, "appraisal.write_self_report", world.member_a)
    assert not can(world.member_user, "appraisal.write_self_report", world.member_b)
    assert not can(world.secretary_a, "appraisal.write_self_report", world.member_a)
    assert not can(AnonymousUser(), "appraisal.write_self_report", world.member_a)
    assert can(world.member_user, "appraisal.take_part")
    assert can(make_user(world.member_b), "appraisal.take_part")
    assert not can(world.org_officer, "appraisal.take_part")  # no person record
    assert not can(AnonymousUser(), "appraisal.take_part")
