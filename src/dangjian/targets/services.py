"""Every write of target management and the six-step work method: atomic, validated by
targets.rules, audited. Scope checks of the rows a user may act on stay in the views and the
API; the services check that the people and organisations a task names lie in the actor's
scope (an actor of None is the system and may name anyone)."""

from collections.abc import Callable
from datetime import date
from typing import Any, TypedDict, TypeVar, Unpack, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation, Person, Unit
from dangjian.targets import rules, selectors
from dangjian.targets.models import (
    AnnualPlan,
    Decision,
    Evaluation,
    LongTermGoal,
    Opinion,
    Step,
    Task,
    TaskProgress,
    WorkItem,
)


class GoalFields(TypedDict, total=False):
    """What a form or the API may set on a long-term goal (an update sets only those given)."""

    kind: str
    honour: str
    current_level: int
    target_level: int
    start_year: int
    end_year: int
    measures: str


class PlanFields(TypedDict, total=False):
    year: int
    theme: str
    featured_work: str
    theoretical_study: str
    development_goals: str
    note: str


class WorkItemFields(TypedDict, total=False):
    plan: AnnualPlan | None
    year: int
    kind: str
    title: str
    description: str


class OpinionFields(TypedDict, total=False):
    source: str
    category: str
    content: str
    raised_by: str
    received_on: date
    handling: str
    response: str


class DecisionFields(TypedDict, total=False):
    meeting_kind: str
    held_on: date
    place: str
    attendees: str
    representatives: str
    decisions: str


class TaskFields(TypedDict, total=False):
    title: str
    target: str
    measures: str
    assignee_kind: str
    assignee_org: Organisation | None
    assignee_unit: Unit | None
    assignee_person: Person | None
    responsible: Person | None
    deadline: date
    role: int


class EvaluationFields(TypedDict, total=False):
    evaluated_on: date
    method: str
    result: str
    rewards: str


# The audited fields of each record are those a form may set.
GOAL_FIELDS = list(GoalFields.__annotations__)
PLAN_FIELDS = list(PlanFields.__annotations__)
WORKITEM_FIELDS = list(WorkItemFields.__annotations__)
OPINION_FIELDS = list(OpinionFields.__annotations__)
DECISION_FIELDS = list(DecisionFields.__annotations__)
TASK_FIELDS = list(TaskFields.__annotations__)
EVALUATION_FIELDS = list(EvaluationFields.__annotations__)
COMMITMENT_FIELDS = ["commitment", "published_on"]
PROGRESS_FIELDS = ["reported_on", "percent", "note"]
TASK_PROGRESS_FIELDS = ["progress", "completed_on"]

# The acting user; None is the system (the demo, imports), which may name anyone.
Actor = User | None
M = TypeVar("M", bound=models.Model)

DONE_REFUSED = "该工作事项六个步骤均已完成"


def _create(
    *, actor: Actor, obj: M, fields: list[str], clean: Callable[[M], None] | None = None
) -> M:
    if clean is not None:
        clean(obj)
    obj.full_clean()
    obj.save()
    audit.created(actor=actor, obj=obj, fields=fields)
    return obj


def _update(
    *,
    actor: Actor,
    obj: M,
    fields: dict[str, Any],
    audit_fields: list[str],
    clean: Callable[[M], None] | None = None,
    action: str = AuditEvent.Action.UPDATE,
) -> M:
    def full_clean(obj: M) -> None:
        if clean is not None:
            clean(obj)
        obj.full_clean()

    # core.audit.audited_update is typed on Model: the row comes back as it went in.
    return cast(
        M,
        audit.audited_update(
            actor=actor,
            obj=obj,
            fields=fields,
            audit_fields=audit_fields,
            clean=full_clean,
            action=action,
        ),
    )


# --- long-term goals (《延伸提升168机制意见》§二) -------------------------------------------


