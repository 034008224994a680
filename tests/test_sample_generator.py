"""The sample data: deterministic, realistic, and holding the seed facts exactly."""

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from data_access.db.config import SAMPLE_DATA_DIR
from devtools.sample_generator import SampleGenerator, generate

GENERATED = ["agencies.csv", "units.csv", "targets.csv", "submissions.csv", "activities.csv"]


def _rows(name: str, directory: Path = SAMPLE_DATA_DIR) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def submissions() -> list[dict[str, str]]:
    return _rows("submissions.csv")


@pytest.fixture(scope="module")
def units() -> dict[str, dict[str, str]]:
    return {u["code"]: u for u in _rows("units.csv")}


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    generate(tmp_path)
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (SAMPLE_DATA_DIR / name).read_bytes(), name


def test_seed_fact_bhxh_quang_tri_2022(submissions: list[dict[str, str]], units: dict) -> None:
    row = next(
        r for r in submissions if r["unit_code"] == "BHXH-QUANGTRI" and r["period"] == "2022-Y"
    )
    assert units["BHXH-QUANGTRI"]["name"] == "BHXH tỉnh Quảng Trị"
    assert (int(row["staff_total"]), int(row["staff_female"])) == (235, 126)
    assert (int(row["managers_total"]), int(row["managers_female"])) == (48, 17)


def test_seed_fact_thads_2018_system_wide(submissions: list[dict[str, str]]) -> None:
    rows = [
        r for r in submissions if r["period"] == "2018-Y" and r["unit_code"].startswith("THADS-")
    ]
    cases = sum(int(r["thads_cases_eligible"]) for r in rows)
    done = sum(int(r["thads_cases_completed"]) for r in rows)
    money = sum(float(r["thads_money_eligible_bn"]) for r in rows)
    collected = sum(float(r["thads_money_completed_bn"]) for r in rows)
    assert round(cases, -3) == 295_000 and round(done, -3) == 279_000
    assert round(100 * done / cases, 2) == 94.61
    assert round(money) == 1_520 and round(collected) == 985
    assert round(100 * collected / money, 2) == 64.82
    assert all(int(r["thads_cases_completed"]) <= int(r["thads_cases_eligible"]) for r in rows)


def test_female_never_exceeds_total(submissions: list[dict[str, str]]) -> None:
    pairs = [c.removesuffix("_female") for c in submissions[0] if c.endswith("_female")]
    for row in submissions:
        for pair in pairs:
            if row[f"{pair}_total"]:
                assert 0 <= int(row[f"{pair}_female"]) <= int(row[f"{pair}_total"]), (
                    row["unit_code"],
                    pair,
                )


def test_annual_flows_include_the_first_half(submissions: list[dict[str, str]]) -> None:
    by_key = {(r["unit_code"], r["period"]): r for r in submissions}
    checked = 0
    for (unit, period), row in by_key.items():
        if period.endswith("-Y") and (h1 := by_key.get((unit, period.replace("-Y", "-H1")))):
            assert int(row["recruited_total"]) >= int(h1["recruited_total"])
            assert int(row["people_reached"]) >= int(h1["people_reached"])
            checked += 1
    assert checked > 1000


def test_units_in_every_province_and_the_2025_reorganisation(units: dict) -> None:
    provinces = {(u["province_set"], u["province_code"]) for u in units.values()}
    assert sum(s == "legacy" for s, _ in provinces) == 63
    assert {c for s, c in provinces if s == "2025"} >= {"44", "15", "24", "52", "80", "82", "91"}
    assert {u["agency_code"] for u in units.values()} == {"BHXH", "THADS", "LDTBXH", "BNV"}
    assert Counter(u["level"] for u in units.values()).keys() == {
        "central",
        "provincial",
        "district",
        "regional",
    }
    old = units["BHXH-QUANGBINH"]
    assert old["active_to"] == "2025-06-30"
    new = units[old["successor_code"]]
    assert (new["province_set"], new["province_code"], new["active_from"]) == (
        "2025",
        "44",
        "2025-07-01",
    )
    ldtbxh = units["LDTBXH-QUANGTRI"]
    assert ldtbxh["active_to"] == "2025-02-28" and ldtbxh["successor_code"] == "BNV-QUANGTRI"


def test_units_report_only_while_active(submissions: list[dict[str, str]], units: dict) -> None:
    for row in submissions:
        unit = units[row["unit_code"]]
        year = int(row["period"][:4])
        assert unit["active_from"][:4] <= str(year)
        if unit["active_to"]:
            assert str(year) <= unit["active_to"][:4]
    reported = {r["unit_code"] for r in submissions if r["period"] == "2025-Y"}
    assert "BHXH-QUANGTRI" not in reported and "BHXH-QUANGTRI-2025" in reported
    assert not any(
        c.startswith("LDTBXH-")
        for c in {r["unit_code"] for r in submissions if r["period"] >= "2025"}
    )


def test_late_and_missing_reports_exist(submissions: list[dict[str, str]]) -> None:
    generator = SampleGenerator()
    expected = {
        (u.code, str(p)) for u in generator.units for p in generator.periods if u.expected(p)
    }
    received = {(r["unit_code"], r["period"]) for r in submissions}
    assert received <= expected
    missing = len(expected - received) / len(expected)
    assert 0.01 < missing < 0.1
    late = [
        r
        for r in submissions
        if r["received_at"][5:10] > ("06-15" if r["period"].endswith("H1") else "11-30")
    ]
    assert 0.05 < len(late) / len(submissions) < 0.25


def test_activities_cover_every_campaign_with_men_taking_part() -> None:
    activities = _rows("activities.csv")
    by_campaign: dict[str, list[dict[str, str]]] = defaultdict(list)
    for a in activities:
        by_campaign[a["campaign"]].append(a)
    assert set(by_campaign) >= {"ACTION_MONTH_GE", "DV_MONTH", "IWD_0803", "VWD_2010"}
    for rows in by_campaign.values():
        assert sum(int(a["participants_male"]) for a in rows) > 0
        assert sum(int(a["participants_female"]) for a in rows) > 0
    action_month = by_campaign["ACTION_MONTH_GE"]
    assert all(
        a["start_date"][5:] >= "11-15" or a["start_date"][5:] <= "12-15" for a in action_month
    )
    keys = Counter((a["unit_code"], a["campaign"], a["start_date"], a["title"]) for a in activities)
    assert max(keys.values()) == 1  # the natural key of an activity is unique


def test_scaled_generation_reaches_the_unit_count(tmp_path: Path) -> None:
    counts = generate(tmp_path, units=2_000, years=2, narratives=False)
    assert counts["units.csv"] >= 2_000
    periods = {r["period"] for r in _rows("submissions.csv", tmp_path)}
    assert periods == {"2025-H1", "2025-Y", "2026-H1"}
