"""Activity summaries hold sums of counts each as large as a participants column allows: two
activities at the limit on one day commit on both backends and sum exactly (PostgreSQL refused
the Integer sum although the dry run had accepted each row)."""

import datetime as dt

from sqlalchemy import Engine, func, select

from data_access import ingest
from data_access.db.models import ActivitySummary, ActivityYearSummary, UnitActivitySummary

TODAY = dt.date(2026, 11, 22)
AT_LIMIT = 2**31 - 1  # the largest participants count an activity row stores
HEADER = "unit_code,campaign,start_date,end_date,activity_type,title,participants_female,participants_male\n"


def test_two_activities_at_the_limit_sum_in_the_summaries(sample_engine: Engine) -> None:
    rows = "".join(
        f"BHXH-HANOI,OTHER,16/11/2026,,Hội thi,Hội thi số {n},{AT_LIMIT},{AT_LIMIT}\n"
        for n in (1, 2)
    )
    report = ingest.commit(
        sample_engine,
        "lon.csv",
        (HEADER + rows).encode(),
        "activities",
        user="thuky",
        accept_warnings=True,
        today=TODAY,
    )
    assert report.committed, report.summary()
    with sample_engine.connect() as conn:
        for table in (ActivitySummary, ActivityYearSummary, UnitActivitySummary):
            female = conn.execute(
                select(func.max(table.participants_female)).where(table.year == 2026)
            ).scalar_one()
            assert female >= 2 * AT_LIMIT, table.__tablename__
