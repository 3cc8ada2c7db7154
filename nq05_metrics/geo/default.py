"""Build the *approximate* default boundaries that the repository may ship.

Inputs: only the MIT-licensed ``vietnamadminunits`` package (see :mod:`.source`): centroids and
bounding boxes of the 106 pre-2025 communes, bounding boxes of the 8 districts and the province,
and the official areas of the 38 post-2025 communes, each of which is a union of whole pre-2025
communes (the package's old→new table).

Method (all distances in metres in UTM 48N, EPSG:32648):

1. **Commune areas.** A 2025 commune's official area is shared among its pre-2025 communes in
   proportion to their bounding-box areas; a commune whose box is a geocoding stub (< 1 km side)
   or the whole district's box gets the median share of its siblings.
2. **Commune sites.** The centre of a commune's box (its geocoded point when the box is a stub);
   then the sites of each 2025 commune are shifted together so that their area-weighted mean
   equals the 2025 commune's published centroid (the centroid of a union is the area-weighted
   mean of its parts' centroids). A site with no usable location (the district's box) is solved
   from that same identity.
3. **Capacity-constrained power diagram on a grid.** Every grid cell (``cell_m``) goes to the
   commune *i* minimising ``|x - s_i|² - w_i`` among those whose district box (and own box, if
   usable) contains it, and to nobody when that minimum is > 0 (outside the province); the weights
   ``w_i`` are iterated until every commune covers its area. The province outline therefore
   emerges from the areas and the boxes, no outline is drawn by hand.
4. **Clean-up.** Majority filter, islands re-assigned to the surrounding district, interior holes
   filled; cells are dissolved by district, then simplified as a coverage (no gaps, no overlaps),
   reprojected to WGS84 and rounded to 5 decimals (≈ 1 m).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from ..units import admin_words, strip_marks
from .source import RegistrySource, read_registry_source

METRIC_CRS = "EPSG:32648"
STUB_SIDE_M = 2_000.0


@dataclass(frozen=True)
class Sites:
    """Commune sites in metres (UTM 48N) with target areas (m²) and allowed boxes.

    ``box`` rows are (min_x, min_y, max_x, max_y); the commune box is NaN when unusable."""

    codes: np.ndarray
    district: np.ndarray
    xy: np.ndarray
    area_m2: np.ndarray
    own_box: np.ndarray
    district_box: np.ndarray


def _to_metric() -> Transformer:
    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def _boxes_m(boxes: pd.Series) -> np.ndarray:
    """Project (min_lon, min_lat, max_lon, max_lat) boxes to metric (min_x, min_y, max_x, max_y)."""
    arr = np.array(boxes.tolist(), dtype=float)
    tr = _to_metric()
    x1, y1 = tr.transform(arr[:, 0], arr[:, 1])
    x2, y2 = tr.transform(arr[:, 2], arr[:, 3])
    return np.column_stack([x1, y1, x2, y2])


def commune_sites(src: RegistrySource) -> Sites:
    """Steps 1–2 of the method: target area and position of every pre-2025 commune."""
    old = src.communes_2008.reset_index(drop=True)
    new = src.communes_2025.set_index("code")
    tr = _to_metric()
    box = _boxes_m(old["bbox"])
    dist_boxes = dict(zip(src.districts["code"], src.districts["bbox"], strict=True))
    dbox = _boxes_m(old["district_code"].map(dist_boxes))
    longest = np.maximum(box[:, 2] - box[:, 0], box[:, 3] - box[:, 1])
    is_district_box = np.all(np.isclose(box, dbox, atol=1.0), axis=1)
    usable = (longest >= STUB_SIDE_M) & ~is_district_box
    weight = np.where(usable, (box[:, 2] - box[:, 0]) * (box[:, 3] - box[:, 1]), np.nan)
    area = np.zeros(len(old))
    kind = old["type_vi"].to_numpy()
    for new_code, idx in old.groupby("new_code").indices.items():
        w = weight[idx].copy()
        for j in np.flatnonzero(~np.isfinite(w)):
            same = np.isfinite(weight[idx]) & (kind[idx] == kind[idx][j])
            pool = weight[idx][same] if same.any() else weight[idx][np.isfinite(weight[idx])]
            w[j] = np.median(pool) if pool.size else 1.0
        area[idx] = float(new["area_km2"].loc[str(new_code)]) * 1e6 * w / w.sum()
    px, py = tr.transform(old["lon"].to_numpy(float), old["lat"].to_numpy(float))
    xy = np.column_stack([px, py])
    centre = np.column_stack([(box[:, 0] + box[:, 2]) / 2, (box[:, 1] + box[:, 3]) / 2])
    xy = np.where(usable[:, None], centre, xy)
    located = ~is_district_box
    nx, ny = tr.transform(new["lon"].to_numpy(float), new["lat"].to_numpy(float))
    new_xy = dict(zip(new.index, np.column_stack([nx, ny]), strict=True))
    for new_code, idx in old.groupby("new_code").indices.items():
        target = new_xy[new_code]
        known = idx[located[idx]]
        unknown = idx[~located[idx]]
        total = area[idx].sum()
        if len(known) and len(unknown):
            rest = (total * target - (area[known, None] * xy[known]).sum(0)) / area[unknown].sum()
            xy[unknown] = rest
        elif len(unknown):
            xy[unknown] = target
        mean = (area[idx, None] * xy[idx]).sum(0) / total
        xy[idx] += target - mean
    return Sites(
        codes=old["code"].to_numpy(),
        district=old["district_code"].to_numpy(),
        xy=xy,
        area_m2=area,
        own_box=np.where(usable[:, None], box, np.nan),
        district_box=dbox,
    )


def allocate(
    sites: Sites,
    province_box: np.ndarray,
    cell_m: float = 500.0,
    margin_m: float = 1_000.0,
    iterations: int = 300,
    step: float = 0.3,
    within: BaseGeometry | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Step 3: capacity-constrained power diagram on a grid of ``cell_m`` metres.

    Without ``within``, a cell whose best power distance is > 0 stays outside (label -1); with
    ``within`` (a metric polygon), every cell whose centre lies in it is assigned and the target
    areas are scaled to its area. Weight update (dual ascent of semi-discrete optimal transport):
    ``w_i += step · (A_i − covered_i) / π``.
    Returns ``(labels, x, y, weights)``: ``labels[r, c]`` is a site index or -1; ``x``/``y`` are
    the cell-centre coordinates (metres) of the columns/rows."""
    x0, y0, x1, y1 = province_box
    x = np.arange(x0 + cell_m / 2, x1, cell_m)
    y = np.arange(y0 + cell_m / 2, y1, cell_m)
    gx, gy = np.meshgrid(x, y)
    px, py = gx.ravel(), gy.ravel()
    keep = np.ones(px.size, dtype=bool)
    target = sites.area_m2
    if within is not None:
        keep = shapely.contains_xy(within, px, py)
        target = target * (keep.sum() * cell_m * cell_m) / target.sum()
    px, py = px[keep], py[keep]
    n = len(sites.codes)
    allowed = np.ones((n, px.size), dtype=bool)
    for boxes, pad in ((sites.district_box, margin_m), (sites.own_box, margin_m)):
        for i in range(n):
            bx = boxes[i]
            if np.isnan(bx).any():
                continue
            allowed[i] &= (
                (px >= bx[0] - pad) & (px <= bx[2] + pad) & (py >= bx[1] - pad) & (py <= bx[3] + pad)
            )
    d2 = (px[None, :] - sites.xy[:, 0:1]) ** 2 + (py[None, :] - sites.xy[:, 1:2]) ** 2
    d2 = np.where(allowed, d2, np.inf)
    weights = target / np.pi
    cell_area = cell_m * cell_m
    for _ in range(iterations):
        cost = d2 - weights[:, None]
        best = np.argmin(cost, axis=0)
        inside = (cost[best, np.arange(px.size)] <= 0) | (within is not None)
        got = np.bincount(best[inside], minlength=n) * cell_area
        weights = weights + step * (target - got) / np.pi
    labels = np.full(gx.size, -1)
    labels[np.flatnonzero(keep)] = np.where(inside, best, -1)
    return labels.reshape(gx.shape), x, y, weights


