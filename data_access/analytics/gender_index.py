"""The gender-equality index of provinces and agencies (docs/index-methodology.md).

Indicators → domains → index, each scored from 1 to 100 where 100 means full equality, the way
EIGE's Gender Equality Index is built, so that a score means the same thing every year:
- a share of women (staff, leaders, trainees…) scores by its gap to parity, the same for a gap in
  either direction: Γ = 1 − |p − 50| / 50, score = 1 + 99·Γ;
- a level of achievement scores against a benchmark fixed over all entities and all years (the
  best value of the whole panel, EIGE's way, or a norm such as 100%): a = min(x / benchmark, 1),
  score = 1 + 99·a. The benchmark never depends on what is selected or on one year's best;
- only indicators with a sex dimension are in the index (the Strategy's own indicator, the share
  of units with a woman among their key leaders, among them); levels with no sex in them
  (on-time reporting, events per 100 staff…) are scored as context, not weighted;
- a missing indicator is imputed from the entity's own nearest year (at most MAX_IMPUTATION_YEARS
  away) and shown as imputed; otherwise a domain is the mean of its known indicators if at least
  half are known, and an entity missing a domain is flagged, not scored;
- the index is the weighted geometric mean of the domain scores (EIGE), the weighted arithmetic
  mean kept as a sensitivity variant; an entity with fewer than MIN_REPORTING_UNITS reporting
  units is scored but not ranked ("số liệu ít");
- data_access/analytics/index_uncertainty.py gives each rank an interval (Monte-Carlo over weights and
  imputation, OECD/JRC Handbook on Constructing Composite Indicators, 2008, ch. 7).

`compute` is a pure function over a frame of raw measures, so the tests can check it by hand.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select, update

from data_access.analytics import index_uncertainty
from data_access.analytics.index_uncertainty import ARITHMETIC, GEOMETRIC, aggregate_domains
from data_access.db import audit
from data_access.db.catalogue import FEMALE_PCT_SUFFIX, PARITY
from data_access.db.config import PROJECT_ROOT
from data_access.db.models import IndexWeight
from data_access.domain.filters import Filters
from data_access.queries import tracking
from data_access.queries.activities import activities
from data_access.queries.aggregate import FEMALE_LEADER_PCT, aggregate

# A share computed from fewer people than this says little: treated as missing.
MIN_DENOMINATOR = 5
# With fewer reporting units than this, one unit's head or key leaders moves the Strategy
# indicator by more than 20 points (1 of 4): the entity is scored but not ranked ("số liệu ít").
# Five is also the usual small-cell limit of statistics offices.
MIN_REPORTING_UNITS = 5
# A value from further away than this says too little about the year it would stand in for.
MAX_IMPUTATION_YEARS = 2


@dataclass(frozen=True)
class Measure:
    code: str
    domain: str  # one of DOMAINS, or CONTEXT: scored and shown, not in the index
    label_vi: str
    kind: str  # "parity": a share of women; "achievement": a level against a benchmark
    # For achievements: a fixed norm, or None = the best value over all entities and all years.
    benchmark: float | None = None


CONTEXT = "context"
MEASURES = (
    Measure("staff_female_pct", "workforce", "Tỷ lệ nữ CCVC, NLĐ", "parity"),
    Measure(
        FEMALE_LEADER_PCT,
        "leadership",
        "Tỷ lệ đơn vị có lãnh đạo chủ chốt là nữ (chỉ tiêu của Chiến lược)",
        "achievement",
        100.0,
    ),
    Measure("planning_pool_female_pct", "leadership", "Tỷ lệ nữ trong quy hoạch", "parity"),
    Measure("managers_female_pct", "leadership", "Tỷ lệ nữ lãnh đạo, quản lý", "parity"),
    Measure("key_leaders_female_pct", "leadership", "Tỷ lệ nữ lãnh đạo chủ chốt", "parity"),
    Measure("heads_female_pct", "leadership", "Tỷ lệ nữ người đứng đầu", "parity"),
    Measure("party_committee_female_pct", "leadership", "Tỷ lệ nữ cấp ủy", "parity"),
    Measure(
        "political_training_female_pct", "capacity", "Tỷ lệ nữ được cử đào tạo LLCT, QLNN", "parity"
    ),
    Measure(
        "professional_training_female_pct",
        "capacity",
        "Tỷ lệ nữ được bồi dưỡng nghiệp vụ",
        "parity",
    ),
    Measure("masters_female_pct", "capacity", "Tỷ lệ nữ thạc sĩ", "parity"),
    Measure("doctorates_female_pct", "capacity", "Tỷ lệ nữ tiến sĩ", "parity"),
    Measure("recruited_female_pct", "capacity", "Tỷ lệ nữ được tuyển dụng", "parity"),
    Measure(
        "participants_male_pct",
        "engagement",
        "Tỷ lệ nam giới trong người tham gia hoạt động hưởng ứng",
        "parity",
    ),
    Measure("events_per_100_staff", CONTEXT, "Hội nghị, hội thảo trên 100 CCVC", "achievement"),
    Measure(
        "people_reached_per_100_staff",
        CONTEXT,
        "Lượt người được tuyên truyền trên 100 CCVC",
        "achievement",
    ),
    Measure(
        "participants_per_100_staff",
        CONTEXT,
        "Lượt tham gia hoạt động hưởng ứng trên 100 CCVC",
        "achievement",
    ),
    Measure("on_time_pct", CONTEXT, "Tỷ lệ đơn vị báo cáo đúng hạn", "achievement", 100.0),
    Measure(
        "docs_per_unit",
        CONTEXT,
        "Văn bản có lồng ghép bình đẳng giới trên một đơn vị",
        "achievement",
    ),
)
DOMAINS = {
    "workforce": "Lực lượng lao động",
    "leadership": "Lãnh đạo, quản lý",
    "capacity": "Năng lực, phát triển",
    "engagement": "Nam giới tham gia",
}
DEFAULT_WEIGHTS = {"workforce": 0.2, "leadership": 0.4, "capacity": 0.25, "engagement": 0.15}
EQUAL_WEIGHTS = dict.fromkeys(DOMAINS, 1 / len(DOMAINS))
INDEX_MEASURES = tuple(m for m in MEASURES if m.domain in DOMAINS)
MEASURE_LABELS = {m.code: m.label_vi for m in MEASURES}


def parity_score(share: float | None) -> float | None:
    """A share of women (0–100) → 1–100; 100 at parity, the same for a gap either way."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return None
    gamma = max(0.0, 1.0 - abs(share - PARITY) / PARITY)
    return 1.0 + 99.0 * gamma


