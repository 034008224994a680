"""The rebuilt index method (issue 16, item 4) on tiny panels computed by hand: fixed benchmarks
and invariance to the selection, geometric and arithmetic aggregation, the missing-data rule,
small bases, and reproducible Monte-Carlo rank intervals."""

import math

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.analytics import gender_index as gi
from data_access.analytics import index_uncertainty as iu
from data_access.domain.filters import Filters

PARITY_CODES = [m.code for m in gi.INDEX_MEASURES if m.kind == "parity"]


def _row(entity: str, year: int, share: float, **extra: float) -> dict[str, object]:
    """An entity-year with every index share at `share`, every unit led with a woman, 10 units."""
    return {
        "entity": entity,
        "year": year,
        "n_units": 10,
        gi.FEMALE_LEADER_PCT: 100.0,
        **dict.fromkeys(PARITY_CODES, share),
        **extra,
    }


def _panel() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _row("A", 2023, 40.0, docs_per_unit=1.0),
            _row("A", 2024, 45.0, docs_per_unit=2.0),
            _row("B", 2023, 50.0, docs_per_unit=4.0),  # the panel's best, in an earlier year
            _row("B", 2024, 30.0, docs_per_unit=1.0),
            _row("C", 2024, 50.0, docs_per_unit=3.0),
        ]
    )


def test_benchmark_is_the_best_of_every_entity_and_year() -> None:
    out = gi.compute(_panel()).set_index(["entity", "year"])
    # docs per unit: benchmark 4 (B in 2023), not 2024's best 3 → A 2024: 1 + 99·2/4 = 50.5.
    assert gi.benchmarks(_panel())["docs_per_unit"] == 4.0
    assert out.at[("A", 2024), "score_docs_per_unit"] == pytest.approx(50.5)


@pytest.mark.parametrize("others", [[], ["B"], ["C"], ["B", "C"]])
def test_an_entity_scores_the_same_whatever_else_is_in_the_panel(others: list[str]) -> None:
    panel = _panel()
    out = gi.compute(panel[panel["entity"].isin(["A", *others])]).set_index(["entity", "year"])
    # A 2024 by hand: every share 45% → 1 + 99·(1 − 5/50) = 90.1 in each share; the Strategy
    # indicator at its 100% norm → 100. Leadership (5·90.1 + 100)/6 = 91.75; other domains 90.1.
    leadership = (5 * 90.1 + 100) / 6
    expected = 90.1**0.2 * leadership**0.4 * 90.1**0.25 * 90.1**0.15
    assert out.at[("A", 2024), "index"] == pytest.approx(expected)


def test_the_selection_does_not_move_an_entitys_score_or_rank(
    shared_sample_engine: Engine,
) -> None:
    hanoi = "01"
    alone = gi.index_table(shared_sample_engine, "province", Filters(provinces=(hanoi,)), draws=50)
    three = gi.index_table(
        shared_sample_engine,
        "province",
        Filters(provinces=(hanoi, "79", "48"), year_from=2024),
        draws=50,
    )
    everyone = gi.index_table(shared_sample_engine, "province", Filters(), draws=50)
    assert set(alone["entity"]) == {hanoi} and set(three["entity"]) == {hanoi, "79", "48"}
    for table in (three, everyone):
        mine = table[table["entity"] == hanoi].set_index("year")
        base = alone.set_index("year").loc[mine.index]
        assert mine["index"].tolist() == pytest.approx(base["index"].tolist())
        assert mine["rank"].tolist() == base["rank"].tolist()
        assert mine["change"].fillna(0).tolist() == pytest.approx(base["change"].fillna(0).tolist())


def test_geometric_and_arithmetic_aggregation_by_hand() -> None:
    domains = np.array([[100.0, 25.0, 100.0, 100.0], [64.0, 64.0, 64.0, 64.0]])
    weights = np.array([0.5, 0.5, 0.0, 0.0])
    # Geometric: √(100·25) = 50; arithmetic: (100 + 25)/2 = 62.5. An even 64 is 64 either way.
    assert iu.aggregate_domains(domains, weights, iu.GEOMETRIC).tolist() == pytest.approx([50, 64])
    assert iu.aggregate_domains(domains, weights, iu.ARITHMETIC).tolist() == pytest.approx(
        [62.5, 64]
    )
    # So a lopsided entity ranks lower under the geometric mean: it does not make up for a weak
    # domain with a strong one (EIGE's reason for it).
    panel = pd.DataFrame([_row("Even", 2024, 38.0), _row("Lopsided", 2024, 50.0)])
    panel.loc[1, "staff_female_pct"] = 0.0  # workforce 1 point, everything else at parity
    out = gi.compute(panel).set_index("entity")
    # Even: every share 38% → 1 + 99·(1 − 12/50) = 76.24; leadership (5·76.24 + 100)/6 = 80.2.
    even = 76.24**0.2 * 80.2**0.4 * 76.24**0.4
    assert out.at["Even", "index"] == pytest.approx(even)  # ≈ 77.7
    assert out.at["Even", "index_arithmetic"] == pytest.approx(0.6 * 76.24 + 0.4 * 80.2)  # 77.8
    assert out.at["Lopsided", "index"] == pytest.approx(1.0**0.2 * 100**0.8)  # 39.8
    assert out.at["Lopsided", "index_arithmetic"] == pytest.approx(0.2 * 1 + 0.8 * 100)  # 80.2
    assert (out.at["Even", "rank"], out.at["Lopsided", "rank"]) == (1, 2)
    assert (out.at["Even", "rank_arithmetic"], out.at["Lopsided", "rank_arithmetic"]) == (2, 1)


