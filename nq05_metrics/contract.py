"""The data contract: every table's schema as data, the ``Problem`` record, ``DataContractError``.

Pure data and tiny value types; the checking itself lives in :mod:`nq05_metrics.loader`.

A table is a :class:`TableSpec` (file name, key columns, whether the file may be absent) holding
:class:`ColumnSpec` rows. Column kinds and the dtype each gets in a loaded frame:

========  ==================================================================  ==============
kind      cell                                                                dtype
========  ==================================================================  ==============
``text``  free text, NFC, stripped; an empty optional cell is ``""``           ``str``
``code``  identifier (no spaces), NFC; ``ref="units"`` resolves unit names    ``str``
``int``   whole number (years, orders)                                       ``int64``
``float`` number; an empty optional cell is NaN (``max_pct``: ∞)             ``float64``
``enum``  one of ``allowed`` (matched case-insensitively, stored lower case)   ``str``
``bool``  ``true/false``, ``1/0``, ``yes/no``, ``có/không``, ``đúng/sai``       ``bool``
========  ==================================================================  ==============
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nq05_metrics.i18n import both

Kind = Literal["text", "code", "int", "float", "enum", "bool"]
Severity = Literal["error", "warning"]

QUALITIES = ("official", "reported", "news", "estimate", "illustrative")
KINDS = ("level", "cumulative")
POLARITIES = ("higher_better", "lower_better")
AGGREGATIONS = ("sum", "none")
UNIT_LEVELS = ("province", "city", "town", "district", "commune", "ward", "township")

PERIOD_START = 2021
PERIOD_END = 2030
FIRST_YEAR = 2000

HEX_COLOR = r"#[0-9A-Fa-f]{6}"
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
IDENTIFIER = r"[A-Za-z0-9_.\-]+"


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its kind and what a cell may hold.

    ``required`` — the column must be in the header and every cell filled; an optional column may
    be left out of the file (it is then all empty). ``nullable`` is ``not required``: an empty cell
    is allowed (NaN for numbers, ``""`` for text). ``min_value``/``max_value`` bound numbers
    (``min_inclusive=False`` means strictly greater). ``ref`` names a table whose key the cell must
    be (``units``, ``indicators``, ``commodities``, ``measures``: any table with a one-column
    key). ``pattern`` is a full-match regex for text."""

    name: str
    kind: Kind
    required: bool = True
    allowed: tuple[str, ...] | None = None
    min_value: float | None = None
    max_value: float | None = None
    min_inclusive: bool = True
    ref: str | None = None
    pattern: str | None = None
    allow_inf: bool = False

    @property
    def nullable(self) -> bool:
        """Whether an empty cell is allowed (NaN / ``""``)."""
        return not self.required


