"""``python -m nq05_metrics import FILE …`` and ``… completeness``.

``import`` exit codes: 0 applied (or, with ``--dry-run``, would apply); 1 refused, or warnings
not accepted; 2 usage (argparse, or FILE not found). ``--format json`` prints ``{ok, table,
layout, added, changed, removed, problems: [{file, line, column, severity, message_vi,
message_en}], warnings: […]}`` (problems: errors and notices).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from nq05_metrics import loader, stewardship
from nq05_metrics.contract import PERIOD_END, PERIOD_START, TABLES, Problem
from nq05_metrics.i18n import slashed, t
from nq05_metrics.intake.completeness import completeness, rates
from nq05_metrics.intake.engine import MODES, ImportPlan, Options, apply_import, plan_import


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir or os.environ.get("NQ05_DATA_DIR") or "data")


def add_intake_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``import`` and ``completeness``."""
    p = sub.add_parser("import", help=slashed("intake.cli_help"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--table", choices=list(TABLES), help=slashed("intake.cli_help_table"))
    p.add_argument("--sheet", help=slashed("intake.cli_help_sheet"))
    p.add_argument("--mode", choices=MODES, default="merge")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--accept-warnings", action="store_true")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--by", help=slashed("intake.cli_help_by"))
    p.add_argument("--year", type=int, help=slashed("intake.cli_help_year"))
    p.add_argument("--unit", help=slashed("intake.cli_help_unit"))
    p.add_argument("--quality", help=slashed("intake.cli_help_quality"))
    p.add_argument("--source", help=slashed("intake.cli_help_source"))
    p.add_argument("--lang", choices=["vi", "en"], default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("completeness", help=slashed("intake.completeness_help"))
    p.add_argument("--from", dest="first", type=int, default=PERIOD_START)
    p.add_argument("--to", dest="last", type=int, default=PERIOD_START + 4)
    p.add_argument("--indicator", help=slashed("intake.cli_help_indicator"))
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--lang", choices=["vi", "en"], default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_completeness)


def _record(p: Problem, severity: str | None = None) -> dict[str, object]:
    def message(what: str, fix: str | None) -> str:
        return f"{what} — {fix}" if fix else what
    return {"file": p.file, "line": p.line, "column": p.column, "severity": severity or p.severity,
            "message_vi": message(p.what_vi, p.fix_vi), "message_en": message(p.what_en, p.fix_en)}


def _who(args: argparse.Namespace) -> str:
    if args.by:
        return str(args.by)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def cmd_import(args: argparse.Namespace) -> int:
    """Plan the import, print it, apply it unless refused or ``--dry-run``."""
    path = Path(args.file)
    if not path.is_file():
        print(f"{args.file}: {slashed('intake.cli_no_file')}", file=sys.stderr)
        return 2
    options = Options(args.table, args.sheet, args.mode, args.year, args.unit, args.quality, args.source)
    plan = plan_import(path.read_bytes(), path.name, _data_dir(args), options)
    blocked = bool(plan.warnings) and not args.accept_warnings
    ok = plan.ok and not blocked
    entry = None
    if ok and not args.dry_run:
        try:
            entry = apply_import(plan, _data_dir(args), _who(args), args.accept_warnings)
        except stewardship.StewardshipError as exc:
            plan = ImportPlan(plan.table, plan.source_name, plan.mode, exc.problems, plan.warnings,
                              plan.notices, plan.layout, plan.upload, None, plan.summary)
            ok = False
    if args.format == "json":
        _print_json(plan, ok, entry)
    else:
        _print_text(plan, ok, entry, args.lang, args.dry_run, blocked)
    return 0 if ok else 1


def _print_json(plan: ImportPlan, ok: bool, entry: stewardship.HistoryEntry | None) -> None:
    out = {"ok": ok, "table": plan.table, "layout": plan.summary or None, **plan.counts(),
           "problems": [_record(p) for p in plan.errors] + [_record(p, "notice") for p in plan.notices],
           "warnings": [_record(p) for p in plan.warnings],
           "applied": entry.id if entry else None}
    print(json.dumps(out, ensure_ascii=False, indent=1))


def _print_text(plan: ImportPlan, ok: bool, entry: stewardship.HistoryEntry | None, lang: str,
                dry_run: bool, blocked: bool) -> None:
    diff = plan.check.diff if plan.check is not None else None
    if diff is not None and not diff.removed.empty:
        print(t(lang, "intake.cli_removed_first", n=len(diff.removed)))
        print(diff.removed.head(20).to_string(index=False))
    for title, items in (("cli_notices", plan.notices), ("cli_errors", plan.errors),
                         ("cli_warnings", plan.warnings)):
        if items:
            print(f"{t(lang, 'intake.' + title)} ({len(items)}):")
            for p in items:
                print(f"  {p.format(lang)}")
    print(t(lang, "intake.cli_result", table=plan.table, **plan.counts()))
    if entry is not None:
        print(t(lang, "intake.cli_applied", id=entry.id))
    elif plan.errors:
        print(t(lang, "intake.cli_refused", n=len(plan.errors)), file=sys.stderr)
    elif blocked:
        print(t(lang, "intake.cli_needs_ack", n=len(plan.warnings)), file=sys.stderr)
    elif ok and dry_run:
        print(t(lang, "intake.cli_dry_run"))


def cmd_completeness(args: argparse.Namespace) -> int:
    """Print the reporting summary per indicator (text) or every unit-year (json)."""
    frames, _ = loader.read_files(loader.file_bytes(_data_dir(args)))
    units = loader.registry_from_frame(frames["units"])
    indicators = frames["indicators"]
    if args.indicator:
        indicators = indicators[indicators["indicator_id"] == args.indicator]
        if indicators.empty:
            raise ValueError(f"{args.indicator}: {slashed('intake.cli_unknown_indicator')}")
    years = list(range(args.first, min(args.last, PERIOD_END) + 1))
    table = completeness(frames["observations"], indicators, units, years)
    if args.format == "json":
        print(table.drop(columns="value").to_json(orient="records", force_ascii=False))
        return 0
    marks = {"reported": "●", "carried": "↳", "missing": "○"}
    for row in rates(table).itertuples(index=False):
        print(t(args.lang, "intake.completeness_head", indicator=row.indicator_id,
                reported=row.reported, missing=row.missing, carried=row.carried))
        part = table[table["indicator_id"] == row.indicator_id]
        grid = part.pivot_table(index="unit_code", columns="year", values="status",
                                aggfunc="first", sort=False).fillna("")
        for code, cells in grid.iterrows():
            line = " ".join(marks.get(str(cells[y]), " ") for y in grid.columns)
            print(f"  {units.name(str(code), args.lang):<22} {line}")
    print("  " + " ".join(f"{marks[s]} {t(args.lang, 'intake.status_' + s)}" for s in marks))
    return 0
