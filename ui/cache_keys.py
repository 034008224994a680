"""The keys the pages' caches take for their arguments: one rule per type, shared by every cached
call in ui/ (issue #18: Streamlit's own hashing of a frame took 3 ms and of a selection 0,3 ms,
and a cached page hashes a dozen of them on every rerun)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from data_access.domain.filters import Filters


def frame_key(frame: pd.DataFrame) -> tuple[bytes | str, ...]:
    """A frame as a cache key: its labels, dtypes and values, numbers as their bytes and the rest
    as the repr of their list (0,3 ms for a chart's frame). Not the frame's pickle: that depends on
    which values share one object, which differs between a result as computed and the same result
    read back from the cache, so a chart's first rerun missed."""
    key: list[bytes | str] = [
        repr(frame.columns.tolist()),
        repr([str(dtype) for dtype in frame.dtypes]),
        repr(frame.index.tolist()),
    ]
    for _, column in frame.items():
        values = column.to_numpy()
        numeric = values.dtype.kind in "biufcmM"
        key.append(np.ascontiguousarray(values).tobytes() if numeric else repr(values.tolist()))
    return tuple(key)


# A selection is keyed by its repr, which names every field (a frozen dataclass of tuples, enums
# and numbers): 3 µs.
HASH_FUNCS: dict[str | type[Any], Callable[[Any], Any]] = {pd.DataFrame: frame_key, Filters: repr}
