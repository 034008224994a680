"""The pages' cache policy: how long a result is kept, how many are kept, and the keys the
arguments take (one rule per type, shared by every cached call in ui/: Streamlit's own hashing of
a frame took 3 ms and of a selection 0,3 ms, and a cached page hashes a dozen on every rerun)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from data_access.domain.filters import Filters

# A cached result is dropped after this long even when nothing changed (bounds memory).
CACHE_TTL_SECONDS = 3600
# Results kept per panel: a few dozen filter selections per panel and user stay warm, and twenty
# panels together stay near the two thousand results one process could afford before the split.
MAX_ENTRIES = 100


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
