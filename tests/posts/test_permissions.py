"""posts.permissions by role: the officer in scope, the officer of another branch, the member
(who holds the post and owns the records), an anonymous visitor — and the level above."""

import pytest

from dangjian.core import access
from dangjian.posts import permissions as p
from dangjian.posts.models import (
    Commitment,
    DutyCheck,
    DutyRecord,
    DutySummary,
    Post,
    PostType,
    SummaryKind,
)
from tests.harness import role_user

pytestmark = pytest.mark.django_db

ROLES = ("officer", "gb_officer", "other_officer", "member", "anonymous", "org_officer")


def _objects(world):
    """Rows of branch_a about member_a (unsaved: the relations are all an action reads)."""
    branch, person = world.branch_a, world.member_a
    return {
        "post": Post(organisation=branch, holder=person),
        "commitment": Commitment(organisation=branch, person=person),
        "record": DutyRecord(organisation=branch, person=person),
        "check": DutyCheck(organisation=branch),
        "member_summary": DutySummary(
            organisation=branch, person=person, kind=SummaryKind.MEMBER_SEMESTER
        ),
        "org_summary": DutySummary(organisation=branch, kind=SummaryKind.BRANCH_ANNUAL),
        "gb_post_type": PostType(organisation=world.gb_a),
        None: None,
    }


# action, object, then whether each role of ROLES may do it
MATRIX = [
    (p.SET_POST, "post", (True, True, False, False, False, True)),
    (p.ASSIGN, "post", (True, True, False, False, False, True)),
    (p.PUBLISH, "post", (True, True, False, False, False, True)),
    (p.EVALUATE, "post", (True, True, False, False, False, True)),
    # 退岗 and 履岗: the holder himself or an officer in scope.
    (p.RELEASE, "post", (True, True, False, True, False, True)),
    (p.PERFORM, "post", (True, True, False, True, False, True)),
    # 定岗: the level above the branch, never the branch itself.
    (p.CONFIRM, "post", (False, True, False, False, False, True)),
    (p.EDIT_CATALOGUE, "gb_post_type", (False, True, False, False, False, True)),
    (p.EDIT_COMMITMENT, "commitment", (False, False, False, True, False, False)),
    (p.PUBLISH_COMMITMENT, "commitment", (True, True, False, False, False, True)),
    (p.EDIT_DUTY_RECORD, "record", (False, False, False, True, False, False)),
    (p.CHECK, "check", (True, True, False, False, False, True)),
    (p.CIRCULATE_CHECK, "check", (True, True, False, False, False, True)),
    # 季度检查: the department (and the committee's officers) only.
    (p.CHECK_QUARTERLY, None, (False, False, False, False, False, True)),
    (p.EDIT_OWN_SUMMARY, "member_summary", (False, False, False, True, False, False)),
    (p.EDIT_ORG_SUMMARY, "org_summary", (True, True, False, False, False, True)),
]


def test_every_declared_action_is_in_the_matrix():
    declared = {name for name in access.declared() if name.startswith("posts.")}
    assert declared == {name for name, _obj, _allowed in MATRIX}


@pytest.mark.parametrize("name,obj,allowed", MATRIX, ids=[m[0] for m in MATRIX])
def test_action_by_role(world, name, obj, allowed):
    target = _objects(world)[obj]
    got = tuple(access.can(role_user(world, role), name, target) for role in ROLES)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, allowed, strict=True))


def test_refusals_keep_the_rules_words(world):
    post = _objects(world)["post"]
    with pytest.raises(access.PermissionDenied, match="定岗由党总支确定"):
        access.require(world.secretary_a, p.CONFIRM, post)
    with pytest.raises(access.PermissionDenied, match="季度检查由党委组织部进行"):
        access.require(world.gb_secretary_a, p.CHECK_QUARTERLY)
    with pytest.raises(access.PermissionDenied, match="只有认岗本人"):
        access.require(world.secretary_b, p.RELEASE, post)
