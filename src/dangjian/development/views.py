"""Screens of member development (发展党员): the pipeline board, the dossier with its ten-step
timeline and the next step's form, notices, the configurable steps, the member's own dossier,
the printable 发展党员工作流程纪实表 and the XLSX of the board. Thin: scope, validate, call a
service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, render_print, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.scoping import get_for_user
from dangjian.core.web import officer_required, refused, submit
from dangjian.development import forms, selectors, services
from dangjian.development import permissions as perms
from dangjian.development.models import (
    CaseStatus,
    Notice,
    Objection,
    Stage,
    StageDefinition,
)

PAGE_SIZE = 50
LIST_HEADERS = [
    "姓名",
    "所在支部",
    "当前步骤",
    "申请日期",
    "积极分子日期",
    "培养考察对象日期",
    "发展对象日期",
    "支部大会日期",
    "预备期满日期",
    "状态",
]


def _conversion(step):
    return lambda actor, case, d: services.case_conversion_step(
        actor=actor, case=case, step=step, **d
    )


def _purpose_call(service, purpose_field="purpose"):
    def call(actor, case, d):
        step = selectors.next_step(case, timezone.localdate())
        purpose = step.purpose if step and step.purpose else ""
        if not purpose:
            raise ValidationError({"__all__": "当前步骤不需要办理该事项"})
        return service(actor=actor, case=case, **{purpose_field: purpose}, **d)

    return call


def _on_case(service):
    return lambda actor, case, data: service(actor=actor, case=case, **data)


# verb → (form, call(actor, case, cleaned data), success message)
VERBS = {
    "activist": (
        forms.ActivistForm,
        _on_case(services.case_make_activist),
        "已确定为入党积极分子。",
    ),
    "candidate": (
        forms.CandidateForm,
        _on_case(services.case_make_candidate),
        "已确定为培养考察对象。",
    ),
    "notice": (forms.NoticeForm, _purpose_call(services.notice_create), "已发布公示。"),
    "cultivate": (
        forms.CultivateForm,
        _on_case(services.case_start_cultivation),
        "已指定培养人，开始培养考察。",
    ),
    "target": (
        forms.TargetForm,
        _on_case(services.case_make_target),
        "已确定为发展对象。",
    ),
    "vote": (forms.VoteForm, _purpose_call(services.vote_record), "已登记支部大会表决。"),
    "talk": (
        forms.TalkForm,
        _on_case(services.case_record_talk),
        "已登记谈话。",
    ),
    "approve": (
        forms.ApproveForm,
        _on_case(services.case_approve),
        "党总支已审批为预备党员。",
    ),
    "apply_conversion": (
        forms.ApplyConversionForm,
        _on_case(services.case_apply_conversion),
        "已登记转正申请。",
    ),
    "opinions": (forms.ConversionStepForm, _conversion("opinions"), "已登记征求意见。"),
    "committee": (forms.ConversionStepForm, _conversion("committee"), "已登记支委会讨论。"),
    "review": (forms.ConversionStepForm, _conversion("review"), "已登记党总支审查。"),
    "approve_conversion": (
        forms.ApproveConversionForm,
        _on_case(services.case_approve_conversion),
        "党总支已审批转为正式党员。",
    ),
    "extend": (
        forms.ExtendForm,
        _on_case(services.case_extend),
        "已延长预备期。",
    ),
    "cancel": (
        forms.CancelForm,
        _on_case(services.case_cancel),
        "已终止该发展党员档案。",
    ),
    "report": (
        forms.ReportForm,
        _on_case(services.probation_report_create),
        "已登记思想汇报。",
    ),
    "event": (
        forms.EventForm,
        _on_case(services.case_event_add),
        "已登记材料。",
    ),
}


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# --- the board -----------------------------------------------------------------------------


@officer_required
@require_GET
def case_list(request):
    """The pipeline board: counts per step, cases (keyset pages), running notices, probations
    ending, conversion applications due."""
    today = timezone.localdate()
    qs, filters, org, counts = selectors.cases_for_list(request.user, request.GET)
    page = request_page(request, qs, order=("stage", "applied_on", "id"), size=PAGE_SIZE)
    names = selectors.stage_names()
    base = {k: v for k, v in filters.items() if k != "stage"}
    return render(
        request,
        "development/case_list.html",
        {
            "page": page,
            "filters": filters,
            "org": org,
            "base_query": urlencode(filters),
            "stage_query": urlencode(base),
            "stages": [(s.value, names[s.value], counts.get(s.value, 0)) for s in Stage],
            "total": sum(counts.values()),
            "names": names,
            "org_choices": selectors.org_choices(request.user),
            "statuses": CaseStatus.choices,
            "notices": list(selectors.running_notices(request.user, today)[:20]),
            "ending": list(selectors.probations_ending(request.user, today)[:20]),
            "conversions": selectors.conversions_due(request.user, today)[:20],
            "today": today,
        },
    )


@officer_required
@require_GET
def case_export(request):
    qs, _filters, org, _counts = selectors.cases_for_list(request.user, request.GET)
    names = selectors.stage_names()
    rows = (
        [
            c.person.name,
            c.organisation.name,
            f"{c.stage}. {names[c.stage]}",
            c.applied_on,
            c.activist_on,
            c.candidate_on,
            c.target_on,
            c.admitted_on,
            c.probation_ends_on,
            c.get_status_display(),
        ]
        for c in qs.order_by("organisation__path", "stage", "applied_on", "id").iterator(
            chunk_size=500
        )
    )
    title = f"{org.name if org else ''}发展党员工作台账"
    audit = PersonalDataAudit(request, title)
    content = xlsx_table(
        sheet="发展党员",
        headers=LIST_HEADERS,
        rows=audit.count(rows),
        title=title,
        widths=[10, 22, 22, 12, 12, 14, 12, 12, 12, 12],
    )
    return xlsx_response(content, f"{title}.xlsx", audit=audit)


@officer_required
def case_create(request):
    initial = {"applied_on": timezone.localdate()}
    if request.GET.get("person"):
        initial["person"] = request.GET["person"]
    form = forms.CaseCreateForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    try:
        case = submit(
            request,
            form,
            lambda d: services.case_create(actor=request.user, **d),
            "已建立发展党员档案。",
        )
    except PermissionDenied as exc:
        return refused(request, exc, reverse("development:case_list"))
    if case:
        return redirect("development:case_detail", case.pk)
    return render(
        request,
        "development/form.html",
        {
            "form": form,
            "title": "建立发展党员档案",
            "help": "从递交书面入党申请书之日起建档；"
            "申请人须年满18周岁（种子文件004 §四(三)1(1)）。",
            "multipart": True,
        },
    )


# --- the dossier ---------------------------------------------------------------------------


def _dossier(request, pk):
    return get_for_user(selectors.dossier_queryset(request.user), request.user, pk=pk)


def _detail_context(request, case, bound=None, bound_verb=""):
    today = timezone.localdate()
    officer = access.can(request.user, perms.ACT, case)
    above = access.can(request.user, perms.APPROVE, case)
    step = selectors.next_step(case, today)
    schedule, missing_reports = selectors.reports(case, today)
    context = {
        "case": case,
        "officer": officer,
        "above": above,
        "step": step,
        "timeline": selectors.timeline(case, today),
        "notices": list(case.notices.all()),
        "votes": list(case.votes.all()),
        "schedule": schedule,
        "missing_reports": missing_reports,
        "reports": list(case.probation_reports.all()),
        "events": events_for(case) if officer else [],
        "today": today,
        "open": case.status in selectors.OPEN,
        "in_probation": case.status in services.PROBATION_STATUSES,
    }
    if officer and step is not None and (above or not step.above):
        form_class = VERBS[step.verb][0]
        context["step_form"] = (
            bound if bound_verb == step.verb else form_class(user=request.user, case=case)
        )
    if officer and context["open"]:
        context["event_form"] = (
            bound
            if bound_verb == "event"
            else forms.EventForm(
                user=request.user, case=case, initial={"stage": min(case.stage + 1, 10)}
            )
        )
        context["cancel_form"] = bound if bound_verb == "cancel" else forms.CancelForm()
        if context["in_probation"]:
            context["report_form"] = (
                bound if bound_verb == "report" else forms.ReportForm(user=request.user, case=case)
            )
            if above:
                context["extend_form"] = bound if bound_verb == "extend" else forms.ExtendForm()
        context["objection_form"] = forms.ObjectionForm()
        context["resolve_form"] = forms.ResolveForm()
    context["bound_verb"] = bound_verb
    return context


@login_required
@require_GET
def case_detail(request, pk):
    case = _dossier(request, pk)
    return render(request, "development/case_detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_act(request, pk, verb):
    """One transition of the dossier; errors go back onto the form, a refused right is a 403
    naming the rule."""
    if verb not in VERBS:
        raise Http404
    case = _dossier(request, pk)
    detail = reverse("development:case_detail", args=[case.pk])
    if not access.can(request.user, perms.ACT, case):
        return refused(request, access.refusal(perms.ACT), detail)
    form_class, call, message = VERBS[verb]
    form = form_class(request.POST, request.FILES, user=request.user, case=case)
    try:
        done = submit(request, form, lambda d: call(request.user, case, d), message)
    except PermissionDenied as exc:
        return refused(request, exc, detail)
    if done:
        if verb == "vote" and not done.passed:
            messages.warning(request, f"表决未通过：{done.failure}")
        return redirect(detail)
    case = _dossier(request, pk)
    messages.error(request, "未能办理，请核对下方标红的内容。")
    return render(
        request,
        "development/case_detail.html",
        _detail_context(request, case, bound=form, bound_verb=verb),
        status=400,
    )


@login_required
@require_POST
def objection_add(request, pk):
    notice = get_for_user(Notice.objects.select_related("case"), request.user, pk=pk)
    detail = reverse("development:case_detail", args=[notice.case_id])
    return _notice_action(
        request,
        forms.ObjectionForm(request.POST),
        lambda d: services.objection_create(actor=request.user, notice=notice, **d),
        "已登记公示意见。",
        detail,
    )


@login_required
@require_POST
def objection_resolve(request, pk):
    objection = Objection.objects.select_related("notice").filter(pk=pk).first()
    if objection is None:
        raise Http404
    notice = get_for_user(Notice.objects.all(), request.user, pk=objection.notice_id)
    detail = reverse("development:case_detail", args=[notice.case_id])
    return _notice_action(
        request,
        forms.ResolveForm(request.POST),
        lambda d: services.objection_resolve(actor=request.user, objection=objection, **d),
        "已登记核查处理结果。",
        detail,
    )


def _notice_action(request, form, call, message, detail):
    """Run a notice's small form (objection, resolution) and go back to the dossier's notices."""
    try:
        if not submit(request, form, call, message):
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    except PermissionDenied as exc:
        return refused(request, exc, detail)
    return redirect(detail + "#notices")


@login_required
@require_GET
def my_case(request):
    """我的入党进程: the signed-in person's own dossier, read-only."""
    case = None
    if request.user.person_id:
        case = (
            selectors.dossier_queryset(request.user)
            .filter(person_id=request.user.person_id)
            .order_by("-created_at", "-id")
            .first()
        )
    if case is None:
        return render(request, "development/my_case.html", {"case": None})
    context = _detail_context(request, case)
    context["mine"] = True
    return render(request, "development/my_case.html", context)


