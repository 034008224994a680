"""A large submissions file is read while every unit is read from the database (a thread reads
the file): the dry run and the commit report what they report when the units are read after
the file, for files naming their units by code, in lower case, by name, unknown units, and
files refused outright, on both backends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, text

from data_access import ingest
from data_access.ingest import limits

TODAY = dt.date(2026, 11, 22)


def _units(engine: Engine, count: int) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [
            (code, name)
            for code, name in conn.execute(
                text(
                    "SELECT code, name FROM units WHERE active_to IS NULL AND name NOT IN "
                    "(SELECT name FROM units GROUP BY name HAVING count(*) > 1) "
                    "ORDER BY code LIMIT :n"
                ),
                {"n": count},
            )
        ]


def _file(engine: Engine, kind: str) -> bytes:
    units = _units(engine, 40)
    lines = ["unit_code,unit_name,period,staff_total,staff_female"]
    for i, (code, name) in enumerate(units):
        if kind == "lower" and i % 4 == 0:
            code = code.lower()
        if kind == "names" and i % 5 == 0:
            code = ""
        if kind == "unknown" and i % 7 == 0:
            code = f"KHONG-CO-{i}"
        lines.append(f'{code},"{name}",2026-H1,{10 + i},{i % 9}')
    return ("\n".join(lines) + "\n").encode()


def _report(report: Any) -> tuple[Any, ...]:
    return (
        report.message,
        report.total_rows,
        report.inserted,
        report.updated,
        report.unchanged,
        report.rejected,
        report.error_count,
        report.warning_count,
        [(p.row, p.column, p.message, p.severity, p.value) for p in report.problems],
        report.problem_counts,
    )


@pytest.mark.parametrize("kind", ["codes", "lower", "names", "unknown"])
def test_a_dry_run_reports_the_same_with_the_units_read_ahead(
    sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    content = _file(sample_engine, kind)
    reports = []
    for ahead in (0, 1 << 40):  # every file read alongside the units; none
        monkeypatch.setattr(ingest, "UNITS_AHEAD_BYTES", ahead)
        reports.append(_report(ingest.dry_run(sample_engine, "a.csv", content, today=TODAY)))
    assert reports[0] == reports[1]
    assert sum(reports[0][2:5]) + reports[0][5] == 40
    assert (reports[0][6] > 0) is (kind == "unknown")


def test_a_commit_with_the_units_read_ahead_writes_what_the_former_check_writes(
    sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _file(sample_engine, "names")
    monkeypatch.setattr(ingest, "UNITS_AHEAD_BYTES", 0)
    first = ingest.commit(
        sample_engine, "a.csv", content, user="thuky", accept_warnings=True, today=TODAY
    )
    assert first.committed and first.inserted + first.updated + first.unchanged == 40
    again = ingest.commit(
        sample_engine, "a.csv", content, user="thuky", accept_warnings=True, today=TODAY
    )
    assert not again.committed and again.unchanged == 40  # idempotent
    with sample_engine.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT u.code, s.staff_total FROM submissions s JOIN units u ON u.id = s.unit_id "
                "JOIN periods p ON p.id = s.period_id WHERE p.code = '2026-H1' AND u.code IN :c "
                "ORDER BY u.code"
            ).bindparams(bindparam("c", expanding=True)),
            {"c": [code for code, _ in _units(sample_engine, 40)]},
        ).all()
    expected = sorted((code, 10 + i) for i, (code, _) in enumerate(_units(sample_engine, 40)))
    assert [tuple(r) for r in stored] == expected


@pytest.mark.parametrize(
    "content",
    [
        ",".join(f"c{i}" for i in range(limits.MAX_COLUMNS + 1)).encode() + b"\n1\n",
        b"unit_code,period\n",
    ],
)
def test_a_file_refused_outright_is_refused_alike(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    reports = []
    for ahead in (0, 1 << 40):
        monkeypatch.setattr(ingest, "UNITS_AHEAD_BYTES", ahead)
        reports.append(_report(ingest.dry_run(shared_sample_engine, "a.csv", content, today=TODAY)))
    assert reports[0] == reports[1]
    assert reports[0][6] == 1  # one error: the refusal
