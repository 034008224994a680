"""Like-for-like change through a merge (issue 16, item 1), on a panel computed by hand.

2024-Y: A1, A2 (district units of Bình Dương, closed 30/06/2025 into the regional unit R), B
(throughout), C (dissolved 30/06/2025), E (active, no 2025 report). 2025-Y: R, B and D (new).

staff (total/female)   2024      2025        key leaders (total/female)   2024   2025
A1                     10/4      –           A1                           2/1    –
A2                     10/6      –           A2                           2/0    –
B                      20/10     20/8        B                            2/1    2/1
C                      50/50     –           C                            2/1    –
E                      10/0      –           E                            2/0    –
R (A1 + A2)            –         20/10       R                            –      3/0
D                      –         100/85      D                            –      2/1

Headline staff share: 70/100 = 70% → 103/140 = 73,57%: +3,57 points, but on the comparable
lines (A1 + A2 → R, and B) it fell: 20/40 = 50% → 18/40 = 45%: −5 points. Units with a woman
among key leaders: 3/5 = 60% → 2/3 = 66,7% headline; comparable A1, A2, B: 2/3 = 66,7% → R, B:
1/2 = 50%: −16,7 points.
"""

import pytest
from sqlalchemy import Engine

from data_access.documents.report import report_content
from data_access.domain.filters import Filters
from data_access.queries.comparison import compare
from data_access.views.overview import overview
from tests import tiny_panel

CLOSED = "2025-06-30"
OPENED = "2025-07-01"


@pytest.fixture
def merged(engine: Engine, tmp_path) -> Engine:
    u = tiny_panel.unit
    units = [
        u("A1", "74", active_to=CLOSED, successor="R"),
        u("A2", "74", active_to=CLOSED, successor="R"),
        u("B", "79"),
        u("C", "74", active_to=CLOSED),
        u("E", "79"),
        u("R", "79", province_set="2025", level="regional", active_from=OPENED),
        u("D", "79", province_set="2025", level="regional", active_from=OPENED),
    ]

    def r(unit: str, period: str, staff: tuple[int, int], leaders: tuple[int, int]) -> dict:
        return tiny_panel.report(
            unit,
            period,
            staff_total=staff[0],
            staff_female=staff[1],
            key_leaders_total=leaders[0],
            key_leaders_female=leaders[1],
        )

    reports = [
        r("A1", "2024-Y", (10, 4), (2, 1)),
        r("A2", "2024-Y", (10, 6), (2, 0)),
        r("B", "2024-Y", (20, 10), (2, 1)),
        r("C", "2024-Y", (50, 50), (2, 1)),
        r("E", "2024-Y", (10, 0), (2, 0)),
        r("R", "2025-Y", (20, 10), (3, 0)),
        r("B", "2025-Y", (20, 8), (2, 1)),
        r("D", "2025-Y", (100, 85), (2, 1)),
    ]
    return tiny_panel.load(engine, tmp_path, units, reports)


def test_comparison_follows_the_merge(merged: Engine) -> None:
    c = compare(
        merged,
        Filters(),
        "2025-Y",
        "2024-Y",
        ["staff_total", "staff_female", "key_leaders_total", "key_leaders_female"],
    )
    assert (c.now["staff_total"], c.now["staff_female"]) == (40, 18)
    assert (c.before["staff_total"], c.before["staff_female"]) == (40, 20)
    assert c.change("staff_female_pct") == pytest.approx(45 - 50)
    assert c.change("female_key_leader_units_pct") == pytest.approx(50 - 200 / 3)
    assert (c.matched, c.new, c.closed, c.not_reported) == (2, 1, 1, 1)
    assert c.note_vi() == (
        "so sánh trên 2 đơn vị có báo cáo cả hai kỳ (năm 2024 và năm 2025); 1 đơn vị mới, "
        "1 đơn vị đã giải thể/sáp nhập, 1 đơn vị chưa báo cáo năm 2025"
    )


def test_overview_deltas_are_like_for_like(merged: Engine) -> None:
    ov = overview(merged, Filters(year_from=2024, year_to=2025))
    assert ov.latest is not None and ov.previous is not None
    # The headline moved up; the change shown is the comparable one, which fell.
    assert ov.latest["staff_female_pct"] - ov.previous["staff_female_pct"] == pytest.approx(
        103 / 1.4 - 70
    )
    assert ov.changes["staff"] == pytest.approx(-5.0)
    assert ov.leader_share_change == pytest.approx(50 - 200 / 3)
    assert ov.comparison is not None and ov.comparison.matched == 2


def test_report_changes_are_like_for_like(merged: Engine) -> None:
    content = report_content(merged, "BHXH", "2025-Y")
    rows = [row for s in content.sections for row in s.rows]
    header = next(row for row in rows if row[0] == "Chỉ tiêu" and "Tỷ lệ nữ" in row)
    assert header[-1] == "Thay đổi trên cùng đơn vị"
    staff = next(row for row in rows if row[1] == "140")
    assert staff[2:] == ["103", "73,6%", "70,0%", "-5,0 điểm %"]
    assert "so sánh trên 2 đơn vị có báo cáo cả hai kỳ" in content.comparison_note
