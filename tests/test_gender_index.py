"""The gender-equality index on a tiny dataset computed by hand, and on the sample database."""

import math

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.analytics import gender_index as gi
from data_access.domain.filters import Filters


def test_parity_scores_100_and_the_gap_is_symmetric_and_capped() -> None:
    assert gi.parity_score(50.0) == 100.0
    assert gi.parity_score(40.0) == pytest.approx(80.2)
    assert gi.parity_score(60.0) == pytest.approx(80.2)  # over-representation never beats parity
    assert gi.parity_score(0.0) == gi.parity_score(100.0) == 1.0
    assert gi.parity_score(float("nan")) is None


def test_achievement_is_capped_at_the_benchmark() -> None:
    assert gi.achievement_score(50.0, 100.0) == pytest.approx(50.5)
    assert gi.achievement_score(150.0, 100.0) == 100.0
    assert gi.achievement_score(None, 100.0) is None


def _tiny() -> pd.DataFrame:
    """Two provinces in one year; A is at parity everywhere, B is not."""
    a = {m.code: 50.0 for m in gi.MEASURES if m.kind == "parity"}
    a |= {
        gi.FEMALE_LEADER_PCT: 100.0,
        "events_per_100_staff": 10.0,
        "people_reached_per_100_staff": 200.0,
        "participants_per_100_staff": 80.0,
        "on_time_pct": 100.0,
        "docs_per_unit": 2.0,
    }
    b = {m.code: 40.0 for m in gi.MEASURES if m.kind == "parity"}
    b |= {"staff_female_pct": 70.0, "heads_female_pct": 0.0}
    b |= {
        gi.FEMALE_LEADER_PCT: 60.0,
        "events_per_100_staff": 5.0,
        "people_reached_per_100_staff": 200.0,
        "participants_per_100_staff": 40.0,
        "on_time_pct": 80.0,
        "docs_per_unit": 1.0,
    }
    return pd.DataFrame([{"entity": "A", "year": 2024, **a}, {"entity": "B", "year": 2024, **b}])


# Expected values recomputed by hand for the rebuilt index (issue 16): the Strategy indicator
# joins the leadership domain, the indicators with no sex dimension left the index for context,
# and domains aggregate by a weighted geometric mean (EIGE) with weights 20/40/25/15.
def test_tiny_dataset_scores_and_ranks_by_hand() -> None:
    out = gi.compute(_tiny()).set_index("entity")
    assert out.at["A", "index"] == pytest.approx(100.0)
    # B by hand. Workforce: staff 70% → Γ = 1 − 20/50 = 0.6 → 60.4.
    assert out.at["B", "domain_workforce"] == pytest.approx(60.4)
    # Leadership: four shares of 40% (80.2), heads 0% (1.0), units with a woman key leader
    # 60% of the 100% benchmark (60.4) → (4·80.2 + 1 + 60.4)/6 = 63.7.
    assert out.at["B", "domain_leadership"] == pytest.approx(63.7)
    # Capacity: five shares of 40% → 80.2.
    assert out.at["B", "domain_capacity"] == pytest.approx(80.2)
    # Engagement: men 40% of participants → 80.2.
    assert out.at["B", "domain_engagement"] == pytest.approx(80.2)
    # Context, not in the index: on time 80/100 → 80.2; documents 1 of the panel's best 2 → 50.5.
    assert out.at["B", "score_on_time_pct"] == pytest.approx(80.2)
    assert out.at["B", "score_docs_per_unit"] == pytest.approx(50.5)
    expected = 60.4**0.2 * 63.7**0.4 * 80.2**0.25 * 80.2**0.15
    assert out.at["B", "index"] == pytest.approx(expected)  # ≈ 70.49
    assert out.at["B", "index_arithmetic"] == pytest.approx(
        0.2 * 60.4 + 0.4 * 63.7 + 0.25 * 80.2 + 0.15 * 80.2
    )
    assert (out.at["A", "rank"], out.at["B", "rank"]) == (1, 2)


def test_changing_a_weight_changes_the_index_as_computed_by_hand() -> None:
    weights = {"workforce": 1.0, "leadership": 0.0, "capacity": 0.0, "engagement": 1.0}
    out = gi.compute(_tiny(), weights).set_index("entity")
    assert out.at["B", "index"] == pytest.approx(math.sqrt(60.4 * 80.2))


def test_missing_data_is_flagged_not_scored() -> None:
    tiny = _tiny()
    tiny.loc[1, "participants_male_pct"] = math.nan  # the engagement domain's only indicator
    tiny.loc[1, "political_training_female_pct"] = math.nan  # one of five: the domain still counts
    out = gi.compute(tiny).set_index("entity")
    assert out.at["B", "domain_capacity"] == pytest.approx(80.2)
    assert pd.isna(out.at["B", "index"]) and out.at["B", "missing"] == ["engagement"]
    assert out.at["A", "rank"] == 1 and pd.isna(out.at["B", "rank"])


def test_index_on_the_sample_database(shared_sample_engine: Engine) -> None:
    provinces = gi.index_table(
        shared_sample_engine, "province", Filters(year_from=2024, year_to=2024)
    )
    assert len(provinces) == 34 and set(provinces["year"]) == {2024}
    scored = provinces.dropna(subset=["index"])
    assert scored["index"].between(1, 100).all()
    assert (
        sorted(scored["rank"].tolist()) == list(range(1, len(scored) + 1))
        or scored["rank"].is_unique is False
    )
    assert provinces["change"].notna().any()  # 2023 was loaded for the change
    agencies = gi.index_table(shared_sample_engine, "agency", Filters(year_from=2024, year_to=2024))
    assert set(agencies["entity"]) == {"BHXH", "THADS", "LDTBXH", "BNV"}


def test_admin_weights_are_stored_and_used(sample_engine: Engine) -> None:
    assert gi.weights(sample_engine) == gi.DEFAULT_WEIGHTS
    gi.set_weights(sample_engine, gi.EQUAL_WEIGHTS, actor="quantri")
    assert gi.weights(sample_engine) == gi.EQUAL_WEIGHTS
    stored = gi.index_table(sample_engine, "agency", Filters(year_from=2024, year_to=2024))
    given = gi.index_table(
        sample_engine, "agency", Filters(year_from=2024, year_to=2024), gi.EQUAL_WEIGHTS
    )
    assert stored["index"].tolist() == pytest.approx(given["index"].tolist())
    with pytest.raises(ValueError):
        gi.set_weights(sample_engine, dict.fromkeys(gi.DOMAINS, 0.0), actor="quantri")
