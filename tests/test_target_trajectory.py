"""The Strategy target as a trajectory (issue 16, item 5): 60% to 2025, interpolated to 75% in
2030, nothing before the Strategy's first year (2021). It was flat at 60% from 2018 and jumped
to 75% in 2026."""

import pytest
from sqlalchemy import Engine

from data_access.domain.filters import Filters
from data_access.domain.targets import STRATEGY_FIRST_YEAR, target_in_force
from data_access.views import leadership

MILESTONES = [(2025, 60.0), (2030, 75.0)]


@pytest.mark.parametrize(
    ("year", "target"),
    [
        (2018, None),  # before the Strategy
        (STRATEGY_FIRST_YEAR - 1, None),
        (STRATEGY_FIRST_YEAR, 60.0),
        (2024, 60.0),
        (2025, 60.0),
        (2026, 63.0),  # 60 + 15·1/5
        (2028, 69.0),  # 60 + 15·3/5
        (2030, 75.0),
        (2031, None),  # after the last milestone
    ],
)
def test_target_in_force(year: int, target: float | None) -> None:
    assert target_in_force(year, MILESTONES) == (pytest.approx(target) if target else None)


def test_milestones_in_any_order() -> None:
    assert target_in_force(2027, reversed(MILESTONES)) == pytest.approx(66.0)


def test_the_leadership_trend_carries_the_trajectory(shared_sample_engine: Engine) -> None:
    trend = leadership.female_leader_trend(shared_sample_engine, Filters())
    by_year = dict(zip(trend["year"], trend["target"], strict=True))
    assert min(by_year) < STRATEGY_FIRST_YEAR  # the sample starts before the Strategy
    for year, target in by_year.items():
        expected = target_in_force(int(year), MILESTONES)
        if expected is None:
            assert target is None or target != target  # None or NaN: no target drawn
        else:
            assert target == pytest.approx(expected)
