"""Deterministic generator of the sample data in `sample_data/` (and of larger sets for benchmarks).

    python -m devtools generate-sample [-o sample_data] [--units N] [--years Y] [--seed S]

What it models, so the dashboards have something true to show:
- the four agencies of docs/domain.md ("Who uses it"); central units, a provincial unit per legacy province, district
  units (named after real districts) that report separately, so a province's figure is the sum of
  its reporting units and nothing is counted twice;
- the 2025 reorganisation: LĐ-TBXH's units close on 28/02/2025 and pass to Bộ Nội vụ; district
  units close on 30/06/2025 and regional units open; units of the 52 merged provinces close on
  30/06/2025 and a unit of the new province (2025 code set) opens on 01/07/2025 as their successor;
- a panel that reads like real reports: staff move with their units when agencies or units merge
  (LĐ-TBXH's staff join Bộ Nội vụ; district staff join the regional unit; a merged province's units
  join the new one, a little leaner), so national staff carry on across 2025; stocks evolve by a
  few percent a year with rare real jumps (a unit taking over another's tasks), and the small
  counts (women among key leaders, heads, committee members) change only when someone is
  appointed; so the upload's stock-change warning fires on a few percent of rows, not most;
- slowly improving female shares, semi-annual and annual reports (annual flows include the first
  half; a successor's 2025 annual report carries the first half of the units it replaced on
  30/06/2025, whose flows would otherwise fall in no annual report), late and missing reports,
  campaign activities with women and men taking part;
- the seed facts: BHXH tỉnh Quảng Trị 2022-Y (staff 235 / 126 women, managers 48 / 17) and the
  THADS system-wide 2018 figures (279 of 295 thousand cases, 985 of 1,520 billion VND).

Everything comes from one seeded `random.Random`, so the same arguments give the same files.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_access.db import catalogue as catalogue_mod
from data_access.db.config import SAMPLE_DATA_DIR
from data_access.domain.periods import PeriodCode, period_range
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet

DEFAULT_SEED = 20260701
DEFAULT_FIRST_YEAR = 2018
LAST_PERIOD = PeriodCode(2026, "H1")
# Fixed "today" of the sample, so the files do not depend on the day they are generated.
SAMPLE_AS_OF = dt.date(2026, 11, 15)
DEFAULT_DISTRICTS_PER_PROVINCE = 2
MERGER_DATE = REFORM_DATE
MINISTRY_MERGER_DATE = dt.date(2025, 3, 1)
FOUNDED = dt.date(2010, 1, 1)
# A merged unit keeps most of its predecessors' staff: a few posts go in the first year.
MERGER_RETENTION = (0.97, 1.0)
# A real jump in a unit's size (taking over another's tasks): rare, per unit and year.
JUMP_CHANCE_PER_YEAR = 0.01
JUMP_FACTOR = (1.25, 1.6)
# Chance, per report, that one key-leader seat (or the head, or a committee seat) changes hands.
LEADER_TURNOVER = 0.15
HEAD_TURNOVER = 0.08
COMMITTEE_TURNOVER = 0.1

SEED_UNIT_CODE = "BHXH-QUANGTRI"
SEED_PERIOD = PeriodCode(2022, "Y")
SEED_FIGURES = {
    "staff_total": 235,
    "staff_female": 126,
    "managers_total": 48,
    "managers_female": 17,
}
THADS_2018 = {  # docs/domain.md "Figures the product must reproduce": 94.61% of cases, 64.82% of money
    "thads_cases_eligible": 295_012,
    "thads_cases_completed": 279_111,
    "thads_money_eligible_bn": 1_520.00,
    "thads_money_completed_bn": 985.30,
}

AGENCIES = [
    ("BHXH", "Bảo hiểm xã hội Việt Nam", "Vietnam Social Security", None, None),
    ("THADS", "Hệ thống Thi hành án dân sự", "Civil Judgment Enforcement", None, None),
    (
        "LDTBXH",
        "Bộ Lao động – Thương binh và Xã hội",
        "Ministry of Labour, Invalids and Social Affairs",
        dt.date(2025, 2, 28),
        "BNV",
    ),
    ("BNV", "Bộ Nội vụ", "Ministry of Home Affairs", None, None),
]
CENTRAL_UNITS = {
    "BHXH": [
        "Ban Tổ chức cán bộ",
        "Ban Thu",
        "Văn phòng BHXH Việt Nam",
        "Trung tâm Công nghệ thông tin",
    ],
    "THADS": ["Vụ Tổ chức cán bộ (THADS)", "Văn phòng Tổng cục THADS", "Vụ Nghiệp vụ 1"],
    "LDTBXH": ["Vụ Tổ chức cán bộ (LĐ-TBXH)", "Vụ Bình đẳng giới", "Văn phòng Bộ LĐ-TBXH"],
    "BNV": ["Vụ Tổ chức cán bộ (Bộ Nội vụ)", "Văn phòng Bộ Nội vụ"],
}
PROVINCIAL_NAME = {
    "BHXH": "BHXH {kind} {name}",
    "THADS": "Cục THADS {kind} {name}",
    "LDTBXH": "Sở LĐ-TBXH {kind} {name}",
    "BNV": "Sở Nội vụ {kind} {name}",
}
DISTRICT_NAME = {"BHXH": "BHXH {name}", "THADS": "Chi cục THADS {name}"}
REGIONAL_NAME = {"BHXH": "BHXH khu vực {name}", "THADS": "Phòng THADS khu vực {name}"}
# (staff base, female share) by agency and level; district units are small.
STAFF_BASE = {"central": 90, "provincial": 160, "district": 24, "regional": 45}
AGENCY_STAFF_FACTOR = {"BHXH": 1.6, "THADS": 0.5, "LDTBXH": 0.9, "BNV": 0.6}
AGENCY_FEMALE_SHARE = {"BHXH": 0.58, "THADS": 0.40, "LDTBXH": 0.52, "BNV": 0.47}

CAMPAIGN_WINDOWS = {  # (month, day) start and end of the window activities fall in
    "IWD_0803": ((3, 1), (3, 10)),
    "DV_MONTH": ((6, 1), (6, 30)),
    "VWD_2010": ((10, 15), (10, 22)),
    "ACTION_MONTH_GE": ((11, 15), (12, 15)),
    "OTHER": ((4, 1), (9, 30)),
}
CAMPAIGN_SHARE = {
    "ACTION_MONTH_GE": 0.7,
    "DV_MONTH": 0.5,
    "IWD_0803": 0.6,
    "VWD_2010": 0.6,
    "OTHER": 0.15,
}
ACTIVITY_TYPES = {
    "Tọa đàm": "Tọa đàm {topic}",
    "Tập huấn": "Tập huấn {topic}",
    "Truyền thông": "Truyền thông {topic}",
    "Hội thi": "Hội thi tìm hiểu {topic}",
    "Từ thiện": "Thăm hỏi, tặng quà nhân dịp {occasion}",
}
TOPICS = [
    "về bình đẳng giới trong cơ quan",
    "phòng, chống bạo lực gia đình",
    "phòng ngừa bạo lực trên cơ sở giới",
    "Luật Bình đẳng giới",
    "vai trò của nam giới trong thúc đẩy bình đẳng giới",
    "kỹ năng lãnh đạo cho cán bộ nữ",
]
OCCASIONS = {
    "IWD_0803": "Ngày Quốc tế Phụ nữ 8/3",
    "VWD_2010": "Ngày Phụ nữ Việt Nam 20/10",
    "DV_MONTH": "Tháng hành động phòng, chống bạo lực gia đình",
    "ACTION_MONTH_GE": "Tháng hành động vì bình đẳng giới",
    "OTHER": "Ngày Gia đình Việt Nam",
}
ASSESSMENTS = [
    "Công tác bình đẳng giới được cấp ủy, lãnh đạo đơn vị quan tâm chỉ đạo.",
    "Tỷ lệ nữ tham gia lãnh đạo, quản lý tăng so với cùng kỳ.",
    "Các hoạt động hưởng ứng Tháng hành động được tổ chức thiết thực, thu hút nam giới tham gia.",
    "Đã lồng ghép nội dung bình đẳng giới vào kế hoạch công tác năm.",
]
LIMITATIONS = [
    "Tỷ lệ nữ giữ chức vụ người đứng đầu còn thấp.",
    "Thành viên Ban VSTBPN hoạt động kiêm nhiệm nên thời gian dành cho công tác còn hạn chế.",
    "Kinh phí cho hoạt động bình đẳng giới chưa được bố trí riêng.",
    "Sắp xếp tổ chức bộ máy làm thay đổi nhân sự Ban VSTBPN.",
]
PLANS = [
    "Tiếp tục tổ chức Tháng hành động vì bình đẳng giới và phòng ngừa bạo lực trên cơ sở giới.",
    "Quan tâm quy hoạch, đào tạo, bồi dưỡng cán bộ nữ.",
    "Kiện toàn Ban Vì sự tiến bộ của phụ nữ sau sắp xếp tổ chức.",
]
RECOMMENDATIONS = [
    "Đề nghị Ban VSTBPN ngành tổ chức tập huấn nghiệp vụ cho thành viên Ban.",
    "Đề nghị bố trí kinh phí riêng cho hoạt động bình đẳng giới.",
    "",
]


@dataclass
class Profile:
    """A unit's latent character: its size and how its female shares evolve."""

    staff: float
    female: float
    growth: float
    manager_ratio: float
    manager_gap: float  # female share of managers ÷ female share of staff
    key_leaders: int
    woman_leader_chance: float
    woman_head_chance: float
    activity_level: float
    party_ratio: float = 0.55  # party members ÷ staff
    party_gap: float = 0.92  # female share of party members ÷ female share of staff
    pool_ratio: float = 1.5  # planning pool ÷ managers
    masters_ratio: float = 0.2
    doctorate_ratio: float = 0.01
    committee: int = 5
    parttime: int = 2
    jump: tuple[float, float] | None = None  # (years after 2018, factor) of a real jump in size


