"""Completeness beside the aggregates and no ranking on small bases (issue 16, item 3), on a
panel computed by hand. 2024-Y, every unit with 10 staff:

province     units expected  reported  managers per unit  managers  verdict
Hà Nội       14              11        4                  44        ranked, 11/14 = 78,6% < 80%: ⚠
Hồ Chí Minh  10              10        3                  30        ranked, complete
Hải Phòng    4               4         4                  16        4 units < 10: số liệu ít
Đà Nẵng      10              10        2                  20        20 people < 30: số liệu ít
"""

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.domain.completeness import (
    LOW_COMPLETENESS_PCT,
    MIN_PEOPLE_RANKED,
    MIN_UNITS_RANKED,
    SMALL_NOTE,
    completeness_vi,
    is_low,
    is_small,
)
from data_access.domain.filters import Filters
from data_access.queries.aggregate import FEMALE_LEADER_PCT
from data_access.views import leadership, provinces
from data_access.views.overview import overview
from tests import tiny_panel

PANEL = {"01": (14, 11, 4), "79": (10, 10, 3), "31": (4, 4, 4), "48": (10, 10, 2)}
F = Filters(periods=("2024-Y",))


@pytest.mark.parametrize(
    ("units", "people", "small"),
    [
        (MIN_UNITS_RANKED - 1, None, True),
        (MIN_UNITS_RANKED, None, False),
        (MIN_UNITS_RANKED, MIN_PEOPLE_RANKED - 1, True),
        (MIN_UNITS_RANKED, MIN_PEOPLE_RANKED, False),
        (None, None, True),
    ],
)
def test_small_base(units: int | None, people: int | None, small: bool) -> None:
    assert is_small(units, people) is small


@pytest.mark.parametrize(
    ("rate", "low"),
    [
        (LOW_COMPLETENESS_PCT - 0.1, True),
        (LOW_COMPLETENESS_PCT, False),
        (100.0, False),
        (None, False),
    ],
)
def test_low_completeness(rate: float | None, low: bool) -> None:
    assert is_low(rate) is low


@pytest.mark.parametrize(
    ("received", "expected", "rate", "text"),
    [(9, 12, 75.0, "9/12 (75,0%) ⚠"), (10, 10, 100.0, "10/10 (100,0%)"), (0, 0, None, "–")],
)
def test_completeness_text(received: int, expected: int, rate: float | None, text: str) -> None:
    assert completeness_vi(received, expected, rate) == text


@pytest.fixture
def panel(engine: Engine, tmp_path) -> Engine:
    units, reports = [], []
    for province, (expected, reported, managers) in PANEL.items():
        for i in range(expected):
            code = f"U{province}-{i:02d}"
            units.append(tiny_panel.unit(code, province))
            if i < reported:
                reports.append(
                    tiny_panel.report(
                        code,
                        "2024-Y",
                        staff_total=10,
                        staff_female=5,
                        managers_total=managers,
                        managers_female=1,
                        key_leaders_total=2,
                        key_leaders_female=0,
                    )
                )
    return tiny_panel.load(engine, tmp_path, units, reports)


def test_overview_ranks_only_sufficient_bases_and_shows_completeness(panel: Engine) -> None:
    ov = overview(panel, F, "province")
    assert ov.small == ["Hải Phòng", "Đà Nẵng"]
    laggards = ov.laggards.set_index("province_name")
    assert sorted(laggards.index) == ["Hà Nội", "Hồ Chí Minh"]
    assert laggards.at["Hà Nội", "completeness"] == "11/14 (78,6%) ⚠"
    assert bool(laggards.at["Hà Nội", "low_completeness"])
    assert laggards.at["Hồ Chí Minh", "completeness"] == "10/10 (100,0%)"


def test_leadership_shares_put_small_bases_last_with_a_note(panel: Engine) -> None:
    shares = leadership.leadership_shares(panel, F, "province")
    assert shares["province_name"].tolist()[2:] and set(shares["province_name"][2:]) == {
        "Hải Phòng",
        "Đà Nẵng",
    }
    assert shares.set_index("province_name")["note"].to_dict() == {
        "Hà Nội": "",
        "Hồ Chí Minh": "",
        "Hải Phòng": SMALL_NOTE,
        "Đà Nẵng": SMALL_NOTE,
    }


def test_province_ranking_leaves_small_bases_unranked(panel: Engine) -> None:
    values = provinces.province_values(panel, F, "managers_female_pct")
    reported = values.dropna(subset=["value"]).set_index("province_name")
    # managers' female share: Hà Nội 11/44 = 25%, Hồ Chí Minh 10/30 = 33,3%: HCM first.
    assert reported["rank"].dropna().to_dict() == {"Hồ Chí Minh": 1, "Hà Nội": 2}
    assert reported.at["Hà Nội", "completeness"] == "11/14 (78,6%) ⚠"
    assert reported.loc[["Hải Phòng", "Đà Nẵng"], "note"].tolist() == [SMALL_NOTE] * 2


def test_a_share_of_people_is_ranked_on_its_people_a_share_of_units_on_its_units(
    panel: Engine,
) -> None:
    """Hải Phòng: 4 reporting units with 10 staff each (40 ≥ MIN_PEOPLE_RANKED people): its staff
    share is ranked; its share of units with a female key leader (4 < MIN_UNITS_RANKED units)
    is not."""
    assert MIN_PEOPLE_RANKED <= 4 * 10 and MIN_UNITS_RANKED > 4
    staff = provinces.province_values(panel, F, "staff_female_pct").set_index("province_name")
    assert staff.at["Hải Phòng", "note"] == ""
    assert staff.at["Hải Phòng", "rank"] == staff.at["Hải Phòng", "rank"]  # not NaN
    leaders = provinces.province_values(panel, F, FEMALE_LEADER_PCT).set_index("province_name")
    assert leaders.at["Hải Phòng", "note"] == SMALL_NOTE
    assert pd.isna(leaders.at["Hải Phòng", "rank"])
