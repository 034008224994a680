"""“Tải bản tóm tắt”: the briefing pack of the current filters (A4 PDF or PowerPoint), offered in
the sidebar of every leadership page by one call, `offer(f)`."""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine

from data_access.domain.filters import Filters
from ui import data

# Format → (label, MIME type, renderer module and function). The renderers are imported on the
# first click: with their chart and document libraries they cost the first page of a new server
# process most of a second of CPU, for a button few press.
FORMATS: dict[str, tuple[str, str, str]] = {
    "pdf": ("PDF", "application/pdf", "data_access.documents.briefing_pdf:to_pdf"),
    "pptx": (
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "data_access.documents.briefing_pptx:to_pptx",
    ),
}


def _renderer(fmt: str) -> Callable[..., bytes]:
    module, name = FORMATS[fmt][2].split(":")
    render: Callable[..., bytes] = getattr(importlib.import_module(module), name)
    return render


def _build(engine: Engine, f: Filters, fmt: str) -> bytes:
    """Runs on click, outside the script run (no Streamlit call here): rendering the charts takes
    a second or two, which no page should pay on every rerun."""
    from data_access.documents.briefing import BriefingError, briefing

    try:
        return _renderer(fmt)(briefing(engine, f))
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
