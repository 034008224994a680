"""The explore page: the table an export of the same selection contains."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine

from data_access.analytics.exports import export_frame
from data_access.domain.filters import Filters


def export_table(engine: Engine, level: str, f: Filters, indicators: Sequence[str]) -> pd.DataFrame:
    """The explore page's table: exactly what an export of the same selection contains."""
    return export_frame(engine, level, f, indicators).frame
