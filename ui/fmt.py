"""Vietnamese formats for the pages: data_access.domain.formats, plus a table helper."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import pyarrow as pa
import streamlit as st

from data_access.domain.formats import MISSING, RATIO_DECIMAL_PLACES, date, num, pct, pct_points
from data_access.domain.periods import period_label as period
from data_access.domain.safe_text import markdown_literal as literal
from data_access.reporting.form import DOCUMENT_FIELDS_VI
from ui import cache_keys
from ui.cache_keys import CACHE_TTL_SECONDS, MAX_ENTRIES

# literal(text): users' text (narratives, unit and file names) for st.markdown, st.caption and
# the like, shown as typed: no image fetched, no link, heading or colour.
__all__ = [
    "MISSING",
    "RATIO_DECIMAL_PLACES",
    "date",
    "documents",
    "grid",
    "literal",
    "num",
    "pct",
    "pct_points",
    "period",
    "table",
    "targets",
]


def targets(table: pd.DataFrame) -> str:
    """The Strategy targets as the pages quote them: "60% năm 2025, 75% năm 2030"."""
    return ", ".join(
        f"{pct(row.value_pct, 0)} năm {row.year}" for row in table.itertuples(index=False)
    )


def documents(frame: pd.DataFrame) -> pd.DataFrame:
    """I.1's list of documents issued (number, date, summary) as the pages show it: dates
    dd/mm/yyyy (a text that is not a date as typed), Vietnamese headings."""
    out = frame.copy()
    out["date"] = out["date"].map(lambda v: date(v) if isinstance(v, dt.date) else (v or MISSING))
    return out.rename(columns=DOCUMENT_FIELDS_VI)


def table(
    frame: pd.DataFrame,
    pcts: Sequence[str] = (),
    ints: Sequence[str] = (),
    decimals: dict[str, int] | None = None,
    dates: Sequence[str] = (),
) -> pd.DataFrame:
    """A display copy of a frame with numbers and dates written the Vietnamese way, a missing
    value as "–" (a grid would print "None"); sort before calling."""
    return _table(frame, tuple(pcts), tuple(ints), tuple((decimals or {}).items()), tuple(dates))


def grid(
    frame: pd.DataFrame,
    columns: Sequence[str],
    pcts: Sequence[str] = (),
    ints: Sequence[str] = (),
    decimals: dict[str, int] | None = None,
    dates: Sequence[str] = (),
) -> pa.Table:
    """`table(…)`'s `columns`, in that order, as the Arrow table st.dataframe sends: converted
    once, where a frame was converted on every rerun."""
    return _grid(
        frame,
        tuple(columns),
        tuple(pcts),
        tuple(ints),
        tuple((decimals or {}).items()),
        tuple(dates),
    )


# Cached by the frame's values: formatting cell by cell cost 5–20 ms a table on every rerun of a
# page whose results were all cached.
_cached = st.cache_data(
    ttl=CACHE_TTL_SECONDS,
    show_spinner=False,
    max_entries=MAX_ENTRIES,
    hash_funcs=cache_keys.HASH_FUNCS,
)


@_cached
def _grid(
    frame: pd.DataFrame,
    columns: tuple[str, ...],
    pcts: tuple[str, ...],
    ints: tuple[str, ...],
    decimals: tuple[tuple[str, int], ...],
    dates: tuple[str, ...],
) -> pa.Table:
    shown = _table(frame, pcts, ints, decimals, dates)[list(columns)]
    return pa.Table.from_pandas(shown, preserve_index=False)


@_cached
def _table(
    frame: pd.DataFrame,
    pcts: tuple[str, ...],
    ints: tuple[str, ...],
    decimals: tuple[tuple[str, int], ...],
    dates: tuple[str, ...],
) -> pd.DataFrame:
    out = frame.copy()
    for col in dates:
        out[col] = out[col].map(lambda v: MISSING if pd.isna(v) else date(pd.Timestamp(v).date()))
    for col in pcts:
        out[col] = out[col].map(lambda v: MISSING if pd.isna(v) else pct(v))
    for col in ints:
        out[col] = out[col].map(lambda v: MISSING if pd.isna(v) else num(v))
    for col, places in decimals:
        out[col] = out[col].map(lambda v, p=places: MISSING if pd.isna(v) else num(v, p))
    return out
