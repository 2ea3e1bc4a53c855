"""The one access policy (core.access): each relation on an object and on a queryset, as the
in-scope officer, the level above, another branch's officer, a member, the department and an
anonymous visitor."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from dangjian.core import access
from dangjian.core.access import (
    ABOVE,
    DEPARTMENT,
    MEMBER,
    OFFICER,
    PUBLIC,
    SCOPE,
    SELF,
    STAFF,
    Action,
    can,
    declare,
    require,
)
from dangjian.org.models import Organisation, Person, Position
from tests.factories import make_officer

declare(
    Action("testing.edit", SCOPE, org="", label="修改"),
    Action("testing.decide", ABOVE, org="", label="决定等次"),
    Action("testing.template", DEPARTMENT, label="设置模板"),
    Action("testing.catalogue", STAFF, label="设置目录"),
    Action("testing.manage", OFFICER, label="管理"),
    Action("testing.own", SELF, person="", label="修改"),
    Action("testing.own_or_officer", (SELF, SCOPE), person="", org="primary_org", label="报告"),
    Action("testing.sign_up", MEMBER, label="报名"),
    Action("testing.read", PUBLIC),
    Action("testing.worded", SCOPE, org="", message="本规则的原话。"),
    Action("testing.position", SCOPE, org="person__primary_org", label="任免"),
)


@pytest.fixture
def cast(world):
    world.anonymous = AnonymousUser()
    world.committee_officer = make_officer(world.committee, name="党委委员")
    return world


def test_scope_holds_on_the_subtree_only(cast):
    w = cast
    assert can(w.secretary_a, "testing.edit", w.branch_a)
    assert can(w.secretary_a, "testing.edit", w.group_a)
    assert can(w.gb_secretary_a, "testing.edit", w.branch_a)
    assert not can(w.secretary_b, "testing.edit", w.branch_a)
    assert not can(w.member_user, "testing.edit", w.branch_a)
    assert not can(w.anonymous, "testing.edit", w.branch_a)
    assert can(w.org_officer, "testing.edit", w.branch_a)


def test_above_excludes_the_organisations_own_officers(cast):
    w = cast
    assert not can(w.secretary_a, "testing.decide", w.branch_a)
    assert can(w.secretary_a, "testing.decide", w.group_a)
    assert can(w.gb_secretary_a, "testing.decide", w.branch_a)
    assert not can(w.gb_secretary_a, "testing.decide", w.gb_a)
    assert not can(w.secretary_b, "testing.decide", w.branch_a)
    assert can(w.org_officer, "testing.decide", w.gb_a)


def test_department_is_the_department_and_committee_officers(cast):
    w = cast
    assert can(w.org_officer, "testing.template")
    assert can(w.admin, "testing.template")
    assert can(w.committee_officer, "testing.template")
    assert not can(w.gb_secretary_a, "testing.template")
    assert not can(w.member_user, "testing.template")
    assert can(w.org_officer, "testing.catalogue") and can(w.admin, "testing.catalogue")
    assert not can(w.committee_officer, "testing.catalogue")
    assert Organisation.objects.restrict(w.committee_officer, "testing.catalogue").count() == 0


def test_officer_member_and_public(cast):
    w = cast
    assert can(w.secretary_b, "testing.manage")
    assert not can(w.member_user, "testing.manage")
    assert can(w.member_user, "testing.sign_up")
    assert not can(w.org_officer, "testing.sign_up")  # no person record
    assert can(w.anonymous, "testing.read")


def test_self_or_scope(cast):
    w = cast
    assert can(w.member_user, "testing.own", w.member_a)
    assert not can(w.member_user, "testing.own", w.member_b)
    assert can(w.member_user, "testing.own_or_officer", w.member_a)
    assert can(w.secretary_a, "testing.own_or_officer", w.member_a)
    assert not can(w.secretary_b, "testing.own_or_officer", w.member_a)


def test_require_names_the_rule(cast):
    w = cast
    with pytest.raises(PermissionDenied, match="决定等次须由上级党组织"):
        require(w.secretary_a, "testing.decide", w.branch_a)
    with pytest.raises(PermissionDenied, match="本规则的原话"):
        require(w.secretary_b, "testing.worded", w.branch_a)
    require(w.gb_secretary_a, "testing.decide", w.branch_a)


def test_undeclared_actions_are_an_error(cast):
    with pytest.raises(access.UnknownAction):
        can(cast.secretary_a, "testing.nothing")


def test_declaring_an_action_twice_differently_is_an_error():
    with pytest.raises(ValueError):
        declare(Action("testing.edit", ABOVE, org=""))


@pytest.mark.parametrize(
    "name, user, expected",
    [
        ("testing.edit", "secretary_a", {"branch_a", "group_a"}),
        ("testing.edit", "gb_secretary_a", {"gb_a", "branch_a", "group_a"}),
        ("testing.decide", "gb_secretary_a", {"branch_a", "group_a"}),
        ("testing.decide", "secretary_b", set()),
        ("testing.template", "secretary_a", set()),
        ("testing.edit", "anonymous", set()),
    ],
)
def test_restrict_agrees_with_can(cast, name, user, expected):
    w = cast
    user = getattr(w, user)
    names = {
        "branch_a": w.branch_a,
        "group_a": w.group_a,
        "gb_a": w.gb_a,
        "branch_b": w.branch_b,
        "gb_b": w.gb_b,
        "committee": w.committee,
    }
    rows = set(Organisation.objects.restrict(user, name).values_list("pk", flat=True))
    assert rows == {names[n].pk for n in expected}
    for org in names.values():
        assert can(user, name, org) == (org.pk in rows), org.name


def test_restrict_follows_relations_and_self(cast):
    w = cast
    positions = Position.objects.all()
    mine = positions.filter(person__primary_org=w.branch_a)
    assert set(Position.objects.restrict(w.secretary_a, "testing.position")) == set(mine)
    assert list(Person.objects.restrict(w.member_user, "testing.own")) == [w.member_a]
    assert set(Person.objects.restrict(w.member_user, "testing.own_or_officer")) == {w.member_a}


def test_view_and_change_are_the_scoping_idiom(cast):
    w = cast
    assert set(Person.objects.restrict(w.secretary_a, "view")) == set(
        Person.objects.visible_to(w.secretary_a)
    )
    assert set(Organisation.objects.restrict(w.member_user, "change")) == set()


def test_every_declared_action_has_a_refusal():
    for name, act in access.declared().items():
        if PUBLIC in act._relations:
            continue
        assert act.refusal and "{" not in act.refusal, name
