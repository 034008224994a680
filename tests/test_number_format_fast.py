"""formats.num writes numbers without Babel (a page formats every cell of its tables): the text
is the one Babel's vi_VN pattern writes, on the same half-up rounded value."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from data_access.domain.formats import LOCALE, num, pct, round_half_up


def _babel(value: float | int | Decimal, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(round_half_up(value, decimals), format=pattern, locale=LOCALE)


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (1520, 0, "1.520"),
        (1520.5, 1, "1.520,5"),
        (6.25, 1, "6,3"),
        (-6.25, 1, "-6,3"),
        (-0.04, 1, "0,0"),
        (999, 0, "999"),
        (1_234_567_890, 0, "1.234.567.890"),
        (Decimal("113.41999"), 3, "113,420"),
        (0, 2, "0,00"),
    ],
)
def test_num_writes_vietnamese_separators(value: float, decimals: int, shown: str) -> None:
    assert num(value, decimals) == shown == _babel(value, decimals)


def test_num_equals_babel_on_many_values() -> None:
    rng = random.Random(18)
    values: list[float | int | Decimal] = [rng.uniform(-1e7, 1e7) for _ in range(2000)]
    values += [rng.randint(-(10**9), 10**9) for _ in range(2000)]
    values += [rng.uniform(0, 100) for _ in range(2000)]
    values += [Decimal(rng.randint(-(10**8), 10**8)).scaleb(-3) for _ in range(2000)]
    for decimals in (0, 1, 2, 3):
        differ = [v for v in values if num(v, decimals) != _babel(v, decimals)]
        assert differ == [], (decimals, differ[:5])


def test_pct_keeps_its_form() -> None:
    assert pct(53.617) == "53,6%"
    assert pct(100.0, 0) == "100%"
