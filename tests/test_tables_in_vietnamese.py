"""Issue #17 item 6: the tables a page shows hold Vietnamese text only, never a raw value: no
"None"/"nan", no period code ("2018-Y") or code-set value ("2025"), no number without its
thousands separator ("1873") or with a decimal point."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from sqlalchemy import Engine

from tests.apptest import ADMIN, open_app

RAW = re.compile(r"^(?:None|nan|NaN|NaT|<NA>|\d{4}-(?:Y|H1)|\d{4,}|\d+\.\d{1,2}%?)$")


def _raw_cells(frame: pd.DataFrame) -> list[str]:
    cells = [str(v) for v in frame.astype(object).to_numpy().ravel()]
    return [c for c in cells if RAW.match(c)]


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("pages/explore.py", {"ky": "Y", "tu": "2018", "den": "2025"}),
        ("pages/explore.py", {"ky": "H1"}),
        ("pages/tracking.py", {}),
    ],
)
def test_no_table_shows_a_raw_value(app_db: Engine, page: str, query: dict[str, str]) -> None:
    at = open_app(ADMIN, page, query)
    frames = [d.value for d in at.dataframe]
    assert frames, page
    for frame in frames:
        assert _raw_cells(frame) == [], (page, _raw_cells(frame)[:10])
