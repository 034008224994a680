"""The briefing pack: the PDF's text (pypdf) and the deck's text (python-pptx) carry the seed
facts in Vietnamese number format, the font is embedded, the scope is enforced, and the CLI."""

import io
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import Engine

from data_access.cli import main
from data_access.documents.briefing import Briefing, BriefingError, briefing
from data_access.documents.briefing_pdf import to_pdf
from data_access.documents.briefing_pptx import to_pptx
from data_access.domain.filters import Filters
from data_access.domain.province_sets import ProvinceSet

# BHXH tỉnh Quảng Trị (legacy province 45), 2022: 126 of 235 staff, 17 of 48 managers.
SEED = Filters(
    periods=("2022-Y",),
    agencies=("BHXH",),
    province_set=ProvinceSet.LEGACY,
    provinces=("45",),
    levels=("provincial",),
)
SEED_FACTS = ["53,6%", "Nữ 126 / 235", "35,4%", "Nữ 17 / 48", "Tỉnh Quảng Trị"]


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _pptx_text(data: bytes) -> str:
    deck = Presentation(io.BytesIO(data))
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(texts)


@pytest.fixture(scope="module")
def seed(shared_sample_engine: Engine) -> Briefing:
    return briefing(shared_sample_engine, SEED)


def test_the_briefing_has_the_seed_figures_and_notes(seed: Briefing) -> None:
    assert (seed.headlines[0].value, seed.headlines[1].value) == ("53,6%", "35,4%")
    assert seed.headlines[0].detail.startswith("Nữ 126 / 235")
    assert seed.period_label == "Năm 2022"
    assert any(n.startswith("Mức đầy đủ: đã nhận 1 / 1") for n in seed.notes)
    assert [title for title, _ in seed.charts] == [
        "Xu hướng tỷ lệ nữ",
        "Đơn vị có lãnh đạo chủ chốt là nữ so với mục tiêu",
    ]


def test_the_pdf_is_a4_with_the_seed_facts_and_the_font_embedded(seed: Briefing) -> None:
    data = to_pdf(seed)
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        210,
        297,
    )
    text = _pdf_text(data)
    for fact in [*SEED_FACTS, "BẢN TÓM TẮT BÌNH ĐẲNG GIỚI", "Ghi chú về số liệu"]:
        assert fact in text
    assert "53.6" not in text and "None" not in text and "nan" not in text
    resources: Any = reader.pages[0]["/Resources"]
    fonts = resources["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object() for f in fonts.values()]
    assert all("/FontFile2" in d["/FontDescriptor"] for d in descriptors)  # embedded TrueType
    images = [name for page in reader.pages for name in page.images]
    assert len(images) == 2  # the trend and the target chart


def test_the_deck_has_the_seed_facts_and_both_charts(seed: Briefing) -> None:
    data = to_pptx(seed)
    text = _pptx_text(data)
    for fact in [*SEED_FACTS, "Ghi chú về số liệu", "Mức đầy đủ"]:
        assert fact in text
    assert "53.6" not in text and "None" not in text
    deck = Presentation(io.BytesIO(data))
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 2


def test_an_agency_outside_the_scope_is_refused_by_name(shared_sample_engine: Engine) -> None:
    with pytest.raises(BriefingError, match="THADS ngoài phạm vi"):
        briefing(shared_sample_engine, SEED.with_(agencies=("THADS",), scope=("BHXH",)))


def test_a_scoped_briefing_of_every_agency_counts_only_the_scope(
    shared_sample_engine: Engine,
) -> None:
    everyone = briefing(shared_sample_engine, Filters(periods=("2022-Y",)))
    scoped = briefing(shared_sample_engine, Filters(periods=("2022-Y",), scope=("BHXH",)))
    only_bhxh = briefing(shared_sample_engine, Filters(periods=("2022-Y",), agencies=("BHXH",)))
    assert scoped.headlines[0] == only_bhxh.headlines[0] != everyone.headlines[0]
    assert scoped.scope.startswith("Bảo hiểm xã hội Việt Nam")


def test_no_data_says_so(shared_sample_engine: Engine) -> None:
    with pytest.raises(BriefingError, match="Chưa có báo cáo nào"):
        briefing(shared_sample_engine, SEED.with_(periods=("2030-Y",)))


@pytest.mark.parametrize(
    ("extra", "fmt", "code", "message"),
    [
        ([], "pdf", 0, None),
        ([], "pptx", 0, None),
        (["--user", "thuky"], "pdf", 0, None),
        (["--agency", "THADS", "--user", "thuky"], "pdf", 1, "ngoài phạm vi"),
        (["--period", "2022"], "pdf", 2, "Kỳ báo cáo không hợp lệ"),
        (["--level-filter", "commune"], "pdf", 2, "Cấp đơn vị không hợp lệ"),
        (["--period", "2030-Y"], "pptx", 1, "Chưa có báo cáo nào"),
    ],
)
def test_cli_brief(
    shared_sample_engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    fmt: str,
    code: int,
    message: str | None,
) -> None:
    url = shared_sample_engine.url.render_as_string(hide_password=False)
    out = tmp_path / f"b.{fmt}"
    args = [
        "--database-url",
        url,
        "brief",
        "--agency",
        "BHXH",
        "--province",
        "45",
        "--province-set",
        "legacy",
        "--level-filter",
        "provincial",
        "--period",
        "2022-Y",
        "--format",
        fmt,
        "-o",
        str(out),
        *extra,
    ]
    assert main(args) == code
    if message is None:
        data = out.read_bytes()
        text = _pdf_text(data) if fmt == "pdf" else _pptx_text(data)
        assert "53,6%" in text and "Nữ 126 / 235" in text
    else:
        assert not out.exists()
        assert message in capsys.readouterr().err


def test_cli_brief_cannot_write(shared_sample_engine: Engine, tmp_path: Path) -> None:
    url = shared_sample_engine.url.render_as_string(hide_password=False)
    target = tmp_path / "missing" / "b.pdf"
    args = ["--database-url", url, "brief", "--period", "2022-Y", "--format", "pdf"]
    assert main([*args, "-o", str(target)]) == 3
