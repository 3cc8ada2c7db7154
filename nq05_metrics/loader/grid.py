"""Grid: decoded text or workbook rows → the header and, per header position, the cells of every
row whose width fits, each row keeping its 1-based file line.

Rows that are blank (every cell whitespace) are dropped; the first non-blank row is the header;
a row with fewer cells than the header, or with text beyond it, is an error (and left out).
Quote-free CSV text — nearly every file — is split in Arrow without making a Python object
per cell; text with quote characters is split by the :mod:`csv` module (Excel's quoting rules:
quoted separators and line breaks), and XLSX rows arrive as typed cells.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from nq05_metrics.contract import Problem, TableSpec
from nq05_metrics.loader.decoding import Row, decode, file_kind, nfc, xls_refused, xlsx_rows
from nq05_metrics.loader.messages import message, pair, problem

SEPARATORS = (",", ";", "\t")

#: The cells of one column over the aligned rows: an Arrow string array (CSV text) or a list of
#: typed Excel values.
Cells: TypeAlias = pa.Array | list[object]

# Python's whitespace (what str.strip removes), as an RE2 class for Arrow.
_SPACE_CLASS = "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(0x3001)) if c.isspace())
_BLANK = f"^[{_SPACE_CLASS}]*$"


@dataclass
class Grid:
    """The header (normalised names, trailing empty names dropped), its line, and per header
    position the cells of the aligned rows; ``lines[i]`` is the file line of row ``i``."""

    header: list[str]
    header_line: int
    lines: np.ndarray
    columns: list[Cells]
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Number of aligned data rows."""
        return len(self.lines)


