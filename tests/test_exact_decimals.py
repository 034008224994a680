"""Decimal indicators (money in tỷ đồng) stored exactly, on SQLite and PostgreSQL (issue #16).

Hand-computed: 0,1 + 0,2 = 0,3 exactly (a float sum gives 0,30000000000000004); "113,42" typed in a
decimal column is 113,42 (the float nearest to it is 113,4199999999999946…).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, Float, Numeric, inspect, text

from data_access import ingest, schema
from data_access.analytics.exports import export_frame
from data_access.auth import Identity
from data_access.domain.filters import Filters
from data_access.domain.formats import VALUE_DECIMAL_PLACES, round_half_up
from data_access.queries.aggregate import aggregate
from data_access.queries.comparison import compare
from data_access.registry import catalogue_admin
from data_access.reporting import workflow
from tests import tiny_panel

MONEY = "thads_money_eligible_bn"
ADMIN = Identity("quantri", "admin")


def _panel(engine: Engine, tmp_path: Path) -> Engine:
    return tiny_panel.load(
        engine,
        tmp_path,
        [tiny_panel.unit("T1", agency="THADS"), tiny_panel.unit("T2", agency="THADS")],
        [
            tiny_panel.report("T1", "2024-Y", staff_total=8, staff_female=1, **{MONEY: 0.1}),
            tiny_panel.report("T2", "2024-Y", staff_total=8, staff_female=0, **{MONEY: 0.2}),
        ],
        agencies=[{"code": "THADS", "name": "Hệ thống Thi hành án dân sự"}],
    )


def _stored(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def _exact(engine: Engine, value: object) -> Decimal:
    """The stored value as its decimal: PostgreSQL's numeric as it is; SQLite stores NUMERIC
    columns as REAL, so its value is read to the catalogue's places, half up."""
    if engine.dialect.name == "postgresql":
        assert isinstance(value, Decimal), type(value)
        return value
    assert isinstance(value, float | int)
    return round_half_up(value, VALUE_DECIMAL_PLACES)


@pytest.mark.parametrize("table", ["submissions", "submission_summary"])
def test_decimal_value_columns_are_numeric_with_the_catalogue_scale(
    engine: Engine, table: str
) -> None:
    schema.init_db(engine)
    column = next(c for c in inspect(engine).get_columns(table) if c["name"] == MONEY)
    assert isinstance(column["type"], Numeric) and not isinstance(column["type"], Float)
    assert column["type"].scale == VALUE_DECIMAL_PLACES


def test_an_indicator_added_as_decimal_gets_a_numeric_column(engine: Engine) -> None:
    schema.init_db(engine)
    rows = catalogue_admin.definitions(
        "bhxh_fund_bn", "Quỹ hỗ trợ nữ cán bộ", "2.9", pair=False, value_type="decimal"
    )
    catalogue_admin.add(engine, rows, identity=ADMIN)
    for table in ("submissions", "submission_summary"):
        column = next(c for c in inspect(engine).get_columns(table) if c["name"] == "bhxh_fund_bn")
        assert isinstance(column["type"], Numeric) and not isinstance(column["type"], Float)


def test_a_sum_of_decimals_is_exact_in_the_database_the_aggregate_and_the_export(
    engine: Engine, tmp_path: Path
) -> None:
    _panel(engine, tmp_path)
    summed = _stored(engine, "SELECT sum(thads_money_eligible_bn) FROM submission_summary")
    assert _exact(engine, summed) == Decimal("0.3")
    if engine.dialect.name == "postgresql":
        assert summed == Decimal("0.300")  # numeric: no rounding needed at all
    f = Filters(periods=("2024-Y",))
    for level in ("agency", "unit"):
        frame = aggregate(engine, f, by=(level,), indicators=[MONEY])
        assert frame[MONEY].sum() == Decimal("0.300")
        assert all(isinstance(v, Decimal) for v in frame[MONEY])
    exported = export_frame(engine, "agency", f, [MONEY]).frame
    assert exported.loc[0, MONEY] == Decimal("0.300")
    # Over two periods the flow is summed per entity, still exactly.
    two_years = aggregate(
        engine, Filters(period_kind="Y", year_from=2023), by=(), indicators=[MONEY]
    )
    assert two_years.loc[0, MONEY] == Decimal("0.300")


def test_a_decimal_comma_is_stored_exactly(engine: Engine, tmp_path: Path) -> None:
    _panel(engine, tmp_path)
    data = f'unit_code,period,{MONEY}\nT1,2025-Y,"113,42"\nT2,2025-Y,"0,01"\n'.encode()
    report = ingest.commit(
        engine,
        "thads.csv",
        data,
        identity=ADMIN,
        accept_warnings=True,
        today=dt.date(2026, 3, 1),
    )
    assert not report.errors, report.problems
    stored = _stored(
        engine,
        "SELECT thads_money_eligible_bn FROM submissions s JOIN units u ON u.id = s.unit_id "
        "JOIN periods p ON p.id = s.period_id WHERE u.code = 'T1' AND p.code = '2025-Y'",
    )
    assert _exact(engine, stored) == Decimal("113.42")
    if engine.dialect.name == "postgresql":
        assert stored == Decimal("113.420")
    summed = _stored(
        engine,
        "SELECT sum(thads_money_eligible_bn) FROM submission_summary s "
        "JOIN periods p ON p.id = s.period_id WHERE p.code = '2025-Y'",
    )
    assert _exact(engine, summed) == Decimal("113.43")
    frame = aggregate(engine, Filters(periods=("2025-Y",)), by=(), indicators=[MONEY])
    assert frame.loc[0, MONEY] == Decimal("113.430")


