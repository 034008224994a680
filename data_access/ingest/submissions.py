"""Validation and change detection for submission files (one row per unit and period)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, overload

import numpy as np
import pandas as pd
from sqlalchemy import Connection, CursorResult, Select, bindparam, select

from data_access.db.catalogue import Catalogue
from data_access.db.engine import frame_of
from data_access.db.models import Period
from data_access.db.value_tables import NARRATIVE_COLUMNS, tables
from data_access.domain.formats import pct, round_half_up
from data_access.domain.periods import PeriodCode, parse_period
from data_access.ingest import validation
from data_access.ingest.errors import WARNING, Problem
from data_access.ingest.headers import SUBMISSION_FIELDS, HeaderMap, map_headers, vocabulary
from data_access.ingest.limits import value_max
from data_access.ingest.reading import RawTable
from data_access.ingest.validation import (
    FEW_UNITS,
    Collector,
    check_active_and_scope,
    check_duplicates,
    check_pairs,
    column,
    parse_value_columns,
    resolve_units,
    shown,
    text_column,
    units_read,
)
from data_access.ingest.values import parse_dates
from data_access.ingest.writes import period_ids_of

# Warnings the secretariat confirms before committing (they do not block).
CHANGE_WARNING_RATIO = 0.5
CHANGE_WARNING_MIN_ABS = 5  # 2 → 4 heads is +100% but not worth a question
MANAGER_SHARE_WARNING = 0.30
KEY = ["unit_id", "period"]
# What a revision keeps of a row, besides the indicator values.
STORED_COLUMNS = ["report_date", "received_at", "batch_id", *NARRATIVE_COLUMNS]
# Stored rows read and compared at a time: the stored rows an upload of 145,000 rows replaces,
# read as one frame, peaked at 630 MB (issue #18: an upload within 300 MB).
STORED_CHUNK_ROWS = 5_000


@dataclass
class SubmissionPlan:
    collector: Collector
    rows: pd.DataFrame  # valid rows: line, unit_id, unit_code, period, report_date, values…
    present: list[str]  # stored columns the file sets (indicators, narratives, report_date)
    catalogue: Catalogue
    units: pd.DataFrame = field(default_factory=pd.DataFrame)  # validation.unit_reference


@lru_cache(maxsize=32)
def _headers(headings: tuple[str, ...], catalogue: Catalogue) -> HeaderMap:
    """The headings mapped to names (read-only): a report form checks the same headings at every
    check and submit, and building the vocabulary each time was a twentieth of a form's check."""
    return map_headers(list(headings), vocabulary(SUBMISSION_FIELDS, catalogue))


