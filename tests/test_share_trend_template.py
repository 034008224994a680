"""The female-share trend (overview, gender ratio, unit pages) is drawn from a template built once
per legend order and y range and filled with each call's rows (issue #18: building it through
Altair was 18 ms of the overview's uncached run): the filled spec is the dict Altair builds."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from ui import charts

LABELS = ["CCVC, người lao động", "Lãnh đạo, quản lý", "Lãnh đạo chủ chốt", "Người đứng đầu"]


def trend(shares: list[list[float | None]], years: tuple[int, ...] = (2022, 2023, 2024)) -> Any:
    """The overview's long frame: one row per year and series, in the page's series order."""
    rows = [
        {"year": year, "pair": f"p{i}_female_pct", "share": share[j], "series": label}
        for i, (label, share) in enumerate(zip(LABELS, shares, strict=False))
        for j, year in enumerate(years)
    ]
    return pd.DataFrame(rows)


WIDE = trend([[53.6, 54.1, 55.0], [30.2, 31.0, 32.5], [12.0, 14.5, None], [8.0, 9.0, 11.0]])
NARROW = trend([[53.6, 54.1, 55.0], [50.2, 51.0, 52.5]])  # a fitted y axis: 40–60
NARROW_LOW = trend([[23.6, 24.1, 25.0], [20.2, 21.0, 22.5]])  # the same shape, 10–30
REVERSED = NARROW.iloc[::-1].reset_index(drop=True)  # the legend follows the frame's order
BLANK = trend([[None, None, None], [None, None, None]])
NO_ROWS = WIDE.head(0)
UNIT_LINES = pd.DataFrame(  # the gender ratio page: other column names, one series
    {
        "year": [2023, 2024],
        "series": ["Bảo hiểm xã hội Việt Nam", "Bảo hiểm xã hội Việt Nam"],
        "staff_female_pct": [53.61842105263158, 53.333333333333336],
    }
)

CASES = [
    (WIDE, "share"),
    (NARROW, "share"),
    (NARROW_LOW, "share"),
    (REVERSED, "share"),
    (BLANK, "share"),
    (NO_ROWS, "share"),
    (UNIT_LINES, "staff_female_pct"),
]


@pytest.mark.parametrize(("frame", "value"), CASES)
def test_filled_trend_is_the_built_trend(frame: pd.DataFrame, value: str) -> None:
    args = (frame, "year", "series", value, "Tỷ lệ nữ (%)")
    assert charts._filled("share_trend", args, {}) == charts._built("share_trend", args, {})


@pytest.mark.parametrize(
    ("first", "second"),
    [(NARROW, NARROW_LOW), (NARROW, REVERSED), (NARROW_LOW, NARROW), (WIDE, NARROW)],
)
def test_frames_of_other_ranges_or_orders_get_their_own_spec(
    first: pd.DataFrame, second: pd.DataFrame
) -> None:
    """One template per y range and legend order: the second frame does not inherit the
    first's axis or legend (the same columns and arguments both times)."""
    charts._filled("share_trend", (first, "year", "series", "share", "Tỷ lệ nữ (%)"), {})
    args = (second, "year", "series", "share", "Tỷ lệ nữ (%)")
    filled = charts._filled("share_trend", args, {})
    assert filled == charts._built("share_trend", args, {})


def test_the_shape_is_what_the_chart_reads_besides_its_rows() -> None:
    from data_access.documents import chart_specs

    assert chart_specs.share_trend_shape(NARROW, "series", "share") == {
        "order": tuple(LABELS[:2]),
        "domain": (40, 60),
    }
    assert chart_specs.share_trend_shape(REVERSED, "series", "share")["order"] == tuple(
        reversed(LABELS[:2])
    )
