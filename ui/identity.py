"""Who is using the app. Until sign-in lands (issue: roles), everyone is the local secretariat
user with no agency scope; pages and data_access take the identity from here only."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Identity:
    username: str
    role: str  # viewer | secretariat | admin
    agencies: tuple[str, ...] = ()  # agency scope; empty = every agency

    @property
    def display(self) -> str:
        return self.username


def current_identity() -> Identity:
    return st.session_state.get("identity") or Identity("thuky-local", "admin")
