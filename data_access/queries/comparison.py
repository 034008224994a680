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
both periods into frames and pairing them in Python took a second at a million submissions;
grouping every row of both periods in the database still took 130 ms a period on SQLite, most
of the overview and of the report preview. So, on accepted figures of a selection by agency,
province and level (`compare_on_summary`), each period's sums are its totals in the summary of
submissions less the rows of the few units left out, and which units are left out is found from
indexes (a group reported when one of its units did; a unit in no succession reported in the
other period when its (unit, period) index says so): 20–30 ms. `compare_by_groups` answers the
rest (single units, submitted reports standing in, a period not held).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Connection,
    Engine,
    Numeric,
    Subquery,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from data_access.db.catalogue import Catalogue
from data_access.db.models import Period, Submission, Unit, UnitSuccession
from data_access.db.value_tables import SUMMED_DECIMAL_PRECISION, tables
from data_access.domain.filters import Filters
from data_access.domain.formats import VALUE_DECIMAL_PLACES, num
from data_access.domain.periods import parse_period
from data_access.queries.aggregate import (
    FEMALE_LEADER_PCT,
    period_queries,
    unit_conditions,
    unit_rows,
)
from data_access.queries.lookups import load_catalogue

COUNT_COLUMNS = ("n_units", "n_female_key_leader", "n_key_leaders_reported")
# The conditions a unit of the selection meets, for the Unit model or an alias of it.
Selected = Callable[[Any], list[ColumnElement[bool]]]


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


# Keys listed in one statement at most (bound parameters: SQLite allows 32,766); a comparison
# that would list more groups left out is summed from every row instead.
LISTED_KEYS_MAX = 10_000
# Group keys of the units in no succession (each its own line): reported in the other period
# too, or not. A unit in a succession is grouped under its successor's id, or its own.
PAIRED, UNPAIRED = -1, -2


# The aliases of units these queries use, made once: an alias builds its column collection on
# first use, and building six of them took a fifth of a comparison's CPU. One alias per role, so
# that no statement holds one alias in two scopes where the query means two tables.
_OTHER_LINKED = aliased(Unit, name="other_linked")
_OTHER_UNLINKED = aliased(Unit, name="other_unlinked")
_MEMBER = aliased(Unit, name="member")
_LISTED = aliased(Unit, name="listed")


def _in_successions(rows: Subquery) -> ColumnElement[bool]:
    """A unit of `rows` that takes part in a succession, on either side of either record (most
    units of a reorganised agency have a successor: that test comes first, no lookup)."""
    return _linked(rows.c.unit_id, rows.c.successor_id)


def _linked(unit_id: Any, successor_id: Any) -> ColumnElement[bool]:
    """The unit of these columns takes part in a succession (`_in_successions`)."""
    other = _OTHER_LINKED  # never the outer query's units: a list, not a correlated lookup
    return or_(
        successor_id.is_not(None),
        # Every unit's successor, blanks too: a blank matches nothing (it leaves the test
        # unknown, never true), and without a condition SQLite reads the index as the list.
        unit_id.in_(select(other.successor_id)),
        unit_id.in_(select(UnitSuccession.predecessor_id)),
        unit_id.in_(select(UnitSuccession.successor_id)),
    )


def _unlinked(unit: Any) -> ColumnElement[bool]:
    """`unit` (the Unit model or an alias) takes part in no succession: the negation of
    `_linked`, as lookups (NOT IN over a list holding blanks is never true)."""
    other = _OTHER_UNLINKED
    return and_(
        unit.successor_id.is_(None),
        ~select(other.id).where(other.successor_id == unit.id).exists(),
        ~select(UnitSuccession.id).where(UnitSuccession.predecessor_id == unit.id).exists(),
        ~select(UnitSuccession.id).where(UnitSuccession.successor_id == unit.id).exists(),
    )


def _group_lines(conn: Connection, keys: Iterable[int]) -> Callable[[int], int]:
    """A group key among `keys` → its line (any key of the line names it).

    A unit u in a succession is in the group of g(u) = its successor, or itself without one; u
    and g(u) are on one line. Groups join where a successor closed into another (a chain: g(k)
    for such a successor k) and through unit_successions (a split's every successor, a pair
    the first-successor column does not hold): a few hundred links, not a link a unit.

    The chains are walked from `keys` and the pairs' groups, successor by successor (two keys
    on one line reach its last successor): a few hundred lookups, not every unit joined to its
    successor."""
    links = _succession_links(conn)
    seen: set[int] = set()
    walk = {*keys, *(k for link in links for k in link)}
    while walk:
        seen |= walk
        batch, walk = sorted(walk), set()
        for start in range(0, len(batch), LISTED_KEYS_MAX):
            chains = select(Unit.id, Unit.successor_id).where(
                Unit.id.in_(batch[start : start + LISTED_KEYS_MAX]),
                Unit.successor_id.is_not(None),
            )
            for key, next_key in conn.execute(chains):
                if next_key is not None:
                    links.append((key, next_key))
                    walk.add(next_key)
        walk -= seen
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


