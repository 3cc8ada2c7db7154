"""Text measured, not estimated: wrapped line counts and widths in DejaVu Sans (the PDF's font,
the pictures' font; wider than Arial, which the PPTX uses, so a text that fits here fits there).

Used to split tables by the height of their rows, to fit titles on one line and to choose a font
size for a text box, identically for the PPTX and the PDF. Pure; one fpdf instance per process
does the measuring (fpdf's own line breaking, the one the PDF uses).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache

from fpdf import FPDF

from nq05_metrics.export import render

#: Line height as a multiple of the font size (both writers use it).
LINE = 1.22
#: Inner padding of a table cell and of a text box, inches (both writers use it).
CELL_PAD = 0.045
BOX_PAD = 0.05
#: fpdf's inner cell margin (1 mm each side) inside every multi_cell.
FPDF_CELL_MARGIN = 1 / 25.4
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _pdf() -> FPDF:
    pdf = FPDF(unit="in")
    pdf.add_font("DejaVu", "", str(render.FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(render.FONT_BOLD))
    pdf.add_page()
    return pdf


@lru_cache(maxsize=8192)
def _char_em(char: str, bold: bool) -> float:
    """Advance width of one character in em (DejaVu Sans, as fpdf sets it)."""
    with _lock:
        pdf = _pdf()
        pdf.set_font("DejaVu", "B" if bold else "", 100)
        return float(pdf.get_string_width(char)) * 72 / 100


def _em(text: str, bold: bool) -> float:
    return sum(_char_em(c, bold) for c in text)


def width_in(text: str, pt: float, bold: bool = False) -> float:
    """Width of one line of ``text`` at ``pt`` points, inches (no kerning, as fpdf writes)."""
    return _em(text, bold) * pt / 72


@lru_cache(maxsize=8192)
def lines(text: str, box_w: float, pt: float, bold: bool = False) -> int:
    """Lines ``text`` wraps into in a column ``box_w`` inches wide at ``pt``: greedy breaking at
    spaces (fpdf's rule; a word wider than the column is cut); explicit newlines count."""
    if box_w <= 0:
        return 1
    limit = (box_w - 2 * FPDF_CELL_MARGIN) * 72 / pt  # width fpdf writes into, in em
    space = _char_em(" ", bold)
    count = 0
    for para in text.split("\n"):
        count += 1
        used = 0.0
        for word in para.split(" "):
            w = _em(word, bold)
            if used and used + space + w > limit:
                count += 1
                used = 0.0
            elif used:
                used += space
            if w <= limit:
                used += w
                continue
            for char in word:  # a word longer than the line is cut between characters
                cw = _char_em(char, bold)
                if used and used + cw > limit:
                    count += 1
                    used = 0.0
                used += cw
    return max(1, count)


def height_in(paragraphs: Sequence[str], box_w: float, pt: float, bold: bool = False,
              gap: float = 0.0) -> float:
    """Height of ``paragraphs`` wrapped in ``box_w`` at ``pt``, with ``gap`` lines between
    paragraphs, inches."""
    n = sum(lines(p, box_w, pt, bold) for p in paragraphs)
    return (n + gap * max(0, len(paragraphs) - 1)) * pt * LINE / 72


def fit_pt(paragraphs: Sequence[str], box_w: float, box_h: float, max_pt: int, min_pt: int,
           bold: bool = False, gap: float = 0.0) -> int:
    """Largest size in [min_pt, max_pt] at which ``paragraphs`` fit the box (min_pt if none)."""
    inner_w = box_w - 2 * BOX_PAD
    for pt in range(max_pt, min_pt - 1, -1):
        if height_in(paragraphs, inner_w, pt, bold, gap) <= box_h - 2 * BOX_PAD:
            return pt
    return min_pt


def one_line_pt(text: str, box_w: float, max_pt: int, min_pt: int, bold: bool = False) -> int:
    """Largest size in [min_pt, max_pt] at which ``text`` stays on one line of ``box_w``."""
    for pt in range(max_pt, min_pt - 1, -1):
        if width_in(text, pt, bold) <= box_w - 2 * BOX_PAD:
            return pt
    return min_pt


def row_height(cells: Sequence[str], widths: Sequence[float], pt: float, bold: bool = False) -> float:
    """Height of one table row: its tallest cell wrapped in its column, plus padding, inches."""
    tallest = max(lines(c, w - 2 * CELL_PAD, pt, bold) for c, w in zip(cells, widths, strict=True))
    return tallest * pt * LINE / 72 + 2 * CELL_PAD


def split_rows(rows: Sequence[Sequence[str]], widths: Sequence[float], pt: float,
               header_h: float, box_h: float) -> list[tuple[int, int]]:
    """Cut table ``rows`` (without header) into slices ``(start, stop)`` whose measured height,
    plus the header repeated on each, fits ``box_h`` (a row taller than a page gets its own)."""
    out, start, used = [], 0, header_h
    for i, row in enumerate(rows):
        h = row_height(row, widths, pt)
        if i > start and used + h > box_h:
            out.append((start, i))
            start, used = i, header_h
        used += h
    if rows:
        out.append((start, len(rows)))
    return out
