"""Bench of the registry import (issue #14): 50,000 units into an empty database, validation
included, on each backend given (target ≤ 10 s). Dev tooling, like devtools.bench.

    from devtools import bench_registry
    bench_registry.run({"sqlite": "sqlite:///bench/registry.db", "postgresql": url})

Each figure is the median of `rounds` imports, each into a freshly emptied database.
"""

from __future__ import annotations

import csv
import io
import statistics
import time
from typing import Any

from sqlalchemy import Engine, delete, update

from data_access import registry
from data_access.db.config import SAMPLE_DATA_DIR
from data_access.db.engine import get_engine
from data_access.db.models import Agency, RegistryRevision, Unit, UploadBatch
from data_access.schema import init_db

UNITS = 50_000  # the scale the issue names: every unit of a large committee
ROUNDS = 3  # the median of three: this 2-core machine varies by half between runs
TARGET_SECONDS = 10.0
PROVINCES_LEGACY = 63  # provincial offices per agency, one per legacy province


def _legacy_codes() -> list[str]:
    with (SAMPLE_DATA_DIR / "provinces.csv").open(encoding="utf-8") as f:
        return [r["code"] for r in csv.DictReader(f) if r["code_set"] == "legacy"]


def registry_file(units: int = UNITS) -> bytes:
    """Agencies of 1,000 units each: a head office, provincial offices under it, district
    offices under those; provinces by legacy code, contacts on every row."""
    codes = _legacy_codes()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Mã đơn vị",
            "Tên đơn vị",
            "Mã ngành",
            "Tên ngành",
            "Mã đơn vị cấp trên",
            "Cấp",
            "Tỉnh, thành phố",
            "Hoạt động từ",
            "Hoạt động đến",
            "Mã đơn vị kế thừa",
            "Người liên hệ",
            "Email",
            "Điện thoại",
        ]
    )
    for n in range(units):
        agency, k = divmod(n, 1000)
        code = f"B{agency:02d}"
        province = codes[k % len(codes)]
        if k == 0:
            parent, level, name = "", "Trung ương", "Văn phòng"
        elif k <= PROVINCES_LEGACY:
            parent, level, name = f"{code}-0", "Cấp tỉnh", f"Sở tỉnh {province}"
        else:
            parent, level = f"{code}-{k % PROVINCES_LEGACY + 1}", "Cấp huyện"
            name = f"Phòng huyện số {k}"
        closed = k > PROVINCES_LEGACY and k % 100 == 0  # a few closed, succeeded by the next
        writer.writerow(
            [
                f"{code}-{k}",
                f"{name} – Bộ thử nghiệm {agency}",
                code,
                f"Bộ thử nghiệm {agency}",
                parent,
                level,
                province,
                "01/01/2010",
                "30/06/2025" if closed else "",
                f"{code}-{k + 1}" if closed else "",
                f"Nguyễn Thị Hằng {k}",
                f"u{n}@bo{agency}.gov.vn",
                "024 3825 0000",
            ]
        )
    return out.getvalue().encode("utf-8")


def _empty(engine: Engine) -> None:
    with engine.begin() as conn:
        for model in (RegistryRevision, UploadBatch):
            conn.execute(delete(model))
        conn.execute(update(Unit).values(parent_id=None, successor_id=None))
        conn.execute(delete(Unit))
        conn.execute(delete(Agency))


def run(urls: dict[str, str], units: int = UNITS, rounds: int = ROUNDS) -> dict[str, Any]:
    """{backend: {seconds, units, target_seconds}} for importing `units` units."""
    data = registry_file(units)
    results: dict[str, Any] = {}
    for backend, url in urls.items():
        engine = get_engine(url)
        init_db(engine)
        timings = []
        for _ in range(rounds):
            _empty(engine)
            started = time.perf_counter()
            report = registry.commit(engine, "bench_registry.csv", data, user="bench")
            timings.append(time.perf_counter() - started)
            if not report.committed:
                raise RuntimeError(f"bench registry rejected: {report.problems[:5]}")
        results[backend] = {
            "registry_import_seconds": round(statistics.median(timings), 2),
            "units": units,
            "target_seconds": TARGET_SECONDS,
        }
    return results
