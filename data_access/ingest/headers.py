"""Map the headings of an uploaded file to canonical column names.

A heading may be the code (`staff_female`), the Vietnamese label (`Công chức, viên chức, người
lao động - Nữ`, with a hyphen or a dash), or the template's form `Label [code]`. Matching ignores
case, spacing and Unicode normalisation form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from data_access.db.catalogue import PAIR_SUFFIX_VI, Catalogue

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_CODE_IN_BRACKETS = re.compile(r"\[([a-z][a-z0-9_]*)\]\s*$")

# Columns that are not indicators, with the Vietnamese headings the templates use.
SUBMISSION_FIELDS = {
    "unit_code": "Mã đơn vị",
    "unit_name": "Tên đơn vị",
    "period": "Kỳ báo cáo",
    "report_date": "Ngày báo cáo",
    "assessment": "Đánh giá chung",
    "limitations": "Hạn chế, nguyên nhân",
    "plan": "Phương hướng kỳ tới",
    "recommendations": "Kiến nghị, đề xuất",
}
ACTIVITY_FIELDS = {
    "unit_code": "Mã đơn vị",
    "unit_name": "Tên đơn vị",
    "campaign": "Đợt hoạt động",
    "start_date": "Ngày bắt đầu",
    "end_date": "Ngày kết thúc",
    "activity_type": "Hình thức",
    "title": "Tên hoạt động",
    "participants_female": "Số người tham gia - Nữ",
    "participants_male": "Số người tham gia - Nam",
}


def normalise_heading(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).casefold()
    for dash in DASHES:
        text = text.replace(dash, "-")
    text = re.sub(r"\s*-\s*", " - ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class HeaderMap:
    columns: dict[int, str]  # position in the file → canonical name
    unknown: list[tuple[int, str]]  # (position, heading) of headings that match nothing
    duplicates: list[tuple[int, str]]  # (position, heading) of a second column for the same name

    def position(self, name: str) -> int | None:
        return next((pos for pos, canon in self.columns.items() if canon == name), None)

    @property
    def names(self) -> set[str]:
        return set(self.columns.values())


def vocabulary(fields: dict[str, str], catalogue: Catalogue | None) -> dict[str, str]:
    """Every accepted heading (normalised) → its canonical name."""
    vocab: dict[str, str] = {}
    for code, label in fields.items():
        vocab[normalise_heading(code)] = code
        vocab[normalise_heading(label)] = code
    if catalogue is not None:
        for ind in catalogue.indicators:
            vocab[normalise_heading(ind.code)] = ind.code
            vocab[normalise_heading(ind.heading_vi)] = ind.code
            if ind.pair and ind.role:
                # "Label - Tổng" and "Label (Nữ)" are common hand-made variants.
                suffix = PAIR_SUFFIX_VI[ind.role]
                vocab[normalise_heading(f"{ind.label_vi} ({suffix})")] = ind.code
                if ind.role == "total":
                    vocab[normalise_heading(f"{ind.label_vi} - Tổng")] = ind.code
    return vocab


def map_headers(headings: list[str], vocab: dict[str, str]) -> HeaderMap:
    columns: dict[int, str] = {}
    unknown: list[tuple[int, str]] = []
    duplicates: list[tuple[int, str]] = []
    for pos, heading in enumerate(headings):
        if not heading.strip():
            continue
        match = _CODE_IN_BRACKETS.search(heading.strip())
        canonical = vocab.get(match.group(1)) if match else vocab.get(normalise_heading(heading))
        if canonical is None:
            unknown.append((pos, heading))
        elif canonical in columns.values():
            duplicates.append((pos, heading))
        else:
            columns[pos] = canonical
    return HeaderMap(columns, unknown, duplicates)


def template_heading(name: str, label: str) -> str:
    """The heading templates write: readable and exact at once."""
    return f"{label} [{name}]"
