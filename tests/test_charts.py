"""Chart builders give valid Vega-Lite (pages skip Altair's per-run schema validation, so it is
checked here), and the pre-binned histogram counts every unit once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import pytest

from ui import charts

SHARES = pd.DataFrame(
    {"name": ["A", "B"], "year": [2024, 2025], "pct": [45.0, 62.5], "total": [10, 20]}
)
PROVINCES = pd.DataFrame(
    {
        "province_code": ["01", "79"],
        "province_name": ["Hà Nội", "TP. Hồ Chí Minh"],
        "abbr": ["HN", "HCM"],
        "tile_col": [5, 6],
        "tile_row": [1, 12],
        "lon": [105.8, 106.7],
        "lat": [21.0, 10.8],
        "value": [51.2, 48.0],
        "n_units": [120, 150],
    }
)

CASES: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = [
    (charts.share_trend, (SHARES, "year", "name", "pct", "Tỷ lệ nữ (%)"), {}),
    (
        charts.share_bars,
        (SHARES, "name", "Ngành", "pct"),
        {"select_name": "pick", "count_tooltip": ("total", "Tổng số"), "target": 50.0},
    ),
    (charts.sex_stacked, (SHARES, "name", "Ngành", "total", "year"), {}),
    (
        charts.pipeline_chart,
        (
            pd.DataFrame(
                {
                    "label": ["CCVC", "Lãnh đạo"],
                    "female_pct": [55.0, 30.0],
                    "female": [55, 3],
                    "total": [100, 10],
                }
            ),
        ),
        {},
    ),
    (
        charts.target_trend,
        (pd.DataFrame({"year": [2024, 2025], "v": [50.0, 58.0], "target": [None, 60.0]}), "v", "%"),
        {},
    ),
    (charts.histogram, (pd.Series([0.0, 40.0, 99.0, 100.0]), "Tỷ lệ nữ (%)"), {}),
    (
        charts.timeline,
        (
            pd.DataFrame(
                {
                    "date": pd.to_datetime(["2001-03-08", "2001-11-20"]),
                    "campaign": ["IWD_0803", "ACTION_MONTH_GE"],
                    "activities": [3, 5],
                }
            ),
            {"IWD_0803": "8/3", "ACTION_MONTH_GE": "Tháng hành động"},
        ),
        {},
    ),
    (
        charts.representation,
        (pd.DataFrame({"label": ["Đào tạo"], "female_pct": [50.0], "representation": [0.9]}),),
        {},
    ),
    (charts.tile_map, (PROVINCES, "Tỷ lệ nữ (%)"), {"select_name": "province"}),
    (charts.dot_map, (PROVINCES, "Tỷ lệ nữ (%)"), {}),
    (
        charts.domain_scores,
        (pd.DataFrame({"name": ["A", "B"], "domain": ["Lãnh đạo"] * 2, "score": [40.0, 70.0]}),),
        {},
    ),
]


@pytest.mark.parametrize("builder, args, kwargs", CASES, ids=[c[0].__name__ for c in CASES])
def test_every_chart_is_valid_vega_lite(
    builder: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    chart = charts.themed(builder(*args, **kwargs))
    spec = chart.to_dict(validate=True)  # raises on a spec Vega-Lite would reject
    assert spec["config"]["locale"] == charts.VI_LOCALE
    assert spec["datasets"]


def test_the_cached_spec_is_the_chart_without_altair_view_defaults() -> None:
    spec = charts._spec.__wrapped__("share_trend", (SHARES, "year", "name", "pct", "%"), ())  # type: ignore[attr-defined]
    assert "view" not in spec["config"]
    expected = charts.themed(charts.share_trend(SHARES, "year", "name", "pct", "%"))
    assert spec["layer"] == expected.to_dict()["layer"]


def _bins(values: list[float]) -> dict[str, int]:
    spec = charts.histogram(pd.Series(values), "x").to_dict()
    (data,) = [v for v in spec["datasets"].values() if v and "units" in v[0]]
    return {row["label"]: row["units"] for row in data}


def test_the_histogram_counts_every_unit_once_in_five_point_bins() -> None:
    bins = _bins([0.0, 4.99, 5.0, 40.0, 44.9, 99.5, 100.0, float("nan")])
    assert len(bins) == 20 and sum(bins.values()) == 7  # the missing share is left out
    assert bins["0–5%"] == 2 and bins["5–10%"] == 1 and bins["40–45%"] == 2
    assert bins["95–100%"] == 2  # 100% belongs to the last bin
    assert isinstance(charts.histogram(pd.Series([], dtype=float), "x"), alt.LayerChart)
