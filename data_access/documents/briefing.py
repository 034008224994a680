"""The briefing pack's content for the current filters: headline figures, the trend, the target
chart, the laggards and the data notes (population change, completeness). `briefing_pdf` and
`briefing_pptx` lay it out; the figures are those of the overview page (`views.overview`).

The agency scope is enforced here: an agency outside the scope is refused by name, and every
query is narrowed to the scope (`Filters.scope`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from data_access.documents import chart_specs
from data_access.domain.filters import Filters
from data_access.domain.formats import num, pct, pct_points
from data_access.domain.periods import parse_period
from data_access.queries.aggregate import FEMALE_LEADER_PCT
from data_access.queries.lookups import agencies as agency_table
from data_access.queries.lookups import provinces as province_table
from data_access.views import leadership as leadership_view
from data_access.views import overview as overview_view

TITLE = "BẢN TÓM TẮT BÌNH ĐẲNG GIỚI"
LEVEL_LABELS = {
    "central": "Trung ương",
    "provincial": "Cấp tỉnh",
    "district": "Cấp huyện",
    "regional": "Khu vực",
}


class BriefingError(ValueError):
    """No briefing can be made (nothing reported, or outside the scope); the message is for users."""


@dataclass
class Headline:
    label: str
    value: str  # "53,6%"
    detail: str  # "126 / 235 người · +1,3 điểm % so với năm 2021"


@dataclass
class Briefing:
    scope: str  # what the filters select, in words
    period_label: str  # the latest period of the selection: "Năm 2022"
    headlines: list[Headline]
    trend: pd.DataFrame  # year, series, share
    leader_trend: pd.DataFrame  # year, female_key_leader_units_pct, target
    laggards: list[list[str]]  # first row: headings
    laggards_title: str
    notes: list[str]
    charts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (title, spec)

    @property
    def title(self) -> str:
        return TITLE


def describe(engine: Engine, f: Filters) -> str:
    """The selection in words: agencies, provinces (and their code set), levels, periods."""
    names = dict(agency_table(engine)[["code", "name"]].itertuples(index=False))
    chosen = f.agency_codes()
    agencies = ", ".join(names.get(c, c) for c in sorted(chosen)) if chosen else "Tất cả các ngành"
    parts = [agencies]
    if f.provinces:
        ref = dict(province_table(engine, f.province_set)[["code", "name"]].itertuples(index=False))
        parts.append(
            ", ".join(ref.get(c, c) for c in f.provinces) + f" ({f.province_set.short_label_vi})"
        )
    else:
        parts.append("cả nước")
    if f.levels:
        parts.append(", ".join(LEVEL_LABELS[level] for level in f.levels))
    if f.periods:
        parts.append(", ".join(parse_period(p).label_vi for p in f.periods))
    else:
        kind = "Báo cáo 6 tháng" if f.period_kind == "H1" else "Báo cáo năm"
        years = (
            f"{f.year_from}–{f.year_to}"
            if f.year_from and f.year_to and f.year_from != f.year_to
            else str(f.year_from or f.year_to or "mọi năm")
        )
        parts.append(f"{kind} {years}")
    return " · ".join(parts)


def briefing(engine: Engine, f: Filters) -> Briefing:
    """The briefing of the selection `f` (its `scope` is the user's agency scope)."""
    if f.scope and (outside := sorted(set(f.agencies) - set(f.scope))):
        raise BriefingError(f"Ngành {', '.join(outside)} ngoài phạm vi được giao.")
    single_agency = len(f.agency_codes() or ()) == 1
    by = "province" if single_agency else "agency"
    overview = overview_view.overview(engine, f, by)
    latest, previous = overview.latest, overview.previous
    if latest is None:
        raise BriefingError(
            "Chưa có báo cáo nào cho lựa chọn này: chưa thể lập bản tóm tắt. "
            "Hãy nới rộng bộ lọc (năm, ngành, tỉnh)."
        )
    labels = overview.labels  # the overview's short labels
    period = parse_period(str(latest["period"]))
    before = (
        f" so với {parse_period(str(previous['period'])).label_vi.lower()}"
        if previous is not None
        else ""
    )
    headlines = []
    for pair, label in labels.items():
        change = overview.changes.get(pair)
        detail = f"Nữ {num(latest[f'{pair}_female'])} / {num(latest[f'{pair}_total'])}"
        if change is not None:
            detail += f" · {pct_points(change)}{before}"
        headlines.append(Headline(f"Tỷ lệ nữ – {label}", pct(latest[f"{pair}_female_pct"]), detail))
    gap, target = overview.target_gap, overview.target
    leader_detail = (
        f"Mục tiêu {pct(target, 0)}: "
        + ("đã đạt" if gap >= 0 else f"còn thiếu {num(-gap, 1)} điểm %")
        if target is not None and gap is not None
        else "Chưa có mục tiêu cho năm này"
    )
    headlines.append(
        Headline("Đơn vị có lãnh đạo chủ chốt là nữ", pct(latest[FEMALE_LEADER_PCT]), leader_detail)
    )
    reporting = overview.reporting
    if reporting is not None:
        headlines.append(
            Headline(
                "Tỷ lệ đơn vị đã báo cáo",
                pct(reporting["reporting_rate"]),
                f"{num(reporting['received'])} / {num(reporting['expected'])} đơn vị phải báo cáo",
            )
        )

    trend = overview.lines[["year", "series", "share"]].dropna(subset=["share"])
    leader_trend = leadership_view.female_leader_trend(engine, f)

    name = "province_name" if by == "province" else "agency_name"
    group = "Tỉnh, thành phố" if by == "province" else "Ngành"
    laggards = [[group, "Đơn vị có LĐCC nữ", "Nữ LĐ, QL", "Nữ LĐCC", "Số đơn vị"]]
    for row in overview.laggards.itertuples():
        laggards.append(
            [
                str(getattr(row, name)),
                pct(getattr(row, FEMALE_LEADER_PCT)),
                pct(row.managers_female_pct),
                pct(row.key_leaders_female_pct),
                num(row.n_units),
            ]
        )
    out = Briefing(
        scope=describe(engine, f),
        period_label=period.label_vi,
        headlines=headlines,
        trend=trend,
        leader_trend=leader_trend,
        laggards=laggards,
        laggards_title=f"{group} cần quan tâm nhất (xa mục tiêu nhất)",
        notes=_notes(overview, f),
    )
    out.charts = [
        (
            "Xu hướng tỷ lệ nữ",
            chart_specs.spec(
                chart_specs.share_trend(trend, "year", "series", "share", "Tỷ lệ nữ (%)")
            ),
        ),
        (
            "Đơn vị có lãnh đạo chủ chốt là nữ so với mục tiêu",
            chart_specs.spec(
                chart_specs.target_trend(leader_trend, FEMALE_LEADER_PCT, "Tỷ lệ đơn vị (%)")
            ),
        ),
    ]
    return out


def _notes(overview: overview_view.Overview, f: Filters) -> list[str]:
    """What a reader should know before comparing the figures."""
    latest = overview.latest
    assert latest is not None
    period = parse_period(str(latest["period"])).label_vi
    notes = []
    reporting = overview.reporting
    if reporting is not None:
        notes.append(
            f"Mức đầy đủ: đã nhận {num(reporting['received'])} / {num(reporting['expected'])} "
            f"báo cáo phải nộp {period.lower()} ({pct(reporting['reporting_rate'])}); "
            f"đúng hạn {pct(reporting['on_time_rate'])} số đã nhận. Đơn vị chưa báo cáo không "
            "được tính trong các tỷ lệ."
        )
    if overview.comparison is not None:
        # The changes quoted are like for like; the population change is stated beside them.
        notes.append(f"Thay đổi giữa hai kỳ {overview.comparison.note_vi()}.")
    notes.append(
        f"Địa phương theo bộ mã {f.province_set.label_vi}. Chỉ tiêu tồn (số người) lấy tại kỳ báo "
        "cáo mới nhất của từng ngành, địa phương trong lựa chọn; chỉ tiêu phát sinh cộng dồn các kỳ."
    )
    return notes
