"""Formatted tables and takeaway sentences are cached by their inputs (issue #18): the same
input reads the same text back, any change in a value gives the text of the new value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access.db.catalogue import Catalogue, IndicatorDef
from ui import fmt, page


def test_a_formatted_table_follows_its_values() -> None:
    frame = pd.DataFrame({"name": ["A", "B"], "share": [53.55, np.nan], "n": [1520, 3]})
    first = fmt.table(frame, pcts=["share"], ints=["n"])
    assert first["share"].tolist() == ["53,6%", "–"]
    assert first["n"].tolist() == ["1.520", "3"]
    assert fmt.table(frame, pcts=["share"], ints=["n"]).equals(first)  # read back
    changed = frame.assign(share=[53.54, 10.0])
    assert fmt.table(changed, pcts=["share"], ints=["n"])["share"].tolist() == ["53,5%", "10,0%"]
    assert fmt.table(frame, decimals={"share": 2})["share"].tolist() == ["53,55", "–"]
    assert frame["share"].iloc[0] == 53.55  # the input is left as it was


def test_a_takeaway_of_another_module_is_refused() -> None:
    with pytest.raises(ValueError, match="not a reading"):
        page.takeaway_of(str, [1])


def test_a_takeaway_is_read_once_per_input() -> None:
    at = AppTest.from_string(
        """
import pandas as pd
import streamlit as st
from data_access.views import takeaways
from ui import page

calls = st.session_state.setdefault("calls", [])
real = takeaways.pipeline

def counted(frame):
    calls.append(len(frame))
    return real(frame)

counted.__name__ = "pipeline"
takeaways.pipeline = counted
try:
    frame = pd.DataFrame({"stage": ["staff", "managers"], "label": ["CCVC", "Lãnh đạo"],
                          "female_pct": [60.0, 40.0], "female": [60, 4], "total": [100, 10],
                          "drop": [None, 20.0]})
    page.takeaway_of(counted, frame)
    page.takeaway_of(counted, frame.copy())
    page.takeaway_of(counted, frame.assign(female_pct=[60.0, 30.0]))
finally:
    takeaways.pipeline = real
"""
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["calls"] == [2, 2]  # the copy read back, the change read anew
    assert len(at.markdown) == 3


def test_a_pair_label_from_the_catalogue() -> None:
    catalogue = Catalogue(
        [
            IndicatorDef(
                "staff_total", "Tổng số CCVC", "I.2", kind="stock", pair="staff", role="total"
            ),
            IndicatorDef(
                "staff_female", "Tổng số CCVC", "I.2", kind="stock", pair="staff", role="female"
            ),
        ]
    )
    assert catalogue.pair_label("staff") == catalogue.pairs["staff"].label_vi
    assert catalogue.pair_label("unknown_pair") == "unknown_pair"


def test_a_grid_is_the_formatted_columns_as_arrow() -> None:
    frame = pd.DataFrame(
        {"code": ["a", "b"], "name": ["A", "B"], "share": [53.55, np.nan], "n": [1520, 3]}
    )
    grid = fmt.grid(frame, ["name", "n", "share"], pcts=["share"], ints=["n"])
    assert grid.column_names == ["name", "n", "share"]
    assert grid.to_pydict() == {"name": ["A", "B"], "n": ["1.520", "3"], "share": ["53,6%", "–"]}
    again = fmt.grid(frame.copy(), ["name", "n", "share"], pcts=["share"], ints=["n"])
    assert again.equals(grid)
    assert fmt.grid(frame, ["name"]).to_pydict() == {"name": ["A", "B"]}
