"""Command line: ``python -m nq05_metrics [--version] validate|status|summary|geo|export …``.

Global options, accepted before or after the sub-command (``status --as-of 2024 --data-dir
x`` and ``--data-dir x status --as-of 2024`` are the same): ``--data-dir`` (default: env
``NQ05_DATA_DIR`` or ``data``), ``--geo-dir`` (env ``NQ05_GEO_DIR`` or ``geo``), ``--lang``
(``vi``/``en``, the language of the output). Every text comes from the catalogue table
``[cli]``. Exit codes: 0 ok, 1 invalid data or bad arguments, 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from nq05_metrics import __version__, api
from nq05_metrics.contract import DataContractError
from nq05_metrics.i18n import DEFAULT_LANG, LANGS, slashed, t
from nq05_metrics.loader import Dataset, load_dataset, validate_dataset
from nq05_metrics.serialise import DATA_FILE, csv_bytes

JSON_EXTRA = ["unit_name_vi", "actual_year", "baseline", "expected_value", "progress_pct",
              "projected_2030", "forecast_met_2030", "status_label_vi", "target_quality",
              "source", "target_source", "target_note", "target_revised_on", "derived"]
TABLE_COLUMNS = ["indicator_id", "unit_code", "actual", "plan_id", "target", "target_original",
                 "unit", "achievement_pct",
                 "status", "on_schedule", "forecast_met", "quality"]

#: the sub-commands that live in their own modules: (module, function registering them)
SUB_COMMANDS = (("nq05_metrics.geo.cli", "add_geo_parser"),
                ("nq05_metrics.export.cli", "add_export_parser"),
                ("nq05_metrics.intake.cli", "add_intake_parser"))


def bilingual(key: str, **values: object) -> str:
    """``"vi / en"`` of catalogue key ``cli.<key>`` (help texts, shown before a language is known)."""
    return slashed(f"cli.{key}", **values)


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir or os.environ.get("NQ05_DATA_DIR") or "data")


def _load(args: argparse.Namespace) -> Dataset:
    return load_dataset(_data_dir(args))


def _resolve_unit(ds: Dataset, value: str | None, year: int | None = None) -> list[str] | None:
    """``--unit`` as a GSO code or name → [code]; a name shared by units of different periods
    ("Than Uyên": district 110, commune 03595) is decided by ``year`` (``--as-of``). Raises
    ValueError, in both languages, listing the candidates or the valid names."""
    if not value:
        return None
    code = ds.units.resolve(value, year)
    if code is not None:
        return [code]
    found = ds.units.candidates(value)
    if len(found) > 1:
        raise ValueError("\n".join(
            t(lang, "units.ambiguous", value=value,
              candidates="; ".join(ds.units.describe(c, lang) for c in found))
            for lang in ("vi", "en")))
    raise ValueError("\n".join(
        t(lang, "units.unknown", value=value, valid=", ".join(ds.units.valid_names(lang)))
        for lang in ("vi", "en")))


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every problem (errors and warnings); exit 1 if any error."""
    problems = validate_dataset(_data_dir(args))
    for problem in problems:
        print(problem.format(args.lang))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(t(args.lang, "cli.errors", n=len(errors)), file=sys.stderr)
        return 1
    key = "cli.valid_with_warnings" if problems else "cli.valid"
    print(t(args.lang, key, n=len(problems)))
    return 0


def _records(table: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-safe records: NaN/NA → null, numpy scalars → Python."""
    cols = api.STATUS_COLUMNS + [c for c in JSON_EXTRA if c in table.columns]
    out = table[cols].astype(object).where(table[cols].notna(), None)
    records: list[dict[str, object]] = json.loads(out.to_json(orient="records", force_ascii=False))
    return records


def cmd_status(args: argparse.Namespace) -> int:
    """Print the status table as table, CSV or JSON."""
    ds = _load(args)
    table = api.status(ds, args.as_of, _resolve_unit(ds, args.unit, args.as_of), args.commodity)
    if args.format == "json":
        print(json.dumps(_records(table), ensure_ascii=False, indent=1))
    elif args.format == "csv":
        sys.stdout.write(csv_bytes(table[api.STATUS_COLUMNS + JSON_EXTRA], None, DATA_FILE).decode())
    else:
        shown = table.assign(unit=table[f"unit_label_{args.lang}"])[TABLE_COLUMNS]
        print(shown.to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """Print the review paragraph."""
    ds = _load(args)
    units = _resolve_unit(ds, args.unit, args.as_of) or ["12"]
    print(api.summary(ds, args.as_of, args.lang, units[0], args.commodity))
    return 0


def _global_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """``--data-dir``, ``--geo-dir`` and ``--lang`` on ``parser``: with their defaults on the
    top parser, without (``SUPPRESS``) on the sub-commands, so a value given before the
    sub-command is kept unless the same option is given again after it."""
    options: tuple[tuple[str, str | None, list[str] | None, str], ...] = (
        ("--data-dir", None, None, "help_data_dir"),
        ("--geo-dir", None, None, "help_geo_dir"),
        ("--lang", DEFAULT_LANG, list(LANGS), "help_lang"),
    )
    for flag, default, choices, help_key in options:
        if flag in parser._option_string_actions:  # a sub-command's own definition wins
            continue
        parser.add_argument(flag, default=default if top else argparse.SUPPRESS, choices=choices,
                            help=bilingual(help_key))


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """The global options on ``parser`` and on every sub-command below it, however deep
    (``geo import``), including those registered by other modules."""
    _global_options(parser, top=True)
    _below(parser)


def _below(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:  # argparse keeps sub-parsers only here
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                _global_options(sub, top=False)
                _below(sub)


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree; the geo and export sub-commands register themselves. An import error
    in one of them is raised, never hidden (a missing sub-command would look like a typo)."""
    import importlib

    parser = argparse.ArgumentParser(prog="python -m nq05_metrics",
                                     description=bilingual("description"))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help=bilingual("help_validate"))
    p.add_argument("data_dir_pos", nargs="?", metavar="DATA_DIR")
    p.set_defaults(func=cmd_validate)
    for name, func in (("status", cmd_status), ("summary", cmd_summary)):
        p = sub.add_parser(name, help=bilingual(f"help_{name}"))
        _add_filters(p)
        if name == "status":
            p.add_argument("--format", choices=["table", "csv", "json"], default="table")
        p.set_defaults(func=func)
    for module, register in SUB_COMMANDS:
        adder: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None] = getattr(
            importlib.import_module(module), register)
        adder(sub)
    add_global_options(parser)
    return parser


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", type=int, required=True, help=bilingual("help_as_of"))
    p.add_argument("--unit", help=bilingual("help_unit"))
    p.add_argument("--commodity", help=bilingual("help_commodity"))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    if getattr(args, "data_dir_pos", None):
        args.data_dir = args.data_dir_pos
    try:
        return int(args.func(args))
    except DataContractError as exc:
        print(exc.format(args.lang), file=sys.stderr)
        return 1
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
