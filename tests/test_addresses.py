"""The page an address names, read after the app's base path (ui.addresses.page_name)."""

import pytest

from ui.addresses import page_name


@pytest.mark.parametrize(
    ("url", "base", "name"),
    [
        ("http://localhost:8501/khong-co", "", "khong-co"),
        ("http://localhost:8501/khong-co/", "", "khong-co"),
        ("http://localhost:8501", "", ""),
        ("https://bdg.example.vn/ban-vstbpn/tong-quan", "ban-vstbpn", "tong-quan"),
        ("https://bdg.example.vn/ban-vstbpn", "/ban-vstbpn/", ""),
        ("https://bdg.example.vn/ban-vstbpn-cu/x", "ban-vstbpn", None),  # not under the base
        ("http://localhost:8501/a/b", "", None),  # two segments: no page's address
        (None, "", None),
    ],
)
def test_page_name(url: str | None, base: str, name: str | None) -> None:
    assert page_name(url, base) == name
