"""Walking the data rows of a recognised layout: one :class:`Candidate` per figure cell, with
the cell it came from; section, numbering, total and signature rows are skipped (totals are kept
for the sum check); labels are matched to indicator ids and unit codes.

Nothing here reads a number: figure cells stay as typed (or as text) for the loader's rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from nq05_metrics.contract import Problem
from nq05_metrics.intake import vocab
from nq05_metrics.intake.layout import Column, Layout, is_numbering_row, text
from nq05_metrics.intake.messages import notice, problem, warning
from nq05_metrics.intake.vocab import IndicatorNames, is_word
from nq05_metrics.intake.workbook import Cell, Sheet, column_letter
from nq05_metrics.units import UnitRegistry, fold

_ROMAN = re.compile(r"^(?:[IVX]+|[A-Z])\.?$")
_EXCEL_EPOCH = datetime(1899, 12, 30)


@dataclass
class Candidate:
    """One figure as found: keys resolved, ``value`` still the raw cell; ``row`` is the Excel
    row, ``col`` the 0-based column."""

    indicator_id: str
    unit_code: str
    year: object
    value: object
    quality: str
    source: str
    note: str
    row: int
    col: int
    cell: Cell

    @property
    def where(self) -> str:
        """``D12``."""
        return f"{column_letter(self.col)}{self.row}"


@dataclass
class Total:
    """A total cell (a "Tổng cộng" row or column) and the candidates it should sum."""

    row: int
    col: int
    cell: Cell
    parts: list[int] = field(default_factory=list)  # indices into the candidates


@dataclass
class Extraction:
    """What the rows gave: candidates, totals and the problems found on the way."""

    candidates: list[Candidate] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def skip(self, kind: str) -> None:
        """Count a skipped row of ``kind`` (``section``, ``total``, ``numbering``, ``end``)."""
        self.skipped[kind] = self.skipped.get(kind, 0) + 1


@dataclass(frozen=True)
class Defaults:
    """What a row takes when the file has no such column."""

    quality: str
    source: str
    label: str


def _is_blank(cell: Cell) -> bool:
    if cell.formula:
        return False
    if cell.value is None:
        return True
    return isinstance(cell.value, str) and (not cell.value.strip() or
                                            fold(cell.value) in vocab.words()["rows"]["blank"]
                                            or cell.value.strip() in vocab.words()["rows"]["blank"])


def _label(sheet: Sheet, r: int, col: Column | None) -> str:
    return text(sheet.cell(r, col.index)) if col is not None else ""


def _ends_table(texts: list[str]) -> bool:
    return any(is_word(t, "rows", "end") for t in texts[:4] if t and not t[0].isdigit())


def extract(sheet: Sheet, layout: Layout, units: UnitRegistry, names: IndicatorNames,
            indicators: pd.DataFrame, defaults: Defaults) -> Extraction:
    """Every figure of the sheet under ``layout`` (see module doc)."""
    out = Extraction()
    cols = {role: layout.role(role) for role in ("stt", "indicator", "unit", "year", "measure",
                                                 "quality", "source", "note")}
    values = layout.value_columns()
    totals_col = [c for c in layout.columns if c.role == "total"]
    measures = dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
    block: list[int] = []
    for r in range(layout.data_start, len(sheet.rows)):
        texts = [text(c) for c in sheet.rows[r]]
        if not any(texts):
            continue
        if _ends_table(texts):
            out.skip("end")
            break
        if is_numbering_row(texts):
            out.skip("numbering")
            continue
        _row(sheet, r, layout, cols, values, totals_col, units, names, measures, defaults, out, block)
    return out


def _row(sheet: Sheet, r: int, layout: Layout, cols: dict[str, Column | None],
         values: list[Column], totals_col: list[Column], units: UnitRegistry,
         names: IndicatorNames, measures: dict[str, str], defaults: Defaults, out: Extraction,
         block: list[int]) -> None:
    """One data row (0-based ``r``) → candidates, a total, a section, or a problem."""
    line, label = r + 1, defaults.label
    ind_text, unit_text = _label(sheet, r, cols["indicator"]), _label(sheet, r, cols["unit"])
    stt = _label(sheet, r, cols["stt"])
    filled = [c for c in values if not _is_blank(sheet.cell(r, c.index))]
    indicator = layout.fixed.get("indicator") or (names.resolve(ind_text) if ind_text else None)
    if indicator is None and ind_text and cols["indicator"] is not None and \
            fold(cols["indicator"].label) == "indicator id":
        indicator = ind_text  # the canonical id column: the loader names an unknown id
    unit = layout.fixed.get("unit") if cols["unit"] is None else unit_text
    known = cols["unit"] is None or bool(unit_text and vocab.unit_candidates(unit_text, units))
    row_label = ind_text or unit_text or stt
    unmatched = (cols["indicator"] is not None and indicator is None) or not known
    if row_label and unmatched and is_word(row_label, "rows", "total"):
        out.skip("total")
        for c in filled:
            out.totals.append(Total(line, c.index, sheet.cell(r, c.index), list(block)))
        block.clear()
        return
    if _ROMAN.match(stt) or not filled:
        out.skip("section" if _ROMAN.match(stt) else "empty")
        if _ROMAN.match(stt):
            block.clear()
        return
    if cols["indicator"] is not None and indicator is None:
        hints = "; ".join(names.suggest(ind_text)) or "—"
        out.warnings.append(warning("unknown_indicator", label, line, column_letter(
            cols["indicator"].index), name=ind_text, hints=hints))
        return
    if not known and cols["unit"] is not None:
        out.errors.append(problem("unknown_unit", label, line, column_letter(cols["unit"].index),
                                  name=unit_text, valid=", ".join(units.valid_names())))
        return
    if cols["unit"] is not None and vocab.province_or_city(unit_text, units):
        out.warnings.append(warning("province_or_city", label, line,
                                    column_letter(cols["unit"].index), name=unit_text))
    year = _year(sheet, r, layout, cols["year"], out, label)
    measure = _label(sheet, r, cols["measure"]) or layout.measure
    quality = _quality(sheet, r, cols["quality"], defaults, out, label)
    source = _label(sheet, r, cols["source"]) or defaults.source
    note = _label(sheet, r, cols["note"])
    checked: set[str] = set()
    start = len(out.candidates)
    for col in filled:
        ind = col.key if col.dim == "indicator" else indicator
        written = col.key if col.dim == "unit" else unit
        yr = col.key if col.dim == "year" else year
        if ind is None or written is None or yr is None:
            continue
        code = vocab.resolve_unit(written, units, vocab.as_year(yr))
        if code is None:
            _ambiguous(str(written), units, vocab.as_year(yr), out, label, line, col, cols["unit"])
            continue
        if measure and str(ind) not in checked:
            checked.add(str(ind))
            if not _measure_ok(measure, measures.get(str(ind)), out, label, line,
                               cols["measure"], str(ind)):
                return
        cell = sheet.cell(r, col.index)
        out.candidates.append(Candidate(str(ind), str(code), yr, cell.value,
                                        "estimate" if col.estimate else quality, source, note,
                                        line, col.index, cell))
    block.extend(range(start, len(out.candidates)))
    for col in totals_col:
        if not _is_blank(sheet.cell(r, col.index)):
            out.totals.append(Total(line, col.index, sheet.cell(r, col.index),
                                    list(range(start, len(out.candidates)))))


def _ambiguous(written: str, units: UnitRegistry, year: int | None, out: Extraction, label: str,
               line: int, col: Column, unit_col: Column | None) -> None:
    """One error per unit name that several units carry and the year does not decide."""
    if f"unit:{written}" in out.seen:
        return
    out.seen.add(f"unit:{written}")
    where = column_letter((unit_col or col).index)
    names = ", ".join(f"{units.name(c)} ({c})" for c in vocab.unit_candidates(written, units))
    out.errors.append(problem("ambiguous_unit", label, line, where, name=written, names=names,
                              year=year if year is not None else "—"))


def _year(sheet: Sheet, r: int, layout: Layout, col: Column | None, out: Extraction,
          label: str) -> object:
    """The row's year: fixed by the title, or its year cell (a date-formatted year cell is
    read back as the number typed, with a warning)."""
    if col is None:
        return layout.fixed.get("year")
    cell = sheet.cell(r, col.index)
    if isinstance(cell.value, datetime):
        serial = (cell.value - _EXCEL_EPOCH).days
        out.warnings.append(warning("year_is_date", label, r + 1, column_letter(col.index),
                                    shown=cell.value.date().isoformat(), year=serial))
        return serial
    return cell.value


def _quality(sheet: Sheet, r: int, col: Column | None, defaults: Defaults, out: Extraction,
             label: str) -> str:
    """The row's quality flag: its cell (the flag or the app's own label), else the default."""
    written = _label(sheet, r, col)
    if not written:
        return defaults.quality
    flag = vocab.quality_of(written)
    if flag is None:
        return written  # the loader names the allowed flags
    if fold(written) != flag and "quality_label" not in out.seen:
        out.seen.add("quality_label")
        out.notices.append(notice("quality_label", label, r + 1, column_letter(col.index),  # type: ignore[union-attr]
                                  written=written, flag=flag))
    return flag


def _measure_ok(measure: str, expected: str | None, out: Extraction, label: str, line: int,
                col: Column | None, indicator: str) -> bool:
    """Whether the unit of measure written in the file is the indicator's (an error if another
    known one, a warning if unknown)."""
    found = vocab.measure_of(measure)
    where = column_letter(col.index) if col is not None else None
    if found == expected or expected is None:
        return True
    if found is None:
        out.warnings.append(warning("unknown_measure", label, line, where, measure=measure,
                                    indicator=indicator, expected=expected))
        return True
    out.errors.append(problem("wrong_measure", label, line, where, measure=measure,
                              indicator=indicator, expected=expected))
    return False
