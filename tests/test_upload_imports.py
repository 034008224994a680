"""An upload process imports only what a CSV upload needs: openpyxl (13 MB), alembic (11 MB) and
charset_normalizer load when an Excel file, a catalogue change or a legacy encoding needs them
(issue #18: an upload at the row cap within 300 MB)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from openpyxl.utils import get_column_letter as openpyxl_letter

from data_access.ingest.reading import get_column_letter

LAZY = ["openpyxl", "alembic", "charset_normalizer"]


def test_importing_the_upload_leaves_the_heavy_readers_out() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, data_access.ingest; "
            f"print(' '.join(m for m in {LAZY!r} if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert loaded == []


@pytest.mark.parametrize("number", [1, 2, 26, 27, 52, 53, 702, 703, 16384, 18278])
def test_column_letters_are_openpyxls(number: int) -> None:
    assert get_column_letter(number) == openpyxl_letter(number)
