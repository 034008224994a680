"""Altair chart conventions and builders: Vietnamese number format, one colour for Nữ and one for
Nam on every chart, the 40–60% parity band, target lines.

Free of Streamlit, so the pages (through `ui.charts.show`) and the generated documents (through
`chart_images`) draw the same Vega-Lite specs."""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from data_access.db.catalogue import PARITY_BAND
from data_access.domain.formats import pct
from data_access.views.gender_ratio import share_bins

FEMALE = "Nữ"
MALE = "Nam"
FEMALE_COLOUR = "#8E3B8E"  # the same purple on every chart
MALE_COLOUR = "#2E7D9A"
TARGET_COLOUR = "#C62828"
SEX_SCALE = alt.Scale(domain=[FEMALE, MALE], range=[FEMALE_COLOUR, MALE_COLOUR])
PARITY_LOW, PARITY_HIGH = PARITY_BAND
PCT = ",.1f"
# Series colours for agencies and measures: no red (targets are red) and no purple (purple means
# Nữ on every chart, so an agency drawn in it would read as "women").
SERIES_COLOURS = [
    "#2E7D9A",
    "#E08E0B",
    "#5B8C3A",
    "#1F4E79",
    "#7F7F7F",
    "#B5651D",
    "#17A398",
]
COUNT = ",d"  # counts of people, units or activities: whole numbers, 1.520
# A share axis is fitted to the data when its values span less than this many points: on 0–100 a
# 50→56% rise is a flat line.
FIT_BELOW_SPAN = 40
# Plot width (px) from which two legend columns fit two long names ("Bộ Lao động – Thương binh và
# Xã hội" and another) side by side; a phone's plot is about 310 px, a desktop half column 490.
LEGEND_TWO_COLUMNS_FROM = 460

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
    return (
        chart.configure(locale=VI_LOCALE)
        .configure_axis(labelFontSize=12, titleFontSize=12)
        # labelLimit 0: a legend label is never cut ("Công chức, viên chức, người l…"); so on a
        # narrow chart (a phone) the entries go one under another rather than past its edge.
        .configure_legend(
            orient="bottom",
            labelFontSize=12,
            labelLimit=0,
            titleLimit=0,
            columns=alt.ExprRef(f"width < {LEGEND_TWO_COLUMNS_FROM} ? 1 : 2"),
        )
    )


def spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The themed chart as a Vega-Lite spec, not validated (tests/test_charts.py validates every
    builder's spec against the schema once, rather than on every page run)."""
    out: dict[str, Any] = chart.to_dict(validate=False)
    # The theme's config as themed() writes it, converted once: configuring and converting it
    # again for every chart was a third of a spec's 29 ms. Each configure_* replaces its key.
    out["config"] = {**out.get("config", {}), **copy.deepcopy(_theme_config())}
    out["config"].pop("view", None)  # Altair's default 300 px view; callers size charts
    return out


@functools.cache
def _theme_config() -> dict[str, Any]:
    config: dict[str, Any] = themed(alt.Chart()).to_dict(validate=False)["config"]
    config.pop("view", None)
    return config


def parity_band(horizontal: bool = False, clip: bool = False) -> alt.Chart:
    """A shaded 40–60% band: the zone read as balanced (`clip`: cut to a fitted axis)."""
    band = pd.DataFrame({"low": [PARITY_LOW], "high": [PARITY_HIGH]})
    base = alt.Chart(band).mark_rect(color="#9E9E9E", opacity=0.12, clip=clip)
    if horizontal:
        return base.encode(x=alt.X("low:Q"), x2=alt.X2("high:Q"))
    return base.encode(y=alt.Y("low:Q"), y2=alt.Y2("high:Q"))


def share_domain(values: pd.Series) -> list[float]:
    """0–100, or the data's range widened to whole tens when 0–100 would flatten it."""
    shown = pd.to_numeric(values, errors="coerce").dropna()
    if shown.empty or shown.max() - shown.min() >= FIT_BELOW_SPAN:
        return [0, 100]
    low = max(0, 10 * math.floor((shown.min() - 5) / 10))
    high = min(100, 10 * math.ceil((shown.max() + 5) / 10))
    return [low, high]


def encoded(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Only the columns a chart draws: Altair converts, hashes and ships every column of its data,
    and a panel's frame carries a dozen (a third of a page's uncached run went to its charts)."""
    return frame[list(dict.fromkeys(columns))]


def share_trend(
    frame: pd.DataFrame,
    x: str,
    series: str,
    value: str,
    title_y: str,
    *,
    order: Sequence[str] | None = None,
    domain: Sequence[float] | None = None,
) -> alt.TopLevelMixin:
    """Lines of female share (%) over years, one line per series, over the parity band; the
    legend lists the series in the frame's order (the caller's meaning order, not a–z).

    `order` and `domain` are what the chart reads from its frame besides the rows drawn
    (share_trend_shape): given, a chart of no rows is the template of every frame of that shape."""
    order = list(series_order(frame[series]) if order is None else order)
    domain = list(share_domain(frame[value]) if domain is None else domain)
    lines = (
        alt.Chart(share_trend_rows(frame, x, series, value))
        .mark_line(point=True, clip=True)
        .encode(
            x=alt.X(f"{x}:O", title="Năm", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{value}:Q", title=title_y, scale=alt.Scale(domain=domain, zero=False)),
            color=alt.Color(
                f"{series}:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=SERIES_COLOURS),
            ),
            tooltip=[
                alt.Tooltip(f"{x}:O", title="Năm"),
                alt.Tooltip(f"{series}:N", title="Chỉ tiêu"),
                alt.Tooltip(f"{value}:Q", title="Tỷ lệ nữ (%)", format=PCT),
            ],
        )
    )
    return alt.layer(parity_band(clip=True), lines)


def series_order(names: pd.Series) -> list[Any]:
    """The series in their first appearance's order, blanks left out: the legend's order."""
    return list(dict.fromkeys(names.dropna()))


def share_trend_rows(frame: pd.DataFrame, x: str, series: str, value: str) -> pd.DataFrame:
    """The rows share_trend draws."""
    return encoded(frame, x, series, value)


def share_trend_shape(frame: pd.DataFrame, series: str, value: str) -> dict[str, tuple[Any, ...]]:
    """What share_trend reads from its frame besides its rows: the legend's order and the
    y axis's range."""
    return {
        "order": tuple(series_order(frame[series])),
        "domain": tuple(share_domain(frame[value])),
    }


