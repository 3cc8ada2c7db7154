"""Numbers: Vietnamese (``1.234,5``, ``12 500``) and machine (``1234.5``) formats, decided per
column from unambiguous evidence; a cell that reads two ways without evidence is refused with
both readings (``12.500`` → 12500 or 12.5), never guessed.

Each distinct cell is classified once: cells of plain ASCII digits with at most one dot (nearly
all) in Arrow, the rest by :func:`classify_number`. The column's format is then the majority
over its *rows* of the cells with evidence, and every distinct cell gets its value under it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from nq05_metrics.contract import ColumnSpec
from nq05_metrics.loader.cells import Parsed, as_list, distinct, missing
from nq05_metrics.loader.grid import Cells, cell_text
from nq05_metrics.loader.messages import Message, message, pair, vocab


@dataclass(frozen=True)
class NumberReading:
    """How one number cell reads. ``cls``: ``neutral`` (plain digits or a typed Excel number),
    ``machine`` (``12.5``), ``vn`` (``1.234,5``), ``ambiguous_dot`` (``12.500``),
    ``ambiguous_comma`` (``1,234``), ``inf`` or ``invalid``. ``machine``/``vn`` hold the value
    under each format (None when the cell cannot be read that way); for ambiguous cells
    ``thousands`` and ``decimal`` are the two readings (``12.500`` → 12500 / 12.5)."""

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
# The cells Arrow classifies: ASCII sign, digits, at most one dot with digits after it.
_ARROW_SIMPLE = r"^[+-]?[0-9]+(\.[0-9]+)?$"
_ARROW_AMBIG_DOT = r"^[+-]?[1-9][0-9]{0,2}\.[0-9]{3}$"

# Reading classes as small integers, per distinct cell.
EMPTY, NEUTRAL, INF, MACHINE, VN, AMBIG_DOT, AMBIG_COMMA, INVALID = range(8)
_CLASSES = {"neutral": NEUTRAL, "inf": INF, "machine": MACHINE, "vn": VN,
            "ambiguous_dot": AMBIG_DOT, "ambiguous_comma": AMBIG_COMMA, "invalid": INVALID}


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


def reading(cell: object) -> NumberReading | None:
    """The reading of one raw cell; None when empty. A typed Excel number is ``neutral``; a word
    of ``vocab/cells.toml`` ``[numbers] infinity`` is ``inf``."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        value = float(cell)
        return None if math.isnan(value) else NumberReading("neutral", value, value)
    text = cell_text(cell)
    if not text:
        return None
    if text.lower() in vocab("numbers", "infinity"):
        return NumberReading("inf", math.inf, math.inf)
    return classify_number(text)


@dataclass
class _Readings:
    """Per distinct cell: class, value under the machine reading, value under the Vietnamese."""

    cls: np.ndarray
    machine: np.ndarray
    vn: np.ndarray


def _python_readings(cells: list[object]) -> _Readings:
    """Readings of distinct cells one by one (:func:`reading`)."""
    out = _Readings(np.full(len(cells), EMPTY, np.int8), np.full(len(cells), np.nan),
                    np.full(len(cells), np.nan))
    for k, cell in enumerate(cells):
        read = reading(cell)
        if read is not None:
            out.cls[k] = _CLASSES[read.cls]
            out.machine[k] = np.nan if read.machine is None else read.machine
            out.vn[k] = np.nan if read.vn is None else read.vn
    return out


def _readings(uniques: Cells) -> _Readings:
    """Readings of distinct cells: plain ASCII cells in Arrow (``2023`` neutral, ``12.500``
    ambiguous, other ``d.d`` machine; values by Arrow's exact string → float64), others in
    Python."""
    if not isinstance(uniques, pa.Array):
        return _python_readings(uniques)
    simple = pc.match_substring_regex(uniques, _ARROW_SIMPLE).to_numpy(zero_copy_only=False)
    out = _python_readings(as_list(uniques.filter(pa.array(~simple))))
    rest = np.flatnonzero(~simple)
    n = len(uniques)
    full = _Readings(np.full(n, EMPTY, np.int8), np.full(n, np.nan), np.full(n, np.nan))
    full.cls[rest], full.machine[rest], full.vn[rest] = out.cls, out.machine, out.vn
    plain = uniques.filter(pa.array(simple))
    idx = np.flatnonzero(simple)
    dot = pc.match_substring(plain, ".").to_numpy(zero_copy_only=False)
    ambiguous = pc.match_substring_regex(plain, _ARROW_AMBIG_DOT).to_numpy(zero_copy_only=False)
    value = pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False)
    grouped = pc.cast(pc.replace_substring(plain, ".", ""), pa.float64())
    full.cls[idx] = np.where(~dot, NEUTRAL, np.where(ambiguous, AMBIG_DOT, MACHINE))
    full.machine[idx] = value
    full.vn[idx] = np.where(~dot, value, np.where(ambiguous, grouped.to_numpy(zero_copy_only=False),
                                                   np.nan))
    return full


def column_format(machine: int, vn: int) -> str | None:
    """The column's format from the number of rows with evidence for each: ``machine``, ``vn``,
    ``conflict`` (a tie with both) or None (no evidence); with both, the clear majority wins and
    its minority cells are reported."""
    if machine and vn:
        return "machine" if machine > vn else "vn" if vn > machine else "conflict"
    return "machine" if machine else "vn" if vn else None


