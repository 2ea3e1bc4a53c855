"""Shared builders for the outreach tests (on top of tests/conftest.py's `world`).

Units: a college (信息工程学院) with a class (软件2401班). Links, all since 2024-09-01:
- leader_college: a school leader of the committee → the college (set by the department);
- leader_class: a college leader of gb_b → the class;
- teacher_dorm: member_a (branch_a) → 3号楼学生宿舍.
"""

from datetime import date
from types import SimpleNamespace

import pytest

from dangjian.org.models import Unit
from dangjian.outreach import services
from tests.factories import make_person, make_user

SINCE = date(2024, 9, 1)


@pytest.fixture
def units(db):
    college = Unit.objects.create(name="信息工程学院", kind="college")
    klass = Unit.objects.create(name="软件2401班", kind="class", parent=college)
    return SimpleNamespace(college=college, klass=klass)


@pytest.fixture
def links(world, units):
    leader = make_person(world.committee, name="校领导甲")
    college_leader = make_person(world.gb_b, name="院领导乙")
    leader_college = services.link_create(
        actor=world.org_officer,
        visitor=leader,
        kind="leader_college",
        unit=units.college,
        since=SINCE,
    )
    leader_class = services.link_create(
        actor=world.org_officer,
        visitor=college_leader,
        kind="leader_class",
        unit=units.klass,
        since=SINCE,
    )
    dorm = services.link_create(
        actor=world.secretary_a,
        visitor=world.member_a,
        kind="teacher_dorm",
        target="3号楼学生宿舍",
        since=SINCE,
    )
    return SimpleNamespace(
        leader=leader,
        leader_user=make_user(leader),
        college_leader=college_leader,
        college=leader_college,
        klass=leader_class,
        dorm=dorm,
    )


@pytest.fixture
def visit(world):
    """A visit by member_a recorded by themselves."""

    def make(visited_on=date(2025, 3, 10), kind="teacher_student", actor=None, **fields):
        fields.setdefault("content", "了解学习生活情况")
        if kind in ("teacher_student", "cadre_teacher", "home_visit", "follow_up"):
            fields.setdefault("interviewee", "学生丙")
        return services.visit_create(
            actor=actor or world.member_user, kind=kind, visited_on=visited_on, **fields
        )

    return make
