"""Indicator values as columns: one per catalogue code on `submissions` and `submission_summary`.

Why columns and not one row per value (DHIS2's data values): a dashboard aggregate then reads one
row per submission (or per summary cell) instead of forty, and a 100,000-row upload writes 100,000
rows instead of four million. The columns follow the catalogue: `sync_value_columns` adds the
missing ones with ALTER TABLE, so a new indicator is a catalogue row, not a migration.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Float,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
    TypeDecorator,
    and_,
    case,
    delete,
    func,
    insert,
    inspect,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeEngine

from data_access.db.bulk import column_values
from data_access.db.catalogue import Catalogue, IndicatorDef
from data_access.db.models import Period, Submission, SubmissionSummary, Unit
from data_access.domain.formats import VALUE_DECIMAL_PLACES, round_half_up

SUBMISSIONS = Submission.__tablename__
SUMMARY = SubmissionSummary.__tablename__
# The narrative texts of a report: the text columns of the submissions model.
NARRATIVE_COLUMNS = tuple(c.name for c in Submission.__table__.columns if isinstance(c.type, Text))


def _fixed_columns(model: type[Submission] | type[SubmissionSummary]) -> list[Column[Any]]:
    """A copy of the model's own columns (declared once, in models.py), for a Core table."""
    return [Column(c.name, c.type, primary_key=c.primary_key) for c in model.__table__.columns]


# Decimal indicators (money in tỷ đồng) are stored exactly, at the places they are exported to:
# 18 digits leave 15 before the point for one unit's figure (ingest.limits.DECIMAL_MAX), and the
# summary's sums have 6 more, room for a million units at that figure. PostgreSQL sums numeric
# exactly; SQLite has no decimal storage (a NUMERIC column holds REAL), so what it returns is read
# rounded half up to these places (`ExactDecimal`).
DECIMAL_PRECISION = 18
SUMMED_DECIMAL_PRECISION = DECIMAL_PRECISION + 6


def decimal_type(summed: bool = False) -> Numeric[Any]:
    precision = SUMMED_DECIMAL_PRECISION if summed else DECIMAL_PRECISION
    return Numeric(precision, VALUE_DECIMAL_PLACES)


def _value_type(ind: IndicatorDef, summed: bool) -> Integer | BigInteger | Numeric[Any]:
    if ind.value_type == "decimal":
        return decimal_type(summed)
    return BigInteger() if summed else Integer()


class ExactDecimal(TypeDecorator[Decimal]):
    """How a decimal sum is read: PostgreSQL's numeric as it is, SQLite's REAL (with the noise
    of a binary sum: 0.30000000000000004) rounded half up to the stored places."""

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        # SQLite: the raw float, not SQLAlchemy's own float-to-Decimal conversion (half even).
        inner = decimal_type(summed=True) if dialect.name == "postgresql" else Float()
        return dialect.type_descriptor(inner)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return exact_decimal(value)


def exact_decimal(value: Any) -> Decimal | None:
    """A decimal indicator's value as read from either backend (PostgreSQL's Decimal, SQLite's
    float, a float sum made in memory), exact at the stored places; None when blank."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return round_half_up(value, VALUE_DECIMAL_PLACES)


@functools.lru_cache(maxsize=8)
def tables(catalogue: Catalogue) -> tuple[Table, Table]:
    """Core tables (submissions, summary) with the catalogue's value columns, for queries."""
    md = MetaData()
    submissions = Table(
        SUBMISSIONS,
        md,
        *_fixed_columns(Submission),
        *(Column(i.code, _value_type(i, summed=False)) for i in catalogue.indicators),
    )
    summary = Table(
        SUMMARY,
        md,
        *_fixed_columns(SubmissionSummary),
        *(Column(i.code, _value_type(i, summed=True)) for i in catalogue.indicators),
    )
    return submissions, summary


