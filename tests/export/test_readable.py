"""Readable from the back of the hall, in both formats and both languages: native text ≥ 14 pt,
every picture's text ≥ 14 pt at its size on the slide, titles on one line, nothing off the slide
or over the footer, tables split by their measured height."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from nq05_metrics.export import compose, layout, measure, render
from nq05_metrics.export.compose import Grid, Image, Text

MIN_PT = 14


def _decks(deck, en_deck):  # noqa: ANN001, ANN202
    return {"vi": deck, "en": en_deck}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plan_text_sizes_titles_and_bounds(deck, en_deck, lang) -> None:  # noqa: ANN001
    d = _decks(deck, en_deck)[lang]
    for n, slide in enumerate(d.slides, start=1):
        for op in compose.plan(slide, n, len(d.slides), lang):
            box = op.box
            assert box.x >= 0 and box.y >= 0, slide.key
            assert box.right <= layout.SLIDE_W + 1e-6 and box.bottom <= layout.SLIDE_H + 1e-6
            chrome = isinstance(op, Text) and op.role == "footer"
            if not chrome:  # nothing reaches into the footer band
                assert box.bottom <= layout.CONTENT_BOTTOM + 1e-6, (slide.key, op)
            if isinstance(op, Text):
                assert op.pt >= MIN_PT, (slide.key, op.paragraphs)
                if op.role == "title":
                    width = measure.width_in(op.paragraphs[0], op.pt, bold=True)
                    assert width <= box.w - 2 * measure.BOX_PAD, (slide.key, op.paragraphs)
                if op.role in ("body", "subtitle", "footer", "badge") and op.paragraphs != ("",):
                    shown = [("• " + p) if op.bullets else p for p in op.paragraphs]
                    need = measure.height_in(shown, box.w - 2 * measure.BOX_PAD, op.pt, op.bold,
                                             op.gap)
                    assert need <= box.h - 2 * measure.BOX_PAD + 1e-6, (slide.key, op)
            if isinstance(op, Grid):
                assert op.table.pt >= MIN_PT and sum(op.heights) <= box.h + 1e-6
                assert sum(op.heights) <= layout.CONTENT_BOTTOM - box.y + 1e-6, slide.key


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_picture_text_at_slide_size(deck, en_deck, lang) -> None:  # noqa: ANN001
    """The font sizes each picture's spec asks for, scaled to the picture's size on the slide."""
    d = _decks(deck, en_deck)[lang]
    seen = set()
    for slide in d.slides:
        for pic in slide.pictures:
            if pic.png_bytes is not None:
                continue  # the QR code has no text
            sizes = pic.slide_font_pt()
            assert sizes and min(sizes) >= MIN_PT, (slide.key, pic.slot, min(sizes))
            seen.add(pic.slot)
    assert seen == {"gauges", "map", "trend"}


def test_rendered_pictures_have_the_size_their_spec_assumes(deck) -> None:  # noqa: ANN001
    """A chart drawn at its box: the PNG is the box's size (× the render scale), so the font
    sizes of the spec are the sizes on the slide."""
    commodity = next(s for s in deck.slides if s.kind == "commodity")
    for slot in ("trend", "map"):
        pic = commodity.picture(slot)
        width, height = layout.png_size(pic.png())
        dpi = width / pic.box.w
        assert abs(height / dpi - pic.box.h) < 0.05, slot
    gauges = deck.slides[2].picture("gauges")
    width, _ = layout.png_size(gauges.png())
    assert abs(width / render.PNG_SCALE - gauges.natural_pt()[0]) <= 1


@pytest.mark.parametrize("name", ["pptx", "en_pptx"])
def test_pptx_native_text_sizes_and_bounds(exports, name) -> None:  # noqa: ANN001
    prs = Presentation(io.BytesIO(exports[name]))
    w, h = Emu(prs.slide_width).inches, Emu(prs.slide_height).inches
    sizes = []
    for slide in prs.slides:
        for shape in slide.shapes:
            x, y = Emu(shape.left).inches, Emu(shape.top).inches
            sw, sh = Emu(shape.width).inches, Emu(shape.height).inches
            assert x >= 0 and y >= 0 and x + sw <= w + 0.01 and y + sh <= h + 0.01, shape.name
            if shape.name != "nq05:footer" and shape.shape_type != 9:  # 9: the rule line
                assert y + sh <= layout.CONTENT_BOTTOM + 0.01, (shape.name, y + sh)
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for frame in frames:
                for para in frame.paragraphs:
                    for run in para.runs:
                        if run.text.strip():
                            sizes.append(run.font.size.pt)
    assert sizes and min(sizes) >= MIN_PT


@pytest.mark.parametrize("name", ["pdf", "en_pdf"])
def test_pdf_native_text_sizes(exports, name) -> None:  # noqa: ANN001
    """Every font size set in the PDF's page streams (``/F1 14 Tf``) is ≥ 14 pt."""
    sizes = []
    for page in PdfReader(io.BytesIO(exports[name])).pages:
        data = page.get_contents().get_data().decode("latin-1")
        sizes += [float(s) for s in re.findall(r"/F\d+ ([\d.]+) Tf", data)]
    assert sizes and min(sizes) >= MIN_PT


def test_tables_split_by_measured_height(deck, en_deck) -> None:  # noqa: ANN001
    """A continued table fills its slide: the next row would not have fitted."""
    for d in (deck, en_deck):
        tables = [s for s in d.slides if s.table is not None]
        for first, second in zip(tables, tables[1:], strict=False):
            if second.key.split(":")[0] != first.key.split(":")[0]:
                continue
            t = first.table
            heights = [measure.row_height(t.header, t.widths, t.pt, bold=True)]
            heights += [measure.row_height(r, t.widths, t.pt) for r in t.rows]
            nxt = measure.row_height(second.table.rows[0], t.widths, t.pt)
            box = layout.slots("table")["table"]
            assert sum(heights) <= box.h < sum(heights) + nxt, first.key


def test_lines_match_the_pdf_writer() -> None:
    """The measured line count is fpdf's own (the PDF's text wraps where the plan says)."""
    pdf = measure._pdf()
    text = "Chưa đạt; khó đạt định hướng 2030 https://trangtraiviet.danviet.vn/lai-chau-can-tiep"
    for width, pt in ((0.9, 14), (1.7, 16), (4.0, 24)):
        pdf.set_font("DejaVu", "", pt)
        expected = len(pdf.multi_cell(width, 0.3, text, dry_run=True, output="LINES"))
        assert measure.lines(text, width, pt) == expected


def test_map_labels_do_not_collide(deck) -> None:  # noqa: ANN001
    """Every labelled unit's text box overlaps no other label on the rendered map."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401

    from nq05_metrics.export import maps

    spec = next(s for s in deck.slides if s.key == "commodity:macadamia").picture("map").map_spec
    boxes = maps.label_boxes(spec)
    assert len(boxes) >= len(spec.labels)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_no_shape_hides_under_a_picture(deck) -> None:  # noqa: ANN001
    """Pictures and text boxes of one slide do not overlap (except the tile backgrounds)."""
    for n, slide in enumerate(deck.slides, start=1):
        ops = [op for op in compose.plan(slide, n, len(deck.slides), "vi")
               if not (isinstance(op, Text) and op.role in ("tile", "footer"))]
        pics = [op.box for op in ops if isinstance(op, Image)]
        others = [op.box for op in ops if not isinstance(op, Image)]
        for p in pics:
            for o in others:
                apart = (p.right <= o.x or o.right <= p.x or p.bottom <= o.y or o.bottom <= p.y)
                assert apart, (slide.key, p, o)
