"""Steps of an upload made cheaper give what their former way gives (kept here as reference):
the summary's cell sums by weighted counts (blanks weigh 0) equal a group-by of the signed rows;
the warnings about blank cells and about the managers' share are the same problems, worded
the same, for the same rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.db import value_tables
from data_access.db.catalogue import Catalogue
from data_access.db.catalogue import load as load_catalogue
from data_access.domain.formats import pct, round_half_up
from data_access.ingest import submissions
from data_access.ingest.errors import WARNING
from data_access.ingest.headers import HeaderMap
from data_access.ingest.reading import LineNumbers, RawTable
from data_access.ingest.validation import Collector, shown

CODES = ["staff_total", "staff_female", "key_leaders_female", "thads_money_eligible_bn"]
COUNTS = ["n_submissions", "n_female_key_leader", "n_key_leaders_reported", "n_late"]
# The due date of each period id the rows use: received after it, a report counts as late.
DUES = pd.Series(
    {3: dt.date(2024, 6, 15), 8: dt.date(2024, 11, 30), 9: dt.date(2025, 6, 15)}, dtype="object"
)


def _units(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "agency_id": rng.integers(1, 4, n),
            "province_id": pd.array(rng.integers(1, 5, n), dtype="Int64"),
            "level": rng.choice(np.array(["tw", "tinh", None], dtype=object), n),
            "current_province_id": pd.Series(rng.integers(1, 5, n), dtype="Int64").mask(
                rng.random(n) < 0.2
            ),
        }
    )


def _rows(n: int, units: int, seed: int, blank: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {"unit_id": rng.integers(1, units + 1, n), "period_id": rng.choice([3, 8, 9], n)}
    )
    # Received up to ten days either side of the period's due date, at any time of day.
    due = pd.to_datetime(frame["period_id"].map(DUES))
    frame["received_at"] = due + pd.to_timedelta(rng.integers(-10 * 86_400, 10 * 86_400, n), "s")
    for code in CODES:
        values = rng.integers(0, 50, n).astype(float)
        if code.endswith("_bn"):
            values = values / 8 - 2  # fractions, negatives, -0.0
        values[rng.random(n) < blank] = np.nan
        frame[code] = values
    return frame


@pytest.mark.parametrize("blank", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("removed_rows", [0, 150])
def test_cell_sums_by_weights_equal_the_group_by_of_the_signed_rows(
    blank: float, removed_rows: int
) -> None:
    units = _units(40)
    rows = _rows(400, 40, 1, blank)
    removed = _rows(removed_rows, 40, 2, blank) if removed_rows else rows.iloc[0:0]
    delta = value_tables._cell_deltas(rows, removed, CODES, COUNTS, units, DUES)
    assert delta is not None
    parts = [
        value_tables._cell_sums(
            value_tables._signed(frame, CODES, units, sign, DUES), CODES, COUNTS
        )
        for frame, sign in ((rows, 1), (removed, -1))
        if len(frame)
    ]
    former = value_tables._cell_sums(pd.concat(parts, ignore_index=True), CODES, COUNTS)
    keys = ["period_id", *value_tables.UNIT_GROUP]
    former = former.sort_values(keys, kind="stable").reset_index(drop=True)
    assert len(delta) == len(former)
    for code in CODES:  # the same sums, blank where every value was
        np.testing.assert_array_equal(
            delta[code].to_numpy(dtype=float), former[code].to_numpy(dtype=float)
        )
    for name in COUNTS:
        assert delta[name].tolist() == former[name].tolist()


def _collector(rows: int) -> Collector:
    frame = pd.DataFrame({"managers_total": [""] * rows})
    table = RawTable(frame, LineNumbers(np.arange(2, rows + 2)), 1, "utf-8", ",")
    return Collector(table, HeaderMap({0: "managers_total"}, [], []))


def _former_missing(
    c: Collector, values: pd.DataFrame, catalogue: Catalogue, present: list[str]
) -> None:
    """The former _warn_missing_values: a frame of blanks, counted per row by pandas."""
    common = [code for code in present if catalogue.by_code[code].agency_code is None]
    blank = values[common].isna()
    counts = blank.sum(axis=1).to_numpy()
    for pos in np.flatnonzero(counts):
        if pos in c.blocked:
            continue
        missing = [code for code in common if blank.iat[pos, common.index(code)]]
        listed = submissions._labels(missing, catalogue, submissions.BLANK_INDICATORS_NAMED)
        c.add([int(pos)], "", f"Thiếu {len(missing)} chỉ tiêu: {listed}.", severity=WARNING)


def _problems(c: Collector) -> list[tuple[object, ...]]:
    return [(p.row, p.column, p.message, p.severity, p.value) for p in c.problems]


def test_blank_cells_are_warned_about_as_before(shared_sample_engine: Engine) -> None:
    with shared_sample_engine.connect() as conn:
        catalogue = load_catalogue(conn)
    rng = np.random.default_rng(3)
    present = catalogue.codes[:12] + [c.code for c in catalogue.indicators if c.agency_code][:2]
    values = pd.DataFrame({code: np.where(rng.random(300) < 0.2, np.nan, 5.0) for code in present})
    agencies = pd.Series(["BHXH"] * 300, dtype=object)
    new, former = _collector(300), _collector(300)
    for c in (new, former):
        c.blocked.update({4, 17, 250})
    submissions._warn_missing_values(new, values, agencies, catalogue, present)
    _former_missing(former, values, catalogue, present)
    assert _problems(new) == _problems(former)
    assert len(_problems(new)) > 100


def test_the_managers_share_is_worded_as_before() -> None:
    rng = np.random.default_rng(5)
    staff = rng.integers(0, 40, 2_000).astype(float)
    managers = rng.integers(0, 30, 2_000).astype(float)
    staff[::13] = np.nan
    managers[::17] = np.nan
    values = pd.DataFrame(
        {"managers_total": managers, "staff_total": staff, "key_leaders_total": managers / 2}
    )
    c = _collector(2_000)
    submissions._warn_ratios(c, values)
    shares = [p for p in _problems(c) if p[1] == "managers_total"]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = managers / np.where(staff > 0, staff, np.nan)
    positions = np.flatnonzero(share > submissions.MANAGER_SHARE_WARNING)
    limit = pct(100 * submissions.MANAGER_SHARE_WARNING, 0)
    former = _collector(2_000)
    former.add(
        positions,
        "managers_total",
        [
            f"Lãnh đạo, quản lý chiếm {shown(float(round_half_up(100 * share[p], 1)))}% tổng số CCVC, NLĐ "
            f"(trên {limit}): kiểm tra lại."
            for p in positions
        ],
        managers[positions].tolist(),
        WARNING,
    )
    assert shares == _problems(former)
    assert c.problems.counts()[: len(former.problems.counts())] == former.problems.counts()
    assert former.problems.totals[WARNING] > 300
