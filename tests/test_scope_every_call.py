"""Every `data_access` function a page calls (pages/ and ui/, grep `data.view`, `data.reporting`,
`data.aggregate`, `ingest.`, `exports.`, `report_content`, `auth.`), called as each role and
agency scope the way the page calls it: nothing of another agency comes back, or the call is
refused for a role that may not make it.

Reference lookups every role sees whole are left out on purpose: the list of agencies, provinces
and periods, the indicator catalogue, the gender-index weights and methodology (no reported data).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access import ingest
from data_access.analytics import exports, gender_index
from data_access.auth import Identity, PermissionDenied, change_account
from data_access.documents.report import ReportError, report_content
from data_access.domain.filters import Filters, scoped
from data_access.queries import activities as activities_query
from data_access.queries import aggregate as aggregate_query
from data_access.queries import tracking
from data_access.views import (
    capacity,
    common,
    explore,
    gender_ratio,
    leadership,
    overview,
    provinces,
    unit,
)
from tests.conftest import BACKENDS

AGENCIES = {
    "BHXH": "Bảo hiểm xã hội Việt Nam",
    "THADS": "Hệ thống Thi hành án dân sự",
    "LDTBXH": "Bộ Lao động – Thương binh và Xã hội",
    "BNV": "Bộ Nội vụ",
}
IDENTITIES = [
    Identity("lanhdao", "viewer"),
    Identity("lanhdao-bhxh", "viewer", ("BHXH",)),
    Identity("thuky", "secretariat", ("BHXH",)),
    Identity("thuky-thads", "secretariat", ("THADS",)),
    Identity("quantri", "admin"),
]
PERIOD = "2024-Y"
BASE = Filters(year_from=2018)

Call = Callable[[Engine, Identity, Filters], Any]
# name → (the permission the page requires, how the page calls it)
CALLS: dict[str, tuple[str, Call]] = {
    # Tổng quan
    "overview.overview": ("view", lambda e, who, f: overview.overview(e, f, laggards_by="agency")),
    # Tỷ lệ giới
    "common.latest_period": ("view", lambda e, who, f: common.latest_period(e, f)),
    "gender_ratio.ratio_over_time agency": (
        "view",
        lambda e, w, f: gender_ratio.ratio_over_time(e, f, "agency"),
    ),
    "gender_ratio.ratio_over_time province": (
        "view",
        lambda e, w, f: gender_ratio.ratio_over_time(e, f, "province"),
    ),
    "common.unit_distribution": ("view", lambda e, who, f: common.unit_distribution(e, f)),
    # Lãnh đạo
    "leadership.pipeline": ("view", lambda e, who, f: leadership.pipeline(e, f)),
    "leadership.female_leader_trend": (
        "view",
        lambda e, who, f: leadership.female_leader_trend(e, f),
    ),
    "leadership.leadership_shares": (
        "view",
        lambda e, w, f: leadership.leadership_shares(e, f, "agency"),
    ),
    "leadership.units_without_female_leader": (
        "view",
        lambda e, w, f: leadership.units_without_female_leader(e, f),
    ),
    # Năng lực
    "capacity.capacity": ("view", lambda e, who, f: capacity.capacity(e, f)),
    "capacity.capacity agency": ("view", lambda e, who, f: capacity.capacity(e, f, "agency")),
    # Hoạt động
    "activities_query.activities campaign": (
        "view",
        lambda e, w, f: activities_query.activities(e, f, ("campaign",)),
    ),
    "activities_query.activities agency": (
        "view",
        lambda e, w, f: activities_query.activities(e, f, ("agency",)),
    ),
    "activities_query.activities unit": (
        "view",
        lambda e, w, f: activities_query.activities(e, f, ("unit",), top=10),
    ),
    "activities_query.activities province": (
        "view",
        lambda e, w, f: activities_query.activities(e, f, ("province",)),
    ),
    "activities_query.activity_days": (
        "view",
        lambda e, who, f: activities_query.activity_days(e, f),
    ),
    # Tỉnh, thành
    "provinces.province_values": (
        "view",
        lambda e, w, f: provinces.province_values(e, f, "staff_female_pct"),
    ),
    "queries.aggregate": (
        "view",
        lambda e, w, f: aggregate_query.aggregate(e, f, ("agency", "period"), ("staff_total",)),
    ),
    # Khám phá số liệu
    "explore.export_table": (
        "view",
        lambda e, w, f: explore.export_table(e, "unit", f, ("staff_total", "staff_female")),
    ),
    "exports.export": (
        "export",
        # The page passes the identity; its scope applies even to unscoped filters.
        lambda e, w, f: exports.export(e, "unit", BASE, "csv", identity=w)[0].decode("utf-8-sig"),
    ),
    # Chỉ số bình đẳng giới
    "gender_index.index_table": ("view", lambda e, w, f: gender_index.index_table(e, "agency", f)),
    # Hồ sơ đơn vị
    "unit.unit_choices": ("view", lambda e, w, f: unit.unit_choices(e, None, w.agencies, 500)),
    "unit.unit_profile": ("view", lambda e, w, f: unit.unit_profile(e, "THADS-HANOI", f)),
    # Tình hình báo cáo
    "tracking.overview": ("track", lambda e, w, f: tracking.overview(e, PERIOD, f)),
    "tracking.unit_status": (
        "track",
        lambda e, w, f: tracking.unit_status(e, PERIOD, f, ("late", "missing")),
    ),
    # Báo cáo tổng hợp: the page offers the agencies of the scope only; each one is asked here.
    "report.report_content": ("view", lambda e, w, f: _reports(e, w)),
    # Lịch sử tải lên
    "ingest.batches": ("history", lambda e, w, f: ingest.batches(e, identity=w)),
    "ingest.revision_view": (
        "history",
        lambda e, w, f: ingest.revision_view(e, "THADS-HANOI", "2022-Y", identity=w),
    ),
    "ingest.revisions": (
        "history",
        lambda e, w, f: ingest.revisions(e, "THADS-HANOI", "2022-Y", identity=w),
    ),
    # Tài khoản
    "auth.change_account": (
        "admin",
        lambda e, w, f: change_account(e, "thuky", agencies=["BHXH"], by=w),
    ),
}
# The calls that check the role themselves; the others are reached only through a page's
# require() (tracking takes no identity: noticed, not changed here) and are checked for scope.
TAKES_IDENTITY = {c for c in CALLS if c.split(".")[0] in ("exports", "ingest", "auth")}
# Results that name agencies or units: with every agency, several agencies come back.
NAMES_AGENCIES = {
    "overview.overview",
    "gender_ratio.ratio_over_time agency",
    "common.unit_distribution",
    "leadership.leadership_shares",
    "leadership.units_without_female_leader",
    "capacity.capacity agency",
    "activities_query.activities agency",
    "activities_query.activities unit",
    "queries.aggregate",
    "explore.export_table",
    "exports.export",
    "gender_index.index_table",
    "unit.unit_profile",
    "tracking.unit_status",
    "report.report_content",
    "ingest.batches",
    "ingest.revision_view",
}


def _reports(engine: Engine, who: Identity) -> list[Any]:
    found = []
    for code in AGENCIES:
        try:
            found.append(report_content(engine, code, PERIOD, who.agencies))
        except ReportError as error:
            assert not who.agencies or code not in who.agencies, error
    return found


def _text(result: Any) -> str:
    """Everything a result holds, as text (frames as CSV, dataclasses field by field)."""
    if isinstance(result, pd.DataFrame):
        return result.to_csv()
    if isinstance(result, pd.Series):
        return result.to_csv()
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return "\n".join(_text(getattr(result, f.name)) for f in dataclasses.fields(result))
    if isinstance(result, (list, tuple)):
        return "\n".join(_text(r) for r in result)
    if isinstance(result, dict):
        return "\n".join(f"{k}: {_text(v)}" for k, v in result.items())
    return str(result)


def _outside(who: Identity, text: str) -> list[str]:
    """Codes (as words: unit codes start with them) and names of agencies outside the scope."""
    others = [code for code in AGENCIES if code not in who.agencies]
    return [
        word
        for code in others
        for word in (code, AGENCIES[code])
        if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text)
    ]


@pytest.mark.parametrize("call", list(CALLS), ids=list(CALLS))
@pytest.mark.parametrize(
    "who", IDENTITIES, ids=[f"{i.role}-{'.'.join(i.agencies) or 'all'}" for i in IDENTITIES]
)
def test_nothing_outside_the_scope_comes_back(
    history_engine: Engine, who: Identity, call: str
) -> None:
    permission, function = CALLS[call]
    filters = scoped(BASE, who)
    if not who.can(permission) and call in TAKES_IDENTITY:
        with pytest.raises(PermissionDenied):
            function(history_engine, who, filters)
        return
    text = _text(function(history_engine, who, filters))
    if who.agencies:
        assert _outside(who, text) == []
    elif call in NAMES_AGENCIES:  # the check can fail: unscoped, other agencies do come back
        assert _outside(Identity("x", "viewer", ("BHXH",)), text) != []


@pytest.fixture(scope="module", params=BACKENDS)
def history_engine(request: pytest.FixtureRequest) -> Engine:
    """A sample database of this module with one THADS batch that changed THADS-HANOI 2022-Y and
    one BHXH batch, so the history calls have something of each agency to leak."""
    fixture = "_sqlite_databases" if request.param == "sqlite" else "_pg_databases"
    engine: Engine = request.getfixturevalue(fixture).fresh("sample")
    for content in (
        "unit_code,period,staff_total,staff_female\nTHADS-HANOI,2022-Y,1200,39\n",
        "unit_code,period,staff_total,staff_female\nBHXH-HANOI,2022-Y,2600,134\n",
    ):
        report = ingest.commit(
            engine,
            "f.csv",
            content.encode(),
            user="van-hanh",
            accept_warnings=True,
            today=dt.date(2026, 11, 22),
        )
        assert report.committed
    return engine
