"""“Tải bản tóm tắt”: the briefing pack of the current filters (A4 PDF or PowerPoint), offered in
the sidebar of every leadership page by one call, `offer(f)`."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine

from data_access.documents.briefing import BriefingError, briefing
from data_access.documents.briefing_pdf import to_pdf
from data_access.documents.briefing_pptx import to_pptx
from data_access.domain.filters import Filters
from ui import data

FORMATS: dict[str, tuple[str, str, Callable[..., bytes]]] = {
    "pdf": ("PDF", "application/pdf", to_pdf),
    "pptx": (
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        to_pptx,
    ),
}


def _build(engine: Engine, f: Filters, fmt: str) -> bytes:
    """Runs on click, outside the script run (no Streamlit call here): rendering the charts takes
    a second or two, which no page should pay on every rerun."""
    try:
        return FORMATS[fmt][2](briefing(engine, f))
    except BriefingError:  # an empty selection: the page already says there is nothing to show
        logging.getLogger(__name__).info("briefing of an empty selection %s", f)
        raise


def offer(f: Filters) -> None:
    """The two download buttons, at the foot of the sidebar's filters."""
    engine = data.engine()
    with st.sidebar:
        st.markdown("**Tải bản tóm tắt**")
        st.caption("Số liệu chính, xu hướng, mục tiêu, nơi cần quan tâm và ghi chú của bộ lọc này.")
        for fmt, (label, mime, _) in FORMATS.items():
            st.download_button(
                f"Tải bản tóm tắt ({label})",
                functools.partial(_build, engine, f, fmt),
                f"ban_tom_tat.{fmt}",
                mime=mime,
                key=f"brief_{fmt}",
                on_click="ignore",
                width="stretch",
            )
