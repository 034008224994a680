"""The address the browser asked for, so that one which names no page of the app gets a notice of
our own instead of Streamlit's English "Page not found" dialog (sent whenever st.navigation is
given no page for the address)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import streamlit as st

NOT_FOUND_TITLE = "Không tìm thấy trang"


def unknown_page(known: set[str]) -> str | None:
    """The requested page's name when it is none of `known`, else None. Streamlit gives the
    browser's address (st.context.url) and the app's own path behind a proxy (baseUrlPath)."""
    name = page_name(st.context.url, str(st.get_option("server.baseUrlPath") or ""))
    return None if not name or name in known else name


def page_name(url: str | None, base: str) -> str | None:
    """The page an address names after the app's base path: "" at the root, None when there is no
    address or the rest is more than one segment (a page's url_path is one)."""
    if not url:
        return None
    path = urlsplit(url).path.strip("/")
    base = base.strip("/")
    if base and (path == base or path.startswith(f"{base}/")):
        path = path[len(base) :].strip("/")
    return None if "/" in path else path


def not_found(first: st.Page) -> Callable[[], None]:
    """The page for an address that names no page: a notice (the address is not echoed back) and
    the way to the user's first page."""

    def render() -> None:
        st.warning(
            "Địa chỉ này không dẫn tới trang nào của ứng dụng. Hãy kiểm tra lại đường dẫn.",
            icon=":material/link_off:",
        )
        st.page_link(first, label=f"Về trang {first.title}", icon=first.icon)

    return render
