"""Altair chart conventions: Vietnamese number format, one colour for Nữ and one for Nam."""

from __future__ import annotations

import altair as alt
import pandas as pd

FEMALE = "Nữ"
MALE = "Nam"
FEMALE_COLOUR = "#8E3B8E"  # the same purple on every chart
MALE_COLOUR = "#2E7D9A"
SEX_SCALE = alt.Scale(domain=[FEMALE, MALE], range=[FEMALE_COLOUR, MALE_COLOUR])
PARITY_LOW, PARITY_HIGH = 40, 60

# d3-format / d3-time-format locale for Vega: decimal comma, thousands dot, Vietnamese months.
VI_LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]},
    "time": {
        "dateTime": "%A, %d/%m/%Y %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["SA", "CH"],
        "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
        "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
        "months": [f"Tháng {i}" for i in range(1, 13)],
        "shortMonths": [f"Th{i}" for i in range(1, 13)],
    },
}


def themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Apply the Vietnamese locale and the house style to a top-level chart."""
    return chart.configure(locale=VI_LOCALE).configure_axis(labelFontSize=12, titleFontSize=12)


def parity_band(y_field: str = "y") -> alt.Chart:
    """A shaded 40–60% band: the zone leadership reads as balanced."""
    band = pd.DataFrame({"low": [PARITY_LOW], "high": [PARITY_HIGH]})
    return (
        alt.Chart(band)
        .mark_rect(color="#9E9E9E", opacity=0.12)
        .encode(y=alt.Y("low:Q"), y2="high:Q")
    )


def share_trend(
    frame: pd.DataFrame, x: str, series: str, value: str, title_y: str
) -> alt.LayerChart:
    """Lines of female share (%) over periods, one line per series, over the parity band."""
    lines = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:O", title="Năm", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{value}:Q", title=title_y, scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(f"{series}:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip(f"{x}:O", title="Năm"),
                alt.Tooltip(f"{series}:N", title="Chỉ tiêu"),
                alt.Tooltip(f"{value}:Q", title="Tỷ lệ nữ (%)", format=",.1f"),
            ],
        )
    )
    return alt.layer(parity_band(), lines)
