"""Named workflow events of the assessment (core.events) and its declared rights
(assessment/permissions.py, core.access): in scope, another branch, a member, anonymous."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from dangjian.assessment import events, permissions
from dangjian.core import access
from dangjian.core.models import AuditEvent
from tests.assessment.conftest import notified, scored, submitted


def test_submitting_records_its_named_event(world, template, ass_a):
    a = submitted(world, template, ass_a)
    row = AuditEvent.objects.get(event=events.SELF_SUBMITTED.name)
    assert row.object_id == a.pk and row.note == "支部提交自评"


def test_scoring_records_its_named_event(world, template, ass_a):
    scored(world, template, ass_a)
    assert AuditEvent.objects.filter(event=events.SCORED.name).count() == 1


def test_the_notice_records_its_named_event(world, template, ass_a):
    notified(world, template, ass_a)
    assert AuditEvent.objects.filter(event=events.NOTIFIED.name).count() == 1


def test_department_actions(world):
    for name in (permissions.EDIT_TEMPLATES, permissions.CREATE_ROUND):
        assert access.can(world.org_officer, name)
        assert not access.can(world.gb_secretary_a, name)
        assert not access.can(world.secretary_b, name)
        assert not access.can(world.member_user, name)
        assert not access.can(AnonymousUser(), name)
        with pytest.raises(PermissionDenied, match="党委组织部"):
            access.require(world.secretary_a, name)


def test_round_under_the_users_scope(world):
    assert access.can(world.org_officer, permissions.ROUND_UNDER, world.committee)
    assert access.can(world.gb_secretary_a, permissions.ROUND_UNDER, world.branch_a)
    assert not access.can(world.secretary_b, permissions.ROUND_UNDER, world.branch_a)
    assert not access.can(world.member_user, permissions.ROUND_UNDER, world.branch_a)
    assert not access.can(AnonymousUser(), permissions.ROUND_UNDER, world.branch_a)
    assert access.refusal(permissions.ROUND_UNDER) == permissions.OUT_OF_SCOPE


def test_branch_side_and_group(world, ass_a):
    # the branch's own officers: the branch side, never the group
    assert permissions.is_branch_side(world.secretary_a, ass_a)
    assert not permissions.in_group(world.secretary_a, ass_a)
    # the level above and the department: the group, not the branch side
    for user in (world.gb_secretary_a, world.org_officer):
        assert permissions.in_group(user, ass_a)
        assert not permissions.is_branch_side(user, ass_a)
    # another branch, a member, anonymous: neither
    for user in (world.secretary_b, world.member_user, AnonymousUser()):
        assert not permissions.is_branch_side(user, ass_a)
        assert not permissions.in_group(user, ass_a)
    with pytest.raises(PermissionDenied, match="考核领导小组"):
        permissions.require_group(world.secretary_b, ass_a)
    with pytest.raises(PermissionDenied, match="只有本支部的书记、委员"):
        permissions.require_branch_side(world.gb_secretary_a, ass_a)
