"""Rules shared by both kinds of upload: resolving units, numeric checks, the problem list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import ColumnElement, Connection, Select, String, bindparam, cast, select, true

from data_access.db.engine import driver_frame_of
from data_access.db.models import Agency, Unit
from data_access.domain.formats import num
from data_access.domain.text import normalise
from data_access.ingest.errors import ERROR, WARNING, Problem, ProblemList
from data_access.ingest.headers import HeaderMap
from data_access.ingest.limits import MAX_PROBLEMS_LISTED, text_max
from data_access.ingest.memory import give_back
from data_access.ingest.reading import LineNumbers, RawTable
from data_access.ingest.values import arrow_text, clean_text, clean_texts, parse_numbers

MSG_NEGATIVE = "Không được là số âm."
MSG_NOT_INTEGER = "Phải là số nguyên."
MSG_NOT_NUMBER = "Không phải là số."
MSG_NUL = (
    "Có ký tự NUL (mã 0), thường do file bị lưu sai định dạng: mở lại bằng Excel và lưu lại "
    "thành .xlsx hoặc CSV UTF-8."
)


def too_large(maximum: float) -> str:
    return f"Số quá lớn: cơ sở dữ liệu chỉ nhận đến {num(maximum)}."


def too_long(length: int, maximum: int) -> str:
    return f"Dài {num(length)} ký tự, quá giới hạn {num(maximum)} ký tự."


def shown(value: object) -> str:
    """A cell value for a message: 500.0 → '500', 12.5 → '12,5' (Vietnamese decimal comma)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, str):
        return clean_text(value, multiline=False)
    if isinstance(value, (float, np.floating)):
        return (
            f"{value:.0f}"
            if float(value).is_integer()
            else f"{value:.2f}".rstrip("0").replace(".", ",")
        )
    return str(value)


@dataclass
class Collector:
    """Problems gathered over the whole file, with the file rows they block."""

    table: RawTable
    headers: HeaderMap
    problems: ProblemList = field(default_factory=ProblemList)  # bounded: see ProblemList
    blocked: set[int] = field(default_factory=set)  # frame positions of rows with errors

    def heading(self, name: str) -> str:
        pos = self.headers.position(name)
        return str(self.table.frame.columns[pos]) if pos is not None else name

    def file_error(self, message: str, column: str = "") -> None:
        self.problems.append(Problem(self.table.header_line, column, message))

    def add(
        self,
        positions: Sequence[Any] | np.ndarray,
        column: str,
        messages: Sequence[str] | str,
        values: Sequence[object] | None = None,
        severity: str = ERROR,
    ) -> None:
        """One problem per frame position; `column` is a canonical name or a heading."""
        heading = self.heading(column)
        if isinstance(messages, str):
            messages = [messages] * len(positions)
        if len(positions) > MAX_PROBLEMS_LISTED:
            self._add_many(
                np.asarray(positions, dtype=np.int64), heading, messages, values, severity
            )
            return
        for i, pos in enumerate(positions):
            value = "" if values is None else values[i]
            self.problems.append(
                Problem(self.table.lines[int(pos)], heading, messages[i], severity, shown(value))
            )
            if severity == ERROR:
                self.blocked.add(int(pos))

    def _add_many(
        self,
        positions: np.ndarray,
        heading: str,
        messages: Sequence[str],
        values: Sequence[object] | None,
        severity: str,
    ) -> None:
        """add for many positions: every one counted, a Problem made only for the first
        MAX_PROBLEMS_LISTED by row (8,000 ratio warnings of a file at the row cap were each an
        object, a twentieth of its check)."""
        lines = self.table.lines
        rows = (
            np.asarray(lines)[positions]
            if isinstance(lines, LineNumbers)
            else np.array([lines[int(p)] for p in positions], dtype=np.int64)
        )
        first = np.argsort(rows, kind="stable")[:MAX_PROBLEMS_LISTED].tolist()
        listed = [
            Problem(
                int(rows[i]),
                heading,
                messages[i],
                severity,
                shown("" if values is None else values[i]),
            )
            for i in first
        ]
        self.problems.extend(severity, heading, messages, listed)
        if severity == ERROR:
            self.blocked.update(positions.tolist())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.row, p.severity != ERROR, p.column))


def column(table: RawTable, headers: HeaderMap, name: str) -> pd.Series | None:
    pos = headers.position(name)
    if pos is None:
        return None
    series = table.frame.iloc[:, pos]
    if series.index.equals(pd.RangeIndex(len(series))):  # as read: no new index to make
        return series
    return series.reset_index(drop=True)


