"""Filtered aggregates as DataFrames. Aggregation happens in the database.

Dashboards read `submission_summary` (period × agency × province × level); only views that need
single units read `submissions`. Both give the same sums (tests check it). Rules that hold for
every query here:
- one kind of period at a time (semi-annual or annual), so a semi-annual and an annual report of
  the same year are never added;
- grouped without a period, stock indicators take the latest period of the selection and flow
  indicators sum over the selected periods;
- provinces are grouped in the 2025 set (legacy units rolled up through the mapping) or in the
  legacy set as the units recorded them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    Float,
    Select,
    case,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from data_access.db import catalogue_store
from data_access.db.engine import frame_of
from data_access.db.models import LEVELS, Agency, Period, Province, Unit
from data_access.db.value_tables import tables
from data_access.domain.catalogue import FEMALE_PCT_SUFFIX, Catalogue
from data_access.domain.province_sets import ProvinceSet, province_column

DIMENSIONS = ("period", "agency", "province", "level", "unit")
LEVEL_LABELS_VI = {
    "central": "Trung ương",
    "provincial": "Cấp tỉnh",
    "district": "Cấp huyện",
    "regional": "Khu vực",
}
FEMALE_LEADER_PCT = "female_key_leader_units_pct"


@dataclass(frozen=True)
class Filters:
    """What the user selected. Empty tuples mean "all". Hashable, so it can key a cache."""

    period_kind: str = "Y"
    year_from: int | None = None
    year_to: int | None = None
    periods: tuple[str, ...] = ()  # explicit period codes; overrides kind and years
    agencies: tuple[str, ...] = ()
    province_set: ProvinceSet = ProvinceSet.CURRENT
    provinces: tuple[str, ...] = ()  # codes in `province_set`
    levels: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # unit codes
    # Agency scope of the signed-in user (empty: every agency); applied on top of `agencies`.
    scope: tuple[str, ...] = field(default=(), compare=True)

    def __post_init__(self) -> None:
        if self.period_kind not in ("H1", "Y"):
            raise ValueError(f"period_kind must be H1 or Y, not {self.period_kind!r}")
        if self.province_set not in set(ProvinceSet):
            raise ValueError(f"province_set must be one of {[s.value for s in ProvinceSet]}")
        # Callers may pass the stored value ("legacy"): keep the enum member, so `is` works.
        object.__setattr__(self, "province_set", ProvinceSet(self.province_set))
        if unknown := set(self.levels) - set(LEVELS):
            raise ValueError(f"unknown levels: {sorted(unknown)}")

    def with_(self, **changes: Any) -> Filters:
        return replace(self, **changes)

    def agency_codes(self) -> set[str] | None:
        """The agencies selected within the user's scope; None means every agency."""
        chosen = set(self.agencies) or None
        if self.scope:
            chosen = (chosen or set(self.scope)) & set(self.scope)
        return chosen


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


def scoped(filters: Filters, identity: Any) -> Filters:
    """The filters narrowed to what `identity` (a data_access.auth.Identity) may see."""
    return filters.with_(scope=tuple(identity.agencies)) if identity is not None else filters


def data_version(engine: Engine) -> str:
    """Changes whenever an upload or rollback changes the data, in any process: caches key on it."""
    from data_access.db.models import UploadBatch

    with engine.connect() as conn:
        last, rolled, count = conn.execute(
            select(func.max(UploadBatch.id), func.max(UploadBatch.rolled_back_at), func.count())
        ).one()
    return f"{last}:{rolled}:{count}"


def load_catalogue(engine: Engine) -> Catalogue:
    with engine.connect() as conn:
        return catalogue_store.load(conn)


# --- lookups -------------------------------------------------------------------------------------


def _frame(conn: Connection, query: Any) -> pd.DataFrame:
    result = conn.execute(query)
    return frame_of(result)


def agencies(engine: Engine) -> pd.DataFrame:
    """code, name, name_en, active_to."""
    with engine.connect() as conn:
        return _frame(
            conn,
            select(Agency.code, Agency.name, Agency.name_en, Agency.active_to).order_by(Agency.id),
        )


def provinces(engine: Engine, province_set: ProvinceSet = ProvinceSet.CURRENT) -> pd.DataFrame:
    """code, name, short_name, region_code, region_name, lat, lon, current_code, current_name."""
    current = Province.__table__.alias("current")
    with engine.connect() as conn:
        return _frame(
            conn,
            select(
                Province.code,
                Province.name,
                Province.short_name,
                Province.region_code,
                Province.region_name,
                Province.lat,
                Province.lon,
                current.c.code.label("current_code"),
                current.c.short_name.label("current_name"),
            )
            .join(current, current.c.id == Province.current_id)
            .where(Province.code_set == province_set)
            .order_by(Province.code),
        )


