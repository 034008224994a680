"""The two province code sets: the 63 provinces before 01/07/2025 and the 34 after the merger.

Codes were reused in 2025, so a province code means nothing without its set. Every query that
groups or filters by province picks the column through `province_column`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

# The 63 → 34 reorganisation took effect on this date: a unit active before it recorded its
# province in the legacy set.
REFORM_DATE = dt.date(2025, 7, 1)


class ProvinceSet(StrEnum):
    """A province code set; the values are what the database and the URLs store."""

    LEGACY = "legacy"  # the 63 provinces, as units recorded them before the merger
    CURRENT = "2025"  # the 34 provinces from 01/07/2025; legacy units roll up through the mapping

    @property
    def label_vi(self) -> str:
        return LABELS_VI[self]

    @classmethod
    def in_force(cls, day: dt.date | None) -> ProvinceSet:
        """The set a unit active from `day` records its province in (legacy when unknown)."""
        return cls.LEGACY if day is None or day < REFORM_DATE else cls.CURRENT

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
