"""Rules over a parsed table: unique keys, then the table's own rules (sums of additive units,
years in the indicator's period, parent units exist, every quality level labelled, status bands
covering 0..∞ without gap or overlap).

Each check looks only at the rows still without an error (``ok``, ascending row indices) and
returns :data:`Found` entries; the caller locates them and drops their rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nq05_metrics.contract import PERIOD_END, QUALITIES, TableSpec
from nq05_metrics.loader.cells import Parsed, Refs
from nq05_metrics.loader.messages import Message, message
from nq05_metrics.loader.numbers import format_number

#: One finding: data row (None = the header), column, message.
Found = tuple[int | None, str, Message]


@dataclass
class Table:
    """The parsed columns of one table over its aligned rows; ``lines[i]`` is row ``i``'s file
    line. ``overrides`` holds per-row values a rule changed (``max_pct``: empty → ∞)."""

    spec: TableSpec
    columns: dict[str, Parsed]
    lines: np.ndarray
    overrides: dict[str, np.ndarray] = field(default_factory=dict)

    def rows(self, name: str) -> np.ndarray:
        """Per-row parsed values of column ``name``."""
        return self.overrides[name] if name in self.overrides else self.columns[name].rows()


def _key_codes(parsed: Parsed, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the ``ok`` rows: a code per row equal for equal parsed values, and whether the key
    part is missing (None or ``""``: such keys are not compared)."""
    values = list(parsed.values)
    codes, _ = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    empty = np.array([v is None or (isinstance(v, str) and v == "") for v in values], dtype=bool)
    empty |= codes < 0
    return codes[parsed.codes[ok]], empty[parsed.codes[ok]]


def duplicates(table: Table, ok: np.ndarray) -> list[Found]:
    """Each key must be unique; a repeat names the line of the key's first row and its own."""
    spec = table.spec
    parts, skip = [], np.zeros(len(ok), dtype=bool)
    for name in spec.key:
        if name in table.overrides:  # values a rule decided (a unit name read by its year)
            codes, _ = pd.factorize(pd.Series(table.overrides[name][ok], dtype=object))
            empty = codes < 0
        else:
            codes, empty = _key_codes(table.columns[name], ok)
        parts.append(codes)
        skip |= empty
    rows = ok[~skip]
    if not len(rows):
        return []
    keys = pd.DataFrame({i: part[~skip] for i, part in enumerate(parts)})
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return []
    group = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()
    first_index = np.zeros(group.max() + 1, dtype=np.intp)
    seen = np.unique(group, return_index=True)
    first_index[seen[0]] = seen[1]
    values = {name: table.rows(name) for name in spec.key}
    found: list[Found] = []
    for i in np.flatnonzero(repeated).tolist():
        row, first = int(rows[i]), int(table.lines[rows[first_index[group[i]]]])
        shown = ", ".join(f"{n}={_shown(table, n, values[n][row])}" for n in spec.key)
        found.append((row, spec.key[-1], message("duplicate_key", "duplicate_key_fix", shown=shown,
                                                 first=first, line=int(table.lines[row]))))
    return found


def _shown(table: Table, name: str, value: object) -> object:
    """A key value as the person wrote it once parsed (years as whole numbers)."""
    return int(value) if table.spec.column(name).kind == "int" else value  # type: ignore[call-overload]


def _indicators(table: Table, ok: np.ndarray, refs: Refs) -> list[Found]:
    """``aggregation = sum`` only for a unit of measure that is additive
    (``units_of_measure.csv``)."""
    found: list[Found] = []
    measures = refs.tables.get("measures")
    if measures is not None:
        not_additive = set(measures.loc[~measures["additive"], "unit"])
        units, sums = table.rows("unit")[ok], table.rows("aggregation")[ok] == "sum"
        found += [(int(ok[i]), "aggregation", message("not_additive", "not_additive_fix",
                                                      unit=units[i]))
                  for i in np.flatnonzero(sums).tolist() if units[i] in not_additive]
    return found


def _observations(table: Table, ok: np.ndarray, refs: Refs) -> list[Found]:
    """An observation's year lies between its indicator's baseline_year and 2030."""
    if refs.indicators is None or refs.indicators.empty:
        return []
    base = dict(zip(refs.indicators["indicator_id"], refs.indicators["baseline_year"],
                    strict=True))
    ids = table.columns["indicator_id"]
    first_per_id = np.array([base.get(v, np.nan) if isinstance(v, str) else np.nan
                             for v in ids.values], dtype=float)
    first = first_per_id[ids.codes[ok]] if len(ids.values) else np.zeros(0)
    year = table.rows("year")[ok]
    with np.errstate(invalid="ignore"):
        wrong = ~np.isnan(first) & ((year < first) | (year > PERIOD_END))
    return [(int(ok[i]), "year",
             message("year_outside_period", "year_outside_period_fix", year=int(year[i]),
                     first=int(first[i]), end=PERIOD_END))
            for i in np.flatnonzero(wrong).tolist()]


