"""``python -m nq05_metrics export pptx|pdf|docx --as-of YEAR [--unit U] [--commodity C] -o FILE``
with the review's details: ``--conference``, ``--agency``, ``--place``, ``--date DD/MM/YYYY``,
``--since YEAR`` (the last review to compare with, default 2023), ``--base-url URL`` (for the
QR code; env ``NQ05_BASE_URL``).

Honours the top-level ``--data-dir`` (env ``NQ05_DATA_DIR``) and ``--geo-dir`` (env
``NQ05_GEO_DIR``, default ``geo``). Exit codes: 0 written; 1 invalid data, unknown unit or
commodity, bad date, or the file could not be written; 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from nq05_metrics.i18n import slashed, t


def add_export_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``export`` with its ``pptx``, ``pdf`` and ``docx`` formats."""
    parser = subparsers.add_parser(
        "export", help=slashed("cli.export_help"))
    parser.add_argument("format", choices=["pptx", "pdf", "docx"], help=slashed("cli.export_format"))
    parser.add_argument("--as-of", type=int, help=slashed("cli.export_as_of"))
    parser.add_argument("--unit", help=slashed("cli.export_unit"))
    parser.add_argument("--commodity", help=slashed("cli.export_commodity"))
    parser.add_argument("--conference", default="", help=slashed("cli.export_conference"))
    parser.add_argument("--agency", default="", help=slashed("cli.export_agency"))
    parser.add_argument("--place", default="", help=slashed("cli.export_place"))
    parser.add_argument("--date", default="", help=slashed("cli.export_date"))
    parser.add_argument("--since", type=int, help=slashed("cli.export_since"))
    parser.add_argument("--base-url", default="",
                        help=slashed("cli.export_base_url"))
    parser.add_argument("-o", "--output", required=True, type=Path, help=slashed("cli.export_output"))
    parser.set_defaults(func=cmd_export)


def _date(text: str) -> dt.date | None:
    """``DD/MM/YYYY`` (or ISO ``YYYY-MM-DD``) → date; ``""`` → None; ValueError otherwise."""
    if not text:
        return None
    if "-" in text:
        return dt.date.fromisoformat(text)
    day, month, year = (int(x) for x in text.split("/"))
    return dt.date(year, month, day)


def cmd_export(args: argparse.Namespace) -> int:
    """Build the deck (or the appendix) for the view and write it; prints the path and time."""
    from nq05_metrics import api
    from nq05_metrics.cli import _load, _resolve_unit
    from nq05_metrics.export import qr, render
    from nq05_metrics.export.slides import Meeting, build_deck, build_view, load_geo
    from nq05_metrics.geo.io import default_geo_dir

    start = time.perf_counter()
    try:
        day = _date(args.date)
    except ValueError:
        print(slashed("slides.cli_bad_date", value=args.date), file=sys.stderr)
        return 1
    helper = render.Elsewhere() if args.format != "docx" else None  # warms up while data load
    ds = _load(args)
    as_of = args.as_of if args.as_of is not None else api.default_as_of(ds)
    units = _resolve_unit(ds, args.unit, as_of)
    lang = args.lang
    meeting = Meeting(args.conference, args.agency, args.place, day,
                      base_url=qr.base_url(args.base_url), compare_from=args.since)
    geo = load_geo(Path(args.geo_dir) if args.geo_dir else default_geo_dir()) if helper else None
    unit = units[0] if units else None
    try:
        if args.format == "docx":
            from nq05_metrics.export.docx import write_docx

            path = write_docx(build_view(ds, as_of, unit, args.commodity, geo, lang,
                                         meeting=meeting), args.output)
            pages = 1
        else:
            deck = build_deck(ds, as_of, unit, args.commodity, geo, lang, meeting=meeting)
            pages = len(deck.slides)
            if args.format == "pptx":
                from nq05_metrics.export.pptx import write_pptx as write
            else:
                from nq05_metrics.export.pdf import write_pdf as write
            path = write(deck, args.output, helper=helper)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(slashed("slides.cli_cannot_write", path=args.output, error=exc), file=sys.stderr)
        return 1
    finally:
        if helper is not None:
            helper.close()
    elapsed = time.perf_counter() - start
    key = "slides.cli_written_docx" if args.format == "docx" else "slides.cli_written"
    print(t(lang, key, path=path, n=pages, seconds=f"{elapsed:.1f}"))
    return 0
