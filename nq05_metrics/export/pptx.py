"""PowerPoint deck (python-pptx): 16:9, large type, chart and map pictures, a source + quality
footer and the slide number on every slide, speaker notes with the narrative and the figures.

Text uses Arial (every Windows/Office machine has it and it covers Vietnamese; LibreOffice maps it
to Liberation Sans); pictures carry their own fonts (DejaVu Sans), see :mod:`.render`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from nq05_metrics.export import layout, render
from nq05_metrics.export.layout import Box, TextStyle
from nq05_metrics.export.slides import Deck, Slide, sentences

FONT = "Arial"
Progress = Callable[[int, int], None]


def _rgb(hex6: str) -> RGBColor:
    return RGBColor.from_string(hex6)


def _textbox(
    sld: object, box: Box, paragraphs: Sequence[str], st: TextStyle, pt: int | None = None,
    *, align: PP_ALIGN = PP_ALIGN.LEFT, bullets: bool = False, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
) -> None:
    """A word-wrapped text box, one paragraph per item, at ``pt`` (default: fitted)."""
    size = pt or layout.fit_pt(paragraphs, box, st)
    shape = sld.shapes.add_textbox(Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for i, text in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        if bullets:
            para.space_after = Pt(size * 0.35)
        run = para.add_run()
        run.text = ("• " if bullets else "") + text
        run.font.size = Pt(size)
        run.font.bold = st.bold
        run.font.name = FONT
        run.font.color.rgb = _rgb(st.color)


def _picture(sld: object, png: bytes, box: Box) -> None:
    fit = layout.fit_picture(png, box)
    sld.shapes.add_picture(io.BytesIO(png), Inches(fit.x), Inches(fit.y), Inches(fit.w),
                           Inches(fit.h))


def _table(sld: object, rows: Sequence[Sequence[str]], box: Box, st: TextStyle) -> None:
    """A native (editable, searchable) table with a dark header row."""
    pt = st.max_pt if len(rows) <= 6 else st.min_pt + 2
    shape = sld.shapes.add_table(len(rows), len(rows[0]), Inches(box.x), Inches(box.y),
                                 Inches(box.w), Inches(min(box.h, 0.62 * len(rows))))
    table = shape.table
    for j, width in enumerate(layout.TABLE_COLS[: len(rows[0])]):
        table.columns[j].width = Inches(width)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.text = text
            for para in cell.text_frame.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(pt)
                    run.font.name = FONT
                    run.font.bold = i == 0
                    run.font.color.rgb = _rgb("FFFFFF" if i == 0 else layout.INK)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(layout.TITLE_INK if i == 0 else (
                "F2F4F7" if i % 2 else "FFFFFF"))


def _chrome(sld: object, slide: Slide, number: int, total: int) -> None:
    """Title, subtitle, rule, footer and slide number (not on the title slide's big title)."""
    if slide.kind != "title":
        _textbox(sld, layout.TITLE, [slide.title], layout.TITLE_STYLE)
        if slide.subtitle:
            _textbox(sld, layout.SUBTITLE, [slide.subtitle], layout.SUBTITLE_STYLE)
        line = sld.shapes.add_connector(1, Inches(0.5), Inches(layout.RULE_Y), Inches(12.83),
                                        Inches(layout.RULE_Y))
        line.line.color.rgb = _rgb(layout.ACCENT)
        line.line.width = Pt(2)
    _textbox(sld, layout.FOOTER, [slide.footer], layout.FOOTER_STYLE, anchor=MSO_ANCHOR.BOTTOM)
    _textbox(sld, layout.PAGE, [f"{number}/{total}"], layout.FOOTER_STYLE,
             align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.BOTTOM)


def _body(sld: object, slide: Slide, pngs: dict[str, bytes]) -> None:
    """The slot contents of one slide."""
    boxes = layout.slots(slide.kind)
    if slide.kind == "title":
        _textbox(sld, boxes["title"], [slide.title], layout.style("title", "title"))
        _textbox(sld, boxes["subtitle"], [slide.subtitle], layout.style("title", "subtitle"))
        _textbox(sld, boxes["bullets"], list(slide.bullets), layout.style("title", "bullets"))
        return
    for slot, png in pngs.items():
        if slot in boxes:
            _picture(sld, png, boxes[slot])
    if slide.table:
        _table(sld, slide.table, boxes["table"], layout.style(slide.kind, "table"))
    elif slide.bullets and "bullets" in boxes:
        _textbox(sld, boxes["bullets"], list(slide.bullets), layout.style(slide.kind, "bullets"),
                 bullets=slide.kind != "commodity")
    if slide.kind == "assessment":
        _textbox(sld, boxes["narrative"], sentences(slide.narrative),
                 layout.style("assessment", "narrative"))


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
    jobs = [p for s in deck.slides for p in s.pictures]
    try:
        waits = {id(p): worker.submit(p.job()) for p in jobs}
        done = 0

        def get(i: int) -> dict[str, bytes]:
            nonlocal done
            out: dict[str, bytes] = {}
            for pic in deck.slides[i].pictures:
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
            _chrome(sld, slide, number, total)
            _body(sld, slide, pictures(number - 1))
            sld.notes_slide.notes_text_frame.text = slide.notes
    prs.core_properties.title = deck.slides[0].title if deck.slides else ""
    prs.core_properties.language = "vi-VN" if deck.lang == "vi" else "en-GB"
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def write_pptx(deck: Deck, path: Path, progress: Progress | None = None,
               helper: render.Elsewhere | None = None) -> Path:
    """Write the deck to ``path`` atomically (temporary file + rename)."""
    return layout.write_atomic(Path(path), deck_pptx(deck, progress, helper))
