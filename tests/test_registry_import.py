"""The organisation registry (issue #14, items 1 and 5), from an empty database, on SQLite and
PostgreSQL: import an agency that is not in the sample, report for its units, read the figures
back, roll the registry back where nothing needs it and see the refusal where something does."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from argon2 import PasswordHasher
from sqlalchemy import Engine, Row, func, select

from data_access import ingest, registry
from data_access.analytics.exports import export
from data_access.auth import Identity, PermissionDenied
from data_access.db.models import Agency, AuditLog, RegistryRevision, Unit, UploadBatch, User
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from data_access.registry import accounts, files, setup
from tests.encoding import to_cp1258

DATA = Path(__file__).resolve().parent / "data" / "registry"
NHNN = (DATA / "nhnn_units.csv").read_bytes()
ADMIN = Identity("quantri", "admin")
NHNN_UNITS = 36  # head office, 34 provincial branches, one regional branch
TODAY = dt.date(2026, 11, 22)


def _units(engine: Engine) -> dict[str, Row[Any]]:
    with engine.connect() as conn:
        return {u.code: u for u in conn.execute(select(Unit)).all()}


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def _reports(codes: list[str]) -> bytes:
    lines = ["unit_code,period,report_date,staff_total,staff_female"]
    lines += [f"{code},2024-Y,20/11/2024,{100 + i},{40 + i}" for i, code in enumerate(codes)]
    return ("\n".join(lines) + "\n").encode()


def test_registry_of_a_new_agency_from_an_empty_database(engine: Engine) -> None:
    assert setup.is_empty(engine)
    dry = registry.dry_run(engine, "nhnn_units.csv", NHNN, identity=ADMIN)
    assert dry.ok and dry.inserted == NHNN_UNITS + 1 and not dry.committed  # + the agency
    assert _count(engine, Unit) == 0

    report = registry.commit(engine, "nhnn_units.csv", NHNN, identity=ADMIN)
    assert report.committed, report.problems
    units = _units(engine)
    assert len(units) == NHNN_UNITS and not setup.is_empty(engine)
    head, merged = units["NHNN-TW"], [units["NHNN-CN02"], units["NHNN-CN03"]]
    assert head.level == "central" and head.parent_id is None
    assert {u.parent_id for c, u in units.items() if c != "NHNN-TW"} == {head.id}  # two levels
    assert units["NHNN-CN01"].name == "Chi nhánh Ngân hàng Nhà nước Hà Nội"
    assert units["NHNN-KV01"].level == "regional"
    # The merge of 2025: both branches close on 28/02/2025 into the regional branch.
    assert {(u.active_to, u.successor_id) for u in merged} == {
        (dt.date(2025, 2, 28), units["NHNN-KV01"].id)
    }
    assert units["NHNN-CN01"].contact_email == "lan1@sbv.gov.vn"
    with engine.connect() as conn:
        agency = conn.execute(select(Agency).where(Agency.code == "NHNN")).one()
        audit = conn.execute(select(AuditLog.action).where(AuditLog.action == "registry_import"))
        assert agency.name == "Ngân hàng Nhà nước Việt Nam" and len(audit.all()) == 1

    # Same file again: nothing to do, no batch.
    again = registry.commit(engine, "nhnn_units.csv", NHNN, identity=ADMIN)
    assert not again.committed and again.unchanged == NHNN_UNITS and not again.errors

    # Reports of the new units go through the existing ingest and come back in the overview.
    branches = [f"NHNN-CN{i:02d}" for i in range(1, 31)]
    upload = ingest.commit(
        engine,
        "nhnn_2024.csv",
        _reports(branches),
        user="quantri",
        today=TODAY,
        accept_warnings=True,
    )
    assert upload.committed, upload.problems
    figures = aggregate(engine, Filters(periods=("2024-Y",), agencies=("NHNN",)), by=("agency",))
    assert figures["staff_total"].tolist() == [sum(100 + i for i in range(30))]
    assert figures["n_units"].tolist() == [30]
    data, rows = export(engine, "unit", Filters(periods=("2024-Y",), agencies=("NHNN",)), "csv")
    assert rows == 30 and "Chi nhánh Ngân hàng Nhà nước Hà Nội" in data.decode("utf-8-sig")

    # Something needs the registry batch: refused, naming it.
    with pytest.raises(ingest.RollbackRefused, match="đã có báo cáo của đơn vị NHNN-CN01"):
        ingest.rollback(engine, report.batch_id, identity=ADMIN)  # type: ignore[arg-type]
    assert len(_units(engine)) == NHNN_UNITS
    # Nothing needs it any more: rolled back to the empty database.
    ingest.rollback(engine, upload.batch_id, identity=ADMIN)  # type: ignore[arg-type]
    ingest.rollback(engine, report.batch_id, identity=ADMIN)  # type: ignore[arg-type]
    assert _count(engine, Unit) == 0 and _count(engine, Agency) == 0
    with engine.connect() as conn:
        status = conn.execute(select(UploadBatch.status).where(UploadBatch.id == report.batch_id))
        assert status.scalar_one() == "rolled_back"


def test_a_change_batch_is_restored_exactly_and_an_earlier_one_waits_for_it(engine: Engine) -> None:
    first = registry.commit(engine, "nhnn_units.csv", NHNN, identity=ADMIN)
    change = (
        "Mã đơn vị;Tên đơn vị;Mã đơn vị cấp trên;Email\n"
        "NHNN-CN05;Chi nhánh Ngân hàng Nhà nước Tuyên Quang (đổi tên);NHNN-KV01;moi@sbv.gov.vn\n"
    ).encode()
    second = registry.commit(engine, "doi_ten.csv", change, identity=ADMIN)
    assert (second.inserted, second.updated) == (0, 1)
    unit = _units(engine)["NHNN-CN05"]
    assert unit.name.endswith("(đổi tên)") and unit.contact_email == "moi@sbv.gov.vn"
    with pytest.raises(ingest.RollbackRefused, match=f"lô {second.batch_id} sau đó"):
        registry.rollback(engine, first.batch_id, identity=ADMIN)  # type: ignore[arg-type]
    assert registry.rollback(engine, second.batch_id, identity=ADMIN) == {  # type: ignore[arg-type]
        "deleted": 0,
        "restored": 1,
    }
    unit = _units(engine)["NHNN-CN05"]
    assert unit.name == "Chi nhánh Ngân hàng Nhà nước Tuyên Quang"
    assert (
        unit.contact_email == "lan5@sbv.gov.vn" and unit.parent_id == _units(engine)["NHNN-TW"].id
    )
    assert unit.active_from == dt.date(2005, 1, 1)


# One file per error: (file, file row, column as written in the file, words of the message).
ERRORS = [
    ("err_unknown_parent.csv", 3, "Mã đơn vị cấp trên", "Không có đơn vị cấp trên mã “KHONG-CO”"),
    ("err_unknown_agency.csv", 3, "Mã ngành", "Không có ngành mã “XYZ”"),
    ("err_cycle.csv", 3, "Mã đơn vị cấp trên", "Vòng lặp cấp trên: A2 → A3 → A4 → A2"),
    (
        "err_province_not_in_set.csv",
        3,
        "Tỉnh, thành phố",
        "Không có tỉnh “Hà Giang” trong bộ mã 34 tỉnh",
    ),
    ("err_successor_closes_first.csv", 3, "Mã đơn vị kế thừa", "ngừng hoạt động ngày 31/12/2024"),
    ("err_duplicate_code.csv", 4, "Mã đơn vị", "Mã đơn vị trùng với dòng 2"),
    ("err_bad_email.csv", 3, "Email", "Email không hợp lệ"),
]


@pytest.mark.parametrize(("name", "row", "column", "words"), ERRORS)
def test_every_registry_error_names_its_row_and_column_and_writes_nothing(
    engine: Engine, name: str, row: int, column: str, words: str
) -> None:
    report = registry.commit(engine, name, (DATA / name).read_bytes(), identity=ADMIN)
    assert [(p.row, p.column) for p in report.errors] == [(row, column)]
    assert words in report.errors[0].message
    assert not report.committed and report.summary()["rejected"] == report.total_rows
    assert _count(engine, Unit) == 0 and _count(engine, Agency) == 0
    assert _count(engine, UploadBatch) == 0 and _count(engine, RegistryRevision) == 0


def _as_table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def _xlsx(rows: list[list[str]]) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
    return buffer.getvalue()


def _text(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# The same registry as other offices save it: title rows and the total row kept every time.
FORMS = {
    "utf16_tab.txt": lambda rows: _text(rows, "\t").encode("utf-16"),
    "cp1258_comma.csv": lambda rows: to_cp1258(_text(rows, ",")),
    "utf8_no_bom.csv": lambda rows: _text(rows, ",").encode(),
    "excel.xlsx": _xlsx,
}


@pytest.mark.parametrize("name", list(FORMS))
def test_registry_files_are_read_like_submissions(engine: Engine, name: str) -> None:
    report = registry.dry_run(engine, name, FORMS[name](_as_table(NHNN)), identity=ADMIN)
    assert report.ok, report.problems
    assert (report.kind, report.total_rows, report.inserted) == (
        "units",
        NHNN_UNITS,
        NHNN_UNITS + 1,
    )


def test_an_error_row_counts_title_rows_as_the_file_shows_them(engine: Engine) -> None:
    rows = _as_table(NHNN)
    rows[5][12] = "khong-phai-email"  # file row 6 (two title rows, the header, three units)
    for name, data in (("a.csv", _text(rows, ";").encode()), ("a.xlsx", _xlsx(rows))):
        report = registry.dry_run(engine, name, data, identity=ADMIN)
        assert [(p.row, p.column) for p in report.errors] == [(6, "Email")], name


def test_agencies_file_and_the_secretariat_scope(engine: Engine) -> None:
    agencies = "Mã ngành,Tên ngành\nNHNN,Ngân hàng Nhà nước Việt Nam\nKBNN,Kho bạc Nhà nước\n"
    secretary = Identity("thuky.nhnn", "secretariat", ("NHNN",))
    refused = registry.dry_run(engine, "nganh.csv", agencies.encode(), identity=secretary)
    assert {(p.row, p.column) for p in refused.errors} == {(2, "Mã ngành"), (3, "Mã ngành")}
    assert "Chỉ quản trị viên được tạo ngành mới" in refused.errors[0].message
    done = registry.commit(engine, "nganh.csv", agencies.encode(), identity=ADMIN)
    assert done.committed and done.kind == "agencies" and _count(engine, Agency) == 2
    # The secretariat of NHNN imports NHNN's units but not another agency's.
    assert registry.commit(engine, "nhnn.csv", NHNN, identity=secretary).committed
    other = "Mã đơn vị;Tên đơn vị;Mã ngành;Cấp;Tỉnh, thành phố;Hoạt động từ\nKB-01;Kho bạc Hà Nội;KBNN;Cấp tỉnh;Hà Nội;01/01/2010\n"
    outside = registry.dry_run(engine, "kb.csv", other.encode(), identity=secretary)
    assert [(p.row, p.column) for p in outside.errors] == [(2, "Mã ngành")]
    assert "ngoài phạm vi" in outside.errors[0].message
    with pytest.raises(PermissionDenied):
        registry.dry_run(engine, "kb.csv", other.encode(), identity=Identity("lanhdao", "viewer"))
    with pytest.raises(PermissionDenied):
        files.export(engine, "csv", identity=Identity("lanhdao", "viewer"))


def test_export_is_imported_again_unchanged(engine: Engine) -> None:
    registry.commit(engine, "nhnn_units.csv", NHNN, identity=ADMIN)
    for fmt in files.FORMATS:
        data = files.export(engine, fmt, identity=ADMIN)
        again = registry.dry_run(engine, f"xuat.{fmt}", data, identity=ADMIN)
        assert again.ok and (again.inserted, again.updated, again.unchanged) == (0, 0, NHNN_UNITS)


@pytest.mark.parametrize("fmt", files.FORMATS)
def test_template_examples_are_skipped_and_headings_recognised(engine: Engine, fmt: str) -> None:
    report = registry.dry_run(engine, f"mau.{fmt}", files.template("units", fmt), identity=ADMIN)
    assert report.kind == "units"
    assert [p.message for p in report.errors] == [
        "File không có dòng dữ liệu nào (chỉ có tiêu đề)."
    ]


def test_secretariat_accounts_are_made_in_bulk_with_passwords_shown_once(engine: Engine) -> None:
    registry.commit(engine, "nhnn_units.csv", NHNN, identity=ADMIN)
    with pytest.raises(PermissionDenied):
        accounts.create_secretariat_accounts(
            engine, "NHNN", 2, identity=Identity("thuky", "secretariat", ("NHNN",))
        )
    made = accounts.create_secretariat_accounts(engine, "NHNN", 2, identity=ADMIN)
    more = accounts.create_secretariat_accounts(engine, "NHNN", 1, identity=ADMIN)
    assert [a.username for a in made + more] == ["thuky.nhnn.1", "thuky.nhnn.2", "thuky.nhnn.3"]
    with engine.connect() as conn:
        stored = {u.username: u for u in conn.execute(select(User)).all()}
        logged = " ".join(str(r.detail) for r in conn.execute(select(AuditLog.detail)).all())
    for account in made + more:
        user = stored[account.username]
        assert user.role == "secretariat" and account.password not in user.password_hash
        assert PasswordHasher().verify(user.password_hash, account.password)
        assert account.password not in logged
    # The agency now has accounts: its registry batch is not rolled back from under them.
    with pytest.raises(ingest.RollbackRefused, match=re.escape("thuky.nhnn.1")):
        ingest.rollback(engine, 1, identity=ADMIN)
    with pytest.raises(ValueError, match=str(accounts.MAX_ACCOUNTS_AT_ONCE)):
        accounts.create_secretariat_accounts(
            engine, "NHNN", accounts.MAX_ACCOUNTS_AT_ONCE + 1, identity=ADMIN
        )