def _clean_goal(goal: LongTermGoal) -> None:
    errors = {}
    if goal.current_level is not None and goal.target_level is not None:
        error = rules.goal_level_error(goal.current_level, goal.target_level)
        if error:
            errors["target_level"] = error
    if goal.start_year is not None and goal.end_year is not None:
        error = rules.goal_span_error(goal.start_year, goal.end_year)
        if error:
            errors["end_year"] = error
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def goal_create(
    *, actor: Actor, organisation: Organisation, **fields: Unpack[GoalFields]
) -> LongTermGoal:
    goal = LongTermGoal(organisation=organisation, **fields)
    return _create(actor=actor, obj=goal, fields=GOAL_FIELDS, clean=_clean_goal)


@transaction.atomic
def goal_update(*, actor: Actor, goal: LongTermGoal, **fields: Unpack[GoalFields]) -> LongTermGoal:
    goal = LongTermGoal.objects.select_for_update().get(pk=goal.pk)
    return _update(
        actor=actor, obj=goal, fields=dict(fields), audit_fields=GOAL_FIELDS, clean=_clean_goal
    )


@transaction.atomic
def goal_mark_achieved(*, actor: Actor, goal: LongTermGoal, achieved_on: date) -> LongTermGoal:
    goal = LongTermGoal.objects.select_for_update().get(pk=goal.pk)
    if goal.achieved_on is not None:
        raise ValidationError({"achieved_on": "该目标已标记为实现"})
    if achieved_on.year < goal.start_year:
        raise ValidationError({"achieved_on": "实现日期不能早于起始年度"})
    return _update(
        actor=actor,
        obj=goal,
        fields={"achieved_on": achieved_on},
        audit_fields=["achieved_on"],
        action=AuditEvent.Action.STATUS,
    )


@transaction.atomic
def goal_delete(*, actor: Actor, goal: LongTermGoal) -> None:
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=goal,
        before=audit.snapshot(goal, GOAL_FIELDS),
    )
    goal.delete()


# --- annual plans (《延伸提升168机制意见》§二: 年年有主题、年年有特色、年年有推动) -----------


def _clean_plan(plan: AnnualPlan) -> None:
    clash = AnnualPlan.objects.filter(organisation_id=plan.organisation_id, year=plan.year)
    if plan.pk:
        clash = clash.exclude(pk=plan.pk)
    if clash.exists():
        raise ValidationError({"year": f"本组织{plan.year}年度已有年度计划，每年一个"})


def _plan_full_clean(plan: AnnualPlan) -> None:
    _clean_plan(plan)
    # The unique constraint is checked above with a Chinese message.
    plan.full_clean(validate_constraints=False)


@transaction.atomic
def plan_create(
    *, actor: Actor, organisation: Organisation, **fields: Unpack[PlanFields]
) -> AnnualPlan:
    plan = AnnualPlan(organisation=organisation, **fields)
    _plan_full_clean(plan)
    plan.save()
    audit.created(actor=actor, obj=plan, fields=PLAN_FIELDS)
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: AnnualPlan, **fields: Unpack[PlanFields]) -> AnnualPlan:
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    updated = audit.audited_update(
        actor=actor, obj=plan, fields=dict(fields), audit_fields=PLAN_FIELDS, clean=_plan_full_clean
    )
    return cast(AnnualPlan, updated)


# --- work items and the six steps (《168模式实施意见》§四(一)) ------------------------------


def _clean_workitem(item: WorkItem) -> None:
    plan = item.plan
    if plan is not None and (
        plan.organisation_id != item.organisation_id or plan.year != item.year
    ):
        raise ValidationError({"plan": "所属年度计划须为本组织同一年度的计划"})


@transaction.atomic
def workitem_create(
    *, actor: Actor, organisation: Organisation, **fields: Unpack[WorkItemFields]
) -> WorkItem:
    item = WorkItem(organisation=organisation, step=Step.OPINIONS, **fields)
    return _create(actor=actor, obj=item, fields=WORKITEM_FIELDS, clean=_clean_workitem)


@transaction.atomic
def workitem_update(*, actor: Actor, item: WorkItem, **fields: Unpack[WorkItemFields]) -> WorkItem:
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    return _update(
        actor=actor,
        obj=item,
        fields=dict(fields),
        audit_fields=WORKITEM_FIELDS,
        clean=_clean_workitem,
    )


