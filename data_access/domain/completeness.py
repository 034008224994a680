"""How complete a figure is, and when a figure is too small to rank.

Statistics offices print the response rate beside a total and suppress small cells rather than
rank them; so do the pages. Two thresholds, each with its reason:
"""

from __future__ import annotations

import math

from data_access.domain.formats import num, pct

# Below this share of the expected units reporting, a cell is marked: with a fifth or more of its
# units missing, a cell's share can move by several points on who reported alone (a late unit
# simply drops out of its province's totals).
LOW_COMPLETENESS_PCT = 80.0
# Fewer reporting units than this and an entity is not ranked: below ten units one unit's change
# of key leader moves the share of units with a female key leader by more than ten points, and
# the overview listed provinces with four or five reporting units as "cần quan tâm nhất".
MIN_UNITS_RANKED = 10
# Fewer people than this behind a share and it is not ranked either: one person then moves the
# share by more than three points (1/30).
MIN_PEOPLE_RANKED = 30
MARK = "⚠"
SMALL_NOTE = "số liệu ít"


def is_low(reporting_rate: float | None) -> bool:
    return (
        reporting_rate is not None
        and not math.isnan(reporting_rate)
        and (reporting_rate < LOW_COMPLETENESS_PCT)
    )


def is_small(
    n_units: float | None, people: float | None = None, *, units_matter: bool = True
) -> bool:
    """Too few reporting units (or people, when given) to be ranked. `units_matter=False` for a
    share of people (staff, managers…): its base is the people, so five units with three hundred
    staff are ranked; the unit minimum is about shares of units (one unit moves them)."""

    def below(value: float | None, minimum: int) -> bool:
        return value is None or math.isnan(value) or value < minimum

    return (units_matter and below(n_units, MIN_UNITS_RANKED)) or (
        people is not None and below(people, MIN_PEOPLE_RANKED)
    )


def completeness_vi(received: float | None, expected: float | None, rate: float | None) -> str:
    """'9/12 (75,0%) ⚠': units reporting of those expected, marked below the threshold."""
    if expected is None or math.isnan(expected) or not expected:
        return "–"
    text = f"{num(received)}/{num(expected)} ({pct(rate)})"
    return f"{text} {MARK}" if is_low(rate) else text


def small_note_vi() -> str:
    return (
        f"{SMALL_NOTE.capitalize()}: dưới {num(MIN_UNITS_RANKED)} đơn vị báo cáo hoặc dưới "
        f"{num(MIN_PEOPLE_RANKED)} người, không xếp hạng"
    )


def low_note_vi() -> str:
    return f"{MARK} dưới {pct(LOW_COMPLETENESS_PCT, 0)} số đơn vị phải báo cáo đã báo cáo"
