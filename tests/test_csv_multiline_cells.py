"""CSV cells spanning several lines (a quoted narrative typed with line breaks): read as one cell,
rows after it numbered by the file's own lines, stored with plain line breaks."""

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from data_access import ingest
from data_access.db.catalogue import load
from data_access.db.models import Period, Unit
from data_access.db.value_tables import tables
from data_access.ingest.reading import read_upload

TODAY = dt.date(2026, 11, 22)
HEADER = "unit_code,period,report_date,staff_total,staff_female,assessment"


def _csv(*rows: str, newline: str = "\n") -> bytes:
    return newline.join([HEADER, *rows, ""]).encode("utf-8")


@pytest.mark.parametrize(
    ("data", "cell", "lines"),
    [
        (
            _csv(
                'BHXH-HANOI,2026-Y,20/11/2026,10,5,"Dòng một\nDòng hai"', "THADS-HANOI,2026-Y,,4,2,"
            ),
            "Dòng một\nDòng hai",
            [2, 4],
        ),
        (
            _csv(
                'BHXH-HANOI,2026-Y,,10,5,"Một\r\nHai\r\n\r\nBốn"',
                "THADS-HANOI,2026-Y,,4,2,",
                newline="\r\n",
            ),
            "Một\r\nHai\r\n\r\nBốn",
            [2, 6],
        ),
        (
            _csv(
                'BHXH-HANOI,2026-Y,,10,5,"Có ""ngoặc kép"",\nvà dấu phẩy"',
                "THADS-HANOI,2026-Y,,4,2,",
            ),
            'Có "ngoặc kép",\nvà dấu phẩy',
            [2, 4],
        ),
    ],
    ids=["lf", "crlf-with-blank-line", "quotes-and-commas"],
)
def test_a_quoted_cell_keeps_its_lines_and_later_rows_their_file_line(
    data: bytes, cell: str, lines: list[int]
) -> None:
    table = read_upload("bao_cao.csv", data)
    assert len(table.frame) == 2
    assert table.frame.iloc[0]["assessment"] == cell
    assert table.frame.iloc[1]["unit_code"] == "THADS-HANOI"
    assert table.lines == lines


def test_an_error_after_a_multiline_cell_names_the_file_line(
    shared_sample_engine: Engine,
) -> None:
    data = _csv('BHXH-HANOI,2026-Y,,10,5,"Một\nHai\nBa"', "THADS-HANOI,2026-Y,,4,-2,")
    report = ingest.dry_run(shared_sample_engine, "bao_cao.csv", data, today=TODAY)
    assert [(p.row, p.column) for p in report.errors] == [(5, "staff_female")]


def test_a_multiline_narrative_is_stored_with_plain_line_breaks(sample_engine: Engine) -> None:
    data = _csv('BHXH-HANOI,2026-Y,20/11/2026,10,5,"Đạt kế hoạch.\r\nCần tăng tập huấn."')
    report = ingest.commit(
        sample_engine, "bao_cao.csv", data, user="thuky", today=TODAY, accept_warnings=True
    )
    assert report.committed, report.problems
    with sample_engine.connect() as conn:
        submissions, _ = tables(load(conn))
        stored = conn.execute(
            select(submissions.c.assessment)
            .join(Unit, Unit.id == submissions.c.unit_id)
            .join(Period, Period.id == submissions.c.period_id)
            .where(Unit.code == "BHXH-HANOI", Period.code == "2026-Y")
        ).scalar_one()
    assert stored == "Đạt kế hoạch.\nCần tăng tập huấn."
