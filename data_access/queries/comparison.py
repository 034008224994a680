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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from data_access.db.models import Unit, UnitSuccession
from data_access.domain.filters import Filters
from data_access.domain.formats import num
from data_access.domain.periods import parse_period
from data_access.queries.aggregate import aggregate, with_shares
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


def _lines(engine: Engine, codes: set[str]) -> dict[str, str]:
    """Each unit code of `codes` → its line: the units joined to it by successions, in either
    direction (a chain, a merge's predecessors, a split's successors), named by the smallest code.

    Both records of a succession are read: units.successor_id (one successor, the unit's first)
    and unit_successions (every predecessor–successor pair), so a unit split in two is one line
    with both successors."""
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
    # Union-find: each code points towards its line's name (the smallest code of the line).
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
    """The units of `codes` closed before `before` (a date)."""
    if not codes:
        return set()
    with engine.connect() as conn:
        return set(
            conn.execute(
                select(Unit.code).where(Unit.code.in_(list(codes)), Unit.active_to < before.date())
            ).scalars()
        )


def _sum(values: pd.Series) -> object:
    """A column's sum, blank when all are blank; exact decimals (money) stay exact."""
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


def compare(
    engine: Engine,
    f: Filters,
    period: str,
    previous: str,
    indicators: Sequence[str] | None = None,
) -> Comparison:
    """`period` against `previous` on the units of the selection that reported in both."""
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
