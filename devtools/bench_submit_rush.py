"""The deadline rush (issue #15): N concurrent unit reporters each open, save and submit reports
through the real workflow calls (data_access.reporting.workflow), 1,000 reports in all by
default, then the secretariat accepts them; every call is timed. Targets at national scale on
PostgreSQL: p95 ≤ 300 ms per submit, no lost update, the summary equal to a recount.

    from devtools import bench_submit_rush
    bench_submit_rush.run(url, sessions=20, reports=1000)

The database at `url` is the bench's, already loaded; the rush takes units that have no form
report for the period yet, so a second run on the same database takes other units. Each worker
thread is one session acting as its units' reporter identity (the app's sessions share one
engine per process, as these threads do). The sessions are spread over PROCESSES app processes
(fresh interpreters running this module, one per core, as docs/deploy.md runs the app); `processes=1` puts them
all in this one.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, func, or_, select

from data_access.auth import Identity
from data_access.db import catalogue as catalogue_mod
from data_access.db.engine import get_engine
from data_access.db.models import Agency, Period, Report, Unit
from data_access.db.value_tables import refresh_summary, tables
from data_access.domain.periods import parse_period
from data_access.reporting import workflow
from data_access.reporting.form import NARRATIVES_VI, field_codes

SESSIONS = 20  # the figure: twenty units submitting at once on the deadline
# The app processes the sessions are spread over: one per core, as docs/deploy.md runs the app
# (a process's sessions share one interpreter, so one process uses one core at most).
PROCESSES = 2
START_DELAY_S = 8.0  # the processes start together, once each has imported the app (~2 s)
REPORTS = 1_000  # the figure: reports submitted in the rush, across every session
SECRETARIES = 1  # the secretariat works through the queue one report at a time
TARGET_P95_MS = 300.0
# The last half-year every unit of the sample was open for (district units close on 30/06/2025):
# a rush report replaces the unit's uploaded submission (its old row out of the summary, the new
# one in) or, where none is stored, adds it.
PERIOD = "2025-H1"
TODAY = dt.date(2026, 11, 22)  # the bench's day (devtools.bench.TODAY)
SECRETARY = Identity("bench.thuky", "secretariat")  # every agency
SUMMARY_KEYS = ["period_id", "agency_id", "province_id", "level"]
ROOT = Path(__file__).resolve().parent.parent


def reporter(unit_code: str, agency_code: str) -> Identity:
    """The unit's own reporter account, as the bulk accounts name them."""
    return Identity(f"donvi.{unit_code.lower()}", "reporter", (agency_code,), unit=unit_code)


def rush_units(engine: Engine, reports: int, period: str = PERIOD) -> list[tuple[str, str]]:
    """(unit code, agency code) of `reports` units active in the period with no form report for
    it yet, spread evenly over the registry (every agency and province, not one block)."""
    p = parse_period(period)
    started = (
        select(Report.unit_id)
        .join(Period, Period.id == Report.period_id)
        .where(Period.code == str(p))
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(Unit.code, Agency.code)
            .join(Agency, Agency.id == Unit.agency_id)
            .where(
                Unit.active_from <= p.end_date,
                or_(Unit.active_to.is_(None), Unit.active_to >= p.start_date),
                Unit.id.not_in(started),
            )
            .order_by(Unit.id)
        ).all()
    if len(rows) < reports:
        raise RuntimeError(f"only {len(rows)} units left without a report for {period}")
    step = len(rows) / reports
    return [(rows[int(n * step)][0], rows[int(n * step)][1]) for n in range(reports)]


def typed_fields(
    catalogue: catalogue_mod.Catalogue, unit_code: str, agency_code: str, draft: bool
) -> dict[str, str]:
    """The form as the unit types it: every field filled, each pair's female part under its total
    and integers and decimals as a Vietnamese reporter writes them ("12,5"). The draft differs
    from what is submitted, so a submit that lost to its draft shows."""
    seed = sum(map(ord, unit_code)) % 97 + (0 if draft else 3)
    female_of = {p.female: p.total for p in catalogue.pairs.values()}
    numbers: dict[str, int] = {}
    fields: dict[str, str] = {}
    for n, code in enumerate(field_codes(catalogue, agency_code)):
        if code in NARRATIVES_VI:
            fields[code] = f"{NARRATIVES_VI[code]} của {unit_code} ({'nháp' if draft else 'gửi'})."
            continue
        value = seed + n + 10
        if code in female_of:
            value = numbers.get(female_of[code], value) // 2
        numbers[code] = value
        if catalogue.by_code[code].value_type == "decimal":
            fields[code] = f"{value},5"
        else:
            fields[code] = str(value)
    return fields


