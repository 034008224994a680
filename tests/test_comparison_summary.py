"""The like-for-like comparison over the summary of submissions (`compare_on_summary`, issue
#18) gives exactly what `compare_by_groups` gives from every row of both periods (the oracle),
and `compare` falls back to that path where the summary cannot answer. On both backends.

Hand case (staff total/female, managers total/female, money; one unit a row):

    2024-Y  M1 10/4 (merged on 30/06/2025 into M)  M2 10/6 (the same)  S 30/9 (split on 01/07/2025
            into S1, S2)  X 8/2 (closed 28/02/2025 into Y, itself closed 30/06/2025 into Z: a chain)
            G1 6/3 (merged into G, which never reports)  B 20/10  C 50/50 (dissolved)
            E 10/0 (active, no 2025 report)
    2025-Y  M 20/10, S1 12/6, S2 18/12, Z 9/3, H 7/7 (the successor of H1, which never
            reported), B 20/8, N 100/85 (new)

Comparable lines: M1 + M2 → M, S → S1 + S2, X → Y → Z, B. Left out now: H (its line reported
only now), N. Left out before: G1 (closed, its line reported only before), C (closed), E (not
reported). Managers are reported only by left-out units (N now, C before) and by B as 0 women:
the comparable managers total stays blank, B's zero stays a zero.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access import ingest
from data_access.auth import Identity
from data_access.domain.filters import Filters
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet
from data_access.queries import comparison
from data_access.queries.comparison import (
    Comparison,
    compare,
    compare_by_groups,
    compare_on_summary,
)
from data_access.registry import changes
from data_access.registry.changes import NewUnit
from tests import tiny_panel

ADMIN = Identity("quantri", "admin")
MONEY = ["thads_money_eligible_bn", "thads_money_completed_bn"]
STAFF = ["staff_total", "staff_female"]
MANAGERS = ["managers_total", "managers_female"]
HEADLINE = [
    *STAFF,
    *MANAGERS,
    "key_leaders_total",
    "key_leaders_female",
    "heads_total",
    "heads_female",
]


def _blank(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _same_figures(got: pd.Series, expected: pd.Series) -> None:
    assert list(got.index) == list(expected.index)
    for column in expected.index:
        g, e = got[column], expected[column]
        if _blank(e):
            assert _blank(g), (column, g)
            continue
        assert not _blank(g) and g == e, (column, g, e)
        # Money stays an exact Decimal; counts and people stay numbers (not Decimals).
        assert isinstance(g, Decimal) == isinstance(e, Decimal), column


def _same(got: Comparison | None, expected: Comparison) -> None:
    assert got is not None, "the summary did not answer"
    assert (got.period, got.previous) == (expected.period, expected.previous)
    counts = ("matched", "new", "closed", "not_reported")
    assert [getattr(got, c) for c in counts] == [getattr(expected, c) for c in counts]
    _same_figures(got.now, expected.now)
    _same_figures(got.before, expected.before)
    assert got.note_vi() == expected.note_vi()


# --- the sample database: period pairs × filters × indicator sets ----------------------------

PERIOD_PAIRS = [
    ("2025-Y", "2024-Y"),  # across the 2025 reorganisation: merges and chains
    ("2024-Y", "2025-Y"),  # backwards: the successors are the ones before
    ("2024-Y", "2023-Y"),
    ("2025-H1", "2024-H1"),
    ("2026-H1", "2025-H1"),
    ("2025-Y", "2018-Y"),
    ("2023-Y", "2022-Y"),
]
SERVED = {
    "all": Filters(),
    "agency": Filters(agencies=("THADS",)),
    "scope": Filters(agencies=("BHXH", "THADS"), scope=("BHXH",)),
    "province 2025": Filters(provinces=("79",)),
    "legacy provinces": Filters(province_set=ProvinceSet.LEGACY, provinces=("74", "79")),
    "level": Filters(levels=("district",)),
    "regional level": Filters(levels=("regional", "provincial")),
    "agency, province, level": Filters(agencies=("BHXH",), provinces=("79",), levels=("district",)),
}
INDICATORS: dict[str, list[str] | None] = {
    "catalogue": None,
    "headline": HEADLINE,
    "money": MONEY,
    "staff": STAFF,
    "leaders": ["key_leaders_female"],
}


@pytest.mark.parametrize(("period", "previous"), PERIOD_PAIRS)
@pytest.mark.parametrize("filters", SERVED.values(), ids=SERVED.keys())
def test_the_summary_compares_as_every_row(
    shared_sample_engine: Engine, filters: Filters, period: str, previous: str
) -> None:
    expected = compare_by_groups(shared_sample_engine, filters, period, previous)
    _same(compare_on_summary(shared_sample_engine, filters, period, previous), expected)
    _same(compare(shared_sample_engine, filters, period, previous), expected)


@pytest.mark.parametrize(("period", "previous"), PERIOD_PAIRS[:4])
@pytest.mark.parametrize("filters", list(SERVED.values())[:5], ids=list(SERVED)[:5])
@pytest.mark.parametrize("indicators", INDICATORS.values(), ids=INDICATORS.keys())
def test_indicator_subsets_on_the_summary(
    shared_sample_engine: Engine,
    filters: Filters,
    period: str,
    previous: str,
    indicators: list[str] | None,
) -> None:
    _same(
        compare_on_summary(shared_sample_engine, filters, period, previous, indicators),
        compare_by_groups(shared_sample_engine, filters, period, previous, indicators),
    )


def test_the_sample_leaves_units_out_on_both_sides(shared_sample_engine: Engine) -> None:
    """Not a vacuous equality: across the reorganisation some units are paired through
    successors, some are new and some gone, so the rows left out are not none."""
    c = compare_on_summary(shared_sample_engine, Filters(), "2025-Y", "2024-Y", STAFF)
    assert c is not None
    assert c.matched > 0 and c.new > 0 and c.closed > 0
    assert c.now["n_units"] == c.matched


FALLBACK = {
    "units": Filters(units=("BHXH-TW01", "THADS-PHUTHO-KV1", "THADS-VINHLONG-KV1")),
    "unapproved": Filters(include_unapproved=True),
    "units and unapproved": Filters(units=("BHXH-TW01",), include_unapproved=True),
    "no unit": Filters(agencies=("KHONG-CO",)),
    "no province": Filters(provinces=("00",)),
}
FALLBACK_PAIRS = [
    ("2025-Y", "2024-Y"),
    ("2030-Y", "2025-Y"),  # no such period: nothing reported now
    ("2025-Y", "2030-Y"),  # ...or before
]


@pytest.mark.parametrize(("period", "previous"), FALLBACK_PAIRS)
@pytest.mark.parametrize("filters", FALLBACK.values(), ids=FALLBACK.keys())
def test_what_the_summary_cannot_answer_is_compared_from_every_row(
    shared_sample_engine: Engine, filters: Filters, period: str, previous: str
) -> None:
    assert compare_on_summary(shared_sample_engine, filters, period, previous) is None
    _same(
        compare(shared_sample_engine, filters, period, previous),
        compare_by_groups(shared_sample_engine, filters, period, previous),
    )


@pytest.mark.parametrize(("period", "previous"), FALLBACK_PAIRS[1:])
def test_a_period_not_held_is_compared_from_every_row(
    shared_sample_engine: Engine, period: str, previous: str
) -> None:
    assert compare_on_summary(shared_sample_engine, Filters(), period, previous) is None
    _same(
        compare(shared_sample_engine, Filters(), period, previous, STAFF),
        compare_by_groups(shared_sample_engine, Filters(), period, previous, STAFF),
    )


# --- by hand: successions, units reporting once, closures, blanks, money ----------------------


def _report(engine: Engine, period: str, rows: list[dict[str, object]]) -> None:
    columns = sorted({k for row in rows for k in row} - {"unit_code"})
    lines = [",".join(["unit_code", "period", *columns])]
    lines += [
        ",".join([str(row["unit_code"]), period, *(str(row.get(c, "")) for c in columns)])
        for row in rows
    ]
    done = ingest.commit(
        engine, "bc.csv", ("\n".join(lines) + "\n").encode(), identity=ADMIN, accept_warnings=True
    )
    assert done.committed, done.problems


def _staff(code: str, total: int, female: int, **more: object) -> dict[str, object]:
    return {"unit_code": code, "staff_total": total, "staff_female": female, **more}


@pytest.fixture
def reorganised(engine: Engine, tmp_path: Path) -> Engine:
    u = tiny_panel.unit
    closed, opened = "2025-06-30", "2025-07-01"
    regional = {"province_set": "2025", "level": "regional", "active_from": opened}
    units = [
        u("M1", "74", active_to=closed, successor="M"),
        u("M2", "74", active_to=closed, successor="M"),
        u("S", "79"),
        u("X", "74", active_to="2025-02-28", successor="Y"),
        u("Y", "74", active_from="2025-03-01", active_to=closed, successor="Z"),
        u("G1", "79", active_to=closed, successor="G"),
        u("H1", "79", active_to=closed, successor="H"),
        u("B", "79"),
        u("C", "74", active_to=closed),
        u("E", "79"),
        u("M", "79", **regional),
        u("Z", "79", **regional),
        u("G", "79", **regional),
        u("H", "79", **regional),
        u("N", "79", **regional),
    ]
    r = tiny_panel.report
    reports = [
        r("M1", "2024-Y", staff_total=10, staff_female=4),
        r("M2", "2024-Y", staff_total=10, staff_female=6),
        r("S", "2024-Y", staff_total=30, staff_female=9),
        r("X", "2024-Y", staff_total=8, staff_female=2),
        r("G1", "2024-Y", staff_total=6, staff_female=3),
        r("B", "2024-Y", staff_total=20, staff_female=10, managers_female=0),
        r("C", "2024-Y", staff_total=50, staff_female=50, managers_total=5, managers_female=2),
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
        [
            _staff("M", 20, 10),
            _staff("S1", 12, 6),
            _staff("S2", 18, 12),
            _staff("Z", 9, 3),
            _staff("H", 7, 7),
            _staff("B", 20, 8, managers_female=0),
            _staff("N", 100, 85, managers_total=9, managers_female=4),
        ],
    )
    return engine


def test_a_reorganisation_on_the_summary_by_hand(reorganised: Engine) -> None:
    columns = [*STAFF, *MANAGERS]
    c = compare_on_summary(reorganised, Filters(), "2025-Y", "2024-Y", columns)
    assert c is not None
    assert (c.matched, c.new, c.closed, c.not_reported) == (5, 2, 2, 1)
    assert (c.now["n_units"], c.before["n_units"]) == (5, 5)
    assert (c.now["staff_total"], c.now["staff_female"]) == (79, 39)
    assert (c.before["staff_total"], c.before["staff_female"]) == (78, 31)
    # Managers: reported only by units left out, but B's zero women.
    assert c.now["managers_total"] is None and c.before["managers_total"] is None
    assert (c.now["managers_female"], c.before["managers_female"]) == (0, 0)
    _same(c, compare_by_groups(reorganised, Filters(), "2025-Y", "2024-Y", columns))


@pytest.mark.parametrize(("period", "previous"), [("2025-Y", "2024-Y"), ("2024-Y", "2025-Y")])
@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(levels=("district",)),
        Filters(levels=("regional",)),
        Filters(provinces=("79",)),
        Filters(province_set=ProvinceSet.LEGACY, provinces=("74",)),
    ],
    ids=["all", "district", "regional", "province 79", "legacy 74"],
)
def test_the_hand_case_under_filters(
    reorganised: Engine, filters: Filters, period: str, previous: str
) -> None:
    columns = [*STAFF, *MANAGERS, "key_leaders_female"]
    _same(
        compare_on_summary(reorganised, filters, period, previous, columns),
        compare_by_groups(reorganised, filters, period, previous, columns),
    )


def test_units_reporting_in_one_period_only_are_left_out(engine: Engine, tmp_path: Path) -> None:
    """No succession at all: A reports twice, O only in 2024 (closed), P only in 2024 (active),
    Q only in 2025; a figure reported only by Q (heads) stays blank."""
    u, r = tiny_panel.unit, tiny_panel.report
    tiny_panel.load(
        engine,
        tmp_path,
        [u("A"), u("O", active_to="2024-12-31"), u("P"), u("Q")],
        [
            r("A", "2024-Y", staff_total=10, staff_female=5),
            r("O", "2024-Y", staff_total=7, staff_female=1),
            r("P", "2024-Y", staff_total=3, staff_female=3),
            r("A", "2025-Y", staff_total=12, staff_female=5),
            r("Q", "2025-Y", staff_total=40, staff_female=20, heads_total=2, heads_female=1),
        ],
    )
    columns = [*STAFF, "heads_total", "heads_female"]
    c = compare_on_summary(engine, Filters(), "2025-Y", "2024-Y", columns)
    assert c is not None
    assert (c.matched, c.new, c.closed, c.not_reported) == (1, 1, 1, 1)
    assert (c.now["staff_total"], c.before["staff_total"]) == (12, 10)
    assert c.now["heads_total"] is None and c.before["heads_total"] is None
    _same(c, compare_by_groups(engine, Filters(), "2025-Y", "2024-Y", columns))


def test_money_left_out_is_taken_off_exactly(engine: Engine, tmp_path: Path) -> None:
    """Twelve significant digits of tỷ đồng and thousandths: what is left out is taken off the
    summary's total exactly on both backends."""
    money = MONEY[0]
    u, r = tiny_panel.unit, tiny_panel.report
    tiny_panel.load(
        engine,
        tmp_path,
        [u("T1", agency="THADS"), u("T2", agency="THADS"), u("T3", agency="THADS")],
        [
            r("T1", "2024-Y", **{money: "123456789012.345"}),
            r("T2", "2024-Y", **{money: "0.001"}),
            r("T3", "2024-Y", **{money: "0.107"}),  # left out: no 2025 report
            r("T1", "2025-Y", **{money: "123456789012.346"}),
            r("T2", "2025-Y", **{money: "0.002"}),
        ],
        agencies=[{"code": "THADS", "name": "Hệ thống Thi hành án dân sự"}],
    )
    c = compare_on_summary(engine, Filters(), "2025-Y", "2024-Y", [money])
    assert c is not None
    assert (c.now[money], c.before[money]) == (
        Decimal("123456789012.348"),
        Decimal("123456789012.346"),
    )
    assert isinstance(c.now[money], Decimal)
    _same(c, compare_by_groups(engine, Filters(), "2025-Y", "2024-Y", [money]))


