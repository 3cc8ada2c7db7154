"""The pictures of the slides, each made for its box on the slide: gauge grids (SVG, fonts
chosen so they are ≥ 14 pt once fitted), trend charts (Vega-Lite drawn at the box's size),
maps (:mod:`.maps`, drawn at the box's size) and the QR code of the view's link.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from nq05_metrics import charts
from nq05_metrics.export import qr, render
from nq05_metrics.export.layout import Box
from nq05_metrics.export.maps import PALE, MapSpec
from nq05_metrics.export.slides import View
from nq05_metrics.export.spec import Picture
from nq05_metrics.export.wording import PCT_DECIMALS, pct_text, sfx, tr, unit_word
from nq05_metrics.units import PROVINCE_CODE

GAUGE_SIZE = 190
GAUGE_TEXT = 16
GAUGE_GAP = 20
#: At most this many gauges on one slide (2 rows of 4: 14.7 pt at slide size).
GAUGES_PER_SLIDE = 8
#: A province map with more units than this (38 communes) is drawn without unit labels.
MAX_MAP_LABELS = 12


def gauge_chunks(n: int, per_slide: int = GAUGES_PER_SLIDE) -> list[tuple[int, int]]:
    """``n`` gauges cut into balanced slides of ≤ ``per_slide``: (start, stop) pairs."""
    if n <= 0:
        return []
    k = math.ceil(n / per_slide)
    size = math.ceil(n / k)
    return [(i, min(n, i + size)) for i in range(0, n, size)]


def gauges(view: View, rows: pd.DataFrame, box: Box) -> Picture:
    """Gauges of ``rows`` as one SVG picture: ≤ 4 per row, 2 rows at most."""
    lang = view.lang
    columns = len(rows) if len(rows) <= 4 else math.ceil(len(rows) / 2)

    def make() -> str:
        svgs = [charts.gauge(charts.gauge_spec({**{str(k): v for k, v in r.items()},
                                                "unit": unit_word(r, lang)},
                                               lang), view.ds.bands, lang, size=GAUGE_SIZE,
                             font=render.FONT_FAMILY, text=GAUGE_TEXT, decimals=PCT_DECIMALS)
                for _, r in rows.iterrows()]
        return charts.grid(svgs, max(1, columns), gap=GAUGE_GAP)

    data = rows[["indicator_id", f"name_{sfx(lang)}", "unit_code", "actual", "plan_id", "target",
                 "target_original", "achievement_pct", f"status_label_{sfx(lang)}"]]
    year = int(rows["target_year"].max()) if len(rows) else view.as_of
    return Picture("gauges", tr(lang, "gauges_caption", year=year), box, make=make, data=data)


def _short_unit(name: str, lang: str) -> str:
    """Map label of a unit: the catalogue's short form (``Thành phố`` → ``TP``)."""
    return name.replace(tr(lang, "city_long"), tr(lang, "city_short")).strip()


def map_picture(view: View, main: pd.Series, key: str, box: Box) -> Picture:
    """Districts filled by the band of ``main`` + the commodity's zone points, at slide size.
    A district with values but no target is labelled "no target", not "no data"."""
    lang, ds = view.lang, view.ds
    dist = view.districts[view.districts["indicator_id"] == main["indicator_id"]]
    no_target = dist["target"].isna() & dist["actual"].notna()
    fill = {c: (PALE if nt else col) for c, col, nt in
            zip(dist["unit_code"], dist["status_color"], no_target, strict=True)}
    shown = dist if view.unit == PROVINCE_CODE else dist[dist["unit_code"] == view.unit]

    def label(r: pd.Series) -> str:
        name = _short_unit(str(r[f"unit_name_{sfx(lang)}"]), lang)
        if pd.isna(r["target"]) and pd.notna(r["actual"]):
            return f"{name}\n{tr(lang, 'no_target')}"
        return f"{name}\n{pct_text(r['achievement_pct'], lang)}"

    labels = {r["unit_code"]: label(r) for _, r in shown.iterrows()}
    zones = ds.zones[ds.zones["commodity"] == key]
    if view.unit != PROVINCE_CODE:
        zones = zones[zones["unit_code"] == view.unit]
    color = ds.commodities.set_index("commodity")["color"].get(key, "#444444")
    zones = zones.assign(color=color, label=zones["commune"])
    present = set(shown.loc[~no_target.reindex(shown.index, fill_value=False), "status"])
    bands = ds.bands.sort_values("order")
    legend = [(str(b["color"]), f"{b['symbol']} {b[f'label_{sfx(lang)}']}")
              for _, b in bands.iterrows() if b["band_id"] in present]
    if no_target.reindex(shown.index, fill_value=False).any():
        legend.append((PALE, tr(lang, "no_target_legend")))
    shapes = view.geo.layer(ds.units.unit_set_reporting(view.as_of))  # communes from 2026
    note = tr(lang, "map_missing") if shapes is None else (
        tr(lang, "map_approx") if view.geo.approximate else "")
    if len(shown) > MAX_MAP_LABELS:  # 38 names and % do not fit one slide's map: unlabelled
        labels = {}
    spec = MapSpec(title=tr(lang, "map_title", name=main[f"name_{sfx(lang)}"]),
                   boundaries=shapes, outline=view.geo.outline, fill=fill,
                   labels=labels, zones=zones[["lon", "lat", "area_ha", "color", "label"]],
                   legend=tuple(legend), zone_legend=tr(lang, "map_zones") if len(zones) else "",
                   note=note, width_in=box.w, height_in=box.h, zoom=view.unit != PROVINCE_CODE)
    data = dist[["unit_code", f"unit_name_{sfx(lang)}", "actual", "target", "achievement_pct",
                 f"status_label_{sfx(lang)}"]]
    return Picture("map", spec.title, box, map_spec=spec, data=data)


def trend_picture(view: View, main: pd.Series, box: Box) -> Picture:
    """Trend of ``main`` for the unit (observed, schedule path, projection, target), drawn at
    the box's size with every font ≥ :data:`.render.MIN_FONT` px = pt."""
    lang = view.lang
    series = view.series(main)
    qual = {str(k): str(v) for k, v in
            view.ds.qualities.set_index("quality")[f"label_{sfx(lang)}"].items()}
    unit = unit_word(main, lang)
    title = str(main[f"name_{sfx(lang)}"])  # the slide's subtitle names the unit
    target = None if pd.isna(main["target"]) else float(main["target"])
    t2030 = None if pd.isna(main["target_2030"]) else float(main["target_2030"])
    original = main.get("target_original")
    revised_on = main.get("target_revised_on")

    def make() -> Any:
        return charts.trend(series, title=title, unit=unit, target=target,
                            target_year=int(main["target_year"]), target_2030=t2030, lang=lang,
                            quality_labels=qual, width=int(box.w * 72), height=int(box.h * 72),
                            target_original=None if pd.isna(original) else float(original),
                            revised_on=revised_on if isinstance(revised_on, str) else None)

    return Picture("trend", title, box, make=make, data=series)


def qr_picture(url: str, box: Box) -> Picture | None:
    """The QR code of the view's link (None without a link)."""
    if not url:
        return None
    return Picture("qr", url, box, png_bytes=qr.qr_png(url))
