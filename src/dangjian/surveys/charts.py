"""The survey result's chart (ECharts options)."""

from typing import Any

from dangjian.surveys.models import Survey
from dangjian.surveys.selectors import ResultRow, rating_choices


def result_option(survey: Survey, rows: list[ResultRow]) -> dict[str, Any]:
    """An ECharts stacked bar of the distribution (one bar per subject)."""
    palette = {
        "excellent": "#b4141b",
        "competent": "#e0673c",
        "basic": "#f2b84b",
        "incompetent": "#8c8c8c",
        "satisfied": "#b4141b",
        "fairly_satisfied": "#f2b84b",
        "dissatisfied": "#8c8c8c",
    }
    names = [r.name for r in rows]
    series = [
        {
            "name": label,
            "type": "bar",
            "stack": "total",
            # an empty segment is left out rather than labelled 0
            "data": [r.counts[i][2] or None for r in rows],
            "itemStyle": {"color": palette.get(value, "#999")},
            "label": {"show": True, "formatter": "{c}"},
        }
        for i, (value, label) in enumerate(rating_choices(survey.kind))
    ]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 36, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1, "name": "票数"},
        "yAxis": {"type": "category", "data": names, "inverse": True},
        "series": series,
    }
