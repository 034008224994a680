"""Queries reshaped for the pages' speed at a million submissions (issue #18) equal a
straightforward recount from the stored rows, on both backends."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data_access.domain.filters import Filters
from data_access.domain.periods import parse_period
from data_access.queries import tracking
from data_access.queries.aggregate import aggregate
from data_access.views import gender_ratio, leadership

PERIOD = "2024-Y"


def _table(engine: Engine, sql: str, **params: object) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(text(sql), params)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _recount_rates(engine: Engine, period: str) -> pd.DataFrame:
    """Expected (active on the due date, or reported for the period) and received units by
    agency, counted in pandas from the units and the period's submissions."""
    due = parse_period(period).due_date
    units = _table(
        engine,
        "SELECT u.id, a.code AS agency_code, u.active_from, u.active_to "
        "FROM units u JOIN agencies a ON a.id = u.agency_id",
    )
    reported = set(
        _table(
            engine,
            "SELECT s.unit_id FROM submissions s JOIN periods p ON p.id = s.period_id "
            "WHERE p.code = :period",
            period=period,
        )["unit_id"]
    )
    start = pd.to_datetime(units["active_from"]).dt.date
    end = pd.to_datetime(units["active_to"]).dt.date
    active = (start <= due) & (end.isna() | (end >= due))
    units["received"] = units["id"].isin(reported)
    expected = units[active | units["received"]]
    return (
        expected.groupby("agency_code")
        .agg(expected=("id", "size"), received=("received", "sum"))
        .reset_index()
        .astype({"expected": "int64", "received": "int64"})
    )


def _rates(engine: Engine, period: str) -> pd.DataFrame:
    frame = tracking.rates(engine, period, ("agency",), Filters())
    return frame[["agency_code", "expected", "received"]].reset_index(drop=True)


def test_rates_count_active_and_reported_units_as_a_recount(sample_engine: Engine) -> None:
    # A unit closed before the due date that still reported is expected (it reported); one
    # closed that did not report is not.
    with sample_engine.begin() as conn:
        closed = conn.execute(
            text(
                "SELECT s.unit_id FROM submissions s JOIN periods p ON p.id = s.period_id "
                "WHERE p.code = :period ORDER BY s.unit_id"
            ),
            {"period": PERIOD},
        ).scalars()
        ids = list(closed)[:3]
        conn.execute(
            text("UPDATE units SET active_to = :end WHERE id IN (:a, :b)"),
            {"end": dt.date(2024, 1, 31), "a": ids[0], "b": ids[1]},
        )
        conn.execute(
            text(
                "DELETE FROM submissions WHERE unit_id = :a AND period_id = "
                "(SELECT id FROM periods WHERE code = :period)"
            ),
            {"a": ids[1], "period": PERIOD},
        )
    recount = _recount_rates(sample_engine, PERIOD)
    assert recount["expected"].sum() > recount["received"].sum() > 0
    pd.testing.assert_frame_equal(_rates(sample_engine, PERIOD), recount, check_dtype=False)


@pytest.mark.parametrize("period", ["2022-Y", "2025-H1", "2026-H1"])
def test_rates_equal_a_recount(shared_sample_engine: Engine, period: str) -> None:
    pd.testing.assert_frame_equal(
        _rates(shared_sample_engine, period),
        _recount_rates(shared_sample_engine, period),
        check_dtype=False,
    )


# --- units at one period: one row each, read without GROUP BY ----------------------------------

UNIT_CODES = ["staff_total", "staff_female", "key_leaders_total", "key_leaders_female"]


def _recount_units(engine: Engine, period: str) -> pd.DataFrame:
    """Each unit's stored figures for `period`, straight from the submissions."""
    frame = _table(
        engine,
        "SELECT u.code AS unit_code, "
        + ", ".join(f"s.{c}" for c in UNIT_CODES)
        + " FROM submissions s JOIN units u ON u.id = s.unit_id "
        "JOIN periods p ON p.id = s.period_id WHERE p.code = :period",
        period=period,
    )
    return frame.sort_values("unit_code").reset_index(drop=True)


@pytest.mark.parametrize("period", ["2022-Y", "2025-H1"])
def test_units_at_one_period_equal_their_stored_figures(
    shared_sample_engine: Engine, period: str
) -> None:
    f = Filters(periods=(period,))
    units = aggregate(shared_sample_engine, f, by=("unit",), indicators=UNIT_CODES)
    recount = _recount_units(shared_sample_engine, period)
    assert len(recount) > 100
    assert units["unit_code"].is_unique and (units["n_units"] == 1).all()
    got = units[["unit_code", *UNIT_CODES]].sort_values("unit_code").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, recount, check_dtype=False)
    with_woman = (recount["key_leaders_female"] > 0).astype(int)
    assert units.sort_values("unit_code")["n_female_key_leader"].tolist() == with_woman.tolist()


def test_units_by_period_equal_their_stored_figures(shared_sample_engine: Engine) -> None:
    f = Filters(year_from=2023, year_to=2024)
    units = aggregate(shared_sample_engine, f, by=("unit", "period"), indicators=UNIT_CODES)
    for period in ("2023-Y", "2024-Y"):
        got = units[units["period"] == period][["unit_code", *UNIT_CODES]]
        pd.testing.assert_frame_equal(
            got.sort_values("unit_code").reset_index(drop=True),
            _recount_units(shared_sample_engine, period),
            check_dtype=False,
        )


