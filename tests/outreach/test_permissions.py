"""Every right of outreach.permissions, for the member's secretary, the general branch's,
another branch's, the member themselves, another member, an anonymous visitor and the
department (core.access)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from dangjian.core import access
from dangjian.outreach import permissions as perms
from dangjian.outreach.models import Link
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

SCOPE = {"secretary_a", "gb_secretary_a", "org_officer"}


@pytest.fixture
def cast(world):
    world.anonymous = AnonymousUser()
    world.other_member = make_user(make_person(world.branch_b, name="钱党员"))
    return world


USERS = [
    "secretary_a",
    "gb_secretary_a",
    "secretary_b",
    "member_user",
    "other_member",
    "anonymous",
    "org_officer",
]


def test_manage_is_the_person_or_an_officer_above(cast):
    for name in USERS:
        allowed = name in SCOPE | {"member_user"}
        assert access.can(getattr(cast, name), perms.MANAGE, cast.member_a) == allowed, name
    with pytest.raises(PermissionDenied, match="不能办理"):
        access.require(cast.secretary_b, perms.MANAGE, cast.member_a)


def test_links_are_set_by_the_organisation_s_officers(cast, links):
    for name in USERS:
        allowed = name in SCOPE
        assert access.can(getattr(cast, name), perms.LINK, links.dorm) == allowed, name
        rows = Link.objects.restrict(getattr(cast, name), perms.LINK)
        assert rows.filter(pk=links.dorm.pk).exists() == allowed, name


def test_school_leaders_links_are_the_department_staff_s(cast):
    assert access.can(cast.org_officer, perms.LEADER_LINK)
    for name in ["secretary_a", "gb_secretary_a", "member_user", "anonymous"]:
        assert not access.can(getattr(cast, name), perms.LEADER_LINK), name


def test_own_records_need_a_person(cast):
    assert access.can(cast.member_user, perms.OWN)
    assert not access.can(cast.anonymous, perms.OWN)
    assert not access.can(cast.org_officer, perms.OWN)  # no person record
    with pytest.raises(PermissionDenied, match="没有关联人员信息"):
        access.require(cast.org_officer, perms.OWN)
