"""Completeness of reporting (as DHIS2's reporting-rate summary): for each indicator, which
unit has reported which year — ``reported`` (a figure for that year), ``carried`` (no figure,
but one from an earlier year that the dashboard carries forward) or ``missing``.

Units counted for a year are the province and the units valid in that year (``valid_from`` ≤
31 Dec, ``valid_to`` ≥ 1 Jan, or open).
"""

from __future__ import annotations

import pandas as pd

from nq05_metrics.units import UnitRegistry

STATUSES = ("reported", "carried", "missing")


def units_in_year(units: UnitRegistry, year: int) -> list[str]:
    """Codes of the units that existed at some time in ``year`` (registry order)."""
    frame = units.units
    start = frame.get("valid_from", pd.Series([""] * len(frame))).astype(str).str[:4]
    end = frame.get("valid_to", pd.Series([""] * len(frame))).astype(str).str[:4]
    ok = [(not s.isdigit() or int(s) <= year) and (not e.isdigit() or int(e) >= year)
          for s, e in zip(start, end, strict=True)]
    return [str(c) for c, keep in zip(frame["unit_code"], ok, strict=True) if keep]


def completeness(observations: pd.DataFrame, indicators: pd.DataFrame, units: UnitRegistry,
                 years: list[int]) -> pd.DataFrame:
    """One row per indicator × unit (valid that year) × year: columns indicator_id, unit_code,
    year, status (:data:`STATUSES`), value (NaN unless reported)."""
    have = {(i, u, y): v for i, u, y, v in observations[["indicator_id", "unit_code", "year", "value"]]
            .itertuples(index=False)}
    first: dict[tuple[str, str], int] = {}
    for i, u, y in have:
        first[(i, u)] = min(y, first.get((i, u), y))
    rows = []
    for ind in indicators["indicator_id"]:
        for year in years:
            for unit in units_in_year(units, year):
                value = have.get((ind, unit, year))
                if value is not None:
                    status = "reported"
                elif first.get((ind, unit), year + 1) < year:
                    status = "carried"
                else:
                    status = "missing"
                rows.append((ind, unit, year, status, value))
    return pd.DataFrame(rows, columns=["indicator_id", "unit_code", "year", "status", "value"])


def rates(table: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: how many unit-years are reported / carried / missing, and the
    reporting rate = reported ÷ all (%)."""
    counts = table.pivot_table(index="indicator_id", columns="status", values="year",
                               aggfunc="count", fill_value=0, sort=False)
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    counts["rate_pct"] = 100 * counts["reported"] / counts[list(STATUSES)].sum(axis=1).clip(lower=1)
    return counts.reset_index()
