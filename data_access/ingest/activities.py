"""Validation and change detection for campaign activity files (one row per activity)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from data_access.db.engine import frame_of
from data_access.db.models import CAMPAIGNS, CampaignActivity
from data_access.domain.text import normalise
from data_access.ingest.headers import ACTIVITY_FIELDS, map_headers, normalise_heading, vocabulary
from data_access.ingest.limits import value_max
from data_access.ingest.reading import RawTable
from data_access.ingest.validation import (
    Collector,
    check_active_and_scope,
    check_duplicates,
    column,
    parse_value_columns,
    resolve_units,
    text_column,
    units_named,
)
from data_access.ingest.values import parse_dates
from data_access.ingest.writes import ACTIVITY_COLUMNS

CAMPAIGN_LABELS_VI = {
    "ACTION_MONTH_GE": "Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới",
    "DV_MONTH": "Tháng hành động phòng, chống bạo lực gia đình",
    "IWD_0803": "Ngày Quốc tế Phụ nữ 8/3",
    "VWD_2010": "Ngày Phụ nữ Việt Nam 20/10",
    "OTHER": "Hoạt động khác",
}
KEY = ["unit_id", "campaign", "start_date", "title"]
REQUIRED = ("campaign", "start_date", "title")


@dataclass
class ActivityPlan:
    collector: Collector
    rows: pd.DataFrame


def _campaign_lookup() -> dict[str, str]:
    lookup = {normalise_heading(code): code for code in CAMPAIGNS}
    lookup |= {normalise_heading(label): code for code, label in CAMPAIGN_LABELS_VI.items()}
    lookup |= {
        normalise_heading(alias): code
        for alias, code in (
            ("8/3", "IWD_0803"),
            ("20/10", "VWD_2010"),
            ("tháng hành động vì bình đẳng giới", "ACTION_MONTH_GE"),
            ("khác", "OTHER"),
        )
    }
    return lookup


def validate(
    conn: Connection, table: RawTable, scope: Sequence[str], today: dt.date
) -> ActivityPlan:
    headers = map_headers(list(table.frame.columns), vocabulary(ACTIVITY_FIELDS, None))
    c = Collector(table, headers)
    for _, heading in headers.unknown:
        c.file_error("Cột không xác định: không khớp tên cột nào của mẫu hoạt động.", heading)
    for _, heading in headers.duplicates:
        c.file_error("Cột bị lặp lại.", heading)
    if not headers.names & {"unit_code", "unit_name"}:
        c.file_error("Thiếu cột bắt buộc: Mã đơn vị (unit_code) hoặc Tên đơn vị (unit_name).")
    for name in REQUIRED:
        if name not in headers.names:
            c.file_error(f"Thiếu cột bắt buộc: {ACTIVITY_FIELDS[name]} ({name}).")
    if c.errors:
        return ActivityPlan(c, pd.DataFrame())

    n = len(table.frame)
    campaigns_raw = column(table, headers, "campaign")
    assert campaigns_raw is not None
    lookup = _campaign_lookup()
    campaigns = [lookup.get(normalise_heading(v)) for v in campaigns_raw]
    bad = [i for i, v in enumerate(campaigns) if v is None]
    c.add(
        bad,
        "campaign",
        f"Đợt hoạt động không hợp lệ: dùng một trong {', '.join(CAMPAIGNS)}.",
        campaigns_raw.iloc[bad].tolist(),
    )

    starts_raw = column(table, headers, "start_date")
    assert starts_raw is not None
    starts, bad_start = parse_dates(starts_raw)
    c.add(
        np.flatnonzero(bad_start),
        "start_date",
        "Ngày không hợp lệ: dùng dạng dd/mm/yyyy.",
        starts_raw[bad_start].tolist(),
    )
    missing_start = [i for i in range(n) if starts[i] is None and not bad_start[i]]
    c.add(missing_start, "start_date", "Thiếu ngày bắt đầu.")
    ends_raw = column(table, headers, "end_date")
    ends: list[dt.date | None] = list(starts)
    if ends_raw is not None:
        parsed_ends, bad_end = parse_dates(ends_raw)
        c.add(
            np.flatnonzero(bad_end),
            "end_date",
            "Ngày không hợp lệ: dùng dạng dd/mm/yyyy.",
            ends_raw[bad_end].tolist(),
        )
        ends = [e if e is not None else s for e, s in zip(parsed_ends, starts, strict=True)]
    for i in range(n):
        start, end = starts[i], ends[i]
        if start and start > today:
            c.add(
                [i],
                "start_date",
                "Hoạt động chưa diễn ra: ngày bắt đầu ở tương lai.",
                [start.strftime("%d/%m/%Y")],
            )
        if start and end and end < start:
            c.add([i], "end_date", "Ngày kết thúc trước ngày bắt đầu.", [end.strftime("%d/%m/%Y")])

    units = units_named(conn, table, headers)
    ids = resolve_units(c, units, starts, ends)
    check_active_and_scope(c, ids, units, starts, ends, "vào ngày diễn ra hoạt động", scope)
    stored = CampaignActivity.__table__.c
    titles = text_column(c, "title", stored.title, multiline=False, normalise=normalise)
    assert titles is not None
    c.add([i for i in range(n) if not titles.iat[i]], "title", "Thiếu tên hoạt động.")

    counts: list[str] = [
        name for name in ("participants_female", "participants_male") if name in headers.names
    ]
    maxima = {name: value_max(stored[name]) for name in counts}
    values = parse_value_columns(c, counts, dict.fromkeys(counts, True), maxima)
    types = text_column(c, "activity_type", stored.activity_type, multiline=False)
    rows = pd.DataFrame(
        {
            "line": np.asarray(table.lines),
            "unit_id": ids,
            "campaign": campaigns,
            "start_date": starts,
            "end_date": ends,
            "title": titles,
            "activity_type": types if types is not None else [""] * n,
        }
    )
    for name in ("participants_female", "participants_male"):
        rows[name] = values[name].fillna(0).to_numpy() if name in values else 0
    ok = (ids > 0) & rows["campaign"].notna().to_numpy() & rows["start_date"].notna().to_numpy()
    unit_col = "unit_code" if "unit_code" in headers.names else "unit_name"
    check_duplicates(
        c, rows[KEY].astype(str), ok, unit_col, "hoạt động (đơn vị, đợt, ngày bắt đầu, tên)"
    )
    return ActivityPlan(c, rows.drop(index=sorted(c.blocked)).reset_index(drop=True))


def classify(
    conn: Connection, plan: ActivityPlan
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """(new rows, changed rows with the stored id, stored state of the changed, unchanged count)."""
    rows = plan.rows
    if rows.empty:
        return rows, rows.assign(id=[]), rows.iloc[0:0], 0
    table = CampaignActivity.__table__
    result = conn.execute(
        select(
            table.c.id,
            *(table.c[k] for k in KEY),
            *(table.c[k] for k in ACTIVITY_COLUMNS),
            table.c.batch_id,
        ).where(
            table.c.unit_id.in_(sorted({int(u) for u in rows["unit_id"]})),
            table.c.start_date.between(min(rows["start_date"]), max(rows["start_date"])),
        )
    )
    stored = frame_of(result)
    merged = rows.merge(stored[["id", *KEY]], on=KEY, how="left")
    new = merged[merged["id"].isna()].drop(columns="id")
    matched = merged[merged["id"].notna()].astype({"id": "int64"})
    before = stored.set_index("id").loc[matched["id"]].reset_index()
    differs = np.zeros(len(matched), dtype=bool)
    for name in ACTIVITY_COLUMNS:
        a, b = matched[name].reset_index(drop=True), before[name].reset_index(drop=True)
        if name.startswith("participants"):
            differs |= (a.astype(float) != b.astype(float)).to_numpy()
        else:
            differs |= (a.astype(str) != b.astype(str)).to_numpy()
    return new, matched[differs], before[differs], int((~differs).sum())
