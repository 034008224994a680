from dataclasses import replace

import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from data_access.db import catalogue
from data_access.db import catalogue as catalogue_mod
from data_access.db.catalogue import Catalogue, CatalogueError, IndicatorDef
from data_access.db.config import SAMPLE_DATA_DIR
from data_access.db.value_tables import sync_value_columns
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from data_access.queries.lookups import load_catalogue

CSV = SAMPLE_DATA_DIR / "indicators.csv"


def test_catalogue_csv_has_every_domain_indicator() -> None:
    cat = Catalogue(catalogue.read_csv(CSV))
    expected_pairs = {
        "staff",
        "party_members",
        "party_committee",
        "planning_pool",
        "managers",
        "key_leaders",
        "heads",
        "political_training",
        "professional_training",
        "masters",
        "doctorates",
        "recruited",
    }
    assert set(cat.pairs) == expected_pairs
    singles = {
        "docs_issued",
        "docs_to_womens_union",
        "ge_parttime_staff",
        "events_held",
        "people_reached",
        "inspections",
        "violations",
        "complaints_received",
        "complaints_resolved",
        "gbv_cases",
    }
    assert singles <= set(cat.codes)
    thads = [i.code for i in cat.indicators if i.agency_code == "THADS"]
    assert thads == [
        "thads_cases_eligible",
        "thads_cases_completed",
        "thads_money_eligible_bn",
        "thads_money_completed_bn",
    ]
    assert cat.by_code["thads_money_eligible_bn"].value_type == "decimal"
    assert cat.by_code["staff_female"].heading_vi == "Công chức, viên chức, người lao động - Nữ"
    assert cat.by_code["recruited_total"].kind == "flow"
    assert cat.by_code["managers_total"].kind == "stock"


def test_for_agency_keeps_other_agencies_indicators_out() -> None:
    cat = Catalogue(catalogue.read_csv(CSV))
    assert "thads_cases_eligible" in [i.code for i in cat.for_agency("THADS")]
    assert "thads_cases_eligible" not in [i.code for i in cat.for_agency("BHXH")]


BASE = IndicatorDef(code="ok_code", label_vi="Nhãn", section="I.1")


@pytest.mark.parametrize(
    ("defs", "message"),
    [
        ([replace(BASE, code="Bad-Code")], "không hợp lệ"),
        ([replace(BASE, code="unit_id")], "không hợp lệ"),  # reserved column
        ([BASE, BASE], "bị trùng"),
        ([replace(BASE, code="x_total", pair="x", role="total")], "thiếu phần"),
        ([replace(BASE, code="x_all", pair="x", role="total")], "<cặp>_total"),
        ([replace(BASE, value_type="text")], "Kiểu giá trị"),
    ],
)
def test_catalogue_validation_rejects_unsafe_rows(defs: list[IndicatorDef], message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        Catalogue(defs)


def test_new_indicator_is_a_catalogue_row_not_a_schema_change(engine: Engine) -> None:
    """An agency's own indicator: add the row, sync, and it is stored, summed and exported."""
    new = IndicatorDef(
        code="bhxh_insured_women",
        label_vi="Lao động nữ tham gia BHXH",
        section="I.6",
        agency_code="BHXH",
        kind="stock",
        sort_order=500,
    )
    with Session(engine) as session, session.begin():
        catalogue.save_indicators(session, [new])
    with engine.begin() as conn:
        added = sync_value_columns(conn, catalogue_mod.load(conn))
        again = sync_value_columns(conn, catalogue_mod.load(conn))
    assert added == ["submissions.bhxh_insured_women", "submission_summary.bhxh_insured_women"]
    assert again == []
    columns = {c["name"] for c in inspect(engine).get_columns("submissions")}
    assert "bhxh_insured_women" in columns
    assert "bhxh_insured_women" in load_catalogue(engine)
    frame = aggregate(engine, Filters(), by=("period",), indicators=["bhxh_insured_women"])
    assert "bhxh_insured_women" in frame.columns