def validate(
    conn: Connection,
    table: RawTable,
    catalogue: Catalogue,
    scope: Sequence[str],
    today: dt.date,
    blank_warnings: bool = True,
) -> SubmissionPlan:
    """The file's problems and its valid rows. `blank_warnings=False` leaves out the warnings
    about blank cells and absent columns (the report form shows its blank fields itself)."""
    headers = _headers(tuple(str(h) for h in table.frame.columns), catalogue)
    c = Collector(table, headers)
    for _pos, heading in headers.unknown:
        c.file_error(
            "Cột không xác định: không khớp mã hay tên chỉ tiêu nào trong danh mục.", heading
        )
    for _pos, heading in headers.duplicates:
        c.file_error("Cột bị lặp lại: chỉ tiêu này đã có ở một cột khác.", heading)
    if not headers.names & {"unit_code", "unit_name"}:
        c.file_error("Thiếu cột bắt buộc: Mã đơn vị (unit_code) hoặc Tên đơn vị (unit_name).")
    if "period" not in headers.names:
        c.file_error("Thiếu cột bắt buộc: Kỳ báo cáo (period).")
    indicator_cols = [code for code in catalogue.codes if code in headers.names]
    missing_cols = [
        i
        for i in catalogue.codes
        if i not in headers.names and catalogue.by_code[i].agency_code is None
    ]
    if missing_cols and indicator_cols and blank_warnings:
        c.problems.append(_missing_columns_warning(table.header_line, missing_cols, catalogue))
    if c.errors and (
        not headers.names & {"unit_code", "unit_name"} or "period" not in headers.names
    ):
        return SubmissionPlan(c, pd.DataFrame(), [], catalogue)

    texts, periods = _parse_periods(c, today)
    index, distinct = pd.factorize(texts)  # a few periods: values computed per distinct text
    # Each row's period start and end as numpy dates: a list of date objects made into them
    # cost a quarter of a second at the row cap; rows without a code take them as objects.
    starts, ends = (
        _by_period(index, distinct, periods, bound, dtype="datetime64[ns]")
        for bound in (lambda p: p.start_date, lambda p: p.end_date)
    )
    # The registry read runs beside the number parsing for a large file (see _beside).
    large = table.frame.size > validation.STACK_CELLS
    with _beside(units_read(table, headers), conn, large) as units_future:
        values = _parse_values(c, catalogue, indicator_cols)
        units = units_future()
    ids = resolve_units(c, units, _RowDates(starts), _RowDates(ends))
    check_active_and_scope(c, ids, units, starts, ends, "trong kỳ báo cáo", scope)
    del starts, ends  # a date per row each (issue #18: an upload within 300 MB)
    codes = _by_period(index, distinct, periods, str, missing="")
    if len(ids) > 1:  # a single row (a form) repeats nothing
        keys = pd.DataFrame({"unit_id": ids, "period": codes})
        ok = (ids > 0) & texts.isin(list(periods)).to_numpy()
        unit_col = "unit_code" if "unit_code" in headers.names else "unit_name"
        check_duplicates(c, keys, ok, unit_col, "đơn vị và kỳ báo cáo")
        del keys, ok
    del texts

    stored, _ = tables(catalogue)
    check_pairs(c, values, [(p.female, p.total) for p in catalogue.pairs.values()])
    # Each row's unit by an index lookup (-1: not resolved), its agency and code taken from it.
    at = pd.Index(units["id"]).get_indexer(ids) if len(units) else np.full(len(ids), -1)
    found = at >= 0
    take = np.maximum(at, 0)

    def of_unit(name: str, missing: str | None) -> np.ndarray:
        if not len(units):
            return np.full(len(ids), missing, dtype=object)
        taken: np.ndarray = units[name].to_numpy(dtype=object)[take]
        taken[~found] = missing
        return taken

    agencies = pd.Series(of_unit("agency_code", None), dtype=object)
    _check_agency_indicators(c, values, agencies, catalogue)

    rows = pd.DataFrame(
        {
            "line": np.asarray(table.lines),
            "unit_id": ids,
            "period": codes,
            "unit_code": of_unit("code", ""),
        }
    )
    present = list(indicator_cols)
    if "report_date" in headers.names:
        raw = column(table, headers, "report_date")
        assert raw is not None
        dates, bad = parse_dates(raw)
        if bad.any():
            positions = np.flatnonzero(bad)
            c.add(
                positions,
                "report_date",
                "Ngày không hợp lệ: dùng dạng dd/mm/yyyy.",
                raw.iloc[positions].tolist(),
            )
        rows["report_date"] = dates
        present.append("report_date")
        del raw, dates
    for name in NARRATIVE_COLUMNS:
        narrative = text_column(c, name, stored.c[name], multiline=True)
        if narrative is not None:
            text = narrative.to_numpy(dtype=object)
            rows[name] = np.where(text == "", None, text)  # a blank narrative is stored as NULL
            present.append(name)
    # The parsed values joined as they are (no copy of forty float columns at the row cap).
    rows = pd.concat([rows, values.set_axis(rows.index)], axis=1)

    _warn_ratios(c, values)
    if blank_warnings:
        _warn_missing_values(c, values, agencies, catalogue, indicator_cols)
    del agencies, codes
    if table.frame.size > validation.STACK_CELLS:
        # Every cell is parsed and checked by now: the raw columns left (codes, periods, dates,
        # texts) go before the stored rows are read (issue #18: an upload within 300 MB).
        for position in range(table.frame.shape[1]):
            table.release(position)
    valid = rows.drop(index=sorted(c.blocked)).reset_index(drop=True) if c.blocked else rows
    plan = SubmissionPlan(c, valid, present, catalogue, units)
    _warn_changes(conn, plan)
    return plan


def _parse_values(c: Collector, catalogue: Catalogue, indicator_cols: list[str]) -> pd.DataFrame:
    integer = {code: catalogue.by_code[code].value_type == "int" for code in indicator_cols}
    stored, _ = tables(catalogue)
    maxima = {code: value_max(stored.c[code]) for code in indicator_cols}
    return parse_value_columns(c, indicator_cols, integer, maxima)


