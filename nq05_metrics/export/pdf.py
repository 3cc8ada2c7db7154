"""PDF handout (fpdf2): the same slides as the PPTX (:mod:`.layout`), one 16:9 page each.

Text is real Unicode: DejaVu Sans (regular + bold, shipped inside matplotlib) is embedded as a
TrueType subset with a ToUnicode map, so Vietnamese copies and searches correctly (NFC).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

from nq05_metrics.export import layout, render
from nq05_metrics.export.layout import Box, TextStyle
from nq05_metrics.export.pptx import Progress, pictures_ahead
from nq05_metrics.export.slides import Deck, Slide, sentences

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

    def text_box(
        self, box: Box, paragraphs: Sequence[str], st: TextStyle, pt: int | None = None,
        *, align: str = "L", bullets: bool = False, bottom: bool = False,
    ) -> None:
        """Word-wrapped paragraphs inside ``box`` at ``pt`` (default: fitted to the box)."""
        texts = [("• " if bullets else "") + p for p in paragraphs]
        size = pt or self.fit(texts, box, st, bullets)
        self.set_font(FAMILY, "B" if st.bold else "", size)
        self.set_text_color(*_rgb(st.color))
        line = size * layout.LINE / 72
        y = box.y
        if bottom:
            y = box.y + max(0.0, box.h - self.height(texts, box, size, bullets) - 0.05)
        for text in texts:
            self.set_xy(box.x + 0.05, y)
            self.multi_cell(box.w - 0.1, line, text, align=align)
            y = self.get_y() + (line * 0.35 if bullets else 0)

    def height(self, texts: Sequence[str], box: Box, size: int, bullets: bool) -> float:
        """Height (in) of ``texts`` wrapped by fpdf at ``size`` pt (measured, not estimated)."""
        line = size * layout.LINE / 72
        n = sum(len(self.multi_cell(box.w - 0.1, line, t, dry_run=True, output="LINES"))
                for t in texts)
        return n * line + (line * 0.35 * (len(texts) - 1) if bullets else 0)

    def fit(self, texts: Sequence[str], box: Box, st: TextStyle, bullets: bool) -> int:
        """Largest size in [min_pt, max_pt] at which ``texts`` fit ``box`` (binary search: the
        wrapped height grows with the size)."""
        low, high = st.min_pt, st.max_pt
        self.set_font(FAMILY, "B" if st.bold else "", high)
        if self.height(texts, box, high, bullets) <= box.h:  # the common case: it fits at max
            return high
        high -= 1
        while low < high:
            size = (low + high + 1) // 2
            self.set_font(FAMILY, "B" if st.bold else "", size)
            if self.height(texts, box, size, bullets) <= box.h:
                low = size
            else:
                high = size - 1
        return low

    def picture(self, png: bytes, box: Box) -> None:
        fit = layout.fit_picture(png, box)
        self.image(io.BytesIO(png), x=fit.x, y=fit.y, w=fit.w, h=fit.h)

    def grid(self, rows: Sequence[Sequence[str]], box: Box, st: TextStyle) -> None:
        """The table of lagging indicators, header row dark, alternate rows shaded."""
        pt = st.max_pt if len(rows) <= 6 else st.min_pt + 2
        self.set_font(FAMILY, "", pt)
        self.set_xy(box.x, box.y)
        self.set_draw_color(200, 200, 200)
        widths = layout.TABLE_COLS[: len(rows[0])]
        with self.table(width=sum(widths), col_widths=widths, align="LEFT", text_align="LEFT",
                        line_height=pt * layout.LINE / 72, padding=0.06,
                        headings_style=_heading_style(pt),
                        cell_fill_color=(242, 244, 247), cell_fill_mode="ROWS") as table:
            for row in rows:
                cells = table.row()
                for text in row:
                    cells.cell(text)


def _heading_style(pt: int) -> object:
    from fpdf.fonts import FontFace

    return FontFace(family=FAMILY, emphasis="BOLD", size_pt=pt, color=(255, 255, 255),
                    fill_color=_rgb(layout.TITLE_INK))


def _chrome(pdf: _Pdf, slide: Slide, number: int, total: int) -> None:
    if slide.kind != "title":
        pdf.text_box(layout.TITLE, [slide.title], layout.TITLE_STYLE)
        if slide.subtitle:
            pdf.text_box(layout.SUBTITLE, [slide.subtitle], layout.SUBTITLE_STYLE)
        pdf.set_draw_color(*_rgb(layout.ACCENT))
        pdf.set_line_width(2 / 72)
        pdf.line(0.5, layout.RULE_Y, 12.83, layout.RULE_Y)
    pdf.text_box(layout.FOOTER, [slide.footer], layout.FOOTER_STYLE, bottom=True)
    pdf.text_box(layout.PAGE, [f"{number}/{total}"], layout.FOOTER_STYLE, align="R", bottom=True)


def _text(pdf: _Pdf, slide: Slide) -> None:
    """Everything on a slide but its pictures."""
    boxes = layout.slots(slide.kind)
    if slide.kind == "title":
        pdf.text_box(boxes["title"], [slide.title], layout.style("title", "title"))
        pdf.text_box(boxes["subtitle"], [slide.subtitle], layout.style("title", "subtitle"))
        pdf.text_box(boxes["bullets"], list(slide.bullets), layout.style("title", "bullets"))
        return
    if slide.table:
        pdf.grid(slide.table, boxes["table"], layout.style(slide.kind, "table"))
    elif slide.bullets and "bullets" in boxes:
        pdf.text_box(boxes["bullets"], list(slide.bullets), layout.style(slide.kind, "bullets"),
                     bullets=slide.kind != "commodity")
    if slide.kind == "assessment":
        pdf.text_box(boxes["narrative"], sentences(slide.narrative),
                     layout.style("assessment", "narrative"))


def _pictures(pdf: _Pdf, slide: Slide, pngs: dict[str, bytes]) -> None:
    boxes = layout.slots(slide.kind)
    for slot, png in pngs.items():
        if slot in boxes and slide.kind != "title":
            pdf.picture(png, boxes[slot])


def deck_pdf(deck: Deck, progress: Progress | None = None,
             helper: render.Elsewhere | None = None) -> bytes:
    """The PDF of ``deck`` as bytes. Each page's text is laid out while later pictures are
    still rendering (:func:`.pptx.pictures_ahead`); its pictures are placed when ready."""
    pdf = _Pdf()
    pdf.set_title(deck.slides[0].title if deck.slides else "")
    pdf.set_lang("vi" if deck.lang == "vi" else "en")
    total = len(deck.slides)
    with pictures_ahead(deck, progress, helper) as pictures:
        for number, slide in enumerate(deck.slides, start=1):
            pdf.add_page()
            _chrome(pdf, slide, number, total)
            _text(pdf, slide)
            _pictures(pdf, slide, pictures(number - 1))
    return bytes(pdf.output())


def write_pdf(deck: Deck, path: Path, progress: Progress | None = None,
              helper: render.Elsewhere | None = None) -> Path:
    """Write the PDF to ``path`` atomically (temporary file + rename)."""
    return layout.write_atomic(Path(path), deck_pdf(deck, progress, helper))
