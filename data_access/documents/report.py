"""The committee's consolidated report, in the outline attached to Công văn 574/BHXH-BVSTBPN:
I. results by section 1–5 (and the agency's own indicators), II. general assessment (1. results,
2. limitations), III. plan, IV. recommendations, V. the units that did not report.

`report_content` gathers the figures and texts (the app previews it) for one agency, or for every
agency (the national report, Bộ Nội vụ level: `agency_code=None`, refused to a scoped account);
`to_docx` writes it with python-docx in the layout of Nghị định 30/2020 (`official_doc`), with the
pages' charts as images and the heading, signer and narrative texts as the user edited them.
Numbers are written the Vietnamese way (53,6% · 1.520).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from docx.enum.text import WD_ALIGN_PARAGRAPH
from sqlalchemy import Engine, select

from data_access.db.catalogue import Catalogue, PairGroup
from data_access.db.models import Agency, Period, Unit
from data_access.db.value_tables import tables
from data_access.documents import chart_images, chart_specs, official_doc
from data_access.documents.official_doc import DocumentMeta
from data_access.domain.filters import Filters
from data_access.domain.formats import MISSING, num, pct, pct_points
from data_access.domain.periods import PeriodCode, parse_period
from data_access.domain.province_sets import ProvinceSet
from data_access.domain.safe_text import clean_text
from data_access.queries import tracking
from data_access.queries.aggregate import FEMALE_LEADER_PCT, aggregate
from data_access.queries.comparison import Comparison, compare
from data_access.queries.lookups import load_catalogue
from data_access.views import leadership as leadership_view

SECTIONS = {
    "I.1": "1. Công tác chỉ đạo, ban hành văn bản",
    "I.2": "2. Kiện toàn tổ chức bộ máy",
    "I.3": "3. Công tác truyền thông, tập huấn",
    "I.4": "4. Công tác cán bộ nữ",
    "I.5": "5. Công tác thanh tra, kiểm tra",
    "I.6": "6. Chỉ tiêu riêng của ngành",
}
RESULTS_HEADING = "I. KẾT QUẢ THỰC HIỆN"
ASSESSMENT_HEADING = "II. ĐÁNH GIÁ CHUNG"
MISSING_HEADING = "V. ĐƠN VỊ CHƯA BÁO CÁO"
# The narrative texts under their headings; the first two are the parts of ASSESSMENT_HEADING.
NARRATIVES = {
    "assessment": "1. Kết quả tích cực",
    "limitations": "2. Hạn chế, nguyên nhân",
    "plan": "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
    "recommendations": "IV. KIẾN NGHỊ, ĐỀ XUẤT",
}
ASSESSMENT_PARTS = ("assessment", "limitations")
# The national report's name for its scope (every agency, Bộ Nội vụ level).
ALL_AGENCIES = "tất cả các ngành"
# A narrative names this many units, then "và N đơn vị khác".
UNITS_NAMED = 6
# The heading and signature block offered by default (every field editable before download).
ISSUING_BODY = "BAN VÌ SỰ TIẾN BỘ CỦA PHỤ NỮ"
NATIONAL_PARENT_BODY = "BỘ NỘI VỤ"
SYMBOL = "BC-BVSTBPN"
SIGNER_POSITION = "TRƯỞNG BAN"
DEFAULT_RECIPIENTS = (
    "Ủy ban quốc gia vì sự tiến bộ của phụ nữ Việt Nam (để báo cáo);",
    "Lưu: VT, BVSTBPN.",
)


# Paragraphs of an edited text are separated by a blank line (a single line break stays one).
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def heading_levels() -> list[tuple[int, str, str | None]]:
    """(level, heading, narrative key or None) of parts II–IV, in order: the Word document and
    the page's preview follow the same outline."""
    out: list[tuple[int, str, str | None]] = [(1, ASSESSMENT_HEADING, None)]
    for key, title in NARRATIVES.items():
        out.append((2 if key in ASSESSMENT_PARTS else 1, title, key))
    return out


class ReportError(ValueError):
    """No report can be made (no data for the agency and period); the message is for users."""


@dataclass
class Section:
    title: str
    rows: list[list[str]] = field(default_factory=list)  # first row: headings
    note: str = ""