def cells_to_polygons(
    labels: np.ndarray, x: np.ndarray, y: np.ndarray, cell_m: float
) -> dict[int, BaseGeometry]:
    """Dissolve grid cells into one (multi)polygon per label ≥ 0 (metric coordinates).

    The edges between cells of different labels are polygonized into faces, so the faces form a
    properly noded coverage (neighbours share every vertex) and are merged per label with a
    coverage union."""
    pad = np.pad(labels, 1, constant_values=-1)
    half = cell_m / 2
    xs = np.concatenate([[x[0] - cell_m], x, [x[-1] + cell_m]])
    ys = np.concatenate([[y[0] - cell_m], y, [y[-1] + cell_m]])
    r, c = np.nonzero(pad[1:, :] != pad[:-1, :])  # between rows r and r+1, column c
    horiz = [((xs[j] - half, ys[i] + half), (xs[j] + half, ys[i] + half)) for i, j in zip(r, c,
             strict=True)]
    r, c = np.nonzero(pad[:, 1:] != pad[:, :-1])  # between columns c and c+1, row r
    vert = [((xs[j] + half, ys[i] - half), (xs[j] + half, ys[i] + half)) for i, j in zip(r, c,
            strict=True)]
    lines = shapely.line_merge(shapely.MultiLineString(horiz + vert))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    points = shapely.point_on_surface(faces)
    col = np.clip(np.round((shapely.get_x(points) - x[0]) / cell_m).astype(int), 0, x.size - 1)
    row = np.clip(np.round((shapely.get_y(points) - y[0]) / cell_m).astype(int), 0, y.size - 1)
    face_label = labels[row, col]
    return {
        int(k): shapely.coverage_union_all(faces[face_label == k])
        for k in np.unique(face_label)
        if k >= 0
    }


