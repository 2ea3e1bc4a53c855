"""ECharts options of the branches app's pages: grades and rectification progress per general
branch (horizontal stacked bars), a branch's grades over the rounds (a line)."""

from dangjian.branches import rules
from dangjian.branches.selectors import UNGRADED

GRADE_COLORS = {
    rules.ADVANCED: "#b4141b",
    rules.GOOD: "#e8833a",
    rules.AVERAGE: "#f2c12e",
    rules.LAGGING: "#6c757d",
    UNGRADED: "#ced4da",
}


PROGRESS_COLORS = {"done": "#2e7d32", "open": "#1f6fb2", "overdue": "#c62828"}


def _bar_option(categories: list[str], series: list[dict]) -> dict:
    """Horizontal stacked bars: the general branches' names stay readable however many."""
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0, "left": 0},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 36, "containLabel": True},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": categories,
            "axisLabel": {"interval": 0, "width": 130, "overflow": "truncate"},
        },
        "xAxis": {"type": "value", "minInterval": 1},
        "series": series,
    }


def chart_height(rows: list) -> int:
    """Pixels for a horizontal bar chart of these rows."""
    return max(220, 70 + 26 * len(rows))


def grade_chart(rows: list[dict]) -> dict:
    """ECharts option: stacked bars of the grades per general branch."""
    series = [
        {
            "name": rules.GRADE_LABELS[g],
            "type": "bar",
            "stack": "grade",
            "barMaxWidth": 22,
            "itemStyle": {"color": GRADE_COLORS[g]},
            "data": [r[g] for r in rows],
        }
        for g in rules.GRADES
    ]
    series.append(
        {
            "name": "未定级",
            "type": "bar",
            "stack": "grade",
            "barMaxWidth": 22,
            "itemStyle": {"color": GRADE_COLORS[UNGRADED]},
            "data": [r[UNGRADED] for r in rows],
        }
    )
    return _bar_option([r["label"] for r in rows], series)


def progress_chart(rows: list[dict]) -> dict:
    """ECharts option: stacked bars of items done / open / overdue per general branch."""
    names = {"done": "已完成", "open": "整改中", "overdue": "逾期未完成"}
    series = [
        {
            "name": names[k],
            "type": "bar",
            "stack": "items",
            "barMaxWidth": 22,
            "itemStyle": {"color": PROGRESS_COLORS[k]},
            "data": [r[k] for r in rows],
        }
        for k in ("done", "open", "overdue")
    ]
    return _bar_option([r["label"] for r in rows], series)


def history_chart(gradings: list) -> dict:
    """A line of a branch's grades over the rounds (后进 at the bottom, 先进 at the top)."""
    graded = [g for g in gradings if g.is_graded]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 24, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [f"{g.grading_year.year}{g.get_round_display()}" for g in graded],
        },
        "yAxis": {
            "type": "category",
            "boundaryGap": False,
            "data": [rules.GRADE_LABELS[g] for g in reversed(rules.GRADES)],
        },
        "series": [
            {
                "name": "定级等次",
                "type": "line",
                "symbolSize": 10,
                "itemStyle": {"color": "#b4141b"},
                "data": [rules.GRADE_LABELS[g.grade] for g in graded],
            }
        ],
    }
