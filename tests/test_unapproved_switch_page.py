"""The switch "gồm báo cáo chưa duyệt" in the leadership pages' sidebar, under AppTest."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.apptest import VIEWER, open_app
from tests.test_unapproved_switch import _fresh_units, _submit
from ui.filters import UNAPPROVED_KEY, Selection


def _sidebar_captions(at) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def test_the_switch_is_off_by_default_and_counts_what_it_includes(app_db: Engine) -> None:
    _submit(app_db, _fresh_units(app_db)[0], 40, 20)  # a 2026-H1 report
    at = open_app(VIEWER, "pages/overview.py", query={"ky": "H1"})
    switch = at.toggle(key="f_unapproved")
    assert switch.value is False
    assert not any("chưa duyệt" in c for c in _sidebar_captions(at))
    switch.set_value(True).run()
    assert not at.exception
    assert "Đang gồm 1 báo cáo chưa duyệt." in _sidebar_captions(at)
    assert at.query_params[UNAPPROVED_KEY] in ("1", ["1"])


def test_the_switch_round_trips_through_the_url(app_db: Engine) -> None:
    at = open_app(VIEWER, "pages/overview.py", query={UNAPPROVED_KEY: "1"})
    assert at.toggle(key="f_unapproved").value is True
    assert Selection(unapproved=True).filters().include_unapproved
    assert "Chưa có báo cáo nào đang chờ duyệt trong phạm vi đã chọn." in _sidebar_captions(at)