def test_missing_value_is_imputed_from_the_nearest_year_and_shown() -> None:
    panel = pd.DataFrame(
        [
            _row("A", 2020, 30.0),
            _row("A", 2022, 40.0),
            _row("A", 2023, 50.0),
            _row("A", 2024, 50.0),
            _row("A", 2026, 50.0),
        ]
    )
    panel.loc[panel["year"] != 2020, "heads_female_pct"] = math.nan
    panel.loc[panel["year"] == 2024, "staff_female_pct"] = math.nan
    out = gi.compute(panel).set_index("year")
    # Heads: 2020's 30% (→ 60.4) fills 2022 (two years away) but not 2023 or later (too far).
    assert out.at[2022, "score_heads_female_pct"] == pytest.approx(60.4)
    assert out.at[2022, "imputed"] == ["heads_female_pct"]
    assert pd.isna(out.at[2023, "score_heads_female_pct"])
    # Staff 2024: 2023 and 2026 are known; the nearest (2023, 50% → 100) fills it.
    assert out.at[2024, "score_staff_female_pct"] == pytest.approx(100.0)
    assert out.at[2024, "imputed"] == ["staff_female_pct"]
    # 2023: heads stays missing, leadership averages its five known indicators (4·100 + 100)/5.
    assert out.at[2023, "domain_leadership"] == pytest.approx(100.0)
    assert out.at[2023, "imputed"] == [] and out.at[2023, "rank"] == 1


def test_a_domain_below_half_known_leaves_the_entity_unscored() -> None:
    panel = pd.DataFrame([_row("A", 2024, 50.0), _row("B", 2024, 40.0)])
    for code in ("political_training_female_pct", "masters_female_pct", "doctorates_female_pct"):
        panel.loc[1, code] = math.nan  # three of five capacity indicators, no other year
    out = gi.compute(panel).set_index("entity")
    assert pd.isna(out.at["B", "domain_capacity"]) and out.at["B", "missing"] == ["capacity"]
    assert pd.isna(out.at["B", "index"]) and pd.isna(out.at["B", "rank"])


def test_too_few_reporting_units_are_scored_not_ranked() -> None:
    panel = pd.DataFrame([_row("A", 2024, 50.0), _row("B", 2024, 45.0), _row("C", 2024, 40.0)])
    panel.loc[0, "n_units"] = gi.MIN_REPORTING_UNITS - 1
    out = gi.compute(panel).set_index("entity")
    assert out.at["A", "index"] == pytest.approx(100.0) and out.at["A", "few_units"]
    assert pd.isna(out.at["A", "rank"])
    assert (out.at["B", "rank"], out.at["C", "rank"]) == (1, 2)  # ranked among the others


def _uncertain_case() -> tuple[np.ndarray, ...]:
    """Three entities, two domains of one indicator each (so imputation cannot be left out),
    close enough that the weights decide between the first two."""
    scores = np.array([[90.0, 60.0], [60.0, 90.0], [30.0, 30.0]])
    imputed = np.zeros_like(scores, dtype=bool)
    return scores, imputed, np.array([0, 1]), np.array([0.5, 0.5])


def test_monte_carlo_rank_intervals_are_reproducible_with_a_seed() -> None:
    scores, imputed, domain_of, weights = _uncertain_case()
    years, rankable = np.array([2024] * 3), np.array([True] * 3)

    def run(seed: int) -> list[list[float]]:
        out = iu.rank_intervals(
            scores, imputed, domain_of, weights, years, rankable, draws=200, seed=seed
        )
        return [a.tolist() for a in out]

    assert run(7) == run(7)
    low, _, high = run(7)
    # A and B swap places as the weights move; C is last under any weights.
    assert (low[0], high[0], low[1], high[1]) == (1, 2, 1, 2)
    assert (low[2], high[2]) == (3, 3)


def test_imputation_widens_the_interval_when_it_matters() -> None:
    # Two domains; B's first domain has two indicators, one imputed at 100 and one known at 20.
    scores = np.array([[60.0, 60.0, 60.0], [100.0, 20.0, 100.0]])
    imputed = np.array([[False, False, False], [True, False, False]])
    domain_of = np.array([0, 0, 1])
    weights = np.array([1.0, 1.0])
    years, rankable = np.array([2024, 2024]), np.array([True, True])
    # Kept: B's domains (60, 100) → √6000 ≈ 77.5 > 60. Left out: (20, 100) → √2000 ≈ 44.7 < 60.
    low, _, high = iu.rank_intervals(
        scores, imputed, domain_of, weights, years, rankable, draws=200, seed=1
    )
    assert (low[1], high[1]) == (1, 2) and (low[0], high[0]) == (1, 2)
    no_imputation = iu.rank_intervals(
        scores, np.zeros_like(imputed), domain_of, weights, years, rankable, draws=200, seed=1
    )
    assert (no_imputation[0][1], no_imputation[2][1]) == (1, 1)


def test_the_ranking_has_an_interval_around_each_rank(shared_sample_engine: Engine) -> None:
    table = gi.index_table(shared_sample_engine, "province", Filters(year_from=2024), draws=100)
    ranked = table.dropna(subset=["rank"])
    assert len(ranked) > 20
    assert (ranked["rank_low"] <= ranked["rank_median"]).all()
    assert (ranked["rank_median"] <= ranked["rank_high"]).all()
    inside = ranked["rank"].between(ranked["rank_low"], ranked["rank_high"])
    assert inside.mean() > 0.9  # the chosen weights sit in the middle of the draws
    unranked = table[table["rank"].isna()]
    assert unranked["rank_low"].isna().all()
