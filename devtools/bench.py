"""Benchmarks at national scale: ingestion against the raw insert baseline, every page under
AppTest against a one-query reference script, and the app's memory.

    python -m devtools bench [--units N --years Y] [--database-url URL] [-o bench/results.json]

Without --database-url it measures a fresh SQLite file; `make bench` also starts a throwaway
PostgreSQL server and measures both in the same run (scripts/bench.py).
Figures are wall-clock on this machine; the README quotes the latest run with the machine's size.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, text

from data_access import ingest
from data_access.db.config import PROJECT_ROOT
from data_access.db.engine import get_engine
from data_access.db.value_tables import refresh_summary
from data_access.domain.periods import parse_period
from data_access.queries.lookups import load_catalogue
from data_access.schema import init_db
from devtools.sample_generator import generate

INGEST_ROWS = 100_000
# Every figure is the median of this many rounds: this 2-core machine varies by half between runs.
ROUNDS = 3
BENCH_DIR = PROJECT_ROOT / "bench"
TODAY = dt.date(2026, 11, 22)
# The pages measured, and a filter change that misses every cache (another year range).
PAGES = [
    "overview",
    "gender_ratio",
    "leadership",
    "campaigns",
    "capacity",
    "provinces",
    "gender_index",
    "unit",
    "explore",
    "report",
    "upload",
    "tracking",
    "history",
]
FIRST_QUERY = {"ky": "Y", "tu": "2018", "den": "2026"}
CHANGED_QUERY = {"ky": "Y", "tu": "2020", "den": "2024", "nganh": "BHXH"}


def sample(units: int, years: int) -> Path:
    """The scaled sample for (units, years), generated once and kept under bench/cache/."""
    directory = BENCH_DIR / "cache" / f"u{units}-y{years}"
    if not (directory / "submissions.csv").exists():
        generate(directory, units=units, years=years, narratives=False)
    return directory


def load(engine: Engine, directory: Path) -> dict[str, float]:
    started = time.perf_counter()
    counts = init_db(engine, sample=True, sample_dir=directory)
    return {"load_seconds": round(time.perf_counter() - started, 1), **counts}


def _ingest_file(directory: Path, rows: int, codes: list[str]) -> tuple[bytes, list[str]]:
    """A submissions file as a secretariat would upload it (Vietnamese-Excel CSV, dd/mm/yyyy):
    the first `rows` rows of the earliest periods of the sample (the last period in part).
    Returns the file and its periods (the benchmark removes the file's rows first, so the upload
    inserts them all). The sample lists its rows by unit, so the periods are chosen from a first
    pass over the file."""
    with (directory / "submissions.csv").open(encoding="utf-8") as f:
        per_period = collections.Counter(row["period"] for row in csv.DictReader(f))
    periods: list[str] = []
    counted = 0
    for period in sorted(per_period, key=lambda code: parse_period(code).end_date):
        if counted >= rows:
            break
        periods.append(period)
        counted += per_period[period]
    chosen = set(periods)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["unit_code", "period", "report_date", *codes])
    written = 0
    with (directory / "submissions.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["period"] not in chosen:
                continue
            if written == rows:
                break
            written += 1
            day = (
                dt.date.fromisoformat(row["report_date"]).strftime("%d/%m/%Y")
                if row["report_date"]
                else ""
            )
            writer.writerow(
                [row["unit_code"], row["period"], day, *(row.get(c, "") for c in codes)]
            )
    return out.getvalue().encode("utf-8-sig"), periods


def ingestion(
    engine: Engine, directory: Path, rows: int = INGEST_ROWS, rounds: int = ROUNDS
) -> dict[str, Any]:
    """The real upload path (validation included) against the driver's raw insert of the same
    rows: into `submissions` itself (then deleted again), and into a bare scratch table. Each
    time is the median of `rounds` rounds."""
    catalogue = load_catalogue(engine)
    data, periods = _ingest_file(directory, rows, catalogue.codes)
    with engine.connect() as conn:
        period_ids: dict[str, int] = dict(
            conn.execute(
                text("SELECT code, id FROM periods WHERE code IN :codes").bindparams(
                    bindparam("codes", expanding=True)
                ),
                {"codes": periods},
            ).all()
        )
        unit_ids: dict[str, int] = dict(conn.execute(text("SELECT code, id FROM units")).all())
    values = _raw_rows(data, unit_ids, period_ids)

    units_by_period: dict[int, list[int]] = collections.defaultdict(list)
    for unit_id, period_id, *_ in values:
        units_by_period[period_id].append(unit_id)

    def clear() -> None:
        """The file's reports gone (summary included), for the next insert to put back; the rest
        of the period the file takes in part stays."""
        with engine.begin() as conn:
            for period_id, unit_list in units_by_period.items():
                # In parts: SQLite binds at most 32,766 parameters a statement.
                for start in range(0, len(unit_list), 10_000):
                    conn.execute(
                        text(
                            "DELETE FROM submissions WHERE period_id = :period "
                            "AND unit_id IN :units"
                        ).bindparams(bindparam("units", expanding=True)),
                        {"period": period_id, "units": unit_list[start : start + 10_000]},
                    )
            refresh_summary(conn, catalogue, period_ids.values())
        _vacuum(engine)
        os.sync()  # dirty pages written out now, not during the next measurement

    timings = []
    for _ in range(rounds):
        clear()
        raw_seconds = _raw_insert(engine, "submissions", values, catalogue.codes)
        clear()
        bare_seconds = _raw_insert(engine, "bench_raw", values, catalogue.codes)
        started = time.perf_counter()
        report = ingest.commit(
            engine, "bench.csv", data, user="bench", accept_warnings=True, today=TODAY
        )
        if not report.committed:  # a figure of a refused file would time the refusal
            raise RuntimeError(f"bench upload refused: {report.message} {report.errors[:3]}")
        timings.append((time.perf_counter() - started, raw_seconds, bare_seconds))
    seconds, raw_seconds, bare_seconds = (
        statistics.median(t[i] for t in timings) for i in range(3)
    )
    clear()  # the commit in a fresh process inserts every row again, as the rounds did
    committed = _ingest_process(engine, "bench.csv", data, commit=True)
    return {
        "rows": report.total_rows,
        "periods": periods,
        "rounds": rounds,
        "committed": report.committed,
        "inserted": report.inserted,
        "updated": report.updated,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "seconds": round(seconds, 3),
        "rows_per_s": round(report.total_rows / seconds),
        "raw_seconds": round(raw_seconds, 4),
        "raw_rows_per_s": round(report.total_rows / raw_seconds),
        "ratio": round(seconds / raw_seconds, 2),
        "bare_raw_seconds": round(bare_seconds, 4),
        "bare_ratio": round(seconds / bare_seconds, 2),
        "peak_rss_mb": _ingest_peak_memory(engine, data),
        "commit_peak_rss_mb": committed["peak_rss_mb"],
        "commit_process_seconds": committed["seconds"],
    }


def _number(text_value: str) -> int | float | None:
    if not text_value:
        return None
    return int(text_value) if text_value.isdigit() else float(text_value)


def _raw_rows(data: bytes, unit_ids: dict[str, int], period_ids: dict[str, int]) -> list[list[Any]]:
    """The file's rows as the driver takes them: resolved ids and numbers, nothing checked."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
    return [[unit_ids[r[0]], period_ids[r[1]], *(_number(v) for v in r[3:])] for r in rows]