@dataclass
class ReportContent:
    agency_code: str | None  # None: every agency (the national report)
    agency_name: str
    period: PeriodCode
    previous: PeriodCode
    n_units: int
    sections: list[Section]
    unit_table: list[list[str]]
    narratives: dict[str, list[tuple[str, list[str]]]]  # key → [(text, [unit names])]
    missing_units: list[str]
    # The pages' chart data: headline shares by year (year, series, share), the leadership
    # pipeline at the period (label, female_pct, female, total), units with a female key leader
    # against the target by year.
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    pipeline: pd.DataFrame = field(default_factory=pd.DataFrame)
    leader_trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Changes are like for like (queries.comparison): the population they are computed on.
    comparison_note: str = ""

    @property
    def national(self) -> bool:
        return self.agency_code is None

    @property
    def summary(self) -> str:
        """The line under "BÁO CÁO": what the report is about."""
        kind = "Sơ kết 6 tháng đầu năm" if self.period.kind == "H1" else "Tổng kết năm"
        scope = f" ({ALL_AGENCIES})" if self.national else ""
        return (
            f"{kind} {self.period.year} công tác vì sự tiến bộ của phụ nữ và bình đẳng giới{scope}"
        )

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
    engine: Engine, agency_code: str | None, period: str, scope: Sequence[str] = ()
) -> ReportContent:
    """The report of one agency, or of every agency when `agency_code` is None (refused to an
    account whose scope is some agencies: the national figures include the others')."""
    code = parse_period(period)
    if agency_code is None:
        if scope:
            raise ReportError(
                "Báo cáo tổng hợp tất cả các ngành chỉ dành cho tài khoản có phạm vi mọi ngành; "
                "hãy chọn một ngành trong phạm vi được giao."
            )
        name = ALL_AGENCIES.capitalize()
    else:
        if scope and agency_code not in scope:
            raise ReportError(f"Ngành {agency_code} ngoài phạm vi được giao.")
        with engine.connect() as conn:
            found = conn.execute(
                select(Agency.name).where(Agency.code == agency_code)
            ).scalar_one_or_none()
        if found is None:
            raise ReportError(f"Không có ngành {agency_code}.")
        name = found
    catalogue = load_catalogue(engine)
    agencies = (agency_code,) if agency_code else ()
    f = Filters(periods=(str(code),), agencies=agencies)
    now = aggregate(engine, f, by=("period",))
    if now.empty:
        raise ReportError(
            f"Chưa có báo cáo nào của {name.lower() if agency_code is None else name} "
            f"cho kỳ {code.label_vi}: chưa thể lập báo cáo tổng hợp."
        )
    previous = code.previous_comparable()
    before = aggregate(engine, f.with_(periods=(str(previous),)), by=("period",))
    matched = compare(engine, f, str(code), str(previous))
    sections = _sections(catalogue, agency_code, now, before, previous, matched)
    status = tracking.unit_status(engine, str(code), f)
    missing = status.loc[status["status"] == "missing", "unit_name"].tolist()
    history = Filters(period_kind=code.kind, year_to=code.year, agencies=agencies)
    return ReportContent(
        agency_code,
        name,
        code,
        previous,
        int(now.iloc[0]["n_units"]),
        sections,
        # Units under the provinces of the period's own code set (legacy before 01/07/2025).
        _unit_table(
            engine,
            f.with_(province_set=ProvinceSet.in_force(code.end_date)),
            by_agency=agency_code is None,
        ),
        _narratives(engine, catalogue, agency_code, code),
        missing,
        trend=_trend(engine, catalogue, history),
        pipeline=_pipeline(engine, catalogue, f),
        leader_trend=leadership_view.female_leader_trend(engine, history),
        comparison_note=f"Cột “{CHANGE_HEADING}”: {matched.note_vi()}." if not before.empty else "",
    )


_TABLE_PAIRS = ("staff", "managers")
# The change column: computed on the units that reported in both periods.
CHANGE_HEADING = "Thay đổi trên cùng đơn vị"


def _unit_table(engine: Engine, f: Filters, by_agency: bool) -> list[list[str]]:
    """Figures by unit; the national report's by agency (hundreds of units help nobody there)."""
    indicators = [f"{p}_{side}" for p in _TABLE_PAIRS for side in ("total", "female")]
    first = ["Ngành", "Số đơn vị báo cáo"] if by_agency else ["Đơn vị", "Tỉnh, thành phố"]
    table = [[*first, "CCVC, NLĐ", "Nữ", "Tỷ lệ nữ", "LĐ, QL", "Nữ LĐ, QL", "Tỷ lệ nữ LĐ, QL"]]
    if by_agency:
        frame = aggregate(engine, f, by=("agency",), indicators=indicators)
        rows = [
            (r.agency_name, num(r.n_units), r)
            for r in frame.sort_values("agency_name").itertuples()
        ]
    else:
        frame = aggregate(engine, f, by=("unit",), indicators=indicators, units_in_period_set=True)
        rows = [
            (r.unit_name, r.province_name, r)
            for r in frame.sort_values(["level", "unit_name"]).itertuples()
        ]
    for name, second, r in rows:
        table.append(
            [
                name,
                second,
                num(r.staff_total),
                num(r.staff_female),
                pct(r.staff_female_pct),
                num(r.managers_total),
                num(r.managers_female),
                pct(r.managers_female_pct),
            ]
        )
    return table


