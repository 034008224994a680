"""The province reference: both code sets, the 63 → 34 mapping and the reused codes."""

import csv

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from data_access.db.config import SAMPLE_DATA_DIR
from data_access.db.models import Province
from scripts.build_province_reference import build_district_rows, build_rows, render_csv

# docs/domain.md ("Provinces"): the 23 merged provinces (new ← old ones) and the 11 unchanged.
MERGES = {
    "Tuyên Quang": {"Hà Giang", "Tuyên Quang"},
    "Lào Cai": {"Lào Cai", "Yên Bái"},
    "Thái Nguyên": {"Thái Nguyên", "Bắc Kạn"},
    "Phú Thọ": {"Phú Thọ", "Vĩnh Phúc", "Hòa Bình"},
    "Bắc Ninh": {"Bắc Ninh", "Bắc Giang"},
    "Hưng Yên": {"Hưng Yên", "Thái Bình"},
    "Hải Phòng": {"Hải Phòng", "Hải Dương"},
    "Ninh Bình": {"Ninh Bình", "Hà Nam", "Nam Định"},
    "Quảng Trị": {"Quảng Trị", "Quảng Bình"},
    "Đà Nẵng": {"Đà Nẵng", "Quảng Nam"},
    "Quảng Ngãi": {"Quảng Ngãi", "Kon Tum"},
    "Gia Lai": {"Gia Lai", "Bình Định"},
    "Khánh Hòa": {"Khánh Hòa", "Ninh Thuận"},
    "Lâm Đồng": {"Lâm Đồng", "Đắk Nông", "Bình Thuận"},
    "Đắk Lắk": {"Đắk Lắk", "Phú Yên"},
    "Hồ Chí Minh": {"Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"},
    "Đồng Nai": {"Đồng Nai", "Bình Phước"},
    "Tây Ninh": {"Tây Ninh", "Long An"},
    "Đồng Tháp": {"Đồng Tháp", "Tiền Giang"},
    "Vĩnh Long": {"Vĩnh Long", "Bến Tre", "Trà Vinh"},
    "An Giang": {"An Giang", "Kiên Giang"},
    "Cần Thơ": {"Cần Thơ", "Hậu Giang", "Sóc Trăng"},
    "Cà Mau": {"Cà Mau", "Bạc Liêu"},
}
UNCHANGED = {
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
}
# New codes that reuse an old code of a *different* province (the trap docs/domain.md warns of under "Provinces").
REUSED = {
    "15": ("Lào Cai", "Yên Bái"),
    "24": ("Bắc Ninh", "Bắc Giang"),
    "44": ("Quảng Trị", "Quảng Bình"),
    "52": ("Gia Lai", "Bình Định"),
    "80": ("Tây Ninh", "Long An"),
    "82": ("Đồng Tháp", "Tiền Giang"),
    "91": ("An Giang", "Kiên Giang"),
}


def _mapping_from(rows: list[dict[str, str]]) -> dict[str, set[str]]:
    current = {r["code"]: r["short_name"] for r in rows if r["code_set"] == "2025"}
    out: dict[str, set[str]] = {}
    for r in rows:
        if r["code_set"] == "legacy":
            out.setdefault(current[r["current_code"]], set()).add(r["short_name"])
    return out


def test_committed_reference_matches_the_package() -> None:
    committed = (SAMPLE_DATA_DIR / "provinces.csv").read_text(encoding="utf-8")
    assert committed == render_csv(build_rows())
    districts = (SAMPLE_DATA_DIR / "legacy_districts.csv").read_text(encoding="utf-8")
    assert districts == render_csv(build_district_rows(), ["province_code", "code", "name"])


def test_63_to_34_mapping_is_the_23_merges_of_domain_md() -> None:
    with (SAMPLE_DATA_DIR / "provinces.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sum(r["code_set"] == "legacy" for r in rows) == 63
    assert sum(r["code_set"] == "2025" for r in rows) == 34
    mapping = _mapping_from(rows)
    merged = {new: olds for new, olds in mapping.items() if len(olds) > 1}
    assert merged == MERGES
    assert {new for new, olds in mapping.items() if olds == {new}} == UNCHANGED


@pytest.mark.parametrize(("code", "names"), sorted(REUSED.items()))
def test_reused_codes_mean_different_provinces_in_each_set(
    shared_sample_engine: Engine, code: str, names: tuple[str, str]
) -> None:
    with shared_sample_engine.connect() as conn:
        by_set = dict(
            conn.execute(
                select(Province.code_set, Province.short_name).where(Province.code == code)
            ).all()
        )
    assert by_set == {"2025": names[0], "legacy": names[1]}


def test_mapping_is_stored_in_the_database(shared_sample_engine: Engine) -> None:
    current = aliased(Province)
    with shared_sample_engine.connect() as conn:
        rows = conn.execute(
            select(Province.short_name, current.short_name)
            .join(current, current.id == Province.current_id)
            .where(Province.code_set == "legacy")
        ).all()
    stored: dict[str, set[str]] = {}
    for old, new in rows:
        stored.setdefault(new, set()).add(old)
    assert {k: v for k, v in stored.items() if len(v) > 1} == MERGES
    assert len(rows) == 63
