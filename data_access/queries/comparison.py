"""Like-for-like change between two periods: figures summed over the units that reported in both,
following successor chains through merges, with the change of the reporting population beside.

Why: across the 2025 reorganisation the headline totals of two periods are sums over different
units (408 district units closed, 135 regional units opened), so their difference is mostly units
leaving and entering, not a change in any unit (a heads share that fell from 15,8% to 13,2% on the
units present in both years showed +3,4 points). Statistics offices state change on a matched
panel and the population change separately; so does every change shown here.

A unit and its successors form one line: a unit that closed into successors (units.successor_id and
the unit_successions pairs, through chains, merges and splits) is compared with them. A line is comparable when some
unit of it reported in each period; its reports in each period are summed, so a merged unit's
2024 figures are compared with the successor's 2025 ones.

Summed in the database (issue #18): each period's units are grouped, those in a succession by
their successor (a few hundred groups across a reorganisation), the others by whether the same
unit reported in the other period; the groups are joined into lines here. Reading every unit of
both periods into frames and pairing them in Python took a second at a million submissions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    Numeric,
    Subquery,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from data_access.db.catalogue import Catalogue
from data_access.db.models import Period, Submission, Unit, UnitSuccession
from data_access.db.value_tables import SUMMED_DECIMAL_PRECISION
from data_access.domain.filters import Filters
from data_access.domain.formats import VALUE_DECIMAL_PLACES, num
from data_access.domain.periods import parse_period
from data_access.queries.aggregate import unit_rows, with_shares
from data_access.queries.lookups import load_catalogue

COUNT_COLUMNS = ("n_units", "n_female_key_leader", "n_key_leaders_reported")


@dataclass(frozen=True)
class Comparison:
    """Sums and shares over the comparable units in each period, and the population change."""

    period: str
    previous: str
    now: pd.Series  # the aggregate's columns (n_units, indicator codes, shares), comparable units
    before: pd.Series
    matched: int  # units reporting in `period` whose line also reported in `previous`
    new: int  # units reporting in `period` whose line did not report in `previous`
    closed: int  # units that reported in `previous`, closed since, no successor reporting now
    not_reported: int  # units that reported in `previous`, still active, no report in `period`

    def change(self, column: str) -> float | None:
        """`column` now minus before, over the comparable units; None when either is missing."""
        now, before = self.now.get(column), self.before.get(column)
        if now is None or before is None or pd.isna(now) or pd.isna(before):
            return None
        return float(now - before)

    @property
    def population_changed(self) -> bool:
        return bool(self.new or self.closed or self.not_reported)

    def note_vi(self) -> str:
        """The population statement shown beside every like-for-like change."""
        previous, period = (parse_period(p).label_vi.lower() for p in (self.previous, self.period))
        parts = [
            f"so sánh trên {num(self.matched)} đơn vị có báo cáo cả hai kỳ ({previous} và {period})"
        ]
        if self.new:
            parts.append(f"{num(self.new)} đơn vị mới")
        if self.closed:
            parts.append(f"{num(self.closed)} đơn vị đã giải thể/sáp nhập")
        if self.not_reported:
            parts.append(f"{num(self.not_reported)} đơn vị chưa báo cáo {period}")
        return parts[0] + ("; " + ", ".join(parts[1:]) if len(parts) > 1 else "")


# Group keys of the units in no succession (each its own line): reported in the other period
# too, or not. A unit in a succession is grouped under its successor's id, or its own.
PAIRED, UNPAIRED = -1, -2


def _in_successions(rows: Subquery) -> ColumnElement[bool]:
    """A unit of `rows` that takes part in a succession, on either side of either record (most
    units of a reorganised agency have a successor: that test comes first, no lookup)."""
    return or_(
        rows.c.successor_id.is_not(None),
        # Every unit's successor, blanks too: a blank matches nothing (it leaves the test
        # unknown, never true), and without a condition SQLite reads the index as the list.
        rows.c.unit_id.in_(select(Unit.successor_id)),
        rows.c.unit_id.in_(select(UnitSuccession.predecessor_id)),
        rows.c.unit_id.in_(select(UnitSuccession.successor_id)),
    )


def _group_lines(conn: Connection) -> Callable[[int], int]:
    """A group key → its line (any key of the line names it).

    A unit u in a succession is in the group of g(u) = its successor, or itself without one; u
    and g(u) are on one line. Groups join where a successor closed into another (a chain: g(k)
    for such a successor k) and through unit_successions (a split's every successor, a pair
    the first-successor column does not hold): a few hundred links, not a link a unit."""
    successor = aliased(Unit)
    chains = (
        select(Unit.successor_id, successor.successor_id)
        .join(successor, successor.id == Unit.successor_id)
        .where(successor.successor_id.is_not(None))
        .distinct()
    )
    predecessor = aliased(Unit)
    pairs = (
        select(
            func.coalesce(predecessor.successor_id, predecessor.id),
            func.coalesce(successor.successor_id, successor.id),
        )
        .join_from(UnitSuccession, predecessor, predecessor.id == UnitSuccession.predecessor_id)
        .join(successor, successor.id == UnitSuccession.successor_id)
    )
    links = [(a, b) for q in (chains, pairs) for a, b in conn.execute(q) if a and b]
    # Union-find: each key points towards its line's name.
    parent: dict[int, int] = {}

    def root(key: int) -> int:
        path = []
        while parent.get(key, key) != key:
            path.append(key)
            key = parent[key]
        for step in path:
            parent[step] = key
        return key

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return root


def _reported(
    rows: Subquery, other: Subquery | None, other_period: int | None
) -> ColumnElement[bool]:
    """Whether the unit of each of `rows` is among `other`'s, the other period's rows under the
    same filters. Those filters are the unit's (agency, province, level, code), which it passed:
    on accepted figures, the other period's submissions answer, read from their (period, unit)
    index; with submitted reports standing in (`other_period` None), the other period's rows.
    A list, not a correlated EXISTS: PostgreSQL costs that per row, and past its JIT threshold
    compiled the query for 0,36 s (a million submissions, eight indicators)."""
    if other is None:
        return false()
    if other_period is None:
        return rows.c.unit_id.in_(select(other.c.unit_id))
    return rows.c.unit_id.in_(
        select(Submission.unit_id).where(Submission.period_id == other_period)
    )


def _groups(
    conn: Connection,
    rows: Subquery | None,
    other: Subquery | None,
    other_period: int | None,
    columns: Sequence[str],
    decimals: set[str],
    end: dt.date,
) -> dict[int, dict[str, Any]]:
    """`rows` summed in the database by group: the units in a succession by their group key,
    the others into PAIRED (it reported in the other period, `_reported`) and UNPAIRED. Each
    group has its `columns` summed (None when blank in all its units) and `closed`, its units
    closed before `end`. Decimals are summed as integers at the stored places, so the sum is
    exact on SQLite too (a REAL sum is not). No groups without rows (an empty selection)."""
    if rows is None:
        return {}
    linked = _in_successions(rows)
    paired = _reported(rows, other, other_period)
    key = case(
        (linked, func.coalesce(rows.c.successor_id, rows.c.unit_id)),
        (paired, PAIRED),
        else_=UNPAIRED,
    ).label("key")
    scale = literal(10**VALUE_DECIMAL_PLACES, BigInteger)

    def summed(column: str) -> ColumnElement[Any]:
        if column not in decimals:
            return cast(func.sum(rows.c[column]), BigInteger)
        # One unit's figure fits a bigint at the stored places; their sum may not, so it is
        # summed as numeric (PostgreSQL; SQLite sums integers, and refuses an overflow).
        places = cast(func.round(type_coerce(rows.c[column], Numeric()) * scale), BigInteger)
        return type_coerce(cast(func.sum(places), Numeric(SUMMED_DECIMAL_PRECISION, 0)), BigInteger)

    sums = [summed(c).label(c) for c in columns]
    closed = cast(func.sum(case((rows.c.active_to < end, 1), else_=0)), BigInteger)
    query = select(key, closed.label("closed"), *sums).group_by(key)
    out: dict[int, dict[str, Any]] = {}
    for row in conn.execute(query).mappings():
        figures = dict(row)
        for c in decimals:
            if figures[c] is not None:
                figures[c] = Decimal(figures[c]).scaleb(-VALUE_DECIMAL_PLACES)
        out[int(figures.pop("key"))] = figures
    return out


def _total(
    groups: Sequence[dict[str, Any]], columns: Sequence[str], catalogue: Catalogue
) -> pd.Series:
    """The groups' sums and shares; a column blank in every group stays blank, counts read 0."""
    summed = {}
    for c in columns:
        present = [g[c] for g in groups if g[c] is not None]
        summed[c] = sum(present) if present else None
    one = pd.Series(summed, dtype=object).to_frame().T
    for col in COUNT_COLUMNS:
        one[col] = one[col].fillna(0)
    codes = [c for c in columns if c not in COUNT_COLUMNS]
    return with_shares(one, catalogue, codes).iloc[0]


