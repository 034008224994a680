"""Helpers every leadership page uses: title and filters, empty states, CSV of a chart's data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from data_access.analytics.exports import to_csv_vi
from data_access.domain.filters import Filters
from data_access.domain.formats import num
from data_access.views import takeaways
from ui import cache_keys, data, filters

# How a page can group its table or ranking, as the control and the table heading name it.
GROUP_LABELS = {"agency": "Ngành", "province": "Tỉnh, thành phố"}
# Rows a unit table lists on screen: past a thousand a grid is scrolled, not read, and every
# rerun sends it again (12,000 units without a female key leader at a million submissions); the
# CSV beside it has every row.
TABLE_ROWS_SHOWN = 1_000
EMPTY_MESSAGE = "Không có số liệu cho lựa chọn này. Hãy nới rộng bộ lọc (năm, ngành, tỉnh) hoặc bấm “Xoá bộ lọc”."


def start(title: str, intro: str | None = None) -> Filters:
    """Draw the page title and the shared sidebar filters; return the filters."""
    f = filters.sidebar()
    st.title(title)
    st.caption(filters.describe(f) + (f" · {intro}" if intro else ""))
    return f


def stop_if_empty(frame: pd.DataFrame | None, message: str = EMPTY_MESSAGE) -> None:
    if frame is None or frame.empty:
        stop_empty(message)


def stop_empty(message: str = EMPTY_MESSAGE) -> NoReturn:
    """Say there is nothing to show, and end the run."""
    st.info(message, icon="ℹ️")
    st.stop()


def progress_to(bar: DeltaGenerator) -> Callable[[float, str], None]:
    """A progress callback for data_access (fraction done, Vietnamese step) that moves `bar`."""

    def report(fraction: float, text: str) -> None:
        bar.progress(fraction, text=text)

    return report


def csv_download(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    label: str = "Tải số liệu (CSV)",
) -> None:
    """Every chart offers its data: UTF-8 with BOM so Excel shows the diacritics. The file is
    written when the button is clicked, not on every run (12,000 units without a female key
    leader took 160 ms a rerun to write); `frame` may be a function that reads the rows then
    (a table that lists only its first rows)."""
    rows = frame if callable(frame) else _same(frame.copy(deep=False))
    catalogue = data.catalogue(data.version())  # indicators headed by their labels
    st.download_button(
        label,
        lambda: to_csv_vi(rows(), catalogue),
        f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        on_click="ignore",
    )


def _same(frame: pd.DataFrame) -> Callable[[], pd.DataFrame]:
    # A shallow copy taken by the caller: a column the page adds afterwards is not in the file.
    return lambda: frame


def rows_cut(shown: int, total: int) -> None:
    """Say that a table lists its first `shown` rows of `total`, when it does."""
    if total > shown:
        st.caption(f"Bảng liệt kê {num(shown)} dòng đầu trong {num(total)}; tải CSV để xem đủ.")


def group_choice(
    label: str,
    key: str,
    options: Sequence[str] = ("agency", "province"),
    labels: Mapping[str, str] = GROUP_LABELS,
) -> str:
    """The "by agency / by province" switch above a ranking or a table; the first option is the
    default, and stays chosen when the user clears the control."""
    return (
        st.segmented_control(
            label, list(options), default=options[0], format_func=labels.__getitem__, key=key
        )
        or options[0]
    )


# The sign a takeaway sentence starts with on the page (tests find the sentences by it).
TAKEAWAY_MARK = ":material/insights:"


def takeaway(text: str | None, where: DeltaGenerator | None = None) -> None:
    """The one-line reading of the chart below, from `data_access.views.takeaways`."""
    if text:
        (where or st).markdown(f"{TAKEAWAY_MARK} **{text}**")


def takeaway_of(reading: Callable[..., str | None], *args: Any) -> None:
    """`takeaway(reading(*args))`, the sentence cached by its inputs (a rerun of a cached page
    read its frames again: 1–4 ms a sentence). `reading` is one of `data_access.views.takeaways`."""
    if getattr(takeaways, reading.__name__, None) is not reading:
        raise ValueError(f"{reading.__name__} is not a reading of data_access.views.takeaways")
    takeaway(_reading(reading.__name__, args))


@st.cache_data(
    ttl=cache_keys.CACHE_TTL_SECONDS,
    show_spinner=False,
    max_entries=cache_keys.MAX_ENTRIES,
    hash_funcs=cache_keys.HASH_FUNCS,
)
def _reading(name: str, args: tuple[Any, ...]) -> str | None:
    text: str | None = getattr(takeaways, name)(*args)
    return text
