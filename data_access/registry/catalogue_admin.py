"""The indicator catalogue edited by administrators: add an indicator (for every agency or for
one), deactivate one. The catalogue is data: templates, validation, labels, the pages that list
indicators and exports follow with no code change (value columns are added in the same
transaction). Deactivating keeps the stored figures and the column; the indicator leaves
templates and pages, and adding it again with the same code brings it back."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.orm import Session

from data_access.auth import Identity
from data_access.db import audit
from data_access.db import catalogue as catalogue_mod
from data_access.db.catalogue import CatalogueError, IndicatorDef
from data_access.db.engine import frame_of
from data_access.db.models import Agency, Indicator
from data_access.db.value_tables import sync_value_columns
from data_access.ingest.writes import lock_for_writing

# Labels fit their column (models.Indicator.label_vi); a section is an outline number like "2.1".
MAX_LABEL = 300
MAX_SECTION = 8
VALUE_TYPES_VI = {"int": "Số nguyên", "decimal": "Số thập phân"}
KINDS_VI = {"stock": "Thời điểm (số hiện có)", "flow": "Thời kỳ (phát sinh trong kỳ)"}


def _who(identity: Identity | None, user: str) -> str:
    if identity is not None:
        identity.require("admin")
        return identity.username
    if not user:
        raise ValueError("the catalogue needs the user: user= or identity=")
    return user


def definitions(
    code: str,
    label_vi: str,
    section: str,
    *,
    pair: bool,
    value_type: str = "int",
    kind: str = "flow",
    agency_code: str | None = None,
    unit_vi: str | None = None,
) -> list[IndicatorDef]:
    """The catalogue rows of one indicator: `<code>_total` and `<code>_female` for a pair."""
    code = code.strip().lower()
    label = " ".join(label_vi.split())
    if not label or len(label) > MAX_LABEL:
        raise CatalogueError(f"Tên chỉ tiêu phải có từ 1 đến {MAX_LABEL} ký tự.")
    section = section.strip()
    if not section or len(section) > MAX_SECTION:
        raise CatalogueError(f"Mục trong đề cương phải có từ 1 đến {MAX_SECTION} ký tự.")
    if value_type not in VALUE_TYPES_VI or kind not in KINDS_VI:
        raise CatalogueError("Kiểu giá trị hoặc loại chỉ tiêu không hợp lệ.")
    common = {
        "label_vi": label,
        "section": section,
        "value_type": value_type,
        "kind": kind,
        "agency_code": agency_code or None,
        "unit_vi": unit_vi or None,
        "sort_order": 1000,  # after the national catalogue
    }
    if pair:
        return [
            IndicatorDef(code=f"{code}_{role}", pair=code, role=role, **common)  # type: ignore[arg-type]
            for role in ("total", "female")
        ]
    return [IndicatorDef(code=code, **common)]  # type: ignore[arg-type]


def add(
    engine: Engine,
    indicators: list[IndicatorDef],
    *,
    identity: Identity | None = None,
    user: str = "",
) -> list[str]:
    """Add (or bring back) catalogue rows and their value columns in one transaction; the codes
    of columns added. A code already active is refused, naming it."""
    user = _who(identity, user)
    with engine.begin() as conn:
        lock_for_writing(conn)
        stored = {r.code: r.active for r in conn.execute(select(Indicator.code, Indicator.active))}
        if taken := [i.code for i in indicators if stored.get(i.code)]:
            raise CatalogueError(f"Mã chỉ tiêu đã có: {', '.join(taken)}.")
        agencies = {i.agency_code for i in indicators if i.agency_code}
        known = set(conn.execute(select(Agency.code).where(Agency.code.in_(agencies))).scalars())
        if missing := agencies - known:
            raise CatalogueError(f"Không có ngành mã {', '.join(sorted(missing))}.")
        # The whole catalogue with the new rows must stay valid (codes, complete pairs).
        catalogue = catalogue_mod.load(conn)
        catalogue_mod.Catalogue([*catalogue.indicators, *indicators])
        catalogue_mod.save_indicators(Session(bind=conn), indicators)
        added = sync_value_columns(conn, catalogue_mod.load(conn))
        audit.record(
            conn,
            user,
            "catalogue_add",
            ", ".join(i.code for i in indicators),
            agency=next(iter(agencies), None),
            columns=added,
        )
    return added


def _pair_codes(conn: Connection, code: str) -> list[str]:
    """`code` and, for a pair (by its code or either side's), both sides."""
    rows = conn.execute(
        select(Indicator.code).where((Indicator.code == code) | (Indicator.pair == code))
    ).scalars()
    codes = set(rows)
    pair = conn.execute(select(Indicator.pair).where(Indicator.code == code)).scalar()
    if pair:
        codes |= set(conn.execute(select(Indicator.code).where(Indicator.pair == pair)).scalars())
    return sorted(codes)


def deactivate(
    engine: Engine, code: str, *, identity: Identity | None = None, user: str = ""
) -> list[str]:
    """Take an indicator (both sides of a pair) out of templates and pages; its figures stay.
    Returns the codes deactivated (empty: already inactive)."""
    user = _who(identity, user)
    with engine.begin() as conn:
        lock_for_writing(conn)
        codes = _pair_codes(conn, code.strip())
        if not codes:
            raise CatalogueError(f"Không có chỉ tiêu mã {code}.")
        active = sorted(
            conn.execute(
                select(Indicator.code).where(Indicator.code.in_(codes), Indicator.active.is_(True))
            ).scalars()
        )
        if not active:
            return []
        conn.execute(update(Indicator).where(Indicator.code.in_(active)).values(active=False))
        audit.record(conn, user, "catalogue_deactivate", ", ".join(active))
    return active


def listing(engine: Engine) -> pd.DataFrame:
    """code, label_vi, section, pair, role, value_type, kind, agency_code, active: every row."""
    with engine.connect() as conn:
        return frame_of(
            conn.execute(
                select(
                    Indicator.code,
                    Indicator.label_vi,
                    Indicator.section,
                    Indicator.pair,
                    Indicator.role,
                    Indicator.value_type,
                    Indicator.kind,
                    Indicator.agency_code,
                    Indicator.active,
                ).order_by(Indicator.sort_order, Indicator.code)
            )
        )
