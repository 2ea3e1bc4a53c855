"""Screens of branch classification grading (分类定级) and rectification (整改),
《组织建设年实施方案》. Thin: scope, validate, call a service, render."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.branches import charts, exports, filters, forms, rules, selectors, services
from dangjian.branches.models import (
    BranchGrading,
    Grade,
    GradingStandard,
    GradingState,
    GradingYear,
    ItemState,
    PlanState,
    RectificationItem,
    RectificationPlan,
    Round,
)
from dangjian.core import access, batch, documents
from dangjian.core.audit import events_for
from dangjian.core.export import xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_int
from dangjian.core.scoping import get_for_user
from dangjian.core.web import ServiceFormView, form_errors, officer_required, submit
from dangjian.org.models import Organisation, OrgKind

PAGE_SIZE = 50


def _run(request, call, message: str) -> bool:
    """Run a service from a button; a broken rule becomes an error message."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, form_errors(exc))
        return False
    messages.success(request, message)
    return True


def _year(request, pk) -> GradingYear:
    return get_for_user(GradingYear.objects.select_related("organisation"), request.user, pk=pk)


def _gb(request) -> Organisation | None:
    pk = parse_int(request.GET.get("gb"))
    if pk is None:
        return None
    org = Organisation.objects.visible_to(request.user).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


# --- grading years ---------------------------------------------------------------------------


@officer_required
@require_GET
def year_list(request):
    """年度分类定级: the years of the user's scope."""
    years = list(selectors.years_for(request.user).order_by("-year", "organisation__path"))
    return render(
        request,
        "branches/year_list.html",
        {"years": years, "can_create": access.can(request.user, "branches.set_up")},
    )


class YearCreate(ServiceFormView):
    """建立年度分类定级: the department, with the seed's dates unless others are given."""

    form_class = forms.GradingYearForm
    title = "建立年度分类定级"
    success_message = "已建立年度分类定级。"
    access_action = "branches.set_up"

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [(reverse("branches:year_list"), "党支部分类定级")]

    def perform(self, data: dict[str, Any]) -> GradingYear:
        return services.grading_year_create(actor=self.request.user, **data)

    def get_success_url(self, result: GradingYear) -> str:
        return reverse("branches:year_detail", args=[result.pk])


class YearEdit(YearCreate):
    success_message = "已保存。"

    def get_object(self) -> GradingYear:
        grading_year = _year(self.request, self.kwargs["pk"])
        access.require(self.request.user, "branches.edit_year", grading_year)
        return grading_year

    def get_title(self) -> str:
        return f"修改{self.object}"

    def get_crumbs(self) -> list[tuple[str, str]]:
        detail = reverse("branches:year_detail", args=[self.object.pk])
        return [*super().get_crumbs(), (detail, str(self.object))]

    def perform(self, data: dict[str, Any]) -> GradingYear:
        dates = {k: v for k, v in data.items() if k not in ("organisation", "year")}
        return services.grading_year_update(
            actor=self.request.user, grading_year=self.object, **dates
        )


@officer_required
@require_GET
def year_detail(request, pk):
    """The year: its timeline, the table of branches, the charts."""
    grading_year = _year(request, pk)
    today = timezone.localdate()
    qs, filters, round = selectors.year_filters(request.user, grading_year, request.GET)
    page = request_page(request, qs, order=("path", "id"), size=PAGE_SIZE)
    selectors.decorate_branches(page.rows, grading_year, today)
    dist = selectors.distribution(request.user, grading_year, round)
    prog = selectors.progress(request.user, grading_year, today)
    return render(
        request,
        "branches/year_detail.html",
        {
            "grading_year": grading_year,
            "status": selectors.year_status(request.user, grading_year, today),
            "page": page,
            "filters": filters,
            "round": round,
            "round_label": rules.ROUND_LABELS[round],
            "base_query": urlencode(filters),
            "gb_choices": selectors.general_branches(request.user, grading_year),
            "grades": Grade.choices,
            "rounds": Round.choices,
            "distribution": dist,
            "dist_totals": selectors.distribution_totals(dist),
            "progress": prog,
            "grade_chart": charts.grade_chart(dist),
            "grade_chart_height": charts.chart_height(dist),
            "progress_chart_height": charts.chart_height(prog),
            "progress_chart": charts.progress_chart(prog),
            "grade_labels": list(rules.GRADE_LABELS.values()),
            "can_edit": access.can(request.user, "branches.set_up")
            and access.can(request.user, "branches.edit_year", grading_year),
            "can_start": selectors.leads_branches(request.user),
            "regrade_open": today >= grading_year.regrading_from,
            "today": today,
        },
    )