@dataclass(frozen=True)
class TableSpec:
    """One table: the ``Dataset`` attribute ``name``, its ``file``, columns and unique key."""

    name: str
    file: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    optional_file: bool = False
    #: columns this table held once and that now live in another file: (column, that file);
    #: a file that still has one is refused with where it went (its figures would be lost)
    moved: tuple[tuple[str, str], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        """Column names in contract order (the order of the loaded frame)."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> ColumnSpec:
        """The spec of column ``name`` (KeyError if unknown)."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _text(name: str, required: bool = True, pattern: str | None = None) -> ColumnSpec:
    return ColumnSpec(name, "text", required=required, pattern=pattern)


def _year(name: str, low: int = FIRST_YEAR, high: int = PERIOD_END) -> ColumnSpec:
    return ColumnSpec(name, "int", min_value=low, max_value=high)


def _quality(name: str = "quality") -> ColumnSpec:
    return ColumnSpec(name, "enum", allowed=QUALITIES)


def _unit_code() -> ColumnSpec:
    return ColumnSpec("unit_code", "code", ref="units")


INDICATORS = TableSpec(
    name="indicators",
    file="indicators.csv",
    key=("indicator_id",),
    moved=tuple((c, "targets.csv") for c in ("target_year", "target_value", "target_2030",
                                             "target_quality", "target_source")),
    columns=(
        ColumnSpec("indicator_id", "code", pattern=IDENTIFIER),
        _text("name_vi"),
        _text("name_en"),
        _text("group"),
        ColumnSpec("commodity", "code", ref="commodities"),
        ColumnSpec("unit", "code", ref="measures"),
        ColumnSpec("kind", "enum", allowed=KINDS),
        ColumnSpec("polarity", "enum", allowed=POLARITIES),
        ColumnSpec("aggregation", "enum", allowed=AGGREGATIONS),
        _year("baseline_year"),
        ColumnSpec("baseline_value", "float", min_value=0),
        ColumnSpec("headline", "bool"),
        ColumnSpec("display_order", "int"),
        _text("description_vi", required=False),
        _text("description_en", required=False),
    ),
)

OBSERVATIONS = TableSpec(
    name="observations",
    file="observations.csv",
    key=("indicator_id", "unit_code", "year"),
    columns=(
        ColumnSpec("indicator_id", "code", ref="indicators"),
        _unit_code(),
        _year("year"),
        ColumnSpec("value", "float", min_value=0),
        _quality(),
        _text("source"),
        _text("note", required=False),
    ),
)

# Plans (a resolution, its revisions, the next period's resolution) and the targets they set;
# which plan is in force at a date and which target counts: nq05_metrics/targets.py. A revision
# ``supersedes`` the plan it revises (same period, adopted later) and restates only the targets it
# changes; an empty ``supersedes`` starts a period.
PLANS = TableSpec(
    name="plans",
    file="plans.csv",
    key=("plan_id",),
    optional_file=True,
    columns=(
        ColumnSpec("plan_id", "code", pattern=IDENTIFIER),
        _text("name_vi"),
        _text("name_en"),
        _year("period_start", PERIOD_START),
        _year("period_end", PERIOD_START),
        _text("adopted_on", pattern=ISO_DATE),
        _text("document"),
        ColumnSpec("supersedes", "code", required=False, pattern=IDENTIFIER),
    ),
)

# An empty unit_code is the province (code 12).
TARGETS = TableSpec(
    name="targets",
    file="targets.csv",
    key=("indicator_id", "unit_code", "plan_id", "target_year"),
    optional_file=True,
    columns=(
        ColumnSpec("indicator_id", "code", ref="indicators"),
        ColumnSpec("unit_code", "code", required=False, ref="units"),
        ColumnSpec("plan_id", "code", ref="plans"),
        _year("target_year", PERIOD_START),
        ColumnSpec("value", "float", min_value=0, min_inclusive=False),
        _quality(),
        _text("source"),
        _text("note", required=False),
    ),
)

# Lai Châu lies within about 102.3–104.0 °E and 21.7–22.8 °N; the bounds leave a margin.
ZONES = TableSpec(
    name="zones",
    file="zones.csv",
    key=("zone_id",),
    optional_file=True,
    columns=(
        ColumnSpec("zone_id", "code", pattern=IDENTIFIER),
        ColumnSpec("commodity", "code", ref="commodities"),
        _unit_code(),
        _text("commune", required=False),
        ColumnSpec("area_ha", "float", min_value=0),
        _year("year"),
        ColumnSpec("lon", "float", required=False, min_value=102.0, max_value=104.5),
        ColumnSpec("lat", "float", required=False, min_value=21.0, max_value=23.5),
        _text("linked_enterprise", required=False),
        _quality(),
        _text("source"),
        _text("note", required=False),
    ),
)

# A band with both bounds empty is a "no data" band and is not part of the 0..∞ coverage;
# an empty max_pct is ∞ (loaded as float("inf")).
BANDS = TableSpec(
    name="bands",
    file="status_bands.csv",
    key=("band_id",),
    columns=(
        ColumnSpec("band_id", "code", pattern=IDENTIFIER),
        ColumnSpec("min_pct", "float", required=False, min_value=0),
        ColumnSpec("max_pct", "float", required=False, min_value=0, allow_inf=True),
        _text("label_vi"),
        _text("label_en"),
        _text("definition_vi"),
        _text("definition_en"),
        _text("color", pattern=HEX_COLOR),
        _text("symbol"),
        ColumnSpec("order", "int"),
    ),
)

COMMODITIES = TableSpec(
    name="commodities",
    file="commodities.csv",
    key=("commodity",),
    columns=(
        ColumnSpec("commodity", "code", pattern=IDENTIFIER),
        _text("name_vi"),
        _text("name_en"),
        _text("color", pattern=HEX_COLOR),
        ColumnSpec("display_order", "int"),
        # true: the deck gives this commodity its own slide (map, trend, gauges); the others
        # share one slide of gauges. Empty or left out = false.
        ColumnSpec("own_slide", "bool", required=False),
    ),
)

# Units of measure: what an indicator's ``unit`` may be, how it reads, how many decimals its
# values show, and whether values add up (a province total may be a sum of districts only
# for an additive unit: hectares yes, a yield or a share no).
MEASURES = TableSpec(
    name="measures",
    file="units_of_measure.csv",
    key=("unit",),
    columns=(
        ColumnSpec("unit", "code", pattern=IDENTIFIER),
        _text("label_vi"),
        _text("label_en"),
        ColumnSpec("decimals", "int", min_value=0, max_value=6),
        ColumnSpec("additive", "bool"),
    ),
)

QUALITY_LEVELS = TableSpec(
    name="qualities",
    file="quality_levels.csv",
    key=("quality",),
    columns=(
        _quality(),
        _text("label_vi"),
        _text("label_en"),
        _text("definition_vi"),
        _text("definition_en"),
        ColumnSpec("rank", "int"),
    ),
)

UNITS = TableSpec(
    name="units",
    file="units.csv",
    key=("unit_code",),
    columns=(
        ColumnSpec("unit_code", "code", pattern=r"\d+"),
        _text("unit_set"),
        ColumnSpec("level", "enum", allowed=UNIT_LEVELS),
        _text("name_vi"),
        _text("name_en"),
        ColumnSpec("parent_code", "code", required=False, pattern=r"\d+"),
        _text("valid_from", pattern=ISO_DATE),
        _text("valid_to", required=False, pattern=ISO_DATE),
        _text("aliases", required=False),
    ),
)

# The reform of 1 July 2025 (Resolution 1670/NQ-UBTVQH15): which former commune — and so which
# former district — went into which new commune. ``share_of_old`` is the part of the old
# commune's area that went to the new one (1 where it went whole; the shares of one old commune
# sum to 1); ``share_of_new_est`` the estimated part of the new commune's area that came from the
# old one (0–1, for apportioning a new commune's figures back to the former districts).
CROSSWALK = TableSpec(
    name="crosswalk",
    file="crosswalk.csv",
    key=("old_code", "new_code"),
    optional_file=True,
    columns=(
        ColumnSpec("old_code", "code", pattern=r"\d+"),
        _text("old_name_vi"),
        _text("old_type_vi", required=False),
        ColumnSpec("old_district_code", "code", ref="units"),
        ColumnSpec("new_code", "code", ref="units"),
        _text("new_name_vi", required=False),
        ColumnSpec("share_of_old", "float", min_value=0, max_value=1, min_inclusive=False),
        ColumnSpec("old_area_km2_est", "float", required=False, min_value=0),
        ColumnSpec("share_of_new_est", "float", min_value=0, max_value=1),
    ),
)

# Load order matters: units and reference tables first, then what refers to them.
TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        UNITS,
        CROSSWALK,
        QUALITY_LEVELS,
        COMMODITIES,
        MEASURES,
        BANDS,
        INDICATORS,
        OBSERVATIONS,
        PLANS,
        TARGETS,
        ZONES,
    )
}