@contextlib.contextmanager
def _beside(
    read: Callable[[Connection], pd.DataFrame], conn: Connection, threaded: bool
) -> Iterator[Callable[[], pd.DataFrame]]:
    """`read(conn)` on a second thread while the block runs, its result from the callable given
    (the read's own error raised there); inline when not `threaded` (a form: a thread would cost
    more than its one unit). The driver spends most of a registry read of 50,000 units without
    Python's lock, as Arrow's kernels parsing the numbers do: on two cores the two overlap (a
    file at the row cap: 0.56 → 0.42 s for both). The block must not use `conn` meanwhile."""
    if not threaded:
        yield lambda: read(conn)
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(read, conn)
        try:
            yield future.result
        finally:
            future.cancel()


def _by_period(
    index: np.ndarray,
    distinct: Any,
    periods: dict[str, PeriodCode],
    value: Callable[[PeriodCode], Any],
    missing: Any = None,
    dtype: str | None = None,
) -> Any:
    """Per row, `value` of its period (`missing` for a rejected one); `index` and `distinct` are
    the rows' period texts factorised. A list, or with `dtype` an array of it."""
    table = [value(periods[t]) if t in periods else missing for t in distinct] + [missing]
    if dtype is not None:
        return np.array(table, dtype=dtype)[index]  # index -1 (blank) takes the last
    return np.array(table, dtype=object)[index].tolist()


class _RowDates(Sequence[dt.date | None]):
    """Numpy dates (NaT for none) read as a date or None per row, made only for the rows read
    (resolve_units reads those of units named without a code)."""

    __slots__ = ("_days",)

    def __init__(self, days: np.ndarray) -> None:
        self._days = days

    def __len__(self) -> int:
        return len(self._days)

    @overload
    def __getitem__(self, pos: int) -> dt.date | None: ...
    @overload
    def __getitem__(self, pos: slice) -> list[dt.date | None]: ...
    def __getitem__(self, pos: int | slice) -> dt.date | list[dt.date | None] | None:
        if isinstance(pos, slice):
            return [self[i] for i in range(len(self))[pos]]
        day = self._days[pos]
        return None if np.isnat(day) else pd.Timestamp(day).date()


def _parse_periods(c: Collector, today: dt.date) -> tuple[pd.Series, dict[str, PeriodCode]]:
    """(each row's period text, the accepted periods by text); rejected ones are reported."""
    raw = column(c.table, c.headers, "period")
    assert raw is not None
    # A file holds a handful of distinct periods: parse each once, report per row only errors.
    good: dict[str, PeriodCode] = {}
    wrong: dict[str, str] = {}
    for text in raw.unique():
        try:
            period = parse_period(text) if text else None
        except ValueError as error:
            wrong[text] = str(error)
            continue
        if period is None:
            wrong[text] = "Thiếu kỳ báo cáo."
        elif period.start_date > today:
            wrong[text] = f"Kỳ báo cáo {period} chưa bắt đầu: không nhận báo cáo cho kỳ tương lai."
        else:
            good[text] = period
    if wrong:
        texts = raw.to_numpy(dtype=object)
        positions = np.flatnonzero(raw.isin(list(wrong)).to_numpy())
        c.add(positions, "period", [wrong[texts[p]] for p in positions], texts[positions].tolist())
    return raw, good  # Arrow strings: no Python string per row (9 MB at the row cap)


def _check_agency_indicators(
    c: Collector, values: pd.DataFrame, agencies: pd.Series, catalogue: Catalogue
) -> None:
    """An agency's own indicator may only be reported by that agency's units."""
    agency = agencies.to_numpy(dtype=object)
    known = agencies.notna().to_numpy()
    for code in values.columns:
        owner = catalogue.by_code[code].agency_code
        if owner is None:
            continue
        wrong = ~np.isnan(values[code].to_numpy()) & known & (agency != owner)
        positions = np.flatnonzero(wrong)
        if len(positions):
            messages = [
                f"Chỉ tiêu riêng của ngành {owner}, không áp dụng cho đơn vị thuộc ngành {agencies.iat[p]}."
                for p in positions
            ]
            c.add(positions, code, messages, values[code].iloc[positions].tolist())


