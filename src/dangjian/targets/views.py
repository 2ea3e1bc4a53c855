"""Screens of target management and the six-step work method. Thin: scope, validate, call a
service, render."""

from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import access, documents
from dangjian.core.audit import events_for
from dangjian.core.export import xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_int, parse_year
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import ServiceFormView, editable_or_403, officer_required
from dangjian.org.models import Organisation
from dangjian.org.widgets import org_picker
from dangjian.targets import exports, forms, rules, selectors, services
from dangjian.targets.filters import TaskFilter, WorkItemFilter
from dangjian.targets.models import (
    AnnualPlan,
    AssigneeKind,
    Decision,
    Evaluation,
    LongTermGoal,
    Opinion,
    Role,
    Step,
    Task,
    WorkItem,
    WorkItemKind,
)

PAGE_SIZE = 50
ORG_FILTER_LIMIT = 300


def _year(value) -> int:
    return parse_year(value, timezone.localdate().year)


def _org_choices(user):
    return (
        Organisation.objects.visible_to(user)
        .active()
        .exclude(kind="group")
        .only("id", "name", "depth")[:ORG_FILTER_LIMIT]
    )


def _can_edit(model, user, pk) -> bool:
    return model.objects.editable_by(user).filter(pk=pk).exists()


def _item_crumbs(item):
    return [
        (reverse("targets:workitem_list") + f"?year={item.year}", "工作事项"),
        (reverse("targets:workitem_detail", args=[item.pk]), item.title),
    ]


# --- landing: annual plans and long-term goals ----------------------------------------------


@officer_required
@require_GET
def plan_list(request):
    user = request.user
    year = _year(request.GET.get("year"))
    plans = list(
        AnnualPlan.objects.visible_to(user)
        .filter(year=year)
        .select_related("organisation")
        .annotate(item_count=Count("work_items"))
        .order_by("organisation__path")
    )
    goals = list(
        LongTermGoal.objects.visible_to(user)
        .select_related("organisation")
        .order_by("achieved_on", "organisation__path", "-end_year", "id")[: PAGE_SIZE + 1]
    )
    today = timezone.localdate()
    task_counts = (
        Task.objects.visible_to(user)
        .filter(work_item__year=year)
        .aggregate(
            total=Count("id"),
            done=Count("id", filter=Q(completed_on__isnull=False)),
            overdue=Count("id", filter=Q(completed_on__isnull=True, deadline__lt=today)),
        )
    )
    item_count = WorkItem.objects.visible_to(user).filter(year=year).count()
    return render(
        request,
        "targets/plan_list.html",
        {
            "year": year,
            "plans": plans,
            "goals": goals[:PAGE_SIZE],
            "more_goals": len(goals) > PAGE_SIZE,
            "task_counts": task_counts,
            "item_count": item_count,
            "org_choices": _org_choices(user),
            "years": range(today.year + 1, today.year - 5, -1),
        },
    )


class _FormView(ServiceFormView):
    """A form page of target management: the row (`model`, editable: 404 out of scope, 403
    read-only) is loaded from the URL's pk; the page sits under 目标管理."""

    model: Any = None
    related: tuple[str, ...] = ()
    form_user_kwarg = False
    # The form is a ModelForm of the row itself (an edit page).
    edits_object = False

    def get_object(self) -> Any:
        if self.model is None:
            return None
        if not hasattr(self, "_row"):
            queryset = self.model.objects.select_related(*self.related)
            self._row = editable_or_403(queryset, self.request.user, self.kwargs["pk"])
        return self._row

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"data": self.request.POST or None}
        if self.multipart:
            kwargs["files"] = self.request.FILES or None
        if self.edits_object:
            kwargs["instance"] = self.object
        else:
            kwargs["initial"] = self.get_initial()
        if self.form_user_kwarg:
            kwargs["user"] = self.request.user
        return kwargs

    def page_crumbs(self) -> list[tuple[str, str]]:
        return []

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [(reverse("targets:plan_list"), "目标管理"), *self.page_crumbs()]


