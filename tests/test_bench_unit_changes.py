"""The province-merger bench is part of `python -m devtools bench`: it runs in a database of its
own beside the bench's (it empties the one it is given) and its figure is in the summary."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from data_access.db.engine import get_engine
from data_access.db.models import Unit
from devtools import bench


@pytest.mark.slow
def test_the_province_merger_bench_runs_beside_the_bench_database(
    sample_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path)
    url = sample_engine.url.render_as_string(hide_password=False)
    with sample_engine.connect() as conn:
        units_before = conn.execute(select(func.count()).select_from(Unit)).scalar_one()
    figure = bench.unit_changes(url, rounds=1)
    assert figure["units"] == 800 and figure["province_merger_seconds"] > 0
    assert figure["target_seconds"] == 2.0
    with sample_engine.connect() as conn:  # the bench's own database is untouched
        assert conn.execute(select(func.count()).select_from(Unit)).scalar_one() == units_before
    scratch = get_engine(bench.scratch_url(url, "check"))
    assert scratch.url.database != sample_engine.url.database
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
                    "unit_changes": figure,
                }
            },
        }
    )
    assert "province merger of 800 units" in summary
