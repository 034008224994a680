"""The layout of an administrative document under Nghị định 30/2020/NĐ-CP (Phụ lục I), in Word.

A4; margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm; Times New Roman 13–14 pt.
Top: the issuing body (its parent body above it) and "Số: …/BC-…" on the left, the national
heading and the place and date (italics) on the right. Then the document's kind ("BÁO CÁO") and
its summary line, centred and bold. Bottom: "Nơi nhận:" on the left, the signer's capacity,
position and name on the right.

`new_document` lays out the page and the heading; `sign` adds the recipients and the signature
block. What is written in between is the caller's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from data_access.domain.safe_text import clean_text

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297  # A4
# The margins NĐ 30/2020 allows are ranges; these are inside them (top/bottom 20–25, left
# 30–35, right 15–20 mm).
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
FONT = "Times New Roman"
BODY_PT = 14  # body text: 13–14 pt
HEADING_PT = 13  # the heading's bodies and the national heading: 12–13 pt
RECIPIENTS_PT = 11  # the list under "Nơi nhận:": 11 pt
FIRST_LINE_INDENT_MM = 10  # paragraphs start 1–1,27 cm in
NATIONAL_HEADING = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DEFAULT_PLACE = "Hà Nội"


@dataclass
class DocumentMeta:
    """What the heading and the signature block say; editable before download."""

    issuing_body: str  # e.g. "BAN VÌ SỰ TIẾN BỘ CỦA PHỤ NỮ"
    symbol: str  # the part after the number: "BC-BVSTBPN"
    summary: str  # the summary line under "BÁO CÁO"
    parent_body: str = ""  # the issuing body's parent, e.g. "BẢO HIỂM XÃ HỘI VIỆT NAM"
    number: str = ""  # given when the document is registered; empty leaves room for it
    place: str = DEFAULT_PLACE
    date: dt.date | None = None  # None: the line reads "ngày … tháng … năm …" to be filled in
    recipients: list[str] = field(default_factory=lambda: ["Như trên;", "Lưu: VT."])
    signer_capacity: str = ""  # "TM. BAN VÌ SỰ TIẾN BỘ CỦA PHỤ NỮ", "KT. TRƯỞNG BAN" …
    signer_position: str = "TRƯỞNG BAN"
    signer_name: str = ""

    @property
    def number_line(self) -> str:
        return f"Số: {self.number or '     '}/{self.symbol}"

    @property
    def place_date(self) -> str:
        if self.date is None:
            return f"{self.place}, ngày … tháng … năm …"
        # NĐ 30/2020: days below 10 and months below 3 are written with a leading zero.
        day = f"{self.date.day:02d}"
        month = f"{self.date.month:02d}" if self.date.month < 3 else str(self.date.month)
        return f"{self.place}, ngày {day} tháng {month} năm {self.date.year}"


def new_document(meta: DocumentMeta) -> Any:
    """An A4 document with the NĐ 30/2020 margins, fonts, heading, "BÁO CÁO" and summary line."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "List Bullet"):
        style = document.styles[name]
        style.font.name = FONT
        # East-Asian and complex-script slots too, or Word falls back to another face for them.
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(slot), FONT)
        style.font.color.rgb = None
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Heading 1", BODY_PT), ("Heading 2", BODY_PT), ("Heading 3", BODY_PT)):
        heading = document.styles[name]
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.italic = False
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(6)

    width = section.page_width - section.left_margin - section.right_margin
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = int(width * 0.42), int(width * 0.58)
    _centred(left.paragraphs[0], meta.parent_body.upper(), HEADING_PT)
    _centred(left.add_paragraph(), meta.issuing_body.upper(), HEADING_PT, bold=True, rule=True)
    _centred(left.add_paragraph(), meta.number_line, BODY_PT - 1)
    _centred(right.paragraphs[0], NATIONAL_HEADING, HEADING_PT, bold=True)
    _centred(right.add_paragraph(), MOTTO, BODY_PT, bold=True, rule=True)
    _centred(right.add_paragraph(), meta.place_date, BODY_PT, italic=True)

    title = document.add_paragraph()
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.space_after = Pt(0)
    _centred(title, "BÁO CÁO", BODY_PT, bold=True)
    _centred(document.add_paragraph(), meta.summary, BODY_PT, bold=True, rule=True)
    return document


def body_paragraph(document: Any, text: str) -> Any:
    """A justified body paragraph with the first line indented."""
    paragraph = document.add_paragraph(clean_text(text))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
    return paragraph


def sign(document: Any, meta: DocumentMeta) -> None:
    """ "Nơi nhận:" bottom left, the signer's capacity, position and name bottom right."""
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = int(width * 0.5), int(width * 0.5)
    heading = left.paragraphs[0]
    heading.paragraph_format.space_before = Pt(12)
    run = heading.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for recipient in meta.recipients:
        line = left.add_paragraph()
        line.paragraph_format.space_after = Pt(0)
        line.add_run(clean_text(f"- {recipient}")).font.size = Pt(RECIPIENTS_PT)
    first = right.paragraphs[0]
    first.paragraph_format.space_before = Pt(12)
    if meta.signer_capacity:
        _centred(first, meta.signer_capacity.upper(), BODY_PT, bold=True)
        _centred(right.add_paragraph(), meta.signer_position.upper(), BODY_PT, bold=True)
    else:
        _centred(first, meta.signer_position.upper(), BODY_PT, bold=True)
    space = right.add_paragraph()
    space.paragraph_format.space_after = Pt(60)  # room for the signature and the seal
    _centred(right.add_paragraph(), meta.signer_name, BODY_PT, bold=True)


def _centred(
    paragraph: Any,
    text: str,
    size: int,
    bold: bool = False,
    italic: bool = False,
    rule: bool = False,
) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = 0
    run = paragraph.add_run(clean_text(text))
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    if rule:
        _underline_rule(paragraph)


def _underline_rule(paragraph: Any) -> None:
    """The short line under the issuing body and the motto: a bottom border of the paragraph."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
