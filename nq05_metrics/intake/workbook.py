"""Reading a steward's file with what a values-only read loses.

:func:`read_book` turns XLSX or CSV/text bytes into :class:`Sheet` grids of :class:`Cell`: the
value (for a formula, the value Excel cached when it last saved), whether the cell is shown as a
percentage or a date, the formula when Excel cached no value, hidden rows and columns, and merged
ranges (the top-left value is copied into every cell of a range). Structural refusals — Excel
97–2003, a password-protected workbook, a damaged file — are one problem naming the cause. Text in
the legacy TCVN3/VNI encodings is converted to Unicode with a notice (:mod:`.legacy`).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from nq05_metrics import loader
from nq05_metrics.contract import Problem
from nq05_metrics.intake import legacy
from nq05_metrics.intake.messages import notice, problem

if TYPE_CHECKING:  # openpyxl itself is imported when a workbook is read
    from openpyxl.cell.cell import Cell as XlCell
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_FORMULA_XML = re.compile(rb"<(?:\w+:)?f[ >/]")


@dataclass(frozen=True)
class Cell:
    """One cell: ``value`` (typed: str, int, float, datetime, bool; None when empty), ``fmt``
    (``percent``, ``date`` or ``""``) and ``formula`` (the formula text when Excel saved no
    value for it)."""

    value: object = None
    fmt: str = ""
    formula: str | None = None


EMPTY = Cell()


@dataclass
class Sheet:
    """A sheet as a grid: ``rows[r][c]`` is Excel row ``r + 1``, column ``c + 1``."""

    name: str
    rows: list[list[Cell]]
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()
    merged: tuple[str, ...] = ()
    visible: bool = True

    def cell(self, row: int, col: int) -> Cell:
        """The cell at 0-based ``row``, ``col`` (:data:`EMPTY` outside the grid)."""
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return EMPTY


@dataclass
class Book:
    """The sheets of one file; ``kind`` is ``xlsx`` or ``text``; ``legacy`` the converted
    encoding (``tcvn3``/``vni``) or None."""

    sheets: list[Sheet]
    kind: str
    legacy: str | None = None
    notices: list[Problem] = field(default_factory=list)


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → ``A``, 27 → ``AB``)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_book(raw: bytes, label: str) -> tuple[Book | None, list[Problem]]:
    """The file's sheets, or None and the one problem that names why it cannot be read."""
    kind = loader.file_kind(raw)
    if kind == "xls":
        key = "encrypted" if _ENCRYPTED in raw else "xls"
        return None, [problem(key, label, 1)]
    if kind == "xlsx":
        book, problems = _read_xlsx(raw, label)
    else:
        book, problems = _read_text(raw, label)
    if book is not None:
        _convert_legacy(book, label)
    return book, problems


def _read_xlsx(raw: bytes, label: str) -> tuple[Book | None, list[Problem]]:
    from openpyxl import load_workbook

    try:
        values = load_workbook(io.BytesIO(raw), data_only=True)
        formulas = load_workbook(io.BytesIO(raw), data_only=False) if _has_formulas(raw) else None
    # openpyxl raises many exception types on damaged workbooks; any of them means "unreadable".
    except Exception as exc:  # noqa: BLE001
        return None, [problem("damaged", label, 1, kind=type(exc).__name__)]
    sheets = [_sheet(ws, formulas[ws.title] if formulas else None) for ws in values.worksheets]
    return Book(sheets, "xlsx"), []


def _has_formulas(raw: bytes) -> bool:
    """Whether any worksheet XML holds a formula element (``<f>``)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return any(_FORMULA_XML.search(archive.read(name)) for name in archive.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _cell(cell: XlCell | MergedCell, formula_cell: XlCell | MergedCell | None) -> Cell:
    value = cell.value
    fmt_text = str(cell.number_format or "")
    is_date = bool(getattr(cell, "is_date", False))  # merged cells (filled later) have none
    fmt = "percent" if "%" in fmt_text else "date" if is_date else ""
    formula = None
    if value is None and formula_cell is not None:
        text = formula_cell.value
        if isinstance(text, str) and text.startswith("="):
            formula = text
    if isinstance(value, str):
        value = loader.cell_text(value) or None
    return Cell(value, fmt, formula) if (value is not None or fmt or formula) else EMPTY


def _sheet(ws: Worksheet, wf: Worksheet | None) -> Sheet:
    """One worksheet → :class:`Sheet` with merged ranges filled from their top-left cell."""
    rows: list[list[Cell]] = []
    formula_rows = list(wf.iter_rows()) if wf is not None else []
    for r, row in enumerate(ws.iter_rows()):
        frow = formula_rows[r] if r < len(formula_rows) else ()
        rows.append([_cell(c, frow[i] if i < len(frow) else None) for i, c in enumerate(row)])
    merged = []
    for rng in ws.merged_cells.ranges:
        merged.append(rng.coord)
        top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(rows) else EMPTY
        for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
            for c in range(rng.min_col - 1, min(rng.max_col, len(rows[r]))):
                rows[r][c] = top
    hidden_rows = frozenset(i for i, d in ws.row_dimensions.items() if d.hidden)
    hidden_cols = frozenset(c - 1 for d in ws.column_dimensions.values() if d.hidden
                            for c in range(d.min or 1, (d.max or d.min or 1) + 1))
    return Sheet(ws.title, rows, hidden_rows, hidden_cols, tuple(merged),
                 ws.sheet_state == "visible")


def _read_text(raw: bytes, label: str) -> tuple[Book | None, list[Problem]]:
    """CSV/text bytes (the loader's decoding) as one sheet; the separator is the one that splits
    the most lines into the same number of cells."""
    text, problems = loader.decode_text(raw, label)
    if text is None:
        return None, problems
    lines = text.splitlines()
    sample = [line for line in lines[:40] if line.strip()]
    separator = max((",", ";", "\t"), key=lambda s: sum(line.count(s) for line in sample))
    rows = [[Cell(loader.cell_text(v) or None) if loader.cell_text(v) else EMPTY for v in row]
            for row in csv.reader(io.StringIO(text), delimiter=separator)]
    return Book([Sheet("csv", rows)], "text", notices=list(problems)), []


def _convert_legacy(book: Book, label: str) -> None:
    """Convert every text cell when the book is TCVN3/VNI text, with one notice and an example."""
    texts = [c.value for s in book.sheets for row in s.rows for c in row if isinstance(c.value, str)]
    encoding = legacy.detect(texts)
    if encoding is None:
        return
    example = ""
    for sheet in book.sheets:
        for row in sheet.rows:
            for i, cell in enumerate(row):
                if isinstance(cell.value, str) and legacy.is_legacy(cell.value, encoding):
                    new = legacy.convert(cell.value, encoding)
                    if new != cell.value and not example:
                        example = f"'{cell.value}' → '{new}'"
                    row[i] = replace(cell, value=new)
        if legacy.is_legacy(sheet.name, encoding):
            sheet.name = legacy.convert(sheet.name, encoding)
    book.legacy = encoding
    book.notices.append(notice("legacy", label, None, None, encoding=encoding.upper(),
                               example=example))