def _warn_ratios(c: Collector, values: pd.DataFrame) -> None:
    # numpy, not Series: a form's row paid more for the Series than for the comparisons.
    # Blanks are NaN, and NaN compares false: a blank is never warned about.
    if {"managers_total", "staff_total"} <= set(values.columns):
        managers, staff = values["managers_total"].to_numpy(), values["staff_total"].to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            share = managers / np.where(staff > 0, staff, np.nan)
            positions = np.flatnonzero(share > MANAGER_SHARE_WARNING)
        limit = pct(100 * MANAGER_SHARE_WARNING, 0)  # once, not per row: Babel formats slowly
        # Each distinct share worded once (a file at the row cap warned 8,000 rows of a few
        # thousand), rounded half up as every share shown is (31.25 → 31,3).
        distinct, which = np.unique(100 * share[positions], return_inverse=True)
        worded = [
            f"Lãnh đạo, quản lý chiếm {shown(float(round_half_up(percent, 1)))}% tổng số CCVC, "
            f"NLĐ (trên {limit}): kiểm tra lại."
            for percent in distinct.tolist()
        ]
        messages = [worded[i] for i in which.tolist()]
        c.add(positions, "managers_total", messages, managers[positions].tolist(), WARNING)
    if {"key_leaders_total", "managers_total"} <= set(values.columns):
        leaders, managers = (
            values["key_leaders_total"].to_numpy(),
            values["managers_total"].to_numpy(),
        )
        with np.errstate(invalid="ignore"):
            positions = np.flatnonzero(leaders > managers)
        messages = [
            f"Số lãnh đạo chủ chốt ({leaders[p]:.0f}) lớn hơn số lãnh đạo, "
            f"quản lý ({managers[p]:.0f})."
            for p in positions
        ]
        c.add(positions, "key_leaders_total", messages, leaders[positions].tolist(), WARNING)


def _warn_missing_values(
    c: Collector,
    values: pd.DataFrame,
    agencies: pd.Series,
    catalogue: Catalogue,
    present: list[str],
) -> None:
    """Blank cells of indicators the unit's agency reports."""
    if not present:
        return
    common = [code for code in present if catalogue.by_code[code].agency_code is None]
    if not common:
        return
    # A bool per cell in numpy (values[common].isna().sum(axis=1) took 40 ms at the row cap).
    blank = np.column_stack([np.isnan(values[code].to_numpy(dtype="float64")) for code in common])
    counts = blank.sum(axis=1)
    for pos in np.flatnonzero(counts):
        if pos in c.blocked:
            continue
        missing = [common[at] for at in np.flatnonzero(blank[pos])]
        listed = _labels(missing, catalogue, BLANK_INDICATORS_NAMED)
        c.add([int(pos)], "", f"Thiếu {len(missing)} chỉ tiêu: {listed}.", severity=WARNING)


# A warning names a few indicators, so that it stays one readable line in the problems table.
BLANK_INDICATORS_NAMED = 5
ABSENT_COLUMNS_NAMED = 8


def _labels(codes: list[str], catalogue: Catalogue, named: int) -> str:
    """The first `named` indicators by the labels the secretariat reads (their codes mean
    nothing to it); "; " between them, since a label may hold a comma."""
    shown = "; ".join(catalogue.by_code[code].heading_vi for code in codes[:named])
    return shown + ("…" if len(codes) > named else "")


def _missing_columns_warning(line: int, missing: list[str], catalogue: Catalogue) -> Problem:
    listed = _labels(missing, catalogue, ABSENT_COLUMNS_NAMED)
    return Problem(
        line,
        "",
        f"File không có cột của {len(missing)} chỉ tiêu ({listed}): giá trị đã lưu "
        "của các chỉ tiêu này được giữ nguyên.",
        WARNING,
    )


@lru_cache(maxsize=16)
def _stored_query(catalogue: Catalogue, columns: tuple[str, ...], few_units: bool) -> Select[Any]:
    """The stored submissions of the periods bound as `periods` (codes), only of the units bound
    as `units` with `few_units`: id, unit_id, period (its code), columns. Built once per shape: a
    form's check and submit would build the same statement at every call."""
    submissions, _ = tables(catalogue)
    query = (
        select(
            submissions.c.id,
            submissions.c.unit_id,
            Period.code.label("period"),
            *(submissions.c[name] for name in columns),
        )
        .join(Period, Period.id == submissions.c.period_id)
        .where(Period.code.in_(bindparam("periods", expanding=True)))
    )
    if few_units:  # a form: its unit's rows, not the whole period's
        query = query.where(submissions.c.unit_id.in_(bindparam("units", expanding=True)))
    return query


