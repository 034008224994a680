"""The deadline-rush bench (devtools.bench_submit_rush) at a small size, on both backends: it
reports every figure, nothing is refused or lost, and the summary equals a recount. No timing
is asserted; the figures at national scale come from `make bench`."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, update

from data_access.db import catalogue
from data_access.db.models import Period, Unit
from data_access.db.value_tables import tables
from devtools import bench, bench_submit_rush

STEPS = ("open", "save", "submit", "accept")


@pytest.mark.slow
def test_a_small_rush_reports_every_figure_and_loses_nothing(sample_engine: Engine) -> None:
    url = sample_engine.url.render_as_string(hide_password=False)
    result = bench_submit_rush.run(url, sessions=3, reports=30, processes=1)
    for step in STEPS:
        figures = result[step]
        assert figures["n"] == 30, step
        assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"], step
    assert result["submissions_in_database"] > 0
    assert result["replaced"] + result["added"] == 30
    assert result["refused"] == 0
    assert result["lost_updates"] == 0 and result["lost_units"] == []
    assert result["summary_differences"] == 0
    # A second rush on the same database takes units that have not reported yet.
    again = bench_submit_rush.run(url, sessions=3, reports=30, processes=1)
    assert again["lost_updates"] == 0 and again["summary_differences"] == 0
    lines = bench_submit_rush.table(result)
    assert "30 reports by 3 sessions" in lines and "p95" in lines and "target ≤ 300" in lines


def test_the_checks_catch_a_figure_lost_or_changed_behind_the_workflow(
    sample_engine: Engine,
) -> None:
    """The checks can fail: a figure other than the one sent, in the report or in the stored
    submission, is a lost update, and a submission changed without its summary shows."""
    url = sample_engine.url.render_as_string(hide_password=False)
    units = bench_submit_rush.rush_units(sample_engine, 2)
    with sample_engine.connect() as conn:
        cat = catalogue.load(conn)
    sent = {
        code: bench_submit_rush.typed_fields(cat, code, agency, draft=False)
        for code, agency in units
    }
    # The same two units.
    result = bench_submit_rush.run(url, sessions=1, reports=2, processes=1)
    assert result["lost_updates"] == 0
    period = bench_submit_rush.PERIOD
    assert bench_submit_rush.lost_updates(sample_engine, period, sent, accepted=True) == []
    code = units[0][0]
    other = {**sent, code: {**sent[code], "staff_total": "1"}}
    assert bench_submit_rush.lost_updates(sample_engine, period, other, accepted=True) == [code]
    submissions, _ = tables(cat)
    with sample_engine.begin() as conn:
        period_id = conn.execute(select(Period.id).where(Period.code == period)).scalar()
        unit_id = conn.execute(select(Unit.id).where(Unit.code == code)).scalar()
        conn.execute(
            update(submissions)
            .where(submissions.c.period_id == period_id, submissions.c.unit_id == unit_id)
            .values(staff_total=submissions.c.staff_total + 1)
        )
    assert bench_submit_rush.lost_updates(sample_engine, period, sent, accepted=True) == [code]
    assert bench_submit_rush.summary_differences(sample_engine, period) == 1


def test_the_bench_table_carries_the_rush(sample_engine: Engine) -> None:
    rush = {
        "sessions": 3,
        "secretaries": 1,
        "reports": 30,
        "submissions_in_database": 100,
        "replaced": 20,
        "added": 10,
        "rush_seconds": 1.0,
        "accept_seconds": 1.0,
        "refused": 0,
        "lost_updates": 0,
        "summary_differences": 0,
        "target_p95_ms": 300.0,
        **{s: {"p50_ms": 1.0, "p95_ms": 2.0, "max_ms": 3.0, "n": 30} for s in STEPS},
    }
    summary = bench.table(
        {
            "scale": {"units": 1, "years": 1},
            "backends": {
                sample_engine.dialect.name: {
                    "load": {"load_seconds": 0},
                    "ingestion": dict.fromkeys(
                        (
                            "rows",
                            "seconds",
                            "rows_per_s",
                            "raw_seconds",
                            "raw_rows_per_s",
                            "ratio",
                            "bare_raw_seconds",
                            "bare_ratio",
                            "peak_rss_mb",
                            "commit_peak_rss_mb",
                        ),
                        1,
                    ),
                    "pages": {
                        "reference": {"first_ms": 1, "cached_ms": 1, "uncached_ms": 1},
                        "pages": {},
                        "peak_rss_mb": 1,
                    },
                    "submit_rush": rush,
                }
            },
        }
    )
    assert f"[{sample_engine.dialect.name}] deadline rush: 30 reports by 3 sessions" in summary
    assert "submit  p50 1.0 ms, p95 2.0 ms (target ≤ 300)" in summary
