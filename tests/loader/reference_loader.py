"""The per-cell reference loader: how ``nq05_metrics.loader`` read a table before it was
vectorised, cell by cell, kept only so that property tests can check that the vectorised loader
returns the same frames and the same problems (file, line, column, texts) on any input.

Not used by the program. Its messages are literals on purpose (the program's come from the
string catalogue), so a changed catalogue text shows up as a difference here.
"""

from __future__ import annotations

import csv
import difflib
import gc
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from nq05_metrics.contract import (
    PERIOD_END,
    QUALITIES,
    TABLES,
    ColumnSpec,
    Problem,
    TableSpec,
    table_spec,
)
from nq05_metrics.units import UnitRegistry, build_registry

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_SEPARATORS = (",", ";", "\t")
_SAVE_UTF8_VI = 'Trong Excel chọn Tệp → Lưu thành → "CSV UTF-8 (phân tách bằng dấu phẩy)".'
_SAVE_UTF8_EN = 'In Excel choose File → Save As → "CSV UTF-8 (Comma delimited)".'

# --------------------------------------------------------------------------------------------
# Public types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Refs:
    """What cells may refer to; None skips that check."""

    units: UnitRegistry | None = None
    indicators: pd.DataFrame | None = None
    commodities: frozenset[str] | None = None
    #: any other table read without errors, by name (``ref=`` to its one-column key)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass
class _Grid:
    """Raw cells under a normalised header; ``lines[i]`` is the file line of ``rows[i]``."""

    header: list[str]
    header_line: int
    rows: list[list[object]]
    lines: list[int]


@dataclass
class _Ctx:
    """Problems collected while reading one file, and the rows that must be dropped."""

    file: str
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)
    bad: set[int] = field(default_factory=set)
    header_line: int = 1

    def error(
        self,
        row: int | None,
        column: str | None,
        vi: str,
        en: str,
        fix_vi: str | None = None,
        fix_en: str | None = None,
    ) -> None:
        """Record an error at data row ``row`` (None = header) and mark the row bad."""
        line = self.header_line if row is None else self.lines[row]
        self.problems.append(Problem(self.file, line, column, vi, en, fix_vi, fix_en))
        if row is not None:
            self.bad.add(row)

    def warn(
        self,
        line: int,
        column: str | None,
        vi: str,
        en: str,
        fix_vi: str | None = None,
        fix_en: str | None = None,
    ) -> None:
        """Record a warning (does not stop loading)."""
        self.problems.append(Problem(self.file, line, column, vi, en, fix_vi, fix_en, "warning"))


# --------------------------------------------------------------------------------------------
# 1. Decoding
# --------------------------------------------------------------------------------------------


def _line_of(raw: bytes, pos: int) -> int:
    """1-based line of byte offset ``pos``."""
    return raw[:pos].count(b"\n") + 1


def decode_text(raw: bytes, file_label: str) -> tuple[str | None, list[Problem]]:
    """Decode CSV bytes to NFC text: UTF-8(-BOM), UTF-16 with BOM, else cp1258 with a warning.

    Returns ``(None, [error])`` for binary or undecodable input."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _nfc(raw.decode("utf-16")), []
        except UnicodeDecodeError:
            return None, [_encoding_error(file_label, 1)]
    try:
        text, notices = raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = _line_of(raw, exc.start)
        try:
            text = raw.decode("cp1258")
        except UnicodeDecodeError:
            return None, [_encoding_error(file_label, line)]
        notices = [_cp1258_notice(file_label, line)]
    if "\x00" in text:
        return None, [_encoding_error(file_label, _line_of(raw, raw.find(b"\x00")))]
    return _nfc(text), notices


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _encoding_error(file_label: str, line: int) -> Problem:
    return Problem(
        file_label,
        line,
        None,
        "không đọc được tệp: không phải văn bản UTF-8 hay Windows-1258 (có thể là tệp nhị phân)",
        "cannot read the file: it is neither UTF-8 nor Windows-1258 text (binary file?)",
        _SAVE_UTF8_VI,
        _SAVE_UTF8_EN,
    )


def _cp1258_notice(file_label: str, line: int) -> Problem:
    return Problem(
        file_label,
        line,
        None,
        "tệp không phải UTF-8; đã đọc theo bảng mã Windows-1258 (cp1258) — hãy kiểm tra dấu tiếng Việt",
        "the file is not UTF-8; it was read as Windows-1258 (cp1258) — check the Vietnamese text",
        _SAVE_UTF8_VI,
        _SAVE_UTF8_EN,
        "warning",
    )


# --------------------------------------------------------------------------------------------
# 2. Grid: CSV or XLSX → header + rows with file lines
# --------------------------------------------------------------------------------------------


def sniff_separator(header_line: str) -> str:
    """The separator of ``header_line``: the most frequent of ``,`` ``;`` tab (``,`` on ties)."""
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _first_line(text: str) -> str:
    """The first non-blank line (looked for in the first 64 KB, then in the whole text)."""
    for chunk in (text[:65536], text):
        for line in chunk.splitlines():
            if line.strip():
                return line
    return ""


def _csv_rows(text: str, file_label: str) -> tuple[list[tuple[int, list[object]]], list[Problem]]:
    """Rows of a CSV text with the 1-based line each starts on."""
    separator = sniff_separator(_first_line(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[tuple[int, list[object]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, list(cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        return rows, [
            Problem(
                file_label,
                start,
                None,
                f"lỗi cú pháp CSV: {exc}",
                f"CSV syntax error: {exc}",
                "Kiểm tra dấu ngoặc kép và dấu phân cách trên dòng này.",
                "Check the quotes and separators on this line.",
            )
        ]
    return rows, []


def _xlsx_rows(raw: bytes, file_label: str) -> tuple[list[tuple[int, list[object]]], list[Problem]]:
    """Rows of the first sheet of an XLSX workbook, with their Excel row numbers."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=False, data_only=True)
        sheet = book.worksheets[0]
        rows = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    # openpyxl raises many exception types on damaged workbooks; any of them means "unreadable".
    except Exception as exc:  # noqa: BLE001
        return [], [
            Problem(
                file_label,
                1,
                None,
                f"không mở được tệp Excel: {type(exc).__name__}",
                f"cannot open the Excel file: {type(exc).__name__}",
                "Mở lại trong Excel và lưu thành .xlsx hoặc CSV UTF-8.",
                "Open it in Excel and save it again as .xlsx or CSV UTF-8.",
            )
        ]
    return rows, []