def periods(engine: Engine, kind: str | None = None, with_data: bool = True) -> pd.DataFrame:
    """code, year, kind, start_date, end_date, due_date: the periods (with data, by default)."""
    _, summary = tables(load_catalogue(engine))
    query = select(
        Period.code, Period.year, Period.kind, Period.start_date, Period.end_date, Period.due_date
    ).order_by(Period.year, Period.kind)
    if kind:
        query = query.where(Period.kind == kind)
    if with_data:
        query = query.where(Period.id.in_(select(summary.c.period_id).distinct()))
    with engine.connect() as conn:
        return _frame(conn, query)


def _unit_search(query: Any, search: str | None, agencies: Sequence[str]) -> Any:
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            func.lower(Unit.name).like(pattern) | func.lower(Unit.code).like(pattern)
        )
    if agencies:
        query = query.where(Unit.agency_id.in_(select(Agency.id).where(Agency.code.in_(agencies))))
    return query


def units(
    engine: Engine,
    search: str | None = None,
    agencies: Sequence[str] = (),
    limit: int | None = None,
    code: str | None = None,
) -> pd.DataFrame:
    """code, name, agency_code, level, province_code, province_set, province_name, active_from,
    active_to: units whose name or code contains `search` (case-insensitive), or the unit `code`;
    the first `limit` by name."""
    query = (
        select(
            Unit.code,
            Unit.name,
            Agency.code.label("agency_code"),
            Unit.level,
            Province.code.label("province_code"),
            Province.code_set.label("province_set"),
            Province.short_name.label("province_name"),
            Unit.active_from,
            Unit.active_to,
        )
        .join(Agency, Agency.id == Unit.agency_id)
        .join(Province, Province.id == Unit.province_id)
        .order_by(Unit.name, Unit.active_from)
        .limit(limit)
    )
    if code is not None:
        query = query.where(Unit.code == code)
    with engine.connect() as conn:
        return _frame(conn, _unit_search(query, search, agencies))


def count_units(engine: Engine, search: str | None = None, agencies: Sequence[str] = ()) -> int:
    """How many units `units` would list without a limit."""
    query = _unit_search(select(func.count()).select_from(Unit), search, agencies)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


# --- aggregates ----------------------------------------------------------------------------------


@dataclass
class _Resolved:
    period_ids: list[int]
    latest_period_id: int | None
    agency_ids: list[int] | None
    province_ids: list[int] | None


def _ids(conn: Connection, query: Select[Any]) -> list[int]:
    return list(conn.execute(query).scalars())


def _resolve(conn: Connection, f: Filters) -> _Resolved:
    """Turn codes into ids with small lookups, so the big query filters on indexed integers."""
    pq = select(Period.id).order_by(Period.year, Period.kind)
    if f.periods:
        pq = pq.where(Period.code.in_(f.periods))
    else:
        pq = pq.where(Period.kind == f.period_kind)
        if f.year_from is not None:
            pq = pq.where(Period.year >= f.year_from)
        if f.year_to is not None:
            pq = pq.where(Period.year <= f.year_to)
    period_ids = _ids(conn, pq)
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
    return _Resolved(period_ids, period_ids[-1] if period_ids else None, agency_ids, province_ids)