def share_bars(
    frame: pd.DataFrame,
    category: str,
    category_title: str,
    value: str,
    value_title: str = "Tỷ lệ nữ (%)",
    target: float | None = None,
    select_name: str | None = None,
    count_tooltip: tuple[str, str] | None = None,
) -> alt.TopLevelMixin:
    """Horizontal bars of a female share by category, sorted, over the parity band; clickable.
    `count_tooltip` (column, title) adds a count to the tooltip."""
    selection = alt.selection_point(name=select_name, fields=[category]) if select_name else None
    data = share_bars_rows(frame, category, value, count_tooltip)
    # The bars and their labels read the layer's data: a layer with a selection names its views
    # by a hash of their data's text, which for a frame was a third of the chart's time.
    bars = (
        alt.Chart()
        .mark_bar(color=FEMALE_COLOUR)
        .encode(
            y=alt.Y(
                f"{category}:N", title=category_title, sort="-x", axis=alt.Axis(labelLimit=260)
            ),
            x=alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip(f"{value}:Q", title=value_title, format=PCT),
                *(
                    [alt.Tooltip(f"{count_tooltip[0]}:Q", title=count_tooltip[1], format=",d")]
                    if count_tooltip
                    else []
                ),
            ],
        )
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=4, color="#333", fontSize=11)
        .encode(
            y=alt.Y(f"{category}:N", sort="-x"),
            x=alt.X(f"{value}:Q"),
            text=alt.Text(f"{value}:Q", format=PCT),
        )
    )
    if selection is not None:
        bars = bars.add_params(selection).encode(
            opacity=alt.OpacityValue(**alt.condition(selection, alt.value(1.0), alt.value(0.45)))
        )
    layers: list[alt.Chart] = [parity_band(horizontal=True), bars, labels]
    if target is not None:
        layers.append(target_rule(target, horizontal=True))
    return alt.layer(*layers, data=data).properties(height=alt.Step(22))


def share_bars_rows(
    frame: pd.DataFrame, category: str, value: str, count_tooltip: tuple[str, str] | None = None
) -> pd.DataFrame:
    """The rows share_bars draws: its spec depends on its frame through these alone."""
    return encoded(frame, category, value, *(count_tooltip[:1] if count_tooltip else ()))


def target_rule(value: float, horizontal: bool = False, label: str | None = None) -> alt.Chart:
    frame = pd.DataFrame({"target": [value], "label": [label or f"Mục tiêu {pct(value, 0)}"]})
    rule = alt.Chart(frame).mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], size=2)
    encoded = rule.encode(x=alt.X("target:Q")) if horizontal else rule.encode(y=alt.Y("target:Q"))
    return encoded.encode(tooltip=alt.Tooltip("label:N", title="Mục tiêu"))


