"""GeoJSON reading/writing for ``geo/``: RFC 7946 output, atomic writes, named errors.

Coordinates written are WGS84 lon/lat degrees (EPSG:4326), exterior rings counter-clockwise,
holes clockwise, rounded to ``precision`` decimals (5 decimals ≈ 1.1 m at Lai Châu's latitude).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from nq05_metrics.fileio import atomic_write
from nq05_metrics.i18n import both
from nq05_metrics.units import admin_words

GEO_DIR_ENV = "NQ05_GEO_DIR"
DEFAULT_UNIT_SET = "district_2008_2025"
PROVINCE_STEM = "province"
#: Optional zone polygons (``zones.geojson``), not a unit set.
ZONES_STEM = "zones"


class GeoDataError(Exception):
    """A boundary file is missing, unreadable or unusable. ``str(err)`` is bilingual
    (Vietnamese first, then English); ``what_vi``/``what_en`` hold each language alone."""

    def __init__(self, what_vi: str, what_en: str, path: Path | str | None = None) -> None:
        self.what_vi = what_vi
        self.what_en = what_en
        self.path = Path(path) if path is not None else None
        prefix = f"{self.path}: " if self.path is not None else ""
        super().__init__(f"{prefix}{what_vi} / {what_en}")

    def format(self, lang: str = "vi") -> str:
        """The message in one language, prefixed with the file when known."""
        prefix = f"{self.path}: " if self.path is not None else ""
        return prefix + (self.what_vi if lang == "vi" else self.what_en)


def default_geo_dir() -> Path:
    """``$NQ05_GEO_DIR`` if set, else ``geo``."""
    return Path(os.environ.get(GEO_DIR_ENV) or "geo")


def boundary_paths(geo_dir: Path, unit_set: str = DEFAULT_UNIT_SET) -> list[Path]:
    """Candidate files for a unit set, best first: the imported official file
    ``{unit_set}.geojson``, then the shipped approximation ``{unit_set}.approx.geojson``."""
    return [geo_dir / f"{unit_set}.geojson", geo_dir / f"{unit_set}.approx.geojson"]


def round_geometry(geom: BaseGeometry, precision: int) -> BaseGeometry:
    """Round coordinates to ``precision`` decimals; identical input vertices stay identical, so
    a coverage keeps its shared edges. Repaired with ``make_valid`` if rounding broke validity."""
    out = shapely.transform(geom, lambda xy: np.round(xy, precision))
    if not out.is_valid:
        out = shapely.make_valid(out)
        out = shapely.union_all([g for g in shapely.get_parts(out) if g.geom_type == "Polygon"])
    return out


def feature_collection(
    frame: gpd.GeoDataFrame, precision: int = 5, columns: Iterable[str] | None = None
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946: WGS84, CCW exteriors, no ``crs`` member) as a
    plain dict. ``frame`` must already be in EPSG:4326."""
    cols = list(columns) if columns is not None else [
        c for c in frame.columns if c != frame.geometry.name
    ]
    features = []
    for row, geom in zip(frame[cols].to_dict("records"), frame.geometry, strict=True):
        geom = shapely.orient_polygons(round_geometry(geom, precision))
        props = {k: _plain(v) for k, v in row.items()}
        features.append(
            {"type": "Feature", "properties": props, "geometry": json.loads(shapely.to_geojson(geom))}
        )
    return {"type": "FeatureCollection", "features": features}


def _plain(value: object) -> object:
    """JSON-safe scalar: numpy → Python, NaN/NA → None."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return value


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\n`` line ends) atomically (:func:`nq05_metrics.fileio.atomic_write`):
    readers see the old file or the new one, never half of one."""
    atomic_write(path, text.encode("utf-8"))


def write_geojson(frame: gpd.GeoDataFrame, path: Path, precision: int = 5) -> int:
    """Write ``frame`` (EPSG:4326) as compact RFC 7946 GeoJSON, atomically. Returns bytes."""
    text = json.dumps(feature_collection(frame, precision), ensure_ascii=False,
                      separators=(",", ":"))
    write_text_atomic(path, text + "\n")
    return len(text.encode("utf-8")) + 1


