"""The like-for-like comparison summed in the database (issue #18) gives exactly the figures of
the unit-by-unit implementation it replaced, kept here as `_reference_compare`: per unit frames
through `aggregate(by=("unit",))`, paired through successor lines in Python. On both backends.

Hand case (staff total/female; one unit a row):

    2024-Y  M1 10/4, M2 10/6 (merged on 30/06/2025 into M)  S 30/9 (split on 01/07/2025 into
            S1, S2)  B 20/10  C 50/50 (dissolved)  E 10/0 (active, no 2025 report)
    2025-Y  M 20/10, S1 12/6, S2 18/12, B 20/8, N 100/85 (new)

Comparable lines: M1 + M2 → M, S → S1 + S2, B: before 20 + 30 + 20 = 70 staff, 29 women;
now 20 + 30 + 20 = 70 staff, 36 women. Matched M, S1, S2, B (4); new N; closed C; not
reported E.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from data_access import ingest
from data_access.auth import Identity
from data_access.db.models import Agency, Period, Submission, Unit, UnitSuccession
from data_access.domain.filters import Filters
from data_access.domain.periods import parse_period
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet
from data_access.queries.aggregate import aggregate, with_shares
from data_access.queries.comparison import COUNT_COLUMNS, Comparison, compare
from data_access.queries.lookups import load_catalogue
from data_access.registry import changes
from data_access.registry.changes import NewUnit
from data_access.reporting import workflow
from tests import tiny_panel

ADMIN = Identity("quantri", "admin")
MONEY = ["thads_money_eligible_bn", "thads_money_completed_bn"]
HEADLINE = [
    "staff_total",
    "staff_female",
    "managers_total",
    "managers_female",
    "key_leaders_total",
    "key_leaders_female",
    "heads_total",
    "heads_female",
]
STAFF = ["staff_total", "staff_female"]


# --- the implementation replaced, unchanged: the oracle --------------------------------------


def _lines(engine: Engine, codes: set[str]) -> dict[str, str]:
    successor = aliased(Unit)
    predecessor = aliased(Unit)
    chains = select(Unit.code, successor.code).join(successor, successor.id == Unit.successor_id)
    successions = (
        select(predecessor.code, successor.code)
        .join_from(UnitSuccession, predecessor, predecessor.id == UnitSuccession.predecessor_id)
        .join(successor, successor.id == UnitSuccession.successor_id)
    )
    with engine.connect() as conn:
        pairs = [(old, new) for query in (chains, successions) for old, new in conn.execute(query)]
    parent: dict[str, str] = {}

    def root(code: str) -> str:
        path = []
        while parent.get(code, code) != code:
            path.append(code)
            code = parent[code]
        for step in path:
            parent[step] = code
        return code

    for old, new in pairs:
        a, b = root(old), root(new)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {code: root(code) for code in codes}


def _closed(engine: Engine, codes: Sequence[str], before: pd.Timestamp) -> set[str]:
    if not codes:
        return set()
    with engine.connect() as conn:
        return set(
            conn.execute(
                select(Unit.code).where(Unit.code.in_(list(codes)), Unit.active_to < before.date())
            ).scalars()
        )


def _sum(values: pd.Series) -> object:
    present = values.dropna()
    if present.empty:
        return None
    if any(isinstance(v, Decimal) for v in present):
        return sum(present)
    return pd.to_numeric(present, errors="coerce").sum()


def _total(frame: pd.DataFrame, columns: Sequence[str], engine: Engine) -> pd.Series:
    summed = pd.Series({c: _sum(frame[c]) for c in columns}, dtype=object)
    one = summed.to_frame().T
    for col in COUNT_COLUMNS:
        one[col] = one[col].fillna(0)
    codes = [c for c in columns if c not in COUNT_COLUMNS]
    return with_shares(one, load_catalogue(engine), codes).iloc[0]


def _reference_compare(
    engine: Engine,
    f: Filters,
    period: str,
    previous: str,
    indicators: Sequence[str] | None = None,
) -> Comparison:
    now = aggregate(engine, f.with_(periods=(period,)), by=("unit",), indicators=indicators)
    before = aggregate(engine, f.with_(periods=(previous,)), by=("unit",), indicators=indicators)
    lines = _lines(engine, set(now["unit_code"]) | set(before["unit_code"]))
    now_line = now["unit_code"].map(lines)
    before_line = before["unit_code"].map(lines)
    common = set(now_line) & set(before_line)
    value_columns = [
        *COUNT_COLUMNS,
        *(c for c in (indicators or load_catalogue(engine).codes)),
    ]
    gone = before.loc[~before_line.isin(common), "unit_code"].tolist()
    closed = _closed(engine, gone, pd.Timestamp(parse_period(period).end_date))
    return Comparison(
        period,
        previous,
        _total(now[now_line.isin(common)], value_columns, engine),
        _total(before[before_line.isin(common)], value_columns, engine),
        matched=int(now_line.isin(common).sum()),
        new=int((~now_line.isin(common)).sum()),
        closed=len(closed),
        not_reported=len(gone) - len(closed),
    )


# --- equality -----------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _same_figures(got: pd.Series, expected: pd.Series) -> None:
    assert list(got.index) == list(expected.index)
    for column in expected.index:
        g, e = got[column], expected[column]
        if _blank(e):
            assert _blank(g), column
            continue
        assert not _blank(g) and g == e, (column, g, e)
        # Money stays an exact Decimal; counts and people stay numbers (not Decimals).
        assert isinstance(g, Decimal) == isinstance(e, Decimal), column


def _same(got: Comparison, expected: Comparison) -> None:
    assert (got.period, got.previous) == (expected.period, expected.previous)
    assert (got.matched, got.new, got.closed, got.not_reported) == (
        expected.matched,
        expected.new,
        expected.closed,
        expected.not_reported,
    )
    _same_figures(got.now, expected.now)
    _same_figures(got.before, expected.before)
    assert got.note_vi() == expected.note_vi()


# --- the sample database: every period pair, filter and indicator set -----------------------------

PERIOD_PAIRS = [
    ("2025-Y", "2024-Y"),  # across the 2025 reorganisation: merges and chains
    ("2024-Y", "2023-Y"),
    ("2025-H1", "2024-H1"),
    ("2026-H1", "2025-H1"),
    ("2025-Y", "2018-Y"),
    ("2030-Y", "2025-Y"),  # no such period: nothing reported now
    ("2025-Y", "2030-Y"),  # ...or before
]
FILTERS = {
    "all": Filters(),
    "agency": Filters(agencies=("THADS",)),
    "scope": Filters(agencies=("BHXH", "THADS"), scope=("BHXH",)),
    "province 2025": Filters(provinces=("79",)),
    "legacy provinces": Filters(province_set=ProvinceSet.LEGACY, provinces=("74", "79")),
    "level": Filters(levels=("district",)),
    "units": Filters(units=("BHXH-TW01", "THADS-PHUTHO-KV1", "THADS-VINHLONG-KV1")),
    "unapproved": Filters(include_unapproved=True),
    "no unit": Filters(agencies=("KHONG-CO",)),
    "no province": Filters(provinces=("00",)),
}
INDICATORS: dict[str, list[str] | None] = {
    "catalogue": None,
    "headline": HEADLINE,
    "money": MONEY,
    "staff": STAFF,
}


@pytest.mark.parametrize(("period", "previous"), PERIOD_PAIRS)
@pytest.mark.parametrize("filters", FILTERS.values(), ids=FILTERS.keys())
def test_the_catalogue_compared_as_before(
    shared_sample_engine: Engine, filters: Filters, period: str, previous: str
) -> None:
    _same(
        compare(shared_sample_engine, filters, period, previous),
        _reference_compare(shared_sample_engine, filters, period, previous),
    )


@pytest.mark.parametrize(("period", "previous"), PERIOD_PAIRS[:4])
@pytest.mark.parametrize("filters", list(FILTERS.values())[:4], ids=list(FILTERS)[:4])
@pytest.mark.parametrize("indicators", INDICATORS.values(), ids=INDICATORS.keys())
def test_indicator_subsets_compared_as_before(
    shared_sample_engine: Engine,
    filters: Filters,
    period: str,
    previous: str,
    indicators: list[str] | None,
) -> None:
    _same(
        compare(shared_sample_engine, filters, period, previous, indicators),
        _reference_compare(shared_sample_engine, filters, period, previous, indicators),
    )


def test_the_sample_reorganisation_pairs_most_lines(shared_sample_engine: Engine) -> None:
    """Not a vacuous check: across 2024→2025 the sample merges units, so some 2025 units are
    matched through successors and some 2024 units are closed."""
    c = compare(shared_sample_engine, Filters(), "2025-Y", "2024-Y", STAFF)
    assert c.matched > 0 and c.closed > 0
    assert c.now["n_units"] == c.matched


def test_unknown_indicators_are_refused(shared_sample_engine: Engine) -> None:
    with pytest.raises(ValueError, match="unknown indicators"):
        compare(shared_sample_engine, Filters(), "2025-Y", "2024-Y", ["khong_co"])


# --- by hand: a merge, a split, a closure, a unit not reporting, a new unit ---------------------


def _report(engine: Engine, period: str, rows: list[tuple[str, int, int]]) -> None:
    lines = ["unit_code,period,staff_total,staff_female"]
    lines += [f"{code},{period},{total},{female}" for code, total, female in rows]
    done = ingest.commit(
        engine, "bc.csv", ("\n".join(lines) + "\n").encode(), identity=ADMIN, accept_warnings=True
    )
    assert done.committed, done.problems


@pytest.fixture
def reorganised(engine: Engine, tmp_path: Path) -> Engine:
    u = tiny_panel.unit
    closed, opened = "2025-06-30", "2025-07-01"
    units = [
        u("M1", "74", active_to=closed, successor="M"),
        u("M2", "74", active_to=closed, successor="M"),
        u("S", "79"),
        u("B", "79"),
        u("C", "74", active_to=closed),
        u("E", "79"),
        u("M", "79", province_set="2025", level="regional", active_from=opened),
        u("N", "79", province_set="2025", level="regional", active_from=opened),
    ]
    r = tiny_panel.report
    reports = [
        r("M1", "2024-Y", staff_total=10, staff_female=4),
        r("M2", "2024-Y", staff_total=10, staff_female=6),
        r("S", "2024-Y", staff_total=30, staff_female=9),
        r("B", "2024-Y", staff_total=20, staff_female=10),
        r("C", "2024-Y", staff_total=50, staff_female=50),
        r("E", "2024-Y", staff_total=10, staff_female=0),
    ]
    tiny_panel.load(engine, tmp_path, units, reports)
    into = [
        NewUnit("S1", "Đơn vị S1", "79", ProvinceSet.CURRENT),
        NewUnit("S2", "Đơn vị S2", "79", ProvinceSet.CURRENT),
    ]
    changes.split(engine, "S", into, REFORM_DATE, identity=ADMIN)
    _report(
        engine,
        "2025-Y",
        [("M", 20, 10), ("S1", 12, 6), ("S2", 18, 12), ("B", 20, 8), ("N", 100, 85)],
    )
    return engine


def test_a_reorganisation_compared_by_hand(reorganised: Engine) -> None:
    c = compare(reorganised, Filters(), "2025-Y", "2024-Y", STAFF)
    assert (c.matched, c.new, c.closed, c.not_reported) == (4, 1, 1, 1)
    assert (c.now["n_units"], c.before["n_units"]) == (4, 4)
    assert (c.now["staff_total"], c.now["staff_female"]) == (70, 36)
    assert (c.before["staff_total"], c.before["staff_female"]) == (70, 29)
    assert c.now["staff_female_pct"] == pytest.approx(100 * 36 / 70)
    assert c.change("staff_female_pct") == pytest.approx(100 * 7 / 70)
    _same(c, _reference_compare(reorganised, Filters(), "2025-Y", "2024-Y", STAFF))


def test_a_column_blank_in_every_comparable_unit_stays_blank(reorganised: Engine) -> None:
    c = compare(reorganised, Filters(), "2025-Y", "2024-Y", [*STAFF, "managers_total"])
    assert c.now["managers_total"] is None and c.before["managers_total"] is None
    assert c.change("managers_total") is None


# --- submitted reports standing in ("gồm báo cáo chưa duyệt") -----------------------------------


def _submit_for_units_without_a_report(engine: Engine, period: str, n: int) -> None:
    """Submitted (not accepted) reports of `period` for `n` active BHXH units that have none."""
    with engine.connect() as conn:
        done = select(Submission.unit_id).join(Period).where(Period.code == period)
        units = conn.execute(
            select(Unit.code)
            .join(Agency, Agency.id == Unit.agency_id)
            .where(Agency.code == "BHXH", Unit.id.not_in(done), Unit.active_to.is_(None))
            .order_by(Unit.code)
            .limit(n)
        ).scalars()
        codes = list(units)
    assert len(codes) == n
    for code in codes:
        me = Identity(f"donvi.{code.lower()}", "reporter", ("BHXH",), unit=code)
        report = workflow.open_report(engine, code, period, me)
        typed = {"staff_total": "40", "staff_female": "25", "docs_issued": "1"}
        found = workflow.submit(
            engine,
            code,
            period,
            typed,
            version=report.version,
            identity=me,
            today=dt.date(2026, 7, 1),
        )
        assert not found.errors, found.errors


def test_submitted_reports_standing_in_compared_as_before(sample_engine: Engine) -> None:
    _submit_for_units_without_a_report(sample_engine, "2026-H1", 2)
    accepted = Filters(agencies=("BHXH",))
    pending = accepted.with_(include_unapproved=True)
    got = {f: compare(sample_engine, f, "2026-H1", "2025-H1", STAFF) for f in (accepted, pending)}
    for f, c in got.items():
        _same(c, _reference_compare(sample_engine, f, "2026-H1", "2025-H1", STAFF))
        _same(
            compare(sample_engine, f, "2025-H1", "2026-H1"),
            _reference_compare(sample_engine, f, "2025-H1", "2026-H1"),
        )
    # The two reports count with the switch on, and only then.
    assert got[pending].matched + got[pending].new == got[accepted].matched + got[accepted].new + 2


def test_large_money_sums_exactly(engine: Engine, tmp_path: Path) -> None:
    """Twelve significant digits of tỷ đồng and a thousandth, summed exactly on both backends
    (a float sum of 123.456.789.012,345 and 0,001 is off in the last place)."""
    money = MONEY[0]
    tiny_panel.load(
        engine,
        tmp_path,
        [tiny_panel.unit("T1", agency="THADS"), tiny_panel.unit("T2", agency="THADS")],
        [
            tiny_panel.report("T1", "2024-Y", **{money: "123456789012.345"}),
            tiny_panel.report("T2", "2024-Y", **{money: "0.001"}),
            tiny_panel.report("T1", "2025-Y", **{money: "123456789012.346"}),
            tiny_panel.report("T2", "2025-Y", **{money: "0.002"}),
        ],
        agencies=[{"code": "THADS", "name": "Hệ thống Thi hành án dân sự"}],
    )
    c = compare(engine, Filters(), "2025-Y", "2024-Y", [money])
    assert (c.now[money], c.before[money]) == (
        Decimal("123456789012.348"),
        Decimal("123456789012.346"),
    )
    assert c.now[money] - c.before[money] == Decimal("0.002")
    _same(c, _reference_compare(engine, Filters(), "2025-Y", "2024-Y", [money]))