def _raw_rows(raw: bytes, file_label: str) -> tuple[list[tuple[int, list[object]]], list[Problem]]:
    """Dispatch on the file's magic bytes: XLSX, old XLS (refused) or CSV text."""
    if raw.startswith(XLSX_MAGIC):
        return _xlsx_rows(raw, file_label)
    if raw.startswith(XLS_MAGIC):
        return [], [
            Problem(
                file_label,
                1,
                None,
                "tệp Excel 97–2003 (.xls) không được hỗ trợ",
                "Excel 97–2003 (.xls) files are not supported",
                "Lưu lại thành .xlsx hoặc CSV UTF-8.",
                "Save it as .xlsx or CSV UTF-8.",
            )
        ]
    text, notices = decode_text(raw, file_label)
    if text is None:
        return [], notices
    rows, problems = _csv_rows(text, file_label)
    return rows, notices + problems


def normalize_header(name: object) -> str:
    """Header cell → column name: NFC, strip (incl. BOM), lower case, inner spaces → ``_``."""
    text = _nfc(cell_text(name)).replace("\ufeff", "").strip().lower()
    return re.sub(r"\s+", "_", text)


def _has_text(cells: list[object]) -> bool:
    """True when any cell is not blank (text cells: one C-level join instead of a cell loop)."""
    try:
        return bool("".join(cells).strip())  # type: ignore[arg-type]
    except TypeError:  # typed Excel cells
        return any(cell_text(c) for c in cells)


def _to_grid(rows: list[tuple[int, list[object]]]) -> _Grid | None:
    """Split rows into the header (first non-empty row) and data rows; drop empty rows."""
    nonempty = [(line, cells) for line, cells in rows if _has_text(cells)]
    if not nonempty:
        return None
    header_line, header_cells = nonempty[0]
    header = [normalize_header(c) for c in header_cells]
    while header and not header[-1]:
        header.pop()
    data = nonempty[1:]
    return _Grid(header, header_line, [c for _, c in data], [line for line, _ in data])


# --------------------------------------------------------------------------------------------
# 3. Cells
# --------------------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """Any raw cell (CSV string or typed Excel value) as stripped NFC text; None → ``""``."""
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
    return _nfc(str(value)).strip()


@dataclass(frozen=True)
class NumberReading:
    """How one number cell reads. ``cls``: ``neutral`` (plain digits or a typed Excel number),
    ``machine`` (``12.5``), ``vn`` (``1.234,5``), ``ambiguous_dot`` (``12.500``),
    ``ambiguous_comma`` (``1,234``), ``invalid``. ``machine``/``vn`` hold the value under each
    format (None when the cell cannot be read that way); for ambiguous cells ``thousands`` and
    ``decimal`` are the two readings (``12.500`` → 12500 / 12.5)."""

    cls: str
    machine: float | None
    vn: float | None
    thousands: float | None = None
    decimal: float | None = None


_SPACE = "[ \u00a0\u202f\u2009]"
_RX_INT = re.compile(r"\d+")
_RX_EXP = re.compile(r"(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+")
_RX_DOT = re.compile(r"\d*\.\d+")
_RX_AMBIG_DOT = re.compile(r"[1-9]\d{0,2}\.\d{3}")
_RX_AMBIG_COMMA = re.compile(r"[1-9]\d{0,2},\d{3}")
_RX_VN_GROUPS = re.compile(r"[1-9]\d{0,2}(\.\d{3}){2,}")
_RX_VN_COMMA = re.compile(r"([1-9]\d{0,2}(\.\d{3})+|\d+),\d+")
_RX_SPACE_GROUPS = re.compile(rf"[1-9]\d{{0,2}}({_SPACE}\d{{3}})+(,\d+)?")
_INF_WORDS = {"inf", "infinity", "∞", "+inf", "+∞"}


def _vn_value(body: str) -> float:
    """``1.234,5`` / ``12 500`` → 1234.5 / 12500 (dots and spaces group, comma is decimal)."""
    return float(re.sub(_SPACE, "", body).replace(".", "").replace(",", "."))


def classify_number(token: str) -> NumberReading:
    """Classify one stripped number cell (sign allowed: ``-``, ``+``, ``−``).

    Evidence rules: a comma decimal (``12,5``, ``1.234,5``), several dot groups (``1.234.567``)
    or space groups (``12 500``) mean Vietnamese format; a dot followed by other than exactly three
    digits (``12.5``) or an exponent means machine format; ``12.500`` / ``1,234`` are ambiguous."""
    sign = -1.0 if token[:1] in ("-", "−") else 1.0
    body = token[1:] if token[:1] in ("-", "−", "+") else token
    if _RX_INT.fullmatch(body):
        value = sign * float(body)
        return NumberReading("neutral", value, value)
    if _RX_EXP.fullmatch(body):
        return NumberReading("machine", sign * float(body), None)
    if _RX_AMBIG_DOT.fullmatch(body):
        big, small = sign * _vn_value(body), sign * float(body)
        return NumberReading("ambiguous_dot", small, big, big, small)
    if _RX_DOT.fullmatch(body):
        return NumberReading("machine", sign * float(body), None)
    if _RX_AMBIG_COMMA.fullmatch(body):
        big, small = sign * float(body.replace(",", "")), sign * _vn_value(body)
        return NumberReading("ambiguous_comma", None, small, big, small)
    if _RX_VN_GROUPS.fullmatch(body) or _RX_VN_COMMA.fullmatch(body):
        return NumberReading("vn", None, sign * _vn_value(body))
    if _RX_SPACE_GROUPS.fullmatch(body):
        return NumberReading("vn", None, sign * _vn_value(body))
    return NumberReading("invalid", None, None)


