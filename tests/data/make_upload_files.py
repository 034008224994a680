"""Writes the upload test files in this folder (run it again after changing a case):

    python -m tests.data.make_upload_files

Each file is small and shows one thing: an accepted encoding or delimiter, or one kind of error
at known rows. `tests/test_ingest_files.py` holds the rows each file must report.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import xlsxwriter

from tests.encoding import to_cp1258

HERE = Path(__file__).resolve().parent
STAFF = "Công chức, viên chức, người lao động"
MANAGERS = "Lãnh đạo, quản lý (mọi cấp)"

# Headings by Vietnamese label, as an office would type them.
LABEL_HEADER = ["Mã đơn vị", "Kỳ báo cáo", "Ngày báo cáo", f"{STAFF} - Tổng số", f"{STAFF} - Nữ",
                f"{MANAGERS} – Tổng số", f"{MANAGERS} – Nữ"]
GOOD_ROWS = [
    ["BHXH-HANOI", "2026-Y", "20/11/2026", "1.250", "700", "210", "95"],
    ["THADS-HANOI", "Năm 2026", "2026-11-18", "310", "140", "52", "20"],
]
CODE_HEADER = ["unit_code", "period", "staff_total", "staff_female", "managers_total", "managers_female"]


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    def cell(value: str) -> str:
        needs_quotes = delimiter in value or '"' in value or "\n" in value
        return '"' + value.replace('"', '""') + '"' if needs_quotes else value

    return "".join(delimiter.join(cell(v) for v in row) + "\r\n" for row in rows)


def _with_code_rows(*rows: list[str]) -> str:
    return _csv([CODE_HEADER, *rows])


def files() -> dict[str, bytes]:
    good = [LABEL_HEADER, *GOOD_ROWS]
    out: dict[str, bytes] = {
        "ok_utf8_comma.csv": _csv(good).encode("utf-8"),
        "ok_utf8_bom_semicolon.csv": b"\xef\xbb\xbf" + _csv(good, ";").encode("utf-8"),
        "ok_utf16_tab.txt": _csv(good, "\t").encode("utf-16"),  # Excel's "Unicode text"
        "ok_cp1258_semicolon.csv": to_cp1258(_csv(good, ";")),
        "ok_nfd_headings.csv": unicodedata.normalize("NFD", _csv(good)).encode("utf-8"),
        "ok_headings_case_spacing.csv": _csv([[h.upper().replace(" - ", "  -  ") for h in LABEL_HEADER],
                                              *GOOD_ROWS]).encode("utf-8"),
        "ok_names_and_period_forms.csv": _csv([
            ["Tên đơn vị", "Kỳ báo cáo", "staff_total", "staff_female"],
            ["BHXH tỉnh Quảng Trị", "6T/2026", "610", "330"],  # two units share the name: the active one
            ["Cục THADS thành phố Hà Nội", "6 tháng đầu năm 2026", "300", "135"],
        ]).encode("utf-8"),
        "ok_decimal_comma.csv": _csv([
            ["unit_code", "period", "thads_money_eligible_bn", "thads_money_completed_bn", "thads_cases_eligible"],
            ["THADS-HANOI", "2026-Y", "12,5", "8,25", "1.520"],
            ["THADS-HAIPHONG-2025", "2026-Y", "1.020,75", "700.5", "2 400"],
        ], ";").encode("utf-8"),
        # Errors, each at known rows (the header is row 1).
        "err_unknown_unit.csv": _with_code_rows(
            ["BHXH-HANOI", "2026-Y", "10", "5", "2", "1"], ["BHXH-KHONGCO", "2026-Y", "10", "5", "2", "1"]
        ).encode(),
        "err_unknown_column.csv": _csv([["unit_code", "period", "staff_total", "so_nguoi_la"],
                                        ["BHXH-HANOI", "2026-Y", "10", "3"]]).encode(),
        "err_non_numeric.csv": _with_code_rows(
            ["BHXH-HANOI", "2026-Y", "mười", "5", "2", "1"], ["THADS-HANOI", "2026-Y", "10", "5", "2", "n/a"]
        ).encode(),
        "err_negative.csv": _with_code_rows(["BHXH-HANOI", "2026-Y", "10", "-5", "2", "1"]).encode(),
        "err_not_integer.csv": _with_code_rows(["BHXH-HANOI", "2026-Y", "10", "5", "2,5", "1"]).encode(),
        "err_female_gt_total.csv": _with_code_rows(
            ["BHXH-HANOI", "2026-Y", "10", "5", "2", "1"], ["THADS-HANOI", "2026-Y", "10", "11", "2", "3"]
        ).encode(),
        "err_duplicate_rows.csv": _with_code_rows(
            ["BHXH-HANOI", "2026-Y", "10", "5", "2", "1"], ["THADS-HANOI", "2026-Y", "10", "5", "2", "1"],
            ["BHXH-HANOI", "Năm 2026", "11", "5", "2", "1"],
        ).encode(),
        "err_inactive_unit.csv": _with_code_rows(
            ["BHXH-QUANGBINH", "2026-Y", "10", "5", "2", "1"],  # closed on 30/06/2025
            ["BHXH-QUANGTRI-2025", "2024-Y", "10", "5", "2", "1"],  # opened on 01/07/2025
        ).encode(),
        "err_future_period.csv": _with_code_rows(["BHXH-HANOI", "2027-H1", "10", "5", "2", "1"]).encode(),
        "err_bad_period.csv": _with_code_rows(["BHXH-HANOI", "Quý 3/2026", "10", "5", "2", "1"],
                                              ["THADS-HANOI", "", "10", "5", "2", "1"]).encode(),
        "err_agency_indicator.csv": _csv([["unit_code", "period", "staff_total", "thads_cases_eligible"],
                                          ["BHXH-HANOI", "2026-Y", "10", "100"],
                                          ["THADS-HANOI", "2026-Y", "10", "100"]]).encode(),
        "err_bad_date.csv": _csv([["unit_code", "period", "report_date", "staff_total"],
                                  ["BHXH-HANOI", "2026-Y", "31/02/2026", "10"]]).encode(),
        "err_missing_unit_column.csv": _csv([["period", "staff_total"], ["2026-Y", "10"]]).encode(),
        "err_empty.csv": _csv([CODE_HEADER]).encode(),
        # Warnings only: they do not block, but must be confirmed.
        "warn_ratios_and_missing.csv": _csv([
            ["unit_code", "period", "staff_total", "staff_female", "managers_total", "managers_female",
             "key_leaders_total", "key_leaders_female"],
            ["BHXH-HANOI", "2026-Y", "100", "50", "40", "10", "3", "1"],  # managers 40% of staff
            ["THADS-HANOI", "2026-Y", "100", "50", "5", "2", "6", "1"],  # key leaders above managers
        ]).encode(),
        # Activities.
        "act_ok.csv": _csv([
            ["Mã đơn vị", "Đợt hoạt động", "Ngày bắt đầu", "Ngày kết thúc", "Hình thức", "Tên hoạt động",
             "Số người tham gia - Nữ", "Số người tham gia - Nam"],
            ["BHXH-HANOI", "ACTION_MONTH_GE", "16/11/2026", "16/11/2026", "Tọa đàm", "Tọa đàm nam giới và bình đẳng giới", "40", "35"],
            ["THADS-HANOI", "20/10", "20/10/2026", "", "Hội thi", "Hội thi tìm hiểu Luật Bình đẳng giới", "60", "12"],
        ]).encode("utf-8-sig"),
        "act_errors.csv": _csv([
            ["unit_code", "campaign", "start_date", "end_date", "title", "participants_female", "participants_male"],
            ["BHXH-HANOI", "TET", "16/11/2026", "", "Hoạt động A", "10", "5"],  # unknown campaign
            ["BHXH-HANOI", "DV_MONTH", "10/06/2026", "01/06/2026", "Hoạt động B", "10", "5"],  # ends before it starts
            ["BHXH-HANOI", "OTHER", "01/01/2027", "", "Hoạt động C", "10", "5"],  # in the future
            ["BHXH-HANOI", "OTHER", "01/05/2026", "", "Hoạt động D", "-1", "5"],  # negative
            ["BHXH-HANOI", "OTHER", "01/05/2026", "", "", "1", "5"],  # no title
        ]).encode(),
    }
    out["ok_template.xlsx"] = _xlsx(good)
    return out


def _xlsx(rows: list[list[str]]) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet("Mẫu")
        sheet.write_string(0, 0, "# Dòng hướng dẫn, được bỏ qua")
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if r > 1 and c >= 3:
                    sheet.write_number(r, c, float(value.replace(".", "")))
                else:
                    sheet.write_string(r, c, value)
    return buffer.getvalue()


if __name__ == "__main__":
    for name, data in files().items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(files())} files in {HERE}")
