"""Rollback: a batch whose inserted rows a later batch changed is refused (naming that batch),
and a scoped identity rolls back only batches wholly within its agencies — web and CLI."""

import datetime as dt
import json

import pytest
from sqlalchemy import Engine, func, select, text

from data_access import ingest
from data_access.auth import Identity, create_user
from data_access.cli import main
from data_access.db.models import AuditLog, UploadBatch
from tests.batches import committed_batch

TODAY = dt.date(2026, 11, 22)
BHXH_SECRETARY = Identity("tk-bhxh", "secretariat", ("BHXH",))
THADS_SECRETARY = Identity("tk-thads", "secretariat", ("THADS",))
HEADER = "unit_code,period,staff_total,staff_female\n"
BHXH_ROW = "BHXH-HANOI,2026-Y,1000,600\n"
THADS_ROW = "THADS-HANOI,2026-Y,300,140\n"
ACTIVITY = (
    "unit_code,campaign,start_date,end_date,activity_type,title,"
    "participants_female,participants_male\n"
    "{unit},ACTION_MONTH_GE,16/11/2026,16/11/2026,Tọa đàm,Tọa đàm bình đẳng giới,{female},35\n"
)


def _commit(
    engine: Engine, content: str, kind: str = "submissions", name: str = "f.csv"
) -> ingest.UploadReport:
    report = ingest.commit(
        engine, name, content.encode(), kind, user="van-hanh", accept_warnings=True, today=TODAY
    )
    assert report.committed, report.summary()
    return report


def _state(engine: Engine) -> tuple[object, ...]:
    """What a rollback could change: submissions, activities, summaries, batches, the audit."""
    with engine.connect() as conn:
        return (
            conn.execute(
                text(
                    "SELECT unit_id, period_id, batch_id, staff_total FROM submissions ORDER BY id"
                )
            ).all(),
            conn.execute(
                text(
                    "SELECT id, batch_id, participants_female FROM campaign_activities ORDER BY id"
                )
            ).all(),
            conn.execute(text("SELECT count(*), sum(n_submissions) FROM submission_summary")).one(),
            conn.execute(select(UploadBatch.id, UploadBatch.status).order_by(UploadBatch.id)).all(),
            conn.execute(select(func.count()).select_from(AuditLog)).scalar_one(),
        )


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("submissions", HEADER + BHXH_ROW, HEADER + BHXH_ROW.replace("1000,600", "1000,610")),
        (
            "activities",
            ACTIVITY.format(unit="BHXH-HANOI", female=40),
            ACTIVITY.format(unit="BHXH-HANOI", female=41),
        ),
    ],
)
def test_rollback_of_an_insert_a_later_batch_changed_is_refused_naming_it(
    sample_engine: Engine, kind: str, first: str, second: str
) -> None:
    untouched = _state(sample_engine)[:3]
    inserted = _commit(sample_engine, first, kind)
    changed = _commit(sample_engine, second, kind)
    assert (changed.inserted, changed.updated) == (0, 1)
    before = _state(sample_engine)
    with pytest.raises(ingest.RollbackRefused, match=f"lô {changed.batch_id}"):
        ingest.rollback(sample_engine, committed_batch(inserted), user="van-hanh")
    assert _state(sample_engine) == before  # nothing written, not even the audit entry
    # In order, both roll back, and the row the first one inserted is gone.
    assert (
        ingest.rollback(sample_engine, committed_batch(changed), user="van-hanh")["restored"] == 1
    )
    assert (
        ingest.rollback(sample_engine, committed_batch(inserted), user="van-hanh")["deleted"] == 1
    )
    assert _state(sample_engine)[:3] == untouched


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("submissions", HEADER + THADS_ROW),
        ("submissions", HEADER + BHXH_ROW + THADS_ROW),  # partly in scope is still outside
        ("activities", ACTIVITY.format(unit="THADS-HANOI", female=40)),
    ],
    ids=["thads", "mixed", "thads-activities"],
)
def test_a_bhxh_secretary_cannot_roll_back_a_batch_with_another_agencys_rows(
    sample_engine: Engine, kind: str, content: str
) -> None:
    batch = _commit(sample_engine, content, kind)
    before = _state(sample_engine)
    with pytest.raises(ingest.RollbackRefused, match="ngoài phạm vi"):
        ingest.rollback(sample_engine, committed_batch(batch), identity=BHXH_SECRETARY)
    assert _state(sample_engine) == before


def test_scope_counts_rows_a_later_batch_took_over(sample_engine: Engine) -> None:
    """The THADS rows a batch inserted still belong to it after a later batch changed them:
    a BHXH secretary is refused for scope, not told the batch was rolled back."""
    inserted = _commit(sample_engine, HEADER + THADS_ROW)
    _commit(sample_engine, HEADER + THADS_ROW.replace("300,140", "300,150"))
    before = _state(sample_engine)
    with pytest.raises(ingest.RollbackRefused, match="ngoài phạm vi"):
        ingest.rollback(sample_engine, committed_batch(inserted), identity=BHXH_SECRETARY)
    assert _state(sample_engine) == before


def test_the_secretary_of_the_batchs_agency_may_roll_it_back(sample_engine: Engine) -> None:
    batch = _commit(sample_engine, HEADER + THADS_ROW)
    counts = ingest.rollback(sample_engine, committed_batch(batch), identity=THADS_SECRETARY)
    assert counts == {"deleted": 1, "restored": 0}


def _cli(engine: Engine, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["--database-url", engine.url.render_as_string(hide_password=False), *args])
    return code, json.loads(capsys.readouterr().out)


def test_cli_rollback_by_a_bhxh_secretary_of_a_thads_batch_is_refused(
    sample_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    create_user(sample_engine, "tk-bhxh", "secretariat", "mat-khau-dai", ["BHXH"])
    batch = _commit(sample_engine, HEADER + THADS_ROW)
    before = _state(sample_engine)
    code, out = _cli(sample_engine, capsys, "rollback", str(batch.batch_id), "--user", "tk-bhxh")
    assert code == 1 and not out["rolled_back"] and "ngoài phạm vi" in out["message"]
    assert _state(sample_engine) == before


def test_cli_rollback_of_an_insert_a_later_batch_changed_is_refused(
    sample_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    inserted = _commit(sample_engine, HEADER + BHXH_ROW)
    changed = _commit(sample_engine, HEADER + BHXH_ROW.replace("1000,600", "1000,610"))
    code, out = _cli(
        sample_engine, capsys, "rollback", str(inserted.batch_id), "--user", "van-hanh"
    )
    assert code == 1 and not out["rolled_back"] and f"lô {changed.batch_id}" in out["message"]
