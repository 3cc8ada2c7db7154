"""One table: bytes → grid → parsed columns → key and table rules → the clean typed frame and
every problem, each located by file, line and column (rows with an error are left out).

Problems come in reading order: decoding, header, row widths, then each column's cells (contract
order, rows ascending), duplicate keys, the table's rules. Never raises on bad input.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from nq05_metrics.contract import ColumnSpec, Problem, TableSpec, table_spec
from nq05_metrics.loader.cells import Parsed, Refs, parse_column
from nq05_metrics.loader.grid import Grid, aligned, map_header, normalize_header, read_grid
from nq05_metrics.loader.messages import message, problem
from nq05_metrics.loader.numbers import parse_numbers
from nq05_metrics.loader.plans import plans_rule, targets_rule
from nq05_metrics.loader.rules import RULES, Found, Table, duplicates
from nq05_metrics.loader.unit_years import unit_years
from nq05_metrics.units import UnitRegistry

_DTYPES = {"text": "str", "code": "str", "enum": "str", "int": "int64", "float": "float64",
           "bool": "bool"}


@dataclass
class TableRead:
    """A read table, the file line of each frame row, and its problems."""

    frame: pd.DataFrame
    lines: list[int]
    problems: list[Problem]


#: The table rules: :data:`~nq05_metrics.loader.rules.RULES` and those of plans and targets.
ALL_RULES = {**RULES, "plans": plans_rule, "targets": targets_rule}


def empty_frame(spec: TableSpec) -> pd.DataFrame:
    """A frame with the table's columns and dtypes and no rows."""
    return pd.DataFrame({c.name: pd.Series([], dtype=_DTYPES[c.kind]) for c in spec.columns})


def _absent(col: ColumnSpec, rows: int) -> Parsed:
    """A column missing from the header: NaN (numbers), ``""`` (optional), None (required)."""
    empty = np.nan if col.kind == "float" else None if col.required else ""
    values: list[object] | np.ndarray = np.array([np.nan]) if col.kind == "float" else [empty]
    return Parsed(np.zeros(rows, dtype=np.intp), values, {})


def _parse(col: ColumnSpec, grid: Grid, positions: dict[str, int], refs: Refs) -> Parsed:
    """One contract column over the grid's rows."""
    index = positions.get(col.name)
    if index is None:
        return _absent(col, grid.rows)
    if col.kind in ("int", "float"):
        return parse_numbers(col, grid.columns[index])
    return parse_column(col, grid.columns[index], refs)


def _column(col: ColumnSpec, parsed: Parsed, override: np.ndarray | None, keep: np.ndarray
            ) -> pd.Series:
    """The frame column of the kept rows, in the contract's dtype."""
    if override is not None:
        return pd.Series(override[keep], dtype=_DTYPES[col.kind])
    codes = parsed.codes[keep]
    if col.kind in ("int", "float"):
        values = np.asarray(parsed.values, dtype=float)[codes]
        return pd.Series(values.astype(np.int64) if col.kind == "int" else values)
    if col.kind == "bool":
        return pd.Series(np.array([v is True for v in parsed.values], dtype=bool)[codes])
    strings = pa.array([v if isinstance(v, str) else None for v in parsed.values], pa.string())
    return pd.Series(strings.take(pa.array(codes, pa.int64())), dtype="str")


def _frame(table: Table, keep: np.ndarray) -> pd.DataFrame:
    """Typed frame of the rows in ``keep`` (contract column order and dtypes)."""
    return pd.DataFrame({c.name: _column(c, table.columns[c.name], table.overrides.get(c.name),
                                         keep) for c in table.spec.columns})


def _locate(found: list[Found], table: Table, header_line: int, file_label: str,
            bad: np.ndarray) -> list[Problem]:
    """Findings → problems at their file lines; their rows are marked bad."""
    out = []
    for row, column, msg in found:
        line = header_line if row is None else int(table.lines[row])
        out.append(problem(file_label, line, column, msg))
        if row is not None:
            bad[row] = True
    return out


