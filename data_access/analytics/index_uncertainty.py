"""How sure is a rank? Monte-Carlo uncertainty analysis of the gender-equality index.

The OECD/JRC Handbook on Constructing Composite Indicators (2008, ch. 7) asks that a ranking be
shown with the uncertainty of its own choices. Two choices here are uncertain:
- the domain weights: each draw multiplies every weight by an independent uniform factor in
  [1 − WEIGHT_SPREAD, 1 + WEIGHT_SPREAD] (then normalises), so no single set of weights decides;
- the imputation: each indicator value filled from another year is, in each draw, either kept
  or left out (the domain then averages its other known indicators), with even odds.
Each draw recomputes every index and rank; a rank's interval is the 5th–95th percentile of its
ranks over the draws. The draws come from one seeded generator: the same seed, the same intervals.

Pure numpy, so the tests can check it on a tiny case; `gender_index.rank_intervals` feeds it.
"""

from __future__ import annotations

import math

import numpy as np

GEOMETRIC = "geometric"
ARITHMETIC = "arithmetic"
# Enough draws for the 5th and 95th percentile ranks to be stable to one place on the sample.
DRAWS = 400
SEED = 20260701
# Each weight varies from half to one and a half times its value: wide enough to cover any
# reasonable set of priorities among the four domains, as the Handbook's examples do.
WEIGHT_SPREAD = 0.5
INTERVAL = (5.0, 95.0)  # percentiles of the rank over the draws


def aggregate_domains(
    domains: np.ndarray, weights: np.ndarray, method: str = GEOMETRIC
) -> np.ndarray:
    """Index of each row of `domains` (scores 1–100, one column per domain) under `weights`
    (normalised; one row of weights, or one per row): weighted geometric mean (EIGE) or
    weighted arithmetic mean; NaN where a domain is NaN."""
    w = np.asarray(weights, dtype="float64")
    w = w / w.sum(axis=-1, keepdims=True)
    if method == GEOMETRIC:
        return np.exp((np.log(domains) * w).sum(axis=-1))
    if method == ARITHMETIC:
        return (domains * w).sum(axis=-1)
    raise ValueError("method must be geometric or arithmetic")


def domain_means(scores: np.ndarray, domain_of: np.ndarray, n_domains: int) -> np.ndarray:
    """Mean of each domain's known scores, NaN when fewer than half of them are known (the
    indicators on the last axis; any leading axes, e.g. draws × rows × indicators)."""
    out = np.full((*scores.shape[:-1], n_domains), np.nan)
    for d in range(n_domains):
        cols = scores[..., domain_of == d]
        known = (~np.isnan(cols)).sum(axis=-1)
        with np.errstate(invalid="ignore"):
            mean = np.nansum(cols, axis=-1) / known
        out[..., d] = np.where(known >= math.ceil(cols.shape[-1] / 2), mean, np.nan)
    return out


def _rank_by_year(index: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Rank (1 = best) of each row within its year, per draw column; NaN rows get NaN."""
    ranks = np.full(index.shape, np.nan)
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        block = index[rows]
        # Rank = 1 + number of rows of the same year and draw with a strictly higher index.
        higher = (block[None, :, :] > block[:, None, :]).sum(axis=1)
        ranks[rows] = np.where(np.isnan(block), np.nan, 1 + higher)
    return ranks


def rank_intervals(
    scores: np.ndarray,
    imputed: np.ndarray,
    domain_of: np.ndarray,
    weights: np.ndarray,
    years: np.ndarray,
    rankable: np.ndarray,
    *,
    method: str = GEOMETRIC,
    draws: int = DRAWS,
    seed: int = SEED,
    years_wanted: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(low, median, high) rank of each row over `draws` Monte-Carlo draws.

    scores: rows × indicators (1–100, imputed values included, NaN unknown); imputed: the same
    shape, True where a value was filled from another year; domain_of: each indicator's domain
    number; weights: one per domain; years: each row's year; rankable: rows that are ranked at
    all (others get NaN); years_wanted: the years whose rows are ranked (all when None; the
    others get NaN, and the wanted rows the same intervals as with every year ranked: a rank is
    within its year, and every row's draws are drawn whatever is wanted)."""
    rng = np.random.default_rng(seed)
    n_domains = len(weights)
    # Each draw takes from the generator, in this order, one uniform number per score (whether
    # an imputed value is left out: below 0,5) and one per domain (its weight's factor): the
    # numbers of every draw in one call, the same stream as a call per draw.
    cells = scores.size
    drawn = rng.random((draws, cells + n_domains))
    left_out = imputed[None] & (drawn[:, :cells].reshape(draws, *scores.shape) < 0.5)
    factors = (1 - WEIGHT_SPREAD) + (2 * WEIGHT_SPREAD) * drawn[:, cells:]
    wanted = (
        np.ones(len(scores), dtype=bool) if years_wanted is None else np.isin(years, years_wanted)
    )
    rows = np.flatnonzero(wanted & rankable)
    index = np.full((scores.shape[0], draws), np.nan)
    if len(rows):
        base = domain_means(scores[rows], domain_of, n_domains)
        # Only a row with an imputed value changes from draw to draw (a few rows): the others
        # keep their domain means in every draw.
        domains = np.repeat(base[None], draws, axis=0)  # draws × rows × domains
        varying = imputed[rows].any(axis=1)
        if varying.any():
            values = np.where(left_out[:, rows[varying]], np.nan, scores[rows[varying]][None])
            means = domain_means(values, domain_of, n_domains)
            # Leaving a value out may not take a domain below half known: it is kept then.
            domains[:, varying] = np.where(np.isnan(means), base[varying][None], means)
        w = weights[None, :] * factors  # one set of weights per draw
        index[rows] = aggregate_domains(domains, w[:, None, :], method).T
    ranks = _rank_by_year(index, years)
    low = np.full(len(scores), np.nan)
    mid = np.full(len(scores), np.nan)
    high = np.full(len(scores), np.nan)
    ok = rankable & ~np.isnan(ranks).all(axis=1)
    if ok.any():
        low[ok] = np.percentile(ranks[ok], INTERVAL[0], axis=1, method="lower")
        mid[ok] = np.percentile(ranks[ok], 50.0, axis=1, method="nearest")
        high[ok] = np.percentile(ranks[ok], INTERVAL[1], axis=1, method="higher")
    return low, mid, high
