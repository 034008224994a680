"""The house charts read at a glance: value labels on bars, legends in the series' own order and
never cut, axes fitted where 0–100 would flatten the lines, whole-number counts, and the purple
of Nữ never reused for an agency or a measure."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from data_access.documents import chart_specs

AGENCIES = pd.DataFrame(
    {
        "year": [2024, 2024, 2024, 2025, 2025, 2025],
        "series": ["Thuế", "BHXH", "Kho bạc", "Thuế", "BHXH", "Kho bạc"],
        "share": [52.0, 55.0, 50.0, 53.0, 56.0, 51.0],
    }
)


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("layer", [spec])


def _encodings(spec: dict[str, Any], channel: str) -> list[dict[str, Any]]:
    return [
        layer["encoding"][channel]
        for layer in _layers(spec)
        if channel in layer.get("encoding", {})
    ]


def test_share_bars_carry_their_value_as_a_label() -> None:
    frame = pd.DataFrame({"name": ["A", "B"], "pct": [53.6, 41.2]})
    spec = chart_specs.spec(chart_specs.share_bars(frame, "name", "Ngành", "pct"))
    texts = [layer for layer in _layers(spec) if layer["mark"]["type"] == "text"]
    assert texts and texts[0]["encoding"]["text"]["format"] == chart_specs.PCT


def test_series_colours_never_reuse_the_purple_of_women() -> None:
    assert chart_specs.FEMALE_COLOUR not in chart_specs.SERIES_COLOURS
    spec = chart_specs.spec(chart_specs.share_trend(AGENCIES, "year", "series", "share", "%"))
    (colour,) = _encodings(spec, "color")
    assert chart_specs.FEMALE_COLOUR not in json.dumps(colour)


def test_legend_keeps_the_series_order_and_whole_labels() -> None:
    spec = chart_specs.spec(chart_specs.share_trend(AGENCIES, "year", "series", "share", "%"))
    (colour,) = _encodings(spec, "color")
    assert colour["scale"]["domain"] == ["Thuế", "BHXH", "Kho bạc"]  # as given, not a-z
    assert spec["config"]["legend"]["labelLimit"] == 0  # 0: no limit, never "Công chức, …"


@pytest.mark.parametrize(
    ("shares", "fitted"),
    [([50.0, 51.0, 56.0], True), ([5.0, 50.0, 95.0], False)],
)
def test_share_trend_fits_its_axis_when_0_to_100_would_flatten_it(
    shares: list[float], fitted: bool
) -> None:
    frame = pd.DataFrame({"year": [2023, 2024, 2025], "series": ["A"] * 3, "share": shares})
    spec = chart_specs.spec(chart_specs.share_trend(frame, "year", "series", "share", "%"))
    domains = [y.get("scale", {}).get("domain") for y in _encodings(spec, "y") if "scale" in y]
    low, high = domains[-1]
    assert low <= min(shares) and high >= max(shares)
    assert ((low, high) != (0, 100)) is fitted


@pytest.mark.parametrize(
    "chart",
    [
        lambda: chart_specs.sex_stacked(
            pd.DataFrame({"c": ["a"], "f": [3], "m": [2]}), "c", "Đợt", "f", "m"
        ),
        lambda: chart_specs.histogram(pd.Series([41.0, 55.0, 60.0]), "Tỷ lệ nữ (%)"),
    ],
)
def test_count_axes_show_whole_numbers(chart: Any) -> None:
    spec = chart_specs.spec(chart())
    counts = [y for y in _encodings(spec, "y") if y.get("type") == "quantitative"]
    assert counts and all(y["axis"]["format"] == ",d" for y in counts)
    assert all(y["axis"]["tickMinStep"] == 1 for y in counts)
