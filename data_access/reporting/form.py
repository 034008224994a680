"""The report form, generated from the catalogue in the order of the outline of Công văn 574:
I.1 … I.5, the agency's own indicators, then the narratives II–IV."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from data_access.db.catalogue import Catalogue, IndicatorDef, PairDef
from data_access.ingest.values import parse_numbers

# The outline's headings; a section the catalogue adds later is shown under its own code.
SECTION_TITLES_VI = {
    "I.1": "I.1. Ban hành văn bản",
    "I.2": "I.2. Tổ chức bộ máy",
    "I.3": "I.3. Tuyên truyền, tập huấn",
    "I.4": "I.4. Cán bộ nữ, công tác cán bộ",
    "I.5": "I.5. Thanh tra, kiểm tra",
}
AGENCY_SECTION_VI = "Chỉ tiêu riêng của ngành"
NARRATIVES_VI = {
    "assessment": "II. Đánh giá chung",
    "limitations": "Hạn chế, nguyên nhân",
    "plan": "III. Phương hướng, nhiệm vụ kỳ tới",
    "recommendations": "IV. Kiến nghị, đề xuất",
}
DOCUMENT_FIELDS_VI = {"number": "Số, ký hiệu", "date": "Ngày ban hành", "summary": "Trích yếu"}


@dataclass(frozen=True)
class Section:
    code: str
    title_vi: str
    singles: list[IndicatorDef] = field(default_factory=list)  # indicators outside any pair
    pairs: list[PairDef] = field(default_factory=list)  # "Tổng số" and "Nữ" side by side
    documents: bool = False  # I.1 also lists the documents issued


def sections(catalogue: Catalogue, agency_code: str | None) -> list[Section]:
    """The form's sections for a unit of `agency_code`, in outline order; a field's place is its
    catalogue order (sort_order), so a catalogue row added is a field added."""
    shown = catalogue.for_agency(agency_code)
    out: dict[str, Section] = {}
    for ind in shown:
        key = "agency" if ind.agency_code else ind.section
        if key not in out:
            title = AGENCY_SECTION_VI if ind.agency_code else SECTION_TITLES_VI.get(key, key)
            out[key] = Section(key, title, documents=key == "I.1")
        section = out[key]
        if ind.pair is None:
            section.singles.append(ind)
        elif ind.role == "total":
            section.pairs.append(catalogue.pairs[ind.pair])
    common = sorted((s for k, s in out.items() if k != "agency"), key=lambda s: s.code)
    return [*common, *([out["agency"]] if "agency" in out else [])]


def field_codes(catalogue: Catalogue, agency_code: str | None) -> list[str]:
    """Every field of the form in the order shown: indicators, then narratives."""
    codes: list[str] = []
    for section in sections(catalogue, agency_code):
        codes += [i.code for i in section.singles]
        codes += [code for p in section.pairs for code in (p.total, p.female)]
    return [*codes, *NARRATIVES_VI]


def female_share(total: str, female: str) -> float | None:
    """The share of women (%) of a pair as typed, read as the checks read it (`1.520` is one
    thousand five hundred and twenty); None unless both are whole numbers, neither negative, the
    total above zero and the female figure not above it: the checks name the problem beside the
    field, and a share such as 120% beside it would contradict them."""
    numbers, bad = parse_numbers(pd.Series([total, female], dtype=object), True)
    if bad.any() or numbers.isna().any():
        return None
    whole, women = float(numbers.iloc[0]), float(numbers.iloc[1])
    if not (whole.is_integer() and women.is_integer()):
        return None
    if whole <= 0 or women < 0 or women > whole:
        return None
    return 100 * women / whole