def _raw_insert(engine: Engine, table: str, values: list[list[Any]], codes: list[str]) -> float:
    """Seconds for SQLite executemany / PostgreSQL COPY of `values` into `table`, committed in
    one transaction: `submissions` itself (every index and foreign key an upload pays), or
    `bench_raw`, a bare table with the same indexes and no foreign keys."""
    columns = ["unit_id", "period_id", *codes]
    if table == "bench_raw":
        ddl = ", ".join(
            f"{c} {'DOUBLE PRECISION' if c.endswith('_bn') else 'BIGINT'}" for c in codes
        )
        pk = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS bench_raw"))
            conn.execute(
                text(
                    f"CREATE TABLE bench_raw (id {pk} PRIMARY KEY, unit_id BIGINT, period_id BIGINT, {ddl})"
                )
            )
            conn.execute(
                text("CREATE UNIQUE INDEX bench_raw_key ON bench_raw (unit_id, period_id)")
            )
            conn.execute(text("CREATE INDEX bench_raw_period ON bench_raw (period_id, unit_id)"))
    raw = engine.raw_connection()
    try:
        started = time.perf_counter()
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            # Column names come from the catalogue (validated codes), never from input.
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
            cursor.executemany(sql, values)
        raw.commit()
        seconds = time.perf_counter() - started
    finally:
        raw.close()
    if table == "bench_raw":
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE bench_raw"))
    return seconds


