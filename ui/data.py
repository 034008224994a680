"""The pages' door to `data_access`: one engine per process, cached query results.

One typed function per panel: a `st.cache_data` wrapper that takes the panel's arguments and the
data version and calls one `data_access` function, so go-to-definition from a page reaches the
query. Results are keyed by the data version (the latest upload batch and rollback), so an upload
through another app process shows up here at the next rerun, not only after a TTL. Pages read
the version once (`v = data.version()`) and pass it to every call.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data_access import activities_query, gender_index, queries, tracking, views
from data_access.auth import Identity
from data_access.catalogue import Catalogue
from data_access.config import DEFAULT_DATABASE_URL, database_url
from data_access.db import get_engine
from data_access.province_sets import ProvinceSet
from data_access.queries import Filters
from data_access.reporting import workflow
from data_access.schema import init_db

# A cached result is dropped after this long even when nothing changed (bounds memory).
CACHE_TTL_SECONDS = 3600
# Another process's upload shows here within this long (at the next rerun after it).
VERSION_TTL_SECONDS = 2
# Results kept per panel: a few dozen filter selections per panel and user stay warm, and twenty
# panels together stay near the two thousand results one process could afford before the split.
MAX_ENTRIES = 100

cached = st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=MAX_ENTRIES)


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


# --- lookups --------------------------------------------------------------------------------------


@cached
def aggregate(
    f: Filters, by: tuple[str, ...], indicators: tuple[str, ...] | None, data_version: str
) -> pd.DataFrame:
    return queries.aggregate(engine(), f, by=by, indicators=indicators)


@cached
def agencies(data_version: str) -> pd.DataFrame:
    return queries.agencies(engine())


@cached
def periods(kind: str | None, data_version: str) -> pd.DataFrame:
    return queries.periods(engine(), kind)


def years(kind: str, data_version: str) -> list[int]:
    """Years with reports of this kind."""
    return sorted({int(y) for y in periods(kind, data_version)["year"]})


@cached
def provinces(province_set: ProvinceSet, data_version: str) -> pd.DataFrame:
    return queries.provinces(engine(), province_set)


@st.cache_resource(show_spinner=False)
def catalogue(data_version: str) -> Catalogue:
    return queries.load_catalogue(engine())


def pair_label(pair: str) -> str:
    found = catalogue(version()).pairs.get(pair)
    return found.label_vi if found else pair


# --- overview, gender ratio -----------------------------------------------------------------------


@cached
def targets(data_version: str) -> pd.DataFrame:
    return views.targets(engine())


@cached
def overview(f: Filters, laggards_by: str, data_version: str) -> views.Overview:
    return views.overview(engine(), f, laggards_by)


@cached
def latest_period(f: Filters, data_version: str) -> str | None:
    return views.latest_period(engine(), f)


@cached
def ratio_over_time(f: Filters, by: str, data_version: str) -> pd.DataFrame:
    return views.ratio_over_time(engine(), f, by)


@cached
def unit_distribution(f: Filters, data_version: str) -> pd.DataFrame:
    return views.unit_distribution(engine(), f)


@cached
def unit_spread(f: Filters, data_version: str) -> views.UnitSpread:
    return views.unit_spread(engine(), f)


# --- leadership, capacity -------------------------------------------------------------------------


@cached
def pipeline(f: Filters, data_version: str) -> pd.DataFrame:
    return views.pipeline(engine(), f)


@cached
def female_leader_trend(f: Filters, data_version: str) -> pd.DataFrame:
    return views.female_leader_trend(engine(), f)


@cached
def leadership_shares(f: Filters, by: str, data_version: str) -> pd.DataFrame:
    return views.leadership_shares(engine(), f, by)


@cached
def units_without_female_leader(f: Filters, data_version: str) -> pd.DataFrame:
    return views.units_without_female_leader(engine(), f)


@cached
def capacity(f: Filters, by: str | None, data_version: str) -> pd.DataFrame:
    return views.capacity(engine(), f, by)


# --- campaigns ------------------------------------------------------------------------------------


@cached
def campaign_summary(f: Filters, data_version: str) -> views.CampaignSummary:
    return views.campaign_summary(engine(), f)


@cached
def activities(f: Filters, by: tuple[str, ...], top: int | None, data_version: str) -> pd.DataFrame:
    return activities_query.activities(engine(), f, by, top)


@cached
def activity_days(f: Filters, data_version: str) -> pd.DataFrame:
    return activities_query.activity_days(engine(), f)


# --- provinces, gender index, explore, unit -------------------------------------------------------


@cached
def province_values(f: Filters, measure: str, data_version: str) -> pd.DataFrame:
    return views.province_values(engine(), f, measure)


@cached
def gender_index_table(by: str, f: Filters, data_version: str) -> pd.DataFrame:
    return gender_index.index_table(engine(), by, f)


@cached
def gender_index_weights(data_version: str) -> dict[str, float]:
    return gender_index.weights(engine())


@st.cache_data(show_spinner=False)
def gender_index_methodology() -> str:
    """The methodology document: a file of the release, read once per process."""
    return gender_index.methodology()


@cached
def export_table(
    level: str, f: Filters, indicators: tuple[str, ...], data_version: str
) -> pd.DataFrame:
    return views.export_table(engine(), level, f, indicators)


@cached
def unit_choices(
    search: str | None, agencies: tuple[str, ...], limit: int, data_version: str
) -> views.UnitChoices:
    return views.unit_choices(engine(), search, agencies, limit)


@cached
def unit_profile(unit_code: str, f: Filters, data_version: str) -> views.UnitProfile | None:
    return views.unit_profile(engine(), unit_code, f)


# --- reporting (secretariat) ----------------------------------------------------------------------


@cached
def reporting_overview(period: str, f: Filters, data_version: str) -> tracking.Overview:
    return tracking.overview(engine(), period, f)


@cached
def unit_status(
    period: str, f: Filters, statuses: tuple[str, ...], data_version: str
) -> pd.DataFrame:
    return tracking.unit_status(engine(), period, f, statuses)


def clear() -> None:
    """Forget every cached result (after an upload or rollback in this process)."""
    st.cache_data.clear()


def data_changed() -> None:
    """Call after an upload or rollback: every page shows the new data at once."""
    clear()


# A draft saved or a report submitted changes no data version: tracking shows it within this.
REPORT_STATES_TTL_SECONDS = 30


@st.cache_data(ttl=REPORT_STATES_TTL_SECONDS, show_spinner=False, max_entries=MAX_ENTRIES)
def report_states(period: str, identity: Identity, data_version: str) -> dict[str, str]:
    return workflow.states(engine(), period, identity)
