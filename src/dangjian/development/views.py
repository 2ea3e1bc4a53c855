"""Screens of member development (发展党员): the pipeline board, the dossier with its ten-step
timeline and the next step's form, notices, the configurable steps, the member's own dossier,
the printable 发展党员工作流程纪实表 and the XLSX of the board. Thin: scope, validate, call a
service, render."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import access, documents
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.scoping import get_for_user
from dangjian.core.web import ActionView, ServiceFormView, officer_required, refused, submit
from dangjian.development import exports, forms, selectors, services
from dangjian.development import permissions as perms
from dangjian.development.filters import ALL, CaseFilter
from dangjian.development.models import (
    OPEN_STATUSES,
    PROBATION_STATUSES,
    CaseStatus,
    Notice,
    Objection,
    Stage,
    StageDefinition,
)
from dangjian.org.widgets import org_picker

PAGE_SIZE = 50


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


# --- the board -----------------------------------------------------------------------------


def _board(request) -> tuple[CaseFilter, dict[str, Any], Any]:
    """The board's filters, the values of its filter bar and the organisation chosen."""
    filters = CaseFilter.for_page(request, selectors.board_cases(request.user))
    org = filters.organisation()
    selected = {"status": ALL, **filters.active}
    if org is None:
        selected.pop("org", None)
    return filters, selected, org


@officer_required
@require_GET
def case_list(request):
    """The pipeline board: counts per step, cases (keyset pages), running notices, probations
    ending, conversion applications due."""
    today = timezone.localdate()
    filters, selected, org = _board(request)
    counts = selectors.stage_counts(filters.without("stage"), request.user)
    qs = selectors.with_list_relations(filters.qs)
    page = request_page(request, qs, order=("stage", "applied_on", "id"), size=PAGE_SIZE)
    names = selectors.stage_names()
    base = {k: v for k, v in selected.items() if k != "stage"}
    return render(
        request,
        "development/case_list.html",
        {
            "page": page,
            "filters": selected,
            "org": org,
            "base_query": urlencode(selected),
            "stage_query": urlencode(base),
            "stages": [(s.value, names[s.value], counts.get(s.value, 0)) for s in Stage],
            "total": sum(counts.values()),
            "names": names,
            "org_picker": org_picker("org", org),
            "statuses": CaseStatus.choices,
            "notices": list(selectors.running_notices(request.user, today)[:20]),
            "ending": list(selectors.probations_ending(request.user, today)[:20]),
            "conversions": selectors.conversions_due(request.user, today, limit=20),
            "today": today,
        },
    )


@officer_required
@require_GET
def case_export(request):
    filters, _selected, org = _board(request)
    qs = selectors.with_list_relations(filters.qs)
    cases = qs.order_by("organisation__path", "stage", "applied_on", "id").iterator(chunk_size=500)
    title = f"{org.name if org else ''}发展党员工作台账"
    audit = PersonalDataAudit(request, title)
    content = xlsx_table(
        sheet="发展党员",
        headers=exports.HEADERS,
        rows=audit.count(exports.case_rows(cases, selectors.stage_names())),
        title=title,
        widths=exports.WIDTHS,
    )
    return xlsx_response(request, content, f"{title}.xlsx", audit=audit)


class CaseCreate(ServiceFormView):
    form_class = forms.CaseCreateForm
    title = "建立发展党员档案"
    help_text = (
        "从递交书面入党申请书之日起建档；申请人须年满18周岁"
        "（《基层组织建设实施意见》§四(三)1(1)）。"
    )
    success_message = "已建立发展党员档案。"
    multipart = True

    def get_initial(self) -> dict[str, Any]:
        return {"applied_on": timezone.localdate(), "person": self.request.GET.get("person")}

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [(reverse("development:case_list"), "发展党员")]

    def perform(self, data: dict[str, Any]) -> Any:
        return services.case_create(actor=self.request.user, **data)

    def get_success_url(self, result: Any) -> str:
        return reverse("development:case_detail", args=[result.pk])


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
        "open": case.status in OPEN_STATUSES,
        "in_probation": case.status in PROBATION_STATUSES,
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


class ObjectionAdd(ActionView):
    """登记公示意见 from the dossier's notices."""

    form_class = forms.ObjectionForm
    success_message = "已登记公示意见。"

    def get_object(self) -> Notice:
        return get_for_user(
            Notice.objects.select_related("case"), self.request.user, pk=self.kwargs["pk"]
        )

    def perform(self, obj: Notice, data: dict[str, Any]) -> Any:
        return services.objection_create(actor=self.request.user, notice=obj, **data)

    def get_success_url(self, obj: Notice) -> str:
        return reverse("development:case_detail", args=[obj.case_id]) + "#notices"


class ObjectionResolve(ActionView):
    """登记核查处理结果 of an objection."""

    form_class = forms.ResolveForm
    success_message = "已登记核查处理结果。"

    def get_object(self) -> Objection:
        objection = get_object_or_404(
            Objection.objects.select_related("notice"), pk=self.kwargs["pk"]
        )
        get_for_user(Notice.objects.all(), self.request.user, pk=objection.notice_id)
        return objection

    def perform(self, obj: Objection, data: dict[str, Any]) -> Any:
        return services.objection_resolve(actor=self.request.user, objection=obj, **data)

    def get_success_url(self, obj: Objection) -> str:
        return reverse("development:case_detail", args=[obj.notice.case_id]) + "#notices"


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
def case_print(request, pk, fmt="html"):
    """发展党员工作流程纪实表 (A4)."""
    case = _dossier(request, pk)
    today = timezone.localdate()
    return documents.respond(
        request,
        "development/case_print.html",
        {
            "case": case,
            "timeline": selectors.timeline(case, today),
            "votes": list(case.votes.all()),
            "notices": list(case.notices.all()),
            "today": today,
        },
        fmt=fmt,
        filename=f"发展党员工作流程纪实表（{case.person.name}）",
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


class StageEdit(ServiceFormView):
    form_class = forms.StageDefinitionForm
    form_user_kwarg = False
    access_action = perms.EDIT_STAGES
    help_text = (
        "名称、要求和应存材料可按本校实际修改；"
        "步骤顺序和各步骤的条件以《基层组织建设实施意见》§四(三)1为准。"
    )

    def get_object(self) -> StageDefinition:
        return get_object_or_404(StageDefinition, pk=self.kwargs["pk"])

    def get_title(self) -> str:
        return f"编辑发展步骤：第{self.object.stage}步"

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [
            (reverse("development:case_list"), "发展党员"),
            (reverse("development:stage_list"), "发展步骤"),
        ]

    def perform(self, data: dict[str, Any]) -> Any:
        return services.stage_definition_update(
            actor=self.request.user, definition=self.object, **data
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("development:stage_list")
