"""Pages of honours rounds (两优一先) and model units (典型培育): thin — find the row (scoped),
validate, call one service, render."""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, render_print, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.records import Column, RecordType
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import ServiceFormView, editable_or_403
from dangjian.honours import exports, filters, forms, rules, selectors, services
from dangjian.honours import permissions as perms
from dangjian.honours.models import (
    Category,
    HonourRound,
    ModelUnit,
    Nomination,
    NominationState,
    Objection,
    RoundState,
    UnitState,
)

PAGE_SIZE = 50


def _crumb_rounds() -> tuple[str, str]:
    return (reverse("honours:round_list"), "评选表彰")


def _crumb_round(round_: HonourRound) -> tuple[str, str]:
    return (reverse("honours:round_detail", args=[round_.pk]), round_.title)


class StepView(ServiceFormView):
    """A step on an existing row whose form is not a form of that row (no `instance`)."""

    show_events = False

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        if self.object is not None and (initial := self.get_initial()):
            kwargs["initial"] = initial
        return kwargs


# --- rounds -----------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request):
    page = request_page(request, selectors.rounds(request.user), order=("-year", "-id"), size=20)
    return render(
        request,
        "honours/round_list.html",
        {
            "page": page,
            "can_open": access.can(request.user, perms.RUN_ROUND),
            "interval": rules.ROUND_INTERVAL_YEARS,
        },
    )


class RoundCreate(ServiceFormView):
    form_class = forms.RoundForm
    title = "发起评选表彰"
    access_action = perms.RUN_ROUND
    success_message = "已发起评选表彰，请设置各党总支推荐名额。"
    help_text = (
        "先进基层党组织、优秀党务工作者和优秀共产党员每两年评选表彰一次"
        "（《基层组织建设实施意见》§四(五)3(1)），结合“七一”表彰（《组织建设年实施方案》§四(五)）。"
    )

    def get_initial(self) -> dict[str, Any]:
        year = timezone.localdate().year
        return {"year": year, "title": f"{year}年“两优一先”评选表彰"}

    def get_crumbs(self):
        return [_crumb_rounds()]

    def perform(self, data):
        return services.round_create(actor=self.request.user, **data)

    def get_success_url(self, result):
        return reverse("honours:round_detail", args=[result.pk])


def _round(request, pk) -> HonourRound:
    return get_for_user(HonourRound.objects.all(), request.user, pk=pk)


@login_required
@require_GET
def round_detail(request, pk):
    round_ = _round(request, pk)
    is_officer = scope_for(request.user).is_officer
    qs = selectors.nominations(request.user).filter(round=round_)
    flt = filters.NominationFilter.for_page(request, qs)
    page = request_page(
        request, flt.qs, order=("category", "organisation__path", "id"), size=PAGE_SIZE
    )
    can_run = access.can(request.user, perms.RUN_ROUND)
    return render(
        request,
        "honours/round_detail.html",
        {
            "round": round_,
            "page": page,
            "filters": flt,
            "base_query": flt.querystring(),
            "quotas": selectors.quota_pivot(selectors.quota_table(round_)) if is_officer else [],
            "categories": [label for _value, label in Category.choices],
            "is_officer": is_officer,
            "can_run": can_run,
            "can_nominate": is_officer and round_.state == RoundState.NOMINATING,
            "events": events_for(round_) if is_officer else [],
            "notice_days": rules.NOTICE_DAYS,
        },
    )


class RoundStep(StepView):
    """A step of the department on a round (quota, notice, decision, publication)."""

    access_action = perms.RUN_ROUND
    show_events = False

    def get_object(self):
        return _round(self.request, self.kwargs["pk"])

    def get_crumbs(self):
        return [_crumb_rounds(), _crumb_round(self.object)]

    def get_success_url(self, result):
        return reverse("honours:round_detail", args=[self.object.pk])


class QuotaSet(RoundStep):
    form_class = forms.QuotaForm
    title = "设置推荐名额"
    success_message = "已设置推荐名额。"
    help_text = "名额按党总支（或党委直属党支部）分配；推荐和审核时均核对名额。"

    def perform(self, data):
        return services.quota_set(actor=self.request.user, round=self.object, **data)