def _succession_links(conn: Connection) -> list[tuple[int, int]]:
    """The groups each unit_successions pair joins: (g(predecessor), g(successor)). The pairs are
    read first and their units then looked up by id: PostgreSQL, with no statistics on a small
    table (autovacuum never analyses one of a few rows), guessed 1,700 pairs and hashed every
    unit twice to join them (12–18 ms a comparison at 53,000 units, with no pair at all)."""
    pairs = conn.execute(select(UnitSuccession.predecessor_id, UnitSuccession.successor_id)).all()
    ids = sorted({unit_id for pair in pairs for unit_id in pair})
    group: dict[int, int] = {}
    for start in range(0, len(ids), LISTED_KEYS_MAX):
        keys = select(Unit.id, func.coalesce(Unit.successor_id, Unit.id)).where(
            Unit.id.in_(ids[start : start + LISTED_KEYS_MAX])
        )
        group.update((int(unit_id), int(key)) for unit_id, key in conn.execute(keys))
    return [(group[a], group[b]) for a, b in pairs if a in group and b in group]


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
    query = select(key, *_sums(rows, columns, decimals, end)).group_by(key)
    return {int(row.pop("key")): row for row in _read_sums(conn, query, decimals)}


def _sums(
    rows: Subquery, columns: Sequence[str], decimals: set[str], end: dt.date
) -> list[ColumnElement[Any]]:
    """`closed` (the units of `rows` closed before `end`) and each of `columns` summed (None
    when blank in every row). Decimals are summed as integers at the stored places, so the sum
    is exact on SQLite too (a REAL sum is not); `_read_sums` reads them back."""
    scale = literal(10**VALUE_DECIMAL_PLACES, BigInteger)

    def summed(column: str) -> ColumnElement[Any]:
        if column not in decimals:
            return cast(func.sum(rows.c[column]), BigInteger)
        # One unit's figure fits a bigint at the stored places; their sum may not, so it is
        # summed as numeric (PostgreSQL; SQLite sums integers, and refuses an overflow).
        places = cast(func.round(type_coerce(rows.c[column], Numeric()) * scale), BigInteger)
        return type_coerce(cast(func.sum(places), Numeric(SUMMED_DECIMAL_PRECISION, 0)), BigInteger)

    closed = cast(func.sum(case((rows.c.active_to < end, 1), else_=0)), BigInteger)
    return [closed.label("closed"), *(summed(c).label(c) for c in columns)]


def _read_sums(conn: Connection, query: Any, decimals: set[str]) -> list[dict[str, Any]]:
    return [_scaled(dict(row), decimals) for row in conn.execute(query).mappings()]


def _scaled(figures: dict[str, Any], decimals: set[str]) -> dict[str, Any]:
    """`_sums`' figures as they are: decimals back from integers at the stored places."""
    for c in decimals:
        if figures[c] is not None:
            figures[c] = Decimal(figures[c]).scaleb(-VALUE_DECIMAL_PLACES)
    return figures


def _total(
    groups: Sequence[dict[str, Any]], columns: Sequence[str], catalogue: Catalogue
) -> pd.Series:
    """The groups' sums and shares; a column blank in every group stays blank, counts read 0.

    The row `with_shares` gives for a one-row frame of the sums (tests/test_comparison_fast.py
    checks against it), built without the frame: with_shares took 7 ms a call on the whole
    catalogue, a quarter of the comparison (issue #18)."""
    summed: dict[str, Any] = {}
    for c in columns:
        present = [g[c] for g in groups if g[c] is not None]
        summed[c] = sum(present) if present else None
    for col in COUNT_COLUMNS:
        summed[col] = np.int64(summed[col] or 0)
    for pair in catalogue.pairs.values():
        if pair.total in columns and pair.female in columns:
            summed[pair.pct_column] = _share(summed[pair.female], summed[pair.total])
    summed[FEMALE_LEADER_PCT] = _share(
        summed["n_female_key_leader"], summed["n_key_leaders_reported"]
    )
    return pd.Series(summed, dtype=object, name=0)


def _share(part: Any, whole: Any) -> np.float64:
    """100 × part / whole as with_shares computes it in float64 (NaN unless whole > 0)."""
    if part is None or whole is None or not float(whole) > 0:
        return np.float64(np.nan)
    hundredfold = 100 * part if isinstance(part, int | np.integer) else 100 * float(part)
    return np.float64(float(hundredfold) / float(whole))