def province_outline(labels: np.ndarray, x: np.ndarray, y: np.ndarray, cell_m: float,
                     close_m: float = 3_000.0) -> BaseGeometry:
    """The province outline (metric): union of the allocated cells, morphologically closed by
    ``close_m`` (buffer out, then in) to fill the notches between communes, holes removed,
    largest part kept."""
    union = shapely.union_all(list(cells_to_polygons(np.where(labels >= 0, 0, -1), x, y, cell_m)
                                   .values()))
    closed = union.buffer(close_m, quad_segs=4).buffer(-close_m, quad_segs=4)
    parts = sorted(shapely.get_parts(closed), key=lambda g: g.area, reverse=True)
    return shapely.Polygon(parts[0].exterior).simplify(cell_m / 4)


def _absorb_fragments(units: dict[str, BaseGeometry], keep_share: float = 0.05
                      ) -> dict[str, BaseGeometry]:
    """Give each part smaller than ``keep_share`` of its unit's area to the neighbour that
    shares the longest border with it (parts touching nobody are dropped)."""
    units = dict(units)
    for code in list(units):
        parts = sorted(shapely.get_parts(units[code]), key=lambda g: g.area, reverse=True)
        total = sum(p.area for p in parts)
        keep = [p for p in parts if p.area >= keep_share * total] or parts[:1]
        units[code] = shapely.union_all(keep)
        for part in parts[len(keep):]:
            shared = {
                other: part.boundary.intersection(geom.boundary).length
                for other, geom in units.items()
                if other != code
            }
            best = max(shared, key=lambda k: shared[k], default=None)
            if best is not None and shared[best] > 0:
                units[best] = shapely.union_all([units[best], part])
    return units


