"""public.permissions by role: the board and the suggestion box are open to everyone; handling a
suggestion is for the officers of its organisation and the levels above."""

import pytest

from dangjian.core import access
from dangjian.public import permissions as p
from dangjian.public.models import Suggestion
from tests.harness import role_user

pytestmark = pytest.mark.django_db

ROLES = ("officer", "gb_officer", "other_officer", "member", "anonymous", "org_officer")

MATRIX = [
    (p.READ_BOARD, (True, True, True, True, True, True)),
    (p.SUGGEST, (True, True, True, True, True, True)),
    (p.TRACK, (True, True, True, True, True, True)),
    (p.HANDLE, (True, True, False, False, False, True)),
]


def test_every_declared_action_is_in_the_matrix():
    declared = {name for name in access.declared() if name.startswith("public.")}
    assert declared == {name for name, _allowed in MATRIX}


@pytest.mark.parametrize("name,allowed", MATRIX, ids=[m[0] for m in MATRIX])
def test_action_by_role(world, name, allowed):
    suggestion = Suggestion(organisation=world.branch_a)
    got = tuple(access.can(role_user(world, role), name, suggestion) for role in ROLES)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, allowed, strict=True))


def test_handling_out_of_scope_is_refused_naming_the_rule(world):
    with pytest.raises(access.PermissionDenied, match="办理意见建议"):
        access.require(world.secretary_b, p.HANDLE, Suggestion(organisation=world.branch_a))
