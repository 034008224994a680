"""The dry run refuses, by row and column, everything the database would refuse at commit (item 7),
and text is cleaned of control characters on the way in (item 9), on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from sqlalchemy import Engine, text

from data_access import ingest
from data_access.domain.formats import num
from data_access.ingest.limits import DECIMAL_MAX, NARRATIVE_MAX_CHARS

TODAY = dt.date(2026, 11, 22)
INT_MAX = num(2**31 - 1)
SUBMISSION = "unit_code,period,staff_total,staff_female,assessment\n"
DECIMALS = "unit_code,period,thads_money_eligible_bn\n"
ACTIVITY = (
    "unit_code,campaign,start_date,end_date,activity_type,title,"
    "participants_female,participants_male\n"
)
# BHXH-HANOI has no 2026-Y report in the sample (a new row); BHXH-QUANGTRI's 2022-Y is stored
# with staff_total 235 (an update).
CASES = [
    ("1e30", "submissions", SUBMISSION + "BHXH-HANOI,2026-Y,1e30,10,\n", "staff_total", INT_MAX),
    (
        "20 digits",
        "submissions",
        SUBMISSION + "BHXH-HANOI,2026-Y,12345678901234567890,10,\n",
        "staff_total",
        INT_MAX,
    ),
    (
        "2**31",
        "submissions",
        SUBMISSION + "BHXH-HANOI,2026-Y,2147483648,10,\n",
        "staff_total",
        INT_MAX,
    ),
    (
        "NUL",
        "submissions",
        SUBMISSION + "BHXH-HANOI,2026-Y,100,10,Tốt\x00lắm\n",
        "assessment",
        "NUL",
    ),
    ("inf new", "submissions", SUBMISSION + "BHXH-HANOI,2026-Y,inf,10,\n", "staff_total", "số"),
    (
        "inf update",
        "submissions",
        SUBMISSION + "BHXH-QUANGTRI,2022-Y,inf,10,\n",
        "staff_total",
        "số",
    ),
    (
        "narrative",
        "submissions",
        SUBMISSION + f"BHXH-HANOI,2026-Y,100,10,{'ạ' * (NARRATIVE_MAX_CHARS + 1)}\n",
        "assessment",
        num(NARRATIVE_MAX_CHARS),
    ),
    (
        "decimal inf",
        "submissions",
        DECIMALS + "THADS-HANOI,2026-Y,inf\n",
        "thads_money_eligible_bn",
        "số",
    ),
    (
        "decimal 1e30",
        "submissions",
        DECIMALS + "THADS-HANOI,2026-Y,1e30\n",
        "thads_money_eligible_bn",
        num(DECIMAL_MAX),
    ),
    (
        "type 101",
        "activities",
        ACTIVITY + f"BHXH-HANOI,OTHER,16/11/2026,,{'x' * 101},Tọa đàm,1,1\n",
        "activity_type",
        "100",
    ),
    (
        "title 301",
        "activities",
        ACTIVITY + f"BHXH-HANOI,OTHER,16/11/2026,,Hội thi,{'x' * 301},1,1\n",
        "title",
        "300",
    ),
    (
        "NUL title",
        "activities",
        ACTIVITY + "BHXH-HANOI,OTHER,16/11/2026,,Hội thi,Tọa\x00đàm,1,1\n",
        "title",
        "NUL",
    ),
    (
        "participants 2**31",
        "activities",
        ACTIVITY + "BHXH-HANOI,OTHER,16/11/2026,,Hội thi,Tọa đàm,2147483648,1\n",
        "participants_female",
        INT_MAX,
    ),
]


def _stored_staff(engine: Engine, unit: str, period: str) -> object:
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT s.staff_total FROM submissions s JOIN units u ON u.id = s.unit_id "
                "JOIN periods p ON p.id = s.period_id WHERE u.code = :u AND p.code = :p"
            ),
            {"u": unit, "p": period},
        ).scalar_one_or_none()


def _batches(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM upload_batches")).scalar_one())


@pytest.mark.parametrize(
    ("kind", "content", "column", "limit"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_the_dry_run_refuses_what_the_database_would_refuse(
    sample_engine: Engine, kind: str, content: str, column: str, limit: str
) -> None:
    data = content.encode()
    dry = ingest.dry_run(sample_engine, "x.csv", data, kind, today=TODAY)
    assert [(p.row, p.column) for p in dry.errors] == [(2, column)]
    assert limit in dry.errors[0].message
    batches = _batches(sample_engine)
    report = ingest.commit(
        sample_engine, "x.csv", data, kind, user="thuky", accept_warnings=True, today=TODAY
    )
    assert not report.committed and [(p.row, p.column) for p in report.errors] == [(2, column)]
    assert _batches(sample_engine) == batches


def test_an_update_to_inf_leaves_the_stored_figure(sample_engine: Engine) -> None:
    assert _stored_staff(sample_engine, "BHXH-QUANGTRI", "2022-Y") == 235
    content = SUBMISSION + "BHXH-QUANGTRI,2022-Y,inf,10,\nBHXH-QUANGTRI,2023-Y,1e400,10,\n"
    report = ingest.commit(
        sample_engine, "inf.csv", content.encode(), user="thuky", accept_warnings=True, today=TODAY
    )
    assert not report.committed and len(report.errors) == 2
    assert _stored_staff(sample_engine, "BHXH-QUANGTRI", "2022-Y") == 235


def test_a_narrative_of_the_limit_is_stored_whole(sample_engine: Engine) -> None:
    narrative = "ạ" * NARRATIVE_MAX_CHARS
    content = SUBMISSION + f"BHXH-HANOI,2026-Y,100,10,{narrative}\n"
    report = ingest.commit(
        sample_engine, "n.csv", content.encode(), user="thuky", accept_warnings=True, today=TODAY
    )
    assert report.committed
    with sample_engine.connect() as conn:
        stored = conn.execute(
            text("SELECT assessment FROM submissions WHERE batch_id = :b"), {"b": report.batch_id}
        ).scalar_one()
    assert stored == narrative


def test_control_characters_are_removed_on_the_way_in(sample_engine: Engine) -> None:
    submissions = (
        SUBMISSION
        + 'BHXH-HANOI,2026-Y,100,10,"Dòng một\x0bvẫn\x01 tiếp\r\nDòng hai\tcột\x1f\x7f"\n'
    )
    first = ingest.commit(
        sample_engine,
        "s.csv",
        submissions.encode(),
        user="thuky",
        accept_warnings=True,
        today=TODAY,
    )
    activities = ACTIVITY + "BHXH-HANOI,OTHER,16/11/2026,,Hội\x0bthi\x07,Tọa\x0cđàm\x02 giới,1,1\n"
    second = ingest.commit(
        sample_engine,
        "a.csv",
        activities.encode(),
        "activities",
        user="thuky",
        accept_warnings=True,
        today=TODAY,
    )
    assert first.committed and second.committed
    with sample_engine.connect() as conn:
        narrative = conn.execute(
            text("SELECT assessment FROM submissions WHERE batch_id = :b"), {"b": first.batch_id}
        ).scalar_one()
        kind, title = conn.execute(
            text("SELECT activity_type, title FROM campaign_activities WHERE batch_id = :b"),
            {"b": second.batch_id},
        ).one()
    # Word's manual line break (\x0b) and \r\n become a newline; tabs and newlines stay in
    # narratives; in one-line fields every break is a space.
    assert narrative == "Dòng một\nvẫn tiếp\nDòng hai\tcột"
    assert (kind, title) == ("Hội thi", "Tọa đàm giới")


def test_a_problem_shows_its_value_without_control_characters(sample_engine: Engine) -> None:
    content = SUBMISSION + "BHXH-HANOI,2026-Y,1\x0b2x,10,\n"
    report = ingest.dry_run(sample_engine, "c.csv", content.encode(), today=TODAY)
    assert [(p.row, p.column) for p in report.errors] == [(2, "staff_total")]
    assert report.errors[0].value == "1 2x"


def test_a_long_file_name_is_kept_as_long_as_the_batch_holds(sample_engine: Engine) -> None:
    name = "báo cáo\x0b" + "x" * 300 + ".csv"
    content = SUBMISSION + "BHXH-HANOI,2026-Y,100,10,\n"
    report = ingest.commit(
        sample_engine, name, content.encode(), user="thuky", accept_warnings=True, today=TODAY
    )
    assert report.committed
    with sample_engine.connect() as conn:
        stored = conn.execute(
            text("SELECT file_name FROM upload_batches WHERE id = :b"), {"b": report.batch_id}
        ).scalar_one()
    assert stored == ("báo cáo " + "x" * 300)[:255]