def format_number(value: float) -> str:
    """Canonical, unambiguous machine form: ``1234.5``, ``12500``, ``1.2340`` (never ``d.ddd``)."""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = repr(float(value))
    if "e" not in text and len(text.split(".")[1]) == 3:
        text += "0"
    return text


_fmt = format_number


def _column_format(readings: list[NumberReading | None]) -> str | None:
    """The column's format: ``machine``, ``vn``, ``conflict`` or None (no evidence).

    With evidence for both, the clear majority wins (its minority cells are reported); a tie is
    ``conflict``."""
    machine = sum(1 for r in readings if r is not None and r.cls == "machine")
    vn = sum(1 for r in readings if r is not None and r.cls == "vn")
    if machine and vn:
        return "machine" if machine > vn else "vn" if vn > machine else "conflict"
    return "machine" if machine else "vn" if vn else None


def _read_number_cells(cells: list[object]) -> tuple[list[NumberReading | None], list[str]]:
    """Readings per cell (None = empty) and the cell texts (for messages)."""
    readings: list[NumberReading | None] = []
    texts: list[str] = []
    for cell in cells:
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            value = float(cell)
            texts.append(cell_text(cell))
            readings.append(None if math.isnan(value) else NumberReading("neutral", value, value))
            continue
        text = cell_text(cell)
        texts.append(text)
        if not text:
            readings.append(None)
        elif text.lower() in _INF_WORDS:
            readings.append(NumberReading("inf", math.inf, math.inf))
        else:
            readings.append(classify_number(text))
    return readings, texts


def _number_value(reading: NumberReading, fmt: str | None) -> float | None:
    """The value of a reading under the column format, None when it cannot be decided."""
    if reading.cls in ("neutral", "inf"):
        return reading.machine
    if reading.cls == "machine" and fmt == "machine":
        return reading.machine
    if reading.cls == "vn" and fmt == "vn":
        return reading.vn
    if reading.cls == "ambiguous_dot" and fmt in ("machine", "vn"):
        return reading.machine if fmt == "machine" else reading.vn
    if reading.cls == "ambiguous_comma" and fmt == "vn":
        return reading.vn
    return None


def _number_problem(
    spec: ColumnSpec, reading: NumberReading, text: str, fmt: str | None
) -> tuple[str, str, str, str]:
    """(what_vi, what_en, fix_vi, fix_en) for a number cell that could not be read."""
    if reading.cls == "invalid" or (reading.cls == "inf" and not spec.allow_inf):
        empty_vi = " hoặc để trống nếu chưa có số liệu" if spec.nullable else ""
        empty_en = " or leave it empty when there is no data" if spec.nullable else ""
        return (
            f"'{text}' không phải là số",
            f"'{text}' is not a number",
            f"Chỉ ghi số (ví dụ 1234.5), không kèm đơn vị hay chữ{empty_vi}.",
            f"Write only the number (e.g. 1234.5), no unit or words{empty_en}.",
        )
    if reading.cls.startswith("ambiguous") and fmt in (None, "conflict", "machine"):
        return _ambiguous_problem(reading, text, fmt)
    mine = "Việt Nam (1.234,5)" if reading.cls == "vn" else "máy (1234.5)"
    mine_en = "Vietnamese (1.234,5)" if reading.cls == "vn" else "machine (1234.5)"
    return (
        f"'{text}' viết theo kiểu {mine} nhưng cột này lẫn hai kiểu viết số",
        f"'{text}' is written in {mine_en} format but this column mixes both number formats",
        "Viết mọi số trong cột theo một kiểu, tốt nhất là 1234.5 (dấu chấm thập phân, "
        "không có dấu phân cách hàng nghìn).",
        "Write every number in the column one way, preferably 1234.5 (dot decimal, no thousands separator).",
    )


def _ambiguous_problem(reading: NumberReading, text: str, fmt: str | None) -> tuple[str, str, str, str]:
    """Message for ``12.500`` / ``1,234``: both readings and how to write each unambiguously."""
    big, small = reading.thousands or 0.0, reading.decimal or 0.0
    why_vi = (
        "cột không có số nào cho biết cách viết"
        if fmt is None
        else "dấu phẩy không hợp lệ trong cột viết kiểu máy"
        if fmt == "machine"
        else "cột lẫn hai kiểu viết số"
    )
    why_en = (
        "no other number in the column shows which format it uses"
        if fmt is None
        else "a comma is not valid in a machine-format column"
        if fmt == "machine"
        else "the column mixes both number formats"
    )
    return (
        f"'{text}' có thể hiểu là {_fmt(big)} hoặc {_fmt(small)} ({why_vi})",
        f"'{text}' could mean {_fmt(big)} or {_fmt(small)} ({why_en})",
        f"Viết {_fmt(big)} nếu là {_fmt(big)}, hoặc {_fmt(small)} nếu là số thập phân.",
        f"Write {_fmt(big)} if you mean {_fmt(big)}, or {_fmt(small)} for the decimal.",
    )


def _parse_numbers(spec: ColumnSpec, cells: list[object], ctx: _Ctx) -> list[object]:
    """Parse a number column: decide its format from evidence, then read every cell."""
    readings, texts = _read_number_cells(cells)
    fmt = _column_format(readings)
    values: list[object] = []
    for row, (reading, text) in enumerate(zip(readings, texts, strict=True)):
        if reading is None:
            values.append(_missing(spec, row, ctx))
            continue
        value = _number_value(reading, fmt) if reading.cls != "inf" or spec.allow_inf else None
        if value is None:
            ctx.error(row, spec.name, *_number_problem(spec, reading, text, fmt))
        elif _check_number(spec, value, text, row, ctx):
            values.append(int(value) if spec.kind == "int" else value)
            continue
        values.append(None)
    return values


