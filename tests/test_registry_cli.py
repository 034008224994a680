"""`python -m data_access registry import | export | template | accounts`, exit codes as `ingest`,
and `init-db` on an empty database saying how to create the first administrator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from data_access.auth import create_user
from data_access.cli import main
from data_access.db.models import Unit, User

DATA = Path(__file__).resolve().parent / "data" / "registry"
NHNN = str(DATA / "nhnn_units.csv")


def _run(engine: Engine, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    url = engine.url.render_as_string(hide_password=False)
    code = main(["--database-url", url, *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip()[:1] in "{[" and out.strip() else {}


def test_registry_import_dry_run_commit_rejection_and_rollback(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, dry = _run(engine, capsys, "registry", "import", NHNN, "--dry-run", "--user", "van-hanh")
    assert code == 0 and dry == dry | {"committed": False, "inserted": 37, "kind": "units"}
    code, done = _run(engine, capsys, "registry", "import", NHNN, "--user", "van-hanh")
    assert code == 0 and done["committed"] and done["batch_id"] == 1
    bad = str(DATA / "err_cycle.csv")
    code, rejected = _run(engine, capsys, "registry", "import", bad, "--user", "van-hanh")
    assert code == 1 and not rejected["committed"]
    assert [(e["row"], e["column"]) for e in rejected["errors"]] == [(3, "Mã đơn vị cấp trên")]
    code, _ = _run(engine, capsys, "registry", "import", str(DATA / "none.csv"), "--user", "x")
    assert code == 2
    code, rolled = _run(engine, capsys, "rollback", "1", "--user", "van-hanh")
    assert code == 0 and rolled == {
        "rolled_back": True,
        "batch_id": 1,
        "deleted": 37,
        "restored": 0,
    }
    with engine.connect() as conn:
        assert conn.execute(select(Unit.id)).first() is None


def test_a_viewer_account_may_not_import(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    create_user(engine, "lanhdao", "viewer", "mat-khau-dai")
    code, out = _run(engine, capsys, "registry", "import", NHNN, "--user", "lanhdao")
    assert code == 1 and "không có quyền" in out["message"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_template_and_export_files(
    engine: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    template = tmp_path / f"mau.{suffix}"
    assert _run(engine, capsys, "registry", "template", "-o", str(template))[0] == 0
    assert template.stat().st_size > 0
    _run(engine, capsys, "registry", "import", NHNN, "--user", "van-hanh")
    exported = tmp_path / f"donvi.{suffix}"
    assert _run(engine, capsys, "registry", "export", "-o", str(exported))[0] == 0
    code, again = _run(engine, capsys, "registry", "import", str(exported), "--user", "van-hanh")
    assert code == 0 and again["unchanged"] == 36 and not again["committed"]


def test_accounts_print_passwords_once_for_an_administrator(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(engine, capsys, "registry", "import", NHNN, "--user", "van-hanh")
    code, _ = _run(engine, capsys, "registry", "accounts", "--agency", "NHNN", "--user", "ai-do")
    assert code == 1  # not an account: no one to answer for the new accounts
    create_user(engine, "quantri", "admin", "mat-khau-dai")
    code, made = _run(
        engine,
        capsys,
        "registry",
        "accounts",
        "--agency",
        "NHNN",
        "--count",
        "2",
        "--user",
        "quantri",
    )
    assert code == 0 and [a["username"] for a in made] == ["thuky.nhnn.1", "thuky.nhnn.2"]
    with engine.connect() as conn:
        hashes = conn.execute(
            select(User.password_hash).where(User.role == "secretariat")
        ).scalars()
        assert not {a["password"] for a in made} & set(hashes)


def test_init_db_without_sample_says_how_to_create_the_first_admin(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "init-db"]) == 0
    assert "users add TEN_DANG_NHAP --role admin" in capsys.readouterr().err
    create_user(engine, "quantri", "admin", "mat-khau-dai")
    assert main(["--database-url", url, "init-db"]) == 0
    assert "--role admin" not in capsys.readouterr().err