def _stored_result(
    conn: Connection, plan: SubmissionPlan, columns: Sequence[str]
) -> tuple[CursorResult[*tuple[Any, ...]], set[int]]:
    """The stored rows of the plan's periods (see _stored_query; of its units when they are
    few), and the plan's units."""
    units = set(plan.rows["unit_id"].unique().tolist())
    few = len(units) <= FEW_UNITS
    query = _stored_query(plan.catalogue, tuple(columns), few)
    # The distinct periods first: a Python string per row took 25 ms at the row cap.
    params: dict[str, Any] = {"periods": sorted(set(plan.rows["period"].unique().tolist()))}
    if few:
        params["units"] = sorted(int(u) for u in units)
    elif conn.dialect.name == "postgresql":  # a server-side cursor: psycopg would fetch it all
        query = query.execution_options(yield_per=STORED_CHUNK_ROWS)
    return conn.execute(query, params), units


def existing_rows(conn: Connection, plan: SubmissionPlan, columns: Sequence[str]) -> pd.DataFrame:
    """Stored submissions for the (unit, period) keys of the plan: id, unit_id, period, columns."""
    if plan.rows.empty:
        return pd.DataFrame(columns=["id", "unit_id", "period", *columns])
    result, units = _stored_result(conn, plan, columns)
    frame = frame_of(result)
    return frame[frame["unit_id"].isin(units)].reset_index(drop=True)


def stored_chunks(
    conn: Connection, plan: SubmissionPlan, columns: Sequence[str]
) -> Iterator[pd.DataFrame]:
    """existing_rows STORED_CHUNK_ROWS rows at a time (a chunk's dtypes are its own: a column
    blank throughout a chunk may come as objects)."""
    if plan.rows.empty:
        return
    result, units = _stored_result(conn, plan, columns)
    names = list(result.keys())
    while rows := result.fetchmany(STORED_CHUNK_ROWS):
        frame = pd.DataFrame([tuple(row) for row in rows], columns=names)
        del rows
        frame = frame[frame["unit_id"].isin(units)].reset_index(drop=True)
        if len(frame):
            yield frame