def _org_initial(request, initial: dict[str, Any]) -> dict[str, Any]:
    """The organisation chosen on the page the user came from (?org=)."""
    org = parse_int(request.GET.get("org"), low=1)
    return {**initial, "organisation": org} if org else initial


class PlanCreate(_FormView):
    form_class = forms.PlanForm
    form_user_kwarg = True
    title = "新建年度计划"
    success_message = "已新建年度计划。"
    help_text = (
        "每个党组织每年确定一个争创主题，做好一项特色工作，开展一次理论调研，"
        "做到年年有主题、年年有特色、年年有推动。"
    )

    def get_initial(self) -> dict[str, Any]:
        return _org_initial(self.request, {"year": timezone.localdate().year})

    def perform(self, data: dict[str, Any]) -> AnnualPlan:
        return services.plan_create(actor=self.request.user, **data)

    def get_success_url(self, result: AnnualPlan) -> str:
        return reverse("targets:plan_detail", args=[result.pk])


@officer_required
@require_GET
def plan_detail(request, pk):
    plan = get_for_user(AnnualPlan.objects.select_related("organisation"), request.user, pk=pk)
    items = list(
        plan.work_items.select_related("organisation")
        .annotate(task_count=Count("tasks"))
        .order_by("id")
    )
    return render(
        request,
        "targets/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "can_edit": _can_edit(AnnualPlan, request.user, pk),
            "events": events_for(plan),
        },
    )


class PlanEdit(_FormView):
    model = AnnualPlan
    related = ("organisation",)
    form_class = forms.PlanForm
    form_user_kwarg = True
    edits_object = True

    def get_title(self) -> str:
        return f"编辑年度计划：{self.object.organisation.name} {self.object.year}年度"

    def page_crumbs(self) -> list[tuple[str, str]]:
        plan = self.object
        label = f"{plan.organisation.name} {plan.year}年度计划"
        return [(reverse("targets:plan_detail", args=[plan.pk]), label)]

    def perform(self, data: dict[str, Any]) -> AnnualPlan:
        return services.plan_update(actor=self.request.user, plan=self.object, **data)

    def get_success_url(self, result: AnnualPlan) -> str:
        return reverse("targets:plan_detail", args=[result.pk])


# --- long-term goals -------------------------------------------------------------------------


@officer_required
@require_GET
def goal_list(request):
    qs = LongTermGoal.objects.visible_to(request.user).select_related("organisation")
    page = request_page(request, qs, order=("id",), size=PAGE_SIZE)
    return render(
        request,
        "targets/goal_list.html",
        {"page": page, "base_query": "", "total": qs.count()},
    )


class _GoalFormView(_FormView):
    model = LongTermGoal
    related = ("organisation",)

    def page_crumbs(self) -> list[tuple[str, str]]:
        return [(reverse("targets:goal_list"), "长期目标")]

    def get_success_url(self, result: Any) -> str:
        return reverse("targets:goal_list")


class GoalCreate(_GoalFormView):
    model = None
    form_class = forms.GoalForm
    form_user_kwarg = True
    title = "新建长期目标"
    success_message = "已新建长期目标。"
    help_text = (
        "长期目标：在3—5年内争创上一级荣誉（县（区）级→市级→省级→中央级）。"
        "党组织争创“先进基层党组织”；学校争创文明学校、示范性学校、绿色学校、平安校园等。"
    )

    def get_initial(self) -> dict[str, Any]:
        year = timezone.localdate().year
        return _org_initial(self.request, {"start_year": year, "end_year": year + 3})

    def perform(self, data: dict[str, Any]) -> LongTermGoal:
        return services.goal_create(actor=self.request.user, **data)


