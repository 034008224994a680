"""The caption under a page's title names what its figures cover: a user scoped to an agency
reads that agency, not "mọi ngành", when no agency is chosen."""

from sqlalchemy import Engine

from data_access.auth import Identity
from tests.apptest import SECRETARIAT_BHXH, VIEWER, open_app


def _selection_caption(identity: Identity) -> str:
    at = open_app(identity, "pages/gender_ratio.py")
    return next(c.value for c in at.caption if c.value.startswith("Báo cáo năm · "))


def test_a_scoped_user_reads_their_agency(app_db: Engine) -> None:
    caption = _selection_caption(SECRETARIAT_BHXH)
    assert " · BHXH · " in caption and "mọi ngành" not in caption


def test_an_unscoped_user_reads_every_agency(app_db: Engine) -> None:
    assert " · mọi ngành · cả nước" in _selection_caption(VIEWER)