def test_an_upload_keeps_the_two_paths_equal(reorganised: Engine) -> None:
    """A later upload replacing and blanking figures goes through the summary's incremental
    update: both paths still agree."""
    _report(
        reorganised,
        "2025-Y",
        [
            {"unit_code": "B", "staff_total": 25, "staff_female": "", "managers_female": ""},
            _staff("E", 11, 1),
        ],
    )
    columns = [*STAFF, *MANAGERS]
    _same(
        compare_on_summary(reorganised, Filters(), "2025-Y", "2024-Y", columns),
        compare_by_groups(reorganised, Filters(), "2025-Y", "2024-Y", columns),
    )


@pytest.mark.parametrize(("period", "previous"), PERIOD_PAIRS[:3])
def test_keys_listed_a_few_at_a_time(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, period: str, previous: str
) -> None:
    """The groups are listed in statements of LISTED_KEYS_MAX keys (here 2, to list the sample's
    few hundred in many); more groups left out than that falls back to every row."""
    expected = compare_by_groups(shared_sample_engine, Filters(), period, previous, STAFF)
    monkeypatch.setattr(comparison, "LISTED_KEYS_MAX", 2)
    found = compare_on_summary(shared_sample_engine, Filters(), period, previous, STAFF)
    if found is not None:
        _same(found, expected)
    _same(compare(shared_sample_engine, Filters(), period, previous, STAFF), expected)
    # Across the reorganisation more than two groups are left out: every row answers.
    assert (found is None) == ("2025-Y" in (period, previous))