class GoalEdit(_GoalFormView):
    form_class = forms.GoalForm
    form_user_kwarg = True
    edits_object = True

    def get_title(self) -> str:
        return f"编辑长期目标：{self.object.organisation.name}"

    def perform(self, data: dict[str, Any]) -> LongTermGoal:
        return services.goal_update(actor=self.request.user, goal=self.object, **data)


class GoalAchieve(_GoalFormView):
    form_class = forms.AchieveForm
    success_message = "已标记为实现。"

    def get_title(self) -> str:
        return f"标记实现：{self.object}"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(
            help=f"{self.object.organisation.name}：{self.object}。", **context
        )

    def get_initial(self) -> dict[str, Any]:
        return {"achieved_on": timezone.localdate()}

    def perform(self, data: dict[str, Any]) -> LongTermGoal:
        return services.goal_mark_achieved(actor=self.request.user, goal=self.object, **data)


class GoalDelete(_GoalFormView):
    form_class = django_forms.Form
    title = "删除长期目标"
    success_message = "已删除长期目标。"
    submit_label = "确认删除"
    danger = True

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        goal = self.object
        help_text = f"确定删除 {goal.organisation.name} 的长期目标“{goal}”吗？删除记入操作记录。"
        return super().get_context_data(help=help_text, **context)

    def perform(self, data: dict[str, Any]) -> None:
        services.goal_delete(actor=self.request.user, goal=self.object)


# --- work items ------------------------------------------------------------------------------


@officer_required
@require_GET
def workitem_list(request):
    filters = WorkItemFilter.for_page(request, selectors.workitems(request.user))
    page = request_page(request, filters.qs, order=("id",), size=PAGE_SIZE)
    org = filters.organisation()
    return render(
        request,
        "targets/workitem_list.html",
        {
            "page": page,
            "params": filters.active,
            "org": org,
            "base_query": filters.querystring(),
            "kinds": WorkItemKind.choices,
            "steps": Step.choices,
            "org_picker": org_picker("org", org),
            "total": filters.qs.count(),
        },
    )


class WorkItemCreate(_FormView):
    form_class = forms.WorkItemForm
    form_user_kwarg = True
    title = "新建工作事项"
    success_message = "已新建工作事项，请从第一步“征求意见”开始。"
    help_text = (
        "每年的工作计划和重大项目、重大活动，按“六步工作法”推进：征求意见、议事决策、"
        "任务分解、公开承诺、组织实施、考评奖惩。"
    )

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"year": timezone.localdate().year}
        plan_pk = parse_int(self.request.GET.get("plan"), low=1)
        plans = AnnualPlan.objects.editable_by(self.request.user)
        plan = plans.filter(pk=plan_pk).first() if plan_pk else None
        if plan:
            initial.update(
                {"plan": plan.pk, "organisation": plan.organisation_id, "year": plan.year}
            )
        return initial

    def page_crumbs(self) -> list[tuple[str, str]]:
        return [(reverse("targets:workitem_list"), "工作事项")]

    def perform(self, data: dict[str, Any]) -> WorkItem:
        return services.workitem_create(actor=self.request.user, **data)

    def get_success_url(self, result: WorkItem) -> str:
        return reverse("targets:workitem_detail", args=[result.pk])


class WorkItemEdit(_FormView):
    model = WorkItem
    related = ("organisation",)
    form_class = forms.WorkItemForm
    form_user_kwarg = True
    edits_object = True

    def get_title(self) -> str:
        return f"编辑工作事项：{self.object.title}"

    def page_crumbs(self) -> list[tuple[str, str]]:
        return _item_crumbs(self.object)

    def perform(self, data: dict[str, Any]) -> WorkItem:
        return services.workitem_update(actor=self.request.user, item=self.object, **data)

    def get_success_url(self, result: WorkItem) -> str:
        return reverse("targets:workitem_detail", args=[result.pk])


