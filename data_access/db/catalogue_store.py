"""The catalogue as stored in the database: read the active indicators, save new or changed ones.

The catalogue's rules (codes, pairs, groups) are the domain's; this is only where its rows live."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from data_access.db.models import Indicator
from data_access.domain.catalogue import Catalogue, IndicatorDef


def load(conn: Connection | Session) -> Catalogue:
    """The active catalogue stored in the database."""
    names = [f.name for f in fields(IndicatorDef)]
    table = Indicator.__table__
    rows = conn.execute(select(*(table.c[n] for n in names)).where(table.c.active.is_(True)))
    return Catalogue(IndicatorDef(**row._asdict()) for row in rows)


def save_indicators(session: Session, indicators: Iterable[IndicatorDef]) -> None:
    """Insert or update catalogue rows by code (the caller commits, then syncs value columns)."""
    existing = {i.code: i for i in session.execute(select(Indicator)).scalars()}
    for ind in indicators:
        row = existing.get(ind.code) or Indicator(code=ind.code)
        for key, value in asdict(ind).items():
            setattr(row, key, value)
        row.active = True
        session.add(row)
    session.flush()
