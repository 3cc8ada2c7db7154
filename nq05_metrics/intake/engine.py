"""The import engine shared by the Data page and ``python -m nq05_metrics import``.

:func:`plan_import` reads a steward's file (report form, district return, fill-in template, the
app's own downloads, or a canonical table), recognises its layout, turns it into observation rows,
reads them through the one loader (:func:`nq05_metrics.loader.read_rows`: the same number, code
and reference rules as every other file), merges them by key into the current table (or replaces
it), checks the whole dataset with the result in place and runs the plausibility checks. It
writes nothing. :func:`apply_import` applies a plan through the stewardship apply path (lock,
atomic replace, history, log), refusing while warnings are not acknowledged.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import pandas as pd

from nq05_metrics import loader, stewardship
from nq05_metrics.contract import OBSERVATIONS, TABLES, Problem, table_spec
from nq05_metrics.i18n import t
from nq05_metrics.intake import checks
from nq05_metrics.intake.extract import Defaults, Extraction, extract
from nq05_metrics.intake.layout import Layout, missing_keys, recognise
from nq05_metrics.intake.messages import notice, problem, warning
from nq05_metrics.intake.vocab import IndicatorNames, indicator_names, province_or_city, unit_candidates
from nq05_metrics.intake.workbook import Book, Sheet, column_letter, read_book
from nq05_metrics.loader import FolderRead
from nq05_metrics.serialise import DATA_FILE, csv_bytes
from nq05_metrics.units import UnitRegistry

MODES = ("merge", "replace")
DEFAULT_QUALITY = "official"
KEY = OBSERVATIONS.key


@dataclass(frozen=True)
class Options:
    """What the steward chose: table (None = recognise), sheet, mode, and the keys and flags a
    form may not state (year, unit, quality, source)."""

    table: str | None = None
    sheet: str | None = None
    mode: str = "merge"
    year: int | None = None
    unit: str | None = None
    quality: str | None = None
    source: str | None = None


@dataclass(frozen=True, eq=False)
class ImportPlan:
    """What an import would do. ``ok``: no error; ``warnings`` must be acknowledged before
    applying; ``notices`` say what was recognised or converted; ``check`` is the stewardship
    check of the resulting table (diff, canonical bytes, base hash)."""

    table: str
    source_name: str
    mode: str
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    notices: tuple[Problem, ...] = ()
    layout: Layout | None = None
    upload: pd.DataFrame | None = None
    check: stewardship.UploadCheck | None = None
    summary: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No error, and a checked table to apply."""
        return not self.errors and self.check is not None and self.check.ok

    def counts(self) -> dict[str, int]:
        """Rows added / changed / removed (0 when nothing can be applied)."""
        if self.check is None or self.check.diff is None:
            return {"added": 0, "changed": 0, "removed": 0}
        c = self.check.diff.counts()
        return {"added": c["added"], "changed": c["changed"], "removed": c["removed"]}


@dataclass
class _Context:
    frames: dict[str, pd.DataFrame]
    units: UnitRegistry
    names: IndicatorNames
    current: FolderRead


_REGISTRIES: dict[str, tuple[UnitRegistry, IndicatorNames]] = {}


def _context(data_dir: Path, current: FolderRead | None) -> _Context:
    """The folder as it is now (the caller's cached read when still current); the unit
    registry and indicator names built once per folder state (a few states are kept)."""
    _, read = stewardship.folder_read(Path(data_dir), current)
    frames = read.read[0]
    if read.fingerprint not in _REGISTRIES:
        if len(_REGISTRIES) >= 4:
            _REGISTRIES.pop(next(iter(_REGISTRIES)))
        _REGISTRIES[read.fingerprint] = (loader.registry_from_frame(frames["units"]),
                                         indicator_names(frames["indicators"]))
    units, names = _REGISTRIES[read.fingerprint]
    return _Context(frames, units, names, read)