# A file naming at most this many units reads only theirs (the report form names one): the IN
# list stays short, and reading every unit of the registry (50,000) costs a form 130 ms.
FEW_UNITS = 1_000


def named_unit_codes(table: RawTable, headers: HeaderMap) -> list[str] | None:
    """The distinct unit codes of the rows when every row has one and they are at most
    FEW_UNITS; None otherwise (then the check reads every unit)."""
    codes = column(table, headers, "unit_code")
    if codes is None or bool((codes == "").any()):
        return None
    distinct = codes.unique()
    return [str(code) for code in distinct] if len(distinct) <= FEW_UNITS else None


def units_named(conn: Connection, table: RawTable, headers: HeaderMap) -> pd.DataFrame:
    """unit_reference for checking `table`: only the units its rows name when they name few by
    code and every code is found as typed; else every unit (names too when a row needs them),
    so that names and codes in another letter case resolve as they always have."""
    return units_read(table, headers)(conn)


def units_read(table: RawTable, headers: HeaderMap) -> Callable[[Connection], pd.DataFrame]:
    """units_named in two steps: what to read is taken from `table` now, and the read itself
    (which touches only the database) is returned, to run when and where the caller likes."""
    codes = named_unit_codes(table, headers)
    names = needs_unit_names(table, headers)

    def read(conn: Connection) -> pd.DataFrame:
        if codes is not None:
            units = unit_reference(conn, names=False, codes=codes)
            if set(units["code"]) >= set(codes):
                return units
        return unit_reference(conn, names=names)

    return read


def needs_unit_names(table: RawTable, headers: HeaderMap) -> bool:
    """Whether some row names its unit without a code (then units are looked up by name)."""
    codes = column(table, headers, "unit_code")
    return codes is None or bool((codes == "").any())


@lru_cache(maxsize=4)
def _unit_query(names: bool, by_codes: bool) -> Select[*tuple[Any, ...]]:
    """unit_reference's statement, the codes bound as `codes` (built once per shape: a form's
    check reads its unit at every call)."""
    query: Select[*tuple[Any, ...]] = (
        select(
            Unit.id,
            Unit.code,
            *([Unit.name] if names else []),
            Agency.code.label("agency_code"),
            cast(Unit.active_from, String).label("active_from"),
            cast(Unit.active_to, String).label("active_to"),
            Unit.agency_id,
            Unit.province_id,
            Unit.level,
            Unit.current_province_id,
        )
        .join(Agency, Agency.id == Unit.agency_id)
        .where(Unit.code.in_(bindparam("codes", expanding=True)) if by_codes else true())
    )
    return query


def unit_reference(
    conn: Connection, names: bool = True, codes: Sequence[str] | None = None
) -> pd.DataFrame:
    """id, code, name (only with `names`: decoding fifty thousand names costs more than the rest),
    agency_code, active_from, active_to (datetime64), and the columns the summary groups by
    (agency_id, province_id, level, current_province_id) of every unit, or only of the units
    `codes` name exactly (see units_named for codes typed in another letter case)."""
    # Dates as ISO text parsed in one vectorised call: the driver's per-row date conversion of
    # fifty thousand units costs a third of a second on SQLite.
    query = _unit_query(names, codes is not None)
    result = conn.execute(query, {"codes": sorted(set(codes))} if codes is not None else {})
    frame = driver_frame_of(result)
    for name in ("active_from", "active_to"):
        # ISO dates parsed by numpy in C (None → NaT): pandas' parser cost a form more.
        frame[name] = np.array(
            frame[name].to_numpy(dtype=object, na_value=None), dtype="datetime64[ns]"
        )
    return frame


def _texts(c: Collector, name: str, n: int) -> np.ndarray:
    series = column(c.table, c.headers, name)
    return series.to_numpy(dtype=object) if series is not None else np.full(n, "", dtype=object)


def _ids_by_code(codes: pd.Series, units: pd.DataFrame) -> np.ndarray:
    """The id of the unit each code names exactly, 0 for none: looked up in Arrow, without a
    Python string per row (145,000 of them took 15 MB at the row cap, issue #18)."""
    cells = arrow_text(codes)
    at = pc.index_in(cells, value_set=pa.array(units["code"].tolist(), type=cells.type))
    positions = pc.fill_null(at, -1).to_numpy(zero_copy_only=False)
    return np.where(
        positions >= 0, units["id"].to_numpy(dtype=np.int64)[np.maximum(positions, 0)], 0
    )