def _vacuum(engine: Engine, table: str = "submissions") -> None:
    """PostgreSQL: clear the dead rows a delete leaves, so they slow neither the next
    measurement nor the upload; `table` "" for the whole database."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # `table` is one of this module's literals, never input.
            conn.execute(text(f"VACUUM ANALYZE {table}".rstrip()))


def settle(engine: Engine) -> None:
    """The database as its autovacuum leaves it minutes after an upload, before the pages are
    timed: the ingestion's last commit put 145,000 rows back, and PostgreSQL's autovacuum then
    analysed `submissions` while the pages ran (seen in pg_stat_activity), on one of the two
    cores the page timings share."""
    _vacuum(engine, "")
    os.sync()


def peak_rss_mb() -> float:
    """This process's peak resident memory (MB) since it started its program. Linux's VmHWM, not
    getrusage: ru_maxrss survives exec, so a child started by this (large) benchmark process
    would report the parent's size."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _ingest_peak_memory(engine: Engine, data: bytes) -> float:
    """Peak RSS (MB) of a fresh process validating the same file (a dry run: writes nothing)."""
    return _dry_run_process(engine, "bench.csv", data)["peak_rss_mb"]


def _dry_run_process(engine: Engine, name: str, data: bytes) -> dict[str, Any]:
    """Peak RSS (MB), wall-clock seconds and the verdict of a fresh process running the CLI's
    dry run of `data` saved as `name`."""
    return _ingest_process(engine, name, data, commit=False)


def _ingest_process(engine: Engine, name: str, data: bytes, *, commit: bool) -> dict[str, Any]:
    """Peak RSS (MB), wall-clock seconds and the verdict of a fresh process running the CLI's
    dry run of `data` saved as `name`, or its commit (warnings accepted)."""
    directory = tempfile.mkdtemp()
    path = Path(directory) / name
    path.write_bytes(data)
    url = engine.url.render_as_string(hide_password=False)
    mode = "--accept-warnings" if commit else "--dry-run"
    # VmHWM read inline (see peak_rss_mb): importing this module in the child would add its own
    # imports, 10 MB, to the upload's peak.
    code = (
        "import sys; from data_access.cli import main; "
        f"main(['--database-url', {url!r}, 'ingest', {str(path)!r}, {mode!r}, '--user', 'bench']); "
        "print(round(next(int(line.split()[1]) / 1024 for line in open('/proc/self/status') "
        "if line.startswith('VmHWM:')), 1), file=sys.stderr)"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=False
    )
    seconds = time.perf_counter() - started
    path.unlink()
    os.rmdir(directory)
    try:
        peak = float(result.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        peak = -1.0
    try:
        message = json.loads(result.stdout)["message"]
    except (ValueError, KeyError):
        message = result.stderr.strip()[-300:]
    return {"peak_rss_mb": peak, "seconds": round(seconds, 1), "message": message}


def _xlsx(
    rows: Sequence[Sequence[object]], sheet_xml: Any = None, extra: dict[str, bytes] | None = None
) -> bytes:
    """A workbook of `rows`, its sheet XML rewritten by `sheet_xml`, `extra` members added."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml" and sheet_xml is not None:
                content = sheet_xml(content.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _whole_grid(far_cell: str) -> Any:
    def rewrite(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace("</sheetData>", f'<row r="1048576">{far_cell}</row></sheetData>')

    return rewrite


def hostile_files(engine: Engine, codes: list[str]) -> dict[str, Any]:
    """Peak memory, time and verdict of a dry run of each hostile file of issue 12 (and of a
    national-size XLSX within the caps), each in a fresh process. Goal: under 500 MB each."""
    from data_access.ingest import limits

    header = ["unit_code", "period", "report_date", *codes]
    small = [header[:3], ["BHXH-HANOI", "2026-Y", "20/11/2026"]]
    bad_line = ",".join(["BHXH-HANOI", "2026-Y", "20/11/2026", *("x" for _ in codes)]) + "\n"
    bad_rows = (limits.MAX_UPLOAD_BYTES - 2**20) // len(bad_line)
    national = [header] + [
        [f"U{i:05d}", "2026-Y", "20/11/2026", *(i % 97 + j for j in range(len(codes)))]
        for i in range(53_000)
    ]
    files: dict[str, tuple[str, bytes]] = {
        "xlsx_declared_whole_grid": (
            "a.xlsx",
            _xlsx(small, _whole_grid('<c r="XFD1048576" s="0"/>')),
        ),
        "xlsx_value_at_XFD1048576": (
            "b.xlsx",
            _xlsx(small, _whole_grid('<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>')),
        ),
        "xlsx_zip_bomb": (
            "c.xlsx",
            _xlsx(small, extra={"xl/media/pad.bin": bytes(limits.MAX_UNPACKED_BYTES + 1)}),
        ),
        "csv_bad_under_upload_limit": (
            "d.csv",
            (",".join(header) + "\n" + bad_line * bad_rows).encode("utf-8"),
        ),
        "csv_bad_within_row_cap": (
            "g.csv",
            (",".join(header) + "\n" + bad_line * (limits.MAX_ROWS - 1)).encode("utf-8"),
        ),
        "csv_10mb_multiline_cell": (
            "e.csv",
            (
                'unit_code,period,ghi_chu\nBHXH-HANOI,2026-Y,"' + "ghi chú,\n" * 1_100_000 + '"\n'
            ).encode(),
        ),
        "xlsx_national_53000_rows": ("f.xlsx", _xlsx(national)),
    }
    return {
        label: {"mb": round(len(data) / 2**20, 1), **_dry_run_process(engine, name, data)}
        for label, (name, data) in files.items()
    }


def pages(engine: Engine, rounds: int = ROUNDS) -> dict[str, Any]:
    """Every page's script under AppTest, in a fresh process: first run, cached repeat, and a new
    filter combination, each next to the reference script; then the process's peak memory."""
    url = engine.url.render_as_string(hide_password=False)
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "devtools" / "bench_pages.py")],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
        env={**os.environ, "DATABASE_URL": url, "BENCH_ROUNDS": str(rounds)},
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def scratch_url(url: str, name: str) -> str:
    """A database of its own beside `url`, for a bench that empties the database it is given
    (devtools.bench_unit_changes): a SQLite file in BENCH_DIR, or a new PostgreSQL database on
    the same server."""
    engine = get_engine(url)
    if engine.dialect.name == "sqlite":
        path = BENCH_DIR / f"{name}.db"
        for leftover in BENCH_DIR.glob(f"{path.name}*"):
            leftover.unlink()
        return f"sqlite:///{path}"
    database = f"{engine.url.database}_{name}"
    quoted = engine.dialect.identifier_preparer.quote(database)
    # CREATE DATABASE takes no bound parameter and runs outside a transaction.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {quoted}"))
        conn.execute(text(f"CREATE DATABASE {quoted}"))
    engine.dispose()
    return engine.url.set(database=database).render_as_string(hide_password=False)


