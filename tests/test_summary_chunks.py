"""add_to_summary sums a chunk of rows at a time (SUMMARY_CHUNK_ROWS) and then the chunks' sums:
with chunks of two rows it must leave exactly the summary one pass leaves, and the summary a
recount gives, on SQLite and PostgreSQL; a cell whose figure is blank in every row stays blank
(NULL, as SQL's SUM), one blank in some chunks only takes the others' sum."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, delete, func, select, update

from data_access.db import value_tables
from data_access.db.catalogue import load as load_catalogue
from data_access.db.models import Unit
from data_access.db.value_tables import add_to_summary, refresh_summary, tables
from data_access.ingest.validation import unit_reference

ONE_CHUNK = 1_000_000
SMALL = 2  # rows a chunk: a period of the sample spans many
KEYS = ["period_id", "agency_id", "province_id", "level"]
ALL_BLANK = "docs_issued"  # blank in every row of one cell
SOME_BLANK = "events_held"  # blank in every other row of another cell


def _busiest_period(conn: Connection) -> int:
    submissions, _ = tables(load_catalogue(conn))
    return int(
        conn.execute(
            select(submissions.c.period_id)
            .group_by(submissions.c.period_id)
            .order_by(func.count().desc(), submissions.c.period_id)
            .limit(1)
        ).scalar_one()
    )


def _blank_some(conn: Connection, period_id: int) -> None:
    """ALL_BLANK erased in every row of the period's largest cell; SOME_BLANK in every other row
    of its second largest (rows of a cell lie in several chunks of two)."""
    submissions, _ = tables(load_catalogue(conn))
    units = Unit.__table__
    cells = conn.execute(
        select(units.c.agency_id, units.c.province_id, units.c.level, func.count())
        .join(submissions, submissions.c.unit_id == units.c.id)
        .where(submissions.c.period_id == period_id)
        .group_by(units.c.agency_id, units.c.province_id, units.c.level)
        .order_by(func.count().desc(), units.c.agency_id, units.c.province_id, units.c.level)
        .limit(2)
    ).all()
    assert cells[0][3] > SMALL and cells[1][3] > SMALL  # each cell spans chunks

    def ids(cell: Any) -> list[int]:
        return list(
            conn.execute(
                select(submissions.c.id)
                .join(units, units.c.id == submissions.c.unit_id)
                .where(
                    submissions.c.period_id == period_id,
                    units.c.agency_id == cell[0],
                    units.c.province_id == cell[1],
                    units.c.level == cell[2],
                )
                .order_by(submissions.c.id)
            ).scalars()
        )

    conn.execute(
        update(submissions).where(submissions.c.id.in_(ids(cells[0]))).values({ALL_BLANK: None})
    )
    conn.execute(
        update(submissions)
        .where(submissions.c.id.in_(ids(cells[1])[::2]))
        .values({SOME_BLANK: None})
    )


def _stored(conn: Connection, period_id: int) -> pd.DataFrame:
    cat = load_catalogue(conn)
    submissions, _ = tables(cat)
    result = conn.execute(
        select(
            submissions.c.period_id,
            submissions.c.unit_id,
            submissions.c.received_at,
            *submissions.c[*cat.codes],
        )
        .where(submissions.c.period_id == period_id)
        .order_by(submissions.c.unit_id)
    )
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def _summary(conn: Connection, period_id: int) -> pd.DataFrame:
    _, summary = tables(load_catalogue(conn))
    result = conn.execute(
        select(summary).where(summary.c.period_id == period_id).order_by(*summary.c[*KEYS])
    )
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def _added(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, chunk: int, change: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the summary add_to_summary leaves, the recount) for the busiest period: every row added
    to an emptied summary; with `change`, every other row then changed (staff_total + 7, one in
    five of those with ALL_BLANK's figure given) and added by difference. Rolled back."""
    monkeypatch.setattr(value_tables, "SUMMARY_CHUNK_ROWS", chunk)
    with engine.connect() as conn:
        transaction = conn.begin()
        cat = load_catalogue(conn)
        submissions, summary = tables(cat)
        period_id = _busiest_period(conn)
        _blank_some(conn, period_id)
        units = unit_reference(conn, names=False)
        conn.execute(delete(summary).where(summary.c.period_id == period_id))
        add_to_summary(conn, cat, _stored(conn, period_id), units)
        if change:
            before = _stored(conn, period_id).iloc[::2].reset_index(drop=True)
            after = before.copy()
            after["staff_total"] = pd.to_numeric(after["staff_total"]) + 7
            after.loc[after.index % 5 == 0, ALL_BLANK] = 4
            for row in after.to_dict("records"):
                conn.execute(
                    update(submissions)
                    .where(
                        submissions.c.unit_id == int(row["unit_id"]),
                        submissions.c.period_id == period_id,
                    )
                    .values(
                        staff_total=int(row["staff_total"]),
                        **{ALL_BLANK: None if pd.isna(row[ALL_BLANK]) else int(row[ALL_BLANK])},
                    )
                )
            add_to_summary(conn, cat, after, units, removed=before)
        added = _summary(conn, period_id)
        refresh_summary(conn, cat, [period_id])
        recount = _summary(conn, period_id)
        transaction.rollback()
    return added, recount


@pytest.mark.parametrize("change", [False, True], ids=["added", "changed"])
def test_summary_added_in_chunks_equals_one_pass_and_a_recount(
    sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, change: bool
) -> None:
    chunked, recount = _added(sample_engine, monkeypatch, SMALL, change)
    one_pass, _ = _added(sample_engine, monkeypatch, ONE_CHUNK, change)
    pd.testing.assert_frame_equal(chunked, one_pass, check_dtype=False)
    pd.testing.assert_frame_equal(chunked, recount, check_dtype=False, rtol=1e-9)
    # The cell blank in every row stays blank, not 0: what the recount's SUM gives.
    assert chunked[ALL_BLANK].isna().any() == (not change)
    assert chunked[SOME_BLANK].notna().all()
