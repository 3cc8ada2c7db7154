"""The intake's vocabularies (``nq05_metrics/vocab/intake.toml``, ``indicator_names.csv``) and
the matching of texts against them, indicators and units.

All matching is on :func:`nq05_metrics.units.fold` text (accents, case and punctuation ignored).
"""

from __future__ import annotations

import csv
import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from nq05_metrics.units import PROVINCE_CODE, UnitRegistry, fold

VOCAB_DIR = Path(__file__).resolve().parents[1] / "vocab"
YEAR_RX = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)")
_NUMBERING = re.compile(r"^\s*(?:[\dIVXivx]+[.)]|[a-zđ][.)]|[-+*•–])(?:[\d.]*[.)]?)?\s+")
_PARENS = re.compile(r"\s*\(([^()]*)\)\s*$")


@cache
def words() -> dict[str, dict[str, list[str]]]:
    """``intake.toml`` with every word folded."""
    with (VOCAB_DIR / "intake.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    return {table: {k: [fold(w) if fold(w) else w for w in v] for k, v in entries.items()}
            for table, entries in raw.items()}


def starts_with(text: str, candidates: list[str]) -> str | None:
    """The longest candidate that ``text`` (folded) equals or begins with followed by a space."""
    best = None
    for word in candidates:
        if (text == word or text.startswith(word + " ")) and (best is None or len(word) > len(best)):
            best = word
    return best


def classify(text: str, table: str) -> str | None:
    """The entry of ``table`` (e.g. ``headers``) whose words ``text`` matches best, or None."""
    folded = fold(text)
    best: tuple[int, str] | None = None
    for key, candidates in words()[table].items():
        hit = starts_with(folded, candidates)
        if hit is not None and (best is None or len(hit) > best[0]):
            best = (len(hit), key)
    return best[1] if best else None


def is_word(text: str, table: str, key: str) -> bool:
    """Whether ``text`` matches ``words()[table][key]``."""
    return starts_with(fold(text), words()[table][key]) is not None


def contains_word(text: str, table: str, key: str) -> bool:
    """Whether ``text`` (folded) holds one of the words as whole words anywhere."""
    folded = f" {fold(text)} "
    return any(f" {w} " in folded for w in words()[table][key])


def measure_of(text: str) -> str | None:
    """The indicator unit (``ha``, ``colonies`` …) that a unit-of-measure text names."""
    return classify(text, "measures")


def quality_of(text: str) -> str | None:
    """The quality flag that ``text`` names (the flag itself or the app's label)."""
    return classify(text, "quality")


@dataclass(frozen=True)
class IndicatorNames:
    """Folded names → indicator id (ids, vi/en names, aliases) and per-indicator yoy factors."""

    lookup: dict[str, str]
    names: dict[str, str]
    yoy: dict[str, float]

    def resolve(self, text: str) -> str | None:
        """The indicator a label names: numbering ("1.", "a)") and a trailing "(ha)" dropped."""
        for candidate in _label_forms(text):
            hit = self.lookup.get(fold(candidate))
            if hit is not None:
                return hit
        return None

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Up to ``n`` closest known names (as written in the registry) for an unmatched label."""
        folded = fold(_label_forms(text)[-1])
        keys = difflib.get_close_matches(folded, list(self.lookup), n=n * 3, cutoff=0.5)
        out: list[str] = []
        for key in keys:
            name = self.names[self.lookup[key]]
            if name not in out:
                out.append(name)
        return out[:n]


def _label_forms(text: str) -> list[str]:
    """The label as written, without its numbering, and without a trailing parenthesis."""
    first = str(text).strip()
    bare = _NUMBERING.sub("", first).strip()
    forms = [first, bare, _PARENS.sub("", bare).strip()]
    return [f for f in dict.fromkeys(forms) if f]


def indicator_names(indicators: pd.DataFrame) -> IndicatorNames:
    """Name lookup for the registry's indicators (ids, ``name_vi``, ``name_en``) and the aliases
    and year-on-year factors of ``vocab/indicator_names.csv``."""
    lookup: dict[str, str] = {}
    names: dict[str, str] = {}
    known = set(indicators["indicator_id"])
    for ind, vi, en in zip(indicators["indicator_id"], indicators["name_vi"],
                           indicators["name_en"], strict=True):
        names[ind] = str(vi)
        for name in (ind, vi, en):
            lookup.setdefault(fold(str(name)), ind)
    yoy: dict[str, float] = {}
    with (VOCAB_DIR / "indicator_names.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ind = row["indicator_id"]
            if ind not in known:
                continue
            for alias in (row.get("alias") or "").split("|"):
                if alias.strip():
                    lookup.setdefault(fold(alias), ind)
            if (row.get("yoy_factor") or "").strip():
                yoy[ind] = float(row["yoy_factor"])
    return IndicatorNames(lookup, names, yoy)


def resolve_unit(text: object, units: UnitRegistry, year: int | None = None) -> str | None:
    """A unit code for a cell: a code or name (the registry's spellings; a name shared by units
    of different periods decided by ``year``), or a province word."""
    code = units.resolve(text, year)
    if code is None and isinstance(text, str) and is_word(text, "title", "province"):
        return PROVINCE_CODE
    return code


def unit_candidates(text: object, units: UnitRegistry) -> tuple[str, ...]:
    """Every unit ``text`` may name (several for "Than Uyên": the district and the commune)."""
    found = units.candidates(text)
    if not found and isinstance(text, str) and is_word(text, "title", "province"):
        return (PROVINCE_CODE,)
    return found


def as_year(value: object) -> int | None:
    """A year cell's whole number (``2024``, ``2024.0``, ``"2024"``), else None."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1900 <= number <= 2100 else None


def province_or_city(text: str, units: UnitRegistry) -> str | None:
    """The city's code when ``text`` is the bare name shared by the province and a city
    ("Lai Châu"): read as the province, it may well mean the city."""
    if units.resolve(text) != PROVINCE_CODE:
        return None
    folded = fold(text)
    for code, level, name in zip(units.units["unit_code"], units.units["level"],
                                 units.units["name_vi"], strict=True):
        if level == "city" and fold(str(name)).endswith(" " + folded):
            return str(code)
    return None


def year_in(text: str) -> list[int]:
    """The years (2000–2049) written in ``text``, in order."""
    return [int(y) for y in YEAR_RX.findall(str(text))]
