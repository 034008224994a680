"""Views that read summary tables agree with the rows they summarise."""

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, text

from data_access import ingest, views
from data_access.queries import Filters

DATA = Path(__file__).resolve().parent / "data"


def _raw_by_campaign(engine: Engine) -> dict[str, tuple[int, int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT campaign, count(*), sum(participants_female + participants_male) FROM campaign_activities GROUP BY campaign"
            )
        ).all()
    return {r[0]: (int(r[1]), int(r[2])) for r in rows}


def test_activity_summary_matches_the_activities(shared_sample_engine: Engine) -> None:
    summary = views.activities(shared_sample_engine, Filters(), ("campaign",))
    got = {r.campaign: (r.activities, r.participants) for r in summary.itertuples()}
    assert got == _raw_by_campaign(shared_sample_engine)
    by_agency = views.activities(shared_sample_engine, Filters(), ("agency",))
    assert by_agency["activities"].sum() == sum(v[0] for v in got.values())
    days = views.activity_days(shared_sample_engine, Filters())
    assert days["activities"].sum() == sum(v[0] for v in got.values())


def test_activity_summary_follows_uploads_and_rollbacks(sample_engine: Engine) -> None:
    before = _raw_by_campaign(sample_engine)
    report = ingest.commit(
        sample_engine,
        "a.csv",
        (DATA / "act_ok.csv").read_bytes(),
        "activities",
        user="t",
        accept_warnings=True,
        today=dt.date(2026, 11, 22),
    )
    assert report.committed
    summary = views.activities(sample_engine, Filters(), ("campaign",))
    assert {
        r.campaign: (r.activities, r.participants) for r in summary.itertuples()
    } == _raw_by_campaign(sample_engine)
    ingest.rollback(sample_engine, report.batch_id, user="t")
    summary = views.activities(sample_engine, Filters(), ("campaign",))
    assert {r.campaign: (r.activities, r.participants) for r in summary.itertuples()} == before
