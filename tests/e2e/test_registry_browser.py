"""The first administrator of an empty database in a real browser: lands on Thiết lập, imports
the organisation registry through the page, and the units are there. Its own server: it writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from data_access import auth
from data_access.db.engine import dispose_engine, get_engine
from data_access.registry import setup
from data_access.schema import init_db
from tests.e2e.actions import metric, settle
from tests.e2e.server import StreamlitServer, wait_for_app

DATA = Path(__file__).resolve().parents[1] / "data" / "registry"
PASSWORD = "mat-khau-quan-tri-dau-tien"


@pytest.fixture(scope="module")
def empty_server(
    tmp_path_factory: pytest.TempPathFactory, browser
) -> Iterator[tuple[StreamlitServer, str]]:
    """init-db without --sample, then the first administrator, as the README says."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-empty') / 'empty.db'}"
    engine = get_engine(url)
    init_db(engine)
    auth.create_user(engine, "quantri1", "admin", PASSWORD)
    dispose_engine(url)
    with StreamlitServer(url) as running:
        warm = browser.new_page()
        warm.goto(running.base_url)
        wait_for_app(warm)
        warm.close()
        yield running, url


def test_first_admin_imports_the_registry_in_the_browser(empty_server, page) -> None:
    server, url = empty_server
    page.goto(server.base_url)
    settle(page)
    page.get_by_label("Tên đăng nhập").fill("quantri1")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("heading", name="Thiết lập", level=1)).to_be_visible(timeout=60_000)
    settle(page)
    assert metric(page, "Đơn vị") == "0"

    page.locator("input[type='file']").set_input_files(str(DATA / "nhnn_units.csv"))
    expect(page.get_by_role("button", name="Ghi danh mục")).to_be_visible(timeout=60_000)
    assert metric(page, "Mục mới") == "37"
    page.get_by_role("button", name="Ghi danh mục").click()
    expect(page.get_by_text("Đã ghi lô 1")).to_be_visible(timeout=60_000)
    settle(page)
    assert metric(page, "Đơn vị") == "36"
    assert not setup.is_empty(get_engine(url))
