"""Cells: each column is parsed once per *distinct* cell (a million-row column holds a few
thousand distinct ids, codes, flags and texts), then mapped back to its rows by index.

Every parser here is a function of the cell alone (and the column's contract and the tables it
refers to), so parsing distinct cells gives exactly what parsing every cell would. Numbers,
whose reading also depends on the column's format, are in :mod:`nq05_metrics.loader.numbers`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from nq05_metrics.contract import HEX_COLOR, ISO_DATE, TABLES, ColumnSpec
from nq05_metrics.loader.grid import Cells, cell_text
from nq05_metrics.loader.messages import Message, message, pair, vocab
from nq05_metrics.units import UnitRegistry, normalize_code

#: A parsed value and, when the cell is in error, its message (the value is then None).
Outcome = tuple[object, Message | None]

_PATTERN_HINTS = {HEX_COLOR: "hint_color", ISO_DATE: "hint_date", r"\d+": "hint_digits"}


@dataclass(frozen=True)
class Refs:
    """What cells may refer to; None skips that check."""

    units: UnitRegistry | None = None
    indicators: pd.DataFrame | None = None
    commodities: frozenset[str] | None = None
    crosswalk: pd.DataFrame | None = None
    #: any other table read without errors, by name (``ref=`` to its one-column key)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class Ambiguous:
    """A unit name shared by units of different periods ("Than Uyên": district 110 to 2025,
    commune 03595 from July 2025), left for :func:`nq05_metrics.loader.rules.unit_years` to
    decide by the row's year."""

    text: str
    candidates: tuple[str, ...]


@dataclass
class Parsed:
    """One parsed column over the aligned rows, held per distinct cell: row ``i`` holds distinct
    cell ``codes[i]``, whose parsed value is ``values[codes[i]]`` (None in error) and whose
    message, when in error, is ``errors[codes[i]]``. Errors of the distinct cells in ``late``
    (an id not in the referenced table) are reported after the column's other errors."""

    codes: np.ndarray
    values: list[object] | np.ndarray
    errors: dict[int, Message]
    late: frozenset[int] = frozenset()

    def bad(self) -> np.ndarray:
        """Per row: True where the cell is in error."""
        flags = np.zeros(len(self.values), dtype=bool)
        flags[list(self.errors)] = True
        out: np.ndarray = flags[self.codes]
        return out

    def rows(self) -> np.ndarray:
        """The parsed value of every row (object array; float array for numbers)."""
        values = self.values if isinstance(self.values, np.ndarray) else _objects(self.values)
        out: np.ndarray = values[self.codes]
        return out


def _objects(values: list[object]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def distinct(cells: Cells) -> tuple[np.ndarray, Cells]:
    """``(codes, uniques)``: ``cells[i] == uniques[codes[i]]``. Typed Excel cells are distinct by
    type and ``repr`` (``1``, ``1.0`` and ``True`` stay apart; so do ``0.0`` and ``-0.0``)."""
    if isinstance(cells, pa.Array):
        encoded = pc.dictionary_encode(cells)
        return encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp), encoded.dictionary
    index: dict[tuple[type, str], int] = {}
    uniques: list[object] = []
    codes = np.empty(len(cells), dtype=np.intp)
    for i, cell in enumerate(cells):
        key = (type(cell), cell if isinstance(cell, str) else repr(cell))
        if key not in index:
            index[key] = len(uniques)
            uniques.append(cell)
        codes[i] = index[key]
    return codes, uniques


def as_list(uniques: Cells) -> list[object]:
    """Distinct cells as Python values."""
    return uniques.to_pylist() if isinstance(uniques, pa.Array) else list(uniques)


def missing(spec: ColumnSpec) -> Outcome:
    """An empty cell: NaN (numbers) or ``""`` when the column allows it, else an error."""
    if spec.nullable:
        return (math.nan if spec.kind == "float" else ""), None
    return None, message("required_empty", "required_empty_fix")


def _text(spec: ColumnSpec, text: str) -> Outcome:
    """Free text (NFC, stripped); must fully match ``spec.pattern`` when set."""
    if not text:
        return missing(spec)
    if spec.pattern and not re.fullmatch(spec.pattern, text):
        what = pair("wrong_format", text=text, pattern=spec.pattern)
        fix = pair(_PATTERN_HINTS.get(spec.pattern, "hint_identifier"))
        return None, (what[0], what[1], fix[0], fix[1])
    return text, None


def _enum(spec: ColumnSpec, text: str) -> Outcome:
    """One of ``spec.allowed``, matched case-insensitively; stored lower case."""
    text = text.lower()
    allowed = spec.allowed or ()
    if not text:
        return missing(spec)
    if text in allowed:
        return text, None
    return None, message("not_allowed", "not_allowed_fix", text=text, allowed=", ".join(allowed))