def _check_number(spec: ColumnSpec, value: float, text: str, row: int, ctx: _Ctx) -> bool:
    """Range and integrality checks; records an error and returns False on failure."""
    if spec.kind == "int" and not (math.isfinite(value) and value.is_integer()):
        ctx.error(
            row,
            spec.name,
            f"'{text}' không phải số nguyên",
            f"'{text}' is not a whole number",
            "Ghi số nguyên, ví dụ 2025.",
            "Write a whole number, e.g. 2025.",
        )
        return False
    low, high = spec.min_value, spec.max_value
    too_low = low is not None and (value < low or (value == low and not spec.min_inclusive))
    if too_low or (high is not None and value > high):
        ctx.error(row, spec.name, *_range_problem(spec, value))
        return False
    return True


def _range_problem(spec: ColumnSpec, value: float) -> tuple[str, str, str, str]:
    """Message for a number outside ``[min_value, max_value]``."""
    low, high = spec.min_value, spec.max_value
    if low is not None and not spec.min_inclusive:
        rng_vi, rng_en = f"phải lớn hơn {_fmt(low)}", f"must be greater than {_fmt(low)}"
    elif high is None:
        rng_vi, rng_en = f"phải ≥ {_fmt(low or 0)}", f"must be ≥ {_fmt(low or 0)}"
    elif low is None:
        rng_vi, rng_en = f"phải ≤ {_fmt(high)}", f"must be ≤ {_fmt(high)}"
    else:
        rng_vi = f"phải trong khoảng {_fmt(low)}–{_fmt(high)}"
        rng_en = f"must be between {_fmt(low)} and {_fmt(high)}"
    negative = low == 0 and value < 0
    what_vi = f"giá trị {_fmt(value)} {rng_vi}" + (" (đại lượng này không thể âm)" if negative else "")
    what_en = f"value {_fmt(value)} {rng_en}" + (" (this quantity cannot be negative)" if negative else "")
    return what_vi, what_en, "Kiểm tra lại số liệu trong ô này.", "Check the figure in this cell."


def _missing(spec: ColumnSpec, row: int, ctx: _Ctx) -> object:
    """Value of an empty cell: NaN/"" when allowed, else an error and None."""
    if spec.nullable:
        return math.nan if spec.kind == "float" else ""
    ctx.error(
        row,
        spec.name,
        "ô bắt buộc nhưng đang để trống",
        "required cell is empty",
        "Điền giá trị cho ô này.",
        "Fill in this cell.",
    )
    return None


_TRUE = {"true", "1", "yes", "y", "x", "có", "co", "đúng", "dung"}
_FALSE = {"false", "0", "no", "n", "không", "khong", "sai"}


def _parse_bool(spec: ColumnSpec, cells: list[object], ctx: _Ctx) -> list[object]:
    """``true/false``, ``1/0``, ``yes/no``, ``có/không``, ``đúng/sai`` (any case)."""
    values: list[object] = []
    for row, cell in enumerate(cells):
        text = cell_text(cell).lower()
        if not text:
            values.append(_missing(spec, row, ctx) if not spec.nullable else False)
        elif text in _TRUE or text in _FALSE:
            values.append(text in _TRUE)
        else:
            ctx.error(
                row,
                spec.name,
                f"'{text}' không phải đúng/sai",
                f"'{text}' is not true/false",
                "Ghi true hoặc false.",
                "Write true or false.",
            )
            values.append(None)
    return values


def _parse_enum(spec: ColumnSpec, cells: list[object], ctx: _Ctx) -> list[object]:
    """One of ``spec.allowed``, matched case-insensitively; stored lower case."""
    allowed = spec.allowed or ()
    values: list[object] = []
    for row, cell in enumerate(cells):
        text = cell_text(cell).lower()
        if not text:
            values.append(_missing(spec, row, ctx))
        elif text in allowed:
            values.append(text)
        else:
            listed = ", ".join(allowed)
            ctx.error(
                row,
                spec.name,
                f"giá trị '{text}' không hợp lệ; chỉ nhận: {listed}",
                f"value '{text}' is not allowed; allowed: {listed}",
                f"Chọn một trong: {listed}.",
                f"Use one of: {listed}.",
            )
            values.append(None)
    return values


def _parse_text(spec: ColumnSpec, cells: list[object], ctx: _Ctx) -> list[object]:
    """Free text (NFC, stripped); checks ``spec.pattern`` when set."""
    values: list[object] = []
    for row, cell in enumerate(cells):
        text = cell_text(cell)
        if not text:
            values.append(_missing(spec, row, ctx))
        elif spec.pattern and not re.fullmatch(spec.pattern, text):
            ctx.error(
                row,
                spec.name,
                f"'{text}' sai định dạng (cần khớp {spec.pattern})",
                f"'{text}' has the wrong format (must match {spec.pattern})",
                _pattern_hint(spec.pattern, "vi"),
                _pattern_hint(spec.pattern, "en"),
            )
            values.append(None)
        else:
            values.append(text)
    return values


def _pattern_hint(pattern: str, lang: str) -> str:
    hints = {
        r"#[0-9A-Fa-f]{6}": ("Ghi mã màu dạng #1a9850.", "Write a colour like #1a9850."),
        r"\d{4}-\d{2}-\d{2}": ("Ghi ngày dạng 2025-06-30.", "Write a date like 2025-06-30."),
        r"\d+": ("Ghi mã số, ví dụ 110.", "Write a numeric code, e.g. 110."),
    }
    default = (
        "Chỉ dùng chữ không dấu, số, _ - . và không có dấu cách.",
        "Use only letters, digits, _ - . and no spaces.",
    )
    vi, en = hints.get(pattern, default)
    return vi if lang == "vi" else en


