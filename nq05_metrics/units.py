"""Administrative units: the registry in ``data/units.csv``, which units report a year, and
name → GSO-code matching.

Pure functions, no I/O except :func:`read_units`. A unit set groups units valid over one period:
``province`` (code 12), ``district_2008_2025`` (the 8 former districts, codes 105–112, abolished
on 1 July 2025) and ``commune_2025`` (the 38 communes and wards from 1 July 2025, Resolution
1670/NQ-UBTVQH15). Every unit has ``valid_from`` and, once abolished, ``valid_to`` (ISO dates).

**Which units report year Y** (:meth:`UnitRegistry.reporting`): the sub-provincial units that
existed on 1 January of Y. So 2021–2025 are reported by the former districts — 2025, the year of
the switch, included: the resolution's period is reviewed by the units that began it, and the
districts existed until 30 June 2025 — and 2026 on by the communes. The rule is in one place,
:func:`reporting_date`.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from nq05_metrics.i18n import language

PROVINCE_CODE = "12"
DEFAULT_UNIT_SET = "district_2008_2025"

# Prefixes that people write before a unit name (after :func:`fold`): they all name the same unit.
_DISTRICT_PREFIXES = ("", "huyen ", "h ")
_CITY_PREFIXES = ("thanh pho ", "tp ", "thi xa ", "tx ")
_PROVINCE_PREFIXES = ("", "tinh ")
_COMMUNE_PREFIXES = ("", "xa ", "phuong ", "thi tran ", "tt ", "p ", "x ")


def strip_marks(text: str) -> str:
    """Vietnamese text without diacritics, case kept: NFD, drop combining marks, and the letters
    NFD does not decompose (``đ``→``d``, from ``letters_without_marks`` in ``vocab/admin.toml``).
    ``"Tam Đường"`` → ``"Tam Duong"``."""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_letters_without_marks()))
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


def reporting_date(year: int) -> date:
    """The day whose units report year ``year``: 1 January of that year (module docstring)."""
    return date(int(year), 1, 1)


def _iso(text: object) -> date | None:
    """``"2025-06-30"`` → a date; empty or malformed → None (open end)."""
    try:
        return date.fromisoformat(str(text)) if str(text).strip() else None
    except ValueError:
        return None


@dataclass(frozen=True)
class UnitRegistry:
    """The known units and their aliases; ``lookup`` maps a folded name to a GSO code and
    ``ambiguous`` a folded name claimed by several units to all of them (the district and the
    commune both called "Than Uyên"), resolved by year in :meth:`resolve`."""

    units: pd.DataFrame
    lookup: dict[str, str]
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _names: dict[tuple[str, str], str] = field(default_factory=dict, repr=False, compare=False)
    _codes: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _spans: dict[str, tuple[date | None, date | None]] = field(default_factory=dict, repr=False,
                                                               compare=False)

    def __post_init__(self) -> None:
        """Index names, codes and validity spans once (lookups are per cell at commune scale)."""
        codes = self.units["unit_code"].astype(str)
        names = {(c, "vi"): str(n) for c, n in zip(codes, self.units["name_vi"], strict=True)}
        names |= {(c, "en"): str(n) for c, n in zip(codes, self.units["name_en"], strict=True)}
        start = self.units["valid_from"] if "valid_from" in self.units else [""] * len(codes)
        end = self.units["valid_to"] if "valid_to" in self.units else [""] * len(codes)
        spans = {c: (_iso(a), _iso(b)) for c, a, b in zip(codes, start, end, strict=True)}
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_codes", frozenset(codes))
        object.__setattr__(self, "_spans", spans)

    def valid_on(self, code: str, day: date) -> bool:
        """Whether unit ``code`` existed on ``day`` (``valid_from ≤ day ≤ valid_to``, open ends)."""
        start, end = self._spans.get(str(code), (None, None))
        return (start is None or start <= day) and (end is None or day <= end)

    def reports(self, code: str, year: int) -> bool:
        """Whether ``code`` may carry figures of ``year``: the province always, any other unit
        when it existed on :func:`reporting_date` (``year``)."""
        code = str(code)
        if code == PROVINCE_CODE:
            return True
        return code in self._codes and self.valid_on(code, reporting_date(year))

    def reporting(self, year: int) -> list[str]:
        """Codes of the sub-provincial units that report ``year``, in registry order: the
        former districts to 2025, the communes and wards from 2026."""
        day = reporting_date(year)
        return [c for c in self.units["unit_code"].astype(str)
                if c != PROVINCE_CODE and self.valid_on(c, day)]

    def unit_set_reporting(self, year: int) -> str | None:
        """The unit set whose units report ``year`` (``district_2008_2025`` to 2025,
        ``commune_2025`` from 2026); None when no unit reports it."""
        codes = self.reporting(year)
        return self.unit_set_of(codes[0]) if codes else None

    def unit_set_of(self, code: str) -> str | None:
        """The unit set (``district_2008_2025``, ``commune_2025`` …) of ``code``; None if unknown."""
        hit = self.units.loc[self.units["unit_code"].astype(str) == str(code), "unit_set"]
        return str(hit.iloc[0]) if len(hit) else None

    def valid_to(self, code: str) -> date | None:
        """The last day of unit ``code`` (None while it exists)."""
        return self._spans.get(str(code), (None, None))[1]

    def describe(self, code: str, lang: str = "vi") -> str:
        """``Than Uyên (110, huyện, đến 30/06/2025)``: name, code, level and validity, for
        messages that must tell units of the same name apart."""
        from nq05_metrics.i18n import t

        code = str(code)
        row = self.units.loc[self.units["unit_code"].astype(str) == code]
        level = t(lang, f"units.level_{row['level'].iloc[0]}") if len(row) else ""
        start, end = self._spans.get(code, (None, None))
        span = (t(lang, "units.until", day=end.strftime("%d/%m/%Y")) if end is not None else
                t(lang, "units.since", day=start.strftime("%d/%m/%Y")) if start is not None
                else "")
        return f"{self.name(code, lang)} ({', '.join(p for p in (code, level, span) if p)})"

    def candidates(self, value: object) -> tuple[str, ...]:
        """Every unit ``value`` may name: one code for a known code or a unique name, several for
        a name shared by units of different periods, none when unknown."""
        code = normalize_code(value)
        if code is not None:
            return (code,) if code in self._codes else ()
        key = fold(str(value))
        if key in self.lookup:
            return (self.lookup[key],)
        return self.ambiguous.get(key, ())

    def name(self, code: str, lang: str = "vi") -> str:
        """Display name of a unit in ``lang`` (``vi`` or ``en``); the code itself if unknown."""
        return self._names.get((str(code), language(lang)), str(code))

    def codes(self, unit_set: str = DEFAULT_UNIT_SET) -> list[str]:
        """Codes of the units in one unit set, in registry order."""
        return self.units.loc[self.units["unit_set"] == unit_set, "unit_code"].tolist()

    def valid_names(self, lang: str = "vi") -> list[str]:
        """Every unit's display name, for error messages that list what is accepted."""
        return self.units[f"name_{language(lang)}"].tolist()

    def resolve(self, value: object, year: int | None = None) -> str | None:
        """GSO code for a code or a name in any common spelling; None when unknown or ambiguous.

        ``resolve("H. Than Uyen") == resolve("huyện Than Uyên") == resolve(110) == "110"``. A
        name shared by units of different periods ("Than Uyên": district 110 to 2025, commune
        03595 from July 2025) is decided by ``year`` — the one unit among them that
        :meth:`reports` it — and is None without a year or when still ambiguous."""
        found = self.candidates(value)
        if len(found) > 1 and year is not None:
            found = tuple(c for c in found if self.reports(c, year))
        return found[0] if len(found) == 1 else None


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

    A folded key claimed by two units goes to ``ambiguous`` (decided by year in
    :meth:`UnitRegistry.resolve`), except that a province keeps its bare name (``"Lai Châu"`` is
    the province; the city is ``"TP Lai Châu"``)."""
    claims: dict[str, set[str]] = {}
    for _, row in units.iterrows():
        for key in _keys_for(row):
            claims.setdefault(key, set()).add(str(row["unit_code"]))
    lookup: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    order = {str(c): i for i, c in enumerate(units["unit_code"])}
    for key, codes in claims.items():
        if len(codes) == 1:
            lookup[key] = next(iter(codes))
        elif PROVINCE_CODE in codes:
            lookup[key] = PROVINCE_CODE
        else:
            ambiguous[key] = tuple(sorted(codes, key=order.__getitem__))
    return UnitRegistry(units=units.reset_index(drop=True), lookup=lookup, ambiguous=ambiguous)


def read_units(path: Path) -> UnitRegistry:
    """Read ``units.csv`` (UTF-8, codes as text) and build the registry."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame.apply(lambda col: col.map(lambda v: unicodedata.normalize("NFC", v)))
    return build_registry(frame)


@cache
def _letters_without_marks() -> dict[int, str]:
    """``str.translate`` table of :func:`strip_marks` for letters whose mark NFD keeps."""
    letters = admin_words()["letters_without_marks"]
    if not isinstance(letters, dict):
        raise TypeError("vocab/admin.toml: letters_without_marks must be a table")
    return str.maketrans({str(k): str(v) for k, v in letters.items()})


@cache
def admin_words() -> dict[str, object]:
    """The administrative-name vocabulary of ``nq05_metrics/vocab/admin.toml`` (province name,
    district prefix, ward type word, former-commune type suffixes)."""
    with (Path(__file__).resolve().parent / "vocab" / "admin.toml").open("rb") as fh:
        return tomllib.load(fh)
