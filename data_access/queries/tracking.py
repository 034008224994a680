"""Submission tracking: for one period, which expected units reported, on time or late, and who
is missing. A unit is expected when it is active on the period's due date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Date,
    Engine,
    Integer,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)

from data_access.db.engine import frame_of
from data_access.db.models import Agency, Period, Province, Unit
from data_access.db.value_tables import tables
from data_access.domain.filters import Filters
from data_access.domain.periods import parse_period
from data_access.domain.province_sets import province_column
from data_access.queries.aggregate import unit_filters
from data_access.queries.lookups import load_catalogue

STATUS_VI = {"on_time": "Đúng hạn", "late": "Muộn", "missing": "Chưa báo cáo"}
# The order units are listed in: the ones to chase first, those with nothing at all before late.
CHASE_ORDER = ("missing", "late", "on_time")
GROUPS = ("agency", "province", "level")
_GROUP_COLUMNS = {
    "agency": ["agency_code", "agency_name"],
    "province": ["province_code", "province_name"],
    "level": ["level"],
}


def _base(
    engine: Engine, period: str, filters: Filters
) -> tuple[Any, dict[str, Any], dt.date, Any]:
    """Expected units left-joined to their submission for the period, with filters applied:
    the query, its columns, the due date and the submission's id (blank when none)."""
    code = parse_period(period)
    due = code.due_date
    submissions, _ = tables(load_catalogue(engine))
    prov = Province.__table__.alias("prov")
    period_id = select(Period.id).where(Period.code == str(code)).scalar_subquery()
    sub = submissions.alias("s")
    # On time: received on or before the due date, compared as dates. date() is a function on
    # both backends, and on SQLite it reads every text form a timestamp may have been stored in
    # ("… 00:00:00" sorts before "… 00:00:00.000000" as text).
    received_on = func.date(sub.c.received_at, type_=Date)
    status = case(
        (sub.c.id.is_(None), literal("missing")),
        (or_(sub.c.received_at.is_(None), received_on <= due), literal("on_time")),
        else_=literal("late"),
    )
    active = and_(Unit.active_from <= due, or_(Unit.active_to.is_(None), Unit.active_to >= due))
    source = (
        select(Unit.id)
        .join(Agency, Agency.id == Unit.agency_id)
        .join(prov, prov.c.id == province_column(Unit, filters.province_set))
        .outerjoin(sub, and_(sub.c.unit_id == Unit.id, sub.c.period_id == period_id))
        # Expected: active on the due date, or reported for the period (the outer join found its
        # submission, one at most per unit and period). Tested on the joined row: one pass over
        # the units, 2,4x faster on SQLite at 53,000 units than two lists of ids looked up unit
        # by unit (84 ms → 35 ms a period).
        .where(or_(active, sub.c.id.is_not(None)))
    )
    source = unit_filters(source, filters, prov)
    columns = {
        "status": status,
        "received_at": sub.c.received_at,
        "agency_code": Agency.code,
        "agency_name": Agency.name,
        "province_code": prov.c.code,
        "province_name": prov.c.short_name,
        "level": Unit.level,
        "unit_code": Unit.code,
        "unit_name": Unit.name,
    }
    return source, columns, due, sub.c.id


def unit_status(
    engine: Engine,
    period: str,
    filters: Filters | None = None,
    statuses: Sequence[str] = (),
) -> pd.DataFrame:
    """unit_code, unit_name, agency_code, agency_name, province_code, province_name, level,
    status (on_time | late | missing), received_at, days_late: one row per expected unit (only
    those in `statuses`, when given: the units to chase are a fraction of fifty thousand), in
    CHASE_ORDER of status, then by agency and unit name."""
    source, cols, due, _ = _base(engine, period, filters or Filters())
    if statuses:
        source = source.where(cols["status"].in_(list(statuses)))
    rank = case({s: i for i, s in enumerate(CHASE_ORDER)}, value=cols["status"])
    query = source.with_only_columns(*(c.label(n) for n, c in cols.items())).order_by(
        rank, Agency.code, Unit.name
    )
    with engine.connect() as conn:
        result = conn.execute(query)
        frame = frame_of(result)
    received = pd.to_datetime(frame["received_at"])
    frame["days_late"] = ((received.dt.normalize() - pd.Timestamp(due)).dt.days).where(
        frame["status"] == "late"
    )
    frame["days_late"] = frame["days_late"].astype("Int64")
    frame["status_vi"] = frame["status"].map(STATUS_VI)
    return frame