def test_zero_keeps_the_units_without_a_woman_among_key_leaders(
    shared_sample_engine: Engine,
) -> None:
    f = Filters(periods=("2024-Y",))
    every = aggregate(shared_sample_engine, f, by=("unit",), indicators=UNIT_CODES)
    without = aggregate(
        shared_sample_engine, f, by=("unit",), indicators=UNIT_CODES, zero="key_leaders_female"
    )
    expected = every[every["key_leaders_female"] == 0].reset_index(drop=True)
    assert 0 < len(without) < len(every)
    pd.testing.assert_frame_equal(without.reset_index(drop=True), expected)
    # Grouped, the figure tested is the group's sum.
    agencies = aggregate(
        shared_sample_engine, f, by=("agency",), indicators=UNIT_CODES, zero="staff_female"
    )
    assert agencies.empty


def test_unnamed_units_carry_the_same_figures(shared_sample_engine: Engine) -> None:
    f = Filters(periods=("2024-Y",), agencies=("BHXH",))
    named = aggregate(shared_sample_engine, f, by=("unit",), indicators=UNIT_CODES)
    unnamed = aggregate(shared_sample_engine, f, by=("unit",), indicators=UNIT_CODES, named=False)
    assert "unit_code" not in unnamed and len(unnamed) == len(named) > 0
    columns = ["n_units", *UNIT_CODES, "staff_female_pct"]
    key = [*UNIT_CODES]
    pd.testing.assert_frame_equal(
        unnamed[columns].sort_values(key).reset_index(drop=True),
        named[columns].sort_values(key).reset_index(drop=True),
    )


def test_unit_spread_equals_a_recount(shared_sample_engine: Engine) -> None:
    spread = gender_ratio.unit_spread(shared_sample_engine, Filters(year_from=2020, year_to=2024))
    recount = _recount_units(shared_sample_engine, "2024-Y")
    shares = 100 * recount["staff_female"] / recount["staff_total"]
    assert len(spread.units) == len(recount)
    assert spread.median_pct == pytest.approx(shares.median())
    assert spread.balanced_pct == pytest.approx(100 * shares.between(40, 60).mean())


# --- the first units without a female key leader, and how many there are -----------------------


def test_units_without_female_leader_first_rows_and_count(shared_sample_engine: Engine) -> None:
    f = Filters(year_from=2020, year_to=2024)
    every = leadership.units_without_female_leader(shared_sample_engine, f)
    recount = _recount_units(shared_sample_engine, "2024-Y")
    assert len(every) == (recount["key_leaders_female"] == 0).sum() > 3
    assert leadership.count_without_female_leader(shared_sample_engine, f) == len(every)
    ordered = ["agency_code", "province_name", "unit_name"]
    sorted_every = every.sort_values(ordered, kind="stable").reset_index(drop=True)
    assert every[ordered].reset_index(drop=True).equals(sorted_every[ordered])
    first = leadership.units_without_female_leader(shared_sample_engine, f, limit=3)
    pd.testing.assert_frame_equal(first, every.head(3).reset_index(drop=True))
    empty = Filters(year_from=1990, year_to=1991)
    assert leadership.count_without_female_leader(shared_sample_engine, empty) == 0


# --- completeness: rates without reading each submission's row ---------------------------------


@pytest.mark.parametrize("period", ["2022-Y", "2025-H1", "2026-H1"])
@pytest.mark.parametrize("by", [(), ("agency",), ("province",), ("agency", "province")])
def test_completeness_equals_the_rates(
    shared_sample_engine: Engine, period: str, by: tuple[str, ...]
) -> None:
    for f in (Filters(), Filters(agencies=("BHXH",), levels=("provincial",))):
        rates = tracking.rates(shared_sample_engine, period, by, f)
        got = tracking.completeness(shared_sample_engine, period, by, f)
        columns = [c for c in got.columns if c not in ("expected", "received", "reporting_rate")]
        assert len(got) > 0 and got["received"].sum() > 0
        pd.testing.assert_frame_equal(
            got, rates[[*columns, "expected", "received", "reporting_rate"]]
        )


def test_completeness_counts_a_closed_unit_that_reported(sample_engine: Engine) -> None:
    with sample_engine.begin() as conn:
        unit = (
            conn.execute(
                text(
                    "SELECT s.unit_id FROM submissions s JOIN periods p ON p.id = s.period_id "
                    "WHERE p.code = :period ORDER BY s.unit_id"
                ),
                {"period": PERIOD},
            )
            .scalars()
            .first()
        )
        conn.execute(
            text("UPDATE units SET active_to = :end WHERE id = :u"),
            {"end": dt.date(2024, 1, 31), "u": unit},
        )
    recount = _recount_rates(sample_engine, PERIOD)
    got = tracking.completeness(sample_engine, PERIOD, ("agency",), Filters())
    pd.testing.assert_frame_equal(
        got[["agency_code", "expected", "received"]], recount, check_dtype=False
    )
