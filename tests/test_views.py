"""Views that read summary tables agree with the rows they summarise."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data_access import ingest
from data_access.domain.filters import Filters
from data_access.queries import activities as activities_query
from tests.batches import committed_batch

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
    summary = activities_query.activities(shared_sample_engine, Filters(), ("campaign",))
    got = {r.campaign: (r.activities, r.participants) for r in summary.itertuples()}
    assert got == _raw_by_campaign(shared_sample_engine)
    by_agency = activities_query.activities(shared_sample_engine, Filters(), ("agency",))
    assert by_agency["activities"].sum() == sum(v[0] for v in got.values())
    days = activities_query.activity_days(shared_sample_engine, Filters())
    assert days["activities"].sum() == sum(v[0] for v in got.values())


def _raw_activities(engine: Engine) -> pd.DataFrame:
    """Every activity with its unit's agency and (2025) province, read without the summaries."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.campaign, a.start_date, ag.code, p.code, u.code, "
                "a.participants_female, a.participants_male "
                "FROM campaign_activities a JOIN units u ON u.id = a.unit_id "
                "JOIN agencies ag ON ag.id = u.agency_id "
                "JOIN provinces p ON p.id = u.current_province_id"
            )
        ).all()
    frame = pd.DataFrame(
        [tuple(r) for r in rows],
        columns=["campaign", "date", "agency_code", "province_code", "unit_code", "f", "m"],
    )
    dates = pd.to_datetime(frame["date"].astype(str))
    return frame.assign(year=dates.dt.year, month=dates.dt.month, activities=1)


@pytest.mark.parametrize("by", ["campaign", "year", "month", "agency", "province"])
def test_summaries_match_the_activities_under_filters(
    shared_sample_engine: Engine, by: str
) -> None:
    raw = _raw_activities(shared_sample_engine)
    years = sorted(int(y) for y in raw["year"].unique())
    f = Filters(year_from=years[1], year_to=years[-2], agencies=("BHXH", "THADS"))
    chosen = raw[raw["year"].between(years[1], years[-2]) & raw["agency_code"].isin(f.agencies)]
    key = {"agency": "agency_code", "province": "province_code"}.get(by, by)
    expected = chosen.groupby(key)[["activities", "f", "m"]].sum()
    got = activities_query.activities(shared_sample_engine, f, (by,)).set_index(key)
    assert len(expected) > 1
    assert got["activities"].to_dict() == expected["activities"].to_dict()
    assert got["participants_female"].to_dict() == expected["f"].to_dict()
    assert got["participants_male"].to_dict() == expected["m"].to_dict()


def test_most_active_units_are_the_top_of_the_latest_year(shared_sample_engine: Engine) -> None:
    raw = _raw_activities(shared_sample_engine)
    latest = int(raw["year"].max()) - 1
    f = Filters(year_from=latest - 3, year_to=latest)
    counts = raw[raw["year"] == latest].groupby("unit_code")["activities"].sum()
    top = activities_query.activities(shared_sample_engine, f, ("unit",), top=10)
    assert len(top) == 10
    assert top["activities"].is_monotonic_decreasing
    assert top["activities"].tolist() == counts.sort_values(ascending=False).head(10).tolist()
    assert all(counts[c] == n for c, n in zip(top["unit_code"], top["activities"], strict=True))
    every = activities_query.activities(shared_sample_engine, f, ("unit",))
    assert every.set_index("unit_code")["activities"].to_dict() == counts.to_dict()


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
    summary = activities_query.activities(sample_engine, Filters(), ("campaign",))
    assert {
        r.campaign: (r.activities, r.participants) for r in summary.itertuples()
    } == _raw_by_campaign(sample_engine)
    raw = _raw_activities(sample_engine)
    by_year = activities_query.activities(sample_engine, Filters(), ("year",)).set_index("year")
    assert by_year["activities"].to_dict() == raw.groupby("year")["activities"].sum().to_dict()
    by_unit = activities_query.activities(sample_engine, Filters(), ("unit", "year"))
    expected = raw.groupby(["unit_code", "year"])["activities"].sum().to_dict()
    assert by_unit.set_index(["unit_code", "year"])["activities"].to_dict() == expected
    ingest.rollback(sample_engine, committed_batch(report), user="t")
    summary = activities_query.activities(sample_engine, Filters(), ("campaign",))
    assert {r.campaign: (r.activities, r.participants) for r in summary.itertuples()} == before
    raw = _raw_activities(sample_engine)
    by_unit = activities_query.activities(sample_engine, Filters(), ("unit", "year"))
    expected = raw.groupby(["unit_code", "year"])["activities"].sum().to_dict()
    assert by_unit.set_index(["unit_code", "year"])["activities"].to_dict() == expected
