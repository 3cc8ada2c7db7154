"""The pydeck map: district fill, province outline, commodity zones, labels, tooltips.

No Streamlit here (the page draws the deck); no basemap and no token, and nothing fetched from
another host: ``map_provider=None`` and *no* ``map_style`` (pydeck then sends its "no style given"
marker, which Streamlit draws without a basemap; ``map_style=None`` would mean "the theme's
basemap" and make the browser ask basemaps.cartocdn.com for a style). Layers come from
:func:`nq05_metrics.geo.map_layers`; this module only adds colours, tooltip text and pydeck
layer objects. Tooltips use deck's ``text`` template (shown as plain text, never HTML).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from dashboard.i18n import t
from nq05_metrics import charts, metrics
from nq05_metrics.geo.layers import (
    RAMP,
    MapLayers,
    metres_per_pixel,
    ramp_color,
    simplified_collection,
    zones_as_of,
)
from nq05_metrics.geo.zonemap import HIGHLIGHT_RGBA, OTHER_RGBA, ZoneMap, zone_layers, zone_tip
from nq05_metrics.loader import Dataset

DISTRICT_LAYER = "districts"
ZONE_LAYER = "zones"
OUTLINE_LAYER = "outline"
LABEL_LAYER = "labels"
FALLBACK_VIEW = {"longitude": 103.3, "latitude": 22.2, "zoom": 7.0}
ZOOM_BOOST = 0.8  # the layers' view fits a ~500 px map; ours is wider


def hex_rgba(color: str, alpha: int = 210) -> list[int]:
    """``#rrggbb`` → ``[r, g, b, alpha]`` (grey for anything else)."""
    try:
        return [int(color[i:i + 2], 16) for i in (1, 3, 5)] + [alpha]
    except (ValueError, TypeError, IndexError):
        return [150, 150, 150, alpha]


def band_painter(bands: pd.DataFrame):  # noqa: ANN201 (a colour function)
    """``pct → RGBA`` in the colour of the status band of ``pct`` (``no_data`` colour for None)."""
    colors = bands.set_index("band_id")["color"]

    def paint(pct: float | None) -> list[int]:
        band = metrics.band_of(pd.Series([pct], dtype=float), bands).iloc[0]
        return hex_rgba(str(colors.get(band, "#969696")), 200)

    return paint


def ramp_legend(lo: float, hi: float, lang: str, unit: str, steps: int = 5
                ) -> list[tuple[str, str]]:
    """(hex colour, label) pairs along the value ramp of :func:`ramp_color`."""
    items = []
    for i in range(steps):
        value = lo + (hi - lo) * i / (steps - 1)
        r, g, b, _ = ramp_color(value, lo, hi)
        items.append((f"#{r:02x}{g:02x}{b:02x}", f"{charts.format_number(value, lang)} {unit}"))
    return items


def with_tooltips(layers: MapLayers, tips: Mapping[str, str], zone_tips: Mapping[str, str],
                  names: Mapping[str, str]) -> MapLayers:
    """Copy of ``layers`` with a ``tip`` text on every district feature and zone point, and the
    labels in the display language (``names``: code → name)."""
    features = [{**f, "properties": {**f["properties"],
                                     "tip": tips.get(str(f["properties"].get("code")), "")}}
                for f in layers.districts["features"]]
    districts = {**layers.districts, "features": features}
    points = layers.zone_points.assign(
        tip=layers.zone_points["zone_id"].map(zone_tips).fillna("")
        if "zone_id" in layers.zone_points else "")
    labels = layers.labels.assign(text=layers.labels["code"].map(names).fillna(
        layers.labels["text"]))
    return MapLayers(districts, layers.outline, points, layers.zone_polygons, labels,
                     layers.value_range, layers.view, layers.approximate)


#: the narrow deck (phones, narrow windows with the sidebar open): the province fitted into a
#: map this wide (px), at least 300 px wide wherever ``style.css`` shows it
NARROW_WIDTH = 300
WIDE_HEIGHT = 500
FIT_PADDING = 16


def _positions(geometry: object) -> list[tuple[float, float]]:
    """Every (lon, lat) position of a GeoJSON geometry's (nested) coordinate lists."""
    out: list[tuple[float, float]] = []
    stack = [geometry.get("coordinates", []) if isinstance(geometry, dict) else []]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)) and len(item) >= 2 and all(
                isinstance(v, (int, float)) for v in item[:2]):
            out.append((float(item[0]), float(item[1])))
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return out


def _mercator_y(lat: float) -> float:
    """Web-Mercator y of a latitude, in radians of the projected plane: ln tan(π/4 + φ/2)."""
    return math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2))


