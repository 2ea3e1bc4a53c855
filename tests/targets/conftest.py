"""Target-management records on branch_a (in secretary_a's scope), and one on branch_b."""

from datetime import date
from types import SimpleNamespace

import pytest

from dangjian.org.models import Unit
from dangjian.targets import services
from dangjian.targets.models import Role

YEAR = 2026


def make_item(org, title="年度工作计划", **fields):
    fields.setdefault("year", YEAR)
    fields.setdefault("kind", "annual_plan")
    return services.workitem_create(actor=None, organisation=org, title=title, **fields)


def make_task(item, responsible, **fields):
    fields.setdefault("title", "发展学生党员")
    fields.setdefault("target", "发展学生党员不少于10名")
    fields.setdefault("measures", "加强入党积极分子培养")
    fields.setdefault("assignee_kind", "person")
    if fields["assignee_kind"] == "person":
        fields.setdefault("assignee_person", responsible)
    fields.setdefault("deadline", date(YEAR, 6, 30))
    fields.setdefault("role", Role.MEMBERS)
    return services.task_create(actor=None, work_item=item, responsible=responsible, **fields)


@pytest.fixture
def t(world):
    plan = services.plan_create(
        actor=None,
        organisation=world.branch_a,
        year=YEAR,
        theme="基层组织工作建设年",
        featured_work="党员示范岗",
        theoretical_study="支部建设调研",
    )
    item = make_item(world.branch_a, plan=plan)
    opinion = services.opinion_create(
        actor=None,
        work_item=item,
        source="meeting",
        category="party",
        content="建议加强党员教育",
        received_on=date(YEAR, 1, 10),
    )
    decision = services.decision_create(
        actor=None,
        work_item=item,
        meeting_kind="joint",
        held_on=date(YEAR, 1, 20),
        attendees="支部委员",
        decisions="通过年度计划",
    )
    task = make_task(item, world.member_a)
    evaluation = services.evaluation_save(
        actor=None,
        work_item=item,
        evaluated_on=date(YEAR, 12, 20),
        method="个人述岗自评、教职工民意测评、党组织综合评定相结合",
        result="优秀",
    )
    goal = services.goal_create(
        actor=None,
        organisation=world.branch_a,
        kind="party",
        honour="先进基层党组织",
        current_level=1,
        target_level=2,
        start_year=YEAR,
        end_year=YEAR + 3,
    )
    other_item = make_item(world.branch_b, title="学生支部计划")
    other_task = make_task(other_item, world.member_b)
    unit = Unit.objects.create(name="学生工作处", kind="office")
    return SimpleNamespace(**locals())
