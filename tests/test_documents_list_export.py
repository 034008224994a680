"""I.1's list of documents issued reaches the readers: a sheet of the XLSX export and a CSV of its
own, accepted reports only unless "gồm báo cáo chưa duyệt", within the secretary's agencies,
every cell neutralised. Rows hand-written from the reports submitted below, on both backends."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import Engine, select

from data_access.auth import Identity, PermissionDenied
from data_access.db import catalogue
from data_access.db.models import Agency, Period, Unit
from data_access.db.value_tables import tables
from data_access.domain.filters import Filters
from data_access.reporting import documents_issued, workflow

PERIOD = "2026-H1"
PERIOD_VI = "6 tháng đầu năm 2026"
TODAY = dt.date(2026, 7, 1)
ADMIN = Identity("quantri", "admin")
BHXH_SECRETARY = Identity("thuky", "secretariat", ("BHXH",))


def _fresh_unit(engine: Engine, agency: str, skip: int = 0) -> tuple[str, str]:
    """(code, name) of an active unit of `agency` with no submission for PERIOD."""
    submissions, _ = tables(catalogue.load(engine.connect()))
    with engine.connect() as conn:
        period_id = select(Period.id).where(Period.code == PERIOD).scalar_subquery()
        done = select(submissions.c.unit_id).where(submissions.c.period_id == period_id)
        row = conn.execute(
            select(Unit.code, Unit.name)
            .join(Agency, Agency.id == Unit.agency_id)
            .where(Agency.code == agency, Unit.id.not_in(done), Unit.active_to.is_(None))
            .order_by(Unit.code)
            .offset(skip)
            .limit(1)
        ).one()
    return row.code, row.name


def _submit(engine: Engine, unit: str, agency: str, documents: list[dict[str, str]]) -> int:
    me = Identity(f"donvi.{unit.lower()}", "reporter", (agency,), unit=unit)
    report = workflow.open_report(engine, unit, PERIOD, me)
    typed = {"staff_total": "10", "staff_female": "4", "docs_issued": str(len(documents))}
    found = workflow.submit(
        engine, unit, PERIOD, typed, documents, version=report.version, identity=me, today=TODAY
    )
    assert not found.errors, found.errors
    return workflow.open_report(engine, unit, PERIOD, me).id or 0


def _accept(engine: Engine, report_id: int) -> None:
    version = int(workflow.queue(engine, ADMIN).set_index("id").loc[report_id, "version"])
    workflow.accept(engine, report_id, version=version, identity=ADMIN, today=TODAY)


@pytest.fixture
def reports(sample_engine: Engine) -> dict[str, tuple[str, str]]:
    """BHXH unit a accepted (two documents, one summary a formula), b submitted only; a THADS
    unit accepted: (code, name) by letter."""
    a, b = _fresh_unit(sample_engine, "BHXH"), _fresh_unit(sample_engine, "BHXH", skip=1)
    other = _fresh_unit(sample_engine, "THADS")
    _accept(
        sample_engine,
        _submit(
            sample_engine,
            a[0],
            "BHXH",
            [
                {"number": "12/KH-BHXH", "date": "5/3/2026", "summary": "Kế hoạch bình đẳng giới"},
                {"number": "15/QĐ", "date": "2026-04-20", "summary": '=HYPERLINK("http://x")'},
            ],
        ),
    )
    _submit(sample_engine, b[0], "BHXH", [{"number": "3/TB", "date": "01/02/2026", "summary": "X"}])
    _accept(
        sample_engine,
        _submit(sample_engine, other[0], "THADS", [{"number": "7/KH", "date": "02/01/2026"}]),
    )
    return {"a": a, "b": b, "other": other}


def _rows(frame: object) -> list[tuple[object, ...]]:
    return [tuple(r) for r in frame.itertuples(index=False)]  # type: ignore[attr-defined]


ACCEPTED = Filters(periods=(PERIOD,))


def test_accepted_reports_only_by_default_and_within_scope(
    sample_engine: Engine, reports: dict[str, tuple[str, str]]
) -> None:
    (a, a_name), (b, b_name) = reports["a"], reports["b"]
    mine = documents_issued.issued(sample_engine, ACCEPTED, BHXH_SECRETARY)
    assert _rows(mine) == [
        ("BHXH", a, a_name, PERIOD, "12/KH-BHXH", dt.date(2026, 3, 5), "Kế hoạch bình đẳng giới"),
        ("BHXH", a, a_name, PERIOD, "15/QĐ", dt.date(2026, 4, 20), '=HYPERLINK("http://x")'),
    ]
    with_pending = documents_issued.issued(
        sample_engine, ACCEPTED.with_(include_unapproved=True), BHXH_SECRETARY
    )
    assert [r[1] for r in _rows(with_pending)] == sorted([a, a, b])
    assert ("BHXH", b, b_name, PERIOD, "3/TB", dt.date(2026, 2, 1), "X") in _rows(with_pending)
    # Everyone's, for an account of every agency; nobody's with a period not chosen.
    assert {r[0] for r in _rows(documents_issued.issued(sample_engine, ACCEPTED, ADMIN))} == {
        "BHXH",
        "THADS",
    }
    assert documents_issued.issued(
        sample_engine, Filters(periods=("2025-Y",)), BHXH_SECRETARY
    ).empty


def test_a_reporter_cannot_export_the_list(
    sample_engine: Engine, reports: dict[str, tuple[str, str]]
) -> None:
    code = reports["a"][0]
    with pytest.raises(PermissionDenied):
        documents_issued.issued(
            sample_engine, ACCEPTED, Identity("r", "reporter", ("BHXH",), unit=code)
        )


def test_the_xlsx_has_the_list_as_a_sheet(
    sample_engine: Engine, reports: dict[str, tuple[str, str]]
) -> None:
    a, a_name = reports["a"]
    data = documents_issued.xlsx_export(
        sample_engine, "unit", ACCEPTED, identity=BHXH_SECRETARY, indicators=["staff_total"]
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[-1] == "Văn bản ban hành"
    sheet = book["Văn bản ban hành"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows == [
        (
            "Mã ngành",
            "Mã đơn vị",
            "Đơn vị",
            "Kỳ báo cáo",
            "Số, ký hiệu",
            "Ngày ban hành",
            "Trích yếu",
        ),
        (
            "BHXH",
            a,
            a_name,
            PERIOD_VI,
            "12/KH-BHXH",
            dt.datetime(2026, 3, 5),
            "Kế hoạch bình đẳng giới",
        ),
        (
            "BHXH",
            a,
            a_name,
            PERIOD_VI,
            "15/QĐ",
            dt.datetime(2026, 4, 20),
            '\'=HYPERLINK("http://x")',
        ),
    ]
    assert sheet["F2"].number_format == "dd/mm/yyyy"
    # The figures' sheet is still the first, in the same scope.
    assert {r[0].value for r in book["Dữ liệu"].iter_rows(min_row=2)} == {"BHXH"}


def test_the_csv_of_the_list(sample_engine: Engine, reports: dict[str, tuple[str, str]]) -> None:
    (a, a_name), (b, b_name) = reports["a"], reports["b"]
    data, count = documents_issued.to_csv(
        sample_engine, ACCEPTED.with_(include_unapproved=True), identity=BHXH_SECRETARY
    )
    assert data.startswith(b"\xef\xbb\xbf") and count == 3
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Mã ngành",
        "Mã đơn vị",
        "Đơn vị",
        "Kỳ báo cáo",
        "Số, ký hiệu",
        "Ngày ban hành",
        "Trích yếu",
    ]
    expected = {
        ("BHXH", a, a_name, PERIOD_VI, "12/KH-BHXH", "05/03/2026", "Kế hoạch bình đẳng giới"),
        ("BHXH", a, a_name, PERIOD_VI, "15/QĐ", "20/04/2026", '\'=HYPERLINK("http://x")'),
        ("BHXH", b, b_name, PERIOD_VI, "3/TB", "01/02/2026", "X"),
    }
    assert {tuple(r) for r in rows[1:]} == expected and len(rows) == 4


def test_the_history_reads_one_reports_list_within_scope(
    sample_engine: Engine, reports: dict[str, tuple[str, str]]
) -> None:
    a, other = reports["a"][0], reports["other"][0]
    listed = documents_issued.for_report(sample_engine, a, PERIOD, BHXH_SECRETARY)
    assert _rows(listed) == [
        ("12/KH-BHXH", dt.date(2026, 3, 5), "Kế hoạch bình đẳng giới"),
        ("15/QĐ", dt.date(2026, 4, 20), '=HYPERLINK("http://x")'),
    ]
    assert documents_issued.for_report(sample_engine, other, PERIOD, BHXH_SECRETARY).empty
