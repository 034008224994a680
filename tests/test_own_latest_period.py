"""The leadership shares and the overview's laggards read each agency at its own latest report in
the selection (issue #16, item 2), on a panel computed by hand.

Ten BHXH units report 2023-Y and 2024-Y; ten LĐ-TBXH units report 2023-Y only (the agency stopped
reporting a year earlier). Every unit has 2 key leaders and 4 managers.

                     units with a female key leader   female managers
BHXH     2023-Y      10 of 10                         20 of 40
BHXH     2024-Y       6 of 10  → 60,0%                20 of 40 → 50,0%
LĐ-TBXH  2023-Y       3 of 10  → 30,0%                10 of 40 → 25,0%

Over 2023–…, the selection's latest period is 2024-Y, where LĐ-TBXH has no report: read at that
period it dropped out of both lists. Read at its own latest period (2023-Y, shown), it is the
agency furthest from the 60% target (gap 30 points; BHXH's gap is 0).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access.domain.filters import Filters
from data_access.queries.aggregate import FEMALE_LEADER_PCT
from data_access.views import leadership as leadership_view
from data_access.views import overview as overview_view
from tests import tiny_panel

LDTB = {"code": "LDTBXH", "name": "Bộ Lao động – Thương binh và Xã hội"}
SELECTION = Filters(period_kind="Y", year_from=2023)


def _report(unit: str, period: str, woman_leader: bool, female_managers: int) -> dict:
    return tiny_panel.report(
        unit,
        period,
        staff_total=20,
        staff_female=10,
        managers_total=4,
        managers_female=female_managers,
        key_leaders_total=2,
        key_leaders_female=int(woman_leader),
        heads_total=1,
        heads_female=0,
    )


@pytest.fixture
def panel(engine: Engine, tmp_path: Path) -> Engine:
    units = [tiny_panel.unit(f"B{i}") for i in range(10)]
    units += [tiny_panel.unit(f"L{i}", agency="LDTBXH") for i in range(10)]
    reports = [_report(f"B{i}", "2023-Y", True, 2) for i in range(10)]
    reports += [_report(f"B{i}", "2024-Y", i < 6, 2) for i in range(10)]
    reports += [_report(f"L{i}", "2023-Y", i < 3, 1) for i in range(10)]
    return tiny_panel.load(engine, tmp_path, units, reports, agencies=[LDTB])


def test_leadership_shares_keep_an_agency_that_stopped_reporting(panel: Engine) -> None:
    shares = leadership_view.leadership_shares(panel, SELECTION, "agency")
    rows = shares.set_index("agency_code")
    assert list(shares["agency_code"]) == ["LDTBXH", "BHXH"]  # the lowest share first
    assert rows.at["LDTBXH", FEMALE_LEADER_PCT] == pytest.approx(30.0)
    assert rows.at["LDTBXH", "managers_female_pct"] == pytest.approx(25.0)
    assert rows.at["LDTBXH", "stock_period"] == "2023-Y"
    assert "số liệu năm 2023" in rows.at["LDTBXH", "note"]
    # Its completeness is that of its own period: all ten reported 2023-Y.
    assert rows.at["LDTBXH", "completeness"].startswith("10/10")
    assert rows.at["BHXH", FEMALE_LEADER_PCT] == pytest.approx(60.0)
    assert rows.at["BHXH", "stock_period"] == "2024-Y"
    assert rows.at["BHXH", "note"] == ""  # the selection's latest period: nothing to say


def test_laggards_read_each_agency_at_its_own_latest_period(panel: Engine) -> None:
    result = overview_view.overview(panel, SELECTION, "agency")
    laggards = result.laggards
    assert list(laggards["agency_code"]) == ["LDTBXH", "BHXH"]
    assert list(laggards["stock_period"]) == ["2023-Y", "2024-Y"]
    assert laggards["target_gap"].tolist() == pytest.approx([30.0, 0.0])
    assert "số liệu năm 2023" in laggards.at[0, "note"]
    assert laggards.at[1, "note"] == ""
    # The headline stays the selection's latest period.
    assert result.latest is not None and result.latest["period"] == "2024-Y"


def test_one_period_selected_is_every_agency_s_period(panel: Engine) -> None:
    shares = leadership_view.leadership_shares(panel, Filters(periods=("2024-Y",)), "agency")
    assert list(shares["agency_code"]) == ["BHXH"]
    assert list(shares["stock_period"]) == ["2024-Y"]
    assert list(shares["note"]) == [""]