def _stats(ms: Sequence[float]) -> dict[str, float]:
    """p50, p95 and max of `ms` (milliseconds), the percentiles by the exclusive method."""
    ordered = sorted(ms)
    if len(ordered) < 2:
        only = round(ordered[0], 1) if ordered else 0.0
        return {"p50_ms": only, "p95_ms": only, "max_ms": only, "n": len(ordered)}
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "max_ms": round(ordered[-1], 1),
        "n": len(ordered),
    }


class _Timings:
    """Milliseconds per step, from every thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.ms: dict[str, list[float]] = {}
        self.refused: list[str] = []

    def timed(self, step: str, call: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = call()
        elapsed = (time.perf_counter() - started) * 1000
        with self._lock:
            self.ms.setdefault(step, []).append(elapsed)
        return result


def _report_one(
    engine: Engine,
    catalogue: catalogue_mod.Catalogue,
    unit_code: str,
    agency_code: str,
    period: str,
    timings: _Timings,
) -> dict[str, str]:
    """Open, save a draft, submit, as the unit's reporter; the fields submitted."""
    me = reporter(unit_code, agency_code)
    report = timings.timed("open", lambda: workflow.open_report(engine, unit_code, period, me))
    draft = typed_fields(catalogue, unit_code, agency_code, draft=True)
    timings.timed(
        "save",
        lambda: workflow.save_draft(
            engine, unit_code, period, draft, version=report.version, identity=me
        ),
    )
    sent = typed_fields(catalogue, unit_code, agency_code, draft=False)
    # A save moves the report to its next version; the unit submits from there.
    found = timings.timed(
        "submit",
        lambda: workflow.submit(
            engine, unit_code, period, sent, version=report.version + 1, identity=me, today=TODAY
        ),
    )
    if found.errors:
        raise RuntimeError(f"bench report of {unit_code} refused: {found.errors[:3]}")
    return sent


def _process_rush(
    url: str, units: Sequence[tuple[str, str]], sessions: int, period: str, start_at: float
) -> tuple[dict[str, list[float]], list[str], list[Any], float]:
    """One app process's share of the rush (run in a process of its own): its units reported by
    `sessions` threads from `start_at` (time.time()); (milliseconds per step, refusals, the
    fields sent per unit, its seconds)."""
    engine = get_engine(url)
    with engine.connect() as conn:
        catalogue = catalogue_mod.load(conn)
    timings = _Timings()
    jobs = [
        (lambda u=u, a=a: _report_one(engine, catalogue, u, a, period, timings)) for u, a in units
    ]
    time.sleep(max(0.0, start_at - time.time()))
    started = time.perf_counter()
    results = _run_all(sessions, jobs, timings)
    return timings.ms, timings.refused, results, time.perf_counter() - started


