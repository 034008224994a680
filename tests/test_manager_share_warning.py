"""The warning on a manager share above MANAGER_SHARE_WARNING names the share and the limit in
Vietnamese format (the limit formatted once per upload, not once per row)."""

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
    )
    report = ingest.dry_run(sqlite_sample_engine, "f.csv", data, today=TODAY)
    messages = [p.message for p in report.warnings if "Lãnh đạo, quản lý chiếm" in p.message]
    assert messages == [
        "Lãnh đạo, quản lý chiếm 32,5% tổng số CCVC, NLĐ (trên 30%): kiểm tra lại.",
        "Lãnh đạo, quản lý chiếm 50% tổng số CCVC, NLĐ (trên 30%): kiểm tra lại.",
    ]
