"""Writes the registry test files in this folder (run it again after changing a case):

    python -m tests.data.registry.make_registry_files

`nhnn_units.csv` is the registry of an agency that is not in the sample (the State Bank: a head
office and its provincial branches, two of them merged into a regional branch in 2025); each
`err_*.csv` shows one registry error at a known row and column (tests/test_registry_import.py).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROVINCES = Path(__file__).resolve().parents[3] / "sample_data" / "provinces.csv"

HEADER = ["Mã đơn vị", "Tên đơn vị", "Mã ngành", "Tên ngành", "Mã đơn vị cấp trên", "Cấp",
          "Tỉnh, thành phố", "Bộ mã tỉnh", "Hoạt động từ", "Hoạt động đến", "Mã đơn vị kế thừa",
          "Người liên hệ", "Email", "Điện thoại"]
AGENCY = ("NHNN", "Ngân hàng Nhà nước Việt Nam")
BRANCHES = 34  # provincial branches, plus the head office and one regional branch: 36 units
MERGED = ("NHNN-CN02", "NHNN-CN03")  # merged on 01/03/2025 into the regional branch
REGIONAL = "NHNN-KV01"


def legacy_provinces() -> list[tuple[str, str]]:
    with PROVINCES.open(encoding="utf-8") as f:
        return [
            (r["code"], r["short_name"]) for r in csv.DictReader(f) if r["code_set"] == "legacy"
        ]


def nhnn_rows() -> list[list[str]]:
    rows = [["NHNN-TW", "Ngân hàng Nhà nước Việt Nam (Trụ sở chính)", *AGENCY, "", "Trung ương",
             "Hà Nội", "", "01/01/2000", "", "", "Nguyễn Thị Hương", "huong.nt@sbv.gov.vn",
             "024 3936 6306"]]
    for i, (code, name) in enumerate(legacy_provinces()[:BRANCHES], 1):
        unit = f"NHNN-CN{i:02d}"
        closed = unit in MERGED
        rows.append([
            unit, f"Chi nhánh Ngân hàng Nhà nước {name}", AGENCY[0], AGENCY[1], "NHNN-TW",
            "Cấp tỉnh", code if i % 2 else name, "legacy" if i == 5 else "", "01/01/2005",
            "28/02/2025" if closed else "", REGIONAL if closed else "", f"Trần Thị Lan {i}",
            f"lan{i}@sbv.gov.vn", f"0912 345 {i:03d}",
        ])
    rows.append([REGIONAL, "Chi nhánh Ngân hàng Nhà nước Khu vực 1", *AGENCY, "NHNN-TW", "Khu vực",
                 "Hà Nội", "", "01/03/2025", "", "", "Lê Văn Bình", "binh.lv@sbv.gov.vn", ""])
    return rows


def write(name: str, rows: list[list[str]], *, title: bool = False, total: bool = False) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if title:  # as an office spreadsheet saves it: the title padded to the table's width
        writer.writerow(["DANH MỤC ĐƠN VỊ NGÀNH NGÂN HÀNG"] + [""] * (len(HEADER) - 1))
        writer.writerow([""] * len(HEADER))
    writer.writerow(HEADER)
    writer.writerows(rows)
    if total:
        writer.writerow([f"Tổng cộng: {len(rows)} đơn vị"] + [""] * (len(HEADER) - 1))
    (HERE / name).write_bytes(out.getvalue().encode("utf-8-sig"))


def unit(code: str, **cells: str) -> list[str]:
    """A valid new unit of agency NHNN (which the error files create) with some cells changed."""
    row = dict(zip(HEADER, [code, f"Đơn vị {code}", *AGENCY, "", "Cấp tỉnh", "Hà Nội", "",
                            "01/01/2010", "", "", "", "", ""], strict=True))
    row.update(cells)
    return list(row.values())


# file → rows; the test asserts (file row, column) of the one error.
ERRORS = {
    "err_unknown_parent.csv": [unit("A1"), unit("A2", **{"Mã đơn vị cấp trên": "KHONG-CO"})],
    "err_unknown_agency.csv": [unit("A1"), unit("A2", **{"Mã ngành": "XYZ", "Tên ngành": ""})],
    "err_cycle.csv": [
        unit("A1"),
        unit("A2", **{"Mã đơn vị cấp trên": "A3"}),
        unit("A3", **{"Mã đơn vị cấp trên": "A4"}),
        unit("A4", **{"Mã đơn vị cấp trên": "A2"}),
    ],
    # Active from 01/08/2025: the 2025 set, where Hà Giang no longer exists (now Tuyên Quang).
    "err_province_not_in_set.csv": [
        unit("A1"),
        unit("A2", **{"Tỉnh, thành phố": "Hà Giang", "Hoạt động từ": "01/08/2025"}),
    ],
    "err_successor_closes_first.csv": [
        unit("A1", **{"Hoạt động đến": "31/12/2024"}),
        unit("A2", **{"Hoạt động đến": "30/06/2025", "Mã đơn vị kế thừa": "A1"}),
    ],
    "err_duplicate_code.csv": [unit("A1"), unit("A2"), unit("A1", **{"Tên đơn vị": "Đơn vị khác"})],
    "err_bad_email.csv": [unit("A1"), unit("A2", Email="lan.sbv.gov.vn")],
}


def main() -> None:
    write("nhnn_units.csv", nhnn_rows(), title=True, total=True)
    for name, rows in ERRORS.items():
        write(name, rows)


if __name__ == "__main__":
    main()
