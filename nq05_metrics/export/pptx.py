"""PowerPoint deck (python-pptx): 16:9, every slide drawn from its plan (:mod:`.compose`) —
native, editable text boxes and tables (row heights measured), pictures at their slide size,
the illustrative mark, a source + quality footer and the slide number, speaker notes with the
figures and the full source links.

Text uses Arial (every Windows/Office machine has it and it covers Vietnamese; LibreOffice maps it
to Liberation Sans); pictures carry their own fonts (DejaVu Sans), see :mod:`.render`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.slide import Slide
from pptx.util import Inches, Pt

from nq05_metrics.export import compose, layout, measure, render
from nq05_metrics.export.compose import Grid, Image, Text
from nq05_metrics.export.spec import Deck
from nq05_metrics.export.wording import tr

FONT = "Arial"
Progress = Callable[[int, int], None]
_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
_ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}


def _rgb(hex6: str) -> RGBColor:
    return RGBColor(int(hex6[0:2], 16), int(hex6[2:4], 16), int(hex6[4:6], 16))


def _margins(frame: object, pad: float) -> None:
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(pad))


def _textbox(sld: Slide, op: Text) -> None:
    """A word-wrapped text box, one paragraph per item (fill: a coloured rectangle)."""
    b = op.box
    shape = sld.shapes.add_textbox(Inches(b.x), Inches(b.y), Inches(b.w), Inches(b.h))
    if op.role != "body":
        shape.name = f"nq05:{op.role}"
    if op.fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(op.fill)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = _ANCHOR[op.anchor]
    _margins(frame, measure.BOX_PAD)
    for i, text in enumerate(op.paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = _ALIGN[op.align]
        para.line_spacing = Pt(op.pt * measure.LINE)  # exact, as measured
        if op.gap and i:
            para.space_before = Pt(op.pt * op.gap)
        run = para.add_run()
        run.text = ("• " if op.bullets else "") + text
        run.font.size = Pt(op.pt)
        run.font.bold = op.bold
        run.font.name = FONT
        run.font.color.rgb = _rgb(op.color)


def _picture(sld: Slide, png: bytes, box: layout.Box) -> None:
    fit = layout.fit_picture(png, box)
    sld.shapes.add_picture(io.BytesIO(png), Inches(fit.x), Inches(fit.y), Inches(fit.w),
                           Inches(fit.h))


def _table(sld: Slide, op: Grid) -> None:
    """A native (editable, searchable) table: dark header, measured row heights, fills."""
    table = op.table
    rows = [table.header, *table.rows]
    b = op.box
    shape = sld.shapes.add_table(len(rows), len(table.header), Inches(b.x), Inches(b.y),
                                 Inches(b.w), Inches(b.h))
    grid = shape.table
    for j, width in enumerate(table.widths):
        grid.columns[j].width = Inches(width)
    for i, (row, height) in enumerate(zip(rows, op.heights, strict=True)):
        # the least height (one line): PowerPoint and LibreOffice grow a row to its text in
        # Arial, never beyond the measured (DejaVu, wider) height the plan reserved
        grid.rows[i].height = Inches(min(height, table.pt * measure.LINE / 72
                                         + 2 * measure.CELL_PAD))
        for j, text in enumerate(row):
            cell = grid.cell(i, j)
            _margins(cell, measure.CELL_PAD)
            cell.text = text
            for para in cell.text_frame.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(table.pt)
                    run.font.name = FONT
                    run.font.bold = i == 0
                    run.font.color.rgb = _rgb("FFFFFF" if i == 0 else layout.INK)
            fill = table.fills[i - 1][j] if i and table.fills and table.fills[i - 1][j] else ""
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(layout.TITLE_INK if i == 0 else (
                fill or (layout.STRIPE if i % 2 else "FFFFFF")))


@contextmanager
def pictures_ahead(deck: Deck, progress: Progress | None = None,
                   helper: render.Elsewhere | None = None
                   ) -> Iterator[Callable[[int], dict[str, bytes]]]:
    """Queue every picture of ``deck`` on a helper process (:class:`.render.Elsewhere`; chart
    specs are built here meanwhile) and yield ``get(i)``: slide ``i``'s PNGs (slot → bytes),
    waiting only for those — so laying out slide ``i`` overlaps with rendering slides
    ``i+1…``. ``helper``: one already started (e.g. before the data were loaded), else one is
    started here and stopped at the end. ``progress(done, total)`` counts collected pictures."""
    own = helper is None
    worker = render.Elsewhere() if helper is None else helper
    jobs = [p for s in deck.slides for p in s.pictures if p.png_bytes is None]
    try:
        waits = {id(p): worker.submit(p.job()) for p in jobs}
        done = 0

        def get(i: int) -> dict[str, bytes]:
            nonlocal done
            out: dict[str, bytes] = {}
            for pic in deck.slides[i].pictures:
                if pic.png_bytes is not None:
                    out[pic.slot] = pic.png_bytes
                    continue
                out[pic.slot] = waits[id(pic)]()
                done += 1
                if progress is not None:
                    progress(done, len(jobs))
            return out

        yield get
    finally:
        if own:
            worker.close()


def deck_pptx(deck: Deck, progress: Progress | None = None,
              helper: render.Elsewhere | None = None) -> bytes:
    """The PPTX file of ``deck`` as bytes (pictures rendered by ``helper``, see
    :func:`pictures_ahead`)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(layout.SLIDE_W), Inches(layout.SLIDE_H)
    blank = prs.slide_layouts[6]
    total = len(deck.slides)
    with pictures_ahead(deck, progress, helper) as pictures:
        for number, slide in enumerate(deck.slides, start=1):
            sld = prs.slides.add_slide(blank)
            pngs = pictures(number - 1)
            for op in compose.plan(slide, number, total, deck.lang):
                if isinstance(op, Image):
                    if op.slot in pngs:
                        _picture(sld, pngs[op.slot], op.box)
                elif isinstance(op, Grid):
                    _table(sld, op)
                else:
                    _textbox(sld, op)
            if slide.kind not in ("title", "closing"):
                rule = sld.shapes.add_connector(1, Inches(0.5), Inches(layout.RULE_Y),
                                                Inches(12.83), Inches(layout.RULE_Y))
                rule.line.color.rgb = _rgb(layout.ACCENT)
                rule.line.width = Pt(2)
            sld.notes_slide.notes_text_frame.text = slide.notes
    prs.core_properties.title = deck.slides[0].title if deck.slides else ""
    prs.core_properties.language = tr(deck.lang, "document_language")
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def write_pptx(deck: Deck, path: Path, progress: Progress | None = None,
               helper: render.Elsewhere | None = None) -> Path:
    """Write the deck to ``path`` atomically (temporary file + rename)."""
    return layout.write_atomic(Path(path), deck_pptx(deck, progress, helper))
