"""The gender-equality index of provinces and agencies (docs/index-methodology.md).

Indicators → domains → index, each scored from 1 to 100 where 100 means full equality, in the
spirit of EIGE's Gender Equality Index:
- a share of women (staff, leaders, trainees…) scores by its gap to parity, the same for a gap in
  either direction, so over-representation of either sex never scores above parity:
  Γ = 1 − |p − 50| / 50, score = 1 + 99·Γ;
- a level of achievement with no sex in it (on-time reporting, events per 100 staff…) scores
  against its benchmark: a = min(x / benchmark, 1), score = 1 + 99·a;
- a domain is the mean of its indicators' scores (at least half must be known);
- the index is the weighted mean of the domain scores, weights from the `index_weights` table; an
  entity missing a domain is flagged, not scored.

`compute` is a pure function over a frame of raw measures, so the tests can check it by hand.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select, update

from data_access import audit, tracking
from data_access.activities_query import activities
from data_access.catalogue import FEMALE_PCT_SUFFIX, PARITY
from data_access.config import PROJECT_ROOT
from data_access.models import IndexWeight
from data_access.queries import Filters, aggregate

# A share computed from fewer people than this says little: treated as missing.
MIN_DENOMINATOR = 5


@dataclass(frozen=True)
class Measure:
    code: str
    domain: str
    label_vi: str
    kind: str  # "parity": a share of women; "achievement": a level against a benchmark
    benchmark: float | None = None  # for achievements; None = the best entity of the year


MEASURES = (
    Measure("staff_female_pct", "workforce", "Tỷ lệ nữ CCVC, NLĐ", "parity"),
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
        "events_per_100_staff", "engagement", "Hội nghị, hội thảo trên 100 CCVC", "achievement"
    ),
    Measure(
        "people_reached_per_100_staff",
        "engagement",
        "Lượt người được tuyên truyền trên 100 CCVC",
        "achievement",
    ),
    Measure(
        "participants_per_100_staff",
        "engagement",
        "Lượt tham gia hoạt động hưởng ứng trên 100 CCVC",
        "achievement",
    ),
    Measure("participants_male_pct", "engagement", "Tỷ lệ nam giới trong người tham gia", "parity"),
    Measure("on_time_pct", "accountability", "Tỷ lệ đơn vị báo cáo đúng hạn", "achievement", 100.0),
    Measure(
        "docs_per_unit",
        "accountability",
        "Văn bản có lồng ghép bình đẳng giới trên một đơn vị",
        "achievement",
    ),
)
DOMAINS = {
    "workforce": "Lực lượng lao động",
    "leadership": "Lãnh đạo, quản lý",
    "capacity": "Năng lực, phát triển",
    "engagement": "Truyền thông, tham gia",
    "accountability": "Trách nhiệm giải trình",
}
DEFAULT_WEIGHTS = {
    "workforce": 0.15,
    "leadership": 0.35,
    "capacity": 0.2,
    "engagement": 0.15,
    "accountability": 0.15,
}
EQUAL_WEIGHTS = dict.fromkeys(DOMAINS, 0.2)


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


def compute(measures: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Scores for every row of `measures` (one row per entity and year, the raw MEASURES columns
    plus `entity` and `year`). Returns entity, year, one `score_<measure>` per measure, one
    `domain_<domain>` per domain, `index` (None when a domain is missing), `missing` (the
    missing domains), `rank` within the year."""
    weights = dict(weights or DEFAULT_WEIGHTS)
    total = sum(weights.get(d, 0.0) for d in DOMAINS)
    out = measures[["entity", "year"]].copy()
    for m in MEASURES:
        values = (
            measures[m.code].astype("float64")
            if m.code in measures
            else pd.Series(np.nan, index=measures.index)
        )
        if m.kind == "parity":
            out[f"score_{m.code}"] = values.map(parity_score).astype("float64")
        else:
            best = (
                values.groupby(measures["year"]).transform("max")
                if m.benchmark is None
                else pd.Series(m.benchmark, index=measures.index)
            )
            out[f"score_{m.code}"] = [
                achievement_score(v, b) for v, b in zip(values, best, strict=True)
            ]
            out[f"score_{m.code}"] = out[f"score_{m.code}"].astype("float64")
    for domain in DOMAINS:
        cols = [f"score_{m.code}" for m in MEASURES if m.domain == domain]
        known = out[cols].notna().sum(axis=1)
        mean = out[cols].mean(axis=1, skipna=True)
        out[f"domain_{domain}"] = mean.where(known >= math.ceil(len(cols) / 2))
    domain_cols = [f"domain_{d}" for d in DOMAINS]
    missing = out[domain_cols].isna()
    out["missing"] = missing.apply(
        lambda row: [d for d, m in zip(DOMAINS, row, strict=True) if m], axis=1
    )
    weighted = sum(out[f"domain_{d}"] * weights.get(d, 0.0) for d in DOMAINS) / total
    out["index"] = weighted.where(~missing.any(axis=1))
    out["rank"] = out.groupby("year")["index"].rank(ascending=False, method="min").astype("Int64")
    return out


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
    """The raw MEASURES of each province (in f's code set) or agency and year, annual reports."""
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
        return pd.DataFrame(columns=["entity", "name", "year"])
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
    on_time = []
    for period in frame["period"].unique():
        rates = tracking.rates(engine, period, (by,), annual)
        on_time.append(
            rates.assign(period=period)[[key, "period", "reporting_rate", "on_time", "expected"]]
        )
    if on_time:
        rates = pd.concat(on_time)
        rates["on_time_pct"] = (
            100 * rates["on_time"] / rates["expected"].where(rates["expected"] > 0)
        )
        frame = frame.merge(rates[[key, "period", "on_time_pct"]], on=[key, "period"], how="left")
    return frame.rename(columns={key: "entity", name: "name"}).reset_index(drop=True)


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
    engine: Engine, by: str, f: Filters, weight_set: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """entity, name, year, scores, domains, index, rank, change (on the previous year), rank under
    equal weights, missing domains."""
    # One year earlier than asked, for the change on the previous year.
    widened = f.with_(year_from=f.year_from - 1) if f.year_from is not None else f
    raw = measures(engine, by, widened)
    if raw.empty:
        return pd.DataFrame(columns=["entity", "name", "year", "index", "rank"])
    scored = compute(raw, weight_set or weights(engine))
    equal = compute(raw, EQUAL_WEIGHTS)
    scored["name"] = raw["name"].to_numpy()
    scored["index_equal_weights"] = equal["index"].to_numpy()
    scored["rank_equal_weights"] = equal["rank"].to_numpy()
    scored = scored.sort_values(["entity", "year"])
    scored["change"] = scored.groupby("entity")["index"].diff()
    if f.year_from is not None:
        scored = scored[scored["year"] >= f.year_from]
    if f.year_to is not None:
        scored = scored[scored["year"] <= f.year_to]
    return scored.sort_values(["year", "rank"]).reset_index(drop=True)
