"""What the user selected (`Filters`), narrowed to an identity's agencies; the unit levels."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from data_access.domain.province_sets import ProvinceSet

# Unit levels, as stored (a check constraint of units.level) and as filtered.
LEVELS = ("central", "provincial", "district", "regional")
LEVEL_LABELS_VI = {
    "central": "Trung ương",
    "provincial": "Cấp tỉnh",
    "district": "Cấp huyện",
    "regional": "Khu vực",
}


@dataclass(frozen=True)
class Filters:
    """What the user selected. Empty tuples mean "all". Hashable, so it can key a cache."""

    period_kind: str = "Y"
    year_from: int | None = None
    year_to: int | None = None
    periods: tuple[str, ...] = ()  # explicit period codes; overrides kind and years
    agencies: tuple[str, ...] = ()
    province_set: ProvinceSet = ProvinceSet.CURRENT
    provinces: tuple[str, ...] = ()  # codes in `province_set`
    levels: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # unit codes
    # "gồm báo cáo chưa duyệt": submitted reports stand in for the accepted figures of their
    # unit and period (off: accepted figures only).
    include_unapproved: bool = False
    # Agency scope of the signed-in user (empty: every agency); applied on top of `agencies`.
    scope: tuple[str, ...] = field(default=(), compare=True)

    def __post_init__(self) -> None:
        if self.period_kind not in ("H1", "Y"):
            raise ValueError(f"period_kind must be H1 or Y, not {self.period_kind!r}")
        if self.province_set not in set(ProvinceSet):
            raise ValueError(f"province_set must be one of {[s.value for s in ProvinceSet]}")
        # Callers may pass the stored value ("legacy"): keep the enum member, so `is` works.
        object.__setattr__(self, "province_set", ProvinceSet(self.province_set))
        if unknown := set(self.levels) - set(LEVELS):
            raise ValueError(f"unknown levels: {sorted(unknown)}")

    def with_(self, **changes: Any) -> Filters:
        return replace(self, **changes)

    def agency_codes(self) -> set[str] | None:
        """The agencies selected within the user's scope; None means every agency."""
        chosen = set(self.agencies) or None
        if self.scope:
            chosen = (chosen or set(self.scope)) & set(self.scope)
        return chosen


def scoped(filters: Filters, identity: Any) -> Filters:
    """The filters narrowed to what `identity` (a data_access.auth.Identity) may see."""
    return filters.with_(scope=tuple(identity.agencies)) if identity is not None else filters
