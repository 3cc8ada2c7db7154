"""Plausibility checks of an upload before it is applied (in the spirit of DHIS2's validation
rules and min–max outlier checks). Each finding is a warning: applying waits until the steward
acknowledges them, and they are kept with the change in the log.

Figures (``upload``, ``merged``: observation frames) — year-on-year change beyond a factor
(default ×3 / ÷3, per indicator in ``vocab/indicator_names.csv``); a unit above the province;
Σ units ≠ province beyond the tolerance; a unit that did not exist that year. Cells
(:class:`~nq05_metrics.intake.extract.Candidate`) — a %-formatted cell for an indicator not
measured in %; a formula Excel saved without a value; a figure in a hidden row or column; a
figure with exactly three decimals where the others have at most one (a thousands dot read as a
decimal point); a total row or column that is not the sum of its parts.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from nq05_metrics import aggregate, loader
from nq05_metrics.contract import Problem
from nq05_metrics.intake.extract import Candidate, Total
from nq05_metrics.intake.messages import warning
from nq05_metrics.intake.workbook import Sheet, column_letter
from nq05_metrics.loader import format_number as fmt
from nq05_metrics.units import PROVINCE_CODE, UnitRegistry

DEFAULT_FACTOR = 3.0
TOLERANCE = 0.01
_THREE = re.compile(r"^[-+]?\d+\.\d{3}$")

_COLS = ("indicator_id", "unit_code", "year", "value")
Origin = dict[tuple[str, str, int], Candidate]


def _where(origin: Origin, key: tuple[str, str, int], label: str) -> tuple[str, int | None, str | None]:
    cand = origin.get(key)
    return (label, cand.row, column_letter(cand.col)) if cand else (label, None, None)


def year_on_year(upload: pd.DataFrame, merged: pd.DataFrame, factors: dict[str, float],
                 origin: Origin, label: str) -> list[Problem]:
    """value / value of the nearest earlier year outside [1/f, f] (both > 0)."""
    out: list[Problem] = []
    keys = set(zip(upload["indicator_id"], upload["unit_code"], strict=True))
    series: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for ind, unit, year, value in merged[list(_COLS)].itertuples(index=False):
        if (ind, unit) in keys:
            series.setdefault((ind, unit), []).append((year, value))
    for points in series.values():
        points.sort()
    for ind, unit, year, value in upload[list(_COLS)].itertuples(index=False):
        factor = factors.get(ind, DEFAULT_FACTOR)
        earlier = [(y, v) for y, v in series.get((ind, unit), []) if y < year and v > 0]
        if not earlier or not value > 0:
            continue
        prev_year, prev = earlier[-1]
        ratio = value / prev
        if ratio > factor or ratio < 1 / factor:
            out.append(warning("yoy", *_where(origin, (ind, unit, year), label), value=fmt(value),
                               prev=fmt(prev), prev_year=prev_year, ratio=f"{ratio:.3g}",
                               factor=fmt(factor), indicator=ind))
    return out


def above_province(upload: pd.DataFrame, merged: pd.DataFrame, indicators: pd.DataFrame,
                   origin: Origin, label: str) -> list[Problem]:
    """A unit's figure above the province's for a summed indicator (same year)."""
    additive = set(indicators.loc[indicators["aggregation"] == "sum", "indicator_id"])
    prov = {(i, y): v for i, u, y, v in merged[["indicator_id", "unit_code", "year", "value"]]
            .itertuples(index=False) if u == PROVINCE_CODE}
    keys = set(zip(upload["indicator_id"], upload["year"], strict=True))
    out: list[Problem] = []
    for ind, unit, year, value in merged[list(_COLS)].itertuples(index=False):
        top = prov.get((ind, year))
        if (ind, year) in keys and ind in additive and unit != PROVINCE_CODE and top is not None \
                and value > top * (1 + TOLERANCE):
            out.append(warning("above_province", *_where(origin, (ind, unit, year), label),
                               value=fmt(value), province=fmt(top), unit=unit, indicator=ind,
                               year=year))
    return out


def sum_of_units(upload: pd.DataFrame, merged: pd.DataFrame, indicators: pd.DataFrame,
                 units: UnitRegistry, label: str) -> list[Problem]:
    """Province ≠ Σ of the units that report the year (the former districts to 2025, the
    communes from 2026) beyond :data:`TOLERANCE` (``aggregate.consistency``), for the
    indicator-years the upload touches."""
    keys = set(zip(upload["indicator_id"], upload["year"], strict=True))
    touched = merged[[k in keys for k in zip(merged["indicator_id"], merged["year"], strict=True)]]
    parts = {year: units.reporting(year) for year in {y for _, y in keys}}
    gaps = aggregate.consistency(touched, indicators, parts, TOLERANCE)
    return [warning("sum_mismatch", label, None, None, indicator=g.indicator_id, year=g.year,
                    province=fmt(float(g.province)),  # type: ignore[arg-type]
                    total=fmt(float(g.districts_sum)), n=g.n_districts)  # type: ignore[arg-type]
            for g in gaps.itertuples() if (g.indicator_id, g.year) in keys]


def unit_exists(upload: pd.DataFrame, units: UnitRegistry, origin: Origin, label: str) -> list[Problem]:
    """A figure for a unit that did not report that year (:meth:`UnitRegistry.reports`: it
    existed on 1 January; the province always)."""
    out: list[Problem] = []
    for ind, unit, year in upload[["indicator_id", "unit_code", "year"]].itertuples(index=False):
        if not units.reports(unit, year):
            start, end = units.units.loc[units.units["unit_code"] == unit,
                                         ["valid_from", "valid_to"]].iloc[0]
            out.append(warning("unit_not_valid", *_where(origin, (ind, unit, year), label),
                               unit=units.name(unit), year=year, start=start or "…", end=end or "…"))
    return out


def cells(candidates: list[Candidate], measures: dict[str, str], label: str) -> list[Problem]:
    """%-formatted cells for non-% indicators and formulas without a saved value."""
    out: list[Problem] = []
    for cand in candidates:
        col = column_letter(cand.col)
        if cand.cell.fmt == "percent" and measures.get(cand.indicator_id) != "pct":
            value = cand.value if isinstance(cand.value, (int, float)) else None
            shown = f"{fmt(value * 100)}%" if value is not None else str(cand.value)
            out.append(warning("percent_cell", label, cand.row, col, shown=shown,
                               value=fmt(value) if value is not None else cand.value,
                               measure=measures.get(cand.indicator_id, "")))
        if cand.cell.formula:
            out.append(warning("formula_no_value", label, cand.row, col, formula=cand.cell.formula))
    return out


def hidden(sheet: Sheet, candidates: list[Candidate], label: str) -> list[Problem]:
    """One warning listing the hidden rows and one the hidden columns that hold figures."""
    rows = sorted({c.row for c in candidates if c.row in sheet.hidden_rows})
    cols = sorted({c.col for c in candidates if c.col in sheet.hidden_cols})
    out = []
    if rows:
        out.append(warning("hidden_rows", label, rows[0], None, rows=", ".join(map(str, rows)),
                           n=len(rows)))
    if cols:
        out.append(warning("hidden_cols", label, None, column_letter(cols[0]),
                           cols=", ".join(column_letter(c) for c in cols), n=len(cols)))
    return out


def _decimals(value: object) -> int:
    text = loader.cell_text(value)
    return len(text.split(".", 1)[1]) if "." in text and text.replace(".", "").lstrip("-").isdigit() else 0


def thousands_dot(candidates: list[Candidate], label: str) -> list[Problem]:
    """A figure written ``d.ddd`` among figures with at most one decimal."""
    texts = [(c, loader.cell_text(c.value)) for c in candidates if c.value is not None]
    three = [(c, t) for c, t in texts if _THREE.match(t)]
    others = [_decimals(c.value) for c, t in texts if not _THREE.match(t)]
    if not three or not others or max(others) > 1:
        return []
    return [warning("thousands_dot", label, c.row, column_letter(c.col), text=t,
                    big=fmt(float(t.replace(".", ""))), small=fmt(float(t))) for c, t in three]


def _number(value: object) -> float | None:
    """A total cell's number by the loader's rules (typed, or text read unambiguously)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        reading = loader.classify_number(value.strip())
        for number in (reading.machine, reading.vn):
            if number is not None and reading.cls in ("neutral", "machine", "vn"):
                return number
    return None


def totals(totals_found: list[Total], candidates: list[Candidate], values: dict[int, float],
           label: str) -> list[Problem]:
    """Each total cell against Σ of its parts (the candidates of its block, same column for a
    total row, same row for a total column), beyond :data:`TOLERANCE`."""
    out: list[Problem] = []
    for total in totals_found:
        stated = _number(total.cell.value)
        parts = [i for i in total.parts if i in values and
                 (candidates[i].col == total.col or candidates[i].row == total.row)]
        if stated is None or not parts:
            continue
        found = math.fsum(values[i] for i in parts)
        if abs(found - stated) > TOLERANCE * max(abs(stated), 1):
            out.append(warning("total_mismatch", label, total.row, column_letter(total.col),
                               stated=fmt(stated), found=fmt(found), n=len(parts)))
    return out
