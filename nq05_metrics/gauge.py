"""Semicircle gauges of achievement as plain SVG (no chart library, no Streamlit): the KPI
gauges of the pages and the exports, their alt text, and a grid that lays several out in one SVG.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from nq05_metrics.display import FONT, FONT_SIZE, NEUTRAL, as_float, format_number, unit_decimals
from nq05_metrics.i18n import language

GAUGE_MAX_PCT = 150.0
TRACK = "#e3e3e3"


@dataclass(frozen=True)
class GaugeSpec:
    """What one gauge shows: achievement % (None = no data) and its band's look."""

    title: str
    pct: float | None
    color: str
    symbol: str
    band_label: str
    value_text: str = ""


def _angle(pct: float) -> float:
    """Gauge angle in radians for an achievement %: −π/2 (0 %) … +π/2 (GAUGE_MAX_PCT)."""
    share = min(max(pct, 0.0), GAUGE_MAX_PCT) / GAUGE_MAX_PCT
    return -math.pi / 2 + share * math.pi


def _point(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    """SVG point at ``angle`` (radians, clockwise from 12 o'clock) on a circle: x = cx + r·sin a,
    y = cy − r·cos a (SVG y grows downwards)."""
    return cx + radius * math.sin(angle), cy - radius * math.cos(angle)


def _sector(cx: float, cy: float, outer: float, inner: float, a0: float, a1: float) -> str:
    """SVG path of the ring sector between radii ``inner``…``outer`` and angles ``a0``→``a1``."""
    large = 1 if a1 - a0 > math.pi else 0
    (x0, y0), (x1, y1) = _point(cx, cy, outer, a0), _point(cx, cy, outer, a1)
    (x2, y2), (x3, y3) = _point(cx, cy, inner, a1), _point(cx, cy, inner, a0)
    return (f"M{x0:.2f},{y0:.2f} A{outer:.2f},{outer:.2f} 0 {large} 1 {x1:.2f},{y1:.2f} "
            f"L{x2:.2f},{y2:.2f} A{inner:.2f},{inner:.2f} 0 {large} 0 {x3:.2f},{y3:.2f} Z")


def _esc(text: object) -> str:
    """Text or attribute value escaped for SVG/HTML (``& < > " '``)."""
    return html.escape(str(text), quote=True)


def _text(x: float, y: float, text: str, size: int, font: str, weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-family="{_esc(font)}" '
            f'font-size="{size}" font-weight="{weight}" fill="#111">{_esc(text)}</text>')


def gauge(spec: GaugeSpec, bands: pd.DataFrame, lang: str = "vi", size: int = 190,
          font: str = FONT, *, text: int = FONT_SIZE - 1, decimals: int = 0) -> str:
    """Semicircle gauge of achievement (0 … 150 %, the arc stops at 150 %) as a standalone SVG.

    Plain SVG, not a chart library: the page shows it without loading Vega (≈ 0.45 s less before
    the first KPI) and the exports rasterise it in ≈ 30 ms. Outer ring: the status bands
    (``min_pct``–``max_pct`` from ``bands``) in their colours, so the 50 % and 100 % thresholds
    are visible; inner arc: the achievement in the band's colour; under it ``87 %``, then
    ``◐ Đạt trên 50%`` (symbol + label: colour is never the only cue) and ``actual / target unit``.
    Every text is escaped; ``aria-label`` carries the same facts for screen readers.
    ``text``: size (px) of the title, band and value lines (the big percentage is 2 × ``text``;
    line offsets scale with it); ``decimals``: of the percentage (the exports use 1, as their
    text does)."""
    k = text / (FONT_SIZE - 1)
    radius = size / 2 - 6
    chars = max(8, int(24 * size / 190 / k))
    title = textwrap.wrap(spec.title, chars, max_lines=2, placeholder=" …") or [""]
    top = 40 * k  # two title lines are always reserved, so gauges in a row line up
    cx, cy = size / 2, top + radius
    height = cy + 50 * k
    parts = []
    for lo, hi, color in zip(bands["min_pct"].tolist(), bands["max_pct"].tolist(),
                             bands["color"].tolist(), strict=True):
        if pd.isna(lo):
            continue
        top_pct = float(hi) if pd.notna(hi) and not math.isinf(float(hi)) else GAUGE_MAX_PCT
        if top_pct > float(lo):
            ring = _sector(cx, cy, radius, radius - 9, _angle(float(lo)), _angle(top_pct))
            parts.append(f'<path d="{ring}" fill="{_esc(color)}" fill-opacity="0.85"/>')
    inner = (cx, cy, radius - 13, radius - 45, _angle(0))
    parts.append(f'<path d="{_sector(*inner, _angle(GAUGE_MAX_PCT))}" fill="{TRACK}"/>')
    big = "–"
    if spec.pct is not None and not math.isnan(spec.pct):
        if spec.pct > 0:
            parts.append(f'<path d="{_sector(*inner, _angle(spec.pct))}" fill="{_esc(spec.color)}"/>')
        big = format_number(spec.pct, lang, decimals) + "%"
    parts += [_text(cx, (15 + 17 * i) * k, line, text, font) for i, line in enumerate(title)]
    parts += [_text(cx, cy - 4, big, round(2 * text), font, "bold"),
              _text(cx, cy + 22 * k, f"{spec.symbol} {spec.band_label}".strip(), text, font),
              _text(cx, cy + 41 * k, spec.value_text, text, font)]
    label = gauge_label(spec, lang)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{height:.0f}" '
            f'viewBox="0 0 {size} {height:.0f}" role="img" aria-label="{_esc(label)}">'
            f"<title>{_esc(label)}</title>{''.join(parts)}</svg>")


