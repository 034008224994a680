"""Loading reference data (provinces, periods, catalogue, targets) and the sample data.

One seed function serves the first run of the app, the README and the tests.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update

from data_access.auth import create_demo_accounts
from data_access.db import activity_summary
from data_access.db import catalogue as catalogue_mod
from data_access.db.bulk import column_values, insert_rows, timestamp_values
from data_access.db.config import SAMPLE_DATA_DIR
from data_access.db.models import (
    Agency,
    AuditLog,
    CampaignActivity,
    IndexWeight,
    Indicator,
    Province,
    Target,
    Unit,
)
from data_access.db.period_rows import ensure_periods
from data_access.db.value_tables import NARRATIVE_COLUMNS, refresh_summary, sync_value_columns
from data_access.domain.periods import PeriodCode, parse_period, period_range
from data_access.domain.province_sets import ProvinceSet

FIRST_PERIOD = PeriodCode(2018, "H1")
# The audit entry of a sample load: it marks the database as the sample (the app says so).
SAMPLE_SEED_ACTION = "seed"
# Bulk inserts go in chunks so memory stays flat for a million-row sample.
CHUNK_ROWS = 20_000


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        yield from csv.DictReader(f)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _chunks(
    rows: Iterable[dict[str, Any]], size: int = CHUNK_ROWS
) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


# --- reference data (every database) -------------------------------------------------------------


def load_reference(
    conn: Connection, directory: Path = SAMPLE_DATA_DIR, today: dt.date | None = None
) -> None:
    """Provinces, periods, the indicator catalogue and targets; safe to run on every start."""
    _load_provinces(conn, directory / "provinces.csv")
    ensure_periods(
        conn, period_range(FIRST_PERIOD, PeriodCode((today or dt.date.today()).year + 1, "Y"))
    )
    _load_indicators(conn, directory / "indicators.csv")
    _load_targets(conn, directory / "targets.csv")
    _load_index_weights(conn)
    sync_value_columns(conn, catalogue_mod.load(conn))


def _load_provinces(conn: Connection, path: Path) -> None:
    if conn.execute(select(func.count()).select_from(Province)).scalar_one():
        return
    rows = list(read_csv(path))
    conn.execute(
        insert(Province),
        [
            {
                k: r[k]
                for k in (
                    "code_set",
                    "code",
                    "name",
                    "short_name",
                    "slug",
                    "region_code",
                    "region_name",
                )
            }
            | {"lat": float(r["lat"]), "lon": float(r["lon"])}
            for r in rows
        ],
    )
    ids = {
        (s, c): i for i, s, c in conn.execute(select(Province.id, Province.code_set, Province.code))
    }
    for r in rows:
        conn.execute(
            update(Province)
            .where(Province.id == ids[(r["code_set"], r["code"])])
            .values(current_id=ids[(ProvinceSet.CURRENT, r["current_code"])])
        )


def _load_indicators(conn: Connection, path: Path) -> None:
    known = set(conn.execute(select(Indicator.code)).scalars())
    new = [i for i in catalogue_mod.read_csv(path) if i.code not in known]
    if new:
        catalogue_mod.validate(new)
        conn.execute(insert(Indicator), [vars(i) | {"active": True} for i in new])


def _load_index_weights(conn: Connection) -> None:
    from data_access.analytics.gender_index import DEFAULT_WEIGHTS, DOMAINS

    known = set(conn.execute(select(IndexWeight.domain)).scalars())
    new = [
        {"domain": d, "label_vi": DOMAINS[d], "weight": w}
        for d, w in DEFAULT_WEIGHTS.items()
        if d not in known
    ]
    if new:
        conn.execute(insert(IndexWeight), new)


def _load_targets(conn: Connection, path: Path) -> None:
    if not path.exists() or conn.execute(select(func.count()).select_from(Target)).scalar_one():
        return
    conn.execute(
        insert(Target),
        [r | {"year": int(r["year"]), "value_pct": float(r["value_pct"])} for r in read_csv(path)],
    )


# --- sample data ----------------------------------------------------------------------------------


def has_units(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(Unit)).scalar_one())


def load_sample(engine: Engine, directory: Path = SAMPLE_DATA_DIR) -> dict[str, int]:
    """Load agencies, units, submissions and activities from `directory` in one transaction."""
    with engine.begin() as conn:
        load_reference(conn)
        if directory != SAMPLE_DATA_DIR and (directory / "targets.csv").exists():
            _load_targets(conn, directory / "targets.csv")
        counts = {"agencies": _load_agencies(conn, directory / "agencies.csv")}
        counts["units"] = _load_units(conn, directory / "units.csv")
        counts["submissions"] = load_submissions_csv(conn, directory / "submissions.csv")
        counts["activities"] = _load_activities(conn, directory / "activities.csv")
        conn.execute(
            insert(AuditLog).values(
                user_name="system",
                action=SAMPLE_SEED_ACTION,
                target=str(directory),
                detail=counts,
            )
        )
    # Demo accounts with a known password exist on the sample database only (README).
    create_demo_accounts(engine)
    return counts


def is_sample_database(engine: Engine) -> bool:
    """Whether the sample data were loaded here (its demo accounts and figures are not real)."""
    with engine.connect() as conn:
        return bool(
            conn.execute(
                select(AuditLog.id).where(AuditLog.action == SAMPLE_SEED_ACTION).limit(1)
            ).first()
        )


def _load_agencies(conn: Connection, path: Path) -> int:
    rows = list(read_csv(path))
    conn.execute(
        insert(Agency),
        [
            {
                "code": r["code"],
                "name": r["name"],
                "name_en": r.get("name_en") or None,
                "active_from": _date(r.get("active_from")),
                "active_to": _date(r.get("active_to")),
            }
            for r in rows
        ],
    )
    ids = dict(conn.execute(select(Agency.code, Agency.id)).all())
    for r in rows:
        if r.get("successor_code"):
            conn.execute(
                update(Agency)
                .where(Agency.id == ids[r["code"]])
                .values(successor_id=ids[r["successor_code"]])
            )
    return len(rows)


def _load_units(conn: Connection, path: Path) -> int:
    agencies = dict(conn.execute(select(Agency.code, Agency.id)).all())
    provinces = {
        (s, c): (i, cur)
        for i, s, c, cur in conn.execute(
            select(Province.id, Province.code_set, Province.code, Province.current_id)
        )
    }
    rows = list(read_csv(path))
    for chunk in _chunks(rows):
        conn.execute(
            insert(Unit),
            [
                {
                    "code": r["code"],
                    "name": r["name"],
                    "agency_id": agencies[r["agency_code"]],
                    "province_id": provinces[(r["province_set"], r["province_code"])][0],
                    "current_province_id": provinces[(r["province_set"], r["province_code"])][1],
                    "level": r["level"],
                    "active_from": _date(r["active_from"]),
                    "active_to": _date(r["active_to"]),
                }
                for r in chunk
            ],
        )
    ids = dict(conn.execute(select(Unit.code, Unit.id)).all())
    links = [
        {
            "uid": ids[r["code"]],
            "parent": ids.get(r["parent_code"]),
            "succ": ids.get(r["successor_code"]),
        }
        for r in rows
        if r.get("parent_code") or r.get("successor_code")
    ]
    if links:
        conn.execute(
            update(Unit)
            .where(Unit.id == bindparam("uid"))
            .values(parent_id=bindparam("parent"), successor_id=bindparam("succ")),
            links,
        )
    return len(rows)


def load_submissions_csv(conn: Connection, path: Path) -> int:
    """Bulk-load a trusted submissions CSV (sample or benchmark data) in chunks at driver speed,
    then refresh the summary. Untrusted files go through `data_access.ingest` instead."""
    catalogue = catalogue_mod.load(conn)
    units = dict(conn.execute(select(Unit.code, Unit.id)).all())
    columns = [
        "unit_id",
        "period_id",
        "report_date",
        "received_at",
        *NARRATIVE_COLUMNS,
        *catalogue.codes,
    ]
    period_ids: set[int] = set()
    count = 0
    for chunk in pd.read_csv(
        path,
        dtype={"unit_code": "str", "period": "str"},
        chunksize=CHUNK_ROWS,
        keep_default_na=False,
        na_values={c: [""] for c in catalogue.codes},
    ):
        periods = ensure_periods(conn, (parse_period(c) for c in chunk["period"].unique()))
        chunk["unit_id"] = chunk["unit_code"].map(units)
        chunk["period_id"] = chunk["period"].map(periods)
        period_ids.update(chunk["period_id"].unique().tolist())
        chunk["report_date"] = pd.to_datetime(chunk.get("report_date"), errors="coerce").dt.date
        chunk["received_at"] = pd.to_datetime(
            chunk.get("received_at"), errors="coerce"
        ).dt.to_pydatetime()
        for name in NARRATIVE_COLUMNS:
            chunk[name] = chunk[name].replace("", None) if name in chunk else None
        data = [
            (
                timestamp_values(conn, chunk[c])
                if c == "received_at"
                else column_values(
                    chunk[c],
                    integer=c in ("unit_id", "period_id")
                    or (c in catalogue and catalogue.by_code[c].value_type == "int"),
                )
            )
            if c in chunk
            else [None] * len(chunk)
            for c in columns
        ]
        count += insert_rows(conn, "submissions", columns, zip(*data, strict=True))
    refresh_summary(conn, catalogue, period_ids)
    return count


def _load_activities(conn: Connection, path: Path) -> int:
    if not path.exists():
        return 0
    units = dict(conn.execute(select(Unit.code, Unit.id)).all())
    count = 0
    for chunk in _chunks(read_csv(path)):
        conn.execute(
            insert(CampaignActivity),
            [
                {
                    "unit_id": units[r["unit_code"]],
                    "campaign": r["campaign"],
                    "start_date": _date(r["start_date"]),
                    "end_date": _date(r["end_date"]),
                    "activity_type": r["activity_type"],
                    "title": r["title"],
                    "participants_female": int(r["participants_female"]),
                    "participants_male": int(r["participants_male"]),
                }
                for r in chunk
            ],
        )
        count += len(chunk)
    activity_summary.refresh(conn)
    return count
