"""aggregate's last steps on arrays (issue #18: on five summary rows they were most of the
overview's trend, 2–5 ms of every aggregate): the shares and each group's stocks at its own latest
period are exactly what the former pandas steps, kept here as the oracle, gave: on both backends,
grouped every way, with flows summed and without, and on hand-made frames with blanks."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.db.catalogue import Catalogue
from data_access.domain.filters import Filters
from data_access.domain.province_sets import ProvinceSet
from data_access.queries import aggregate as aggregate_module
from data_access.queries.aggregate import FEMALE_LEADER_PCT, aggregate, with_shares
from data_access.queries.lookups import load_catalogue

HEADLINE = [
    f"{p}_{side}"
    for p in ("staff", "managers", "key_leaders", "heads")
    for side in ("total", "female")
]


def former_with_shares(
    frame: pd.DataFrame, catalogue: Catalogue, codes: Sequence[str]
) -> pd.DataFrame:
    out = frame.copy()
    for col in ("n_units", "n_female_key_leader", "n_key_leaders_reported"):
        out[col] = pd.to_numeric(out[col]).fillna(0).astype("int64")
    for pair in catalogue.pairs.values():
        if pair.total in codes and pair.female in codes:
            total = pd.to_numeric(out[pair.total], errors="coerce")
            female = pd.to_numeric(out[pair.female], errors="coerce")
            out[pair.pct_column] = (100 * female / total.where(total > 0)).astype("float64")
    reported = out["n_key_leaders_reported"].where(out["n_key_leaders_reported"] > 0)
    out[FEMALE_LEADER_PCT] = (100 * out["n_female_key_leader"] / reported).astype("float64")
    return out


def former_stocks_at_each_latest(
    frame: pd.DataFrame, by: Sequence[str], codes: Sequence[str], catalogue: Catalogue
) -> pd.DataFrame:
    keys = [c for c in aggregate_module._dimension_columns(by) if c in frame]
    ordered = frame.sort_values(["year", "period_kind"], kind="stable")
    flows = [c for c in codes if catalogue.by_code[c].kind != "stock"]
    if keys:
        latest = ordered.groupby(keys, sort=False, dropna=False).tail(1)
        latest = latest.drop(columns=flows).set_index(keys)
        summed = ordered.groupby(keys, sort=False, dropna=False)[flows].sum(min_count=1)
        out = latest.join(summed).reset_index()
    else:
        out = ordered.tail(1).drop(columns=flows).reset_index(drop=True)
        for col in flows:
            if catalogue.by_code[col].value_type == "decimal":
                present = [v for v in ordered[col] if v is not None]
                out[col] = pd.Series([sum(present) if present else None], dtype=object)
            else:
                out[col] = pd.to_numeric(ordered[col]).sum(min_count=1)
    out = out.rename(columns={"period": "stock_period"}).drop(columns=["year", "period_kind"])
    if keys:
        out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    return out[
        [
            *keys,
            "stock_period",
            *(c for c in frame.columns if c not in keys + aggregate_module.PERIOD_COLUMNS),
        ]
    ]


SELECTIONS = [
    Filters(year_from=2018, year_to=2026),  # the overview's first run
    Filters(year_from=2020, year_to=2024, agencies=("BHXH",)),  # its uncached run
    Filters(periods=("2024-Y",)),
    Filters(period_kind="H1", year_from=2022, year_to=2025, levels=("district",)),
    Filters(year_from=2021, year_to=2025, province_set=ProvinceSet.LEGACY, provinces=("01",)),
    Filters(year_from=2023, year_to=2025, include_unapproved=True),
]
GROUPINGS = [("period",), ("agency",), ("province",), ("level",), ("agency", "level"), ()]


@pytest.mark.parametrize("by", GROUPINGS, ids=lambda by: "-".join(by) or "total")
@pytest.mark.parametrize("headline", [True, False], ids=["headline", "every indicator"])
def test_aggregate_equals_the_former_steps(
    shared_sample_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    by: tuple[str, ...],
    headline: bool,
) -> None:
    """Every indicator includes flows (summed over the periods) and decimals."""
    indicators = HEADLINE if headline else None
    fast = [aggregate(shared_sample_engine, f, by=by, indicators=indicators) for f in SELECTIONS]
    monkeypatch.setattr(aggregate_module, "with_shares", former_with_shares)
    monkeypatch.setattr(aggregate_module, "_stocks_at_each_latest", former_stocks_at_each_latest)
    for f, got in zip(SELECTIONS, fast, strict=True):
        expected = aggregate(shared_sample_engine, f, by=by, indicators=indicators)
        assert len(expected) > 0 or f.province_set is ProvinceSet.LEGACY
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_units_over_periods_equal_the_former_steps(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of units, each at its own latest period (the gender index, exports)."""
    f = Filters(year_from=2022, year_to=2025, agencies=("BHXH",))
    got = aggregate(shared_sample_engine, f, by=("unit",), indicators=HEADLINE)
    monkeypatch.setattr(aggregate_module, "with_shares", former_with_shares)
    monkeypatch.setattr(aggregate_module, "_stocks_at_each_latest", former_stocks_at_each_latest)
    expected = aggregate(shared_sample_engine, f, by=("unit",), indicators=HEADLINE)
    assert got["stock_period"].nunique() > 1
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def _hand_made() -> list[pd.DataFrame]:
    """Blanks as None and NaN, text, Decimals, zeros and a negative total, a repeated index."""
    base = pd.DataFrame(
        {
            "agency_code": ["A", "B", "C", "D"],
            "n_units": [3, 0, 2, 1],
            "n_female_key_leader": [1, 0, 2, 0],
            "n_key_leaders_reported": [2, 0, 2, 0],
            "staff_total": [10, 0, -4, 7],
            "staff_female": [5, 3, 1, 7],  # 3 women of a total of 0: no share
            "managers_total": [4.0, np.nan, 2.0, 3.0],
            "managers_female": [1.0, 2.0, np.nan, 3.0],
        }
    )
    blanks = base.astype(object)
    blanks.loc[1, ["n_units", "staff_total"]] = None
    blanks.loc[2, "staff_female"] = Decimal("1")
    text = base.assign(staff_total=["10", "x", None, "7"])
    repeated = base.set_axis([0, 0, 1, 1])
    return [base, blanks, text, repeated, base.head(0), blanks.head(0)]


@pytest.mark.parametrize("frame", _hand_made(), ids=lambda f: f"{len(f)} rows")
def test_shares_of_hand_made_frames(sqlite_sample_engine: Engine, frame: pd.DataFrame) -> None:
    catalogue = load_catalogue(sqlite_sample_engine)
    codes = ["staff_total", "staff_female", "managers_total", "managers_female"]
    pd.testing.assert_frame_equal(
        with_shares(frame, catalogue, codes),
        former_with_shares(frame, catalogue, codes),
        check_exact=True,
    )
