"""Units over time (issue #14, item 2), on SQLite and PostgreSQL: create, rename, move, close,
merge, split and the province merger, each checked first, one audited registry batch, reversible,
idempotent and scoped; views that follow a unit's history walk the successions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from data_access import ingest, registry
from data_access.auth import Identity, PermissionDenied
from data_access.db.models import AuditLog, Province, Unit, UnitSuccession, UploadBatch
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet
from data_access.registry import changes
from data_access.registry.changes import NewUnit, UnitChangeError
from data_access.views import unit as unit_view
from tests.batches import committed_batch

DATA = Path(__file__).resolve().parent / "data" / "registry"
ADMIN = Identity("quantri", "admin")
NHNN_CLERK = Identity("thuky.nhnn", "secretariat", ("NHNN",))
OTHER_CLERK = Identity("thuky", "secretariat", ("BHXH",))
VIEWER = Identity("lanhdao", "viewer")
DAY = dt.date(2025, 9, 1)


@pytest.fixture
def nhnn(engine: Engine) -> Engine:
    """An empty database with the NHNN registry (36 units, two levels) imported."""
    data = (DATA / "nhnn_units.csv").read_bytes()
    assert registry.commit(engine, "nhnn_units.csv", data, identity=ADMIN).committed
    return engine


def _unit(engine: Engine, code: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(Unit).where(Unit.code == code)).one()


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def _report(engine: Engine, rows: list[tuple[str, int, int]], period: str = "2024-Y") -> None:
    lines = ["unit_code,period,report_date,staff_total,staff_female"]
    lines += [f"{code},{period},20/11/2024,{total},{female}" for code, total, female in rows]
    report = ingest.commit(
        engine, "bc.csv", ("\n".join(lines) + "\n").encode(), identity=ADMIN, accept_warnings=True
    )
    assert report.committed, report.problems


def test_rename_keeps_the_old_name_and_rolls_back(nhnn: Engine) -> None:
    old = _unit(nhnn, "NHNN-CN05").name
    done = changes.rename(nhnn, "NHNN-CN05", "Chi nhánh Khu vực Đông Bắc", DAY, identity=ADMIN)
    assert done.batch_id and _unit(nhnn, "NHNN-CN05").name == "Chi nhánh Khu vực Đông Bắc"
    assert changes.unit_names(nhnn, "NHNN-CN05") == [(old, DAY - dt.timedelta(days=1))]
    profile = unit_view.unit_profile(nhnn, "NHNN-CN05")
    assert profile is not None and profile.former_names == [(old, DAY - dt.timedelta(days=1))]
    with nhnn.connect() as conn:
        entry = conn.execute(select(AuditLog).where(AuditLog.action == "unit_change")).one()
        assert entry.detail["batch_id"] == done.batch_id
    registry.rollback(nhnn, done.batch_id, identity=ADMIN)
    assert _unit(nhnn, "NHNN-CN05").name == old and changes.unit_names(nhnn, "NHNN-CN05") == []


def test_move_under_another_parent_and_refuse_a_cycle(nhnn: Engine) -> None:
    changes.move(nhnn, "NHNN-CN06", "NHNN-CN05", identity=ADMIN)
    assert _unit(nhnn, "NHNN-CN06").parent_id == _unit(nhnn, "NHNN-CN05").id
    with pytest.raises(UnitChangeError, match="vòng lặp cấp trên"):
        changes.move(nhnn, "NHNN-CN05", "NHNN-CN06", identity=ADMIN)


def test_close_with_a_successor_that_must_be_active(nhnn: Engine) -> None:
    with pytest.raises(UnitChangeError, match="không hoạt động ngày 01/01/2024"):
        changes.close(nhnn, "NHNN-CN07", dt.date(2024, 1, 1), "NHNN-KV01", identity=ADMIN)
    batches = _count(nhnn, UploadBatch)
    done = changes.close(nhnn, "NHNN-CN07", DAY, "NHNN-KV01", identity=ADMIN)
    closed = _unit(nhnn, "NHNN-CN07")
    assert closed.active_to == DAY - dt.timedelta(days=1)
    assert closed.successor_id == _unit(nhnn, "NHNN-KV01").id
    assert _count(nhnn, UploadBatch) == batches + 1 and done.units == 1


def test_merge_keeps_history_with_the_old_units_and_the_profile_follows_the_chain(
    nhnn: Engine,
) -> None:
    _report(nhnn, [("NHNN-CN04", 100, 40), ("NHNN-CN05", 60, 30)])
    new = NewUnit("NHNN-DB", "Chi nhánh Khu vực Đông Bắc", "04", ProvinceSet.CURRENT)
    done = changes.merge(nhnn, ["NHNN-CN04", "NHNN-CN05"], new, REFORM_DATE, identity=ADMIN)
    merged = _unit(nhnn, "NHNN-DB")
    assert merged.active_from == REFORM_DATE and merged.level == "provincial"
    for code in ("NHNN-CN04", "NHNN-CN05"):
        old = _unit(nhnn, code)
        assert (old.active_to, old.successor_id) == (dt.date(2025, 6, 30), merged.id)
    # The reports stay with the old units; the new unit's profile sums them for 2024.
    old_profile = unit_view.unit_profile(nhnn, "NHNN-CN04")
    assert old_profile is not None and old_profile.successors == ["NHNN-DB"]
    profile = unit_view.unit_profile(nhnn, "NHNN-DB")
    assert profile is not None and sorted(profile.predecessors) == ["NHNN-CN04", "NHNN-CN05"]
    row = profile.series[profile.series["period"] == "2024-Y"].iloc[0]
    assert (row["staff_total"], row["staff_female"]) == (160, 70)
    # Nothing reports for the new unit yet: the merge rolls back.
    registry.rollback(nhnn, committed_batch(done), identity=ADMIN)
    assert _unit(nhnn, "NHNN-CN04").active_to is None and _count(nhnn, UnitSuccession) == 0


def test_split_one_unit_into_several(nhnn: Engine) -> None:
    into = [
        NewUnit("NHNN-CN08A", "Chi nhánh 8A", "08", ProvinceSet.CURRENT),
        NewUnit("NHNN-CN08B", "Chi nhánh 8B", "08", ProvinceSet.CURRENT),
    ]
    changes.split(nhnn, "NHNN-CN08", into, REFORM_DATE, identity=ADMIN)
    with nhnn.connect() as conn:
        pairs = conn.execute(
            select(UnitSuccession.successor_id).where(
                UnitSuccession.predecessor_id == _unit(nhnn, "NHNN-CN08").id
            )
        ).scalars()
        assert sorted(pairs) == sorted(_unit(nhnn, c.code).id for c in into)
    profile = unit_view.unit_profile(nhnn, "NHNN-CN08B")
    assert profile is not None and profile.predecessors == ["NHNN-CN08"]


def test_rollback_refused_while_reports_need_the_merged_unit(nhnn: Engine) -> None:
    new = NewUnit("NHNN-DB", "Chi nhánh Khu vực Đông Bắc", "04", ProvinceSet.CURRENT)
    done = changes.merge(nhnn, ["NHNN-CN04", "NHNN-CN05"], new, REFORM_DATE, identity=ADMIN)
    _report(nhnn, [("NHNN-DB", 150, 65)], period="2025-Y")
    with pytest.raises(registry.RollbackRefused, match="đã có báo cáo của đơn vị NHNN-DB"):
        registry.rollback(nhnn, committed_batch(done), identity=ADMIN)


def test_province_merger_as_the_ready_2025_action(nhnn: Engine) -> None:
    pending = changes.legacy_provinces_pending(nhnn)
    assert "01" in pending  # Hà Nội's units are still recorded in the legacy set
    done = changes.province_merger(nhnn, ["01"], identity=ADMIN)
    assert done.batch_id and done.units == 2 * 3  # three units closed, three opened
    head = _unit(nhnn, "NHNN-TW-2025")
    with nhnn.connect() as conn:
        province = conn.execute(select(Province).where(Province.id == head.province_id)).one()
    assert (province.code_set, province.code) == ("2025", "01")
    assert head.active_from == REFORM_DATE
    # The branch in Hà Nội now sits under the head office's successor.
    assert _unit(nhnn, "NHNN-CN01-2025").parent_id == head.id
    assert _unit(nhnn, "NHNN-TW").active_to == dt.date(2025, 6, 30)
    assert "01" not in changes.legacy_provinces_pending(nhnn)
    again = changes.province_merger(nhnn, ["01"], identity=ADMIN)
    assert again.batch_id is None
    registry.rollback(nhnn, done.batch_id, identity=ADMIN)
    assert "01" in changes.legacy_provinces_pending(nhnn)


def _new() -> NewUnit:
    return NewUnit("NHNN-DB", "Chi nhánh Khu vực Đông Bắc", "04", ProvinceSet.CURRENT)


OPERATIONS: dict[str, Callable[[Engine, Identity], changes.ChangeResult]] = {
    "create": lambda e, who: changes.create(
        e,
        NewUnit("NHNN-X1", "Phòng mới", "01", ProvinceSet.CURRENT, "provincial"),
        "NHNN",
        DAY,
        identity=who,
    ),
    "rename": lambda e, who: changes.rename(e, "NHNN-CN05", "Tên mới", DAY, identity=who),
    "move": lambda e, who: changes.move(e, "NHNN-CN06", "NHNN-CN05", identity=who),
    "close": lambda e, who: changes.close(e, "NHNN-CN07", DAY, "NHNN-KV01", identity=who),
    "merge": lambda e, who: changes.merge(
        e, ["NHNN-CN04", "NHNN-CN05"], _new(), REFORM_DATE, identity=who
    ),
    "split": lambda e, who: changes.split(
        e,
        "NHNN-CN08",
        [
            NewUnit("NHNN-CN08A", "Chi nhánh 8A", "08", ProvinceSet.CURRENT),
            NewUnit("NHNN-CN08B", "Chi nhánh 8B", "08", ProvinceSet.CURRENT),
        ],
        REFORM_DATE,
        identity=who,
    ),
    "province": lambda e, who: changes.province_merger(e, ["01"], agency_code="NHNN", identity=who),
}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_same_operation_twice_changes_nothing(nhnn: Engine, operation: str) -> None:
    first = OPERATIONS[operation](nhnn, NHNN_CLERK)  # the secretariat, within its agency
    assert first.batch_id is not None
    batches = _count(nhnn, UploadBatch)
    second = OPERATIONS[operation](nhnn, NHNN_CLERK)
    assert second.batch_id is None and _count(nhnn, UploadBatch) == batches


@pytest.mark.parametrize("who", [OTHER_CLERK, VIEWER], ids=["other_agency", "viewer"])
@pytest.mark.parametrize("operation", OPERATIONS)
def test_refused_outside_the_scope_and_nothing_written(
    nhnn: Engine, operation: str, who: Identity
) -> None:
    batches, units = _count(nhnn, UploadBatch), _count(nhnn, Unit)
    with pytest.raises(PermissionDenied):
        OPERATIONS[operation](nhnn, who)
    assert (_count(nhnn, UploadBatch), _count(nhnn, Unit)) == (batches, units)
