"""Commit, idempotence, revisions, rollback and failure safety, on SQLite and PostgreSQL."""

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from data_access import ingest
from data_access.analytics.exports import export_frame
from data_access.db.models import AuditLog, SubmissionRevision, UploadBatch
from data_access.domain.filters import Filters
from data_access.ingest import writes as commit_module
from data_access.queries.aggregate import aggregate
from tests.batches import committed_batch

DATA = Path(__file__).resolve().parent / "data"
TODAY = dt.date(2026, 11, 22)
SEED_FIX = "unit_code,period,staff_total,staff_female\nBHXH-QUANGTRI,2022-Y,240,130\nBHXH-QUANGTRI,2023-Y,241,131\n"


def _commit(
    engine: Engine, name: str, content: bytes, kind: str = "submissions"
) -> ingest.UploadReport:
    return ingest.commit(
        engine, name, content, kind, user="thuky", accept_warnings=True, today=TODAY
    )


def _snapshot(engine: Engine) -> dict[str, object]:
    """Everything a reader can see: unit-level rows, the summary table's totals, batches."""
    units = export_frame(engine, "unit", Filters(year_from=2018)).frame
    provinces = aggregate(engine, Filters(period_kind="H1"), by=("agency", "province", "period"))
    with engine.connect() as conn:
        batches = conn.execute(select(func.count()).select_from(UploadBatch)).scalar_one()
        revisions = conn.execute(select(func.count()).select_from(SubmissionRevision)).scalar_one()
        activities = conn.execute(
            text("SELECT count(*), sum(participants_male) FROM campaign_activities")
        ).one()
    # Floats are rounded: PostgreSQL may add decimal sums in another order after a rewrite.
    return {
        "units": units.round(6).to_csv(),
        "summary": provinces.round(6).to_csv(),
        "batches": batches,
        "revisions": revisions,
        "activities": tuple(activities),
    }


def _staff(engine: Engine, unit: str, period: str) -> tuple[int, int]:
    row = aggregate(
        engine,
        Filters(periods=(period,), units=(unit,)),
        by=("unit",),
        indicators=["staff_total", "staff_female"],
    ).iloc[0]
    return int(row["staff_total"]), int(row["staff_female"])


