"""`python -m data_access catalogue add|deactivate|list` and `targets set|list`.

Exit codes as `ingest`: 0 done, 1 refused (the reason in Vietnamese, as JSON), 2 usage. A
`--user` that names an account acts with its role (administrators only); any other name is an
operator on the server, recorded as given.
"""

from __future__ import annotations

import argparse
import json

from sqlalchemy import Engine

from data_access.auth import AccountDisabled, PermissionDenied, identity_for
from data_access.db.catalogue import CatalogueError
from data_access.registry import catalogue_admin, targets


def add_parsers(commands: argparse._SubParsersAction) -> None:
    cat = commands.add_parser("catalogue", help="the indicator catalogue").add_subparsers(
        dest="catalogue_command", required=True
    )
    add = cat.add_parser("add", help="add an indicator (for every agency or for one)")
    add.add_argument("code", help="lower-case code; a pair gets <code>_total and <code>_female")
    add.add_argument("--label", required=True, help="the Vietnamese label")
    add.add_argument("--section", required=True, help="outline section, e.g. 2.1")
    add.add_argument("--pair", action="store_true", help="a total and female pair")
    add.add_argument("--value-type", choices=("int", "decimal"), default="int")
    add.add_argument("--kind", choices=("stock", "flow"), default="flow")
    add.add_argument("--agency", help="the agency whose own indicator this is")
    add.add_argument("--unit", help="unit of measure, in Vietnamese")
    add.add_argument("--user", required=True)
    off = cat.add_parser("deactivate", help="take an indicator out of templates (figures kept)")
    off.add_argument("code")
    off.add_argument("--user", required=True)
    cat.add_parser("list", help="every indicator, active or not")

    tgt = commands.add_parser("targets", help="targets, national or by agency").add_subparsers(
        dest="targets_command", required=True
    )
    put = tgt.add_parser("set", help="set a target for a year")
    put.add_argument("--year", type=int, required=True)
    put.add_argument("--value", type=float, required=True, help="percent, 0–100")
    put.add_argument("--agency", help="the agency's own target (default: national)")
    put.add_argument("--source", help="the decision that sets it")
    put.add_argument("--user", required=True)
    show = tgt.add_parser("list", help="every target")
    show.add_argument("--agency")


def run(engine: Engine, args: argparse.Namespace) -> int:
    listing = (args.command == "catalogue" and args.catalogue_command == "list") or (
        args.command == "targets" and args.targets_command == "list"
    )
    if listing:
        frame = (
            catalogue_admin.listing(engine)
            if args.command == "catalogue"
            else targets.list_targets(engine, args.agency)
        )
        # Through pandas' JSON (numpy numbers, NaN as null), printed without escaped slashes.
        records = json.loads(frame.to_json(orient="records"))
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    try:
        identity = identity_for(engine, args.user)
        user = args.user
        if args.command == "targets":
            changed = targets.set_target(
                engine,
                args.year,
                args.value,
                args.agency,
                source=args.source,
                identity=identity,
                user=user,
            )
            result: dict[str, object] = {"changed": changed}
        elif args.catalogue_command == "add":
            rows = catalogue_admin.definitions(
                args.code,
                args.label,
                args.section,
                pair=args.pair,
                value_type=args.value_type,
                kind=args.kind,
                agency_code=args.agency,
                unit_vi=args.unit,
            )
            added = catalogue_admin.add(engine, rows, identity=identity, user=user)
            result = {"codes": [r.code for r in rows], "columns_added": added}
        else:
            result = {
                "deactivated": catalogue_admin.deactivate(
                    engine, args.code, identity=identity, user=user
                )
            }
    except (AccountDisabled, PermissionDenied, CatalogueError, targets.TargetError) as error:
        print(json.dumps({"done": False, "message": str(error)}, ensure_ascii=False))
        return 1
    print(json.dumps({"done": True, **result}, ensure_ascii=False))
    return 0


__all__ = ["add_parsers", "run"]
