"""Read and check a registry file (agencies or units) against the database; write nothing.

The file is read by the same reader as submissions (encodings, delimiters, comment rows); this
module adds what registry files bring on top: title rows above the table and a trailing
"Tổng cộng" row, both common in registries exported from office spreadsheets.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from data_access.db.models import CODE_SETS, Agency, Province, Unit
from data_access.domain.filters import LEVELS
from data_access.domain.province_sets import ProvinceSet
from data_access.domain.text import normalise
from data_access.ingest.errors import ERROR, Problem, UploadError
from data_access.ingest.headers import HeaderMap, map_headers, vocabulary
from data_access.ingest.reading import (
    COMMENT_PREFIX,
    DELIMITERS,
    EXCEL_SUFFIXES,
    RawTable,
    decode,
    read_upload,
)
from data_access.ingest.values import parse_date

KINDS = ("agencies", "units")
AGENCY_FIELDS = {"agency_code": "Mã ngành", "agency_name": "Tên ngành"}
UNIT_FIELDS = {
    "unit_code": "Mã đơn vị",
    "unit_name": "Tên đơn vị",
    "agency_code": "Mã ngành",
    "agency_name": "Tên ngành",
    "parent_code": "Mã đơn vị cấp trên",
    "level": "Cấp",
    "province": "Tỉnh, thành phố",
    "province_set": "Bộ mã tỉnh",
    "active_from": "Hoạt động từ",
    "active_to": "Hoạt động đến",
    "successor_code": "Mã đơn vị kế thừa",
    "contact_name": "Người liên hệ",
    "contact_email": "Email",
    "contact_phone": "Điện thoại",
    "reports_via_parent": "Báo cáo qua đơn vị cấp trên",
}
FIELDS = {"agencies": AGENCY_FIELDS, "units": UNIT_FIELDS}
# What a new unit cannot do without (an existing unit keeps its stored value when a cell is empty).
NEW_UNIT_NEEDS = ("unit_name", "agency_code", "level", "province", "active_from")
PROVINCE_SET_VI = {s: f"bộ mã {s.label_vi}" for s in ProvinceSet}
# Title rows above the table: the header is looked for in this many first rows.
MAX_TITLE_ROWS = 10
# Column widths of the schema (models.py), so an over-long cell is an error, not a crash.
MAX_CODE = {"agencies": 32, "units": 64}
MAX_NAME = 200
MAX_CONTACT = 200
MAX_PHONE = 50
LEVEL_ALIASES = {
    "central": ("trung ương", "cấp trung ương", "tw"),
    "provincial": ("tỉnh", "cấp tỉnh"),
    "district": ("huyện", "cấp huyện", "xã", "cấp xã", "cơ sở"),
    "regional": ("khu vực", "cấp khu vực", "vùng"),
}
TOTAL_ROW_WORDS = ("tổng cộng", "tổng số", "cộng")
# "Báo cáo qua đơn vị cấp trên": a mark for yes; an empty cell is no (the unit reports itself).
YES_WORDS = ("có", "x", "1")
NO_WORDS = ("không", "0", "")
YES_VI, NO_VI = YES_WORDS[0], NO_WORDS[0]  # as the export writes them
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]{2,}$")
_PHONE = re.compile(r"^[0-9+().\-\s]{6,}$")


LEVEL_BY_NAME = {normalise(code, fold_case=True): code for code in LEVELS} | {
    normalise(alias, fold_case=True): code
    for code, aliases in LEVEL_ALIASES.items()
    for alias in aliases
}


@dataclass
class AgencyRow:
    line: int
    code: str
    name: str


@dataclass
class UnitRow:
    line: int
    code: str
    values: dict[str, Any]  # only the columns the file has (None: the cell was empty)


@dataclass
class RegistryPlan:
    kind: str
    problems: list[Problem] = field(default_factory=list)
    agencies: list[AgencyRow] = field(default_factory=list)  # to create, or rename
    units: list[UnitRow] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # canonical columns of the file
    rows: int = 0

    def error(self, line: int, column: str, message: str, value: str = "") -> None:
        self.problems.append(Problem(line, column, message, ERROR, value))


# --- reading: title rows, header, total row --------------------------------------------------------


def _is_total_row(cells: Sequence[str]) -> bool:
    first = normalise(next((c for c in cells if c.strip()), ""), fold_case=True)
    return any(first == w or first.startswith((f"{w}:", f"{w} ")) for w in TOTAL_ROW_WORDS)


def _title_rows_commented(lines: list[str], vocab: dict[str, str]) -> list[str]:
    """The lines with any title above the header turned into comment lines, which the reader
    skips while keeping every row's line number."""
    for i, line in enumerate(lines[: MAX_TITLE_ROWS + 1]):
        for delimiter in DELIMITERS:
            cells = next(csv.reader([line], delimiter=delimiter), [])
            if len(map_headers(cells, vocab).names) >= 2:
                return [f"{COMMENT_PREFIX}{x}" if x.strip() else x for x in lines[:i]] + lines[i:]
    return lines