@officer_required
@require_GET
def workitem_detail(request, pk):
    item = get_for_user(
        WorkItem.objects.select_related("organisation", "plan"), request.user, pk=pk
    )
    tasks = selectors.with_status(
        list(
            item.tasks.select_related(*selectors.TASK_RELATIONS)
            .annotate(update_count=Count("updates"))
            .order_by("deadline", "id")
        )
    )
    evaluation = Evaluation.objects.filter(work_item=item).first()
    facts = selectors.step_facts(item)
    missing = rules.step_missing(item.step, facts) if item.step < Step.DONE else []
    return render(
        request,
        "targets/workitem_detail.html",
        {
            "item": item,
            "stepper": rules.step_states(item.step),
            "is_done": item.step >= Step.DONE,
            "current_name": rules.STEP_NAMES.get(item.step, ""),
            "missing": missing,
            "opinions": item.opinions.select_related("suggestion").order_by("-received_on", "-id"),
            "decisions": item.decisions.order_by("held_on", "id"),
            "tasks": tasks,
            "evaluation": evaluation,
            "can_edit": _can_edit(WorkItem, request.user, pk),
            "events": selectors.workitem_events(item),
        },
    )


@officer_required
@require_POST
def workitem_close_step(request, pk):
    item = editable_or_403(WorkItem.objects, request.user, pk)
    name = rules.STEP_NAMES.get(item.step, "")
    try:
        item = services.workitem_close_step(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, f"不能完成“{name}”步骤：" + "；".join(exc.messages))
        return redirect("targets:workitem_detail", pk)
    if item.step >= Step.DONE:
        messages.success(request, "已完成“考评奖惩”，六个步骤全部完成。")
    else:
        messages.success(
            request, f"已完成“{name}”，进入第{item.step}步“{rules.STEP_NAMES[item.step]}”。"
        )
    return redirect("targets:workitem_detail", pk)


# --- records of the six steps ----------------------------------------------------------------


class _StepFormView(_FormView):
    """A record of one of the six steps: under its work item, back to the step's place on the
    work item's page (`anchor`)."""

    anchor = ""

    def work_item(self) -> WorkItem:
        return self.object if isinstance(self.object, WorkItem) else self.object.work_item

    def page_crumbs(self) -> list[tuple[str, str]]:
        return _item_crumbs(self.work_item())

    def step_url(self) -> str:
        return reverse("targets:workitem_detail", args=[self.work_item().pk]) + f"#{self.anchor}"

    def get_cancel_url(self) -> str:
        return self.step_url()

    def get_success_url(self, result: Any) -> str:
        return self.step_url()


class OpinionCreate(_StepFormView):
    model = WorkItem
    form_class = forms.OpinionForm
    anchor = "step-1"
    success_message = "已登记意见。"

    def get_title(self) -> str:
        return f"登记意见：{self.object.title}"

    def get_initial(self) -> dict[str, Any]:
        return {"received_on": timezone.localdate()}

    def perform(self, data: dict[str, Any]) -> Opinion:
        return services.opinion_create(actor=self.request.user, work_item=self.object, **data)


class OpinionEdit(_StepFormView):
    model = Opinion
    related = ("work_item",)
    form_class = forms.OpinionForm
    edits_object = True
    anchor = "step-1"
    title = "处理意见（答复、采纳或修改）"
    success_message = "已保存意见的处理情况。"

    def perform(self, data: dict[str, Any]) -> Opinion:
        return services.opinion_update(actor=self.request.user, opinion=self.object, **data)


class DecisionCreate(_StepFormView):
    model = WorkItem
    form_class = forms.DecisionForm
    anchor = "step-2"
    success_message = "已登记议事决策。"
    help_text = (
        "重要事项和涉及群众切身利益的问题，贯彻民主集中制原则；"
        "重要的决策要召开党政联席会议讨论，并视情吸收有关方面的代表参加。"
    )

    def get_title(self) -> str:
        return f"登记议事决策：{self.object.title}"

    def get_initial(self) -> dict[str, Any]:
        return {"held_on": timezone.localdate()}

    def perform(self, data: dict[str, Any]) -> Decision:
        return services.decision_create(actor=self.request.user, work_item=self.object, **data)


