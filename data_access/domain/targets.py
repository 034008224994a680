"""The Strategy 2021–2030 target in force in a year: a trajectory through its milestones.

Nghị quyết 28/NQ-CP sets milestones (60% of units with a woman among key leaders by 2025, 75% by
2030). The value in force in a year is the milestone's for every year up to the first milestone
(the Strategy gives no earlier step), interpolated linearly between two milestones (2026 → 63%,
not yet 75%), and nothing before the Strategy's first year or after its last milestone: 2018
was not measured against a target adopted in 2021.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

# Nghị quyết 28/NQ-CP ngày 03/3/2021: the Strategy runs 2021–2030.
STRATEGY_FIRST_YEAR = 2021


def target_in_force(year: int, milestones: Iterable[tuple[int, float]]) -> float | None:
    """The target for `year` from (year, value %) milestones; None outside the Strategy."""
    points = sorted((int(y), float(v)) for y, v in milestones)
    if not points or year < STRATEGY_FIRST_YEAR or year > points[-1][0]:
        return None
    if year <= points[0][0]:
        return points[0][1]
    for (y0, v0), (y1, v1) in itertools.pairwise(points):
        if y0 <= year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return None  # unreachable: year lies between the first and the last milestone