@dataclass
class UnitSpec:
    code: str
    name: str
    agency: str
    province_set: str
    province_code: str
    level: str
    active_from: dt.date
    active_to: dt.date | None = None
    parent_code: str | None = None
    successor_code: str | None = None
    profile: Profile | None = None
    predecessors: list[str] = field(default_factory=list)
    # Units whose staff join this one from a date, the unit carrying on (LĐ-TBXH → Bộ Nội vụ).
    absorbed: list[tuple[str, dt.date]] = field(default_factory=list)

    @property
    def prof(self) -> Profile:
        assert self.profile is not None, "profiles are set when a unit is added"
        return self.profile

    def expected(self, period: PeriodCode) -> bool:
        """Whether the unit owes a report for `period`: it is active on the due date."""
        due = period.due_date
        return self.active_from <= due and (self.active_to is None or self.active_to >= due)


@dataclass(frozen=True)
class Province:
    code_set: str
    code: str
    name: str
    short_name: str
    slug: str
    current_code: str

    @property
    def kind(self) -> str:
        return "thành phố" if self.name.startswith("Thành phố") else "tỉnh"


# Yearly rise of the female share of staff (points ÷ 100).
FEMALE_TREND = 0.003


def _years_since_start(day: dt.date) -> float:
    return day.year - DEFAULT_FIRST_YEAR + (day.timetuple().tm_yday - 1) / 365


