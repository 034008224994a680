"""Developer commands: `python -m devtools COMMAND …` (see `--help`).

Kept out of `python -m data_access` so that the runtime package never imports the tooling.
Exit codes: 0 done, 2 usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from data_access.db.config import SAMPLE_DATA_DIR
from data_access.db.engine import get_engine


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m devtools", description=__doc__)
    parser.add_argument(
        "--database-url", help="default: DATABASE_URL, secrets.toml, embedded SQLite"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    gen = commands.add_parser("generate-sample", help="write the deterministic sample CSV files")
    gen.add_argument("-o", "--output", type=Path, default=SAMPLE_DATA_DIR)
    gen.add_argument("--units", type=int, help="scale up to about this many units")
    gen.add_argument(
        "--years", type=int, help="years of reports up to 2026-H1 (default since 2018)"
    )
    gen.add_argument("--seed", type=int, default=None)
    gen.add_argument("--no-narratives", action="store_true", help="leave the narrative texts empty")

    bench = commands.add_parser("bench", help="measure ingestion and every page at scale")
    bench.add_argument("--units", type=int, default=50_000)
    bench.add_argument("--years", type=int, default=10)
    bench.add_argument("--ingest-rows", type=int, default=100_000)
    bench.add_argument(
        "--rounds", type=int, default=3, help="rounds per figure; the median is reported"
    )
    bench.add_argument("-o", "--output", type=Path, default=Path("bench/results.json"))
    bench.add_argument("--parts", nargs="+", help="measure only these (default: every part)")
    bench.add_argument(
        "--browser-sessions",
        type=int,
        default=20,
        help="concurrent browser sessions of the browser bench (0: no browser bench)",
    )
    _rush_arguments(bench, "rush-")

    rush = commands.add_parser(
        "bench-rush",
        help="the deadline rush on the database as it is: N reporters submit, then acceptance",
    )
    _rush_arguments(rush, "")
    rush.add_argument("--period", default=None, help="the period reported (default 2025-H1)")
    rush.add_argument("-o", "--output", type=Path, default=Path("bench/rush.json"))

    browser = commands.add_parser(
        "bench-browser", help="time the leadership pages in headless Chromium, one and N sessions"
    )
    browser.add_argument(
        "--sample", action="store_true", help="on a fresh sample database (the small size)"
    )
    browser.add_argument("--sessions", type=int, default=20)
    browser.add_argument("--rounds", type=int, default=3, help="timed walks of the one session")
    browser.add_argument("-o", "--output", type=Path, default=Path("bench/browser.json"))
    return parser


def _rush_arguments(parser: argparse.ArgumentParser, prefix: str) -> None:
    from devtools import bench_submit_rush as rush

    parser.add_argument(
        f"--{prefix}sessions",
        type=int,
        default=rush.SESSIONS,
        help="concurrent unit reporters of the deadline rush",
    )
    parser.add_argument(
        f"--{prefix}reports",
        type=int,
        default=rush.REPORTS,
        help="reports submitted in the deadline rush, across every session",
    )
    parser.add_argument(
        f"--{prefix}processes",
        type=int,
        default=rush.PROCESSES,
        help="app processes the rush's sessions are spread over (one per core)",
    )


def _generate_sample(args: argparse.Namespace) -> int:
    from devtools.sample_generator import DEFAULT_SEED, generate

    counts = generate(
        args.output,
        seed=args.seed if args.seed is not None else DEFAULT_SEED,
        units=args.units,
        years=args.years,
        narratives=not args.no_narratives,
    )
    print(json.dumps(counts, ensure_ascii=False))
    return 0


def _bench(args: argparse.Namespace) -> int:
    from devtools import bench as bench_module

    url = (
        args.database_url
        or f"sqlite:///{bench_module.BENCH_DIR / f'bench-u{args.units}-y{args.years}.db'}"
    )
    results = bench_module.run(
        args.units,
        args.years,
        {get_engine(url).dialect.name: url},
        args.ingest_rows,
        rounds=args.rounds,
        browser_sessions=args.browser_sessions,
        rush_sessions=args.rush_sessions,
        rush_reports=args.rush_reports,
        rush_processes=args.rush_processes,
        parts=args.parts or bench_module.PARTS,
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(bench_module.table(results))
    return 0


def _bench_browser(args: argparse.Namespace) -> int:
    import tempfile

    from devtools import bench_browser
    from tests.e2e.server import sample_database

    if args.sample:
        url = sample_database(Path(tempfile.mkdtemp(prefix="bench-browser-")))
    else:
        url = args.database_url or get_engine().url.render_as_string(hide_password=False)
    results = bench_browser.run(url, sessions=args.sessions, rounds=args.rounds)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(bench_browser.table(results))
    return 0


def _bench_rush(args: argparse.Namespace) -> int:
    from devtools import bench_submit_rush

    url = args.database_url or get_engine().url.render_as_string(hide_password=False)
    results = bench_submit_rush.run(
        url,
        sessions=args.sessions,
        reports=args.reports,
        period=args.period or bench_submit_rush.PERIOD,
        processes=args.processes,
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(bench_submit_rush.table(results))
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "generate-sample": _generate_sample,
    "bench": _bench,
    "bench-browser": _bench_browser,
    "bench-rush": _bench_rush,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return HANDLERS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
