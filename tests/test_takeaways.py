"""Every leadership page says what its first chart shows: a takeaway sentence generated from the
chart's own data, above it, stating the chart's figure in Vietnamese format."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.analytics import gender_index
from data_access.domain.filters import Filters
from data_access.domain.formats import num, pct
from data_access.queries import lookups
from data_access.views import (
    capacity,
    gender_ratio,
    leadership,
    overview,
    provinces,
    takeaways,
)
from tests.apptest import VIEWER, open_app
from ui.page import TAKEAWAY_MARK


def default_filters(engine: Engine) -> Filters:
    """What the sidebar selects by default: every year of annual reports, every agency, the 34
    provinces (the slider bounds the years, so activities of a later year are left out)."""
    years = lookups.periods(engine, "Y")["year"]
    return Filters(year_from=int(years.min()), year_to=int(years.max()))


def _overview(engine: Engine) -> list[str]:
    f = default_filters(engine)
    latest = overview.overview(engine, f).latest
    assert latest is not None
    return [pct(latest["staff_female_pct"])]


def _gender_ratio(engine: Engine) -> list[str]:
    f = default_filters(engine)
    period = overview.overview(engine, f).latest["period"]  # type: ignore[index]
    bars = gender_ratio.ratio_over_time(engine, f.with_(periods=(period,)), "agency")
    top = bars.sort_values("staff_female_pct").iloc[-1]
    return [top["agency_name"], pct(top["staff_female_pct"])]


def _leadership(engine: Engine) -> list[str]:
    f = default_filters(engine)
    steps = leadership.pipeline(engine, f)
    return [pct(steps.iloc[0]["female_pct"]), pct(steps.iloc[-1]["female_pct"])]


def _campaigns(engine: Engine) -> list[str]:
    f = default_filters(engine)
    from data_access.queries.activities import activities

    by = activities(engine, f, ("campaign",))
    totals = by["participants_female"] + by["participants_male"]
    return [num(float(totals.max()))]


def _capacity(engine: Engine) -> list[str]:
    f = default_filters(engine)
    frame = capacity.capacity(engine, f)
    low = frame.loc[pd.to_numeric(frame["representation"]).idxmin()]
    return [num(low["representation"], 2)]


def _provinces(engine: Engine) -> list[str]:
    f = default_filters(engine)
    values = provinces.province_values(engine, f, "staff_female_pct").dropna(subset=["value"])
    top = values.sort_values("value").iloc[-1]
    return [top["province_name"], pct(top["value"])]


def _gender_index(engine: Engine) -> list[str]:
    f = default_filters(engine)
    table = gender_index.index_table(engine, "province", f)
    latest = table[table["year"] == table["year"].max()].dropna(subset=["index"])
    top = latest.sort_values("index").iloc[-1]
    return [top["name"], num(top["index"], 1)]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("pages/overview.py", _overview),
        ("pages/gender_ratio.py", _gender_ratio),
        ("pages/leadership.py", _leadership),
        ("pages/campaigns.py", _campaigns),
        ("pages/capacity.py", _capacity),
        ("pages/provinces.py", _provinces),
        ("pages/gender_index.py", _gender_index),
    ],
)
def test_the_first_takeaway_states_the_figure_of_the_first_chart(
    app_db: Engine, page: str, expected: Callable[[Engine], list[str]]
) -> None:
    at = open_app(VIEWER, page)
    said = [m.value for m in at.markdown if m.value.startswith(TAKEAWAY_MARK)]
    assert said, f"{page}: no takeaway"
    for figure in expected(app_db):
        assert figure in said[0], (figure, said[0])
    assert "None" not in said[0] and "nan" not in said[0]


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (
            pd.DataFrame(
                {"label": ["CCVC", "Quản lý", "Đứng đầu"], "female_pct": [54.0, 45.9, 25.4]}
            ),
            "Nữ chiếm 54,0% CCVC nhưng chỉ 25,4% Đứng đầu; giảm nhiều nhất khi lên Đứng đầu (20,5 điểm %).",
        ),
        (pd.DataFrame({"label": ["CCVC"], "female_pct": [float("nan")]}), None),
    ],
)
def test_pipeline_takeaway(frame: pd.DataFrame, expected: str | None) -> None:
    assert takeaways.pipeline(frame) == expected


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        (
            pd.Series({"period": "2024-Y", "staff_female_pct": 53.5, "heads_female_pct": 20.0}),
            "Năm 2025: nữ chiếm 54,0% CCVC, tăng 0,5 điểm % so với năm 2024; thấp nhất: Người đứng đầu (25,4%).",
        ),
        (
            None,
            "Năm 2025: nữ chiếm 54,0% CCVC; thấp nhất: Người đứng đầu (25,4%).",
        ),
    ],
)
def test_share_trend_takeaway(previous: pd.Series | None, expected: str) -> None:
    latest = pd.Series({"period": "2025-Y", "staff_female_pct": 54.0, "heads_female_pct": 25.4})
    labels = {"staff": "CCVC", "heads": "Người đứng đầu"}
    assert takeaways.share_trend(latest, previous, labels) == expected


def test_share_trend_takeaway_states_the_like_for_like_change() -> None:
    """The overview's KPIs show the change on the units in both periods (+0,4 here, while the
    two populations' shares differ by 0,5): its trend sentence says the same figure."""
    latest = pd.Series({"period": "2025-Y", "staff_female_pct": 54.0, "heads_female_pct": 25.4})
    previous = pd.Series({"period": "2024-Y", "staff_female_pct": 53.5, "heads_female_pct": 20.0})
    labels = {"staff": "CCVC", "heads": "Người đứng đầu"}
    text = takeaways.share_trend(latest, previous, labels, {"staff": 0.4, "heads": 5.1})
    assert text == (
        "Năm 2025: nữ chiếm 54,0% CCVC, tăng 0,4 điểm % so với năm 2024 (trên cùng đơn vị); "
        "thấp nhất: Người đứng đầu (25,4%)."
    )
