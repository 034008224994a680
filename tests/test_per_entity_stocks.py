"""Stocks at each entity's own latest report in the range (issue 16, item 2), on a panel computed
by hand. BHXH reports 2023-Y and 2024-Y; LĐ-TBXH only 2023-Y (it stopped reporting).

            staff (total/female)   recruited (total/female)
BHXH 2023   100/60                 10/5
BHXH 2024   110/66                 20/16
LĐTB 2023   50/20                  10/2

Grouped by agency over 2023–…: BHXH staff 110/66 (2024-Y), LĐ-TBXH 50/20 (2023-Y, shown), where
the selection's latest period gave LĐ-TBXH no staff at all. Recruitment is summed: BHXH 30/21.
Representation of women in recruitment over the staff share's own period: BHXH 2024 (16/20) /
(66/110) = 80/60 = 1,333; LĐ-TBXH 2023 (2/10) / (20/50) = 0,5.
"""

import pytest
from sqlalchemy import Engine

from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from data_access.views.capacity import capacity, earlier_stock_periods
from tests import tiny_panel

LDTB = {"code": "LDTBXH", "name": "Bộ Lao động – Thương binh và Xã hội"}


@pytest.fixture
def panel(engine: Engine, tmp_path) -> Engine:
    units = [tiny_panel.unit("B1", "01"), tiny_panel.unit("L1", "01", agency="LDTBXH")]

    def r(unit: str, period: str, staff: tuple[int, int], recruited: tuple[int, int]) -> dict:
        return tiny_panel.report(
            unit,
            period,
            staff_total=staff[0],
            staff_female=staff[1],
            recruited_total=recruited[0],
            recruited_female=recruited[1],
        )

    reports = [
        r("B1", "2023-Y", (100, 60), (10, 5)),
        r("B1", "2024-Y", (110, 66), (20, 16)),
        r("L1", "2023-Y", (50, 20), (10, 2)),
    ]
    return tiny_panel.load(engine, tmp_path, units, reports, agencies=[LDTB])


CODES = ["staff_total", "staff_female", "recruited_total", "recruited_female"]


@pytest.mark.parametrize(
    "f",
    [
        Filters(year_from=2023),  # open-ended: its last periods have no report yet
        Filters(year_from=2023, year_to=2024),
    ],
)
def test_each_agency_keeps_its_latest_stock(panel: Engine, f: Filters) -> None:
    frame = aggregate(panel, f, by=("agency",), indicators=CODES).set_index("agency_code")
    assert frame.loc["BHXH", ["staff_total", "staff_female", "stock_period"]].tolist() == [
        110,
        66,
        "2024-Y",
    ]
    assert frame.loc["LDTBXH", ["staff_total", "staff_female", "stock_period"]].tolist() == [
        50,
        20,
        "2023-Y",
    ]
    assert frame.loc["BHXH", ["recruited_total", "recruited_female"]].tolist() == [30, 21]
    assert frame.at["LDTBXH", "staff_female_pct"] == pytest.approx(40.0)


def test_an_open_ended_range_has_stocks(panel: Engine) -> None:
    total = aggregate(panel, Filters(period_kind="Y", year_from=2023), by=(), indicators=CODES)
    # The whole selection's latest period with reports is 2024-Y: BHXH's 110 staff.
    assert total.iloc[0]["staff_total"] == 110
    assert total.iloc[0]["stock_period"] == "2024-Y"


def test_representation_divides_flows_of_the_stock_period(panel: Engine) -> None:
    out = capacity(panel, Filters(year_from=2023, year_to=2024), "agency")
    recruited = out[out["pair"] == "recruited"].set_index("agency_code")["representation"]
    assert recruited["BHXH"] == pytest.approx((16 / 20) / (66 / 110))
    assert recruited["LDTBXH"] == pytest.approx((2 / 10) / (20 / 50))


def test_an_earlier_stock_period_is_named(panel: Engine) -> None:
    out = capacity(panel, Filters(year_from=2023), "agency")
    assert earlier_stock_periods(out, "agency_code") == {"LDTBXH": "2023-Y"}