def test_0011d_converts_float_columns_keeping_their_values(engine: Engine, tmp_path: Path) -> None:
    _panel(engine, tmp_path)
    schema.downgrade(engine, "0010r")  # the columns as they were: floats
    column = next(c for c in inspect(engine).get_columns("submissions") if c["name"] == MONEY)
    assert isinstance(column["type"], Float)
    with engine.begin() as conn:
        # A float with the noise a sum of floats leaves, as stored before 0011d.
        conn.execute(text("UPDATE submissions SET thads_money_eligible_bn = 113.41999999999999"))
        conn.execute(
            text("UPDATE submission_summary SET thads_money_eligible_bn = 226.83999999999997")
        )
    schema.upgrade(engine)
    for table in ("submissions", "submission_summary"):
        column = next(c for c in inspect(engine).get_columns(table) if c["name"] == MONEY)
        assert isinstance(column["type"], Numeric) and not isinstance(column["type"], Float)
        assert column["type"].scale == VALUE_DECIMAL_PLACES
    values = [
        _exact(engine, v)
        for v in _stored_all(engine, "SELECT thads_money_eligible_bn FROM submissions ORDER BY id")
    ]
    assert values == [Decimal("113.42"), Decimal("113.42")]
    summary = _stored(engine, "SELECT thads_money_eligible_bn FROM submission_summary")
    assert _exact(engine, summary) == Decimal("226.84")
    # The other columns and rows came through the table copy.
    assert _stored(engine, "SELECT sum(staff_total) FROM submissions") == 16
    frame = aggregate(engine, Filters(periods=("2024-Y",)), by=(), indicators=[MONEY])
    assert frame.loc[0, MONEY] == Decimal("226.840")


def _stored_all(engine: Engine, sql: str) -> list[object]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql)).scalars())


def test_a_like_for_like_change_of_money_is_exact(engine: Engine, tmp_path: Path) -> None:
    """2024-Y: 0,1 + 0,2 = 0,3; 2025-Y: 0,2 + 0,2 = 0,4; the change is 0,1 (a float difference
    gives 0,09999999999999998)."""
    tiny_panel.load(
        engine,
        tmp_path,
        [tiny_panel.unit("T1", agency="THADS"), tiny_panel.unit("T2", agency="THADS")],
        [
            tiny_panel.report("T1", "2024-Y", **{MONEY: 0.1}),
            tiny_panel.report("T2", "2024-Y", **{MONEY: 0.2}),
            tiny_panel.report("T1", "2025-Y", **{MONEY: 0.2}),
            tiny_panel.report("T2", "2025-Y", **{MONEY: 0.2}),
        ],
        agencies=[{"code": "THADS", "name": "Hệ thống Thi hành án dân sự"}],
    )
    matched = compare(engine, Filters(period_kind="Y"), "2025-Y", "2024-Y", [MONEY])
    assert (matched.now[MONEY], matched.before[MONEY]) == (Decimal("0.400"), Decimal("0.300"))
    assert matched.change(MONEY) == 0.1


@pytest.mark.parametrize(
    ("stored", "typed"),
    [(Decimal("12.500"), "12,5"), (Decimal("100.000"), "100"), (Decimal("0.001"), "0,001")],
)
def test_a_stored_decimal_prefills_the_report_form_as_typed(stored: Decimal, typed: str) -> None:
    assert workflow._text(stored, integer=False) == typed


def test_a_replaced_decimal_is_restored_exactly_by_a_rollback(
    engine: Engine, tmp_path: Path
) -> None:
    """T1's 2024-Y 0,1 is replaced by 113,42, then the batch is rolled back: 0,1 again, and the
    summary 0,1 + 0,2 = 0,3."""
    _panel(engine, tmp_path)
    data = f'unit_code,period,{MONEY}\nT1,2024-Y,"113,42"\n'.encode()
    done = ingest.commit(
        engine, "thads.csv", data, identity=ADMIN, accept_warnings=True, today=dt.date(2025, 3, 1)
    )
    assert done.committed and done.batch_id is not None, done.problems
    replaced = _stored(engine, "SELECT sum(thads_money_eligible_bn) FROM submission_summary")
    assert _exact(engine, replaced) == Decimal("113.62")
    ingest.rollback(engine, done.batch_id, identity=ADMIN)
    values = _stored_all(engine, "SELECT thads_money_eligible_bn FROM submissions ORDER BY id")
    assert [_exact(engine, v) for v in values] == [Decimal("0.1"), Decimal("0.2")]
    summed = _stored(engine, "SELECT sum(thads_money_eligible_bn) FROM submission_summary")
    assert _exact(engine, summed) == Decimal("0.3")
