"""The briefing pack as a PowerPoint deck (python-pptx), 16:9: the key figures, the trend, the
target chart, the laggards and the data notes, one slide each.

Charts are PNG images rendered with the vendored DejaVu Sans, so their Vietnamese text shows
whatever fonts the projector's machine has. PowerPoint files made by python-pptx cannot embed a
font: the text is set in Arial, which every PowerPoint and LibreOffice install has with the
whole Vietnamese alphabet.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Pt

from data_access.documents import chart_images
from data_access.documents.briefing import Briefing
from data_access.domain.safe_text import clean_text

FONT = "Arial"
PURPLE = RGBColor(0x8E, 0x3B, 0x8E)  # the Nữ purple of the charts
SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 16:9, 13,33 × 7,5 in
MARGIN = Emu(457_200)  # 0,5 in
CHART_WIDTH, CHART_HEIGHT = 900, 330  # CSS pixels: fills the slide under its title


def to_pptx(content: Briefing) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    blank = deck.slide_layouts[6]

    slide = deck.slides.add_slide(blank)
    _text(slide, content.title, MARGIN, Emu(2_000_000), 36, bold=True, colour=PURPLE)
    _text(
        slide, f"{content.scope}\nKỳ mới nhất: {content.period_label}", MARGIN, Emu(3_000_000), 20
    )

    slide = _titled(deck, blank, f"Số liệu chính – {content.period_label}")
    rows = [["Chỉ tiêu", "Giá trị", "Chi tiết"]] + [
        [h.label, h.value, h.detail] for h in content.headlines
    ]
    _table(slide, rows, [Emu(4_300_000), Emu(1_500_000), Emu(5_400_000)])

    for title, spec in content.charts:
        slide = _titled(deck, blank, title)
        image = chart_images.png(spec, CHART_WIDTH, CHART_HEIGHT)
        slide.shapes.add_picture(
            io.BytesIO(image), MARGIN, Emu(1_300_000), width=SLIDE_WIDTH - 2 * MARGIN
        )

    slide = _titled(deck, blank, content.laggards_title)
    first = Emu(4_200_000)
    rest = (SLIDE_WIDTH - 2 * MARGIN - first) // (len(content.laggards[0]) - 1)
    _table(slide, content.laggards, [first] + [Emu(rest)] * (len(content.laggards[0]) - 1))

    slide = _titled(deck, blank, "Ghi chú về số liệu")
    _text(slide, "\n".join(f"• {n}" for n in content.notes), MARGIN, Emu(1_300_000), 18)

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _titled(deck: Any, layout: Any, title: str) -> Any:
    slide = deck.slides.add_slide(layout)
    _text(slide, title, MARGIN, Emu(350_000), 28, bold=True, colour=PURPLE)
    return slide


def _text(
    slide: Any,
    text: str,
    left: int,
    top: int,
    size: int,
    bold: bool = False,
    colour: RGBColor | None = None,
) -> None:
    box = slide.shapes.add_textbox(left, top, SLIDE_WIDTH - 2 * MARGIN, Emu(800_000))
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(clean_text(text).split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.name, run.font.size, run.font.bold = FONT, Pt(size), bold
        if colour is not None:
            run.font.color.rgb = colour
        paragraph.space_after = Pt(6)


def _table(slide: Any, rows: list[list[str]], widths: Sequence[int]) -> None:
    shape = slide.shapes.add_table(
        len(rows), len(rows[0]), MARGIN, Emu(1_300_000), sum(widths), Emu(400_000 * len(rows))
    )
    table = shape.table
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = clean_text(value)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.name, run.font.size, run.font.bold = FONT, Pt(16), r == 0