class DecisionEdit(_StepFormView):
    model = Decision
    related = ("work_item",)
    form_class = forms.DecisionForm
    edits_object = True
    anchor = "step-2"
    title = "编辑议事决策"

    def perform(self, data: dict[str, Any]) -> Decision:
        return services.decision_update(actor=self.request.user, decision=self.object, **data)


class TaskCreate(_StepFormView):
    model = WorkItem
    related = ("organisation",)
    form_class = forms.TaskForm
    form_user_kwarg = True
    anchor = "step-3"
    success_message = "已分解任务。"
    help_text = (
        "将任务分解到党组织、处室、学院、年段、班级、工会、团委或个人，"
        "责任到人，明确量化目标、具体措施、责任人和完成时限。"
    )

    def get_title(self) -> str:
        return f"分解任务：{self.object.title}"

    def get_initial(self) -> dict[str, Any]:
        return {"assignee_kind": AssigneeKind.ORGANISATION}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "work_item": self.object}

    def perform(self, data: dict[str, Any]) -> Task:
        return services.task_create(actor=self.request.user, work_item=self.object, **data)


class TaskEdit(_StepFormView):
    model = Task
    related = ("work_item__organisation",)
    form_class = forms.TaskForm
    form_user_kwarg = True
    edits_object = True
    anchor = "step-3"

    def get_title(self) -> str:
        return f"编辑任务：{self.object.title}"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "work_item": self.object.work_item}

    def perform(self, data: dict[str, Any]) -> Task:
        return services.task_update(actor=self.request.user, task=self.object, **data)

    def get_success_url(self, result: Task) -> str:
        return reverse("targets:task_detail", args=[result.pk])


class TaskPublish(_StepFormView):
    model = Task
    related = ("work_item",)
    form_class = forms.PublishForm
    anchor = "step-4"
    success_message = "已公开承诺。"
    help_text = (
        "将任务分解的有关内容通过会议、校园网、宣传栏等方式公开，做出公开承诺，"
        "自觉接受广大师生员工的监督。"
    )

    def get_title(self) -> str:
        return f"公开承诺：{self.object.title}"

    def get_initial(self) -> dict[str, Any]:
        return {"commitment": self.object.commitment, "published_on": self.object.published_on}

    def perform(self, data: dict[str, Any]) -> Task:
        return services.task_publish(actor=self.request.user, task=self.object, **data)


class ProgressReport(_FormView):
    """进展: reported by the task's responsible person or an officer in scope."""

    form_class = forms.ProgressForm
    officers_only = False
    access_action = "targets.report_progress"
    multipart = True
    success_message = "已报告进展。"

    def get_object(self) -> Task:
        tasks = Task.objects.select_related(*selectors.TASK_RELATIONS)
        return get_for_user(tasks, self.request.user, pk=self.kwargs["pk"])

    def get_title(self) -> str:
        return f"报告进展：{self.object.title}"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        task = self.object
        help_text = (
            f"当前进度 {task.progress}%，完成时限 {task.deadline:%Y-%m-%d}。"
            "完成进度以最近一次报告为准，报告100%即为完成。"
        )
        return super().get_context_data(help=help_text, **context)

    def page_crumbs(self) -> list[tuple[str, str]]:
        task, user = self.object, self.request.user
        detail = (reverse("targets:task_detail", args=[task.pk]), task.title)
        if scope_for(user).is_officer and _can_edit(Task, user, task.pk):
            return [*_item_crumbs(task.work_item), detail]
        return [(reverse("targets:my_tasks"), "我的任务"), detail]

    def perform(self, data: dict[str, Any]) -> Any:
        return services.progress_report(actor=self.request.user, task=self.object, **data)

    def get_success_url(self, result: Any) -> str:
        return reverse("targets:task_detail", args=[self.object.pk])