class NoticePost(RoundStep):
    form_class = forms.NoticeForm
    form_user_kwarg = False
    title = "公示拟表彰对象"
    success_message = "已公示审核通过的推荐对象。"

    def get_initial(self):
        return {"starts_on": timezone.localdate()}

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context["help"] = (
            f"公示审核通过的推荐对象，公示期不少于{settings.HONOURS_NOTICE_DAYS}天"
            "（含首尾两日，由党委组织部设置）。公示期间收到的意见须逐条核查。"
        )
        return context

    def perform(self, data):
        return services.notice_post(actor=self.request.user, round=self.object, **data)


class RoundDecide(RoundStep):
    form_class = forms.DecideForm
    form_user_kwarg = False
    title = "作出表彰决定"
    success_message = "已作出表彰决定。"
    help_text = "公示期满、意见核查完毕后，党委作出表彰决定：反映属实者不予表彰。"

    def get_initial(self):
        return {"decided_on": timezone.localdate()}

    def perform(self, data):
        return services.round_decide(actor=self.request.user, round=self.object, **data)


class RoundPublish(RoundStep):
    form_class = forms.PublishForm
    form_user_kwarg = False
    title = "发布表彰结果"
    success_message = "已发布表彰结果：六公开栏和受表彰者档案中可见。"
    help_text = "发布后，表彰结果在“六公开”公开栏（奖惩结果公开）和一人一档、一支部一档中显示。"

    def get_initial(self):
        return {"published_on": timezone.localdate()}

    def perform(self, data):
        return services.round_publish(actor=self.request.user, round=self.object, **data)


class NominationCreate(StepView):
    form_class = forms.NominationForm
    title = "推荐评选对象"
    success_message = "已推荐，待上级党组织审核。"
    help_text = "党支部、党总支在本党总支名额内推荐；推荐截止日期后不再受理。"

    def get_object(self):
        return _round(self.request, self.kwargs["pk"])

    def get_crumbs(self):
        return [_crumb_rounds(), _crumb_round(self.object)]

    def perform(self, data):
        return services.nomination_create(actor=self.request.user, round=self.object, **data)

    def get_success_url(self, result):
        return reverse("honours:nomination_detail", args=[result.pk])


@login_required
@require_GET
def round_export(request, pk):
    """推荐对象名单 (XLSX): the nominations of the round the user sees."""
    round_ = _round(request, pk)
    qs = filters.NominationFilter.for_page(
        request, selectors.nominations(request.user).filter(round=round_)
    ).qs.order_by("category", "organisation__path", "id")
    audit = PersonalDataAudit(request, f"{round_.title}推荐对象名单")
    content = xlsx_table(
        sheet="推荐对象",
        title=f"{round_.title}推荐对象名单",
        headers=exports.NOMINATION_HEADERS,
        rows=audit.count(exports.nomination_rows(qs.iterator(chunk_size=1000))),
        widths=exports.NOMINATION_WIDTHS,
    )
    return xlsx_response(request, content, f"{round_.title}推荐对象名单.xlsx", audit=audit)


@login_required
@require_GET
def round_print(request, pk):
    """拟表彰对象公示名单 / 表彰名单 (A4)."""
    round_ = _round(request, pk)
    shown = (
        (NominationState.AWARDED,)
        if round_.state in (RoundState.DECIDED, RoundState.PUBLISHED)
        else (NominationState.APPROVED, NominationState.AWARDED)
    )
    rows = list(
        selectors.nominations(request.user)
        .filter(round=round_, state__in=shown)
        .order_by("category", "organisation__path", "id")
    )
    return render_print(
        request,
        "honours/round_print.html",
        {"round": round_, "rows": rows, "decided": shown == (NominationState.AWARDED,)},
        label=f"{round_.title}名单",
        rows=len(rows),
    )


# --- nominations ------------------------------------------------------------------------------


def _nomination(request, pk) -> Nomination:
    return get_for_user(selectors.nominations(request.user), request.user, pk=pk)


