"""`make bench`: the benchmark on SQLite and on a throwaway PostgreSQL server in the same run, at
about 100,000 and about 1,000,000 submissions, written to bench/results.json.

    python scripts/bench.py [--scales 5300x10 53000x10] [--ingest-rows 100000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools import bench  # noqa: E402
from tests.pg_server import PgServer, find_bin_dir  # noqa: E402

# Units × years that give about 100,000 and about 1,000,000 submissions (district units close in
# 2025, so a unit reports in about seventeen of the twenty periods of ten years).
DEFAULT_SCALES = ["5300x10", "53000x10"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=DEFAULT_SCALES, help="UNITSxYEARS")
    parser.add_argument("--ingest-rows", type=int, default=bench.INGEST_ROWS)
    parser.add_argument(
        "--rounds", type=int, default=bench.ROUNDS, help="rounds per figure; the median is reported"
    )
    parser.add_argument(
        "--browser-sessions", type=int, default=20, help="0: leave out the browser bench"
    )
    parser.add_argument("--rush-sessions", type=int, default=20, help="deadline-rush reporters")
    parser.add_argument("--rush-reports", type=int, default=1_000, help="deadline-rush reports")
    parser.add_argument(
        "--rush-processes", type=int, default=2, help="app processes of the deadline rush"
    )
    parser.add_argument(
        "--parts", nargs="+", default=list(bench.PARTS), help=f"some of {', '.join(bench.PARTS)}"
    )
    parser.add_argument("-o", "--output", type=Path, default=bench.BENCH_DIR / "results.json")
    args = parser.parse_args()
    bin_dir = find_bin_dir()
    if bin_dir is None:
        sys.exit("PostgreSQL server binaries not found: apt-get install postgresql")
    # A directory of its own: two benches at once must not remove each other's server.
    server = PgServer(Path(tempfile.mkdtemp(prefix="vstbpn-bench-pg-")), bin_dir)
    server.start()
    runs = []
    try:
        for scale in args.scales:
            units, years = (int(x) for x in scale.split("x"))
            sqlite_path = bench.BENCH_DIR / f"bench-u{units}-y{years}.db"
            for leftover in bench.BENCH_DIR.glob(f"{sqlite_path.name}*"):
                leftover.unlink()
            urls = {
                "sqlite": f"sqlite:///{sqlite_path}",
                "postgresql": server.create_database(f"bench_{units}_{years}"),
            }
            result = bench.run(
                units,
                years,
                urls,
                args.ingest_rows,
                rounds=args.rounds,
                browser_sessions=args.browser_sessions,
                rush_sessions=args.rush_sessions,
                rush_reports=args.rush_reports,
                rush_processes=args.rush_processes,
                parts=args.parts,
            )
            print(bench.table(result), flush=True)
            runs.append(result)
    finally:
        server.stop()
        shutil.rmtree(server.base_dir, ignore_errors=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=2))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
