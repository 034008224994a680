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
