"""The deadline rush spread over app processes (devtools.bench_submit_rush, PROCESSES): each
process reports its own share of the units, and the figures of all come back together, with
nothing refused or lost. No timing is asserted."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from devtools import bench_submit_rush


@pytest.mark.slow
def test_two_processes_report_every_unit_once_and_lose_nothing(
    sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench_submit_rush, "START_DELAY_S", 3.0)
    url = sample_engine.url.render_as_string(hide_password=False)
    units = bench_submit_rush.rush_units(sample_engine, 8)
    result = bench_submit_rush.run(url, sessions=4, reports=8, processes=2)
    assert result["processes"] == 2
    for step in ("open", "save", "submit", "accept"):
        assert result[step]["n"] == 8, step
    assert result["refused"] == 0 and result["lost_updates"] == 0
    assert result["summary_differences"] == 0
    # The units the rush took are the ones it reported: a second rush finds them all taken.
    assert set(bench_submit_rush.rush_units(sample_engine, 8)).isdisjoint(units)
    assert "in 2 app processes" in bench_submit_rush.table(result)


def test_sessions_that_do_not_spread_evenly_are_refused(sample_engine: Engine) -> None:
    url = sample_engine.url.render_as_string(hide_password=False)
    with pytest.raises(ValueError, match="spread evenly"):
        bench_submit_rush.run(url, sessions=3, reports=6, processes=2)
