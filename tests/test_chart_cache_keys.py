"""The keys the pages' caches take (issue #18: Streamlit's hashing of a chart's frame, 3 ms, and of
a selection, 0,3 ms, on every rerun of a cached page): equal inputs give one key however they
were built, and any difference in a value, a label or a type gives another."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access.domain.filters import Filters
from data_access.domain.province_sets import ProvinceSet
from ui.cache_keys import frame_key as _frame_key


def _frame() -> pd.DataFrame:
    names = ["Bảo hiểm xã hội Việt Nam", "Bộ Nội vụ", None]
    frame = pd.DataFrame(
        {
            "agency_name": pd.array(names, dtype="str"),
            "staff_total": [1520, 300, 0],
            "staff_female_pct": [53.6, 53.3, np.nan],
            "year": [2024, 2024, 2024],
        }
    )
    frame["label"] = frame["agency_name"].str.upper()  # a block of its own, added later
    return frame


def test_a_frame_read_back_from_the_cache_has_the_key_it_had() -> None:
    frame = _frame()
    # st.cache_data hands back an unpickled copy: values shared as one object in the frame as
    # computed are separate objects in the copy (the frame's own pickle then differed).
    assert _frame_key(pickle.loads(pickle.dumps(frame))) == _frame_key(frame)
    assert _frame_key(frame.copy()) == _frame_key(frame)


def test_the_same_rows_built_another_way_have_the_same_key() -> None:
    frame = _frame()
    rebuilt = pd.DataFrame({name: frame[name].tolist() for name in frame.columns})
    rebuilt = rebuilt.astype(frame.dtypes.to_dict())
    assert _frame_key(rebuilt) == _frame_key(frame)


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.assign(staff_total=[1520, 301, 0]),  # a value
        lambda f: f.assign(staff_female_pct=[53.6, 53.3, 0.0]),  # a blank filled
        lambda f: f.assign(staff_total=f["staff_total"].astype("float64")),  # a type
        lambda f: f.rename(columns={"year": "nam"}),  # a label
        lambda f: f.set_axis([1, 2, 3]),  # the index
        lambda f: f.iloc[::-1],  # the order of the rows
        lambda f: f.assign(agency_name=["Bảo hiểm xã hội Việt Nam", "Bộ Nội vụ", "None"]),
    ],
)
def test_any_difference_gives_another_key(change: object) -> None:
    frame = _frame()
    assert callable(change)
    assert _frame_key(change(frame)) != _frame_key(frame)


def test_dates_and_times_are_keyed_by_their_values() -> None:
    days = pd.DataFrame({"day": pd.to_datetime(["2025-06-15", "2025-11-30"])})
    later = pd.DataFrame({"day": pd.to_datetime(["2025-06-15", "2025-12-01"])})
    assert _frame_key(days) != _frame_key(later)
    objects = pd.DataFrame({"day": [dt.date(2025, 6, 15), dt.date(2025, 11, 30)]})
    assert _frame_key(objects) != _frame_key(days)


def test_a_selection_is_keyed_by_every_field() -> None:
    """ui.data keys a Filters by its repr: every field is in it, scope included."""
    base = Filters(period_kind="Y", year_from=2018, year_to=2026, agencies=("BHXH",))
    others = [
        base.with_(agencies=("BHXH", "THADS")),
        base.with_(scope=("BHXH",)),
        base.with_(province_set=ProvinceSet.LEGACY),
        base.with_(include_unapproved=True),
        base.with_(year_to=2025),
    ]
    keys = {repr(f) for f in [base, *others]}
    assert len(keys) == 1 + len(others)
    assert repr(Filters(period_kind="Y", year_from=2018, year_to=2026, agencies=("BHXH",))) == (
        repr(base)
    )


def test_a_cached_panel_takes_the_selection_by_its_repr() -> None:
    """The key ui.data's cache computes: two equal selections share one result, another does
    not, through Streamlit's own cache (a stand-in function under the same decorator)."""
    at = AppTest.from_string(
        """
import streamlit as st
from data_access.domain.filters import Filters
from ui.data import cached

calls = st.session_state.setdefault("calls", [])

@cached
def panel(f: Filters, data_version: str) -> str:
    calls.append(f)
    return repr(f)

panel(Filters(year_from=2020), "v1")
panel(Filters(year_from=2020), "v1")
panel(Filters(year_from=2021), "v1")
st.write(len(calls))
"""
    )
    at.run()
    assert not at.exception
    assert at.session_state["calls"] == [Filters(year_from=2020), Filters(year_from=2021)]
