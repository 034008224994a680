"""Command line: `python -m data_access COMMAND …` (see `--help`).

Exit codes: 0 done, 1 the data were rejected, 2 usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

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

    ing = commands.add_parser("ingest", help="validate and load a submissions or activities file")
    ing.add_argument("file", type=Path)
    ing.add_argument("--kind", choices=("submissions", "activities"), default="submissions")
    ing.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
    ing.add_argument("--user", required=True, help="who uploads (recorded with the batch)")
    ing.add_argument(
        "--accept-warnings", action="store_true", help="commit even if there are warnings"
    )

    rb = commands.add_parser("rollback", help="restore the state before an upload batch")
    rb.add_argument("batch_id", type=int)
    rb.add_argument("--user", required=True)

    commands.add_parser("batches", help="list upload batches, latest first")

    tpl = commands.add_parser("template", help="write an upload template")
    tpl.add_argument("--kind", choices=("submissions", "activities"), default="submissions")
    tpl.add_argument("--format", choices=("csv", "xlsx"), default="xlsx")
    tpl.add_argument("-o", "--output", type=Path, required=True)

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
    if args.command == "ingest":
        return _ingest(engine, args)
    if args.command == "rollback":
        from data_access import ingest

        try:
            counts = ingest.rollback(engine, args.batch_id, user=args.user)
        except ingest.RollbackRefused as error:
            print(json.dumps({"rolled_back": False, "message": str(error)}, ensure_ascii=False))
            return 1
        print(
            json.dumps(
                {"rolled_back": True, "batch_id": args.batch_id, **counts}, ensure_ascii=False
            )
        )
        return 0
    if args.command == "batches":
        from data_access import ingest

        print(ingest.batches(engine).drop(columns="sha256").to_string(index=False))
        return 0
    if args.command == "template":
        from data_access.ingest.templates import template_csv, template_xlsx
        from data_access.queries import load_catalogue

        build = template_csv if args.format == "csv" else template_xlsx
        args.output.write_bytes(build(args.kind, load_catalogue(engine)))
        print(json.dumps({"output": str(args.output)}, ensure_ascii=False))
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


def _ingest(engine: Engine, args: argparse.Namespace) -> int:
    """Exit 0: committed, or a clean dry run. Exit 1: rejected (or warnings not accepted)."""
    from data_access import ingest

    if not args.file.exists():
        print(f"Không tìm thấy file: {args.file}", file=sys.stderr)
        return 2
    data = args.file.read_bytes()
    if args.dry_run:
        report = ingest.dry_run(engine, args.file.name, data, args.kind)
    else:
        report = ingest.commit(engine, args.file.name, data, args.kind, user=args.user,
                               accept_warnings=args.accept_warnings)  # fmt: skip
    print(json.dumps(report.summary(), ensure_ascii=False, indent=2))
    if report.errors:
        return 1
    if not args.dry_run and not report.committed and report.warnings and not args.accept_warnings:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