def _bounds(collection: Mapping[str, object]) -> tuple[float, float, float, float] | None:
    """(west, east, Mercator y south, Mercator y north) of a FeatureCollection, None if empty."""
    points = [p for f in collection.get("features", []) or []  # type: ignore[union-attr]
              for p in _positions(f.get("geometry"))]
    if not points:
        return None
    lats = [p[1] for p in points]
    return (min(p[0] for p in points), max(p[0] for p in points), _mercator_y(min(lats)),
            _mercator_y(max(lats)))


def fit_view(collection: Mapping[str, object], width: float, height: float,
             padding: float = FIT_PADDING) -> dict[str, float] | None:
    """Centre and zoom that show every feature of a GeoJSON FeatureCollection inside a map of
    ``width`` × ``height`` px with ``padding`` px free on each side (deck.gl's Web-Mercator
    world is 512·2^zoom px wide: zoom = log2(min((w − 2p) / (512·Δlon/360),
    (h − 2p) / (512·Δy/2π)))), None without any position."""
    box = _bounds(collection)
    if box is None:
        return None
    west, east, y0, y1 = box
    dx = max(east - west, 1e-6) / 360 * 512
    dy = max(y1 - y0, 1e-9) / (2 * math.pi) * 512
    zoom = math.log2(max(min((width - 2 * padding) / dx, (height - 2 * padding) / dy), 1e-6))
    lat = math.degrees(2 * math.atan(math.exp((y0 + y1) / 2)) - math.pi / 2)
    return {"longitude": (west + east) / 2, "latitude": lat, "zoom": round(zoom, 2)}


def narrow_height(collection: Mapping[str, object], width: float = NARROW_WIDTH,
                  padding: float = FIT_PADDING) -> int:
    """Height (px, at least 240) of a ``width`` px map that holds the features at the zoom that
    fits their width: (w − 2p) · Δy·180/π / Δlon + 2p."""
    box = _bounds(collection)
    if box is None:
        return 360
    west, east, y0, y1 = box
    ratio = (y1 - y0) * 180 / math.pi / max(east - west, 1e-6)
    return max(240, math.ceil((width - 2 * padding) * ratio + 2 * padding))


def deck_heights(layers: MapLayers | None) -> tuple[int, int]:
    """Heights (px) of the wide map (Streamlit's default, as before the narrow one existed) and
    of the narrow map (:func:`narrow_height` of the province outline)."""
    return WIDE_HEIGHT, narrow_height(layers.outline) if layers is not None else 360


def deck(layers: MapLayers | None, zone_points: pd.DataFrame, zone_colors: Mapping[str, str],
         show_labels: bool = True, show_zones: bool = True, height: int = 620,
         narrow: bool = False) -> pdk.Deck:
    """The deck: districts (pickable, id ``districts``), outline, zone circles coloured by
    commodity, district labels (``character_set="auto"`` for Vietnamese diacritics).
    ``narrow``: the province fitted into a :data:`NARROW_WIDTH` px wide map as tall as it needs
    (:func:`fit_view`, :func:`narrow_height`), for phones; else the wide map of the desktop."""
    view = dict(layers.view) if layers is not None else dict(FALLBACK_VIEW)
    view["zoom"] = view["zoom"] + ZOOM_BOOST
    if narrow and layers is not None:
        view = fit_view(layers.outline, NARROW_WIDTH, deck_heights(layers)[1]) or view
    out: list[pdk.Layer] = []
    if layers is not None:
        tolerance = SIMPLIFY_PX * metres_per_pixel(view["latitude"], view["zoom"])
        shapes = simplified_collection(sent_features(layers.districts), tolerance)
        out.append(pdk.Layer("GeoJsonLayer", id=DISTRICT_LAYER, data=shapes,
                             pickable=True, stroked=True, filled=True,
                             get_fill_color="properties.fill_color", get_line_color=[40, 40, 40],
                             line_width_min_pixels=1.2, auto_highlight=True,
                             highlight_color=[255, 255, 255, 90]))
        out.append(pdk.Layer("GeoJsonLayer", id=OUTLINE_LAYER, data=layers.outline,
                             stroked=True, filled=False, get_line_color=[0, 0, 0],
                             line_width_min_pixels=3, pickable=False))
    if show_zones and len(zone_points):
        pts = zone_points.assign(color=zone_points["commodity"].map(
            lambda c: hex_rgba(zone_colors.get(c, "#333333"), 230)))
        pts = pts[[c for c in ZONE_SENT if c in pts.columns]]
        out.append(pdk.Layer("ScatterplotLayer", id=ZONE_LAYER, data=pts, pickable=True,
                             get_position=["lon", "lat"], get_radius="radius_m",
                             get_fill_color="color", stroked=True, get_line_color=[0, 0, 0],
                             line_width_min_pixels=1.5, radius_min_pixels=4))
    if layers is not None and show_labels:
        out.append(pdk.Layer("TextLayer", id=LABEL_LAYER, data=layers.labels,
                             get_position=["lon", "lat"], get_text="text", get_size=12 if narrow else 15,
                             get_color=[0, 0, 0], character_set="'auto'", font_weight=700,
                             background=True, get_background_color=[255, 255, 255, 215],
                             background_padding=[4, 2], pickable=False,
                             font_family="'Noto Sans, DejaVu Sans, Arial, sans-serif'"))
    # pydeck turns bare strings into accessor expressions ("auto" → datum.auto, which draws
    # nothing): quoted strings ('auto') stay literal, so diacritics get their glyphs.
    return CompactDeck(layers=out, initial_view_state=pdk.ViewState(**view),
                       map_provider=None, tooltip={"text": "{tip}"}, height=height)


