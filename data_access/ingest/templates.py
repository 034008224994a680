"""Upload templates generated from the indicator catalogue (CSV with BOM, and XLSX)."""

from __future__ import annotations

import io

import xlsxwriter

from data_access.db.catalogue import Catalogue
from data_access.ingest.activities import CAMPAIGN_LABELS_VI
from data_access.ingest.headers import ACTIVITY_FIELDS, SUBMISSION_FIELDS, template_heading
from data_access.ingest.reading import COMMENT_PREFIX

EXAMPLE_UNIT = "#VD: BHXH-QUANGTRI"
EXAMPLE_UNIT_NAME = "Bảo hiểm xã hội tỉnh Quảng Trị"
# Where a unit's name goes: the validator looks a row up by its code, and by its exact name only
# when the code is empty.
UNIT_NAME_HINT = (
    f"Đơn vị: ghi mã vào cột {SUBMISSION_FIELDS['unit_code']}; nếu không nhớ mã, để trống cột đó "
    f"và ghi đúng tên đơn vị vào cột {SUBMISSION_FIELDS['unit_name']} (có mã thì mã được dùng)."
)
# Vietnamese Excel's list separator: with it a double-clicked .csv opens in columns.
CSV_DELIMITER = ";"
FORMATS = ("csv", "xlsx")

# Lines starting with COMMENT_PREFIX are skipped by the reader, so instructions and the example
# row can stay in a file that is filled in and uploaded as it is.
INSTRUCTIONS = {
    "submissions": [
        "Mẫu báo cáo định kỳ công tác bình đẳng giới và vì sự tiến bộ của phụ nữ.",
        "Mỗi dòng là báo cáo của một đơn vị trong một kỳ. Dòng bắt đầu bằng # được bỏ qua.",
        "Kỳ báo cáo: 2025-H1 (6 tháng, hạn 15/06) hoặc 2025-Y (cả năm, hạn 30/11); cũng nhận '6T/2025', 'Năm 2025'.",
        "Ngày báo cáo: dd/mm/yyyy. Số liệu là số nguyên không âm; số nữ không lớn hơn tổng số.",
        UNIT_NAME_HINT,
        "Ô để trống: chưa có số liệu.",
    ],
    "activities": [
        "Mẫu hoạt động hưởng ứng các đợt truyền thông về bình đẳng giới.",
        "Mỗi dòng là một hoạt động. Dòng bắt đầu bằng # được bỏ qua.",
        UNIT_NAME_HINT,
        "Đợt hoạt động: "
        + "; ".join(f"{code} = {label}" for code, label in CAMPAIGN_LABELS_VI.items())
        + ".",
        "Ngày: dd/mm/yyyy. Ghi số người tham gia là nữ và là nam (Công văn 574 đề nghị thu hút nam giới).",
    ],
}


def columns(kind: str, catalogue: Catalogue) -> list[tuple[str, str]]:
    """(code, Vietnamese label) of every template column, in order."""
    if kind == "activities":
        return list(ACTIVITY_FIELDS.items())
    fields = list(SUBMISSION_FIELDS.items())
    head, narratives = fields[:4], fields[4:]
    return head + [(i.code, i.heading_vi) for i in catalogue.indicators] + narratives


def example_row(kind: str, catalogue: Catalogue) -> list[str]:
    if kind == "activities":
        return [
            EXAMPLE_UNIT,
            EXAMPLE_UNIT_NAME,
            "ACTION_MONTH_GE",
            "20/11/2025",
            "20/11/2025",
            "Tọa đàm",
            "Tọa đàm về vai trò của nam giới trong thúc đẩy bình đẳng giới",
            "45",
            "30",
        ]
    sample = {
        "staff_total": "235",
        "staff_female": "126",
        "managers_total": "48",
        "managers_female": "17",
    }
    values = [sample.get(i.code, "") for i in catalogue.indicators]
    return [EXAMPLE_UNIT, EXAMPLE_UNIT_NAME, "2025-Y", "15/11/2025", *values, "", "", "", ""]


def template_csv(kind: str, catalogue: Catalogue) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    for line in INSTRUCTIONS[kind]:
        writer.writerow([f"{COMMENT_PREFIX} {line}"])
    writer.writerow([template_heading(code, label) for code, label in columns(kind, catalogue)])
    writer.writerow(example_row(kind, catalogue))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str, catalogue: Catalogue) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False}) as book:
        header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2E6F7", "border": 1}
        )
        note = book.add_format({"italic": True, "font_color": "#666666"})
        sheet = book.add_worksheet("Mẫu")
        cols = columns(kind, catalogue)
        for i, (code, label) in enumerate(cols):
            sheet.write_string(0, i, template_heading(code, label), header)
            sheet.set_column(i, i, 14 if i > 3 else 22)
        for i, value in enumerate(example_row(kind, catalogue)):
            sheet.write_string(1, i, value, note)
        sheet.set_row(0, 75)
        sheet.write_comment(0, 1, UNIT_NAME_HINT, {"x_scale": 2, "y_scale": 1.5})
        sheet.freeze_panes(1, 2)
        guide = book.add_worksheet("Hướng dẫn")
        guide.set_column(0, 0, 110)
        for i, line in enumerate(INSTRUCTIONS[kind]):
            guide.write_string(i, 0, line)
        guide.write_string(
            len(INSTRUCTIONS[kind]) + 1,
            0,
            "Dòng ví dụ (ô đầu bắt đầu bằng #) được bỏ qua khi tải lên.",
        )
    return buffer.getvalue()


def template(kind: str, catalogue: Catalogue, fmt: str) -> bytes:
    """The template in `fmt` ("csv" or "xlsx")."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt in {FORMATS}")
    return template_csv(kind, catalogue) if fmt == "csv" else template_xlsx(kind, catalogue)


def format_for(path: str) -> str | None:
    """The format ("csv" or "xlsx") the file name's extension asks for; None for any other."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return suffix if suffix in FORMATS else None
