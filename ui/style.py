"""The app's own style sheets, given to every page by the router."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PRINT_CSS = Path(__file__).with_name("print.css")


def apply() -> None:
    """Add the print style sheet to this run. A style-only st.html goes to Streamlit's event
    container, so it takes no room on the page; it belongs to the run, hence one call a run."""
    st.html(PRINT_CSS)