@officer_required
@require_GET
def year_export(request, pk):
    grading_year = _year(request, pk)
    qs, _filters, _round = selectors.year_filters(request.user, grading_year, request.GET)

    content = xlsx_table(
        sheet="分类定级与整改",
        headers=exports.YEAR_HEADERS,
        rows=exports.year_rows(qs, grading_year),
        title=f"{grading_year.organisation.name}{grading_year}党支部分类定级与整改情况",
        widths=exports.YEAR_WIDTHS,
    )
    return xlsx_response(request, content, f"{grading_year.year}年党支部分类定级与整改情况.xlsx")


@officer_required
@require_POST
def year_start(request, pk):
    """The level above starts the survey of every branch below it."""
    grading_year = _year(request, pk)
    round = request.POST.get("round") or Round.INITIAL
    if round not in Round.values:
        round = Round.INITIAL
    try:
        n = services.grading_start_all(actor=request.user, grading_year=grading_year, round=round)
        if n:
            messages.success(request, f"已为{n}个党支部建立{rules.ROUND_LABELS[round]}调查摸底表。")
        else:
            messages.info(request, "没有需要新建调查摸底表的党支部。")
    except ValidationError as exc:
        messages.error(request, form_errors(exc))
    return redirect("branches:year_detail", pk=pk)


# --- annex 5: 党支部分类定级汇总表; annex 6: 党支部整改汇总表 ----------------------------


def _annex_context(request, grading_year):
    gb = _gb(request)
    query = {"gb": gb.pk} if gb else {}
    return gb, {
        "grading_year": grading_year,
        "gb": gb,
        "unit": gb.name if gb else grading_year.organisation.name,
        "query": urlencode(query),
        "gb_choices": selectors.general_branches(request.user, grading_year),
    }


@officer_required
@require_GET
def summary_print(request, pk, fmt="html"):
    grading_year = _year(request, pk)
    gb, context = _annex_context(request, grading_year)
    rows = selectors.summary_rows(request.user, grading_year, gb)
    context.update(rows=rows, counts=selectors.grade_counts(rows))
    name = f"{context['unit']}{grading_year.year}年党支部分类定级汇总表"
    return documents.respond(
        request, "branches/summary_print.html", context, fmt=fmt, filename=name, job=True
    )


@officer_required
@require_GET
def summary_xlsx(request, pk):
    grading_year = _year(request, pk)
    gb, context = _annex_context(request, grading_year)
    rows = selectors.summary_rows(request.user, grading_year, gb)
    keys = [
        "index",
        "group",
        "branch",
        "category",
        "members",
        "total",
        "initial",
        "regrade",
        "note",
    ]

    def lines():
        for r in rows:
            yield [float(r[k]) if k == "total" and r[k] is not None else r[k] for k in keys]
        yield []
        yield ["", "等级", "初定（个）", "复评（个）"]
        for c in selectors.grade_counts(rows):
            yield ["", c["label"], c["initial"], c["regrade"]]

    content = xlsx_table(
        sheet="党支部分类定级汇总表",
        headers=exports.SUMMARY_HEADERS,
        rows=lines(),
        title=f"{context['unit']}{grading_year.year}年党支部分类定级汇总表",
        widths=[6, 20, 26, 8, 8, 8, 10, 10, 24],
    )
    return xlsx_response(
        request, content, f"{context['unit']}{grading_year.year}年党支部分类定级汇总表.xlsx"
    )


@officer_required
@require_GET
def rectification_print(request, pk, fmt="html"):
    grading_year = _year(request, pk)
    gb, context = _annex_context(request, grading_year)
    context["rows"] = selectors.rectification_rows(request.user, grading_year, gb)
    name = f"{context['unit']}{grading_year.year}年党支部整改汇总表"
    return documents.respond(
        request, "branches/rectification_print.html", context, fmt=fmt, filename=name, job=True
    )


