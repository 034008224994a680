"""The query API against the sample data, on SQLite and PostgreSQL."""

from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.domain.filters import Filters
from data_access.domain.province_sets import ProvinceSet
from data_access.queries.aggregate import aggregate
from data_access.queries.lookups import periods, provinces, units

PAIRS4 = ["staff_total", "staff_female", "managers_total", "managers_female"]


def test_seed_facts_bhxh_quang_tri_2022(shared_sample_engine: Engine) -> None:
    f = Filters(periods=("2022-Y",), units=("BHXH-QUANGTRI",))
    row = aggregate(shared_sample_engine, f, by=("unit",), indicators=PAIRS4).iloc[0]
    assert row["unit_name"] == "BHXH tỉnh Quảng Trị"
    assert round(row["staff_female_pct"], 1) == 53.6
    assert round(row["managers_female_pct"], 1) == 35.4


def test_thads_2018_seed_through_the_api(shared_sample_engine: Engine) -> None:
    codes = [
        "thads_cases_eligible",
        "thads_cases_completed",
        "thads_money_eligible_bn",
        "thads_money_completed_bn",
    ]
    row = aggregate(
        shared_sample_engine,
        Filters(periods=("2018-Y",), agencies=("THADS",)),
        by=("agency",),
        indicators=codes,
    ).iloc[0]
    assert round(100 * row["thads_cases_completed"] / row["thads_cases_eligible"], 2) == 94.61
    # Money is an exact decimal (issue #16): 985,3 of 1.520 tỷ đồng.
    assert row["thads_money_eligible_bn"] == Decimal("1520.000")
    money = 100 * row["thads_money_completed_bn"] / row["thads_money_eligible_bn"]
    assert round(money, 2) == Decimal("64.82")


def test_new_quang_tri_includes_legacy_quang_binh_units(shared_sample_engine: Engine) -> None:
    f = Filters(
        periods=("2022-Y",), province_set=ProvinceSet.CURRENT, provinces=("44",), agencies=("BHXH",)
    )
    by_unit = aggregate(shared_sample_engine, f, by=("unit",), indicators=["staff_total"])
    names = set(by_unit["unit_name"])
    assert {"BHXH tỉnh Quảng Bình", "BHXH tỉnh Quảng Trị"} <= names
    assert set(by_unit["province_name"]) == {"Quảng Trị"}
    by_province = aggregate(shared_sample_engine, f, by=("province",), indicators=["staff_total"])
    assert by_province["staff_total"].tolist() == [by_unit["staff_total"].sum()]
    # Legacy code 44 is Quảng Bình, not Quảng Trị: the code set decides.
    legacy = aggregate(
        shared_sample_engine,
        f.with_(province_set=ProvinceSet.LEGACY),
        by=("unit",),
        indicators=["staff_total"],
    )
    assert "BHXH tỉnh Quảng Bình" in set(legacy["unit_name"])
    assert "BHXH tỉnh Quảng Trị" not in set(legacy["unit_name"])


def test_province_sets_before_and_after_the_merger(shared_sample_engine: Engine) -> None:
    legacy = aggregate(
        shared_sample_engine,
        Filters(periods=("2022-Y",), province_set=ProvinceSet.LEGACY),
        by=("province",),
        indicators=["staff_total"],
    )
    current = aggregate(
        shared_sample_engine,
        Filters(periods=("2022-Y",)),
        by=("province",),
        indicators=["staff_total"],
    )
    assert len(legacy) == 63 and len(current) == 34
    assert legacy["staff_total"].sum() == current["staff_total"].sum()
    after = aggregate(
        shared_sample_engine,
        Filters(periods=("2025-Y",)),
        by=("province",),
        indicators=["staff_total"],
    )
    assert len(after) == 34 and set(after["province_set"]) == {"2025"}


@pytest.mark.parametrize(
    "by", [("agency",), ("province",), ("level",), ("agency", "province", "level")]
)
def test_summary_table_agrees_with_unit_rows(
    shared_sample_engine: Engine, by: tuple[str, ...]
) -> None:
    f = Filters(year_from=2020, year_to=2023)
    codes = ["staff_total", "staff_female", "recruited_total", "thads_money_eligible_bn"]
    fast = aggregate(shared_sample_engine, f, by=(*by, "period"), indicators=codes)
    units_frame = aggregate(shared_sample_engine, f, by=("unit", "period"), indicators=codes)
    keys = [c for c in fast.columns if c in ("agency_code", "province_code", "level", "period")]
    slow = units_frame.groupby(keys, as_index=False)[
        [*codes, "n_units", "n_female_key_leader"]
    ].sum()
    merged = fast.merge(slow, on=keys, suffixes=("", "_units"))
    assert len(merged) == len(fast) == len(slow)
    for col in ["staff_total", "recruited_total", "n_units", "n_female_key_leader"]:
        assert (merged[col].astype("int64") == merged[f"{col}_units"].astype("int64")).all(), col
    assert (
        merged["thads_money_eligible_bn"]
        .fillna(0)
        .round(2)
        .equals(merged["thads_money_eligible_bn_units"].fillna(0).round(2))
    )