def read_geojson(path: Path) -> gpd.GeoDataFrame:
    """Read a polygon GeoJSON written by this package; codes stay strings.

    Raises :class:`GeoDataError` when the file is missing, not GeoJSON, empty, has no ``code``
    property or holds non-polygon geometry."""
    if not path.is_file():
        raise GeoDataError(*both("geo.no_boundary_file"), path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        frame = gpd.GeoDataFrame.from_features(data["features"], crs="EPSG:4326")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise GeoDataError(*both("geo.not_geojson", error=exc), path) from exc
    if frame.empty or "code" not in frame.columns:
        raise GeoDataError(*both("geo.no_code_property"), path)
    kinds = set(frame.geometry.geom_type.dropna())
    if not kinds or not kinds <= {"Polygon", "MultiPolygon"}:
        raise GeoDataError(*both("geo.need_polygons", kinds=sorted(kinds)), path)
    frame["code"] = frame["code"].map(lambda v: str(v))
    if "approximate" not in frame.columns:
        frame["approximate"] = False
    frame["approximate"] = frame["approximate"].fillna(False).astype(bool)
    return frame


def load_boundaries(geo_dir: Path, unit_set: str = DEFAULT_UNIT_SET) -> gpd.GeoDataFrame:
    """Boundaries of one unit set in WGS84 (EPSG:4326), one row per unit: ``code`` (GSO code,
    str), ``name_vi``, ``name_ascii``, ``approximate`` (bool), geometry.

    Reads ``geo_dir/{unit_set}.geojson`` (an imported official file) if present, else the
    shipped ``geo_dir/{unit_set}.approx.geojson``. Raises :class:`GeoDataError` (bilingual) if
    neither exists or the file found is broken."""
    geo_dir = Path(geo_dir)
    for path in boundary_paths(geo_dir, unit_set):
        if path.is_file():
            return read_geojson(path)
    raise GeoDataError(*both("geo.no_boundaries_for", unit_set=unit_set, geo_dir=geo_dir), geo_dir)


def unit_set_names(geo_dir: Path) -> list[str]:
    """The unit sets with a boundary file in ``geo_dir`` (``{set}.geojson`` or
    ``{set}.approx.geojson``), the province outline and the zone polygons excluded, sorted."""
    stems = {p.name.removesuffix(".geojson").removesuffix(".approx")
             for p in Path(geo_dir).glob("*.geojson")}
    return sorted(stems - {PROVINCE_STEM, ZONES_STEM})


def load_unit_layers(geo_dir: Path) -> dict[str, gpd.GeoDataFrame]:
    """Boundaries of every unit set in ``geo_dir`` (:func:`unit_set_names`), by set name: the
    district layer must load (else :class:`GeoDataError`); a later set whose file is broken is
    left out, so the map says its polygons are missing for the years it reports."""
    layers = {DEFAULT_UNIT_SET: load_boundaries(geo_dir, DEFAULT_UNIT_SET)}
    for name in unit_set_names(geo_dir):
        if name not in layers:
            try:
                layers[name] = load_boundaries(geo_dir, name)
            except GeoDataError:
                continue
    return layers


def load_folder(geo_dir: Path) -> tuple[dict[str, gpd.GeoDataFrame], gpd.GeoDataFrame, bool]:
    """What a map needs from ``geo_dir``: every unit set's boundaries (:func:`load_unit_layers`),
    the province outline, and whether any of the district layer or outline is approximate.
    Raises :class:`GeoDataError` (bilingual) when the district layer or outline is unusable."""
    layers = load_unit_layers(geo_dir)
    outline = load_province_outline(geo_dir)
    approx = bool(layers[DEFAULT_UNIT_SET]["approximate"].any() or outline["approximate"].any())
    return layers, outline, approx


def load_province_outline(geo_dir: Path) -> gpd.GeoDataFrame:
    """The province outline (one row, code ``"12"``) in WGS84: ``province.geojson`` if present,
    else the shipped ``province.approx.geojson``, else the union of the district boundaries.
    Raises :class:`GeoDataError` if none can be read."""
    geo_dir = Path(geo_dir)
    for path in boundary_paths(geo_dir, PROVINCE_STEM):
        if path.is_file():
            return read_geojson(path)
    districts = load_boundaries(geo_dir)
    return gpd.GeoDataFrame(
        {
            "code": ["12"],
            "name_vi": [str(admin_words()["province_name_vi"])],
            "name_ascii": [str(admin_words()["province_name_en"])],
            "approximate": [bool(districts["approximate"].any())],
        },
        geometry=[shapely.coverage_union_all(districts.geometry.values)],
        crs="EPSG:4326",
    )
