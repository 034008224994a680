"""The consolidated report, read back with python-docx."""

import io
from pathlib import Path

import docx
import pytest
from sqlalchemy import Engine

from data_access.cli import main
from data_access.documents.report import ReportError, report_content, write_report


def _document(engine: Engine, agency: str, period: str) -> docx.document.Document:
    return docx.Document(io.BytesIO(write_report(engine, agency, period)))


def _rows(document) -> list[list[str]]:
    return [[c.text for c in row.cells] for table in document.tables for row in table.rows]


def test_bhxh_2022_report_has_the_seed_figures_in_section_4(shared_sample_engine: Engine) -> None:
    document = _document(shared_sample_engine, "BHXH", "2022-Y")
    text = [p.text for p in document.paragraphs]
    # NĐ 30/2020 layout: the agency heads the document (tests/test_official_report.py)
    assert text[:2] == [
        "BÁO CÁO",
        "Tổng kết năm 2022 công tác vì sự tiến bộ của phụ nữ và bình đẳng giới",
    ]
    assert document.tables[0].rows[0].cells[0].paragraphs[0].text == "BẢO HIỂM XÃ HỘI VIỆT NAM"
    headings = [
        p.text for p in document.paragraphs if p.style and p.style.name.startswith("Heading")
    ]
    assert headings[:1] == ["I. KẾT QUẢ THỰC HIỆN"]
    results = headings[: headings.index("II. ĐÁNH GIÁ CHUNG")]
    assert [h for h in results if h[:2] in ("1.", "2.", "3.", "4.", "5.")] == [
        "1. Công tác chỉ đạo, ban hành văn bản",
        "2. Kiện toàn tổ chức bộ máy",
        "3. Công tác truyền thông, tập huấn",
        "4. Công tác cán bộ nữ",
        "5. Công tác thanh tra, kiểm tra",
    ]
    assert {
        "II. ĐÁNH GIÁ CHUNG",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
        "V. ĐƠN VỊ CHƯA BÁO CÁO",
    } <= set(headings)
    rows = _rows(document)
    assert ["BHXH tỉnh Quảng Trị", "Quảng Trị", "235", "126", "53,6%", "48", "17", "35,4%"] in rows
    staff = next(r for r in rows if r[0] == "Công chức, viên chức, người lao động")
    assert (
        staff[3].endswith("%") and "," in staff[3] and staff[4].endswith("%")
    )  # this year and 2021-Y
    assert not any(
        "Chỉ tiêu riêng" in h for h in headings
    )  # THADS indicators stay in THADS reports


def test_thads_report_has_its_own_indicators_and_the_2018_figures(
    shared_sample_engine: Engine,
) -> None:
    rows = _rows(_document(shared_sample_engine, "THADS", "2018-Y"))
    cases = next(r for r in rows if r[0].startswith("Việc có điều kiện thi hành"))
    assert cases[1] == "295.012"
    money = next(r for r in rows if r[0].startswith("Tiền thi hành xong"))
    assert money[1] == "985,30"


def test_narratives_are_grouped_with_the_units_named(shared_sample_engine: Engine) -> None:
    content = report_content(shared_sample_engine, "BHXH", "2022-Y")
    groups = content.narratives["limitations"]
    assert groups and all(units for _, units in groups)
    assert sum(len(units) for _, units in groups) <= content.n_units
    assert any("BHXH tỉnh Quảng Trị" in units for _, units in content.narratives["assessment"])


def test_missing_units_are_listed(shared_sample_engine: Engine) -> None:
    from data_access.domain.filters import Filters
    from data_access.queries import tracking

    status = tracking.unit_status(shared_sample_engine, "2026-H1", Filters(agencies=("BHXH",)))
    missing = status.loc[status["status"] == "missing", "unit_name"].tolist()
    assert report_content(shared_sample_engine, "BHXH", "2026-H1").missing_units == missing


def test_a_period_with_no_data_gives_a_clear_message(
    shared_sample_engine: Engine, tmp_path: Path
) -> None:
    with pytest.raises(ReportError, match="Chưa có báo cáo nào"):
        report_content(shared_sample_engine, "BHXH", "2030-Y")
    with pytest.raises(ReportError, match="ngoài phạm vi"):
        report_content(shared_sample_engine, "THADS", "2022-Y", scope=("BHXH",))
    url = shared_sample_engine.url.render_as_string(hide_password=False)
    assert (
        main(
            [
                "--database-url",
                url,
                "report",
                "--agency",
                "LDTBXH",
                "--period",
                "2025-Y",
                "-o",
                str(tmp_path / "x.docx"),
            ]
        )
        == 1
    )
    assert (
        main(
            [
                "--database-url",
                url,
                "report",
                "--agency",
                "BHXH",
                "--period",
                "2022-Y",
                "-o",
                str(tmp_path / "r.docx"),
            ]
        )
        == 0
    )
    assert (tmp_path / "r.docx").read_bytes()[:2] == b"PK"