def _trend(engine: Engine, catalogue: Catalogue, f: Filters) -> pd.DataFrame:
    """The headline female shares by year up to the period: year, series, share."""
    pairs = catalogue.group(PairGroup.HEADLINE)
    frame = aggregate(
        engine,
        f,
        by=("period",),
        indicators=[f"{p}_{s}" for p in pairs for s in ("total", "female")],
    )
    long = frame.melt(
        id_vars=["year"],
        value_vars=[f"{p}_female_pct" for p in pairs],
        var_name="pair",
        value_name="share",
    )
    long["series"] = (
        long["pair"].str.removesuffix("_female_pct").map(lambda p: catalogue.pairs[p].label_vi)
    )
    return long[["year", "series", "share"]].dropna(subset=["share"])


def _pipeline(engine: Engine, catalogue: Catalogue, f: Filters) -> pd.DataFrame:
    frame = leadership_view.pipeline(engine, f)
    frame["label"] = frame["stage"].map(lambda p: catalogue.pairs[p].label_vi)
    return frame.dropna(subset=["female_pct"])


def _sections(
    catalogue: Catalogue,
    agency: str | None,
    now: pd.DataFrame,
    before: pd.DataFrame,
    previous: PeriodCode,
    matched: Comparison,
) -> list[Section]:
    """The results tables: this period, the same period a year earlier as reported then, and the
    change on the units that reported in both (a drop of units leaving is not a change)."""
    out: list[Section] = []
    for key, title in SECTIONS.items():
        indicators = [i for i in catalogue.for_agency(agency) if i.section == key]
        if not indicators:
            continue
        section = Section(title)
        if key == "I.4":
            section.rows.append(
                [
                    "Chỉ tiêu",
                    "Tổng số",
                    "Nữ",
                    "Tỷ lệ nữ",
                    f"Tỷ lệ nữ {previous.label_vi.lower()}",
                    CHANGE_HEADING,
                ]
            )
            for pair in [p for p in catalogue.pairs.values() if p.section == key]:
                share, old = _row(now, pair.pct_column), _row(before, pair.pct_column)
                points = matched.change(pair.pct_column)
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
            section.rows.append(
                ["Chỉ tiêu", "Kỳ này", f"Cùng kỳ {previous.label_vi.lower()}", CHANGE_HEADING]
            )
            for ind in indicators:
                decimals = 2 if ind.value_type == "decimal" else 0
                value, old = _row(now, ind.code), _row(before, ind.code)
                difference = matched.change(ind.code)
                change = num(difference, decimals) if not before.empty else MISSING
                label = ind.label_vi + (f" ({ind.unit_vi})" if ind.unit_vi else "")
                section.rows.append([label, num(value, decimals), num(old, decimals), change])
        out.append(section)
    return out


def _narratives(
    engine: Engine, catalogue: Catalogue, agency: str | None, code: PeriodCode
) -> dict[str, list[tuple[str, list[str]]]]:
    """Each distinct text with the units that wrote it, most shared first."""
    submissions, _ = tables(catalogue)
    query = (
        select(Unit.name, *(submissions.c[k] for k in NARRATIVES))
        .join(Unit, Unit.id == submissions.c.unit_id)
        .join(Agency, Agency.id == Unit.agency_id)
        .join(Period, Period.id == submissions.c.period_id)
        .where(Period.code == str(code))
        .order_by(Unit.name)
    )
    if agency is not None:
        query = query.where(Agency.code == agency)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
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


def default_meta(content: ReportContent, today: dt.date | None = None) -> DocumentMeta:
    """The heading and signature block the page offers to edit: the agency's committee, or the
    national committee under Bộ Nội vụ."""
    return DocumentMeta(
        parent_body=NATIONAL_PARENT_BODY if content.national else content.agency_name,
        issuing_body=ISSUING_BODY,
        symbol=SYMBOL,
        summary=content.summary,
        date=today,
        recipients=list(DEFAULT_RECIPIENTS),
        signer_capacity=f"TM. {ISSUING_BODY}",
        signer_position=SIGNER_POSITION,
    )


