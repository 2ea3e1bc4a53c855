"""Screens of the branch target-management assessment (《支部考核办法》). Thin: scope, validate,
call a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.assessment import charts, forms, permissions, rules, selectors, services
from dangjian.assessment.filters import FIXED, RoundAssessmentFilter, RoundFilter
from dangjian.assessment.models import (
    AssessmentRound,
    AssessmentState,
    BonusClaim,
    BranchAssessment,
    Item,
    ScoreSheetTemplate,
)
from dangjian.core import access, documents
from dangjian.core.audit import events_for
from dangjian.core.export import xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.scoping import get_for_user
from dangjian.core.web import form_errors, officer_required, submit

PAGE_SIZE = 50

ROUND_HEADERS = [
    "序号",
    "党总支",
    "党支部",
    "状态",
    "自评得分",
    "考评基本分",
    "附加分",
    "总分",
    "等次",
    "一票否决",
    "申请复核",
    "活动经费（元）",
]
# The seed's score sheet, in its column order (《支部考核办法》考核评分表, plus 支部自评).
SHEET_HEADERS = [
    "一级指标及分值",
    "二级指标及内容",
    "分值",
    "测评要素",
    "评分方法",
    "支部自评",
    "学院考评",
]
FUNDING_HEADERS = [
    "序号",
    "党总支",
    "党支部",
    "教职工党员数",
    "学生党员数",
    "基数（元）",
    "等次",
    "系数",
    "金额（元）",
    "说明",
]
SECRETARY_HEADERS = [
    "党总支",
    "党总支书记",
    "党支部数",
    "已出结果",
    "平均分",
    "不合格支部",
    rules.REFERENCE_LABEL,
    "书记述职评议（联述联评联考）",
]
GROUP_STATES = (AssessmentState.SUBMITTED, AssessmentState.SCORED)


def _round(user, pk) -> AssessmentRound:
    return get_for_user(
        AssessmentRound.objects.select_related("template", "organisation"), user, pk=pk
    )


def _assessment(user, pk) -> BranchAssessment:
    return get_for_user(
        BranchAssessment.objects.select_related("branch", "round__template", "round__organisation"),
        user,
        pk=pk,
    )


def _num(value) -> float | None:
    return float(value) if value is not None else None


UNNOTIFIED = "未通知"


def _unnotified(a: BranchAssessment) -> str:
    """What the branch side reads in place of a result it has not been notified of: 未通知 once
    the group has scored (its state says so anyway), nothing before."""
    return UNNOTIFIED if a.state == AssessmentState.SCORED else ""


# --- rounds -------------------------------------------------------------------------------


@officer_required
@require_GET
def round_list(request):
    """考核 list (filter by year); branch officers find their own branch's assessment here."""
    filters = RoundFilter.for_page(request, selectors.rounds_for_list(request.user))
    qs = filters.qs
    year = filters.active.get("year")
    page = request_page(request, qs, order=("-year", "-id"), size=PAGE_SIZE)
    own = selectors.own_assessments(request.user, [r.pk for r in page.rows])
    today = timezone.localdate()
    for r in page.rows:
        r.own = own.get(r.pk, [])
        for a in r.own:
            a.state_text = a.state_label(today)
    return render(
        request,
        "assessment/round_list.html",
        {
            "page": page,
            "year": year,
            "years": selectors.round_years(request.user),
            "base_query": filters.querystring(),
            "is_department": access.can(request.user, permissions.CREATE_ROUND),
        },
    )


@officer_required
def round_create(request):
    access.require(request.user, permissions.CREATE_ROUND)
    form = forms.RoundForm(request.POST or None, user=request.user)
    round_ = submit(
        request,
        form,
        lambda d: services.round_create(actor=request.user, **d),
        "已创建考核，并为范围内的每个党支部生成了考核评分表。",
    )
    if round_:
        return redirect("assessment:round_detail", pk=round_.pk)
    return render(request, "assessment/round_form.html", {"form": form})


def _round_rows(request, round_):
    filters = RoundAssessmentFilter.for_page(
        request, selectors.round_assessments(request.user, round_)
    )
    return filters, filters.qs, timezone.localdate()


