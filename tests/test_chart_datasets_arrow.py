"""The cached chart spec carries its tables as the Arrow bytes Streamlit sends, made once, and
they hold the records chart_specs wrote."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

from data_access.documents import chart_specs
from tests.test_charts import CASES
from ui import charts


@pytest.mark.parametrize("builder, args, kwargs", CASES, ids=[c[0].__name__ for c in CASES])
def test_cached_spec_datasets_are_the_records_as_arrow(
    builder: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    records = chart_specs.spec(builder(*args, **kwargs))["datasets"]
    cached = charts._spec.__wrapped__(builder.__name__, args, tuple(sorted(kwargs.items())))  # type: ignore[attr-defined]
    assert set(cached["datasets"]) == set(records)
    for name, rows in records.items():
        table = pa.ipc.open_stream(cached["datasets"][name]).read_all()
        assert table.num_rows == len(rows)
        read = table.to_pylist()
        assert [{k: r[k] for k in row} for r, row in zip(read, rows, strict=True)] == rows


def test_geojson_stays_for_vega() -> None:
    feature: list[dict[str, object]] = [{"type": "Feature", "geometry": None, "properties": {}}]
    assert not charts._records(feature)
    assert charts._records([{"a": 1}])
