"""Quarterly report screens. Thin: scope, validate, call a service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import access, documents, reminders
from dangjian.core.audit import events_for
from dangjian.core.export import xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import ActionView, officer_required, refused, submit
from dangjian.org import selectors as org_selectors
from dangjian.org.models import Organisation
from dangjian.reports import dashboard, forms, rules, search, selectors, services
from dangjian.reports.models import QuarterlyReport, ReportStatus

# Sections (an organisation and the level below it) on one page of the list.
ROOTS_PER_PAGE = 10

TITLE = "市直教育系统推广提升“168”机制进展情况季报表"


def _list_url(year, quarter, org=None) -> str:
    params = {"year": year, "quarter": quarter}
    if org:
        params["org"] = org
    return f"{reverse('reports:report_list')}?{urlencode(params)}"


def _refused(request, message, report=None):
    """A refused action: 403 with the rule in Chinese and a way back."""
    back_url = (
        reverse("reports:report_detail", args=[report.pk])
        if report
        else reverse("reports:report_list")
    )
    return refused(request, message, back_url)


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def _report(request, pk):
    return get_for_user(selectors.reports_visible(request.user), request.user, pk=pk)


# --- list ------------------------------------------------------------------------------------


@officer_required
@require_GET
def report_list(request):
    """The user's own organisation's report and those of the level below, for one quarter."""
    year, quarter, org_id = forms.PeriodForm(request.GET).period()
    today = timezone.localdate()
    page = None
    if org_id:
        roots = selectors.reporting_roots(request.user, org_id)
    else:
        # The department starts from every committee: a page of them at a time.
        page = request_page(
            request,
            selectors.scope_reporting_roots(request.user),
            order=("path",),
            size=ROOTS_PER_PAGE,
        )
        roots = page.rows
    sections = selectors.report_sections(roots, year, quarter, today=today)
    attention = request.GET.get("attention") == "1"
    if attention:
        _keep_attention(sections)
    scope = scope_for(request.user)
    started = rules.quarter_bounds(year, quarter)[0] <= today
    for section in sections:
        section.can_generate = (
            started and scope.covers_path(section.root.org.path) and bool(section.orgs_missing)
        )
    return render(
        request,
        "reports/report_list.html",
        {
            "year": year,
            "quarter": quarter,
            "org_id": org_id,
            "due": rules.due_date(year, quarter),
            "sections": sections,
            "years": list(range(today.year + 1, today.year - 5, -1)),
            "quarters": forms.QUARTER_CHOICES,
            "started": started,
            "page": page,
            "attention": attention,
            "base_query": urlencode(
                {"year": year, "quarter": quarter, **({"attention": 1} if attention else {})}
            ),
            "query": urlencode(
                {
                    "year": year,
                    "quarter": quarter,
                    **({"org": org_id} if org_id else {}),
                    **({"attention": 1} if attention else {}),
                }
            ),
        },
    )


@officer_required
@require_POST
def report_generate(request):
    """Generate the missing drafts of an organisation (and, with `below`, of the level below)."""
    form = forms.GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择年度、季度和党组织。")
        return redirect("reports:report_list")
    year, quarter, org_id = (form.cleaned_data[k] for k in ("year", "quarter", "org"))
    root = get_for_user(Organisation.objects, request.user, pk=org_id)
    targets = [root]
    if request.POST.get("below"):
        sections = selectors.report_sections([root], year, quarter)
        targets = sections[0].orgs_missing if sections else []
    created, errors = [], []
    for org in targets:
        try:
            created.append(
                services.report_generate(
                    actor=request.user, organisation=org, year=year, quarter=quarter
                )
            )
        except ValidationError as exc:
            errors.extend(_messages_of(exc))
        except PermissionDenied as exc:
            return _refused(request, str(exc))
    for message in dict.fromkeys(errors):
        messages.error(request, message)
    if created:
        messages.success(request, f"已生成{len(created)}份季报表草稿。")
    if len(created) == 1 and not request.POST.get("below"):
        return redirect("reports:report_detail", created[0].pk)
    back = request.POST.get("list_org") or None
    return redirect(_list_url(year, quarter, back))


# --- one report ------------------------------------------------------------------------------


def _detail_context(request, report):
    user = request.user
    due = rules.due_date(report.year, report.quarter)
    today = timezone.localdate()
    state = rules.deadline_state(due, selectors.submitted_on(report), today)
    writable = services.can_write(user, report.organisation)
    reviewable = services.can_review(user, report.organisation)
    editable = report.status in services.EDITABLE_STATES
    return {
        "report": report,
        "title": TITLE,
        "rows": selectors.figure_rows(report.figures),
        "due": due,
        "deadline_state": state,
        "deadline_label": rules.DEADLINE_LABELS[state],
        "needs_review": rules.needs_review(report.organisation.kind),
        "can_edit": writable and editable,
        "can_submit": writable and editable,
        "can_review": reviewable and report.status == ReportStatus.SUBMITTED,
        "review_form": forms.ReviewForm(),
        "events": events_for(report),
        "list_url": _list_url(report.year, report.quarter),
        "narrative": [
            (QuarterlyReport._meta.get_field(name).verbose_name, getattr(report, name))
            for name in services.NARRATIVE_FIELDS
        ],
    }


@officer_required
@require_GET
def report_detail(request, pk):
    report = _report(request, pk)
    return render(request, "reports/report_detail.html", _detail_context(request, report))


@officer_required
def report_edit(request, pk):
    report = _report(request, pk)
    if not services.can_write(request.user, report.organisation):
        return _refused(request, access.refusal("reports.write"), report)
    if report.status not in services.EDITABLE_STATES:
        messages.error(request, services.LOCKED)
        return redirect("reports:report_detail", report.pk)
    form = forms.ReportForm(request.POST or None, instance=report)
    if submit(
        request,
        form,
        lambda d: services.report_update(actor=request.user, report=report, **d),
        "已保存，统计数据已同步更新。",
    ):
        return redirect("reports:report_detail", report.pk)
    return render(
        request,
        "reports/report_form.html",
        {"form": form, "report": report, "list_url": _list_url(report.year, report.quarter)},
    )


class ReportStep(ActionView):
    """A button on a report's page: one workflow step, then back to the report."""

    def get_object(self) -> QuarterlyReport:
        return _report(self.request, self.kwargs["pk"])

    def get_success_url(self, obj: QuarterlyReport) -> str:
        return reverse("reports:report_detail", args=[obj.pk])