@officer_required
@require_GET
def round_detail(request, pk):
    """The branches of a round with their results, filters, and the grades per general branch."""
    round_ = _round(request.user, pk)
    filters, qs, today = _round_rows(request, round_)
    page = request_page(request, qs, order=("branch__path", "id"), size=PAGE_SIZE)
    parents = selectors.general_branches(round_)
    selectors.decorate(page.rows, parents, today, selectors.result_access(request.user))
    distribution = selectors.grade_distribution(request.user, round_, parents)
    return render(
        request,
        "assessment/round_detail.html",
        {
            "round": round_,
            "page": page,
            "filters": filters.active,
            "base_query": filters.querystring(),
            # the filter offers the general branches the user has branches under, no others
            "general_branches": [
                o for o in parents.values() if o.pk in distribution.general_branch_ids
            ],
            "states": [*AssessmentState.choices, (FIXED, "结果已确定")],
            "grades": round_.template.grade_labels,
            "distribution": distribution,
            "chart": charts.grades_option(distribution),
            "chart_height": max(200, 40 * len(distribution.rows) + 80),
            "today": today,
            "notice_rule": rules.NOTICE_RULE,
        },
    )


@officer_required
@require_GET
def round_export(request, pk):
    round_ = _round(request.user, pk)
    _filters, qs, today = _round_rows(request, round_)
    parents = selectors.general_branches(round_)
    result_access = selectors.result_access(request.user)

    def rows():
        batch = selectors.decorate(
            list(qs.order_by("branch__path", "id")), parents, today, result_access
        )
        for index, a in enumerate(batch, start=1):
            appeal = a.appeal_row
            shown = a.result_shown
            yield [
                index,
                a.general_branch_name,
                a.branch.name,
                a.state_text,
                _num(a.self_total),
                _num(a.base_total) if shown else None,
                _num(a.bonus_total) if shown else None,
                _num(a.total) if shown else None,
                (a.grade if a.has_result else "") if shown else _unnotified(a),
                f"是：{a.veto_reason}" if shown and a.vetoed else "",
                appeal.get_state_display() if appeal else "",
                _num(a.funding) if shown else None,
            ]

    content = xlsx_table(
        sheet="考核结果",
        headers=ROUND_HEADERS,
        rows=rows(),
        title=f"{round_.title}结果汇总",
        widths=[6, 22, 26, 12, 10, 10, 8, 8, 8, 20, 10, 12],
    )
    return xlsx_response(request, content, f"{round_.title}.xlsx")


@officer_required
@require_GET
def funding(request, pk):
    """活动经费划拨 (《基层组织建设实施意见》§四(五)1, 《支部考核办法》§七(二))."""
    round_ = _round(request.user, pk)
    rows = selectors.funding_rows(request.user, round_)
    fs = selectors.fund_settings()
    return render(
        request,
        "assessment/funding.html",
        {
            "round": round_,
            "rows": rows,
            "settings": fs,
            "factors": [(g, fs.factors.get(g, 1)) for g in round_.template.grade_labels],
            "sum": sum(r.funding.amount for r in rows),
        },
    )


@officer_required
@require_GET
def funding_export(request, pk):
    round_ = _round(request.user, pk)
    rows = selectors.funding_rows(request.user, round_)

    def lines():
        for index, r in enumerate(rows, start=1):
            yield [
                index,
                r.general_branch,
                r.assessment.branch.name,
                r.staff,
                r.students,
                float(r.funding.base),
                r.grade,
                float(r.funding.factor),
                float(r.funding.amount),
                "尚未出结果，按现有党员数和系数1预估" if r.estimated else "",
            ]

    content = xlsx_table(
        sheet="活动经费",
        headers=FUNDING_HEADERS,
        rows=lines(),
        title=f"{round_.title}党支部活动经费划拨表",
        widths=[6, 22, 26, 12, 12, 10, 8, 6, 12, 30],
    )
    return xlsx_response(request, content, f"{round_.title}活动经费.xlsx")


@officer_required
@require_GET
def secretary_grades(request, pk):
    """党总支书记年度工作考核参考等级 (《支部考核办法》§七(三))."""
    round_ = _round(request.user, pk)
    return render(
        request,
        "assessment/secretary_grades.html",
        {"round": round_, "rows": selectors.secretary_grades(request.user, round_)},
    )