@officer_required
@require_GET
def rectification_xlsx(request, pk):
    grading_year = _year(request, pk)
    gb, context = _annex_context(request, grading_year)
    keys = [
        "index",
        "group",
        "branch",
        "grade",
        "problem",
        "measures",
        "responsible",
        "deadline",
        "completion",
    ]
    rows = (
        [r[k] for k in keys] for r in selectors.rectification_rows(request.user, grading_year, gb)
    )
    content = xlsx_table(
        sheet="党支部整改汇总表",
        headers=exports.RECTIFICATION_HEADERS,
        rows=rows,
        title=f"{context['unit']}{grading_year.year}年党支部整改汇总表",
        widths=[6, 18, 22, 10, 36, 36, 10, 12, 30],
    )
    return xlsx_response(
        request, content, f"{context['unit']}{grading_year.year}年党支部整改汇总表.xlsx"
    )


# --- gradings ----------------------------------------------------------------------------------


@officer_required
@require_POST
def grading_create(request):
    grading_year = _year(request, parse_int(request.POST.get("grading_year")))
    branch = get_for_user(
        Organisation.objects, request.user, pk=parse_int(request.POST.get("branch"))
    )
    round = request.POST.get("round") or Round.INITIAL
    try:
        grading = services.grading_create(
            actor=request.user, grading_year=grading_year, branch=branch, round=round
        )
    except ValidationError as exc:
        messages.error(request, form_errors(exc))
        return redirect("branches:year_detail", pk=grading_year.pk)
    messages.success(request, f"已建立{branch.name}的调查摸底表。")
    return redirect("branches:grading_detail", pk=grading.pk)


def _grading(request, pk) -> BranchGrading:
    return get_for_user(
        selectors.with_grading_relations(BranchGrading.objects), request.user, pk=pk
    )


def _survey_form(grading: BranchGrading, scores: list, data=None) -> forms.SurveyForm:
    return forms.SurveyForm(
        data,
        scores=scores,
        initial={name: getattr(grading, name) for name in services.SURVEY_FIELDS},
    )


def _grading_page(request, grading: BranchGrading, scores: list, *, form=None, decision_form=None):
    """The survey page; a rejected survey or decision comes back with what was typed."""
    can_edit = grading.state == GradingState.DRAFT and access.can(
        request.user, "branches.fill_survey", grading
    )
    if decision_form is None:
        decision_form = forms.DecisionForm(
            initial={
                "grade": grading.grade or grading.suggested_grade,
                "reason": grading.decision_reason,
            }
        )
    return render(
        request,
        "branches/grading_detail.html",
        {
            "grading": grading,
            "form": form or _survey_form(grading, scores),
            "groups": selectors.group_scores(scores),
            "points_total": selectors.points_total(scores),
            "scored": sum(1 for s in scores if s.score is not None),
            "criteria": len(scores),
            "unscored": sum(1 for s in scores if s.score is None),
            "can_edit": can_edit,
            "level_above": access.can(request.user, "branches.decide_grading", grading),
            "decision_form": decision_form,
            "other": selectors.other_round(grading),
            "bands_text": grading.bands_text,
            "grading_late": rules.grading_late(
                grading.graded_on,
                grading.grading_year.grading_due
                if grading.round == Round.INITIAL
                else grading.grading_year.regrading_to,
                timezone.localdate(),
            ),
            "plans": list(
                RectificationPlan.objects.filter(
                    branch=grading.branch, year=grading.grading_year.year
                ).order_by("id")
            ),
            "events": events_for(grading),
        },
    )


@officer_required
def grading_detail(request, pk):
    """调查摸底与分类定级: the survey per criterion, totals, the suggestion, the decision."""
    grading = _grading(request, pk)
    scores = selectors.scores_of(grading)
    form = _survey_form(grading, scores, request.POST or None)
    if request.method == "POST":
        access.require(request.user, "branches.fill_survey", grading)
        if grading.state != GradingState.DRAFT:
            raise PermissionDenied("已定级的调查摸底表不能修改。")
        if submit(
            request,
            form,
            lambda d: services.grading_survey_save(
                actor=request.user, grading=grading, **form.service_kwargs()
            ),
            "已保存调查摸底情况。",
        ):
            return redirect("branches:grading_detail", pk=pk)
    return _grading_page(request, grading, scores, form=form)