def achievement_score(value: float | None, benchmark: float | None) -> float | None:
    """A level against its benchmark → 1–100, capped at the benchmark."""
    if (
        value is None
        or benchmark is None
        or benchmark <= 0
        or (isinstance(value, float) and math.isnan(value))
    ):
        return None
    return 1.0 + 99.0 * min(max(value, 0.0) / benchmark, 1.0)


def benchmarks(measures: pd.DataFrame) -> dict[str, float | None]:
    """Each achievement's benchmark: its fixed norm, or its best value over every entity and
    every year of `measures` (the whole panel, never a selection of it)."""
    out: dict[str, float | None] = {}
    for m in MEASURES:
        if m.kind != "achievement":
            continue
        if m.benchmark is not None:
            out[m.code] = m.benchmark
        elif m.code in measures and measures[m.code].notna().any():
            out[m.code] = float(measures[m.code].max())
        else:
            out[m.code] = None
    return out


def _impute(scores: pd.DataFrame, entity: pd.Series, year: pd.Series) -> pd.DataFrame:
    """Missing index scores filled from the same entity's nearest year, at most
    MAX_IMPUTATION_YEARS away (the earlier year on a tie); returns a mask of what was filled.

    Column by column over the rows sorted by entity and year: the nearest known year is the
    last known one before or the first known one after (a Python loop per entity, column and
    missing value took a third of the gender index page, issue #18)."""
    codes = pd.factorize(entity.to_numpy())[0]
    years = year.to_numpy(dtype="float64")
    order = np.lexsort((years, codes))
    group, at_year = codes[order], years[order]
    n = len(order)
    positions = np.arange(n)
    filled = pd.DataFrame(False, index=scores.index, columns=scores.columns)
    for col in scores.columns:
        values = scores[col].to_numpy(dtype="float64")[order]
        known = ~np.isnan(values)
        if known.all() or not known.any():
            continue
        before = np.maximum.accumulate(np.where(known, positions, -1))
        after = np.minimum.accumulate(np.where(known, positions, n)[::-1])[::-1]
        has_before = (before >= 0) & (group[np.maximum(before, 0)] == group)
        has_after = (after < n) & (group[np.minimum(after, n - 1)] == group)
        gap_before = np.where(has_before, at_year - at_year[np.maximum(before, 0)], np.inf)
        # A later year counts half a year further: the earlier one wins a tie.
        gap_after = np.where(has_after, at_year[np.minimum(after, n - 1)] - at_year + 0.5, np.inf)
        source = np.where(gap_before <= gap_after, before, after)
        gap = np.minimum(gap_before, gap_after - 0.5)
        fill = ~known & (gap <= MAX_IMPUTATION_YEARS)
        if not fill.any():
            continue
        rows = order[fill]
        column = scores.columns.get_loc(col)
        updated = scores[col].to_numpy(dtype="float64", copy=True)
        updated[rows] = values[source[fill]]
        scores.isetitem(column, updated)
        mask = filled[col].to_numpy(copy=True)
        mask[rows] = True
        filled.isetitem(column, mask)
    return filled