@officer_required
@require_GET
def secretary_export(request, pk):
    round_ = _round(request.user, pk)
    rows = selectors.secretary_grades(request.user, round_)

    def lines():
        for r in rows:
            yield [
                r.general_branch.name,
                "、".join(r.secretaries),
                r.branches,
                r.with_result,
                _num(r.average),
                r.failed,
                r.grade or "",
                r.review,
            ]

    content = xlsx_table(
        sheet="党总支书记参考等级",
        headers=SECRETARY_HEADERS,
        rows=lines(),
        title=f"{round_.title}党总支书记年度工作考核参考等级",
        widths=[24, 14, 10, 10, 10, 12, 10, 22],
    )
    return xlsx_response(request, content, f"{round_.title}党总支书记参考等级.xlsx")


# --- one branch's assessment --------------------------------------------------------------


def _score_form(request, a, rights, data=None, files=None):
    if rights.branch and a.state == AssessmentState.SELF_SCORING:
        party = "self"
    elif rights.group and a.state in GROUP_STATES:
        party = "group"
    else:
        return None
    items = selectors.base_items(a.round.template_id)
    scores = {s.item_id: s for s in a.scores.all()}
    return forms.ScoreSheetForm(data, files, items=items, party=party, scores=scores)


def _bonus_items(a) -> list[Item]:
    return list(
        Item.objects.filter(
            indicator__template_id=a.round.template_id, indicator__is_bonus=True
        ).order_by("number")
    )


def _sheet_with_forms(a, form, references, shown: bool):
    """The sheet's rows with their form widgets and reference figures, and the base totals
    (the group's only when its result is `shown` to the viewer)."""
    sheet = selectors.sheet(a, a.round.template)
    points, own, group = 0, [], []
    for block in sheet:
        for row in block.items:
            row.reference = references.get(row.item.reference)
            if row.item.is_bonus:
                continue
            points += row.item.points
            if row.score is not None:
                own.append(row.score.self_score)
                group.append(row.score.group_score)
            if form is not None:
                row.score_bf, row.note_bf, row.evidence_bf = form.bound(row.item)
    totals = {
        "points": points,
        "self": rules.total(own, 0) if any(s is not None for s in own) else None,
        "group": rules.total(group, 0) if shown and any(s is not None for s in group) else None,
    }
    return sheet, totals


def _page(request, a: BranchAssessment, status=200, **bound):
    """The assessment page; `bound` replaces a form by the one just posted (with its errors)."""
    rights = permissions.Rights(request.user, a)
    today = timezone.localdate()
    template = a.round.template
    appeal = selectors.appeal_of(a)
    shown = selectors.result_visible(request.user, a)
    context = {
        "a": a,
        "round": a.round,
        "template": template,
        "rights": rights,
        "today": today,
        "state_text": a.state_label(today),
        "result_shown": shown,
        "unnotified": "" if shown else _unnotified(a),
        "notice_rule": rules.NOTICE_RULE,
        "appeal": appeal,
        "claims": selectors.all_claims(a),
        "events": selectors.assessment_events(a, shown),
        "score_form": bound.get("score_form", _score_form(request, a, rights)),
        "appeal_rule": rules.APPEAL_RULE,
        "answer_rule": rules.ANSWER_RULE,
        "veto_rules": template.veto_rules,
    }
    context["sheet"], context["totals"] = _sheet_with_forms(
        a, context["score_form"], selectors.references(a, today), shown
    )
    branch_editing = rights.branch and a.state == AssessmentState.SELF_SCORING
    group_editing = rights.group and a.state in GROUP_STATES
    context["claim_form"] = (
        bound.get("claim_form", forms.ClaimForm(items=_bonus_items(a))) if branch_editing else None
    )
    context["can_submit"] = branch_editing
    context["can_delete_claims"] = branch_editing
    context["can_review"] = group_editing
    context["can_reopen"] = rights.group and a.state == AssessmentState.SUBMITTED
    context["can_score"] = rights.group and a.state == AssessmentState.SUBMITTED
    context["veto_form"] = (
        bound.get(
            "veto_form", forms.VetoForm(initial={"vetoed": a.vetoed, "reason": a.veto_reason})
        )
        if group_editing
        else None
    )
    if rights.group and a.state == AssessmentState.SCORED:
        context["notice_form"] = bound.get(
            "notice_form",
            forms.NoticeForm(
                initial={"notice_on": today, "notice_text": selectors.default_notice(a, today)}
            ),
        )
    if (
        rights.branch
        and a.state == AssessmentState.NOTIFIED
        and a.appeal_due is not None
        and today <= a.appeal_due
    ):
        context["appeal_form"] = bound.get("appeal_form", forms.AppealForm())
    if rights.group and a.state == AssessmentState.APPEALED:
        context["answer_form"] = bound.get("answer_form", forms.AnswerForm())
    for name, form in bound.items():
        if context.get(name) is not form:  # posted in a state where the form is not shown
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    return render(request, "assessment/assessment_detail.html", context, status=status)