@officer_required
@require_POST
def grading_decide(request, pk):
    """The level above decides the grade; a refused decision keeps the typed opinion."""
    grading = _grading(request, pk)
    form = forms.DecisionForm(request.POST)
    decided = submit(
        request,
        form,
        lambda d: services.grading_decide(actor=request.user, grading=grading, **d),
        f"已将{grading.branch.name}定为“{dict(Grade.choices).get(form.data.get('grade'), '')}”。",
    )
    if decided:
        return redirect("branches:grading_detail", pk=pk)
    return _grading_page(request, grading, selectors.scores_of(grading), decision_form=form)


@officer_required
@require_POST
def grading_reopen(request, pk):
    grading = _grading(request, pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请说明退回的理由（200字以内）。")
        return redirect("branches:grading_detail", pk=pk)
    _run(
        request,
        lambda: services.grading_reopen(
            actor=request.user, grading=grading, reason=form.cleaned_data["reason"]
        ),
        "已退回重新调查摸底。",
    )
    return redirect("branches:grading_detail", pk=pk)


def _grading_form_context(grading: BranchGrading) -> dict:
    scores = selectors.scores_of(grading)
    groups = selectors.group_scores(scores)
    length = (grading.grading_year.organisation.depth + 1) * Organisation.steplen
    group = selectors.Groups(grading.grading_year, {grading.branch.path[:length]})
    room = "—"
    if grading.activity_room_area is not None:
        meets = "达标" if grading.room_meets_standard else "不足20㎡"
        room = f"{grading.activity_room_area}㎡（{meets}）"
    facts = [
        ("党支部", grading.branch.name),
        ("所属党总支", group.label(group.key(grading.branch.path))),
        ("支部类别", grading.branch.get_category_display() or "—"),
        ("年度、轮次", f"{grading.grading_year.year}年 {grading.get_round_display()}"),
        ("党员人数", f"{grading.members_count}人"),
        (
            "支部班子",
            f"{'健全' if grading.committee_complete else '不健全'}"
            + (f"（{grading.committee_note}）" if grading.committee_note else ""),
        ),
        ("活动室面积", room),
        ("年度考核情况", grading.annual_assessment or "—"),
        ("评分参考标准", f"{grading.standard_name}（{grading.bands_text}）"),
    ]
    decision = "—"
    if grading.is_graded:
        decision = f"定为“{grading.get_grade_display()}”"
        if grading.decision_reason:
            decision += f"。{grading.decision_reason}"
        decision += f"（{grading.graded_on:%Y-%m-%d}）"
    opinions = [
        ("主要问题", grading.problems or "—"),
        ("支部自评", grading.get_self_grade_display() or "—"),
        ("群众评议情况", grading.masses_opinion or "—"),
        ("党总支定级意见", decision),
    ]
    return {
        "grading": grading,
        "groups": groups,
        "points_total": selectors.points_total(scores),
        "facts": facts,
        "opinions": opinions,
        "title": f"党支部调查摸底与分类定级表（{grading.branch.name} {grading.grading_year.year}年"
        f"{grading.get_round_display()}）",
    }


@officer_required
@require_GET
def grading_print(request, pk, fmt="html"):
    context = _grading_form_context(_grading(request, pk))
    grading = context["grading"]
    name = f"{grading.branch.name}{grading.grading_year.year}年党支部调查摸底与分类定级表"
    return documents.respond(
        request, "branches/grading_print.html", context, fmt=fmt, filename=name
    )


@officer_required
@require_GET
def grading_xlsx(request, pk):
    context = _grading_form_context(_grading(request, pk))
    grading = context["grading"]
    return xlsx_response(
        request,
        exports.grading_workbook(context),
        f"{grading.branch.name}{grading.grading_year.year}年党支部调查摸底与分类定级表.xlsx",
    )


@officer_required
@require_GET
def branch_history(request, pk):
    """A branch's gradings across years and rounds: 晋位升级 ↑, 保持 →, 降级 ↓."""
    branch = get_for_user(Organisation.objects, request.user, pk=pk)
    if branch.kind != OrgKind.BRANCH:
        raise Http404
    gradings = selectors.branch_history(branch)
    return render(
        request,
        "branches/branch_history.html",
        {
            "branch": branch,
            "gradings": gradings,
            "chart": charts.history_chart(gradings),
            "has_chart": any(g.is_graded for g in gradings),
            "plans": list(selectors.plans_of_branch(branch)),
        },
    )


# --- rectification plans --------------------------------------------------------------------


def _plan(request, pk) -> RectificationPlan:
    return get_for_user(
        RectificationPlan.objects.select_related("branch", "grading__grading_year", "meeting"),
        request.user,
        pk=pk,
    )


@officer_required
def plan_create(request):
    branch = get_for_user(
        Organisation.objects, request.user, pk=parse_int(request.GET.get("branch"))
    )
    year = parse_int(
        request.GET.get("year"),
        default=timezone.localdate().year,
        low=rules.FIRST_YEAR,
        high=rules.LAST_YEAR,
    )
    access.require(request.user, "branches.act_for", branch)
    form = forms.PlanForm(request.POST or None)
    plan = submit(
        request,
        form,
        lambda d: services.rectification_plan_create(
            actor=request.user, branch=branch, year=year, **d
        ),
        "已建立整改提高方案，请逐项列出整改事项。",
    )
    if plan:
        return redirect("branches:plan_detail", pk=plan.pk)
    return render(
        request,
        "branches/plan_form.html",
        {
            "form": form,
            "branch": branch,
            "year": year,
            "title": f"{branch.name}{year}年整改提高方案",
        },
    )


@officer_required
def plan_edit(request, pk):
    plan = _plan(request, pk)
    access.require(request.user, "branches.edit_plan", plan)
    form = forms.PlanForm(
        request.POST or None, editing=True, initial={"reason": plan.reason, "goals": plan.goals}
    )
    if submit(
        request,
        form,
        lambda d: services.rectification_plan_update(actor=request.user, plan=plan, **d),
        "已保存。",
    ):
        return redirect("branches:plan_detail", pk=pk)
    return render(
        request,
        "branches/plan_form.html",
        {
            "form": form,
            "branch": plan.branch,
            "year": plan.year,
            "plan": plan,
            "title": "修改整改提高方案",
        },
    )


def _plan_page(request, plan: RectificationPlan, *, discuss_form=None):
    """The plan page; a refused discussion comes back with what was typed."""
    today = timezone.localdate()
    items = selectors.plan_items(plan)
    for item in items:
        item.current_status = item.status(today)
        item.current_label = rules.ITEM_STATUS_LABELS[item.current_status]
    dates = selectors.dates_for(plan.branch, plan.year)
    covers = access.can(request.user, "branches.edit_plan", plan)
    return render(
        request,
        "branches/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "done": sum(1 for i in items if i.is_done),
            "can_edit": covers and plan.state != PlanState.DONE,
            "can_verify": access.can(request.user, "branches.lead", plan.branch),
            "discuss_form": discuss_form or forms.DiscussForm(branch=plan.branch),
            "dates": dates,
            "plan_late": rules.plan_late(
                plan.submitted_on, dates["rectification_plans_due"], today
            ),
            "events": events_for(plan),
            "plan_states": PlanState.choices,
        },
    )


