"""Like-for-like lines through a split (issue #16, item 3), on SQLite and PostgreSQL.

NHNN-CN08 reports 2024-Y (100 staff, 40 women) and is split on 01/07/2025 into NHNN-CN08A
(2025-Y: 60 staff, 30 women) and NHNN-CN08B (50 staff, 20 women). The three form one line: both
successors are compared with the unit they came from.

    2024-Y  100 staff, 40 women → 40,0%
    2025-Y  110 staff, 50 women → 45,45…%   change +5,45… points; 2 units matched, none new

Following units.successor_id alone (the split records only the first successor there), CN08B was
a "new" unit and the comparison set 60/30 against 100/40.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access import ingest, registry
from data_access.auth import Identity
from data_access.domain.filters import Filters
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet
from data_access.queries.comparison import compare
from data_access.registry import changes
from data_access.registry.changes import NewUnit

DATA = Path(__file__).resolve().parent / "data" / "registry"
ADMIN = Identity("quantri", "admin")
STAFF = ["staff_total", "staff_female"]


def _report(engine: Engine, period: str, rows: list[tuple[str, int, int]]) -> None:
    lines = ["unit_code,period,staff_total,staff_female"]
    lines += [f"{code},{period},{total},{female}" for code, total, female in rows]
    done = ingest.commit(
        engine, "bc.csv", ("\n".join(lines) + "\n").encode(), identity=ADMIN, accept_warnings=True
    )
    assert done.committed, done.problems


@pytest.fixture
def split_unit(engine: Engine) -> Engine:
    data = (DATA / "nhnn_units.csv").read_bytes()
    assert registry.commit(engine, "nhnn_units.csv", data, identity=ADMIN).committed
    _report(engine, "2024-Y", [("NHNN-CN08", 100, 40)])
    into = [
        NewUnit("NHNN-CN08A", "Chi nhánh 8A", "08", ProvinceSet.CURRENT),
        NewUnit("NHNN-CN08B", "Chi nhánh 8B", "08", ProvinceSet.CURRENT),
    ]
    changes.split(engine, "NHNN-CN08", into, REFORM_DATE, identity=ADMIN)
    _report(engine, "2025-Y", [("NHNN-CN08A", 60, 30), ("NHNN-CN08B", 50, 20)])
    return engine


def test_a_unit_split_in_two_is_one_line_with_both_successors(split_unit: Engine) -> None:
    f = Filters(period_kind="Y", agencies=("NHNN",))
    matched = compare(split_unit, f, "2025-Y", "2024-Y", STAFF)
    assert (matched.matched, matched.new, matched.closed, matched.not_reported) == (2, 0, 0, 0)
    assert (matched.now["staff_total"], matched.now["staff_female"]) == (110, 50)
    assert (matched.before["staff_total"], matched.before["staff_female"]) == (100, 40)
    assert matched.change("staff_female_pct") == pytest.approx(100 * 50 / 110 - 40.0)
