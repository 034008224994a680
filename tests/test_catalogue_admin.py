"""The catalogue and targets in the app's data layer and the CLI (issue #14, item 3), on SQLite and
PostgreSQL: an agency's own indicator reaches templates, validation and exports with no code
change; deactivating keeps its figures; targets per agency replace the national one on charts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from data_access import ingest
from data_access.auth import Identity, PermissionDenied
from data_access.cli import main
from data_access.db.catalogue import CatalogueError
from data_access.db.models import AuditLog, Indicator, Unit
from data_access.domain.filters import Filters
from data_access.ingest.templates import template_csv
from data_access.queries.lookups import load_catalogue
from data_access.registry import catalogue_admin, targets
from data_access.views import common as common_view
from data_access.views import leadership as leadership_view
from data_access.views import overview as views

ADMIN = Identity("quantri", "admin")
CLERK = Identity("thuky", "secretariat", ("BHXH",))


def _pair(**kw: object) -> list:
    return catalogue_admin.definitions(
        "bhxh_collectors",
        "Cán bộ thu bảo hiểm xã hội",
        "2.9",
        pair=True,
        kind="stock",
        agency_code="BHXH",
        **kw,  # type: ignore[arg-type]
    )


def test_an_agency_indicator_reaches_templates_validation_and_exports(
    sample_engine: Engine,
) -> None:
    added = catalogue_admin.add(sample_engine, _pair(), identity=ADMIN)
    assert "submissions.bhxh_collectors_female" in added
    catalogue = load_catalogue(sample_engine)
    assert "bhxh_collectors_total" in catalogue and "bhxh_collectors" in catalogue.pairs
    heading = "Cán bộ thu bảo hiểm xã hội - Nữ"
    assert heading in template_csv("submissions", catalogue).decode("utf-8-sig")
    # Another agency's unit reporting it is refused by the existing validation.
    with sample_engine.connect() as conn:
        unit = conn.execute(
            select(func.min(Unit.code)).where(Unit.code.like("THADS-%"), Unit.active_to.is_(None))
        ).scalar_one()
    data = f"unit_code,period,bhxh_collectors_total,bhxh_collectors_female\n{unit},2025-Y,5,2\n"
    report = ingest.dry_run(sample_engine, "x.csv", data.encode(), identity=ADMIN)
    assert any("ngành" in p.message for p in report.errors), report.problems
    with pytest.raises(CatalogueError, match="đã có"):
        catalogue_admin.add(sample_engine, _pair(), identity=ADMIN)
    catalogue_admin.deactivate(sample_engine, "bhxh_collectors", identity=ADMIN)
    template = template_csv("submissions", load_catalogue(sample_engine)).decode("utf-8-sig")
    assert heading not in template


def test_deactivate_keeps_the_figures_and_adding_again_brings_it_back(engine: Engine) -> None:
    assert catalogue_admin.deactivate(engine, "masters", identity=ADMIN) == [
        "masters_female",
        "masters_total",
    ]
    assert "masters_total" not in load_catalogue(engine)
    assert catalogue_admin.deactivate(engine, "masters_total", identity=ADMIN) == []  # idempotent
    listing = catalogue_admin.listing(engine)
    assert not listing[listing["code"] == "masters_total"]["active"].iloc[0]
    with engine.connect() as conn:
        actions = conn.execute(select(AuditLog.action)).scalars().all()
        assert "catalogue_deactivate" in actions
        assert conn.execute(select(func.count()).select_from(Indicator)).scalar_one() == 38


@pytest.mark.parametrize("who", [CLERK, Identity("lanhdao", "viewer")], ids=["clerk", "viewer"])
def test_only_administrators_change_the_catalogue_and_targets(
    engine: Engine, who: Identity
) -> None:
    with pytest.raises(PermissionDenied):
        catalogue_admin.add(engine, _pair(), identity=who)
    with pytest.raises(PermissionDenied):
        catalogue_admin.deactivate(engine, "masters", identity=who)
    with pytest.raises(PermissionDenied):
        targets.set_target(engine, 2025, 30.0, None, identity=who)


def test_an_agency_target_replaces_the_national_one_on_charts(sample_engine: Engine) -> None:
    national = common_view.target_for(2025, common_view.targets(sample_engine))
    assert national == 60.0
    assert targets.set_target(sample_engine, 2025, 35.0, "THADS", identity=ADMIN)
    assert not targets.set_target(sample_engine, 2025, 35.0, "THADS", identity=ADMIN)
    f = Filters(period_kind="Y", year_from=2024, year_to=2025, agencies=("THADS",))
    trend = leadership_view.female_leader_trend(sample_engine, f)
    assert trend[trend["year"] == 2025]["target"].tolist() == [35.0]
    assert views.overview(sample_engine, f).target == 35.0
    # Another agency, or all of them: the national target.
    other = leadership_view.female_leader_trend(sample_engine, f.with_(agencies=("BHXH",)))
    assert other[other["year"] == 2025]["target"].tolist() == [national]
    with pytest.raises(targets.TargetError, match="từ 0 đến 100"):
        targets.set_target(sample_engine, 2025, 135.0, "THADS", identity=ADMIN)


def _cli(engine: Engine, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    url = engine.url.render_as_string(hide_password=False)
    code = main(["--database-url", url, *args])
    return code, json.loads(capsys.readouterr().out)


def test_cli_catalogue_and_targets(
    sample_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _cli(
        sample_engine,
        *("catalogue", "add", "bhxh_audits", "--label", "Số cuộc thanh tra", "--section", "5.1"),
        *("--agency", "BHXH", "--user", "quantri"),
        capsys=capsys,
    )
    assert code == 0 and out["codes"] == ["bhxh_audits"]
    code, out = _cli(sample_engine, "catalogue", "list", capsys=capsys)
    assert any(r["code"] == "bhxh_audits" and r["agency_code"] == "BHXH" for r in out)
    code, out = _cli(
        sample_engine, "catalogue", "deactivate", "bhxh_audits", "--user", "thuky", capsys=capsys
    )
    assert code == 1 and "không có quyền" in out["message"]
    code, out = _cli(
        sample_engine,
        *("targets", "set", "--year", "2026", "--value", "40", "--agency", "BHXH"),
        *("--user", "quantri"),
        capsys=capsys,
    )
    assert code == 0 and out["changed"]
    code, out = _cli(sample_engine, "targets", "list", "--agency", "BHXH", capsys=capsys)
    assert [(r["year"], r["value_pct"]) for r in out] == [(2026, 40.0)]
