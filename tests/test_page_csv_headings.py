"""Every CSV a leadership page offers beside its charts and tables reads in Vietnamese: no column
headed by its code (indicators by their labels, counts and shares by what they count) and no
unit level as a code ("district")."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import Engine

from data_access.analytics.exports import to_csv_vi
from data_access.domain.filters import LEVELS
from tests.apptest import VIEWER, open_app
from ui import page as ui_page

PAGES = [
    "pages/overview.py",
    "pages/gender_ratio.py",
    "pages/leadership.py",
    "pages/campaigns.py",
    "pages/capacity.py",
    "pages/provinces.py",
    "pages/unit.py",
]
CODE_LIKE = re.compile(r"[a-z0-9_]+")


@pytest.fixture
def offered(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Callable[[], Any]]]]:
    """(file name, data) of each CSV the pages hand to ui.page's download button, on the way
    into Streamlit's real button."""
    seen: list[tuple[str, Callable[[], Any]]] = []
    real = st.download_button

    def recording(label: str, data: Any, file_name: str, **kwargs: Any) -> Any:
        seen.append((file_name, data))
        return real(label, data, file_name, **kwargs)

    monkeypatch.setattr(ui_page.st, "download_button", recording)
    yield seen


@pytest.mark.parametrize("page", PAGES)
def test_page_csvs_name_their_columns_in_vietnamese(
    app_db: Engine, offered: list[tuple[str, Callable[[], Any]]], page: str
) -> None:
    open_app(VIEWER, page)
    files = [(name, data) for name, data in offered if name.endswith(".csv")]
    assert files, f"{page} offers no CSV"
    problems = {}
    for name, data in files:
        written = data() if callable(data) else data
        rows = list(csv.reader(io.StringIO(written.decode("utf-8-sig")), delimiter=";"))
        headings = rows[0]
        if raw := [h for h in headings if CODE_LIKE.fullmatch(h)]:
            problems[name] = raw
        if "Cấp" in headings:
            column = headings.index("Cấp")
            if codes := {r[column] for r in rows[1:]} & set(LEVELS):
                problems[name + " (cấp)"] = sorted(codes)
    assert not problems


@pytest.mark.parametrize(
    ("column", "value", "written"),
    [
        ("staff_female_pct", 53.65, "53,7"),  # half up, as Excel: Python's round gives 53,6
        ("staff_female_pct", 6.25, "6,3"),
        ("staff_female_pct", 51.91273025715849, "51,9"),
        ("reporting_rate", 95.83333333333333, "95,8"),
        ("staff_female_pct", None, ""),
        ("representation", 0.8986029265122438, "0,90"),  # a ratio, to two places as shown
        ("representation", 1.045, "1,05"),  # half up (float 1.045 is 1.04499…: read as typed)
        ("representation", 0.995, "1,00"),
    ],
)
def test_percent_columns_are_written_rounded_half_up(
    column: str, value: float | None, written: str
) -> None:
    frame = pd.DataFrame({column: pd.Series([value], dtype="float64")})
    (row,) = list(csv.reader(io.StringIO(to_csv_vi(frame).decode("utf-8-sig")), delimiter=";"))[1:]
    assert row == [written]
