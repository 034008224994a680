"""The warning on a manager share above MANAGER_SHARE_WARNING names the share, rounded half up,
and the limit in Vietnamese format (the limit formatted once per upload, not once per row)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from data_access import ingest

TODAY = dt.date(2026, 11, 22)


def test_a_high_manager_share_is_warned_with_the_limit(sqlite_sample_engine: Engine) -> None:
    data = (
        b"unit_code,period,staff_total,staff_female,managers_total,managers_female\n"
        b"BHXH-TW01,2026-H1,40,20,13,5\n"
        b"BHXH-TW02,2026-H1,40,20,20,5\n"
        b"BHXH-TW03,2026-H1,16,8,5,2\n"
    )
    report = ingest.dry_run(sqlite_sample_engine, "f.csv", data, today=TODAY)
    messages = [p.message for p in report.warnings if "Lãnh đạo, quản lý chiếm" in p.message]
    assert messages == [
        "Lãnh đạo, quản lý chiếm 32,5% tổng số CCVC, NLĐ (trên 30%): kiểm tra lại.",
        "Lãnh đạo, quản lý chiếm 50% tổng số CCVC, NLĐ (trên 30%): kiểm tra lại.",
        # 5 of 16 is 31,25% exactly: half up, as Excel rounds (half to even gave 31,2%).
        "Lãnh đạo, quản lý chiếm 31,3% tổng số CCVC, NLĐ (trên 30%): kiểm tra lại.",
    ]
