"""User text on the way out: what a Word document, a spreadsheet or a browser can take.

Uploads are cleaned on the way in, but rows stored earlier (or written by other tools) may still
hold control characters, so every output cleans again. `markdown_literal` (for Streamlit's
Markdown elements) shows text exactly as typed: no image fetched, no link, heading or colour.
"""

from __future__ import annotations

import re

# Vertical tab and form feed are line and page breaks in Word and Excel text: keep a line break.
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\u2028\u2029]")
# Everything XML 1.0 refuses (python-docx, openpyxl) plus the C1 controls and DEL: invisible on
# screen, and some make a document unreadable.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\s*\n\s*")
# CommonMark: a backslash before any ASCII punctuation makes it a literal character.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def clean_text(text: str) -> str:
    """The text without control characters; line breaks as "\\n"; tabs kept."""
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


def one_line(text: str) -> str:
    """Cleaned, with line breaks (and the spaces around them) as one space: for a cell that must
    not become two rows, or a line of a list."""
    return _LINE_BREAKS.sub(" ", clean_text(text))


def markdown_literal(text: str) -> str:
    """Markdown that shows `text` as typed, line breaks kept."""
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", clean_text(text))
    # Two trailing spaces: a hard line break, where a plain newline would join the lines.
    return "  \n".join(escaped.split("\n"))