def compare(
    engine: Engine,
    f: Filters,
    period: str,
    previous: str,
    indicators: Sequence[str] | None = None,
) -> Comparison:
    """`period` against `previous` on the units of the selection that reported in both.

    Summed in the database, a query a period grouped by succession (a few hundred rows): reading
    fifty thousand units a period into frames and pairing them here took a second at a million
    submissions (issue #18)."""
    catalogue = load_catalogue(engine)
    codes = list(indicators or catalogue.codes)
    if unknown := set(codes) - set(catalogue.codes):
        raise ValueError(f"unknown indicators: {sorted(unknown)}")
    columns = [*COUNT_COLUMNS, *codes]
    decimals = {c for c in codes if catalogue.by_code[c].value_type == "decimal"}
    end = parse_period(period).end_date
    with engine.connect() as conn:
        pair = (period, previous)
        queries = [unit_rows(conn, catalogue, f.with_(periods=(p,)), codes) for p in pair]
        now_rows, before_rows = (q.subquery() if q is not None else None for q in queries)
        ids = dict(conn.execute(select(Period.code, Period.id).where(Period.code.in_(pair))).all())
        # With submitted reports standing in, not the submissions: the other period's rows.
        now_id, before_id = (None if f.include_unapproved else ids.get(p) for p in pair)
        now = _groups(conn, now_rows, before_rows, before_id, columns, decimals, end)
        before = _groups(conn, before_rows, now_rows, now_id, columns, decimals, end)
        linked = any(key > 0 for key in [*now, *before])
        line = _group_lines(conn) if linked else (lambda key: key)
    common = {line(k) for k in now if k > 0} & {line(k) for k in before if k > 0}

    def comparable(key: int) -> bool:
        return key == PAIRED or (key > 0 and line(key) in common)

    matched = [g for k, g in now.items() if comparable(k)]
    gone = [g for k, g in before.items() if not comparable(k)]
    n_matched = sum(g["n_units"] for g in matched)
    n_closed = sum(g["closed"] for g in gone)
    return Comparison(
        period,
        previous,
        _total(matched, columns, catalogue),
        _total([g for k, g in before.items() if comparable(k)], columns, catalogue),
        matched=n_matched,
        new=sum(g["n_units"] for g in now.values()) - n_matched,
        closed=n_closed,
        not_reported=sum(g["n_units"] for g in gone) - n_closed,
    )
