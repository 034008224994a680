"""`python -m data_access ingest | rollback | template` and their exit codes."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access.cli import main
from data_access.ingest.templates import template_csv, template_xlsx
from data_access.queries.lookups import load_catalogue

DATA = Path(__file__).resolve().parent / "data"


def _run(engine: Engine, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    url = engine.url.render_as_string(hide_password=False)
    code = main(["--database-url", url, *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip().startswith("{") else {}


def test_ingest_dry_run_commit_and_rejection(
    sample_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    ok = str(DATA / "ok_utf8_comma.csv")
    # "thuky" is a demo account scoped to BHXH: the file's THADS row is outside its scope.
    code, scoped = _run(sample_engine, capsys, "ingest", ok, "--dry-run", "--user", "thuky")
    assert code == 1 and [e["row"] for e in scoped["errors"]] == [3]
    code, dry = _run(sample_engine, capsys, "ingest", ok, "--dry-run", "--user", "van-hanh")
    assert code == 0 and not dry["committed"] and dry["inserted"] == 2
    code, done = _run(
        sample_engine, capsys, "ingest", ok, "--user", "van-hanh", "--accept-warnings"
    )
    assert code == 0 and done["committed"] and done["batch_id"] == 1
    code, bad = _run(
        sample_engine, capsys, "ingest", str(DATA / "err_duplicate_rows.csv"), "--user", "van-hanh"
    )
    assert code == 1 and bad["rejected"] == 1
    assert bad["errors"] == [
        {"row": 4, "column": "unit_code", "message": "Trùng đơn vị và kỳ báo cáo với dòng 2."}
    ]
    code, viewer = _run(sample_engine, capsys, "rollback", "1", "--user", "lanhdao")
    assert code == 1 and not viewer["rolled_back"]  # a viewer may not roll back
    code, rolled = _run(sample_engine, capsys, "rollback", "1", "--user", "van-hanh")
    assert code == 0 and rolled == {"rolled_back": True, "batch_id": 1, "deleted": 2, "restored": 0}
    code, again = _run(sample_engine, capsys, "rollback", "1", "--user", "van-hanh")
    assert code == 1 and not again["rolled_back"]


def test_ingest_with_unconfirmed_warnings_exits_1(
    sample_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(
        sample_engine, capsys, "ingest", str(DATA / "warn_ratios_and_missing.csv"), "--user", "t"
    )
    assert code == 1 and not out["committed"] and out["warnings"]


def test_ingest_usage_errors_exit_2(
    sample_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(sample_engine, capsys, "ingest", "/nonexistent.csv", "--user", "t")[0] == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", str(DATA / "ok_utf8_comma.csv")])  # --user is required
    assert exit_info.value.code == 2


@pytest.mark.parametrize("kind", ["submissions", "activities"])
def test_templates_come_from_the_catalogue_and_round_trip(
    sqlite_sample_engine: Engine, kind: str
) -> None:
    catalogue = load_catalogue(sqlite_sample_engine)
    csv_bytes = template_csv(kind, catalogue)
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    text = csv_bytes.decode("utf-8-sig")
    if kind == "submissions":
        for ind in catalogue.indicators:
            assert f"{ind.heading_vi} [{ind.code}]" in text
    # The untouched template has only comments, the header and the example row: no data rows.
    from data_access import ingest

    report = ingest.dry_run(sqlite_sample_engine, "mau.csv", csv_bytes, kind)
    assert [p.message for p in report.errors] == [
        "File không có dòng dữ liệu nào (chỉ có tiêu đề)."
    ]
    assert template_xlsx(kind, catalogue)[:2] == b"PK"


def test_filled_template_is_accepted(sqlite_sample_engine: Engine) -> None:
    from data_access import ingest

    catalogue = load_catalogue(sqlite_sample_engine)
    text = template_csv("submissions", catalogue).decode("utf-8-sig")
    header = next(line for line in text.splitlines() if not line.startswith(("#", '"#')))
    n = header.count("[")
    # THADS: the template has its own indicators too; the unit's name column is left empty.
    row = ["THADS-HANOI", "", "2026-Y", "20/11/2026"]
    row += ["1"] * (n - 8) + ["Đánh giá", "", "", ""]
    content = (text + ";".join(row) + "\r\n").encode("utf-8-sig")
    report = ingest.dry_run(sqlite_sample_engine, "mau.csv", content)
    assert report.errors == [] and report.inserted == 1