def _fill_holes(units: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    """Assign holes of the union (areas enclosed by units but covered by none) to the unit
    sharing the longest border with each hole."""
    union = shapely.union_all(list(units.values()))
    for poly in shapely.get_parts(union):
        for ring in poly.interiors:
            hole = shapely.Polygon(ring)
            shared = {k: hole.boundary.intersection(g.boundary).length for k, g in units.items()}
            best = max(shared, key=lambda k: shared[k])
            units[best] = shapely.union_all([units[best], hole])
    return units


@dataclass(frozen=True)
class DefaultGeometry:
    """The approximate coverage in metric coordinates (EPSG:32648), keyed by GSO code."""

    districts: dict[str, BaseGeometry]
    communes_2025: dict[str, BaseGeometry]
    commune_area_km2: dict[str, float]


def build_geometry(src: RegistrySource, cell_m: float = 500.0, coarse_m: float = 1_000.0,
                   close_m: float = 3_000.0, simplify_m: float = 600.0) -> DefaultGeometry:
    """Steps 1–4 of the module's method; returns simplified district and 2025-commune
    coverages (gap- and overlap-free, metric CRS)."""
    sites = commune_sites(src)
    pbox = _boxes_m(pd.Series([src.province_bbox]))[0]
    coarse, cx, cy, _ = allocate(sites, pbox, cell_m=coarse_m)
    outline = province_outline(coarse, cx, cy, coarse_m, close_m)
    labels, x, y, _ = allocate(sites, pbox, cell_m=cell_m, within=outline, iterations=200)
    share = sites.area_m2 / sites.area_m2.sum()
    areas = {c: float(a) for c, a in zip(sites.codes, share * outline.area / 1e6, strict=True)}
    new_of = dict(zip(src.communes_2008["code"], src.communes_2008["new_code"], strict=True))
    result = {}
    for name, keys in (("districts", sites.district),
                       ("communes_2025", np.array([new_of[c] for c in sites.codes]))):
        uniq = sorted(set(keys))
        index = np.array([uniq.index(k) for k in keys])
        cells = cells_to_polygons(np.where(labels >= 0, index[labels], -1), x, y, cell_m)
        units = {uniq[k]: g for k, g in cells.items()}
        units = _fill_holes(_absorb_fragments(units))
        codes = sorted(units)
        simple = shapely.coverage_simplify(np.array([units[c] for c in codes]), simplify_m)
        result[name] = dict(zip(codes, simple, strict=True))
    return DefaultGeometry(result["districts"], result["communes_2025"], areas)


def ascii_name(text: str) -> str:
    """Vietnamese name without diacritics, case kept: ``"Tam Đường"`` → ``"Tam Duong"``
    (:func:`nq05_metrics.units.strip_marks`)."""
    return strip_marks(text)


def _short_district(full: str) -> str:
    """``"Huyện Tam Đường"`` → ``"Tam Đường"``; the city keeps ``"Thành phố Lai Châu"``."""
    return full.removeprefix(str(admin_words()["district_prefix"])).strip()


def _frame(geoms: dict[str, BaseGeometry], names: dict[str, str]) -> gpd.GeoDataFrame:


    codes = sorted(geoms)
    frame = gpd.GeoDataFrame(
        {
            "code": codes,
            "name_vi": [names[c] for c in codes],
            "name_ascii": [ascii_name(names[c]) for c in codes],
            "approximate": True,
        },
        geometry=[geoms[c] for c in codes],
        crs=METRIC_CRS,
    )
    return frame.to_crs("EPSG:4326")


def unit_tables(src: RegistrySource, geom: DefaultGeometry) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``commune_2025`` rows of ``data/units.csv`` and ``data/crosswalk.csv`` (old commune →
    new commune; ``share_of_old`` is 1.0 because no
    Lai Châu commune was split; ``old_area_km2_est``/``share_of_new_est`` are the estimates of
    step 1, not official)."""
    new = src.communes_2025.sort_values("code")
    units = pd.DataFrame(
        {
            "unit_code": new["code"],
            "unit_set": "commune_2025",
            "level": np.where(new["type_vi"] == admin_words()["ward_type"], "ward", "commune"),
            "name_vi": new["name_vi"],
            "name_en": new["name_vi"].map(ascii_name),
            "parent_code": "12",
            "valid_from": "2025-07-01",
            "valid_to": "",
            "aliases": new["full_name_vi"],
        }
    )
    old = src.communes_2008.sort_values("code")
    new_area = dict(zip(new["code"], new["area_km2"], strict=True))
    est = old["code"].map(geom.commune_area_km2)
    est_new = est.groupby(old["new_code"]).transform("sum")
    names = dict(zip(new["code"], new["name_vi"], strict=True))
    cross = pd.DataFrame(
        {
            "old_code": old["code"],
            "old_name_vi": old["name_vi"],
            "old_type_vi": old["type_vi"],
            "old_district_code": old["district_code"],
            "new_code": old["new_code"],
            "new_name_vi": old["new_code"].map(names),
            "share_of_old": 1.0,
            "old_area_km2_est": (est / est_new * old["new_code"].map(new_area)).round(1),
            "share_of_new_est": (est / est_new).round(3),
        }
    )
    return units, cross


def build_default(geo_dir: Path, data_dir: Path | None = None,
                  src: RegistrySource | None = None) -> dict[str, int]:
    """Write the shipped approximate files (atomically) and return ``{file name: bytes}``:
    ``district_2008_2025.approx.geojson``, ``commune_2025.approx.geojson`` and
    ``province.approx.geojson`` into ``geo_dir``; with ``data_dir``, the contract tables of the
    reform too — ``crosswalk.csv`` and the ``commune_2025`` rows of ``units.csv`` (its other rows
    are kept as they are)."""
    from .io import write_geojson, write_text_atomic

    src = src or read_registry_source()
    geom = build_geometry(src)
    geo_dir = Path(geo_dir)
    dnames = {c: _short_district(n) for c, n in zip(src.districts["code"],
                                                    src.districts["full_name_vi"], strict=True)}
    cnames = dict(zip(src.communes_2025["code"], src.communes_2025["name_vi"], strict=True))
    districts = _frame(geom.districts, dnames)
    province = _frame({"12": shapely.coverage_union_all(list(geom.districts.values()))},
                      {"12": str(admin_words()["province_name_vi"])})
    sizes = {
        "district_2008_2025.approx.geojson": write_geojson(
            districts, geo_dir / "district_2008_2025.approx.geojson"),
        "commune_2025.approx.geojson": write_geojson(
            _frame(geom.communes_2025, cnames), geo_dir / "commune_2025.approx.geojson"),
        "province.approx.geojson": write_geojson(province, geo_dir / "province.approx.geojson"),
    }
    if data_dir is None:
        return sizes
    units, cross = unit_tables(src, geom)
    path = Path(data_dir) / "units.csv"
    kept = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    units = pd.concat([kept[kept["unit_set"] != "commune_2025"], units], ignore_index=True)
    for name, table in (("units.csv", units), ("crosswalk.csv", cross)):
        text = table.to_csv(index=False, lineterminator="\n")
        write_text_atomic(Path(data_dir) / name, text)
        sizes[name] = len(text.encode("utf-8"))
    return sizes
