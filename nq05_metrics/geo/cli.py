"""``geo`` sub-commands: ``build-default`` and ``import`` (argparse, no third-party CLI)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..i18n import slashed, t
from .io import DEFAULT_UNIT_SET, GEO_DIR_ENV, GeoDataError

DATA_DIR_ENV = "NQ05_DATA_DIR"


def _help(key: str) -> str:
    """Bilingual ``--help`` text of ``geo.<key>``: ``"vi / en"``."""
    return slashed(f"geo.{key}")


def _error_word() -> str:
    """``"Lỗi / Error"`` for messages printed to stderr in both languages."""
    return slashed("geo.error")


def _geo_dir(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "geo_dir", None) or os.environ.get(GEO_DIR_ENV) or "geo")


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "data_dir", None) or os.environ.get(DATA_DIR_ENV) or "data")


def run_build_default(args: argparse.Namespace) -> int:
    """Regenerate the shipped approximate files in ``--geo-dir``; prints sizes. Exit 0/1."""
    from .default import build_default

    try:
        sizes = build_default(_geo_dir(args), _data_dir(args))
    except (ImportError, ValueError, OSError) as exc:
        print(f"{_error_word()}: {exc}", file=sys.stderr)
        return 1
    for name, size in sizes.items():
        where = _geo_dir(args) if name.endswith(".geojson") else _data_dir(args)
        print(f"{where / name}: {size / 1024:.1f} KB")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import an official boundary file; prints the match report (``--lang``). Exit 0/1."""
    from .importer import import_boundaries, registry_for

    geo_dir = _geo_dir(args)
    out = Path(args.output) if args.output else geo_dir / f"{args.unit_set}.geojson"
    try:
        registry = registry_for(args.unit_set, _data_dir(args), geo_dir)
        report = import_boundaries(
            Path(args.src), out, registry, unit_set=args.unit_set, code_field=args.code_field,
            name_field=args.name_field, src_crs=args.src_crs, layer=args.layer,
            simplify_m=args.simplify_m, allow_missing=args.allow_missing,
        )
    except GeoDataError as exc:
        print(f"{t('vi', 'geo.error')}: {exc.format('vi')}\n{t('en', 'geo.error')}: {exc.format('en')}",
              file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{_error_word()}: {exc}", file=sys.stderr)
        return 1
    print(report.format(args.lang))
    print(f"→ {out} ({report.bytes_written / 1024:.1f} KB)")
    return 0


def add_geo_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``geo build-default`` and ``geo import`` on the caller's sub-parsers; each sets
    ``func(args) -> int``. The global options (``--geo-dir``, default ``$NQ05_GEO_DIR`` or
    ``geo``; ``--data-dir``; ``--lang``) come from :func:`nq05_metrics.cli.add_global_options`."""
    geo = subparsers.add_parser("geo", help=_help("help_geo"))
    sub = geo.add_subparsers(dest="geo_command", required=True)

    build = sub.add_parser("build-default", help=_help("help_build"))
    build.set_defaults(func=run_build_default)

    imp = sub.add_parser("import", help=_help("help_import"))
    imp.add_argument("src", help=_help("help_src"))
    imp.add_argument("-o", "--output", help=_help("help_output"))
    imp.add_argument("--code-field")
    imp.add_argument("--name-field")
    imp.add_argument("--unit-set", default=DEFAULT_UNIT_SET)
    imp.add_argument("--src-crs", help=_help("help_src_crs"))
    imp.add_argument("--layer", help=_help("help_layer"))
    imp.add_argument("--simplify-m", type=float, default=100.0, help=_help("help_simplify"))
    imp.add_argument("--allow-missing", action="store_true")
    imp.set_defaults(func=run_import)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m nq05_metrics.geo geo …``-free form
    (``python -m nq05_metrics.geo build-default``)."""
    parser = argparse.ArgumentParser(prog="python -m nq05_metrics.geo")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_geo_parser(subparsers)
    from ..cli import add_global_options

    add_global_options(parser)
    args = parser.parse_args(["geo", *(argv if argv is not None else sys.argv[1:])])
    return int(args.func(args))