def plan_import(raw: bytes, filename: object, data_dir: Path, options: Options = Options(),
                current: FolderRead | None = None) -> ImportPlan:
    """Everything up to (not including) writing; never raises on bad input. ``current``: the
    folder read the caller holds (the app's cached parse), reused while it is current."""
    label = stewardship.display_name(filename, "upload")
    if options.mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    raw = bytes(raw or b"")
    kind = loader.file_kind(raw)
    limits = [] if kind == "xls" else stewardship.upload_limits(raw, label)
    book, problems = (None, limits) if limits else read_book(raw, label)
    if book is None:
        return ImportPlan(options.table or "observations", label, options.mode, tuple(problems))
    ctx = _context(data_dir, current)
    table = options.table and table_spec(options.table).name
    canonical = _canonical_sheet(book, table)
    other = canonical is not None and canonical[1] != "observations"
    if table not in (None, "observations") or (table is None and other):
        name = table or canonical[1]  # type: ignore[index]
        if book.kind == "text":  # a CSV of another table: the stewardship check as before
            return _plan_checked(stewardship.validate_upload(name, raw, label, data_dir, ctx.current),
                                 label, tuple(book.notices))
        return _plan_other(book, canonical, name, label, data_dir, ctx)
    return _plan_observations(book, label, data_dir, options, ctx)


def _plan_checked(check: stewardship.UploadCheck, label: str, notices: tuple[Problem, ...]) -> ImportPlan:
    """A plan from a stewardship check of a whole table (replaced, not merged)."""
    return ImportPlan(check.table, label, "replace", check.errors,
                      tuple(p for p in check.problems if not p.is_error), notices, None, check.frame,
                      check, {"rows": 0 if check.frame is None else len(check.frame)})


def _canonical_sheet(book: Book, table: str | None) -> tuple[Sheet, str, int] | None:
    """A sheet holding a contract table with its own header (the app's downloads): (sheet,
    table, 0-based header row); the sheet named like ``table`` first."""
    found: list[tuple[int, Sheet, str, int]] = []
    for sheet in book.sheets:
        for r, row in enumerate(sheet.rows[:10]):
            header = [loader.normalize_header(c.value) for c in row if c.value is not None]
            for spec in TABLES.values():
                need = {c.name for c in spec.columns if c.required}
                if header and need <= set(header):
                    rank = ((spec.name == table) * 4 + (sheet.name == spec.name) * 2
                            + (spec.name == "observations"))
                    found.append((rank, sheet, spec.name, r))
            if header:
                break
    if table is not None:
        found = [f for f in found if f[2] == table]
    if not found:
        return None
    _, sheet, name, r = max(found, key=lambda f: f[0])
    return sheet, name, r


def _plan_other(book: Book, canonical: tuple[Sheet, str, int] | None, table: str, label: str,
                data_dir: Path, ctx: _Context) -> ImportPlan:
    """A table other than observations: its sheet (by name or header) is handed to the
    stewardship check as typed XLSX cells, whole-table replacement as before."""
    if canonical is None:
        names = ", ".join(s.name for s in book.sheets)
        return ImportPlan(table, label, "replace", (problem("no_table", label, None, None,
                                                            table=table, sheets=names),))
    sheet, _, r = canonical
    cells = _xlsx([[c.value for c in row] for row in sheet.rows[r:]])
    check = stewardship.validate_upload(table, cells, label, data_dir, ctx.current)
    return _plan_checked(check, label, tuple(book.notices) + (
        notice("sheet_chosen", label, r + 1, None, sheet=sheet.name, table=table),))


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pick_sheet(book: Book, ctx: _Context, options: Options, label: str
                ) -> tuple[Sheet | None, Layout | None, Extraction | None, list[Problem]]:
    """The sheet to read: ``options.sheet``, else the one whose layout yields most figures."""
    sheets = [s for s in book.sheets if options.sheet is None or s.name == options.sheet]
    if not sheets:
        names = ", ".join(s.name for s in book.sheets)
        return None, None, None, [problem("no_sheet", label, None, None, sheet=options.sheet, sheets=names)]
    unit = options.unit
    if unit and not unit_candidates(unit, ctx.units):
        return None, None, None, [problem("unknown_unit", label, None, None, name=options.unit,
                                          valid=", ".join(ctx.units.valid_names()))]
    best: tuple[int, Sheet, Layout, Extraction] | None = None
    missing: list[Problem] = []
    for sheet in sheets:
        layout = recognise(sheet, ctx.units, ctx.names, options.year, unit)
        if layout is None:
            continue
        lacking = missing_keys(layout)
        if lacking:
            missing.append(problem(f"missing_{lacking[0]}", label, layout.header_rows[0], None,
                                   sheet=sheet.name, kind=layout.kind))
            continue
        defaults = Defaults(options.quality or DEFAULT_QUALITY,
                            options.source or _source(layout, label), label)
        found = extract(sheet, layout, ctx.units, ctx.names, ctx.frames["indicators"], defaults)
        score = len(found.candidates) + sheet.visible
        if best is None or score > best[0]:
            best = (score, sheet, layout, found)
    if best is None:
        names = ", ".join(s.name for s in sheets)
        return None, None, None, missing or [problem("no_header", label, None, None, sheets=names)]
    return best[1], best[2], best[3], []


