"""Tile positions of the 34 provinces (2025 code set), north at the top, drawn as a grid map."""

from __future__ import annotations

import pandas as pd

# code: (row, column, label): the name a reader recognises, not an initialism ("LCh").
# A label longer than this does not fit its tile at the map's font size.
LABEL_MAX_CHARS = 11
# code: (row, column, label)
TILES_2025 = {
    "12": (0, 1, "Lai Châu"),
    "15": (0, 2, "Lào Cai"),
    "08": (0, 3, "Tuyên Quang"),
    "04": (0, 4, "Cao Bằng"),
    "11": (1, 0, "Điện Biên"),
    "14": (1, 1, "Sơn La"),
    "25": (1, 2, "Phú Thọ"),
    "19": (1, 3, "Thái Nguyên"),
    "20": (1, 4, "Lạng Sơn"),
    "01": (2, 2, "Hà Nội"),
    "24": (2, 3, "Bắc Ninh"),
    "22": (2, 4, "Quảng Ninh"),
    "37": (3, 2, "Ninh Bình"),
    "33": (3, 3, "Hưng Yên"),
    "31": (3, 4, "Hải Phòng"),
    "38": (4, 2, "Thanh Hóa"),
    "40": (5, 2, "Nghệ An"),
    "42": (6, 3, "Hà Tĩnh"),
    "44": (7, 3, "Quảng Trị"),
    "46": (8, 3, "Huế"),
    "48": (9, 4, "Đà Nẵng"),
    "51": (10, 4, "Quảng Ngãi"),
    "52": (11, 4, "Gia Lai"),
    "66": (12, 3, "Đắk Lắk"),
    "56": (12, 4, "Khánh Hòa"),
    "68": (13, 3, "Lâm Đồng"),
    "80": (14, 1, "Tây Ninh"),
    "79": (14, 2, "TP.HCM"),
    "75": (14, 3, "Đồng Nai"),
    "91": (15, 0, "An Giang"),
    "82": (15, 1, "Đồng Tháp"),
    "86": (15, 2, "Vĩnh Long"),
    "96": (16, 0, "Cà Mau"),
    "92": (16, 1, "Cần Thơ"),
}


def with_tiles(frame: pd.DataFrame) -> pd.DataFrame:
    """Add tile_row, tile_col and abbr to a frame with 2025 `province_code`s."""
    tiles = pd.DataFrame.from_dict(
        TILES_2025, orient="index", columns=["tile_row", "tile_col", "abbr"]
    )
    return frame.merge(tiles, left_on="province_code", right_index=True, how="left")