def unit_changes(url: str, rounds: int = ROUNDS) -> dict[str, Any]:
    """The province merger of about 800 units (devtools.bench_unit_changes), in a database of
    its own: the bench empties its database first."""
    from devtools import bench_unit_changes

    scratch = scratch_url(url, f"changes_{get_engine(url).dialect.name}")
    result: dict[str, Any] = bench_unit_changes.run({"merger": scratch}, rounds=rounds)["merger"]
    return result


def registry_import(url: str, rounds: int = ROUNDS) -> dict[str, Any]:
    """The import of a 50,000-unit registry (devtools.bench_registry), validation included, in a
    database of its own: the bench empties its database before each round."""
    from devtools import bench_registry

    backend = get_engine(url).dialect.name
    scratch = scratch_url(url, f"registry_{backend}")
    result: dict[str, Any] = bench_registry.run({backend: scratch}, rounds=rounds)[backend]
    return result


def submit_rush(url: str, sessions: int, reports: int, processes: int) -> dict[str, Any]:
    """The deadline rush (devtools.bench_submit_rush) on the bench's database: `reports` reports
    opened, saved and submitted by `sessions` concurrent unit reporters spread over `processes`
    app processes, then accepted."""
    from devtools import bench_submit_rush

    return bench_submit_rush.run(url, sessions=sessions, reports=reports, processes=processes)


# What one run can measure, in the order it measures them; `make bench` measures them all.
PARTS = (
    "ingestion",
    "hostile_files",
    "pages",
    "unit_changes",
    "registry_import",
    "submit_rush",
    "browser",
)


