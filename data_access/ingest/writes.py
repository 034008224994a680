"""Writing an upload: one transaction, upsert on the natural key, revisions, summary refresh;
and rolling a batch back to exactly the state before it."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update

from data_access.db import activity_summary
from data_access.db import catalogue as catalogue_mod
from data_access.db.bulk import (
    arrow_column,
    column_values,
    copy_stream,
    date_values,
    driver_value,
    insert_rows,
)
from data_access.db.models import (
    ActivityRevision,
    CampaignActivity,
    SubmissionRevision,
    Unit,
    UploadBatch,
    utcnow,
)
from data_access.db.period_rows import ensure_periods
from data_access.db.value_tables import (
    add_to_summary,
    due_dates,
    refresh_summary,
    summary_change,
    tables,
    write_summary_change,
)
from data_access.domain.periods import parse_period
from data_access.ingest.limits import text_max
from data_access.ingest.values import clean_text

# Any fixed number: uploads and rollbacks of every process queue on this PostgreSQL lock.
UPLOAD_LOCK_KEY = 574_2021
# Rows handed to the driver at once: about 10 MB of Python values, and as fast as one batch.
WRITE_CHUNK_ROWS = 10_000
# PostgreSQL: new rows COPied as CSV that Arrow writes (bulk.copy_stream), not row by row through
# the driver. A switch for the test that compares the two.
ARROW_COPY = True


class RollbackRefused(ValueError):
    pass


def lock_for_writing(conn: Connection) -> None:
    """Serialise writers: they re-check against the data as it is once they hold the lock."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPLOAD_LOCK_KEY})
    else:
        # Take SQLite's write lock now, not at the first write, so two uploads never deadlock
        # upgrading their read locks; the busy timeout makes the second one wait.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def data_state(conn: Connection) -> tuple[Any, ...]:
    """What an upload's check read besides the file: batches written or rolled back, the units,
    the catalogue. A commit checked without the lock writes only if this has not changed since."""
    batches = conn.execute(
        select(func.max(UploadBatch.id), func.max(UploadBatch.rolled_back_at), func.count())
    ).one()
    units = conn.execute(select(func.max(Unit.id), func.count()).select_from(Unit)).one()
    return (*batches, *units, catalogue_mod.load(conn))


def stored_file_name(file_name: str) -> str:
    """The file name as batches and the audit log keep it: one line, as long as they hold."""
    return clean_text(file_name, multiline=False)[: text_max(UploadBatch.__table__.c.file_name)]


def _jsonable(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, Decimal):  # numeric(18, 3): its float's shortest form is its digits
        return float(value)
    return value