def _cell_problems(col: ColumnSpec, parsed: Parsed, grid: Grid, file_label: str
                   ) -> tuple[list[Problem], np.ndarray]:
    """Problems of one column's cells in row order (unknown ids after the others), and the rows
    in error."""
    bad = parsed.bad()
    rows = np.flatnonzero(bad)
    if parsed.late:
        late = np.isin(parsed.codes[rows], list(parsed.late))
        rows = np.concatenate((rows[~late], rows[late]))
    out = [problem(file_label, int(grid.lines[row]), col.name, parsed.errors[parsed.codes[row]])
           for row in rows.tolist()]
    return out, bad


def read_spec(spec: TableSpec, raw: bytes, refs: Refs, file_label: str) -> TableRead:
    """Read and validate one table from its bytes; never raises on bad input."""
    with _no_gc_pauses():
        grid, problems = read_grid(raw, file_label)
        return read_grid_spec(spec, grid, problems, refs, file_label)


def read_grid_spec(spec: TableSpec, grid: Grid | None, problems: list[Problem], refs: Refs,
                   file_label: str) -> TableRead:
    """Cells and rules over a grid; ``problems`` holds those found while making it."""
    if grid is None:
        if not any(p.is_error for p in problems):
            columns = ",".join(spec.column_names)
            problems.append(problem(file_label, 1, None,
                                    message("empty_file", "empty_file_fix", columns=columns)))
        return TableRead(empty_frame(spec), [], problems)
    positions, complete, header = map_header(spec, grid, file_label)
    problems += header + grid.problems
    bad = np.zeros(grid.rows, dtype=bool)
    table = Table(spec, {}, grid.lines)
    for col in spec.columns:
        parsed = table.columns[col.name] = _parse(col, grid, positions, refs)
        cells, cell_bad = _cell_problems(col, parsed, grid, file_label)
        problems += cells
        bad |= cell_bad
    if complete:  # before the key check: a shared name's unit is known only by its year
        found = unit_years(table, np.flatnonzero(~bad), refs)
        problems += _locate(found, table, grid.header_line, file_label, bad)
    found = duplicates(table, np.flatnonzero(~bad))
    problems += _locate(found, table, grid.header_line, file_label, bad)
    if complete and spec.name in ALL_RULES:
        found = ALL_RULES[spec.name](table, np.flatnonzero(~bad), refs)
        problems += _locate(found, table, grid.header_line, file_label, bad)
    keep = np.flatnonzero(~bad) if complete else np.zeros(0, dtype=np.intp)
    return TableRead(_frame(table, keep), grid.lines[keep].tolist(), problems)


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Pause the cyclic garbage collector while a big table is read: its repeated scans of the
    growing heap of cell strings (none of which can form a cycle) cost more than the reading."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_table(
    name: str,
    raw: bytes,
    *,
    units: UnitRegistry | None,
    indicators: pd.DataFrame | None,
    file_label: str,
    crosswalk: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one table given as CSV or XLSX bytes; return the clean typed frame and problems.

    ``name`` is the table (``observations``) or file name (``observations.csv``). Rows with an
    error are left out of the frame; the frame is empty when a required column is missing.
    ``units``/``indicators`` enable the reference checks (unit names, indicator ids, years);
    ``crosswalk`` lets a refused unit's message name the units that report instead.
    Never raises on bad input."""
    spec = table_spec(name)
    refs = Refs(units=units, indicators=indicators, crosswalk=crosswalk)
    result = read_spec(spec, raw, refs, file_label)
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
    crosswalk: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """:func:`read_table` for cells already laid out in rows (cells and rules only): ``header``
    holds the contract column names, ``rows[i]`` the raw cells (text or typed Excel values, read
    by the same number, code and reference rules) and ``lines[i]`` the number that problems name
    for row ``i`` (header problems name line 0). Never raises on bad input."""
    spec = table_spec(name)
    names = [normalize_header(h) for h in header]
    grid = aligned(names, 0, [(int(n), list(r)) for n, r in zip(lines, rows, strict=True)],
                   file_label)
    with _no_gc_pauses():
        result = read_grid_spec(spec, grid, [], Refs(units=units, indicators=indicators,
                                                     crosswalk=crosswalk), file_label)
    return result.frame, result.problems
