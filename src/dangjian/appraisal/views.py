"""Screens of member duty evaluation: cycles, progress, rating, results (table, chart, print,
XLSX), honours, rectification, and the member's own 我的考评 on a phone. Thin: scope, validate,
call a service, render."""

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

from dangjian.appraisal import charts, exports, forms, rules, selectors, services
from dangjian.appraisal.filters import ID_MAX, CycleFilter, HonourFilter, RectificationFilter
from dangjian.appraisal.models import (
    CycleKind,
    CycleState,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    HonourKind,
    MemberRectification,
    RectificationState,
    SelfReport,
)
from dangjian.core import access, documents
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_int
from dangjian.core.scoping import get_for_user
from dangjian.core.web import ActionView, ServiceFormView, form_errors, officer_required, submit
from dangjian.org.models import Organisation
from dangjian.org.widgets import org_picker

PAGE_SIZE = 50

# --- cycles --------------------------------------------------------------------------------


@officer_required
@require_GET
def cycle_list(request):
    filterset = CycleFilter.for_page(request, selectors.cycles(request.user))
    filters = filterset.active
    page = request_page(request, filterset.qs, order=("-year", "-starts_on", "-id"), size=PAGE_SIZE)
    editable = set(
        EvaluationCycle.objects.editable_by(request.user)
        .filter(pk__in=[c.pk for c in page.rows])
        .values_list("pk", flat=True)
    )
    for cycle in page.rows:
        cycle.can_edit = cycle.pk in editable
    return render(
        request,
        "appraisal/cycle_list.html",
        {
            "page": page,
            "filters": filters,
            "base_query": filterset.querystring(),
            "kinds": CycleKind.choices,
            "states": CycleState.choices,
            "this_year": timezone.localdate().year,
        },
    )


class CycleCreate(ServiceFormView):
    """新建考评 beside the rules it will apply (weights, bands, the masses' threshold)."""

    form_class = forms.CycleForm
    template_name = "appraisal/cycle_form.html"
    success_message = "已创建考评，已生成考评对象名单和各党支部的党员民意测评。"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(
            bands_text=rules.bands_text(selectors.grade_bands()),
            default_weights=selectors.default_weights(),
            poor_below=selectors.masses_poor_below(),
            **context,
        )

    def perform(self, data: dict[str, Any]) -> EvaluationCycle:
        return services.cycle_create(actor=self.request.user, **data)

    def get_success_url(self, result: EvaluationCycle) -> str:
        return reverse("appraisal:cycle_detail", args=[result.pk])


def _cycle(request, pk: int) -> EvaluationCycle:
    cycles = EvaluationCycle.objects.select_related("organisation", "created_by")
    return get_for_user(cycles, request.user, pk=pk)


def _cycle_context(request, cycle, tab: str = "") -> dict:
    can_edit = access.can(request.user, "appraisal.manage_cycle", cycle)
    return {
        "cycle": cycle,
        "tab": tab,
        "can_edit": can_edit,
        "bands": cycle.bands,
        "bands_text": rules.bands_text(cycle.bands),
        "top": rules.top_grade(cycle.bands),
        "bottom": rules.lowest_grade(cycle.bands),
        "kind_label": rules.KIND_LABELS[cycle.kind],
        "poor_below": selectors.masses_poor_below(),
        "evaluates_posts": rules.evaluates_posts(cycle.kind),
    }


@officer_required
@require_GET
def cycle_detail(request, pk):
    """考评 page: progress of the three sources per branch, what is missing, compute, publish."""
    cycle = _cycle(request, pk)
    context = _cycle_context(request, cycle, "progress")
    context["progress"] = _progress(request, cycle)
    context["attention"] = request.GET.get("attention") == "1"
    if context["can_edit"] and cycle.state != CycleState.PUBLISHED:
        context["blockers"] = selectors.blockers(cycle)
    context["rating_orgs"] = selectors.rating_orgs(request.user, cycle)
    context["events"] = events_for(cycle, limit=10)
    context["today"] = timezone.localdate()
    context["window_open"] = cycle.state == CycleState.OPEN and rules.window_open(
        cycle.starts_on, cycle.ends_on, context["today"]
    )
    return render(request, "appraisal/cycle_detail.html", context)


def _progress(request, cycle):
    progress = selectors.progress(request.user, cycle)
    if request.GET.get("attention") == "1":
        progress["rows"] = [r for r in progress["rows"] if r["behind"]]
    return progress


