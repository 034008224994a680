"""The two province code sets: the 63 provinces before 01/07/2025 and the 34 after the merger.

Codes were reused in 2025, so a province code means nothing without its set. Every query that
groups or filters by province picks the column through `province_column`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ProvinceSet(StrEnum):
    """A province code set; the values are what the database and the URLs store."""

    LEGACY = "legacy"  # the 63 provinces, as units recorded them before the merger
    CURRENT = "2025"  # the 34 provinces from 01/07/2025; legacy units roll up through the mapping

    @property
    def label_vi(self) -> str:
        return LABELS_VI[self]

    @property
    def short_label_vi(self) -> str:
        return SHORT_LABELS_VI[self]


LABELS_VI = {
    ProvinceSet.CURRENT: "34 tỉnh, thành phố (từ 01/07/2025)",
    ProvinceSet.LEGACY: "63 tỉnh, thành phố (trước 01/07/2025)",
}
SHORT_LABELS_VI = {ProvinceSet.CURRENT: "34 tỉnh", ProvinceSet.LEGACY: "63 tỉnh"}


def province_column(source: Any, province_set: ProvinceSet | str) -> Any:
    """The province id column of `source` (a model, a table's columns or anything with
    `current_province_id` and `province_id`) to group or filter by in `province_set`: the 2025
    province the row rolls up to, or the province as the row's unit recorded it."""
    if ProvinceSet(province_set) is ProvinceSet.CURRENT:
        return source.current_province_id
    return source.province_id