@officer_required
@require_GET
def assessment_detail(request, pk):
    return _page(request, _assessment(request.user, pk))


def _run(request, a, call, message):
    """A button without a form: run the service, report its rule in a message."""
    try:
        call()
        messages.success(request, message)
    except ValidationError as exc:
        messages.error(request, form_errors(exc))
    return redirect("assessment:assessment_detail", pk=a.pk)


@officer_required
@require_POST
def scores_save(request, pk):
    """The branch's self scores (with evidence) or the group's scores, by who may edit now."""
    a = _assessment(request.user, pk)
    rights = permissions.Rights(request.user, a)
    form = _score_form(request, a, rights, request.POST, request.FILES)
    if form is None:
        if not (rights.branch or rights.group):
            raise PermissionDenied(permissions.NOT_BRANCH_OFFICER)
        rule = services.SELF_RULE if rights.branch else services.GROUP_RULE
        messages.error(request, f"该考核当前为“{a.get_state_display()}”，不能修改评分：{rule}。")
        return redirect("assessment:assessment_detail", pk=pk)
    save = services.self_scores_save if form.party == "self" else services.group_scores_save
    if submit(
        request,
        form,
        lambda d: save(actor=request.user, assessment=a, entries=form.entries(d)),
        "已保存评分。",
    ):
        if request.POST.get("then") == "submit" and form.party == "self":
            return submit_self(request, pk)
        return redirect("assessment:assessment_detail", pk=pk)
    return _page(request, a, status=400, score_form=form)


@officer_required
@require_POST
def submit_self(request, pk):
    a = _assessment(request.user, pk)
    return _run(
        request,
        a,
        lambda: services.assessment_submit(actor=request.user, assessment=a),
        "已提交自评，等待考核组评分。",
    )


@officer_required
@require_POST
def reopen(request, pk):
    a = _assessment(request.user, pk)
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _run(
        request,
        a,
        lambda: services.assessment_reopen(actor=request.user, assessment=a, reason=reason),
        "已退回支部修改自评。",
    )


@officer_required
@require_POST
def finish_scoring(request, pk):
    a = _assessment(request.user, pk)
    return _run(
        request,
        a,
        lambda: services.assessment_score(actor=request.user, assessment=a),
        "已完成评分，请发出书面通知。",
    )


@officer_required
@require_POST
def claim_create(request, pk):
    a = _assessment(request.user, pk)
    form = forms.ClaimForm(request.POST, request.FILES, items=_bonus_items(a))
    if form.is_valid():
        try:
            services.bonus_claim_create(actor=request.user, assessment=a, **form.service_args())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = {"item": "choice", "option": "choice"}.get(field, field)
                form.add_error(target if target in form.fields else None, errors)
        else:
            messages.success(request, "已申报附加分。")
            return redirect(reverse("assessment:assessment_detail", args=[pk]) + "#claims")
    return _page(request, a, status=400, claim_form=form)


def _claim(user, pk) -> BonusClaim:
    return get_for_user(
        BonusClaim.objects.select_related(
            "assessment__branch", "assessment__round__template", "item"
        ),
        user,
        pk=pk,
    )


@officer_required
@require_POST
def claim_delete(request, pk):
    claim = _claim(request.user, pk)
    return _run(
        request,
        claim.assessment,
        lambda: services.bonus_claim_delete(actor=request.user, claim=claim),
        "已撤回该附加分申报。",
    )