class ReportRefresh(ReportStep):
    success_message = "统计数据已更新。"

    def perform(self, obj: QuarterlyReport, data: dict) -> None:
        services.report_refresh(actor=self.request.user, report=obj)


class ReportSubmit(ReportStep):
    success_message = "季报表已报送，统计数据已按报送时锁定。"

    def perform(self, obj: QuarterlyReport, data: dict) -> None:
        services.report_submit(actor=self.request.user, report=obj)


class ReportAccept(ReportStep):
    form_class = forms.ReviewForm
    success_message = "已审核通过。"

    def perform(self, obj: QuarterlyReport, data: dict) -> None:
        services.report_accept(actor=self.request.user, report=obj, note=data["note"])


class ReportReturn(ReportStep):
    form_class = forms.ReviewForm
    success_message = "已退回，请填报单位修改后重新报送。"

    def perform(self, obj: QuarterlyReport, data: dict) -> None:
        services.report_return(actor=self.request.user, report=obj, note=data["note"])


@officer_required
@require_GET
def report_print(request, pk, fmt="html"):
    report = _report(request, pk)
    context = _detail_context(request, report)
    context["filled_on"] = (
        timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate()
    )
    return documents.respond(
        request, "reports/report_print.html", context, fmt=fmt, filename=str(report)
    )


# --- exports ---------------------------------------------------------------------------------

REPORT_HEADERS = ["序号", "项目", "数量", "单位"]