def cell_text(value: object) -> str:
    """Any raw cell (CSV string or typed Excel value) as stripped NFC text; None/NaN → ``""``,
    ``True`` → ``"true"``, ``12.0`` → ``"12"``, a midnight datetime → its ISO date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return nfc(str(value)).strip()


def normalize_header(name: object) -> str:
    """Header cell → column name: NFC, strip (incl. BOM), lower case, inner spaces → ``_``."""
    text = nfc(cell_text(name)).replace("\ufeff", "").strip().lower()
    return re.sub(r"\s+", "_", text)


def sniff_separator(header_line: str) -> str:
    """The separator of ``header_line``: the most frequent of ``,`` ``;`` tab (``,`` on ties)."""
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def first_line(text: str) -> str:
    """The first non-blank line (looked for in the first 64 KB, then in the whole text)."""
    for chunk in (text[:65536], text):
        for line in chunk.splitlines():
            if line.strip():
                return line
    return ""


def _has_text(cells: list[object]) -> bool:
    """True when any cell is not blank."""
    if all(isinstance(c, str) for c in cells):
        return bool("".join(cells).strip())  # type: ignore[arg-type]
    return any(cell_text(c) for c in cells)


def _misfit(cells: list[object], width: int) -> bool:
    """A row that cannot be aligned: fewer cells than the header, or text beyond it."""
    return len(cells) < width or any(cell_text(c) for c in cells[width:])


def _width_error(file_label: str, line: int, cells: int, width: int) -> Problem:
    return problem(file_label, line, None,
                   message("row_width", "row_width_fix", cells=cells, width=width))


def _header(cells: Sequence[object]) -> list[str]:
    """Normalised header names without the trailing empty ones."""
    header = [normalize_header(c) for c in cells]
    while header and not header[-1]:
        header.pop()
    return header


def _as_cells(values: list[object]) -> Cells:
    """A column as Arrow strings when every cell is text, else the typed list."""
    if all(isinstance(v, str) for v in values):
        return pa.array(values, pa.string())
    return values


def aligned(header: list[str], header_line: int, rows: list[Row], file_label: str) -> Grid:
    """The grid of data ``rows`` under ``header``: rows that do not fit it are errors."""
    width = len(header)
    problems: list[Problem] = []
    good: list[Row] = []
    for line, cells in rows:
        if len(cells) != width and _misfit(cells, width):
            problems.append(_width_error(file_label, line, len(cells), width))
        else:
            good.append((line, cells))
    lines = np.array([line for line, _ in good], dtype=np.int64)
    columns = [_as_cells([cells[j] for _, cells in good]) for j in range(width)]
    return Grid(header, header_line, lines, columns, problems)


def grid_from_rows(rows: list[Row], file_label: str) -> Grid | None:
    """The grid of rows already split (``csv`` module or XLSX); None when every row is blank."""
    nonempty = [(line, cells) for line, cells in rows if _has_text(cells)]
    if not nonempty:
        return None
    header_line, header_cells = nonempty[0]
    return aligned(_header(header_cells), header_line, nonempty[1:], file_label)


def _arrow_split(body: bytes, separator: str, width: int) -> tuple[list[pa.Array], bool]:
    """Split quote-free UTF-8 lines into ``width`` Arrow string columns.

    Returns the columns and whether they are exactly one row per line of ``body`` (every line
    has ``width`` cells; an empty line is a row of empty cells). When the first line starts with
    a BOM, an all-empty line is put before it (and skipped) so that the BOM stays in its cell."""
    names = [f"c{j}" for j in range(width)]
    misfits: list[object] = []

    def misfit(row: object) -> str:
        misfits.append(row)
        return "skip"

    bom = body.startswith(b"\xef\xbb\xbf")  # Arrow would drop it from the first cell
    table = pa_csv.read_csv(
        io.BytesIO((separator * (width - 1) + "\n").encode() + body if bom else body),
        read_options=pa_csv.ReadOptions(column_names=names, skip_rows=int(bom),
                                        block_size=1 << 22),
        parse_options=pa_csv.ParseOptions(delimiter=separator, quote_char=False,
                                          newlines_in_values=False, ignore_empty_lines=False,
                                          invalid_row_handler=misfit),
        convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                              strings_can_be_null=False,
                                              quoted_strings_can_be_null=False),
    )
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    columns = [table.column(j).combine_chunks() for j in range(width)]
    return columns, not misfits and table.num_rows == lines


def _line_bounds(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """``(starts, ends)`` byte offsets of each ``\\n``-separated line (no final empty line)."""
    ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)
    if data and not data.endswith(b"\n"):
        ends = np.append(ends, len(data))
    starts = np.concatenate(([0], ends[:-1] + 1)) if len(ends) else ends
    return starts, ends


def _cell_counts(data: bytes, ends: np.ndarray, separator: str) -> np.ndarray:
    """Cells per line: 1 + the separators in it (an ASCII separator byte never occurs inside a
    UTF-8 multi-byte character)."""
    at = np.flatnonzero(np.frombuffer(data, np.uint8) == ord(separator))
    return np.bincount(np.searchsorted(ends, at, side="right"), minlength=len(ends)) + 1


def _blank_rows(arrays: list[pa.Array]) -> np.ndarray:
    """Rows whose every cell is whitespace (looked for column by column among the candidates)."""
    blank = np.ones(len(arrays[0]), dtype=bool)
    for array in arrays:
        where = np.flatnonzero(blank)
        if not len(where):
            break
        part = array if len(where) == len(blank) else array.take(pa.array(where))
        blank[where] = pc.match_substring_regex(part, _BLANK).to_numpy(zero_copy_only=False)
    return blank


def grid_from_text(text: str, separator: str, file_label: str, utf8: bytes | None = None
                   ) -> Grid | None:
    """The grid of a CSV text without quote characters: cells are what lies between
    separators; lines end at ``\\r\\n``, ``\\r`` or ``\\n``. Lines are measured in bytes
    with numpy, rows of the header's width split by Arrow; only rows of another width are
    looked at one by one. ``utf8``: the text's UTF-8 bytes when already at hand."""
    if "\r" in text:
        text, utf8 = text.replace("\r\n", "\n").replace("\r", "\n"), None
    pos, number = 0, 1
    while pos < len(text):  # the header: the first line with a non-blank cell
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if text[pos:end].replace(separator, "").strip():
            break
        pos, number = end + 1, number + 1
    else:
        return None
    header = _header(text[pos:end].split(separator))
    width = len(header)
    data = (text[end + 1:].encode("utf-8") if utf8 is None
            else utf8[len(text[:end + 1].encode("utf-8")):])
    if width and data:
        arrays, one_per_line = _arrow_split(data, separator, width)
        if one_per_line:  # the usual file: every line fits the header, lines follow each other
            return _without_blank(Grid(header, number, np.arange(len(arrays[0])) + number + 1,
                                       arrays))
    return _irregular(header, number, data, separator, file_label)


