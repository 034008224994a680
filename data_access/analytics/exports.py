"""Exports of filtered tables as CSV (UTF-8 with BOM, for Vietnamese Excel) and XLSX.

Columns: identifiers for the level, the period, every indicator code, and `<pair>_female_pct`
rounded to one decimal. Text cells that a spreadsheet would run as a formula are neutralised.

Two CSV dialects: `to_csv_bytes` keeps the codes for programs (the CLI's default, comma and
decimal point); `to_csv_vi` is what a person downloads from a page: Vietnamese headings, periods
in words, dates dd/mm/yyyy, `;` between cells and the decimal comma, as Excel set to Vietnamese
expects. Every page's CSV goes through `to_csv_vi`, so those rules live here only.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from sqlalchemy import Engine

from data_access.auth import Identity
from data_access.db import audit
from data_access.db.catalogue import Catalogue
from data_access.domain.filters import LEVEL_LABELS_VI, Filters, scoped
from data_access.domain.formats import (
    PCT_DECIMAL_PLACES,
    RATIO_DECIMAL_PLACES,
    VALUE_DECIMAL_PLACES,
    round_half_up,
)
from data_access.domain.periods import KIND_LABELS_VI, period_label
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
HEADINGS = ("codes", "vi")
# Vietnamese Excel lists with ";" (its decimal separator is the comma).
CSV_VI_SEPARATOR = ";"
# The headings of the columns the app's tables share; any other column keeps its own heading.
COLUMN_HEADINGS_VI = {
    "agency_code": "Mã ngành",
    "agency_name": "Ngành",
    "province_code": "Mã tỉnh",
    "province_set": "Bộ mã tỉnh",
    "province_name": "Tỉnh, thành phố",
    "unit_code": "Mã đơn vị",
    "unit_name": "Đơn vị",
    "period": "Kỳ báo cáo",
    "status_vi": "Tình trạng",
    "report_state_vi": "Báo cáo trên biểu mẫu",
    "received_at": "Ngày nhận",
    "days_late": "Số ngày muộn",
    "due_date": "Hạn báo cáo",
    "expected": "Phải báo cáo",
    "received": "Đã nhận",
    "on_time": "Đúng hạn",
    "late": "Muộn",
    "missing": "Chưa báo cáo",
    "year": "Năm",
    "period_kind": "Loại kỳ",
    "region_name": "Vùng",
    "level": "Cấp",
    "n_units": "Số đơn vị báo cáo",
    "n_key_leaders_reported": "Số đơn vị báo cáo lãnh đạo chủ chốt",
    "n_female_key_leader": "Số đơn vị có lãnh đạo chủ chốt nữ",
    "female_key_leader_units_pct": "Tỷ lệ đơn vị có lãnh đạo chủ chốt nữ (%)",
    "target": "Mục tiêu (%)",
    "stock_period": "Kỳ số liệu",
    "reporting_rate": "Tỷ lệ đã báo cáo (%)",
    "completeness": "Mức đầy đủ",
    "low_completeness": "Thiếu nhiều báo cáo",
    "small": "Ít đơn vị",
    "note": "Ghi chú",
    "rank": "Thứ hạng",
    "lat": "Vĩ độ",
    "lon": "Kinh độ",
    "value": "Giá trị",
    "campaign": "Mã đợt",
    "pair": "Mã chỉ tiêu",
    "label": "Tên",
    "activities": "Số hoạt động",
    "participants": "Người tham gia",
    "participants_female": "Người tham gia nữ",
    "participants_male": "Người tham gia nam",
    "male_pct": "Tỷ lệ nam (%)",
    "female": "Nữ",
    "total": "Tổng số",
    "female_pct": "Tỷ lệ nữ (%)",
    "representation": "Hệ số đại diện",
}


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
    data = aggregate(
        engine, filters, by=(level, "period"), indicators=codes, units_in_period_set=True
    )
    pct = female_pct_columns(catalogue, codes)
    frame = data.reindex(columns=IDENTIFIERS[level] + codes + pct)
    for col in pct:
        frame[col] = _exact(frame[col], PCT_DECIMAL_PLACES)
    for ind in catalogue.indicators:
        if ind.code not in frame:
            continue
        if ind.value_type == "int":
            frame[ind.code] = pd.to_numeric(frame[ind.code]).astype("Int64")
        else:
            frame[ind.code] = _exact(frame[ind.code], VALUE_DECIMAL_PLACES)
    return ExportResult(frame.reset_index(drop=True), describe_filters(level, filters))


def _exact(values: pd.Series, places: int) -> pd.Series:
    """Decimal values rounded half up (as Excel and the pages do): CSV writes them as typed
    (113.42, not 113.41999999999999), and the XLSX writer takes the nearest float, whose shortest
    form is the same digits."""
    return pd.Series(
        [None if pd.isna(v) else round_half_up(float(v), places) for v in values],
        index=values.index,
        dtype="object",
    )


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


def _cell_vi(value: object) -> object:
    """A date or a time stamp as its day, dd/mm/yyyy (a receipt's second is no one's concern);
    a number in an object column with a decimal comma."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float | Decimal):
        # Exact decimals sit in object columns, which to_csv's decimal="," passes over.
        return str(value).replace(".", ",")
    return value


