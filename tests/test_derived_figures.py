"""Figures the pages show but do not compute: men's share, pair groups, gaps and changes."""

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data_access.db import catalogue
from data_access.db.catalogue import PAIR_GROUPS, Catalogue, IndicatorDef, PairGroup
from data_access.db.config import SAMPLE_DATA_DIR
from data_access.domain.filters import Filters
from data_access.queries.activities import activities, male_share
from data_access.views import campaigns, gender_ratio, leadership, overview

CSV = SAMPLE_DATA_DIR / "indicators.csv"


@pytest.mark.parametrize(
    ("male", "participants", "expected"),
    [
        (30, 120, 25.0),  # 30 / 120
        (0, 40, 0.0),  # people took part, no man among them: 0%
        (0, 0, None),  # nobody took part: no share at all, not 0%
    ],
)
def test_mens_share(male: int, participants: int, expected: float | None) -> None:
    assert male_share(male, participants) == expected


def test_mens_share_with_no_participants_is_missing_not_zero(
    shared_sample_engine: Engine,
) -> None:
    """A selection without activities has no men's share (the campaigns page used to show 0%)."""
    empty = Filters(year_from=1990, year_to=1990)
    summary = campaigns.campaign_summary(shared_sample_engine, empty)
    assert (summary.activities, summary.participants) == (0, 0)
    assert summary.male_pct is None
    assert summary.latest_year is None


def test_campaign_summary_is_the_sum_of_the_years(shared_sample_engine: Engine) -> None:
    f = Filters()
    by_year = activities(shared_sample_engine, f, ("year",))
    summary = campaigns.campaign_summary(shared_sample_engine, f)
    male, total = by_year["participants_male"].sum(), by_year["participants"].sum()
    assert summary.participants == total
    assert summary.male_pct == pytest.approx(100 * male / total)
    assert summary.male_pct_change == pytest.approx(
        by_year.iloc[-1]["male_pct"] - by_year.iloc[-2]["male_pct"]
    )


def _with_pair(code: str) -> Catalogue:
    return Catalogue(
        [
            *catalogue.read_csv(CSV),
            IndicatorDef(f"{code}_total", "Phó người đứng đầu", "I.4", pair=code, role="total"),
            IndicatorDef(f"{code}_female", "Phó người đứng đầu", "I.4", pair=code, role="female"),
        ]
    )


def test_a_pair_added_to_a_group_is_listed_by_the_group(monkeypatch: pytest.MonkeyPatch) -> None:
    cat = _with_pair("deputies")
    assert "deputies" not in cat.group(PairGroup.LEADERSHIP)
    monkeypatch.setitem(
        PAIR_GROUPS, PairGroup.LEADERSHIP, (*PAIR_GROUPS[PairGroup.LEADERSHIP], "deputies")
    )
    assert cat.group(PairGroup.LEADERSHIP)[-1] == "deputies"
    # A group member the catalogue lacks is left out rather than queried.
    base = Catalogue(catalogue.read_csv(CSV))
    assert "deputies" not in base.group(PairGroup.LEADERSHIP)


def test_the_leadership_page_lists_the_group(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The leadership table's columns follow the group: a pair added shows up."""
    monkeypatch.setitem(
        PAIR_GROUPS, PairGroup.LEADERSHIP, (*PAIR_GROUPS[PairGroup.LEADERSHIP], "staff")
    )
    shares = leadership.leadership_shares(shared_sample_engine, Filters(), "agency")
    assert "staff_female_pct" in shares.columns


def test_overview_changes_and_gap_are_hand_computed(shared_sample_engine: Engine) -> None:
    ov = overview.overview(shared_sample_engine, Filters())
    assert ov.latest is not None and ov.previous is not None and ov.target is not None
    # Like for like (issue 16): recomputed from the stored reports of the units whose line
    # (a unit and its successors) reported in both periods.
    with shared_sample_engine.connect() as conn:
        reports = pd.read_sql(
            text(
                "SELECT u.code, p.code AS period, s.* FROM submissions s "
                "JOIN units u ON u.id = s.unit_id JOIN periods p ON p.id = s.period_id "
                "WHERE p.code IN (:a, :b)"
            ),
            conn,
            params={"a": ov.latest["period"], "b": ov.previous["period"]},
        )
        successor: dict[str, str] = dict(
            conn.exec_driver_sql(
                "SELECT u.code, n.code FROM units u JOIN units n ON n.id = u.successor_id"
            ).all()
        )

    def line(code: str) -> str:
        while code in successor:
            code = successor[code]
        return code

    reports["line"] = reports["code"].map(line)
    now = reports[reports["period"] == ov.latest["period"]]
    before = reports[reports["period"] == ov.previous["period"]]
    common = set(now["line"]) & set(before["line"])
    for pair in ov.pairs:

        def share(frame: pd.DataFrame, pair: str = pair) -> float:
            kept = frame[frame["line"].isin(common)]
            return 100 * kept[f"{pair}_female"].sum() / kept[f"{pair}_total"].sum()

        assert ov.changes[pair] == pytest.approx(share(now) - share(before))
    leader_share = ov.latest["female_key_leader_units_pct"]
    assert ov.target_gap == pytest.approx(leader_share - ov.target)


def test_pipeline_drop_is_the_change_from_the_stage_before(shared_sample_engine: Engine) -> None:
    pipeline = leadership.pipeline(shared_sample_engine, Filters())
    assert pd.isna(pipeline.at[0, "drop"])
    assert pipeline.at[1, "drop"] == pytest.approx(
        pipeline.at[1, "female_pct"] - pipeline.at[0, "female_pct"]
    )


def test_unit_spread_counts_units_in_the_parity_band(shared_sample_engine: Engine) -> None:
    spread = gender_ratio.unit_spread(shared_sample_engine, Filters())
    shares = spread.units["staff_female_pct"]
    inside = ((shares >= 40) & (shares <= 60)).sum()
    assert spread.balanced_pct == pytest.approx(100 * inside / len(shares))