@officer_required
@require_GET
def cycle_progress_xlsx(request, pk):
    """考评进度 per branch (no personal data) — with 只看未完成 for the branches behind."""
    cycle = _cycle(request, pk)
    progress = _progress(request, cycle)

    def rows():
        for i, r in enumerate(progress["rows"], start=1):
            survey = r.get("survey") or {}
            yield [
                i,
                r["organisation__name"],
                r["members"],
                r["reported"],
                r["rated"],
                survey.get("responses", ""),
                survey.get("minimum", ""),
                survey.get("issued", ""),
                "是" if r["behind"] else "",
            ]

    label = "（未完成）" if request.GET.get("attention") == "1" else ""
    title = f"{cycle.title} 考评进度{label}"
    content = xlsx_table(
        sheet="考评进度",
        headers=exports.PROGRESS_HEADERS,
        rows=rows(),
        title=title,
        widths=[6, 30, 10, 10, 10, 14, 14, 12, 8],
    )
    return xlsx_response(request, content, f"{title}.xlsx")


@officer_required
@require_POST
def cycle_compute(request, pk):
    cycle = _cycle(request, pk)
    try:
        services.cycle_compute(actor=request.user, cycle=cycle)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("appraisal:cycle_detail", pk=pk)
    messages.success(request, "已计算考评结果，等次和限期整改名单已生成。请核对后公布。")
    return redirect("appraisal:cycle_results", pk=pk)


@officer_required
@require_POST
def cycle_publish(request, pk):
    cycle = _cycle(request, pk)
    try:
        services.cycle_publish(actor=request.user, cycle=cycle)
    except ValidationError as exc:
        messages.error(request, form_errors(exc))
        return redirect("appraisal:cycle_detail", pk=pk)
    messages.success(request, "考评结果已公布：党员可在“我的考评”查看，党务公开栏同步公开等次。")
    return redirect("appraisal:cycle_results", pk=pk)


@officer_required
@require_POST
def cycle_evaluate_posts(request, pk):
    """用于年度评岗: the published year result goes onto the member's posts in 履岗."""
    cycle = _cycle(request, pk)
    try:
        outcome = services.cycle_evaluate_posts(actor=request.user, cycle=cycle)
    except ValidationError as exc:
        messages.error(request, form_errors(exc))
        return redirect("appraisal:cycle_detail", pk=pk)
    notes = [f"已为{outcome.evaluated}个岗位评岗"]
    if outcome.already:
        notes.append(f"{outcome.already}个岗位此前已评岗，未改动")
    if outcome.not_performing:
        notes.append(f"{outcome.not_performing}个岗位尚未履岗（无履职记实），未评岗")
    if outcome.unmapped:
        notes.append(f"{outcome.unmapped}个岗位的考评等次不在岗位等次中，请在岗位页面评岗")
    messages.success(request, "；".join(notes) + "。")
    return redirect("appraisal:cycle_detail", pk=pk)


# --- results ---------------------------------------------------------------------------


@officer_required
@require_GET
def cycle_results(request, pk):
    """考评结果: the table (branch and grade filters, by score), the grade chart per branch."""
    cycle = _cycle(request, pk)
    qs, filters, org, order = _results_query(request, cycle)
    page = request_page(request, qs, order=order, size=PAGE_SIZE)
    selectors.decorate(page.rows, cycle)
    context = _cycle_context(request, cycle, "results")
    context.update(
        {
            "page": page,
            "rows": list(zip(page.rows, selectors.table_rows(page.rows, cycle), strict=True)),
            "filters": filters,
            "org": org,
            "base_query": urlencode(filters),
            "export_query": urlencode({k: v for k, v in filters.items() if k != "sort"}),
            "org_picker": org_picker("org", org),
            "grades": [b[1] for b in cycle.bands],
            "dist": _distribution(request.user, cycle),
        }
    )
    return render(request, "appraisal/cycle_results.html", context)


def _results_query(request, cycle: EvaluationCycle):
    """The results table's filters: a branch (its subtree; out of scope or not under the cycle's
    organisation → 404), a grade of the cycle's bands, and — once computed — the order by total
    score."""
    filters: dict[str, Any] = {}
    org = None
    if raw := request.GET.get("org"):
        pk = parse_int(raw, low=1, high=ID_MAX)
        if pk is None:
            raise Http404
        org = get_for_user(Organisation.objects, request.user, pk=pk)
        if not org.path.startswith(cycle.organisation.path):
            raise Http404
        filters["org"] = org.pk
    grade = request.GET.get("grade", "")
    if grade not in [b[1] for b in cycle.bands]:
        grade = ""
    elif grade:
        filters["grade"] = grade
    by_score = cycle.state != CycleState.OPEN and request.GET.get("sort") == "score"
    if by_score:
        filters["sort"] = "score"
    qs, order = selectors.results_table(
        request.user, cycle, org=org, grade=grade, by_score=by_score
    )
    return qs, filters, org, order


