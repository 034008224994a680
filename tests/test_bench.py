"""The benchmark works end to end at a small scale and reports every figure (no timing asserts)."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from devtools import bench
from devtools.__main__ import main


@pytest.mark.slow
def test_small_bench_reports_every_figure(databases, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path)
    engine: Engine = databases.fresh("empty")
    url = engine.url.render_as_string(hide_password=False)
    out = tmp_path / "results.json"
    assert (
        main(
            [
                "--database-url",
                url,
                "bench",
                "--units",
                "1500",
                "--years",
                "2",
                "--ingest-rows",
                "1000",
                "--rounds",
                "1",
                "--browser-sessions",
                "0",  # the browser bench has its own test (tests/e2e/test_browser_bench.py)
                "--rush-sessions",
                "3",
                "--rush-reports",
                "30",  # the rush's own test is tests/test_bench_submit_rush.py
                "--rush-processes",
                "1",  # the rush over processes: tests/test_bench_rush_processes.py
                "-o",
                str(out),
            ]
        )
        == 0
    )
    results = json.loads(out.read_text())
    entry = results["backends"][engine.dialect.name]
    assert entry["load"]["submissions"] > 1000
    ingestion = entry["ingestion"]
    assert (
        ingestion["committed"]
        and ingestion["errors"] == 0
        and ingestion["inserted"] == ingestion["rows"] >= 1000
    )
    for key in (
        "seconds",
        "rows_per_s",
        "raw_seconds",
        "raw_rows_per_s",
        "ratio",
        "bare_raw_seconds",
        "bare_ratio",
        "peak_rss_mb",
        "commit_peak_rss_mb",
    ):
        assert ingestion[key] > 0, key
    pages = entry["pages"]
    assert set(pages["pages"]) == set(bench.PAGES)
    for timing in [pages["reference"], *pages["pages"].values()]:
        assert {"first_ms", "cached_ms", "cached_max_ms", "uncached_ms"} <= set(timing)
        assert 0 < timing["cached_ms"] <= timing["cached_max_ms"]
    assert pages["peak_rss_mb"] > 0
    rush = entry["submit_rush"]
    assert rush["reports"] == rush["submit"]["n"] == rush["accept"]["n"] == 30
    assert rush["lost_updates"] == rush["summary_differences"] == 0
    assert results["machine"]["cpus"] >= 1 and "units" in results["scale"]