def _db_value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    value = _jsonable(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def new_batch(conn: Connection, kind: str, file_name: str, sha256: str, user: str) -> int:
    return int(
        conn.execute(
            insert(UploadBatch)
            .values(kind=kind, file_name=file_name, sha256=sha256, user_name=user)
            .returning(UploadBatch.id)
        ).scalar_one()
    )


def write_submissions(
    conn: Connection,
    catalogue: catalogue_mod.Catalogue,
    present: list[str],
    new: pd.DataFrame,
    changed: pd.DataFrame,
    before: pd.DataFrame,
    batch_id: int,
    received_at: dt.datetime,
    units: pd.DataFrame,
) -> None:
    """Insert `new`, update `changed` (keeping `before` as revisions) and bring the summary up to
    date: added to when the upload only inserts, recomputed for its periods otherwise."""
    submissions, _ = tables(catalogue)
    codes = {*new["period"].unique(), *changed["period"].unique()}
    periods = ensure_periods(conn, (parse_period(p) for p in codes))
    new_period_ids = period_ids_of(new["period"], periods)
    columns = ["unit_id", "period_id", "batch_id", "received_at", *present]
    # The summary's sums of the new rows, worked out while PostgreSQL takes them (COPY's sender
    # runs beside): they need the period's due dates, read before the COPY holds the connection.
    summary_rows = new.assign(period_id=new_period_ids, received_at=received_at)
    dues = due_dates(conn, summary_rows) if len(new) else None
    with contextlib.ExitStack() as stack:
        send = (
            stack.enter_context(copy_stream(conn, submissions.name, columns))
            if len(new) and conn.dialect.name == "postgresql" and ARROW_COPY
            else None
        )
        stamp = driver_value(conn, received_at)
        # A slice at a time: the driver needs a Python object per cell, and a whole file of them
        # would take 200 MB at the row cap; the slices share the caller's one transaction. Each
        # column is taken from the frame once and sliced (not a slice of the wide frame, then
        # each of its columns, per slice).
        series = {name: new[name] for name in ["unit_id", *present]}
        for start in range(0, len(new), WRITE_CHUNK_ROWS):
            part = {name: s.iloc[start : start + WRITE_CHUNK_ROWS] for name, s in series.items()}
            rows = len(part["unit_id"])
            if send is not None:
                send(
                    [
                        arrow_column(part["unit_id"], "int"),
                        pa.array(new_period_ids[start : start + WRITE_CHUNK_ROWS]),
                        pa.array(np.full(rows, batch_id, dtype=np.int64)),
                        pa.array([str(received_at)] * rows, type=pa.large_string()),
                        *(arrow_column(part[name], _kind(catalogue, name)) for name in present),
                    ]
                )
                continue
            data = [
                column_values(part["unit_id"], integer=True),
                new_period_ids[start : start + WRITE_CHUNK_ROWS].tolist(),
                [batch_id] * rows,
                [stamp] * rows,
                *(
                    date_values(conn, part[name])
                    if name == "report_date"
                    else column_values(part[name], integer=_is_int(catalogue, name))
                    for name in present
                ),
            ]
            insert_rows(conn, submissions.name, columns, zip(*data, strict=True))
        added = summary_change(catalogue, summary_rows, units, dues) if dues is not None else None
    # By difference, never a recount of the periods: new rows in; changed rows' old values out
    # and new ones in, for the columns the upload wrote (the others stay as they were). Two
    # additions rather than one of the rows put together (a copy of every row written).
    if added is not None:
        write_summary_change(conn, catalogue, added, units)
    if len(changed):
        stored = [c for c in before.columns if c not in ("id", "unit_id", "period")]
        statement = (
            update(submissions)
            .where(submissions.c.id == bindparam("_id"))
            .values({name: bindparam(name) for name in [*present, "batch_id"]})
        )
        # A slice at a time, as the inserts: a revision and an update's parameters are a dict of
        # Python values per row (`before` and `changed` are in the same order).
        for start in range(0, len(changed), WRITE_CHUNK_ROWS):
            part = changed.iloc[start : start + WRITE_CHUNK_ROWS]
            previous = before.iloc[start : start + WRITE_CHUNK_ROWS].assign(
                unit_id=part["unit_id"].to_numpy(), period=part["period"].to_numpy()
            )
            revisions = [
                {
                    "batch_id": batch_id,
                    "unit_id": int(r["unit_id"]),
                    "period_id": periods[r["period"]],
                    "submission_id": int(r["id"]),
                    "previous": {c: _jsonable(r[c]) for c in stored},
                }
                for r in previous.to_dict("records")
            ]
            conn.execute(insert(SubmissionRevision), revisions)
            conn.execute(
                statement,
                [
                    {
                        "_id": int(r["id"]),
                        "batch_id": batch_id,
                        **{n: _db_value(r[n]) for n in present},
                    }
                    for r in part.to_dict("records")
                ],
            )
    if len(changed):
        written = [c for c in present if c in catalogue]
        keys = {
            "unit_id": changed["unit_id"].to_numpy(),
            "period_id": period_ids_of(changed["period"], periods),
        }
        replaced = before[written].reset_index(drop=True).assign(**keys)
        replacing = changed[written].reset_index(drop=True).assign(**keys)
        add_to_summary(conn, catalogue, replacing, units, removed=replaced)


def period_ids_of(codes: pd.Series, periods: dict[str, int]) -> np.ndarray:
    """The id of each row's period: each distinct code looked up once (a Series.map of Arrow
    strings goes through Python per row, a tenth of a second at the row cap)."""
    index, distinct = pd.factorize(codes)
    ids = np.array([periods[code] for code in distinct], dtype=np.int64)
    return ids[index] if len(ids) else np.zeros(len(index), dtype=np.int64)


def _kind(catalogue: catalogue_mod.Catalogue, name: str) -> str:
    """How copy_stream takes a stored column (bulk.arrow_column)."""
    if name == "report_date":
        return "date"
    if name in catalogue:
        return "int" if catalogue.by_code[name].value_type == "int" else "float"
    return "text"


def _is_int(catalogue: catalogue_mod.Catalogue, name: str) -> bool:
    return name in catalogue and catalogue.by_code[name].value_type == "int"


ACTIVITY_COLUMNS = ["end_date", "activity_type", "participants_female", "participants_male"]


def write_activities(
    conn: Connection, new: pd.DataFrame, changed: pd.DataFrame, before: pd.DataFrame, batch_id: int
) -> None:
    years = {
        d.year
        for d in [*new.get("start_date", []), *changed.get("start_date", [])]
        if d is not None
    }
    key = ["unit_id", "campaign", "start_date", "title"]
    if len(new):
        conn.execute(
            insert(CampaignActivity),
            [
                {**{k: _db_value(r[k]) for k in [*key, *ACTIVITY_COLUMNS]}, "batch_id": batch_id}
                for r in new.to_dict("records")
            ],
        )
    if len(changed):
        conn.execute(
            insert(ActivityRevision),
            [
                {
                    "batch_id": batch_id,
                    "activity_id": int(r["id"]),
                    "previous": {c: _jsonable(r[c]) for c in [*ACTIVITY_COLUMNS, "batch_id"]},
                }
                for r in before.to_dict("records")
            ],
        )
        conn.execute(
            update(CampaignActivity)
            .where(CampaignActivity.id == bindparam("_id"))
            .values({c: bindparam(c) for c in [*ACTIVITY_COLUMNS, "batch_id"]}),
            [
                {
                    "_id": int(r["id"]),
                    "batch_id": batch_id,
                    **{c: _db_value(r[c]) for c in ACTIVITY_COLUMNS},
                }
                for r in changed.to_dict("records")
            ],
        )
    activity_summary.refresh(conn, years)


def finish_batch(conn: Connection, batch_id: int, counts: dict[str, int]) -> None:
    conn.execute(update(UploadBatch).where(UploadBatch.id == batch_id).values(**counts))


# --- rollback -------------------------------------------------------------------------------------


def written_by(previous: Any) -> Any:
    """The batch that had written a row before the revision's batch changed it (SQL). A float:
    revisions made from a pandas frame may hold 3.0, which PostgreSQL will not cast to integer."""
    return previous["batch_id"].as_float()


def _submission_keys(conn: Connection, batch_ids: Iterable[int]) -> set[tuple[int, int]]:
    ids = list(batch_ids)
    if not ids:
        return set()
    submissions, _ = tables(catalogue_mod.load(conn))
    current = conn.execute(
        select(submissions.c.unit_id, submissions.c.period_id).where(
            submissions.c.batch_id.in_(ids)
        )
    )
    revised = conn.execute(
        select(SubmissionRevision.unit_id, SubmissionRevision.period_id).where(
            SubmissionRevision.batch_id.in_(ids)
        )
    )
    # Rows the batch wrote and a later batch then changed carry the later batch's id now; the
    # later batch's revision remembers ours.
    taken_over = conn.execute(
        select(SubmissionRevision.unit_id, SubmissionRevision.period_id).where(
            written_by(SubmissionRevision.previous).in_(ids)
        )
    )
    return {tuple(r) for r in [*current, *revised, *taken_over]}


def _activity_keys(conn: Connection, batch_ids: Iterable[int]) -> set[int]:
    ids = list(batch_ids)
    if not ids:
        return set()
    current = conn.execute(
        select(CampaignActivity.id).where(CampaignActivity.batch_id.in_(ids))
    ).scalars()
    revised = conn.execute(
        select(ActivityRevision.activity_id).where(ActivityRevision.batch_id.in_(ids))
    ).scalars()
    taken_over = conn.execute(
        select(ActivityRevision.activity_id).where(written_by(ActivityRevision.previous).in_(ids))
    ).scalars()
    return set(current) | set(revised) | set(taken_over)


def rollback_batch(conn: Connection, batch_id: int, user: str) -> dict[str, int]:
    """Restore every row the batch touched to its state before the batch; refuse when a later
    batch changed the same rows (roll that one back first)."""
    batch = conn.execute(select(UploadBatch).where(UploadBatch.id == batch_id)).one_or_none()
    if batch is None:
        raise RollbackRefused(f"Không có lô tải lên số {batch_id}.")
    if batch.status == "rolled_back":
        raise RollbackRefused(f"Lô {batch_id} đã được hoàn tác trước đó.")
    later = list(
        conn.execute(
            select(UploadBatch.id).where(
                UploadBatch.id > batch_id,
                UploadBatch.status == "committed",
                UploadBatch.kind == batch.kind,
            )
        ).scalars()
    )
    if batch.kind == "submissions":
        mine = _submission_keys(conn, [batch_id])
        clash = [b for b in later if _submission_keys(conn, [b]) & mine]
    else:
        mine_ids = _activity_keys(conn, [batch_id])
        clash = [b for b in later if _activity_keys(conn, [b]) & mine_ids]
    if clash:
        raise RollbackRefused(
            f"Không thể hoàn tác lô {batch_id}: lô {', '.join(map(str, clash))} sau đó đã sửa cùng dữ liệu. "
            "Hãy hoàn tác các lô đó trước."
        )
    counts = (
        _rollback_submissions(conn, batch_id)
        if batch.kind == "submissions"
        else _rollback_activities(conn, batch_id)
    )
    conn.execute(
        update(UploadBatch)
        .where(UploadBatch.id == batch_id)
        .values(status="rolled_back", rolled_back_at=utcnow())
    )
    return counts


def _restore_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "report_date" or name in ("start_date", "end_date"):
        return dt.date.fromisoformat(value)
    if name == "received_at":
        return dt.datetime.fromisoformat(value)
    return value


def _rollback_submissions(conn: Connection, batch_id: int) -> dict[str, int]:
    catalogue = catalogue_mod.load(conn)
    submissions, _ = tables(catalogue)
    revisions = conn.execute(
        select(
            SubmissionRevision.submission_id,
            SubmissionRevision.period_id,
            SubmissionRevision.previous,
        ).where(SubmissionRevision.batch_id == batch_id)
    ).all()
    restored_ids = {r.submission_id for r in revisions}
    period_ids = set(
        conn.execute(
            select(submissions.c.period_id).where(submissions.c.batch_id == batch_id).distinct()
        ).scalars()
    ) | {r.period_id for r in revisions}
    inserted = conn.execute(
        delete(submissions).where(
            submissions.c.batch_id == batch_id, submissions.c.id.not_in(restored_ids or {0})
        )
    ).rowcount
    known = {c.name for c in submissions.columns}
    for rev in revisions:
        values = {k: _restore_value(k, v) for k, v in rev.previous.items() if k in known}
        conn.execute(
            update(submissions).where(submissions.c.id == rev.submission_id).values(**values)
        )
    refresh_summary(conn, catalogue, period_ids)
    return {"deleted": inserted, "restored": len(revisions)}


def _rollback_activities(conn: Connection, batch_id: int) -> dict[str, int]:
    touched = set(
        conn.execute(
            select(CampaignActivity.start_date).where(CampaignActivity.batch_id == batch_id)
        ).scalars()
    )
    revisions = conn.execute(
        select(ActivityRevision.activity_id, ActivityRevision.previous).where(
            ActivityRevision.batch_id == batch_id
        )
    ).all()
    restored_ids = {r.activity_id for r in revisions}
    deleted = conn.execute(
        delete(CampaignActivity).where(
            CampaignActivity.batch_id == batch_id, CampaignActivity.id.not_in(restored_ids or {0})
        )
    ).rowcount
    for rev in revisions:
        values = {k: _restore_value(k, v) for k, v in rev.previous.items()}
        conn.execute(
            update(CampaignActivity).where(CampaignActivity.id == rev.activity_id).values(**values)
        )
    activity_summary.refresh(conn, {d.year for d in touched})
    return {"deleted": deleted, "restored": len(revisions)}


def batch_with_same_file(conn: Connection, sha256: str, kind: str) -> int | None:
    return conn.execute(
        select(func.max(UploadBatch.id)).where(
            UploadBatch.sha256 == sha256,
            UploadBatch.kind == kind,
            UploadBatch.status == "committed",
        )
    ).scalar_one_or_none()