@login_required
@require_GET
def nomination_detail(request, pk):
    nomination = _nomination(request, pk)
    round_ = nomination.round
    is_officer = scope_for(request.user).is_officer
    return render(
        request,
        "honours/nomination_detail.html",
        {
            "n": nomination,
            "round": round_,
            "objections": list(nomination.objections.all()) if is_officer else [],
            "can_review": round_.state == RoundState.NOMINATING
            and access.can(request.user, perms.REVIEW, nomination),
            "can_withdraw": round_.state == RoundState.NOMINATING
            and nomination.state in (NominationState.NOMINATED, NominationState.REJECTED)
            and access.can(request.user, perms.NOMINATE, nomination),
            "can_object": round_.state == RoundState.NOTICE
            and nomination.state == NominationState.APPROVED
            and access.can(request.user, perms.OBJECTION, Objection(nomination=nomination)),
            "events": events_for(nomination) if is_officer else [],
        },
    )


class NominationStep(StepView):
    show_events = False
    form_user_kwarg = False

    def get_object(self):
        return _nomination(self.request, self.kwargs["pk"])

    def get_crumbs(self):
        n = self.object
        return [
            _crumb_rounds(),
            _crumb_round(n.round),
            (reverse("honours:nomination_detail", args=[n.pk]), n.nominee_name),
        ]

    def get_success_url(self, result):
        return reverse("honours:nomination_detail", args=[self.object.pk])


class NominationReview(NominationStep):
    form_class = forms.ReviewForm
    access_action = perms.REVIEW
    title = "审核推荐对象"
    success_message = "已审核。"
    help_text = "上一级党组织审核：审核通过时核对本党总支名额；未通过须写明理由。"

    def perform(self, data):
        return services.nomination_review(actor=self.request.user, nomination=self.object, **data)


class NominationWithdraw(NominationStep):
    form_class = forms.ConfirmForm
    access_action = perms.NOMINATE
    title = "撤回推荐"
    submit_label = "确认撤回"
    danger = True
    success_message = "已撤回推荐。"

    def perform(self, data):
        services.nomination_withdraw(actor=self.request.user, nomination=self.object)
        return True

    def get_success_url(self, result):
        return reverse("honours:round_detail", args=[self.object.round_id])


class ObjectionRecord(NominationStep):
    form_class = forms.ObjectionForm
    title = "登记公示意见"
    success_message = "已登记公示意见，请核查处理。"

    def setup_object(self):
        super().setup_object()
        access.require(self.request.user, perms.OBJECTION, Objection(nomination=self.object))

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def perform(self, data):
        return services.objection_record(actor=self.request.user, nomination=self.object, **data)