def test_across_periods_stocks_take_the_latest_and_flows_sum(shared_sample_engine: Engine) -> None:
    f = Filters(period_kind="Y", year_from=2021, year_to=2023, agencies=("BHXH",))
    codes = ["staff_total", "recruited_total"]
    whole = aggregate(shared_sample_engine, f, by=("agency",), indicators=codes).iloc[0]
    yearly = aggregate(shared_sample_engine, f, by=("agency", "period"), indicators=codes)
    assert whole["staff_total"] == yearly.loc[yearly["period"] == "2023-Y", "staff_total"].item()
    assert whole["recruited_total"] == yearly["recruited_total"].sum()
    assert whole["n_units"] == yearly.loc[yearly["period"] == "2023-Y", "n_units"].item()


def test_semi_annual_and_annual_are_never_added(shared_sample_engine: Engine) -> None:
    annual = aggregate(
        shared_sample_engine, Filters(period_kind="Y", year_from=2022, year_to=2022), by=("period",)
    )
    semi = aggregate(
        shared_sample_engine,
        Filters(period_kind="H1", year_from=2022, year_to=2022),
        by=("period",),
    )
    assert annual["period"].tolist() == ["2022-Y"] and semi["period"].tolist() == ["2022-H1"]
    assert annual["recruited_total"].item() > semi["recruited_total"].item()


def test_filters_by_agency_level_and_scope(shared_sample_engine: Engine) -> None:
    f = Filters(periods=("2022-Y",), levels=("district",))
    by_agency = aggregate(shared_sample_engine, f, by=("agency",), indicators=["staff_total"])
    assert set(by_agency["agency_code"]) == {"BHXH", "THADS"}  # only they have district units
    scoped = aggregate(
        shared_sample_engine, f.with_(scope=("BHXH",)), by=("unit",), indicators=["staff_total"]
    )
    assert set(scoped["agency_code"]) == {"BHXH"}
    outside = aggregate(
        shared_sample_engine, f.with_(agencies=("THADS",), scope=("BHXH",)), by=("unit",)
    )
    assert outside.empty


def test_female_key_leader_share_counts_units(shared_sample_engine: Engine) -> None:
    f = Filters(periods=("2024-Y",))
    units_frame = aggregate(
        shared_sample_engine, f, by=("unit",), indicators=["key_leaders_female"]
    )
    expected = 100 * (units_frame["key_leaders_female"] > 0).mean()
    total = aggregate(
        shared_sample_engine, f, by=("period",), indicators=["key_leaders_female"]
    ).iloc[0]
    assert total["female_key_leader_units_pct"] == pytest.approx(expected)


def test_empty_selection_gives_an_empty_frame_with_columns(shared_sample_engine: Engine) -> None:
    for f in (
        Filters(periods=("1999-Y",)),
        Filters(agencies=("NOPE",)),
        Filters(provinces=("00",)),
    ):
        frame = aggregate(shared_sample_engine, f, by=("agency", "period"), indicators=PAIRS4)
        assert frame.empty
        assert {"agency_code", "period", "staff_female_pct", "n_units"} <= set(frame.columns)


def test_lookups(shared_sample_engine: Engine) -> None:
    assert len(provinces(shared_sample_engine, ProvinceSet.CURRENT)) == 34
    legacy = provinces(shared_sample_engine, ProvinceSet.LEGACY)
    assert legacy.set_index("code").loc["44", "current_name"] == "Quảng Trị"
    codes = periods(shared_sample_engine, "Y")["code"].tolist()
    assert codes[0] == "2018-Y" and codes[-1] == "2025-Y"
    found = units(shared_sample_engine, "quảng trị", agencies=["BHXH"])
    assert {"BHXH-QUANGTRI", "BHXH-QUANGTRI-2025"} <= set(found["code"])
    assert isinstance(found, pd.DataFrame)