def _bool(spec: ColumnSpec, text: str) -> Outcome:
    """A word of ``vocab/cells.toml`` ``[booleans]`` (any case); empty optional → False."""
    text = text.lower()
    if not text:
        return missing(spec) if not spec.nullable else (False, None)
    if text in vocab("booleans", "true"):
        return True, None
    if text in vocab("booleans", "false"):
        return False, None
    return None, message("not_bool", "not_bool_fix", text=text)


def _code_text(spec: ColumnSpec, text: str) -> str:
    """Unit codes typed by Excel as numbers (``110.0``) → ``110``; other codes unchanged."""
    if spec.name not in ("unit_code", "parent_code"):
        return text
    return cell_text(normalize_code(text) or text)


def _unknown_ref(spec: ColumnSpec, value: str, valid: frozenset[str]) -> Message:
    """An id that is not in the referenced table, with up to three near matches."""
    near = difflib.get_close_matches(value, sorted(valid), n=3, cutoff=0.6)
    hint = pair("ref_hint", near=", ".join(near)) if near else ("", "")
    return message("unknown_ref", "unknown_ref_fix", value=value,
                   table=TABLES[spec.ref].file if spec.ref in TABLES else "", hint=hint)


def _ref_values(spec: ColumnSpec, refs: Refs) -> frozenset[str] | None:
    """The ids a cell of ``spec`` must be one of, None when not checked."""
    if spec.ref == "indicators" and refs.indicators is not None:
        return frozenset(refs.indicators["indicator_id"].astype(str))
    if spec.ref == "commodities" and refs.commodities is not None:
        return refs.commodities
    if spec.ref in refs.tables:
        return frozenset(refs.tables[spec.ref][TABLES[spec.ref].key[0]].astype(str))
    return None


def _unknown_unit(text: str, units: UnitRegistry) -> Message:
    """An unknown unit name or code, listing every valid name with its code."""
    codes = units.units["unit_code"]
    listed = tuple(", ".join(f"{n} ({c})" for n, c in zip(units.valid_names(lang), codes,
                                                         strict=True)) for lang in ("vi", "en"))
    return message("unknown_unit", "unknown_unit_fix", text=text, listed=listed)


def _unit_parser(spec: ColumnSpec, units: UnitRegistry) -> Callable[[object], Outcome]:
    """Unit codes or names in any spelling → GSO code strings."""

    def parse(cell: object) -> Outcome:
        text = cell_text(cell)
        if not text:
            return missing(spec)
        code = units.resolve(cell) if isinstance(cell, (int, float)) else units.resolve(text)
        if code is None and len(found := units.candidates(text)) > 1:
            return Ambiguous(text, found), None
        return (code, None) if code is not None else (None, _unknown_unit(text, units))

    return parse


def _code_parser(spec: ColumnSpec, refs: Refs) -> Callable[[object], Outcome]:
    """Identifiers: pattern checked (see :func:`parse_column` for the referenced ids)."""
    if spec.ref == "units" and refs.units is not None:
        return _unit_parser(spec, refs.units)
    return lambda cell: _text(spec, _code_text(spec, cell_text(cell)))


def parser(spec: ColumnSpec, refs: Refs) -> Callable[[object], Outcome]:
    """The parser of one cell of a ``text``, ``code``, ``enum`` or ``bool`` column."""
    if spec.kind == "code":
        return _code_parser(spec, refs)
    by_kind = {"bool": _bool, "enum": _enum, "text": _text}[spec.kind]
    return lambda cell: by_kind(spec, cell_text(cell))


def parse_column(spec: ColumnSpec, cells: Cells, refs: Refs) -> Parsed:
    """A ``text``/``code``/``enum``/``bool`` column: each distinct cell parsed once; then, for a
    code referring to ``indicators`` or ``commodities``, each id looked up there (unit codes are
    resolved by the unit registry while parsing)."""
    codes, uniques = distinct(cells)
    parse = parser(spec, refs)
    values: list[object] = []
    errors: dict[int, Message] = {}
    for k, cell in enumerate(as_list(uniques)):
        value, msg = parse(cell)
        values.append(value)
        if msg is not None:
            errors[k] = msg
    valid = _ref_values(spec, refs) if spec.kind == "code" and spec.ref != "units" else None
    late = set()
    for k, value in enumerate(values):
        if valid is not None and k not in errors and value and value not in valid:
            errors[k] = _unknown_ref(spec, str(value), valid)
            values[k] = None
            late.add(k)
    return Parsed(codes, values, errors, frozenset(late))