def sync_value_columns(conn: Connection, catalogue: Catalogue) -> list[str]:
    """Add a column for every catalogue code the value tables lack; return the codes added.

    Columns of indicators dropped from the catalogue stay (their data is kept, just not shown).
    """
    # Imported here: only a catalogue change needs it, and it weighs 11 MB in every process that
    # reads the value tables (an upload's among them, issue #18).
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    added: list[str] = []
    ops = Operations(MigrationContext.configure(conn))
    for table in tables(catalogue):
        existing = {c["name"] for c in inspect(conn).get_columns(table.name)}
        for ind in catalogue.indicators:
            if ind.code not in existing:
                column = table.c[ind.code]
                ops.add_column(table.name, Column(column.name, column.type, nullable=True))
                added.append(f"{table.name}.{ind.code}")
    return added


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic filter: the catalogue's columns are not in the models, and must not be dropped."""
    if type_ == "column" and reflected and compare_to is None:
        return bool(obj.table.name not in (SUBMISSIONS, SUMMARY))
    return True


def refresh_summary(conn: Connection, catalogue: Catalogue, period_ids: Iterable[int]) -> None:
    """Recompute the summary rows of these periods from the submissions, in the caller's
    transaction, so readers never see submissions and summary disagree."""
    ids = sorted(set(period_ids))
    if not ids:
        return
    submissions, summary = tables(catalogue)
    units = Unit.__table__
    periods = Period.__table__
    has_woman: ColumnElement[Any]
    reported: ColumnElement[Any]
    if "key_leaders_female" in catalogue:
        female_leaders = submissions.c.key_leaders_female
        has_woman = func.sum(case((female_leaders > 0, 1), else_=0))
        reported = func.count(female_leaders)
    else:
        has_woman = reported = literal(0)
    group = (
        submissions.c.period_id,
        units.c.agency_id,
        units.c.province_id,
        units.c.level,
        units.c.current_province_id,
    )
    query = (
        select(
            *group,
            func.count().label("n_submissions"),
            has_woman.label("n_female_key_leader"),
            reported.label("n_key_leaders_reported"),
            func.sum(case((received_late(submissions, periods.c.due_date), 1), else_=0)).label(
                "n_late"
            ),
            *(func.sum(submissions.c[code]).label(code) for code in catalogue.codes),
        )
        .join_from(submissions, units, and_(units.c.id == submissions.c.unit_id))
        .join(periods, periods.c.id == submissions.c.period_id)
        .where(submissions.c.period_id.in_(ids))
        .group_by(*group)
    )
    conn.execute(delete(summary).where(summary.c.period_id.in_(ids)))
    # The summary's own columns, in table order (the select above lists them in the same order).
    target_columns = [c.name for c in summary.columns if c.name not in catalogue] + catalogue.codes
    conn.execute(insert(summary).from_select(target_columns, query))


def received_late(submissions: Table, due: Any) -> ColumnElement[bool]:
    """A submission received on a day after `due` (SQL): compared as dates, which on SQLite
    reads every text form a time may be stored in; never when the time is blank."""
    return func.date(submissions.c.received_at, type_=Date) > due


def late_flags(frame: pd.DataFrame, dues: pd.Series) -> np.ndarray:
    """Whether each row (period_id, received_at) was received on a day after its period's due
    date (`dues`: the due date of each period id), as `received_late` counts it."""
    if "received_at" not in frame or frame.empty:
        return np.zeros(len(frame), dtype=bool)
    received = pd.to_datetime(frame["received_at"], format="mixed").dt.normalize()
    # The few due dates as times first: a row's then maps as a time, not a date to parse.
    due = frame["period_id"].map(pd.to_datetime(dues))
    return (received > due).fillna(False).to_numpy(dtype=bool)


UNIT_GROUP = ["agency_id", "province_id", "level", "current_province_id"]
# Rows added to (or taken from) the summary at a time: a few MB of signed values per chunk.
SUMMARY_CHUNK_ROWS = 20_000
# The counts each summary cell keeps beside its sums.
SUMMARY_COUNTS = ["n_submissions", "n_female_key_leader", "n_key_leaders_reported", "n_late"]