def _units(table: Table, ok: np.ndarray, refs: Refs) -> list[Found]:
    """parent_code, when set, is a unit_code of the same table (any of its rows)."""
    codes = {v for v in table.columns["unit_code"].values if v is not None}
    parent = table.columns["parent_code"]
    unknown = np.array([bool(v) and v not in codes for v in parent.values], dtype=bool)
    rows = ok[unknown[parent.codes[ok]]] if len(parent.values) else ok[:0]
    return [(int(row), "parent_code",
             message("unknown_parent", "unknown_parent_fix", parent=parent.values[parent.codes[row]]))
            for row in rows.tolist()]


def _qualities(table: Table, ok: np.ndarray, refs: Refs) -> list[Found]:
    """Every quality flag of the contract has a row."""
    present = set(table.rows("quality")[ok].tolist())
    return [(None, "quality", message("missing_quality", "missing_quality_fix", quality=q))
            for q in QUALITIES if q not in present]


def _bands(table: Table, ok: np.ndarray, refs: Refs) -> list[Found]:
    """Bands with a min_pct cover 0..∞ without gap or overlap; an empty max_pct means ∞."""
    low_all, high_all = table.rows("min_pct").astype(float), table.rows("max_pct").astype(float)
    found: list[Found] = []
    ranged: list[tuple[float, float, int]] = []
    for row in ok.tolist():
        low, high = float(low_all[row]), float(high_all[row])
        if math.isnan(low):
            if not math.isnan(high):
                found.append((row, "min_pct", message("band_min_missing", "band_min_missing_fix")))
            continue
        high = math.inf if math.isnan(high) else high
        high_all[row] = high
        if high <= low:
            found.append((row, "max_pct", message("band_max_not_above", "band_max_not_above_fix",
                                                  high=format_number(high),
                                                  low=format_number(low))))
        else:
            ranged.append((low, high, row))
    table.overrides["max_pct"] = high_all
    return found + _coverage(sorted(ranged))


def _coverage(ranged: list[tuple[float, float, int]]) -> list[Found]:
    """Sorted (low, high, row) bands start at 0, chain exactly (each min_pct is the max_pct of
    the band below) and end at ∞."""
    if not ranged:
        return [(None, "min_pct", message("bands_none", "bands_none_fix"))]
    found: list[Found] = []
    if ranged[0][0] != 0:
        found.append((ranged[0][2], "min_pct",
                      message("bands_start", "bands_start_fix", low=format_number(ranged[0][0]))))
    for (_, high, _), (low, _, row) in zip(ranged, ranged[1:], strict=False):
        if high != low:
            key = "bands_gap" if high < low else "bands_overlap"
            found.append((row, "min_pct", message(key, "bands_chain_fix",
                                                  high=format_number(high),
                                                  low=format_number(low))))
    if ranged[-1][1] != math.inf:
        found.append((ranged[-1][2], "max_pct", message("bands_end", "bands_end_fix")))
    return found


#: How far the shares of one commune may add up from 1 (they are rounded to 3 decimals).
SHARE_TOLERANCE = 0.005


def _share_sums(table: Table, ok: np.ndarray, by: str, share: str, key: str, named: str
                ) -> list[Found]:
    """The ``share`` of the ``ok`` rows of each ``by`` code add up to 1 (± SHARE_TOLERANCE);
    a group that does not is reported once, on its last row, naming every line of it."""
    frame = pd.DataFrame({"by": table.rows(by)[ok], "share": table.rows(share)[ok].astype(float),
                          "row": ok, "line": table.lines[ok]})
    found: list[Found] = []
    for code, group in frame.groupby("by", sort=False):
        total = float(group["share"].sum())
        if abs(total - 1) > SHARE_TOLERANCE:
            lines = ", ".join(str(int(v)) for v in group["line"])
            found.append((int(group["row"].iloc[-1]), share,
                          message(key, f"{key}_fix", **{named: code}, total=format_number(round(total, 3)),
                                  lines=lines, tolerance=format_number(SHARE_TOLERANCE))))
    return found


def _crosswalk(table: Table, ok: np.ndarray, refs: Refs) -> list[Found]:
    """Σ share_of_old over the rows of one former commune = 1 (its whole area went somewhere);
    Σ share_of_new_est over the rows of one new commune = 1 (its area came from somewhere)."""
    return (_share_sums(table, ok, "old_code", "share_of_old", "crosswalk_share_old", "old")
            + _share_sums(table, ok, "new_code", "share_of_new_est", "crosswalk_share_new", "new"))


RULES: dict[str, Callable[[Table, np.ndarray, Refs], list[Found]]] = {
    "indicators": _indicators,
    "observations": _observations,
    "units": _units,
    "qualities": _qualities,
    "bands": _bands,
    "crosswalk": _crosswalk,
}
