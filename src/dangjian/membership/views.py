"""Pages of membership administration: each record type is declared once (core.records)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core import access, documents
from dangjian.core.audit import events_for
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_int
from dangjian.core.records import Column, RecordType, cell, shown
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import (
    ActionView,
    ServiceFormView,
    form_errors,
    officer_required,
    refused,
)
from dangjian.membership import filters, forms, rules, selectors, services
from dangjian.membership.models import (
    AwayContact,
    MemberAway,
    Transfer,
    TransferBatch,
    TransferKind,
    TransferState,
)
from dangjian.membership.permissions import TRANSFER_APPROVE, TRANSFER_RECEIVE, TRANSFER_SEND
from dangjian.org.models import Organisation, PartyStatus, PersonCategory

AWAY = RecordType(
    model=MemberAway,
    namespace="membership",
    name="away",
    label="流动党员",
    form=forms.MemberAwayForm,
    filterset=filters.MemberAwayFilter,
    columns=[
        Column("党员", "person.name", link=True, width=12),
        Column("所在党组织", "person.primary_org.name", width=24),
        Column("外出类别", "kind", width=14),
        Column("去向", "place", width=28),
        Column("外出日期", "left_on", width=12),
        Column("预计返回", "until", width=12),
        Column("实际返回", "returned_on", width=12),
        Column("联系人", "keeps_contact.name", width=12),
        Column("最近联系", "last_contact_on", width=12),
    ],
    details=[
        Column("党员", "person.name"),
        Column("所在党组织", "person.primary_org.name"),
        Column("外出类别", "kind"),
        Column("去向", "place"),
        Column("外出日期", "left_on"),
        Column("预计返回日期", "until"),
        Column("实际返回日期", "returned_on"),
        Column("联系人", "keeps_contact.name"),
        Column("参加组织生活的党小组", "group.name"),
        Column("最近联系日期（取自联系记录）", "last_contact_on"),
        Column("备注", "note"),
    ],
    create=services.away_create,
    update=services.away_update,
    delete=services.away_delete,
    object_kwarg="away",
    order=("-left_on", "-id"),
    select_related=("person__primary_org", "keeps_contact", "group"),
    empty_text="没有登记外出的党员。党员外出实习、挂职、出国（境）等，请登记去向并保持联系。",
    help_text="《支部考核办法》第8项：加强对流动党员管理，建立档案，保持联系。",
)


CONTACTS = RecordType(
    model=AwayContact,
    namespace="membership",
    name="contact",
    label="流动党员联系记录",
    form=forms.AwayContactForm,
    filterset=filters.AwayContactFilter,
    columns=[
        Column("党员", "away.person.name", link=True, width=12),
        Column("所在党组织", "away.person.primary_org.name", width=24),
        Column("去向", "away.place", width=24),
        Column("联系日期", "contacted_on", width=12),
        Column("联系方式", "way", width=14),
        Column("联系人", "by.name", width=12),
        Column("联系内容", "content", width=40),
    ],
    create=services.contact_create,
    update=services.contact_update,
    delete=services.contact_delete,
    object_kwarg="contact",
    order=("-contacted_on", "-id"),
    select_related=("away__person__primary_org", "by"),
    add_label="登记联系",
    empty_text="没有联系记录。与外出党员每次联系（走访、电话、视频、消息），请登记日期、方式和内容。",
    help_text=(
        "《支部考核办法》第8项：加强对流动党员管理，建立档案，保持联系。"
        "最近一次联系的日期即该党员的“最近联系日期”，超过规定天数未联系将提醒联系人。"
    ),
)


# --- 组织关系转接 ------------------------------------------------------------------------------


def _not_editable(**kwargs: Any) -> None:
    # A transfer changes only by its steps (receive, approve, ...): no free edit or delete.
    raise PermissionDenied("组织关系转接按步骤办理，不能直接修改或删除。")


TRANSFERS = RecordType(
    model=Transfer,
    namespace="membership",
    name="transfer",
    label="组织关系转接",
    form=forms.TransferSendForm,
    filterset=filters.TransferFilter,
    columns=[
        Column("党员", "person.name", link=True, width=12),
        Column("转接类型", "kind", width=12),
        Column("状态", "state", width=10),
        Column("原党组织", "from_label", width=26),
        Column("转入（转往）党组织", "to_label", width=30),
        Column("介绍信编号", "letter_number", width=18),
        Column("办理日期", "issued_on", width=12),
        Column("回执返回", "slip_returned_on", width=12),
        Column("办结日期", "completed_on", width=12),
    ],
    create=services.transfer_send,
    update=_not_editable,
    delete=_not_editable,
    object_kwarg="transfer",
    order=("-issued_on", "-id"),
    select_related=("person", "origin_org", "destination_org"),
    api_fields=[
        "kind",
        "state",
        "origin_org",
        "origin_text",
        "destination_text",
        "letter_number",
        "valid_days",
        "dues_paid_until",
        "slip_returned_on",
        "completed_on",
        "batch",
    ],
    empty_text="没有组织关系转接记录。",
    help_text="党员在本单位内调动，由原党支部发出、转入党支部接收、党总支审批后转接。",
)

HELP = "《基层组织建设实施意见》§四(三)2(3)：认真执行党费收缴、组织关系接转等方面的党员管理制度。"


def _transfer(request: HttpRequest, pk: int) -> Transfer:
    return get_for_user(TRANSFERS.queryset(request.user), request.user, pk=pk)


@login_required
@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    record = TRANSFERS
    filters_ = record.filterset.for_page(request, record.queryset(request.user))
    page = request_page(request, filters_.qs, order=record.order, size=record.page_size)
    return render(
        request,
        "membership/transfer_list.html",
        {
            "record": record,
            "page": page,
            "rows": record.rows(page.rows),
            "bar": record.filter_bar(filters_, request.user),
            "base_query": filters_.querystring(),
            "may_add": scope_for(request.user).is_officer,
            "errors": filters_.form.errors,
            "help": HELP,
        },
    )


@login_required
@require_GET
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    user = request.user
    state = transfer.state
    approvals = selectors.approval_status(transfer) if state == TransferState.RECEIVED else []
    mine = [org for org, done in approvals if not done and access.can(user, TRANSFER_APPROVE, org)]
    sender = access.can(user, TRANSFER_SEND, transfer)
    receiver = access.can(user, TRANSFER_RECEIVE, transfer)
    may = {
        "receive": state == TransferState.SENT and receiver,
        "reject": (state == TransferState.SENT and receiver) or bool(mine),
        "approve": bool(mine),
        "cancel": state in (TransferState.SENT, TransferState.AWAITING_SLIP) and sender,
        "slip": state == TransferState.AWAITING_SLIP and sender,
        "print": transfer.kind == TransferKind.OUT and sender,
    }
    today = timezone.localdate()
    return render(
        request,
        "membership/transfer_detail.html",
        {
            "record": TRANSFERS,
            "object": transfer,
            "fields": [(c.header, shown(cell(transfer, c.attr))) for c in TRANSFER_DETAILS],
            "steps": selectors.transfer_timeline(transfer),
            "approvals": approvals,
            "approving": mine[0] if mine else None,
            "may": may,
            "any_action": any(v for k, v in may.items() if k != "print"),
            "overdue": transfer.kind == TransferKind.OUT
            and rules.slip_overdue(
                transfer.issued_on,
                transfer.slip_returned_on,
                today,
                settings.TRANSFER_SLIP_REMINDER_DAYS,
            )
            and transfer.state == TransferState.AWAITING_SLIP,
            "slip_days": settings.TRANSFER_SLIP_REMINDER_DAYS,
            "today": today,
            "events": events_for(transfer),
        },
    )


TRANSFER_DETAILS = [
    Column("党员", "person.name"),
    Column("转接类型", "kind"),
    Column("状态", "state"),
    Column("原党组织", "from_label"),
    Column("转入（转往）党组织", "to_label"),
    Column("转接原因", "reason"),
    Column("介绍信编号", "letter_number"),
    Column("办理日期", "issued_on"),
    Column("有效期（天）", "valid_days"),
    Column("党费交到", "dues_paid_until"),
    Column("回执返回日期", "slip_returned_on"),
    Column("办结日期", "completed_on"),
    Column("批次", "batch.title"),
    Column("备注", "note"),
]


class _TransferForm(ServiceFormView):
    help_text = HELP

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [(reverse("membership:transfer_list"), "组织关系转接")]

    def get_success_url(self, result: Transfer) -> str:
        return reverse("membership:transfer_detail", args=[result.pk])


class TransferSend(_TransferForm):
    form_class = forms.TransferSendForm
    title = "校内转接：发出"
    submit_label = "发出"
    success_message = "已发出，待转入党支部接收。"

    def perform(self, data: dict[str, Any]) -> Transfer:
        return services.transfer_send(actor=self.request.user, **data)


class TransferOut(_TransferForm):
    form_class = forms.TransferOutForm
    title = "转出本单位：开具介绍信"
    submit_label = "开具介绍信"
    success_message = "已开具介绍信，请打印并在回执返回后登记。"

    def perform(self, data: dict[str, Any]) -> Transfer:
        return services.transfer_issue_letter(actor=self.request.user, **data)


class TransferIn(_TransferForm):
    form_class = forms.TransferInForm
    title = "转入本单位：接收"
    submit_label = "接收"
    success_message = "已接收转入的党员。"

    def perform(self, data: dict[str, Any]) -> Transfer:
        data["id_number"] = data.get("id_number") or None
        return services.transfer_arrive(actor=self.request.user, **data)


class _Step(ActionView):
    form_class = forms.StepNoteForm

    def get_object(self) -> Transfer:
        return _transfer(self.request, self.kwargs["pk"])

    def get_success_url(self, obj: Transfer) -> str:
        return reverse("membership:transfer_detail", args=[obj.pk])


class TransferReceive(_Step):
    success_message = "已接收。"

    def perform(self, obj: Transfer, data: dict[str, Any]) -> Any:
        return services.transfer_receive(actor=self.request.user, transfer=obj, **data)


class TransferApprove(_Step):
    success_message = "已审批同意。"

    def perform(self, obj: Transfer, data: dict[str, Any]) -> Any:
        return services.transfer_approve(actor=self.request.user, transfer=obj, **data)


class TransferReject(_Step):
    success_message = "已退回。"

    def perform(self, obj: Transfer, data: dict[str, Any]) -> Any:
        return services.transfer_reject(actor=self.request.user, transfer=obj, **data)


class TransferCancel(_Step):
    success_message = "已撤回。"

    def perform(self, obj: Transfer, data: dict[str, Any]) -> Any:
        return services.transfer_cancel(actor=self.request.user, transfer=obj, **data)


class TransferSlip(_Step):
    form_class = forms.SlipForm
    success_message = "已登记回执，该党员组织关系已转出。"

    def perform(self, obj: Transfer, data: dict[str, Any]) -> Any:
        return services.transfer_record_slip(actor=self.request.user, transfer=obj, **data)


def _letters(transfers: list[Transfer]) -> list[dict[str, Any]]:
    """What each printed letter shows (customary layout of the 介绍信, its stub and slip)."""
    letters = []
    for t in transfers:
        person = t.person
        valid_days = t.valid_days or settings.TRANSFER_LETTER_VALID_DAYS
        letters.append(
            {
                "transfer": t,
                "person": person,
                "age": person.age_on(t.issued_on),
                "member_kind": "预备"
                if person.party_status == PartyStatus.PROBATIONARY
                else "正式",
                "id_number": person.masked_id_number,
                "valid_days": valid_days,
                "expires_on": rules.letter_expires_on(t.issued_on, valid_days),
            }
        )
    return letters


def _printable(request: HttpRequest, transfers: list[Transfer]) -> None:
    for t in transfers:
        if t.kind != TransferKind.OUT:
            raise Http404
        access.require(request.user, TRANSFER_SEND, t)


@officer_required
@require_GET
def transfer_print(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    """中国共产党党员组织关系介绍信 with its 存根 and 回执, on one A4 page."""
    transfer = _transfer(request, pk)
    _printable(request, [transfer])
    return documents.respond(
        request,
        "membership/letter_print.html",
        {
            "letters": _letters([transfer]),
            "back": reverse("membership:transfer_detail", args=[pk]),
        },
        fmt=fmt,
        filename=f"党员组织关系介绍信（{transfer.person.name}）",
        label=f"组织关系介绍信（{transfer.person.name}）",
        rows=1,
    )


@officer_required
@require_GET
def pick_branches(request: HttpRequest) -> JsonResponse:
    rows = selectors.pick_branches(request.GET.get("q", ""))
    return JsonResponse({"results": [{"id": pk, "label": label} for pk, label in rows]})


# --- 毕业生党员组织关系批量转出 ------------------------------------------------------------------


@officer_required
def batch_create(request: HttpRequest) -> HttpResponse:
    """Choose a branch (and a class or grade), tick the members, one submit: a letter each."""
    user = request.user
    org_id = parse_int(request.GET.get("organisation"))
    chosen = Organisation.objects.editable_by(user).filter(pk=org_id).first() if org_id else None
    units = selectors.batch_units(chosen) if chosen else []
    choose = forms.BatchChooseForm(request.GET or None, user=user, units=units)
    candidates: list[Any] = []
    organisation = unit = None
    if choose.is_bound and choose.is_valid():
        organisation, unit = choose.cleaned_data["organisation"], choose.cleaned_data["unit"]
        candidates = selectors.batch_candidates(user, organisation, unit)
    form = forms.BatchForm(request.POST or None)
    picked = {int(v) for v in request.POST.getlist("person") if v.isdigit()}
    row_errors = ""
    if request.method == "POST" and organisation is not None and form.is_valid():
        common = form.cleaned_data.pop("destination_text")
        rows = [
            services.BatchRow(p, request.POST.get(f"dest_{p.pk}", "").strip() or common)
            for p in candidates
            if p.pk in picked
        ]
        try:
            batch = services.transfer_batch_out(
                actor=user, organisation=organisation, unit=unit, rows=rows, **form.cleaned_data
            )
        except ValidationError as exc:
            row_errors = form_errors(exc)
        except PermissionDenied as exc:
            return refused(request, exc, reverse("membership:transfer_list"))
        else:
            done = sum(1 for r in batch.results if r["ok"])
            messages.success(request, f"已开具{done}份介绍信，共{len(batch.results)}人。")
            return redirect("membership:batch_detail", pk=batch.pk)
    busy = selectors.with_open_transfer(candidates)
    # Graduating students are ticked; a member with a transfer under way is not (the batch
    # would refuse the row).
    students = {p.pk for p in candidates if p.category == PersonCategory.STUDENT} - busy
    return render(
        request,
        "membership/batch_create.html",
        {
            "choose": choose,
            "form": form,
            "candidates": [
                (
                    p,
                    (p.pk in picked) if request.method == "POST" else (p.pk in students),
                    request.POST.get(f"dest_{p.pk}", ""),
                    p.pk in busy,
                )
                for p in candidates
            ],
            "organisation": organisation,
            "row_errors": row_errors,
            "limit": selectors.BATCH_LIMIT,
            "help": HELP,
        },
    )


def _batch(request: HttpRequest, pk: int) -> TransferBatch:
    return get_for_user(
        TransferBatch.objects.select_related("organisation", "unit"), request.user, pk=pk
    )


@officer_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    return render(
        request,
        "membership/batch_detail.html",
        {
            "batch": batch,
            "results": batch.results,
            "ok": sum(1 for r in batch.results if r["ok"]),
            "events": events_for(batch),
        },
    )


@officer_required
@require_GET
def batch_print(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    batch = _batch(request, pk)
    transfers = list(
        batch.transfers.select_related("person", "origin_org").order_by("letter_number", "id")
    )
    _printable(request, transfers)
    return documents.respond(
        request,
        "membership/letter_print.html",
        {"letters": _letters(transfers), "back": reverse("membership:batch_detail", args=[pk])},
        fmt=fmt,
        filename=f"党员组织关系介绍信（{batch.title}）",
        label=f"组织关系介绍信（{batch.title}）",
        job=True,
        rows=len(transfers),
    )