def add_to_summary(
    conn: Connection,
    catalogue: Catalogue,
    rows: pd.DataFrame,
    units: pd.DataFrame,
    removed: pd.DataFrame | None = None,
) -> None:
    """Add submissions just written (`rows`: period_id, unit_id, received_at and value columns) to
    the summary and take out the rows they replaced (`removed`, the same columns as they were;
    without received_at on both sides when the change keeps each row's time) — the sums
    `refresh_summary` would give, from the difference in memory instead of re-read from the
    table (a third of a second at 100,000 rows), so a change never recounts its period.

    A difference cannot tell a blank from a zero: where a figure was erased, the cells of the
    rows concerned are recounted for that column only (rare; a few rows of `submissions`)."""
    frames = (rows,) if removed is None else (rows, removed)
    change = summary_change(catalogue, rows, units, due_dates(conn, *frames), removed)
    if change is not None:
        write_summary_change(conn, catalogue, change, units)


@dataclass(frozen=True)
class SummaryChange:
    """What add_to_summary adds to each summary cell, worked out without the database (so a
    writer can work it out while the database takes the rows: see writes.write_submissions)."""

    records: list[dict[str, Any]]  # the cells' keys and signed sums, as the driver binds them
    rows: pd.DataFrame
    removed: pd.DataFrame
    codes: list[str]


def due_dates(conn: Connection, *frames: pd.DataFrame) -> pd.Series:
    """The due date of each period the frames' rows (their period_id) fall in."""
    ids = sorted({int(i) for frame in frames for i in frame["period_id"].unique()})
    if not ids:  # no rows: nothing to read
        return pd.Series(dtype="object")
    rows = conn.execute(select(Period.id, Period.due_date).where(Period.id.in_(ids))).all()
    return pd.Series({period_id: due for period_id, due in rows}, dtype="object")


def summary_change(
    catalogue: Catalogue,
    rows: pd.DataFrame,
    units: pd.DataFrame,
    dues: pd.Series,
    removed: pd.DataFrame | None = None,
) -> SummaryChange | None:
    """add_to_summary's sums (`dues` from due_dates); None when there are no rows."""
    removed = rows.iloc[0:0] if removed is None else removed
    if rows.empty and removed.empty:
        return None
    timed = ["received_at" in frame for frame in (rows, removed) if len(frame)]
    if not all(timed) and not (len(timed) == 2 and not any(timed)):
        # A row added or taken out without its time would count as on time, and the summary's
        # late reports drift from a recount; only a change keeping every row's time may omit it.
        raise ValueError("add_to_summary: received_at is needed unless a change keeps it")
    codes = [code for code in catalogue.codes if code in rows]
    counts = SUMMARY_COUNTS
    delta = _cell_deltas(rows, removed, codes, counts, units, dues)
    if delta is None:
        # Each cell's sums a chunk of rows at a time, then the chunks' sums summed: the rows of
        # a file at the row cap, merged and signed in one frame, took 100 MB (issue #18).
        partials = [
            _cell_sums(
                _signed(frame.iloc[start : start + SUMMARY_CHUNK_ROWS], codes, units, sign, dues),
                codes,
                counts,
            )
            for frame, sign in ((rows, 1), (removed, -1))
            for start in range(0, len(frame), SUMMARY_CHUNK_ROWS)
        ]
        delta = (
            _cell_sums(pd.concat(partials, ignore_index=True), codes, counts)
            if len(partials) > 1
            else partials[0]
        )
    integer = {c.code for c in catalogue.indicators if c.value_type == "int"}
    decimal = {c.code for c in catalogue.indicators if c.value_type == "decimal"}
    # A column at a time, in C where it can be (a dict of Python values per cell cost a tenth of
    # the summary's time at the row cap).
    bound = [
        [_bound(value, False, True) for value in delta[name].astype(object)]
        if name in decimal
        else column_values(
            delta[name],
            integer=name in integer or pd.api.types.is_integer_dtype(delta[name].dtype),
        )
        for name in delta.columns
    ]
    names = list(delta.columns)
    records = [dict(zip(names, row, strict=True)) for row in zip(*bound, strict=True)]
    return SummaryChange(records, rows, removed, codes)