@officer_required
@require_GET
def plan_detail(request, pk):
    """整改提高方案: goals, items (add, edit, mark done, verify), the general-meeting discussion,
    submission."""
    return _plan_page(request, _plan(request, pk))


@officer_required
@require_POST
def plan_discuss(request, pk):
    plan = _plan(request, pk)
    form = forms.DiscussForm(request.POST, branch=plan.branch)
    if submit(
        request,
        form,
        lambda d: services.rectification_plan_discuss(actor=request.user, plan=plan, **d),
        "已登记党员大会讨论情况。",
    ):
        return redirect("branches:plan_detail", pk=pk)
    return _plan_page(request, plan, discuss_form=form)


@officer_required
@require_POST
def plan_submit(request, pk):
    plan = _plan(request, pk)
    _run(
        request,
        lambda: services.rectification_plan_submit(actor=request.user, plan=plan),
        "已提交整改提高方案。",
    )
    return redirect("branches:plan_detail", pk=pk)


# --- rectification items --------------------------------------------------------------------


@officer_required
def item_create(request, plan_pk):
    plan = _plan(request, plan_pk)
    access.require(request.user, "branches.edit_plan", plan)
    dates = selectors.dates_for(plan.branch, plan.year)
    form = forms.ItemForm(
        request.POST or None, branch=plan.branch, initial={"deadline": dates["items_due"]}
    )
    if submit(
        request,
        form,
        lambda d: services.rectification_item_create(
            actor=request.user, plan=plan, **form.service_kwargs()
        ),
        "已增加整改事项。",
    ):
        if request.POST.get("again"):
            return redirect("branches:item_create", plan_pk=plan_pk)
        return redirect("branches:plan_detail", pk=plan_pk)
    return render(
        request, "branches/item_form.html", {"form": form, "plan": plan, "title": "增加整改事项"}
    )


