"""One entry point for pages, exports and the command line: Dataset in → tables/text out.

Every screen, the PPTX, the PDF and the CLI call these functions, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from nq05_metrics import aggregate, metrics, narrative
from nq05_metrics.loader import Dataset
from nq05_metrics.units import DEFAULT_UNIT_SET, PROVINCE_CODE

STATUS_COLUMNS = [
    "indicator_id", "unit_code", "as_of", "actual", "target", "achievement_pct", "status",
    "on_schedule", "projected_value", "forecast_met", "quality",
]


def district_codes(ds: Dataset, unit_set: str = DEFAULT_UNIT_SET) -> list[str]:
    """Codes of the districts (or, later, communes) below the province in ``unit_set``."""
    return ds.units.codes(unit_set)


def years(ds: Dataset) -> list[int]:
    """Years that have at least one observation, ascending."""
    return sorted(int(y) for y in ds.observations["year"].unique())


def default_as_of(ds: Dataset) -> int:
    """The latest year with observations for at least half of the indicators (a fair "as of")."""
    per_year = ds.observations.groupby("year")["indicator_id"].nunique()
    enough = per_year[per_year >= max(1, len(ds.indicators) // 2)]
    return int(enough.index.max() if len(enough) else per_year.index.max())


def observations(ds: Dataset) -> pd.DataFrame:
    """Observations plus derived province totals (Σ districts where the province is missing)."""
    return aggregate.with_province_totals(ds.observations, ds.indicators, district_codes(ds))


def status(
    ds: Dataset,
    as_of: int,
    unit_codes: Sequence[str] | None = None,
    commodity: str | None = None,
) -> pd.DataFrame:
    """The status table (:func:`nq05_metrics.metrics.status_table`) with display labels:
    ``unit_name_vi/en``, ``status_label_vi/en``, ``status_symbol``, ``status_color``,
    ``quality_label_vi/en``. Default units: the province and every district."""
    districts = district_codes(ds)
    codes = list(unit_codes) if unit_codes else [PROVINCE_CODE, *districts]
    table = metrics.status_table(
        ds.indicators, ds.observations, ds.district_targets, ds.bands, as_of, codes,
        districts, commodity)
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
    )
    return table.astype({"actual_year": "Int64"})


def _unit_names(ds: Dataset, codes: pd.Series, lang: str) -> pd.Series:
    """Display names of unit codes (:meth:`UnitRegistry.name`), looked up once per distinct code
    (a commune-scale status table has 10⁵ rows but only 10³ units)."""
    return codes.map({code: ds.units.name(code, lang) for code in pd.unique(codes)})


def summary(
    ds: Dataset, as_of: int, lang: str = "vi", unit_code: str = PROVINCE_CODE,
    commodity: str | None = None,
) -> str:
    """The review paragraph for one unit (default: the province)."""
    table = status(ds, as_of, [unit_code], commodity)
    name = None if unit_code == PROVINCE_CODE else ds.units.name(unit_code, lang)
    return narrative.paragraph(table, lang, name)


def series(ds: Dataset, indicator_id: str, unit_code: str, as_of: int) -> pd.DataFrame:
    """Observed series, schedule path and projection for one indicator × unit (chart data)."""
    row = status(ds, as_of, [unit_code]).query("indicator_id == @indicator_id").iloc[0]
    obs = observations(ds)
    return metrics.trajectory(row, obs[obs["year"] <= as_of])


def ranking(ds: Dataset, as_of: int, indicator_id: str) -> pd.DataFrame:
    """Districts ranked by level and by gain since the baseline for one indicator."""
    districts = district_codes(ds)
    table = status(ds, as_of, districts)
    ranked = aggregate.rank_units(table, indicator_id, districts)
    return ranked.assign(unit_name_vi=_unit_names(ds, ranked["unit_code"], "vi"))


def consistency(ds: Dataset, tolerance: float = 0.01) -> pd.DataFrame:
    """Indicator-years where the reported province value ≠ Σ districts beyond ``tolerance``."""
    return aggregate.consistency(ds.observations, ds.indicators, district_codes(ds), tolerance)
