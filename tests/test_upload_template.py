"""The upload template (`python -m data_access template -o FILE`): its format follows the file's
extension, the CSV opens in Vietnamese Excel (BOM, ';'), it says where a unit's name goes, and
a filled-in template passes the dry run."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select

from data_access import ingest
from data_access.cli import main
from data_access.db.models import Unit
from data_access.ingest.templates import UNIT_NAME_HINT

UNIT_HEADINGS = ["Mã đơn vị [unit_code]", "Tên đơn vị [unit_name]"]


def _template(engine: Engine, path: Path, kind: str = "submissions") -> int:
    url = engine.url.render_as_string(hide_password=False)
    return main(["--database-url", url, "template", "--kind", kind, "-o", str(path)])


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("kind", ["submissions", "activities"])
def test_a_csv_file_gets_a_csv_template_excel_opens(
    sqlite_sample_engine: Engine, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "tpl.csv"
    assert _template(sqlite_sample_engine, path, kind) == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows the diacritics
    rows = _csv_rows(data)
    notes = [r for r in rows if r and r[0].startswith("#")]
    header = next(r for r in rows if r and not r[0].startswith("#"))
    # ';' splits the header into its columns (Vietnamese Excel's list separator).
    assert header[:2] == UNIT_HEADINGS and len(header) > 5
    assert any(UNIT_NAME_HINT in " ".join(r) for r in notes)


@pytest.mark.parametrize("kind", ["submissions", "activities"])
def test_an_xlsx_file_gets_an_xlsx_template(
    sqlite_sample_engine: Engine, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "tpl.xlsx"
    assert _template(sqlite_sample_engine, path, kind) == 0
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:2] == UNIT_HEADINGS
    guide = [c.value for c in book["Hướng dẫn"]["A"] if c.value]
    assert any(UNIT_NAME_HINT in line for line in guide)


@pytest.mark.parametrize("name", ["tpl.txt", "tpl", "tpl.xls"])
def test_another_extension_is_refused_in_vietnamese(
    sqlite_sample_engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    path = tmp_path / name
    assert _template(sqlite_sample_engine, path) == 2
    assert not path.exists()
    assert "Tên file mẫu phải kết thúc bằng .csv hoặc .xlsx" in capsys.readouterr().err


def _unit_name(engine: Engine, code: str) -> str:
    with engine.connect() as conn:
        return conn.execute(select(Unit.name).where(Unit.code == code)).scalar_one()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_filled_template_passes_the_dry_run(
    sqlite_sample_engine: Engine, tmp_path: Path, suffix: str
) -> None:
    """One row by the unit's code, one by its name alone (code left empty); THADS units: the
    template has their own indicators too."""
    path = tmp_path / f"mau{suffix}"
    assert _template(sqlite_sample_engine, path) == 0
    by_name = _unit_name(sqlite_sample_engine, "THADS-HANOI")
    if suffix == ".csv":
        rows = _csv_rows(path.read_bytes())
        header = next(r for r in rows if r and not r[0].startswith("#"))
    else:
        book = openpyxl.load_workbook(path)
        header = [c.value or "" for c in book.worksheets[0][1]]
    filled = []
    for code, name in (("THADS-TW01", ""), ("", by_name)):
        row: dict[str, str] = {"Mã đơn vị [unit_code]": code, "Tên đơn vị [unit_name]": name}
        row["Kỳ báo cáo [period]"] = "2026-Y"
        row["Ngày báo cáo [report_date]"] = "20/11/2026"
        filled.append([row.get(h, "1" if h.endswith("]") else "") for h in header])
    if suffix == ".csv":
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(filled)
        content = path.read_bytes() + out.getvalue().encode("utf-8")
    else:
        sheet = book.worksheets[0]
        for line in filled:
            sheet.append(line)
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
    report = ingest.dry_run(sqlite_sample_engine, path.name, content)
    assert [(p.row, p.column, p.message) for p in report.errors] == []
    assert report.inserted == 2


def test_the_upload_page_offers_both_templates(app_db: Engine) -> None:
    from tests.apptest import SECRETARIAT_BHXH, open_app

    at = open_app(SECRETARIAT_BHXH, "pages/upload.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Mẫu Excel (.xlsx)", "Mẫu CSV (.csv)"]
    assert UNIT_NAME_HINT in [c.value for c in at.caption]
