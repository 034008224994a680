"""Submission tracking against the sample data."""

import datetime as dt

from sqlalchemy import Engine

from data_access import ingest
from data_access.domain.filters import Filters
from data_access.queries import tracking
from devtools.sample_generator import SampleGenerator


def test_expected_received_on_time_late_missing(shared_sample_engine: Engine) -> None:
    units = tracking.unit_status(shared_sample_engine, "2026-H1")
    generator = SampleGenerator()
    expected = {u.code for u in generator.units if u.expected(generator.periods[-1])}
    assert set(units["unit_code"]) == expected
    total = tracking.rates(shared_sample_engine, "2026-H1").iloc[0]
    counts = units["status"].value_counts()
    assert total["expected"] == len(units)
    assert (total["on_time"], total["late"], total["missing"]) == (
        counts["on_time"],
        counts["late"],
        counts["missing"],
    )
    assert total["reporting_rate"] == 100 * (total["on_time"] + total["late"]) / total["expected"]
    late = units[units["status"] == "late"]
    assert (late["days_late"] > 0).all()
    assert (late["received_at"].dt.date > dt.date(2026, 6, 15)).all()
    assert units.loc[units["status"] == "missing", "received_at"].isna().all()


def test_rates_by_agency_add_up(shared_sample_engine: Engine) -> None:
    total = tracking.rates(shared_sample_engine, "2025-Y").iloc[0]
    by_agency = tracking.rates(shared_sample_engine, "2025-Y", ("agency",))
    assert by_agency["expected"].sum() == total["expected"]
    assert "LDTBXH" not in set(by_agency["agency_code"])  # closed before the due date
    by_province = tracking.rates(shared_sample_engine, "2025-Y", ("province",))
    assert len(by_province) == 34 and by_province["missing"].sum() == total["missing"]


def test_the_one_pass_overview_equals_the_grouped_rates(shared_sample_engine: Engine) -> None:
    f = Filters(agencies=("BHXH", "THADS"))
    overview = tracking.overview(shared_sample_engine, "2025-Y", f)
    columns = ["expected", "on_time", "late", "missing", "received", "reporting_rate"]
    for got, by in (
        (overview.total, ()),
        (overview.by_agency, ("agency",)),
        (overview.by_province, ("province",)),
    ):
        expected = tracking.rates(shared_sample_engine, "2025-Y", by, f)
        assert len(got) == len(expected) > 0
        assert got[columns].reset_index(drop=True).equals(expected[columns])


def test_units_to_chase_are_the_late_and_missing_ones(shared_sample_engine: Engine) -> None:
    every = tracking.unit_status(shared_sample_engine, "2026-H1")
    chase = tracking.unit_status(shared_sample_engine, "2026-H1", statuses=("late", "missing"))
    assert 0 < len(chase) < len(every)
    assert chase.equals(every[every["status"] != "on_time"].reset_index(drop=True))


def test_scope_limits_tracking(shared_sample_engine: Engine) -> None:
    scoped = tracking.unit_status(shared_sample_engine, "2026-H1", Filters(scope=("BHXH",)))
    assert set(scoped["agency_code"]) == {"BHXH"}


def test_an_upload_turns_a_missing_unit_into_a_late_one(sample_engine: Engine) -> None:
    before = tracking.unit_status(sample_engine, "2026-H1")
    missing = before[before["status"] == "missing"].iloc[0]["unit_code"]
    content = f"unit_code,period,staff_total,staff_female\n{missing},2026-H1,50,20\n".encode()
    report = ingest.commit(
        sample_engine,
        "late.csv",
        content,
        user="t",
        accept_warnings=True,
        today=dt.date(2026, 11, 22),
    )
    assert report.committed
    after = tracking.unit_status(sample_engine, "2026-H1").set_index("unit_code")
    assert after.at[missing, "status"] == "late" and after.at[missing, "days_late"] > 100
