"""Administrative units: the registry in ``data/units.csv`` and name → GSO-code matching.

Pure functions, no I/O except :func:`read_units`. A unit set groups units valid over one period:
``province`` (code 12), ``district_2008_2025`` (the 8 former districts, codes 105–112, abolished
on 1 July 2025) and, when added, ``commune_2025`` (the 38 communes/wards from 1 July 2025).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

PROVINCE_CODE = "12"
DEFAULT_UNIT_SET = "district_2008_2025"

# Prefixes that people write before a unit name (after :func:`fold`): they all name the same unit.
_DISTRICT_PREFIXES = ("", "huyen ", "h ")
_CITY_PREFIXES = ("thanh pho ", "tp ", "thi xa ", "tx ")
_PROVINCE_PREFIXES = ("", "tinh ")
_COMMUNE_PREFIXES = ("", "xa ", "phuong ", "thi tran ", "tt ", "p ", "x ")


def strip_marks(text: str) -> str:
    """Vietnamese text without diacritics, case kept: NFD, drop combining marks, ``đ``→``d``.
    ``"Tam Đường"`` → ``"Tam Duong"``."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Fold a name for matching: :func:`strip_marks`, lower case, punctuation to spaces,
    collapse whitespace. ``"H. Than Uyên"`` → ``"h than uyen"``."""
    stripped = strip_marks(text).lower()
    stripped = re.sub(r"[.,;:_\-/()]+", " ", stripped)
    return re.sub(r"\s+", " ", stripped).strip()


def normalize_code(value: object) -> str | None:
    """Return a GSO code as a canonical string (``"110"``, ``"12"``) or None if not code-like.

    Accepts ints, floats with a zero fraction (``110.0`` from Excel) and zero-padded strings;
    ``"012"`` → ``"12"``, ``3388`` → ``"03388"`` (communes keep five digits)."""
    if value is None:
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.0+)?", text):
        number = int(float(text))
        # Province (2 digits) and district (3 digits) codes are written without zeros; commune
        # codes are five digits with leading zeros ("03388").
        return str(number) if number < 1000 else f"{number:05d}"
    return None


@dataclass(frozen=True)
class UnitRegistry:
    """The known units and their aliases; ``lookup`` maps a folded name to a GSO code."""

    units: pd.DataFrame
    lookup: dict[str, str]
    _names: dict[tuple[str, str], str] = field(default_factory=dict, repr=False, compare=False)
    _codes: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index names and codes once (lookups are per cell at commune scale)."""
        names = {(str(c), "vi"): str(n) for c, n in zip(self.units["unit_code"],
                                                         self.units["name_vi"], strict=True)}
        names |= {(str(c), "en"): str(n) for c, n in zip(self.units["unit_code"],
                                                          self.units["name_en"], strict=True)}
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_codes", frozenset(self.units["unit_code"].astype(str)))

    def name(self, code: str, lang: str = "vi") -> str:
        """Display name of a unit in ``lang`` (``vi`` or ``en``); the code itself if unknown."""
        return self._names.get((str(code), "vi" if lang == "vi" else "en"), str(code))

    def codes(self, unit_set: str = DEFAULT_UNIT_SET) -> list[str]:
        """Codes of the units in one unit set, in registry order."""
        return self.units.loc[self.units["unit_set"] == unit_set, "unit_code"].tolist()

    def valid_names(self, lang: str = "vi") -> list[str]:
        """Every unit's display name, for error messages that list what is accepted."""
        return self.units["name_vi" if lang == "vi" else "name_en"].tolist()

    def resolve(self, value: object) -> str | None:
        """GSO code for a code or a name in any common spelling; None when unknown.

        ``resolve("H. Than Uyen") == resolve("huyện Than Uyên") == resolve(110) == "110"``."""
        code = normalize_code(value)
        if code is not None:
            return code if code in self._codes else None
        return self.lookup.get(fold(str(value)))


def _keys_for(row: pd.Series) -> Iterable[str]:
    """All folded spellings that name the unit in ``row``."""
    level = row["level"]
    prefixes = {
        "province": _PROVINCE_PREFIXES,
        "city": _CITY_PREFIXES,
        "district": _DISTRICT_PREFIXES,
    }.get(level, _COMMUNE_PREFIXES)
    names = {row["name_vi"], row["name_en"]}
    bare = {fold(n) for n in names}
    for prefix in _CITY_PREFIXES if level == "city" else ():
        bare = {b.removeprefix(fold(prefix)).strip() for b in bare} | bare
    for name in bare:
        for prefix in prefixes:
            yield fold(prefix + name)
    aliases = row.get("aliases")
    for alias in (aliases if isinstance(aliases, str) else "").split("|"):
        if alias.strip():
            yield fold(alias)


def build_registry(units: pd.DataFrame) -> UnitRegistry:
    """Build the lookup from a units table (columns as in ``data/units.csv``).

    A folded key claimed by two units is dropped (ambiguous), except that a province keeps its bare
    name (``"Lai Châu"`` is the province; the city is ``"TP Lai Châu"``)."""
    claims: dict[str, set[str]] = {}
    for _, row in units.iterrows():
        for key in _keys_for(row):
            claims.setdefault(key, set()).add(str(row["unit_code"]))
    lookup: dict[str, str] = {}
    for key, codes in claims.items():
        if len(codes) == 1:
            lookup[key] = next(iter(codes))
        elif PROVINCE_CODE in codes:
            lookup[key] = PROVINCE_CODE
    return UnitRegistry(units=units.reset_index(drop=True), lookup=lookup)


def read_units(path: Path) -> UnitRegistry:
    """Read ``units.csv`` (UTF-8, codes as text) and build the registry."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame.apply(lambda col: col.map(lambda v: unicodedata.normalize("NFC", v)))
    return build_registry(frame)


@cache
def admin_words() -> dict[str, object]:
    """The administrative-name vocabulary of ``nq05_metrics/vocab/admin.toml`` (province name,
    district prefix, ward type word, former-commune type suffixes)."""
    with (Path(__file__).resolve().parent / "vocab" / "admin.toml").open("rb") as fh:
        return tomllib.load(fh)
