"""The province tile map labels each tile with a name a reader recognises ("Lai Châu", not "LCh")."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.domain.province_sets import ProvinceSet
from data_access.queries.lookups import provinces
from ui import tilemap

# Where the province's own name does not fit a tile, the form everyone writes.
ABBREVIATED = {"79": "TP.HCM"}


def test_every_tile_is_labelled_with_its_province_name(shared_sample_engine: Engine) -> None:
    ref = provinces(shared_sample_engine, ProvinceSet.CURRENT).set_index("code")["short_name"]
    tiles = tilemap.with_tiles(pd.DataFrame({"province_code": list(ref.index)}))
    assert tiles["abbr"].notna().all()
    for code, label in zip(tiles["province_code"], tiles["abbr"], strict=True):
        assert label == ABBREVIATED.get(code, ref[code]), (code, label)


@pytest.mark.parametrize("code", sorted(tilemap.TILES_2025))
def test_labels_fit_a_tile(code: str) -> None:
    assert len(tilemap.TILES_2025[code][2]) <= tilemap.LABEL_MAX_CHARS