def rates(
    engine: Engine, period: str, by: Sequence[str] = (), filters: Filters | None = None
) -> pd.DataFrame:
    """[group columns], expected, received, on_time, late, missing, reporting_rate, on_time_rate
    (rates in percent of expected units; the on-time rate of received ones)."""
    if unknown := set(by) - set(GROUPS):
        raise ValueError(f"unknown groups: {sorted(unknown)}")
    source, cols, _, _ = _base(engine, period, filters or Filters())
    group = [g for name in by for g in _GROUP_COLUMNS[name]]
    status = cols["status"]

    def count(value: str) -> Any:
        return func.sum(case((status == value, 1), else_=0))

    query = source.with_only_columns(
        *(cols[g].label(g) for g in group),
        func.count().label("expected"),
        count("on_time").label("on_time"),
        count("late").label("late"),
        count("missing").label("missing"),
    )
    if group:
        query = query.group_by(*(cols[g] for g in group)).order_by(*(cols[g] for g in group))
    with engine.connect() as conn:
        result = conn.execute(query)
        frame = frame_of(result)
    for col in COUNTS:
        frame[col] = pd.to_numeric(frame[col]).fillna(0).astype("int64")
    return _with_rates(frame)


COUNTS = ["expected", "on_time", "late", "missing"]


def rates_by_period(
    engine: Engine, periods: Sequence[str], by: Sequence[str] = (), filters: Filters | None = None
) -> pd.DataFrame:
    """period, then `rates` of each period in `periods`: the same figures as calling `rates` once
    per period, sorted by period and group, from three statements over all of them
    (`_period_counts`; a selection of single units walks them period by period)."""
    if unknown := set(by) - set(GROUPS):
        raise ValueError(f"unknown groups: {sorted(unknown)}")
    f = filters or Filters()
    codes = sorted({str(parse_period(p)) for p in periods})
    group = [g for name in by for g in _GROUP_COLUMNS[name]]
    if not codes:
        return pd.DataFrame(columns=["period", *group, *COUNTS, "received"])
    if f.units:  # the summary has no unit: a few units are walked period by period
        return pd.concat(
            [rates(engine, code, by, f).assign(period=code) for code in codes], ignore_index=True
        )[["period", *group, *COUNTS, "received", "reporting_rate", "on_time_rate"]]
    frame = _period_counts(engine, codes, group, f, on_time=True)
    frame["on_time"] = frame["received"] - frame["late"]
    frame["missing"] = frame["active"] - (frame["received"] - frame["in_inactive"])
    return _with_rates(frame[["period", *group, *COUNTS]].reset_index(drop=True))


