"""Charts on the pages: the house-style builders of `data_access.chart_specs` (shared with the
Word report and the briefing pack, which draw the same specs) drawn through one cached call."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

import altair as alt
import pandas as pd
import streamlit as st
from altair.vegalite.v6 import api as altair_api
from streamlit import dataframe_util
from streamlit.delta_generator import DeltaGenerator

from data_access.documents import chart_specs
from data_access.documents.chart_specs import (
    FEMALE,
    FEMALE_COLOUR,
    MALE,
    MALE_COLOUR,
    PCT,
    SERIES_COLOURS,
    TARGET_COLOUR,
    VI_LOCALE,
    binned_histogram,
    domain_scores,
    dot_map,
    histogram,
    pipeline_chart,
    representation,
    sex_stacked,
    share_bars,
    share_trend,
    target_trend,
    themed,
    tile_map,
    timeline,
)
from ui import cache_keys

__all__ = [
    "FEMALE",
    "FEMALE_COLOUR",
    "MALE",
    "MALE_COLOUR",
    "PCT",
    "SERIES_COLOURS",
    "TARGET_COLOUR",
    "VI_LOCALE",
    "binned_histogram",
    "domain_scores",
    "dot_map",
    "histogram",
    "pipeline_chart",
    "representation",
    "sex_stacked",
    "share_bars",
    "share_trend",
    "show",
    "target_trend",
    "themed",
    "tile_map",
    "timeline",
]


def show(
    builder: Callable[..., alt.TopLevelMixin],
    *args: Any,
    where: DeltaGenerator | None = None,
    key: str | None = None,
    select: bool = False,
    width: Literal["stretch", "content"] = "stretch",
    **kwargs: Any,
) -> Any:
    """Draw `builder(*args, **kwargs)` with the house style; returns the selection state when
    `select`. The Vega-Lite spec is cached by its inputs: building an Altair chart and validating it
    against the schema costs ~80 ms a chart, more than the rest of a cached page."""
    spec = _spec(builder.__name__, args, tuple(sorted(kwargs.items())))
    target = where if where is not None else st
    if select:
        return target.vega_lite_chart(spec, width=width, key=key, on_select="rerun")
    return target.vega_lite_chart(spec, width=width, key=key)


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=cache_keys.HASH_FUNCS)
def _spec(
    builder: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> dict[str, Any]:
    spec = (
        _filled(builder, args, dict(kwargs))
        if builder in ROWS_ONLY
        else _built(builder, args, dict(kwargs))
    )
    # Each table of records as the Arrow bytes Streamlit sends, made once here: given records,
    # st.vega_lite_chart converts them again on every rerun (a cached page drew four charts).
    if "datasets" in spec:
        spec["datasets"] = {
            name: _arrow(rows) if _records(rows) else rows
            for name, rows in spec["datasets"].items()
        }
    return spec


def _built(builder: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    return chart_specs.spec(getattr(chart_specs, builder)(*args, **kwargs))


Shape = dict[str, Any]  # keyword arguments pinning what a builder would read from its frame


def _share_bars_rows(
    frame: pd.DataFrame,
    category: str,
    category_title: str,
    value: str,
    value_title: str = "",
    target: float | None = None,
    select_name: str | None = None,
    count_tooltip: tuple[str, str] | None = None,
) -> tuple[pd.DataFrame, Shape]:
    return chart_specs.share_bars_rows(frame, category, value, count_tooltip), {}


def _share_trend_rows(
    frame: pd.DataFrame, x: str, series: str, value: str, title_y: str
) -> tuple[pd.DataFrame, Shape]:
    return (
        chart_specs.share_trend_rows(frame, x, series, value),
        chart_specs.share_trend_shape(frame, series, value),
    )


# Builders whose spec depends on their frame only through the rows drawn and a few small values
# (the shape), both given by the function: the spec is built once per shape and set of other
# arguments, from no rows, and each call puts its rows in. Building one through Altair is
# 8–18 ms of an uncached page's run (three on the gender ratio, the trend on the overview).
ROWS_ONLY: dict[str, Callable[..., tuple[pd.DataFrame, Shape]]] = {
    "share_bars": _share_bars_rows,
    "binned_histogram": lambda frame, title_x: (frame, {}),
    "share_trend": _share_trend_rows,
}


def _filled(builder: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The spec `_built` makes, from the cached one built without rows: the same dict."""
    frame, rest = args[0], args[1:]
    rows, shape = ROWS_ONLY[builder](frame, *rest, **kwargs)
    template, empty = _template(
        builder,
        tuple(zip(frame.columns, map(str, frame.dtypes), strict=True)),
        rest,
        tuple(sorted(kwargs.items())),
        tuple(sorted(shape.items())),
    )
    values = _values(rows)
    name = altair_api._dataset_name(values)
    spec = _renamed(template, empty, name)  # a new dict: the cached template stays as it is
    datasets = {k: v for k, v in spec["datasets"].items() if k != empty}
    spec["datasets"] = {**datasets, name: values}
    return spec


@functools.lru_cache(maxsize=256)
def _template(
    builder: str,
    columns: tuple[tuple[str, str], ...],
    rest: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    shape: tuple[tuple[str, Any], ...] = (),
) -> tuple[dict[str, Any], str]:
    """The builder's spec for a frame with these columns and no rows, of this shape, and its
    empty dataset's name (kept for the process: Streamlit's cache is cleared on every upload)."""
    empty = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns})
    spec = _built(builder, (empty, *rest), {**dict(kwargs), **dict(shape)})
    rows, _ = ROWS_ONLY[builder](empty, *rest, **dict(kwargs))
    return spec, altair_api._dataset_name(_values(rows))


def _values(rows: pd.DataFrame) -> Any:
    """The rows as Altair itself puts a frame in a spec (its active data transformer)."""
    transform = alt.data_transformers.get()
    if transform is None:
        raise RuntimeError("Altair has no data transformer enabled")
    return transform(rows)["values"]


def _renamed(node: Any, old: str, new: str) -> Any:
    """A copy of `node` (every dict and list new) with each reference to dataset `old`
    (`{"name": old}`) naming `new`."""
    if isinstance(node, dict):
        if node.get("name") == old and set(node) <= {"name", "format"}:
            return {**node, "name": new}
        return {k: _renamed(v, old, new) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, old, new) for v in node]
    return node


def _records(rows: Any) -> bool:
    """A table of records; not a GeoJSON or TopoJSON payload, which Vega must read itself."""
    return isinstance(rows, list) and all(
        isinstance(r, dict) and r.get("type") not in GEO_TYPES for r in rows
    )


GEO_TYPES = ("Feature", "FeatureCollection", "Topology")


def _arrow(rows: list[dict[str, Any]]) -> bytes:
    return dataframe_util.convert_anything_to_arrow_bytes(rows)
