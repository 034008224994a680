"""Targets, national or an agency's own for a year (Decision 2282: a sector where women are under
30% of staff may set its own), set by administrators; charts show an agency's target in place of
the national one when one agency is selected and it has set one."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, delete, insert, select, update

from data_access.auth import Identity
from data_access.db import audit
from data_access.db.engine import frame_of
from data_access.db.models import Agency, Target

TARGET_MEASURE = "units_with_female_key_leader_pct"
MEASURE_LABELS_VI = {TARGET_MEASURE: "Tỷ lệ cơ quan, đơn vị có lãnh đạo chủ chốt là nữ"}
# The Strategy runs 2021–2030; a target outside these years is a typing mistake.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class TargetError(ValueError):
    """Refused, with the reason in Vietnamese; nothing was written."""


def _agency_id(conn: object, code: str | None) -> int | None:
    if code is None:
        return None
    found = conn.execute(select(Agency.id).where(Agency.code == code)).scalar()  # type: ignore[attr-defined]
    if found is None:
        raise TargetError(f"Không có ngành mã {code}.")
    return int(found)


def set_target(
    engine: Engine,
    year: int,
    value_pct: float,
    agency_code: str | None = None,
    *,
    measure: str = TARGET_MEASURE,
    source: str | None = None,
    identity: Identity | None = None,
    user: str = "",
) -> bool:
    """Set (or change) a target; True when something changed. Administrators only."""
    if identity is not None:
        identity.require("admin")
        user = identity.username
    if not user:
        raise ValueError("set_target needs the user: user= or identity=")
    if measure not in MEASURE_LABELS_VI:
        raise TargetError(f"Không có chỉ số mục tiêu {measure}.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise TargetError(f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.")
    if not 0 <= value_pct <= 100:
        raise TargetError("Mục tiêu là một tỷ lệ phần trăm, từ 0 đến 100.")
    with engine.begin() as conn:
        agency_id = _agency_id(conn, agency_code)
        where = [Target.measure == measure, Target.year == year]
        where.append(
            Target.agency_id.is_(None) if agency_id is None else Target.agency_id == agency_id
        )
        stored = conn.execute(select(Target.id, Target.value_pct).where(*where)).one_or_none()
        if stored is not None and stored.value_pct == value_pct:
            return False
        label = MEASURE_LABELS_VI[measure]
        if stored is None:
            conn.execute(
                insert(Target).values(
                    measure=measure,
                    year=year,
                    value_pct=value_pct,
                    agency_id=agency_id,
                    label_vi=label,
                    source=source,
                )
            )
        else:
            conn.execute(update(Target).where(Target.id == stored.id).values(value_pct=value_pct))
        audit.record(
            conn,
            user,
            "target_set",
            measure,
            year=year,
            agency=agency_code,
            before=None if stored is None else stored.value_pct,
            after=value_pct,
        )
    return True


def list_targets(engine: Engine, agency_code: str | None = None) -> pd.DataFrame:
    """agency_code (None: national), measure, year, value_pct, label_vi, source."""
    query = (
        select(
            Agency.code.label("agency_code"),
            Target.measure,
            Target.year,
            Target.value_pct,
            Target.label_vi,
            Target.source,
        )
        .outerjoin(Agency, Agency.id == Target.agency_id)
        .order_by(Agency.code.nulls_first(), Target.measure, Target.year)
    )
    if agency_code is not None:
        query = query.where(Agency.code == agency_code)
    with engine.connect() as conn:
        return frame_of(conn.execute(query))


def in_force(engine: Engine, agency_code: str | None = None) -> pd.DataFrame:
    """year, value_pct, label_vi, source of the key-leader target: the agency's own when it has
    set any, else the national ones."""
    with engine.connect() as conn:
        agency_id = None
        if agency_code is not None:
            agency_id = conn.execute(select(Agency.id).where(Agency.code == agency_code)).scalar()
        columns = (Target.year, Target.value_pct, Target.label_vi, Target.source)
        base = select(*columns).where(Target.measure == TARGET_MEASURE).order_by(Target.year)
        if agency_id is not None:
            own = frame_of(conn.execute(base.where(Target.agency_id == agency_id)))
            if not own.empty:
                return own
        return frame_of(conn.execute(base.where(Target.agency_id.is_(None))))


def remove_target(
    engine: Engine,
    year: int,
    agency_code: str,
    *,
    measure: str = TARGET_MEASURE,
    identity: Identity | None = None,
    user: str = "",
) -> bool:
    """Remove an agency's own target for a year (the national one applies again); True when
    there was one. Administrators only; the national targets are not removed here."""
    if identity is not None:
        identity.require("admin")
        user = identity.username
    if not user:
        raise ValueError("remove_target needs the user: user= or identity=")
    with engine.begin() as conn:
        agency_id = _agency_id(conn, agency_code)
        where = (Target.measure == measure, Target.year == year, Target.agency_id == agency_id)
        before = conn.execute(select(Target.value_pct).where(*where)).scalar()
        if before is None:
            return False
        conn.execute(delete(Target).where(*where))
        audit.record(
            conn, user, "target_remove", measure, year=year, agency=agency_code, before=before
        )
    return True


def comparison(engine: Engine, agency_code: str, measure: str = TARGET_MEASURE) -> pd.DataFrame:
    """year, national_pct, agency_pct: an agency's own targets beside the national ones, every
    year either has (None where one has none)."""
    table = list_targets(engine)
    table = table[table["measure"] == measure]
    national = table[table["agency_code"].isna()].set_index("year")["value_pct"]
    own = table[table["agency_code"] == agency_code].set_index("year")["value_pct"]
    years = sorted(set(national.index) | set(own.index))
    return pd.DataFrame(
        {
            "year": years,
            "national_pct": [national.get(y) for y in years],
            "agency_pct": [own.get(y) for y in years],
        }
    )
