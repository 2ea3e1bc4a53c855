"""数据驾驶舱 screens: the figures of an organisation (or of the user's scope) and of each
organisation one level below, with charts that drill down and links to the lists behind each
figure, and the table as XLSX. Thin: the figures are reports.cockpit's."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core import aggregates
from dangjian.core.export import xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_int
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import officer_required
from dangjian.org.models import Organisation
from dangjian.org.selectors import officer_roots
from dangjian.posts.models import PostState
from dangjian.reports import cockpit
from dangjian.reports.cockpit import Figures, Frame, Latest, Period

# Roots of a wide scope (the department: every committee) on one page of the cockpit.
ROOTS_PER_PAGE = 20
ID_MAX = 2**31 - 1

STATUS_CLASSES = {"green": "success", "amber": "warning", "red": "danger", "": "secondary"}


def _url(name: str, *args: Any, **params: Any) -> str:
    url = reverse(name, args=args)
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


@dataclass
class Node:
    """A row of the table (an organisation one level below) or the total (`org` None for a
    scope with many roots), with the links behind its figures."""

    org: Organisation | None
    figures: Figures
    period: Period
    latest: Latest

    @property
    def org_id(self) -> int | None:
        return self.org.pk if self.org else None

    @property
    def name(self) -> str:
        return self.org.name if self.org else "管辖范围合计"

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES[self.figures.status]

    def cockpit_url(self) -> str:
        return _url("reports:cockpit", org=self.org_id)

    def coverage_url(self) -> str:
        return _url(
            "reports:report_list",
            org=self.org_id,
            year=self.period.year,
            quarter=self.period.quarter,
        )

    def reports_url(self) -> str:
        return _url(
            "reports:report_list",
            org=self.org_id,
            year=self.period.year,
            quarter=self.period.quarter,
            attention=1,
        )

    def posts_url(self, state: str = "") -> str:
        return _url("posts:post_list", org=self.org_id, year=self.period.year, state=state)

    def duty_url(self) -> str:
        return _url("posts:duty_record_list", org=self.org_id)

    def life_url(self) -> str:
        return _url("orglife:compliance", organisation=self.org_id, attention=1)

    def hours_url(self) -> str:
        return _url("orglife:hours", org=self.org_id, year=self.period.year, short=1)

    def development_url(self, stage: int | None = None) -> str:
        return _url("development:case_list", org=self.org_id, stage=stage)

    def appraisal_url(self, grade: str = "") -> str:
        cycle = Latest.nearest(self.latest.cycles, self.org.path if self.org else "")
        if cycle is None:
            return _url("appraisal:cycle_list")
        return _url("appraisal:cycle_results", cycle, org=self.org_id, grade=grade)

    def assessment_url(self) -> str:
        round_ = Latest.nearest(self.latest.rounds, self.org.path if self.org else "")
        if round_ is None:
            return _url("assessment:round_list")
        gb = self.org_id if self.org and self.org.kind == "general_branch" else None
        return _url("assessment:round_detail", round_, gb=gb)

    def grading_url(self, grade: str = "") -> str:
        year = self.latest.grading_year
        if year is None:
            return _url("branches:year_list")
        gb = self.org_id if self.org and self.org.kind != "committee" else None
        return _url("branches:year_detail", year.pk, gb=gb, grade=grade)

    def items_url(self) -> str:
        year = self.latest.grading_year.year if self.latest.grading_year else self.period.year
        return _url("branches:item_list", org=self.org_id, year=year, status="unfinished")

    def cards(self) -> list[dict[str, Any]]:
        """The KPI cards of the total: label, value, hint and the list behind it."""
        f = self.figures
        pct = _pct
        return [
            {
                "label": "推广面",
                "value": pct(f.coverage_percent),
                "hint": f"{f.covered}/{f.branches}个党支部已实行",
                "url": self.coverage_url(),
            },
            {
                "label": "已明岗岗位",
                "value": f"{f.posts_published}",
                "hint": f"本年设岗{f.posts_total}个（明岗、履岗、评岗计入）",
                "url": self.posts_url(PostState.PUBLISHED),
            },
            {
                "label": "人均履职记实",
                "value": _num(f.duty_per_member),
                "hint": f"本年{f.duty_records}条 · 党员{f.members}人",
                "url": self.duty_url(),
            },
            {
                "label": "组织生活落实率",
                "value": pct(f.life_percent),
                "hint": f"{f.rules_done}/{f.rules_applicable}项要求本期已完成",
                "url": self.life_url(),
            },
            {
                "label": "学时达标率",
                "value": pct(f.hours_percent),
                "hint": f"{f.hours_met}/{f.required_members}名党员达到年度学时",
                "url": self.hours_url(),
            },
            {
                "label": "发展党员",
                "value": f"{f.developing}",
                "hint": "培养发展中（各步骤）",
                "url": self.development_url(),
            },
            {
                "label": "履岗考评",
                "value": f"{f.evaluated}",
                "hint": _grades_text(f.grades) or "暂无已公布的考评",
                "url": self.appraisal_url(),
            },
            {
                "label": "考核平均分",
                "value": _num(f.assessment_average),
                "hint": f"{f.assessed}个党支部已评分",
                "url": self.assessment_url(),
            },
            {
                "label": "支部定级",
                "value": f"{f.graded}",
                "hint": _grades_text(_grade_labels(f.branch_grades)) or "暂无定级",
                "url": self.grading_url(),
            },
            {
                "label": "整改完成率",
                "value": pct(f.items_percent),
                "hint": f"{f.items_done}/{f.items}项整改事项已完成",
                "url": self.items_url(),
            },
            {
                "label": "季报表按时报送",
                "value": f"{f.reports_on_time}/{f.reporting}",
                "hint": (
                    f"逾期报送{f.reports_late} · 逾期未报{f.reports_overdue}"
                    f" · 截止{self.period.due.month}月{self.period.due.day}日"
                ),
                "url": self.reports_url(),
            },
        ]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


GRADE_LABELS = {g.value: g.label for g in cockpit.GRADES}


def _grade_labels(grades: dict[str, int]) -> dict[str, int]:
    return {GRADE_LABELS.get(k, k): v for k, v in grades.items()}


def _grades_text(grades: dict[str, int]) -> str:
    return " ".join(f"{k}{v}" for k, v in grades.items())


# --- the frame asked for ---------------------------------------------------------------------


def _frame(request) -> tuple[Organisation | None, Frame, Any]:
    """The organisation asked for (404 outside the scope) and its children; without one, the
    scope's only root, or a page of the scope's roots (the department: every committee)."""
    org_id = parse_int(request.GET.get("org"), low=1, high=ID_MAX)
    if org_id is not None:
        org = get_for_user(Organisation.objects, request.user, pk=org_id)
        return org, cockpit.children_frame(org), None
    roots = officer_roots(request.user).filter(kind__in=cockpit.CHILD_KINDS).active()
    scope = scope_for(request.user)
    listed = list(roots.order_by("path")[:2])
    if len(listed) == 1:  # one root (a secretary's branch, a one-committee institution)
        return listed[0], cockpit.children_frame(listed[0]), None
    page = request_page(request, roots, order=("path",), size=ROOTS_PER_PAGE)
    # The department: a page of the first level (their rows found by the path index) and the
    # total over every row (a plain aggregate, no join to the organisations).
    paths = None if scope.everything else tuple(scope.org_paths)
    return None, Frame(nodes=list(page.rows), paths=paths), page


def _nodes(user, org, frame) -> tuple[Node, list[Node]]:
    # The department's first level totals the whole institution (about 3 s at 100,000
    # organisations): kept a minute for a scope over everything, like its other counters.
    parts = (
        "reports.cockpit",
        [n.pk for n in frame.nodes],
        frame.paths,
        frame.level,
        timezone.localdate(),
    )
    per_node, total, period, latest = aggregates.kept(user, parts, lambda: cockpit.figures(frame))
    rows = [Node(n, per_node[n.pk], period, latest) for n in frame.nodes]
    return Node(org, total, period, latest), rows


# --- charts ----------------------------------------------------------------------------------


def _percent_chart(rows: list[Node]) -> dict[str, Any]:
    """The children's main shares side by side; a click opens the child's cockpit."""
    series = [
        ("推广面", lambda f: f.coverage_percent),
        ("组织生活落实率", lambda f: f.life_percent),
        ("学时达标率", lambda f: f.hours_percent),
        ("整改完成率", lambda f: f.items_percent),
    ]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 56, "containLabel": True},
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [r.name for r in rows],
            "axisLabel": {"width": 110, "overflow": "truncate"},
        },
        "series": [
            {
                "name": name,
                "type": "bar",
                "data": [{"value": value(r.figures), "url": r.cockpit_url()} for r in rows],
            }
            for name, value in series
        ],
    }


def _funnel_chart(total: Node) -> dict[str, Any]:
    """The development cases by step; a click opens the cases at that step."""
    stages = cockpit.STAGES
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [f"{s.value}. {s.label}" for s in stages],
            "axisLabel": {"width": 130, "overflow": "truncate"},
        },
        "series": [
            {
                "name": "发展党员",
                "type": "bar",
                "label": {"show": True, "position": "right"},
                "data": [
                    {
                        "value": total.figures.funnel.get(s.value, 0),
                        "url": total.development_url(s.value),
                    }
                    for s in stages
                ],
            }
        ],
    }


def _posts_chart(total: Node) -> dict[str, Any]:
    """Posts of this year by step of 设岗定责; a click opens the posts in that state."""
    return {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "name": "岗位",
                "type": "pie",
                "radius": ["30%", "55%"],
                "label": {"formatter": "{b}\n{c}"},
                "data": [
                    {
                        "name": state.label,
                        "value": total.figures.posts.get(state.value, 0),
                        "url": total.posts_url(state.value),
                    }
                    for state in PostState
                    if total.figures.posts.get(state.value)
                ],
            }
        ],
    }


def _grades_chart(total: Node) -> dict[str, Any]:
    """Branch grades of the latest grading year; a click opens the branches of that grade."""
    return {
        "tooltip": {"trigger": "item"},
        "color": ["#198754", "#0d6efd", "#ffc107", "#dc3545"],
        "series": [
            {
                "name": "支部定级",
                "type": "pie",
                "radius": ["30%", "55%"],
                "label": {"formatter": "{b}\n{c}"},
                "data": [
                    {
                        "name": grade.label,
                        "value": total.figures.branch_grades.get(grade.value, 0),
                        "url": total.grading_url(grade.value),
                    }
                    for grade in cockpit.GRADES
                    if total.figures.branch_grades.get(grade.value)
                ],
            }
        ],
    }


# --- views -----------------------------------------------------------------------------------


@officer_required
@require_GET
def cockpit_page(request):
    org, frame, page = _frame(request)
    total, rows = _nodes(request.user, org, frame)
    charts = {"funnel": _funnel_chart(total), "posts": _posts_chart(total)}
    if rows:
        charts["children"] = _percent_chart(rows)
    if total.figures.graded:
        charts["grades"] = _grades_chart(total)
    parent = None
    if org is not None and org.depth > 1:
        parent = (
            Organisation.objects.visible_to(request.user)
            .filter(path=org.path[: (org.depth - 1) * Organisation.steplen])
            .first()
        )
    return render(
        request,
        "reports/cockpit.html",
        {
            "org": org,
            "parent": parent,
            "total": total,
            "rows": rows,
            "page": page,
            "charts": charts,
            "children_height": 80 + 64 * len(rows),
            "export_url": _url("reports:cockpit_export", org=org.pk if org else None),
            "green": settings.COCKPIT_GREEN_PERCENT,
            "red": settings.COCKPIT_RED_PERCENT,
        },
    )


EXPORT_HEADERS = [
    "党组织",
    "状态",
    "党支部数",
    "已实行“168”机制",
    "推广面（%）",
    "党员数",
    "设岗数",
    "明岗数",
    "本年履职记实（条）",
    "人均履职记实（条）",
    "组织生活要求数",
    "已完成",
    "组织生活落实率（%）",
    "应达学时党员",
    "已达标",
    "学时达标率（%）",
    *[f"发展：{s.label}" for s in cockpit.STAGES],
    "履岗考评人数",
    "考评等次",
    "已评分党支部",
    "考核平均分",
    "已定级党支部",
    *[f"定级：{g.label}" for g in cockpit.GRADES],
    "整改事项",
    "已完成",
    "整改完成率（%）",
    "应报季报表",
    "按时报送",
    "逾期报送",
    "逾期未报",
]


def _export_row(node: Node) -> list[Any]:
    f = node.figures
    return [
        node.name,
        f.status_label,
        f.branches,
        f.covered,
        f.coverage_percent,
        f.members,
        f.posts_total,
        f.posts_published,
        f.duty_records,
        f.duty_per_member,
        f.rules_applicable,
        f.rules_done,
        f.life_percent,
        f.required_members,
        f.hours_met,
        f.hours_percent,
        *[f.funnel.get(s.value, 0) for s in cockpit.STAGES],
        f.evaluated,
        _grades_text(f.grades),
        f.assessed,
        f.assessment_average,
        f.graded,
        *[f.branch_grades.get(g.value, 0) for g in cockpit.GRADES],
        f.items,
        f.items_done,
        f.items_percent,
        f.reporting,
        f.reports_on_time,
        f.reports_late,
        f.reports_overdue,
    ]


@officer_required
@require_GET
def cockpit_export(request):
    """The table as XLSX: every row below (all the scope's roots, not one page) and the total.
    Counts only — no personal data."""
    org_id = parse_int(request.GET.get("org"), low=1, high=ID_MAX)
    if org_id is None and request.GET.get("org"):
        return redirect("reports:cockpit_export")
    org, frame, page = _frame(request)
    if page is not None:
        roots = officer_roots(request.user).filter(kind__in=cockpit.CHILD_KINDS).active()
        frame = Frame(nodes=list(roots.order_by("path")), paths=frame.paths, level=frame.level)
    total, rows = _nodes(request.user, org, frame)
    title = f"数据驾驶舱（{total.name if org else '管辖范围'}，{total.period.today:%Y-%m-%d}）"
    content = xlsx_table(
        sheet="数据驾驶舱",
        title=title,
        headers=EXPORT_HEADERS,
        rows=[_export_row(r) for r in [*rows, total]],
        widths=[28, 8, *[12] * (len(EXPORT_HEADERS) - 2)],
    )
    return xlsx_response(request, content, f"数据驾驶舱-{total.name}.xlsx")


# Organisations of the tree whose colours one request asks for (the tree's page is 100).
TREE_STATUS_MAX = 100


@officer_required
@require_GET
def tree_status(request):
    """The status colours of a page of the organisation tree, as out-of-band fragments that
    htmx puts into each node's placeholder (org/_tree_nodes.html): the tree stays in the org
    app, the figures in reports."""
    ids = []
    for raw in request.GET.get("ids", "").split(",")[:TREE_STATUS_MAX]:
        pk = parse_int(raw, low=1, high=ID_MAX)
        if pk is not None:
            ids.append(pk)
    nodes = list(
        Organisation.objects.visible_to(request.user)
        .filter(pk__in=ids, kind__in=cockpit.CHILD_KINDS)
        .only("id", "path", "depth", "kind")
    )
    figures = cockpit.statuses(nodes) if nodes else {}
    return render(
        request,
        "reports/_tree_status.html",
        {
            "nodes": [
                (node, figures[node.pk], STATUS_CLASSES[figures[node.pk].status])
                for node in nodes
                if figures[node.pk].status
            ]
        },
    )
