"""Issue #14 end to end, from an empty database, on SQLite and PostgreSQL: a new agency's registry
(two levels, 36 units, a 2025 merge, a closure with a successor), a merge in the app, the
agency's own indicator and target, a submissions file using the indicator, read back through the
overview's query, the export and the report; the registry batch rolled back where nothing depends
on it and refused, naming what, where something does."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from sqlalchemy import Engine, func, select

from data_access import ingest, registry
from data_access.analytics.exports import export
from data_access.auth import Identity
from data_access.db.models import Agency, Unit
from data_access.documents.report import write_report
from data_access.domain.filters import Filters
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet
from data_access.queries.aggregate import aggregate
from data_access.registry import catalogue_admin, changes, targets
from data_access.views import overview as views

DATA = Path(__file__).resolve().parent / "data" / "registry"
ADMIN = Identity("quantri", "admin")
TODAY = dt.date(2026, 11, 22)
BRANCHES = [f"NHNN-CN{i:02d}" for i in range(4, 34)]  # 30 branches still open in 2024


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_new_committee_goes_live_with_its_own_indicator_and_target(engine: Engine) -> None:
    data = (DATA / "nhnn_units.csv").read_bytes()
    imported = registry.commit(engine, "nhnn_units.csv", data, identity=ADMIN)
    assert imported.committed and _count(engine, Unit) == 36
    merged = changes.merge(
        engine,
        ["NHNN-CN32", "NHNN-CN33"],
        changes.NewUnit("NHNN-KV02", "Chi nhánh Khu vực 2 – Đồng bằng", "01", ProvinceSet.CURRENT),
        REFORM_DATE,
        identity=ADMIN,
    )
    assert merged.batch_id is not None

    added = catalogue_admin.add(
        engine,
        catalogue_admin.definitions(
            "nhnn_credit_staff",
            "Cán bộ tín dụng",
            "2.9",
            pair=True,
            kind="stock",
            agency_code="NHNN",
        ),
        identity=ADMIN,
    )
    assert "submissions.nhnn_credit_staff_total" in added
    assert targets.set_target(engine, 2024, 45.0, "NHNN", identity=ADMIN)

    lines = [
        "unit_code,period,report_date,staff_total,staff_female,key_leaders_total,"
        "key_leaders_female,nhnn_credit_staff_total,nhnn_credit_staff_female"
    ]
    lines += [
        f"{code},2024-Y,20/11/2024,{100 + i},{40 + i},3,{i % 2},{20 + i},{10 + i}"
        for i, code in enumerate(BRANCHES)
    ]
    upload = ingest.commit(
        engine,
        "nhnn_2024.csv",
        ("\n".join(lines) + "\n").encode(),
        identity=ADMIN,
        today=TODAY,
        accept_warnings=True,
    )
    assert upload.committed, upload.problems

    f = Filters(periods=("2024-Y",), agencies=("NHNN",))
    figures = aggregate(
        engine,
        f,
        by=("agency",),
        indicators=["nhnn_credit_staff_total", "nhnn_credit_staff_female"],
    )
    assert figures["nhnn_credit_staff_total"].tolist() == [sum(20 + i for i in range(30))]
    assert figures["nhnn_credit_staff_female_pct"].iloc[0] == pytest.approx(
        100 * sum(10 + i for i in range(30)) / sum(20 + i for i in range(30))
    )
    assert views.overview(engine, f.with_(periods=(), year_from=2024, year_to=2024)).target == 45.0
    exported, rows = export(engine, "unit", f, "csv")
    text = exported.decode("utf-8-sig")
    assert rows == 30 and "nhnn_credit_staff_female" in text.splitlines()[0]
    report = docx.Document(io.BytesIO(write_report(engine, "NHNN", "2024-Y")))
    body = "\n".join(p.text for p in report.paragraphs) + "\n".join(
        c.text for t in report.tables for r in t.rows for c in r.cells
    )
    assert "Chi nhánh Ngân hàng Nhà nước" in body

    # Something needs the registry batch: the merge made after it, then the reports and the
    # agency's target.
    with pytest.raises(ingest.RollbackRefused, match=f"lô {merged.batch_id} sau đó"):
        registry.rollback(engine, imported.batch_id, identity=ADMIN)  # type: ignore[arg-type]
    registry.rollback(engine, merged.batch_id, identity=ADMIN)
    with pytest.raises(ingest.RollbackRefused) as refused:
        registry.rollback(engine, imported.batch_id, identity=ADMIN)  # type: ignore[arg-type]
    assert "đã có báo cáo của đơn vị NHNN-CN04" in str(refused.value)
    assert "có mục tiêu riêng của ngành NHNN" in str(refused.value)
    assert _count(engine, Unit) == 36
    # Undo what depends on it: then the registry batch rolls back to the empty database.
    ingest.rollback(engine, upload.batch_id, identity=ADMIN)  # type: ignore[arg-type]
    assert targets.remove_target(engine, 2024, "NHNN", identity=ADMIN)
    registry.rollback(engine, imported.batch_id, identity=ADMIN)  # type: ignore[arg-type]
    assert _count(engine, Unit) == 0 and _count(engine, Agency) == 0
