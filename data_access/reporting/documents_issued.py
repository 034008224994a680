"""I.1's list of documents issued (number, date, summary), as the units entered it on their form,
for the people who read the reports: the secretariat's exports (a sheet of the XLSX, a CSV of its
own) and the report's history.

The list lives with the form report (`reports.documents`), not in the submissions, so it follows
the report's state the way the figures do: accepted reports only, unless the switch "gồm báo cáo
chưa duyệt" lets submitted ones in. Scope as every export: a secretary reads only the units of
their agencies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, case, select

from data_access.analytics import exports
from data_access.auth import Identity
from data_access.db import audit
from data_access.db.models import Agency, Period, Province, Report, Unit
from data_access.domain.filters import Filters, scoped
from data_access.domain.province_sets import province_column
from data_access.ingest.values import parse_date
from data_access.queries.aggregate import period_conditions, unit_filters
from data_access.reporting.form import DOCUMENT_FIELDS_VI

SHEET = "Văn bản ban hành"
COLUMNS = ["agency_code", "unit_code", "unit_name", "period", "number", "date", "summary"]
# The headings a person reads; the shared columns keep the export's own headings.
HEADINGS_VI = {**exports.COLUMN_HEADINGS_VI, **DOCUMENT_FIELDS_VI}


def _documents(filters: Filters) -> Any:
    """The documents a report lists in the exports, as its figures count on the dashboards: those
    last accepted (a reopened report's too, until accepted again); with the switch on, a
    submitted report's as submitted (None: the report lists none)."""
    if not filters.include_unapproved:
        return Report.accepted_documents
    return case((Report.state == "submitted", Report.documents), else_=Report.accepted_documents)


def _day(text: str) -> dt.date | str | None:
    """The date as a date; a text that is not one (a draft's, kept as typed) as it is."""
    try:
        return parse_date(text)
    except ValueError:
        return text


def issued(engine: Engine, filters: Filters, identity: Identity | None = None) -> pd.DataFrame:
    """agency_code, unit_code, unit_name, period, number, date (a date), summary: one row per
    document of the reports the filters select, by period, agency and unit, in the order the unit
    listed them. With an identity, its role must allow exports and only its agencies are read."""
    if identity is not None:
        identity.require("export")
        filters = scoped(filters, identity)
    prov = Province.__table__.alias("prov")
    query = (
        select(
            Agency.code, Unit.code, Unit.name, Period.code, _documents(filters).label("documents")
        )
        .select_from(Report)
        .join(Unit, Unit.id == Report.unit_id)
        .join(Agency, Agency.id == Unit.agency_id)
        .join(Period, Period.id == Report.period_id)
        .join(prov, prov.c.id == province_column(Unit, filters.province_set))
        .where(_documents(filters).is_not(None))
        .order_by(Period.year, Period.kind, Agency.code, Unit.code)
    )
    query = unit_filters(query.where(*period_conditions(filters)), filters, prov)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    out: list[tuple[Any, ...]] = [
        (
            agency,
            unit,
            name,
            period,
            doc.get("number", ""),
            _day(doc.get("date", "")),
            doc.get("summary", ""),
        )
        for agency, unit, name, period, documents in rows
        for doc in documents or []
    ]
    return pd.DataFrame(out, columns=COLUMNS, dtype=object)


def vietnamese(frame: pd.DataFrame) -> pd.DataFrame:
    """The list as a person reads it: periods in words, Vietnamese headings."""
    return exports.vietnamese_frame(frame).rename(columns=HEADINGS_VI)


def to_csv(
    engine: Engine, filters: Filters, *, identity: Identity, output: Path | None = None
) -> tuple[bytes, int]:
    """The list as the pages' CSV (exports.to_csv_vi: `;`, dates dd/mm/yyyy, cells neutralised),
    recorded in the audit log like every export; the bytes and the row count."""
    frame = issued(engine, filters, identity)
    data = exports.to_csv_vi(vietnamese(frame))
    _audit(engine, identity, filters, "csv", output, len(frame))
    if output is not None:
        output.write_bytes(data)
    return data, len(frame)


def xlsx_export(
    engine: Engine,
    level: str,
    filters: Filters,
    *,
    identity: Identity,
    indicators: Sequence[str] | None = None,
    output: Path | None = None,
) -> bytes:
    """exports.export's XLSX with the list as one more sheet (SHEET), read in the same scope and
    with the same switch as the figures."""
    documents = vietnamese(issued(engine, filters, identity))
    return exports.export(
        engine,
        level,
        filters,
        "xlsx",
        output,
        indicators=indicators,
        identity=identity,
        extra_sheets=[(SHEET, documents)],
    )[0]


def for_report(engine: Engine, unit_code: str, period: str, identity: Identity) -> pd.DataFrame:
    """number, date, summary of one unit's form report for `period` once submitted or accepted
    (a draft is the unit's own; empty when there is none); the secretariat's history reads it
    within its agencies."""
    identity.require("history")
    query = (
        select(Report.documents)
        .join(Unit, Unit.id == Report.unit_id)
        .join(Agency, Agency.id == Unit.agency_id)
        .join(Period, Period.id == Report.period_id)
        .where(
            Unit.code == unit_code,
            Period.code == period,
            Report.state.in_(["accepted", "submitted"]),
        )
    )
    if identity.agencies:
        query = query.where(Agency.code.in_(list(identity.agencies)))
    with engine.connect() as conn:
        documents = conn.execute(query).scalar() or []
    rows = [(d.get("number", ""), _day(d.get("date", "")), d.get("summary", "")) for d in documents]
    return pd.DataFrame(rows, columns=["number", "date", "summary"], dtype=object)


def _audit(
    engine: Engine,
    identity: Identity,
    filters: Filters,
    fmt: str,
    output: Path | None,
    rows: int,
) -> None:
    audit.record_now(
        engine,
        identity.username,
        "export",
        str(output) if output else None,
        level="documents",
        format=fmt,
        rows=rows,
        filters=dict(exports.describe_filters("unit", scoped(filters, identity))),
    )
