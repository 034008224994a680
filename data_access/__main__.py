"""Command line: `python -m data_access COMMAND …` (see `--help`).

Exit codes: 0 done, 1 the data were rejected, 2 usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from data_access.config import SAMPLE_DATA_DIR
from data_access.db import get_engine


def _csv_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_access", description=__doc__)
    parser.add_argument(
        "--database-url", help="default: DATABASE_URL, secrets.toml, embedded SQLite"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init-db", help="create or upgrade the schema and reference data")
    init.add_argument(
        "--sample", action="store_true", help="load the sample data if the database is empty"
    )
    init.add_argument("--sample-dir", type=Path, default=SAMPLE_DATA_DIR)

    gen = commands.add_parser("generate-sample", help="write the deterministic sample CSV files")
    gen.add_argument("-o", "--output", type=Path, default=SAMPLE_DATA_DIR)
    gen.add_argument("--units", type=int, help="scale up to about this many units")
    gen.add_argument(
        "--years", type=int, help="years of reports up to 2026-H1 (default since 2018)"
    )
    gen.add_argument("--seed", type=int, default=None)
    gen.add_argument("--no-narratives", action="store_true", help="leave the narrative texts empty")

    exp = commands.add_parser("export", help="export a filtered table as CSV or XLSX")
    exp.add_argument("--level", choices=("unit", "province", "agency"), required=True)
    exp.add_argument("--agency", type=_csv_list, default=(), help="agency code(s), comma-separated")
    exp.add_argument(
        "--province", type=_csv_list, default=(), help="province code(s) in --province-set"
    )
    exp.add_argument("--province-set", choices=("legacy", "2025"), default="2025")
    exp.add_argument(
        "--period", type=_csv_list, default=(), help="YYYY-H1 or YYYY-Y (comma-separated)"
    )
    exp.add_argument(
        "--period-kind", choices=("H1", "Y"), default="Y", help="when --period is not given"
    )
    exp.add_argument("--level-filter", type=_csv_list, default=(), dest="unit_levels",
                     help="unit levels: central, provincial, district, regional")  # fmt: skip
    exp.add_argument("--format", choices=("csv", "xlsx"), required=True)
    exp.add_argument("-o", "--output", type=Path, required=True)
    exp.add_argument("--user", default="cli")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "generate-sample":
        from data_access.sample_generator import DEFAULT_SEED, generate

        counts = generate(
            args.output,
            seed=args.seed if args.seed is not None else DEFAULT_SEED,
            units=args.units,
            years=args.years,
            narratives=not args.no_narratives,
        )
        print(json.dumps(counts, ensure_ascii=False))
        return 0

    engine = get_engine(args.database_url)
    if args.command == "init-db":
        from data_access.schema import init_db

        counts = init_db(engine, sample=args.sample, sample_dir=args.sample_dir)
        print(json.dumps({"database": engine.url.render_as_string(hide_password=True), "loaded": counts},
                         ensure_ascii=False))  # fmt: skip
        return 0
    if args.command == "export":
        from data_access.exports import export
        from data_access.periods import parse_period
        from data_access.queries import Filters

        try:
            periods = tuple(str(parse_period(p)) for p in args.period)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        filters = Filters(
            period_kind=args.period_kind,
            periods=periods,
            agencies=args.agency,
            province_set=args.province_set,
            provinces=args.province,
            levels=args.unit_levels,
        )
        _, rows = export(engine, args.level, filters, args.format, args.output, user=args.user)
        print(json.dumps({"output": str(args.output), "rows": rows}, ensure_ascii=False))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
