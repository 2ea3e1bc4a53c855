"""The assessment app's charts (ECharts options)."""

from typing import Any

from dangjian.assessment.selectors import Distribution


def grades_option(distribution: Distribution) -> dict[str, Any]:
    """ECharts: a stacked bar per general branch (grades + 未出结果)."""
    colours = ["#b4141b", "#e8833a", "#3a7bd5", "#6c757d", "#cfd4da"]
    names = [r[0] for r in distribution.rows]
    series = []
    for i, label in enumerate([*distribution.labels, "未出结果"]):
        values = [r[1][i] if i < len(distribution.labels) else r[2] for r in distribution.rows]
        series.append(
            {
                "name": label,
                "type": "bar",
                "stack": "grades",
                "data": values,
                "itemStyle": {"color": colours[min(i, len(colours) - 1)]},
                "emphasis": {"focus": "series"},
            }
        )
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 36, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": names, "inverse": True},
        "series": series,
    }
