"""Download widgets for pages: PNG (2× scale) and CSV of what a chart shows, and the cached
slide deck of the presentation page. Thin Streamlit wrappers over :mod:`nq05_metrics.export`.

Usage next to a chart::

    st.vega_lite_chart(spec)
    downloads.chart_downloads(spec, frame, "xu-huong-mac-ca", lang=lang)

The PNG is made only when the button is clicked (deferred ``data`` callable), so a page rerun
stays fast; the CSV is :func:`nq05_metrics.serialise.csv_bytes` (the one writer of downloads).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from dashboard import loaders
from dashboard.i18n import t
from nq05_metrics import review
from nq05_metrics.export import qr, render
from nq05_metrics.export.slides import Deck, Geo, Meeting, build_deck
from nq05_metrics.loader import Dataset
from nq05_metrics.serialise import csv_bytes


def _label(lang: str, key: str) -> str:
    return t(lang, f"chart_download.{key}")


def chart_downloads(chart: Any, frame: pd.DataFrame | None, name: str, *, lang: str = "vi",
                    key: str | None = None) -> None:
    """Two small buttons: the chart as PNG (rendered server-side on click) and ``frame`` as CSV.
    ``chart`` is a Vega-Lite dict, or a callable that builds one."""
    key = key or f"dl_{name}"
    cols = st.columns(2 if frame is not None else 1)
    with cols[0]:
        st.download_button(_label(lang, "png"),
                           data=lambda: render.chart_png(chart() if callable(chart) else chart),
                           file_name=f"{name}.png", mime="image/png", key=f"{key}_png",
                           help=_label(lang, "png_help"), icon=":material/image:",
                           on_click="ignore")
    if frame is not None:
        with cols[1]:
            st.download_button(_label(lang, "csv"), data=csv_bytes(frame),
                               file_name=f"{name}.csv", mime="text/csv", key=f"{key}_csv",
                               help=_label(lang, "csv_help"), icon=":material/table:",
                               on_click="ignore")


def geo_layers() -> Geo:
    """The app's cached boundaries as the export's :class:`Geo`."""
    b = loaders.boundaries()
    return Geo(b.districts, b.province, b.approximate, dict(b.sets))


@st.cache_resource(show_spinner=False, max_entries=16)
def _deck(_ds: Dataset, fp: str, as_of: int, unit: str, commodity: str | None, lang: str,
          _geo: Geo, geo_key: str, meeting: Meeting) -> Deck:
    year = meeting.compare_from or review.MID_TERM_YEAR
    last = loaders.view(_ds, year, unit, commodity) if year < as_of else None
    return build_deck(_ds, as_of, unit, commodity, _geo, lang, meeting=meeting,
                      view=loaders.view(_ds, as_of, unit, commodity), last=last)


def deck(ds: Dataset, as_of: int, unit: str, commodity: str | None, lang: str,
         meeting: Meeting | None = None) -> Deck:
    """:func:`nq05_metrics.export.slides.build_deck` for the view and the meeting, cached per
    dataset and boundary file (``cache_resource``: the deck holds lazy pictures, it is never
    mutated); the status tables are the cached :func:`dashboard.loaders.view` s."""
    geo = geo_layers()
    geo_key = "none" if geo.districts is None else str(len(geo.districts)) + str(
        float(geo.districts.total_bounds.sum())) + str(geo.approximate)
    return _deck(ds, ds.fingerprint, as_of, unit, commodity, lang, geo, geo_key,
                 meeting or Meeting())


def base_url() -> str:
    """Where the dashboard is served, for the QR code: ``$NQ05_BASE_URL``, else ``base_url`` in
    ``.streamlit/secrets.toml``, else the address this browser used (``st.context.url``)."""
    configured = qr.base_url()
    if configured:
        return configured
    try:
        secret = str(st.secrets.get("base_url", "") or "")
    except Exception:  # noqa: BLE001 (no secrets file: not configured)
        secret = ""
    if secret:
        return qr.base_url(secret)
    url = str(getattr(st.context, "url", "") or "")
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