def _parse_code(spec: ColumnSpec, cells: list[object], ctx: _Ctx, refs: _Refs) -> list[object]:
    """Identifiers; unit codes resolved from names, references checked when known."""
    if spec.ref == "units" and refs.units is not None:
        return _parse_unit_codes(spec, cells, ctx, refs.units)
    texts = [cell_text(c) for c in cells]
    if spec.name in ("unit_code", "parent_code"):
        texts = [_code_text(t) for t in texts]
    values = _parse_text(spec, texts, ctx)
    valid = _ref_values(spec.ref, refs)
    if valid is None:
        return values
    for row, value in enumerate(values):
        if value and value not in valid:
            ctx.error(row, spec.name, *_unknown_ref(spec, str(value), valid))
            values[row] = None
    return values


def _code_text(text: str) -> str:
    """``110.0`` (Excel) → ``110``; anything else unchanged."""
    from nq05_metrics.units import normalize_code

    return normalize_code(text) or text


def _ref_values(ref: str | None, refs: _Refs) -> frozenset[str] | None:
    if ref == "indicators" and refs.indicators is not None:
        return frozenset(refs.indicators["indicator_id"].astype(str))
    if ref == "commodities" and refs.commodities is not None:
        return refs.commodities
    if ref in refs.tables:
        return frozenset(refs.tables[ref][TABLES[ref].key[0]].astype(str))
    return None


def _unknown_ref(spec: ColumnSpec, value: str, valid: frozenset[str]) -> tuple[str, str, str, str]:
    """Message for an id that is not in the referenced table, with near matches."""
    near = difflib.get_close_matches(value, sorted(valid), n=3, cutoff=0.6)
    table = TABLES[spec.ref].file if spec.ref in TABLES else ""
    hint_vi = f" Có phải: {', '.join(near)}?" if near else ""
    hint_en = f" Did you mean: {', '.join(near)}?" if near else ""
    return (
        f"'{value}' không có trong {table}",
        f"'{value}' is not in {table}",
        f"Dùng một mã có trong {table}.{hint_vi}",
        f"Use an id listed in {table}.{hint_en}",
    )


def _parse_unit_codes(spec: ColumnSpec, cells: list[object], ctx: _Ctx, units: UnitRegistry) -> list[object]:
    """Unit codes or names in any spelling → GSO code strings."""
    values: list[object] = []
    seen: dict[str, str | None] = {}  # the same few names repeat on every row
    for row, cell in enumerate(cells):
        text = cell_text(cell)
        if not text:
            values.append(_missing(spec, row, ctx))
            continue
        if isinstance(cell, (int, float)):
            code = units.resolve(cell)
        else:
            code = seen[text] if text in seen else seen.setdefault(text, units.resolve(text))
        if code is None:
            ctx.error(row, spec.name, *_unknown_unit(text, units))
        values.append(code)
    return values


def _unknown_unit(text: str, units: UnitRegistry) -> tuple[str, str, str, str]:
    """Message for an unknown unit name/code listing every valid name with its code."""
    listed_vi = ", ".join(
        f"{n} ({c})" for n, c in zip(units.valid_names("vi"), units.units["unit_code"], strict=True)
    )
    listed_en = ", ".join(
        f"{n} ({c})" for n, c in zip(units.valid_names("en"), units.units["unit_code"], strict=True)
    )
    return (
        f"không nhận ra đơn vị hành chính '{text}'",
        f"unknown administrative unit '{text}'",
        f"Dùng mã hoặc tên hợp lệ: {listed_vi}.",
        f"Use a valid code or name: {listed_en}.",
    )


def _parse_column(spec: ColumnSpec, cells: list[object], ctx: _Ctx, refs: _Refs) -> list[object]:
    """Dispatch one column to the per-cell parser for its kind."""
    if spec.kind in ("int", "float"):
        return _parse_numbers(spec, cells, ctx)
    if spec.kind == "bool":
        return _parse_bool(spec, cells, ctx)
    if spec.kind == "enum":
        return _parse_enum(spec, cells, ctx)
    if spec.kind == "code":
        return _parse_code(spec, cells, ctx, refs)
    return _parse_text(spec, cells, ctx)


# --------------------------------------------------------------------------------------------
# Header and rows
# --------------------------------------------------------------------------------------------


def _map_header(spec: TableSpec, grid: _Grid, ctx: _Ctx) -> tuple[dict[str, int], bool]:
    """Column name → index in the grid; reports missing/duplicate/unknown columns.

    Returns the mapping and whether every required column is present."""
    positions: dict[str, int] = {}
    for index, name in enumerate(grid.header):
        if name in positions:
            ctx.error(
                None,
                name,
                f"cột '{name}' xuất hiện hai lần",
                f"column '{name}' appears twice",
                "Xoá một trong hai cột.",
                "Delete one of the two columns.",
            )
        elif name:
            positions.setdefault(name, index)
    complete = True
    for col in spec.columns:
        if col.name not in positions:
            complete &= not col.required
            _report_missing_column(spec, col, list(positions), ctx, grid.header_line)
    for name in positions:
        if name not in spec.column_names:
            ctx.warn(
                grid.header_line,
                name,
                f"bỏ qua cột không có trong mẫu: '{name}'",
                f"ignored column not in the template: '{name}'",
                f"Các cột của {spec.file}: {', '.join(spec.column_names)}.",
                f"The columns of {spec.file} are: {', '.join(spec.column_names)}.",
            )
    return positions, complete


