"""The one set of sidebar filters shared by every leadership page.

The selection lives in `st.session_state["filters"]` (so it survives page switches, even when a
page without filters ran in between) and in the URL query string (so a leader can share a link
that opens the same view). Widgets are re-created from that state on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from data_access.domain import glossary
from data_access.domain.filters import LEVEL_LABELS_VI, Filters
from data_access.domain.province_sets import ProvinceSet
from ui import data, fmt
from ui.auth import require as signed_in

STATE_KEY = "filters"
KIND_LABELS = {"Y": "Báo cáo năm", "H1": "Báo cáo 6 tháng"}
UNAPPROVED_KEY = "chua_duyet"  # in the URL: the switch "gồm báo cáo chưa duyệt" is on
UNAPPROVED_HELP = (
    "Tắt: chỉ số liệu đã được duyệt. Bật: báo cáo đơn vị đã gửi nhưng chưa được duyệt "
    "thay cho số liệu đã duyệt của đơn vị đó trong cùng kỳ."
)
SET_ORDER = (ProvinceSet.CURRENT, ProvinceSet.LEGACY)  # the new provinces first: the default


@dataclass(frozen=True)
class Selection:
    """What the user picked, in the shape of the URL (codes, not ids)."""

    kind: str = "Y"
    year_from: int | None = None
    year_to: int | None = None
    agencies: tuple[str, ...] = ()
    province_set: ProvinceSet = ProvinceSet.CURRENT
    provinces: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    unapproved: bool = False  # "gồm báo cáo chưa duyệt"

    def to_query(self) -> dict[str, str]:
        query = {"ky": self.kind, "bo_ma": self.province_set}
        if self.year_from is not None:
            query["tu"] = str(self.year_from)
        if self.year_to is not None:
            query["den"] = str(self.year_to)
        for key, values in (
            ("nganh", self.agencies),
            ("tinh", self.provinces),
            ("cap", self.levels),
        ):
            if values:
                query[key] = ",".join(values)
        if self.unapproved:
            query[UNAPPROVED_KEY] = "1"
        return query

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Selection:
        def items(key: str) -> tuple[str, ...]:
            return tuple(v for v in query.get(key, "").split(",") if v)

        def year(key: str) -> int | None:
            text = query.get(key, "")
            return int(text) if text.isdigit() else None

        kind = query.get("ky", "Y")
        province_set = query.get("bo_ma", ProvinceSet.CURRENT)
        return cls(
            kind=kind if kind in KIND_LABELS else "Y",
            year_from=year("tu"),
            year_to=year("den"),
            agencies=items("nganh"),
            province_set=ProvinceSet(province_set)
            if province_set in set(ProvinceSet)
            else ProvinceSet.CURRENT,
            provinces=items("tinh"),
            levels=tuple(v for v in items("cap") if v in LEVEL_LABELS_VI),
            unapproved=query.get(UNAPPROVED_KEY) == "1",
        )

    def filters(self, scope: tuple[str, ...] = ()) -> Filters:
        return Filters(
            period_kind=self.kind,
            year_from=self.year_from,
            year_to=self.year_to,
            agencies=self.agencies,
            province_set=self.province_set,
            provinces=self.provinces,
            levels=self.levels,
            include_unapproved=self.unapproved,
            scope=scope,
        )


def current() -> Selection:
    """The selection: from session state, else from the URL the session was opened with."""
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = Selection.from_query(st.query_params.to_dict())
    return st.session_state[STATE_KEY]


def _store(selection: Selection) -> None:
    st.session_state[STATE_KEY] = selection
    query = selection.to_query()
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def sidebar() -> Filters:
    """Draw the filters in the sidebar and return the selection as query Filters."""
    selection = current()
    v = data.version()
    years = data.years(selection.kind, v)
    with st.sidebar:
        st.header("Bộ lọc")
        kind = st.radio(
            "Loại báo cáo",
            list(KIND_LABELS),
            format_func=KIND_LABELS.__getitem__,
            horizontal=True,
            index=list(KIND_LABELS).index(selection.kind),
            key="f_kind",
        )
        years = data.years(kind, v)
        year_from: int | None
        year_to: int | None
        if years:
            low, high = min(years), max(years)
            # Another kind of report has other years (semi-annual reports reach 2026-H1 before
            # the annual 2026 report exists): switching kind shows all its years, latest included.
            kept = kind == selection.kind
            start = min(max((kept and selection.year_from) or low, low), high)
            end = max(min((kept and selection.year_to) or high, high), start)
            year_from, year_to = (
                st.slider("Năm", low, high, (start, end), key=f"f_years_{kind}")
                if low < high
                else (low, high)
            )
        else:
            year_from = year_to = None
        names = data.agency_names(signed_in().agencies, v)
        picked_agencies = st.multiselect(
            "Ngành",
            list(names),
            default=[a for a in selection.agencies if a in names],
            format_func=names.__getitem__,
            placeholder="Tất cả các ngành",
            key="f_agencies",
        )
        province_set = st.radio(
            "Bộ mã tỉnh",
            list(SET_ORDER),
            format_func=lambda s: ProvinceSet(s).label_vi,
            index=SET_ORDER.index(selection.province_set),
            key="f_set",
            help=glossary.help_text("province_sets"),
        )
        province_names = data.province_names(province_set, v)
        keep = (
            [p for p in selection.provinces if p in province_names]
            if province_set == selection.province_set
            else []
        )
        picked_provinces = st.multiselect(
            "Tỉnh, thành phố",
            list(province_names),
            default=keep,
            format_func=province_names.__getitem__,
            placeholder="Cả nước",
            key=f"f_provinces_{province_set}",
        )
        picked_levels = st.multiselect(
            "Cấp đơn vị",
            list(LEVEL_LABELS_VI),
            default=list(selection.levels),
            format_func=LEVEL_LABELS_VI.__getitem__,
            placeholder="Mọi cấp",
            key="f_levels",
        )
        unapproved = unapproved_switch(selection.unapproved)
        chosen = Selection(
            kind,
            year_from,
            year_to,
            tuple(picked_agencies),
            ProvinceSet(province_set),
            tuple(picked_provinces),
            tuple(picked_levels),
            unapproved,
        )
        if unapproved:
            st.caption(
                unapproved_caption(data.unapproved_count(chosen.filters(signed_in().agencies), v))
            )
        if st.button("Xoá bộ lọc", icon="✖️", width="stretch"):
            for key in [k for k in st.session_state if str(k).startswith("f_")]:
                del st.session_state[key]
            _store(Selection())
            st.rerun()
        st.caption(
            "Đường dẫn trên thanh địa chỉ giữ bộ lọc: gửi nó để người khác mở đúng màn hình này."
        )
    _store(chosen)
    return chosen.filters(signed_in().agencies)


def unapproved_switch(value: bool) -> bool:
    """The one switch "gồm báo cáo chưa duyệt", for the sidebar and any export form."""
    return st.toggle(
        "Gồm báo cáo chưa duyệt", value=value, key="f_unapproved", help=UNAPPROVED_HELP
    )


def unapproved_caption(count: int) -> str:
    if not count:
        return "Chưa có báo cáo nào đang chờ duyệt trong phạm vi đã chọn."
    return f"Đang gồm {fmt.num(count)} báo cáo chưa duyệt."


def describe(f: Filters) -> str:
    """A one-line summary of the filters a page got from `sidebar`, for its caption."""
    parts = [KIND_LABELS[f.period_kind]]
    if f.year_from and f.year_to:
        parts.append(f"{f.year_from}–{f.year_to}" if f.year_from != f.year_to else str(f.year_from))
    # The agencies the figures cover: a user scoped to some agencies sees theirs named, not
    # "mọi ngành", when no agency is chosen.
    agencies = f.agency_codes()
    parts.append("mọi ngành" if agencies is None else ", ".join(sorted(agencies)))
    parts.append(f"{len(f.provinces)} tỉnh" if f.provinces else "cả nước")
    if f.include_unapproved:
        parts.append("gồm báo cáo chưa duyệt")
    return " · ".join(parts)
