"""Map-ready layers (plain GeoJSON dicts and DataFrames) for a pydeck map.

Independent of the metrics module: district values come in as ``Mapping[str, float]`` or a
DataFrame with ``unit_code``/``value``; colours come from a caller-supplied function or a default
sequential ramp. All coordinates are WGS84 lon/lat degrees.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..i18n import both
from .io import ZONES_STEM, GeoDataError, feature_collection

RGBA = list[int]
NO_DATA_RGBA: RGBA = [200, 200, 200, 140]
RAMP = ((237, 248, 233), (116, 196, 118), (0, 109, 44))  # light → dark green
ZONE_COLUMNS = ["zone_id", "commodity", "unit_code", "commune", "area_ha", "year", "lon", "lat",
                "linked_enterprise", "quality", "source", "note"]


@dataclass(frozen=True)
class MapLayers:
    """Everything a map needs, as data. ``districts``/``outline``/``zone_polygons``: GeoJSON
    FeatureCollections (dicts; district features carry ``code``, ``name_vi``, ``value`` (float
    or None), ``fill_color`` [r, g, b, a], ``approximate``); ``zone_points``: one row per zone
    (lon, lat, radius_m, …); ``labels``: lon, lat, text, code; ``value_range``: (min, max) of the
    values shown (None if no value); ``view``: longitude, latitude, zoom."""

    districts: dict[str, Any]
    outline: dict[str, Any]
    zone_points: pd.DataFrame
    zone_polygons: dict[str, Any]
    labels: pd.DataFrame
    value_range: tuple[float, float] | None
    view: dict[str, float]
    approximate: bool


def as_value_map(values: Mapping[str, float] | pd.DataFrame | None) -> dict[str, float]:
    """``{unit_code: value}`` from a mapping or a DataFrame with ``unit_code`` and ``value``;
    NaN values are dropped."""
    if values is None:
        return {}
    if isinstance(values, pd.DataFrame):
        values = dict(zip(values["unit_code"].astype(str), values["value"], strict=True))
    return {str(k): float(v) for k, v in values.items() if v is not None and np.isfinite(v)}


def ramp_color(value: float | None, lo: float, hi: float) -> RGBA:
    """Linear interpolation over :data:`RAMP` of ``(value - lo) / (hi - lo)``; grey for None."""
    if value is None:
        return list(NO_DATA_RGBA)
    t = 0.5 if hi <= lo else min(max((value - lo) / (hi - lo), 0.0), 1.0)
    seg = min(int(t * (len(RAMP) - 1)), len(RAMP) - 2)
    u = t * (len(RAMP) - 1) - seg
    rgb = [round(a + (b - a) * u) for a, b in zip(RAMP[seg], RAMP[seg + 1], strict=True)]
    return [*rgb, 200]


def zones_as_of(zones: pd.DataFrame | None, commodity: str | None, year: int | None) -> pd.DataFrame:
    """Zones of one commodity (all if None) as recorded at ``year``: rows with ``year ≤ year``,
    the latest row per ``zone_id`` (all rows if ``year`` is None)."""
    if zones is None or zones.empty:
        return pd.DataFrame(columns=ZONE_COLUMNS)
    out = zones if commodity is None else zones.loc[zones["commodity"] == commodity]
    if year is not None:
        out = out.loc[pd.to_numeric(out["year"], errors="coerce") <= year]
        out = out.sort_values("year").drop_duplicates("zone_id", keep="last")
    return out.reset_index(drop=True)


def load_zone_polygons(geo_dir: Path) -> gpd.GeoDataFrame | None:
    """``geo_dir/zones.geojson`` (optional polygons with a ``zone_id`` property) in WGS84, or
    None when absent. Raises :class:`GeoDataError` when present but unreadable."""
    path = Path(geo_dir) / f"{ZONES_STEM}.geojson"
    if not path.is_file():
        return None
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio errors
        raise GeoDataError(*both("geo.zones_unreadable", error=exc), path) from exc
    if "zone_id" not in frame.columns:
        raise GeoDataError(*both("geo.zones_no_id"), path)
    return frame.to_crs("EPSG:4326") if frame.crs else frame.set_crs("EPSG:4326")


def _view(frame: gpd.GeoDataFrame) -> dict[str, float]:
    x0, y0, x1, y1 = frame.total_bounds
    span = max(x1 - x0, y1 - y0, 0.01)
    zoom = float(np.clip(np.log2(360.0 / span) - 0.6, 3, 14))
    return {"longitude": float((x0 + x1) / 2), "latitude": float((y0 + y1) / 2),
            "zoom": round(zoom, 2)}


def map_layers(
    boundaries: gpd.GeoDataFrame,
    values: Mapping[str, float] | pd.DataFrame | None = None,
    zones: pd.DataFrame | None = None,
    commodity: str | None = None,
    year: int | None = None,
    zone_polygons: gpd.GeoDataFrame | None = None,
    color_for: Callable[[float | None], RGBA] | None = None,
    outline: gpd.GeoDataFrame | None = None,
    max_radius_m: float = 4_000.0,
) -> MapLayers:
    """Layers for one commodity and year.

    District fill: ``color_for(value)`` or :func:`ramp_color` over the values' range. Zone
    points: ``radius_m = max_radius_m · sqrt(area_ha / max area_ha)`` (area-proportional
    circles), at least 500 m. Labels at each district's ``point_on_surface``. ``boundaries``
    and the polygons must be in EPSG:4326 (as :func:`load_boundaries` returns)."""
    vals = as_value_map(values)
    shown = [vals[c] for c in boundaries["code"] if c in vals]
    vrange = (min(shown), max(shown)) if shown else None
    paint = color_for or (lambda v: ramp_color(v, *(vrange or (0.0, 1.0))))
    per_unit = [vals.get(c) for c in boundaries["code"]]
    frame = boundaries.assign(value=per_unit, fill_color=[paint(v) for v in per_unit])
    cols = [c for c in ("code", "name_vi", "name_ascii", "approximate", "value", "fill_color")
            if c in frame.columns]
    points = shapely.point_on_surface(frame.geometry.to_numpy())
    labels = pd.DataFrame({"lon": shapely.get_x(points), "lat": shapely.get_y(points),
                           "text": frame.get("name_vi", frame["code"]).to_numpy(),
                           "code": frame["code"].to_numpy()})
    picked = zones_as_of(zones, commodity, year)
    pts = picked.dropna(subset=["lon", "lat"]).copy()
    area = pd.to_numeric(pts.get("area_ha", pd.Series(0.0, index=pts.index)), errors="coerce").fillna(0.0)
    top = float(area.max()) if len(area) and area.max() > 0 else 1.0
    pts["radius_m"] = np.maximum(max_radius_m * np.sqrt(area / top), 500.0)
    polys = {"type": "FeatureCollection", "features": []}
    if zone_polygons is not None and not picked.empty:
        sel = zone_polygons.loc[zone_polygons["zone_id"].isin(set(picked["zone_id"]))]
        if not sel.empty:
            polys = feature_collection(sel, precision=6)
    if outline is None:
        outline = gpd.GeoDataFrame({"code": ["12"]}, crs="EPSG:4326",
                                   geometry=[shapely.union_all(boundaries.geometry.to_numpy())])
    approx = bool(boundaries.get("approximate", pd.Series([False])).any())
    return MapLayers(
        districts=feature_collection(frame, precision=5, columns=cols),
        outline=feature_collection(outline[["code", outline.geometry.name]], precision=5),
        zone_points=pts.reset_index(drop=True),
        zone_polygons=polys,
        labels=labels,
        value_range=vrange,
        view=_view(boundaries),
        approximate=approx,
    )


def metres_per_pixel(latitude: float, zoom: float) -> float:
    """Ground size (m) of one pixel of a deck.gl map, whose Web-Mercator world is 512·2^zoom px
    wide: 40 075 016 m · cos(φ) / (512 · 2^zoom) = 78 271.5 m · cos(φ) / 2^zoom."""
    return 78_271.52 * math.cos(math.radians(latitude)) / 2 ** zoom


def simplified_collection(collection: Mapping[str, Any], tolerance_m: float) -> dict[str, Any]:
    """``collection`` (a GeoJSON FeatureCollection of a coverage, EPSG:4326) simplified as a
    coverage with ``tolerance_m`` metres (``shapely.coverage_simplify``: each shared edge once,
    so neighbours keep touching), in a local equirectangular plane (x = λ·cos φ₀·111 320 m,
    y = φ·110 574 m; distortion < 1 % across Lai Châu). Properties unchanged; a tolerance ≤ 0
    or an empty collection returns it as it is."""
    features = list(collection.get("features") or [])
    if tolerance_m <= 0 or not features:
        return dict(collection)
    shapes = np.array([shapely.from_geojson(json.dumps(f["geometry"])) for f in features])
    lat0 = float(np.mean(shapely.bounds(shapes)[:, [1, 3]]))
    scale = np.array([111_320.0 * math.cos(math.radians(lat0)), 110_574.0])
    metric = shapely.transform(shapes, lambda xy: xy * scale)
    back = shapely.transform(shapely.coverage_simplify(metric, tolerance_m), lambda xy: xy / scale)
    return {**collection, "features": [
        {**f, "geometry": json.loads(shapely.to_geojson(g))} for f, g in zip(features, back,
                                                                             strict=True)]}
