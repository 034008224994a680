"""The pages' charts as PNG images for the generated documents (Word report, briefing pack).

The Vega-Lite specs come from `chart_specs`, the builders the pages draw, and are rendered by
vl-convert (Vega's own renderer, no browser). Text is set in the vendored DejaVu Sans, so a fresh
machine renders the Vietnamese diacritics without any system font.
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path
from typing import Any

import vl_convert

FONT_DIR = Path(__file__).parent / "fonts"
FONT_FAMILY = "DejaVu Sans"
# Pixels per CSS pixel: sharp when printed at the chart's width on A4 (about 300 dpi at 16 cm).
SCALE = 2
# The chart's size in CSS pixels when the spec leaves it to the page (Streamlit sizes it there).
DEFAULT_WIDTH = 600
DEFAULT_HEIGHT = 260

_fonts_registered = threading.Lock()
_registered = False


def _register_fonts() -> None:
    global _registered
    with _fonts_registered:
        if not _registered:
            vl_convert.register_font_directory(str(FONT_DIR))
            _registered = True


def png(spec: dict[str, Any], width: int = DEFAULT_WIDTH, height: int = DEFAULT_HEIGHT) -> bytes:
    """The spec as a PNG image, `width` × `height` CSS pixels for its plot area unless the spec
    sets its own size."""
    _register_fonts()
    sized = copy.deepcopy(spec)
    sized.setdefault("width", width)
    if "height" not in sized:
        sized["height"] = height
    config = sized.setdefault("config", {})
    config["font"] = FONT_FAMILY
    config.setdefault("background", "white")
    data: bytes = vl_convert.vegalite_to_png(sized, scale=SCALE)
    return data