def run(
    units: int,
    years: int,
    urls: dict[str, str],
    ingest_rows: int = INGEST_ROWS,
    rounds: int = ROUNDS,
    browser_sessions: int = 20,
    rush_sessions: int = 20,
    rush_reports: int = 1_000,
    rush_processes: int = 2,
    parts: Sequence[str] = PARTS,
) -> dict[str, Any]:
    """Load the scaled sample into each database of `urls` and measure `parts` of PARTS."""
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown bench parts: {sorted(unknown)}; known: {list(PARTS)}")
    directory = sample(units, years)
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        },
        "scale": {"units": units, "years": years},
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "parts": [part for part in PARTS if part in parts],
        "backends": {},
    }
    for backend, url in urls.items():
        engine = get_engine(url)
        entry: dict[str, Any] = {"load": load(engine, directory)}
        if "ingestion" in parts:
            entry["ingestion"] = ingestion(engine, directory, ingest_rows, rounds)
        if "hostile_files" in parts:
            entry["hostile_files"] = hostile_files(engine, load_catalogue(engine).codes)
        if "pages" in parts:
            if "ingestion" in parts:
                settle(engine)
            entry["pages"] = pages(engine, rounds)
        if "unit_changes" in parts:
            entry["unit_changes"] = unit_changes(url, rounds)
        if "registry_import" in parts:
            entry["registry_import"] = registry_import(url, rounds)
        # After the page timings, whose figures its accepted reports would otherwise move.
        if "submit_rush" in parts:
            entry["submit_rush"] = submit_rush(url, rush_sessions, rush_reports, rush_processes)
            if rush_processes > 1:  # and every session in one process, for comparison
                entry["submit_rush_one_process"] = submit_rush(url, rush_sessions, rush_reports, 1)
        if "browser" in parts and browser_sessions:
            from devtools import bench_browser

            entry["browser"] = bench_browser.run(url, sessions=browser_sessions, rounds=rounds)
        results["backends"][backend] = entry
    results["self_peak_rss_mb"] = peak_rss_mb()
    return results


def _pages_table(backend: str, p: dict[str, Any] | None) -> list[str]:
    if not p:
        return []
    ref = p["reference"]
    lines = [
        f"[{backend}] reference script: first {ref['first_ms']} ms, cached {ref['cached_ms']} ms, "
        f"uncached {ref['uncached_ms']} ms",
        f"[{backend}] {'page':<14}{'first ms':>10}{'cached ms':>11}{'slowest':>9}"
        f"{'uncached ms':>13}{'÷ ref':>8}",
    ]
    for name, t in p["pages"].items():
        lines.append(
            f"[{backend}] {name:<14}{t['first_ms']:>10}{t['cached_ms']:>11}"
            f"{t.get('cached_max_ms', ''):>9}{t['uncached_ms']:>13}{t['uncached_ratio']:>8}"
        )
    lines.append(f"[{backend}] app peak RSS after every page: {p['peak_rss_mb']} MB")
    return lines


def table(results: dict[str, Any]) -> str:
    """A plain-text summary of a results dict."""
    lines = [f"scale: {results['scale']['units']:,} units × {results['scale']['years']} years"]
    for backend, entry in results["backends"].items():
        lines.append(
            f"[{backend}] loaded {entry['load'].get('submissions', 0):,} submissions in {entry['load']['load_seconds']} s"
        )
        if i := entry.get("ingestion"):
            lines.append(
                f"[{backend}] upload {i['rows']:,} rows: {i['seconds']} s ({i['rows_per_s']:,} rows/s), raw "
                f"{i['raw_seconds']} s into submissions ({i['raw_rows_per_s']:,} rows/s), ratio {i['ratio']}×; "
                f"bare table {i['bare_raw_seconds']} s, ratio {i['bare_ratio']}×; peak {i['peak_rss_mb']} MB "
                f"(dry run), {i['commit_peak_rss_mb']} MB (commit)"
            )
        for label, h in entry.get("hostile_files", {}).items():
            lines.append(
                f"[{backend}] hostile {label} ({h['mb']} MB): peak {h['peak_rss_mb']} MB, "
                f"{h['seconds']} s — {h['message'][:90]}"
            )
        lines += _pages_table(backend, entry.get("pages"))
        if u := entry.get("unit_changes"):
            lines.append(
                f"[{backend}] province merger of {u['units']:,} units: "
                f"{u['province_merger_seconds']} s (target ≤ {u['target_seconds']} s)"
            )
        if r := entry.get("registry_import"):
            lines.append(
                f"[{backend}] registry import of {r['units']:,} units: "
                f"{r['registry_import_seconds']} s (target ≤ {r['target_seconds']} s)"
            )
        for key in ("submit_rush", "submit_rush_one_process"):
            if rush := entry.get(key):
                from devtools import bench_submit_rush

                lines += [
                    f"[{backend}] {line}" for line in bench_submit_rush.table(rush).splitlines()
                ]
        if b := entry.get("browser"):
            from devtools import bench_browser

            lines += [f"[{backend}] {line}" for line in bench_browser.table(b).splitlines()]
    return "\n".join(lines)
