"""Page timings for the benchmark, run in a fresh process by devtools.bench:
`python devtools/bench_pages.py` with DATABASE_URL set (kept out of data_access: it drives Streamlit).

Prints one JSON line: per page the first run (from cold data caches), a cached repeat (the median
of CACHED_RERUNS reruns, with the slowest of them) and a run with a new filter combination
(uncached), each the median of ROUNDS rounds (BENCH_ROUNDS), also for a reference script;
and the process's peak memory after visiting every page.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test  # noqa: E402

from data_access.auth import Identity  # noqa: E402
from devtools.bench import CHANGED_QUERY, FIRST_QUERY, PAGES, peak_rss_mb  # noqa: E402

ADMIN = Identity("bench", "admin")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Cached reruns timed per round: one rerun alone is a single sample that a garbage collection or
# the database server's own background work can double (a PostgreSQL page measured 37 and 60 ms
# on the same code); the median of five is what a repeat costs, the slowest is kept beside it.
CACHED_RERUNS = 5
TIMEOUT = 600

REFERENCE = """
import streamlit as st
from data_access.db.engine import get_engine
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate

@st.cache_data
def load(year_from, year_to):
    return aggregate(get_engine(), Filters(year_from=year_from, year_to=year_to), by=("agency",),
                     indicators=["staff_total", "staff_female"])

q = st.query_params
frame = load(int(q.get("tu", 2018)), int(q.get("den", 2026)))
st.bar_chart(frame, x="agency_code", y="staff_female_pct")
"""


def _timed(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    return round(1000 * (time.perf_counter() - started))


def _app(page: str | None, query: dict[str, str]) -> AppTest:
    at = (
        AppTest.from_string(REFERENCE, default_timeout=TIMEOUT)
        if page is None
        else AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    )
    at.session_state["identity"] = ADMIN
    for key, value in query.items():
        at.query_params[key] = value
    return at


def measure(page: str | None) -> dict[str, float]:
    """The median of ROUNDS rounds: this 2-core machine varies by half from run to run."""
    rounds = [_measure_once(page) for _ in range(ROUNDS)]
    timing = {
        key: statistics.median(r[key] for r in rounds)
        for key in rounds[0]
        if key != "cached_max_ms"
    }
    timing["cached_max_ms"] = max(r["cached_max_ms"] for r in rounds)  # the slowest of all
    return timing


def _cached(at: AppTest) -> tuple[float, float]:
    """The median and the slowest of CACHED_RERUNS reruns of what `at` has just run."""
    times = [_timed(at) for _ in range(CACHED_RERUNS)]
    return statistics.median(times), max(times)


def _measure_once(page: str | None) -> dict[str, float]:
    st.cache_data.clear()  # every round starts from cold data caches
    at = _app(page, FIRST_QUERY)
    if page in (None, "overview"):  # the reference, or the default page the app's first run draws
        first = _timed(at)
        cached, cached_max = _cached(at)
    else:
        at.run()  # the router's run (the overview), then the page itself
        at.switch_page(str(ROOT / "pages" / f"{page}.py"))
        first = _timed(at)
        cached, cached_max = _cached(at)
    # Nothing cached from the runs above: some pages (tracking) ignore the sidebar filters, and a
    # new filter combination must not find their results already cached.
    st.cache_data.clear()
    changed = _app(page, CHANGED_QUERY)
    if page in (None, "overview"):  # the first run draws it: a switch to it would be cached
        uncached = _timed(changed)
    else:
        changed.run()
        changed.switch_page(str(ROOT / "pages" / f"{page}.py"))
        uncached = _timed(changed)
    return {
        "first_ms": first,
        "cached_ms": cached,
        "cached_max_ms": cached_max,
        "uncached_ms": uncached,
    }


def _ensure_account() -> None:
    """The app checks the session's account on every rerun: it must exist, enabled, admin."""
    from data_access import auth
    from data_access.db.engine import get_engine

    engine = get_engine()
    try:
        auth.account(engine, ADMIN.username)
    except ValueError:
        auth.create_user(
            engine, ADMIN.username, ADMIN.role, auth.generate_password(), actor="bench"
        )


class _ServedPages(PagesManager):
    """AppTest sets Streamlit's pages-folder switch back to unknown before every run, so each run
    found pages/ beside app.py and went through Streamlit's old pages-folder mode first (a menu of
    the files, a second navigation and a second compile of app.py: a cached leadership rerun at a
    million submissions took 50 ms with it and 33 without, alternated in one process). The
    server turns that mode off before the first session (ui/server.lifespan), and so does this,
    so a page is timed as served."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


def as_served() -> None:
    app_test.PagesManager = _ServedPages  # type: ignore[misc]


def main() -> None:
    _ensure_account()
    as_served()
    # As `streamlit run` does before the first session (ui/server.lifespan): the app's modules
    # imported, then their objects kept out of the garbage collector's full passes.
    import app  # noqa: F401
    from ui import server

    server.freeze_start_up_objects()
    reference = measure(None)
    pages = {}
    for page in PAGES:
        timing = measure(page)
        timing["uncached_ratio"] = round(
            timing["uncached_ms"] / max(reference["uncached_ms"], 1), 1
        )
        pages[page] = timing
    peak = peak_rss_mb()
    print(json.dumps({"reference": reference, "pages": pages, "peak_rss_mb": peak}))


if __name__ == "__main__":
    main()
