"""The gender-ratio page's spread of units, read lean (issue #18: the page within 2x of the
reference at a million submissions), shows exactly what the former read through aggregate
showed: the same units, median, share in the parity band and histogram bins, on both backends
and under filters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.domain.filters import Filters
from data_access.domain.province_sets import ProvinceSet
from data_access.queries.aggregate import aggregate, unit_figures
from data_access.views import gender_ratio
from data_access.views.common import latest_period
from ui import charts

STAFF = ["staff_total", "staff_female"]

SELECTIONS = [
    Filters(),
    Filters(year_from=2020, year_to=2024),
    Filters(year_from=2020, year_to=2024, agencies=("BHXH",)),
    Filters(period_kind="H1", provinces=("01", "79")),
    Filters(periods=("2022-Y",), province_set=ProvinceSet.LEGACY, provinces=("01", "02")),
    Filters(periods=("2023-Y",), levels=("district",)),
    Filters(periods=("2024-Y",), agencies=("THADS",), levels=("provincial",)),
    Filters(year_from=1990, year_to=1991),  # nothing reported
]


def _former_units(engine: Engine, f: Filters) -> pd.DataFrame:
    """The units as the page read them before: aggregate by unit, unnamed, with its shares."""
    period = latest_period(engine, f)
    if period is None:
        return pd.DataFrame({"staff_female_pct": pd.Series(dtype="float64")})
    return aggregate(
        engine,
        f.with_(periods=(period,)),
        by=("unit",),
        indicators=STAFF,
        units_in_period_set=True,
        named=False,
    )


def _sorted(values: pd.Series) -> np.ndarray:
    return np.sort(pd.to_numeric(values).to_numpy(dtype="float64"))


@pytest.mark.parametrize("f", SELECTIONS, ids=[str(i) for i in range(len(SELECTIONS))])
def test_unit_spread_equals_the_former_read(shared_sample_engine: Engine, f: Filters) -> None:
    spread = gender_ratio.unit_spread(shared_sample_engine, f)
    former = _former_units(shared_sample_engine, f)
    shares = former["staff_female_pct"]
    assert len(spread.units) == len(former)
    np.testing.assert_array_equal(_sorted(spread.units["staff_female_pct"]), _sorted(shares))
    for column in STAFF:
        if column in former:
            np.testing.assert_array_equal(
                _sorted(spread.units[column]), _sorted(former[column].astype("float64"))
            )
    if former.empty:
        assert spread.balanced_pct is None and spread.median_pct is None
    else:  # the same floats, not approximately
        assert spread.balanced_pct == float(100 * shares.between(40, 60).mean())
        assert spread.median_pct == float(shares.median())
    # The chart drawn from the counted bins is the chart the units' shares drew.
    drawn = charts.binned_histogram(spread.bins, "x").to_dict()
    assert drawn == charts.histogram(shares, "x").to_dict()
    assert spread.bins["units"].sum() == shares.notna().sum()


@pytest.mark.parametrize("f", SELECTIONS[3:], ids=[str(i) for i in range(3, len(SELECTIONS))])
def test_unit_figures_are_aggregates_unit_rows(shared_sample_engine: Engine, f: Filters) -> None:
    period = latest_period(shared_sample_engine, f)
    one = f.with_(periods=(period or "1990-Y",))
    lean = unit_figures(shared_sample_engine, one, STAFF)
    full = aggregate(shared_sample_engine, one, by=("unit",), indicators=STAFF, named=False)
    assert list(lean.columns) == STAFF
    expected = full[STAFF].astype("float64").sort_values(STAFF).reset_index(drop=True)
    pd.testing.assert_frame_equal(lean.sort_values(STAFF).reset_index(drop=True), expected)


def test_unit_figures_read_one_period_of_whole_numbers(shared_sample_engine: Engine) -> None:
    with pytest.raises(ValueError, match="one period"):
        unit_figures(shared_sample_engine, Filters(year_from=2020, year_to=2024), STAFF)
    with pytest.raises(ValueError, match="decimal"):
        unit_figures(
            shared_sample_engine, Filters(periods=("2024-Y",)), ["thads_money_eligible_bn"]
        )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0.0, 4.99, 5.0, 40.0, 44.9, 99.5, 100.0, float("nan")], {"0–5%": 2, "5–10%": 1}),
        ([100.0, 100.0, 95.0], {"95–100%": 3}),
        ([], {}),
    ],
)
def test_share_bins_count_each_share_once(values: list[float], expected: dict[str, int]) -> None:
    bins = gender_ratio.share_bins(pd.Series(values, dtype="float64"))
    assert len(bins) == 20 and list(bins["low"]) == list(range(0, 100, 5))
    counted = {label: n for label, n in zip(bins["label"], bins["units"], strict=True) if n}
    assert {k: counted[k] for k in expected} == expected
    assert bins["units"].sum() == sum(1 for v in values if v == v)
