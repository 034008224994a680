"""Charts whose spec depends on their frame only through its rows are built once per set of
other arguments and filled with each call's rows (issue #18: Altair's to_dict was a third of the
gender-ratio page's uncached run): the filled spec is the dict Altair builds for the frame."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from data_access.views.gender_ratio import share_bins
from ui import charts

AGENCIES = pd.DataFrame(
    {
        "agency_code": ["BHXH", "BNV", "THADS"],
        "agency_name": ["Bảo hiểm xã hội Việt Nam", "Bộ Nội vụ", "Hệ thống Thi hành án dân sự"],
        "staff_total": [1520, 300, 0],
        "staff_female": [815, 160, 0],
        "staff_female_pct": [53.61842105263158, 53.333333333333336, float("nan")],
        "year": [2024, 2024, 2024],
    }
)

CASES: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("share_bars", (AGENCIES, "agency_name", "Ngành", "staff_female_pct"), {}),
    (
        "share_bars",
        (AGENCIES, "agency_name", "Ngành", "staff_female_pct"),
        {"select_name": "agency_pick", "count_tooltip": ("staff_total", "Tổng số CCVC")},
    ),
    (
        "share_bars",
        (AGENCIES.head(1), "agency_name", "Ngành", "staff_female_pct", "Tỷ lệ (%)", 50.0),
        {"select_name": "pick"},
    ),
    ("share_bars", (AGENCIES.head(0), "agency_name", "Ngành", "staff_female_pct"), {}),
    ("share_bars", (AGENCIES.iloc[[2, 0]], "agency_code", "Mã", "staff_female_pct"), {}),
    ("binned_histogram", (share_bins(pd.Series([0.0, 41.0, 55.5, 100.0, None])), "x"), {}),
    ("binned_histogram", (share_bins(pd.Series([], dtype="float64")), "Tỷ lệ nữ (%)"), {}),
]


@pytest.mark.parametrize(("builder", "args", "kwargs"), CASES)
def test_filled_spec_is_the_built_spec(
    builder: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    assert charts._filled(builder, args, kwargs) == charts._built(builder, args, kwargs)


def test_a_second_frame_fills_the_same_template_with_its_own_rows() -> None:
    first = charts._filled("share_bars", (AGENCIES, "agency_name", "Ngành", "staff_female_pct"), {})
    other = AGENCIES.assign(staff_female_pct=[10.0, 20.0, 30.0])
    second = charts._filled("share_bars", (other, "agency_name", "Ngành", "staff_female_pct"), {})
    assert first["datasets"] != second["datasets"]
    assert second == charts._built(
        "share_bars", (other, "agency_name", "Ngành", "staff_female_pct"), {}
    )
