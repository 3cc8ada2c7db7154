"""One slide → a list of drawing operations (text boxes, pictures, tables, rectangles) with their
boxes and font sizes decided here, once, from measured text (:mod:`.measure`). The PPTX and the
PDF writers only draw these operations, so both files place and size everything alike, and the
tests can check one plan: nothing off the slide or over the footer, no text under 14 pt, titles
on one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from nq05_metrics.export import layout, measure
from nq05_metrics.export.layout import Box, TextStyle
from nq05_metrics.export.spec import Slide, Table
from nq05_metrics.export.wording import tr

WHITE = "FFFFFF"


@dataclass(frozen=True)
class Text:
    """A text box: paragraphs at ``pt``; ``bullets`` prefixes "• "; ``fill``: background;
    ``anchor``: ``top`` / ``middle`` / ``bottom``; ``editable``: meant to be edited (tasks)."""

    box: Box
    paragraphs: tuple[str, ...]
    pt: int
    bold: bool = False
    color: str = layout.INK
    align: str = "left"
    bullets: bool = False
    anchor: str = "top"
    fill: str = ""
    gap: float = 0.0
    role: str = "body"
    editable: bool = False


@dataclass(frozen=True)
class Image:
    """The picture of ``slot`` fitted into ``box``."""

    box: Box
    slot: str


@dataclass(frozen=True)
class Grid:
    """A native table at ``box`` (x, y, width) with measured ``heights`` per row (header first)."""

    box: Box
    table: Table
    heights: tuple[float, ...]


Op = Text | Image | Grid


def _text(box: Box, paragraphs: list[str] | tuple[str, ...], st: TextStyle, *, gap: float = 0.0,
          **kw: object) -> Text:
    """A text box whose size is the largest in the style's range that fits (measured)."""
    paras = tuple(p for p in paragraphs if p)
    bullets = bool(kw.get("bullets"))
    shown = [("• " + p) if bullets else p for p in paras]
    pt = measure.fit_pt(shown, box.w, box.h, st.max_pt, st.min_pt, st.bold, gap)
    return Text(box, paras, pt, st.bold, st.color, gap=gap, **kw)  # type: ignore[arg-type]


def chrome(slide: Slide, number: int, total: int, lang: str) -> list[Op]:
    """Title (one line), subtitle, illustrative mark, footer and slide number."""
    ops: list[Op] = []
    if slide.kind not in ("title", "closing"):
        st = layout.TITLE_STYLE
        pt = measure.one_line_pt(slide.title, layout.TITLE.w, st.max_pt, st.min_pt, True)
        ops.append(Text(layout.TITLE, (slide.title,), pt, True, st.color, anchor="middle",
                        role="title"))
        if slide.subtitle:
            sub = layout.SUBTITLE_STYLE
            box = layout.SUBTITLE if slide.illustrative else Box(
                layout.SUBTITLE.x, layout.SUBTITLE.y, layout.TITLE.w, layout.SUBTITLE.h)
            ops.append(Text(box, (slide.subtitle,), measure.one_line_pt(
                slide.subtitle, box.w, sub.max_pt, sub.min_pt), False, sub.color,
                anchor="middle", role="subtitle"))
    if slide.illustrative:
        st = layout.BADGE_STYLE
        ops.append(Text(layout.BADGE, (tr(lang, "badge"),), st.max_pt, True, st.color,
                        align="center", anchor="middle", fill=layout.WARN, role="badge"))
    ops.append(Text(layout.FOOTER, (slide.footer,), layout.FOOTER_STYLE.max_pt,
                    color=layout.FOOTER_STYLE.color, anchor="bottom", role="footer"))
    ops.append(Text(layout.PAGE, (f"{number}/{total}",), layout.FOOTER_STYLE.max_pt,
                    color=layout.FOOTER_STYLE.color, align="right", anchor="bottom",
                    role="footer"))
    return ops


def body(slide: Slide, lang: str) -> list[Op]:
    """The slot contents of one slide."""
    kind = slide.kind
    boxes = layout.slots(kind)
    ops: list[Op] = [Image(boxes[p.slot], p.slot) for p in slide.pictures if p.slot in boxes]
    if kind == "title":
        conference, *meta = slide.paragraphs or ("",)
        ops += [_text(boxes["conference"], [conference], layout.style(kind, "conference")),
                _text(boxes["title"], [slide.title], layout.style(kind, "title")),
                _text(boxes["subtitle"], [slide.subtitle], layout.style(kind, "subtitle")),
                _text(boxes["meta"], meta, layout.style(kind, "meta")),
                _text(boxes["bullets"], slide.bullets, layout.style(kind, "bullets"))]
        if slide.pictures:
            ops.append(_text(boxes["qr_caption"], [tr(lang, "qr_caption")],
                             layout.style(kind, "qr_caption"), align="center"))
        return ops
    if kind == "closing":
        ops += [_text(boxes["title"], [slide.title], layout.style(kind, "title")),
                _text(boxes["bullets"], slide.bullets, layout.style(kind, "bullets"),
                      gap=layout.PARA_GAP)]
        if slide.pictures:
            ops.append(_text(boxes["qr_caption"], [tr(lang, "qr_caption")],
                             layout.style(kind, "qr_caption"), align="center"))
        return ops
    if kind == "summary":
        ops += tiles(slide, boxes["tiles"])
    if slide.table is not None:
        ops.append(grid(slide.table, layout.slots("table")["table"]))
    elif slide.bullets and "bullets" in boxes:
        ops.append(_text(boxes["bullets"], slide.bullets, layout.style(kind, "bullets"),
                         bullets=kind != "commodity", gap=layout.PARA_GAP,
                         editable=slide.editable))
    if slide.paragraphs and "paragraphs" in boxes:
        ops.append(_text(boxes["paragraphs"], slide.paragraphs, layout.style(kind, "paragraphs"),
                         gap=layout.PARA_GAP))
    return ops


def tiles(slide: Slide, area: Box) -> list[Op]:
    """Headline figures: a big number over its label, on a pale tile."""
    ops: list[Op] = []
    for (big, label), (top, bottom) in zip(slide.tiles, layout.tile_boxes(area, len(slide.tiles)),
                                           strict=True):
        tile = Box(top.x - 0.1, top.y - 0.15, top.w + 0.2, area.h)
        ops.append(Text(tile, ("",), layout.MIN_PT, fill=layout.STRIPE, role="tile"))
        ops.append(Text(top, (big,), layout.TILE_BIG_PT, True, layout.ACCENT, align="center",
                        anchor="middle"))
        ops.append(_text(bottom, [label], layout.TILE_LABEL, align="center"))
    return ops


def grid(table: Table, box: Box) -> Grid:
    """A table with every row's measured height (the header bold)."""
    heights = [measure.row_height(table.header, table.widths, table.pt, bold=True)]
    heights += [measure.row_height(r, table.widths, table.pt) for r in table.rows]
    return Grid(Box(box.x, box.y, sum(table.widths), sum(heights)), table, tuple(heights))


def plan(slide: Slide, number: int, total: int, lang: str) -> list[Op]:
    """Every drawing operation of one slide, in drawing order (backgrounds first)."""
    ops = body(slide, lang) + chrome(slide, number, total, lang)
    return sorted(ops, key=lambda op: 0 if isinstance(op, Text) and op.role == "tile" else 1)
