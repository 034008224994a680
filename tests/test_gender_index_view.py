"""data_access.views.gender_index: the ranking as the page lists it, from a table made by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.analytics.gender_index import DOMAINS
from data_access.domain.formats import MISSING
from data_access.views.gender_index import domain_scores, ranking


def _table() -> pd.DataFrame:
    rows = [
        # year, name, index, change, rank, low, high, arithmetic, rank_ar, n_units, few
        (2024, "Cao Bằng", 60.0, np.nan, 1, 1.0, 1.0, 61.0, 1, 811, False),
        (2025, "Cao Bằng", 64.25, 4.25, 1, 1.0, 2.0, 67.35, 2, 1520, False),
        (2025, "Phú Thọ", 63.98, -0.25, 2, 1.0, 3.0, 67.37, 1, 2446, False),
        (2025, "Lai Châu", np.nan, np.nan, None, np.nan, np.nan, np.nan, None, 3, True),
    ]
    table = pd.DataFrame(
        rows,
        columns=[
            "year",
            "name",
            "index",
            "change",
            "rank",
            "rank_low",
            "rank_high",
            "index_arithmetic",
            "rank_arithmetic",
            "n_units",
            "few_units",
        ],
    )
    table["rank"] = table["rank"].astype("Int64")
    table["rank_arithmetic"] = table["rank_arithmetic"].astype("Int64")
    table["missing"] = [[], [], [], []]
    table["imputed"] = [[], [], [], []]
    for i, domain in enumerate(DOMAINS):
        table[f"domain_{domain}"] = [50.0 + i, 60.0 + i, 70.0 + i, np.nan]
    return table


def test_the_latest_year_as_the_grid_shows_it() -> None:
    found = ranking(_table())
    assert found is not None
    assert found.year == 2025
    assert found.latest["name"].tolist() == ["Cao Bằng", "Phú Thọ", "Lai Châu"]
    shown = found.shown.set_index("name")
    assert shown.loc["Cao Bằng", ["rank_text", "interval_text", "index_text"]].tolist() == [
        "1",
        "1–2",
        "64,3",  # 64,25 half up
    ]
    assert shown.loc["Phú Thọ", ["change_text", "arithmetic_rank", "arithmetic_text"]].tolist() == [
        "-0,3",  # -0,25 half up, away from zero
        "1",
        "67,4",
    ]
    assert shown.loc["Cao Bằng", "units_text"] == "1.520"
    # Not ranked: every figure a dash, the note says why.
    assert (
        shown.loc["Lai Châu", ["rank_text", "interval_text", "index_text"]].tolist()
        == [MISSING] * 3
    )
    assert "Số liệu ít: 3 đơn vị" in shown.loc["Lai Châu", "flags"]
    assert found.ranked == ["Cao Bằng", "Phú Thọ"]
    assert found.takeaway == (
        "Dẫn đầu: Cao Bằng (64,3 điểm); cuối bảng: Phú Thọ (64,0 điểm) trên thang 1–100."
    )


def test_the_domain_scores_of_the_chosen_names() -> None:
    found = ranking(_table())
    assert found is not None
    picked = domain_scores(found, ("Phú Thọ",))
    assert picked["name"].unique().tolist() == ["Phú Thọ"]
    assert picked["domain"].tolist() == list(DOMAINS.values())
    assert picked["score"].tolist() == [70.0 + i for i in range(len(DOMAINS))]
    assert domain_scores(found, ()).empty


def test_no_index_anywhere_is_no_ranking() -> None:
    table = _table().assign(index=np.nan)
    assert ranking(table) is None
    assert ranking(table.iloc[0:0]) is None