def table_spec(name: str) -> TableSpec:
    """The spec for a table given its name (``observations``) or file (``observations.csv``)."""
    for spec in TABLES.values():
        if name in (spec.name, spec.file):
            return spec
    raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLES)}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located and explained in Vietnamese and English.

    ``line`` is the 1-based line in the file (header = line 1) or the Excel row number."""

    file: str
    line: int | None
    column: str | None
    what_vi: str
    what_en: str
    fix_vi: str | None = None
    fix_en: str | None = None
    severity: Severity = "error"

    def format(self, lang: str = "vi") -> str:
        """``file:line:column: what — fix`` in ``lang`` (``vi``/``en``); None parts are omitted."""
        place = ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)
        what = self.what_vi if lang == "vi" else self.what_en
        fix = self.fix_vi if lang == "vi" else self.fix_en
        text = f"{place}: {what}" if place else what
        return f"{text} — {fix}" if fix else text

    @property
    def is_error(self) -> bool:
        """True for problems that stop loading (severity ``error``)."""
        return self.severity == "error"


class DataContractError(Exception):
    """Input data broke the contract; ``problems`` holds every problem of every file."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        errors = sum(p.is_error for p in self.problems)
        vi, en = both("contract.invalid_data", errors=errors, problems=len(self.problems))
        lines = [f"{vi} / {en}"]
        for problem in self.problems:
            lines.append(f"- {problem.format('vi')}")
            lines.append(f"  {problem.format('en')}")
        return "\n".join(lines)

    def format(self, lang: str = "vi") -> str:
        """All problems, one per line, in ``lang``."""
        return "\n".join(p.format(lang) for p in self.problems)
