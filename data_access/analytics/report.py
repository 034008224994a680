"""The committee's consolidated report, in the outline attached to Công văn 574/BHXH-BVSTBPN:
I. results by section 1–5 (and the agency's own indicators), II. general assessment, III. plan,
IV. recommendations, and the units that did not report.

`report_content` gathers the figures and texts (the app previews it); `to_docx` writes it with
python-docx. Numbers are written the Vietnamese way (53,6% · 1.520).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from sqlalchemy import Engine, select

from data_access.db.catalogue import Catalogue
from data_access.db.models import Agency, Period, Unit
from data_access.db.value_tables import tables
from data_access.domain.filters import Filters
from data_access.domain.formats import num, pct, pct_points
from data_access.domain.periods import PeriodCode, parse_period
from data_access.domain.safe_text import clean_text
from data_access.queries import tracking
from data_access.queries.aggregate import aggregate
from data_access.queries.lookups import load_catalogue

SECTIONS = {
    "I.1": "1. Công tác chỉ đạo, ban hành văn bản",
    "I.2": "2. Kiện toàn tổ chức bộ máy",
    "I.3": "3. Công tác truyền thông, tập huấn",
    "I.4": "4. Công tác cán bộ nữ",
    "I.5": "5. Công tác thanh tra, kiểm tra",
    "I.6": "6. Chỉ tiêu riêng của ngành",
}
NARRATIVES = {
    "assessment": "II. ĐÁNH GIÁ CHUNG – Kết quả tích cực",
    "limitations": "II. ĐÁNH GIÁ CHUNG – Hạn chế, nguyên nhân",
    "plan": "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
    "recommendations": "IV. KIẾN NGHỊ, ĐỀ XUẤT",
}


class ReportError(ValueError):
    """No report can be made (no data for the agency and period); the message is for users."""


@dataclass
class Section:
    title: str
    rows: list[list[str]] = field(default_factory=list)  # first row: headings
    note: str = ""


@dataclass
class ReportContent:
    agency_code: str
    agency_name: str
    period: PeriodCode
    previous: PeriodCode
    n_units: int
    sections: list[Section]
    unit_table: list[list[str]]
    narratives: dict[str, list[tuple[str, list[str]]]]  # key → [(text, [unit names])]
    missing_units: list[str]

    @property
    def title(self) -> str:
        kind = "sơ kết 6 tháng đầu năm" if self.period.kind == "H1" else "tổng kết năm"
        return (
            f"BÁO CÁO {kind} {self.period.year} công tác vì sự tiến bộ của phụ nữ và bình đẳng giới – "
            f"{self.agency_name}"
        )


def _row(frame: pd.DataFrame, column: str) -> float | None:
    if frame.empty or column not in frame:
        return None
    value = frame.iloc[0][column]
    return None if pd.isna(value) else float(value)


def report_content(
    engine: Engine, agency_code: str, period: str, scope: Sequence[str] = ()
) -> ReportContent:
    code = parse_period(period)
    if scope and agency_code not in scope:
        raise ReportError(f"Ngành {agency_code} ngoài phạm vi được giao.")
    with engine.connect() as conn:
        name = conn.execute(
            select(Agency.name).where(Agency.code == agency_code)
        ).scalar_one_or_none()
    if name is None:
        raise ReportError(f"Không có ngành {agency_code}.")
    catalogue = load_catalogue(engine)
    f = Filters(periods=(str(code),), agencies=(agency_code,))
    now = aggregate(engine, f, by=("agency",))
    if now.empty:
        raise ReportError(
            f"Chưa có báo cáo nào của {name} cho kỳ {code.label_vi}: chưa thể lập báo cáo tổng hợp."
        )
    previous = code.previous_comparable()
    before = aggregate(engine, f.with_(periods=(str(previous),)), by=("agency",))
    sections = _sections(catalogue, agency_code, now, before, previous)
    units = aggregate(
        engine,
        f,
        by=("unit",),
        indicators=[
            "staff_total",
            "staff_female",
            "managers_total",
            "managers_female",
            "key_leaders_female",
        ],
    )
    unit_table = [
        [
            "Đơn vị",
            "Tỉnh, thành phố",
            "CCVC, NLĐ",
            "Nữ",
            "Tỷ lệ nữ",
            "LĐ, QL",
            "Nữ LĐ, QL",
            "Tỷ lệ nữ LĐ, QL",
        ]
    ]
    for r in units.sort_values(["level", "unit_name"]).itertuples():
        unit_table.append(
            [
                r.unit_name,
                r.province_name,
                num(r.staff_total),
                num(r.staff_female),
                pct(r.staff_female_pct),
                num(r.managers_total),
                num(r.managers_female),
                pct(r.managers_female_pct),
            ]
        )
    status = tracking.unit_status(engine, str(code), f)
    missing = status.loc[status["status"] == "missing", "unit_name"].tolist()
    return ReportContent(
        agency_code,
        name,
        code,
        previous,
        int(now.iloc[0]["n_units"]),
        sections,
        unit_table,
        _narratives(engine, catalogue, agency_code, code),
        missing,
    )


def _sections(
    catalogue: Catalogue, agency: str, now: pd.DataFrame, before: pd.DataFrame, previous: PeriodCode
) -> list[Section]:
    out: list[Section] = []
    for key, title in SECTIONS.items():
        indicators = [i for i in catalogue.for_agency(agency) if i.section == key]
        if not indicators:
            continue
        section = Section(title)
        if key == "I.4":
            section.rows.append(
                ["Chỉ tiêu", "Tổng số", "Nữ", "Tỷ lệ nữ", f"Tỷ lệ nữ {previous}", "Thay đổi"]
            )
            for pair in [p for p in catalogue.pairs.values() if p.section == key]:
                share, old = _row(now, pair.pct_column), _row(before, pair.pct_column)
                points = share - old if share is not None and old is not None else None
                section.rows.append(
                    [
                        pair.label_vi,
                        num(_row(now, pair.total)),
                        num(_row(now, pair.female)),
                        pct(share),
                        pct(old),
                        pct_points(points),
                    ]
                )
        else:
            section.rows.append(["Chỉ tiêu", "Kỳ này", f"Cùng kỳ {previous}", "Thay đổi"])
            for ind in indicators:
                decimals = 2 if ind.value_type == "decimal" else 0
                value, old = _row(now, ind.code), _row(before, ind.code)
                change = (
                    f"{num(value - old, decimals)}"
                    if value is not None and old is not None
                    else "–"
                )
                label = ind.label_vi + (f" ({ind.unit_vi})" if ind.unit_vi else "")
                section.rows.append([label, num(value, decimals), num(old, decimals), change])
        out.append(section)
    return out


def _narratives(
    engine: Engine, catalogue: Catalogue, agency: str, code: PeriodCode
) -> dict[str, list[tuple[str, list[str]]]]:
    """Each distinct text with the units that wrote it, most shared first."""
    submissions, _ = tables(catalogue)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Unit.name, *(submissions.c[k] for k in NARRATIVES))
            .join(Unit, Unit.id == submissions.c.unit_id)
            .join(Agency, Agency.id == Unit.agency_id)
            .join(Period, Period.id == submissions.c.period_id)
            .where(Agency.code == agency, Period.code == str(code))
            .order_by(Unit.name)
        ).all()
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for index, key in enumerate(NARRATIVES, start=1):
        groups: dict[str, list[str]] = {}
        for row in rows:
            # Rows stored before uploads were cleaned may hold control characters.
            text = clean_text(row[index] or "").strip()
            if text:
                groups.setdefault(text, []).append(clean_text(row[0]))
        out[key] = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return out


def to_docx(content: ReportContent) -> bytes:
    """The report as a Word document; every text is cleaned of what XML refuses (a single
    control character would otherwise make the whole document fail)."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    heading = document.add_paragraph(clean_text(content.title.upper()))
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.runs[0].bold = True
    document.add_paragraph(
        f"Kỳ báo cáo: {content.period.label_vi} ({content.period}) · số đơn vị báo cáo: "
        f"{num(content.n_units)} · so sánh với cùng kỳ {content.previous}."
    )
    document.add_heading("I. KẾT QUẢ THỰC HIỆN", level=1)
    for section in content.sections:
        document.add_heading(section.title, level=2)
        _table(document, section.rows)
        if section.title.startswith("4."):
            document.add_paragraph("Số liệu theo đơn vị:")
            _table(document, content.unit_table)
    for key, title in NARRATIVES.items():
        document.add_heading(title, level=1 if key != "limitations" else 2)
        groups = content.narratives.get(key, [])
        if not groups:
            document.add_paragraph("Không có đơn vị nào nêu nội dung này.")
        for text, units in groups:
            named = ", ".join(units[:6]) + (
                f" và {num(len(units) - 6)} đơn vị khác" if len(units) > 6 else ""
            )
            document.add_paragraph(clean_text(f"{text} ({named})"), style="List Bullet")
    document.add_heading("ĐƠN VỊ CHƯA BÁO CÁO", level=1)
    if content.missing_units:
        for name in content.missing_units:
            document.add_paragraph(clean_text(name), style="List Bullet")
    else:
        document.add_paragraph("Tất cả đơn vị đã báo cáo.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: Any, rows: list[list[str]]) -> None:
    # Row by row through add_row(): python-docx's table.cell(r, c) rescans the table each time,
    # which takes half a minute for a table of two hundred units.
    table = document.add_table(rows=1, cols=len(rows[0]))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, rows[0], strict=True):
        cell.text = clean_text(str(value))
        cell.paragraphs[0].runs[0].bold = True
    for values in rows[1:]:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = clean_text(str(value))


def write_report(engine: Engine, agency_code: str, period: str, scope: Sequence[str] = ()) -> bytes:
    return to_docx(report_content(engine, agency_code, period, scope))