def _item(request, pk) -> RectificationItem:
    return get_for_user(
        RectificationItem.objects.select_related("plan__branch", "responsible"), request.user, pk=pk
    )


@officer_required
def item_edit(request, pk):
    item = _item(request, pk)
    access.require(request.user, "branches.edit_item", item)
    form = forms.ItemForm(
        request.POST or None,
        branch=item.plan.branch,
        initial={
            "order": item.order,
            "problem": item.problem,
            "measures": item.measures,
            "responsible": item.responsible_id,
            "deadline": item.deadline,
            "long_term": item.long_term,
        },
    )
    if submit(
        request,
        form,
        lambda d: services.rectification_item_update(
            actor=request.user, item=item, **form.service_kwargs()
        ),
        "已保存。",
    ):
        return redirect("branches:plan_detail", pk=item.plan_id)
    return render(
        request,
        "branches/item_form.html",
        {"form": form, "plan": item.plan, "item": item, "title": "修改整改事项"},
    )


@officer_required
@require_POST
def item_delete(request, pk):
    item = _item(request, pk)
    _run(
        request,
        lambda: services.rectification_item_delete(actor=request.user, item=item),
        "已删除整改事项。",
    )
    return redirect("branches:plan_detail", pk=item.plan_id)


@login_required
def item_done(request, pk):
    """报告完成 (phone-friendly): the responsible person or the branch's officers."""
    item = _item(request, pk)
    access.require(request.user, "branches.report_done", item)
    form = forms.DoneForm(request.POST or None)
    if submit(
        request,
        form,
        lambda d: services.rectification_item_done(actor=request.user, item=item, **d),
        "已报告整改完成，待上级党组织核实销号。",
    ):
        if access.can(request.user, "branches.edit_item", item):
            return redirect("branches:plan_detail", pk=item.plan_id)
        return redirect("branches:my_items")
    return render(request, "branches/item_done.html", {"form": form, "item": item})


@officer_required
@require_POST
def item_verify(request, pk):
    item = _item(request, pk)
    form = forms.VerifyForm(request.POST)
    approve = request.POST.get("action", "approve") != "reject"
    if not form.is_valid():
        messages.error(
            request, "上级意见不能超过200字。" if "note" in form.errors else "销号日期格式不正确。"
        )
    else:
        _run(
            request,
            lambda: services.rectification_item_verify(
                actor=request.user,
                item=item,
                approve=approve,
                note=form.cleaned_data["note"],
                verified_on=form.cleaned_data["verified_on"] if approve else None,
            ),
            "已核实销号。" if approve else "已退回继续整改。",
        )
    return redirect("branches:plan_detail", pk=item.plan_id)


def _item_filters(request) -> tuple:
    """(items, the filters' values, query string, organisation) for the list and its export."""
    queryset = selectors.with_item_relations(RectificationItem.objects.visible_to(request.user))
    found = filters.ItemPageFilter.for_page(request, queryset)
    qs = found.qs  # an organisation out of the user's scope is a 404 here
    values = {name: found.form.cleaned_data[name] for name in found.active}
    values.setdefault("year", "")  # all years: the export must not fall back to this year
    org = Organisation.objects.filter(pk=values["org"]).first() if "org" in values else None
    return qs, values, urlencode(values), org


