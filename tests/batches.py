"""The batch a committed write made, typed for the tests that roll it back."""

from __future__ import annotations

from typing import Protocol


class _Written(Protocol):
    @property
    def batch_id(self) -> int | None: ...


def committed_batch(report: _Written) -> int:
    """`report.batch_id`, failing the test when the write did not commit (no batch)."""
    assert report.batch_id is not None, "the write did not commit: no batch"
    return report.batch_id
