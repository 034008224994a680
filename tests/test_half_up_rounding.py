"""Half-up rounding as Excel does it, in the one formatter and in the exports (issue 16, item 5).
Python's round(), f"{x:.1f}" and Babel round half to even: 1 of 16 showed 6,2% for 6,25%."""

import csv
import io
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from data_access.analytics.exports import export, export_frame
from data_access.domain.filters import Filters
from data_access.domain.formats import num, pct, pct_points, round_half_up
from tests import tiny_panel


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (6.25, 1, "6,3"),  # 1/16 as a percentage: half to even would give 6,2
        (100 * 1 / 16, 1, "6,3"),
        (0.125, 2, "0,13"),
        (0.375, 2, "0,38"),
        (2.5, 0, "3"),
        (3.5, 0, "4"),
        (-6.25, 1, "-6,3"),  # ties away from zero, as Excel's ROUND
        (-2.5, 0, "-3"),
        (1.005, 2, "1,01"),  # read as written: its binary value is 1,00499…
        (-0.04, 1, "0,0"),  # no "-0,0"
        (1520.45, 1, "1.520,5"),
        (53.617, 1, "53,6"),
    ],
)
def test_num_rounds_ties_half_up(value: float, places: int, shown: str) -> None:
    assert num(value, places) == shown


@pytest.mark.parametrize(
    ("value", "places", "exact"),
    [
        (6.25, 1, Decimal("6.3")),
        (0.125, 2, Decimal("0.13")),
        (-0.125, 2, Decimal("-0.13")),
        (113.41999999999999, 2, Decimal("113.42")),
        (7, 0, Decimal(7)),
    ],
)
def test_round_half_up(value: float, places: int, exact: Decimal) -> None:
    assert round_half_up(value, places) == exact


@pytest.mark.parametrize(
    ("value", "shown"),
    [(6.25, "6,3%"), (12.5, "12,5%"), (None, "–")],
)
def test_pct(value: float | None, shown: str) -> None:
    assert pct(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1.25, "+1,3 điểm %"), (-1.25, "-1,3 điểm %"), (0.04, "0,0 điểm %"), (-0.04, "0,0 điểm %")],
)
def test_pct_points_sign_follows_the_figure_shown(value: float, shown: str) -> None:
    assert pct_points(value) == shown


def _panel(engine: Engine, tmp_path) -> Engine:
    # THADS money: 0.1 + 0.2 summed as floats is 0.30000000000000004; 16 staff, 1 woman: 6,25%.
    return tiny_panel.load(
        engine,
        tmp_path,
        [
            tiny_panel.unit("T1", agency="THADS"),
            tiny_panel.unit("T2", agency="THADS"),
        ],
        [
            tiny_panel.report(
                "T1", "2024-Y", staff_total=8, staff_female=1, thads_money_eligible_bn=0.1
            ),
            tiny_panel.report(
                "T2", "2024-Y", staff_total=8, staff_female=0, thads_money_eligible_bn=0.2
            ),
        ],
        agencies=[{"code": "THADS", "name": "Hệ thống Thi hành án dân sự"}],
    )


def test_exports_write_exact_decimals_rounded_half_up(engine: Engine, tmp_path) -> None:
    _panel(engine, tmp_path)
    f = Filters(periods=("2024-Y",))
    frame = export_frame(
        engine, "agency", f, ["staff_total", "staff_female", "thads_money_eligible_bn"]
    ).frame
    assert frame.loc[0, "staff_female_pct"] == Decimal("6.3")
    assert frame.loc[0, "thads_money_eligible_bn"] == Decimal("0.300")
    data, _ = export(
        engine,
        "agency",
        f,
        "csv",
        indicators=["staff_total", "staff_female", "thads_money_eligible_bn"],
    )
    row = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert row["staff_female_pct"] == "6.3"
    assert row["thads_money_eligible_bn"] == "0.300"