def read_provinces(directory: Path = SAMPLE_DATA_DIR) -> list[Province]:
    with (directory / "provinces.csv").open(encoding="utf-8") as f:
        return [
            Province(
                r["code_set"], r["code"], r["name"], r["short_name"], r["slug"], r["current_code"]
            )
            for r in csv.DictReader(f)
        ]


def _districts(directory: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    with (directory / "legacy_districts.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out[r["province_code"]].append(r["name"])
    return out


DISTRICT_KINDS = ("thành phố ", "thị xã ", "huyện ", "quận ")


def _district_phrase(name: str) -> str:
    """'Huyện Gio Linh' → 'huyện Gio Linh', as it reads after 'BHXH'."""
    for kind in DISTRICT_KINDS:
        if name.lower().startswith(kind):
            return kind + name[len(kind) :]
    return name


class SampleGenerator:
    def __init__(
        self,
        seed: int = DEFAULT_SEED,
        first_year: int = DEFAULT_FIRST_YEAR,
        districts_per_province: int = DEFAULT_DISTRICTS_PER_PROVINCE,
        reference_dir: Path = SAMPLE_DATA_DIR,
        narratives: bool = True,
    ):
        self.rng = random.Random(seed)
        self.periods = period_range(PeriodCode(first_year, "H1"), LAST_PERIOD)
        self.districts_per_province = districts_per_province
        self.narratives = narratives
        self.provinces = read_provinces(reference_dir)
        self.districts = _districts(reference_dir)
        self.catalogue = catalogue_mod.Catalogue(
            catalogue_mod.read_csv(reference_dir / "indicators.csv")
        )
        self.units: list[UnitSpec] = []
        self._build_units()

    # --- units -------------------------------------------------------------------------------

    def _profile(self, agency: str, level: str, scale: float = 1.0) -> Profile:
        r = self.rng
        staff = STAFF_BASE[level] * AGENCY_STAFF_FACTOR[agency] * scale * r.uniform(0.6, 1.5)
        key_leaders = {"central": 3, "provincial": 4, "district": 2, "regional": 3}[level]
        jump = None
        years = LAST_PERIOD.year - DEFAULT_FIRST_YEAR
        if r.random() < JUMP_CHANCE_PER_YEAR * years:
            jump = (r.uniform(1.0, years), r.uniform(*JUMP_FACTOR))
        return Profile(
            staff=max(staff, 6.0),
            female=min(max(AGENCY_FEMALE_SHARE[agency] + r.gauss(0, 0.07), 0.15), 0.85),
            growth=r.uniform(-0.01, 0.025),
            manager_ratio=r.uniform(0.12, 0.24),
            manager_gap=r.uniform(0.55, 0.95),
            key_leaders=key_leaders + r.randint(0, 1),
            woman_leader_chance=r.uniform(0.04, 0.22),
            woman_head_chance=r.uniform(0.05, 0.3),
            activity_level=r.uniform(0.4, 1.0),
            party_ratio=r.uniform(0.45, 0.7),
            party_gap=r.uniform(0.85, 1.0),
            pool_ratio=r.uniform(1.3, 1.8),
            masters_ratio=r.uniform(0.12, 0.3),
            doctorate_ratio=r.uniform(0.0, 0.025),
            committee={2: 3, 3: 5}.get(key_leaders, 7) + r.randint(0, 2),
            parttime=r.randint(1, 5),
            jump=jump,
        )

    def _add(self, unit: UnitSpec) -> UnitSpec:
        if unit.profile is None:
            unit.profile = self._profile(unit.agency, unit.level)
        self.units.append(unit)
        return unit

    def _build_units(self) -> None:
        legacy = [p for p in self.provinces if p.code_set == "legacy"]
        current = {p.code: p for p in self.provinces if p.code_set == ProvinceSet.CURRENT}
        merged_into: dict[str, list[Province]] = defaultdict(list)
        for p in legacy:
            merged_into[p.current_code].append(p)
        unchanged = {code for code, olds in merged_into.items() if len(olds) == 1}
        hanoi = next(p for p in legacy if p.code == "01")

        for agency, names in CENTRAL_UNITS.items():
            agency_end = MINISTRY_MERGER_DATE - dt.timedelta(days=1) if agency == "LDTBXH" else None
            for i, name in enumerate(names, start=1):
                self._add(
                    UnitSpec(
                        f"{agency}-TW{i:02d}",
                        name,
                        agency,
                        "legacy",
                        hanoi.code,
                        "central",
                        FOUNDED,
                        agency_end,
                    )
                )
        # LĐ-TBXH's central departments and their staff pass to Bộ Nội vụ's (one each, the
        # third to the first): the ministry carries on, so its staff carry on too.
        for i, _ in enumerate(CENTRAL_UNITS["LDTBXH"], start=1):
            successor = f"BNV-TW{min(i, len(CENTRAL_UNITS['BNV'])):02d}"
            self.units[self._index(f"LDTBXH-TW{i:02d}")].successor_code = successor

        provincial: dict[tuple[str, str], UnitSpec] = {}
        for p in legacy:
            closes = None if p.current_code in unchanged else MERGER_DATE - dt.timedelta(days=1)
            for agency in ("BHXH", "THADS", "BNV", "LDTBXH"):
                name = PROVINCIAL_NAME[agency].format(kind=p.kind, name=p.short_name)
                unit = UnitSpec(
                    f"{agency}-{p.slug.upper()}",
                    name,
                    agency,
                    "legacy",
                    p.code,
                    "provincial",
                    FOUNDED,
                    closes,
                )
                if agency == "LDTBXH":
                    unit.active_to = MINISTRY_MERGER_DATE - dt.timedelta(days=1)
                    unit.successor_code = f"BNV-{p.slug.upper()}"
                provincial[(agency, p.code)] = self._add(unit)
            for agency in ("BHXH", "THADS"):
                parent = provincial[(agency, p.code)]
                for k in range(self.districts_per_province):
                    district_names = self.districts[p.code]
                    district = district_names[k % len(district_names)]
                    suffix = (
                        f" ({k // len(district_names) + 1})" if k >= len(district_names) else ""
                    )
                    name = DISTRICT_NAME[agency].format(name=_district_phrase(district)) + suffix
                    self._add(
                        UnitSpec(
                            f"{parent.code}-D{k + 1:02d}",
                            name,
                            agency,
                            "legacy",
                            p.code,
                            "district",
                            FOUNDED,
                            MERGER_DATE - dt.timedelta(days=1),
                            parent.code,
                        )
                    )

        # 01/07/2025: new provincial units where provinces merged; regional units everywhere.
        for code, olds in merged_into.items():
            new = current[code]
            for agency in ("BHXH", "THADS", "BNV"):
                if code in unchanged:
                    parent = provincial[(agency, olds[0].code)]
                else:
                    name = PROVINCIAL_NAME[agency].format(kind=new.kind, name=new.short_name)
                    parent = UnitSpec(
                        f"{agency}-{new.slug.upper()}-2025",
                        name,
                        agency,
                        ProvinceSet.CURRENT,
                        new.code,
                        "provincial",
                        MERGER_DATE,
                    )
                    parent.predecessors = [provincial[(agency, o.code)].code for o in olds]
                    for old in olds:
                        provincial[(agency, old.code)].successor_code = parent.code
                    self._add(parent)
                if agency == "BNV":
                    continue
                regional = UnitSpec(
                    f"{agency}-{new.slug.upper()}-KV1",
                    REGIONAL_NAME[agency].format(name=new.short_name),
                    agency,
                    ProvinceSet.CURRENT,
                    new.code,
                    "regional",
                    MERGER_DATE,
                    parent_code=parent.code,
                )
                districts = [
                    u
                    for u in self.units
                    if u.level == "district"
                    and u.agency == agency
                    and u.province_code in {o.code for o in olds}
                ]
                for d in districts:
                    d.successor_code = regional.code
                regional.predecessors = [d.code for d in districts]
                self._add(regional)

        self.by_code = by_code = {u.code: u for u in self.units}
        seed_unit = by_code[SEED_UNIT_CODE]
        seed_unit.prof.staff, seed_unit.prof.female = 230.0, 0.53
        seed_unit.prof.manager_ratio, seed_unit.prof.manager_gap = 0.2, 0.66
        seed_unit.prof.growth, seed_unit.prof.jump = 0.005, None  # 235 staff in 2022-Y
        # A unit that carries on takes the staff of the one closed into it (LĐ-TBXH → Bộ Nội vụ).
        for unit in self.units:
            if unit.successor_code and unit.active_to == MINISTRY_MERGER_DATE - dt.timedelta(
                days=1
            ):
                by_code[unit.successor_code].absorbed.append((unit.code, MINISTRY_MERGER_DATE))
        for unit in self.units:
            if unit.predecessors:
                # A merged unit starts with the staff of the units it replaces, a little leaner,
                # and their female share: continuity at the merger, then its own trend.
                t = _years_since_start(unit.active_from)
                staff = female = 0.0
                for code in unit.predecessors:
                    s, w = self._level(by_code[code], t, unit.active_from)
                    staff, female = staff + s, female + w
                prof = unit.prof
                prof.jump = None
                prof.staff = staff * self.rng.uniform(*MERGER_RETENTION) / (1 + prof.growth) ** t
                prof.female = female / staff - FEMALE_TREND * t

    def _index(self, code: str) -> int:
        return next(i for i, u in enumerate(self.units) if u.code == code)

    def _level(self, unit: UnitSpec, t: float, on: dt.date) -> tuple[float, float]:
        """The unit's staff and women among them, without noise, `t` years after 2018, including
        the staff of units that joined it by the date `on`."""
        p = unit.prof
        staff = p.staff * (1 + p.growth) ** t
        if p.jump and t >= p.jump[0]:
            staff *= p.jump[1]
        female = staff * min(max(p.female + FEMALE_TREND * t, 0.05), 0.95)
        for code, since in unit.absorbed:
            if on >= since:
                s, w = self._level(self.by_code[code], t, on)
                staff, female = staff + s, female + w
        return staff, female

    # --- rows --------------------------------------------------------------------------------

    def agency_rows(self) -> list[dict[str, object]]:
        return [
            {
                "code": c,
                "name": n,
                "name_en": e,
                "active_from": "",
                "active_to": to or "",
                "successor_code": s or "",
            }
            for c, n, e, to, s in AGENCIES
        ]

    def unit_rows(self) -> list[dict[str, object]]:
        return [
            {
                "code": u.code,
                "name": u.name,
                "agency_code": u.agency,
                "province_code": u.province_code,
                "province_set": u.province_set,
                "level": u.level,
                "parent_code": u.parent_code or "",
                "active_from": u.active_from.isoformat(),
                "active_to": u.active_to.isoformat() if u.active_to else "",
                "successor_code": u.successor_code or "",
            }
            for u in self.units
        ]

    def target_rows(self) -> list[dict[str, object]]:
        label = "Tỷ lệ cơ quan, đơn vị có lãnh đạo chủ chốt là nữ"
        source = (
            "Nghị quyết 28/NQ-CP ngày 03/3/2021 (Chiến lược quốc gia về bình đẳng giới 2021–2030)"
        )
        return [
            {
                "measure": "units_with_female_key_leader_pct",
                "year": y,
                "value_pct": v,
                "label_vi": label,
                "source": source,
            }
            for y, v in ((2025, 60.0), (2030, 75.0))
        ]

    def _stocks(
        self, unit: UnitSpec, t: float, on: dt.date, state: dict[str, int]
    ) -> dict[str, int]:
        """Stock figures `t` years after 2018 (a fraction for a semi-annual report) as of `on`.

        Sizes follow the unit's trajectory with a little noise; the small counts carried in
        `state` (women among key leaders, the head, committee members) change only when a seat
        changes hands, as they do."""
        p = unit.prof
        r = self.rng
        level, level_f = self._level(unit, t, on)
        staff = max(round(level * r.uniform(0.99, 1.01)), 4)
        share = min(max(level_f / level + r.gauss(0, 0.005), 0.05), 0.95)
        staff_f = min(round(staff * share), staff)
        managers = max(round(staff * p.manager_ratio * r.uniform(0.98, 1.02)), p.key_leaders)
        mgr_share = min(share * (p.manager_gap + 0.012 * t) + r.gauss(0, 0.01), 0.95)
        managers_f = min(max(round(managers * mgr_share), 0), managers, staff_f)
        leaders = min(p.key_leaders, managers)
        chance = min(p.woman_leader_chance + 0.012 * t, 0.9)
        if "leaders_f" not in state:
            state["leaders_f"] = sum(r.random() < chance for _ in range(leaders))
            state["head_f"] = int(r.random() < min(p.woman_head_chance + 0.01 * t, 0.6))
            state["committee_f"] = sum(r.random() < share * 0.6 for _ in range(p.committee))
        if r.random() < LEADER_TURNOVER:  # one seat changes hands
            seat_was_woman = r.random() < state["leaders_f"] / max(leaders, 1)
            state["leaders_f"] += int(r.random() < chance) - int(seat_was_woman)
        if r.random() < HEAD_TURNOVER:
            state["head_f"] = int(r.random() < min(p.woman_head_chance + 0.01 * t, 0.6))
        if r.random() < COMMITTEE_TURNOVER:
            seat_was_woman = r.random() < state["committee_f"] / p.committee
            state["committee_f"] += int(r.random() < share * 0.6) - int(seat_was_woman)
        state["leaders_f"] = min(max(state["leaders_f"], state["head_f"]), leaders, managers_f)
        state["head_f"] = min(state["head_f"], state["leaders_f"])
        state["committee_f"] = min(max(state["committee_f"], 0), p.committee)
        pool = round(managers * p.pool_ratio * r.uniform(0.98, 1.02))
        pool_f = min(round(pool * min(share * (p.manager_gap + 0.1), 0.95)), pool)
        party = round(staff * p.party_ratio * r.uniform(0.99, 1.01))
        party_f = min(round(party * share * p.party_gap), party, staff_f)
        masters = round(staff * p.masters_ratio * (1 + 0.02 * t) * r.uniform(0.98, 1.02))
        masters_f = min(round(masters * share * r.uniform(0.98, 1.02)), masters, staff_f)
        doctorates = int(staff * p.doctorate_ratio)
        doctorates_f = min(round(doctorates * share * 0.8), doctorates)
        return {
            "ge_parttime_staff": p.parttime,
            "staff_total": staff,
            "staff_female": staff_f,
            "party_members_total": party,
            "party_members_female": party_f,
            "party_committee_total": p.committee,
            "party_committee_female": state["committee_f"],
            "planning_pool_total": pool,
            "planning_pool_female": pool_f,
            "managers_total": managers,
            "managers_female": managers_f,
            "key_leaders_total": leaders,
            "key_leaders_female": state["leaders_f"],
            "heads_total": 1,
            "heads_female": state["head_f"],
            "masters_total": masters,
            "masters_female": masters_f,
            "doctorates_total": doctorates,
            "doctorates_female": doctorates_f,
        }

    def _half_year_flows(self, unit: UnitSpec, staff: int, share: float) -> dict[str, float]:
        r = self.rng
        act = unit.profile.activity_level if unit.profile else 0.5

        def pair(name: str, total: int, female_share: float) -> dict[str, int]:
            female = (
                sum(r.random() < female_share for _ in range(total))
                if total < 60
                else round(total * min(max(female_share + r.gauss(0, 0.03), 0), 1))
            )
            return {f"{name}_total": total, f"{name}_female": min(female, total)}

        received = r.randint(0, 3)
        flows: dict[str, float] = {
            "docs_issued": r.randint(0, 4),
            "docs_to_womens_union": r.randint(0, 2),
            "events_held": round(r.uniform(0.5, 4) * act),
            "people_reached": round(staff * r.uniform(0.3, 1.5) * act),
            **pair("political_training", int(staff * r.uniform(0.0, 0.04)), share * 0.9),
            **pair("professional_training", int(staff * r.uniform(0.05, 0.3)), share),
            **pair("recruited", int(staff * r.uniform(0.0, 0.05)), share * 1.05),
            "inspections": r.randint(0, 2),
            "violations": int(r.random() < 0.05),
            "complaints_received": received,
            "complaints_resolved": r.randint(0, received),
            "gbv_cases": int(r.random() < 0.02),
        }
        if unit.agency == "THADS":
            cases = int(staff * r.uniform(20, 60))
            money = round(staff * r.uniform(0.05, 0.3), 2)
            flows |= {
                "thads_cases_eligible": cases,
                "thads_cases_completed": int(cases * r.uniform(0.92, 0.965)),
                "thads_money_eligible_bn": money,
                "thads_money_completed_bn": round(money * r.uniform(0.6, 0.7), 2),
            }
        return flows

    def _dates(self, period: PeriodCode) -> tuple[dt.date, dt.datetime]:
        r = self.rng
        due = period.due_date
        report = due - dt.timedelta(days=r.randint(3, 25))
        if r.random() < 0.12:
            received_day = due + dt.timedelta(days=r.randint(1, 40))
        else:
            received_day = min(report + dt.timedelta(days=r.randint(0, 6)), due)
        received = dt.datetime.combine(received_day, dt.time(r.randint(7, 17), r.randint(0, 59)))
        return report, received

    def _narratives(self, unit: UnitSpec) -> dict[str, str]:
        if not self.narratives or unit.level == "district":
            return dict.fromkeys(("assessment", "limitations", "plan", "recommendations"), "")
        r = self.rng
        return {
            "assessment": " ".join(r.sample(ASSESSMENTS, 2)),
            "limitations": r.choice(LIMITATIONS),
            "plan": r.choice(PLANS),
            "recommendations": r.choice(RECOMMENDATIONS),
        }

    def submission_rows(self) -> Iterator[dict[str, object]]:
        """Every submission; annual flows are the first half's plus the second half's."""
        codes = self.catalogue.codes
        thads_2018: list[dict[str, object]] = []
        # First-half flows of units that closed mid-year, for their successor's annual report.
        closed_first_half: dict[str, dict[str, float]] = {}
        for unit in self.units:
            first_half: dict[str, float] = {}
            state: dict[str, int] = {}
            for period in self.periods:
                if not unit.expected(period):
                    continue
                t = period.year - 2018 + (0.5 if period.kind == "Y" else 0.0)
                stocks = self._stocks(unit, t, period.due_date, state)
                share = stocks["staff_female"] / max(stocks["staff_total"], 1)
                flows = self._half_year_flows(unit, stocks["staff_total"], share)
                if period.kind == "H1":
                    first_half = flows
                    if unit.active_to and unit.active_to < dt.date(period.year, 12, 31):
                        closed_first_half[unit.code] = flows
                elif first_half and unit.active_from <= period.start_date:
                    flows = {k: round(v + first_half.get(k, 0), 2) for k, v in flows.items()}
                elif unit.predecessors:
                    for code in unit.predecessors:
                        before = closed_first_half.pop(code, {})
                        flows = {k: round(v + before.get(k, 0), 2) for k, v in flows.items()}
                missing = self._missing(unit, period)
                if missing:
                    continue
                report, received = self._dates(period)
                values: dict[str, object] = {**stocks, **flows}
                if unit.code == SEED_UNIT_CODE and period == SEED_PERIOD:
                    values |= SEED_FIGURES
                    report = dt.date(2022, 10, 1)
                    received = dt.datetime(2022, 10, 5, 9, 30)
                row: dict[str, object] = {
                    "unit_code": unit.code,
                    "period": str(period),
                    "report_date": report.isoformat(),
                    "received_at": received.isoformat(sep=" "),
                    **{c: values.get(c, "") for c in codes},
                    **self._narratives(unit),
                }
                if unit.agency == "THADS" and period == PeriodCode(2018, "Y"):
                    thads_2018.append(row)
                    continue
                yield row
        yield from self._with_thads_2018_totals(thads_2018)

    def _missing(self, unit: UnitSpec, period: PeriodCode) -> bool:
        protected = (unit.code == SEED_UNIT_CODE and period == SEED_PERIOD) or (
            unit.agency == "THADS" and period == PeriodCode(2018, "Y")
        )
        chance = 0.08 if period == LAST_PERIOD else 0.03
        return not protected and self.rng.random() < chance

    def _with_thads_2018_totals(self, rows: list[dict[str, object]]) -> list[dict[str, object]]:
        """Share the system-wide 2018 THADS figures among its units so they add up exactly."""
        if not rows:
            return rows
        # Every generated row has its staff_total, an int; the rows are typed loosely as CSV rows.
        weights = [float(r["staff_total"]) for r in rows]  # type: ignore[arg-type]
        scale = {"thads_money_eligible_bn": 100, "thads_money_completed_bn": 100}  # hundredths
        for eligible, completed in (
            ("thads_cases_eligible", "thads_cases_completed"),
            ("thads_money_eligible_bn", "thads_money_completed_bn"),
        ):
            factor = scale.get(eligible, 1)
            total = round(THADS_2018[eligible] * factor)
            done = round(THADS_2018[completed] * factor)
            parts = _largest_remainder(total, weights)
            done_parts = [int(p * done / total) for p in parts]
            short = done - sum(done_parts)
            for i in range(len(done_parts)):
                if short == 0:
                    break
                if done_parts[i] < parts[i]:
                    done_parts[i] += 1
                    short -= 1
            for row, e, d in zip(rows, parts, done_parts, strict=True):
                row[eligible] = e / factor if factor > 1 else e
                row[completed] = d / factor if factor > 1 else d
        return rows

    def activity_rows(self) -> Iterator[dict[str, object]]:
        r = self.rng
        for unit in self.units:
            act = unit.profile.activity_level if unit.profile else 0.5
            for year in range(self.periods[0].year, SAMPLE_AS_OF.year + 1):
                for campaign, ((m1, d1), (m2, d2)) in CAMPAIGN_WINDOWS.items():
                    if r.random() > CAMPAIGN_SHARE[campaign] * act:
                        continue
                    for n in range(r.choice((1, 1, 1, 2))):
                        start = dt.date(year, m1, d1) + dt.timedelta(
                            days=r.randint(0, (dt.date(year, m2, d2) - dt.date(year, m1, d1)).days)
                        )
                        active = unit.active_from <= start and (
                            unit.active_to is None or start <= unit.active_to
                        )
                        if not active or start > SAMPLE_AS_OF:
                            continue
                        kind = r.choice(list(ACTIVITY_TYPES))
                        title = ACTIVITY_TYPES[kind].format(
                            topic=r.choice(TOPICS), occasion=OCCASIONS[campaign]
                        )
                        if n:
                            title += f" (đợt {n + 1})"
                        # Men take part more each year: Letter 574 asks units to draw them in.
                        people = int(r.uniform(15, 120) * (0.5 + act))
                        men_share = min(0.2 + 0.025 * (year - 2018) + r.uniform(-0.08, 0.08), 0.6)
                        male = round(people * max(men_share, 0.02))
                        yield {
                            "unit_code": unit.code,
                            "campaign": campaign,
                            "start_date": start.isoformat(),
                            "end_date": (
                                start + dt.timedelta(days=r.choice((0, 0, 1, 2)))
                            ).isoformat(),
                            "activity_type": kind,
                            "title": title,
                            "participants_female": people - male,
                            "participants_male": male,
                        }

    # --- output ------------------------------------------------------------------------------

    def write(self, directory: Path) -> dict[str, int]:
        """Write the generated CSV files (UTF-8) into `directory`; return row counts by file."""
        directory.mkdir(parents=True, exist_ok=True)
        counts = {
            "agencies.csv": _write_csv(directory / "agencies.csv", self.agency_rows()),
            "units.csv": _write_csv(directory / "units.csv", self.unit_rows()),
            "targets.csv": _write_csv(directory / "targets.csv", self.target_rows()),
            "submissions.csv": _write_csv(directory / "submissions.csv", self.submission_rows()),
            "activities.csv": _write_csv(directory / "activities.csv", self.activity_rows()),
        }
        return counts


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` into integers that add up to `total` exactly."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _write_csv(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer: csv.DictWriter[str] | None = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(f, fieldnames=list(row), lineterminator="\n")
                writer.writeheader()
            writer.writerow(row)
            count += 1
    return count


def generate(
    directory: Path,
    *,
    seed: int = DEFAULT_SEED,
    units: int | None = None,
    years: int | None = None,
    narratives: bool = True,
) -> dict[str, int]:
    """Generate a sample into `directory`: the default sample, or a scaled one for benchmarks."""
    first_year = LAST_PERIOD.year - years + 1 if years else DEFAULT_FIRST_YEAR
    generator = SampleGenerator(seed=seed, first_year=first_year, narratives=narratives)
    if units and units > len(generator.units):
        # Scale with more district units per province (BHXH and THADS have them).
        district_units = sum(u.level == "district" for u in generator.units)
        per_province = DEFAULT_DISTRICTS_PER_PROVINCE * (
            1 + math.ceil((units - len(generator.units)) / district_units)
        )
        generator = SampleGenerator(
            seed=seed,
            first_year=first_year,
            narratives=narratives,
            districts_per_province=per_province,
        )
    return generator.write(directory)
