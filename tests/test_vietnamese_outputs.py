"""Issue #17 item 6: what leaves the app in CSV, and the report's comparison headings, read in
Vietnamese: headings, periods in words, dates dd/mm/yyyy, decimal commas, no "None"/"nan"."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access import ingest
from data_access.analytics.exports import export, to_csv_vi
from data_access.documents.report import report_content
from data_access.domain.filters import Filters
from data_access.domain.province_sets import ProvinceSet
from data_access.ingest.errors import error_report_name
from data_access.queries.lookups import load_catalogue

PERIOD_CODE = re.compile(r"\b\d{4}-(?:Y|H1)\b")
SEED = Filters(
    periods=("2022-Y",), agencies=("BHXH",), province_set=ProvinceSet.CURRENT, provinces=("44",)
)


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the diacritics
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    ("column", "value", "heading", "written"),
    [
        ("received_at", pd.Timestamp("2025-07-03 09:41:12.123456"), "Ngày nhận", "03/07/2025"),
        ("received_at", None, "Ngày nhận", ""),
        ("days_late", pd.NA, "Số ngày muộn", ""),
        ("days_late", 12, "Số ngày muộn", "12"),
        ("unit_name", "BHXH tỉnh Quảng Trị", "Đơn vị", "BHXH tỉnh Quảng Trị"),
        ("share", 53.6, "share", "53,6"),
        ("when", dt.date(2026, 1, 5), "when", "05/01/2026"),
    ],
)
def test_a_vietnamese_csv_cell(column: str, value: object, heading: str, written: str) -> None:
    dtype = "Int64" if column == "days_late" else None
    frame = pd.DataFrame({column: pd.Series([value], dtype=dtype)})
    (row,) = _rows(to_csv_vi(frame))
    assert row == {heading: written}


def test_the_explore_csv_in_vietnamese_names_its_columns_and_periods(
    shared_sample_engine: Engine,
) -> None:
    data, _ = export(shared_sample_engine, "unit", SEED, "csv", headings="vi")
    rows = _rows(data)
    row = next(r for r in rows if r["Mã đơn vị"] == "BHXH-QUANGTRI")
    assert row["Kỳ báo cáo"] == "Năm 2022"
    # 2022 is before the 63→34 reform: its rows are in the 63-province set.
    assert row["Bộ mã tỉnh"] == ProvinceSet.LEGACY.short_label_vi
    assert row[load_catalogue(shared_sample_engine).by_code["staff_total"].heading_vi] == "235"
    assert "53,6" in row.values()
    text = data.decode("utf-8-sig")
    assert not PERIOD_CODE.search(text) and "None" not in text and "nan" not in text
    assert not any(re.fullmatch(r"[a-z_]+", heading) for heading in row)


def test_the_report_compares_with_a_period_in_words(shared_sample_engine: Engine) -> None:
    content = report_content(shared_sample_engine, "BHXH", "2023-Y")
    cells = [c for s in content.sections for r in s.rows for c in r if isinstance(c, str)]
    assert any("năm 2022" in c for c in cells)
    assert not any(PERIOD_CODE.search(c) for c in cells)


@pytest.mark.parametrize(
    ("upload", "report"),
    [
        ("bao_cao_2025.csv", "loi_bao_cao_2025.csv"),
        ("Báo cáo BHXH.xlsx", "loi_Báo cáo BHXH.csv"),
        ("khong_duoi", "loi_khong_duoi.csv"),
    ],
)
def test_the_error_report_is_named_once_csv(upload: str, report: str) -> None:
    assert error_report_name(upload) == report


def test_upload_warnings_name_indicators_by_their_labels(shared_sample_engine: Engine) -> None:
    content = (Path(__file__).parent / "data" / "warn_ratios_and_missing.csv").read_bytes()
    report = ingest.dry_run(shared_sample_engine, "w.csv", content, today=dt.date(2026, 11, 22))
    catalogue = load_catalogue(shared_sample_engine)
    listing = [p.message for p in report.problems if "chỉ tiêu" in p.message]
    assert listing, [p.message for p in report.problems]
    for message in listing:
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", message), message
    assert any(catalogue.by_code["party_members_total"].heading_vi in m for m in listing), listing
