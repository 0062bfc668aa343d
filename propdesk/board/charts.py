"""The board's trend charts: each measure's last 12 periods as an Apache ECharts option for
``core/partials/chart.html``, bars coloured red or green, the target as a dashed line."""

from propdesk.core.templatetags.periods import period_label

from .targets import GREEN, RED

COLOURS = {GREEN: "#34a853", RED: "#d93025"}
GREY = "#c4c7c5"


def trend_option(line) -> dict:
    """A small bar chart of ``line``'s trend (a ``selectors.Line``)."""
    unit = str(line.measure.unit_label)
    bars = [
        {
            "value": None if p.value is None else float(p.value),
            "itemStyle": {"color": COLOURS.get(p.status, GREY)},
        }
        for p in line.trend
    ]
    series = {"type": "bar", "data": bars, "barCategoryGap": "25%"}
    if line.target is not None:
        series["markLine"] = {
            "silent": True,
            "symbol": "none",
            "label": {"show": False},
            "lineStyle": {"type": "dashed", "color": "#5f6368"},
            "data": [{"yAxis": float(line.target)}],
        }
    return {
        "animation": False,
        "grid": {"left": 2, "right": 2, "top": 4, "bottom": 2},
        "tooltip": {"trigger": "axis", "confine": True},
        "xAxis": {
            "type": "category",
            "data": [period_label(p.period) for p in line.trend],
            "show": False,
        },
        "yAxis": {"type": "value", "show": False, "name": unit},
        "series": [series],
    }
