"""The briefing pack as a short A4 PDF (fpdf2), the vendored DejaVu Sans embedded (subset), so
the diacritics print on any machine."""

from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from data_access.documents import chart_images
from data_access.documents.briefing import Briefing
from data_access.documents.chart_images import FONT_DIR
from data_access.domain.safe_text import clean_text

FONT = "DejaVu"
MARGIN_MM = 15
PURPLE = (142, 59, 142)  # the Nữ purple of the charts
GREY = (90, 90, 90)
# Chart size in CSS pixels: the printed width over the A4 text width keeps labels legible.
CHART_WIDTH, CHART_HEIGHT = 620, 200


def to_pdf(content: Briefing) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(content.title)
    pdf.set_creator("Ban Vì sự tiến bộ của phụ nữ")
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(*PURPLE)
    pdf.cell(width, 9, content.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(
        width,
        5,
        clean_text(f"{content.scope} · kỳ mới nhất: {content.period_label}"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)

    pdf.set_text_color(0, 0, 0)
    _heading(pdf, "Số liệu chính")
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(col_widths=(38, 14, 48), text_align=("LEFT", "RIGHT", "LEFT")) as table:
        header = table.row()
        for text in ("Chỉ tiêu", "Giá trị", "Chi tiết"):
            header.cell(text)
        for item in content.headlines:
            row = table.row()
            row.cell(item.label)
            row.cell(item.value)
            row.cell(item.detail)

    for title, spec in content.charts:
        _heading(pdf, title)
        image = chart_images.png(spec, CHART_WIDTH, CHART_HEIGHT)
        pdf.image(io.BytesIO(image), w=width)

    _heading(pdf, content.laggards_title)
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(
        col_widths=(40, 16, 14, 14, 12), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")
    ) as table:
        for values in content.laggards:
            row = table.row()
            for value in values:
                row.cell(clean_text(value))

    _heading(pdf, "Ghi chú về số liệu")
    pdf.set_font(FONT, "", 9.5)
    for note in content.notes:
        pdf.multi_cell(width, 5, f"• {clean_text(note)}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12)
    pdf.set_text_color(*PURPLE)
    pdf.cell(pdf.epw, 7, clean_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