def resolve_units(
    c: Collector,
    units: pd.DataFrame,
    starts: Sequence[dt.date | None],
    ends: Sequence[dt.date | None],
) -> np.ndarray:
    """The unit id of each row (0 when unresolved) by code, else by exact name; a name shared by
    several units is resolved to the one active in the row's period."""
    n = len(c.table.frame)
    ids = np.zeros(n, dtype=np.int64)
    codes = column(c.table, c.headers, "unit_code")
    has_code = np.zeros(n, dtype=bool) if codes is None else (codes != "").to_numpy()
    if codes is not None and has_code.any():
        ids[has_code] = _ids_by_code(codes, units)[has_code]
        retry = np.flatnonzero(has_code & (ids == 0))
        if len(retry):  # codes typed in lower case: the few rows as Python strings
            by_upper = pd.Series(units["id"].to_numpy(), index=units["code"].str.upper())
            upper = pd.Series(codes.iloc[retry].to_numpy(dtype=object), dtype=object).str.upper()
            found = upper.map(by_upper[~by_upper.index.duplicated()])
            ids[retry] = found.fillna(0).to_numpy(dtype=np.int64)
        for missing in np.flatnonzero(has_code & (ids == 0)):
            code = codes.iat[missing]
            c.add([missing], "unit_code", f"Không tìm thấy đơn vị có mã {code!r}.", [code])
    if has_code.all():
        return ids
    names = _texts(c, "unit_name", n)
    by_name: dict[str, list[int]] = {}
    for uid, name in zip(units["id"], units["name"], strict=True):
        by_name.setdefault(normalise(name, fold_case=True), []).append(int(uid))
    active = units.set_index("id")[["active_from", "active_to"]]
    for pos in (int(p) for p in np.flatnonzero(~has_code)):
        name = names[pos]
        if not name:
            c.add(
                [pos],
                "unit_code" if c.headers.position("unit_code") is not None else "unit_name",
                "Thiếu mã hoặc tên đơn vị.",
            )
            continue
        candidates = by_name.get(normalise(name, fold_case=True), [])
        if len(candidates) > 1 and starts[pos] is not None:
            candidates = [
                u
                for u in candidates
                if _overlaps(
                    active.at[u, "active_from"], active.at[u, "active_to"], starts[pos], ends[pos]
                )
            ]
        if not candidates:
            c.add([pos], "unit_name", f"Không tìm thấy đơn vị có tên {name!r}.", [name])
        elif len(candidates) > 1:
            c.add([pos], "unit_name", f"Có nhiều đơn vị tên {name!r}: hãy ghi mã đơn vị.", [name])
        else:
            ids[pos] = candidates[0]
    return ids


def _overlaps(
    active_from: pd.Timestamp, active_to: pd.Timestamp, start: dt.date | None, end: dt.date | None
) -> bool:
    if start is None or end is None:
        return True
    return active_from <= pd.Timestamp(end) and (
        pd.isna(active_to) or active_to >= pd.Timestamp(start)
    )


def check_active_and_scope(
    c: Collector,
    ids: np.ndarray,
    units: pd.DataFrame,
    starts: Sequence[dt.date | None] | np.ndarray,
    ends: Sequence[dt.date | None] | np.ndarray,
    what: str,
    scope: Sequence[str],
) -> None:
    """A unit must be active in the period (or on the date) and inside the uploader's scope."""
    # Arrays taken by each row's unit (index lookups and numpy dates): a form's single row paid
    # more for a reindexed frame than for the checks.
    if units.empty:  # then no row resolved to a unit
        return
    resolved = ids > 0
    at = pd.Index(units["id"]).get_indexer(ids)
    at = np.where(resolved & (at >= 0), at, 0)  # unresolved rows read unit 0, never reported
    code = units["code"].to_numpy(dtype=object)
    agency = units["agency_code"].to_numpy(dtype=object)
    unit_col = "unit_code" if c.headers.position("unit_code") is not None else "unit_name"
    outside = resolved & (~np.isin(agency[at], list(scope)) if scope else False)
    for pos in np.flatnonzero(outside):
        unit = at[pos]
        c.add(
            [pos],
            unit_col,
            f"Đơn vị {code[unit]} thuộc ngành {agency[unit]}, ngoài phạm vi được giao "
            f"({', '.join(scope)}).",
            [code[unit]],
        )
    start = np.asarray(starts, dtype="datetime64[ns]")  # None → NaT; numpy dates as they are
    end = np.asarray(ends, dtype="datetime64[ns]")
    active_from = units["active_from"].to_numpy(dtype="datetime64[ns]")[at]
    active_to = units["active_to"].to_numpy(dtype="datetime64[ns]")[at]
    overlaps = (active_from <= end) & (np.isnat(active_to) | (active_to >= start))
    inactive = resolved & ~outside & ~np.isnat(start) & ~overlaps
    for pos in np.flatnonzero(inactive):
        unit = at[pos]
        since = pd.Timestamp(active_from[pos]).strftime("%d/%m/%Y")
        until = (
            "nay" if np.isnat(active_to[pos]) else pd.Timestamp(active_to[pos]).strftime("%d/%m/%Y")
        )
        c.add(
            [pos],
            unit_col,
            f"Đơn vị {code[unit]} không hoạt động {what} (hoạt động từ {since} đến {until}).",
            [code[unit]],
        )