@officer_required
@require_GET
def item_list(request):
    """整改事项: every item of the user's scope with filters (逾期, 未完成, 党总支)."""
    qs, values, query, org = _item_filters(request)
    page = request_page(request, qs, order=("deadline", "id"), size=PAGE_SIZE)
    today = timezone.localdate()
    for item in page.rows:
        item.current_status = item.status(today)
        item.current_label = rules.ITEM_STATUS_LABELS[item.current_status]
    return render(
        request,
        "branches/item_list.html",
        {
            "page": page,
            "filters": values,
            "org": org,
            "base_query": query,
            "org_choices": selectors.org_choices(request.user),
            "statuses": list(selectors.ITEM_FILTERS.items()),
            "years": selectors.item_years(request.user),
            "batch": values.get("status") == rules.DONE,
        },
    )


@officer_required
@require_POST
def item_batch_verify(request):
    """批量销号: the ticked items reported done, verified today by the level above."""
    items = (
        selectors.with_item_relations(RectificationItem.objects.visible_to(request.user))
        .filter(pk__in=batch.selected_ids(request))
        .order_by("deadline", "id")
    )
    results = batch.run(
        request,
        items,
        lambda item: services.rectification_item_verify(actor=request.user, item=item),
        label=lambda item: f"{item.plan.branch.name} · {item.problem[:30]}",
        url=lambda item: reverse("branches:plan_detail", args=[item.plan_id]),
        done="已核实销号。",
    )
    back = request.POST.get("back", "")
    back_url = reverse("branches:item_list") + (f"?{back}" if back else "")
    return render(
        request,
        "core/batch_result.html",
        {
            "title": "批量销号",
            "results": results,
            "ok": sum(r.ok for r in results),
            "failed": sum(not r.ok for r in results),
            "crumbs": [("整改落实", back_url)],
            "back_url": back_url,
        },
    )


@officer_required
@require_GET
def item_export(request):
    qs, _values, _query, org = _item_filters(request)
    content = xlsx_table(
        sheet="整改事项",
        headers=exports.ITEM_HEADERS,
        rows=exports.item_rows(qs, timezone.localdate()),
        title="党支部整改事项" + (f"（{org.name}）" if org else ""),
        widths=exports.ITEM_WIDTHS,
    )
    return xlsx_response(request, content, "党支部整改事项.xlsx")


@login_required
@require_GET
def my_items(request):
    """我负责的整改事项 (phone): open ones first, each with 报告完成."""
    person_id = request.user.person_id
    today = timezone.localdate()
    items = []
    if person_id:
        items = list(
            RectificationItem.objects.filter(responsible_id=person_id)
            .select_related("plan__branch")
            .order_by("state", "deadline", "id")[:100]
        )
    for item in items:
        item.current_status = item.status(today)
        item.current_label = rules.ITEM_STATUS_LABELS[item.current_status]
    return render(
        request,
        "branches/my_items.html",
        {
            "open": [i for i in items if i.state == ItemState.OPEN],
            "finished": [i for i in items if i.state != ItemState.OPEN],
        },
    )


# --- standards (《组织建设年实施方案》附件2、3) ----------------------------------------------


@officer_required
@require_GET
def standard_list(request):
    standards = list(
        GradingStandard.objects.visible_to(request.user)
        .prefetch_related("criteria")
        .order_by("-is_active", "applies_to", "id")
    )
    return render(
        request,
        "branches/standard_list.html",
        {"standards": standards, "can_edit": access.can(request.user, "branches.set_up")},
    )


@officer_required
def standard_edit(request, pk):
    standard = get_for_user(GradingStandard.objects, request.user, pk=pk)
    access.require(request.user, "branches.set_up")
    criteria = list(standard.criteria.order_by("order", "id"))
    initial_rows = [
        {
            "id": c.pk,
            "order": c.order,
            "group": c.group,
            "name": c.name,
            "guidance": c.guidance,
            "points": c.points,
        }
        for c in criteria
    ]
    form = forms.StandardForm(
        request.POST or None, initial=forms.StandardForm.initial_for(standard)
    )
    formset = forms.CriterionFormSet(request.POST or None, initial=initial_rows, prefix="c")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.standard_update(
                actor=request.user,
                standard=standard,
                name=form.cleaned_data["name"],
                bands=form.bands(),
                is_active=form.cleaned_data["is_active"],
                note=form.cleaned_data["note"],
                criteria=rows,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "已保存评分参考标准。")
            return redirect("branches:standard_list")
    return render(
        request,
        "branches/standard_form.html",
        {"standard": standard, "form": form, "formset": formset, "events": events_for(standard)},
    )
