"""The grids and chart frames the pages read whole from the cache (issue #18: they were derived
on every rerun of a page), each from a frame made by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.domain.completeness import SMALL_NOTE
from data_access.views.campaigns import labelled, participants_by_year
from data_access.views.capacity import representation_by
from data_access.views.provinces import GRID_COLUMNS, ranking_grid
from data_access.views.unit import unit_choices


def test_the_provinces_ranking_grid() -> None:
    values = pd.DataFrame(
        {
            "province_code": ["04", "08", "11", "12"],
            "province_name": ["Cao Bằng", "Tuyên Quang", "Điện Biên", "Lai Châu"],
            "value": [53.65, 48.0, np.nan, 40.04],
            "n_units": [1520, 300, 0, 4],
            "rank": [1, 2, np.nan, np.nan],
            "small": [False, False, True, True],
            "trend": [[50.0, 53.65], [48.0], [], [40.04]],
            "completeness": ["10 / 10", "3 / 3", "0 / 2", "4 / 9"],
        }
    )
    grid = ranking_grid(values)
    assert grid.columns.tolist() == GRID_COLUMNS
    assert ranking_grid(values.iloc[0:0]).columns.tolist() == GRID_COLUMNS
    assert grid["province_name"].tolist() == ["Cao Bằng", "Tuyên Quang", "Lai Châu"]
    assert grid["value"].tolist() == ["53,7%", "48,0%", "40,0%"]  # 53,65 half up
    assert grid["n_units"].tolist() == ["1.520", "300", "4"]
    assert grid["rank"].tolist() == ["1", "2", SMALL_NOTE]


def test_campaign_labels_and_participants_by_year() -> None:
    by_campaign = pd.DataFrame(
        {"campaign": ["DV_MONTH", "IWD_0803"], "participants_female": [30, 20]}
    )
    assert labelled(by_campaign)["label"].tolist() == ["Tháng phòng, chống BLGĐ", "Ngày 8/3"]
    by_year = pd.DataFrame(
        {
            "year": [2024, 2025],
            "activities": [3, 4],
            "participants_female": [30, 45],
            "participants_male": [10, 15],
        }
    )
    chart = participants_by_year(by_year)
    assert chart.columns.tolist() == ["year", "participants_female", "participants_male"]
    assert chart["year"].tolist() == ["2024", "2025"]
    assert chart["participants_male"].tolist() == [10, 15]


def test_representation_by_agency_in_the_catalogue_order() -> None:
    frame = pd.DataFrame(
        {
            "agency_name": ["BHXH", "BHXH", "THADS", "THADS"],
            "pair": ["recruited", "masters", "recruited", "masters"],
            "representation": [1.25, 0.5, 0.75, None],
            "stock_period": ["2025-Y", "2025-Y", "2024-Y", "2024-Y"],
        }
    )
    found = representation_by(frame, "agency_name", ["masters", "recruited", "doctorates"])
    assert found.pairs == ["masters", "recruited"]  # no doctorates in the frame
    assert found.wide.columns.tolist() == ["agency_name", "masters", "recruited"]
    by_name = found.wide.set_index("agency_name")
    assert by_name.at["BHXH", "masters"] == 0.5
    assert by_name.at["THADS", "recruited"] == 0.75
    assert pd.isna(by_name.at["THADS", "masters"])
    assert found.older == {"THADS": "2024-Y"}


@pytest.mark.parametrize("search", ["Quảng Trị", None])
def test_unit_choices_are_labelled_for_a_reader(sample_engine: Engine, search: str | None) -> None:
    from data_access.queries.lookups import units

    choices = unit_choices(sample_engine, search, (), 50)
    table = units(sample_engine, search, (), limit=50)
    assert list(choices.labels) == table["code"].tolist()
    for row in table.itertuples(index=False):
        until = (
            "nay" if row.active_to is None or pd.isna(row.active_to) else str(row.active_to.year)
        )
        assert choices.labels[row.code] == (
            f"{row.name} · {row.province_name} · {row.active_from.year}–{until}"
        )


def test_a_closed_unit_shows_its_last_year(sample_engine: Engine) -> None:
    from data_access.queries.lookups import units

    table = units(sample_engine, None, (), limit=100_000)
    closed = table[table["active_to"].notna()]
    assert not closed.empty  # the sample has units closed by the 2025 reorganisation
    row = closed.iloc[0]
    label = unit_choices(sample_engine, row["code"], (), 10).labels[row["code"]]
    assert label.endswith(f"–{row['active_to'].year}")
    assert isinstance(row["active_to"], dt.date)


def test_the_map_measures_name_their_pairs(sample_engine: Engine) -> None:
    from data_access.db.catalogue import PairGroup
    from data_access.queries.aggregate import FEMALE_LEADER_PCT
    from data_access.queries.lookups import load_catalogue
    from data_access.views.provinces import measures

    catalogue = load_catalogue(sample_engine)
    found = measures(catalogue)
    pairs = dict.fromkeys(
        catalogue.group(PairGroup.HEADLINE) + catalogue.group(PairGroup.LEADERSHIP)
    )
    assert list(found) == [*(f"{p}_female_pct" for p in pairs), FEMALE_LEADER_PCT]
    assert found["staff_female_pct"] == f"Tỷ lệ nữ – {catalogue.pairs['staff'].label_vi}"
    assert found[FEMALE_LEADER_PCT] == "Đơn vị có lãnh đạo chủ chốt là nữ (%)"


def test_the_overview_trend_lines_by_short_label(sample_engine: Engine) -> None:
    from data_access.domain.filters import Filters
    from data_access.views.overview import SHORT_LABELS_VI, overview

    found = overview(sample_engine, Filters(year_from=2022))
    assert list(found.labels) == list(found.pairs)
    assert found.labels["staff"] == SHORT_LABELS_VI["staff"]
    lines = found.lines
    assert len(lines) == len(found.trend) * len(found.pairs)
    staff = lines[lines["series"] == SHORT_LABELS_VI["staff"]]
    assert staff["share"].tolist() == found.trend["staff_female_pct"].tolist()
    assert staff["year"].tolist() == found.trend["year"].tolist()
