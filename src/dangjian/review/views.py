"""Pages of 联述联评联考. The rounds are a register declared once (core.records); each round's
page, the secretaries' reports and their steps (述职, 测评, 评定, 发布), the export and the
print pages are written beside it. Views are thin: each step calls one service."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, render_print, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.records import Column, RecordType
from dangjian.core.scoping import get_for_user
from dangjian.core.web import ActionView, ServiceFormView, editable_or_403
from dangjian.review import filters, forms, selectors, services
from dangjian.review.models import ReportState, ReviewRound, RoundState, SecretaryReport
from dangjian.review.permissions import MANAGE_ROUND, RATE_REPORT, REVIEW_REPORT, SUBMIT_REPORT
from dangjian.review.rules import is_late

REPORT_ORDER = ("organisation__path", "id")
EXPORT_HEADERS = [
    "党组织", "书记", "状态", "述职日期", "测评回收份数",
    "测评得分", "上级评定分", "综合得分", "综合等次", "评定意见",
]  # fmt: skip
EXPORT_WIDTHS = [28, 10, 8, 12, 12, 10, 10, 10, 10, 40]


class RoundRecordType(RecordType):
    """The register of rounds; a round's own page (its reports) replaces the generic detail."""

    def form_view(self) -> type[ServiceFormView]:
        base = super().form_view()

        class RoundFormView(base):  # type: ignore[misc, valid-type]
            def get_title(self) -> str:
                return "修改述职评议" if self.object else "组织述职评议（联述联评联考）"

        return RoundFormView


ROUNDS = RoundRecordType(
    model=ReviewRound,
    namespace="review",
    name="round",
    label="联述联评联考",
    own_detail_page=True,  # round_detail below, with its reports
    form=forms.RoundForm,
    filterset=filters.RoundFilter,
    columns=[
        Column("标题", "title", link=True, width=40),
        Column("组织单位", "organisation.name", width=24),
        Column("年度", "year", width=8),
        Column("述职对象", "level", width=12),
        Column("述职截止", "due_on", width=12),
        Column("状态", "state", width=8),
        Column("发布日期", "published_on", width=12),
    ],
    create=services.round_create,
    update=services.round_update,
    delete=services.round_delete,
    object_kwarg="round",
    order=("-year", "-id"),
    select_related=("organisation",),
    add_label="组织述职评议",
    empty_text="还没有联述联评联考。党委或党总支每年11月—12月组织下级党组织书记专项述职"
    "（《组织建设年实施方案》§二(六)、§四(三)）：点“组织述职评议”开始。",
    help_text="“联述”：各基层党组织书记就抓基层党建工作情况向上一级党组织专项述职；“联评”：党员和群众代表"
    "对书记进行测评；“联考”：结果作为书记年度考核和党支部分类定级的重要内容（《组织建设年实施方案》§四(三)）。"
    "组织后，范围内每个设有在任书记的党组织各生成一份待述职记录。",
    personal_data=False,
    api_fields=("state", "published_on", "weight_masses", "weight_review"),
)


def _round(user: Any, pk: int) -> ReviewRound:
    return get_for_user(selectors.rounds_for(user), user, pk=pk)


def _report(user: Any, pk: int) -> SecretaryReport:
    return get_for_user(selectors.reports_for(user), user, pk=pk)