def _warn_changes(conn: Connection, plan: SubmissionPlan) -> None:
    """A stock figure that moved by more than half since the unit's previous report."""
    stocks = [
        code
        for code in plan.present
        if code in plan.catalogue and plan.catalogue.by_code[code].kind == "stock"
    ]
    if plan.rows.empty or not stocks:
        return
    # Arrays and the driver's rows, no frame: a form checks one row, where each pandas step cost
    # more than the comparison itself.
    # Each row's previous period taken through its period's (a few distinct): no Python string
    # per row (50 ms at the row cap).
    codes, distinct = pd.factorize(plan.rows["period"])
    previous = [_previous(str(period)) for period in distinct]
    previous_index = {code: i for i, code in enumerate(sorted(set(previous)))}
    width = len(previous_index)
    previous_at = np.array([previous_index[p] for p in previous], dtype=np.int64)[codes]
    # Each row's previous report by its key, the key as one number (unit × previous period):
    # sorted search in numpy, a chunk of stored rows at a time, not a merge of frames.
    wanted = plan.rows["unit_id"].to_numpy(dtype=np.int64) * width + previous_at
    prior_periods = pd.Categorical.from_codes(previous_at, categories=list(previous_index))
    prior = SubmissionPlan(
        plan.collector,
        pd.DataFrame({"unit_id": plan.rows["unit_id"], "period": prior_periods}),
        [],
        plan.catalogue,
    )
    result, _ = _stored_result(conn, prior, stocks)
    found: list[tuple[int, int, float, Any, float]] = []  # column, row, change %, before, after
    # Each stored row looked up among the file's (keys unique on both sides): arrays the size of
    # a chunk, not of the file, for every chunk; the driver's rows, no frame (a form checks one
    # row, where each pandas step cost more than the comparison itself).
    order = np.argsort(wanted)
    stock_positions = [plan.rows.columns.get_loc(code) for code in stocks]
    while chunk := result.fetchmany(STORED_CHUNK_ROWS):
        keys = np.fromiter((row[1] for row in chunk), dtype=np.int64, count=len(chunk))
        keys *= width
        keys += np.fromiter((previous_index[row[2]] for row in chunk), np.int64, len(chunk))
        at = order[np.minimum(np.searchsorted(wanted, keys, sorter=order), len(wanted) - 1)]
        theirs = np.flatnonzero(wanted[at] == keys)
        if not len(theirs):
            continue
        mine = at[theirs]
        # The stock columns of the matched rows as one matrix: numpy makes a blank (None) NaN
        # and a stored decimal (Decimal on PostgreSQL) a float itself, in C.
        new = plan.rows.iloc[mine, stock_positions].to_numpy(dtype="float64", na_value=np.nan)
        stored: list[tuple[Any, ...]] = [tuple(chunk[int(i)][3:]) for i in theirs]
        before = np.array(stored, dtype="float64").reshape(len(stored), len(stocks))
        change = np.abs(new - before)
        with np.errstate(invalid="ignore"):  # blanks are NaN: they compare false, never flagged
            flagged = (
                (before > 0)
                & (change > CHANGE_WARNING_RATIO * before)
                & (change >= CHANGE_WARNING_MIN_ABS)
            )
        for i, col in zip(*np.nonzero(flagged), strict=True):
            change_pct = 100 * (new[i, col] - before[i, col]) / before[i, col]
            found.append((int(col), int(mine[i]), change_pct, stored[i][col], new[i, col]))
    if not found:
        return
    line_of = plan.rows["line"].to_numpy()
    # The table position of only the lines warned about: a map of every line of a file at the row
    # cap weighs 10 MB (issue #18).
    warned = [int(line_of[at]) for _, at, *_ in found]
    every_line = np.asarray(plan.collector.table.lines)
    positions = np.flatnonzero(np.isin(every_line, warned))
    lines = dict(zip(every_line[positions].tolist(), positions.tolist(), strict=True))
    # Column by column, rows in file order within each: the order the problems were listed in.
    found.sort(key=lambda f: (f[0], f[1]))
    for col, at_row, change_pct, was, now in found:
        plan.collector.add(
            [lines[line_of[at_row]]],
            stocks[col],
            f"Thay đổi {change_pct:+.0f}% so với báo cáo kỳ {previous[codes[at_row]]} ({shown(was)} → {shown(now)}).",
            [now],
            WARNING,
        )


def _previous(period: str) -> str:
    p = parse_period(period)
    return str(PeriodCode(p.year, "H1") if p.kind == "Y" else PeriodCode(p.year - 1, "Y"))