def share_heading(pair_label: str) -> str:
    """The heading of a pair's female-share column, in the table and in the legend sheet."""
    return f"Tỷ lệ nữ (%) – {pair_label}"


def vietnamese_frame(frame: pd.DataFrame, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """A copy of an export table as a person reads it: periods in words, the province code set
    named, and Vietnamese headings (the catalogue's for indicators and female shares)."""
    out = frame.copy()
    if "period" in out:
        out["period"] = out["period"].map(lambda p: period_label(p) if isinstance(p, str) else p)
    if "province_set" in out:
        out["province_set"] = out["province_set"].map(
            lambda s: ProvinceSet(s).short_label_vi if isinstance(s, str) else s
        )
    return out.rename(columns=headings_vi(catalogue))


# Columns in percent that do not end in _pct (a page's CSV rounds them as it shows them).
PERCENT_COLUMNS = ("reporting_rate", "on_time_rate", "target")
# Ratios (not percent), written to RATIO_DECIMAL_PLACES as the pages show them.
RATIO_COLUMNS = ("representation",)


def headings_vi(catalogue: Catalogue | None = None) -> dict[str, str]:
    """Column → heading as a person reads it: the shared columns', and with the catalogue, the
    indicators' labels and the female shares'."""
    headings = dict(COLUMN_HEADINGS_VI)
    if catalogue is not None:
        headings |= {i.code: i.heading_vi for i in catalogue.indicators}
        headings |= {p.pct_column: share_heading(p.label_vi) for p in catalogue.pairs.values()}
    return headings


def to_csv_vi(frame: pd.DataFrame, catalogue: Catalogue | None = None) -> bytes:
    """A page's CSV download, for Excel set to Vietnamese (see the module docstring); with the
    catalogue, indicators and female shares are headed by their labels, not their codes."""
    # Codes in cells read as words: a period ("2025-Y" → "Năm 2025"), its kind, a unit's level.
    words = {
        "period": lambda v: period_label(v) if isinstance(v, str) else v,
        "stock_period": lambda v: period_label(v) if isinstance(v, str) else v,
        "period_kind": lambda v: KIND_LABELS_VI.get(v, v),
        "level": lambda v: LEVEL_LABELS_VI.get(v, v),
    }
    frame = frame.assign(**{c: frame[c].map(say) for c, say in words.items() if c in frame})
    # Shares and rates in percent as the pages show them: rounded half up (Excel's way), not
    # every binary digit (51,91273025715849).
    percents = [
        c
        for c in frame.columns
        if (str(c).endswith("_pct") or c in PERCENT_COLUMNS)
        and pd.api.types.is_float_dtype(frame[c])
    ]
    frame = frame.assign(**{c: _exact(frame[c], PCT_DECIMAL_PLACES) for c in percents})
    ratios = [c for c in RATIO_COLUMNS if c in frame and pd.api.types.is_float_dtype(frame[c])]
    frame = frame.assign(**{c: _exact(frame[c], RATIO_DECIMAL_PLACES) for c in ratios})
    # A yes/no column reads "Có" or stays blank, not True/False.
    flags = [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])]
    frame = frame.assign(**{c: frame[c].map({True: "Có", False: ""}) for c in flags})
    out = frame.rename(columns=headings_vi(catalogue))
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].astype(object).map(_cell_vi)
    safe = out.map(neutralise) if not out.empty else out
    safe = safe.rename(columns=lambda name: neutralise(str(name)))
    text = safe.to_csv(index=False, sep=CSV_VI_SEPARATOR, decimal=",", na_rep="")
    return text.encode("utf-8-sig")