def _ranks(index: pd.Series, year: pd.Series, rankable: pd.Series) -> pd.Series:
    return (
        index.where(rankable)
        .groupby(year.to_numpy())
        .rank(ascending=False, method="min")
        .astype("Int64")
    )


def _scores(values: np.ndarray, m: Measure, bench: Mapping[str, float | None]) -> np.ndarray:
    """parity_score or achievement_score of every value, as arrays (the same operations in the
    same order, so the same numbers); NaN where they give None."""
    with np.errstate(invalid="ignore"):
        if m.kind == "parity":
            gamma = np.maximum(0.0, 1.0 - np.abs(values - PARITY) / PARITY)
            return 1.0 + 99.0 * gamma
        benchmark = bench[m.code]
        if benchmark is None or benchmark <= 0:
            return np.full(len(values), np.nan)
        return 1.0 + 99.0 * np.minimum(np.maximum(values, 0.0) / benchmark, 1.0)


def compute(
    measures: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    method: str = GEOMETRIC,
) -> pd.DataFrame:
    """Scores for every row of `measures`: one row per entity and year of the whole panel (the
    raw MEASURES columns, `entity`, `year` and optionally `n_units`, the reporting units).

    Returns entity, year, one `score_<measure>` per measure (imputed values included), one
    `domain_<domain>` per domain, `index` (by `method`), `index_arithmetic` or
    `index_geometric` (the other method), `missing` (missing domains), `imputed` (measure codes
    filled from another year), `few_units`, `rank` within the year (None when missing or too few
    units) and the rank under the other method."""
    weights = dict(weights or DEFAULT_WEIGHTS)
    w = np.array([weights.get(d, 0.0) for d in DOMAINS])
    bench = benchmarks(measures)
    out = measures[["entity", "year"]].copy()
    for m in MEASURES:
        values = (
            measures[m.code].astype("float64")
            if m.code in measures
            else pd.Series(np.nan, index=measures.index)
        )
        out[f"score_{m.code}"] = _scores(values.to_numpy(dtype="float64"), m, bench)
    index_cols = [f"score_{m.code}" for m in INDEX_MEASURES]
    scores = out[index_cols].copy()
    filled = _impute(scores, out["entity"], out["year"])
    out[index_cols] = scores
    index_codes = [m.code for m in INDEX_MEASURES]
    out["imputed"] = [
        [index_codes[j] for j in np.flatnonzero(row)] for row in filled.to_numpy(dtype=bool)
    ]
    for domain in DOMAINS:
        cols = [f"score_{m.code}" for m in INDEX_MEASURES if m.domain == domain]
        known = out[cols].notna().sum(axis=1)
        mean = out[cols].mean(axis=1, skipna=True)
        out[f"domain_{domain}"] = mean.where(known >= math.ceil(len(cols) / 2))
    domain_cols = [f"domain_{d}" for d in DOMAINS]
    missing = out[domain_cols].isna()
    domain_names = list(DOMAINS)
    out["missing"] = [
        [domain_names[j] for j in np.flatnonzero(row)] for row in missing.to_numpy(dtype=bool)
    ]
    matrix = out[domain_cols].to_numpy(dtype="float64")
    other = ARITHMETIC if method == GEOMETRIC else GEOMETRIC
    out["index"] = aggregate_domains(matrix, w, method)
    out[f"index_{other}"] = aggregate_domains(matrix, w, other)
    n_units = measures["n_units"] if "n_units" in measures else pd.Series(np.nan, index=out.index)
    out["n_units"] = n_units.to_numpy()
    out["few_units"] = (n_units < MIN_REPORTING_UNITS).to_numpy()
    rankable = out["index"].notna() & ~out["few_units"]
    out["rank"] = _ranks(out["index"], out["year"], rankable)
    out[f"rank_{other}"] = _ranks(out[f"index_{other}"], out["year"], rankable)
    return out


