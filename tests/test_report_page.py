"""The report page under AppTest: the national report offered to accounts scoped to every
agency only, the heading and signer editable, the Word file built."""

import pytest
from sqlalchemy import Engine

from data_access.auth import Identity
from tests.apptest import SECRETARIAT_BHXH, VIEWER, open_app

PAGE = "pages/report.py"


@pytest.mark.parametrize(
    ("identity", "national_offered"), [(VIEWER, True), (SECRETARIAT_BHXH, False)]
)
def test_the_national_report_is_offered_to_all_agency_accounts_only(
    app_db: Engine, identity: Identity, national_offered: bool
) -> None:
    at = open_app(identity, PAGE)
    agency = at.selectbox(key="rep_agency")
    assert any("báo cáo toàn quốc" in o for o in agency.options) == national_offered
    # The Word file is built on request: a button first, then the download.
    assert not at.get("download_button")
    next(b for b in at.button if b.label == "Tạo báo cáo Word").click().run()
    assert not at.exception and not at.error
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Tải báo cáo (Word)" in labels
    assert not [b for b in at.button if b.label == "Tạo báo cáo Word"]
    assert any(t.label == "Họ và tên người ký" for t in at.text_input)