def _report_missing_column(
    spec: TableSpec, col: ColumnSpec, present: list[str], ctx: _Ctx, line: int
) -> None:
    near = difflib.get_close_matches(col.name, present, n=1, cutoff=0.6)
    hint_vi = f" (có phải cột '{near[0]}'?)" if near else ""
    hint_en = f" (is it '{near[0]}'?)" if near else ""
    if col.required:
        ctx.problems.append(
            Problem(
                ctx.file,
                line,
                col.name,
                f"thiếu cột bắt buộc '{col.name}'{hint_vi}",
                f"missing required column '{col.name}'{hint_en}",
                f"Thêm cột '{col.name}' vào dòng tiêu đề.",
                f"Add the column '{col.name}' to the header.",
            )
        )
    else:
        ctx.warn(
            line,
            col.name,
            f"không có cột '{col.name}'; coi như để trống{hint_vi}",
            f"no column '{col.name}'; treated as empty{hint_en}",
        )


def _align_rows(grid: _Grid, ctx: _Ctx) -> list[int]:
    """Indices of rows whose cell count fits the header; others get one error each."""
    width = len(grid.header)
    good: list[int] = []
    for row, cells in enumerate(grid.rows):
        if len(cells) == width:
            good.append(row)
            continue
        extra = cells[width:]
        if len(cells) < width or any(cell_text(c) for c in extra):
            ctx.error(
                row,
                None,
                f"dòng có {len(cells)} ô nhưng tiêu đề có {width} cột",
                f"the row has {len(cells)} cells but the header has {width} columns",
                "Kiểm tra dấu phân cách và dấu ngoặc kép; ô có dấu phẩy phải nằm trong ngoặc kép.",
                "Check separators and quotes; a cell containing the separator must be quoted.",
            )
        else:
            good.append(row)
    return good


# --------------------------------------------------------------------------------------------
# 4. Table rules
# --------------------------------------------------------------------------------------------

Columns = dict[str, list[object]]


def _check_duplicates(spec: TableSpec, data: Columns, rows: list[int], ctx: _Ctx) -> None:
    """Each key must be unique; a repeat names both lines."""
    seen: dict[tuple[object, ...], int] = {}
    for row in rows:
        key = tuple(data[name][row] for name in spec.key)
        if any(part is None or part == "" for part in key):
            continue
        if key in seen:
            shown = ", ".join(f"{n}={v}" for n, v in zip(spec.key, key, strict=True))
            first = ctx.lines[seen[key]]
            ctx.error(
                row,
                spec.key[-1],
                f"trùng khoá ({shown}) với dòng {first}",
                f"duplicate key ({shown}), same as line {first}",
                f"Giữ một trong hai dòng {first} và {ctx.lines[row]}.",
                f"Keep only one of lines {first} and {ctx.lines[row]}.",
            )
        else:
            seen[key] = row


def _rule_indicators(data: Columns, rows: list[int], ctx: _Ctx, refs: _Refs) -> None:
    """``aggregation = sum`` only for an additive unit."""
    measures = refs.tables.get("measures")
    additive = {} if measures is None else dict(zip(measures["unit"], measures["additive"],
                                                    strict=True))
    for row in rows:
        unit = data["unit"][row]
        if data["aggregation"][row] == "sum" and additive.get(unit) is False:
            ctx.error(
                row,
                "aggregation",
                f"đơn vị '{unit}' không cộng được (units_of_measure.csv: additive = false)",
                f"unit '{unit}' is not additive (units_of_measure.csv: additive = false)",
                "Ghi aggregation = none, hoặc sửa additive của đơn vị.",
                "Write aggregation = none, or fix the unit's additive flag.",
            )


def _rule_targets(data: Columns, rows: list[int], ctx: _Ctx, refs: _Refs) -> None:
    """A target's year is after its indicator's baseline year (the plan's period needs
    plans.csv, which a single-table read does not have)."""
    if refs.indicators is None or refs.indicators.empty:
        return
    base = dict(zip(refs.indicators["indicator_id"], refs.indicators["baseline_year"], strict=True))
    for row in rows:
        year, first = data["target_year"][row], base.get(data["indicator_id"][row])
        if isinstance(year, int) and first is not None and first >= year:
            ctx.error(
                row,
                "target_year",
                f"năm chỉ tiêu {year} không sau năm gốc {first} của chỉ tiêu",
                f"target year {year} is not after the indicator's baseline year {first}",
                "Ghi năm chỉ tiêu sau năm gốc (indicators.csv, cột baseline_year).",
                "Use a target year after the baseline year (indicators.csv, column baseline_year).",
            )


def _rule_observations(data: Columns, rows: list[int], ctx: _Ctx, refs: _Refs) -> None:
    """An observation's year lies between its indicator's baseline_year and 2030."""
    if refs.indicators is None or refs.indicators.empty:
        return
    base = dict(zip(refs.indicators["indicator_id"], refs.indicators["baseline_year"], strict=True))
    for row in rows:
        year, first = data["year"][row], base.get(data["indicator_id"][row])
        if isinstance(year, int) and first is not None and not first <= year <= PERIOD_END:
            ctx.error(
                row,
                "year",
                f"năm {year} ngoài giai đoạn {first}–{PERIOD_END} của chỉ tiêu",
                f"year {year} is outside the indicator's period {first}–{PERIOD_END}",
                f"Ghi năm từ {first} (năm gốc) đến {PERIOD_END}.",
                f"Use a year from {first} (the baseline year) to {PERIOD_END}.",
            )


def _rule_units(data: Columns, rows: list[int], ctx: _Ctx, refs: _Refs) -> None:
    """parent_code, when set, is a unit_code of the same table."""
    codes = {data["unit_code"][r] for r in range(len(ctx.lines))}
    for row in rows:
        parent = data["parent_code"][row]
        if parent and parent not in codes:
            ctx.error(
                row,
                "parent_code",
                f"mã cấp trên '{parent}' không có trong bảng",
                f"parent code '{parent}' is not in the table",
                "Dùng một unit_code có trong units.csv.",
                "Use a unit_code listed in units.csv.",
            )


