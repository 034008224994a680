"""A form (or a small upload) is checked against the units it names, not the whole registry
(130 ms of 61,000 units per submit at national scale); codes typed in another letter case, and
rows that name their unit by name, still resolve as before, against every unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from data_access.db import catalogue
from data_access.db.models import Unit
from data_access.ingest import submissions
from data_access.ingest.headers import SUBMISSION_FIELDS, map_headers, vocabulary
from data_access.ingest.reading import RawTable
from data_access.ingest.validation import units_named

TODAY = dt.date(2026, 7, 1)


def _table(rows: list[dict[str, str]]) -> RawTable:
    frame = pd.DataFrame(rows, dtype=object)
    return RawTable(
        frame, lines=list(range(2, len(rows) + 2)), header_line=1, encoding="utf-8", delimiter=None
    )


def _two_units(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [
            (code, name)
            for code, name in conn.execute(
                select(Unit.code, Unit.name)
                .where(Unit.active_to.is_(None))
                .order_by(Unit.id)
                .limit(2)
            ).all()
        ]


@pytest.mark.parametrize(
    ("named", "every_unit"),
    [
        pytest.param(lambda code, name: {"unit_code": code}, False, id="codes-as-stored"),
        pytest.param(lambda code, name: {"unit_code": code.lower()}, True, id="codes-lower-case"),
        pytest.param(lambda code, name: {"unit_name": name}, True, id="names"),
    ],
)
def test_the_check_reads_the_units_named_and_resolves_them(
    sample_engine: Engine,
    named: Callable[[str, str], dict[str, str]],
    every_unit: bool,
) -> None:
    units = _two_units(sample_engine)
    rows = [{**named(code, name), "period": "2026-H1", "staff_total": "10"} for code, name in units]
    table = _table(rows)
    with sample_engine.connect() as conn:
        cat = catalogue.load(conn)
        headers = map_headers(list(table.frame.columns), vocabulary(SUBMISSION_FIELDS, cat))
        read = units_named(conn, table, headers)
        total = conn.execute(select(func.count()).select_from(Unit)).scalar_one()
        plan = submissions.validate(conn, table, cat, (), TODAY)
    assert len(read) == (total if every_unit else len(units))
    assert not [p for p in plan.collector.problems if p.column in ("unit_code", "unit_name")]
    assert plan.rows["unit_code"].tolist() == [code for code, _ in units]