def write_summary_change(
    conn: Connection, catalogue: Catalogue, change: SummaryChange, units: pd.DataFrame
) -> None:
    """Add `change` to the summary's cells (a cell not there yet is inserted)."""
    _, summary = tables(catalogue)
    counts = SUMMARY_COUNTS
    statement = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(summary)
    old, new = summary.c, statement.excluded
    keys = ["period_id", "agency_id", "province_id", "level"]
    statement = statement.on_conflict_do_update(
        index_elements=keys,
        set_={
            **{name: old[name] + new[name] for name in counts},
            # blank + x = x, as SUM ignores NULLs
            **{
                code: func.coalesce(old[code] + new[code], old[code], new[code])
                for code in change.codes
            },
        },
    )
    conn.execute(statement, change.records)
    _recount_erased(conn, catalogue, change.rows, change.removed, change.codes, units)


def _floats(column: pd.Series) -> np.ndarray:
    """A value column as floats, NaN for blanks; converted only when not numbers already (the
    conversion copied each of forty columns at the row cap for nothing)."""
    if not pd.api.types.is_numeric_dtype(column.dtype):
        column = pd.to_numeric(column)
    return column.to_numpy(dtype="float64", na_value=np.nan)


def _cell_deltas(
    rows: pd.DataFrame,
    removed: pd.DataFrame,
    codes: list[str],
    counts: list[str],
    units: pd.DataFrame,
    dues: pd.Series,
) -> pd.DataFrame | None:
    """What _cell_sums of the signed rows gives (rows added, `removed` taken out), by array
    sums over each row's cell number (its unit's cell × its period): no merged frame of the
    rows, no group-by (a third of a second of a 145,000-row upload). None when a row's unit is
    not among `units` (the merge then keeps a blank cell: the chunked way below)."""
    frames = [(frame, sign) for frame, sign in ((rows, 1), (removed, -1)) if len(frame)]
    unit_index = pd.Index(units["id"])
    positions = [unit_index.get_indexer(frame["unit_id"]) for frame, _ in frames]
    if not frames or not unit_index.is_unique or any((at < 0).any() for at in positions):
        return None
    # Each unit's cell (blanks a value of their own, as group-by with dropna=False keeps them).
    unit_cell = units.groupby(UNIT_GROUP, dropna=False, sort=False).ngroup().to_numpy()
    cells = int(unit_cell.max()) + 1
    first_unit = np.unique(unit_cell, return_index=True)[1]  # a unit of each cell, by cell number
    period_index, period_ids = pd.factorize(
        np.concatenate([frame["period_id"].to_numpy(dtype=np.int64) for frame, _ in frames])
    )
    size = cells * len(period_ids)
    cell_of: list[np.ndarray] = []
    start = 0
    for (frame, _), at in zip(frames, positions, strict=True):
        cell_of.append(unit_cell[at] * len(period_ids) + period_index[start : start + len(frame)])
        start += len(frame)
    rows_in = sum(np.bincount(cell, minlength=size) for cell in cell_of)
    sums: dict[str, np.ndarray] = {}
    for code in codes:
        total, filled = np.zeros(size), np.zeros(size, dtype=np.int64)
        for (frame, sign), cell in zip(frames, cell_of, strict=True):
            values = _floats(frame[code])
            known = ~np.isnan(values)
            # Blanks weigh 0 rather than being left out: the same sums (x + 0.0 is x), without
            # two copies of the rows' cells per column.
            total += np.bincount(cell, weights=np.where(known, values * sign, 0.0), minlength=size)
            filled += np.bincount(cell, weights=known, minlength=size).astype(np.int64)
        sums[code] = np.where(filled > 0, total, np.nan)  # min_count=1: blanks only stay blank
    tallies = dict.fromkeys(counts, np.zeros(size, dtype=np.int64))
    for (frame, sign), cell in zip(frames, cell_of, strict=True):
        tallies["n_submissions"] = tallies["n_submissions"] + sign * np.bincount(
            cell, minlength=size
        )
        tallies["n_late"] = tallies["n_late"] + sign * np.bincount(
            cell[late_flags(frame, dues)], minlength=size
        )
        if "key_leaders_female" in frame:
            leaders = _floats(frame["key_leaders_female"])
            for name, hit in (
                ("n_female_key_leader", leaders > 0),
                ("n_key_leaders_reported", ~np.isnan(leaders)),
            ):
                tallies[name] = tallies[name] + sign * np.bincount(cell[hit], minlength=size)
    present = np.flatnonzero(rows_in)
    cell, period = np.divmod(present, len(period_ids))
    keys = units[UNIT_GROUP].iloc[first_unit[cell]].reset_index(drop=True)
    delta = pd.concat(
        [
            pd.DataFrame({"period_id": period_ids[period]}),
            keys,
            pd.DataFrame({code: sums[code][present] for code in codes}),
            pd.DataFrame({name: tallies[name][present] for name in counts}),
        ],
        axis=1,
    )
    return delta.sort_values(["period_id", *UNIT_GROUP], kind="stable").reset_index(drop=True)


