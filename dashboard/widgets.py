"""Small display widgets: KPI card, gauge, legends, quality badge and the page banners.

Every data-derived string goes through :func:`dashboard.i18n.md_escape` (or a widget that shows
plain text, like ``st.code``/``st.dataframe``): no ``unsafe_allow_html`` anywhere. Colour is never
the only cue: a band is always shown with its symbol and label.
"""

from __future__ import annotations

import colorsys
import html
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import filters, loaders, plan_tables
from dashboard.i18n import md_escape, t
from dashboard.loaders import Boundaries, Loaded
from nq05_metrics import charts, targets
from nq05_metrics.loader import Dataset

QUALITY_BADGE = {"official": "green", "reported": "blue", "news": "orange", "estimate": "violet",
                 "illustrative": "gray"}


def badge_color(hex_color: str) -> str:
    """Nearest ``st.badge`` colour name for a ``#rrggbb`` colour (by hue; grey if unsaturated)."""
    try:
        r, g, b = (int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    except (ValueError, TypeError, IndexError):
        return "gray"
    hue, _, sat = colorsys.rgb_to_hls(r, g, b)
    deg = hue * 360
    if sat < 0.15:
        return "gray"
    for limit, name in ((20, "red"), (45, "orange"), (70, "yellow"), (170, "green"),
                        (260, "blue"), (340, "violet")):
        if deg < limit:
            return name
    return "red"


def band_text(band: Mapping[str, object], lang: str) -> str:
    """``✔ Đạt và vượt``: the band's symbol and label (colour is never the only cue)."""
    return f"{band['symbol']} {band[f'label_{lang}']}"


def band_badge(band: Mapping[str, object], lang: str) -> None:
    """A badge ``✔ Đạt và vượt`` in the band's colour."""
    st.badge(md_escape(band_text(band, lang)),
             color=badge_color(str(band["color"])))  # type: ignore[arg-type]


def quality_badge(quality: str, ds: Dataset, lang: str) -> None:
    """A badge naming the quality flag (official / reported / news / estimate / illustrative)."""
    rows = ds.qualities.loc[ds.qualities["quality"] == quality]
    label = str(rows.iloc[0][f"label_{lang}"]) if len(rows) else str(quality)
    st.badge(md_escape(label), color=QUALITY_BADGE.get(quality, "gray"),  # type: ignore[arg-type]
             icon="ℹ️" if quality == "illustrative" else None,
             help=str(rows.iloc[0][f"definition_{lang}"]) if len(rows) else None)


def kpi_card(band: Mapping[str, object], count: int, total: int, lang: str) -> None:
    """A bordered card: band badge, ``count/total`` indicators, the band's written definition."""
    with st.container(border=True):
        band_badge(band, lang)
        st.metric(t(lang, "overview.kpi_label", label=band[f"label_{lang}"]),
                  f"{count}/{total}", help=str(band[f"definition_{lang}"]))
        st.caption(md_escape(band[f"definition_{lang}"]))


def kpi_row(bands: pd.DataFrame, counts: Mapping[str, int], total: int, lang: str) -> None:
    """One :func:`kpi_card` per status band (band order), side by side; two per row on a phone
    (``st-key-nq_kpis`` in ``style.css``), without the written definition (it stays in the
    card's help and the legend)."""
    ordered = bands.sort_values("order")
    with st.container(key="nq_kpis"):
        for col, (_, band) in zip(st.columns(len(ordered)), ordered.iterrows(), strict=True):
            with col:
                kpi_card(band, int(counts.get(band["band_id"], 0)), total, lang)


#: the gauge grid's layout: four to a row, two on a phone (the width of ``dashboard/style.css``)
_GAUGE_STYLE = ("<style>.nq-gg{display:grid;gap:1rem}.nq-gg p{font-size:.875rem;color:#4a5561;"
                "margin:.25rem 0 0}@media (max-width:640px){.nq-gg{grid-template-columns:"
                "repeat(2,minmax(0,1fr))!important;gap:.5rem}.nq-gg p{font-size:.8rem}}</style>")


def gauges_html(records: Sequence[Mapping[str, object]], bands: pd.DataFrame, lang: str,
                per_row: int = 4) -> str:
    """:func:`gauge_html` of each status row in one CSS grid, ``per_row`` to a row (two on a
    phone): one HTML element instead of rows of columns and an element per gauge."""
    cells = "".join(f"<div>{gauge_html(row, bands, lang)}</div>" for row in records)
    columns = f"grid-template-columns:repeat({max(1, per_row)},minmax(0,1fr))"
    return f'{_GAUGE_STYLE}<div class="nq-gg" style="{columns}">{cells}</div>'


def gauge_grid(records: Sequence[Mapping[str, object]], bands: pd.DataFrame, lang: str,
               per_row: int = 4) -> None:
    """:func:`gauges_html` as one HTML element."""
    st.html(gauges_html(records, bands, lang, per_row))


def svg_data_uri(svg: str) -> str:
    """``data:image/svg+xml,…`` for an SVG made here: attribute quotes turned to ``'`` and only
    ``% # < > &`` percent-encoded (≈ 1.05× the SVG's bytes, base64 is 1.33×). The result is safe
    inside a double-quoted HTML attribute."""
    text = svg.replace('"', "'")
    for char, code in (("%", "%25"), ("#", "%23"), ("<", "%3C"), (">", "%3E"), ("&", "%26")):
        text = text.replace(char, code)
    return "data:image/svg+xml," + text


def gauge_html(row: Mapping[str, object], bands: pd.DataFrame, lang: str) -> str:
    """Gauge of one status row with its quality under it. The SVG is shown as an ``<img>`` data
    URI (Streamlit's HTML sanitiser drops inline ``<svg>``; an image also cannot run anything)
    with the gauge's facts as ``alt`` text; no chart library, so the first paint does not wait
    for Vega."""
    spec = charts.gauge_spec(row, lang)
    svg = charts.gauge(spec, bands, lang)
    width, height = charts.svg_size(svg)
    alt = html.escape(charts.gauge_label(spec, lang), quote=True)
    label = row.get(f"quality_label_{lang}")
    quality = html.escape(f"{t(lang, 'col.quality')}: {label if isinstance(label, str) else '–'}")
    return (f'<img src="{svg_data_uri(svg)}" width="{width:.0f}" height="{height:.0f}" '
            f'alt="{alt}" style="max-width:100%;height:auto">'
            f'{original_target_html(row, lang)}<p>{quality}</p>')


def original_target_html(row: Mapping[str, object], lang: str) -> str:
    """``<p>`` with the original target beside a revised one ("mục tiêu ban đầu / điều
    chỉnh"), ``""`` when the target was not revised."""
    if not plan_tables.is_revised(row):
        return ""
    text = t(lang, "overview.target_original", value=charts.format_number(
        charts.as_float(row["target_original"]), lang, charts.unit_decimals(row)),
        unit=row.get(f"unit_label_{lang}", ""),
        date=targets.date_text(row.get("target_revised_on")))
    return f'<p class="nq-orig">{html.escape(text)}</p>'


def chart(builder: str, key: tuple[object, ...], *args: object, alt_text: str,
          width: str = "stretch", download: tuple[str, pd.DataFrame, str] | None = None,
          **kwargs: object) -> None:
    """Draw ``nq05_metrics.charts.<builder>(*args, **kwargs)`` from its cached Vega-Lite spec
    (cached under ``key``, see :func:`dashboard.loaders.chart_spec`), with alt text for screen
    readers (our own theme, not Streamlit's, so the exports look alike). ``download`` =
    (file stem, the chart's data, lang) adds PNG (2×, drawn on click) and CSV buttons."""
    spec = loaders.chart_spec(builder, key, *args, **kwargs)
    st.vega_lite_chart(spec, width=width, theme=None, alt=alt_text)  # type: ignore[arg-type]
    if download is not None:
        from dashboard import downloads  # the export stack loads only where a download is offered

        stem, frame, lang = download
        build = getattr(charts, builder)
        downloads.chart_downloads(lambda: build(*args, **kwargs), frame, stem, lang=lang,
                                  key=f"dl_{builder}")


def band_legend(bands: pd.DataFrame, lang: str, compact: bool = False) -> None:
    """Legend of the status bands: symbol + label (badge) and the written definition (below it
    when ``compact``, for narrow columns) — one Markdown element for all bands, not two
    elements in two columns per band (19 fewer elements for the browser to lay out)."""
    lines = []
    for _, band in bands.sort_values("order").iterrows():
        badge = f":{badge_color(str(band['color']))}-badge[{md_escape(band_text(band, lang))}]"
        definition = f":small[{md_escape(band[f'definition_{lang}'])}]"
        lines.append(f"{badge}  \n{definition}" if compact else f"{badge} {definition}")
    st.markdown("\n\n".join(lines))


def swatch_legend(items: Sequence[tuple[str, str]], title: str) -> None:
    """A colour legend (one swatch + label per ``(color, label)``) drawn in Streamlit."""
    chart("legend_swatches", (tuple(items), title), tuple(items), title, alt_text=title,
          width="content")


def responsive_map(make: Callable[[bool], object], heights: tuple[int, int], alt: str,
                   on_select: Callable[[str], None], key: str = "map_pick") -> None:
    """The map twice, ``make(False)`` (the desktop deck) and ``make(True)`` (the province fitted
    into a narrow map), ``heights`` px tall, in keyed containers of which ``style.css`` shows
    one by the width of the window; a click on either calls ``on_select(its key)``."""
    for narrow, suffix, height in ((False, "", heights[0]), (True, "_narrow", heights[1])):
        with st.container(key="nq_map_narrow" if narrow else "nq_map_wide"):
            st.pydeck_chart(make(narrow), on_select=partial(on_select, key + suffix),  # type: ignore[arg-type]
                            selection_mode="single-object", key=key + suffix, alt=alt,
                            height=height)


def has_illustrative(ds: Dataset) -> bool:
    """True when any observation, target or zone of the dataset is flagged illustrative."""
    return bool((ds.observations["quality"] == "illustrative").any()
                or (ds.targets["quality"] == "illustrative").any()
                or (ds.zones["quality"] == "illustrative").any())


STYLE = Path(__file__).resolve().parent / "style.css"


def page_style() -> None:
    """The dashboard's style sheet (``dashboard/style.css``: focus mark, contrast, phone layout)
    as an element of the main column — not Streamlit's event container, which a rerun clears
    until the script has run again, so the phone layout would fall back to the desktop's for
    the length of every rerun. Its own element is hidden by the sheet (``.nq-style``)."""
    st.html(f'<style>{STYLE.read_text(encoding="utf-8")}</style><span class="nq-style"></span>')


def page_banners(loaded: Loaded, lang: str) -> None:
    """Shown on top of every page: URL fallback notes, data problems, the illustrative banner."""
    for note in filters.url_notes(lang):
        st.warning(note, icon="⚠️")
    if loaded.problems:
        data_problems(loaded, lang)
    if loaded.ds is not None and has_illustrative(loaded.ds):
        st.warning(t(lang, "banner.illustrative"), icon="ℹ️")


def data_problems(loaded: Loaded, lang: str) -> None:
    """The load errors, every problem as ``file:line:column: what — fix`` (plain text)."""
    errors = [p for p in loaded.problems if p.is_error]
    st.error(t(lang, "errors.data_title", n=len(errors), folder=md_escape(Path(loaded.folder).name)),
             icon="🚫")
    if loaded.stale:
        st.info(t(lang, "errors.stale"))
    st.code("\n".join(p.format(lang) for p in loaded.problems), language=None, wrap_lines=True)


def boundary_problem(geo: Boundaries, lang: str) -> None:
    """Why the map has no boundaries (the file error), plainly."""
    st.error(t(lang, "map.no_boundaries"), icon="🗺️")
    st.code(geo.error_vi if lang == "vi" else geo.error_en, language=None, wrap_lines=True)


def require_dataset(loaded: Loaded, lang: str) -> Dataset:
    """The dataset, or stop the page (the problems are already shown by :func:`page_banners`)."""
    if loaded.ds is None:
        st.info(t(lang, "errors.no_data_page"))
        st.stop()
    return loaded.ds  # type: ignore[return-value]
