"""Decoding: file bytes → NFC text, or the rows of an XLSX workbook's first sheet.

What the bytes are is decided by their magic (:func:`file_kind`), never by a file name. Text is
UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258 with a warning, else refused.
Everything is NFC-normalised (cp1258 and macOS write Vietnamese tones as combining marks).
"""

from __future__ import annotations

import io
import unicodedata

from nq05_metrics.contract import Problem
from nq05_metrics.loader.messages import message, problem

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

#: One row as read: its 1-based line (Excel row) and its raw cells.
Row = tuple[int, list[object]]


def file_kind(raw: bytes) -> str:
    """What the bytes are, by their magic: ``"xlsx"`` (zip ``PK\\x03\\x04``), ``"xls"``
    (OLE ``\\xd0\\xcf\\x11\\xe0``) or ``"text"`` (anything else; decoding decides the rest)."""
    if raw.startswith(XLSX_MAGIC):
        return "xlsx"
    if raw.startswith(XLS_MAGIC):
        return "xls"
    return "text"


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (composed tones: ``e`` + U+0301 → ``é``)."""
    return unicodedata.normalize("NFC", text)


def line_of(raw: bytes, pos: int) -> int:
    """1-based line of byte offset ``pos`` (1 + the number of ``\\n`` before it)."""
    return raw[:pos].count(b"\n") + 1


def decode_text(raw: bytes, file_label: str) -> tuple[str | None, list[Problem]]:
    """Decode CSV bytes to NFC text: UTF-8(-BOM), UTF-16 with BOM, else cp1258 with a warning.

    Returns ``(None, [error])`` for binary or undecodable input (a NUL character is binary)."""
    text, problems, _ = decode(raw, file_label)
    return text, problems


def decode(raw: bytes, file_label: str) -> tuple[str | None, list[Problem], bytes | None]:
    """:func:`decode_text`, and the UTF-8 bytes of the text when ``raw`` already holds them (UTF-8
    without BOM or with it removed, NFC unchanged) — so they need not be encoded again."""
    if raw.startswith(_UTF16_BOMS):
        try:
            return nfc(raw.decode("utf-16")), [], None
        except UnicodeDecodeError:
            return None, [_not_text(file_label, 1)], None
    try:
        text, notices = raw.decode("utf-8-sig"), []
        same = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    except UnicodeDecodeError as exc:
        line = line_of(raw, exc.start)
        try:
            text, same = raw.decode("cp1258"), None
        except UnicodeDecodeError:
            return None, [_not_text(file_label, line)], None
        notices = [problem(file_label, line, None, message("cp1258", "save_utf8"), "warning")]
    if "\x00" in text:
        return None, [_not_text(file_label, line_of(raw, raw.find(b"\x00")))], None
    composed = nfc(text)
    return composed, notices, same if composed == text else None


def _not_text(file_label: str, line: int) -> Problem:
    """Neither UTF-8, UTF-16 nor cp1258 text, at ``line``."""
    return problem(file_label, line, None, message("not_text", "save_utf8"))


def xlsx_rows(raw: bytes, file_label: str) -> tuple[list[Row], list[Problem]]:
    """Rows of the first sheet of an XLSX workbook, with their Excel row numbers (typed cells:
    numbers, dates, booleans, None for empty)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=False, data_only=True)
        sheet = book.worksheets[0]
        rows: list[Row] = [(i, list[object](r))
                           for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    # openpyxl raises many exception types on damaged workbooks; any of them means "unreadable".
    except Exception as exc:  # noqa: BLE001
        msg = message("xlsx_unreadable", "xlsx_unreadable_fix", error=type(exc).__name__)
        return [], [problem(file_label, 1, None, msg)]
    return rows, []


def xls_refused(file_label: str) -> Problem:
    """Old Excel 97–2003 workbooks are refused with how to re-save them."""
    return problem(file_label, 1, None, message("xls", "xls_fix"))
