"""Completeness of reporting (as DHIS2's reporting-rate summary): for each indicator, which
unit has reported which year — ``reported`` (a figure for that year), ``carried`` (no figure,
but one from an earlier year that the dashboard carries forward) or ``missing``.

Units counted for a year are the province and the units that report it (those that existed on
1 January: the former districts to 2025, the communes and wards from 2026).
"""

from __future__ import annotations

import pandas as pd

from nq05_metrics.units import PROVINCE_CODE, UnitRegistry

STATUSES = ("reported", "carried", "missing")


def units_in_year(units: UnitRegistry, year: int) -> list[str]:
    """The province and the units that report ``year`` (:meth:`UnitRegistry.reporting`)."""
    return [PROVINCE_CODE, *units.reporting(year)]


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