#: Decimals of the coordinates sent: 4 ≈ 11 m north–south, 10 m east–west at 22° N — below a
#: pixel at every zoom the province map opens at (≈ 285 m/px wide, 620 m/px on a phone) and
#: finer than the approximate boundaries; 5 decimals would add ≈ 10 % to the map's bytes.
SENT_DECIMALS = 4
#: The units' shapes are simplified (as a coverage) by this many pixels of the zoom the map
#: opens at: invisible there, and a phone's map (zoomed out further) gets fewer vertices.
SIMPLIFY_PX = 1.5

#: What the browser needs of a unit's feature (fill, tooltip, the code a click picks) and of a
#: zone point (position, size, colour, tooltip): the rest (names, values, sources, notes) is
#: in the table under the map and in the tooltip text already, and would double the payload.
FEATURE_SENT = ("code", "tip", "fill_color")
ZONE_SENT = ("zone_id", "lon", "lat", "radius_m", "color", "tip")


def sent_features(collection: Mapping[str, object]) -> dict[str, object]:
    """``collection`` with each feature's properties cut to :data:`FEATURE_SENT`."""
    features = collection.get("features") or []
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": f["geometry"],  # type: ignore[index]
         "properties": {k: v for k, v in (f.get("properties") or {}).items()  # type: ignore[union-attr]
                        if k in FEATURE_SENT}}
        for f in features]}  # type: ignore[union-attr]


class CompactDeck(pdk.Deck):
    """A deck sent as compact JSON (pydeck indents by 2 and keeps 15 digits): ≈ 3× fewer bytes
    for the map page over a weak conference-hall connection; coordinates keep
    :data:`SENT_DECIMALS` decimals."""

    def to_json(self) -> str:
        """Compact JSON with floats rounded to :data:`SENT_DECIMALS` decimals, made once per
        deck object (a deck cached for the server, :func:`dashboard.loaders.deck_cached`, is
        serialised once, not on every rerun of every visitor: ≈ 0.1 s per deck at 38
        communes)."""
        made = self.__dict__.get("_compact_json")
        if made is None:
            made = json.dumps(_rounded(json.loads(super().to_json())), separators=(",", ":"),
                              ensure_ascii=False)
            self.__dict__["_compact_json"] = made
        return made


def _rounded(value: object) -> object:
    """Round every float in a JSON-like structure to :data:`SENT_DECIMALS` decimals."""
    if isinstance(value, float):
        return round(value, SENT_DECIMALS)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class MapView:
    """Everything the map shows besides geometry, in the display language: district values
    (``code → value``), tooltip texts, label names, zone points/tooltips/colours/legend."""

    name: str
    unit: str
    values: dict[str, float]
    tips: dict[str, str]
    names: dict[str, str]
    zone_points: pd.DataFrame
    zone_tips: dict[str, str]
    zone_colors: dict[str, str]
    zone_legend: list[tuple[str, str]]

    @classmethod
    def build(cls, ds: Dataset, rows: pd.DataFrame, flt: object, fill: str, lang: str
              ) -> MapView:
        """From the status rows of ONE indicator across the districts (``api.status``) and the
        filters (``as_of``, ``commodity``): ``fill`` is ``achievement`` or ``value``."""
        field = "achievement_pct" if fill == "achievement" else "actual"
        name = str(rows[f"name_{lang}"].iloc[0]) if len(rows) else ""
        unit = str(rows[f"unit_label_{lang}"].iloc[0]) if len(rows) else ""
        values = {str(c): float(v) for c, v in zip(rows["unit_code"], rows[field], strict=True)
                  if pd.notna(v)}
        qual = ds.qualities.set_index("quality")[f"label_{lang}"]
        tips = {}
        for r in rows.to_dict("records"):
            tips[str(r["unit_code"])] = "\n".join([
                str(r[f"unit_name_{lang}"]),
                f"{name}: {charts.format_number(r['actual'], lang)} / "
                f"{charts.format_number(r['target'], lang)} {unit}",
                f"{r['status_symbol']} {r[f'status_label_{lang}']} "
                f"({charts.format_number(r['achievement_pct'], lang, 0)}%)",
                str(qual.get(r["quality"], "–")) if pd.notna(r["quality"]) else "–"])
        names = {str(c): ds.units.name(str(c), lang) for c in ds.units.units["unit_code"]}
        commodity = getattr(flt, "commodity", None)
        zones = zones_as_of(ds.zones, commodity, getattr(flt, "as_of", None))
        com = ds.commodities.set_index("commodity")
        zone_tips = {str(z["zone_id"]): "\n".join([
            f"{com[f'name_{lang}'].get(z['commodity'], z['commodity'])} — {z['commune']} "
            f"({names.get(str(z['unit_code']), z['unit_code'])})",
            f"{charts.format_number(z['area_ha'], lang)} ha · {z['year']}",
            str(z["linked_enterprise"] or ""), str(qual.get(z["quality"], z["quality"]))])
            for z in zones.to_dict("records")}
        colors = {str(k): str(v) for k, v in com["color"].items()}
        legend = [(colors[c], str(com[f"name_{lang}"][c]))
                  for c in com.sort_values("display_order").index if c in set(zones["commodity"])]
        points = zones.dropna(subset=["lon", "lat"]).assign(radius_m=1500.0)
        points = points.assign(tip=points["zone_id"].map(zone_tips))
        return cls(name, unit, values, tips, names, points, zone_tips, colors, legend)


