"""Tile positions of the 34 provinces (2025 code set), north at the top, drawn as a grid map."""

from __future__ import annotations

import pandas as pd

# code: (row, column, short label)
TILES_2025 = {
    "12": (0, 1, "LCh"),
    "15": (0, 2, "LCa"),
    "08": (0, 3, "TQ"),
    "04": (0, 4, "CB"),
    "11": (1, 0, "ĐB"),
    "14": (1, 1, "SL"),
    "25": (1, 2, "PT"),
    "19": (1, 3, "TN"),
    "20": (1, 4, "LS"),
    "01": (2, 2, "HN"),
    "24": (2, 3, "BN"),
    "22": (2, 4, "QN"),
    "37": (3, 2, "NB"),
    "33": (3, 3, "HY"),
    "31": (3, 4, "HP"),
    "38": (4, 2, "TH"),
    "40": (5, 2, "NA"),
    "42": (6, 3, "HT"),
    "44": (7, 3, "QT"),
    "46": (8, 3, "Huế"),
    "48": (9, 4, "ĐN"),
    "51": (10, 4, "QNg"),
    "52": (11, 4, "GL"),
    "66": (12, 3, "ĐL"),
    "56": (12, 4, "KH"),
    "68": (13, 3, "LĐ"),
    "80": (14, 1, "TNi"),
    "79": (14, 2, "HCM"),
    "75": (14, 3, "ĐNa"),
    "91": (15, 0, "AG"),
    "82": (15, 1, "ĐT"),
    "86": (15, 2, "VL"),
    "96": (16, 0, "CM"),
    "92": (16, 1, "CT"),
}


def with_tiles(frame: pd.DataFrame) -> pd.DataFrame:
    """Add tile_row, tile_col and abbr to a frame with 2025 `province_code`s."""
    tiles = pd.DataFrame.from_dict(
        TILES_2025, orient="index", columns=["tile_row", "tile_col", "abbr"]
    )
    return frame.merge(tiles, left_on="province_code", right_index=True, how="left")
