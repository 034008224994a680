"""Tiny hand-written panels loaded through the sample loader: a few units, a few reports, figures
that can be computed by hand in the test that uses them."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from data_access.seed import load_sample

AGENCIES = [{"code": "BHXH", "name": "Bảo hiểm xã hội Việt Nam"}]
UNIT_COLUMNS = [
    "code",
    "name",
    "agency_code",
    "province_code",
    "province_set",
    "level",
    "parent_code",
    "active_from",
    "active_to",
    "successor_code",
]


def unit(
    code: str,
    province: str = "01",
    *,
    level: str = "district",
    province_set: str = "legacy",
    active_from: str = "2010-01-01",
    active_to: str = "",
    successor: str = "",
    name: str | None = None,
    agency: str = "BHXH",
) -> dict[str, str]:
    return {
        "code": code,
        "name": name or f"Đơn vị {code}",
        "agency_code": agency,
        "province_code": province,
        "province_set": province_set,
        "level": level,
        "parent_code": "",
        "active_from": active_from,
        "active_to": active_to,
        "successor_code": successor,
    }


def report(unit_code: str, period: str, **values: Any) -> dict[str, Any]:
    return {"unit_code": unit_code, "period": period, **values}


def _write(path: Path, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def load(
    engine: Engine,
    directory: Path,
    units: Sequence[dict[str, str]],
    reports: Sequence[dict[str, Any]],
    agencies: Sequence[dict[str, str]] = (),
) -> Engine:
    """Load the panel into `engine` (a fresh schema database) and return it. BHXH is always
    there (the demo accounts the loader creates are scoped to it); `agencies` adds others."""
    directory.mkdir(parents=True, exist_ok=True)
    _write(
        directory / "agencies.csv",
        ["code", "name", "name_en", "active_from", "active_to", "successor_code"],
        [*AGENCIES, *agencies],
    )
    _write(directory / "units.csv", UNIT_COLUMNS, units)
    value_columns = sorted({k for r in reports for k in r} - {"unit_code", "period"})
    _write(
        directory / "submissions.csv",
        ["unit_code", "period", "report_date", "received_at", *value_columns],
        reports,
    )
    load_sample(engine, directory)
    return engine
