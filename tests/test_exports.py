"""Exports: the seed facts, the filter record, spreadsheet hygiene and the CLI."""

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select, text

from data_access.analytics.exports import FILTERS_SHEET, export, neutralise, to_csv_bytes
from data_access.cli import main
from data_access.db.models import Unit
from data_access.domain.filters import Filters
from data_access.domain.province_sets import ProvinceSet

SEED = Filters(
    periods=("2022-Y",), agencies=("BHXH",), province_set=ProvinceSet.CURRENT, provinces=("44",)
)


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_export_has_the_seed_facts(shared_sample_engine: Engine) -> None:
    data, count = export(shared_sample_engine, "unit", SEED, "csv")
    rows = _csv_rows(data)
    assert count == len(rows) > 1
    row = next(r for r in rows if r["unit_code"] == "BHXH-QUANGTRI")
    assert (row["staff_total"], row["staff_female"], row["staff_female_pct"]) == (
        "235",
        "126",
        "53.6",
    )
    assert (row["managers_total"], row["managers_female"], row["managers_female_pct"]) == (
        "48",
        "17",
        "35.4",
    )
    assert list(rows[0])[:8] == [
        "agency_code",
        "agency_name",
        "province_code",
        "province_set",
        "province_name",
        "unit_code",
        "unit_name",
        "period",
    ]
    # Selected in the 34-province set, a 2022 unit row names the province of 2022 (issue 16).
    assert {r["province_set"] for r in rows} == {"legacy"} and {r["agency_code"] for r in rows} == {
        "BHXH"
    }


def test_xlsx_export_has_header_panes_filter_and_the_filters_sheet(
    shared_sample_engine: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "x.xlsx"
    _, count = export(shared_sample_engine, "unit", SEED, "xlsx", out)
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["agency_code", "agency_name", "province_code"]
    assert sheet.freeze_panes == "I2"  # header row and the eight identifier columns
    assert sheet.auto_filter.ref is not None and sheet.max_row == count + 1
    record = {r[0].value: r[1].value for r in book[FILTERS_SHEET].iter_rows(min_row=2)}
    assert record["Kỳ báo cáo"] == "2022-Y" and record["Ngành"] == "BHXH"
    assert record["Tỉnh, thành phố"] == "44" and record["Số dòng"] == str(count)
    rows = {
        r[5]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows["BHXH-QUANGTRI"]["staff_female_pct"] == 53.6


@pytest.mark.parametrize("level", ["province", "agency"])
def test_export_levels_sum_the_units(shared_sample_engine: Engine, level: str) -> None:
    units = _csv_rows(export(shared_sample_engine, "unit", Filters(periods=("2023-Y",)), "csv")[0])
    rows = _csv_rows(export(shared_sample_engine, level, Filters(periods=("2023-Y",)), "csv")[0])
    assert sum(int(r["staff_total"]) for r in rows) == sum(int(r["staff_total"]) for r in units)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", " cmd"),  # a line break never stays in a cell: it could start a new row
        ("BHXH tỉnh", "BHXH tỉnh"),
        (-5, -5),
        (12.5, 12.5),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def test_formula_injection_is_neutralised_in_both_formats(
    sample_engine: Engine, tmp_path: Path
) -> None:
    with sample_engine.begin() as conn:
        conn.execute(
            text("UPDATE units SET name = '=cmd|'' /C calc''!A0' WHERE code = 'BHXH-QUANGTRI'")
        )
    f = Filters(periods=("2022-Y",), units=("BHXH-QUANGTRI",))
    rows = _csv_rows(export(sample_engine, "unit", f, "csv")[0])
    assert rows[0]["unit_name"].startswith("'=")
    export(sample_engine, "unit", f, "xlsx", tmp_path / "x.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "x.xlsx").worksheets[0]["G2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_export_is_audited(sample_engine: Engine) -> None:
    export(sample_engine, "agency", Filters(periods=("2022-Y",)), "csv", user="thuky")
    with sample_engine.connect() as conn:
        row = conn.execute(
            text("SELECT user_name, detail FROM audit_log WHERE action = 'export'")
        ).one()
    detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail)
    assert row.user_name == "thuky" and detail["rows"] == 4


def test_empty_export_still_has_headers() -> None:
    import pandas as pd

    assert to_csv_bytes(pd.DataFrame(columns=["a", "b"])).decode("utf-8-sig").strip() == "a,b"


def test_cli_export(
    sample_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sample_engine.url.render_as_string(hide_password=False)
    out = tmp_path / "p.csv"
    code = main(
        [
            "--database-url",
            url,
            "export",
            "--level",
            "province",
            "--province",
            "44",
            "--province-set",
            "2025",
            "--period",
            "Năm 2022",
            "--format",
            "csv",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {"output": str(out), "rows": 1}
    rows = _csv_rows(out.read_bytes())
    assert rows[0]["province_name"] == "Quảng Trị" and rows[0]["period"] == "2022-Y"
    assert (
        main(
            [
                "--database-url",
                url,
                "export",
                "--level",
                "unit",
                "--period",
                "2022",
                "--format",
                "csv",
                "-o",
                str(out),
            ]
        )
        == 2
    )
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--level", "nowhere", "--format", "csv", "-o", str(out)])
    assert exit_info.value.code == 2
    with sample_engine.connect() as conn:
        assert conn.execute(select(Unit.code).where(Unit.code == "BHXH-QUANGTRI")).scalar_one()
