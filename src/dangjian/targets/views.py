"""Screens of target management and the six-step work method. Thin: scope, validate, call a
service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import editable_or_403, officer_required, submit
from dangjian.org.models import Organisation
from dangjian.targets import forms, rules, selectors, services
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
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if forms.YEAR_MIN <= year <= forms.YEAR_MAX else timezone.localdate().year


def _org_choices(user):
    return (
        Organisation.objects.visible_to(user)
        .active()
        .exclude(kind="group")
        .only("id", "name", "depth")[:ORG_FILTER_LIMIT]
    )


def _can_edit(model, user, pk) -> bool:
    return model.objects.editable_by(user).filter(pk=pk).exists()


def _form_page(
    request, form, *, title, crumbs, cancel, help_text="", danger=False, multipart=False
):
    return render(
        request,
        "targets/form.html",
        {
            "form": form,
            "title": title,
            "crumbs": crumbs,
            "cancel": cancel,
            "help": help_text,
            "danger": danger,
            "multipart": multipart,
        },
    )


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


@officer_required
def plan_create(request):
    initial = {"year": timezone.localdate().year}
    if request.GET.get("org", "").isdigit():
        initial["organisation"] = int(request.GET["org"])
    form = forms.PlanForm(request.POST or None, user=request.user, initial=initial)
    plan = submit(
        request,
        form,
        lambda d: services.plan_create(actor=request.user, **d),
        "已新建年度计划。",
    )
    if plan:
        return redirect("targets:plan_detail", plan.pk)
    return _form_page(
        request,
        form,
        title="新建年度计划",
        crumbs=[],
        cancel=reverse("targets:plan_list"),
        help_text="每个党组织每年确定一个争创主题，做好一项特色工作，开展一次理论调研，"
        "做到年年有主题、年年有特色、年年有推动。",
    )


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


@officer_required
def plan_edit(request, pk):
    plan = editable_or_403(AnnualPlan.objects.select_related("organisation"), request.user, pk)
    form = forms.PlanForm(request.POST or None, instance=plan, user=request.user)
    if submit(
        request,
        form,
        lambda d: services.plan_update(actor=request.user, plan=plan, **d),
        "已保存。",
    ):
        return redirect("targets:plan_detail", plan.pk)
    return _form_page(
        request,
        form,
        title=f"编辑年度计划：{plan.organisation.name} {plan.year}年度",
        crumbs=[
            (
                reverse("targets:plan_detail", args=[plan.pk]),
                f"{plan.organisation.name} {plan.year}年度计划",
            )
        ],
        cancel=reverse("targets:plan_detail", args=[plan.pk]),
    )


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


@officer_required
def goal_create(request):
    initial = {"start_year": timezone.localdate().year, "end_year": timezone.localdate().year + 3}
    if request.GET.get("org", "").isdigit():
        initial["organisation"] = int(request.GET["org"])
    form = forms.GoalForm(request.POST or None, user=request.user, initial=initial)
    if submit(
        request,
        form,
        lambda d: services.goal_create(actor=request.user, **d),
        "已新建长期目标。",
    ):
        return redirect("targets:goal_list")
    return _form_page(
        request,
        form,
        title="新建长期目标",
        crumbs=[(reverse("targets:goal_list"), "长期目标")],
        cancel=reverse("targets:goal_list"),
        help_text="长期目标：在3—5年内争创上一级荣誉（县（区）级→市级→省级→中央级）。"
        "党组织争创“先进基层党组织”；学校争创文明学校、示范性学校、绿色学校、平安校园等。",
    )


@officer_required
def goal_edit(request, pk):
    goal = editable_or_403(LongTermGoal.objects.select_related("organisation"), request.user, pk)
    form = forms.GoalForm(request.POST or None, instance=goal, user=request.user)
    if submit(
        request,
        form,
        lambda d: services.goal_update(actor=request.user, goal=goal, **d),
        "已保存。",
    ):
        return redirect("targets:goal_list")
    return _form_page(
        request,
        form,
        title=f"编辑长期目标：{goal.organisation.name}",
        crumbs=[(reverse("targets:goal_list"), "长期目标")],
        cancel=reverse("targets:goal_list"),
    )


@officer_required
def goal_achieve(request, pk):
    goal = editable_or_403(LongTermGoal.objects.select_related("organisation"), request.user, pk)
    form = forms.AchieveForm(request.POST or None, initial={"achieved_on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda d: services.goal_mark_achieved(actor=request.user, goal=goal, **d),
        "已标记为实现。",
    ):
        return redirect("targets:goal_list")
    return _form_page(
        request,
        form,
        title=f"标记实现：{goal}",
        crumbs=[(reverse("targets:goal_list"), "长期目标")],
        cancel=reverse("targets:goal_list"),
        help_text=f"{goal.organisation.name}：{goal}。",
    )


@officer_required
def goal_delete(request, pk):
    goal = editable_or_403(LongTermGoal.objects.select_related("organisation"), request.user, pk)
    if request.method == "POST":
        services.goal_delete(actor=request.user, goal=goal)
        messages.success(request, "已删除长期目标。")
        return redirect("targets:goal_list")
    return render(request, "targets/goal_delete.html", {"goal": goal})


# --- work items ------------------------------------------------------------------------------


@officer_required
@require_GET
def workitem_list(request):
    qs, params, org = selectors.workitems_for_list(request.user, request.GET)
    page = request_page(request, qs, order=("id",), size=PAGE_SIZE)
    return render(
        request,
        "targets/workitem_list.html",
        {
            "page": page,
            "params": params,
            "org": org,
            "base_query": urlencode(params),
            "kinds": WorkItemKind.choices,
            "steps": Step.choices,
            "org_choices": _org_choices(request.user),
            "total": qs.count(),
        },
    )


@officer_required
def workitem_create(request):
    initial = {"year": timezone.localdate().year}
    plan_pk = request.GET.get("plan", "")
    if plan_pk.isdigit():
        plan = AnnualPlan.objects.editable_by(request.user).filter(pk=plan_pk).first()
        if plan:
            initial.update(
                {"plan": plan.pk, "organisation": plan.organisation_id, "year": plan.year}
            )
    form = forms.WorkItemForm(request.POST or None, user=request.user, initial=initial)
    item = submit(
        request,
        form,
        lambda d: services.workitem_create(actor=request.user, **d),
        "已新建工作事项，请从第一步“征求意见”开始。",
    )
    if item:
        return redirect("targets:workitem_detail", item.pk)
    return _form_page(
        request,
        form,
        title="新建工作事项",
        crumbs=[(reverse("targets:workitem_list"), "工作事项")],
        cancel=reverse("targets:workitem_list"),
        help_text="每年的工作计划和重大项目、重大活动，按“六步工作法”推进：征求意见、议事决策、"
        "任务分解、公开承诺、组织实施、考评奖惩。",
    )


@officer_required
def workitem_edit(request, pk):
    item = editable_or_403(WorkItem.objects.select_related("organisation"), request.user, pk)
    form = forms.WorkItemForm(request.POST or None, instance=item, user=request.user)
    if submit(
        request,
        form,
        lambda d: services.workitem_update(actor=request.user, item=item, **d),
        "已保存。",
    ):
        return redirect("targets:workitem_detail", item.pk)
    return _form_page(
        request,
        form,
        title=f"编辑工作事项：{item.title}",
        crumbs=_item_crumbs(item),
        cancel=reverse("targets:workitem_detail", args=[item.pk]),
    )


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


def _record_page(request, item, form, title, anchor, multipart=False, help_text=""):
    return _form_page(
        request,
        form,
        title=title,
        crumbs=_item_crumbs(item),
        cancel=reverse("targets:workitem_detail", args=[item.pk]) + f"#{anchor}",
        multipart=multipart,
        help_text=help_text,
    )


def _back(item, anchor):
    return redirect(reverse("targets:workitem_detail", args=[item.pk]) + f"#{anchor}")


@officer_required
def opinion_create(request, pk):
    item = editable_or_403(WorkItem.objects, request.user, pk)
    form = forms.OpinionForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda d: services.opinion_create(actor=request.user, work_item=item, **d),
        "已登记意见。",
    ):
        return _back(item, "step-1")
    return _record_page(request, item, form, f"登记意见：{item.title}", "step-1")


@officer_required
def opinion_edit(request, pk):
    opinion = editable_or_403(Opinion.objects.select_related("work_item"), request.user, pk)
    form = forms.OpinionForm(request.POST or None, instance=opinion)
    if submit(
        request,
        form,
        lambda d: services.opinion_update(actor=request.user, opinion=opinion, **d),
        "已保存意见的处理情况。",
    ):
        return _back(opinion.work_item, "step-1")
    return _record_page(request, opinion.work_item, form, "处理意见（答复、采纳或修改）", "step-1")


@officer_required
def decision_create(request, pk):
    item = editable_or_403(WorkItem.objects, request.user, pk)
    form = forms.DecisionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda d: services.decision_create(actor=request.user, work_item=item, **d),
        "已登记议事决策。",
    ):
        return _back(item, "step-2")
    return _record_page(
        request,
        item,
        form,
        f"登记议事决策：{item.title}",
        "step-2",
        help_text="重要事项和涉及群众切身利益的问题，贯彻民主集中制原则；"
        "重要的决策要召开党政联席会议讨论，并视情吸收有关方面的代表参加。",
    )


@officer_required
def decision_edit(request, pk):
    decision = editable_or_403(Decision.objects.select_related("work_item"), request.user, pk)
    form = forms.DecisionForm(request.POST or None, instance=decision)
    if submit(
        request,
        form,
        lambda d: services.decision_update(actor=request.user, decision=decision, **d),
        "已保存。",
    ):
        return _back(decision.work_item, "step-2")
    return _record_page(request, decision.work_item, form, "编辑议事决策", "step-2")


@officer_required
def task_create(request, pk):
    item = editable_or_403(WorkItem.objects.select_related("organisation"), request.user, pk)
    form = forms.TaskForm(
        request.POST or None,
        user=request.user,
        work_item=item,
        initial={"assignee_kind": AssigneeKind.ORGANISATION},
    )
    if submit(
        request,
        form,
        lambda d: services.task_create(actor=request.user, work_item=item, **d),
        "已分解任务。",
    ):
        return _back(item, "step-3")
    return _record_page(
        request,
        item,
        form,
        f"分解任务：{item.title}",
        "step-3",
        help_text="将任务分解到党组织、处室、学院、年段、班级、工会、团委或个人，"
        "责任到人，明确量化目标、具体措施、责任人和完成时限。",
    )


@officer_required
def task_edit(request, pk):
    task = editable_or_403(Task.objects.select_related("work_item__organisation"), request.user, pk)
    form = forms.TaskForm(
        request.POST or None, instance=task, user=request.user, work_item=task.work_item
    )
    if submit(
        request,
        form,
        lambda d: services.task_update(actor=request.user, task=task, **d),
        "已保存。",
    ):
        return redirect("targets:task_detail", task.pk)
    return _record_page(request, task.work_item, form, f"编辑任务：{task.title}", "step-3")


@officer_required
def task_publish(request, pk):
    task = editable_or_403(Task.objects.select_related("work_item"), request.user, pk)
    form = forms.PublishForm(
        request.POST or None,
        initial={"commitment": task.commitment, "published_on": task.published_on},
    )
    if submit(
        request,
        form,
        lambda d: services.task_publish(actor=request.user, task=task, **d),
        "已公开承诺。",
    ):
        return _back(task.work_item, "step-4")
    return _record_page(
        request,
        task.work_item,
        form,
        f"公开承诺：{task.title}",
        "step-4",
        help_text="将任务分解的有关内容通过会议、校园网、宣传栏等方式公开，做出公开承诺，"
        "自觉接受广大师生员工的监督。",
    )


def _task_for_report(user, pk):
    """A task whose progress the user may report: officers in scope and the responsible
    person (a member reports on their own tasks)."""
    task = get_for_user(Task.objects.select_related(*selectors.TASK_RELATIONS), user, pk=pk)
    access.require(user, "targets.report_progress", task)
    return task


@login_required
def task_progress(request, pk):
    task = _task_for_report(request.user, pk)
    form = forms.ProgressForm(request.POST or None, request.FILES or None)
    if submit(
        request,
        form,
        lambda d: services.progress_report(actor=request.user, task=task, **d),
        "已报告进展。",
    ):
        return redirect("targets:task_detail", task.pk)
    return _form_page(
        request,
        form,
        title=f"报告进展：{task.title}",
        crumbs=_task_crumbs(request.user, task),
        cancel=reverse("targets:task_detail", args=[task.pk]),
        multipart=True,
        help_text=f"当前进度 {task.progress}%，完成时限 {task.deadline:%Y-%m-%d}。"
        "完成进度以最近一次报告为准，报告100%即为完成。",
    )


def _task_crumbs(user, task):
    if scope_for(user).is_officer and _can_edit(Task, user, task.pk):
        return [
            *_item_crumbs(task.work_item),
            (reverse("targets:task_detail", args=[task.pk]), task.title),
        ]
    return [
        (reverse("targets:my_tasks"), "我的任务"),
        (reverse("targets:task_detail", args=[task.pk]), task.title),
    ]


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


@officer_required
def evaluation_edit(request, pk):
    item = editable_or_403(WorkItem.objects, request.user, pk)
    evaluation = Evaluation.objects.filter(work_item=item).first()
    initial = {} if evaluation else {"evaluated_on": timezone.localdate()}
    form = forms.EvaluationForm(request.POST or None, instance=evaluation, initial=initial)
    if submit(
        request,
        form,
        lambda d: services.evaluation_save(actor=request.user, work_item=item, **d),
        "已登记考评结果。",
    ):
        return _back(item, "step-6")
    return _record_page(
        request,
        item,
        form,
        f"考评奖惩：{item.title}",
        "step-6",
        help_text="制定具体考评细则，做到量化、可考可评；采取个人述岗自评、教职工民意测评、"
        "党组织综合评定相结合的方式。",
    )


@officer_required
def evaluation_publish(request, pk):
    item = editable_or_403(WorkItem.objects, request.user, pk)
    evaluation = Evaluation.objects.filter(work_item=item).first()
    if evaluation is None:
        messages.error(request, "请先登记考评结果，再公布。")
        return _back(item, "step-6")
    form = forms.EvaluationPublishForm(
        request.POST or None,
        initial={"published_on": evaluation.published_on or timezone.localdate()},
    )
    if submit(
        request,
        form,
        lambda d: services.evaluation_publish(actor=request.user, evaluation=evaluation, **d),
        "已公布考评结果。",
    ):
        return _back(item, "step-6")
    return _record_page(
        request,
        item,
        form,
        f"公布考评结果：{item.title}",
        "step-6",
        help_text="将考评结果通过党员大会、教职工大会、校园网页、公开栏公布，"
        "作为评先评优、年终考核、绩效考评奖惩的依据。",
    )


# --- task lists ------------------------------------------------------------------------------

TASK_EXPORT_HEADERS = [
    "年度",
    "党组织",
    "工作事项",
    "任务（项目）",
    "量化目标",
    "承担方类别",
    "承担单位（个人）",
    "责任人",
    "完成时限",
    "发挥作用",
    "完成进度",
    "完成日期",
    "状态",
]
STATUS_LABELS = {
    rules.STATUS_OPEN: "进行中",
    rules.STATUS_OVERDUE: "已逾期",
    rules.STATUS_DONE: "已完成",
}


@officer_required
@require_GET
def task_list(request):
    filters = selectors.task_filters(request.user, request.GET)
    qs = selectors.tasks_for_list(request.user, filters)
    page = request_page(request, qs, order=("deadline", "id"), size=PAGE_SIZE)
    selectors.with_status(page.rows)
    for task in page.rows:
        task.assignee_name = selectors.assignee_name(task)
    return render(
        request,
        "targets/task_list.html",
        {
            "page": page,
            "filters": filters,
            "params": filters.params,
            "base_query": urlencode(filters.params),
            "roles": Role.choices,
            "assignee_kinds": AssigneeKind.choices,
            "statuses": selectors.TASK_STATUSES,
            "org_choices": _org_choices(request.user),
            "total": qs.count(),
        },
    )


@officer_required
@require_GET
def task_export(request):
    filters = selectors.task_filters(request.user, request.GET)
    qs = selectors.tasks_for_list(request.user, filters).order_by("deadline", "id")
    today = timezone.localdate()

    def rows():
        for task in qs.iterator(chunk_size=500):
            status = rules.task_status(task.deadline, task.completed_on, today)
            yield [
                task.work_item.year,
                task.work_item.organisation.name,
                task.work_item.title,
                task.title,
                task.target,
                task.get_assignee_kind_display(),
                selectors.assignee_name(task),
                task.responsible.name,
                task.deadline,
                task.get_role_display(),
                f"{task.progress}%",
                task.completed_on,
                STATUS_LABELS[status],
            ]

    content = xlsx_table(
        sheet="分解任务",
        headers=TASK_EXPORT_HEADERS,
        rows=rows(),
        title="分解任务一览表",
        widths=[8, 20, 24, 24, 28, 12, 20, 10, 12, 24, 10, 12, 10],
    )
    return xlsx_response(content, f"分解任务_{today:%Y%m%d}.xlsx")


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
def annex1(request):
    org, year = _org_year(request)
    tasks = selectors.annex_tasks(org, year)
    rows = selectors.annex1_rows(tasks)
    # Rows of one work item share its cell (rowspan), as on the paper form.
    groups: list[dict] = []
    for task, row in zip(tasks, rows, strict=True):
        if groups and groups[-1]["item_id"] == task.work_item_id:
            groups[-1]["rows"].append(row)
        else:
            groups.append({"item_id": task.work_item_id, "title": row[1], "rows": [row]})
    return render(
        request,
        "targets/annex1_print.html",
        {
            "organisation": org,
            "year": year,
            "title": _annex1_title(org, year),
            "groups": groups,
            "headers": selectors.ANNEX1_HEADERS,
            "query": urlencode({"org": org.pk, "year": year}),
        },
    )


@officer_required
@require_GET
def annex1_export(request):
    org, year = _org_year(request)
    tasks = selectors.annex_tasks(org, year)
    content = xlsx_table(
        sheet="年度工作目标分解表",
        headers=selectors.ANNEX1_HEADERS,
        rows=selectors.annex1_rows(tasks),
        title=_annex1_title(org, year),
        widths=[6, 20, 22, 24, 30, 18, 10, 12, 24, 28, 10, 16],
    )
    return xlsx_response(content, f"{org.name}{year}年度工作目标分解表.xlsx")