def _distribution(user, cycle: EvaluationCycle) -> dict[str, Any]:
    dist = selectors.distribution(user, cycle)
    return {**dist, **charts.grade_distribution(dist)}


def _all_rows(request, cycle):
    """Every row the officer may read (no pagination), and the organisation the table is
    for: the filter's, the cycle's, or — for an officer below the cycle's organisation — the
    top of their own scope within it."""
    qs, _filters, org, _order = _results_query(request, cycle)
    results = list(qs.order_by("organisation__path", "person__name", "id"))
    selectors.decorate(results, cycle)
    if org is None and not access.can(request.user, "appraisal.manage_cycle", cycle):
        org = next(iter(selectors.org_choices(request.user, under=cycle.organisation)), None)
    return selectors.table_rows(results, cycle), org


@officer_required
@require_GET
def cycle_print(request, pk, fmt="html"):
    """党员履岗考评结果表 (A4 landscape)."""
    cycle = _cycle(request, pk)
    rows, org = _all_rows(request, cycle)
    return documents.respond(
        request,
        "appraisal/results_print.html",
        {
            "cycle": cycle,
            "rows": rows,
            "org": org or cycle.organisation,
            "headers": exports.RESULT_HEADERS,
            "query": request.GET.urlencode(),
            "weights": cycle.weights,
            "counts": rules.grade_counts([r["grade"] for r in rows], cycle.bands),
        },
        fmt=fmt,
        filename=f"{(org or cycle.organisation).name}党员履岗考评结果表（{cycle.title}）",
        label=f"{(org or cycle.organisation).name}党员履岗考评结果表（{cycle.title}）",
        rows=len(rows),
        job=True,
    )


@officer_required
@require_GET
def cycle_xlsx(request, pk):
    cycle = _cycle(request, pk)
    rows, org = _all_rows(request, cycle)
    name = f"{(org or cycle.organisation).name}党员履岗考评结果表"
    audit = PersonalDataAudit(request, f"{name}（{cycle.title}）")
    content = xlsx_table(
        sheet="党员履岗考评结果表",
        headers=exports.RESULT_HEADERS,
        rows=audit.count([r[k] for k in exports.RESULT_KEYS] for r in rows),
        title=f"{name}（{cycle.title}）",
        widths=exports.RESULT_WIDTHS,
    )
    return xlsx_response(request, content, f"{name}.xlsx", audit=audit)


@login_required
@require_GET
def result_detail(request, pk):
    """One result: the officer's view (with ratings, honours) or the member's own, published."""
    result = get_for_user(
        EvaluationResult.objects.select_related("cycle__organisation", "person", "organisation"),
        request.user,
        pk=pk,
    )
    cycle = result.cycle
    officer = access.can(request.user, "appraisal.award_honour", result)
    # an officer looking at their own result: the raters stay unnamed, no honour to oneself
    own = result.person_id == request.user.person_id
    report = SelfReport.objects.filter(cycle=cycle, person_id=result.person_id).first()
    context = {
        "result": result,
        "cycle": cycle,
        "officer": officer,
        "report": report,
        "honours": list(Honour.objects.filter(person_id=result.person_id, cycle=cycle)),
        "rectification": MemberRectification.objects.filter(result=result).first(),
        "can_award": officer
        and not own
        and cycle.state != CycleState.OPEN
        and rules.may_receive_honour(
            result.grade, cycle.bands, result.masses_score, selectors.masses_poor_below()
        ),
        "honour_form": forms.HonourForm(),
    }
    if officer and not own:
        context["ratings"] = list(
            cycle.ratings.filter(ratee_id=result.person_id).select_related("rater")
        )
    return render(request, "appraisal/result_detail.html", context)


# --- rating (综合评定) --------------------------------------------------------------------------


