"""The pages' door to `data_access`: one engine per process, cached query results.

Cached results are keyed by the data version (the latest upload batch and rollback), so an
upload through another app process shows up here at the next rerun, not only after a TTL.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data_access import queries, tracking, views
from data_access.catalogue import Catalogue
from data_access.config import DEFAULT_DATABASE_URL, database_url
from data_access.db import get_engine
from data_access.schema import init_db

# A cached result is dropped after this long even when nothing changed (bounds memory).
CACHE_TTL_SECONDS = 3600
# Another process's upload shows here within this long (at the next rerun after it).
VERSION_TTL_SECONDS = 2


@st.cache_resource(show_spinner="Đang kết nối cơ sở dữ liệu…")
def engine() -> Engine:
    """The engine. The embedded default database is created with the sample data on first start;
    a configured database is used as it is (`python -m data_access init-db` prepares it)."""
    url = database_url()
    eng = get_engine(url)
    if url == DEFAULT_DATABASE_URL:
        init_db(eng, sample=True)
    return eng


@st.cache_data(ttl=VERSION_TTL_SECONDS, show_spinner=False)
def version() -> str:
    """The data version, read at most once per VERSION_TTL_SECONDS: a rerun makes a dozen cached
    calls, one query is enough (an upload here clears this cache at once)."""
    return queries.data_version(engine())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=2000)
def _cached(
    name: str, data_version: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> Any:
    module, function = name.split(".")
    target = getattr(MODULES[module], function)
    return target(engine(), *args, **dict(kwargs))


MODULES = {"queries": queries, "views": views, "tracking": tracking}


def view(function: str, *args: Any, **kwargs: Any) -> Any:
    """`data_access.views.<function>(engine, *args)`, cached per data version."""
    return _cached(f"views.{function}", version(), args, tuple(sorted(kwargs.items())))


def reporting(function: str, *args: Any, **kwargs: Any) -> Any:
    """`data_access.tracking.<function>(engine, *args)`, cached per data version."""
    return _cached(f"tracking.{function}", version(), args, tuple(sorted(kwargs.items())))


def aggregate(
    filters: queries.Filters, by: tuple[str, ...], indicators: tuple[str, ...] | None
) -> pd.DataFrame:
    return _cached("queries.aggregate", version(), (filters, by, indicators), ())


def agencies() -> pd.DataFrame:
    return _cached("queries.agencies", version(), (), ())


def periods(kind: str | None = None) -> pd.DataFrame:
    return _cached("queries.periods", version(), (kind,), ())


def years(kind: str) -> list[int]:
    """Years with reports of this kind."""
    return sorted({int(y) for y in periods(kind)["year"]})


def provinces(province_set: str) -> pd.DataFrame:
    return _cached("queries.provinces", version(), (province_set,), ())


@st.cache_resource(show_spinner=False)
def _catalogue(data_version: str) -> Catalogue:
    return queries.load_catalogue(engine())


def catalogue() -> Catalogue:
    return _catalogue(version())


def pair_label(pair: str) -> str:
    found = catalogue().pairs.get(pair)
    return found.label_vi if found else pair


def clear() -> None:
    """Forget every cached result (after an upload or rollback in this process)."""
    st.cache_data.clear()


def data_changed() -> None:
    """Call after an upload or rollback: every page shows the new data at once."""
    clear()


@st.cache_data(
    ttl=CACHE_TTL_SECONDS, show_spinner="Đang tính chỉ số và khoảng hạng…", max_entries=200
)
def _gender_index(data_version: str, by: str, filters: queries.Filters) -> pd.DataFrame:
    from data_access import gender_index

    return gender_index.index_table(engine(), by, filters)


def gender_index(by: str, filters: queries.Filters) -> pd.DataFrame:
    """The index ranking with rank intervals (data_access.gender_index.index_table), cached per
    data version: the Monte-Carlo draws run once per selection and upload."""
    return _gender_index(version(), by, filters)
