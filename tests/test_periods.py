import datetime as dt

import pytest

from data_access.domain.periods import PeriodCode, latest_due, parse_period, period_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-H1", "2022-H1"),
        ("2022-y", "2022-Y"),
        ("6 tháng đầu năm 2022", "2022-H1"),
        ("6T/2022", "2022-H1"),
        ("6t/2022", "2022-H1"),
        ("Năm 2022", "2022-Y"),
        ("NĂM 2022", "2022-Y"),
        ("Cả năm 2022", "2022-Y"),
        ("  6 tháng  2022 ", "2022-H1"),
        # NFD input (decomposed diacritics, as some Mac files have)
        ("Na\u0306m 2022", "2022-Y"),
    ],
)
def test_parse_period_accepts_the_forms_people_type(text: str, expected: str) -> None:
    assert str(parse_period(text)) == expected


@pytest.mark.parametrize("text", ["2022", "Quý 1/2022", "2022-H2", "", "9 tháng 2022"])
def test_parse_period_rejects_other_forms_in_vietnamese(text: str) -> None:
    with pytest.raises(ValueError, match="Kỳ báo cáo không hợp lệ"):
        parse_period(text)


def test_due_dates_follow_letter_574() -> None:
    assert PeriodCode(2025, "H1").due_date == dt.date(2025, 6, 15)
    assert PeriodCode(2025, "Y").due_date == dt.date(2025, 11, 30)


def test_periods_order_and_range() -> None:
    codes = [str(p) for p in period_range(PeriodCode(2024, "Y"), PeriodCode(2026, "H1"))]
    assert codes == ["2024-Y", "2025-H1", "2025-Y", "2026-H1"]
    assert PeriodCode(2025, "Y").previous_comparable() == PeriodCode(2024, "Y")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 22), "2026-H1"),
        (dt.date(2026, 11, 30), "2026-Y"),
        (dt.date(2026, 6, 14), "2025-Y"),
        (dt.date(2026, 6, 15), "2026-H1"),
    ],
)
def test_latest_due(today: dt.date, expected: str) -> None:
    assert str(latest_due(today)) == expected