@login_required
@require_GET
def task_detail(request, pk):
    task = get_for_user(Task.objects.select_related(*selectors.TASK_RELATIONS), request.user, pk=pk)
    selectors.with_status([task])
    can_edit = _can_edit(Task, request.user, pk)
    return render(
        request,
        "targets/task_detail.html",
        {
            "task": task,
            "assignee": selectors.assignee_name(task),
            "updates": task.updates.select_related("reported_by__person"),
            "can_edit": can_edit,
            "can_report": access.can(request.user, "targets.report_progress", task),
            "is_officer_view": can_edit,
        },
    )


class _EvaluationFormView(_StepFormView):
    model = WorkItem
    anchor = "step-6"

    @cached_property
    def evaluation(self) -> Evaluation | None:
        return Evaluation.objects.filter(work_item=self.object).first()


class EvaluationEdit(_EvaluationFormView):
    form_class = forms.EvaluationForm
    success_message = "已登记考评结果。"
    help_text = (
        "制定具体考评细则，做到量化、可考可评；采取个人述岗自评、教职工民意测评、"
        "党组织综合评定相结合的方式。"
    )

    def get_title(self) -> str:
        return f"考评奖惩：{self.object.title}"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.evaluation
        if self.evaluation is None:
            kwargs["initial"] = {"evaluated_on": timezone.localdate()}
        return kwargs

    def perform(self, data: dict[str, Any]) -> Evaluation:
        return services.evaluation_save(actor=self.request.user, work_item=self.object, **data)


class EvaluationPublish(_EvaluationFormView):
    form_class = forms.EvaluationPublishForm
    success_message = "已公布考评结果。"
    help_text = (
        "将考评结果通过党员大会、教职工大会、校园网页、公开栏公布，"
        "作为评先评优、年终考核、绩效考评奖惩的依据。"
    )

    def get(self, request, *args, **kwargs):
        return self.without_evaluation() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.without_evaluation() or super().post(request, *args, **kwargs)

    def without_evaluation(self) -> HttpResponse | None:
        self.object = self.get_object()
        if self.evaluation is not None:
            return None
        messages.error(self.request, "请先登记考评结果，再公布。")
        return redirect(self.step_url())

    def get_title(self) -> str:
        return f"公布考评结果：{self.object.title}"

    def get_initial(self) -> dict[str, Any]:
        assert self.evaluation is not None
        return {"published_on": self.evaluation.published_on or timezone.localdate()}

    def perform(self, data: dict[str, Any]) -> Evaluation:
        assert self.evaluation is not None
        return services.evaluation_publish(
            actor=self.request.user, evaluation=self.evaluation, **data
        )


# --- task lists ------------------------------------------------------------------------------


@officer_required
@require_GET
def task_list(request):
    filters = TaskFilter.for_page(request, selectors.tasks(request.user))
    page = request_page(request, filters.qs, order=("deadline", "id"), size=PAGE_SIZE)
    selectors.with_status(page.rows)
    for task in page.rows:
        task.assignee_name = selectors.assignee_name(task)
    org = filters.organisation()
    return render(
        request,
        "targets/task_list.html",
        {
            "page": page,
            "params": filters.active,
            "org": org,
            "base_query": filters.querystring(),
            "roles": Role.choices,
            "assignee_kinds": AssigneeKind.choices,
            "statuses": selectors.TASK_STATUSES,
            "org_picker": org_picker("org", org),
            "total": filters.qs.count(),
        },
    )


