"""Where things go on a 16:9 slide (13.333 × 7.5 in), shared by the PPTX and the PDF writers so
both files look the same. Sizes in inches and points. Every text is at least 14 pt (the back of
a hall): titles 32→24 pt on one line, body 16–24 pt, tables 16 pt (heatmap 14), footer 14 pt.
Nothing is placed outside the slide or over the footer band (:data:`CONTENT_BOTTOM`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from nq05_metrics.fileio import atomic_write

SLIDE_W = 13.333
SLIDE_H = 7.5
INK = "111111"
TITLE_INK = "0B2545"
MUTED = "333333"
ACCENT = "1F6FB2"
WARN = "9A3412"
STRIPE = "F2F4F7"
MIN_PT = 14


@dataclass(frozen=True)
class Box:
    """A rectangle in inches (x, y from the top-left corner)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w


@dataclass(frozen=True)
class TextStyle:
    """Largest and smallest font size (pt) for a text slot; bold; colour (hex, no #)."""

    max_pt: int
    min_pt: int
    bold: bool = False
    color: str = INK


TITLE = Box(0.5, 0.2, 12.33, 0.75)
SUBTITLE = Box(0.5, 0.95, 8.3, 0.5)
BADGE = Box(8.93, 0.98, 3.9, 0.46)
RULE_Y = 1.5
CONTENT_TOP = 1.6
CONTENT_BOTTOM = 6.88
FOOTER = Box(0.5, 6.93, 11.3, 0.45)
PAGE = Box(11.85, 6.93, 0.98, 0.45)
TITLE_STYLE = TextStyle(32, 24, True, TITLE_INK)
SUBTITLE_STYLE = TextStyle(18, 14, False, MUTED)
FOOTER_STYLE = TextStyle(14, 14, False, MUTED)
BADGE_STYLE = TextStyle(18, 18, True, "FFFFFF")

_FULL = Box(0.5, CONTENT_TOP, 12.33, CONTENT_BOTTOM - CONTENT_TOP)
_TABLE = Box(0.5, 1.65, 12.33, CONTENT_BOTTOM - 1.65)

#: Slot boxes per slide kind.
SLOTS: dict[str, dict[str, Box]] = {
    "title": {"conference": Box(0.8, 0.5, 9.3, 0.95), "title": Box(0.8, 1.5, 9.3, 1.45),
              "subtitle": Box(0.8, 3.0, 9.3, 1.05), "meta": Box(0.8, 4.15, 9.3, 1.2),
              "bullets": Box(0.8, 5.4, 9.3, 1.45), "qr": Box(10.45, 2.9, 2.4, 2.4),
              "qr_caption": Box(10.1, 5.35, 3.1, 1.45)},
    "summary": {"tiles": Box(0.5, 1.8, 12.33, 2.7), "bullets": Box(0.5, 4.75, 12.33, 2.1)},
    "overview": {"gauges": _FULL},
    "rest": {"gauges": _FULL},
    "assessment": {"paragraphs": Box(0.6, 1.65, 12.13, CONTENT_BOTTOM - 1.65)},
    "commodity": {"map": Box(0.35, CONTENT_TOP, 5.0, CONTENT_BOTTOM - CONTENT_TOP),
                  "trend": Box(5.5, CONTENT_TOP, 7.45, 3.5),
                  "bullets": Box(5.5, 5.15, 7.45, CONTENT_BOTTOM - 5.15)},
    "table": {"table": _TABLE, "bullets": _TABLE},
    "tasks": {"bullets": Box(0.5, 1.65, 12.33, CONTENT_BOTTOM - 1.65)},
    "method": {"bullets": Box(0.5, 1.65, 12.33, CONTENT_BOTTOM - 1.65)},
    "closing": {"title": Box(0.8, 1.7, 7.6, 1.3), "bullets": Box(0.8, 3.2, 7.6, 3.5),
                "qr": Box(9.0, 1.9, 3.6, 3.6), "qr_caption": Box(8.6, 5.6, 4.4, 1.2)},
}
STYLES: dict[str, dict[str, TextStyle]] = {
    "title": {"conference": TextStyle(24, 16, True, ACCENT),
              "title": TextStyle(40, 28, True, TITLE_INK), "subtitle": TextStyle(24, 16),
              "meta": TextStyle(22, 16), "bullets": TextStyle(18, 14, False, MUTED),
              "qr_caption": TextStyle(14, 14, False, MUTED)},
    "summary": {"bullets": TextStyle(22, 14)},
    "assessment": {"paragraphs": TextStyle(24, 14)},
    "commodity": {"bullets": TextStyle(18, 14)},
    "table": {"bullets": TextStyle(24, 18)},
    "tasks": {"bullets": TextStyle(22, 14)},
    "method": {"bullets": TextStyle(18, 14)},
    "closing": {"title": TextStyle(40, 28, True, TITLE_INK), "bullets": TextStyle(24, 16),
                "qr_caption": TextStyle(14, 14, False, MUTED)},
}
TILE_BIG_PT = 48
TILE_LABEL = TextStyle(20, 14, False, INK)
TILE_GAP = 0.25
#: Gap between paragraphs, in lines (bullets and narrative).
PARA_GAP = 0.35


def slots(kind: str) -> dict[str, Box]:
    """Slot boxes of a slide kind."""
    return SLOTS.get(kind, {})


def style(kind: str, slot: str) -> TextStyle:
    """Text style of a slot (default 18→14 pt)."""
    return STYLES.get(kind, {}).get(slot, TextStyle(18, MIN_PT))


def tile_boxes(area: Box, n: int) -> list[tuple[Box, Box]]:
    """(number box, label box) of ``n`` tiles side by side in ``area``."""
    w = (area.w - TILE_GAP * (n - 1)) / max(1, n)
    out = []
    for i in range(n):
        x = area.x + i * (w + TILE_GAP)
        out.append((Box(x + 0.1, area.y + 0.15, w - 0.2, 1.0),
                    Box(x + 0.1, area.y + 1.2, w - 0.2, area.h - 1.3)))
    return out


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
