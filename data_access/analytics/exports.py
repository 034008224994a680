"""Exports of filtered tables as CSV (UTF-8 with BOM, for Vietnamese Excel) and XLSX.

Columns: identifiers for the level, the period, every indicator code, and `<pair>_female_pct`
rounded to one decimal. Text cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xlsxwriter
from sqlalchemy import Engine

from data_access.auth import Identity
from data_access.db import audit
from data_access.db.catalogue import Catalogue
from data_access.domain.filters import Filters, scoped
from data_access.domain.province_sets import ProvinceSet
from data_access.domain.safe_text import one_line
from data_access.queries.aggregate import aggregate, female_pct_columns
from data_access.queries.lookups import load_catalogue

LEVELS = ("unit", "province", "agency")
FORMATS = ("csv", "xlsx")
# The filter sheet names the province set briefly (a spreadsheet cell, not a sidebar).
EXPORT_SET_LABELS = {
    ProvinceSet.CURRENT: "34 tỉnh (từ 01/07/2025)",
    ProvinceSet.LEGACY: "63 tỉnh (trước 01/07/2025)",
}
IDENTIFIERS = {
    "unit": [
        "agency_code",
        "agency_name",
        "province_code",
        "province_set",
        "province_name",
        "unit_code",
        "unit_name",
        "period",
    ],
    "province": ["province_code", "province_set", "province_name", "period"],
    "agency": ["agency_code", "agency_name", "period"],
}
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FILTERS_SHEET = "Bộ lọc"
LEGEND_SHEET = "Chú giải"
DATA_SHEET = "Dữ liệu"


def neutralise(value: object) -> object:
    """Text a spreadsheet can hold safely, for every CSV and XLSX the app writes: one line (a bare
    CR would start a new row in many readers, and that row could start with "="), no control
    characters, and an apostrophe before what a spreadsheet would run as a formula."""
    if not isinstance(value, str):
        return value
    text = one_line(value)
    # Some spreadsheets skip leading spaces before deciding that a cell is a formula.
    return "'" + text if text.lstrip(" ").startswith(FORMULA_PREFIXES) else text


@dataclass(frozen=True)
class ExportResult:
    frame: pd.DataFrame
    filters: list[tuple[str, str]]


def export_frame(
    engine: Engine, level: str, filters: Filters, indicators: Sequence[str] | None = None
) -> ExportResult:
    """The table an export writes: one row per `level` × period, in catalogue order (all
    indicators, or the chosen ones with their pairs' female shares)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    catalogue = load_catalogue(engine)
    codes = [c for c in catalogue.codes if indicators is None or c in indicators]
    data = aggregate(engine, filters, by=(level, "period"), indicators=codes)
    pct = female_pct_columns(catalogue, codes)
    frame = data.reindex(columns=IDENTIFIERS[level] + codes + pct)
    frame[pct] = frame[pct].astype("float64").round(1)
    for ind in catalogue.indicators:
        if ind.value_type == "int" and ind.code in frame:
            frame[ind.code] = pd.to_numeric(frame[ind.code]).astype("Int64")
    return ExportResult(frame.reset_index(drop=True), describe_filters(level, filters))


def describe_filters(level: str, f: Filters) -> list[tuple[str, str]]:
    """The filters as (Vietnamese label, value) lines, for the file's own record."""
    everything = "Tất cả"
    periods = (
        ", ".join(f.periods)
        if f.periods
        else (
            f"{'Cả năm' if f.period_kind == 'Y' else '6 tháng đầu năm'}, "
            f"{f.year_from or '…'}–{f.year_to or '…'}"
        )
    )
    return [
        (
            "Cấp tổng hợp",
            {"unit": "Đơn vị", "province": "Tỉnh, thành phố", "agency": "Ngành"}[level],
        ),
        ("Kỳ báo cáo", periods),
        ("Ngành", ", ".join(f.agencies) or everything),
        (
            "Bộ mã tỉnh",
            EXPORT_SET_LABELS[f.province_set],
        ),
        ("Tỉnh, thành phố", ", ".join(f.provinces) or everything),
        ("Cấp đơn vị", ", ".join(f.levels) or everything),
        ("Đơn vị", ", ".join(f.units) or everything),
        (
            "Báo cáo chưa duyệt",
            "Có (báo cáo đã gửi thay cho số liệu đã duyệt)" if f.include_unapproved else "Không",
        ),
        ("Phạm vi người dùng", ", ".join(f.scope) or everything),
        ("Thời điểm xuất", dt.datetime.now().strftime("%d/%m/%Y %H:%M")),
    ]


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel in Vietnamese opens the diacritics correctly."""
    safe = frame.map(neutralise) if not frame.empty else frame
    safe = safe.rename(columns=lambda name: neutralise(str(name)))
    return safe.to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(
    frame: pd.DataFrame, filters: Sequence[tuple[str, str]], catalogue: Catalogue | None = None
) -> bytes:
    buffer = io.BytesIO()
    # strings_to_formulas=False: text is never written as a formula, whatever it starts with.
    with xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
        },
    ) as book:
        header = book.add_format(
            {"bold": True, "bg_color": "#F2E6F7", "border": 1, "text_wrap": True}
        )
        pct = book.add_format({"num_format": "0.0"})
        sheet = book.add_worksheet(DATA_SHEET)
        identifiers = sum(1 for c in frame.columns if not _is_value_column(c, catalogue))
        for col, name in enumerate(frame.columns):
            sheet.write_string(0, col, str(neutralise(str(name))), header)
            sheet.set_column(
                col,
                col,
                max(10, min(len(str(name)) + 2, 40)),
                pct if name.endswith("_female_pct") else None,
            )
        for row_idx, row in enumerate(frame.itertuples(index=False), start=1):
            for col, value in enumerate(row):
                if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
                    continue
                if isinstance(value, str):
                    sheet.write_string(row_idx, col, str(neutralise(value)))
                else:
                    sheet.write_number(row_idx, col, float(value))
        sheet.freeze_panes(1, identifiers)
        sheet.autofilter(0, 0, max(len(frame), 1), max(len(frame.columns) - 1, 0))

        info = book.add_worksheet(FILTERS_SHEET)
        info.set_column(0, 0, 24)
        info.set_column(1, 1, 60)
        info.write_string(0, 0, "Bộ lọc", header)
        info.write_string(0, 1, "Giá trị", header)
        for i, (label, value) in enumerate([*filters, ("Số dòng", str(len(frame)))], start=1):
            info.write_string(i, 0, str(neutralise(label)))
            info.write_string(i, 1, str(neutralise(value)))

        if catalogue is not None:
            legend = book.add_worksheet(LEGEND_SHEET)
            legend.set_column(0, 0, 32)
            legend.set_column(1, 1, 70)
            legend.write_string(0, 0, "Mã", header)
            legend.write_string(0, 1, "Chỉ tiêu", header)
            rows = [(i.code, i.heading_vi) for i in catalogue.indicators] + [
                (p.pct_column, f"Tỷ lệ nữ (%) - {p.label_vi}") for p in catalogue.pairs.values()
            ]
            for i, (code, label) in enumerate(rows, start=1):
                legend.write_string(i, 0, str(neutralise(code)))
                legend.write_string(i, 1, str(neutralise(label)))
    return buffer.getvalue()


def _is_value_column(name: str, catalogue: Catalogue | None) -> bool:
    return name.endswith("_female_pct") or (catalogue is not None and name in catalogue)


def export(
    engine: Engine,
    level: str,
    filters: Filters,
    fmt: str,
    output: Path | None = None,
    user: str = "system",
    indicators: Sequence[str] | None = None,
    identity: Identity | None = None,
) -> tuple[bytes, int]:
    """Build the export (recorded in the audit log); write it to `output` if given. With an
    identity, its role must allow exports and only its agencies' rows are exported.
    Returns the bytes and the row count."""
    if identity is not None:
        identity.require("export")
        filters, user = scoped(filters, identity), identity.username
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    result = export_frame(engine, level, filters, indicators)
    if fmt == "csv":
        data = to_csv_bytes(result.frame)
    else:
        data = to_xlsx_bytes(result.frame, result.filters, load_catalogue(engine))
    if output is not None:
        output.write_bytes(data)
    audit.record_now(
        engine,
        user,
        "export",
        str(output) if output else None,
        level=level,
        format=fmt,
        rows=len(result.frame),
        filters=dict(result.filters),
    )
    return data, len(result.frame)