def _source(layout: Layout, label: str) -> str:
    """Default source: the form's title and the file name."""
    title = " ".join(layout.title.split())[:160]
    return f"{title} ({label})" if title else label


def _plan_observations(book: Book, label: str, data_dir: Path, options: Options,
                       ctx: _Context) -> ImportPlan:
    sheet, layout, found, problems = _pick_sheet(book, ctx, options, label)
    notices = list(book.notices)
    if sheet is None or layout is None or found is None:
        return ImportPlan("observations", label, options.mode, tuple(problems), (), tuple(notices))
    if len([s for s in book.sheets if s.visible]) > 1:
        notices.append(notice("sheet_chosen", label, None, None, sheet=sheet.name, table="observations"))
    if not found.candidates and not found.errors:
        found.errors.append(problem("no_figures", label, layout.header_rows[-1], None, sheet=sheet.name))
    rows = [[c.indicator_id, c.unit_code, c.year, c.value, c.quality, c.source, c.note]
            for c in found.candidates]
    frame, read = loader.read_rows("observations", list(OBSERVATIONS.column_names), rows,
                                   list(range(1, len(rows) + 1)), units=ctx.units,
                                   indicators=ctx.frames["indicators"], file_label=label,
                                   crosswalk=ctx.frames.get("crosswalk"))
    located = [_locate(p, found, label) for p in read]
    bad = {p.line for p in read if p.is_error}
    kept = [i for i in range(len(rows)) if i + 1 not in bad]
    errors = found.errors + [p for p in located if p.is_error]
    origin = {(found.candidates[i].indicator_id, found.candidates[i].unit_code, int(y)): found.candidates[i]
              for i, y in zip(kept, frame["year"], strict=True)}
    values = dict(zip(kept, frame["value"], strict=True))
    warnings = found.warnings + [p for p in located if not p.is_error]
    merged = _merge(ctx.frames["observations"], frame, options.mode)
    touched = _touched(frame, ctx.frames["observations"])
    for col in layout.value_columns():
        name = col.label.split(" / ")[-1]
        if col.dim == "unit" and province_or_city(name, ctx.units):
            warnings.append(warning("province_or_city", label, layout.header_rows[-1],
                                    column_letter(col.index), name=name))
    indicators = ctx.frames["indicators"]
    measures = dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
    warnings += (checks.cells(found.candidates, measures, label)
                 + checks.hidden(sheet, found.candidates, label)
                 + checks.thousands_dot(found.candidates, label)
                 + checks.totals(found.totals, found.candidates, values, label)
                 + checks.year_on_year(touched, merged, ctx.names.yoy, origin, label)
                 + checks.above_province(touched, merged, ctx.frames["indicators"], origin, label)
                 + checks.sum_of_units(touched, merged, ctx.frames["indicators"], ctx.units, label)
                 + checks.unit_exists(touched, ctx.units, origin, label))
    summary = _describe(layout, frame, ctx, found)
    notices += found.notices + [_layout_notice(layout, summary, label)]
    check = None
    if not errors:
        merged_bytes = csv_bytes(merged, "observations", DATA_FILE)
        check = stewardship.validate_upload("observations", merged_bytes, label, data_dir, ctx.current)
        errors += [p for p in check.errors]
    return ImportPlan("observations", label, options.mode, tuple(errors), tuple(warnings),
                      tuple(notices), layout, frame, check, summary)


