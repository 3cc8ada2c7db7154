"""Word appendix (python-docx): "Phụ lục: Kết quả thực hiện các chỉ tiêu Nghị quyết 05-NQ/TU"
as a native table, in the format of Vietnamese administrative documents (Nghị định
30/2020/NĐ-CP, Phụ lục I): A4 landscape (allowed for tables), Times New Roman 13 pt (table 12–13),
margins top and bottom 20 mm, left 30 mm, right 15 mm; "PHỤ LỤC" 14 pt bold centred, the title
in capitals, bold; the italic line "(Kèm theo Báo cáo số …)"; the review paragraph before the
table; the header row repeats on every page. The table is :func:`.tables.appendix_table`, the one
of the deck's appendix, so both agree.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

from nq05_metrics.export import layout
from nq05_metrics.export.slides import View
from nq05_metrics.export.spec import Deck
from nq05_metrics.export.wording import tr

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
#: Column widths (mm) of the appendix table on A4 landscape minus the margins (252 mm).
WIDTHS_MM = (12, 62, 18, 24, 24, 18, 44, 50)


def _run(paragraph: Paragraph, text: str, pt: int, *, bold: bool = False,
         italic: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(pt)
    run.font.bold = bold
    run.font.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()  # East Asian slot too
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(doc: WordDocument, text: str, pt: int = BODY_PT, *, bold: bool = False,
          italic: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
          after: int = 6) -> None:
    para = doc.add_paragraph()
    para.alignment = align
    para.paragraph_format.space_after = Pt(after)
    _run(para, text, pt, bold=bold, italic=italic)


def _page(doc: WordDocument) -> None:
    """A4 landscape with the decree's margins."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)


def _repeat_header(row: _Row) -> None:
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _shade(cell: _Cell, hex6: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex6)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(doc: WordDocument, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for j, width in enumerate(WIDTHS_MM):  # the grid, which LibreOffice and Word both honour
        table.columns[j].width = Mm(width)
    for j, text in enumerate(header):
        cell = table.rows[0].cells[j]
        cell.width = Mm(WIDTHS_MM[j])
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, TABLE_PT, bold=True)
        _shade(cell, "E7ECF2")
    _repeat_header(table.rows[0])
    numeric = {0, 3, 4, 5}
    for row in rows:
        cells = table.add_row().cells
        for j, text in enumerate(row):
            cells[j].width = Mm(WIDTHS_MM[j])
            para = cells[j].paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if j in numeric else WD_ALIGN_PARAGRAPH.LEFT
            if j == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(para, text, TABLE_PT)


def deck_docx(deck: Deck) -> bytes:
    """The Word appendix of ``deck``'s view (its review paragraph and appendix table)."""
    if deck.view is None:
        raise ValueError("deck built without its view: build it with slides.build_deck")
    return view_docx(deck.view)


def view_docx(view: View) -> bytes:
    """The Word appendix of a :class:`.slides.View` (no slides needed)."""
    from nq05_metrics.export import tables

    lang = view.lang
    doc = Document()
    _page(doc)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, tr(lang, "docx_heading").upper(), 14, bold=True, align=centre, after=0)
    _para(doc, tr(lang, "docx_title").upper(), 14, bold=True, align=centre, after=0)
    _para(doc, tr(lang, "docx_attached", year=view.as_of), BODY_PT, italic=True, align=centre,
          after=12)
    _para(doc, tr(lang, "docx_as_of", year=view.as_of, unit=view.unit_name,
                  commodity=view.commodity_name(view.commodity)), BODY_PT, italic=True)
    _para(doc, tr(lang, "docx_review"), BODY_PT, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for part in view.summary_parts(view.rows):
        _para(doc, part)
    header, rows = tables.appendix_table(view)
    _table(doc, header, rows)
    from nq05_metrics.export.wording import is_illustrative

    if is_illustrative(view.rows):
        _para(doc, "", after=0)
        _para(doc, tr(lang, "docx_illustrative"), BODY_PT, italic=True)
    doc.core_properties.title = tr(lang, "docx_title")
    doc.core_properties.language = tr(lang, "document_language")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_docx(view: View, path: Path) -> Path:
    """Write the Word appendix of ``view`` to ``path`` atomically."""
    return layout.write_atomic(Path(path), view_docx(view))
