"""Every right of development.permissions, for the branch's secretary, the general branch's,
another branch's, a member, an anonymous visitor and the department — on one object and on a
queryset (core.access)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from dangjian.core import access
from dangjian.development import permissions as perms
from dangjian.development.models import Case

pytestmark = pytest.mark.django_db

USERS = ["secretary_a", "gb_secretary_a", "secretary_b", "member_user", "anonymous", "org_officer"]
SCOPE = {"secretary_a", "gb_secretary_a", "org_officer"}
ABOVE = {"gb_secretary_a", "org_officer"}
EXPECTED = {
    perms.ACT: SCOPE,
    **dict.fromkeys(perms.ABOVE_STEPS, ABOVE),
}


def _user(world, name):
    return AnonymousUser() if name == "anonymous" else getattr(world, name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case_rights_by_role(world, advance, name):
    case = advance("applied")
    for user_name in USERS:
        user = _user(world, user_name)
        allowed = user_name in EXPECTED[name]
        assert access.can(user, name, case) == allowed, (name, user_name)
        rows = Case.objects.restrict(user, name)
        assert rows.filter(pk=case.pk).exists() == allowed, (name, user_name)


def test_the_general_branch_steps_are_refused_naming_the_step(world, advance):
    case = advance("applied")
    for name, step in perms.ABOVE_STEPS.items():
        with pytest.raises(PermissionDenied, match=f"{step}由党总支办理"):
            access.require(world.secretary_a, name, case)


def test_opening_a_case_needs_the_person_in_scope(world, applicant):
    for user_name in USERS:
        allowed = user_name in SCOPE
        assert access.can(_user(world, user_name), perms.OPEN_CASE, applicant) == allowed


def test_the_step_wording_is_the_department_staff_s(world):
    assert access.can(world.org_officer, perms.EDIT_STAGES)
    assert access.can(world.admin, perms.EDIT_STAGES)
    for user_name in ["secretary_a", "gb_secretary_a", "member_user", "anonymous"]:
        assert not access.can(_user(world, user_name), perms.EDIT_STAGES), user_name
    with pytest.raises(PermissionDenied, match="由党委组织部设置"):
        access.require(world.gb_secretary_a, perms.EDIT_STAGES)
