"""Pages of elections: the terms of the organisations in scope (届期, with the reminder three
months before a term ends), the elections (a record type, core.records), and each election's
steps from the plan to the appointed committee."""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import render_print, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.records import Column, RecordType, cell, shown
from dangjian.core.scoping import get_for_user
from dangjian.core.web import ActionView, ServiceFormView, officer_required
from dangjian.elections import filters, forms, rules, selectors, services
from dangjian.elections.models import COMMITTEE_TITLES, Candidate, Election, ElectionState
from dangjian.elections.permissions import APPROVE, MANAGE

SOURCE_HELP = (
    "《中国共产党基层组织选举工作条例》第三条：党的基层组织设立的委员会任期届满应当按期进行换届选举；"
    "《支部考核办法》评分表第1项：班子健全，分工明确，定期改选。"
)

ELECTIONS = RecordType(
    model=Election,
    namespace="elections",
    name="election",
    label="换届选举",
    form=forms.ElectionForm,
    filterset=filters.ElectionFilter,
    columns=[
        Column("党组织", "organisation.name", link=True, width=28),
        Column("届满的届次", "term", width=10),
        Column("应选委员", "seats", width=10),
        Column("拟召开日期", "planned_on", width=12),
        Column("状态", "state", width=12),
        Column("选举日期", "held_on", width=12),
        Column("应到会", "entitled", width=8),
        Column("实到会", "present", width=8),
        Column("新一届", "new_term", width=10),
    ],
    create=services.election_create,
    update=services.election_update,
    delete=services.election_delete,
    object_kwarg="election",
    order=("-planned_on", "-id"),
    select_related=("organisation", "term", "new_term"),
    add_label="拟定换届选举方案",
    personal_data=False,
    api_fields=[
        "state",
        "submitted_on",
        "plan_approved_on",
        "plan_reply",
        "held_on",
        "entitled",
        "present",
        "result_approved_on",
        "result_reply",
        "new_term",
    ],
    empty_text="没有换届选举记录。委员会任期届满前三个月，请拟定换届选举方案报上级党组织批复。",
    help_text=SOURCE_HELP,
)


def _election(request: HttpRequest, pk: int) -> Election:
    return get_for_user(ELECTIONS.queryset(request.user), request.user, pk=pk)


@login_required
@require_GET
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    user = request.user
    state = election.state
    manage = access.can(user, MANAGE, election)
    approve = access.can(user, APPROVE, election)
    candidates = list(election.candidates.select_related("person__primary_org"))
    margin = settings.ELECTION_MARGIN_PERCENT
    may = {
        "edit": manage and state == ElectionState.DRAFT,
        "submit": manage and state == ElectionState.DRAFT,
        "candidates": manage and state in (ElectionState.DRAFT, ElectionState.PLAN_APPROVED),
        "approve_plan": approve and state == ElectionState.SUBMITTED,
        "ballot": manage and state == ElectionState.PLAN_APPROVED,
        "approve_result": approve and state == ElectionState.VOTED,
        "appoint": manage and state == ElectionState.APPROVED,
    }
    return render(
        request,
        "elections/election_detail.html",
        {
            "record": ELECTIONS,
            "object": election,
            "fields": [(c.header, shown(cell(election, c.attr))) for c in DETAILS],
            "candidates": candidates,
            "least": rules.min_candidates(election.seats, margin),
            "margin": margin,
            "candidate_form": forms.CandidateForm(user=user, election=election)
            if may["candidates"]
            else None,
            "may": may,
            "any_action": any(v for k, v in may.items() if k != "candidates"),
            "steps": _steps(election),
            "events": events_for(election),
            "positions": election.new_term and _new_positions(election),
        },
    )


DETAILS = [
    Column("党组织", "organisation.name"),
    Column("届满的届次", "term"),
    Column("状态", "state"),
    Column("应选委员人数", "seats"),
    Column("拟召开党员大会日期", "planned_on"),
    Column("选举方案", "plan"),
    Column("方案报送日期", "submitted_on"),
    Column("方案批复", "plan_reply"),
    Column("方案批复日期", "plan_approved_on"),
    Column("选举日期", "held_on"),
    Column("应到会有选举权的党员", "entitled"),
    Column("实到会有选举权的党员", "present"),
    Column("结果批复", "result_reply"),
    Column("结果批复日期", "result_approved_on"),
    Column("新一届", "new_term"),
]

