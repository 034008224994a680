"""PostgreSQL takes an upload's new rows as CSV that Arrow writes (bulk.copy_stream), not row by
row through the driver: the rows stored are exactly those the driver's COPY stored, on tricky
cells (blanks, decimals, Vietnamese text with quotes, commas, line breaks and backslashes, a
blank date), and a rollback removes them alike. On SQLite the switch changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from data_access import ingest
from data_access.db.catalogue import load as load_catalogue
from data_access.db.models import Period
from data_access.db.value_tables import tables
from data_access.ingest import writes

TODAY = dt.date(2026, 11, 22)
PERIOD = "2026-Y"
NARRATIVES = [
    'Đã tổ chức "Tuần lễ bình đẳng giới", hội nghị; tập huấn',
    "Dòng một\nDòng hai\r\nDòng ba",
    "Đường dẫn C:\\báo cáo\\2026 \\N và \\.",
    "",
    "   ",
    "Phụ nữ, trẻ em: 53,6% · 1.520 người",
]


def _file(engine: Engine) -> bytes:
    with engine.connect() as conn:
        units = conn.execute(
            text(
                "SELECT u.code, a.code FROM units u JOIN agencies a ON a.id = u.agency_id "
                "WHERE u.active_to IS NULL ORDER BY a.code = 'THADS' DESC, u.code LIMIT 40"
            )
        ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "unit_code",
            "period",
            "report_date",
            "staff_total",
            "staff_female",
            "thads_money_eligible_bn",
            "thads_money_completed_bn",
            "assessment",
            "limitations",
        ]
    )
    for i, (unit, agency) in enumerate(units):
        thads = agency == "THADS"
        writer.writerow(
            [
                unit,
                PERIOD,
                "" if i % 5 == 0 else f"{1 + i % 28:02d}/06/2026",
                "" if i % 7 == 0 else 100 + i,
                "" if i % 4 == 0 else 40 + i,
                f"{i / 3:.3f}".replace(".", ",") if thads and i % 3 else "",
                "0,1" if thads else "",
                NARRATIVES[i % len(NARRATIVES)],
                NARRATIVES[(i + 2) % len(NARRATIVES)],
            ]
        )
    return out.getvalue().encode()


def _stored(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        submissions, _ = tables(load_catalogue(conn))
        columns = [c for c in submissions.c if c.name not in ("id", "batch_id", "received_at")]
        return [
            tuple(row)
            for row in conn.execute(
                select(*columns)
                .where(
                    submissions.c.period_id
                    == select(Period.id).where(Period.code == PERIOD).scalar_subquery()
                )
                .order_by(submissions.c.unit_id)
            )
        ]


@pytest.mark.parametrize("chunk_rows", [writes.WRITE_CHUNK_ROWS, 7])
def test_rows_copied_as_arrow_csv_are_the_rows_the_driver_copies(
    sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    # 7 rows a chunk: six batches through one COPY (its sender's queue full), as a large file's.
    monkeypatch.setattr(writes, "WRITE_CHUNK_ROWS", chunk_rows)
    content = _file(sample_engine)
    stored = {}
    for arrow in (False, True):
        monkeypatch.setattr(writes, "ARROW_COPY", arrow)
        report = ingest.commit(
            sample_engine, "copy.csv", content, user="thuky", accept_warnings=True, today=TODAY
        )
        assert report.committed and report.inserted == 40, report.message
        stored[arrow] = _stored(sample_engine)
        with sample_engine.connect() as conn:
            received = conn.execute(
                text("SELECT DISTINCT received_at FROM submissions WHERE batch_id = :b"),
                {"b": report.batch_id},
            ).all()
        assert len(received) == 1 and received[0][0] is not None
        assert report.batch_id is not None
        ingest.rollback(sample_engine, report.batch_id, user="thuky")
        assert _stored(sample_engine) == []
    assert len(stored[True]) == 40
    assert stored[True] == stored[False]
    texts = {cell for row in stored[True] for cell in row if isinstance(cell, str)}
    assert {NARRATIVES[0], NARRATIVES[2], NARRATIVES[5]} <= texts
    assert any(row is not None and None in row for row in stored[True])  # blanks stay NULL