def _report_rows(request: HttpRequest, qs: Any) -> tuple[Any, list[selectors.Progress], Any]:
    flt = filters.ReportFilter.for_page(request, qs)
    page = request_page(request, flt.qs, order=REPORT_ORDER)
    return flt, selectors.with_progress(page.rows), page


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request.user, pk)
    qs = selectors.reports_for(request.user).filter(round=round_).select_related("survey")
    flt, rows, page = _report_rows(request, qs)
    counts = selectors.round_counts(round_, request.user)
    may_manage = access.can(request.user, MANAGE_ROUND, round_)
    return render(
        request,
        "review/round_detail.html",
        {
            "round": round_,
            "rows": rows,
            "page": page,
            "base_query": flt.querystring(),
            "filters": flt,
            "errors": flt.form.errors,
            "states": ReportState.choices,
            "counts": [(label, counts.get(value, 0)) for value, label in ReportState.choices],
            "total": sum(counts.values()),
            "may_manage": may_manage and round_.state == RoundState.OPEN,
            "may_edit": may_manage,
            "published": round_.state == RoundState.PUBLISHED,
            "events": events_for(round_),
        },
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """书记述职: every report the user sees (a secretary: their own), newest round first."""
    qs = selectors.reports_for(request.user).select_related("survey")
    flt = filters.ReportFilter.for_page(request, qs)
    page = request_page(
        request, flt.qs, order=("-round__year", "-round_id", "organisation__path", "id")
    )
    return render(
        request,
        "review/report_list.html",
        {
            "rows": selectors.with_progress(page.rows),
            "page": page,
            "base_query": flt.querystring(),
            "filters": flt,
            "errors": flt.form.errors,
            "states": ReportState.choices,
        },
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request.user, pk)
    rating = selectors.with_progress([report])[0].rating
    acts = {
        name: access.can(request.user, name, report)
        for name in (SUBMIT_REPORT, RATE_REPORT, REVIEW_REPORT)
    }
    open_ = report.round.state == RoundState.OPEN
    return render(
        request,
        "review/report_detail.html",
        {
            "report": report,
            "rating": rating,
            "round_visible": ReviewRound.objects.visible_to(request.user)
            .filter(pk=report.round_id)
            .exists(),
            "may_submit": open_
            and acts[SUBMIT_REPORT]
            and report.state in (ReportState.PENDING, ReportState.REPORTED),
            "may_rate": open_ and acts[RATE_REPORT] and report.state == ReportState.REPORTED,
            "may_review": open_ and acts[REVIEW_REPORT] and report.state == ReportState.RATING,
            "may_see_survey": report.survey_id is not None and acts[RATE_REPORT],
            "late": is_late(report.submitted_on, report.round.due_on, timezone.localdate()),
            "steps": _steps(report),
            "events": events_for(report),
        },
    )


def _steps(report: SecretaryReport) -> list[tuple[str, bool]]:
    at = [s for s, _ in ReportState.choices].index(report.state)
    return [
        ("述职（联述）", at >= 1),
        ("测评（联评）", at >= 3),
        ("上级评定", at >= 3),
        ("结果发布", report.round.state == RoundState.PUBLISHED),
    ]


def _report_crumbs(report: SecretaryReport) -> list[tuple[str, str]]:
    return [
        (reverse("review:report_list"), "书记述职"),
        (reverse("review:report_detail", args=[report.pk]), str(report)),
    ]


class _ReportStep(ServiceFormView):
    officers_only = False
    show_events = False

    def get_object(self) -> SecretaryReport:
        return _report(self.request.user, self.kwargs["pk"])

    def get_crumbs(self) -> list[tuple[str, str]]:
        return _report_crumbs(self.object)

    def get_success_url(self, result: Any) -> str:
        return reverse("review:report_detail", args=[self.object.pk])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs


class SubmitView(_ReportStep):
    form_class = forms.ReportForm
    access_action = SUBMIT_REPORT
    multipart = True
    title = "提交述职报告（联述）"
    submit_label = "提交述职"
    success_message = "述职报告已提交，等待上一级党组织组织测评。"
    help_text = (
        "向上一级党组织专项述职。测评开始前可以修改；上传的述职材料仅本组织和上级党组织可见。"
    )

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if not self.request.POST and self.object.text:
            kwargs["initial"] = {"text": self.object.text}
        return kwargs

    def perform(self, data: dict[str, Any]) -> Any:
        return services.report_submit(
            actor=self.request.user,
            report=self.object,
            text=data["text"],
            attachment=data.get("attachment"),
        )


class RatingView(_ReportStep):
    form_class = forms.RatingForm
    access_action = RATE_REPORT
    title = "组织党员和群众代表测评（联评）"
    submit_label = "开始测评"
    success_message = "测评已开始：请把一次性链接或二维码发给党员和群众代表。"
    help_text = (
        "测评是一次匿名的党员民意测评（一次性链接，不记录答卷人），对象为述职的书记。"
        "回收票数达到最少有效票数后才有结果，上级党组织方可评定。"
    )

    def perform(self, data: dict[str, Any]) -> Any:
        return services.rating_open(
            actor=self.request.user,
            report=self.object,
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            min_responses=data.get("min_responses"),
            links=data.get("links") or 0,
        )


class ReviewView(_ReportStep):
    form_class = forms.ReviewForm
    access_action = REVIEW_REPORT
    title = "上级党组织评定"
    submit_label = "评定"
    success_message = "已评定；测评已结束，综合得分和等次已按权重算出。"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        round_ = self.object.round
        context.setdefault(
            "help",
            f"综合得分＝测评得分×{round_.weight_masses}%＋上级评定分×{round_.weight_review}%，"
            "只舍不入保留一位小数；90分以上为优秀，80分以上为称职，60分以上为基本称职，60分以下为不称职。",
        )
        return super().get_context_data(**context)

    def perform(self, data: dict[str, Any]) -> Any:
        return services.report_review(
            actor=self.request.user,
            report=self.object,
            score=data["score"],
            comment=data["comment"],
        )


class PublishView(ActionView):
    success_message = "结果已发布：显示在公开栏和一支部一档中。"

    def get_object(self) -> ReviewRound:
        return editable_or_403(
            selectors.rounds_for(self.request.user), self.request.user, self.kwargs["pk"]
        )

    def perform(self, obj: ReviewRound, data: dict[str, Any]) -> Any:
        return services.round_publish(actor=self.request.user, round=obj)

    def get_success_url(self, obj: ReviewRound) -> str:
        return reverse("review:round_detail", args=[obj.pk])


def _export_row(report: SecretaryReport) -> list[Any]:
    return [
        report.organisation.name,
        report.secretary.name,
        report.get_state_display(),
        report.submitted_on,
        report.masses_responses if report.state == ReportState.REVIEWED else None,
        report.masses_score,
        report.review_score,
        report.total,
        report.grade,
        report.review_comment,
    ]


@login_required
def round_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The round's results for reporting upward (XLSX; names: audited as personal data)."""
    round_ = _round(request.user, pk)
    qs = selectors.reports_for(request.user).filter(round=round_)
    flt = filters.ReportFilter.for_page(request, qs)
    audit = PersonalDataAudit(request, round_.title)
    rows = audit.count(
        _export_row(r) for r in flt.qs.order_by(*REPORT_ORDER).iterator(chunk_size=2000)
    )
    content = xlsx_table(
        sheet="述职评议结果",
        title=f"{round_.title}（导出于{timezone.localdate().isoformat()}）",
        headers=EXPORT_HEADERS,
        rows=rows,
        widths=EXPORT_WIDTHS,
    )
    return xlsx_response(request, content, f"{round_.title}.xlsx", audit=audit)


@login_required
def round_print(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request.user, pk)
    reports = list(
        selectors.reports_for(request.user).filter(round=round_).order_by(*REPORT_ORDER)[:2000]
    )
    return render_print(
        request,
        "review/round_print.html",
        {"round": round_, "reports": reports},
        label=round_.title,
        rows=len(reports),
    )


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request.user, pk)
    return render_print(
        request, "review/report_print.html", {"report": report}, label=str(report), rows=1
    )
