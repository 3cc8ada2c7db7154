"""PDF handout (fpdf2): the same slides as the PPTX, drawn from the same plan (:mod:`.compose`),
one 16:9 page each.

Text is real Unicode: DejaVu Sans (regular + bold, shipped inside matplotlib) is embedded as a
TrueType subset with a ToUnicode map, so Vietnamese copies and searches correctly (NFC).
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF

from nq05_metrics.export import compose, layout, measure, render
from nq05_metrics.export.compose import Grid, Image, Text
from nq05_metrics.export.pptx import Progress, pictures_ahead
from nq05_metrics.export.spec import Deck
from nq05_metrics.i18n import language

FAMILY = "DejaVu"


def _rgb(hex6: str) -> tuple[int, int, int]:
    return int(hex6[0:2], 16), int(hex6[2:4], 16), int(hex6[4:6], 16)


class _Pdf(FPDF):
    """A 13.333 × 7.5 in landscape document with the DejaVu fonts registered."""

    def __init__(self) -> None:
        super().__init__(orientation="L", unit="in", format=(layout.SLIDE_H, layout.SLIDE_W))
        self.set_auto_page_break(False)
        self.set_margins(0.5, 0.3, 0.5)
        self.add_font(FAMILY, "", str(render.FONT_REGULAR))
        self.add_font(FAMILY, "B", str(render.FONT_BOLD))
        self.set_creator("nq05_metrics")

    def text_op(self, op: Text) -> None:
        """A text box of the plan: fill, then the wrapped paragraphs at the planned size."""
        b = op.box
        if op.fill:
            self.set_fill_color(*_rgb(op.fill))
            self.rect(b.x, b.y, b.w, b.h, style="F")
        texts = [("• " if op.bullets else "") + p for p in op.paragraphs if p]
        if not texts:
            return
        self.set_font(FAMILY, "B" if op.bold else "", op.pt)
        self.set_text_color(*_rgb(op.color))
        line = op.pt * measure.LINE / 72
        inner = b.w - 2 * measure.BOX_PAD
        height = measure.height_in(texts, inner, op.pt, op.bold, op.gap)
        free = max(0.0, b.h - 2 * measure.BOX_PAD - height)
        y = b.y + measure.BOX_PAD + {"top": 0.0, "middle": free / 2, "bottom": free}[op.anchor]
        for i, text in enumerate(texts):
            if i and op.gap:
                y += line * op.gap
            self.set_xy(b.x + measure.BOX_PAD, y)
            self.multi_cell(inner, line, text, align={"left": "L", "center": "C",
                                                      "right": "R"}[op.align])
            y = self.get_y()

    def grid_op(self, op: Grid) -> None:
        """A table of the plan: header dark, fills or alternate shading, measured heights."""
        table = op.table
        rows = [table.header, *table.rows]
        y = op.box.y
        self.set_draw_color(200, 200, 200)
        self.set_line_width(0.01)
        line = table.pt * measure.LINE / 72
        for i, (row, height) in enumerate(zip(rows, op.heights, strict=True)):
            x = op.box.x
            for j, (text, width) in enumerate(zip(row, table.widths, strict=True)):
                fill = table.fills[i - 1][j] if i and table.fills and table.fills[i - 1][j] else ""
                color = layout.TITLE_INK if i == 0 else (
                    fill or (layout.STRIPE if i % 2 else "FFFFFF"))
                self.set_fill_color(*_rgb(color))
                self.rect(x, y, width, height, style="DF")
                self.set_font(FAMILY, "B" if i == 0 else "", table.pt)
                self.set_text_color(*_rgb("FFFFFF" if i == 0 else layout.INK))
                self.set_xy(x + measure.CELL_PAD, y + measure.CELL_PAD)
                self.multi_cell(width - 2 * measure.CELL_PAD, line, text, align="L")
                x += width
            y += height

    def picture(self, png: bytes, box: layout.Box) -> None:
        fit = layout.fit_picture(png, box)
        self.image(io.BytesIO(png), x=fit.x, y=fit.y, w=fit.w, h=fit.h)


def deck_pdf(deck: Deck, progress: Progress | None = None,
             helper: render.Elsewhere | None = None) -> bytes:
    """The PDF of ``deck`` as bytes. Each page's text is laid out while later pictures are
    still rendering (:func:`.pptx.pictures_ahead`); its pictures are placed when ready."""
    pdf = _Pdf()
    pdf.set_title(deck.slides[0].title if deck.slides else "")
    pdf.set_lang(language(deck.lang))
    total = len(deck.slides)
    with pictures_ahead(deck, progress, helper) as pictures:
        for number, slide in enumerate(deck.slides, start=1):
            pdf.add_page()
            ops = compose.plan(slide, number, total, deck.lang)
            for op in ops:
                if isinstance(op, Text):
                    pdf.text_op(op)
                elif isinstance(op, Grid):
                    pdf.grid_op(op)
            pngs = pictures(number - 1)
            for op in ops:
                if isinstance(op, Image) and op.slot in pngs:
                    pdf.picture(pngs[op.slot], op.box)
            rule = slide.kind not in ("title", "closing")
            if rule:
                pdf.set_draw_color(*_rgb(layout.ACCENT))
                pdf.set_line_width(2 / 72)
                pdf.line(0.5, layout.RULE_Y, 12.83, layout.RULE_Y)
    return bytes(pdf.output())


def write_pdf(deck: Deck, path: Path, progress: Progress | None = None,
              helper: render.Elsewhere | None = None) -> Path:
    """Write the PDF to ``path`` atomically (temporary file + rename)."""
    return layout.write_atomic(Path(path), deck_pdf(deck, progress, helper))
