"""The gender index scored with arrays gives exactly what the former row-by-row and
draw-by-draw code gave (kept here as the oracle): the scores, the imputation from the nearest
year, the Monte-Carlo rank intervals; and the intervals of the years shown equal those of a
table over every year."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.analytics import gender_index as gi
from data_access.analytics import index_uncertainty as iu
from data_access.domain.filters import Filters

DOMAIN_OF = np.array([list(gi.DOMAINS).index(m.domain) for m in gi.INDEX_MEASURES])
WEIGHTS = np.array([gi.DEFAULT_WEIGHTS[d] for d in gi.DOMAINS])


# --- the former code, the oracle ------------------------------------------------------------


def _former_impute(scores: pd.DataFrame, entity: pd.Series, year: pd.Series) -> pd.DataFrame:
    filled = pd.DataFrame(False, index=scores.index, columns=scores.columns)
    for _, rows in scores.groupby(entity.to_numpy()).groups.items():
        years = year.loc[rows].to_numpy()
        for col in scores.columns:
            values = scores.loc[rows, col].to_numpy()
            known = ~np.isnan(values)
            if known.all() or not known.any():
                continue
            for i in np.flatnonzero(~known):
                distance = np.abs(years[known] - years[i]) + (years[known] > years[i]) * 0.5
                j = int(np.argmin(distance))
                if abs(years[known][j] - years[i]) <= gi.MAX_IMPUTATION_YEARS:
                    scores.at[rows[i], col] = values[known][j]
                    filled.at[rows[i], col] = True
    return filled


def _former_domain_means(scores: np.ndarray, n_domains: int) -> np.ndarray:
    out = np.full((scores.shape[0], n_domains), np.nan)
    for d in range(n_domains):
        cols = scores[:, np.equal(DOMAIN_OF, d)]
        known = (~np.isnan(cols)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            mean = np.nansum(cols, axis=1) / known
        out[:, d] = np.where(known >= math.ceil(cols.shape[1] / 2), mean, np.nan)
    return out


def _former_rank_intervals(
    scores: np.ndarray,
    imputed: np.ndarray,
    years: np.ndarray,
    rankable: np.ndarray,
    method: str,
    draws: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_domains = len(WEIGHTS)
    base = _former_domain_means(scores, n_domains)
    index = np.full((scores.shape[0], draws), np.nan)
    for k in range(draws):
        dropped = imputed & (rng.random(scores.shape) < 0.5)
        domains = _former_domain_means(np.where(dropped, np.nan, scores), n_domains)
        domains = np.where(np.isnan(domains), base, domains)
        w = WEIGHTS * rng.uniform(1 - iu.WEIGHT_SPREAD, 1 + iu.WEIGHT_SPREAD, size=n_domains)
        index[:, k] = iu.aggregate_domains(domains, w, method)
    index[~rankable] = np.nan
    ranks = iu._rank_by_year(index, years)
    low, mid, high = (np.full(len(scores), np.nan) for _ in range(3))
    ok = rankable & ~np.isnan(ranks).all(axis=1)
    if ok.any():
        low[ok] = np.percentile(ranks[ok], iu.INTERVAL[0], axis=1, method="lower")
        mid[ok] = np.percentile(ranks[ok], 50.0, axis=1, method="nearest")
        high[ok] = np.percentile(ranks[ok], iu.INTERVAL[1], axis=1, method="higher")
    return low, mid, high


# --- the panels ---------------------------------------------------------------------------


def _panel(seed: int, entities: int = 12) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scores, imputed, years) of entities × 2016–2025, rows shuffled: scores with gaps, some
    of the known ones marked imputed."""
    rng = np.random.default_rng(seed)
    years = np.tile(np.arange(2016, 2026), entities)
    order = rng.permutation(len(years))
    scores = rng.uniform(1, 100, (len(years), len(DOMAIN_OF)))
    scores[rng.random(scores.shape) < 0.25] = np.nan
    imputed = (rng.random(scores.shape) < 0.2) & ~np.isnan(scores)
    return scores[order], imputed[order], years[order]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("method", [iu.GEOMETRIC, iu.ARITHMETIC])
