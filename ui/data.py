"""The pages' door to `data_access`: one engine per process, cached query results."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data_access import queries
from data_access.config import DEFAULT_DATABASE_URL, database_url
from data_access.db import get_engine
from data_access.schema import init_db

# Cached results expire anyway after this long, in case another process changed the data.
CACHE_TTL_SECONDS = 600


@st.cache_resource(show_spinner="Đang kết nối cơ sở dữ liệu…")
def engine() -> Engine:
    """The engine. The embedded default database is created with the sample data on first start;
    a configured database is used as it is (`python -m data_access init-db` prepares it)."""
    url = database_url()
    eng = get_engine(url)
    if url == DEFAULT_DATABASE_URL:
        init_db(eng, sample=True)
    return eng


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def aggregate(
    filters: queries.Filters, by: tuple[str, ...], indicators: tuple[str, ...] | None
) -> pd.DataFrame:
    return queries.aggregate(engine(), filters, by, indicators)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def agencies() -> pd.DataFrame:
    return queries.agencies(engine())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def periods(kind: str | None = None) -> pd.DataFrame:
    return queries.periods(engine(), kind)


def clear() -> None:
    """Forget every cached result (after an upload or rollback)."""
    st.cache_data.clear()


def data_changed() -> None:
    """Call after an upload or rollback: every page shows the new data at once."""
    clear()
