"""The link of a view and its QR code (segno, pure Python), so a hall can open on their phones the
view a presenter shows.

The base URL (where the dashboard is served, e.g. ``https://nq05.laichau.gov.vn``) is a setting:
``--base-url`` on the command line, else the environment variable ``NQ05_BASE_URL``; the app also
reads ``base_url`` from ``.streamlit/secrets.toml`` and, without any, the address the browser used.
Without a base URL the deck has no QR code (a code pointing at ``localhost`` opens nothing).
"""

from __future__ import annotations

import io
import os
from urllib.parse import urlencode

import segno

ENV = "NQ05_BASE_URL"
#: URL path of the presentation page (app.py's navigation).
PAGE_PATH = "trinh-chieu"


def base_url(explicit: str | None = None) -> str:
    """The configured base URL: ``explicit`` if given, else ``$NQ05_BASE_URL``, else ``""``."""
    value = explicit if explicit else os.environ.get(ENV, "")
    return value.strip().rstrip("/")


def view_url(base: str, as_of: int, unit_code: str, commodity: str | None, lang: str) -> str:
    """Link that opens the presentation page on this view (the shared filters' URL parameters
    ``year``, ``unit``, ``commodity``, ``lang``); ``""`` without a base URL."""
    if not base:
        return ""
    params = {"year": as_of, "unit": unit_code, **({"commodity": commodity} if commodity else {}),
              "lang": lang}
    return f"{base.rstrip('/')}/{PAGE_PATH}?{urlencode(params)}"


def qr_png(url: str, scale: int = 10) -> bytes:
    """PNG of the QR code of ``url`` (error correction M, 2-module quiet zone, black on white)."""
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()