def _cell_sums(frame: pd.DataFrame, codes: list[str], counts: list[str]) -> pd.DataFrame:
    """The sums of each summary cell (period_id and UNIT_GROUP, as columns). min_count=1: a sum
    over blanks only stays blank (NULL), as SQL's SUM does; so a sum of chunks' sums is blank
    only where every chunk's is, and equals the sum over all the rows at once."""
    grouped = frame.groupby(["period_id", *UNIT_GROUP], dropna=False)
    return grouped[codes].sum(min_count=1).join(grouped[counts].sum()).reset_index()


def _bound(value: Any, integer: bool, decimal: bool) -> Any:
    """A summed difference as the driver binds it: an integer, a decimal's nearest float to its
    exact value (0.1 + 0.2 → 0.3, which PostgreSQL's numeric then holds exactly), or None."""
    if value is None or value != value:
        return None
    if integer:
        return int(value)
    if decimal:
        return float(round_half_up(value, VALUE_DECIMAL_PLACES))
    return value


def _signed(
    rows: pd.DataFrame, codes: list[str], units: pd.DataFrame, sign: int, dues: pd.Series
) -> pd.DataFrame:
    """Rows with their cell (UNIT_GROUP) and counts, values and counts times `sign`."""
    frame = rows[["period_id", "unit_id", *codes]].merge(
        units[["id", *UNIT_GROUP]], left_on="unit_id", right_on="id", how="left", validate="m:1"
    )
    if "key_leaders_female" in rows:
        leaders = pd.to_numeric(frame["key_leaders_female"])
        frame["n_female_key_leader"] = (leaders > 0).astype("int64") * sign
        frame["n_key_leaders_reported"] = leaders.notna().astype("int64") * sign
    else:
        frame["n_female_key_leader"] = frame["n_key_leaders_reported"] = 0
    frame["n_submissions"] = sign
    frame["n_late"] = late_flags(rows, dues).astype("int64") * sign
    for code in codes:
        frame[code] = pd.to_numeric(frame[code]).astype("float64") * sign
    return frame


def _recount_erased(
    conn: Connection,
    catalogue: Catalogue,
    rows: pd.DataFrame,
    removed: pd.DataFrame,
    codes: list[str],
    units: pd.DataFrame,
) -> None:
    """Recount, column by column, the cells where a figure stored before is now blank."""
    if removed.empty:
        return
    submissions, summary = tables(catalogue)
    before = removed.set_index(["unit_id", "period_id"])
    after = rows.set_index(["unit_id", "period_id"]).reindex(before.index)
    cell_of = units.set_index("id")[UNIT_GROUP]
    unit_table = Unit.__table__
    for code in codes:
        erased = before[code].notna().to_numpy() & after[code].isna().to_numpy()
        keys = before.index[erased]
        for unit_id, period_id in dict.fromkeys(keys):
            cell = cell_of.loc[unit_id]
            same_cell = [unit_table.c[k] == _plain(cell[k]) for k in UNIT_GROUP]
            recount = (
                select(func.sum(submissions.c[code]))
                .join_from(submissions, unit_table, unit_table.c.id == submissions.c.unit_id)
                .where(submissions.c.period_id == int(period_id), *same_cell)
                .scalar_subquery()
            )
            conn.execute(
                update(summary)
                .where(
                    summary.c.period_id == int(period_id),
                    *(summary.c[k] == _plain(cell[k]) for k in UNIT_GROUP),
                )
                .values({code: recount})
            )


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value a driver binds."""
    return value.item() if hasattr(value, "item") else value
