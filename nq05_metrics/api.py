"""One entry point for pages, exports and the command line: Dataset in → tables/text out.

Every screen, the PPTX, the PDF and the CLI call these functions, so they never disagree.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, cast

import pandas as pd

from nq05_metrics import aggregate, measures, metrics, narrative, reform, targets
from nq05_metrics.loader import Dataset
from nq05_metrics.units import PROVINCE_CODE

_T = TypeVar("_T")

STATUS_COLUMNS = [
    "indicator_id", "unit_code", "as_of", "actual", "plan_id", "target_year", "target",
    "target_original", "achievement_pct", "status",
    "on_schedule", "projected_value", "forecast_met", "quality",
]


def parts_by_year(ds: Dataset) -> dict[int, list[str]]:
    """``{year: codes of the units that report it}`` for every observed year — the parts the
    province total sums (former districts to 2025, communes from 2026)."""
    return {y: ds.units.reporting(y) for y in years(ds)}


def years(ds: Dataset) -> list[int]:
    """Years that have at least one observation, ascending."""
    return sorted(int(y) for y in ds.observations["year"].unique())


def default_as_of(ds: Dataset) -> int:
    """The latest year with observations for at least half of the indicators (a fair "as of")."""
    per_year = ds.observations.groupby("year")["indicator_id"].nunique()
    enough = per_year[per_year >= max(1, len(ds.indicators) // 2)]
    return int(enough.index.max() if len(enough) else per_year.index.max())


def observations(ds: Dataset) -> pd.DataFrame:
    """Observations plus derived province totals (Σ districts where the province is missing),
    computed once per dataset object (:func:`nq05_metrics.aggregate.with_province_totals`) and
    shared by every view of it: a shallow copy of the one frame (copy-on-write, so a caller
    can never alter it)."""
    hit = _TOTALS.get(id(ds))
    if hit is None or hit[0]() is not ds:
        key = id(ds)
        frame = aggregate.with_province_totals(ds.observations, ds.indicators, parts_by_year(ds))
        frame = reform.with_former_units(frame, ds.indicators, ds.crosswalk, ds.units)
        hit = (weakref.ref(ds, lambda _ref: _TOTALS.pop(key, None)), frame)
        _TOTALS[key] = hit
    return hit[1].copy(deep=False)


#: id(dataset) → (weak reference to it, its observations with province totals)
_TOTALS: dict[int, tuple[weakref.ref[Dataset], pd.DataFrame]] = {}


def targets_in_force(ds: Dataset, as_of: int) -> pd.DataFrame:
    """The targets in force at the end of ``as_of`` (:func:`nq05_metrics.targets.resolve`), with
    a former district's derived from its successor communes after the reform
    (:func:`nq05_metrics.targets.with_former_units`), computed once per dataset and year (every
    view of a year shares them)."""
    hit = _IN_FORCE.get(id(ds))
    if hit is None or hit[0]() is not ds:
        key = id(ds)
        hit = (weakref.ref(ds, lambda _ref: _IN_FORCE.pop(key, None)), {})
        _IN_FORCE[key] = hit
    if as_of not in hit[1]:
        hit[1][as_of] = targets.with_former_units(targets.resolve(ds.plans, ds.targets, as_of),
                                                  ds.indicators, ds.crosswalk, ds.units)
    return hit[1][as_of].copy(deep=False)


#: id(dataset) → (weak reference to it, {as_of: its targets in force})
_IN_FORCE: dict[int, tuple[weakref.ref[Dataset], dict[int, pd.DataFrame]]] = {}


def status(
    ds: Dataset,
    as_of: int,
    unit_codes: Sequence[str] | None = None,
    commodity: str | None = None,
) -> pd.DataFrame:
    """The status table (:func:`nq05_metrics.metrics.status_table`) with display labels:
    ``unit_name_vi/en``, ``status_label_vi/en``, ``status_symbol``, ``status_color``,
    ``quality_label_vi/en``, ``unit_label_vi/en`` and ``unit_decimals`` (the unit of measure,
    :mod:`nq05_metrics.measures`). Targets: those in force at the end of ``as_of``
    (:func:`nq05_metrics.targets.resolve`). Default units: the province and every unit reporting ``as_of``.

    The one builder of status tables: :class:`View` calls it once per view."""
    codes = list(unit_codes) if unit_codes else [PROVINCE_CODE, *ds.units.reporting(as_of)]
    in_force = targets_in_force(ds, as_of)
    table = metrics.status_from_totals(
        ds.indicators, observations(ds), in_force, ds.bands, as_of, codes, commodity,
        targets.period_end(ds.plans, as_of))
    return _labelled(ds, table)


def _labelled(ds: Dataset, table: pd.DataFrame) -> pd.DataFrame:
    """Join display labels for units, bands and quality flags."""
    bands = ds.bands.set_index("band_id")
    quals = ds.qualities.set_index("quality")
    table = table.assign(
        unit_name_vi=_unit_names(ds, table["unit_code"], "vi"),
        unit_name_en=_unit_names(ds, table["unit_code"], "en"),
        status_label_vi=table["status"].map(bands["label_vi"]),
        status_label_en=table["status"].map(bands["label_en"]),
        status_symbol=table["status"].map(bands["symbol"]),
        status_color=table["status"].map(bands["color"]),
        quality_label_vi=table["quality"].map(quals["label_vi"]),
        quality_label_en=table["quality"].map(quals["label_en"]),
        unit_label_vi=measures.label_column(table["unit"], ds.measures, "vi"),
        unit_label_en=measures.label_column(table["unit"], ds.measures, "en"),
        unit_decimals=measures.decimals_column(table["unit"], ds.measures),
    )
    return table.astype({"actual_year": "Int64"})


def _unit_names(ds: Dataset, codes: pd.Series, lang: str) -> pd.Series:
    """Display names of unit codes (:meth:`UnitRegistry.name`), looked up once per distinct code
    (a commune-scale status table has 10⁵ rows but only 10³ units)."""
    return codes.map({code: ds.units.name(code, lang) for code in pd.unique(codes)})


@dataclass(frozen=True, eq=False)
class View:
    """What one screen, deck or command shows: the dataset as of year ``as_of`` for ``unit`` (a
    unit code, default the province) and ``commodity`` (None = all), with ONE status table for
    the unit, the province and every district (:func:`status`), built on first use; everything
    else is derived from it and kept: the unit's rows, the districts' rows, the review paragraph
    per language, the chart series and the district ranking per indicator.

    Frozen and never mutated from outside: every frame it returns is a shallow copy (pandas'
    copy-on-write), so one view can be cached and shared by every page and session."""

    ds: Dataset
    as_of: int
    unit: str = PROVINCE_CODE
    commodity: str | None = None
    _memo: dict[tuple[str, str], object] = field(default_factory=dict, init=False, repr=False)

    @cached_property
    def parts(self) -> list[str]:
        """The units that report ``as_of`` (:meth:`UnitRegistry.reporting`): the former
        districts to 2025, the communes and wards from 2026."""
        return self.ds.units.reporting(self.as_of)

    @cached_property
    def codes(self) -> list[str]:
        """Unit codes of the status table: the unit, the province, then :attr:`parts`."""
        return list(dict.fromkeys([self.unit, PROVINCE_CODE, *self.parts]))

    @cached_property
    def _table(self) -> pd.DataFrame:
        return status(self.ds, self.as_of, self.codes, self.commodity)

    @property
    def table(self) -> pd.DataFrame:
        """The whole status table (unit, province and districts)."""
        return self._table.copy(deep=False)

    @cached_property
    def _rows(self) -> pd.DataFrame:
        table = self._table
        return table[table["unit_code"] == self.unit].reset_index(drop=True)

    @property
    def rows(self) -> pd.DataFrame:
        """The status rows of the unit: ``status(ds, as_of, [unit], commodity)``."""
        return self._rows.copy(deep=False)

    @cached_property
    def _districts(self) -> pd.DataFrame:
        table = self._table
        return table[table["unit_code"].isin(self.parts)].reset_index(drop=True)

    @property
    def districts(self) -> pd.DataFrame:
        """The status rows of every unit reporting ``as_of`` (the districts to 2025, the
        communes from 2026): ``status(ds, as_of, parts, commodity)``."""
        return self._districts.copy(deep=False)

    def _kept(self, kind: str, key: str, make: Callable[[], _T]) -> _T:
        """``make()`` once per (kind, key) for the life of the view."""
        if (kind, key) not in self._memo:
            self._memo[(kind, key)] = make()
        return cast(_T, self._memo[(kind, key)])

    def summary(self, lang: str = "vi") -> str:
        """The review paragraph of the unit (:func:`nq05_metrics.narrative.paragraph`)."""
        name = None if self.unit == PROVINCE_CODE else self.ds.units.name(self.unit, lang)
        return self._kept("summary", lang, lambda: narrative.paragraph(self._rows, lang, name))

    def series(self, indicator_id: str) -> pd.DataFrame:
        """Observed series, schedule path and projection of one indicator for the unit
        (:func:`nq05_metrics.metrics.trajectory`); KeyError if the indicator is not in view."""
        def make() -> pd.DataFrame:
            rows = self._rows[self._rows["indicator_id"] == indicator_id]
            if rows.empty:
                raise KeyError(indicator_id)
            obs = observations(self.ds)
            return metrics.trajectory(rows.iloc[0], obs[obs["year"] <= self.as_of])
        return self._kept("series", indicator_id, make).copy(deep=False)

    def ranking(self, indicator_id: str) -> pd.DataFrame:
        """Districts ranked by level and by gain since the baseline for one indicator
        (:func:`nq05_metrics.aggregate.rank_units`)."""
        def make() -> pd.DataFrame:
            ranked = aggregate.rank_units(self._districts, indicator_id, self.parts)
            return ranked.assign(unit_name_vi=_unit_names(self.ds, ranked["unit_code"], "vi"))
        return self._kept("ranking", indicator_id, make).copy(deep=False)


def summary(
    ds: Dataset, as_of: int, lang: str = "vi", unit_code: str = PROVINCE_CODE,
    commodity: str | None = None,
) -> str:
    """The review paragraph for one unit (default: the province): :meth:`View.summary`."""
    return View(ds, as_of, unit_code, commodity).summary(lang)


def series(ds: Dataset, indicator_id: str, unit_code: str, as_of: int) -> pd.DataFrame:
    """Observed series, schedule path and projection for one indicator × unit (chart data):
    :meth:`View.series`."""
    return View(ds, as_of, unit_code).series(indicator_id)


def ranking(ds: Dataset, as_of: int, indicator_id: str) -> pd.DataFrame:
    """Districts ranked by level and by gain since the baseline for one indicator:
    :meth:`View.ranking`."""
    return View(ds, as_of).ranking(indicator_id)


def consistency(ds: Dataset, tolerance: float = 0.01) -> pd.DataFrame:
    """Indicator-years where the reported province value ≠ Σ districts beyond ``tolerance``."""
    return aggregate.consistency(ds.observations, ds.indicators, parts_by_year(ds), tolerance)