class ObjectionResolve(NominationStep):
    form_class = forms.ResolveForm
    access_action = perms.OBJECTION
    title = "核查处理公示意见"
    success_message = "已核查处理。"

    def get_object(self):
        return get_for_user(
            Objection.objects.filter(
                nomination__in=selectors.nominations(self.request.user)
            ).select_related("nomination__round", "nomination__organisation"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def get_crumbs(self):
        n = self.object.nomination
        return [
            _crumb_rounds(),
            _crumb_round(n.round),
            (reverse("honours:nomination_detail", args=[n.pk]), n.nominee_name),
        ]

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context["help"] = f"反映内容：{self.object.content}"
        return context

    def perform(self, data):
        return services.objection_resolve(actor=self.request.user, objection=self.object, **data)

    def get_success_url(self, result):
        return reverse("honours:nomination_detail", args=[self.object.nomination_id])


@login_required
@require_GET
def nomination_print(request, pk):
    """评选推荐审批表 (A4)."""
    nomination = _nomination(request, pk)
    return render_print(
        request,
        "honours/nomination_print.html",
        {"n": nomination, "objections": list(nomination.objections.all())},
        label=f"评选推荐审批表（{nomination.nominee_name}）",
        rows=1,
    )


# --- model units (典型培育) ---------------------------------------------------------------------


class UnitRecordType(RecordType):
    """The generic register, with the checks and the review on the detail page."""

    def detail_view(self, request, pk):
        unit = get_for_user(self.queryset(request.user), request.user, pk=pk)
        may_edit = ModelUnit.objects.editable_by(request.user).filter(pk=pk).exists()
        fields = [
            (c.header, value)
            for c, value in ((c, _shown(unit, c.attr)) for c in (self.details or self.columns))
        ]
        return render(
            request,
            "honours/unit_detail.html",
            {
                "record": self,
                "object": unit,
                "fields": fields,
                "may_edit": may_edit,
                "can_check": may_edit and unit.state != UnitState.WITHDRAWN,
                "checks": list(unit.checks.select_related("checked_by")),
                "events": events_for(unit),
            },
        )


def _shown(obj: Any, attr: str) -> str:
    from dangjian.core.records import cell, shown

    return shown(cell(obj, attr))


UNITS = UnitRecordType(
    model=ModelUnit,
    namespace="honours",
    name="unit",
    label="示范单位培育",
    form=forms.ModelUnitForm,
    filterset=filters.ModelUnitFilter,
    columns=[
        Column("培育单位", "organisation.name", link=True, width=24),
        Column("类型", "kind", width=22),
        Column("典型类别", "feature", width=18),
        Column("确定单位的党组织", "chosen_by.name", width=20),
        Column("挂钩联系领导", "leader.name", width=12),
        Column("培育开始日期", "starts_on", width=12),
        Column("状态", "state", width=10),
    ],
    details=[
        Column("培育单位", "organisation.name"),
        Column("类型", "kind"),
        Column("典型类别", "feature"),
        Column("确定单位的党组织", "chosen_by.name"),
        Column("挂钩联系领导", "leader.name"),
        Column("培育期", "period_text"),
        Column("培育目标", "goals"),
        Column("状态", "state"),
        Column("评审日期", "reviewed_on"),
        Column("评审意见", "review_note"),
    ],
    create=services.unit_create,
    update=services.unit_update,
    delete=services.unit_delete,
    object_kwarg="unit",
    order=("-starts_on", "-id"),
    select_related=("organisation", "chosen_by", "leader"),
    empty_text="尚未确定培育的示范单位。",
    add_label="确定示范单位",
    help_text=(
        "党委确定2—3个典型重点培育（《168模式实施意见》§六2）；"
        "典型示范单位至多10个（《延伸提升168机制意见》§三），领导干部挂钩联系。"
    ),
    personal_data=False,
    api_fields=["state", "reviewed_on", "review_note"],
)


class UnitStep(StepView):
    show_events = False
    form_user_kwarg = False
    access_action = perms.MANAGE_UNIT

    def get_object(self):
        return editable_or_403(
            UNITS.queryset(self.request.user), self.request.user, self.kwargs["pk"]
        )

    def get_crumbs(self):
        return [
            (reverse("honours:unit_list"), UNITS.label),
            (reverse("honours:unit_detail", args=[self.object.pk]), str(self.object)),
        ]

    def get_success_url(self, result):
        return reverse("honours:unit_detail", args=[self.object.pk])


class UnitCheckAdd(UnitStep):
    form_class = forms.CheckForm
    title = "登记培育检查"
    success_message = "已登记检查情况。"
    help_text = "采取点评会、经常性督查、随机抽查等方式加强督促检查（《168模式实施意见》§六3）。"

    def get_initial(self):
        return {"checked_on": timezone.localdate()}

    def perform(self, data):
        return services.check_record(actor=self.request.user, unit=self.object, **data)


class UnitReview(UnitStep):
    form_class = forms.UnitReviewForm
    title = "评审示范单位"
    success_message = "已评审。"
    help_text = "依据考核检查情况评审：确认为示范单位，或撤销（须写明理由）。"

    def get_initial(self):
        return {"reviewed_on": timezone.localdate()}

    def perform(self, data):
        return services.unit_review(actor=self.request.user, unit=self.object, **data)


@login_required
@require_GET
def unit_counts(request):
    """Units being cultivated by each level against the seeds' counts."""
    return render(
        request,
        "honours/unit_counts.html",
        {"rows": selectors.unit_count_table(request.user)},
    )


@login_required
@require_GET
def unit_print(request, pk):
    """示范单位培育情况表 (A4)."""
    unit = get_for_user(UNITS.queryset(request.user), request.user, pk=pk)
    checks = list(unit.checks.all())
    return render_print(
        request,
        "honours/unit_print.html",
        {"unit": unit, "checks": checks},
        label=f"示范单位培育情况表（{unit.organisation.name}）",
        rows=1,
    )