def classify(
    conn: Connection, plan: SubmissionPlan
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """Split valid rows into new, changed (with the stored row's id) and unchanged.

    Returns (new rows, changed rows, stored rows of the changed ones, unchanged count).
    """
    if plan.rows.empty:
        empty = pd.DataFrame(columns=[*KEY, "id"])
        return empty, empty, empty, 0
    stored_cols = STORED_COLUMNS + plan.catalogue.codes
    # Each row's key as one number (unit × period), looked up by sorted search in numpy.
    period_index = {code: i for i, code in enumerate(plan.rows["period"].unique())}
    keys = plan.rows["unit_id"].to_numpy(dtype=np.int64) * len(period_index) + period_ids_of(
        plan.rows["period"], period_index
    )
    order = np.argsort(keys)
    ids = np.full(len(plan.rows), -1, dtype=np.int64)  # the stored id of each row
    differs = np.zeros(len(plan.rows), dtype=bool)
    # The stored rows a chunk at a time; of each, only the rows the file changes are kept.
    kept: list[pd.DataFrame] = []
    template: pd.DataFrame | None = None  # the stored rows' columns, no row
    for old in _matched_chunks(conn, plan, stored_cols, keys, order, period_index):
        template = old.iloc[0:0] if template is None else template
        theirs = old["unit_id"].to_numpy(dtype=np.int64) * len(period_index) + period_ids_of(
            old["period"], period_index
        )
        at = order[np.minimum(np.searchsorted(keys, theirs, sorter=order), len(keys) - 1)]
        hit = keys[at] == theirs
        if not hit.any():
            continue
        old, at = old[hit], at[hit]
        ids[at] = old["id"].to_numpy()
        mine = plan.rows.iloc[at]
        changed_here = np.zeros(len(at), dtype=bool)
        for name in plan.present:
            a = mine[name].reset_index(drop=True)
            b = old[name].reset_index(drop=True)
            if name in plan.catalogue:
                a, b = pd.to_numeric(a).astype(float), pd.to_numeric(b).astype(float)
                same = (a == b) | (a.isna() & b.isna())
            else:
                same = (
                    a.astype(object).where(a.notna(), None)
                    == b.astype(object).where(b.notna(), None)
                ) | (a.isna() & b.isna())
            changed_here |= ~same.to_numpy()
        differs[at] = changed_here
        if changed_here.any():
            kept.append(old[changed_here].assign(_row=at[changed_here]))
    stored = ids >= 0
    new = plan.rows if not stored.any() else plan.rows[~stored]
    if not stored.any():
        none = plan.rows.iloc[0:0].assign(id=ids[:0])
        return new, none, _before_frame([], template, stored_cols), 0
    # Counted, not copied: the stored rows of a re-upload are most of the file (60 MB at the cap).
    changed = plan.rows[differs].assign(id=ids[differs])
    before = _before_frame(kept, template, stored_cols)
    return new, changed, before, int(stored.sum()) - len(changed)


def _matched_chunks(
    conn: Connection,
    plan: SubmissionPlan,
    columns: list[str],
    keys: np.ndarray,
    order: np.ndarray,
    period_index: dict[str, int],
) -> Iterator[pd.DataFrame]:
    """The stored rows of the file's keys (see classify), STORED_CHUNK_ROWS at a time: the keys
    of the periods' stored rows read first, then only the rows the file names, by id. An upload
    of new rows reads no stored row whole (the periods' other rows, forty columns each, took a
    sixth of a second at the row cap)."""
    result, _ = _stored_result(conn, plan, ())
    matched: list[np.ndarray] = []
    while rows := result.fetchmany(STORED_CHUNK_ROWS):
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        unit = np.fromiter((row[1] for row in rows), dtype=np.int64, count=len(rows))
        period = pd.Series([row[2] for row in rows], dtype=object)
        theirs = unit * len(period_index) + period_ids_of(period, period_index)
        at = order[np.minimum(np.searchsorted(keys, theirs, sorter=order), len(keys) - 1)]
        matched.append(ids[keys[at] == theirs])  # the same key: the same unit and period
    wanted = np.sort(np.concatenate(matched)) if matched else np.zeros(0, dtype=np.int64)
    if not len(wanted):
        return
    query = _stored_by_id(plan.catalogue, tuple(columns))
    for start in range(0, len(wanted), STORED_CHUNK_ROWS):
        part = wanted[start : start + STORED_CHUNK_ROWS].tolist()
        result = conn.execute(query, {"ids": part})
        names = list(result.keys())
        yield pd.DataFrame([tuple(row) for row in result.all()], columns=names)


@lru_cache(maxsize=16)
def _stored_by_id(catalogue: Catalogue, columns: tuple[str, ...]) -> Select[Any]:
    """Stored submissions by id (bound as `ids`): id, unit_id, period (its code), columns."""
    submissions, _ = tables(catalogue)
    return (
        select(
            submissions.c.id,
            submissions.c.unit_id,
            Period.code.label("period"),
            *(submissions.c[name] for name in columns),
        )
        .join(Period, Period.id == submissions.c.period_id)
        .where(submissions.c.id.in_(bindparam("ids", expanding=True)))
        .order_by(submissions.c.id)
    )


def _before_frame(
    kept: list[pd.DataFrame], template: pd.DataFrame | None, columns: list[str]
) -> pd.DataFrame:
    """The stored rows of the changed ones, in the file's order: id, unit_id, columns, period
    (as existing_rows gives them); dtypes inferred over the whole, as one read would."""
    if not kept:
        if template is None:
            return pd.DataFrame(columns=["id", "unit_id", "period", *columns])
        return template
    frame = pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0]
    frame = frame.sort_values("_row", kind="stable").drop(columns="_row")
    return frame.reset_index(drop=True).infer_objects()
