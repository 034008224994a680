"""The summary's difference of an upload by array sums (value_tables._cell_deltas) equals the
group-by of merged, signed rows it replaces, chunk by chunk, on tricky rows: blanks (a cell of
blanks only stays blank), decimals that do not add up exactly in binary, several periods, a
unit twice, rows taken out as well as put in; and an upload's summary still equals a recount,
on both backends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from data_access import ingest
from data_access.db import value_tables
from data_access.db.catalogue import load as load_catalogue
from data_access.db.value_tables import UNIT_GROUP, refresh_summary, tables
from data_access.ingest.validation import unit_reference

COUNTS = ["n_submissions", "n_female_key_leader", "n_key_leaders_reported", "n_late"]
# The due dates of the periods _tricky rows are in.
DUES = pd.Series({3: dt.date(2024, 6, 15), 5: dt.date(2024, 11, 30), 8: dt.date(2025, 6, 15)})
TODAY = dt.date(2026, 11, 22)


def _grouped(
    rows: pd.DataFrame, removed: pd.DataFrame, codes: list[str], units: pd.DataFrame, chunk: int
) -> pd.DataFrame:
    """The way before: each chunk merged with its units, signed, grouped; the sums summed."""
    partials = [
        value_tables._cell_sums(
            value_tables._signed(frame.iloc[start : start + chunk], codes, units, sign, DUES),
            codes,
            COUNTS,
        )
        for frame, sign in ((rows, 1), (removed, -1))
        for start in range(0, len(frame), chunk)
    ]
    return value_tables._cell_sums(pd.concat(partials, ignore_index=True), codes, COUNTS)


def _records(delta: pd.DataFrame, integer: set[str], decimal: set[str]) -> list[dict[str, Any]]:
    """As add_to_summary binds them (sorted by cell: the order of an upsert's rows is free)."""
    records = [
        {k: value_tables._bound(v, k in integer, k in decimal) for k, v in record.items()}
        for record in delta.astype(object).to_dict("records")
    ]
    return sorted(records, key=lambda r: tuple(str(r[k]) for k in ["period_id", *UNIT_GROUP]))


def _tricky(
    units: pd.DataFrame, codes: list[str], seed: int, n: int, decimal: frozenset[str] = frozenset()
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "period_id": rng.choice([3, 5, 8], n),
            "unit_id": rng.choice(units["id"].to_numpy()[:40], n),  # few cells, many rows each
            # Around the due dates: on the day (on time) and the day after (late), or blank.
            "received_at": pd.Timestamp("2024-06-14 23:59:59")
            + pd.to_timedelta(rng.integers(0, 600, n), unit="D"),
        }
    )
    frame.loc[rng.random(n) < 0.1, "received_at"] = pd.NaT
    for i, code in enumerate(codes):
        values = rng.integers(0, 500, n).astype("float64")
        if code in decimal:  # whole numbers elsewhere: validation sees to it
            values = values / 1000 + 0.1 + 0.2  # 0.30000000000000004 and the like
        values[rng.random(n) < 0.3] = np.nan  # blanks
        if i % 5 == 0:
            values[:] = np.nan  # a column blank throughout
        frame[code] = values
    return frame


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("chunk", [7, 1_000_000])
def test_array_sums_equal_the_grouped_sums(
    shared_sample_engine: Engine, seed: int, chunk: int
) -> None:
    with shared_sample_engine.connect() as conn:
        catalogue = load_catalogue(conn)
        units = unit_reference(conn, names=False)
    integer = {c.code for c in catalogue.indicators if c.value_type == "int"}
    decimal = {c.code for c in catalogue.indicators if c.value_type == "decimal"}
    codes = list(dict.fromkeys([*catalogue.codes[:10], "key_leaders_female", *sorted(decimal)]))
    assert decimal & set(codes)  # decimals are among the columns summed
    rows = _tricky(units, codes, seed, 500, frozenset(decimal))
    removed = _tricky(units, codes, seed + 10, 300, frozenset(decimal))
    for taken_out in (removed, rows.iloc[0:0]):
        fast = value_tables._cell_deltas(rows, taken_out, codes, COUNTS, units, DUES)
        assert fast is not None
        before = _grouped(rows, taken_out, codes, units, chunk)
        assert list(fast.columns) == list(before.columns)
        assert _records(fast, integer, decimal) == _records(before, integer, decimal)
        assert fast["n_late"].abs().sum() > 0  # late rows among them


def test_a_unit_unknown_to_the_units_given_takes_the_grouped_way(
    shared_sample_engine: Engine,
) -> None:
    with shared_sample_engine.connect() as conn:
        catalogue = load_catalogue(conn)
        units = unit_reference(conn, names=False)
    codes = catalogue.codes[:3]
    rows = _tricky(units, codes, 4, 20)
    rows.loc[0, "unit_id"] = -1
    assert value_tables._cell_deltas(rows, rows.iloc[0:0], codes, COUNTS, units, DUES) is None


def test_an_upload_of_new_and_changed_rows_leaves_the_summary_a_recount_gives(
    sample_engine: Engine,
) -> None:
    with sample_engine.connect() as conn:
        catalogue = load_catalogue(conn)
        stored, summary = tables(catalogue)
        rows = conn.execute(
            select(stored.c.unit_id, stored.c.period_id, stored.c.staff_total).limit(1)
        ).one()
        period_ids = [r[0] for r in conn.execute(select(summary.c.period_id).distinct())]
    with sample_engine.connect() as conn:
        codes: dict[int, str] = dict(conn.exec_driver_sql("SELECT id, code FROM units").fetchall())
        periods: dict[int, str] = dict(
            conn.exec_driver_sql("SELECT id, code FROM periods").fetchall()
        )
        stored_rows = conn.exec_driver_sql(
            "SELECT unit_id, period_id, staff_total, staff_female FROM submissions "
            "ORDER BY period_id DESC, unit_id LIMIT 40"
        ).fetchall()
    lines = ["unit_code,period,staff_total,staff_female,docs_issued"]
    for i, (unit_id, period_id, total, female) in enumerate(stored_rows):
        total_cell = "" if i % 4 == 0 else str((total or 0) + i)  # erased, changed
        female_cell = "" if i % 6 == 0 else str(female if female is not None else "")
        lines.append(f"{codes[unit_id]},{periods[period_id]},{total_cell},{female_cell},{i}")
    assert rows is not None and period_ids
    report = ingest.commit(
        sample_engine,
        "mix.csv",
        ("\n".join(lines) + "\n").encode(),
        user="thuky",
        accept_warnings=True,
        today=TODAY,
    )
    assert report.committed, report.message
    with sample_engine.connect() as conn:
        after = pd.DataFrame(conn.execute(select(summary)).mappings().all())
    with sample_engine.begin() as conn:
        refresh_summary(conn, catalogue, period_ids)
    with sample_engine.connect() as conn:
        recount = pd.DataFrame(conn.execute(select(summary)).mappings().all())
    keys = ["period_id", "agency_id", "province_id", "level"]
    pd.testing.assert_frame_equal(
        after.sort_values(keys).reset_index(drop=True).astype(float, errors="ignore"),
        recount.sort_values(keys).reset_index(drop=True).astype(float, errors="ignore"),
        check_dtype=False,
        check_exact=False,
        rtol=1e-9,
    )
