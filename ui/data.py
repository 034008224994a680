"""The pages' door to `data_access`: one engine per process, cached query results.

One typed function per panel: a `st.cache_data` wrapper that takes the panel's arguments and the
data version and calls one `data_access` function, so go-to-definition from a page reaches the
query. Results are keyed by the data version (the latest upload batch and rollback), so an upload
through another app process shows up here at the next rerun, not only after a TTL. Pages read
the version once (`v = data.version()`) and pass it to every call.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import streamlit as st
from sqlalchemy import Engine

from data_access import auth, ingest
from data_access.analytics import gender_index
from data_access.auth import Identity
from data_access.db.catalogue import Catalogue
from data_access.db.config import DEFAULT_DATABASE_URL, database_url
from data_access.db.engine import get_engine
from data_access.documents import report as report_document
from data_access.documents.official_doc import DocumentMeta
from data_access.domain.filters import Filters
from data_access.domain.province_sets import ProvinceSet
from data_access.queries import activities as activities_query
from data_access.queries import aggregate as aggregate_query
from data_access.queries import lookups as lookups_query
from data_access.queries import tracking
from data_access.registry import catalogue_admin, unit_admin
from data_access.registry import targets as targets_admin
from data_access.reporting import documents_issued, workflow
from data_access.schema import init_db
from data_access.views import campaigns as campaigns_view
from data_access.views import capacity as capacity_view
from data_access.views import common as common_view
from data_access.views import explore as explore_view
from data_access.views import gender_index as gender_index_view
from data_access.views import gender_ratio as gender_ratio_view
from data_access.views import leadership as leadership_view
from data_access.views import overview as overview_view
from data_access.views import provinces as provinces_view
from data_access.views import unit as unit_view
from ui import cache_keys, fmt, tilemap
from ui.cache_keys import CACHE_TTL_SECONDS, MAX_ENTRIES

# Another process's upload shows here within this long (at the next rerun after it).
VERSION_TTL_SECONDS = 2

cached = st.cache_data(
    ttl=CACHE_TTL_SECONDS,
    show_spinner=False,
    max_entries=MAX_ENTRIES,
    hash_funcs=cache_keys.HASH_FUNCS,
)


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
    return lookups_query.data_version(engine())


# --- lookups --------------------------------------------------------------------------------------


@cached
def aggregate(
    f: Filters, by: tuple[str, ...], indicators: tuple[str, ...] | None, data_version: str
) -> pd.DataFrame:
    return aggregate_query.aggregate(engine(), f, by=by, indicators=indicators)


@cached
def unapproved_count(f: Filters, data_version: str) -> int:
    return aggregate_query.unapproved_count(engine(), f)


@cached
def agencies(data_version: str) -> pd.DataFrame:
    return lookups_query.agencies(engine())


@cached
def periods(kind: str | None, data_version: str) -> pd.DataFrame:
    return lookups_query.periods(engine(), kind)


@cached
def years(kind: str, data_version: str) -> list[int]:
    """Years with reports of this kind (the sidebar asks twice a rerun: a list read back, not the
    periods' frame walked)."""
    return sorted({int(y) for y in periods(kind, data_version)["year"]})


@cached
def provinces(province_set: ProvinceSet, data_version: str) -> pd.DataFrame:
    return lookups_query.provinces(engine(), province_set)


@cached
def agency_names(scope: tuple[str, ...], data_version: str) -> dict[str, str]:
    """Code → name of the agencies, those of `scope` when given (the sidebar's choices: a dict
    read back, not the agencies' frame filtered on every rerun)."""
    table = agencies(data_version)
    if scope:
        table = table[table["code"].isin(scope)]
    return dict(zip(table["code"], table["name"], strict=True))


@cached
def province_names(province_set: ProvinceSet, data_version: str) -> dict[str, str]:
    """Code → short name of the provinces of a code set (the sidebar's choices)."""
    table = provinces(province_set, data_version)
    return dict(zip(table["code"], table["short_name"], strict=True))


@st.cache_resource(show_spinner=False)
def catalogue(data_version: str) -> Catalogue:
    return lookups_query.load_catalogue(engine())


def pair_label(pair: str) -> str:
    return catalogue(version()).pair_label(pair)


# --- overview, gender ratio -----------------------------------------------------------------------


@cached
def targets(data_version: str) -> pd.DataFrame:
    return common_view.targets(engine())


@cached
def overview(f: Filters, laggards_by: str, data_version: str) -> overview_view.Overview:
    return overview_view.overview(engine(), f, laggards_by)


@cached
def ratio_over_time(f: Filters, by: str, data_version: str) -> pd.DataFrame:
    return gender_ratio_view.ratio_over_time(engine(), f, by)


@cached
def ratio_latest_period(f: Filters, data_version: str) -> str | None:
    """latest_period(f), from the agencies' figures over the years the gender ratio page reads."""
    return gender_ratio_view.latest_of(ratio_over_time(f, "agency", data_version))


@cached
def ratio_at(f: Filters, by: str, period: str, data_version: str) -> pd.DataFrame:
    """ratio_over_time(f.with_(periods=(period,)), by): `period`'s rows of f's years."""
    return gender_ratio_view.ratio_at(ratio_over_time(f, by, data_version), period)


@cached
def ratio_at_latest(f: Filters, period: str, data_version: str) -> gender_ratio_view.AtLatest:
    """The provinces and the units' spread at `period` (the selection's latest), read at once."""
    return gender_ratio_view.at_latest(engine(), f, period)


@cached
def unit_distribution(f: Filters, data_version: str) -> pd.DataFrame:
    return common_view.unit_distribution(engine(), f)


# --- leadership, capacity -------------------------------------------------------------------------


@cached
def pipeline(f: Filters, data_version: str) -> pd.DataFrame:
    return leadership_view.pipeline(engine(), f)


@cached
def female_leader_trend(f: Filters, data_version: str) -> pd.DataFrame:
    return leadership_view.female_leader_trend(engine(), f)


@cached
def pipeline_labelled(f: Filters, data_version: str) -> pd.DataFrame:
    """pipeline with each stage's label (the chart's axis)."""
    stages = pipeline(f, data_version)
    return stages.assign(label=stages["stage"].map(catalogue(data_version).pair_label))


@cached
def leadership_shares(f: Filters, by: str, data_version: str) -> pd.DataFrame:
    return leadership_view.leadership_shares(engine(), f, by)


@cached
def units_without_female_leader(f: Filters, limit: int | None, data_version: str) -> pd.DataFrame:
    return leadership_view.units_without_female_leader(engine(), f, limit)


@cached
def units_without_female_leader_shown(f: Filters, limit: int, data_version: str) -> pa.Table:
    """The grid of units_without_female_leader: the first `limit`, numbers as text."""
    return fmt.grid(
        units_without_female_leader(f, limit, data_version),
        ["unit_name", "agency_code", "province_name", "key_leaders_total", "managers_female_pct"],
        pcts=["managers_female_pct"],
        ints=["key_leaders_total"],
    )


@cached
def count_without_female_leader(f: Filters, data_version: str) -> int:
    return leadership_view.count_without_female_leader(engine(), f)


@cached
def capacity(f: Filters, by: str | None, data_version: str) -> pd.DataFrame:
    return capacity_view.capacity(engine(), f, by)


@cached
def capacity_overall(f: Filters, data_version: str) -> pd.DataFrame:
    """capacity over the whole selection, each pair with its label (the metrics, the chart)."""
    overall = capacity(f, None, data_version)
    return overall.assign(label=overall["pair"].map(catalogue(data_version).pair_label))


@cached
def capacity_by_agency(f: Filters, data_version: str) -> capacity_view.Representation | None:
    by_agency = capacity(f, "agency", data_version)
    if by_agency.empty:
        return None
    order = capacity(f, None, data_version)["pair"].tolist()
    return capacity_view.representation_by(by_agency, "agency_name", order)


# --- campaigns ------------------------------------------------------------------------------------


@cached
def campaign_summary(f: Filters, data_version: str) -> campaigns_view.CampaignSummary:
    return campaigns_view.campaign_summary(engine(), f)


@cached
def activities(f: Filters, by: tuple[str, ...], top: int | None, data_version: str) -> pd.DataFrame:
    return activities_query.activities(engine(), f, by, top)


@cached
def labelled_activities(f: Filters, by: tuple[str, ...], data_version: str) -> pd.DataFrame:
    """activities by campaign (or year and campaign) with the campaigns' short labels."""
    return campaigns_view.labelled(activities(f, by, None, data_version))


@cached
def activity_table(f: Filters, by: str, top: int | None, data_version: str) -> pa.Table:
    """activities by an agency, unit or province as the campaigns page lists them: its name,
    then activities, participants and men's share as text (the provinces most active first)."""
    frame = activities(f, (by,), top, data_version)
    if by == "province":
        frame = frame.sort_values("activities", ascending=False)
    return fmt.grid(
        frame,
        [f"{by}_name", "activities", "participants", "male_pct"],
        pcts=["male_pct"],
        ints=["activities", "participants"],
    )


@cached
def participants_by_year(f: Filters, data_version: str) -> pd.DataFrame:
    return campaigns_view.participants_by_year(activities(f, ("year",), None, data_version))


@cached
def activity_days(f: Filters, data_version: str) -> pd.DataFrame:
    return activities_query.activity_days(engine(), f)


# --- provinces, gender index, explore, unit -------------------------------------------------------


@cached
def province_values(f: Filters, measure: str, data_version: str) -> pd.DataFrame:
    return provinces_view.province_values(engine(), f, measure)


@cached
def province_map(f: Filters, measure: str, data_version: str) -> pd.DataFrame:
    """province_values without the sparklines (for the table only), with each province's tile
    on the map of the 34 provinces."""
    mapped = province_values(f, measure, data_version).drop(columns=["trend"])
    return tilemap.with_tiles(mapped) if f.province_set is ProvinceSet.CURRENT else mapped


@cached
def province_ranking(f: Filters, measure: str, data_version: str) -> pa.Table:
    """The ranking grid's columns as an Arrow table (the sparklines as lists of numbers)."""
    grid = provinces_view.ranking_grid(province_values(f, measure, data_version))
    return pa.Table.from_pandas(grid, preserve_index=False)


@cached
def province_measures(data_version: str) -> dict[str, str]:
    return provinces_view.measures(catalogue(data_version))


@cached
def gender_index_table(by: str, f: Filters, data_version: str) -> pd.DataFrame:
    return gender_index.index_table(engine(), by, f)


@cached
def gender_index_ranking(
    by: str, f: Filters, data_version: str
) -> gender_index_view.Ranking | None:
    return gender_index_view.ranking(gender_index_table(by, f, data_version))


@cached
def gender_index_domains(
    by: str, f: Filters, names: tuple[str, ...], data_version: str
) -> pd.DataFrame:
    ranking = gender_index_ranking(by, f, data_version)
    return gender_index_view.domain_scores(ranking, names) if ranking else pd.DataFrame()


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
    return explore_view.export_table(engine(), level, f, indicators)


@cached
def unit_choices(
    search: str | None, agencies: tuple[str, ...], limit: int, data_version: str
) -> unit_view.UnitChoices:
    return unit_view.unit_choices(engine(), search, agencies, limit)


@cached
def unit_profile(unit_code: str, f: Filters, data_version: str) -> unit_view.UnitProfile | None:
    return unit_view.unit_profile(engine(), unit_code, f)


# --- reporting (secretariat) ----------------------------------------------------------------------


@cached
def reporting_overview(period: str, f: Filters, data_version: str) -> tracking.Overview:
    return tracking.overview(engine(), period, f)


# The rates table reads: due, received, then how (on time, late), then who has not, then the rates.
RATES_ORDER = [
    "expected",
    "received",
    "on_time",
    "late",
    "missing",
    "reporting_rate",
    "on_time_rate",
]


@cached
def reporting_rates_shown(period: str, f: Filters, by: str, data_version: str) -> pa.Table:
    """The reporting rates by agency or by province as the grid lists them."""
    summary = reporting_overview(period, f, data_version)
    frame = summary.by_agency if by == "agency" else summary.by_province
    return fmt.grid(
        frame,
        [f"{by}_name", *RATES_ORDER],
        pcts=["reporting_rate", "on_time_rate"],
        ints=["expected", "received", "on_time", "late", "missing"],
    )


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


@st.cache_data(ttl=VERSION_TTL_SECONDS, show_spinner=False)
def reports_version() -> str:
    """The data version and the form reports' latest write, read at most once per
    VERSION_TTL_SECONDS: the key of the form's and the approval's reads (a draft saved or a report
    reopened changes no data version). A step taken here clears it at once (reports_changed)."""
    return f"{version()}:{lookups_query.reports_stamp(engine())}"


# Tracking's list of units to chase, as the grid and its CSV list them.
CHASE_COLUMNS = [
    "unit_code",
    "unit_name",
    "agency_code",
    "province_name",
    "status_vi",
    "report_state_vi",
    "received_at",
    "days_late",
]


@cached
def units_to_chase(period: str, f: Filters, identity: Identity, data_version: str) -> pd.DataFrame:
    """The period's late and missing units with their form reports' states. Keyed by
    reports_version(): a draft saved or a report submitted changes no data version."""
    units = unit_status(period, f, ("late", "missing"), version())
    return workflow.with_states(units, workflow.states(engine(), period, identity))[CHASE_COLUMNS]


@cached
def units_to_chase_shown(
    period: str, f: Filters, identity: Identity, data_version: str
) -> pa.Table:
    chase = units_to_chase(period, f, identity, data_version)
    return fmt.grid(chase, CHASE_COLUMNS, ints=["days_late"], dates=["received_at"])


@cached
def units_missing(period: str, f: Filters, identity: Identity, data_version: str) -> pd.DataFrame:
    """The units to chase that have not reported at all (the reminders' choices)."""
    chase = units_to_chase(period, f, identity, data_version)
    return chase[chase["status_vi"] == tracking.STATUS_VI["missing"]]


def reports_changed() -> None:
    """Call after a step on a report (saved, submitted, returned, accepted, reopened)."""
    reports_version.clear()
    version.clear()  # a submission, return or acceptance moves the dashboards' version too


def report_periods() -> list[str]:
    """The periods a unit may report for today, the one due next first."""
    return workflow.open_periods(dt.date.today())


@cached
def report(unit_code: str, period: str, who: Identity, data_version: str) -> workflow.ReportView:
    """Keyed by reports_version(): a draft saved changes no data version."""
    return workflow.open_report(engine(), unit_code, period, who)


def report_check(
    unit_code: str,
    period: str,
    fields: dict[str, str],
    documents: list[dict[str, str]],
    who: Identity,
    data_version: str,
) -> workflow.Check:
    """The upload's checks of the form as typed (today's: a date is part of a check)."""
    return _report_check(unit_code, period, fields, documents, who, dt.date.today(), data_version)


@cached
def _report_check(
    unit_code: str,
    period: str,
    fields: dict[str, str],
    documents: list[dict[str, str]],
    who: Identity,
    today: dt.date,
    data_version: str,
) -> workflow.Check:
    return workflow.check(engine(), unit_code, period, fields, documents, identity=who, today=today)


@cached
def report_queue(who: Identity, states: tuple[str, ...], data_version: str) -> pd.DataFrame:
    """Keyed by reports_version(): a report reopened leaves the accepted list."""
    return workflow.queue(engine(), who, states)


@cached
def report_history(report_id: int, who: Identity, data_version: str) -> pd.DataFrame:
    """Keyed by reports_version(): every step is a write."""
    return workflow.history(engine(), report_id, who)


@cached
def report_documents(unit_code: str, period: str, who: Identity, data_version: str) -> pd.DataFrame:
    """Keyed by reports_version(): a report returned or reopened leaves the list."""
    return documents_issued.for_report(engine(), unit_code, period, who)


@cached
def upload_batches(who: Identity, data_version: str) -> pd.DataFrame:
    """Keyed by version(): an upload, an acceptance and a rollback each change it (a rollback's
    callback clears the caches before the page draws). Read on every run, the batches cost the
    history page 140 ms a view on PostgreSQL at national scale."""
    return ingest.batches(engine(), identity=who)


# --- units and catalogue (administration) --------------------------------------------------------


@cached
def units_found(search: str, who: Identity, data_version: str) -> unit_admin.Found:
    return unit_admin.find(engine(), search, identity=who)


@cached
def unit_card(code: str, who: Identity, data_version: str) -> unit_admin.UnitCard | None:
    return unit_admin.card(engine(), code, identity=who)


@cached
def legacy_pending(who: Identity, data_version: str) -> pd.DataFrame:
    return unit_admin.legacy_pending(engine(), identity=who)


@cached
def reporting_units(
    who: Identity, periods: tuple[str, ...], data_version: str
) -> list[workflow.ReportingUnit]:
    return workflow.reporting_units(engine(), who, periods)


@cached
def reporter_units(agency_code: str, who: Identity, data_version: str) -> list[auth.UnitChoice]:
    return auth.reporter_units(engine(), agency_code, by=who)


@cached
def indicator_listing(data_version: str) -> pd.DataFrame:
    return catalogue_admin.listing(engine())


@cached
def target_comparison(agency_code: str, data_version: str) -> pd.DataFrame:
    return targets_admin.comparison(engine(), agency_code)


# --- Báo cáo tổng hợp ---------------------------------------------------------------------------


@cached
def report_content(
    agency_code: str | None, period: str, scope: tuple[str, ...], data_version: str
) -> report_document.ReportContent:
    """The consolidated report's content (ReportError when there is nothing to report). Cached:
    at national scale it reads every unit's report of the period and the year before, two
    seconds of the server's CPU that every rerun of the page paid again."""
    return report_document.report_content(engine(), agency_code, period, scope)


@cached
def report_grids(
    agency_code: str | None, period: str, scope: tuple[str, ...], data_version: str
) -> list[pa.Table]:
    """The report's tables as the preview shows them (each section's table, then the table by
    agency or unit), as Arrow tables: given rows, Streamlit built a frame of each table twice and
    converted it on every rerun (27 ms a rerun of the national report)."""
    content = report_content(agency_code, period, scope, data_version)
    return [
        pa.table({heading: [row[i] for row in rows[1:]] for i, heading in enumerate(rows[0])})
        for rows in [*(section.rows for section in content.sections), content.unit_table]
    ]


@cached
def report_docx(
    agency_code: str | None,
    period: str,
    scope: tuple[str, ...],
    meta: DocumentMeta,
    texts: tuple[tuple[str, str], ...],
    data_version: str,
) -> bytes:
    """The Word file of the report as edited on the page (heading, signer, texts)."""
    content = report_content(agency_code, period, scope, data_version)
    return report_document.to_docx(content, meta, dict(texts))