@officer_required
def rating(request, pk):
    """综合评定 of one branch: one row per member, saved all at once."""
    cycle = _cycle(request, pk)
    orgs = selectors.rating_orgs(request.user, cycle)
    if not orgs:
        raise PermissionDenied("您的管理范围内没有本次考评的考评对象。")
    wanted = parse_int(request.GET.get("org"))
    current = next((o for o in orgs if o["organisation_id"] == wanted), None)
    if request.GET.get("org") and current is None:
        raise Http404
    current = current or orgs[0]
    org = Organisation.objects.get(pk=current["organisation_id"])
    rows = selectors.rating_rows(request.user, cycle, org)
    window_open = cycle.state == CycleState.OPEN and rules.window_open(
        cycle.starts_on, cycle.ends_on, timezone.localdate()
    )
    for row in rows:
        initial = {"score": row["score"], "comment": row["comment"]}
        row["form"] = forms.RatingRowForm(
            request.POST or None,
            prefix=f"p{row['person'].pk}",
            initial=initial,
            disabled=not window_open or not request.user.person_id,
        )
    if request.method == "POST":
        if all(row["form"].is_valid() for row in rows if not row["is_self"]):
            items = [
                (
                    row["person"],
                    row["form"].cleaned_data["score"],
                    row["form"].cleaned_data["comment"],
                )
                for row in rows
                if not row["is_self"]
            ]
            try:
                saved = services.ratings_save(actor=request.user, cycle=cycle, ratings=items)
            except ValidationError as exc:
                messages.error(request, form_errors(exc))
            else:
                messages.success(request, f"已保存{len(saved)}名党员的综合评定。")
                return redirect(f"{reverse('appraisal:rating', args=[pk])}?org={org.pk}")
        else:
            messages.error(request, "请修正标出的评定分（0～100分）后再保存，已填写的内容已保留。")
    return render(
        request,
        "appraisal/rating.html",
        {
            **_cycle_context(request, cycle, "rating"),
            "orgs": orgs,
            "org": org,
            "rows": rows,
            "has_person": bool(request.user.person_id),
            "window_open": window_open,
        },
    )


# --- honours -------------------------------------------------------------------------------


class HonourAward(ServiceFormView):
    form_class = forms.HonourForm
    template_name = "appraisal/honour_form.html"
    form_user_kwarg = False

    def get_object(self) -> EvaluationResult:
        results = EvaluationResult.objects.select_related("cycle", "person", "organisation")
        return get_for_user(results, self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"data": self.request.POST or None}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(result=self.object, **context)

    def perform(self, data: dict[str, Any]) -> Honour:
        self.success_message = f"已授予{self.object.person.name}荣誉称号。"
        return services.honour_award(actor=self.request.user, result=self.object, **data)

    def get_success_url(self, result: Honour) -> str:
        return reverse("appraisal:result_detail", args=[self.object.pk])


@officer_required
@require_GET
def honour_list(request):
    filterset = HonourFilter.for_page(request, selectors.honours(request.user))
    filters = filterset.active
    page = request_page(request, filterset.qs, order=("-year", "kind", "id"), size=PAGE_SIZE)
    editable = set(
        Honour.objects.editable_by(request.user)
        .filter(pk__in=[h.pk for h in page.rows])
        .values_list("pk", flat=True)
    )
    for honour in page.rows:
        honour.can_edit = honour.pk in editable
    return render(
        request,
        "appraisal/honour_list.html",
        {
            "page": page,
            "filters": filters,
            "base_query": filterset.querystring(),
            "kinds": HonourKind.choices,
        },
    )


@officer_required
@require_GET
def honour_export(request):
    qs = HonourFilter.for_page(request, selectors.honours(request.user)).qs
    ordered = qs.order_by("-year", "kind", "organisation__path", "person__name", "id")
    rows = (exports.honour_row(h) for h in ordered)
    audit = PersonalDataAudit(request, "党员荣誉（党员示范（先锋）岗、优秀共产党员、后备干部）")
    content = xlsx_table(
        sheet="党员荣誉",
        headers=exports.HONOUR_HEADERS,
        rows=audit.count(rows),
        title="党员荣誉（党员示范（先锋）岗、优秀共产党员、后备干部）",
        widths=exports.HONOUR_WIDTHS,
    )
    return xlsx_response(request, content, "党员荣誉.xlsx", audit=audit)


class HonourRevoke(ActionView):
    success_message = "已撤销该荣誉。"

    def get_object(self) -> Honour:
        return get_for_user(Honour.objects.all(), self.request.user, pk=self.kwargs["pk"])

    def perform(self, obj: Honour, data: dict[str, Any]) -> None:
        services.honour_revoke(actor=self.request.user, honour=obj)

    def get_success_url(self, obj: Honour) -> str:
        return reverse("appraisal:honour_list")


# --- rectification ---------------------------------------------------------------------------


@officer_required
@require_GET
def rectification_list(request):
    today = timezone.localdate()
    filterset = RectificationFilter.for_page(request, selectors.rectifications(request.user))
    filters = filterset.active
    page = request_page(request, filterset.qs, order=("deadline", "id"), size=PAGE_SIZE)
    for item in page.rows:
        item.overdue = rules.rectification_overdue(item.state, item.deadline, today)
    return render(
        request,
        "appraisal/rectification_list.html",
        {
            "page": page,
            "filters": filters,
            "base_query": filterset.querystring(),
            "states": RectificationState.choices,
        },
    )


