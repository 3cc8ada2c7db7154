"""How numbers and type look on screen and in every export (no Streamlit here): fonts sized for
projectors, the colour-blind-safe palette (Okabe–Ito), and the Vietnamese (``12.000,5``) and
English (``12,000.5``) number formats.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import SupportsFloat

import pandas as pd

from nq05_metrics.i18n import language

FONT_SIZE = 14
FONT = "Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif"
OKABE_ITO = {
    "blue": "#0072B2", "vermillion": "#D55E00", "green": "#009E73", "orange": "#E69F00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
NEUTRAL = "#5f5f5f"

LOCALES = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}

#: str.translate tables: Python's "," (thousands) and "." (decimal) → the language's marks
_SEPARATORS = {lang: str.maketrans({",": str(marks["thousands"]), ".": str(marks["decimal"])})
               for lang, marks in LOCALES.items()}


def unit_decimals(row: Mapping[str, object]) -> int | None:
    """Decimals shown for the values of a status row's unit (``unit_decimals`` from
    ``units_of_measure.csv``); None = the automatic rule of :func:`format_number`."""
    value = as_float(row.get("unit_decimals"))
    return None if value is None else int(value)


def as_float(value: object) -> float | None:
    """A number cell as float; None for a missing cell (None, NaN, NA) or a non-number."""
    if isinstance(value, bool | str) or not isinstance(value, SupportsFloat):
        return None
    try:
        number = float(value)
    except TypeError:  # pd.NA
        return None
    return None if math.isnan(number) else number


def number_locale(lang: str) -> dict[str, object]:
    """d3 number locale for ``lang`` (``vi``: 12.000,5; ``en``: 12,000.5)."""
    return dict(LOCALES[language(lang)])


def format_number(value: float | None, lang: str = "vi", decimals: int | None = None) -> str:
    """Format a number for display: thousands grouped, Vietnamese or English separators.

    ``decimals`` None → 0 decimals for |v| ≥ 100, else 1 (trailing ``,0`` dropped). NaN → ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "–"
    if decimals is None:
        decimals = 0 if abs(value) >= 100 else 1
    text = f"{value:,.{decimals}f}"
    if decimals and text.endswith("0" * decimals):
        text = text[: -(decimals + 1)]
    return text.translate(_SEPARATORS[language(lang)])  # the language's "," and "."
