"""Lookups for the filters and pages: agencies, provinces, periods, units, the catalogue and
the data version that keys every cache."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    func,
    select,
)

from data_access.db import catalogue as catalogue_mod
from data_access.db.catalogue import Catalogue
from data_access.db.engine import frame_of
from data_access.db.models import Agency, Period, Province, Unit
from data_access.db.value_tables import tables
from data_access.domain.province_sets import ProvinceSet


def data_version(engine: Engine) -> str:
    """Changes whenever an upload, rollback, unit change, catalogue or target edit, or a report's
    submission or return changes the data, in any process: caches key on it."""
    from data_access.db.models import Indicator, Report, Target, UploadBatch

    with engine.connect() as conn:
        last, rolled, count = conn.execute(
            select(func.max(UploadBatch.id), func.max(UploadBatch.rolled_back_at), func.count())
        ).one()
        # Catalogue and target edits write no batch: the active indicators and the targets
        # (how many, and their values) say whether one happened.
        active = conn.execute(
            select(func.count()).select_from(Indicator).where(Indicator.active.is_(True))
        ).scalar_one()
        targets = conn.execute(select(func.count(), func.sum(Target.value_pct))).one()
        # Submitted reports, for the switch "gồm báo cáo chưa duyệt": a submission moves the
        # latest time, a return or acceptance the count (drafts saved change neither).
        submitted, pending = conn.execute(
            select(func.max(Report.submitted_at), func.count()).where(Report.state == "submitted")
        ).one()
    return f"{last}:{rolled}:{count}:{active}:{targets[0]}:{targets[1]}:{submitted}:{pending}"


def reports_stamp(engine: Engine) -> str:
    """Changes whenever a form report is written (every step sets its updated_at): with the data
    version, the key of the form's and the approval queue's reads, since a draft saved or a
    report reopened changes no data version."""
    from data_access.db.models import Report

    with engine.connect() as conn:
        latest, count = conn.execute(select(func.max(Report.updated_at), func.count())).one()
    return f"{latest}:{count}"


def load_catalogue(engine: Engine) -> Catalogue:
    with engine.connect() as conn:
        return catalogue_mod.load(conn)


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
