"""Text as people type it, made comparable: the one normaliser for names, titles and keys."""

from __future__ import annotations

import unicodedata


def normalise(text: str, *, fold_case: bool = False) -> str:
    """NFC, every run of whitespace as one space, trimmed; with `fold_case`, case-folded too (for
    matching a typed name against a stored one)."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text.casefold() if fold_case else text
