"""The rights org declares (org.permissions), as the in-scope officer, another branch's
officer, a member, an anonymous visitor, a committee officer and the department."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from dangjian.core.access import can, require
from dangjian.org import services
from dangjian.org.models import Organisation, Unit
from tests.factories import make_officer


@pytest.fixture
def cast(world):
    world.anonymous = AnonymousUser()
    world.committee_officer = make_officer(world.committee, name="党委委员")
    return world


def test_restructure_is_the_level_above(cast):
    w = cast
    assert can(w.gb_secretary_a, "org.restructure", w.branch_a)
    assert can(w.secretary_a, "org.restructure", w.group_a)
    assert not can(w.secretary_a, "org.restructure", w.branch_a)  # its own officers
    assert not can(w.secretary_b, "org.restructure", w.group_a)  # another branch
    assert not can(w.member_user, "org.restructure", w.group_a)
    assert not can(w.anonymous, "org.restructure", w.group_a)
    assert can(w.org_officer, "org.restructure", w.branch_a)
    with pytest.raises(PermissionDenied, match="须由上级党组织办理"):
        require(w.secretary_a, "org.restructure", w.branch_a)
    lower = set(Organisation.objects.restructurable_by(w.gb_secretary_a))
    assert lower == {w.branch_a, w.group_a}


@pytest.mark.parametrize(
    "name",
    ["org.create_top_level", "org.manage_units", "org.read_full_identity", "org.unassign_person"],
)
def test_institution_rights_are_the_department_proper(cast, name):
    w = cast
    assert can(w.org_officer, name)
    assert can(w.admin, name)
    for who in ("committee_officer", "gb_secretary_a", "secretary_a", "secretary_b"):
        assert not can(getattr(w, who), name), who
    assert not can(w.member_user, name)
    assert not can(w.anonymous, name)


def test_services_refuse_a_person_without_the_right(cast):
    w = cast
    with pytest.raises(PermissionDenied, match="只有组织部干事可以新建、修改或撤销行政单位"):
        services.unit_create(actor=w.committee_officer, name="新处室", kind="office")
    assert not Unit.objects.exists()
    with pytest.raises(PermissionDenied, match="只有组织部干事可以新建顶层党组织"):
        services.organisation_create(
            actor=w.secretary_a, parent=None, name="新党委", kind="committee"
        )
    with pytest.raises(PermissionDenied, match="须由上级党组织办理"):
        services.organisation_move(actor=w.secretary_b, org=w.branch_b, new_parent=w.gb_a)
    unit = services.unit_create(actor=w.org_officer, name="新处室", kind="office")
    assert unit.pk
