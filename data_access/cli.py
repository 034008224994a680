"""Command line: `python -m data_access COMMAND …` (see `--help`); one handler per sub-command.

Exit codes: 0 done, 1 the data were rejected, 2 usage error (argparse's own), 3 the output file
could not be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine

from data_access import cli_catalogue
from data_access.auth import Identity
from data_access.db.config import SAMPLE_DATA_DIR
from data_access.db.engine import get_engine
from data_access.domain.province_sets import ProvinceSet


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

    users = commands.add_parser("users", help="manage accounts").add_subparsers(
        dest="users_command", required=True
    )
    add = users.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument(
        "--role", choices=("viewer", "secretariat", "admin", "reporter"), required=True
    )
    add.add_argument(
        "--agency", nargs="*", default=[], help="agency scope (codes); none = every agency"
    )
    add.add_argument(
        "--unit", help="a reporter's unit (code of an active unit); its agency is the scope"
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.add_argument("--email", help="e-mail for single sign-on")
    reset = users.add_parser("reset-password", help="set a new password (and unlock)")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")
    disable = users.add_parser("disable", help="disable an account")
    disable.add_argument("username")
    enable = users.add_parser("enable", help="enable an account again")
    enable.add_argument("username")
    users.add_parser("list", help="list accounts")

    _registry_parser(commands)
    cli_catalogue.add_parsers(commands)

    tpl = commands.add_parser("template", help="write an upload template")
    tpl.add_argument("--kind", choices=("submissions", "activities"), default="submissions")
    tpl.add_argument("-o", "--output", type=Path, required=True, help=".csv (UTF-8, ';') or .xlsx")

    rep = commands.add_parser(
        "report", help="the committee's consolidated report as a Word document"
    )
    rep.add_argument("--agency", help="agency code; without it, every agency (national report)")
    rep.add_argument("--period", required=True, help="YYYY-H1 or YYYY-Y")
    rep.add_argument("-o", "--output", type=Path, required=True)
    rep.add_argument("--user", help="an account: the report is limited to its agency scope")

    brief = commands.add_parser(
        "brief", help="the briefing pack (A4 PDF or PowerPoint) for a selection"
    )
    brief.add_argument("--agency", type=_csv_list, default=(), help="agency code(s); none: all")
    brief.add_argument(
        "--province", type=_csv_list, default=(), help="province code(s) in --province-set"
    )
    brief.add_argument(
        "--province-set",
        choices=[s.value for s in ProvinceSet],
        default=ProvinceSet.CURRENT.value,
    )
    brief.add_argument(
        "--level-filter",
        type=_csv_list,
        default=(),
        dest="unit_levels",
        help="unit levels: central, provincial, district, regional",
    )
    brief.add_argument("--period", required=True, help="YYYY-H1 or YYYY-Y")
    brief.add_argument("--format", choices=("pdf", "pptx"), required=True)
    brief.add_argument("-o", "--output", type=Path, required=True)
    brief.add_argument("--user", help="an account: the briefing is limited to its agency scope")

    exp = commands.add_parser("export", help="export a filtered table as CSV or XLSX")
    exp.add_argument("--level", choices=("unit", "province", "agency"), required=True)
    exp.add_argument("--agency", type=_csv_list, default=(), help="agency code(s), comma-separated")
    exp.add_argument(
        "--province", type=_csv_list, default=(), help="province code(s) in --province-set"
    )
    exp.add_argument(
        "--province-set",
        choices=[s.value for s in ProvinceSet],
        default=ProvinceSet.CURRENT.value,
    )
    exp.add_argument(
        "--period", type=_csv_list, default=(), help="YYYY-H1 or YYYY-Y (comma-separated)"
    )
    exp.add_argument(
        "--period-kind", choices=("H1", "Y"), default="Y", help="when --period is not given"
    )
    exp.add_argument(
        "--level-filter",
        type=_csv_list,
        default=(),
        dest="unit_levels",
        help="unit levels: central, provincial, district, regional",
    )
    exp.add_argument("--format", choices=("csv", "xlsx"), required=True)
    exp.add_argument("-o", "--output", type=Path, required=True)
    exp.add_argument("--user", default="cli")
    return parser


def _registry_parser(commands: argparse._SubParsersAction) -> None:
    reg = commands.add_parser(
        "registry", help="the organisation registry: agencies, units, secretariat accounts"
    ).add_subparsers(dest="registry_command", required=True)
    imp = reg.add_parser("import", help="validate and load an agencies or units file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--kind", choices=("agencies", "units"), help="default: from the headings")
    imp.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
    imp.add_argument("--user", required=True, help="who imports (recorded with the batch)")
    exp = reg.add_parser("export", help="write every unit in the import format (.csv or .xlsx)")
    exp.add_argument("-o", "--output", type=Path, required=True)
    exp.add_argument("--user", default="cli")
    tpl = reg.add_parser("template", help="write a registry template with example rows")
    tpl.add_argument("--kind", choices=("agencies", "units"), default="units")
    tpl.add_argument("-o", "--output", type=Path, required=True, help=".csv or .xlsx")
    acc = reg.add_parser(
        "accounts",
        help="create secretariat accounts for an agency, or with --units one reporter account "
        "per unit contact (passwords printed once)",
    )
    acc.add_argument("--agency", help="required without --units; with it, one agency's units")
    acc.add_argument("--count", type=int, default=1, help="secretariat accounts to create")
    acc.add_argument(
        "--units", action="store_true", help="a reporter account for each unit with a contact"
    )
    acc.add_argument("--user", required=True, help="an administrator account")

    rem = commands.add_parser(
        "remind", help="e-mail the contacts of units that have not reported for a period"
    )
    rem.add_argument("--period", required=True, help="e.g. 2026-H1")
    rem.add_argument(
        "--days-before", type=int, help="send only from this many days before the due date on"
    )
    rem.add_argument("--dry-run", action="store_true", help="list who would get one, send nothing")
    rem.add_argument(
        "--user", default="cron", help="who sends (an account: its scope; default: the server)"
    )


def _init_db(engine: Engine, args: argparse.Namespace) -> int:
    from data_access.schema import init_db

    counts = init_db(engine, sample=args.sample, sample_dir=args.sample_dir)
    print(
        json.dumps(
            {"database": engine.url.render_as_string(hide_password=True), "loaded": counts},
            ensure_ascii=False,
        )
    )
    _first_admin_hint(engine)
    return 0


def _report(engine: Engine, args: argparse.Namespace) -> int:
    from data_access.auth import AccountDisabled, identity_for
    from data_access.documents.report import ReportError, write_report

    try:
        account = identity_for(engine, args.user) if args.user else None
        scope = account.agencies if account else ()
        document = write_report(engine, args.agency, args.period, scope)
    except (ReportError, AccountDisabled, ValueError) as error:
        print(str(error), file=sys.stderr)
        return 1
    if not _write(args.output, document):
        return CANNOT_WRITE
    print(json.dumps({"output": str(args.output)}, ensure_ascii=False))
    return 0


def _brief(engine: Engine, args: argparse.Namespace) -> int:
    """Exit 0 written, 1 refused (no data, outside the scope, disabled account), 2 a bad period
    or level, 3 the file could not be written."""
    from data_access.auth import AccountDisabled, identity_for
    from data_access.documents.briefing import LEVEL_LABELS, BriefingError, briefing
    from data_access.domain.filters import Filters
    from data_access.domain.periods import parse_period

    if unknown := sorted(set(args.unit_levels) - set(LEVEL_LABELS)):
        print(
            f"Cấp đơn vị không hợp lệ: {', '.join(unknown)} (dùng {', '.join(LEVEL_LABELS)}).",
            file=sys.stderr,
        )
        return 2
    try:
        period = str(parse_period(args.period))
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 2
    filters = Filters(
        periods=(period,),
        agencies=args.agency,
        province_set=args.province_set,
        provinces=args.province,
        levels=args.unit_levels,
    )
    try:
        account = identity_for(engine, args.user) if args.user else None
        if account is not None:
            filters = filters.with_(scope=account.agencies)
        content = briefing(engine, filters)
    except (BriefingError, AccountDisabled) as error:
        print(str(error), file=sys.stderr)
        return 1
    if args.format == "pdf":
        from data_access.documents.briefing_pdf import to_pdf

        data = to_pdf(content)
    else:
        from data_access.documents.briefing_pptx import to_pptx

        data = to_pptx(content)
    if not _write(args.output, data):
        return CANNOT_WRITE
    print(json.dumps({"output": str(args.output)}, ensure_ascii=False))
    return 0


def _acting(engine: Engine, args: argparse.Namespace) -> tuple[Identity | None, int | None]:
    """The identity `--user` acts with, or the exit code when it may not act."""
    from data_access.auth import AccountDisabled, identity_for

    # A --user that is an account acts with that account's role and scope (a disabled one
    # is refused); any other name is an operator on the server, recorded as given.
    try:
        return identity_for(engine, args.user), None
    except AccountDisabled as error:
        print(str(error), file=sys.stderr)
        return None, 1


def _ingest_command(engine: Engine, args: argparse.Namespace) -> int:
    identity, refused = _acting(engine, args)
    return refused if refused is not None else _ingest(engine, args, identity)


def _rollback(engine: Engine, args: argparse.Namespace) -> int:
    from data_access import ingest
    from data_access.auth import PermissionDenied

    identity, refused = _acting(engine, args)
    if refused is not None:
        return refused
    try:
        counts = ingest.rollback(engine, args.batch_id, user=args.user, identity=identity)
    except (ingest.RollbackRefused, PermissionDenied) as error:
        print(json.dumps({"rolled_back": False, "message": str(error)}, ensure_ascii=False))
        return 1
    print(
        json.dumps({"rolled_back": True, "batch_id": args.batch_id, **counts}, ensure_ascii=False)
    )
    return 0


def _batches(engine: Engine, args: argparse.Namespace) -> int:
    from data_access import ingest

    print(ingest.batches(engine).drop(columns="sha256").to_string(index=False))
    return 0


def _template(engine: Engine, args: argparse.Namespace) -> int:
    from data_access.ingest.templates import format_for, template
    from data_access.queries.lookups import load_catalogue

    fmt = format_for(args.output.name)
    if fmt is None:
        print(
            f"Tên file mẫu phải kết thúc bằng .csv hoặc .xlsx (nhận được: {args.output.name}).",
            file=sys.stderr,
        )
        return 2
    if not _write(args.output, template(args.kind, load_catalogue(engine), fmt)):
        return CANNOT_WRITE
    print(json.dumps({"output": str(args.output)}, ensure_ascii=False))
    return 0


def _export(engine: Engine, args: argparse.Namespace) -> int:
    from data_access.analytics.exports import export
    from data_access.domain.filters import Filters
    from data_access.domain.periods import parse_period

    identity, refused = _acting(engine, args)
    if refused is not None:
        return refused
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
    try:
        _, rows = export(
            engine,
            args.level,
            filters,
            args.format,
            args.output,
            user=args.user,
            identity=identity,
        )
    except OSError as error:
        print(_cannot_write(args.output, error), file=sys.stderr)
        return CANNOT_WRITE
    print(json.dumps({"output": str(args.output), "rows": rows}, ensure_ascii=False))
    return 0


CANNOT_WRITE = 3
_WRITE_REASONS_VI = {
    FileNotFoundError: "thư mục chứa file không tồn tại",
    PermissionError: "không có quyền ghi vào đó",
    IsADirectoryError: "đường dẫn là một thư mục",
    NotADirectoryError: "một phần của đường dẫn không phải là thư mục",
}


def _cannot_write(path: Path, error: OSError) -> str:
    reason = _WRITE_REASONS_VI.get(type(error), "lỗi hệ thống khi ghi file")
    return f"Không ghi được file {path}: {reason}. Hãy chọn một đường dẫn khác với -o."


def _write(path: Path, data: bytes) -> bool:
    """Write an output file; on failure say why in Vietnamese (no traceback) and return False."""
    try:
        path.write_bytes(data)
    except OSError as error:
        print(_cannot_write(path, error), file=sys.stderr)
        return False
    return True


def _first_admin_hint(engine: Engine) -> None:
    """A new database has no account, and none with a known password: say how to make one."""
    from sqlalchemy import select

    from data_access.db.models import User

    with engine.connect() as conn:
        if conn.execute(select(User.id).where(User.role == "admin").limit(1)).first() is None:
            print(
                "Chưa có tài khoản quản trị. Tạo tài khoản đầu tiên (mật khẩu in ra một lần):\n"
                "  python -m data_access users add TEN_DANG_NHAP --role admin",
                file=sys.stderr,
            )


def _registry(engine: Engine, args: argparse.Namespace) -> int:
    """Exit codes as `ingest`: 0 done (or a clean dry run), 1 rejected or refused, 2 usage."""
    from data_access import registry
    from data_access.auth import AccountDisabled, PermissionDenied, identity_for
    from data_access.registry import accounts, files

    if args.registry_command == "template":
        fmt = "csv" if args.output.suffix.lower() == ".csv" else "xlsx"
        if not _write(args.output, files.template(args.kind, fmt)):
            return CANNOT_WRITE
        print(json.dumps({"output": str(args.output)}, ensure_ascii=False))
        return 0
    try:
        identity = identity_for(engine, args.user)
    except AccountDisabled as error:
        print(str(error), file=sys.stderr)
        return 1
    try:
        if args.registry_command == "export":
            fmt = "csv" if args.output.suffix.lower() == ".csv" else "xlsx"
            if not _write(args.output, files.export(engine, fmt, identity=identity)):
                return CANNOT_WRITE
            print(json.dumps({"output": str(args.output)}, ensure_ascii=False))
            return 0
        if args.registry_command == "accounts":
            if identity is None:
                print(f"Không có tài khoản {args.user}.", file=sys.stderr)
                return 1
            if args.units:
                return _unit_accounts(engine, args.agency, identity)
            if args.agency is None:
                print("Cần --agency (hoặc --units).", file=sys.stderr)
                return 2
            made = accounts.create_secretariat_accounts(
                engine, args.agency, args.count, identity=identity
            )
            # The only time the passwords are shown: they are stored hashed.
            print(json.dumps([a.__dict__ for a in made], ensure_ascii=False, indent=2))
            return 0
        if not args.file.exists():
            print(f"Không tìm thấy file: {args.file}", file=sys.stderr)
            return 2
        data = args.file.read_bytes()
        if args.dry_run:
            report = registry.dry_run(engine, args.file.name, data, args.kind, identity=identity)
        else:
            report = registry.commit(
                engine, args.file.name, data, args.kind, user=args.user, identity=identity
            )
    except (PermissionDenied, ValueError) as error:
        print(json.dumps({"committed": False, "message": str(error)}, ensure_ascii=False))
        return 1
    print(json.dumps(report.summary(), ensure_ascii=False, indent=2))
    return 1 if report.errors else 0


def _unit_accounts(engine: Engine, agency: str | None, identity: Identity) -> int:
    """Batch after batch (each one transaction) until every unit with a contact has its account;
    the accounts as one JSON list, the only time their passwords are shown."""
    from data_access.registry import accounts

    made: list[dict[str, object]] = []
    while True:
        batch = accounts.create_unit_accounts(engine, identity=identity, agency_code=agency)
        made += [a.__dict__ for a in batch.created]
        if not batch.remaining or not batch.created:
            break
        print(f"Đã tạo {len(made)} tài khoản, còn {batch.remaining}…", file=sys.stderr)
    print(json.dumps(made, ensure_ascii=False, indent=2))
    return 0


def _remind(engine: Engine, args: argparse.Namespace) -> int:
    """Exit 0: sent (or nothing to send, or a dry run); 1: refused, unreachable or some failed."""
    from data_access.auth import AccountDisabled, PermissionDenied, identity_for
    from data_access.reporting import reminders

    try:
        identity = identity_for(engine, args.user)
        result = reminders.remind(
            engine,
            args.period,
            identity=identity,
            user=args.user,
            url=reminders.sign_in_url(),
            settings=None if args.dry_run else reminders.smtp_settings(),
            days_before=args.days_before,
            dry_run=args.dry_run,
        )
    except (reminders.ReminderError, PermissionDenied, AccountDisabled, ValueError) as error:
        print(str(error), file=sys.stderr)
        return 1
    print(json.dumps(result.summary(), ensure_ascii=False, indent=2))
    return 1 if result.failed else 0


def _users(engine: Engine, args: argparse.Namespace) -> int:
    from data_access import auth

    def password() -> tuple[str, bool]:
        if args.password_stdin:
            return sys.stdin.readline().rstrip("\n"), False
        return auth.generate_password(), True

    try:
        if args.users_command == "add":
            if args.unit and args.agency:
                raise ValueError(
                    "Tài khoản đơn vị báo cáo lấy phạm vi ngành từ đơn vị của nó: bỏ --agency."
                )
            secret, generated = password()
            made = auth.create_user(
                engine,
                args.username,
                args.role,
                secret,
                args.agency,
                actor="cli",
                email=args.email,
                unit=args.unit,
                must_change=True,
            )
            out = {"created": args.username, "role": args.role, "agencies": list(made.agencies)}
            if made.unit is not None:
                out["unit"] = made.unit
            if generated:
                out["password"] = secret  # shown once, never stored in plain text
        elif args.users_command == "reset-password":
            secret, generated = password()
            auth.set_password(engine, args.username, secret, actor="cli", must_change=True)
            out = {"reset": args.username} | ({"password": secret} if generated else {})
        elif args.users_command in ("disable", "enable"):
            auth.set_active(engine, args.username, args.users_command == "enable", actor="cli")
            out = {args.users_command + "d": args.username}
        else:
            print(auth.list_users(engine).to_string(index=False))
            return 0
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _ingest(engine: Engine, args: argparse.Namespace, identity: Identity | None) -> int:
    """Exit 0: committed, or a clean dry run. Exit 1: rejected (or warnings not accepted)."""
    from data_access import ingest
    from data_access.auth import PermissionDenied

    if not args.file.exists():
        print(f"Không tìm thấy file: {args.file}", file=sys.stderr)
        return 2
    data = args.file.read_bytes()
    try:
        if args.dry_run:
            report = ingest.dry_run(engine, args.file.name, data, args.kind, identity=identity)
        else:
            report = ingest.commit(
                engine,
                args.file.name,
                data,
                args.kind,
                user=args.user,
                identity=identity,
                accept_warnings=args.accept_warnings,
            )
    except PermissionDenied as error:
        print(json.dumps({"committed": False, "message": str(error)}, ensure_ascii=False))
        return 1
    print(json.dumps(report.summary(), ensure_ascii=False, indent=2))
    if report.errors:
        return 1
    if not args.dry_run and not report.committed and report.warnings and not args.accept_warnings:
        return 1
    return 0


Handler = Callable[[Engine, argparse.Namespace], int]
# One handler per sub-command (build_parser's `dest="command"`).
HANDLERS: dict[str, Handler] = {
    "init-db": _init_db,
    "ingest": _ingest_command,
    "rollback": _rollback,
    "batches": _batches,
    "users": _users,
    "registry": _registry,
    "template": _template,
    "report": _report,
    "brief": _brief,
    "remind": _remind,
    "export": _export,
    "catalogue": cli_catalogue.run,
    "targets": cli_catalogue.run,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return HANDLERS[args.command](get_engine(args.database_url), args)