def _values(r: _Readings, fmt: str | None, allow_inf: bool) -> np.ndarray:
    """Each distinct cell's value under ``fmt``; NaN where it cannot be decided (an error)."""
    value = np.full(len(r.cls), np.nan)
    take_machine = (r.cls == NEUTRAL) | (allow_inf & (r.cls == INF))
    if fmt == "machine":
        take_machine |= (r.cls == MACHINE) | (r.cls == AMBIG_DOT)
    take_vn = np.zeros(len(r.cls), dtype=bool)
    if fmt == "vn":
        take_vn = (r.cls == VN) | (r.cls == AMBIG_DOT) | (r.cls == AMBIG_COMMA)
    value[take_machine] = r.machine[take_machine]
    value[take_vn] = r.vn[take_vn]
    return value


def _undecided(spec: ColumnSpec, read: NumberReading, text: str, fmt: str | None) -> Message:
    """Why a number cell could not be read: not a number, ambiguous, or the other format."""
    if read.cls == "invalid" or (read.cls == "inf" and not spec.allow_inf):
        empty = pair("not_number_empty") if spec.nullable else ("", "")
        return message("not_number", "not_number_fix", text=text, empty=empty)
    if read.cls.startswith("ambiguous") and fmt in (None, "conflict", "machine"):
        why = {None: "why_no_evidence", "machine": "why_machine"}.get(fmt, "why_conflict")
        big, small = format_number(read.thousands or 0.0), format_number(read.decimal or 0.0)
        return message("ambiguous", "ambiguous_fix", text=text, big=big, small=small,
                       why=pair(why))
    style = pair("style_vn" if read.cls == "vn" else "style_machine")
    return message("mixed_formats", "mixed_formats_fix", text=text, style=style)


def _range_message(spec: ColumnSpec, value: float) -> Message:
    """A number outside ``[min_value, max_value]`` (``min_inclusive=False``: strictly above)."""
    low, high = spec.min_value, spec.max_value
    if low is not None and not spec.min_inclusive:
        bounds = pair("range_greater", low=format_number(low))
    elif high is None:
        bounds = pair("range_at_least", low=format_number(low or 0))
    elif low is None:
        bounds = pair("range_at_most", high=format_number(high))
    else:
        bounds = pair("range_between", low=format_number(low), high=format_number(high))
    negative = pair("range_negative") if low == 0 and value < 0 else ("", "")
    return message("out_of_range", "out_of_range_fix", value=format_number(value),
                   range=bounds, negative=negative)


_INT64_LIMIT = 2.0**63  # whole numbers are stored as int64


def _checked(spec: ColumnSpec, values: np.ndarray, decided: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct cells failing, in this order, the whole-number check (finite, no fraction), the
    range check, and the int64 check (|x| < 2⁶³, for a whole number outside any bound); each a
    mask, a cell failing at most one."""
    integral = np.isfinite(values) & (values == np.round(values))
    is_int = spec.kind == "int"
    not_whole = decided & ~integral if is_int else np.zeros(len(values), dtype=bool)
    low, high = spec.min_value, spec.max_value
    out = np.zeros(len(values), dtype=bool)
    with np.errstate(invalid="ignore"):
        if low is not None:
            out |= values < low if spec.min_inclusive else values <= low
        if high is not None:
            out |= values > high
        out_of_range = decided & ~not_whole & out
        huge = decided & ~not_whole & ~out_of_range & (np.abs(values) >= _INT64_LIMIT) & is_int
    return not_whole, out_of_range, huge


def parse_numbers(spec: ColumnSpec, cells: Cells) -> Parsed:
    """An ``int``/``float`` column: format decided from the rows' evidence, then each distinct
    cell read under it, checked (whole number, range) and, when wrong, explained."""
    codes, uniques = distinct(cells)
    r = _readings(uniques)
    rows_per_cell = np.bincount(codes, minlength=len(r.cls))
    fmt = column_format(int(rows_per_cell[r.cls == MACHINE].sum()),
                        int(rows_per_cell[r.cls == VN].sum()))
    values = _values(r, fmt, spec.allow_inf)
    decided = ~np.isnan(values)
    not_whole, out_of_range, huge = _checked(spec, values, decided)
    errors: dict[int, Message] = {}
    for k in np.flatnonzero(~decided | not_whole | out_of_range | huge).tolist():
        cell = uniques[k].as_py() if isinstance(uniques, pa.Array) else uniques[k]
        text = cell_text(cell)
        if r.cls[k] == EMPTY:
            value, msg = missing(spec)
            values[k] = math.nan if value is None or value == "" else value
            if msg is not None:
                errors[k] = msg
        elif not decided[k]:
            read = reading(cell)
            assert read is not None
            errors[k] = _undecided(spec, read, text, fmt)
        elif not_whole[k]:
            errors[k] = message("not_whole", "not_whole_fix", text=text)
        elif huge[k]:
            errors[k] = message("too_large", "not_whole_fix", text=text)
        else:
            errors[k] = _range_message(spec, float(values[k]))
    return Parsed(codes, values, errors)