def _irregular(header: list[str], number: int, data: bytes, separator: str, file_label: str
               ) -> Grid:
    """The grid of lines of which some do not have the header's width: those are looked at one
    by one (blank: dropped; text beyond the header or too few cells: an error; else cut to the
    header's width), the rest split by Arrow."""
    width = len(header)
    starts, ends = _line_bounds(data)
    counts = _cell_counts(data, ends, separator)
    exact = (counts == width) & ((ends > starts) | (width != 1))
    problems: list[Problem] = []
    pieces, done = [], 0
    for i in np.flatnonzero(~exact).tolist():
        line = data[starts[i]:ends[i]].decode("utf-8")
        cells: list[object] = list(line.split(separator)) if line else []
        pieces.append(data[done:starts[i]])
        done = int(ends[i]) + 1
        if not _has_text(cells):
            continue
        if _misfit(cells, width):
            problems.append(_width_error(file_label, number + 1 + i, len(cells), width))
        else:
            pieces.append(separator.join(cells[:width]).encode("utf-8") + b"\n")  # type: ignore[arg-type]
            exact[i] = True
    pieces.append(data[done:])
    body = b"".join(pieces)
    lines = np.flatnonzero(exact) + number + 1
    if width == 0 or not len(lines):
        return Grid(header, number, lines, [pa.array([], pa.string())] * width, problems)
    arrays, one_per_line = _arrow_split(body, separator, width)
    if not one_per_line:
        raise RuntimeError("CSV lines of the header's width did not split into one row each")
    return _without_blank(Grid(header, number, lines, arrays, problems))


def _without_blank(grid: Grid) -> Grid:
    """The grid without its rows whose every cell is whitespace."""
    arrays = [c for c in grid.columns if isinstance(c, pa.Array)]
    blank = _blank_rows(arrays)
    if blank.any():
        keep = pa.array(~blank)
        grid.columns = [array.filter(keep) for array in arrays]
        grid.lines = grid.lines[~blank]
    return grid


def _csv_rows(text: str, separator: str, file_label: str) -> tuple[list[Row], list[Problem]]:
    """Rows of a CSV text with quotes, with the 1-based line each starts on; a syntax error
    ends the reading (the rows before it are kept)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, list(cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        msg = message("csv_syntax", "csv_syntax_fix", error=str(exc))
        return rows, [problem(file_label, start, None, msg)]
    return rows, []


def read_grid(raw: bytes, file_label: str) -> tuple[Grid | None, list[Problem]]:
    """Bytes → grid and the problems of decoding and CSV syntax (the grid's own problems, rows
    that do not fit the header, are in ``grid.problems``).

    The grid is None when nothing could be read or every row is blank."""
    kind = file_kind(raw)
    if kind == "xls":
        return None, [xls_refused(file_label)]
    if kind == "xlsx":
        rows, problems = xlsx_rows(raw, file_label)
        return grid_from_rows(rows, file_label), problems
    text, problems, utf8 = decode(raw, file_label)
    if text is None:
        return None, problems
    separator = sniff_separator(first_line(text))
    if '"' in text:
        rows, syntax = _csv_rows(text, separator, file_label)
        grid = grid_from_rows(rows, file_label)
        problems += syntax
    else:
        grid = grid_from_text(text, separator, file_label, utf8)
    return grid, problems


def _near_hint(name: str, present: list[str]) -> tuple[str, str]:
    """`` (is it 'x'?)`` for the closest present column name, or nothing."""
    near = difflib.get_close_matches(name, present, n=1, cutoff=0.6)
    return pair("column_hint", near=near[0]) if near else ("", "")


def map_header(spec: TableSpec, grid: Grid, file_label: str) -> tuple[dict[str, int], bool,
                                                                     list[Problem]]:
    """Column name → position in the grid, whether every required column is there, and the
    header's problems: a repeated column (error), a missing column (error when required, else a
    warning), a column that moved to another table (error: its figures would be lost), a
    column not in the contract (warning: ignored)."""
    line = grid.header_line
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for index, name in enumerate(grid.header):
        if name in positions:
            msg = message("duplicate_column", "duplicate_column_fix", column=name)
            problems.append(problem(file_label, line, name, msg))
        elif name:
            positions.setdefault(name, index)
    complete = True
    for col in spec.columns:
        if col.name in positions:
            continue
        complete &= not col.required
        hint = _near_hint(col.name, list(positions))
        if col.required:
            msg = message("missing_column", "missing_column_fix", column=col.name, hint=hint)
            problems.append(problem(file_label, line, col.name, msg))
        else:
            msg = message("missing_optional_column", column=col.name, hint=hint)
            problems.append(problem(file_label, line, col.name, msg, "warning"))
    listed = ", ".join(spec.column_names)
    moved = dict(spec.moved)
    for name in positions:
        if name in moved:
            msg = message("column_moved", "column_moved_fix", column=name, file=spec.file,
                          to=moved[name])
            problems.append(problem(file_label, line, name, msg))
        elif name not in spec.column_names:
            msg = message("unknown_column", "unknown_column_fix", column=name, file=spec.file,
                          columns=listed)
            problems.append(problem(file_label, line, name, msg, "warning"))
    return positions, complete, problems
