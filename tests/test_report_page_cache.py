"""Báo cáo tổng hợp reads its content and builds its Word file once per selection: a rerun of the
page (an edited signer, a switch back from another page) finds both in the cache, where every
rerun used to read the period's reports again (two seconds of CPU at national scale)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine

from data_access.documents import report as report_document
from tests.apptest import VIEWER, open_app

PAGE = "pages/report.py"


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """Count the calls of the real report_document.`name` (it still runs)."""
    calls: list[int] = []
    real: Callable[..., Any] = getattr(report_document, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_document, name, counted)
    return calls


def test_reruns_reuse_the_content_and_the_word_file(
    app_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    st.cache_data.clear()
    contents = _counting(monkeypatch, "report_content")
    documents = _counting(monkeypatch, "to_docx")
    at = open_app(VIEWER, PAGE)
    # The page draws its preview without the Word file: that is built when asked for.
    assert (len(contents), len(documents)) == (1, 0)
    next(b for b in at.button if b.label == "Tạo báo cáo Word").click().run()
    assert (len(contents), len(documents)) == (1, 1)
    at.run()
    assert (len(contents), len(documents)) == (1, 1)
    # An edit to the document's heading builds the file again, from the same content.
    signer = next(t for t in at.text_input if t.label == "Họ và tên người ký")
    signer.input("Nguyễn Thị A").run()
    assert not at.exception
    assert (len(contents), len(documents)) == (1, 2)
