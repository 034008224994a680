"""What leaves the app is safe: the Word report and every download survive control characters,
user text shows as text (never Markdown that fetches images or draws links), and CSV/XLSX cells
never start a formula, even after a line break inside a value."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, text
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from data_access.analytics.exports import FORMULA_PREFIXES, to_csv_bytes, to_xlsx_bytes
from data_access.cli import main
from data_access.documents.report import write_report
from tests.apptest import SECRETARIAT_BHXH, VIEWER, open_app

UNIT = "BHXH-QUANGTRI"
PERIOD = "2022-Y"
# A vertical tab (python-docx refuses it) and Markdown an uploader could use to make every
# leader's browser fetch an image, follow a link or see a heading.
NARRATIVE = (
    "Tăng cường\x0bphối hợp ![](http://evil.example/pixel.png) "
    "[bấm vào đây](http://evil.example) :red[đỏ] $x^2$\n# Tiêu đề giả"
)
RENDERED_MARKDOWN = ("![](", "](http", ":red[", "\n# ")
# What a value becomes in a CSV or XLSX cell.
NEUTRALISED = {
    '=HYPERLINK("http://x","y")': '\'=HYPERLINK("http://x","y")',
    "@SUM(A1)": "'@SUM(A1)",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "+1": "'+1",
    "ghi chú\r=1+1": "ghi chú =1+1",
    "ghi chú\n=1+1": "ghi chú =1+1",
    "ghi chú\r\n@SUM(A1)": "ghi chú @SUM(A1)",
    "\r=1+1": "' =1+1",
    "  @SUM(A1)": "'  @SUM(A1)",
    "\t=1+1": "'\t=1+1",
}
PAYLOADS = list(NEUTRALISED)


def _plant_narrative(engine: Engine, unit: str = UNIT, period: str = PERIOD) -> None:
    """Write the narrative straight into the database (as a row stored before any cleaning)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE submissions SET assessment = :t, recommendations = :t "
                "WHERE unit_id = (SELECT id FROM units WHERE code = :u) "
                "AND period_id = (SELECT id FROM periods WHERE code = :p)"
            ),
            {"t": NARRATIVE, "u": unit, "p": period},
        )


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str | None, bytes]]]:
    """(file name, bytes) of every file a page hands to a download button, recorded on the way
    into Streamlit's real in-memory media storage."""
    seen: list[tuple[str | None, bytes]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes):
            seen.append((filename, path_or_data))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    yield seen


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


# --- Word report -------------------------------------------------------------------------------


def test_word_report_with_a_control_character_and_markdown_is_written(
    sample_engine: Engine,
) -> None:
    _plant_narrative(sample_engine)
    paragraphs = _paragraphs(write_report(sample_engine, "BHXH", PERIOD))
    written = [p for p in paragraphs if "phối hợp" in p]
    assert len(written) == 2  # assessment and recommendations
    assert all("\x0b" not in p for p in written)
    assert "Tăng cường\nphối hợp ![](http://evil.example/pixel.png)" in written[0]  # as typed


def test_report_page_downloads_the_word_report_and_previews_text_as_text(
    app_db: Engine, downloads: list[tuple[str | None, bytes]]
) -> None:
    _plant_narrative(app_db)
    at = open_app(VIEWER, "pages/report.py")
    at.selectbox(key="rep_agency").set_value("BHXH").run()
    at.selectbox(key="rep_period").set_value(PERIOD).run()
    next(b for b in at.button if b.label == "Tạo báo cáo Word").click().run()
    assert not at.exception and not at.error
    docs = [data for name, data in downloads if name and name.endswith(f"BHXH_{PERIOD}.docx")]
    assert docs, "the Word report is built in the run of the click, so a failure can be shown"
    assert any("phối hợp" in p for p in _paragraphs(docs[-1]))
    assert [t for t in at.text if NARRATIVE.replace("\x0b", "\n") in t.value]  # plain text
    bodies = [m.value for m in at.markdown] + [c.value for c in at.caption]
    shown = [b for b in bodies if "phối hợp" in b]
    for body in shown:  # no Markdown element shows them live
        assert not any(syntax in body for syntax in RENDERED_MARKDOWN), body
        assert "\x0b" not in body