def rank_intervals(
    scored: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    method: str = GEOMETRIC,
    draws: int = index_uncertainty.DRAWS,
    seed: int = index_uncertainty.SEED,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """`scored` (compute's output) with rank_low, rank_median, rank_high: each ranked row's
    rank interval under uncertain weights and imputation (see index_uncertainty); only for the
    rows of `years` when given (the others blank; theirs as with every year)."""
    weights = dict(weights or DEFAULT_WEIGHTS)
    cols = [f"score_{m.code}" for m in INDEX_MEASURES]
    imputed = np.array(
        [[m.code in row for m in INDEX_MEASURES] for row in scored["imputed"]], dtype=bool
    ).reshape(len(scored), len(cols))
    domain_of = np.array([list(DOMAINS).index(m.domain) for m in INDEX_MEASURES])
    rankable = scored["rank"].notna().to_numpy()
    low, mid, high = index_uncertainty.rank_intervals(
        scored[cols].to_numpy(dtype="float64"),
        imputed,
        domain_of,
        np.array([weights.get(d, 0.0) for d in DOMAINS]),
        scored["year"].to_numpy(),
        rankable,
        method=method,
        draws=draws,
        seed=seed,
        years_wanted=None if years is None else np.asarray(years),
    )
    return scored.assign(rank_low=low, rank_median=mid, rank_high=high)


# --- measures from the database ------------------------------------------------------------------

# The pairs behind the parity measures (men's share of participants comes from the activities).
PAIRS = tuple(
    m.code.removesuffix(FEMALE_PCT_SUFFIX)
    for m in MEASURES
    if m.kind == "parity" and m.code.endswith(FEMALE_PCT_SUFFIX)
)
METHODOLOGY = PROJECT_ROOT / "docs" / "index-methodology.md"


def methodology() -> str:
    """The methodology document (Markdown) shown under the ranking."""
    return METHODOLOGY.read_text(encoding="utf-8")


def measures(engine: Engine, by: str, f: Filters) -> pd.DataFrame:
    """The raw MEASURES of each province (in f's code set) or agency and year, annual reports,
    with n_units (the units that reported)."""
    if by not in ("province", "agency"):
        raise ValueError("by must be province or agency")
    annual = f.with_(period_kind="Y", periods=())
    codes = [f"{p}_{s}" for p in PAIRS for s in ("total", "female")] + [
        "events_held",
        "people_reached",
        "docs_issued",
    ]
    frame = aggregate(engine, annual, by=(by, "period"), indicators=codes)
    if frame.empty:
        return pd.DataFrame(columns=["entity", "name", "year", "n_units"])
    key = "province_code" if by == "province" else "agency_code"
    name = "province_name" if by == "province" else "agency_name"
    if by == "province":
        frame = frame[frame["province_set"] == f.province_set]
    for pair in PAIRS:  # a share from a handful of people is noise: missing
        frame.loc[frame[f"{pair}_total"] < MIN_DENOMINATOR, f"{pair}_female_pct"] = np.nan
    staff = frame["staff_total"].where(frame["staff_total"] > 0)
    frame["events_per_100_staff"] = 100 * frame["events_held"] / staff
    frame["people_reached_per_100_staff"] = 100 * frame["people_reached"] / staff
    frame["docs_per_unit"] = frame["docs_issued"] / frame["n_units"].where(frame["n_units"] > 0)
    acts = activities(engine, annual, (by, "year"))
    if not acts.empty:
        acts = acts.rename(columns={"year": "year_"})
        frame = frame.merge(
            acts[[key, "year_", "participants", "male_pct"]],
            left_on=[key, "year"],
            right_on=[key, "year_"],
            how="left",
        ).drop(columns="year_")
        frame["participants_per_100_staff"] = (
            100 * frame["participants"] / frame["staff_total"].where(frame["staff_total"] > 0)
        )
        frame["participants_male_pct"] = frame["male_pct"]
    periods = list(frame["period"].unique())
    if periods:
        rates = tracking.rates_by_period(engine, periods, (by,), annual)
        rates["on_time_pct"] = (
            100 * rates["on_time"] / rates["expected"].where(rates["expected"] > 0)
        )
        frame = frame.merge(rates[[key, "period", "on_time_pct"]], on=[key, "period"], how="left")
    return frame.rename(columns={key: "entity", name: "name"}).reset_index(drop=True)


def population(by: str, f: Filters) -> Filters:
    """What the index is computed over: f without its choice of entities and years (the index
    scores every entity of every year, then the selection picks rows), keeping the user's scope
    and the other dimension (e.g. the agencies whose units make up a province's figures)."""
    entities = {"provinces": ()} if by == "province" else {"agencies": ()}
    return f.with_(period_kind="Y", periods=(), year_from=None, year_to=None, **entities)


def selected(table: pd.DataFrame, by: str, f: Filters) -> pd.DataFrame:
    """The rows of the entities and years `f` selects."""
    keep = pd.Series(True, index=table.index)
    chosen: Sequence[str] = f.provinces if by == "province" else f.agencies
    if chosen:
        keep &= table["entity"].isin(chosen)
    if f.year_from is not None:
        keep &= table["year"] >= f.year_from
    if f.year_to is not None:
        keep &= table["year"] <= f.year_to
    return table[keep]


def weights(engine: Engine) -> dict[str, float]:
    with engine.connect() as conn:
        stored = dict(conn.execute(select(IndexWeight.domain, IndexWeight.weight)).all())
    return {d: float(stored.get(d, DEFAULT_WEIGHTS[d])) for d in DOMAINS}


def set_weights(engine: Engine, new: Mapping[str, float], actor: str) -> None:
    """Change the domain weights (administrators); they need not sum to one (they are normalised)."""
    if any(w < 0 for w in new.values()) or sum(new.values()) <= 0:
        raise ValueError("Trọng số phải không âm và có tổng lớn hơn 0.")
    with engine.begin() as conn:
        for domain, weight in new.items():
            conn.execute(
                update(IndexWeight).where(IndexWeight.domain == domain).values(weight=float(weight))
            )
        audit.record(conn, actor, "index_weights", None, **{k: float(v) for k, v in new.items()})


def index_table(
    engine: Engine,
    by: str,
    f: Filters,
    weight_set: Mapping[str, float] | None = None,
    *,
    draws: int = index_uncertainty.DRAWS,
) -> pd.DataFrame:
    """entity, name, year, n_units, scores, domains, index (geometric), index_arithmetic and
    rank_arithmetic (the sensitivity variant), rank and its interval (rank_low, rank_median,
    rank_high), change (on the previous year), missing domains, imputed measures, few_units.

    Scored over the whole population (every entity and year, see `population`), then the rows
    `f` selects: an entity scores and ranks the same whatever else is selected."""
    raw = measures(engine, by, population(by, f))
    if raw.empty:
        return pd.DataFrame(columns=["entity", "name", "year", "index", "rank"])
    chosen = dict(weight_set or weights(engine))
    scored = compute(raw, chosen)
    # The intervals of the years shown only: a rank is within its year (400 draws of every
    # row of every year were a third of the page, issue #18).
    shown = selected(scored, by, f.with_(provinces=(), agencies=()))["year"].unique()
    scored = rank_intervals(scored, chosen, draws=draws, years=shown.tolist())
    scored["name"] = raw["name"].to_numpy()
    scored = scored.sort_values(["entity", "year"])
    previous = scored.groupby("entity")[["year", "index"]].shift()
    scored["change"] = (scored["index"] - previous["index"]).where(
        scored["year"] - previous["year"] == 1
    )
    return selected(scored, by, f).sort_values(["year", "rank", "name"]).reset_index(drop=True)


def notes(table: pd.DataFrame) -> pd.Series:
    """The Vietnamese note of each row of index_table: why it is not ranked, what was imputed."""

    def note(row: pd.Series) -> str:
        parts = []
        if row["few_units"]:
            parts.append(
                f"Số liệu ít: {int(row['n_units'])} đơn vị báo cáo (dưới {MIN_REPORTING_UNITS}), "
                "không xếp hạng"
            )
        if row["missing"]:
            parts.append("Thiếu dữ liệu: " + ", ".join(DOMAINS[d] for d in row["missing"]))
        if row["imputed"]:
            parts.append(
                "Lấy số liệu năm gần nhất: " + ", ".join(MEASURE_LABELS[c] for c in row["imputed"])
            )
        return "; ".join(parts)

    return table.apply(note, axis=1) if len(table) else pd.Series(dtype="object")