def gauge_label(spec: GaugeSpec, lang: str = "vi") -> str:
    """What a gauge shows, in words (alt text): ``Diện tích mắc ca: 62%, ◐ Đạt trên 50%.
    7.420 / 12.000 ha``."""
    pct = "–" if spec.pct is None or math.isnan(spec.pct) else format_number(spec.pct, lang, 0) + "%"
    return f"{spec.title}: {pct}, {spec.symbol} {spec.band_label}. {spec.value_text}".strip()


def svg_size(svg: str) -> tuple[float, float]:
    """(width, height) in px of an SVG made here (read from its root element)."""
    head = svg[:svg.index(">")]
    width = re.search(r'width="([\d.]+)"', head)
    height = re.search(r'height="([\d.]+)"', head)
    if width is None or height is None:
        raise ValueError("SVG without width/height")
    return float(width.group(1)), float(height.group(1))


def grid(svgs: Sequence[str], columns: int, gap: int = 24, background: str = "white") -> str:
    """Several SVGs (e.g. gauges) in one SVG, ``columns`` per row, ``gap`` px apart, row height
    = the tallest SVG of the row; a ``background`` rectangle so a PNG is never transparent."""
    columns = max(1, columns)
    sizes = [svg_size(s) for s in svgs]
    col_w = max((w for w, _ in sizes), default=0.0)
    parts, y = [], 0.0
    for start in range(0, len(svgs), columns):
        row = range(start, min(start + columns, len(svgs)))
        for i in row:
            x = (i - start) * (col_w + gap) + (col_w - sizes[i][0]) / 2
            parts.append(f'<g transform="translate({x:.1f},{y:.1f})">{svgs[i]}</g>')
        y += max(sizes[i][1] for i in row) + gap
    width = max(1.0, min(columns, len(svgs)) * (col_w + gap) - gap)
    height = max(1.0, y - gap)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}"><rect width="100%" height="100%" '
            f'fill="{_esc(background)}"/>{"".join(parts)}</svg>')


def gauge_spec(row: Mapping[str, object], lang: str = "vi") -> GaugeSpec:
    """GaugeSpec from one row of :func:`nq05_metrics.api.status`."""
    sfx = language(lang)
    pct = row.get("achievement_pct")
    pct_f = as_float(pct)
    actual, target = row.get("actual"), row.get("target")
    unit = row.get(f"unit_label_{sfx}", row.get("unit", ""))
    places = unit_decimals(row)
    value_text = (f"{format_number(as_float(actual), lang, places)} / "
                  f"{format_number(as_float(target), lang, places)} {unit}")
    return GaugeSpec(title=str(row.get(f"name_{sfx}", "")), pct=pct_f,
                     color=str(row.get("status_color", NEUTRAL)),
                     symbol=str(row.get("status_symbol", "")),
                     band_label=str(row.get(f"status_label_{sfx}", "")), value_text=value_text)
