"""Units in their years: a figure belongs to a unit that reports its year (the former districts
to 2025, the communes and wards from 2026: :meth:`nq05_metrics.units.UnitRegistry.reporting`).

Run over a parsed table after its cells: a unit name shared by units of different periods
(:class:`~nq05_metrics.loader.cells.Ambiguous`) is decided by the row's year — or refused with
every candidate named when the year does not decide it; a unit that does not report the row's
year is refused, naming the units that report it instead (through the crosswalk: a former
district's successor communes, a new commune's former districts). An optional unit left empty
(``targets.csv``) is the province. Decided once per distinct
(unit, year) pair, so a million rows cost a few thousand checks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nq05_metrics.loader.cells import Ambiguous, Refs
from nq05_metrics.loader.messages import Message, message
from nq05_metrics.loader.rules import Found, Table
from nq05_metrics.reform import successor_fractions
from nq05_metrics.units import PROVINCE_CODE, UnitRegistry

#: The year column that places each table's unit in time.
YEAR_OF = {"observations": "year", "targets": "target_year", "zones": "year"}
UNIT_COLUMNS = ("unit_code", "old_district_code", "new_code")


def _names(codes: list[str], units: UnitRegistry, lang: str) -> str:
    """``Than Uyên (03595), Mường Than (03618)`` — or ``–`` when there are none."""
    return ", ".join(f"{units.name(c, lang)} ({c})" for c in codes) or "–"


def _others(code: str, year: int, units: UnitRegistry, crosswalk: pd.DataFrame | None
            ) -> list[str]:
    """The units that report ``year`` in place of ``code``: its successors (a former district)
    or its predecessors (a new commune), from the crosswalk."""
    frac = successor_fractions(crosswalk)
    if units.valid_to(code) is not None:
        found = frac.loc[frac["old_district_code"] == code, "new_code"].tolist()
    else:
        found = frac.loc[frac["new_code"] == code, "old_district_code"].tolist()
    return [c for c in dict.fromkeys(found) if units.reports(c, year)]


def _not_in_year(code: str, year: int, units: UnitRegistry, refs: Refs) -> Message:
    """The message for a unit that does not report ``year``, naming who does instead."""
    others = _others(code, year, units, refs.crosswalk)
    end = units.valid_to(code)
    key = "unit_abolished" if end is not None and end.year < year else "unit_not_yet"
    label = tuple(units.describe(code, lang) for lang in ("vi", "en"))
    instead = tuple(_names(others, units, lang) for lang in ("vi", "en"))
    return message(key, f"{key}_fix", unit=label, year=year, instead=instead)


def _ambiguous(value: Ambiguous, year: int | None, units: UnitRegistry) -> Message:
    """A shared name the year does not decide: every candidate with its period."""
    listed = tuple("; ".join(units.describe(c, lang) for c in value.candidates)
                   for lang in ("vi", "en"))
    return message("unit_ambiguous", "unit_ambiguous_fix", text=value.text, listed=listed,
                   year=year if year is not None else "–")


def _decide(value: object, year: int | None, units: UnitRegistry, refs: Refs
            ) -> tuple[object, Message | None]:
    """(unit code, None) or (None, message) for one distinct (unit, year) pair."""
    if isinstance(value, Ambiguous):
        hits = [c for c in value.candidates if year is not None and units.reports(c, year)]
        if len(hits) != 1:
            return None, _ambiguous(value, year, units)
        value = hits[0]
    code = str(value) if value else PROVINCE_CODE  # an optional unit left empty: the province
    if year is not None and code != PROVINCE_CODE and not units.reports(code, year):
        return None, _not_in_year(code, year, units, refs)
    return code, None


def unit_years(table: Table, ok: np.ndarray, refs: Refs) -> list[Found]:
    """Decide shared names and check each unit against its row's year (module docstring);
    decided codes go to ``table.overrides``. Tables without a year column only get their shared
    names refused (a code is needed there)."""
    units = refs.units
    if units is None:
        return []
    found: list[Found] = []
    year_col = YEAR_OF.get(table.spec.name)
    for name in UNIT_COLUMNS:
        if name not in table.columns:
            continue
        parsed = table.columns[name]
        distinct_values = list(parsed.values)
        years = table.rows(year_col)[ok] if year_col else np.zeros(len(ok))
        year_codes, year_values = pd.factorize(pd.Series(years, dtype=float))
        pair = parsed.codes[ok].astype(np.int64) * max(len(year_values), 1) + year_codes
        codes, first = np.unique(pair, return_inverse=True)
        uniques = [(distinct_values[int(c) // max(len(year_values), 1)],
                    year_values[int(c) % max(len(year_values), 1)] if year_col else np.nan)
                   for c in codes.tolist()]
        decided = [_decide(v, None if pd.isna(y) else int(y), units, refs) for v, y in uniques]
        if all(isinstance(v, str) and v == d[0] for (v, _), d in zip(uniques, decided, strict=True)):
            continue  # the common case: every unit reports its year, nothing to change
        codes = first
        out = table.rows(name).copy()
        for i, row in enumerate(ok.tolist()):
            code, msg = decided[codes[i]]
            if msg is not None:
                found.append((row, name, msg))
            else:
                out[row] = code
        table.overrides[name] = out
    return found
