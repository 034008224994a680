"""“Tải bản tóm tắt” on every leadership page, under AppTest."""

import pytest
from sqlalchemy import Engine

from tests.apptest import VIEWER, open_app

LEADERSHIP_PAGES = [
    "pages/overview.py",
    "pages/gender_ratio.py",
    "pages/leadership.py",
    "pages/capacity.py",
    "pages/campaigns.py",
    "pages/provinces.py",
    "pages/gender_index.py",
]


@pytest.mark.parametrize("page", LEADERSHIP_PAGES)
def test_every_leadership_page_offers_the_briefing_pack(app_db: Engine, page: str) -> None:
    at = open_app(VIEWER, page)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Tải bản tóm tắt (PDF)" in labels
    assert "Tải bản tóm tắt (PowerPoint)" in labels
