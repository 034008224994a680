"""A unit's reporter account (#15), enforced in `auth` whoever calls it: made for exactly one
existing active unit within the creator's agency scope, scoped to the unit's agency; its role and
scope are not edited afterwards, and no account becomes a reporter without its unit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select

from data_access import auth
from data_access.auth import Identity, PermissionDenied
from data_access.db.models import Agency, AuditLog, Unit, User

ADMIN = Identity("quantri", "admin")
ADMIN_BHXH = Identity("quantri.bhxh", "admin", ("BHXH",))
PASSWORD = "mat-khau-du-dai"


def _unit(engine: Engine, agency: str, *, active: bool = True) -> str:
    state = Unit.active_to.is_(None) if active else Unit.active_to.is_not(None)
    with engine.connect() as conn:
        return str(
            conn.execute(
                select(Unit.code)
                .join(Agency, Agency.id == Unit.agency_id)
                .where(Agency.code == agency, state)
                .order_by(Unit.code)
                .limit(1)
            ).scalar_one()
        )


def _exists(engine: Engine, username: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(User.id).where(User.username == username)).first() is not None


# (role, unit as a function of the engine, creator, error type, words of the message)
REFUSED: dict[str, tuple[str, Callable[[Engine], str | None], Identity, type, str]] = {
    "no unit": ("reporter", lambda e: None, ADMIN, ValueError, "đúng một đơn vị"),
    "empty unit": ("reporter", lambda e: "  ", ADMIN, ValueError, "đúng một đơn vị"),
    "unknown unit": ("reporter", lambda e: "KHONG-CO", ADMIN, ValueError, "Không có đơn vị"),
    "closed unit": (
        "reporter",
        lambda e: _unit(e, "LDTBXH", active=False),
        ADMIN,
        ValueError,
        "đã ngừng hoạt động",
    ),
    "outside the creator's scope": (
        "reporter",
        lambda e: _unit(e, "THADS"),
        ADMIN_BHXH,
        PermissionDenied,
        "ngoài phạm vi ngành",
    ),
    "creator not an administrator": (
        "reporter",
        lambda e: _unit(e, "BHXH"),
        Identity("thuky", "secretariat", ("BHXH",)),
        PermissionDenied,
        "không có quyền",
    ),
    "a unit on another role": (
        "viewer",
        lambda e: _unit(e, "BHXH"),
        ADMIN,
        ValueError,
        "Chỉ tài khoản đơn vị báo cáo",
    ),
}


@pytest.mark.parametrize(("role", "unit", "by", "error", "words"), REFUSED.values(), ids=REFUSED)
def test_a_reporter_account_needs_one_active_unit_within_reach(
    sample_engine: Engine,
    role: str,
    unit: Callable[[Engine], str | None],
    by: Identity,
    error: type,
    words: str,
) -> None:
    with pytest.raises(error, match=words):
        auth.create_user(
            sample_engine, "donvi.moi", role, PASSWORD, by=by, unit=unit(sample_engine)
        )
    assert not _exists(sample_engine, "donvi.moi")


def test_a_scoped_administrator_makes_a_reporter_for_a_unit_of_their_agency(
    sample_engine: Engine,
) -> None:
    unit = _unit(sample_engine, "BHXH")
    made = auth.create_user(
        sample_engine, "donvi.bhxh", "reporter", PASSWORD, ["THADS"], by=ADMIN_BHXH, unit=unit
    )
    assert (made.unit, made.agencies) == (unit, ("BHXH",))  # the unit's agency, not the one asked
    assert auth.account(sample_engine, "donvi.bhxh").unit.code == unit  # type: ignore[union-attr]
    with sample_engine.connect() as conn:
        actor = conn.execute(
            select(AuditLog.user_name).where(
                AuditLog.action == "user_add", AuditLog.target == "donvi.bhxh"
            )
        ).scalar_one()
    assert actor == ADMIN_BHXH.username


def test_the_unit_choices_are_the_agencys_active_units_within_reach(sample_engine: Engine) -> None:
    choices = auth.reporter_units(sample_engine, "BHXH", by=ADMIN)
    with sample_engine.connect() as conn:
        active = set(
            conn.execute(
                select(Unit.code)
                .join(Agency, Agency.id == Unit.agency_id)
                .where(Agency.code == "BHXH", Unit.active_to.is_(None))
            ).scalars()
        )
    assert {c.code for c in choices} == active and active
    assert all(c.province and c.code in c.label and c.name in c.label for c in choices)
    assert auth.reporter_units(sample_engine, "THADS", by=ADMIN_BHXH) == []
    with pytest.raises(PermissionDenied):
        auth.reporter_units(sample_engine, "BHXH", by=Identity("lanhdao", "viewer"))


EDITS = {
    "reporter's role": ("donvi.x", {"role": "viewer"}, "không đổi được vai trò"),
    "reporter's scope": ("donvi.x", {"agencies": ["THADS"]}, "không đổi được vai trò"),
    "another account made a reporter": ("lanhdao", {"role": "reporter"}, "Thêm tài khoản"),
}


@pytest.mark.parametrize(("username", "change", "words"), EDITS.values(), ids=EDITS)
def test_a_reporters_role_and_scope_follow_its_unit(
    sample_engine: Engine, username: str, change: dict[str, object], words: str
) -> None:
    auth.create_user(
        sample_engine, "donvi.x", "reporter", PASSWORD, unit=_unit(sample_engine, "BHXH")
    )
    before = auth.account(sample_engine, username)
    with pytest.raises(ValueError, match=words):
        auth.change_account(sample_engine, username, by=ADMIN, **change)  # type: ignore[arg-type]
    assert auth.account(sample_engine, username) == before


def test_a_reporter_account_can_be_disabled(sample_engine: Engine) -> None:
    auth.create_user(
        sample_engine, "donvi.x", "reporter", PASSWORD, unit=_unit(sample_engine, "BHXH")
    )
    auth.change_account(sample_engine, "donvi.x", active=False, by=ADMIN)
    assert not auth.account(sample_engine, "donvi.x").active
