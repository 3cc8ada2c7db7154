"""Where things go on a 16:9 slide (13.333 × 7.5 in), shared by the PPTX and the PDF writers so
both files look the same. Sizes in inches and points; fonts large enough for the back of a hall
(body ≥ 14 pt on picture slides, ≥ 18 pt on text slides).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nq05_metrics.fileio import atomic_write

SLIDE_W = 13.333
SLIDE_H = 7.5
INK = "111111"
TITLE_INK = "0B2545"
MUTED = "444444"
ACCENT = "1F6FB2"
WARN = "9A3412"
#: Average glyph width in em for Vietnamese text in DejaVu Sans / Arial (for line estimates).
EM_WIDTH = 0.55
LINE = 1.22


@dataclass(frozen=True)
class Box:
    """A rectangle in inches (x, y from the top-left corner)."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class TextStyle:
    """Largest and smallest font size (pt) for a text slot; bold; colour (hex, no #)."""

    max_pt: int
    min_pt: int
    bold: bool = False
    color: str = INK


TITLE = Box(0.5, 0.22, 12.33, 0.8)
SUBTITLE = Box(0.5, 0.98, 12.33, 0.45)
RULE_Y = 1.47
FOOTER = Box(0.5, 6.98, 11.4, 0.45)
PAGE = Box(12.0, 6.98, 0.85, 0.45)
TITLE_STYLE = TextStyle(32, 24, True, TITLE_INK)
SUBTITLE_STYLE = TextStyle(18, 14, False, MUTED)
FOOTER_STYLE = TextStyle(10, 8, False, MUTED)

#: Slot boxes and text styles per slide kind.
SLOTS: dict[str, dict[str, Box]] = {
    "title": {"title": Box(0.8, 1.6, 11.7, 1.2), "subtitle": Box(0.8, 2.85, 11.7, 1.1),
              "bullets": Box(0.8, 4.3, 11.7, 2.2)},
    "overview": {"bullets": Box(0.5, 1.65, 4.9, 5.2), "gauges": Box(5.5, 1.6, 7.4, 5.3)},
    "assessment": {"narrative": Box(0.6, 1.65, 12.1, 5.2)},
    "commodity": {"map": Box(0.35, 1.55, 5.2, 4.4), "trend": Box(5.65, 1.55, 7.3, 2.85),
                  "gauges": Box(5.65, 4.45, 7.3, 1.5), "bullets": Box(0.5, 5.98, 12.3, 0.95)},
    "rest": {"gauges": Box(0.5, 1.6, 12.3, 5.3)},
    "behind": {"table": Box(0.5, 1.65, 12.3, 5.2), "bullets": Box(0.5, 1.65, 12.3, 5.2)},
    "sources": {"bullets": Box(0.5, 1.6, 12.3, 5.3)},
}
STYLES: dict[str, dict[str, TextStyle]] = {
    "title": {"title": TextStyle(40, 28, True, TITLE_INK), "subtitle": TextStyle(24, 18),
              "bullets": TextStyle(22, 16, False, MUTED)},
    "overview": {"bullets": TextStyle(24, 16)},
    "assessment": {"narrative": TextStyle(24, 14)},
    "commodity": {"bullets": TextStyle(18, 12)},
    "behind": {"table": TextStyle(16, 12), "bullets": TextStyle(24, 18)},
    "sources": {"bullets": TextStyle(18, 11)},
}
TABLE_COLS = (4.3, 2.6, 1.4, 2.0, 2.0)


def slots(kind: str) -> dict[str, Box]:
    """Slot boxes of a slide kind (the title slide has its own title/subtitle boxes)."""
    return SLOTS.get(kind, {})


def style(kind: str, slot: str) -> TextStyle:
    """Text style of a slot (default 18→12 pt)."""
    return STYLES.get(kind, {}).get(slot, TextStyle(18, 12))


def lines_needed(paragraphs: Iterable[str], width_in: float, pt: float) -> int:
    """Estimated wrapped line count of ``paragraphs`` in a box ``width_in`` wide at ``pt``."""
    per_line = max(8, int(width_in * 72 / (EM_WIDTH * pt)))
    return sum(max(1, math.ceil(len(p) / per_line)) for p in paragraphs)


def fit_pt(paragraphs: Iterable[str], box: Box, st: TextStyle, gap: float = 0.35) -> int:
    """Largest size in [min_pt, max_pt] whose estimated height fits ``box`` (``gap`` = extra
    space between paragraphs, in lines)."""
    paras = list(paragraphs)
    for pt in range(st.max_pt, st.min_pt - 1, -1):
        lines = lines_needed(paras, box.w - 0.2, pt) + gap * max(0, len(paras) - 1)
        if lines * pt * LINE / 72 <= box.h - 0.1:
            return pt
    return st.min_pt


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def fit_picture(data: bytes, box: Box) -> Box:
    """The largest box of the picture's aspect inside ``box``, centred."""
    width, height = png_size(data)
    scale = min(box.w / width, box.h / height)
    w, h = width * scale, height * scale
    return Box(box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h)


def write_atomic(path: Path, data: bytes) -> Path:
    """Write an export atomically (see :func:`nq05_metrics.fileio.atomic_write`): a failed export
    leaves the old file intact."""
    return atomic_write(Path(path), data)