@officer_required
@require_GET
def task_export(request):
    qs = TaskFilter.for_page(request, selectors.tasks(request.user)).qs.order_by("deadline", "id")
    today = timezone.localdate()

    rows = (exports.task_row(task, today) for task in qs.iterator(chunk_size=500))
    content = xlsx_table(
        sheet="分解任务",
        headers=exports.TASK_HEADERS,
        rows=rows,
        title="分解任务一览表",
        widths=exports.TASK_WIDTHS,
    )
    return xlsx_response(request, content, f"分解任务_{today:%Y%m%d}.xlsx")


@login_required
@require_GET
def my_tasks(request):
    person_id = scope_for(request.user).person_id
    tasks = []
    if person_id:
        qs = Task.objects.filter(responsible_id=person_id).select_related(*selectors.TASK_RELATIONS)
        status = request.GET.get("status", "")
        qs = selectors.filter_by_status(qs, status)
        tasks = selectors.with_status(list(qs.order_by("completed_on", "deadline", "id")[:200]))
        for task in tasks:
            task.assignee_name = selectors.assignee_name(task)
    return render(
        request,
        "targets/my_tasks.html",
        {
            "tasks": tasks,
            "status": request.GET.get("status", ""),
            "statuses": selectors.TASK_STATUSES,
            "has_person": bool(person_id),
        },
    )


# --- printing: responsibility letters and annex 1 --------------------------------------------


def _org_year(request):
    org = get_for_user(Organisation.objects, request.user, pk=request.GET.get("org") or None)
    return org, _year(request.GET.get("year"))


@officer_required
@require_GET
def workitem_letters(request, pk):
    item = get_for_user(WorkItem.objects.select_related("organisation"), request.user, pk=pk)
    tasks = selectors.with_status(
        list(item.tasks.select_related(*selectors.TASK_RELATIONS).order_by("deadline", "id"))
    )
    return render(
        request,
        "targets/letters_print.html",
        {
            "organisation": item.organisation,
            "year": item.year,
            "letters": selectors.letters_by_assignee(tasks),
            "subject": item.title,
            "back_url": reverse("targets:workitem_detail", args=[item.pk]),
        },
    )


@officer_required
@require_GET
def org_letters(request):
    org, year = _org_year(request)
    tasks = selectors.annex_tasks(org, year)
    return render(
        request,
        "targets/letters_print.html",
        {
            "organisation": org,
            "year": year,
            "letters": selectors.letters_by_assignee(tasks),
            "subject": "",
            "back_url": reverse("targets:plan_list") + f"?year={year}",
        },
    )


def _annex1_title(org, year) -> str:
    return f"{org.name}实行“168”机制{year}年度工作目标分解表"


@officer_required
@require_GET
def annex1(request, fmt="html"):
    org, year = _org_year(request)
    tasks = selectors.annex_tasks(org, year)
    rows = exports.annex1_rows(tasks)
    # Rows of one work item share its cell (rowspan), as on the paper form.
    groups: list[dict] = []
    for task, row in zip(tasks, rows, strict=True):
        if groups and groups[-1]["item_id"] == task.work_item_id:
            groups[-1]["rows"].append(row)
        else:
            groups.append({"item_id": task.work_item_id, "title": row[1], "rows": [row]})
    return documents.respond(
        request,
        "targets/annex1_print.html",
        {
            "organisation": org,
            "year": year,
            "title": _annex1_title(org, year),
            "groups": groups,
            "headers": exports.ANNEX1_HEADERS,
            "query": urlencode({"org": org.pk, "year": year}),
        },
        fmt=fmt,
        filename=_annex1_title(org, year),
        job=True,
    )


@officer_required
@require_GET
def annex1_export(request):
    org, year = _org_year(request)
    tasks = selectors.annex_tasks(org, year)
    content = xlsx_table(
        sheet="年度工作目标分解表",
        headers=exports.ANNEX1_HEADERS,
        rows=exports.annex1_rows(tasks),
        title=_annex1_title(org, year),
        widths=exports.ANNEX1_WIDTHS,
    )
    return xlsx_response(request, content, f"{org.name}{year}年度工作目标分解表.xlsx")