def _rule_qualities(data: Columns, rows: list[int], ctx: _Ctx, refs: _Refs) -> None:
    """Every quality flag of the contract has a label."""
    present = {data["quality"][r] for r in rows}
    for quality in QUALITIES:
        if quality not in present:
            ctx.error(
                None,
                "quality",
                f"thiếu mức chất lượng '{quality}'",
                f"quality level '{quality}' is missing",
                f"Thêm một dòng cho '{quality}'.",
                f"Add a row for '{quality}'.",
            )


def _rule_bands(data: Columns, rows: list[int], ctx: _Ctx, refs: _Refs) -> None:
    """Bands with a min_pct cover 0..∞ without gap or overlap; empty max_pct means ∞."""
    ranged: list[tuple[float, float, int]] = []
    for row in rows:
        low, high = data["min_pct"][row], data["max_pct"][row]
        if not isinstance(low, float) or not isinstance(high, float):
            continue
        if math.isnan(low):
            if not math.isnan(high):
                ctx.error(
                    row,
                    "min_pct",
                    "có max_pct nhưng thiếu min_pct",
                    "max_pct is set but min_pct is empty",
                    "Điền min_pct, hoặc để trống cả hai (nhóm 'chưa có số liệu').",
                    "Fill in min_pct, or leave both empty (a 'no data' band).",
                )
            continue
        high = math.inf if math.isnan(high) else high
        data["max_pct"][row] = high
        if high <= low:
            ctx.error(
                row,
                "max_pct",
                f"max_pct {_fmt(high)} phải lớn hơn min_pct {_fmt(low)}",
                f"max_pct {_fmt(high)} must be greater than min_pct {_fmt(low)}",
                "Sửa giới hạn của nhóm.",
                "Fix the band limits.",
            )
        else:
            ranged.append((low, high, row))
    _check_coverage(sorted(ranged), ctx)


def _check_coverage(ranged: list[tuple[float, float, int]], ctx: _Ctx) -> None:
    """Sorted (low, high, row) bands must start at 0, chain exactly and end at ∞."""
    if not ranged:
        ctx.error(
            None,
            "min_pct",
            "không có nhóm nào có giới hạn",
            "no band has limits",
            "Thêm các nhóm phủ từ 0 đến vô cùng.",
            "Add bands covering 0 to infinity.",
        )
        return
    if ranged[0][0] != 0:
        ctx.error(
            ranged[0][2],
            "min_pct",
            f"các nhóm không bắt đầu từ 0 (từ {_fmt(ranged[0][0])})",
            f"the bands do not start at 0 (they start at {_fmt(ranged[0][0])})",
            "Đặt min_pct = 0 cho nhóm thấp nhất.",
            "Set min_pct = 0 for the lowest band.",
        )
    _check_chain(ranged, ctx)
    if ranged[-1][1] != math.inf:
        ctx.error(
            ranged[-1][2],
            "max_pct",
            "nhóm cao nhất phải không có giới hạn trên",
            "the highest band must have no upper limit",
            "Để trống max_pct của nhóm cao nhất.",
            "Leave max_pct of the highest band empty.",
        )


def _check_chain(ranged: list[tuple[float, float, int]], ctx: _Ctx) -> None:
    """Each band's min_pct equals the max_pct of the band below (no gap, no overlap)."""
    for (_, high, _), (low, _, row) in zip(ranged, ranged[1:], strict=False):
        if high != low:
            kind_vi, kind_en = ("khoảng trống", "a gap") if high < low else ("chồng lấn", "an overlap")
            ctx.error(
                row,
                "min_pct",
                f"{kind_vi} giữa {_fmt(high)} và {_fmt(low)}",
                f"{kind_en} between {_fmt(high)} and {_fmt(low)}",
                "min_pct của nhóm phải bằng max_pct của nhóm liền dưới.",
                "A band's min_pct must equal the max_pct of the band below.",
            )


_RULES: dict[str, Callable[[Columns, list[int], _Ctx, _Refs], None]] = {
    "indicators": _rule_indicators,
    "observations": _rule_observations,
    "targets": _rule_targets,
    "units": _rule_units,
    "qualities": _rule_qualities,
    "bands": _rule_bands,
}


# --------------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------------

_DTYPES = {
    "text": "str",
    "code": "str",
    "enum": "str",
    "int": "int64",
    "float": "float64",
    "bool": "bool",
}


def empty_frame(spec: TableSpec) -> pd.DataFrame:
    """A frame with the table's columns and dtypes and no rows."""
    return pd.DataFrame({c.name: pd.Series([], dtype=_DTYPES[c.kind]) for c in spec.columns})


def _frame(spec: TableSpec, data: Columns, keep: list[int]) -> pd.DataFrame:
    """Typed frame of the rows in ``keep`` (contract column order and dtypes)."""
    columns = {}
    whole = len(keep) == len(next(iter(data.values()), [])) and keep == list(range(len(keep)))
    for col in spec.columns:
        values = data[col.name] if whole else [data[col.name][r] for r in keep]
        if col.kind == "float":
            values = [math.nan if v is None else v for v in values]
        columns[col.name] = pd.Series(values, dtype=_DTYPES[col.kind])
    return pd.DataFrame(columns)


@dataclass
class _Read:
    """A read table with the file line of each frame row (for later cross-table messages)."""

    frame: pd.DataFrame
    lines: list[int]
    problems: list[Problem]


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of cell strings and row lists are
    made (none of them can form a cycle): at a million rows the collector's repeated scans
    of the growing heap cost more than the parsing itself (measured 15.8 s → 8.9 s)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(spec: TableSpec, raw: bytes, refs: _Refs, file_label: str) -> _Read:
    """Read and validate one table; never raises on bad input."""
    with _no_gc_pauses():
        return _read_table(spec, raw, refs, file_label)