@transaction.atomic
def workitem_close_step(*, actor: Actor, item: WorkItem) -> WorkItem:
    """Close the current step and move to the next; refused with what is missing."""
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    if item.step >= Step.DONE:
        raise ValidationError({"step": DONE_REFUSED})
    missing = rules.step_missing(item.step, selectors.step_facts(item))
    if missing:
        raise ValidationError({"step": missing})
    return _update(
        actor=actor,
        obj=item,
        fields={"step": item.step + 1},
        audit_fields=["step"],
        action=AuditEvent.Action.STATUS,
    )


# --- step 1: opinions ----------------------------------------------------------------------


def _clean_opinion(opinion: Opinion) -> None:
    error = rules.opinion_response_error(opinion.handling or "", opinion.response or "")
    if error:
        raise ValidationError({"response": error})


@transaction.atomic
def opinion_create(
    *, actor: Actor, work_item: WorkItem, **fields: Unpack[OpinionFields]
) -> Opinion:
    opinion = Opinion(work_item=work_item, **fields)
    return _create(actor=actor, obj=opinion, fields=OPINION_FIELDS, clean=_clean_opinion)


@transaction.atomic
def opinion_update(*, actor: Actor, opinion: Opinion, **fields: Unpack[OpinionFields]) -> Opinion:
    """Edit an opinion, including answering or adopting it (handling + response)."""
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    return _update(
        actor=actor,
        obj=opinion,
        fields=dict(fields),
        audit_fields=OPINION_FIELDS,
        clean=_clean_opinion,
    )


# --- step 2: decisions ---------------------------------------------------------------------


@transaction.atomic
def decision_create(
    *, actor: Actor, work_item: WorkItem, **fields: Unpack[DecisionFields]
) -> Decision:
    decision = Decision(work_item=work_item, **fields)
    return _create(actor=actor, obj=decision, fields=DECISION_FIELDS)


@transaction.atomic
def decision_update(
    *, actor: Actor, decision: Decision, **fields: Unpack[DecisionFields]
) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    return _update(actor=actor, obj=decision, fields=dict(fields), audit_fields=DECISION_FIELDS)


# --- step 3: tasks -------------------------------------------------------------------------


def _clean_task(actor: Actor) -> Callable[[Task], None]:
    def clean(task: Task) -> None:
        error = rules.assignee_error(
            task.assignee_kind or "",
            task.assignee_org_id is not None,
            task.assignee_unit_id is not None,
            task.assignee_person_id is not None,
        )
        if error:
            raise ValidationError({"assignee_kind": error})
        if actor is None:
            return
        errors = {}
        if (
            task.assignee_org_id is not None
            and not Organisation.objects.visible_to(actor).filter(pk=task.assignee_org_id).exists()
        ):
            errors["assignee_org"] = "承担党组织不在您的管理范围内"
        if (
            task.assignee_unit_id is not None
            and not Unit.objects.visible_to(actor).filter(pk=task.assignee_unit_id).exists()
        ):
            errors["assignee_unit"] = "承担单位不存在"
        people = Person.objects.editable_by(actor)
        if (
            task.assignee_person_id is not None
            and not people.filter(pk=task.assignee_person_id).exists()
        ):
            errors["assignee_person"] = "承担人不在您的管理范围内"
        if task.responsible_id is not None and not people.filter(pk=task.responsible_id).exists():
            errors["responsible"] = "责任人不在您的管理范围内"
        if errors:
            raise ValidationError(errors)

    return clean


@transaction.atomic
def task_create(*, actor: Actor, work_item: WorkItem, **fields: Unpack[TaskFields]) -> Task:
    """A task of the decomposition; new tasks may arise at any time of the year
    (《168模式实施意见》§四(一)3: 对平时工作中新增加的重要任务也要进行及时分解)."""
    task = Task(work_item=work_item, **fields)
    return _create(actor=actor, obj=task, fields=TASK_FIELDS, clean=_clean_task(actor))


