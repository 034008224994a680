"""The Word report in the layout of Nghị định 30/2020, read back with python-docx: A4 and its
margins, the national heading, the signature block, one heading per part of the outline, the
pages' charts as images; the national report across every agency and who may have it."""

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from docx.shared import Length, Mm
from sqlalchemy import Engine

from data_access.cli import main
from data_access.documents.official_doc import DocumentMeta
from data_access.documents.report import (
    ReportError,
    default_meta,
    report_content,
    to_docx,
    write_report,
)


def _read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _cell_texts(document: docx.document.Document) -> list[str]:
    return [
        p.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
    ]


def _headings(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style and p.style.name.startswith("Heading")]


def _mm(length: Length | None) -> int:
    assert length is not None, "the section does not set it"
    return round(length.mm)


@pytest.fixture(scope="module")
def bhxh_2022(shared_sample_engine: Engine) -> docx.document.Document:
    return _read(write_report(shared_sample_engine, "BHXH", "2022-Y"))


def test_the_page_is_a4_with_the_decree_margins_and_times_new_roman(
    bhxh_2022: docx.document.Document,
) -> None:
    section = bhxh_2022.sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert 20 <= _mm(section.top_margin) <= 25
    assert 20 <= _mm(section.bottom_margin) <= 25
    assert 30 <= _mm(section.left_margin) <= 35
    assert 15 <= _mm(section.right_margin) <= 20
    normal = bhxh_2022.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14


def test_the_heading_has_the_issuing_body_number_national_heading_and_date(
    shared_sample_engine: Engine,
) -> None:
    content = report_content(shared_sample_engine, "BHXH", "2022-Y")
    meta = default_meta(content, today=dt.date(2026, 1, 5))
    meta.number = "12"
    document = _read(to_docx(content, meta, charts=False))
    left, right = (cell for cell in document.tables[0].rows[0].cells)
    assert [p.text for p in left.paragraphs] == [
        "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "BAN VÌ SỰ TIẾN BỘ CỦA PHỤ NỮ",
        "Số: 12/BC-BVSTBPN",
    ]
    assert [p.text for p in right.paragraphs] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 05 tháng 01 năm 2026",
    ]
    assert right.paragraphs[2].runs[0].italic
    body = [p.text for p in document.paragraphs]
    assert body[:2] == [
        "BÁO CÁO",
        "Tổng kết năm 2022 công tác vì sự tiến bộ của phụ nữ và bình đẳng giới",
    ]


def test_the_signature_block_and_recipients_are_as_edited(shared_sample_engine: Engine) -> None:
    content = report_content(shared_sample_engine, "BHXH", "2022-Y")
    meta = DocumentMeta(
        issuing_body="Ban Vì sự tiến bộ của phụ nữ",
        symbol="BC-BVSTBPN",
        summary="Tổng kết năm 2022",
        parent_body="Bảo hiểm xã hội Việt Nam",
        recipients=["Bộ Nội vụ;", "Lưu: VT."],
        signer_capacity="KT. Trưởng ban",
        signer_position="Phó Trưởng ban",
        signer_name="Nguyễn Thị Hà",
    )
    texts = {"plan": "Tiếp tục kiện toàn Ban.\n\nTổ chức tập huấn cho 100% đơn vị."}
    document = _read(to_docx(content, meta, texts, charts=False))
    left, right = (cell for cell in document.tables[-1].rows[0].cells)
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- Bộ Nội vụ;", "- Lưu: VT."]
    assert [p.text for p in right.paragraphs if p.text] == [
        "KT. TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Nguyễn Thị Hà",
    ]
    body = [p.text for p in document.paragraphs]
    plan = body.index("III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI")
    assert body[plan + 1 : plan + 3] == [
        "- Tiếp tục kiện toàn Ban.",
        "- Tổ chức tập huấn cho 100% đơn vị.",
    ]


def test_one_heading_per_part_of_the_outline_none_numbered_twice(
    bhxh_2022: docx.document.Document,
) -> None:
    headings = _headings(bhxh_2022)
    assert headings == [
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Công tác chỉ đạo, ban hành văn bản",
        "2. Kiện toàn tổ chức bộ máy",
        "3. Công tác truyền thông, tập huấn",
        "4. Công tác cán bộ nữ",
        "5. Công tác thanh tra, kiểm tra",
        "II. ĐÁNH GIÁ CHUNG",
        "1. Kết quả tích cực",
        "2. Hạn chế, nguyên nhân",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
        "V. ĐƠN VỊ CHƯA BÁO CÁO",
    ]
    top = [h.split(" ")[0] for h in headings if h.split(" ")[0].rstrip(".").isupper()]
    assert len(top) == len(set(top))


def test_the_report_carries_the_pages_charts_as_images(bhxh_2022: docx.document.Document) -> None:
    pictures = bhxh_2022.inline_shapes
    assert len(pictures) == 3
    images = [
        part
        for rel in bhxh_2022.part.rels.values()
        if "image" in rel.reltype
        for part in [rel.target_part]
    ]
    assert all(image.blob[:8] == b"\x89PNG\r\n\x1a\n" for image in images)
    captions = [p.text for p in bhxh_2022.paragraphs if p.text.startswith("Biểu đồ")]
    assert captions[0] == "Biểu đồ 1. Xu hướng tỷ lệ nữ qua các năm"
    page_width = bhxh_2022.sections[0].page_width
    assert page_width is not None
    width = page_width - Mm(30 + 15)
    assert all(abs(p.width - width) < Mm(1) for p in pictures)


def test_the_national_report_covers_every_agency(shared_sample_engine: Engine) -> None:
    content = report_content(shared_sample_engine, None, "2022-Y")
    agencies = [row[0] for row in content.unit_table[1:]]
    assert len(agencies) >= 4 and "Bảo hiểm xã hội Việt Nam" in agencies
    bhxh = report_content(shared_sample_engine, "BHXH", "2022-Y")
    assert content.n_units > bhxh.n_units
    document = _read(to_docx(content, charts=False))
    assert _cell_texts(document)[0] == "BỘ NỘI VỤ"
    body = [p.text for p in document.paragraphs]
    assert body[1].endswith("(tất cả các ngành)")
    assert "Số liệu theo ngành:" in body


def test_a_scoped_account_cannot_have_the_national_report(shared_sample_engine: Engine) -> None:
    with pytest.raises(ReportError, match="phạm vi mọi ngành"):
        report_content(shared_sample_engine, None, "2022-Y", scope=("BHXH",))


@pytest.mark.parametrize(
    ("args", "code", "written"),
    [
        (["report", "--period", "2022-Y"], 0, True),
        (["report", "--period", "2022-Y", "--user", "thuky"], 1, False),
        (["report", "--period", "2022-Y", "--agency", "BHXH", "--user", "thuky"], 0, True),
        (["report", "--period", "2022-Y", "--agency", "THADS", "--user", "thuky"], 1, False),
    ],
)
def test_cli_report_without_agency_is_the_national_one(
    shared_sample_engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    written: bool,
) -> None:
    url = shared_sample_engine.url.render_as_string(hide_password=False)
    out = tmp_path / "r.docx"
    assert main(["--database-url", url, *args, "-o", str(out)]) == code
    assert out.exists() == written
    if written and "--agency" not in args:
        assert _cell_texts(_read(out.read_bytes()))[0] == "BỘ NỘI VỤ"
    if not written:
        assert "phạm vi" in capsys.readouterr().err