def aggregate(
    engine: Engine,
    filters: Filters,
    by: Sequence[str] = ("period",),
    indicators: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Sums of `indicators` (default: all) grouped `by` dimensions, with female shares.

    Columns: the dimension columns (period, year, agency_code, agency_name, province_code,
    province_set, province_name, region_name, level, unit_code, unit_name, as grouped), n_units,
    n_female_key_leader, n_key_leaders_reported, female_key_leader_units_pct, every indicator code
    and `<pair>_female_pct` (0–100) for each pair whose two sides are present.
    """
    if unknown := set(by) - set(DIMENSIONS):
        raise ValueError(f"unknown dimensions: {sorted(unknown)}")
    with engine.connect() as conn:
        catalogue = catalogue_store.load(conn)
        codes = list(indicators) if indicators is not None else catalogue.codes
        if unknown := set(codes) - set(catalogue.codes):
            raise ValueError(f"unknown indicators: {sorted(unknown)}")
        resolved = _resolve(conn, filters)
        if not resolved.period_ids or resolved.agency_ids == [] or resolved.province_ids == []:
            return _empty(by, codes, catalogue)
        query = _aggregate_query(catalogue, filters, resolved, list(by), codes)
        frame = _frame(conn, query)
    if frame.empty:
        return _empty(by, codes, catalogue)
    return _with_shares(frame, catalogue, codes)


def _aggregate_query(
    catalogue: Catalogue, f: Filters, r: _Resolved, by: list[str], codes: list[str]
) -> Select[Any]:
    submissions, summary = tables(catalogue)
    by_unit = "unit" in by or bool(f.units)
    source: Any
    if by_unit:
        source = submissions.join(Unit, Unit.id == submissions.c.unit_id)
        dims: dict[str, Any] = {
            "period_id": submissions.c.period_id,
            "agency_id": Unit.agency_id,
            "province_id": Unit.province_id,
            "current_province_id": Unit.current_province_id,
            "level": Unit.level,
        }
        values = submissions.c
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
        source = summary
        dims = {
            name: summary.c[name]
            for name in ("period_id", "agency_id", "province_id", "current_province_id", "level")
        }
        values = summary.c
        counts = {
            "n_units": values.n_submissions,
            "n_female_key_leader": values.n_female_key_leader,
            "n_key_leaders_reported": values.n_key_leaders_reported,
        }

    latest_only = "period" not in by and len(r.period_ids) > 1
    province_col = province_column(SimpleNamespace(**dims), f.province_set)

    def total(expr: ColumnElement[Any], stock: bool, decimal: bool = False) -> ColumnElement[Any]:
        # Grouped across periods, a stock is read at the latest period, a flow is summed.
        if latest_only and stock:
            summed = func.sum(case((dims["period_id"] == r.latest_period_id, expr)))
        else:
            summed = func.sum(expr)
        # PostgreSQL sums bigints as numeric; cast so both backends return plain numbers.
        return cast(summed, Float if decimal else BigInteger)

    measures = [total(expr, stock=True).label(name) for name, expr in counts.items()]
    for code in codes:
        ind = catalogue.by_code[code]
        measures.append(
            total(values[code], ind.kind == "stock", ind.value_type == "decimal").label(code)
        )

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
        joins.append((prov, prov.c.id == province_col))
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
    if group_cols:
        query = query.group_by(*group_cols).order_by(*group_cols)
    return query


def _with_shares(frame: pd.DataFrame, catalogue: Catalogue, codes: Sequence[str]) -> pd.DataFrame:
    """Add `<pair>_female_pct` and the share of units with a woman among key leaders (0–100)."""
    out = frame.copy()
    for col in ("n_units", "n_female_key_leader", "n_key_leaders_reported"):
        out[col] = pd.to_numeric(out[col]).fillna(0).astype("int64")
    for pair in catalogue.pairs.values():
        if pair.total in codes and pair.female in codes:
            total = pd.to_numeric(out[pair.total], errors="coerce")
            female = pd.to_numeric(out[pair.female], errors="coerce")
            out[pair.pct_column] = (100 * female / total.where(total > 0)).astype("float64")
    reported = out["n_key_leaders_reported"].where(out["n_key_leaders_reported"] > 0)
    out[FEMALE_LEADER_PCT] = (100 * out["n_female_key_leader"] / reported).astype("float64")
    return out


def _empty(by: Sequence[str], codes: Sequence[str], catalogue: Catalogue) -> pd.DataFrame:
    dims = {
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
    columns = list(dict.fromkeys(c for d in by for c in dims[d]))
    columns += ["n_units", "n_female_key_leader", "n_key_leaders_reported", *codes]
    frame = pd.DataFrame(columns=columns)
    return _with_shares(frame, catalogue, codes)


def female_pct_columns(catalogue: Catalogue, codes: Sequence[str] | None = None) -> list[str]:
    present = set(codes) if codes is not None else set(catalogue.codes)
    return [p.pct_column for p in catalogue.pairs.values() if {p.total, p.female} <= present]


__all__ = [
    "DIMENSIONS",
    "FEMALE_LEADER_PCT",
    "FEMALE_PCT_SUFFIX",
    "LEVEL_LABELS_VI",
    "Filters",
    "agencies",
    "aggregate",
    "female_pct_columns",
    "load_catalogue",
    "periods",
    "provinces",
    "units",
]