def _rush(
    url: str, units: Sequence[tuple[str, str]], sessions: int, processes: int, period: str
) -> tuple[_Timings, list[Any], float]:
    """Every unit reported by `sessions` sessions spread over `processes` processes (fresh
    interpreters running this module, as app processes are); the timings of all, the fields
    sent per unit (None if refused) and the rush's seconds."""
    start_at = time.time() + START_DELAY_S
    workers = []
    for k in range(processes):
        job = {
            "url": url,
            "units": list(units[k::processes]),
            "sessions": sessions // processes,
            "period": period,
            "start_at": start_at,
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "devtools.bench_submit_rush"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert worker.stdin is not None
        worker.stdin.write(json.dumps(job))
        worker.stdin.close()
        workers.append(worker)
    done = []
    for worker in workers:
        assert worker.stdout is not None
        out = worker.stdout.read()
        if worker.wait() != 0:
            raise RuntimeError(f"a rush process failed (exit {worker.returncode})")
        done.append(json.loads(out.splitlines()[-1]))
    timings = _Timings()
    results: list[Any] = [None] * len(units)
    for k, part in enumerate(done):
        for step, values in part["ms"].items():
            timings.ms.setdefault(step, []).extend(values)
        timings.refused.extend(part["refused"])
        results[k::processes] = part["sent"]
    return timings, results, max(part["seconds"] for part in done)


def _worker_main() -> None:
    """A rush process: its job as JSON on stdin, its figures as one JSON line on stdout."""
    job = json.loads(sys.stdin.read())
    ms, refused, sent, seconds = _process_rush(
        job["url"],
        [tuple(unit) for unit in job["units"]],
        job["sessions"],
        job["period"],
        job["start_at"],
    )
    print(json.dumps({"ms": ms, "refused": refused, "sent": sent, "seconds": seconds}))


def _run_all(sessions: int, jobs: Sequence[Callable[[], Any]], timings: _Timings) -> list[Any]:
    """Every job on `sessions` threads; a step refused (workflow.ReportRefused) is counted."""

    def guarded(job: Callable[[], Any]) -> Any:
        try:
            return job()
        except workflow.ReportRefused as refused:
            with timings._lock:
                timings.refused.append(str(refused))
            return None

    with ThreadPoolExecutor(max_workers=sessions) as pool:
        return list(pool.map(guarded, jobs))


def summary_differences(engine: Engine, period: str) -> int:
    """Cells of the period's summary that differ from a recount of its submissions (the recount
    is rolled back, so the stored summary stays as the writes left it). 0 when they agree."""
    with engine.connect() as conn:
        transaction = conn.begin()
        catalogue = catalogue_mod.load(conn)
        _, summary = tables(catalogue)
        period_id = conn.execute(select(Period.id).where(Period.code == period)).scalar_one()

        def rows() -> pd.DataFrame:
            query = (
                select(summary)
                .where(summary.c.period_id == period_id)
                .order_by(*(summary.c[k] for k in SUMMARY_KEYS))
            )
            result = conn.execute(query)
            return pd.DataFrame(result.all(), columns=list(result.keys())).set_index(SUMMARY_KEYS)

        stored = rows()
        refresh_summary(conn, catalogue, [period_id])
        recounted = rows()
        transaction.rollback()
    stored, recounted = stored.align(recounted, join="outer")
    a, b = stored.astype("float64"), recounted.astype("float64")
    same = ((a - b).abs() <= 1e-6 * b.abs().clip(lower=1)) | (a.isna() & b.isna())
    return int((~same.to_numpy()).sum())


def lost_updates(
    engine: Engine, period: str, sent: dict[str, dict[str, str]], accepted: bool
) -> list[str]:
    """Units whose report or stored submission is not exactly what was sent: the report in the
    state expected (submitted, or accepted), its fields as typed; once accepted, the unit's
    submission holding every figure sent. Empty when nothing was lost."""
    lost: list[str] = []
    with engine.connect() as conn:
        catalogue = catalogue_mod.load(conn)
        submissions, _ = tables(catalogue)
        period_id = select(Period.id).where(Period.code == period).scalar_subquery()
        reports = {
            code: (state, fields)
            for code, state, fields in conn.execute(
                select(Unit.code, Report.state, Report.fields)
                .join(Report, Report.unit_id == Unit.id)
                .where(Report.period_id == period_id, Unit.code.in_(list(sent)))
            ).all()
        }
        stored: dict[str, Any] = {}
        if accepted:
            result = conn.execute(
                select(Unit.code, submissions)
                .join(submissions, submissions.c.unit_id == Unit.id)
                .where(submissions.c.period_id == period_id, Unit.code.in_(list(sent)))
            )
            stored = {row[0]: row._mapping for row in result}
    state = "accepted" if accepted else "submitted"
    for code, fields in sent.items():
        got = reports.get(code)
        if got is None or got[0] != state or got[1] != fields:
            lost.append(code)
            continue
        if accepted and not _figures_stored(catalogue, fields, stored.get(code)):
            lost.append(code)
    return lost


def _figures_stored(catalogue: catalogue_mod.Catalogue, fields: dict[str, str], row: Any) -> bool:
    if row is None:
        return False
    for code, typed in fields.items():
        if code in NARRATIVES_VI:
            if row[code] != typed:
                return False
            continue
        value = float(typed.replace(",", "."))
        if row[code] is None or abs(float(row[code]) - value) > 1e-9:
            return False
    return True


def run(
    url: str,
    sessions: int = SESSIONS,
    reports: int = REPORTS,
    secretaries: int = SECRETARIES,
    period: str = PERIOD,
    processes: int = PROCESSES,
) -> dict[str, Any]:
    """{sessions, processes, reports, submissions_in_database, open/save/submit/accept: {p50_ms,
    p95_ms, max_ms, n}, rush_seconds, accept_seconds, refused, lost_updates,
    summary_differences, replaced, added, target_p95_ms}. `processes` 1: every session in this
    process's threads."""
    if processes < 1 or sessions % processes:
        raise ValueError(f"{sessions} sessions do not spread evenly over {processes} processes")
    engine = get_engine(url)
    period = str(parse_period(period))
    with engine.connect() as conn:
        catalogue = catalogue_mod.load(conn)
        submissions, _ = tables(catalogue)
        in_database = conn.execute(select(func.count()).select_from(submissions)).scalar_one()
        period_id = conn.execute(select(Period.id).where(Period.code == period)).scalar()
    units = rush_units(engine, reports, period)
    with engine.connect() as conn:
        already = conn.execute(
            select(func.count())
            .select_from(submissions)
            .join(Unit, Unit.id == submissions.c.unit_id)
            .where(
                and_(
                    submissions.c.period_id == period_id,
                    Unit.code.in_([code for code, _ in units]),
                )
            )
        ).scalar_one()
    if processes == 1:  # every session in this process's threads
        ms, refused, results, rush_seconds = _process_rush(url, units, sessions, period, 0.0)
        timings = _Timings()
        timings.ms, timings.refused = ms, refused
    else:
        timings, results, rush_seconds = _rush(url, units, sessions, processes, period)
    sent = {code: fields for (code, _), fields in zip(units, results, strict=True) if fields}
    lost_at_submit = lost_updates(engine, period, sent, accepted=False)

    waiting = workflow.queue(engine, SECRETARY)
    waiting = waiting[waiting["unit_code"].isin(list(sent)) & (waiting["period"] == period)]

    def accept(report_id: int, version: int) -> Callable[[], Any]:
        return lambda: timings.timed(
            "accept",
            lambda: workflow.accept(
                engine, report_id, version=version, identity=SECRETARY, today=TODAY
            ),
        )

    started = time.perf_counter()
    _run_all(
        secretaries,
        [accept(int(r.id), int(r.version)) for r in waiting.itertuples()],
        timings,
    )
    accept_seconds = time.perf_counter() - started
    never_sent = [code for code, _ in units if code not in sent]
    lost = sorted(
        {*lost_at_submit, *lost_updates(engine, period, sent, accepted=True), *never_sent}
    )
    return {
        "sessions": sessions,
        "processes": processes,
        "secretaries": secretaries,
        "reports": reports,
        "period": period,
        "submissions_in_database": int(in_database),
        "replaced": int(already),
        "added": reports - int(already),
        **{step: _stats(timings.ms.get(step, [])) for step in ("open", "save", "submit", "accept")},
        "rush_seconds": round(rush_seconds, 1),
        "accept_seconds": round(accept_seconds, 1),
        "refused": len(timings.refused),
        "lost_updates": len(lost),
        "lost_units": lost[:20],
        "summary_differences": summary_differences(engine, period),
        "target_p95_ms": TARGET_P95_MS,
    }


def table(result: dict[str, Any]) -> str:
    """The rush's lines of the bench's summary table."""
    r = result
    lines = [
        f"deadline rush: {r['reports']:,} reports by {r['sessions']} sessions in "
        f"{r.get('processes', 1)} app processes over "
        f"{r['submissions_in_database']:,} submissions ({r['replaced']:,} replacing a stored "
        f"one), {r['rush_seconds']} s; accepted by {r['secretaries']} in {r['accept_seconds']} s"
    ]
    for step in ("open", "save", "submit", "accept"):
        s = r[step]
        target = f" (target ≤ {r['target_p95_ms']:g})" if step == "submit" else ""
        lines.append(
            f"  {step:<7} p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms{target}, max {s['max_ms']} ms"
        )
    lines.append(
        f"  refused {r['refused']}, lost updates {r['lost_updates']}, summary cells differing "
        f"from a recount {r['summary_differences']}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    _worker_main()
