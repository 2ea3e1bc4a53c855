"""Chart options of member duty evaluation (ECharts), drawn from the selectors' tables."""

from typing import Any

GRADE_COLOURS = ["#c0392b", "#e67e22", "#2e86c1", "#7f8c8d", "#8e44ad", "#16a085"]


def grade_distribution(dist: dict[str, Any]) -> dict[str, Any]:
    """Grades per organisation (selectors.distribution) as a stacked horizontal bar, and the
    height the chart needs."""
    bands, groups = dist["bands"], dist["groups"]
    option = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"data": bands, "top": 0},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 36, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [g["name"] for g in groups],
            "axisLabel": {"width": 140, "overflow": "truncate"},
        },
        "color": GRADE_COLOURS[: len(bands)],
        "series": [
            {
                "name": grade,
                "type": "bar",
                "stack": "grades",
                "label": {"show": True, "formatter": "{c}", "fontSize": 11},
                "labelLayout": {"hideOverlap": True},
                "emphasis": {"focus": "series"},
                "data": [g["counts"][i] or None for g in groups],
            }
            for i, grade in enumerate(bands)
        ],
    }
    return {"option": option, "height": max(200, 60 + 36 * len(groups))}
