"""ui.server.lifespan: before the first session, the objects the app's modules made are frozen out
of the garbage collector's full passes (issue 18: a full pass over ~200,000 objects took
100–175 ms inside page runs), and Streamlit's pages/ mode is off."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
from streamlit.runtime.pages_manager import PagesManager

from ui import server


@pytest.fixture
def thawed() -> Iterator[None]:
    """The test process's collector as it was: nothing frozen before, nothing left frozen."""
    gc.unfreeze()
    pages_dir = PagesManager.uses_pages_directory
    yield
    gc.unfreeze()
    PagesManager.uses_pages_directory = pages_dir


def _start(app: object = None) -> None:
    """Runs the lifespan up to the point the server starts serving, then ends it."""

    async def run() -> None:
        async with server.lifespan(app):
            pass

    asyncio.run(run())


def test_start_up_freezes_what_the_modules_made(thawed: None) -> None:
    assert gc.get_freeze_count() == 0
    _start()
    frozen = gc.get_freeze_count()
    # The app's modules are imported in this process (ui.server, Streamlit, the test suite's):
    # tens of thousands of objects at least.
    assert frozen > 10_000
    assert PagesManager.uses_pages_directory is False


def test_a_full_collection_after_start_up_walks_only_what_came_since(thawed: None) -> None:
    # gc.get_objects() lists what a full collection walks: the frozen objects are not among them.
    walked_before = len(gc.get_objects())
    _start()
    made_since = [[i] for i in range(1_000)]  # lists: always tracked by the collector
    walked_after = gc.get_objects()
    assert len(walked_after) < walked_before / 2
    assert all(any(row is o for o in walked_after) for row in made_since[:3])