@officer_required
@require_POST
def claim_review(request, pk):
    claim = _claim(request.user, pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("assessment:assessment_detail", pk=claim.assessment_id)
    return _run(
        request,
        claim.assessment,
        lambda: services.bonus_claim_review(actor=request.user, claim=claim, **form.cleaned_data),
        "已认定附加分。" if form.cleaned_data["accepted"] else "已记录不予认定。",
    )


def _form_step(request, pk, form_name, form_class, service, message):
    """A step with a small form on the assessment page: run the service with the form's data,
    or show the page again with the form (what was typed and its errors)."""
    a = _assessment(request.user, pk)
    form = form_class(request.POST)
    if submit(request, form, lambda d: service(actor=request.user, assessment=a, **d), message):
        return redirect("assessment:assessment_detail", pk=pk)
    return _page(request, a, status=400, **{form_name: form})


@officer_required
@require_POST
def veto(request, pk):
    vetoed = bool(request.POST.get("vetoed"))
    message = "已记录一票否决。" if vetoed else "已保存：不适用一票否决。"
    return _form_step(request, pk, "veto_form", forms.VetoForm, services.assessment_veto, message)


@officer_required
@require_POST
def notify(request, pk):
    return _form_step(
        request,
        pk,
        "notice_form",
        forms.NoticeForm,
        services.assessment_notify,
        "已书面通知考核结果，复核申请期限开始计算。",
    )


@officer_required
@require_POST
def appeal(request, pk):
    return _form_step(
        request,
        pk,
        "appeal_form",
        forms.AppealForm,
        services.appeal_file,
        "已申请复核，考核领导小组将在10日之内提出复核意见。",
    )


@officer_required
@require_POST
def answer(request, pk):
    return _form_step(
        request, pk, "answer_form", forms.AnswerForm, services.appeal_answer, "已提出复核意见。"
    )


# --- the score sheet: print and XLSX -------------------------------------------------------


def _sheet_rows(sheet, shown: bool = True):
    """Rows of the seed's score sheet (7 columns) for the print page and the XLSX; the 学院考评
    column stays empty when the group's result is not `shown` to the viewer."""
    for block in sheet:
        for index, row in enumerate(block.items):
            item = row.item
            if item.is_bonus:
                self_value = rules.fmt(row.claimed) if row.claims else ""
                reviewed = any(c.accepted is not None for c in row.claims)
                group_value = rules.fmt(row.accepted) if shown and reviewed else ""
                points = "附加分"
                elements = item.bonus_text
            else:
                score = row.score
                self_value = rules.fmt(score.self_score) if score else ""
                group_value = rules.fmt(score.group_score) if shown and score else ""
                points = rules.fmt(item.points)
                elements = item.elements_text
            yield {
                "indicator": block.indicator.label if index == 0 else "",
                "rowspan": block.rowspan if index == 0 else 0,
                "content": f"{item.number}.{item.content}",
                "points": points,
                "elements": elements,
                "methods": item.methods.replace("、", "\n"),
                "self": self_value,
                "group": group_value,
            }


@officer_required
@require_GET
def sheet_print(request, pk, fmt="html"):
    """考核评分表 in the seed's layout on A4 (支部自评 and 学院考评 columns)."""
    a = _assessment(request.user, pk)
    sheet = selectors.sheet(a, a.round.template)
    shown = selectors.result_visible(request.user, a)
    title = f"{a.branch.name}考核评分表（{a.round.title}）"
    return documents.respond(
        request,
        "assessment/sheet_print.html",
        {
            "a": a,
            "template": a.round.template,
            "rows": list(_sheet_rows(sheet, shown)),
            "result_shown": shown,
            "title": title,
        },
        fmt=fmt,
        filename=title,
    )


@officer_required
@require_GET
def sheet_export(request, pk):
    a = _assessment(request.user, pk)
    sheet = selectors.sheet(a, a.round.template)
    shown = selectors.result_visible(request.user, a)

    def cell(value: str):
        try:
            number = rules.dec(value)
        except ArithmeticError:
            return value
        return int(number) if number == number.to_integral() else float(number)

    def lines():
        for row in _sheet_rows(sheet, shown):
            yield [
                row["indicator"],
                row["content"],
                cell(row["points"]),
                row["elements"],
                row["methods"],
                cell(row["self"]) if row["self"] else None,
                cell(row["group"]) if row["group"] else None,
            ]
        total = _num(a.total) if shown else None
        yield ["合计（基本分＋附加分）", "", "", "", "", _num(a.self_total), total]
        if not shown:
            if _unnotified(a):
                yield ["考核等次", _unnotified(a)]
        elif a.total is not None:
            grade = a.grade + (f"（一票否决：{a.veto_reason}）" if a.vetoed else "")
            yield ["考核等次", grade + ("" if a.has_result else "（尚未书面通知）")]

    content = xlsx_table(
        sheet="考核评分表",
        headers=SHEET_HEADERS,
        rows=lines(),
        title=f"{a.branch.name}考核评分表（{a.round.title}）",
        widths=[16, 50, 8, 14, 12, 10, 10],
    )
    return xlsx_response(request, content, f"{a.branch.name}考核评分表.xlsx")


# --- templates ----------------------------------------------------------------------------


@officer_required
@require_GET
def template_list(request):
    return render(
        request,
        "assessment/template_list.html",
        {
            "templates": list(selectors.templates_for_list(request.user)),
            "is_department": access.can(request.user, permissions.EDIT_TEMPLATES),
        },
    )


def _template(user, pk) -> ScoreSheetTemplate:
    return get_for_user(ScoreSheetTemplate.objects, user, pk=pk)


@officer_required
@require_GET
def template_detail(request, pk):
    template = _template(request.user, pk)
    in_use = selectors.template_in_use(template)
    department = access.can(request.user, permissions.EDIT_TEMPLATES)
    return render(
        request,
        "assessment/template_detail.html",
        {
            "template": template,
            "sheet": selectors.sheet(None, template),
            "in_use": in_use,
            "is_department": department,
            "editable": department and not in_use,
            "events": events_for(template),
        },
    )


@officer_required
def template_edit(request, pk):
    template = _template(request.user, pk)
    access.require(request.user, permissions.EDIT_TEMPLATES)
    in_use = selectors.template_in_use(template)
    form = forms.TemplateForm(
        request.POST or None,
        template=template,
        in_use=in_use,
        full_marks=selectors.base_full_marks(template.pk),
    )
    if submit(
        request,
        form,
        lambda d: services.template_update(actor=request.user, template=template, **d),
        "已保存评分表。",
    ):
        return redirect("assessment:template_detail", pk=pk)
    return render(
        request,
        "assessment/template_form.html",
        {"form": form, "template": template, "in_use": in_use},
    )


@officer_required
def item_edit(request, pk):
    item = get_object_or_404(Item.objects.select_related("indicator"), pk=pk)
    template = _template(request.user, item.indicator.template_id)
    access.require(request.user, permissions.EDIT_TEMPLATES)
    if selectors.template_in_use(template):
        raise PermissionDenied(services.TEMPLATE_IN_USE)
    form = forms.ItemForm(request.POST or None, item=item)
    if submit(
        request,
        form,
        lambda d: services.item_update(actor=request.user, item=item, **d),
        f"已保存第{item.number}项。",
    ):
        return redirect("assessment:template_detail", pk=template.pk)
    return render(
        request, "assessment/item_form.html", {"form": form, "item": item, "template": template}
    )


@officer_required
@require_POST
def template_copy(request, pk):
    template = _template(request.user, pk)
    form = forms.CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "新版本名称不超过100字。")
        return redirect("assessment:template_detail", pk=pk)
    name = form.cleaned_data["name"]
    try:
        copy = services.template_copy(actor=request.user, template=template, name=name)
    except ValidationError as exc:
        messages.error(request, form_errors(exc))
        return redirect("assessment:template_detail", pk=pk)
    messages.success(request, "已复制为新版本，可以修改后用于新的考核。")
    return redirect("assessment:template_detail", pk=copy.pk)


@officer_required
@require_GET
def template_print(request, pk, fmt="html"):
    """The blank score sheet of a template on A4."""
    template = _template(request.user, pk)
    sheet = selectors.sheet(None, template)
    return documents.respond(
        request,
        "assessment/sheet_print.html",
        {
            "a": None,
            "template": template,
            "rows": list(_sheet_rows(sheet)),
            "title": template.name,
        },
        fmt=fmt,
        filename=template.name,
    )
