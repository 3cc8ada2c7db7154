"""Recognising the layout of a report form: title rows, the (one- or two-row) header, what each
column holds, and what the title fixes (year, reporting unit, unit of measure).

A layout is described by which of the three key dimensions — indicator, unit, year — come from a
row's cells (a *key column*), from the column headers (*value columns*, each fixing one key) or
from the title (*fixed*). ``long``: one value column, all keys in cells; ``wide_year``: one value
column per year; ``wide_unit``: one per district/commune; ``wide_indicator``: one per indicator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nq05_metrics.intake import vocab
from nq05_metrics.intake.vocab import IndicatorNames, classify, is_word, year_in
from nq05_metrics.intake.workbook import Cell, Sheet
from nq05_metrics.units import PROVINCE_CODE, UnitRegistry, fold

SCAN_ROWS = 40
KEY_ROLES = ("indicator", "unit", "year")
_DIM_OF_KIND = {"year": "wide_year", "unit": "wide_unit", "indicator": "wide_indicator"}


@dataclass(frozen=True)
class Column:
    """Column ``index`` (0-based): ``role`` is a header role (``stt``, ``indicator``, ``unit``,
    ``measure``, ``year``, ``value``, ``quality``, ``source``, ``note``), ``values`` (a wide
    layout's value column: ``dim`` = ``key`` for its figures), ``total`` (checked, not stored),
    ``plan`` (a target or comparison column, not stored) or ``unknown``."""

    index: int
    role: str
    label: str
    dim: str | None = None
    key: object = None
    estimate: bool = False


@dataclass
class Layout:
    """How one sheet is laid out; ``data_start`` is the 0-based row after the header."""

    kind: str
    sheet: str
    header_rows: tuple[int, ...]
    columns: list[Column]
    fixed: dict[str, object] = field(default_factory=dict)
    title: str = ""
    measure: str | None = None
    data_start: int = 0

    def role(self, role: str) -> Column | None:
        """The first column with ``role``."""
        return next((c for c in self.columns if c.role == role), None)

    def value_columns(self) -> list[Column]:
        """The columns whose cells are stored as figures."""
        return [c for c in self.columns if c.role in ("values", "value")]


def text(cell: Cell) -> str:
    """A cell as text ("" when empty; numbers as written by :func:`str`)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _row_texts(sheet: Sheet, r: int) -> list[str]:
    return [text(c) for c in sheet.rows[r]] if r < len(sheet.rows) else []


def _classify_header(label: str, units: UnitRegistry, names: IndicatorNames) -> tuple[str, object]:
    """(role or dimension, key) of one header text."""
    years = year_in(label)
    if years:
        if vocab.contains_word(label, "headers", "plan_words") or "%" in label:
            return "plan", None
        return "year", years[-1]
    if vocab.unit_candidates(label, units):
        return "unit", label  # resolved with each figure's year (names recur across periods)
    role = classify(label, "headers")
    if role in ("plan_words", "estimate_words"):
        role = None
    if role is not None:
        return role, None
    if is_word(label, "rows", "total"):
        return "total", None
    indicator = names.resolve(label)
    if indicator is not None:
        return "indicator", indicator
    return "unknown", None


def _column(index: int, labels: list[str], units: UnitRegistry, names: IndicatorNames) -> Column:
    """A column from its header texts (top row first): the lowest text that names a key wins;
    a plan or estimate word in any row qualifies a year."""
    shown = " / ".join(dict.fromkeys(t for t in labels if t))
    chosen: tuple[str, object] = ("unknown", None)
    for label in reversed([t for t in labels if t]):
        role, key = _classify_header(label, units, names)
        if role != "unknown":
            chosen = (role, key)
            break
    role, key = chosen
    joined = " ".join(labels)
    if role == "year" and key is not None:
        if vocab.contains_word(joined, "headers", "plan_words"):
            return Column(index, "plan", shown)
        estimate = vocab.contains_word(joined, "headers", "estimate_words")
        return Column(index, "values", shown, "year", key, estimate)
    if role in ("unit", "indicator") and key is not None:
        return Column(index, "values", shown, role, key)
    return Column(index, role, shown)


def _header_score(texts: list[str], units: UnitRegistry, names: IndicatorNames) -> int:
    """How header-like a row is: cells naming a role, a year or a unit (letterhead rows: 0)."""
    if any(is_word(t, "title", "letterhead") for t in texts if t):
        return 0
    score = 0
    for label in texts:
        if label:
            role, _ = _classify_header(label, units, names)
            score += role not in ("unknown", "indicator")
    return score


def _continues_header(sheet: Sheet, r: int, units: UnitRegistry, names: IndicatorNames) -> bool:
    """Whether row ``r`` is the second row of a two-row header: every filled cell is a year, a
    unit, a role word or repeats the (merged) cell above."""
    texts = _row_texts(sheet, r)
    above = _row_texts(sheet, r - 1)
    filled = [(i, t) for i, t in enumerate(texts) if t]
    if not filled:
        return False
    fresh = 0
    for i, label in filled:
        if i < len(above) and above[i] == label:
            continue
        role, _ = _classify_header(label, units, names)
        if role in ("unknown",) or _is_numbering(label):
            return False
        fresh += 1
    return fresh > 0


def _is_numbering(label: str) -> bool:
    stripped = label.strip().strip("()").strip()
    return stripped.isdigit() and len(stripped) <= 2 or len(stripped) == 1 and stripped.isalpha()


def is_numbering_row(texts: list[str]) -> bool:
    """A row "(1) (2) (3) …" or "A B 1 2 …" under the header."""
    filled = [t for t in texts if t]
    return len(filled) >= 2 and all(_is_numbering(t) for t in filled)


def find_header(sheet: Sheet, units: UnitRegistry, names: IndicatorNames) -> tuple[int, ...] | None:
    """0-based rows of the header: the first row (of the first :data:`SCAN_ROWS`) that names at
    least two columns, plus the next row when it continues it."""
    for r in range(min(SCAN_ROWS, len(sheet.rows))):
        if _header_score(_row_texts(sheet, r), units, names) >= 2:
            if r + 1 < len(sheet.rows) and _continues_header(sheet, r + 1, units, names):
                return (r, r + 1)
            return (r,)
    return None


def title_info(sheet: Sheet, before: int, units: UnitRegistry
               ) -> tuple[str, str | None, list[int], str | None]:
    """From the rows above the header: (title text, unit of measure, years named, unit named).

    The unit of measure follows "Đơn vị tính:"/"ĐVT:"; dated signature lines ("ngày … tháng …
    năm …") are not read for years; the reporting unit is the longest unit name in a title row,
    else in the letterhead (a district's own return)."""
    titles: list[str] = []
    measure = None
    years: list[int] = []
    unit_title = unit_head = None
    for r in range(before):
        row = " ".join(t for t in _row_texts(sheet, r) if t)
        if not row:
            continue
        folded = fold(row)
        for word in vocab.words()["title"]["measure"]:
            if folded.startswith(word) or f" {word} " in f" {folded} ":
                after = row.split(":", 1)[1] if ":" in row else row[len(word):]
                measure = after.strip().strip(".)") or measure
                break
        else:
            letterhead = any(is_word(t, "title", "letterhead") for t in _row_texts(sheet, r) if t)
            found = _unit_named(row, units)
            if letterhead:
                unit_head = unit_head or found
            else:
                titles.append(row)
                unit_title = unit_title or found
                if not ("ngay" in folded.split() and "thang" in folded.split()):
                    years += year_in(row)
    return " ".join(titles), measure, years, unit_title or unit_head


def _unit_named(row: str, units: UnitRegistry) -> str | None:
    """The unit name that appears in ``row``, as written (longest spelling wins: the city over
    the province; a district over the province it lies in); resolved later with the year."""
    folded = f" {fold(row)} "
    best: tuple[int, str] | None = None
    for key in [*units.lookup, *units.ambiguous]:
        if len(key) > 2 and f" {key} " in folded:
            rank = (units.lookup.get(key) != PROVINCE_CODE) * 1000 + len(key)
            if best is None or rank > best[0]:
                best = (rank, key)
    if best is None and vocab.contains_word(row, "title", "province"):
        return PROVINCE_CODE
    return best[1] if best else None


def recognise(sheet: Sheet, units: UnitRegistry, names: IndicatorNames,
              year: int | None = None, unit: str | None = None) -> Layout | None:
    """The layout of ``sheet`` or None when no header row is found. ``year``/``unit`` (the
    command's ``--year``/``--unit``) fix a key the title does not name."""
    header = find_header(sheet, units, names)
    if header is None:
        return None
    width = max((len(sheet.rows[r]) for r in header), default=0)
    columns = [_column(i, [text(sheet.cell(r, i)) for r in header], units, names)
               for i in range(width)]
    title, measure, years, title_unit = title_info(sheet, header[0], units)
    kinds = [str(c.dim) for c in columns if c.role == "values"]
    kind = "long" if any(c.role == "value" for c in columns) or not kinds else _DIM_OF_KIND[
        max(set(kinds), key=kinds.count)]
    dim = None if kind == "long" else kind.removeprefix("wide_")
    columns = [c if c.role != "values" or c.dim == dim else Column(c.index, "unknown", c.label)
               for c in columns]
    fixed: dict[str, object] = {}
    if year is not None:
        fixed["year"] = year
    elif len(set(years)) == 1:
        fixed["year"] = years[0]
    if unit is not None:
        fixed["unit"] = unit
    elif title_unit is not None:
        fixed["unit"] = title_unit
    data_start = header[-1] + 1
    if data_start < len(sheet.rows) and is_numbering_row(_row_texts(sheet, data_start)):
        data_start += 1
    return Layout(kind, sheet.name, tuple(r + 1 for r in header), columns, fixed, title,
                  measure, data_start)


def missing_keys(layout: Layout) -> list[str]:
    """The key dimensions that neither a key column, the value columns nor the title give."""
    have = {c.role for c in layout.columns if c.role in KEY_ROLES}
    have |= {c.dim for c in layout.value_columns() if c.dim}
    have |= set(layout.fixed)
    if layout.kind == "long" and layout.role("value") is None:
        return ["value"]
    return [k for k in KEY_ROLES if k not in have]