def _read_table(spec: TableSpec, raw: bytes, refs: _Refs, file_label: str) -> _Read:
    rows, problems = _raw_rows(raw, file_label)
    return _read_grid(spec, _to_grid(rows), problems, refs, file_label)


def _read_grid(spec: TableSpec, grid: _Grid | None, problems: list[Problem], refs: _Refs,
               file_label: str) -> _Read:
    if grid is None:
        if not any(p.is_error for p in problems):
            problems.append(
                Problem(
                    file_label,
                    1,
                    None,
                    "tệp trống (không có dòng tiêu đề)",
                    "the file is empty (no header row)",
                    f"Dòng đầu phải là: {','.join(spec.column_names)}",
                    f"The first line must be: {','.join(spec.column_names)}",
                )
            )
        return _Read(empty_frame(spec), [], problems)
    ctx = _Ctx(file_label, grid.lines, problems, header_line=grid.header_line)
    positions, complete = _map_header(spec, grid, ctx)
    good = _align_rows(grid, ctx)
    data = _parse_cells(spec, grid, positions, good, ctx, refs)
    if spec.name == "targets" and refs.units is not None and complete:  # empty = the province
        data["unit_code"] = ["12" if v == "" else v for v in data["unit_code"]]
    rows_ok = [r for r in good if r not in ctx.bad]
    _check_duplicates(spec, data, rows_ok, ctx)
    if complete and spec.name in _RULES:
        _RULES[spec.name](data, [r for r in good if r not in ctx.bad], ctx, refs)
    keep = [r for r in good if r not in ctx.bad] if complete else []
    return _Read(_frame(spec, data, keep), [grid.lines[r] for r in keep], ctx.problems)


def _parse_cells(
    spec: TableSpec, grid: _Grid, positions: dict[str, int], good: list[int], ctx: _Ctx, refs: _Refs
) -> Columns:
    """Parse every contract column over the aligned rows; absent columns become empty."""
    data: Columns = {}
    whole = len(good) == len(grid.rows) and all(len(r) == len(grid.header) for r in grid.rows)
    by_column = list(zip(*grid.rows, strict=True)) if whole and grid.rows else None  # transpose
    for col in spec.columns:
        index = positions.get(col.name)
        if index is None:
            empty = math.nan if col.kind == "float" else None if col.required else ""
            data[col.name] = [empty] * len(grid.rows)
            continue
        sub = _Ctx(ctx.file, grid.lines if whole else [grid.lines[r] for r in good],
                   header_line=ctx.header_line)
        cells = list(by_column[index]) if by_column is not None else [grid.rows[r][index]
                                                                        for r in good]
        parsed = _parse_column(col, cells, sub, refs)
        if len(good) == len(grid.rows):  # every row aligned (the usual case): no re-indexing
            data[col.name] = parsed
        else:
            data[col.name] = [None] * len(grid.rows)
            for i, row in enumerate(good):
                data[col.name][row] = parsed[i]
        ctx.problems.extend(sub.problems)
        ctx.bad.update(good[i] for i in sub.bad)
    return data


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def read_table(
    name: str,
    raw: bytes,
    *,
    units: UnitRegistry | None,
    indicators: pd.DataFrame | None,
    file_label: str,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one table given as CSV or XLSX bytes; return the clean typed frame and problems.

    ``name`` is the table (``observations``) or file name (``observations.csv``). Rows with an
    error are left out of the frame; the frame is empty when a required column is missing.
    ``units``/``indicators`` enable the reference checks (unit names, indicator ids, years).
    Never raises on bad input."""
    spec = table_spec(name)
    result = _read(spec, raw, _Refs(units=units, indicators=indicators), file_label)
    return result.frame, result.problems


def read_rows(
    name: str,
    header: list[str],
    rows: list[list[object]],
    lines: list[int],
    *,
    units: UnitRegistry | None,
    indicators: pd.DataFrame | None,
    file_label: str,
) -> tuple[pd.DataFrame, list[Problem]]:
    """:func:`read_table` for cells already laid out in rows (header problems name line 0)."""
    spec = table_spec(name)
    grid = _Grid([normalize_header(h) for h in header], 0, [list(r) for r in rows], list(lines))
    with _no_gc_pauses():
        result = _read_grid(spec, grid, [], _Refs(units=units, indicators=indicators), file_label)
    return result.frame, result.problems


def registry_from_frame(units: pd.DataFrame) -> UnitRegistry:
    return build_registry(units)


def read_files(files: dict[str, bytes | None]) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every table in contract order, references fed forward from tables without errors."""
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    refs = _Refs()
    for spec in TABLES.values():
        raw = files.get(spec.name)
        if raw is None:
            frames[spec.name] = empty_frame(spec)
            if not spec.optional_file:
                problems.append(_missing_file(spec))
            continue
        result = _read(spec, raw, refs, spec.file)
        frames[spec.name] = result.frame
        problems.extend(result.problems)
        if not any(p.is_error for p in result.problems):
            refs = _next_refs(refs, spec.name, result.frame)
    return frames, problems


def _next_refs(refs: _Refs, name: str, frame: pd.DataFrame) -> _Refs:
    if name == "units":
        return _Refs(registry_from_frame(frame), refs.indicators, refs.commodities, refs.tables)
    if name == "commodities":
        return _Refs(refs.units, refs.indicators, frozenset(frame["commodity"]), refs.tables)
    if name == "indicators":
        return _Refs(refs.units, frame, refs.commodities, refs.tables)
    return _Refs(refs.units, refs.indicators, refs.commodities, {**refs.tables, name: frame})


def _missing_file(spec: TableSpec) -> Problem:
    return Problem(
        spec.file,
        None,
        None,
        f"thiếu tệp {spec.file}",
        f"missing file {spec.file}",
        f"Thêm {spec.file} với các cột: {', '.join(spec.column_names)}.",
        f"Add {spec.file} with the columns: {', '.join(spec.column_names)}.",
    )