def _layout_notice(layout: Layout, summary: dict[str, object], label: str) -> Problem:
    """"đọc được: 16 chỉ tiêu × 5 năm …" with the layout's name in each language."""
    values = {k: v for k, v in summary.items() if k not in ("kind", "skipped")}
    skipped = summary.get("skipped") or {}

    def text(lang: str) -> str:
        rows = ", ".join(t(lang, f"intake.skip_{k}", n=n)
                         for k, n in sorted(cast(dict[str, int], skipped).items())) or "—"
        return t(lang, "intake.layout", kind=t(lang, f"intake.kind_{layout.kind}"), skipped=rows, **values)

    vi, en = text("vi"), text("en")
    return Problem(label, layout.header_rows[0], None, vi, en, None, None, "warning")


def _locate(p: Problem, found: Extraction, label: str) -> Problem:
    """A loader problem on canonical row ``line`` → the Excel cell it came from."""
    if p.line is None or not 1 <= p.line <= len(found.candidates):
        return replace(p, file=label)
    cand = found.candidates[p.line - 1]
    return replace(p, file=label, line=cand.row, column=f"{column_letter(cand.col)} ({p.column})"
                   if p.column else column_letter(cand.col))


def _touched(upload: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """The upload's rows that add a key or change its value (the ones the figure checks judge)."""
    both = upload.merge(current[list(KEY) + ["value"]], on=list(KEY), how="left", suffixes=("", "_old"))
    return upload[(both["value_old"].isna() | (both["value"] != both["value_old"])).to_numpy()]


def _merge(current: pd.DataFrame, upload: pd.DataFrame, mode: str) -> pd.DataFrame:
    """``merge``: the current rows with the upload's keys replaced in place and new keys
    appended; ``replace``: the upload alone."""
    if mode == "replace":
        return upload.reset_index(drop=True)
    new = upload.set_index(list(KEY))
    out = current.set_index(list(KEY))
    common = new.index.intersection(out.index)
    out.loc[common] = new.loc[common]
    added = new[~new.index.isin(out.index)]
    return pd.concat([out, added]).reset_index()[list(OBSERVATIONS.column_names)]


def _describe(layout: Layout, frame: pd.DataFrame, ctx: _Context, found: Extraction) -> dict[str, object]:
    """What was read, for the preview line "16 chỉ tiêu × 5 năm, đơn vị ha, toàn tỉnh"."""
    units = sorted(set(frame["unit_code"]))
    return {"kind": layout.kind, "sheet": layout.sheet, "indicators": int(frame["indicator_id"].nunique()),
            "years": ", ".join(str(y) for y in sorted(set(frame["year"]))) or "—",
            "n_years": int(frame["year"].nunique()), "n_units": len(units),
            "units": ", ".join(ctx.units.name(u) for u in units) or "—",
            "measure": layout.measure or "—", "rows": len(frame),
            "skipped": dict(found.skipped),
            "header": ", ".join(map(str, layout.header_rows))}


def apply_import(plan: ImportPlan, data_dir: Path, who: object, accept_warnings: bool = False
                 ) -> stewardship.HistoryEntry:
    """Apply a plan (lock, atomic replace, history, log); refuses (``StewardshipError``) when
    the plan has errors or unacknowledged warnings, or the table changed since it was checked."""
    if not plan.ok or plan.check is None or plan.check.canonical is None:
        raise stewardship.StewardshipError(list(plan.errors) or [problem("nothing", plan.source_name)])
    if plan.warnings and not accept_warnings:
        raise stewardship.StewardshipError([problem("unacknowledged", plan.source_name, None, None,
                                                    n=len(plan.warnings))])
    return stewardship.apply_change(Path(data_dir), plan.table, plan.check.canonical, who,
                                    plan.check.diff, expected_sha256=plan.check.base_sha256,
                                    mode=plan.mode, source=plan.source_name, warnings=plan.warnings)