def compare(
    engine: Engine,
    f: Filters,
    period: str,
    previous: str,
    indicators: Sequence[str] | None = None,
) -> Comparison:
    """`period` against `previous` on the units of the selection that reported in both.

    Over the summary of submissions where it serves (`compare_on_summary`), else from every row
    of both periods (`compare_by_groups`): the same figures (tests/test_comparison_summary.py)."""
    found = compare_on_summary(engine, f, period, previous, indicators)
    if found is not None:
        return found
    return compare_by_groups(engine, f, period, previous, indicators)


def _compared_columns(
    engine: Engine, indicators: Sequence[str] | None
) -> tuple[Catalogue, list[str], list[str], set[str]]:
    """The catalogue, the indicators compared (None or none: all), the columns summed (counts
    first) and the decimal ones among them (summed exactly as integers at the stored places)."""
    catalogue = load_catalogue(engine)
    codes = list(indicators or catalogue.codes)
    if unknown := set(codes) - set(catalogue.codes):
        raise ValueError(f"unknown indicators: {sorted(unknown)}")
    decimals = {c for c in codes if catalogue.by_code[c].value_type == "decimal"}
    return catalogue, codes, [*COUNT_COLUMNS, *codes], decimals


def compare_by_groups(
    engine: Engine,
    f: Filters,
    period: str,
    previous: str,
    indicators: Sequence[str] | None = None,
) -> Comparison:
    """`compare` from every row of both periods, summed in the database by group: for what the
    summary cannot answer (single units, submitted reports standing in, a period not held).

    A query a period grouped by succession (a few hundred rows): reading fifty thousand units a
    period into frames and pairing them here took a second at a million submissions (issue
    #18); these two queries still read every wide row of both periods (130 ms each on SQLite)."""
    catalogue, codes, columns, decimals = _compared_columns(engine, indicators)
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
        keys = [key for key in [*now, *before] if key > 0]
        line = _group_lines(conn, keys) if keys else (lambda key: key)
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


# --- over the summary of submissions (issue #18) ------------------------------------------------
#
# The sums over the comparable units of a period are its totals (the summary: thousands of rows,
# kept equal to a recount on every write) less the rows of the units left out: those in no
# succession that did not report in the other period, and those of a succession line that did
# not report in the other period. Which lines reported is asked line group by line group (a few
# hundred lookups that stop at the first unit found), which units in no succession reported in
# the other period from the (unit, period) index: no wide row is read but the left-out ones.


def _reported_in(unit: Any, period_id: int) -> ColumnElement[bool]:
    """`unit` has a submission of `period_id` (its (unit, period) index answers)."""
    return (
        select(Submission.unit_id)
        .where(Submission.unit_id == unit.id, Submission.period_id == period_id)
        .exists()
    )


def _present_groups(
    conn: Connection, selected: Selected, period_ids: Sequence[int]
) -> list[tuple[int, list[bool]]]:
    """Each succession group key of the selection (`_groups`' keys: a unit's successor, or
    itself) and whether one of its units in the selection reported in each of `period_ids`.

    The keys are read first and then listed: PostgreSQL, asked over a subquery of keys, guessed
    fifteen thousand where there were 57, costed a lookup each past its JIT threshold and
    compiled the query for a second."""
    keys = (
        select(func.coalesce(Unit.successor_id, Unit.id))
        .where(*selected(Unit), _linked(Unit.id, Unit.successor_id))
        .distinct()
    )
    found = sorted(int(key) for key in conn.execute(keys).scalars())
    member = _MEMBER

    def present(key: Any, period_id: int) -> ColumnElement[int]:
        # The key's own unit first (one lookup), then its predecessors until one reported: a
        # CASE, as SQLite evaluates both sides of an OR of subqueries.
        itself = (
            select(member.id)
            .where(member.id == key, member.successor_id.is_(None), *selected(member))
            .where(_reported_in(member, period_id))
            .exists()
        )
        members = (
            select(member.id)
            .where(member.successor_id == key, *selected(member))
            .where(_reported_in(member, period_id))
            .exists()
        )
        return case((itself, 1), (members, 1), else_=0)

    out = []
    for start in range(0, len(found), LISTED_KEYS_MAX):
        # Every key is a unit's id: the units table lists them.
        listed = _LISTED
        query = select(listed.id, *(present(listed.id, p) for p in period_ids)).where(
            listed.id.in_(found[start : start + LISTED_KEYS_MAX])
        )
        out += [(int(key), [bool(x) for x in flags]) for key, *flags in conn.execute(query)]
    return out