def _excel_as_text(data: bytes) -> str:
    """The first sheet as CSV text, one line per sheet row (Excel's row numbers stay right)."""
    try:
        raw = pd.read_excel(
            io.BytesIO(data), sheet_name=0, header=None, dtype=str, engine="openpyxl"
        )
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UploadError(f"Không đọc được file Excel: {error}") from error
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for values in raw.fillna("").itertuples(index=False):
        writer.writerow([str(v).replace("\r", " ").replace("\n", " ") for v in values])
    return out.getvalue()


def read_registry(file_name: str, data: bytes) -> RawTable:
    """The file as the submissions reader reads it, title rows above the header skipped."""
    if not data.strip():
        raise UploadError("File rỗng: không có dữ liệu.")
    if file_name.lower().endswith(EXCEL_SUFFIXES) or data[:4] == b"PK\x03\x04":
        text = _excel_as_text(data)
    else:
        if file_name.lower().endswith(".xls"):
            return read_upload(file_name, data)  # the reader's message for .xls
        text, _ = decode(data)
    lines = text.split("\n")
    vocab = vocabulary(UNIT_FIELDS | AGENCY_FIELDS, None)
    return read_upload("registry.csv", "\n".join(_title_rows_commented(lines, vocab)).encode())


def locate_table(table: RawTable, kind: str | None) -> tuple[str, RawTable, HeaderMap]:
    """(kind, table without a trailing total row, header map). The kind, when not given, is
    units if the file has a unit-code column."""
    while len(table.frame) and _is_total_row([str(c) for c in table.frame.iloc[-1].tolist()]):
        table = RawTable(
            table.frame.iloc[:-1],
            table.lines[:-1],
            table.header_line,
            table.encoding,
            table.delimiter,
        )
    if kind is None:
        found = map_headers(list(table.frame.columns), vocabulary(UNIT_FIELDS, None))
        kind = "units" if "unit_code" in found.names else "agencies"
    headers = map_headers(list(table.frame.columns), vocabulary(FIELDS[kind], None))
    return kind, table, headers


# --- validation -------------------------------------------------------------------------------------


@dataclass
class Reference:
    """What the database holds, loaded once per check."""

    agencies: dict[str, tuple[int, str]]  # code → (id, name)
    units: dict[str, dict[str, Any]]  # code → stored row (ids resolved to codes)
    provinces: dict[str, dict[str, tuple[int, int]]]  # set → key → (id, current id)
    province_label: dict[int, tuple[str, str]]  # id → (set, code)


def load_reference(conn: Connection) -> Reference:
    agencies = {c: (i, n) for i, c, n in conn.execute(select(Agency.id, Agency.code, Agency.name))}
    code_of_agency = {i: c for c, (i, _) in agencies.items()}
    provinces: dict[str, dict[str, tuple[int, int]]] = {s: {} for s in CODE_SETS}
    label: dict[int, tuple[str, str]] = {}
    for pid, pset, code, name, short, current in conn.execute(
        select(
            Province.id,
            Province.code_set,
            Province.code,
            Province.name,
            Province.short_name,
            Province.current_id,
        )
    ):
        target = (pid, current or pid)
        for key in (code, str(int(code)) if code.isdigit() else code, name, short):
            provinces[pset][normalise(key, fold_case=True)] = target
        label[pid] = (pset, code)
    rows = conn.execute(
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            Unit.agency_id,
            Unit.parent_id,
            Unit.level,
            Unit.province_id,
            Unit.current_province_id,
            Unit.active_from,
            Unit.active_to,
            Unit.successor_id,
            Unit.contact_name,
            Unit.contact_email,
            Unit.contact_phone,
            Unit.reports_via_parent,
        )
    ).all()
    code_of_unit = {r.id: r.code for r in rows}
    units = {
        r.code: {
            "id": r.id,
            "unit_name": r.name,
            "agency_code": code_of_agency[r.agency_id],
            "parent_code": code_of_unit.get(r.parent_id) if r.parent_id else None,
            "level": r.level,
            "province_id": r.province_id,
            "current_province_id": r.current_province_id,
            "active_from": r.active_from,
            "active_to": r.active_to,
            "successor_code": code_of_unit.get(r.successor_id) if r.successor_id else None,
            "contact_name": r.contact_name,
            "contact_email": r.contact_email,
            "contact_phone": r.contact_phone,
            "reports_via_parent": bool(r.reports_via_parent),
        }
        for r in rows
    }
    return Reference(agencies, units, provinces, label)


