"""Hostile and oversized files: each cap refuses the file with its Vietnamese message, the XLSX
reader streams without trusting the sheet's declared size, and the problem list stays bounded.
(Peak memory of these files is measured by the bench, `hostile_files` in devtools/bench.py.)"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine

from data_access import ingest
from data_access.ingest import limits
from data_access.ingest.errors import WARNING, Problem, UploadError
from data_access.ingest.reading import read_upload
from data_access.ingest.validation import MSG_NOT_NUMBER
from tests.apptest import ADMIN, open_app

DATA = Path(__file__).resolve().parent / "data"
SHEET = "xl/worksheets/sheet1.xml"
TODAY = dt.date(2026, 11, 22)


def xlsx(
    rows: list[list[object]],
    hidden: tuple[int, ...] = (),
    sheet_xml: Callable[[str], str] | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A workbook of `rows` (row 1 the header), with rows `hidden`, its sheet XML rewritten by
    `sheet_xml` and `extra` members added to the zip."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for line in hidden:
        sheet.row_dimensions[line].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    if sheet_xml is None and not extra:
        return buffer.getvalue()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == SHEET and sheet_xml is not None:
                content = sheet_xml(content.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def declare_whole_sheet(far_cell: str) -> Callable[[str], str]:
    """The sheet claims the whole of Excel's grid, A1:XFD1048576, and writes `far_cell` in its
    last row (an empty styled cell or one with a value)."""

    def rewrite(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace("</sheetData>", f'<row r="1048576">{far_cell}</row></sheetData>')

    return rewrite


def add_cell(coordinate: str, text: str) -> Callable[[str], str]:
    """Write `text` into `coordinate` (at the end of its row) as an inline string."""
    row = coordinate.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    cell = f'<c r="{coordinate}" t="inlineStr"><is><t>{text}</t></is></c>'

    def rewrite(xml: str) -> str:
        return re.sub(rf'(<row r="{row}"[^>]*>.*?)</row>', rf"\1{cell}</row>", xml, count=1)

    return rewrite


ROWS: list[list[object]] = [["unit_code", "period", "staff_total"], ["BHXH-HANOI", "2026-Y", 100]]


def test_xlsx_declaring_the_whole_grid_reads_only_its_cells() -> None:
    data = xlsx(ROWS, sheet_xml=declare_whole_sheet('<c r="XFD1048576" s="0"/>'))
    table = read_upload("bao_cao.xlsx", data)
    assert list(table.frame.columns) == ["unit_code", "period", "staff_total"]
    assert table.frame.to_numpy().tolist() == [["BHXH-HANOI", "2026-Y", "100"]]
    assert table.lines == [2]


@pytest.mark.parametrize(
    ("far_cell", "message"),
    [
        ('<c r="A1048576" t="inlineStr"><is><t>x</t></is></c>', limits.MSG_TOO_MANY_ROWS),
        (
            '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',
            limits.MSG_TOO_MANY_ROWS,
        ),
    ],
)
def test_xlsx_with_a_cell_at_the_end_of_the_grid_is_refused(far_cell: str, message: str) -> None:
    data = xlsx(ROWS, sheet_xml=declare_whole_sheet(far_cell))
    with pytest.raises(UploadError) as refused:
        read_upload("bao_cao.xlsx", data)
    assert str(refused.value) == message


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _zip_bomb() -> bytes:
    """A real workbook with a member that unpacks past the cap (zeros compress a thousandfold)."""
    return xlsx(ROWS, extra={"xl/media/padding.bin": bytes(limits.MAX_UNPACKED_BYTES + 1)})


OVER_CAP = [
    pytest.param(
        "rows.csv",
        lambda: _csv(["unit_code,period"] + ["BHXH-HANOI,2026-Y"] * limits.MAX_ROWS),
        limits.MSG_TOO_MANY_ROWS,
        (0, ""),
        id="rows-csv",
    ),
    pytest.param(
        "columns.csv",
        lambda: _csv([",".join(f"c{i}" for i in range(limits.MAX_COLUMNS + 1)), "1," * 3]),
        limits.MSG_TOO_MANY_COLUMNS,
        (1, ""),
        id="columns-csv",
    ),
    pytest.param(
        "columns.xlsx",
        lambda: xlsx([["unit_code", *[""] * limits.MAX_COLUMNS, "x"]]),
        limits.cell_beyond_columns(openpyxl.utils.get_column_letter(limits.MAX_COLUMNS + 2) + "1"),
        (1, openpyxl.utils.get_column_letter(limits.MAX_COLUMNS + 2)),
        id="columns-xlsx",
    ),
    pytest.param(
        "cell.csv",
        lambda: _csv(["unit_code,ghi_chu", "BHXH-HANOI," + "a" * (limits.MAX_CELL_CHARS + 1)]),
        limits.cell_too_long(2, "ghi_chu"),
        (2, "ghi_chu"),
        id="cell-size-csv",
    ),
    pytest.param(
        "cell.xlsx",
        # openpyxl cuts text to Excel's limit when writing: the long cell goes into the XML.
        lambda: xlsx(
            [["unit_code", "ghi_chu"], ["BHXH-HANOI"]],
            sheet_xml=add_cell("B2", "a" * (limits.MAX_CELL_CHARS + 1)),
        ),
        limits.cell_too_long(2, "ghi_chu"),
        (2, "ghi_chu"),
        id="cell-size-xlsx",
    ),
    pytest.param(
        "bomb.xlsx", _zip_bomb, limits.MSG_UNPACKED_TOO_LARGE, (0, ""), id="unpacked-size"
    ),
]


@pytest.mark.parametrize(("name", "make", "message", "where"), OVER_CAP)
def test_over_cap_file_is_refused_with_its_message(
    name: str, make: Callable[[], bytes], message: str, where: tuple[int, str]
) -> None:
    with pytest.raises(UploadError) as refused:
        read_upload(name, make())
    assert str(refused.value) == message
    assert (refused.value.row, refused.value.column) == where


def test_ten_megabyte_multiline_cell_is_refused_naming_row_and_column() -> None:
    cell = "Dòng ghi chú rất dài,\n" * 500_000  # ~11 MB, quoted, spanning lines
    data = f'unit_code,period,ghi_chu\nBHXH-HANOI,2026-Y,"{cell}"\n'.encode()
    with pytest.raises(UploadError) as refused:
        read_upload("ghi_chu.csv", data)
    assert str(refused.value) == limits.cell_too_long(2, "ghi_chu")
    assert (refused.value.row, refused.value.column) == (2, "ghi_chu")


def test_formula_without_cached_value_is_refused_naming_the_cell() -> None:
    # openpyxl writes formulas without computing them, as other tools that make XLSX files do.
    data = xlsx([["unit_code", "staff_total"], ["BHXH-HANOI", "=1+1"], ["THADS-HANOI", "=2*3"]])
    with pytest.raises(UploadError) as refused:
        read_upload("cong_thuc.xlsx", data)
    assert str(refused.value) == limits.formula_without_value("B2", 1)
    assert (refused.value.row, refused.value.column) == (2, "B")


def test_formula_with_cached_value_is_read() -> None:
    def cache(xml: str) -> str:
        return xml.replace("<f>1+1</f><v></v>", "<f>1+1</f><v>2</v>").replace(
            "<f>1+1</f><v/>", "<f>1+1</f><v>2</v>"
        )

    data = xlsx([["unit_code", "staff_total"], ["BHXH-HANOI", "=1+1"]], sheet_xml=cache)
    assert read_upload("cong_thuc.xlsx", data).frame.to_numpy().tolist() == [["BHXH-HANOI", "2"]]


def _ok_rows() -> list[list[object]]:
    text = (DATA / "ok_utf8_comma.csv").read_text(encoding="utf-8")
    import csv

    return [list(r) for r in csv.reader(io.StringIO(text))]


def test_hidden_rows_are_read_and_named_in_a_warning() -> None:
    rows = _ok_rows()
    table = read_upload("an_dong.xlsx", xlsx(rows, hidden=(3,)))
    assert table.lines == list(range(2, len(rows) + 1))  # still imported
    assert table.notices == [Problem(3, "", limits.hidden_rows([3]), WARNING)]


def test_hidden_rows_warning_reaches_the_report(sqlite_sample_engine: Engine) -> None:
    rows = _ok_rows()
    report = ingest.dry_run(
        sqlite_sample_engine, "an_dong.xlsx", xlsx(rows, hidden=(2, 3)), today=TODAY
    )
    assert limits.hidden_rows([2, 3]) in [w.message for w in report.warnings]
    refused = ingest.commit(
        sqlite_sample_engine, "an_dong.xlsx", xlsx(rows, hidden=(2, 3)), user="t", today=TODAY
    )
    assert not refused.committed  # a warning must be confirmed


BAD_ROWS = limits.MAX_ROWS - 1  # the header is a row too
NOT_NUMBER_COLUMNS = ("staff_total", "staff_female", "managers_total")


@pytest.mark.slow
def test_bad_csv_at_the_row_cap_lists_the_first_errors_and_counts_the_rest(
    sqlite_sample_engine: Engine,
) -> None:
    header = "unit_code,period,report_date," + ",".join(NOT_NUMBER_COLUMNS)
    data = _csv([header] + ["BHXH-HANOI,2026-Y,20/11/2026,x,y,z"] * BAD_ROWS)
    report = ingest.dry_run(sqlite_sample_engine, "loi.csv", data, today=TODAY)
    assert report.errors and not report.committed
    listed = report.errors
    assert len(listed) == limits.MAX_PROBLEMS_LISTED
    assert [p.row for p in listed] == sorted(p.row for p in listed)
    assert listed[0].row == 2 and listed[-1].row < 2 + limits.MAX_PROBLEMS_LISTED
    # every row: three non-numbers; every row after the first: a duplicate of row 2
    assert report.error_count == BAD_ROWS * len(NOT_NUMBER_COLUMNS) + BAD_ROWS - 1
    counts = {(c.column, c.message): c.count for c in report.problem_counts}
    for name in NOT_NUMBER_COLUMNS:
        assert counts[(name, MSG_NOT_NUMBER)] == BAD_ROWS
    assert sum(c.count for c in report.problem_counts if c.severity == "error") == (
        report.error_count
    )
    assert len(report.problem_counts) <= limits.MAX_PROBLEM_GROUPS + len(NOT_NUMBER_COLUMNS) + 3
    assert f"{report.error_count:,}".replace(",", ".") in report.message


def test_upload_page_shows_the_cap_message(app_db: Engine) -> None:
    at = open_app(ADMIN, "pages/upload.py")
    data = _csv([",".join(f"c{i}" for i in range(limits.MAX_COLUMNS + 1)), "1," * 3])
    at.file_uploader[0].set_value(("rong.csv", data, "text/csv")).run()
    assert not at.exception
    assert "từ chối" in at.error[0].value
    assert limits.MSG_TOO_MANY_COLUMNS in at.dataframe[0].value["Nội dung"].tolist()
