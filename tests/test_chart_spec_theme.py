"""chart_specs.spec adds the theme's config converted once: every builder's spec is the one
themed(chart).to_dict() writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from altair.utils import schemapi

from data_access.documents import chart_specs
from tests.test_charts import CASES


@pytest.mark.parametrize("builder, args, kwargs", CASES, ids=[c[0].__name__ for c in CASES])
def test_spec_equals_the_themed_chart(
    builder: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    expected = chart_specs.themed(builder(*args, **kwargs)).to_dict(validate=False)
    expected["config"].pop("view", None)
    assert chart_specs.spec(builder(*args, **kwargs)) == expected


def test_a_spec_does_not_share_the_theme() -> None:
    first = chart_specs.spec(chart_specs.parity_band())
    first["config"]["axis"]["labelFontSize"] = 99
    assert chart_specs.spec(chart_specs.parity_band())["config"]["axis"]["labelFontSize"] == 12


@pytest.mark.parametrize("builder, args, kwargs", CASES, ids=[c[0].__name__ for c in CASES])
def test_channels_are_typed_so_altair_does_not_look_them_up(
    builder: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A channel given as text ("high:Q") or a condition dict is matched by Altair against every
    schema class (5 ms each); typed (alt.X2("high:Q"), alt.OpacityValue(...)) it is not."""
    lookups: list[object] = []
    original = schemapi._FromDict.__init__

    def counting(self: object, *a: Any, **k: Any) -> None:
        lookups.append(self)
        original(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(schemapi._FromDict, "__init__", counting)
    chart_specs.spec(builder(*args, **kwargs))
    assert lookups == []
