"""Bench of the province merger (issue #14): every unit of one legacy province (about 800)
closed and re-opened in its 2025 province in one registry batch (target ≤ 2 s), on each backend
given. Dev tooling, like devtools.bench_registry.

    from devtools import bench_unit_changes
    bench_unit_changes.run({"sqlite": "sqlite:///bench/changes.db", "postgresql": url})

Each figure is the median of `rounds` mergers; each is rolled back before the next.
"""

from __future__ import annotations

import csv
import io
import statistics
import time
from typing import Any

from sqlalchemy import delete

from data_access import registry
from data_access.db.engine import get_engine
from data_access.db.models import UnitName, UnitSuccession
from data_access.registry import changes
from data_access.schema import init_db
from devtools.bench_registry import _empty

UNITS = 800  # the figure: the units of one legacy province across its agencies
ROUNDS = 3  # the median of three: this 2-core machine varies by half between runs
TARGET_SECONDS = 2.0
PROVINCE = "01"  # legacy Hà Nội
UNITS_PER_AGENCY = 100


def province_file(units: int = UNITS) -> bytes:
    """Agencies of UNITS_PER_AGENCY units, all in PROVINCE: an office and the units under it."""
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
            "Bộ mã tỉnh",
            "Hoạt động từ",
        ]
    )
    for n in range(units):
        agency, k = divmod(n, UNITS_PER_AGENCY)
        code = f"HN{agency:02d}"
        parent, level = ("", "Cấp tỉnh") if k == 0 else (f"{code}-0", "Cấp huyện")
        writer.writerow(
            [
                f"{code}-{k}",
                f"Đơn vị {k} – Sở thử nghiệm {agency}",
                code,
                f"Sở {agency}",
                parent,
                level,
                PROVINCE,
                "legacy",
                "01/01/2010",
            ]
        )
    return out.getvalue().encode("utf-8")


def run(urls: dict[str, str], units: int = UNITS, rounds: int = ROUNDS) -> dict[str, Any]:
    """{backend: {province_merger_seconds, units, target_seconds}}."""
    data = province_file(units)
    results: dict[str, Any] = {}
    for backend, url in urls.items():
        engine = get_engine(url)
        init_db(engine)
        with engine.begin() as conn:
            conn.execute(delete(UnitSuccession))
            conn.execute(delete(UnitName))
        _empty(engine)
        if not registry.commit(engine, "bench_province.csv", data, user="bench").committed:
            raise RuntimeError("bench province registry rejected")
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            done = changes.province_merger(engine, [PROVINCE], user="bench")
            timings.append(time.perf_counter() - started)
            if done.units != 2 * units or done.batch_id is None:
                raise RuntimeError(f"bench province merger moved {done.units // 2} units")
            registry.rollback(engine, done.batch_id, user="bench")
        results[backend] = {
            "province_merger_seconds": round(statistics.median(timings), 2),
            "units": units,
            "target_seconds": TARGET_SECONDS,
        }
    return results
