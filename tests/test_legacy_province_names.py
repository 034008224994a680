"""Reports and unit tables of periods before 01/07/2025 name each unit's province in the code set
of the period (issue 16, item 5): "BHXH huyện Bàu Bàng" was listed under Hồ Chí Minh in a 2022
report, Bình Dương having merged into it only in 2025."""

import pytest
from sqlalchemy import Engine

from data_access.documents.report import report_content
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from tests import tiny_panel

BAU_BANG = "BHXH huyện Bàu Bàng"


@pytest.fixture
def panel(engine: Engine, tmp_path) -> Engine:
    units = [
        # Bình Dương (legacy 74) rolls up to Hồ Chí Minh (79) from 01/07/2025.
        tiny_panel.unit("BB", "74", name=BAU_BANG, active_to="2025-06-30"),
        tiny_panel.unit("HN", "01", name="BHXH quận Ba Đình"),
    ]
    reports = [
        tiny_panel.report(u, p, staff_total=10, staff_female=6, managers_total=2, managers_female=1)
        for u in ("BB", "HN")
        for p in ("2022-Y", "2024-Y")
    ]
    return tiny_panel.load(engine, tmp_path, units, reports)


def test_a_2022_report_names_legacy_provinces(panel: Engine) -> None:
    content = report_content(panel, "BHXH", "2022-Y")
    rows = {row[0]: row[1] for row in content.unit_table[1:]}
    assert rows == {BAU_BANG: "Bình Dương", "BHXH quận Ba Đình": "Hà Nội"}


@pytest.mark.parametrize(
    ("periods", "province"),
    [
        (("2022-Y",), "Bình Dương"),
        (("2022-Y", "2024-Y"), "Bình Dương"),
    ],
)
def test_unit_tables_before_the_reform_name_the_units_own_province(
    panel: Engine, periods: tuple[str, ...], province: str
) -> None:
    # The 34-province set is selected (the default): the units still carry their own province.
    frame = aggregate(
        panel,
        Filters(periods=periods),
        by=("unit",),
        indicators=["staff_total"],
        units_in_period_set=True,
    )
    names = dict(zip(frame["unit_name"], frame["province_name"], strict=True))
    assert names[BAU_BANG] == province


def test_grouping_by_province_still_follows_the_selected_set(panel: Engine) -> None:
    frame = aggregate(
        panel, Filters(periods=("2022-Y",)), by=("province",), indicators=["staff_total"]
    )
    assert sorted(frame["province_name"]) == ["Hà Nội", "Hồ Chí Minh"]
