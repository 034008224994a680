"""Small tables are parsed as one stacked column per number kind (validation.STACK_CELLS), large
ones column by column: both readings must report the same problems and keep the same values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access import ingest
from data_access.ingest import validation

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 11, 22)
FILES = sorted(p.name for p in DATA.glob("*.csv") if not p.name.startswith("act_"))


def _problems(engine: Engine, name: str) -> list[tuple[int, str, str, str, str]]:
    report = ingest.dry_run(engine, name, (DATA / name).read_bytes(), today=TODAY)
    return sorted((p.row, p.column, p.severity, p.message, p.value) for p in report.problems)


@pytest.mark.parametrize("name", FILES)
def test_stacked_and_column_by_column_readings_agree(
    shared_sample_engine: Engine, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stacked = _problems(shared_sample_engine, name)
    monkeypatch.setattr(validation, "STACK_CELLS", 0)
    assert _problems(shared_sample_engine, name) == stacked


def test_the_files_compared_hold_the_number_problems(shared_sample_engine: Engine) -> None:
    # The comparison above means something only if the files do reach the number checks.
    messages = {
        message for name in FILES for _, _, _, message, _ in _problems(shared_sample_engine, name)
    }
    assert validation.MSG_NOT_NUMBER in messages
    assert {validation.MSG_NEGATIVE, validation.MSG_NOT_INTEGER} <= messages
