"""Command line: ``python -m nq05_metrics validate|status|summary|geo|export …``.

Reads ``--data-dir`` (default: env ``NQ05_DATA_DIR`` or ``data``). Exit codes: 0 ok, 1 invalid
data or bad arguments, 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import pandas as pd

from nq05_metrics import api
from nq05_metrics.contract import DataContractError
from nq05_metrics.i18n import t
from nq05_metrics.loader import Dataset, load_dataset, validate_dataset
from nq05_metrics.serialise import DATA_FILE, csv_bytes

JSON_EXTRA = ["unit_name_vi", "actual_year", "baseline", "expected_value", "progress_pct",
              "projected_2030", "forecast_met_2030", "status_label_vi", "target_quality",
              "source", "target_source", "derived"]


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
        print(f"{len(errors)} lỗi / errors", file=sys.stderr)
        return 1
    print("Dữ liệu hợp lệ / data valid" + (f" ({len(problems)} cảnh báo)" if problems else ""))
    return 0


def _records(table: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-safe records: NaN/NA → null, numpy scalars → Python."""
    cols = api.STATUS_COLUMNS + [c for c in JSON_EXTRA if c in table.columns]
    out = table[cols].astype(object).where(table[cols].notna(), None)
    return json.loads(out.to_json(orient="records", force_ascii=False))


def cmd_status(args: argparse.Namespace) -> int:
    """Print the status table as table, CSV or JSON."""
    ds = _load(args)
    table = api.status(ds, args.as_of, _resolve_unit(ds, args.unit, args.as_of), args.commodity)
    if args.format == "json":
        print(json.dumps(_records(table), ensure_ascii=False, indent=1))
    elif args.format == "csv":
        sys.stdout.write(csv_bytes(table[api.STATUS_COLUMNS + JSON_EXTRA], None, DATA_FILE).decode())
    else:
        view = table[["indicator_id", "unit_code", "actual", "target", "achievement_pct",
                      "status", "on_schedule", "forecast_met", "quality"]]
        print(view.to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """Print the review paragraph."""
    ds = _load(args)
    units = _resolve_unit(ds, args.unit, args.as_of) or ["12"]
    print(api.summary(ds, args.as_of, args.lang, units[0], args.commodity))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree (geo and export sub-commands register themselves)."""
    parser = argparse.ArgumentParser(prog="python -m nq05_metrics", description=__doc__)
    parser.add_argument("--data-dir", help="thư mục dữ liệu / data folder (env NQ05_DATA_DIR)")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="kiểm tra dữ liệu / validate the data folder")
    p.add_argument("data_dir_pos", nargs="?", metavar="DATA_DIR")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("status", help="bảng tình trạng chỉ tiêu / status table")
    _add_filters(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("summary", help="đoạn nhận định / review paragraph")
    _add_filters(p)
    p.set_defaults(func=cmd_summary)
    _add_optional(sub)
    return parser


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", type=int, required=True, help="năm đánh giá / as-of year")
    p.add_argument("--unit", help="mã hoặc tên đơn vị / GSO code or name")
    p.add_argument("--commodity", help="mã cây trồng, vật nuôi / commodity key")
    p.add_argument("--lang", choices=["vi", "en"], default=argparse.SUPPRESS)


def _add_optional(sub: argparse._SubParsersAction) -> None:
    """Register the geo and export sub-commands from their modules."""
    import importlib

    for module, name in (("nq05_metrics.geo.cli", "add_geo_parser"),
                         ("nq05_metrics.export.cli", "add_export_parser"),
                         ("nq05_metrics.intake.cli", "add_intake_parser")):
        try:
            register = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):  # optional part not present in this build
            continue
        register(sub)


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