def _hex(rgba: list[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgba[:3])


@dataclass(frozen=True)
class ZoneMapView:
    """One commodity's zone map in the display language: the placed zones (``zmap``), the
    layers (None without polygons of the year's units), the legend and the text table."""

    zmap: ZoneMap
    layers: MapLayers | None
    legend: list[tuple[str, str]]
    table: pd.DataFrame
    alt: str
    caption: str

    @classmethod
    def build(cls, ds: Dataset, zmap: ZoneMap, commodity_name: str, layers: MapLayers | None,
              lang: str) -> ZoneMapView:
        """Tooltips, fills and labels on ``layers`` (:func:`zone_layers`), legend (area ramp,
        zone territory, outside) and one table row per unit with a zone."""
        qual = {str(k): str(v) for k, v in
                ds.qualities.set_index("quality")[f"label_{lang}"].items()}
        codes = ds.units.reporting(zmap.year)
        names = {c: ds.units.name(c, lang) for c in codes}
        if layers is not None:
            tips = {c: zone_tip(zmap, c, names[c], commodity_name, lang, qual) for c in codes}
            layers = zone_layers(layers, zmap, tips, names)
        legend = ramp_legend(*layers.value_range, lang, "ha", steps=3) \
            if layers is not None and layers.value_range else []
        legend += [(_hex(HIGHLIGHT_RGBA), t(lang, "commodity.zone_legend_territory")),
                   (_hex(OTHER_RGBA), t(lang, "commodity.zone_legend_other"))]
        rows = zmap.areas
        table = pd.DataFrame({
            t(lang, "commodity.zone_col_unit"): [names.get(c, c) for c in rows["unit_code"]],
            t(lang, "commodity.zone_col_area"): rows["area_ha"].round(1),
            t(lang, "commodity.zone_col_zones"): [", ".join(z) for z in rows["zone_ids"]],
            t(lang, "commodity.zone_col_enterprise"): [
                "; ".join(e) or t(lang, "commodity.zone_no_enterprise")
                for e in rows["enterprises"]],
            t(lang, "commodity.zone_col_quality"): [qual.get(q, q) for q in rows["quality"]]})
        alt = t(lang, "commodity.zone_map_alt", commodity=commodity_name, year=zmap.year,
                count=len(rows), total=charts.format_number(zmap.total_ha, lang))
        caption = t(lang, "commodity.zone_map_caption", units=t(
            lang, "commodity.units_districts" if set(codes) & set(ds.units.codes())
            else "commodity.units_communes"))
        return cls(zmap, layers, legend, table, alt, caption)

    def unplaced_text(self, lang: str) -> str | None:
        """The zones that could not be placed (id, commune, reason) as one sentence, or None."""
        gone = self.zmap.unplaced
        if gone.empty:
            return None
        zones = "; ".join(f"{r.zone_id} ({r.commune}, {r.unit_code}: "
                          f"{t(lang, 'commodity.zone_reason_' + str(r.reason))})"
                          for r in gone.itertuples())
        area = pd.to_numeric(gone["area_ha"], errors="coerce").sum()
        return t(lang, "commodity.zone_unplaced", count=len(gone), year=self.zmap.year,
                 area=charts.format_number(float(area), lang), zones=zones)


__all__ = ["MapView", "ZoneMapView", "deck", "band_painter", "ramp_legend", "with_tooltips",
           "hex_rgba", "RAMP"]
