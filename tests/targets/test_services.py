"""Services: the six steps closing (refused and allowed), goals, plans, tasks, progress, audit."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.models import AuditEvent
from dangjian.targets import selectors, services
from dangjian.targets.models import Step, Task
from tests.targets.conftest import YEAR, make_item, make_task

pytestmark = pytest.mark.django_db


def close(item, actor=None):
    return services.workitem_close_step(actor=actor, item=item)


def refused(item) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        close(item)
    return exc.value.message_dict["step"]


# --- the six steps (《168模式实施意见》§四(一)) ----------------------------------------------


def test_step1_refused_without_opinions(world):
    item = make_item(world.branch_a)
    assert refused(item) == ["尚未登记征求到的意见（征求意见：须至少登记1条意见）"]
    item.refresh_from_db()
    assert item.step == Step.OPINIONS


def test_step1_refused_while_an_opinion_is_pending(t):
    assert "还有1条意见待处理" in refused(t.item)[0]


def test_step1_closes_once_opinions_are_answered(t):
    services.opinion_update(
        actor=t.world.secretary_a, opinion=t.opinion, handling="adopted", response="已纳入计划"
    )
    item = close(t.item, t.world.secretary_a)
    assert item.step == Step.DECISION
    event = AuditEvent.objects.filter(object_id=item.pk, action="status").latest("id")
    assert event.changes["当前步骤"] == ["征求意见", "议事决策"]


def _at(item, step):
    item.step = step
    item.save(update_fields=["step"])
    return item


def test_step2_refused_then_allowed(world):
    item = _at(make_item(world.branch_a), Step.DECISION)
    assert "议事决策" in refused(item)[0]
    services.decision_create(
        actor=None,
        work_item=item,
        meeting_kind="joint",
        held_on=date(YEAR, 2, 1),
        attendees="党政班子",
        decisions="通过",
    )
    assert close(item).step == Step.DECOMPOSITION


def test_step3_refused_then_allowed(world):
    item = _at(make_item(world.branch_a), Step.DECOMPOSITION)
    assert "任务分解" in refused(item)[0]
    make_task(item, world.member_a)
    assert close(item).step == Step.COMMITMENT


def test_step4_needs_every_task_published(world):
    item = _at(make_item(world.branch_a), Step.COMMITMENT)
    first, second = make_task(item, world.member_a), make_task(item, world.member_a)
    services.task_publish(actor=None, task=first, commitment="保质完成", published_on=date.today())
    assert refused(item) == ["还有1项任务未公开承诺（公开承诺：每项任务须填写承诺内容并公开）"]
    services.task_publish(actor=None, task=second, commitment="按时完成", published_on=date.today())
    assert close(item).step == Step.IMPLEMENTATION


def test_publish_needs_commitment_text(t):
    with pytest.raises(ValidationError) as exc:
        services.task_publish(actor=None, task=t.task, commitment="  ", published_on=date.today())
    assert "commitment" in exc.value.message_dict


def test_step5_needs_progress_on_every_task(t):
    item = _at(t.item, Step.IMPLEMENTATION)
    assert "未报告进展" in refused(item)[0]
    services.progress_report(
        actor=None, task=t.task, reported_on=date(YEAR, 3, 1), percent=30, note="已培养5名"
    )
    assert close(item).step == Step.EVALUATION


def test_step6_needs_evaluation_published(world, t):
    item = _at(make_item(world.branch_a), Step.EVALUATION)
    assert "尚未登记考评结果" in refused(item)[0]
    evaluation = services.evaluation_save(
        actor=None, work_item=item, evaluated_on=date(YEAR, 12, 1), method="综合评定", result="好"
    )
    assert "尚未公布" in refused(item)[0]
    services.evaluation_publish(actor=None, evaluation=evaluation, published_on=date(YEAR, 12, 5))
    assert close(item).step == Step.DONE
    with pytest.raises(ValidationError) as exc:
        close(item)
    assert exc.value.message_dict["step"] == [services.DONE_REFUSED]


def test_evaluation_publish_not_before_evaluation(t):
    with pytest.raises(ValidationError):
        services.evaluation_publish(
            actor=None, evaluation=t.evaluation, published_on=date(YEAR, 12, 1)
        )


def test_records_can_be_added_after_the_step(t):
    # 《168模式实施意见》§四(一)3: new tasks during the year are decomposed too.
    item = _at(t.item, Step.DONE)
    make_task(item, t.world.member_a, title="新增任务")
    assert item.tasks.count() == 2


def test_step_facts_counts(t):
    facts = selectors.step_facts(t.item)
    assert (facts.opinions, facts.pending_opinions, facts.decisions, facts.tasks) == (1, 1, 1, 1)
    assert facts.unpublished_tasks == 1 and facts.tasks_without_progress == 1
    assert facts.has_evaluation and not facts.evaluation_published


# --- goals and plans (《延伸提升168机制意见》§二) --------------------------------------------


def _goal(world, **fields):
    values = dict(
        kind="party",
        honour="先进基层党组织",
        current_level=2,
        target_level=3,
        start_year=2026,
        end_year=2029,
    )
    values.update(fields)
    return services.goal_create(actor=world.secretary_a, organisation=world.branch_a, **values)


def test_goal_level_jump_refused(world):
    with pytest.raises(ValidationError) as exc:
        _goal(world, target_level=4)
    assert "上一级" in exc.value.message_dict["target_level"][0]


@pytest.mark.parametrize("span,ok", [(2, False), (3, True), (5, True), (6, False)])
def test_goal_span(world, span, ok):
    if ok:
        assert _goal(world, end_year=2026 + span).pk
    else:
        with pytest.raises(ValidationError) as exc:
            _goal(world, end_year=2026 + span)
        assert "end_year" in exc.value.message_dict


def test_goal_update_achieve_delete_are_audited(t):
    goal = services.goal_update(actor=None, goal=t.goal, measures="争创市级先进")
    assert goal.measures == "争创市级先进"
    goal = services.goal_mark_achieved(actor=None, goal=goal, achieved_on=date(YEAR + 2, 7, 1))
    assert goal.achieved_on == date(YEAR + 2, 7, 1)
    with pytest.raises(ValidationError):
        services.goal_mark_achieved(actor=None, goal=goal, achieved_on=date(YEAR + 2, 7, 2))
    pk = goal.pk
    services.goal_delete(actor=None, goal=goal)
    actions = set(AuditEvent.objects.filter(object_id=pk).values_list("action", flat=True))
    assert {"create", "update", "status", "delete"} <= actions


def test_one_plan_per_organisation_and_year(t):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            actor=None,
            organisation=t.world.branch_a,
            year=YEAR,
            theme="党员奉献年",
            featured_work="x",
            theoretical_study="y",
        )
    assert "每年一个" in exc.value.message_dict["year"][0]
    # Another year is fine; editing keeps its own year.
    services.plan_update(actor=None, plan=t.plan, theme="党建特色建设年")


def test_workitem_plan_must_match_org_and_year(t):
    with pytest.raises(ValidationError) as exc:
        make_item(t.world.branch_b, plan=t.plan)
    assert "plan" in exc.value.message_dict
    with pytest.raises(ValidationError):
        make_item(t.world.branch_a, plan=t.plan, year=YEAR + 1)


# --- tasks -----------------------------------------------------------------------------------


def test_task_needs_exactly_one_assignee(t):
    with pytest.raises(ValidationError) as exc:
        make_task(t.item, t.world.member_a, assignee_kind="unit")
    assert "承担单位" in exc.value.message_dict["assignee_kind"][0]
    with pytest.raises(ValidationError):
        make_task(
            t.item,
            t.world.member_a,
            assignee_kind="unit",
            assignee_unit=t.unit,
            assignee_org=t.world.branch_a,
        )
    task = make_task(t.item, t.world.member_a, assignee_kind="unit", assignee_unit=t.unit)
    assert task.assignee == t.unit


def test_task_assignee_and_responsible_in_scope(t):
    w = t.world
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            actor=w.secretary_a,
            work_item=t.item,
            title="x",
            target="y",
            measures="z",
            assignee_kind="organisation",
            assignee_org=w.branch_b,
            responsible=w.member_b,
            deadline=date(YEAR, 5, 1),
            role=1,
        )
    assert set(exc.value.message_dict) == {"assignee_org", "responsible"}


def test_task_update_switching_kind_clears_the_other_assignee(t):
    task = services.task_update(
        actor=t.world.secretary_a,
        task=t.task,
        assignee_kind="organisation",
        assignee_org=t.world.branch_a,
    )
    assert task.assignee_person_id is None and task.assignee == t.world.branch_a


def test_progress_follows_latest_update_and_100_completes(t):
    report = services.progress_report
    report(actor=None, task=t.task, reported_on=date(YEAR, 3, 1), percent=40, note="a")
    report(actor=None, task=t.task, reported_on=date(YEAR, 5, 1), percent=100, note="b")
    task = Task.objects.get(pk=t.task.pk)
    assert (task.progress, task.completed_on) == (100, date(YEAR, 5, 1))
    # A later report below 100% (not required to increase) reopens the task.
    report(actor=None, task=t.task, reported_on=date(YEAR, 5, 10), percent=90, note="返工")
    task.refresh_from_db()
    assert (task.progress, task.completed_on) == (90, None)
    # An earlier-dated report does not change the latest.
    report(actor=None, task=t.task, reported_on=date(YEAR, 2, 1), percent=10, note="补报")
    task.refresh_from_db()
    assert task.progress == 90


def test_progress_percent_and_evidence_checked(t):
    for percent, field in ((101, "percent"), (50, "evidence")):
        with pytest.raises(ValidationError) as exc:
            services.progress_report(
                actor=None,
                task=t.task,
                reported_on=date(YEAR, 3, 1),
                percent=percent,
                note="x",
                evidence=SimpleUploadedFile("a.exe", b"x"),
            )
        assert set(exc.value.message_dict) == {field}


def test_opinion_answer_requires_response(t):
    with pytest.raises(ValidationError) as exc:
        services.opinion_update(actor=None, opinion=t.opinion, handling="answered")
    assert "response" in exc.value.message_dict