def to_xlsx_bytes(
    frame: pd.DataFrame,
    filters: Sequence[tuple[str, str]],
    catalogue: Catalogue | None = None,
    extra_sheets: Sequence[tuple[str, pd.DataFrame]] = (),
) -> bytes:
    """The data sheet, the filters sheet, the legend (with a catalogue), then each extra sheet
    (name, table with its headings as they should read; dates written as dates, dd/mm/yyyy)."""
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
                (p.pct_column, share_heading(p.label_vi)) for p in catalogue.pairs.values()
            ]
            for i, (code, label) in enumerate(rows, start=1):
                legend.write_string(i, 0, str(neutralise(code)))
                legend.write_string(i, 1, str(neutralise(label)))

        day = book.add_format({"num_format": "dd/mm/yyyy"})
        for name, table in extra_sheets:
            _write_sheet(book.add_worksheet(name), table, header, day)
    return buffer.getvalue()


def _write_sheet(sheet: Any, table: pd.DataFrame, header: Any, day: Any) -> None:
    """A plain table: headings, then text (neutralised), numbers and dates (as dates)."""
    for col, name in enumerate(table.columns):
        sheet.write_string(0, col, str(neutralise(str(name))), header)
        sheet.set_column(col, col, max(12, min(len(str(name)) + 2, 60)))
    for row_idx, row in enumerate(table.itertuples(index=False), start=1):
        for col, value in enumerate(row):
            if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(row_idx, col, value, day)
            elif isinstance(value, str):
                sheet.write_string(row_idx, col, str(neutralise(value)))
            else:
                sheet.write_number(row_idx, col, float(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table), 1), max(len(table.columns) - 1, 0))


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
    headings: str = "codes",
    extra_sheets: Sequence[tuple[str, pd.DataFrame]] = (),
) -> tuple[bytes, int]:
    """Build the export (recorded in the audit log); write it to `output` if given. With an
    identity, its role must allow exports and only its agencies' rows are exported. A CSV with
    headings="vi" is the one a person opens in Excel (to_csv_vi), "codes" the one for programs.
    `extra_sheets` are added to an XLSX (see to_xlsx_bytes). Returns the bytes and the row count."""
    if headings not in HEADINGS:
        raise ValueError(f"headings must be one of {HEADINGS}")
    if identity is not None:
        identity.require("export")
        filters, user = scoped(filters, identity), identity.username
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    result = export_frame(engine, level, filters, indicators)
    if fmt == "csv" and headings == "vi":
        data = to_csv_vi(vietnamese_frame(result.frame, load_catalogue(engine)))
    elif fmt == "csv":
        data = to_csv_bytes(result.frame)
    else:
        data = to_xlsx_bytes(result.frame, result.filters, load_catalogue(engine), extra_sheets)
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
