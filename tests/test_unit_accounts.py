"""Reporter accounts in bulk from the registry's unit contacts: one per active unit with a
contact, one-time passwords printed once, must change at first sign-in, never twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from data_access.auth import Identity, PermissionDenied, authenticate, create_user, identity_for
from data_access.cli import main
from data_access.db.models import Agency, AuditLog, Unit, User
from data_access.registry import accounts

NHNN = str(Path(__file__).resolve().parent / "data" / "registry" / "nhnn_units.csv")
ADMIN = Identity("quantri", "admin")


def _run(engine: Engine, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    url = engine.url.render_as_string(hide_password=False)
    code = main(["--database-url", url, *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() and out.strip()[0] in "{[" else {}


def _with_contact(engine: Engine, agency: str) -> list[str]:
    """The active units of `agency` that have a contact, by code."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(Unit.code)
                .join(Agency, Agency.id == Unit.agency_id)
                .where(
                    Agency.code == agency,
                    Unit.active_to.is_(None),
                    (Unit.contact_email.is_not(None)) | (Unit.contact_name.is_not(None)),
                )
                .order_by(Unit.code)
            ).scalars()
        )


@pytest.fixture
def registry(engine: Engine, capsys: pytest.CaptureFixture[str]) -> Engine:
    code, _ = _run(engine, capsys, "registry", "import", NHNN, "--user", "van-hanh")
    assert code == 0
    create_user(engine, "quantri", "admin", "mat-khau-dai")
    return engine


def test_the_cli_makes_one_reporter_account_per_unit_contact_once(
    registry: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    units = _with_contact(registry, "NHNN")
    assert len(units) >= 2
    args = ("registry", "accounts", "--units", "--agency", "NHNN", "--user", "quantri")
    code, made = _run(registry, capsys, *args)
    assert code == 0
    assert [a["unit_code"] for a in made] == units
    first = made[0]
    assert first["username"] == f"donvi.{units[0].lower()}"
    who = identity_for(registry, first["username"])
    assert who is not None and (who.role, who.unit, who.agencies) == (
        "reporter",
        units[0],
        ("NHNN",),
    )
    assert authenticate(registry, first["username"], first["password"]).unit == units[0]
    with registry.connect() as conn:
        row = conn.execute(
            select(User.must_change_password, User.password_hash, User.email).where(
                User.username == first["username"]
            )
        ).one()
        assert row.must_change_password and row.password_hash != first["password"]
        assert (
            row.email
            == conn.execute(select(Unit.contact_email).where(Unit.code == units[0])).scalar_one()
        )
        audited = conn.execute(
            select(func.count()).where(
                AuditLog.action == "user_add", AuditLog.user_name == "quantri"
            )
        ).scalar_one()
    assert audited == len(units)
    # Again: every unit already has its account, nothing is made.
    code, again = _run(registry, capsys, *args)
    assert code == 0 and again == []


def test_the_cli_needs_units_or_an_agency(
    registry: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _run(registry, capsys, "registry", "accounts", "--user", "quantri")
    assert code == 2


def test_a_batch_leaves_the_rest_for_the_next_run(registry: Engine) -> None:
    units = _with_contact(registry, "NHNN")
    first = accounts.create_unit_accounts(registry, identity=ADMIN, agency_code="NHNN", limit=1)
    assert [a.unit_code for a in first.created] == units[:1]
    assert first.remaining == len(units) - 1
    rest = accounts.create_unit_accounts(registry, identity=ADMIN, agency_code="NHNN")
    assert [a.unit_code for a in rest.created] == units[1:] and rest.remaining == 0


def test_a_taken_name_gets_a_suffix(registry: Engine) -> None:
    unit = _with_contact(registry, "NHNN")[0]
    create_user(registry, f"donvi.{unit.lower()}", "viewer", "mat-khau-dai")
    made = accounts.create_unit_accounts(registry, identity=ADMIN, agency_code="NHNN")
    assert made.created[0].username == f"donvi.{unit.lower()}.2"


@pytest.mark.parametrize(
    ("identity", "agency", "limit", "error"),
    [
        (Identity("thuky", "secretariat", ("NHNN",)), "NHNN", 10, PermissionDenied),
        (ADMIN, "KHONGCO", 10, ValueError),
        (ADMIN, "NHNN", 0, ValueError),
        (ADMIN, "NHNN", accounts.MAX_UNIT_ACCOUNTS_AT_ONCE + 1, ValueError),
    ],
)
def test_refusals(
    registry: Engine, identity: Identity, agency: str, limit: int, error: type[Exception]
) -> None:
    with pytest.raises(error):
        accounts.create_unit_accounts(registry, identity=identity, agency_code=agency, limit=limit)
    with registry.connect() as conn:
        assert not conn.execute(select(User.id).where(User.role == "reporter")).first()
