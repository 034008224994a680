"""`python -m data_access users add NAME --role reporter --unit CODE`: a unit's reporter account
from the command line, on both backends; an unknown or closed unit refused in Vietnamese, and no
account made."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import Engine, select

from data_access import auth
from data_access.cli import main
from data_access.db.models import Agency, Unit

PASSWORD = "mat-khau-dai-hon"


def _unit(engine: Engine, *, closed: bool) -> tuple[str, str]:
    """(code, agency) of a BHXH unit, active or closed."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Unit.code, Agency.code)
            .join(Agency, Agency.id == Unit.agency_id)
            .where(
                Agency.code == "BHXH",
                Unit.active_to.is_not(None) if closed else Unit.active_to.is_(None),
            )
            .order_by(Unit.code)
        ).first()
    assert row is not None
    return row[0], row[1]


def _add(engine: Engine, monkeypatch: pytest.MonkeyPatch, name: str, *options: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    url = engine.url.render_as_string(hide_password=False)
    return main(["--database-url", url, "users", "add", name, *options, "--password-stdin"])


def test_a_reporter_account_is_made_for_its_unit(
    sample_engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, agency = _unit(sample_engine, closed=False)
    assert _add(sample_engine, monkeypatch, "donvi.cli", "--role", "reporter", "--unit", code) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"created": "donvi.cli", "role": "reporter", "agencies": [agency], "unit": code}
    me = auth.authenticate(sample_engine, "donvi.cli", PASSWORD, client="test")
    assert (me.role, me.unit, me.agencies) == ("reporter", code, (agency,))


REFUSALS = {
    "unknown": "Không có đơn vị mã “KHONG-CO”",
    "closed": "đã ngừng hoạt động",
    "no unit": auth.REPORTER_NEEDS_UNIT,
    "not a reporter": "Chỉ tài khoản đơn vị báo cáo mới gắn với một đơn vị",
    "agency too": "bỏ --agency",
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_wrong_unit_is_refused_in_vietnamese_and_nothing_is_made(
    sample_engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    active, _ = _unit(sample_engine, closed=False)
    options = {
        "unknown": ["--role", "reporter", "--unit", "KHONG-CO"],
        "closed": ["--role", "reporter", "--unit", _unit(sample_engine, closed=True)[0]],
        "no unit": ["--role", "reporter"],
        "not a reporter": ["--role", "secretariat", "--unit", active],
        "agency too": ["--role", "reporter", "--unit", active, "--agency", "THADS"],
    }[case]
    assert _add(sample_engine, monkeypatch, "donvi.sai", *options) == 1
    captured = capsys.readouterr()
    assert REFUSALS[case] in captured.err and not captured.out
    assert "Traceback" not in captured.err
    assert auth.identity_for(sample_engine, "donvi.sai") is None