def test_rank_intervals_equal_the_draw_by_draw_loop(seed: int, method: str) -> None:
    scores, imputed, years = _panel(seed)
    rankable = np.random.default_rng(seed + 100).random(len(years)) < 0.9
    args = (scores, imputed, DOMAIN_OF, WEIGHTS, years, rankable)
    got = iu.rank_intervals(*args, method=method, draws=150, seed=seed)
    expected = _former_rank_intervals(scores, imputed, years, rankable, method, 150, seed)
    for mine, theirs in zip(got, expected, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    assert not np.array_equal(got[0], got[2], equal_nan=True)  # some interval is wide


@pytest.mark.parametrize("wanted", [[2016], [2019, 2020, 2021], [2025], []])
def test_the_intervals_of_the_years_wanted_are_those_of_every_year(wanted: list[int]) -> None:
    scores, imputed, years = _panel(7)
    rankable = np.ones(len(years), dtype=bool)
    args = (scores, imputed, DOMAIN_OF, WEIGHTS, years, rankable)
    every = iu.rank_intervals(*args, draws=120)
    some = iu.rank_intervals(*args, draws=120, years_wanted=np.array(wanted, dtype=int))
    shown = np.isin(years, wanted)
    for all_years, these in zip(every, some, strict=True):
        np.testing.assert_array_equal(these[shown], all_years[shown])
        assert np.isnan(these[~shown]).all()


@pytest.mark.parametrize("seed", range(8))
def test_imputation_equals_the_entity_by_entity_search(seed: int) -> None:
    """Gaps of one to four years, known values on both sides at the same distance (the
    earlier wins), entities whose column is blank throughout, rows in any order."""
    scores, _, years = _panel(seed, entities=9)
    scores[np.random.default_rng(seed).random(scores.shape) < 0.3] = np.nan
    scores[:, 3] = np.where(np.arange(len(years)) % 9 == 0, scores[:, 3], np.nan)
    entity = pd.Series([f"E{i // 10}" for i in range(len(years))])
    entity = entity.iloc[np.random.default_rng(seed).permutation(len(entity))]
    frame = pd.DataFrame(scores, columns=[f"c{i}" for i in range(scores.shape[1])])
    entity.index = frame.index
    year = pd.Series(years, index=frame.index)
    mine, theirs = frame.copy(), frame.copy()
    filled = gi._impute(mine, entity, year)
    expected = _former_impute(theirs, entity, year)
    pd.testing.assert_frame_equal(mine, theirs, check_exact=True)
    pd.testing.assert_frame_equal(filled, expected)
    assert filled.to_numpy().any()


def test_a_tie_between_two_years_takes_the_earlier() -> None:
    scores = pd.DataFrame({"c": [10.0, np.nan, 30.0, np.nan, np.nan, np.nan, np.nan, 80.0]})
    year = pd.Series([2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025])
    filled = gi._impute(scores, pd.Series(["A"] * 8), year)
    # 2019: 2018 and 2020 one year away (earlier); 2022: 2020 two away, 2025 three; 2023: 2025
    # two away, 2020 three; 2021: 2020 one away.
    assert scores["c"].tolist()[:7] == [10.0, 10.0, 30.0, 30.0, 30.0, 80.0, 80.0]
    assert filled["c"].tolist() == [False, True, False, True, True, True, True, False]


@pytest.mark.parametrize("measure", gi.MEASURES, ids=[m.code for m in gi.MEASURES])
@pytest.mark.parametrize("benchmark", [None, 0.0, 37.5, 100.0])
def test_array_scores_equal_the_scalar_functions(
    measure: gi.Measure, benchmark: float | None
) -> None:
    values = np.array([np.nan, -5.0, 0.0, 12.5, 37.5, 49.999, 50.0, 50.001, 73.2, 100.0, 140.0])
    bench = {measure.code: benchmark}
    got = gi._scores(values, measure, bench)
    if measure.kind == "parity":
        expected = [gi.parity_score(v) for v in values]
    else:
        expected = [gi.achievement_score(v, benchmark) for v in values]
    np.testing.assert_array_equal(got, np.array(expected, dtype="float64"))


@pytest.mark.parametrize("by", ["province", "agency"])
@pytest.mark.parametrize(("year_from", "year_to"), [(2019, 2019), (2021, None), (None, 2020)])
def test_a_selection_of_years_shows_the_rows_of_the_table_of_every_year(
    shared_sample_engine: Engine, by: str, year_from: int | None, year_to: int | None
) -> None:
    """Intervals included: a rank is within its year, whatever other years are selected."""
    every = gi.index_table(shared_sample_engine, by, Filters(), draws=80)
    some = gi.index_table(
        shared_sample_engine, by, Filters(year_from=year_from, year_to=year_to), draws=80
    )
    keep = every["year"].between(year_from or 0, year_to or 9999)
    expected = every[keep].reset_index(drop=True)
    assert len(some) == len(expected) > 0 and some["rank_low"].notna().any()
    pd.testing.assert_frame_equal(some, expected)