def _rectification(request, pk) -> MemberRectification:
    return get_for_user(
        MemberRectification.objects.select_related(
            "person", "organisation", "result__cycle", "explain_meeting", "verified_by"
        ),
        request.user,
        pk=pk,
    )


def _rectification_context(request, item, **bound) -> dict:
    """The page of a rectification; `bound` holds a form posted with errors (kept as typed)."""
    officer = access.can(request.user, "appraisal.handle_rectification", item)
    own = item.person_id == request.user.person_id
    reports = access.can(request.user, "appraisal.report_rectification", item)
    context = {
        "item": item,
        "officer": officer,
        "own": own,
        "overdue": rules.rectification_overdue(item.state, item.deadline, timezone.localdate()),
        "explain_form": forms.ExplainForm(rectification=item) if officer else None,
        "complete_form": forms.CompleteForm() if reports else None,
        "verify_form": forms.VerifyForm() if officer and not own else None,
        "events": events_for(item) if officer else [],
    }
    context.update(bound)
    return context


@login_required
@require_GET
def rectification_detail(request, pk):
    item = _rectification(request, pk)
    return render(
        request, "appraisal/rectification_detail.html", _rectification_context(request, item)
    )


def _rectification_step(request, item, name: str, form, call, message: str):
    """Run one step of the rectification; on a refusal show the page again with the form as
    it was typed and the rule's message on it."""
    if submit(request, form, call, message):
        return redirect("appraisal:rectification_detail", pk=item.pk)
    return render(
        request,
        "appraisal/rectification_detail.html",
        _rectification_context(request, item, **{name: form}),
    )


@login_required
@require_POST
def rectification_explain(request, pk):
    item = _rectification(request, pk)
    return _rectification_step(
        request,
        item,
        "explain_form",
        forms.ExplainForm(request.POST, rectification=item),
        lambda d: services.rectification_explain(
            actor=request.user,
            rectification=item,
            meeting=d["meeting"],
            explained_on=d["explained_on"],
            explanation=d["explanation"],
        ),
        "已登记在党员大会上作出的解释和说明。",
    )


@login_required
@require_POST
def rectification_complete(request, pk):
    item = _rectification(request, pk)
    return _rectification_step(
        request,
        item,
        "complete_form",
        forms.CompleteForm(request.POST),
        lambda d: services.rectification_complete(actor=request.user, rectification=item, **d),
        "已登记整改完成。",
    )


@login_required
@require_POST
def rectification_verify(request, pk):
    item = _rectification(request, pk)
    return _rectification_step(
        request,
        item,
        "verify_form",
        forms.VerifyForm(request.POST),
        lambda d: services.rectification_verify(actor=request.user, rectification=item, **d),
        "已验收整改。",
    )


# --- the member's own pages --------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """我的考评 (phone): open cycles to self-report, published results, honours, rectification."""
    person = services.actor_person(request.user)
    context = {"person": person, **selectors.member_overview(person)}
    today = timezone.localdate()
    for r in context["open_results"]:
        r.window_open = rules.window_open(r.cycle.starts_on, r.cycle.ends_on, today)
    return render(request, "appraisal/mine.html", context)


@login_required
def self_report(request, pk):
    """述岗自评 (phone): my posts this year and my duty records of the period beside the form."""
    person = services.actor_person(request.user)
    result = (
        EvaluationResult.objects.filter(cycle_id=pk, person=person)
        .select_related("cycle", "organisation")
        .first()
    )
    if result is None:
        raise Http404
    cycle = result.cycle
    existing = SelfReport.objects.filter(cycle=cycle, person=person).first()
    initial = {"report": existing.report, "self_score": existing.self_score} if existing else {}
    form = forms.SelfReportForm(request.POST or None, initial=initial, bands=cycle.bands)
    if submit(
        request,
        form,
        lambda d: services.self_report_submit(actor=request.user, cycle=cycle, **d),
        "已提交述岗自评。考评计算前可以修改。",
    ):
        return redirect("appraisal:mine")
    count, records = selectors.duty_records_in(person, cycle, limit=10)
    today = timezone.localdate()
    return render(
        request,
        "appraisal/self_report.html",
        {
            "form": form,
            "cycle": cycle,
            "result": result,
            "existing": existing,
            "posts": selectors.posts_of_year(person, cycle.year),
            "record_count": count,
            "records": records,
            "editable": cycle.state == CycleState.OPEN
            and rules.window_open(cycle.starts_on, cycle.ends_on, today),
        },
    )