def _cells(table: RawTable, headers: HeaderMap) -> dict[str, list[str]]:
    return {
        name: table.frame.iloc[:, pos].astype("str").tolist()
        for pos, name in headers.columns.items()
    }


def _header_problems(plan: RegistryPlan, table: RawTable, headers: HeaderMap, key: str) -> None:
    fields = FIELDS[plan.kind]
    for _, heading in headers.unknown:
        plan.error(table.header_line, heading, "Tên cột không thuộc mẫu danh mục.", heading)
    for _, heading in headers.duplicates:
        plan.error(table.header_line, heading, "Cột này bị lặp lại.", heading)
    if key not in headers.names:
        plan.error(table.header_line, fields[key], f"Thiếu cột bắt buộc “{fields[key]}”.")


def validate(
    conn: Connection,
    table: RawTable,
    kind: str | None,
    scope: Sequence[str],
    may_create_agencies: bool,
) -> RegistryPlan:
    """Every problem of the file, by row and column; the rows to write when there is none."""
    kind, table, headers = locate_table(table, kind)
    plan = RegistryPlan(kind, present=headers.names, rows=len(table.frame))
    if not plan.rows:
        plan.error(table.header_line, "", "File không có dòng dữ liệu nào (chỉ có tiêu đề).")
        return plan
    _header_problems(plan, table, headers, "agency_code" if kind == "agencies" else "unit_code")
    if plan.problems:
        return plan
    ref = load_reference(conn)
    heading = {name: table.frame.columns[pos] for pos, name in headers.columns.items()}
    cells = _cells(table, headers)
    if kind == "agencies":
        _validate_agencies(plan, table, heading, cells, ref, scope, may_create_agencies)
    else:
        _validate_units(plan, table, heading, cells, ref, scope, may_create_agencies)
    plan.problems.sort(key=lambda p: (p.row, p.column))
    return plan


def _too_long(plan: RegistryPlan, line: int, column: str, value: str, limit: int) -> bool:
    if len(value) > limit:
        plan.error(line, column, f"Dài quá {limit} ký tự.", value[:40])
        return True
    return False


def _validate_agencies(
    plan: RegistryPlan,
    table: RawTable,
    heading: dict[str, str],
    cells: dict[str, list[str]],
    ref: Reference,
    scope: Sequence[str],
    may_create: bool,
) -> None:
    if "agency_name" not in cells:
        plan.error(
            table.header_line, AGENCY_FIELDS["agency_name"], "Thiếu cột bắt buộc “Tên ngành”."
        )
        return
    seen: dict[str, int] = {}
    for i, line in enumerate(table.lines):
        code, name = cells["agency_code"][i], cells["agency_name"][i]
        if not code:
            plan.error(line, heading["agency_code"], "Thiếu mã ngành.")
            continue
        if _too_long(plan, line, heading["agency_code"], code, MAX_CODE["agencies"]):
            continue
        if code in seen:
            plan.error(line, heading["agency_code"], f"Mã ngành trùng với dòng {seen[code]}.", code)
            continue
        seen[code] = line
        if not name:
            plan.error(line, heading["agency_name"], "Thiếu tên ngành.")
            continue
        if _too_long(plan, line, heading["agency_name"], name, MAX_NAME):
            continue
        if code not in ref.agencies and not may_create:
            plan.error(line, heading["agency_code"], "Chỉ quản trị viên được tạo ngành mới.", code)
        elif scope and code not in scope:
            plan.error(line, heading["agency_code"], f"Ngành {code} ngoài phạm vi được giao.", code)
        else:
            plan.agencies.append(AgencyRow(line, code, name))


def _province_set(cell: str) -> ProvinceSet | None:
    key = normalise(cell, fold_case=True)
    legacy, current = ProvinceSet.LEGACY, ProvinceSet.CURRENT
    names: dict[str, ProvinceSet] = {
        legacy: legacy,
        "cũ": legacy,
        "63": legacy,
        current: current,
        "mới": current,
        "34": current,
    }
    return names.get(key)