def test_reupload_of_the_same_file_changes_nothing_and_says_so(sample_engine: Engine) -> None:
    content = (DATA / "ok_utf8_comma.csv").read_bytes()
    first = _commit(sample_engine, "a.csv", content)
    assert first.committed and first.inserted == 2
    before = _snapshot(sample_engine)
    again = _commit(sample_engine, "a.csv", content)
    assert not again.committed and (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert f"giống lô {first.batch_id}" in again.message
    assert _snapshot(sample_engine) == before
    with sample_engine.connect() as conn:
        actions = conn.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()
    assert actions[-2:] == ["upload", "upload_unchanged"]


def test_update_keeps_a_revision_and_rollback_restores_exactly(sample_engine: Engine) -> None:
    before = _snapshot(sample_engine)
    report = _commit(sample_engine, "fix.csv", SEED_FIX.encode())
    assert (report.inserted, report.updated) == (0, 2)
    assert _staff(sample_engine, "BHXH-QUANGTRI", "2022-Y") == (240, 130)
    history = ingest.revisions(sample_engine, "BHXH-QUANGTRI", "2022-Y")
    assert len(history) == 1 and history.iloc[0]["previous"]["staff_total"] == 235
    assert history.iloc[0]["previous"]["managers_total"] == 48  # the whole row is kept
    counts = ingest.rollback(sample_engine, committed_batch(report), user="thuky")
    assert counts == {"deleted": 0, "restored": 2}
    assert _staff(sample_engine, "BHXH-QUANGTRI", "2022-Y") == (235, 126)
    after = _snapshot(sample_engine)
    assert after["units"] == before["units"] and after["summary"] == before["summary"]
    status = ingest.batches(sample_engine).set_index("id").at[report.batch_id, "status"]
    assert status == "rolled_back"
    with pytest.raises(ingest.RollbackRefused, match="đã được hoàn tác"):
        ingest.rollback(sample_engine, committed_batch(report), user="thuky")


def test_rollback_of_inserted_rows_deletes_them(sample_engine: Engine) -> None:
    before = _snapshot(sample_engine)
    report = _commit(sample_engine, "a.csv", (DATA / "ok_utf8_comma.csv").read_bytes())
    assert ingest.rollback(sample_engine, committed_batch(report), user="t") == {
        "deleted": 2,
        "restored": 0,
    }
    after = _snapshot(sample_engine)
    assert after["units"] == before["units"] and after["summary"] == before["summary"]


def test_rollback_is_refused_while_a_later_batch_changed_the_same_rows(
    sample_engine: Engine,
) -> None:
    first = _commit(sample_engine, "fix.csv", SEED_FIX.encode())
    second = _commit(sample_engine, "fix2.csv", SEED_FIX.replace("240,130", "250,140").encode())
    with pytest.raises(ingest.RollbackRefused, match=f"lô {second.batch_id}"):
        ingest.rollback(sample_engine, committed_batch(first), user="t")
    ingest.rollback(sample_engine, committed_batch(second), user="t")
    assert _staff(sample_engine, "BHXH-QUANGTRI", "2022-Y") == (240, 130)
    ingest.rollback(sample_engine, committed_batch(first), user="t")
    assert _staff(sample_engine, "BHXH-QUANGTRI", "2022-Y") == (235, 126)


def test_rejected_file_writes_nothing(sample_engine: Engine) -> None:
    before = _snapshot(sample_engine)
    report = _commit(sample_engine, "bad.csv", (DATA / "err_female_gt_total.csv").read_bytes())
    assert not report.committed and report.errors
    assert _snapshot(sample_engine) == before
    with sample_engine.connect() as conn:
        assert (
            conn.execute(select(AuditLog.action).order_by(AuditLog.id.desc())).scalars().first()
            == "upload_rejected"
        )


def test_failure_in_the_middle_of_a_commit_leaves_the_database_as_before(
    sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(sample_engine)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")  # after the rows were inserted and updated

    monkeypatch.setattr(commit_module, "add_to_summary", crash)
    content = SEED_FIX + "BHXH-HANOI,2026-Y,1000,600\n"
    with pytest.raises(RuntimeError, match="disk full"):
        _commit(sample_engine, "crash.csv", content.encode())
    assert _snapshot(sample_engine) == before


def test_activities_commit_reupload_and_rollback(sample_engine: Engine) -> None:
    before = _snapshot(sample_engine)
    content = (DATA / "act_ok.csv").read_bytes()
    report = _commit(sample_engine, "act.csv", content, "activities")
    assert report.committed and report.inserted == 2
    again = _commit(sample_engine, "act.csv", content, "activities")
    assert not again.committed and again.unchanged == 2
    changed = content.decode("utf-8-sig").replace(",40,35", ",41,36").encode()
    update = _commit(sample_engine, "act2.csv", changed, "activities")
    assert (update.inserted, update.updated) == (0, 1)
    ingest.rollback(sample_engine, committed_batch(update), user="t")
    ingest.rollback(sample_engine, committed_batch(report), user="t")
    assert _snapshot(sample_engine)["activities"] == before["activities"]


def test_concurrent_uploads_touching_the_same_units_stay_consistent(sample_engine: Engine) -> None:
    """Two uploads at once: both commit one after the other; the summary matches the rows."""
    files = {
        "one.csv": b"unit_code,period,staff_total,staff_female\nBHXH-HANOI,2026-Y,1000,600\nTHADS-HANOI,2026-Y,300,100\n",
        "two.csv": b"unit_code,period,staff_total,staff_female\nTHADS-HANOI,2026-Y,320,110\nBHXH-HANOI,2026-Y,1100,650\n",
    }
    reports: dict[str, ingest.UploadReport] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def upload(name: str) -> None:
        try:
            start.wait()
            reports[name] = _commit(sample_engine, name, files[name])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=upload, args=(n,)) for n in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert all(r.committed for r in reports.values())
    assert sorted((r.inserted, r.updated) for r in reports.values()) == [(0, 2), (2, 0)]
    last = max(reports.values(), key=lambda r: r.batch_id or 0)
    expected = (
        {"BHXH-HANOI": (1000, 600), "THADS-HANOI": (300, 100)}
        if last.file_name == "one.csv"
        else {"BHXH-HANOI": (1100, 650), "THADS-HANOI": (320, 110)}
    )
    assert {u: _staff(sample_engine, u, "2026-Y") for u in expected} == expected
    by_unit = aggregate(
        sample_engine, Filters(periods=("2026-Y",)), by=("unit",), indicators=["staff_total"]
    )
    summary = aggregate(
        sample_engine, Filters(periods=("2026-Y",)), by=("period",), indicators=["staff_total"]
    )
    assert (
        summary["staff_total"].item()
        == by_unit["staff_total"].sum()
        == sum(v[0] for v in expected.values())
    )


def _summary_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT * FROM submission_summary ORDER BY period_id, agency_id, province_id, level"
            )
        ).all()
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in rows]


def test_an_insert_only_upload_adds_to_the_summary_what_a_recount_gives(
    sample_engine: Engine,
) -> None:
    """An upload that only inserts adds its sums to the summary instead of recounting: the
    result must be the recount's, blanks included (a sum over blanks stays blank). Every ninth
    report is taken out and uploaded again, so most groups keep other reports."""
    from data_access.db.value_tables import refresh_summary
    from data_access.queries.lookups import load_catalogue

    catalogue = load_catalogue(sample_engine)
    codes = catalogue.codes
    with sample_engine.begin() as conn:
        picked = conn.execute(
            text(
                "SELECT s.id, u.code, p.code, " + ", ".join(f"s.{c}" for c in codes) + " "
                "FROM submissions s JOIN units u ON u.id = s.unit_id "
                "JOIN periods p ON p.id = s.period_id "
                "WHERE p.code IN ('2024-Y', '2025-H1') AND s.id % 9 = 0 ORDER BY s.id LIMIT 60"
            )
        ).all()
        ids = [r[0] for r in picked]
        conn.execute(text(f"DELETE FROM submissions WHERE id IN ({', '.join(map(str, ids))})"))
        refresh_summary(
            conn, catalogue, [r[0] for r in conn.execute(text("SELECT id FROM periods"))]
        )
    lines = ["unit_code,period," + ",".join(codes)]
    for i, r in enumerate(picked):
        # blank rows, and columns left blank in every row: their sums must keep the old values
        cells = [
            "" if v is None or i % 7 == 0 or j % 5 == 0 else f"{v:g}" for j, v in enumerate(r[3:])
        ]
        lines.append(",".join([r[1], r[2], *cells]))
    report = _commit(sample_engine, "new.csv", ("\n".join(lines) + "\n").encode())
    assert report.committed and report.inserted == len(picked) and not report.updated
    added = _summary_rows(sample_engine)
    with sample_engine.begin() as conn:
        refresh_summary(
            conn, catalogue, [r[0] for r in conn.execute(text("SELECT id FROM periods"))]
        )
    assert added == _summary_rows(sample_engine)