def sex_stacked(
    frame: pd.DataFrame,
    category: str,
    category_title: str,
    female: str,
    male: str,
    value_title: str = "Số người",
) -> alt.Chart:
    """Stacked bars of women and men (counts)."""
    long = frame.melt(id_vars=[category], value_vars=[female, male], var_name="sex", value_name="n")
    long["sex"] = long["sex"].map({female: FEMALE, male: MALE})
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(f"{category}:N", title=category_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "n:Q", title=value_title, stack="zero", axis=alt.Axis(format=COUNT, tickMinStep=1)
            ),
            color=alt.Color("sex:N", title=None, scale=SEX_SCALE),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip("sex:N", title="Giới"),
                alt.Tooltip("n:Q", title=value_title, format=",d"),
            ],
        )
    )


def pipeline_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Female share at each step of the leadership pipeline, with the parity band."""
    bars = (
        alt.Chart(encoded(frame, "label", "female_pct", "female", "total"))
        .mark_bar(color=FEMALE_COLOUR)
        .encode(
            x=alt.X(
                "label:N",
                title=None,
                sort=list(frame["label"]),
                axis=alt.Axis(labelAngle=0, labelLimit=160),
            ),
            y=alt.Y("female_pct:Q", title="Tỷ lệ nữ (%)", scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("label:N", title="Bậc"),
                alt.Tooltip("female_pct:Q", title="Tỷ lệ nữ (%)", format=PCT),
                alt.Tooltip("female:Q", title="Nữ", format=",d"),
                alt.Tooltip("total:Q", title="Tổng số", format=",d"),
            ],
        )
    )
    labels = bars.mark_text(dy=-8, color="#333").encode(text=alt.Text("female_pct:Q", format=PCT))
    return alt.layer(parity_band(), bars, labels)


def target_trend(frame: pd.DataFrame, value: str, title_y: str) -> alt.TopLevelMixin:
    """A share over the years against the target of each year (dashed red)."""
    drawn = encoded(frame, "year", value, "target")
    line = (
        alt.Chart(drawn)
        .mark_line(point=True, color=FEMALE_COLOUR)
        .encode(
            x=alt.X("year:O", title="Năm", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{value}:Q", title=title_y, scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("year:O", title="Năm"),
                alt.Tooltip(f"{value}:Q", title=title_y, format=PCT),
                alt.Tooltip("target:Q", title="Mục tiêu (%)", format=PCT),
            ],
        )
    )
    target = (
        alt.Chart(drawn.dropna(subset=["target"]))
        .mark_line(color=TARGET_COLOUR, strokeDash=[6, 4])
        .encode(
            x=alt.X("year:O"),
            y=alt.Y("target:Q"),
            tooltip=alt.Tooltip("target:Q", title="Mục tiêu (%)", format=PCT),
        )
    )
    return alt.layer(target, line)


def histogram(values: pd.Series, title_x: str) -> alt.TopLevelMixin:
    """How units spread: the count of units by female share in 5-point bins. Binned here, so the
    browser gets 20 rows rather than one per unit."""
    return binned_histogram(share_bins(values), title_x)


def binned_histogram(frame: pd.DataFrame, title_x: str) -> alt.TopLevelMixin:
    """The histogram of bins already counted (views.gender_ratio.share_bins: low, high, units,
    label): a page keeps the twenty rows, not the units' shares."""
    bars = (
        alt.Chart(frame)
        .mark_bar(color=FEMALE_COLOUR, opacity=0.85, binSpacing=1)
        .encode(
            x=alt.X("low:Q", title=title_x, bin="binned", scale=alt.Scale(domain=[0, 100])),
            x2=alt.X2("high:Q"),
            y=alt.Y("units:Q", title="Số đơn vị", axis=alt.Axis(format=COUNT, tickMinStep=1)),
            tooltip=[
                alt.Tooltip("label:N", title=title_x),
                alt.Tooltip("units:Q", title="Số đơn vị", format=",d"),
            ],
        )
    )
    return alt.layer(parity_band(horizontal=True), bars)


