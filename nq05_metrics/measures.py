"""Units of measure (``data/units_of_measure.csv``): how an indicator's ``unit`` reads and how
many decimals its values show. Definitions are data: a new unit is a new row, no code.

``measures`` is the loaded table (``Dataset.measures``: unit, label_vi, label_en, decimals,
additive); a unit missing from it reads as its code (the contract refuses such an indicator,
so this only happens with hand-made frames)."""

from __future__ import annotations

import pandas as pd

from nq05_metrics.i18n import language


def labels(measures: pd.DataFrame, lang: str) -> dict[str, str]:
    """unit code → its label in ``lang`` (``vi`` or ``en``)."""
    column = f"label_{language(lang)}"
    return dict(zip(measures["unit"].astype(str), measures[column].astype(str), strict=True))


def label_column(units: pd.Series, measures: pd.DataFrame, lang: str) -> pd.Series:
    """The label of each unit code of ``units`` (unknown codes as written)."""
    known = labels(measures, lang)  # looked up once per distinct unit, not per row
    return units.map({u: known.get(str(u), str(u)) for u in pd.unique(units.dropna())}).fillna("")


def decimals_column(units: pd.Series, measures: pd.DataFrame) -> pd.Series:
    """Decimals shown for the values of each unit of ``units`` (``<NA>`` = automatic)."""
    known = dict(zip(measures["unit"].astype(str), measures["decimals"], strict=True))
    return units.map({u: known.get(str(u)) for u in pd.unique(units.dropna())}).astype("Int64")
