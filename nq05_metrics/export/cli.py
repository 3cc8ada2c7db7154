"""``python -m nq05_metrics export pptx|pdf --as-of YEAR [--unit U] [--commodity C] -o FILE``.

Honours the top-level ``--data-dir`` (env ``NQ05_DATA_DIR``) and ``--geo-dir`` (env
``NQ05_GEO_DIR``, default ``geo``). Exit codes: 0 written; 1 invalid data, unknown unit or
commodity, or the file could not be written; 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def add_export_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``export`` with its ``pptx`` and ``pdf`` sub-commands."""
    parser = subparsers.add_parser("export", help="xuất bản trình chiếu / export a deck (PPTX, PDF)")
    parser.add_argument("format", choices=["pptx", "pdf"], help="định dạng / file format")
    parser.add_argument("--as-of", type=int, help="năm đánh giá / as-of year (default: latest)")
    parser.add_argument("--unit", help="mã hoặc tên đơn vị / GSO code or name")
    parser.add_argument("--commodity", help="mã cây trồng, vật nuôi / commodity key")
    parser.add_argument("--geo-dir", help="thư mục ranh giới / boundary folder (env NQ05_GEO_DIR)")
    parser.add_argument("--lang", choices=["vi", "en"], default=argparse.SUPPRESS)
    parser.add_argument("-o", "--output", required=True, type=Path, help="tệp kết quả / output file")
    parser.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    """Build the deck for the view and write it; prints the path and the time taken."""
    from nq05_metrics import api
    from nq05_metrics.cli import _load, _resolve_unit
    from nq05_metrics.export import render
    from nq05_metrics.export.slides import build_deck, load_geo
    from nq05_metrics.geo.io import default_geo_dir

    start = time.perf_counter()
    helper = render.Elsewhere()  # spawns and warms up vl-convert while the data load
    ds = _load(args)
    as_of = args.as_of if args.as_of is not None else api.default_as_of(ds)
    units = _resolve_unit(ds, args.unit, as_of)
    geo = load_geo(Path(args.geo_dir) if args.geo_dir else default_geo_dir())
    lang = getattr(args, "lang", "vi")
    deck = build_deck(ds, as_of, units[0] if units else None, args.commodity, geo, lang)
    if args.format == "pptx":
        from nq05_metrics.export.pptx import write_pptx as write
    else:
        from nq05_metrics.export.pdf import write_pdf as write
    try:
        path = write(deck, args.output, helper=helper)
    except OSError as exc:
        print(f"Không ghi được tệp / cannot write {args.output}: {exc}", file=sys.stderr)
        return 1
    finally:
        helper.close()
    elapsed = time.perf_counter() - start
    print(f"{path} ({len(deck.slides)} trang / slides, {elapsed:.1f} s)")
    return 0