def _validate_units(
    plan: RegistryPlan,
    table: RawTable,
    heading: dict[str, str],
    cells: dict[str, list[str]],
    ref: Reference,
    scope: Sequence[str],
    may_create: bool,
) -> None:
    def col(name: str) -> str:
        return heading.get(name, UNIT_FIELDS[name])

    n = len(table.lines)
    empty = [""] * n
    get = {name: cells.get(name, empty) for name in UNIT_FIELDS}
    seen: dict[str, int] = {}
    new_agencies: dict[str, tuple[str, int]] = {}
    rows: list[UnitRow] = []
    for i, line in enumerate(table.lines):
        code = get["unit_code"][i]
        if not code:
            plan.error(line, col("unit_code"), "Thiếu mã đơn vị.")
            continue
        if _too_long(plan, line, col("unit_code"), code, MAX_CODE["units"]):
            continue
        if code in seen:
            plan.error(line, col("unit_code"), f"Mã đơn vị trùng với dòng {seen[code]}.", code)
            continue
        seen[code] = line
        stored = ref.units.get(code)
        values: dict[str, Any] = {}
        ok = True

        def bad(name: str, message: str, value: str = "") -> None:
            nonlocal ok
            ok = False
            plan.error(line, col(name), message, value)  # noqa: B023 - used within the row

        if stored is None:
            for name in NEW_UNIT_NEEDS:
                if not get[name][i]:
                    bad(name, f"Đơn vị mới cần có “{UNIT_FIELDS[name]}”.")
        if "unit_name" in cells and (name := get["unit_name"][i]):
            if not _too_long(plan, line, col("unit_name"), name, MAX_NAME):
                values["unit_name"] = name
            else:
                ok = False
        agency = get["agency_code"][i] or (stored["agency_code"] if stored else "")
        if get["agency_code"][i]:
            if agency in ref.agencies:
                values["agency_code"] = agency
            elif get["agency_name"][i] and may_create:
                earlier = new_agencies.get(agency)
                if earlier and earlier[0] != get["agency_name"][i]:
                    bad(
                        "agency_name",
                        f"Tên ngành khác với dòng {earlier[1]}.",
                        get["agency_name"][i],
                    )
                elif not _too_long(plan, line, col("agency_name"), get["agency_name"][i], MAX_NAME):
                    new_agencies.setdefault(agency, (get["agency_name"][i], line))
                    values["agency_code"] = agency
                else:
                    ok = False
            elif get["agency_name"][i]:
                bad("agency_code", "Chỉ quản trị viên được tạo ngành mới.", agency)
            else:
                bad(
                    "agency_code",
                    f"Không có ngành mã “{agency}”. Thêm cột “Tên ngành” để tạo ngành mới.",
                    agency,
                )
        if (
            scope
            and agency
            and (agency not in scope or (stored and stored["agency_code"] not in scope))
        ):
            bad("agency_code", f"Ngành {agency} ngoài phạm vi được giao.", agency)
        if level_cell := get["level"][i]:
            level = LEVEL_BY_NAME.get(normalise(level_cell, fold_case=True))
            if level is None:
                bad(
                    "level", "Cấp phải là Trung ương, Cấp tỉnh, Cấp huyện hoặc Khu vực.", level_cell
                )
            else:
                values["level"] = level
        dates: dict[str, dt.date | None] = {}
        for name in ("active_from", "active_to"):
            if name in cells:
                try:
                    dates[name] = parse_date(get[name][i])
                except ValueError:
                    bad(name, "Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy.", get[name][i])
                    continue
                if dates[name] is not None or name == "active_to":
                    values[name] = dates[name]
        start = values.get("active_from", stored["active_from"] if stored else None)
        end = (
            values["active_to"]
            if "active_to" in values
            else (stored["active_to"] if stored else None)
        )
        if start and end and end < start:
            bad("active_to", "Ngày ngừng hoạt động trước ngày bắt đầu.", get["active_to"][i])
        if province_cell := get["province"][i]:
            set_cell = get["province_set"][i]
            pset = _province_set(set_cell) if set_cell else None
            if set_cell and pset is None:
                bad(
                    "province_set",
                    "Bộ mã tỉnh phải là legacy (63 tỉnh) hoặc 2025 (34 tỉnh).",
                    set_cell,
                )
            else:
                if pset is None:
                    pset = ProvinceSet.in_force(start)
                found = ref.provinces[pset].get(normalise(province_cell, fold_case=True))
                if found is None:
                    bad(
                        "province",
                        f"Không có tỉnh “{province_cell}” trong {PROVINCE_SET_VI[pset]}.",
                        province_cell,
                    )
                else:
                    values["province_id"], values["current_province_id"] = found
        for name in ("parent_code", "successor_code"):
            if name in cells:
                values[name] = get[name][i] or None
        if values.get("successor_code") == code:
            bad("successor_code", "Đơn vị không thể kế thừa chính nó.", code)
        for name, limit in (
            ("contact_name", MAX_CONTACT),
            ("contact_email", MAX_CONTACT),
            ("contact_phone", MAX_PHONE),
        ):
            if name in cells:
                value = get[name][i] or None
                if value and _too_long(plan, line, col(name), value, limit):
                    ok = False
                values[name] = value
        if (email := values.get("contact_email")) and not _EMAIL.match(email):
            bad("contact_email", "Email không hợp lệ.", email)
        if (phone := values.get("contact_phone")) and not _PHONE.match(phone):
            bad("contact_phone", "Số điện thoại không hợp lệ.", phone)
        if "reports_via_parent" in cells:
            mark = normalise(get["reports_via_parent"][i], fold_case=True)
            if mark in YES_WORDS or mark in NO_WORDS:
                values["reports_via_parent"] = mark in YES_WORDS
            else:
                bad(
                    "reports_via_parent",
                    f"Ghi “{YES_VI}” nếu đơn vị báo cáo qua đơn vị cấp trên, để trống hoặc ghi "
                    f"“{NO_VI}” nếu đơn vị tự báo cáo.",
                    get["reports_via_parent"][i],
                )
        if ok:
            rows.append(UnitRow(line, code, values))
    for code, (name, line) in new_agencies.items():
        plan.agencies.append(AgencyRow(line, code, name))
    _check_links(plan, rows, ref, col)
    plan.units = rows


