"""Write sample_data/provinces.csv and legacy_districts.csv from the `vietnamadminunits` package.

One row per province in both code sets (63 legacy until 30/06/2025, 34 since 01/07/2025), with
coordinates, region and, for legacy rows, the 2025 province it merged into. Run it again when
the package is upgraded; `tests/test_reference.py` checks that the committed file still matches.

    python scripts/build_province_reference.py [-o sample_data]

The districts (abolished on 01/07/2025) name the sample data's district-level units.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
from pathlib import Path

import vietnamadminunits

PACKAGE_DATA = Path(vietnamadminunits.__file__).parent / "data"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "sample_data"

# The package has no regions. These are the six socio-economic regions of the General Statistics
# Office; a merged 2025 province takes the region of its seat.
REGIONS = {
    "NMB": "Trung du và miền núi phía Bắc",
    "DBSH": "Đồng bằng sông Hồng",
    "BTB": "Bắc Trung Bộ và duyên hải miền Trung",
    "TN": "Tây Nguyên",
    "DNB": "Đông Nam Bộ",
    "DBSCL": "Đồng bằng sông Cửu Long",
}
LEGACY_REGION = {
    **dict.fromkeys(
        ["02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "24", "25"], "NMB"
    ),
    **dict.fromkeys(["01", "22", "26", "27", "30", "31", "33", "34", "35", "36", "37"], "DBSH"),
    **dict.fromkeys(
        ["38", "40", "42", "44", "45", "46", "48", "49", "51", "52", "54", "56", "58", "60"], "BTB"
    ),
    **dict.fromkeys(["62", "64", "66", "67", "68"], "TN"),
    **dict.fromkeys(["70", "72", "74", "75", "77", "79"], "DNB"),
    **dict.fromkeys(
        ["80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96"], "DBSCL"
    ),
}
CURRENT_REGION = {
    **dict.fromkeys(["04", "08", "11", "12", "14", "15", "19", "20", "25"], "NMB"),
    **dict.fromkeys(["01", "22", "24", "31", "33", "37"], "DBSH"),
    **dict.fromkeys(["38", "40", "42", "44", "46", "48", "51", "52", "56"], "BTB"),
    **dict.fromkeys(["66", "68"], "TN"),
    **dict.fromkeys(["75", "79", "80"], "DNB"),
    **dict.fromkeys(["82", "86", "91", "92", "96"], "DBSCL"),
}

FIELDS = [
    "code_set",
    "code",
    "name",
    "short_name",
    "slug",
    "region_code",
    "region_name",
    "lat",
    "lon",
    "current_code",
]


def _provinces(conn: sqlite3.Connection, table: str) -> list[tuple]:
    # Table names come from this module, never from input.
    sql = f"SELECT DISTINCT provinceCode, province, provinceShort, provinceKey, provinceShortKey, provinceLat, provinceLon FROM {table} ORDER BY provinceCode"  # noqa: S608
    return conn.execute(sql).fetchall()


def build_rows() -> list[dict[str, str]]:
    conn = sqlite3.connect(PACKAGE_DATA / "dataset.db")
    current = _provinces(conn, "admin_units")
    legacy = _provinces(conn, "admin_units_legacy")
    merges: dict[str, list[str]] = json.loads(
        (PACKAGE_DATA / "converter_2025.json").read_text(encoding="utf-8")
    )["DICT_PROVINCE"]
    current_by_key = {key: code for code, _, _, key, *_ in current}
    legacy_to_current = {
        old_key: current_by_key[new_key] for new_key, olds in merges.items() for old_key in olds
    }
    rows = []
    for code_set, provinces, regions in (
        ("legacy", legacy, LEGACY_REGION),
        ("2025", current, CURRENT_REGION),
    ):
        for code, name, short, key, short_key, lat, lon in provinces:
            region = regions[code]
            rows.append(
                {
                    "code_set": code_set,
                    "code": code,
                    "name": name,
                    "short_name": short,
                    "slug": short_key,
                    "region_code": region,
                    "region_name": REGIONS[region],
                    "lat": f"{lat:.4f}",
                    "lon": f"{lon:.4f}",
                    "current_code": legacy_to_current[key] if code_set == "legacy" else code,
                }
            )
    return rows


def build_district_rows() -> list[dict[str, str]]:
    conn = sqlite3.connect(PACKAGE_DATA / "dataset.db")
    rows = conn.execute(
        "SELECT DISTINCT provinceCode, districtCode, district FROM admin_units_legacy"
        " ORDER BY provinceCode, districtCode"
    ).fetchall()
    return [{"province_code": p, "code": c, "name": n} for p, c, n in rows]


def render_csv(rows: list[dict[str, str]], fieldnames: list[str] = FIELDS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "provinces.csv").write_text(render_csv(build_rows()), encoding="utf-8")
    districts = render_csv(build_district_rows(), ["province_code", "code", "name"])
    (args.output / "legacy_districts.csv").write_text(districts, encoding="utf-8")
    print(f"wrote provinces.csv and legacy_districts.csv in {args.output}")


if __name__ == "__main__":
    main()