# A table of at most this many cells is parsed as one stacked column per number kind: a form
# (one row of forty columns) pays two calls into Arrow instead of forty. Larger files go column by
# column, so that no stacked copy of every cell is held at once.
STACK_CELLS = 20_000


def _required_position(position: int | None) -> int:
    assert position is not None  # the caller names only columns the headers found
    return position


def _required(series: pd.Series | None) -> pd.Series:
    assert series is not None  # the caller names only columns the headers found
    return series


def _parse_stacked(
    block: np.ndarray, names: Sequence[str], integer: dict[str, bool]
) -> Iterator[tuple[str, tuple[np.ndarray, np.ndarray]]]:
    """(name, (values, not-a-number mask)) of each column of a small table's `block` of cells
    (rows × names), as parse_numbers reads them: one stacked column per number kind."""
    rows = block.shape[0]
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for kind in (True, False):
        picked = [n for n, name in enumerate(names) if integer[name] is kind]
        if not picked:
            continue
        values, bad = parse_numbers(pd.Series(block[:, picked].T.ravel(), dtype=object), kind)
        for n, at in enumerate(picked):
            part = slice(n * rows, (n + 1) * rows)
            out[names[at]] = (values.to_numpy()[part], bad.to_numpy()[part])
    yield from ((name, out[name]) for name in names)


def _parse_one_by_one(
    raws: dict[str, pd.Series], integer: dict[str, bool]
) -> Iterator[tuple[str, tuple[np.ndarray, np.ndarray]]]:
    """The same for a large table, a column at a time as they are asked for."""
    for name in list(raws):  # by name: the caller may drop a column once it is checked
        values, bad = parse_numbers(raws[name], integer[name])
        yield name, (values.to_numpy(), bad.to_numpy())


# Numbers looked at a time by _has_fraction: its scratch (128 KiB) stays under malloc's mmap
# threshold (ingest.memory) and is reused, where a column-sized one was fresh pages each column.
FRACTION_SLICE = 16_384


def _has_fraction(array: np.ndarray) -> bool:
    """Whether a number has a fractional part (|x - trunc(x)| > 0; NaN has none): a slice at a
    time, in one scratch array per slice, not three."""
    for at in range(0, len(array), FRACTION_SLICE):
        part = array[at : at + FRACTION_SLICE]
        scratch = np.trunc(part)
        with np.errstate(invalid="ignore"):  # inf - inf: NaN, no fraction
            np.subtract(part, scratch, out=scratch)
        np.abs(scratch, out=scratch)
        if (scratch > 0).any():
            return True
    return False


