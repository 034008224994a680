"""Every accepted encoding and delimiter, and every error at its exact rows (tests/data/)."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access import ingest
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from tests.data.make_upload_files import files

DATA = Path(__file__).resolve().parent / "data"
TODAY = dt.date(2026, 11, 22)


def _read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_committed_files_match_their_generator() -> None:
    for name, content in files().items():
        if not name.endswith(".xlsx"):  # xlsx embeds a creation time
            assert _read(name) == content, name


ACCEPTED = [
    "ok_utf8_comma.csv",
    "ok_utf8_bom_semicolon.csv",
    "ok_utf16_tab.txt",
    "ok_cp1258_semicolon.csv",
    "ok_nfd_headings.csv",
    "ok_headings_case_spacing.csv",
    "ok_template.xlsx",
]


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_encodings_delimiters_and_headings(
    sqlite_sample_engine: Engine, name: str
) -> None:
    engine = sqlite_sample_engine
    report = ingest.commit(
        engine, name, _read(name), user="thuky", accept_warnings=True, today=TODAY
    )
    assert report.errors == [] and report.committed
    assert (report.inserted, report.updated, report.rejected) == (2, 0, 0)
    rows = aggregate(
        engine,
        Filters(periods=("2026-Y",), units=("BHXH-HANOI", "THADS-HANOI")),
        by=("unit",),
        indicators=["staff_total", "staff_female", "managers_total", "managers_female"],
    )
    got = {
        r.unit_code: (r.staff_total, r.staff_female, r.managers_total, r.managers_female)
        for r in rows.itertuples()
    }
    # "1.250" is one thousand two hundred and fifty: a Vietnamese thousands dot.
    assert got == {"BHXH-HANOI": (1250, 700, 210, 95), "THADS-HANOI": (310, 140, 52, 20)}


def test_decimal_comma_and_thousands_separators(sqlite_sample_engine: Engine) -> None:
    report = ingest.commit(
        sqlite_sample_engine,
        "d.csv",
        _read("ok_decimal_comma.csv"),
        user="t",
        accept_warnings=True,
        today=TODAY,
    )
    assert report.committed, report.problems
    codes = ["thads_money_eligible_bn", "thads_money_completed_bn", "thads_cases_eligible"]
    rows = aggregate(
        sqlite_sample_engine,
        Filters(periods=("2026-Y",), agencies=("THADS",)),
        by=("unit",),
        indicators=codes,
    )
    got = {
        r.unit_code: (r.thads_money_eligible_bn, r.thads_money_completed_bn, r.thads_cases_eligible)
        for r in rows.itertuples()
    }
    assert got == {"THADS-HANOI": (12.5, 8.25, 1520), "THADS-HAIPHONG-2025": (1020.75, 700.5, 2400)}


def test_unit_names_and_typed_period_forms(sqlite_sample_engine: Engine) -> None:
    report = ingest.commit(
        sqlite_sample_engine,
        "n.csv",
        _read("ok_names_and_period_forms.csv"),
        user="t",
        accept_warnings=True,
        today=TODAY,
    )
    assert report.committed and report.errors == []
    rows = aggregate(
        sqlite_sample_engine,
        Filters(periods=("2026-H1",), units=("BHXH-QUANGTRI-2025", "THADS-HANOI")),
        by=("unit",),
        indicators=["staff_total"],
    )
    # "BHXH tỉnh Quảng Trị" names two units; in 2026 only the one of the new province is active.
    assert dict(zip(rows["unit_code"], rows["staff_total"], strict=True)) == {
        "BHXH-QUANGTRI-2025": 610,
        "THADS-HANOI": 300,
    }


ERRORS = {
    "err_unknown_unit.csv": {(3, "unit_code", "Không tìm thấy đơn vị có mã 'BHXH-KHONGCO'")},
    "err_unknown_column.csv": {(1, "so_nguoi_la", "Cột không xác định")},
    "err_non_numeric.csv": {
        (2, "staff_total", "Không phải là số"),
        (3, "managers_female", "Không phải là số"),
    },
    "err_negative.csv": {(2, "staff_female", "Không được là số âm")},
    "err_not_integer.csv": {(2, "managers_total", "Phải là số nguyên")},
    "err_female_gt_total.csv": {
        (3, "staff_female", "Số nữ (11) lớn hơn tổng số (10)"),
        (3, "managers_female", "Số nữ (3) lớn hơn tổng số (2)"),
    },
    "err_duplicate_rows.csv": {(4, "unit_code", "Trùng đơn vị và kỳ báo cáo với dòng 2")},
    "err_inactive_unit.csv": {
        (2, "unit_code", "BHXH-QUANGBINH không hoạt động trong kỳ"),
        (3, "unit_code", "BHXH-QUANGTRI-2025 không hoạt động trong kỳ"),
    },
    "err_future_period.csv": {(2, "period", "Kỳ báo cáo 2027-H1 chưa bắt đầu")},
    "err_bad_period.csv": {
        (2, "period", "Kỳ báo cáo không hợp lệ: 'Quý 3/2026'"),
        (3, "period", "Thiếu kỳ báo cáo"),
    },
    "err_agency_indicator.csv": {(2, "thads_cases_eligible", "Chỉ tiêu riêng của ngành THADS")},
    "err_bad_date.csv": {(2, "report_date", "Ngày không hợp lệ")},
    "err_missing_unit_column.csv": {(1, "", "Thiếu cột bắt buộc: Mã đơn vị")},
    "err_empty.csv": {(1, "", "File không có dòng dữ liệu nào")},
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_each_error_is_reported_at_its_row_and_column(
    shared_sample_engine: Engine, name: str
) -> None:
    report = ingest.dry_run(shared_sample_engine, name, _read(name), today=TODAY)
    got = {(p.row, p.column) for p in report.errors}
    assert got == {(row, column) for row, column, _ in ERRORS[name]}
    for row, column, message in ERRORS[name]:
        assert any(
            p.row == row and p.column == column and message in p.message for p in report.errors
        ), message
    assert not report.committed and "từ chối" in report.message


def test_upload_outside_the_agency_scope_is_rejected(shared_sample_engine: Engine) -> None:
    report = ingest.dry_run(
        shared_sample_engine, "x.csv", _read("ok_utf8_comma.csv"), scope=("THADS",), today=TODAY
    )
    assert {(p.row, p.column) for p in report.errors} == {(2, "Mã đơn vị")}
    assert "ngoài phạm vi được giao" in report.errors[0].message


def test_warnings_do_not_block_but_must_be_confirmed(sample_engine: Engine) -> None:
    content = _read("warn_ratios_and_missing.csv")
    report = ingest.dry_run(sample_engine, "w.csv", content, today=TODAY)
    assert report.errors == []
    warned = {(p.row, p.column) for p in report.warnings}
    assert {
        (2, "managers_total"),
        (3, "key_leaders_total"),
        (1, ""),
    } <= warned  # (1, ""): missing columns
    unconfirmed = ingest.commit(sample_engine, "w.csv", content, user="t", today=TODAY)
    assert not unconfirmed.committed and "xác nhận" in unconfirmed.message
    assert ingest.batches(sample_engine).empty
    confirmed = ingest.commit(
        sample_engine, "w.csv", content, user="t", accept_warnings=True, today=TODAY
    )
    assert confirmed.committed and confirmed.inserted == 2


def test_change_of_more_than_half_since_the_previous_report_is_a_warning(
    shared_sample_engine: Engine,
) -> None:
    content = b"unit_code,period,staff_total\nBHXH-QUANGTRI,2022-Y,600\n"
    report = ingest.dry_run(shared_sample_engine, "c.csv", content, today=TODAY)
    change = [p for p in report.warnings if p.column == "staff_total"]
    assert (
        len(change) == 1 and change[0].row == 2 and "so với báo cáo kỳ 2022-H1" in change[0].message
    )


ACTIVITY_ERRORS = {
    (2, "campaign"),
    (3, "end_date"),
    (4, "start_date"),
    (5, "participants_female"),
    (6, "title"),
}


def test_activity_errors_at_their_rows(shared_sample_engine: Engine) -> None:
    report = ingest.dry_run(
        shared_sample_engine, "a.csv", _read("act_errors.csv"), "activities", today=TODAY
    )
    assert {(p.row, p.column) for p in report.errors} == ACTIVITY_ERRORS
    assert report.rejected == 5


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_fast_reader_and_the_line_keeping_reader_agree(delimiter: str) -> None:
    """A file without blank or comment lines goes through Arrow's reader; the same rows with a
    comment line go through pandas' C parser. Cells and file rows must come out the same."""
    from data_access.ingest.reading import read_upload

    rows = [
        ["unit_code", "period", "staff_total", "ghi chú; có, dấu"],
        ["BHXH-QUANGTRI", "2022-Y", "1.520", ' "trích dẫn" '],
        ["BHXH-HANOI", "2022-Y", "", "Hà Nội"],
        ["BHXH-HUE", "2022-Y", "12", ""],
    ]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    plain = out.getvalue()
    fast = read_upload("a.csv", plain.encode("utf-8-sig"))
    slow = read_upload("a.csv", ("# hướng dẫn\r\n" + plain).encode("utf-8-sig"))
    assert fast.frame.equals(slow.frame)
    assert list(fast.frame.columns) == rows[0]
    assert fast.frame.iloc[0].tolist() == ["BHXH-QUANGTRI", "2022-Y", "1.520", '"trích dẫn"']
    assert fast.lines == [2, 3, 4] and slow.lines == [3, 4, 5]
    assert (fast.header_line, slow.header_line) == (1, 2)