@transaction.atomic
def task_update(*, actor: Actor, task: Task, **given: Unpack[TaskFields]) -> Task:
    fields: dict[str, Any] = dict(given)
    task = Task.objects.select_for_update().get(pk=task.pk)
    # Only the assignee of the chosen kind is kept.
    kind = fields.get("assignee_kind", task.assignee_kind)
    for name, field_kind in (
        ("assignee_org", "organisation"),
        ("assignee_unit", "unit"),
        ("assignee_person", "person"),
    ):
        if "assignee_kind" in fields and kind != field_kind and name not in fields:
            fields[name] = None
    return _update(
        actor=actor, obj=task, fields=fields, audit_fields=TASK_FIELDS, clean=_clean_task(actor)
    )


# --- step 4: public commitment -------------------------------------------------------------


@transaction.atomic
def task_publish(*, actor: Actor, task: Task, commitment: str, published_on: date) -> Task:
    """Publish the task's commitment (《168模式实施意见》§四(一)4: 做出公开承诺，自觉接受监督)."""
    task = Task.objects.select_for_update().get(pk=task.pk)

    def clean(task: Task) -> None:
        if not (task.commitment or "").strip():
            raise ValidationError({"commitment": "请填写承诺内容"})

    return _update(
        actor=actor,
        obj=task,
        fields={"commitment": commitment.strip(), "published_on": published_on},
        audit_fields=COMMITMENT_FIELDS,
        clean=clean,
        action=AuditEvent.Action.STATUS,
    )


# --- step 5: progress ----------------------------------------------------------------------


@transaction.atomic
def progress_report(
    *,
    actor: Actor,
    task: Task,
    reported_on: date,
    percent: int,
    note: str,
    evidence: UploadedFile | None = None,
) -> TaskProgress:
    """A progress update; the task's progress follows the latest update, and 100% completes it
    (《168模式实施意见》§四(一)4: 及时公开承诺事项落实进度)."""
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("work_item__organisation")
        .get(pk=task.pk)
    )
    if actor is not None:
        access.require(actor, "targets.report_progress", task)
    errors = {}
    error = rules.percent_error(percent)
    if error:
        errors["percent"] = error
    if errors:
        raise ValidationError(errors)
    update = TaskProgress(
        task=task,
        reported_on=reported_on,
        percent=percent,
        note=note,
        reported_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if evidence:
        update.evidence = evidence
    update.full_clean(exclude=["reported_by"])  # null for the system; not a form field
    update.save()
    audit.created(actor=actor, obj=update, fields=PROGRESS_FIELDS, note=f"任务：{task.title}"[:500])
    latest = task.updates.order_by("-reported_on", "-id").first()
    assert latest is not None  # the update just saved
    _update(
        actor=actor,
        obj=task,
        fields={
            "progress": latest.percent,
            "completed_on": rules.completed_on_after(latest.percent, latest.reported_on),
        },
        audit_fields=TASK_PROGRESS_FIELDS,
    )
    return update


# --- step 6: evaluation --------------------------------------------------------------------


@transaction.atomic
def evaluation_save(
    *, actor: Actor, work_item: WorkItem, **fields: Unpack[EvaluationFields]
) -> Evaluation:
    """Record (or correct) the evaluation of a work item (《168模式实施意见》§四(一)6); a new one
    takes the model's defaults for what is not given."""
    existing = Evaluation.objects.select_for_update().filter(work_item=work_item).first()
    if existing is None:
        return _create(
            actor=actor, obj=Evaluation(work_item=work_item, **fields), fields=EVALUATION_FIELDS
        )
    return _update(actor=actor, obj=existing, fields=dict(fields), audit_fields=EVALUATION_FIELDS)


@transaction.atomic
def evaluation_publish(*, actor: Actor, evaluation: Evaluation, published_on: date) -> Evaluation:
    """Publish the results (《168模式实施意见》§四(一)6: 将考评结果……公开栏公布)."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if published_on < evaluation.evaluated_on:
        raise ValidationError({"published_on": "公布日期不能早于考评日期"})
    return _update(
        actor=actor,
        obj=evaluation,
        fields={"published_on": published_on},
        audit_fields=["published_on"],
        action=AuditEvent.Action.STATUS,
    )