def parse_value_columns(
    c: Collector, names: Sequence[str], integer: dict[str, bool], maxima: dict[str, float]
) -> pd.DataFrame:
    """Parse numeric columns; report non-numbers (infinity included) and numbers above what the
    column stores (`maxima`, see limits.py), then check the rest with pandera."""
    parsed_columns: dict[str, np.ndarray] = {}
    broken = False  # a negative number, or a fraction where a whole number is due
    names = list(names)
    positions_of = {name: _required_position(c.headers.position(name)) for name in names}
    # A small table's cells as one block taken at once (a form: one step, not forty column
    # reads); a large one's a column at a time, released once checked (RawTable.release).
    release = len(c.table.frame) * len(names) > STACK_CELLS
    raws: dict[str, pd.Series] = {}
    if release:
        raws = {name: _required(column(c.table, c.headers, name)) for name in names}
        parsed = _parse_one_by_one(raws, integer)
    else:
        block = c.table.frame.iloc[:, [positions_of[n] for n in names]].to_numpy(dtype=object)
        parsed = _parse_stacked(block, names, integer)

    def cells(name: str, at: np.ndarray) -> list[object]:
        return raws[name].iloc[at].tolist() if release else block[at, names.index(name)].tolist()

    for name, (array, bad) in parsed:
        infinite = np.isinf(array)
        bad = bad | infinite
        if bad.any():
            positions = np.flatnonzero(bad)
            c.add(positions, name, MSG_NOT_NUMBER, cells(name, positions))
        above = array > maxima[name]
        over = np.flatnonzero(~infinite & above)
        if len(over):
            c.add(over, name, too_large(maxima[name]), cells(name, over))
        # Refused values are blanks from here on: no other check reports them a second time.
        # A copy only when there are some: each column-sized array is fresh pages to the system.
        refused = infinite | above
        if refused.any():
            array = np.where(refused, np.nan, array)
        parsed_columns[name] = array
        # NaN compares false both ways, so blanks pass these two checks
        broken |= bool((array < 0).any()) or (integer[name] and _has_fraction(array))
        if release:
            del raws[name]
            c.table.release(positions_of[name])
    if release:
        give_back()  # the raw cells' pages (issue #18)
    # copy=False: one block per column as parsed, not a second, consolidated copy of them all.
    values = pd.DataFrame(
        parsed_columns, index=range(len(c.table.frame)), columns=list(names), copy=False
    )
    if not broken:
        return values  # nothing for pandera to report: skip its per-check bookkeeping
    # Imported here: a clean upload never needs it, and it weighs 17 MB in every upload process.
    import pandera.pandas as pa

    schema = pa.DataFrameSchema(
        {
            name: pa.Column(
                float,
                nullable=True,
                checks=[pa.Check.ge(0, error=MSG_NEGATIVE)]
                + (
                    [pa.Check(lambda s: s.isna() | (s % 1 == 0), error=MSG_NOT_INTEGER)]
                    if integer[name]
                    else []
                ),
            )
            for name in names
        }
    )
    try:
        schema.validate(values, lazy=True)
    except pa.errors.SchemaErrors as failures:
        cases = failures.failure_cases.dropna(subset=["index"])
        for (name, message), group in cases.groupby(["column", "check"]):
            c.add(
                group["index"].astype(int).tolist(),
                str(name),
                str(message),
                group["failure_case"].tolist(),
            )
    return values


def check_pairs(
    c: Collector, values: pd.DataFrame, pairs: Sequence[tuple[str, str]], what: str = "Số nữ"
) -> None:
    """The female count may not exceed the total."""
    for female, total in pairs:
        if female in values and total in values:
            # numpy, not Series: a form's row paid more for the Series than for the comparison
            her, all_ = values[female].to_numpy(), values[total].to_numpy()
            with np.errstate(invalid="ignore"):  # blanks are NaN: never over
                positions = np.flatnonzero(her > all_)
            if len(positions):
                messages = [
                    f"{what} ({her[p]:.0f}) lớn hơn tổng số ({all_[p]:.0f})." for p in positions
                ]
                c.add(positions, female, messages, her[positions].tolist())


def check_duplicates(
    c: Collector, keys: pd.DataFrame, ok: np.ndarray, column_name: str, what: str
) -> None:
    """Rows whose natural key repeats an earlier row of the file."""
    usable = keys[ok]
    dup = usable.duplicated(keep="first")
    if not dup.any():
        return
    first_line: dict[tuple[object, ...], int] = {}
    for pos, key in zip(usable.index, map(tuple, usable.to_numpy()), strict=True):
        first_line.setdefault(key, c.table.lines[pos])
    positions = usable.index[dup.to_numpy()].tolist()
    messages = [f"Trùng {what} với dòng {first_line[tuple(usable.loc[p])]}." for p in positions]
    c.add(positions, column_name, messages)


def text_column(
    c: Collector,
    name: str,
    stored: ColumnElement[Any],
    multiline: bool,
    normalise: Callable[[str], str] | None = None,
) -> pd.Series | None:
    """A text column cleaned of control characters (values.clean_text), then `normalise`d, with
    the cells the database would refuse reported: a NUL, or longer than the `stored` column
    holds (limits.text_max). None if the file has no such column."""
    raw = column(c.table, c.headers, name)
    if raw is None:
        return None
    text = arrow_text(raw)  # once, for the three checks in Arrow's kernels
    nul = pc.match_substring(text, "\x00").to_numpy(zero_copy_only=False)
    if nul.any():
        c.add(np.flatnonzero(nul), name, MSG_NUL)
    cleaned = clean_texts(raw, multiline, text)
    if normalise is not None:
        cleaned = cleaned.map(normalise)
    maximum = text_max(stored)
    if cleaned is raw:  # nothing cleaned or normalised: the lengths of the text as read
        lengths = pc.utf8_length(text).to_numpy(zero_copy_only=False)
    else:
        lengths = cleaned.str.len().to_numpy()
    for pos in np.flatnonzero(lengths > maximum):
        c.add([pos], name, too_long(int(lengths[pos]), maximum))
    return cleaned
