"""A unit's place in the chain of closures, merges and splits (DHIS2's merge, without moving
data): the units it replaced, directly or through others, and the units that replaced it."""

from __future__ import annotations

from sqlalchemy import Connection, select

from data_access.db.models import Unit, UnitSuccession

# A chain longer than this is a data error (successions cannot go round: each one starts later).
MAX_DEPTH = 50


def _walk(conn: Connection, start: int, backwards: bool) -> list[int]:
    """Ids reached from `start` through successions (and units' own successor), nearest first."""
    seen: dict[int, None] = {}
    frontier = {start}
    for _ in range(MAX_DEPTH):
        if backwards:
            found = set(
                conn.execute(
                    select(UnitSuccession.predecessor_id).where(
                        UnitSuccession.successor_id.in_(frontier)
                    )
                ).scalars()
            ) | set(conn.execute(select(Unit.id).where(Unit.successor_id.in_(frontier))).scalars())
        else:
            found = set(
                conn.execute(
                    select(UnitSuccession.successor_id).where(
                        UnitSuccession.predecessor_id.in_(frontier)
                    )
                ).scalars()
            ) | {
                s
                for s in conn.execute(
                    select(Unit.successor_id).where(Unit.id.in_(frontier))
                ).scalars()
                if s is not None
            }
        frontier = found - set(seen) - {start}
        if not frontier:
            break
        seen.update(dict.fromkeys(sorted(frontier)))
    return list(seen)


def predecessors(conn: Connection, unit_id: int) -> list[int]:
    return _walk(conn, unit_id, backwards=True)


def successors(conn: Connection, unit_id: int) -> list[int]:
    return _walk(conn, unit_id, backwards=False)


def codes(conn: Connection, ids: list[int]) -> list[str]:
    """The codes of `ids`, in the same order."""
    by_id = dict(conn.execute(select(Unit.id, Unit.code).where(Unit.id.in_(ids))).all())
    return [by_id[i] for i in ids]
