"""targets/permissions.py: reporting a task's progress, by role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dangjian.core.access import can
from dangjian.targets.models import Task, WorkItem
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_progress_is_reported_by_the_responsible_person_or_an_officer_in_scope(world):
    task = Task(work_item=WorkItem(organisation=world.branch_a), responsible=world.member_a)
    name = "targets.report_progress"
    assert can(world.member_user, name, task)  # the responsible person
    assert can(world.secretary_a, name, task)
    assert can(world.gb_secretary_a, name, task)
    assert can(world.org_officer, name, task)
    assert not can(world.secretary_b, name, task)  # another branch
    assert not can(make_user(world.member_b), name, task)  # another member
    assert not can(AnonymousUser(), name, task)