def domain_scores(frame: pd.DataFrame) -> alt.Chart:
    """Index scores by domain, one bar per compared entity (`name`, `domain`, `score`)."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("score:Q", title="Điểm (1–100)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("domain:N", title=None, axis=alt.Axis(labelLimit=220)),
            yOffset=alt.YOffset("name:N"),
            color=alt.Color("name:N", title=None, scale=alt.Scale(range=SERIES_COLOURS)),
            tooltip=[
                alt.Tooltip("name:N", title="Tên"),
                alt.Tooltip("domain:N", title="Lĩnh vực"),
                alt.Tooltip("score:Q", title="Điểm", format=",.1f"),
            ],
        )
    )


CAMPAIGN_WINDOWS = pd.DataFrame(
    {
        "start": pd.to_datetime(["2001-06-01", "2001-11-15"]),
        "end": pd.to_datetime(["2001-06-30", "2001-12-15"]),
        "label": [
            "Tháng hành động phòng, chống bạo lực gia đình",
            "Tháng hành động vì bình đẳng giới",
        ],
    }
)


def timeline(frame: pd.DataFrame, labels: dict[str, str]) -> alt.TopLevelMixin:
    """Activities by day of the year; the two action months are shaded."""
    data = frame.assign(campaign_vi=frame["campaign"].map(labels))
    windows = (
        alt.Chart(CAMPAIGN_WINDOWS)
        .mark_rect(color="#F2E6F7", opacity=0.7)
        .encode(x=alt.X("start:T"), x2=alt.X2("end:T"), tooltip=alt.Tooltip("label:N", title="Đợt"))
    )
    bars = (
        alt.Chart(data)
        .mark_bar(width=2)
        .encode(
            x=alt.X(
                "date:T", title="Thời điểm trong năm", axis=alt.Axis(format="%d/%m", tickCount=12)
            ),
            y=alt.Y(
                "activities:Q",
                title="Số hoạt động",
                stack="zero",
                axis=alt.Axis(format=COUNT, tickMinStep=1),
            ),
            color=alt.Color("campaign_vi:N", title=None, scale=alt.Scale(range=SERIES_COLOURS)),
            tooltip=[
                alt.Tooltip("date:T", title="Ngày", format="%d/%m"),
                alt.Tooltip("campaign_vi:N", title="Đợt"),
                alt.Tooltip("activities:Q", title="Số hoạt động", format=",d"),
            ],
        )
    )
    return alt.layer(windows, bars)


def representation(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Representation ratio per measure; the rule at 1.0 is proportional to the staff."""
    bars = (
        alt.Chart(frame)
        .mark_bar(color=FEMALE_COLOUR)
        .encode(
            y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X(
                "representation:Q",
                title="Hệ số đại diện (1,0 = tương xứng với tỷ lệ nữ trong CCVC)",
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Chỉ tiêu"),
                alt.Tooltip("female_pct:Q", title="Tỷ lệ nữ (%)", format=PCT),
                alt.Tooltip("representation:Q", title="Hệ số đại diện", format=",.2f"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [1.0]}))
        .mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4])
        .encode(x=alt.X("x:Q"))
    )
    return alt.layer(bars, rule)


def tile_map(
    frame: pd.DataFrame, value_title: str, select_name: str | None = None
) -> alt.TopLevelMixin:
    """The 34 provinces as tiles placed roughly where they lie, coloured by `value`."""
    selection = (
        alt.selection_point(name=select_name, fields=["province_code"]) if select_name else None
    )
    base = alt.Chart(frame).encode(
        x=alt.X("tile_col:O", axis=None),
        y=alt.Y("tile_row:O", axis=None),
    )
    tiles = base.mark_rect(stroke="white", strokeWidth=2, cornerRadius=3).encode(
        color=alt.Color(
            "value:Q",
            title=value_title,
            scale=alt.Scale(scheme="purples"),
            legend=alt.Legend(orient="bottom", format=PCT),  # beside it, it squeezed the tiles
        ),
        tooltip=[
            alt.Tooltip("province_name:N", title="Tỉnh, thành phố"),
            alt.Tooltip("value:Q", title=value_title, format=PCT),
            alt.Tooltip("n_units:Q", title="Số đơn vị báo cáo", format=",d"),
        ],
    )
    if selection is not None:
        tiles = tiles.add_params(selection)
    text = base.mark_text(fontSize=9).encode(
        text=alt.Text("abbr:N"),
        color=alt.ColorValue(
            **alt.condition(
                alt.datum.value > frame["value"].median(), alt.value("white"), alt.value("#222")
            )
        ),
    )
    # 80 px a column: room for an eleven-letter name ("Thái Nguyên") at 9 px.
    return alt.layer(tiles, text).properties(width=400, height=720)


def dot_map(frame: pd.DataFrame, value_title: str) -> alt.Chart:
    """Provinces as circles at their coordinates (works for the 63 legacy provinces too)."""
    return (
        alt.Chart(frame.dropna(subset=["value"]))
        .mark_circle(size=220, opacity=0.9, stroke="white")
        .encode(
            longitude=alt.Longitude("lon:Q"),
            latitude=alt.Latitude("lat:Q"),
            color=alt.Color(
                "value:Q",
                title=value_title,
                scale=alt.Scale(scheme="purples"),
                legend=alt.Legend(format=PCT),
            ),
            tooltip=[
                alt.Tooltip("province_name:N", title="Tỉnh, thành phố"),
                alt.Tooltip("value:Q", title=value_title, format=PCT),
            ],
        )
        .project(type="mercator")
        .properties(width=380, height=640)
    )