STEPS = [
    (ElectionState.DRAFT, "拟定方案"),
    (ElectionState.SUBMITTED, "报上级批复方案"),
    (ElectionState.PLAN_APPROVED, "推荐候选人、召开党员大会"),
    (ElectionState.VOTED, "报上级批复结果"),
    (ElectionState.APPROVED, "新一届委员会任职"),
    (ElectionState.APPOINTED, "完成换届"),
]


def _steps(election: Election) -> list[tuple[str, str]]:
    """The steps with "done", "current" or "todo"."""
    order = [s for s, _ in STEPS]
    at = order.index(election.state)
    return [
        (label, "done" if i < at else "current" if i == at else "todo")
        for i, (_, label) in enumerate(STEPS)
    ]


def _new_positions(election: Election) -> list[Any]:
    from dangjian.org.models import Position

    order = [value for value, _ in COMMITTEE_TITLES]
    positions = Position.objects.filter(
        organisation=election.organisation,
        starts_on=election.new_term.starts_on,
        title__in=order,
    ).select_related("person")
    return sorted(positions, key=lambda p: (order.index(p.title), p.pk))


class _Step(ActionView):
    form_class = forms.NoteForm

    def get_object(self) -> Election:
        return _election(self.request, self.kwargs["pk"])

    def get_success_url(self, obj: Election) -> str:
        return reverse("elections:election_detail", args=[obj.pk])


class Submit(_Step):
    success_message = "已报送上级党组织批复。"

    def perform(self, obj: Election, data: dict[str, Any]) -> Any:
        return services.election_submit(actor=self.request.user, election=obj, **data)


class ApprovePlan(_Step):
    success_message = "已批复同意选举方案。"

    def perform(self, obj: Election, data: dict[str, Any]) -> Any:
        return services.election_approve_plan(actor=self.request.user, election=obj, **data)


class ReturnPlan(_Step):
    success_message = "已退回选举方案。"

    def perform(self, obj: Election, data: dict[str, Any]) -> Any:
        return services.election_return_plan(actor=self.request.user, election=obj, **data)


class ApproveResult(_Step):
    success_message = "已批复同意选举结果。"

    def perform(self, obj: Election, data: dict[str, Any]) -> Any:
        return services.election_approve_result(actor=self.request.user, election=obj, **data)


class CandidateRemove(ActionView):
    success_message = "已删除该候选人。"

    def get_object(self) -> Candidate:
        election = _election(self.request, self.kwargs["pk"])
        return get_object_or_404(Candidate, election=election, pk=self.kwargs["candidate"])

    def perform(self, obj: Candidate, data: dict[str, Any]) -> Any:
        return services.candidate_remove(actor=self.request.user, candidate=obj)

    def get_success_url(self, obj: Candidate) -> str:
        return reverse("elections:election_detail", args=[obj.election_id])