def default_texts(content: ReportContent) -> dict[str, str]:
    """Each narrative part as editable text, paragraphs separated by a blank line: each distinct
    text (its own line breaks kept) with the units that wrote it."""
    out = {}
    for key in NARRATIVES:
        lines = []
        for text, units in content.narratives.get(key, []):
            named = ", ".join(units[:UNITS_NAMED]) + (
                f" và {num(len(units) - UNITS_NAMED)} đơn vị khác"
                if len(units) > UNITS_NAMED
                else ""
            )
            lines.append(f"{text} ({named})")
        out[key] = "\n\n".join(lines)
    return out


def report_charts(content: ReportContent) -> list[tuple[str, dict[str, Any]]]:
    """(caption, Vega-Lite spec) of the charts in part I.4: the pages' own builders."""
    out: list[tuple[str, dict[str, Any]]] = []
    if not content.trend.empty:
        out.append(
            (
                "Biểu đồ 1. Xu hướng tỷ lệ nữ qua các năm",
                chart_specs.spec(
                    chart_specs.share_trend(
                        content.trend, "year", "series", "share", "Tỷ lệ nữ (%)"
                    )
                ),
            )
        )
    if not content.pipeline.empty:
        out.append(
            (
                f"Biểu đồ {len(out) + 1}. Tỷ lệ nữ theo bậc lãnh đạo, quản lý, {content.period.label_vi}",
                chart_specs.spec(chart_specs.pipeline_chart(content.pipeline)),
            )
        )
    if not content.leader_trend.empty:
        out.append(
            (
                f"Biểu đồ {len(out) + 1}. Tỷ lệ đơn vị có lãnh đạo chủ chốt là nữ so với mục tiêu",
                chart_specs.spec(
                    chart_specs.target_trend(
                        content.leader_trend, FEMALE_LEADER_PCT, "Tỷ lệ đơn vị (%)"
                    )
                ),
            )
        )
    return out


def to_docx(
    content: ReportContent,
    meta: DocumentMeta | None = None,
    texts: Mapping[str, str] | None = None,
    charts: bool = True,
) -> bytes:
    """The report as a Word document in the NĐ 30/2020 layout. `meta`: the heading and signer
    (default: `default_meta`); `texts`: the narrative parts as edited (default: `default_texts`),
    paragraphs separated by a blank line. Every text is cleaned of what XML refuses (a single control character
    would otherwise make the whole document fail)."""
    meta = meta or default_meta(content)
    texts = {**default_texts(content), **(texts or {})}
    document = official_doc.new_document(meta)
    official_doc.body_paragraph(
        document,
        f"Kỳ báo cáo: {content.period.label_vi}; số đơn vị báo cáo: {num(content.n_units)}; "
        f"so sánh với cùng kỳ {content.previous.label_vi.lower()}."
        + (f" {content.comparison_note}" if content.comparison_note else ""),
    )
    document.add_heading(RESULTS_HEADING, level=1)
    for section in content.sections:
        document.add_heading(section.title, level=2)
        _table(document, section.rows)
        if section.title.startswith("4."):
            document.add_paragraph(
                "Số liệu theo ngành:" if content.national else "Số liệu theo đơn vị:"
            )
            _table(document, content.unit_table)
            if charts:
                width = (
                    document.sections[0].page_width
                    - document.sections[0].left_margin
                    - document.sections[0].right_margin
                )
                for caption, spec in report_charts(content):
                    document.add_picture(io.BytesIO(chart_images.png(spec)), width=width)
                    note = document.add_paragraph(caption)
                    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    note.runs[0].italic = True
    for level, title, key in heading_levels():
        document.add_heading(title, level=level)
        if key is None:
            continue
        lines = [part.strip() for part in PARAGRAPH_BREAK.split(texts.get(key, "")) if part.strip()]
        if not lines:
            official_doc.body_paragraph(document, "Không có đơn vị nào nêu nội dung này.")
        for line in lines:
            official_doc.body_paragraph(document, f"- {line.removeprefix('- ')}")
    document.add_heading(MISSING_HEADING, level=1)
    if content.missing_units:
        for name in content.missing_units:
            official_doc.body_paragraph(document, f"- {name}")
    else:
        official_doc.body_paragraph(document, "Tất cả đơn vị đã báo cáo.")
    official_doc.sign(document, meta)
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


def write_report(
    engine: Engine, agency_code: str | None, period: str, scope: Sequence[str] = ()
) -> bytes:
    return to_docx(report_content(engine, agency_code, period, scope))