def totals_of(grouped: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """rates_by_period(periods) in total, from its rows by some group (same periods and
    filters): each period's counts summed over its groups. A group is left out only where no
    unit is expected, so it counted nothing; the units are not counted again (the overview
    wants both: 2 × 25–55 ms on PostgreSQL at a million submissions)."""
    codes = sorted({str(parse_period(p)) for p in periods})
    summed = grouped.groupby("period")[COUNTS].sum().reindex(codes, fill_value=0)
    frame = summed.rename_axis("period").reset_index()
    for col in COUNTS:
        frame[col] = frame[col].astype("int64")
    return _with_rates(frame)


def completeness(
    engine: Engine, period: str, by: Sequence[str] = (), filters: Filters | None = None
) -> pd.DataFrame:
    """[group columns], expected, received, reporting_rate: `rates` without the on-time split,
    counted as `rates_by_period` counts (the completeness beside every leadership table: 35 ms
    on SQLite, 65–100 ms on PostgreSQL at a million submissions when each of fifty thousand
    units was looked up in the submissions). A selection of single units still walks them."""
    if unknown := set(by) - set(GROUPS):
        raise ValueError(f"unknown groups: {sorted(unknown)}")
    f = filters or Filters()
    if f.units:  # the summary has no units
        return _completeness_by_units(engine, period, by, f)
    group = [g for name in by for g in _GROUP_COLUMNS[name]]
    frame = _period_counts(engine, [str(parse_period(period))], group, f, on_time=False)
    return _completeness_frame(frame[[*group, "expected", "received"]].reset_index(drop=True))


def _period_counts(
    engine: Engine, codes: Sequence[str], group: list[str], f: Filters, on_time: bool
) -> pd.DataFrame:
    """period, [group], active, in_inactive, expected, received (and late with `on_time`) for
    each period code in `codes` (sorted), the units selected by `f` (no single units): the
    counts `rates` gives, without walking every expected unit of every period (9 annual
    periods at 53,000 units: 1,1 s of CPU on SQLite, most of the gender index page). Here:
    - the units are read once, counting for each period those active on its due date;
    - the received and late reports are counted in `submission_summary` (kept equal to a
      recount);
    - the reports of units not active on the due date (a few) are read from whichever side of
      a period is smaller: its inactive units, each looked up by the (unit, period) index, or
      its submissions (`_reported_while_inactive`).
    expected = active + received while inactive; a group only where some unit is expected, the
    total always, as `rates`."""
    dues = {code: parse_period(code).due_date for code in codes}
    submissions, summary = tables(load_catalogue(engine))
    grouped = _Grouped(group, f)
    # The units by cell and dates of activity (a few hundred rows, read from an index that
    # holds them all: 19 ms, where a pass over the rows of 53,000 units took 64 ms on SQLite),
    # then those active on each due date counted from them.
    # Grouped in the order of that index (ix_units_activity): PostgreSQL then groups the rows as
    # the index gives them instead of hashing every unit (29 → 18 ms at 53,000 units).
    life: tuple[Any, ...] = (Unit.active_from, Unit.active_to, Unit.agency_id)
    life += (Unit.province_id, Unit.current_province_id, Unit.level)
    cells = select(*life, func.count().label("n")).group_by(*life).subquery("u")
    units = grouped(
        cells,
        cells.c.agency_id,
        cells.c,
        cells.c.level,
        *(func.sum(case((_active_on(dues[code], cells.c), cells.c.n), else_=0)) for code in codes),
        func.sum(cells.c.n),  # every unit selected
    )
    # Each count by (period, *group), summed in plain dicts: a few hundred rows, where pandas'
    # merges took longer than the statements (completeness: 12 → 30 ms a call).
    counted: dict[str, dict[tuple[Any, ...], int]] = {
        name: {} for name in ("active", "received", "late", "in_inactive")
    }

    def add(name: str, key: tuple[Any, ...], value: Any) -> None:
        counted[name][key] = counted[name].get(key, 0) + int(value or 0)

    width = len(group)
    with engine.connect() as conn:
        ids = dict(conn.execute(select(Period.code, Period.id).where(Period.code.in_(codes))).all())
        selected = 0
        for row in conn.execute(units):
            for code, value in zip(codes, row[width:-1], strict=True):
                add("active", (code, *row[:width]), value)
            selected += int(row[-1] or 0)
        if ids:
            late = func.sum(summary.c.n_late) if on_time else literal(0)
            query = grouped(
                summary,
                summary.c.agency_id,
                summary.c,
                summary.c.level,
                func.sum(summary.c.n_submissions).label("received"),
                late.label("late"),
                summary.c.period_id,
            ).where(summary.c.period_id.in_(list(ids.values())))
            period_of = {ids[c]: c for c in ids}
            reports = dict.fromkeys(codes, 0)
            for row in conn.execute(query.group_by(summary.c.period_id)):
                key = (period_of[row[width + 2]], *row[:width])
                add("received", key, row[width])
                add("late", key, row[width + 1])
                reports[key[0]] += int(row[width] or 0)
            active_on_due = dict.fromkeys(codes, 0)
            for (code, *_), n in counted["active"].items():
                active_on_due[code] += n
            query = _reported_while_inactive(
                grouped,
                submissions,
                {
                    ids[c]: selected - active_on_due[c] <= reports[c]
                    for c in ids
                    if selected > active_on_due[c] and reports[c]
                },
                {ids[c]: dues[c] for c in ids},
            )
            if query is not None:
                if conn.dialect.name == "postgresql":
                    # PostgreSQL guesses thousands of units inactive on each date (it has no
                    # statistics for it) and compiles the statement with JIT first: 290 ms
                    # for a statement that runs in 30 (a million submissions). This
                    # transaction only: it ends with the connection's block.
                    conn.execute(text("SET LOCAL jit = off"))
                for row in conn.execute(query):
                    add("in_inactive", (period_of[row[width + 1]], *row[:width]), row[width])
    keys = sorted(set().union(*(counts.keys() for counts in counted.values())))
    expected = {
        key: counted["active"].get(key, 0) + counted["in_inactive"].get(key, 0) for key in keys
    }
    if group:  # built from the rows kept: an empty frame's columns as the unit-by-unit join's
        keys = [key for key in keys if expected[key] > 0]
    frame = pd.DataFrame(keys, columns=["period", *group])
    for name, counts in counted.items():
        frame[name] = np.array([counts.get(key, 0) for key in keys], dtype=np.int64)
    frame["expected"] = np.array([expected[key] for key in keys], dtype=np.int64)
    return frame


def _active_on(due: Any, unit: Any = Unit) -> Any:
    """A unit (or the units of a row with its active_from and active_to) active on the due date
    `due` (a date, or a column of them)."""
    return and_(unit.active_from <= due, or_(unit.active_to.is_(None), unit.active_to >= due))


class _Grouped:
    """Counts by the group columns of a source joined to its agency and province and narrowed
    by the filters (`level`: the level column of a summary, else the unit's)."""

    def __init__(self, group: list[str], f: Filters) -> None:
        self.group, self.f = group, f
        self.prov = Province.__table__.alias("prov")

    def columns(self, level: Any) -> list[Any]:
        named = {
            "agency_code": Agency.code,
            "agency_name": Agency.name,
            "province_code": self.prov.c.code,
            "province_name": self.prov.c.short_name,
            "level": level,
        }
        return [named[g] for g in self.group]

    def __call__(self, source: Any, agency_id: Any, province: Any, level: Any, *counts: Any) -> Any:
        cols = self.columns(level)
        query = (
            select(*(c.label(g) for c, g in zip(cols, self.group, strict=True)), *counts)
            .select_from(source)
            .join(Agency, Agency.id == agency_id)
            .join(self.prov, self.prov.c.id == province_column(province, self.f.province_set))
        )
        query = unit_filters(query, self.f, self.prov, None if level is Unit.level else level)
        return query.group_by(*cols) if self.group else query


def _reported_while_inactive(
    grouped: _Grouped, submissions: Any, from_units: dict[int, bool], dues: dict[int, dt.date]
) -> Any:
    """in_inactive and period by the group columns: the submissions, for each period id of
    `from_units`, of units not active on its due date. Read from the units not active then, each
    looked up by the submissions' (unit, period) index, where they are fewer than the period's
    reports (`from_units[id]`: a period long past, before most units opened); else from the
    reports, each unit looked up by its id (a period after a reorganisation closed most
    units). The same count either way; None when no period has both. `dues`: each period id's
    due date."""
    periods = Period.__table__.alias("p")
    # Not active on the due date, as two ranges an index serves each (SQLite reads no index
    # through NOT(...)); a blank active_to (open) is never before it.
    due = periods.c.due_date
    inactive = or_(Unit.active_from > due, Unit.active_to < due)
    sub = submissions.alias("s")
    parts = []
    by_units = [i for i, units_first in from_units.items() if units_first]
    by_reports = [i for i, units_first in from_units.items() if not units_first]
    if by_units:
        # Each inactive unit's report looked up by the (unit, period) index: a count in the
        # select list, which neither backend turns into a join over every submission of the
        # periods (PostgreSQL did so with EXISTS: 0,5 s at a million submissions). Each period's
        # due date is bound as a value, not joined from `periods`: PostgreSQL then reads the two
        # index ranges, not every unit (137 of 53,000 units: 12 → 1 ms).
        def inactive_on(period_id: int) -> Any:
            due_date = dues[period_id]
            reported = (
                select(func.count())
                .where(sub.c.unit_id == Unit.id, sub.c.period_id == period_id)
                .scalar_subquery()
            )
            return select(
                Unit.agency_id,
                Unit.province_id,
                Unit.current_province_id,
                Unit.level,
                literal(period_id, Integer).label("period_id"),
                reported.label("reports"),
            ).where(or_(Unit.active_from > due_date, Unit.active_to < due_date))

        each = [inactive_on(i) for i in by_units]
        # Read on its own first (MATERIALIZED): joined to the filters and grouped, the planner
        # would rather walk the units by an index that serves the grouping or an agency's units
        # than take the two index ranges on the dates (SQLite: 0,4 ms → 70–200 ms).
        inactive_units: Any = each[0] if len(each) == 1 else union_all(*each)
        units = inactive_units.cte("inactive_units").prefix_with("MATERIALIZED")
        parts.append(
            grouped(
                units,
                units.c.agency_id,
                units.c,
                units.c.level,
                func.sum(units.c.reports).label("in_inactive"),
                units.c.period_id,
            )
            .where(units.c.reports > 0)
            .group_by(units.c.period_id)
        )
    if by_reports:
        # The period's reports read first (MATERIALIZED), then each one's unit: PostgreSQL,
        # guessing few units inactive on the date, otherwise walks every unit (44 ms).
        reports = (
            select(sub.c.unit_id, sub.c.period_id)
            .where(sub.c.period_id.in_(by_reports))
            .cte("period_reports")
            .prefix_with("MATERIALIZED")
        )
        parts.append(
            grouped(
                reports.join(periods, periods.c.id == reports.c.period_id).join(
                    Unit, Unit.id == reports.c.unit_id
                ),
                Unit.agency_id,
                Unit,
                Unit.level,
                func.count().label("in_inactive"),
                periods.c.id.label("period_id"),
            )
            .where(inactive)
            .group_by(periods.c.id)
        )
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _completeness_by_units(
    engine: Engine, period: str, by: Sequence[str], filters: Filters
) -> pd.DataFrame:
    """completeness from the expected units each joined to its submission: whether a unit
    reported is read from the submissions' (unit, period) index alone."""
    source, cols, _, submission = _base(engine, period, filters)
    group = [g for name in by for g in _GROUP_COLUMNS[name]]
    query = source.with_only_columns(
        *(cols[g].label(g) for g in group),
        func.count().label("expected"),
        func.count(submission).label("received"),
    )
    if group:
        query = query.group_by(*(cols[g] for g in group)).order_by(*(cols[g] for g in group))
    with engine.connect() as conn:
        frame = frame_of(conn.execute(query))
    return _completeness_frame(frame)


def _completeness_frame(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("expected", "received"):
        frame[col] = pd.to_numeric(frame[col]).fillna(0).astype("int64")
    frame["reporting_rate"] = (
        100 * frame["received"] / frame["expected"].where(frame["expected"] > 0)
    )
    return frame


@dataclass
class Overview:
    total: pd.DataFrame  # one row: the `rates` columns
    by_agency: pd.DataFrame
    by_province: pd.DataFrame


def overview(engine: Engine, period: str, filters: Filters | None = None) -> Overview:
    """`rates` in total, by agency and by province, from one pass over the expected units."""
    cells = rates(engine, period, ("agency", "province"), filters)

    def summed(keys: list[str]) -> pd.DataFrame:
        grouped = (
            cells.groupby(keys, sort=True)[COUNTS].sum().reset_index()
            if keys
            else (cells[COUNTS].sum().to_frame().T.astype("int64"))
        )
        return _with_rates(grouped)

    return Overview(
        summed([]),
        summed(["agency_code", "agency_name"]),
        summed(["province_code", "province_name"]),
    )


def _with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    frame["received"] = frame["on_time"] + frame["late"]
    frame["reporting_rate"] = (
        100 * frame["received"] / frame["expected"].where(frame["expected"] > 0)
    )
    frame["on_time_rate"] = 100 * frame["on_time"] / frame["received"].where(frame["received"] > 0)
    return frame
