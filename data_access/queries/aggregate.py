"""Filtered aggregates as DataFrames. Aggregation happens in the database.

Dashboards read `submission_summary` (period × agency × province × level); only views that need
single units read `submissions`. Both give the same sums (tests check it). Rules that hold for
every query here:
- one kind of period at a time (semi-annual or annual), so a semi-annual and an annual report of
  the same year are never added;
- grouped without a period, each group's stock indicators (and its unit counts) are read at its
  own latest period with reports in the selection (`stock_period`): an agency that stopped
  reporting in 2024 keeps its 2024 staff beside its summed flows, and an open-ended range whose
  last period has no report yet still has stocks. Flow indicators sum over the selected periods;
- provinces are grouped in the 2025 set (legacy units rolled up through the mapping) or in the
  legacy set as the units recorded them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Connection,
    Engine,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from data_access.db import catalogue as catalogue_mod
from data_access.db.catalogue import FEMALE_PCT_SUFFIX, Catalogue
from data_access.db.engine import frame_of
from data_access.db.models import Agency, Period, Province, Report, Unit
from data_access.db.value_tables import DECIMAL_PRECISION, ExactDecimal, decimal_type, tables
from data_access.domain.filters import Filters
from data_access.domain.formats import VALUE_DECIMAL_PLACES
from data_access.domain.province_sets import REFORM_DATE, province_column

DIMENSIONS = ("period", "agency", "province", "level", "unit")
FEMALE_LEADER_PCT = "female_key_leader_units_pct"


def unit_filters(query: Any, f: Filters, province: Any, level: Any = None) -> Any:
    """Narrow a query joined to Agency and a province alias (and to Unit, unless `level` names the
    level column of a summary table) by agency within the scope, province, level and unit: the
    same rules for every query below the summary of submissions."""
    agencies = f.agency_codes()
    if agencies is not None:
        query = query.where(Agency.code.in_(sorted(agencies)))
    if f.provinces:
        query = query.where(province.c.code.in_(f.provinces))
    if f.levels:
        query = query.where((Unit.level if level is None else level).in_(f.levels))
    if f.units and level is None:
        query = query.where(Unit.code.in_(f.units))
    return query


# --- aggregates ----------------------------------------------------------------------------------


@dataclass
class _Resolved:
    period_ids: list[int]
    latest_period_id: int | None
    agency_ids: list[int] | None
    province_ids: list[int] | None
    # Every selected period ended before the 2025 reorganisation: a unit is named under the
    # province it recorded then (a 2022 report does not put a district unit under its 2025 city).
    before_reform: bool = False


def _ids(conn: Connection, query: Select[Any]) -> list[int]:
    return list(conn.execute(query).scalars())


def _selected_ids(conn: Connection, f: Filters) -> tuple[list[int] | None, list[int] | None]:
    """The ids of the agencies (within the scope) and provinces (in the chosen code set) the
    filters name; None where they name none (every one)."""
    agency_codes = f.agency_codes()
    agency_ids = (
        _ids(conn, select(Agency.id).where(Agency.code.in_(sorted(agency_codes))))
        if agency_codes is not None
        else None
    )
    province_ids = (
        _ids(
            conn,
            select(Province.id).where(
                Province.code_set == f.province_set, Province.code.in_(f.provinces)
            ),
        )
        if f.provinces
        else None
    )
    return agency_ids, province_ids


def period_conditions(f: Filters) -> list[ColumnElement[bool]]:
    """The periods the filters select, as conditions on `Period`: the codes named, else the kind
    within the years."""
    if f.periods:
        return [Period.code.in_(f.periods)]
    conditions = [Period.kind == f.period_kind]
    if f.year_from is not None:
        conditions.append(Period.year >= f.year_from)
    if f.year_to is not None:
        conditions.append(Period.year <= f.year_to)
    return conditions


def _resolve(conn: Connection, f: Filters) -> _Resolved:
    """Turn codes into ids with small lookups, so the big query filters on indexed integers.

    The periods come with their end dates: one statement fewer than asking for the last end
    apart (each is a round trip on PostgreSQL, and every aggregate resolves)."""
    pq = select(Period.id, Period.end_date).order_by(Period.year, Period.kind)
    periods = conn.execute(pq.where(*period_conditions(f))).all()
    period_ids = [period_id for period_id, _ in periods]
    agency_ids, province_ids = _selected_ids(conn, f)
    last_end = max((end for _, end in periods if end is not None), default=None)
    return _Resolved(
        period_ids,
        period_ids[-1] if period_ids else None,
        agency_ids,
        province_ids,
        before_reform=last_end is not None and last_end < REFORM_DATE,
    )


def aggregate(
    engine: Engine,
    filters: Filters,
    by: Sequence[str] = ("period",),
    indicators: Sequence[str] | None = None,
    units_in_period_set: bool = False,
    zero: str | None = None,
    named: bool = True,
    order: Sequence[str] = (),
    limit: int | None = None,
) -> pd.DataFrame:
    """Sums of `indicators` (default: all) grouped `by` dimensions, with female shares.

    `named=False`: without the dimension columns, in no order (a spread of fifty thousand
    units needs their figures, not their names).

    `order` (dimension columns, e.g. agency_code, province_name, unit_name) sorts in the database
    instead of by the grouping, and `limit` keeps that many first rows: a screen's first
    thousand units, not fifty thousand read to show a thousand.

    `zero`: one of `indicators`; only the groups whose figure for it is 0 (the units without a
    woman among key leaders: a few of fifty thousand rows, picked in the database).

    `units_in_period_set`: grouped by unit over periods that all ended before the 2025
    reorganisation, each unit is named under the province it recorded then (a unit table of a
    2022 report does not put a district unit under its 2025 city); filtering still follows the
    selected set.

    Columns: the dimension columns (period, year, agency_code, agency_name, province_code,
    province_set, province_name, region_name, level, unit_code, unit_name, as grouped), n_units,
    n_female_key_leader, n_key_leaders_reported, female_key_leader_units_pct, every indicator code
    and `<pair>_female_pct` (0–100) for each pair whose two sides are present.
    """
    if unknown := set(by) - set(DIMENSIONS):
        raise ValueError(f"unknown dimensions: {sorted(unknown)}")
    with engine.connect() as conn:
        catalogue = catalogue_mod.load(conn)
        codes = list(indicators) if indicators is not None else catalogue.codes
        if unknown := set(codes) - set(catalogue.codes):
            raise ValueError(f"unknown indicators: {sorted(unknown)}")
        if zero is not None and zero not in codes:
            raise ValueError(f"zero={zero!r} is not among the indicators")
        resolved = _resolve(conn, filters)
        if not resolved.period_ids or resolved.agency_ids == [] or resolved.province_ids == []:
            return _empty(by if named else (), codes, catalogue)
        resolved.before_reform &= units_in_period_set
        per_entity = "period" not in by and len(resolved.period_ids) > 1
        query_by = [*by, "period"] if per_entity else list(by)
        if zero is not None and per_entity:
            # Across periods a group's figure is its latest period's: known after the query.
            raise ValueError("zero needs one period or grouping by period")
        if not named and (per_entity or "unit" not in by):
            raise ValueError("named=False is for units at one period, or by unit and period")
        if (order or limit is not None) and per_entity:
            raise ValueError("order and limit need one period or grouping by period")
        if unknown := set(order) - set(_dimension_columns(by)):
            raise ValueError(f"unknown order columns: {sorted(unknown)}")

        def ordered(unit_ids: Select[Any] | None = None) -> Select[Any]:
            query = _aggregate_query(
                catalogue, filters, resolved, query_by, codes, zero, named, unit_ids
            )
            if order:
                columns = query.selected_columns
                query = query.order_by(None).order_by(*(columns[name] for name in order))
            return query if limit is None else query.limit(limit)

        frame = None
        if limit is not None and tuple(by) == ("unit",) and tuple(order[:2]) == LEADING_ORDER:
            leading = _leading_units(conn, catalogue, filters, resolved, zero, limit)
            if leading is not None:
                frame = frame_of(conn.execute(ordered(leading)))
                if len(frame) < limit:  # the summary counted more than the units hold
                    frame = None
        if frame is None:
            frame = frame_of(conn.execute(ordered()))
    if frame.empty:
        return _empty(by if named else (), codes, catalogue)
    if per_entity:
        frame = _stocks_at_each_latest(frame, by, codes, catalogue)
    return with_shares(frame, catalogue, codes)


def unit_figures(engine: Engine, filters: Filters, indicators: Sequence[str]) -> pd.DataFrame:
    """One row per unit of the selection at its one period: only the whole-number `indicators`,
    as floats (blank: NaN), unnamed and in no order. For a spread of units, where aggregate's
    counts, casts and row-by-row reading of fifty thousand units cost more than the query.

    The same rows as aggregate(by=("unit",), named=False) (tests/test_gender_ratio_fast.py)."""
    with engine.connect() as conn:
        catalogue = catalogue_mod.load(conn)
        codes = list(indicators)
        if unknown := set(codes) - set(catalogue.codes):
            raise ValueError(f"unknown indicators: {sorted(unknown)}")
        if decimal := [c for c in codes if catalogue.by_code[c].value_type == "decimal"]:
            raise ValueError(f"decimal indicators are read exactly by aggregate: {decimal}")
        resolved = _resolve(conn, filters)
        if not resolved.period_ids or resolved.agency_ids == [] or resolved.province_ids == []:
            return pd.DataFrame({c: pd.Series(dtype="float64") for c in codes})
        if len(resolved.period_ids) > 1:
            raise ValueError("unit_figures reads one period")
        query = _aggregate_query(catalogue, filters, resolved, ["unit"], codes, named=False)
        columns = query.selected_columns
        query = query.with_only_columns(*(columns[c] for c in codes))
        if not filters.include_unapproved:
            # In unit order SQLite walks the period's rows by the (period, unit) index, close to
            # the order they are stored in; with no order it took the (period, received) index
            # and read them scattered (one agency's units at a million submissions: 110 → 40 ms
            # of CPU). PostgreSQL reads them as before and sorts 26,000 numbers (~1 ms).
            query = query.order_by(tables(catalogue)[0].c.unit_id)
        # The driver's rows as they come: whole numbers and None, read straight into floats.
        rows = conn.execute(query).cursor.fetchall()
    values = np.array(rows, dtype="float64").reshape(len(rows), len(codes))
    return pd.DataFrame(values, columns=codes)


# Units ordered by agency and province (then anything) with a limit are read only from the
# (agency, province) groups that hold the first rows: the first thousand of fifty thousand units
# are in a few provinces, and sorting every unit of the period was most of the leadership page
# (issue #18; 75 ms → 7 ms on SQLite at a million submissions).
LEADING_ORDER = ("agency_code", "province_name")


def _leading_units(
    conn: Connection,
    catalogue: Catalogue,
    f: Filters,
    r: _Resolved,
    zero: str | None,
    limit: int,
) -> Select[Any] | None:
    """The ids of the units in the (agency, province) groups, in LEADING_ORDER, whose rows
    counted in the summary reach `limit` (with every group tied with the last), as a subquery;
    None when every group is needed or the rows cannot be counted there.

    The caller checks that the units read hold `limit` rows: a summary counting more than the
    units hold only costs the full read, never a row."""
    if f.units:
        return None
    if zero is None:
        counted = "n_submissions"
    elif zero == "key_leaders_female":  # reported less those with a woman: the zeros
        counted = "n_key_leaders_reported"
    else:
        return None
    _, summary = tables(catalogue)
    source = _overlaid_summary(catalogue, [], r) if f.include_unapproved else summary
    # Named as _aggregate_query names a unit's province (by its recorded one before the reform).
    named_in_summary = (
        source.c.province_id if r.before_reform else province_column(source.c, f.province_set)
    )
    named_unit = Unit.province_id if r.before_reform else province_column(Unit, f.province_set)
    n: ColumnElement[Any] = func.sum(source.c[counted])
    if zero is not None:
        n = n - func.sum(source.c.n_female_key_leader)
    prov = Province.__table__.alias("prov")
    query = (
        select(Agency.id, Agency.code, prov.c.id, prov.c.short_name, cast(n, BigInteger))
        .select_from(source)
        .join(Agency, Agency.id == source.c.agency_id)
        .join(prov, prov.c.id == named_in_summary)
        .where(source.c.period_id.in_(r.period_ids))
        .group_by(Agency.id, Agency.code, prov.c.id, prov.c.short_name)
        # The database's own order (its collation), as the units' query sorts.
        .order_by(Agency.code, prov.c.short_name)
    )
    if r.agency_ids is not None:
        query = query.where(source.c.agency_id.in_(r.agency_ids))
    if r.province_ids is not None:
        query = query.where(province_column(source.c, f.province_set).in_(r.province_ids))
    if f.levels:
        query = query.where(source.c.level.in_(f.levels))
    groups = conn.execute(query).all()
    chosen: dict[int, list[int]] = {}
    total, last = 0, None
    for agency_id, agency_code, province_id, province_name, count in groups:
        if last is not None and (agency_code, province_name) != last:
            break
        chosen.setdefault(agency_id, []).append(province_id)
        total += count or 0
        if last is None and total >= limit:
            last = (agency_code, province_name)
    if last is None or sum(map(len, chosen.values())) == len(groups):
        return None
    return select(Unit.id).where(
        or_(*(and_(Unit.agency_id == a, named_unit.in_(ids)) for a, ids in chosen.items()))
    )


def unit_rows(
    conn: Connection,
    catalogue: Catalogue,
    filters: Filters,
    codes: Sequence[str],
    unit_ids: Select[Any] | CompoundSelect | None = None,
) -> Select[Any] | None:
    """The rows `aggregate(filters, by=("unit",))` reads, unnamed, for one period: a unit's
    n_units (1), leader counts and `codes` as that aggregate gives them, with its unit_id,
    successor_id and active_to, for a query to sum in the database. The same selection rules
    (scope, province set, levels, units, submitted reports standing in), because it is the same
    query. `unit_ids` (a select of unit ids) keeps those units' rows only, found by their
    (unit, period) index. None when the selection has no period, agency or province."""
    r = _resolve(conn, filters)
    if not r.period_ids or r.agency_ids == [] or r.province_ids == []:
        return None
    if len(r.period_ids) > 1:
        raise ValueError("unit_rows reads one period")
    return _unit_rows_query(catalogue, filters, r, codes, unit_ids)


def _unit_rows_query(
    catalogue: Catalogue,
    filters: Filters,
    r: _Resolved,
    codes: Sequence[str],
    unit_ids: Select[Any] | CompoundSelect | None,
) -> Select[Any]:
    query = _aggregate_query(
        catalogue, filters, r, ["unit"], list(codes), named=False, unit_ids=unit_ids
    )
    return query.add_columns(
        Unit.id.label("unit_id"),
        Unit.successor_id.label("successor_id"),
        Unit.active_to.label("active_to"),
    )


def period_queries(
    conn: Connection,
    catalogue: Catalogue,
    filters: Filters,
    codes: Sequence[str],
    unit_ids: Select[Any] | CompoundSelect | None = None,
) -> tuple[Select[Any], Select[Any]] | None:
    """For the selection at its one period, its codes resolved once: the total row (n_units,
    the leader counts and `codes` summed as `aggregate(filters, by=("period",))` sums them: the
    summary of submissions, or single units' rows for a selection of units) and the rows
    `unit_rows` gives, narrowed to `unit_ids`. None when the selection has no period, agency or
    province."""
    r = _resolve(conn, filters)
    if not r.period_ids or r.agency_ids == [] or r.province_ids == []:
        return None
    if len(r.period_ids) > 1:
        raise ValueError("period_queries reads one period")
    total = _aggregate_query(catalogue, filters, r, [], list(codes))
    return total, _unit_rows_query(catalogue, filters, r, codes, unit_ids)


def unit_conditions(
    conn: Connection, filters: Filters
) -> Callable[[Any], list[ColumnElement[bool]]] | None:
    """What a unit of the selection meets, as the queries above narrow their rows (agency within
    the scope, province in the chosen set, level, unit code), for the Unit model or an alias of
    it passed to the function returned. None when no unit can be selected (no such agency or
    province)."""
    agency_ids, province_ids = _selected_ids(conn, filters)
    if agency_ids == [] or province_ids == []:
        return None

    def conditions(unit: Any) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if agency_ids is not None:
            out.append(unit.agency_id.in_(agency_ids))
        if province_ids is not None:
            out.append(province_column(unit, filters.province_set).in_(province_ids))
        if filters.levels:
            out.append(unit.level.in_(filters.levels))
        if filters.units:
            out.append(unit.code.in_(filters.units))
        return out

    return conditions


PERIOD_COLUMNS = ["period", "year", "period_kind"]


def _stocks_at_each_latest(
    frame: pd.DataFrame, by: Sequence[str], codes: Sequence[str], catalogue: Catalogue
) -> pd.DataFrame:
    """Rows by group and period → one row per group: stocks and unit counts of the group's latest
    period (named in `stock_period`), flows summed over every period."""
    keys = [c for c in _dimension_columns(by) if c in frame]
    ordered = frame.sort_values(["year", "period_kind"], kind="stable")
    flows = [c for c in codes if catalogue.by_code[c].kind != "stock"]
    if keys:
        # Each group's last row in period order (blank keys a group of their own, as grouped).
        # Headline figures are all stocks: then nothing is summed or joined (half of the cost of
        # an agency's rows over five periods, issue #18).
        out = ordered.drop_duplicates(keys, keep="last")
        if flows:
            summed = ordered.groupby(keys, sort=False, dropna=False)[flows].sum(min_count=1)
            out = out.drop(columns=flows).set_index(keys).join(summed).reset_index()
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
        [*keys, "stock_period", *(c for c in frame.columns if c not in keys + PERIOD_COLUMNS)]
    ]


def _aggregate_query(
    catalogue: Catalogue,
    f: Filters,
    r: _Resolved,
    by: list[str],
    codes: list[str],
    zero: str | None = None,
    named: bool = True,
    unit_ids: Select[Any] | CompoundSelect | None = None,
) -> Select[Any]:
    """The aggregate's query; `unit_ids` (a subquery of unit ids) narrows the rows of a query
    by unit to those units."""
    submissions, summary = tables(catalogue)
    by_unit = "unit" in by or bool(f.units)
    source: Any
    if by_unit:
        rows: Any = _effective_rows(catalogue, codes, r) if f.include_unapproved else submissions
        source = rows.join(Unit, Unit.id == rows.c.unit_id)
        dims: dict[str, Any] = {
            "period_id": rows.c.period_id,
            "agency_id": Unit.agency_id,
            "province_id": Unit.province_id,
            "current_province_id": Unit.current_province_id,
            "level": Unit.level,
        }
        values = rows.c
        # Per-row counts, summed below like any stock.
        leaders = values.get("key_leaders_female")
        counts: dict[str, ColumnElement[Any]] = {
            "n_units": literal(1),
            "n_female_key_leader": case((leaders > 0, 1), else_=0)
            if leaders is not None
            else literal(0),
            "n_key_leaders_reported": case((leaders.is_not(None), 1), else_=0)
            if leaders is not None
            else literal(0),
        }
    else:
        source = _overlaid_summary(catalogue, codes, r) if f.include_unapproved else summary
        dims = {
            name: source.c[name]
            for name in ("period_id", "agency_id", "province_id", "current_province_id", "level")
        }
        values = source.c
        counts = {
            "n_units": values.n_submissions,
            "n_female_key_leader": values.n_female_key_leader,
            "n_key_leaders_reported": values.n_key_leaders_reported,
        }

    latest_only = "period" not in by and len(r.period_ids) > 1
    # Grouped by unit at one period (or by unit and period), each group is one row: a unit has
    # one submission, or one submitted report standing in for it, a period. Its figures are read
    # as they are, without GROUP BY: sorting 26,000 groups on nine text columns was two thirds
    # of the query on SQLite (120 ms → 45 ms for one agency's units at a million submissions).
    one_row_each = "unit" in by and not latest_only
    province_col = province_column(SimpleNamespace(**dims), f.province_set)

    def total(expr: ColumnElement[Any], stock: bool, decimal: bool = False) -> ColumnElement[Any]:
        # Grouped across periods, a stock is read at the latest period, a flow is summed.
        summed: ColumnElement[Any]
        if one_row_each:
            summed = expr
        elif latest_only and stock:
            summed = func.sum(case((dims["period_id"] == r.latest_period_id, expr)))
        else:
            summed = func.sum(expr)
        # PostgreSQL sums bigints as numeric; cast so both backends return plain numbers. A
        # decimal sum stays exact (numeric) and is read as a Decimal at the stored places.
        if decimal:
            return type_coerce(cast(summed, decimal_type(summed=True)), ExactDecimal())
        return cast(summed, BigInteger)

    measures = [total(expr, stock=True).label(name) for name, expr in counts.items()]
    totals: dict[str, ColumnElement[Any]] = {}
    for code in codes:
        ind = catalogue.by_code[code]
        totals[code] = total(values[code], ind.kind == "stock", ind.value_type == "decimal")
        measures.append(totals[code].label(code))

    group_cols: list[Any] = []
    select_cols: list[Any] = []
    joins: list[tuple[Any, Any]] = []
    if "period" in by:
        joins.append((Period, Period.id == dims["period_id"]))
        group_cols += [Period.code, Period.year, Period.kind]
        select_cols += [
            Period.code.label("period"),
            Period.year.label("year"),
            Period.kind.label("period_kind"),
        ]
    if "agency" in by or "unit" in by:
        joins.append((Agency, Agency.id == dims["agency_id"]))
        group_cols += [Agency.code, Agency.name]
        select_cols += [Agency.code.label("agency_code"), Agency.name.label("agency_name")]
    if "province" in by or "unit" in by:
        prov = Province.__table__.alias("prov")
        named_by = (
            dims["province_id"]
            if "unit" in by and "province" not in by and r.before_reform
            else province_col
        )
        joins.append((prov, prov.c.id == named_by))
        group_cols += [prov.c.code, prov.c.code_set, prov.c.short_name, prov.c.region_name]
        select_cols += [
            prov.c.code.label("province_code"),
            prov.c.code_set.label("province_set"),
            prov.c.short_name.label("province_name"),
            prov.c.region_name.label("region_name"),
        ]
    if "level" in by or "unit" in by:
        group_cols.append(dims["level"])
        select_cols.append(dims["level"].label("level"))
    if "unit" in by:
        group_cols += [Unit.code, Unit.name]
        select_cols += [Unit.code.label("unit_code"), Unit.name.label("unit_name")]

    if not named:  # one row a unit (aggregate checks): nothing to name, group or join
        select_cols, joins, group_cols = [], [], []
    query = select(*select_cols, *measures).select_from(source)
    for target, on in joins:
        query = query.join(target, on)
    query = query.where(dims["period_id"].in_(r.period_ids))
    if r.agency_ids is not None:
        query = query.where(dims["agency_id"].in_(r.agency_ids))
    if r.province_ids is not None:
        query = query.where(province_col.in_(r.province_ids))
    if f.levels:
        query = query.where(dims["level"].in_(f.levels))
    if f.units:
        query = query.where(Unit.code.in_(f.units))
    if unit_ids is not None:
        if not by_unit:
            raise ValueError("unit_ids narrows a query by unit")
        # On the rows' own unit_id: the (period_id, unit_id) index finds just those rows.
        query = query.where(values.unit_id.in_(unit_ids))
    if one_row_each:
        query = query.order_by(*group_cols) if named else query
        if zero is not None:
            query = query.where(totals[zero] == 0)
        return query
    if group_cols:
        query = query.group_by(*group_cols).order_by(*group_cols)
    if zero is not None:
        query = query.having(totals[zero] == 0)
    return query


# --- "gồm báo cáo chưa duyệt": submitted reports over the accepted figures ----------------------
#
# A submitted report stands in for its unit's accepted submission of the same period, if any.
# Unit by unit: the submissions without a submitted report, plus the submitted reports. Over the
# summary (which keeps accepted figures only): its rows, plus each submitted report, minus the
# accepted submission it stands in for — a few rows per report, not a scan of the submissions.
# One difference from a recount: a cell whose only figure is replaced by a blank reads 0, not blank.


def _pending() -> ColumnElement[bool]:
    return (Report.state == "submitted") & Report.figures.is_not(None)


def _value_codes(catalogue: Catalogue, codes: Sequence[str]) -> list[str]:
    """The codes to carry row by row: those asked for, and what the leader counts read."""
    extra = ["key_leaders_female"] if "key_leaders_female" in catalogue else []
    return list(dict.fromkeys([*codes, *extra]))


def _report_rows(catalogue: Catalogue, codes: Sequence[str], r: _Resolved) -> Select[Any]:
    """unit_id, period_id and the figures of the submitted reports of the selected periods."""
    values = []
    for code in codes:
        figure = Report.figures[code]
        decimal = catalogue.by_code[code].value_type == "decimal"
        value = (
            figure.as_numeric(DECIMAL_PRECISION, VALUE_DECIMAL_PLACES)
            if decimal
            else figure.as_integer()
        )
        values.append(value.label(code))
    return select(
        Report.unit_id.label("unit_id"), Report.period_id.label("period_id"), *values
    ).where(_pending(), Report.period_id.in_(r.period_ids))


def _covered(submissions: Any) -> ColumnElement[bool]:
    """A submission that a submitted report stands in for."""
    return (
        select(Report.id)
        .where(
            Report.unit_id == submissions.c.unit_id,
            Report.period_id == submissions.c.period_id,
            _pending(),
        )
        .exists()
    )


def _effective_rows(catalogue: Catalogue, codes: Sequence[str], r: _Resolved) -> Any:
    """The submissions as they would be if every submitted report were accepted."""
    submissions, _ = tables(catalogue)
    carried = _value_codes(catalogue, codes)
    accepted = select(
        submissions.c.unit_id,
        submissions.c.period_id,
        *(submissions.c[code] for code in carried),
    ).where(submissions.c.period_id.in_(r.period_ids), ~_covered(submissions))
    return union_all(accepted, _report_rows(catalogue, carried, r)).subquery("effective")


def _overlaid_summary(catalogue: Catalogue, codes: Sequence[str], r: _Resolved) -> Any:
    """The summary's rows plus, per submitted report, its figures in and the accepted figures
    it stands in for out, in the summary's columns."""
    submissions, summary = tables(catalogue)
    carried = _value_codes(catalogue, codes)
    dims = [Unit.agency_id, Unit.province_id, Unit.level, Unit.current_province_id]

    def rows(source: Any, sign: int) -> Select[Any]:
        leaders = source.c.get("key_leaders_female")
        has_woman = case((leaders > 0, sign), else_=0) if leaders is not None else literal(0)
        reported = (
            case((leaders.is_not(None), sign), else_=0) if leaders is not None else literal(0)
        )
        return select(
            source.c.period_id,
            *dims,
            literal(sign).label("n_submissions"),
            has_woman.label("n_female_key_leader"),
            reported.label("n_key_leaders_reported"),
            *((source.c[code] * sign).label(code) for code in codes),
        ).join_from(source, Unit, Unit.id == source.c.unit_id)

    reports = _report_rows(catalogue, carried, r).subquery("reports")
    replaced = (
        select(submissions.c.unit_id, submissions.c.period_id, *(submissions.c[c] for c in carried))
        .where(submissions.c.period_id.in_(r.period_ids), _covered(submissions))
        .subquery("replaced")
    )
    stored = select(
        summary.c.period_id,
        summary.c.agency_id,
        summary.c.province_id,
        summary.c.level,
        summary.c.current_province_id,
        summary.c.n_submissions,
        summary.c.n_female_key_leader,
        summary.c.n_key_leaders_reported,
        *(summary.c[code] for code in codes),
    ).where(summary.c.period_id.in_(r.period_ids))
    return union_all(stored, rows(reports, 1), rows(replaced, -1)).subquery("overlaid")


def unapproved_count(engine: Engine, filters: Filters) -> int:
    """How many submitted reports the selection includes (0 with the switch off): the caption
    under the switch."""
    if not filters.include_unapproved:
        return 0
    with engine.connect() as conn:
        r = _resolve(conn, filters)
        if not r.period_ids or r.agency_ids == [] or r.province_ids == []:
            return 0
        query = (
            select(func.count())
            .select_from(Report)
            .join(Unit, Unit.id == Report.unit_id)
            .where(_pending(), Report.period_id.in_(r.period_ids))
        )
        if r.agency_ids is not None:
            query = query.where(Unit.agency_id.in_(r.agency_ids))
        if r.province_ids is not None:
            query = query.where(province_column(Unit, filters.province_set).in_(r.province_ids))
        if filters.levels:
            query = query.where(Unit.level.in_(filters.levels))
        if filters.units:
            query = query.where(Unit.code.in_(filters.units))
        return int(conn.execute(query).scalar_one())


COUNT_COLUMNS = ("n_units", "n_female_key_leader", "n_key_leaders_reported")


def with_shares(frame: pd.DataFrame, catalogue: Catalogue, codes: Sequence[str]) -> pd.DataFrame:
    """Add `<pair>_female_pct` and the share of units with a woman among key leaders (0–100).

    Computed on the columns' arrays and put in one new frame: column by column through pandas
    it cost 2–5 ms for five rows, on every aggregate (tests/test_overview_fast.py compares it
    with that former computation)."""
    columns: dict[str, Any] = {name: frame[name] for name in frame.columns}
    for col in COUNT_COLUMNS:
        columns[col] = _counts(frame[col])
    with np.errstate(divide="ignore", invalid="ignore"):
        for pair in catalogue.pairs.values():
            if pair.total in codes and pair.female in codes:
                total = _numbers(frame[pair.total]).astype("float64")
                female = _numbers(frame[pair.female])
                columns[pair.pct_column] = _share(female, total)
        reported = columns["n_key_leaders_reported"]
        columns[FEMALE_LEADER_PCT] = _share(columns["n_female_key_leader"], reported)
    return pd.DataFrame(columns, index=frame.index)


def _counts(values: pd.Series) -> np.ndarray:
    """Whole counts, blank as 0."""
    if values.dtype == "int64":
        return values.to_numpy()
    return pd.to_numeric(values).fillna(0).astype("int64").to_numpy()


def _numbers(values: pd.Series) -> np.ndarray:
    """Numbers, anything else (blank, text) NaN."""
    if values.dtype.kind in "iuf":
        return values.to_numpy()
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """100 × part / whole as floats; NaN where the whole is not above 0 (nobody counted)."""
    return np.asarray(100 * part / np.where(whole > 0, whole, np.nan), dtype="float64")


def _dimension_columns(by: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(c for d in by for c in _DIMENSION_COLUMNS[d]))


def _empty(by: Sequence[str], codes: Sequence[str], catalogue: Catalogue) -> pd.DataFrame:
    columns = _dimension_columns(by)
    columns += ["n_units", "n_female_key_leader", "n_key_leaders_reported", *codes]
    frame = pd.DataFrame(columns=columns)
    return with_shares(frame, catalogue, codes)


_DIMENSION_COLUMNS = {
    "period": ["period", "year", "period_kind"],
    "agency": ["agency_code", "agency_name"],
    "province": ["province_code", "province_set", "province_name", "region_name"],
    "level": ["level"],
    "unit": [
        "agency_code",
        "agency_name",
        "province_code",
        "province_set",
        "province_name",
        "region_name",
        "level",
        "unit_code",
        "unit_name",
    ],
}


def female_pct_columns(catalogue: Catalogue, codes: Sequence[str] | None = None) -> list[str]:
    present = set(codes) if codes is not None else set(catalogue.codes)
    return [p.pct_column for p in catalogue.pairs.values() if {p.total, p.female} <= present]


__all__ = [
    "DIMENSIONS",
    "FEMALE_LEADER_PCT",
    "FEMALE_PCT_SUFFIX",
    "aggregate",
    "female_pct_columns",
    "period_queries",
    "unapproved_count",
    "unit_conditions",
    "unit_filters",
    "unit_rows",
]