class _ElectionForm(ServiceFormView):
    help_text = SOURCE_HELP

    def get_object(self) -> Election:
        return _election(self.request, self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs["election"] = self.object
        return kwargs

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [
            (ELECTIONS.url("list"), "换届选举"),
            (ELECTIONS.url("detail", self.object.pk), str(self.object)),
        ]

    def get_success_url(self, result: Any) -> str:
        return ELECTIONS.url("detail", self.object.pk)


class CandidateAdd(_ElectionForm):
    form_class = forms.CandidateForm
    title = "增加候选人"
    submit_label = "增加"
    success_message = "已增加候选人。"
    show_events = False

    def perform(self, data: dict[str, Any]) -> Any:
        return services.candidate_add(actor=self.request.user, election=self.object, **data)


class Ballot(_ElectionForm):
    form_class = forms.BallotForm
    title = "登记选举结果"
    submit_label = "登记并计算当选人"
    success_message = "已登记选举结果，请报上级党组织批复。"
    show_events = False
    help_text = (
        "《中国共产党基层组织选举工作条例》：进行选举时，有选举权的到会人数超过应到会人数的4/5，"
        "会议有效；被选举人获得的赞成票超过实到会有选举权的人数的一半，始得当选。"
    )

    def get_initial(self) -> dict[str, Any]:
        return {"held_on": timezone.localdate()}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            kwargs["initial"] = self.get_initial()
        return kwargs

    def perform(self, data: dict[str, Any]) -> Any:
        votes = {int(k.split("_")[1]): v for k, v in data.items() if k.startswith("votes_")}
        return services.election_record_ballot(
            actor=self.request.user,
            election=self.object,
            held_on=data["held_on"],
            entitled=data["entitled"],
            present=data["present"],
            votes=votes,
        )


class Appoint(_ElectionForm):
    form_class = forms.AppointForm
    form_user_kwarg = False
    title = "新一届委员会任职"
    submit_label = "一键任职"
    success_message = "换届完成：新一届委员会已任职，原委员会职务已离任。"
    show_events = False
    help_text = "当选委员按拟任职务任职；原委员会的书记、副书记、委员职务于任职日期前一日离任。"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("election")
        if self.request.method == "GET":
            kwargs["initial"] = {"starts_on": self.object.held_on or timezone.localdate()}
        return kwargs

    def perform(self, data: dict[str, Any]) -> Any:
        return services.election_appoint(actor=self.request.user, election=self.object, **data)

    def get_success_url(self, result: Any) -> str:
        # An officer who was not re-elected no longer sees the election: back to the terms.
        if ELECTIONS.queryset(self.request.user).filter(pk=self.object.pk).exists():
            return ELECTIONS.url("detail", self.object.pk)
        return reverse("elections:term_list")


@officer_required
@require_GET
def election_print(request: HttpRequest, pk: int) -> HttpResponse:
    """选举结果报告 on A4: the meeting, every candidate's votes, the elected and their offices."""
    election = _election(request, pk)
    candidates = list(election.candidates.select_related("person").order_by("-votes", "id"))
    return render_print(
        request,
        "elections/election_print.html",
        {
            "object": election,
            "candidates": candidates,
            "elected": [c for c in candidates if c.elected],
            "quorum_ok": election.present is not None
            and rules.quorum_error(election.entitled or 0, election.present) is None,
            "back": ELECTIONS.url("detail", pk),
        },
        label=f"换届选举结果报告（{election.organisation.name}）",
        rows=len(candidates),
    )


# --- 届期 (the terms of the organisations in scope) ------------------------------------------

TERM_COLUMNS = ["党组织", "类别", "届次", "开始日期", "届满日期", "状态", "换届选举"]


@officer_required
@require_GET
def term_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters_ = filters.TermFilter.for_page(request, selectors.terms_for(request.user))
    # Oldest terms first: the first to end (a term runs its years from its start).
    page = request_page(request, filters_.qs, order=("starts_on", "id"))
    qs_due = selectors.terms_for(request.user).filter(selectors.due_q(today))
    return render(
        request,
        "elections/term_list.html",
        {
            "page": page,
            "rows": selectors.term_rows(page.rows, today),
            "bar": ELECTIONS.filter_bar(filters_, request.user),
            "base_query": filters_.querystring(),
            "errors": filters_.form.errors,
            "due_count": qs_due.count(),
            "months": settings.ELECTION_REMINDER_MONTHS,
            "help": SOURCE_HELP,
        },
    )


@officer_required
@require_GET
def term_export(request: HttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    filters_ = filters.TermFilter.for_page(request, selectors.terms_for(request.user))
    terms = list(filters_.qs.order_by("starts_on", "id"))
    rows = [
        (
            r.term.organisation.name,
            r.term.organisation.get_kind_display(),
            f"第{r.term.number}届",
            r.term.starts_on,
            r.term.ends_on,
            r.state,
            r.election.get_state_display() if r.election else "",
        )
        for r in selectors.term_rows(terms, today)
    ]
    content = xlsx_table(
        sheet="届期",
        title=f"党组织届期（导出于{today.isoformat()}）",
        headers=TERM_COLUMNS,
        rows=rows,
        widths=[30, 10, 8, 12, 12, 10, 14],
    )
    return xlsx_response(request, content, "党组织届期.xlsx", audit=None)
