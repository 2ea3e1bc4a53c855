"""Pages of dues and the activity fund: thin — find the branch (scoped), read the grid, call one
service, render. The fund ledger's lines are a record type (core.records)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET

from dangjian.core.export import xlsx_response, xlsx_table
from dangjian.core.params import parse_date, parse_int, parse_year
from dangjian.core.records import Column, RecordType
from dangjian.core.scoping import scope_for
from dangjian.core.web import editable_or_403, officer_required
from dangjian.finance import excel, filters, forms, rules, selectors, services
from dangjian.finance.models import DuesKind, FundEntry, FundKind
from dangjian.org.models import Organisation, OrgKind
from dangjian.org.widgets import org_picker

FUND = RecordType(
    model=FundEntry,
    namespace="finance",
    name="fund",
    label="活动经费收支",
    form=forms.FundEntryForm,
    filterset=filters.FundEntryFilter,
    columns=[
        Column("日期", "on", link=True, width=12),
        Column("党支部", "organisation.name", width=24),
        Column("年度", "year", width=8),
        Column("类别", "kind", width=16),
        Column("金额（元）", "amount", width=12),
        Column("摘要", "summary", width=36),
        Column("凭证", "voucher_name", width=20),
    ],
    details=[
        Column("党支部", "organisation.name"),
        Column("年度", "year"),
        Column("类别", "kind"),
        Column("金额（元）", "amount"),
        Column("日期", "on"),
        Column("摘要", "summary"),
        Column("凭证", "voucher_name"),
        Column("备注", "note"),
    ],
    create=services.fund_entry_create,
    update=services.fund_entry_update,
    delete=services.fund_entry_delete,
    object_kwarg="entry",
    order=("-on", "-id"),
    select_related=("organisation",),
    personal_data=False,
    empty_text="还没有活动经费收支记录。可在“经费台账”中按标准计算划拨和党费返还，或登记其他收入和支出。",
    help_text="《基层组织建设实施意见》§四(五)1：按照教职工党员每年不少于100元、学生党员每人每年不少于50元的标准配备支部活动经费；支出请上传凭证。",
)


def _today():
    return timezone.localdate()


def _branch(request: HttpRequest, *, editable: bool = True) -> Organisation | None:
    """The branch a page is about (?org=): one the user may keep (404 out of scope, 403 when
    only readable), or by default the first they keep."""
    pk = parse_int(request.GET.get("org") or request.POST.get("org"))
    if pk is None:
        return selectors.default_branch(request.user)
    branches = Organisation.objects.filter(kind=OrgKind.BRANCH)
    if editable:
        return editable_or_403(branches, request.user, pk)
    org = branches.visible_to(request.user).filter(pk=pk).first()
    if org is None:
        raise Http404("党支部不存在或不在您的管理范围内")
    return org


def _picker(org: Organisation | None) -> dict[str, Any]:
    return org_picker("org", org, kinds=("branch",))


def _year_month(request: HttpRequest) -> tuple[int, int]:
    today = _today()
    year = parse_year(request.GET.get("year") or request.POST.get("year"), today.year)
    month = parse_int(request.GET.get("month") or request.POST.get("month"), today.month, 1, 12)
    return year, month


def _money(raw: str) -> tuple[Decimal | None, str]:
    return rules.parse_amount(raw)


# --- 党费标准 ----------------------------------------------------------------------------------


@officer_required
def standards(request: HttpRequest) -> HttpResponse:
    """核定党费标准 for a branch and year (《党费规定》第一、二、六、八条)."""
    branch = _branch(request)
    year, _ = _year_month(request)
    rows = selectors.standards_grid(branch, year) if branch else []
    if request.method == "POST" and branch is not None:
        if request.POST.get("action") == "recalculate":
            try:
                done = services.standards_recalculate(actor=request.user, branch=branch, year=year)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                text = f"已重新核定{done.saved}名党员的党费标准，{done.unchanged}名无变化。"
                if done.missing:
                    text += f"以下党员尚无计算基数，请填写：{'、'.join(done.missing)}。"
                messages.success(request, text)
            return redirect(
                f"{reverse('finance:standards')}?{urlencode({'org': branch.pk, 'year': year})}"
            )
        entered = []
        by_id = {row.person.pk: row for row in rows}
        for row in rows:
            pk = row.person.pk
            if f"kind_{pk}" not in request.POST:
                continue  # a member added since the page was shown
            kind = request.POST.get(f"kind_{pk}", "")
            raw_base = request.POST.get(f"base_{pk}", "").strip()
            row.typed = {"kind": kind, "base": raw_base}
            base, error = _money(raw_base)
            if error:
                row.errors = {"base": error}
                continue
            entered.append(services.StandardRow(person_id=pk, kind=kind, base=base))
        results = services.standards_save(
            actor=request.user, branch=branch, year=year, rows=entered
        )
        for result in results:
            row = by_id[result.person_id]
            row.errors, row.saved = result.errors, result.saved
            if result.row is not None:
                row.standard = result.row
        bad = [r for r in rows if r.errors]
        saved = sum(r.saved for r in rows)
        if bad:
            messages.error(request, f"已保存{saved}名；{len(bad)}名有误未保存，请按提示修改。")
        else:
            messages.success(request, f"已保存{saved}名党员的党费标准。")
    return render(
        request,
        "finance/standards.html",
        {
            "branch": branch,
            "year": year,
            "rows": rows,
            "kinds": DuesKind.choices,
            "based_kinds": rules.BASED_KINDS,
            "picker": _picker(branch),
            "total": sum(
                (r.standard.monthly for r in rows if r.standard and r.standard.year == year),
                Decimal(0),
            ),
        },
    )


# --- 党费收缴 ----------------------------------------------------------------------------------


@officer_required
def collection(request: HttpRequest) -> HttpResponse:
    """党费收缴登记: a branch's members for one month, saved together, each row's result."""
    branch = _branch(request)
    year, month = _year_month(request)
    rows = selectors.collection_grid(branch, year, month) if branch else []
    if request.method == "POST" and branch is not None:
        entered = []
        by_id = {row.person.pk: row for row in rows}
        for row in rows:
            pk = row.person.pk
            if f"paid_{pk}" not in request.POST:
                continue
            raw_paid = request.POST.get(f"paid_{pk}", "").strip()
            raw_on = request.POST.get(f"paid_on_{pk}", "").strip()
            note = request.POST.get(f"note_{pk}", "").strip()[:200]
            row.typed = {"paid": raw_paid, "paid_on": raw_on, "note": note}
            paid, error = _money(raw_paid)
            paid_on = parse_date(raw_on)
            if error:
                row.errors = {"paid": error}
                continue
            if raw_on and paid_on is None:
                row.errors = {"paid_on": "日期格式应为2026-03-15。"}
                continue
            entered.append(services.PaymentRow(person_id=pk, paid=paid, paid_on=paid_on, note=note))
        results = services.payments_save(
            actor=request.user, branch=branch, year=year, month=month, rows=entered
        )
        for result in results:
            row = by_id[result.person_id]
            row.errors, row.saved = result.errors, result.saved
            if result.row is not None and not result.errors:
                row.payment = result.row
                row.typed = {}
        bad = [r for r in rows if r.errors]
        saved = sum(r.saved for r in rows)
        if bad:
            messages.error(request, f"已保存{saved}行；{len(bad)}行有误未保存，请按提示修改。")
        else:
            messages.success(request, f"已保存{saved}行，其余无变化。")
        rows_after = {r.person.pk: r for r in selectors.collection_grid(branch, year, month)}
        for row in rows:  # the runs after saving
            row.run = rows_after[row.person.pk].run if row.person.pk in rows_after else row.run
    due = sum((r.standard.monthly for r in rows if r.standard), Decimal(0))
    paid = sum((r.payment.paid for r in rows if r.payment), Decimal(0))
    return render(
        request,
        "finance/collection.html",
        {
            "branch": branch,
            "year": year,
            "month": month,
            "months": range(1, 13),
            "rows": rows,
            "picker": _picker(branch),
            "due": due,
            "paid": paid,
            "lapse_months": settings.FINANCE_DUES_LAPSE_MONTHS,
            "month_end": rules.month_end(year, month),
            "fill_date": min(_today(), rules.month_end(year, month)),
        },
    )


@officer_required
def dues_import(request: HttpRequest) -> HttpResponse:
    """党费收缴导入: all or nothing; every bad row and column listed."""
    form = forms.DuesImportForm(request.POST or None, request.FILES or None)
    problems: list[excel.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            lines = excel.read_sheet(form.cleaned_data["file"])
            if not lines:
                raise ValidationError(
                    "文件中没有数据：第1行为表头，从第2行起每行填写一名党员一个月的党费。"
                )
            rows, problems = excel.check_rows(request.user, lines)
            if not problems:
                saved = services.payments_import(actor=request.user, rows=rows)
                messages.success(request, f"已导入{len(rows)}行（其中{saved}行有新数据）。")
                return redirect("finance:import")
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        except PermissionDenied as exc:
            form.add_error("file", str(exc))
    return render(
        request,
        "finance/import.html",
        {"form": form, "problems": problems, "columns": excel.COLUMNS, "max_rows": excel.MAX_ROWS},
    )


@officer_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(excel.build_template(), content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "党费收缴导入模板.xlsx")
    return response


# --- 我的党费 ----------------------------------------------------------------------------------


@login_required
def my_dues(request: HttpRequest) -> HttpResponse:
    person_id = scope_for(request.user).person_id
    year = parse_year(request.GET.get("year"), _today().year)
    standard, payments = (None, [])
    if person_id:
        person = request.user.person
        standard, payments = selectors.own_dues(person, year)
    by_month = {p.month: p for p in payments}
    months = [(m, by_month.get(m)) for m in range(1, 13)]
    return render(
        request,
        "finance/my_dues.html",
        {
            "year": year,
            "standard": standard,
            "months": months,
            "paid": sum((p.paid for p in payments), Decimal(0)),
            "arrears": sum(1 for p in payments if p.state == "arrears"),
            "has_person": bool(person_id),
        },
    )


# --- 党费统计 ----------------------------------------------------------------------------------


def _stats_context(request: HttpRequest) -> dict[str, Any]:
    org_id = parse_int(request.GET.get("org"))
    root = selectors.statistics_root(request.user, org_id)
    if root is None and org_id is not None:
        raise Http404("党组织不存在或不在您的管理范围内")
    year = parse_year(request.GET.get("year"), _today().year)
    month = parse_int(request.GET.get("month"), None, 1, 12)
    rows = selectors.statistics(root, year, month) if root else []
    lapsed = []
    if root is not None:
        lapsed = selectors.lapsed_under(root, selectors.last_closed_period(_today()))
    return {
        "root": root,
        "year": year,
        "month": month,
        "months": range(1, 13),
        "rows": rows,
        "lapsed": lapsed,
        "lapse_months": settings.FINANCE_DUES_LAPSE_MONTHS,
        "picker": org_picker("org", root),
    }


@officer_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """党费统计: due, paid, arrears of an organisation and each organisation below it."""
    return render(request, "finance/statistics.html", _stats_context(request))


STATS_HEADERS = [
    "党组织",
    "应交（元）",
    "实交（元）",
    "未交（元）",
    "收缴率",
    "欠缴（人次）",
    "补缴（人次）",
]


@officer_required
@require_GET
def statistics_export(request: HttpRequest) -> HttpResponse:
    ctx = _stats_context(request)
    period = f"{ctx['year']}年" + (f"{ctx['month']}月" if ctx["month"] else "")
    lines = (
        [
            r.organisation.name,
            float(r.due),
            float(r.paid),
            float(r.outstanding),
            r.rate,
            r.arrears,
            r.late,
        ]
        for r in ctx["rows"]
    )
    content = xlsx_table(
        sheet="党费统计",
        title=f"{ctx['root'].name if ctx['root'] else ''}{period}党费收缴统计",
        headers=STATS_HEADERS,
        rows=lines,
        widths=[30, 12, 12, 12, 10, 12, 12],
    )
    return xlsx_response(request, content, f"党费统计-{period}.xlsx")


# --- 经费台账 ----------------------------------------------------------------------------------


@officer_required
def ledger(request: HttpRequest) -> HttpResponse:
    """支部活动经费台账: income, spending and the balance of a branch's year."""
    branch = _branch(request, editable=request.method == "POST")
    year, _ = _year_month(request)
    if request.method == "POST" and branch is not None:
        kind = request.POST.get("action", "")
        today = _today()
        on = (
            today
            if today.year == year
            else date(year, 12, 31)
            if year < today.year
            else date(year, 1, 1)
        )
        try:
            entry = services.fund_compute(
                actor=request.user, branch=branch, year=year, kind=kind, on=on
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            if entry is None:
                messages.info(request, "计算结果为0元，未记入台账。")
            else:
                messages.success(request, f"已记入：{entry.summary}，{entry.amount}元。")
        return redirect(
            f"{reverse('finance:ledger')}?{urlencode({'org': branch.pk, 'year': year})}"
        )
    found = selectors.ledger(branch, year) if branch else None
    staff, students = selectors.member_counts(branch) if branch else (0, 0)
    return render(
        request,
        "finance/ledger.html",
        {
            "branch": branch,
            "year": year,
            "ledger": found,
            "picker": _picker(branch),
            "staff": staff,
            "students": students,
            "kinds": FundKind,
            "return_ratio": f"{settings.FINANCE_DUES_RETURN_RATIO * 100:g}%",
        },
    )


@officer_required
@require_GET
def ledger_export(request: HttpRequest) -> HttpResponse:
    branch = _branch(request, editable=False)
    if branch is None:
        raise Http404("请选择党支部")
    year, _ = _year_month(request)
    found = selectors.ledger(branch, year)
    balance = Decimal(0)
    lines = []
    for e in found.entries:
        balance += e.signed_amount
        income = float(e.amount) if e.is_income else None
        spending = None if e.is_income else float(e.amount)
        lines.append(
            [
                e.on,
                e.get_kind_display(),
                e.summary,
                income,
                spending,
                float(balance),
                e.voucher_name,
            ]
        )
    lines.append(
        ["合计", "", "", float(found.income), float(found.spending), float(found.balance), ""]
    )
    content = xlsx_table(
        sheet="经费台账",
        title=f"{branch.name}{year}年党支部活动经费台账",
        headers=["日期", "类别", "摘要", "收入（元）", "支出（元）", "余额（元）", "凭证"],
        rows=iter(lines),
        widths=[12, 16, 40, 12, 12, 12, 20],
    )
    return xlsx_response(request, content, f"{branch.name}{year}年活动经费台账.xlsx")