@officer_required
@require_GET
def report_export(request, pk):
    report = _report(request, pk)
    rows = [
        (i, label.strip("　"), report.figures.get(key, ""), unit)
        for i, (key, label, unit) in enumerate(selectors.FIGURE_ROWS, start=1)
    ]
    for name in services.NARRATIVE_FIELDS:
        field = QuarterlyReport._meta.get_field(name)
        rows.append(("", str(field.verbose_name), getattr(report, name), ""))
    title = f"{TITLE}（{report.year}年第{report.quarter}季度） 填报单位：{report.organisation.name}"
    content = xlsx_table(
        sheet="季报表", headers=REPORT_HEADERS, rows=rows, title=title, widths=[8, 36, 60, 8]
    )
    return xlsx_response(
        request,
        content,
        f"{report.organisation.name}{report.year}年第{report.quarter}季度季报表.xlsx",
    )


SUMMARY_HEADERS = [
    "党组织",
    "类型",
    "状态",
    "截止日期",
    "报送日期",
    "报送情况",
    *[label.strip("　") for _, label, _ in selectors.FIGURE_ROWS],
]


def _keep_attention(sections) -> None:
    """只看逾期: keep the rows below each root whose report is overdue or late."""
    for section in sections:
        section.children = [r for r in section.children if rules.needs_attention(r.deadline_state)]


def summary_rows(sections, attention=False):
    for section in sections:
        rows = [section.root, *section.children]
        if attention:
            rows = [r for r in rows if rules.needs_attention(r.deadline_state)]
        for row in rows:
            figures = dict(row.report.figures) if row.report else {}
            if row.coverage is not None and not row.report:
                figures.update(
                    branches=row.coverage.total,
                    covered_branches=row.coverage.covered,
                    coverage_percent=row.coverage.percent,
                )
            yield [
                row.org.name,
                row.org.get_kind_display(),
                row.report.get_status_display() if row.report else "未生成",
                row.due,
                row.submitted_on,
                row.deadline_label,
                *[figures.get(key, "") for key, _, _ in selectors.FIGURE_ROWS],
            ]


@officer_required
@require_GET
def summary_export(request):
    """The summary table: the user's organisation and the level below, one row each."""
    year, quarter, org_id = forms.PeriodForm(request.GET).period()
    roots = selectors.reporting_roots(request.user, org_id)
    sections = selectors.report_sections(roots, year, quarter)
    attention = request.GET.get("attention") == "1"
    label = "（逾期）" if attention else ""
    content = xlsx_table(
        sheet="季报表汇总",
        headers=SUMMARY_HEADERS,
        rows=list(summary_rows(sections, attention)),
        title=f"{TITLE}汇总{label}（{year}年第{quarter}季度）",
        widths=[28, 8, 8, 12, 12, 10] + [10] * len(selectors.FIGURE_ROWS),
    )
    return xlsx_response(request, content, f"{year}年第{quarter}季度季报表汇总{label}.xlsx")


@login_required
def home(request):
    """The home page: the officer's counters and to-dos, the member's own overview."""
    person = dashboard.own_person(request.user)
    context = {"counts": None, "roots": [], **dashboard.home(request.user, person)}
    if scope_for(request.user).is_officer:
        counts = org_selectors.scope_counts(request.user)
        context["counts"] = counts
        context["stat_cards"] = [
            ("党总支", counts["general_branches"], "bi-diagram-2"),
            ("党支部", counts["branches"], "bi-diagram-3"),
            ("党员（含预备党员）", counts["members"], "bi-person-badge"),
            ("入党申请人至发展对象", counts["pipeline"], "bi-person-up"),
        ]
    context["reminders"] = list(reminders.open_for(request.user.person_id))
    context["today"] = timezone.localdate()
    return render(request, "reports/home.html", context)


@officer_required
@require_GET
def global_search(request):
    """全局搜索: the top bar's box; each group links to its list page with the same words."""
    q = request.GET.get("q", "").strip()[: search.MAX_LENGTH]
    return render(
        request, "reports/search.html", {"q": q, "groups": search.search(request.user, q)}
    )
