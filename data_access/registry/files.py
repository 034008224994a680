"""Registry files out: the template (with instructions and example rows) and the export, which
can be edited and imported again as it is."""

from __future__ import annotations

import csv
import io

import xlsxwriter
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from data_access.auth import Identity
from data_access.db.models import Agency, Province, Unit
from data_access.domain.province_sets import ProvinceSet
from data_access.ingest.headers import template_heading
from data_access.ingest.reading import COMMENT_PREFIX
from data_access.registry.validation import (
    AGENCY_FIELDS,
    FIELDS,
    KINDS,
    NO_VI,
    UNIT_FIELDS,
    YES_VI,
)

FORMATS = ("csv", "xlsx")
INSTRUCTIONS = {
    "units": [
        "Mẫu danh mục đơn vị. Mỗi dòng là một đơn vị; dòng bắt đầu bằng # được bỏ qua.",
        "Cấp: Trung ương, Cấp tỉnh, Cấp huyện hoặc Khu vực. Ngày: dd/mm/yyyy.",
        "Tỉnh, thành phố: mã hoặc tên tỉnh. Bộ mã tỉnh: legacy (63 tỉnh) hoặc 2025 (34 tỉnh); "
        "để trống thì đơn vị hoạt động từ trước 01/07/2025 dùng bộ 63 tỉnh.",
        "Mã ngành chưa có: ghi thêm Tên ngành để tạo ngành mới (chỉ quản trị viên).",
        "Đơn vị đã có: ô để trống giữ nguyên giá trị đã lưu (trừ cấp trên, kế thừa, liên hệ, "
        "báo cáo qua cấp trên).",
        "Báo cáo qua đơn vị cấp trên: ghi “có” nếu đơn vị không báo cáo riêng mà tài khoản báo cáo "
        "của đơn vị cấp trên nhập báo cáo thay; để trống hoặc ghi “không” nếu đơn vị tự báo cáo.",
    ],
    "agencies": [
        "Mẫu danh mục ngành. Mỗi dòng là một ngành; dòng bắt đầu bằng # được bỏ qua.",
        "Ngành đã có: tên ngành trong file thay cho tên đã lưu.",
    ],
}
EXAMPLES = {
    "units": [
        [
            "VD-TW",
            "Văn phòng Bộ",
            "VD",
            "Bộ Ví dụ",
            "",
            "Trung ương",
            "Hà Nội",
            "",
            "01/01/2010",
            "",
            "",
            "Nguyễn Thị Hoa",
            "hoa@vidu.gov.vn",
            "024 3825 0000",
            NO_VI,
        ],
        [
            "VD-QT",
            "Sở Ví dụ tỉnh Quảng Trị",
            "VD",
            "Bộ Ví dụ",
            "VD-TW",
            "Cấp tỉnh",
            "45",
            ProvinceSet.LEGACY.value,
            "01/01/2010",
            "30/06/2025",
            "VD-QT2",
            "Trần Văn Nam",
            "nam@vidu.gov.vn",
            "",
            NO_VI,
        ],
        [
            "VD-QT2",
            "Sở Ví dụ tỉnh Quảng Trị (mới)",
            "VD",
            "Bộ Ví dụ",
            "VD-TW",
            "Cấp tỉnh",
            "Quảng Trị",
            ProvinceSet.CURRENT.value,
            "01/07/2025",
            "",
            "",
            "Trần Văn Nam",
            "nam@vidu.gov.vn",
            "",
            NO_VI,
        ],
    ],
    "agencies": [["VD", "Bộ Ví dụ"]],
}


def _rows_to_bytes(kind: str, header: list[str], rows: list[list[str]], fmt: str) -> bytes:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")  # Excel shows the diacritics
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False}) as book:
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
        sheet = book.add_worksheet("Danh mục")
        for i, heading in enumerate(header):
            sheet.write_string(0, i, heading, bold)
            sheet.set_column(i, i, 22)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
        sheet.freeze_panes(1, 1)
    return buffer.getvalue()


def template(kind: str = "units", fmt: str = "xlsx") -> bytes:
    """Headings (Vietnamese label and code), instructions and example rows starting with #."""
    if kind not in KINDS or fmt not in FORMATS:
        raise ValueError(f"kind in {KINDS}, fmt in {FORMATS}")
    header = [template_heading(code, label) for code, label in FIELDS[kind].items()]
    notes = [[f"{COMMENT_PREFIX} {line}"] + [""] * (len(header) - 1) for line in INSTRUCTIONS[kind]]
    examples = [[f"{COMMENT_PREFIX}{row[0]}", *row[1:]] for row in EXAMPLES[kind]]
    if fmt == "csv":  # instructions above the header, where the reader skips them
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows([[line[0]] for line in notes])
        writer.writerow(header)
        writer.writerows(examples)
        return out.getvalue().encode("utf-8-sig")
    return _rows_to_bytes(kind, header, [*examples, *notes], fmt)


def export(engine: Engine, fmt: str = "csv", *, identity: Identity | None = None) -> bytes:
    """Every unit (within the identity's agency scope) in the import's units format."""
    if identity is not None:
        identity.require("upload")  # contacts are personal data: not for viewers
    if fmt not in FORMATS:
        raise ValueError(f"fmt in {FORMATS}")
    parent, successor = aliased(Unit), aliased(Unit)
    query = (
        select(
            Unit.code,
            Unit.name,
            Agency.code,
            Agency.name,
            parent.code,
            Unit.level,
            Province.code,
            Province.code_set,
            Unit.active_from,
            Unit.active_to,
            successor.code,
            Unit.contact_name,
            Unit.contact_email,
            Unit.contact_phone,
            Unit.reports_via_parent,
        )
        .join(Agency, Agency.id == Unit.agency_id)
        .join(Province, Province.id == Unit.province_id)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .outerjoin(successor, successor.id == Unit.successor_id)
        .order_by(Agency.code, Unit.code)
    )
    if identity is not None and identity.agencies:
        query = query.where(Agency.code.in_(identity.agencies))
    with engine.connect() as conn:
        rows = [
            [
                "" if v is None else v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else str(v)
                for v in row[:-1]
            ]
            + [YES_VI if row[-1] else NO_VI]
            for row in conn.execute(query)
        ]
    header = [template_heading(code, label) for code, label in UNIT_FIELDS.items()]
    return _rows_to_bytes("units", header, rows, fmt)


__all__ = ["AGENCY_FIELDS", "FORMATS", "export", "template"]