def test_unit_page_shows_narratives_as_text(app_db: Engine) -> None:
    latest = (
        pd.read_sql(
            text(
                "SELECT p.code FROM submissions s JOIN periods p ON p.id = s.period_id "
                # the page shows the latest report of the selected kind (annual by default)
                "JOIN units u ON u.id = s.unit_id WHERE u.code = :u AND p.kind = 'Y' "
                "ORDER BY p.end_date DESC"
            ),
            app_db,
            params={"u": UNIT},
        )
        .iloc[0]
        .item()
    )
    _plant_narrative(app_db, UNIT, latest)
    at = open_app(VIEWER, "pages/unit.py")
    at.selectbox(key="unit_code").set_value(UNIT).run()
    assert not at.exception
    assert [t for t in at.text if t.value == NARRATIVE.replace("\x0b", "\n")]  # plain text
    shown = [m.value for m in at.markdown if "phối hợp" in m.value]
    for body in shown:
        assert not any(syntax in body for syntax in RENDERED_MARKDOWN), body
        assert "\x0b" not in body


# --- CSV / XLSX --------------------------------------------------------------------------------


def _assert_neutral_csv(data: bytes, rows: int, delimiter: str = ",") -> list[list[str]]:
    decoded = data.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter))
    assert len(parsed) == rows + 1  # no value split a row
    for line in decoded.splitlines():  # a tool that reads line by line sees no formula either
        assert not line.startswith(FORMULA_PREFIXES[:4]), line
    for row in parsed:
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), cell
            assert "\r" not in cell and "\n" not in cell, cell
    return parsed


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_export_neutralises_formulas(payload: str) -> None:
    frame = pd.DataFrame({"unit_name": [payload, "Bình thường"], "staff_total": [1, 2]})
    parsed = _assert_neutral_csv(to_csv_bytes(frame), 2)
    assert parsed[1:] == [[NEUTRALISED[payload], "1"], ["Bình thường", "2"]]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xlsx_export_neutralises_formulas(payload: str) -> None:
    frame = pd.DataFrame({"unit_name": [payload], "staff_total": [1]})
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, [("Đơn vị", payload)])))
    cells = [
        c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value
    ]
    assert cells.count(NEUTRALISED[payload]) == 2  # the data and the filters sheets
    for value in cells:
        if isinstance(value, str):
            assert not value.startswith(FORMULA_PREFIXES), value
            assert "\r" not in value and "\n" not in value, value


def test_upload_error_report_is_neutralised(
    app_db: Engine, downloads: list[tuple[str | None, bytes]]
) -> None:
    lines = ["unit_code,period,staff_total,staff_female,managers_total,managers_female"]
    lines += [f'"{p.replace(chr(34), chr(34) * 2)}",2026-Y,10,5,2,1' for p in PAYLOADS]
    at = open_app(SECRETARIAT_BHXH, "pages/upload.py")
    at.file_uploader[0].set_value(("x.csv", "\n".join(lines).encode(), "text/csv")).run()
    assert not at.exception
    reports = [data for name, data in downloads if name == "loi_x.csv"]
    assert reports
    parsed = _assert_neutral_csv(reports[-1], len(at.dataframe[0].value), delimiter=";")
    values = [row[-1] for row in parsed[1:]]
    assert '\'=HYPERLINK("http://x","y")' in values and "'@SUM(A1)" in values


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_report_to_an_unwritable_path_says_why(
    sqlite_sample_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_sample_engine.url.render_as_string(hide_password=False)
    target = tmp_path / "khong_co_thu_muc" / "bao_cao.docx"
    code = main(
        ["--database-url", url, "report", "--agency", "BHXH", "--period", PERIOD, "-o", str(target)]
    )
    err = capsys.readouterr().err
    assert code != 0
    assert "Không ghi được" in err and str(target) in err
    assert "Traceback" not in err


def test_cli_report_with_a_control_character_is_written(
    sqlite_sample_engine: Engine, tmp_path: Path
) -> None:
    _plant_narrative(sqlite_sample_engine)
    url = sqlite_sample_engine.url.render_as_string(hide_password=False)
    target = tmp_path / "bao_cao.docx"
    assert (
        main(
            [
                "--database-url",
                url,
                "report",
                "--agency",
                "BHXH",
                "--period",
                PERIOD,
                "-o",
                str(target),
            ]
        )
        == 0
    )
    assert any("phối hợp" in p for p in _paragraphs(target.read_bytes()))