def _left_out(other_period: int, keys: Sequence[int]) -> CompoundSelect:
    """The ids of the units left out of a period's comparison: in no succession and without a
    report of `other_period`, or in the succession group of one of `keys`. Each part found by
    its own index (the units without a successor, a group's units by their successor, the
    group's own unit), not by testing every unit; the selection's filters are the rows' own
    (SQLite would read them through the agency's index, every unit of the agency)."""
    unpaired = select(Unit.id).where(_unlinked(Unit), ~_reported_in(Unit, other_period))
    if not keys:
        return union_all(unpaired)
    return union_all(
        unpaired,
        select(Unit.id).where(Unit.successor_id.in_(keys)),
        select(Unit.id).where(Unit.id.in_(keys), Unit.successor_id.is_(None)),
    )


def compare_on_summary(
    engine: Engine,
    f: Filters,
    period: str,
    previous: str,
    indicators: Sequence[str] | None = None,
) -> Comparison | None:
    """`compare` from each period's totals in the summary less the rows of the units left out;
    None where the summary cannot answer: a selection of single units (the summary has no
    units), submitted reports standing in (it holds accepted figures), a period not held, a
    selection without units."""
    if f.units or f.include_unapproved or period == previous:
        return None
    catalogue, codes, columns, decimals = _compared_columns(engine, indicators)
    end = parse_period(period).end_date
    pair = (period, previous)
    with engine.connect() as conn:
        ids = dict(conn.execute(select(Period.code, Period.id).where(Period.code.in_(pair))).all())
        selected = unit_conditions(conn, f)
        if len(ids) < 2 or selected is None:
            return None
        groups = _present_groups(conn, selected, [ids[period], ids[previous]])
        line = _group_lines(conn, [key for key, _ in groups]) if groups else (lambda key: key)
        reported = [{line(key) for key, flags in groups if flags[side]} for side in (0, 1)]
        common = reported[0] & reported[1]
        parts, left_outs = [], []
        for side, (code, other) in enumerate((pair, pair[::-1])):
            keys = [k for k, flags in groups if flags[side] and line(k) not in common]
            if len(keys) > LISTED_KEYS_MAX:
                return None
            left_outs.append(_left_out(ids[other], keys))
            queries = period_queries(
                conn, catalogue, f.with_(periods=(code,)), codes, unit_ids=left_outs[-1]
            )
            if queries is None:
                return None
            totals, rows = queries
            left = select(*_sums(rows.subquery(), columns, decimals, end))
            parts += [totals.subquery(), left.subquery()]
        # Both periods' totals and the sums of their units left out: four one-row subqueries
        # side by side, one round trip.
        joined: Any = parts[0]
        for part in parts[1:]:
            joined = joined.join(part, true())
        row = list(conn.execute(select(*parts).select_from(joined)).one())
        figures = []
        for subquery in parts:
            figures.append(dict(zip(subquery.c.keys(), row[: len(subquery.c)], strict=True)))
            row = row[len(subquery.c) :]
        sides = []
        for side, code in enumerate(pair):
            total, out = figures[2 * side], _scaled(figures[2 * side + 1], decimals)
            kept = {c: _less(total[c], out[c]) for c in columns}
            # A difference of 0 may be a column blank in every unit kept: asked where it is.
            zeros = [c for c in codes if kept[c] == 0]
            blank = _blank_where_kept(conn, catalogue, selected, ids[code], left_outs[side], zeros)
            kept.update(dict.fromkeys(blank))
            sides.append((kept, {c: out[c] or 0 for c in ("n_units", "closed")}))
    (now, now_out), (before, before_out) = sides
    return Comparison(
        period,
        previous,
        _total([now], columns, catalogue),
        _total([before], columns, catalogue),
        matched=int(now["n_units"] or 0),
        new=int(now_out["n_units"]),
        closed=int(before_out["closed"]),
        not_reported=int(before_out["n_units"] - before_out["closed"]),
    )


def _less(total: Any, out: Any) -> Any:
    """A sum less the part of it left out; blank when the sum is (nothing reported)."""
    if total is None:
        return None
    return total if out is None else total - out


def _blank_where_kept(
    conn: Connection,
    catalogue: Catalogue,
    selected: Selected,
    period_id: int,
    left_out: CompoundSelect,
    columns: Sequence[str],
) -> list[str]:
    """Those of `columns` blank in every row of the period's selection but `left_out`'s units
    (each asked until a figure is found, most often at the first row)."""
    if not columns:
        return []
    submissions, _ = tables(catalogue)

    def figure(column: str) -> ColumnElement[bool]:
        return (
            select(submissions.c.unit_id)
            .join(Unit, Unit.id == submissions.c.unit_id)
            .where(
                submissions.c.period_id == period_id,
                submissions.c[column].is_not(None),
                ~submissions.c.unit_id.in_(left_out),
                *selected(Unit),
            )
            .exists()
        )

    found = conn.execute(select(*(figure(c).label(c) for c in columns))).one()
    return [c for c, there in zip(columns, found, strict=True) if not there]