@login_required
@require_GET
def case_print(request, pk):
    """发展党员工作流程纪实表 (A4)."""
    case = _dossier(request, pk)
    today = timezone.localdate()
    return render_print(
        request,
        "development/case_print.html",
        {
            "case": case,
            "timeline": selectors.timeline(case, today),
            "votes": list(case.votes.all()),
            "notices": list(case.notices.all()),
            "today": today,
        },
        label=f"发展党员工作流程纪实表（{case.person}）",
        rows=1,
    )


# --- notices and stages --------------------------------------------------------------------


@officer_required
@require_GET
def notice_list(request):
    today = timezone.localdate()
    notices = list(selectors.recent_notices(request.user, today)[:200])
    for n in notices:
        n.running = n.starts_on <= today <= n.ends_on
    return render(request, "development/notice_list.html", {"notices": notices, "today": today})


@officer_required
@require_GET
def stage_list(request):
    return render(
        request,
        "development/stage_list.html",
        {
            "stages": StageDefinition.objects.all(),
            "can_edit": access.can(request.user, perms.EDIT_STAGES),
        },
    )


@officer_required
def stage_edit(request, pk):
    definition = get_for_user_stage(pk)
    if not access.can(request.user, perms.EDIT_STAGES):
        return refused(
            request, access.refusal(perms.EDIT_STAGES), reverse("development:stage_list")
        )
    form = forms.StageDefinitionForm(request.POST or None, instance=definition)
    if submit(
        request,
        form,
        lambda d: services.stage_definition_update(actor=request.user, definition=definition, **d),
        "已保存。",
    ):
        return redirect("development:stage_list")
    return render(
        request,
        "development/form.html",
        {
            "form": form,
            "title": f"编辑发展步骤：第{definition.stage}步",
            "help": "名称、要求和应存材料可按本校实际修改；步骤顺序和各步骤的条件以种子文件"
            "004 §四(三)1为准。",
            "events": events_for(definition),
        },
    )


def get_for_user_stage(pk) -> StageDefinition:
    definition = StageDefinition.objects.filter(pk=pk).first()
    if definition is None:
        raise Http404
    return definition