def _check_links(plan: RegistryPlan, rows: list[UnitRow], ref: Reference, col: Any) -> None:
    """Parents and successors exist; same agency; no cycle; no successor closing first."""
    in_file = {r.code: r for r in rows}

    def merged(code: str, name: str) -> Any:
        row = in_file.get(code)
        if row is not None and name in row.values:
            return row.values[name]
        stored = ref.units.get(code)
        return stored[name] if stored else None

    def exists(code: str) -> bool:
        return code in in_file or code in ref.units

    failed: set[str] = set()
    for row in rows:
        parent = row.values.get("parent_code")
        if parent and not exists(parent):
            plan.error(
                row.line, col("parent_code"), f"Không có đơn vị cấp trên mã “{parent}”.", parent
            )
            failed.add(row.code)
        elif parent and merged(parent, "agency_code") != merged(row.code, "agency_code"):
            plan.error(
                row.line,
                col("parent_code"),
                f"Đơn vị cấp trên “{parent}” thuộc ngành khác.",
                parent,
            )
            failed.add(row.code)
        if merged(row.code, "reports_via_parent") and not merged(row.code, "parent_code"):
            plan.error(
                row.line,
                col("reports_via_parent"),
                "Đơn vị báo cáo qua đơn vị cấp trên phải có “Mã đơn vị cấp trên”.",
                YES_VI,
            )
            failed.add(row.code)
        successor = row.values.get("successor_code")
        if successor and not exists(successor):
            plan.error(
                row.line,
                col("successor_code"),
                f"Không có đơn vị kế thừa mã “{successor}”.",
                successor,
            )
            failed.add(row.code)
        elif successor and successor != row.code:
            own_end = merged(row.code, "active_to")
            their_end = merged(successor, "active_to")
            if their_end is not None and (own_end is None or their_end < own_end):
                plan.error(
                    row.line,
                    col("successor_code"),
                    f"Đơn vị kế thừa “{successor}” ngừng hoạt động ngày "
                    f"{their_end:%d/%m/%Y}, trước đơn vị này.",
                    successor,
                )
                failed.add(row.code)
    # A cycle: following parents from a unit of the file comes back to it.
    done: set[str] = set()
    for row in rows:
        path: list[str] = []
        on_path: set[str] = set()
        code: str | None = row.code
        while code and code not in done:
            if code in on_path:
                cycle = path[path.index(code) :]
                # Reported at the first row of the file that is part of the cycle.
                first = min(
                    [in_file[c] for c in cycle if c in in_file] or [row], key=lambda r: r.line
                )
                if first.code in cycle:
                    at = cycle.index(first.code)
                    cycle = cycle[at:] + cycle[:at]
                plan.error(
                    first.line,
                    col("parent_code"),
                    "Vòng lặp cấp trên: " + " → ".join([*cycle, first.code]) + ".",
                    first.values.get("parent_code") or "",
                )
                failed.update(cycle)
                break
            path.append(code)
            on_path.add(code)
            code = merged(code, "parent_code")
        done.update(path)
    if failed:
        rows[:] = [r for r in rows if r.code not in failed]
