"""Charts on the pages: the house-style builders of `data_access.chart_specs` (shared with the
Word report and the briefing pack, which draw the same specs) drawn through one cached call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import altair as alt
import streamlit as st
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


@st.cache_data(show_spinner=False, max_entries=512)
def _spec(
    builder: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> dict[str, Any]:
    spec = chart_specs.spec(getattr(chart_specs, builder)(*args, **dict(kwargs)))
    # Each table of records as the Arrow bytes Streamlit sends, made once here: given records,
    # st.vega_lite_chart converts them again on every rerun (a cached page drew four charts).
    if "datasets" in spec:
        spec["datasets"] = {
            name: _arrow(rows) if _records(rows) else rows
            for name, rows in spec["datasets"].items()
        }
    return spec


def _records(rows: Any) -> bool:
    """A table of records; not a GeoJSON or TopoJSON payload, which Vega must read itself."""
    return isinstance(rows, list) and all(
        isinstance(r, dict) and r.get("type") not in GEO_TYPES for r in rows
    )


GEO_TYPES = ("Feature", "FeatureCollection", "Topology")


def _arrow(rows: list[dict[str, Any]]) -> bytes:
    return dataframe_util.convert_anything_to_arrow_bytes(rows)
