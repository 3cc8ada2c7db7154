"""Import official boundary files: any CRS, any field names → ``geo/{unit_set}.geojson``.

Reads GeoJSON, zipped Shapefile or GeoPackage (via pyogrio), matches features to GSO codes by
code or by name in any common spelling (:mod:`nq05_metrics.units`), repairs invalid geometry,
reprojects to WGS84 (EPSG:4326), simplifies as a coverage in UTM 48N (``shapely.
coverage_simplify``: shared edges simplified once, so no gaps open between neighbours) and writes
atomically. Every problem is a :class:`~nq05_metrics.geo.io.GeoDataError` with a Vietnamese and
an English message; nothing is written unless the whole import succeeds.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from ..i18n import both, t
from ..units import UnitRegistry, build_registry, fold, read_units
from .default import ascii_name
from .io import DEFAULT_UNIT_SET, GeoDataError, write_geojson

METRIC_CRS = "EPSG:32648"
#: VN-2000 → WGS 84 (EPSG:6960, position vector; Circular 973/2001/TT-TCĐC).
VN2000_TOWGS84 = ("-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,"
                  "-0.00427372,0.252906278")
#: Lai Châu's extent in WGS84 degrees, padded by ~0.5°: a layer outside it is in the wrong CRS.
LAI_CHAU_LONLAT = (101.8, 21.2, 104.5, 23.3)
#: CRSs tried when a layer lands outside Lai Châu, to suggest the right one.
CANDIDATE_CRS = ("EPSG:4326", "EPSG:3405", "EPSG:9205", "EPSG:32648", "EPSG:3857", "EPSG:4756")
CODE_HINTS = ("code", "ma", "gso", "id")
NAME_HINTS = ("name", "ten", "tenhuyen", "ten_huyen", "huyen", "district", "xa")


@dataclass
class ImportReport:
    """What an import did: matched ``{code: source label}``, unmatched ``[(label, why)]``,
    missing codes, fields used, CRS read, notes. ``format(lang)`` renders it for a terminal."""

    source: str
    crs: str = ""
    code_field: str | None = None
    name_field: str | None = None
    matched: dict[str, str] = field(default_factory=dict)
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    bytes_written: int = 0

    def format(self, lang: str = "vi") -> str:
        """Multi-line summary in ``vi`` or ``en``."""
        lines = [
            f"{t(lang, 'geo.report_source')}: {self.source} (CRS {self.crs})",
            f"{t(lang, 'geo.report_code_field')}: {self.code_field or '-'}; "
            f"{t(lang, 'geo.report_name_field')}: {self.name_field or '-'}",
            f"{t(lang, 'geo.report_matched')} {len(self.matched)}:",
        ]
        lines += [f"  {code} ← {label}" for code, label in sorted(self.matched.items())]
        if self.unmatched:
            lines.append(f"{t(lang, 'geo.report_unmatched')} {len(self.unmatched)}:")
            lines += [f"  {label}: {why}" for label, why in self.unmatched]
        if self.missing:
            lines.append(f"{t(lang, 'geo.report_missing')}: {', '.join(self.missing)}")
        lines += [f"  * {note}" for note in self.notes]
        return "\n".join(lines)


def read_layer(src: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read GeoJSON, Shapefile (``.shp`` or ``.zip``) or GeoPackage. A zip is read through GDAL's
    ``/vsizip/``; a GeoPackage with several layers needs ``layer`` (else its first is read)."""
    src = Path(src)
    if not src.exists():
        raise GeoDataError(*both("geo.no_file"), src)
    path = f"zip://{src}" if src.suffix.lower() == ".zip" else str(src)
    try:
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several DataSource/Field errors
        raise GeoDataError(*both("geo.unreadable_layer", error=exc), src) from exc


def _in_lai_chau(bounds: np.ndarray) -> bool:
    x0, y0, x1, y1 = LAI_CHAU_LONLAT
    return bool(bounds[0] >= x0 and bounds[2] <= x1 and bounds[1] >= y0 and bounds[3] <= y1)


def _landing_crs(frame: gpd.GeoDataFrame) -> list[str]:
    """Candidate CRSs in which the raw coordinates would land in Lai Châu."""
    hits = []
    for cand in CANDIDATE_CRS:
        try:
            bounds = frame.set_crs(cand, allow_override=True).to_crs("EPSG:4326").total_bounds
        except Exception:  # noqa: BLE001 - a failing candidate is simply not suggested
            continue
        if np.isfinite(bounds).all() and _in_lai_chau(bounds):
            hits.append(cand)
    return hits


def vn2000_bound(crs: CRS) -> CRS | None:
    """A VN-2000 CRS read from an ESRI ``.prj`` loses its datum shift (the datum becomes
    ``"D_Vietnam_2000"`` or ``"D_Unknown_based_on_WGS_84_ellipsoid_using_towgs84_…"``), which
    moves Lai Châu by ~300 m. Returns the CRS bound to the official VN-2000 → WGS84 7-parameter
    shift (:data:`VN2000_TOWGS84`, EPSG:6960) in that case, else None."""
    datum = re.sub(r"[^a-z0-9]", "", str(crs.datum.name if crs.datum else "").lower())
    if not ("vn2000" in datum or "vietnam2000" in datum or "towgs84" in datum):
        return None
    with warnings.catch_warnings():  # PROJ string loses names only; the maths is kept
        warnings.simplefilter("ignore", UserWarning)
        proj = crs.to_proj4() or ""
    if "+towgs84" in proj:
        return None
    base = re.sub(r"\s*\+(datum|towgs84|type)=\S+", "", proj)
    return CRS.from_proj4(f"{base} +towgs84={VN2000_TOWGS84}")


def to_wgs84(frame: gpd.GeoDataFrame, src_crs: str | None, where: Path,
             notes: list[str] | None = None) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326. ``src_crs`` overrides the file's CRS. A missing CRS is accepted
    only when the coordinates are lon/lat in Lai Châu; a result outside Lai Châu is refused with
    a suggestion of the CRS that would fit. A VN-2000 ``.prj`` without its datum shift gets the
    official one (:func:`vn2000_bound`), with a note."""
    if src_crs:
        frame = frame.set_crs(CRS.from_user_input(src_crs), allow_override=True)
    if frame.crs is not None and (bound := vn2000_bound(frame.crs)) is not None:
        frame = frame.set_crs(bound, allow_override=True)
        if notes is not None:
            notes.append(" / ".join(both("geo.vn2000_shift")))
    if frame.crs is None:
        if _in_lai_chau(frame.total_bounds):
            return frame.set_crs("EPSG:4326")
        hint = ", ".join(_landing_crs(frame)) or "?"
        raise GeoDataError(*both("geo.no_crs", hint=hint), where)
    out = frame.to_crs("EPSG:4326")
    bounds = out.total_bounds
    if not (np.isfinite(bounds).all() and _in_lai_chau(bounds)):
        hint = ", ".join(c for c in _landing_crs(frame) if c != frame.crs.to_string()) or "?"
        raise GeoDataError(*both("geo.wrong_crs", crs=frame.crs.name,
                                 bounds=np.round(bounds, 2).tolist(), hint=hint), where)
    return out


def _matcher(registry: UnitRegistry, unit_set: str) -> tuple[UnitRegistry, dict[int, str]]:
    """Registry restricted to one unit set (so a bare ``"Lai Châu"`` is the city, not the
    province) and ``{int(code): code}`` so ``"3388"``, ``3388.0`` and ``"03388"`` all match."""
    units = registry.units.loc[registry.units["unit_set"] == unit_set]
    if units.empty:
        raise GeoDataError(*both("geo.unknown_unit_set", unit_set=unit_set))
    return build_registry(units), {int(c): str(c) for c in units["unit_code"]}


def _code_of(value: object, by_int: dict[int, str]) -> str | None:
    text = str(value).strip()
    try:
        return by_int.get(int(float(text)))
    except ValueError:
        return None


def _name_of(value: object, reg: UnitRegistry) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return reg.lookup.get(fold(str(value)))


def detect_fields(frame: pd.DataFrame, reg: UnitRegistry, by_int: dict[int, str]
                  ) -> tuple[str | None, str | None]:
    """The column whose values match most unit codes, and the one matching most names (ties
    broken by a name hint such as ``ma``/``code`` or ``ten``/``name``)."""
    def best(score: Callable[[object], str | None]) -> str | None:
        scored = []
        for col in frame.columns:
            if col == "geometry":
                continue
            hits = int(frame[col].map(score).notna().sum())
            scored.append((hits, col))
        scored = [s for s in scored if s[0] > 0]
        return max(scored)[1] if scored else None

    code_field = best(lambda v: _code_of(v, by_int))
    name_field = best(lambda v: _name_of(v, reg))
    return code_field, name_field


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Repair with ``make_valid`` and keep only the polygonal parts (None if nothing is left)."""
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and g.area > 0]
    if not parts:
        for sub in shapely.get_parts(geom):
            parts += [g for g in shapely.get_parts(sub) if g.geom_type == "Polygon"]
    return shapely.union_all(parts) if parts else None


def _suggest(label: str, reg: UnitRegistry) -> str:
    close = difflib.get_close_matches(fold(label), list(reg.lookup), n=1, cutoff=0.6)
    return " /".join(both("geo.close_to", name=close[0])) if close else ""


def match_units(frame: gpd.GeoDataFrame, reg: UnitRegistry, by_int: dict[int, str],
                code_field: str | None, name_field: str | None, report: ImportReport
                ) -> gpd.GeoDataFrame:
    """Add a ``code`` column (None where unmatched) and record matches/mismatches in
    ``report``. A code field wins over a name field; the name is the fallback per feature."""
    codes, labels = [], []
    for _, row in frame.iterrows():
        raw_code = row[code_field] if code_field else None
        raw_name = row[name_field] if name_field else None
        label = " / ".join(str(v) for v in (raw_code, raw_name) if v is not None)
        code = _code_of(raw_code, by_int) if code_field else None
        if code is None and name_field:
            code = _name_of(raw_name, reg)
        if code is None:
            why = " / ".join(both("geo.not_in_set"))
            report.unmatched.append((label or "?", why + _suggest(str(raw_name or ""), reg)))
        else:
            report.matched.setdefault(code, label)
        codes.append(code)
        labels.append(label)
    return frame.assign(code=codes, source_label=labels)


def import_boundaries(
    src: Path,
    out: Path,
    registry: UnitRegistry,
    unit_set: str = DEFAULT_UNIT_SET,
    code_field: str | None = None,
    name_field: str | None = None,
    src_crs: str | None = None,
    layer: str | None = None,
    simplify_m: float = 100.0,
    allow_missing: bool = False,
) -> ImportReport:
    """Import ``src`` into ``out`` (GeoJSON, WGS84, properties code/name_vi/name_ascii/
    approximate=false), written atomically. Returns the :class:`ImportReport`; raises
    :class:`GeoDataError` for unreadable files, non-polygon layers, a missing/wrong CRS, unknown
    field names, no match at all, or (unless ``allow_missing``) units of the set missing.

    ``simplify_m``: coverage simplification tolerance in metres (UTM 48N); 0 disables it."""
    src, out = Path(src), Path(out)
    report = ImportReport(source=str(src))
    frame = read_layer(src, layer)
    if frame.empty:
        raise GeoDataError(*both("geo.empty_layer"), src)
    kinds = set(frame.geometry.geom_type.dropna())
    if not kinds & {"Polygon", "MultiPolygon"}:
        raise GeoDataError(*both("geo.not_polygons", kinds=sorted(kinds)), src)
    report.crs = frame.crs.to_string() if frame.crs is not None else "—"
    reg, by_int = _matcher(registry, unit_set)
    for given in (code_field, name_field):
        if given and given not in frame.columns:
            fields = ", ".join(c for c in frame.columns if c != "geometry")
            raise GeoDataError(*both("geo.no_field", field=given, fields=fields), src)
    if not code_field and not name_field:
        code_field, name_field = detect_fields(frame, reg, by_int)
    report.code_field, report.name_field = code_field, name_field
    if not code_field and not name_field:
        fields = ", ".join(c for c in frame.columns if c != "geometry")
        raise GeoDataError(*both("geo.no_unit_field", fields=fields), src)
    frame = match_units(frame, reg, by_int, code_field, name_field, report)
    frame = frame.loc[frame["code"].notna()]
    if frame.empty:
        raise GeoDataError(*both("geo.no_match"), src)
    invalid = int((~frame.geometry.is_valid).sum())
    frame = frame.assign(geometry=frame.geometry.map(_polygonal))
    frame = frame.loc[frame.geometry.notna()]
    frame = to_wgs84(frame, src_crs, src, report.notes)
    if invalid:
        report.notes.append(" / ".join(both("geo.repaired", count=invalid)))
    dup = frame["code"].duplicated(keep=False)
    if dup.any():
        codes = ", ".join(sorted(set(frame.loc[dup, "code"])))
        report.notes.append(" / ".join(both("geo.merged", codes=codes)))
    frame = frame.dissolve(by="code", as_index=False)
    wanted = reg.units["unit_code"].tolist()
    report.missing = [c for c in wanted if c not in set(frame["code"])]
    if report.missing and not allow_missing:
        names = ", ".join(f"{c} {reg.name(c)}" for c in report.missing)
        raise GeoDataError(*both("geo.missing_units", found=len(frame), wanted=len(wanted),
                                 names=names), src)
    frame = simplify_coverage(frame, simplify_m)
    vi_names = dict(zip(reg.units["unit_code"], reg.units["name_vi"], strict=True))
    result = gpd.GeoDataFrame(
        {
            "code": frame["code"].to_numpy(),
            "name_vi": frame["code"].map(vi_names).to_numpy(),
            "name_ascii": frame["code"].map(vi_names).map(ascii_name).to_numpy(),
            "approximate": False,
        },
        geometry=frame.geometry.to_numpy(),
        crs="EPSG:4326",
    ).sort_values("code")
    report.bytes_written = write_geojson(result, out, precision=6 if simplify_m < 20 else 5)
    return report


def simplify_coverage(frame: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """Simplify polygons in UTM 48N with ``shapely.coverage_simplify`` (each shared edge once,
    so neighbours stay gap- and overlap-free); returns EPSG:4326."""
    if tolerance_m <= 0:
        return frame
    metric = frame.to_crs(METRIC_CRS)
    simple = shapely.coverage_simplify(metric.geometry.to_numpy(), tolerance_m)
    return metric.set_geometry(simple).to_crs("EPSG:4326")


def registry_for(unit_set: str, data_dir: Path, geo_dir: Path) -> UnitRegistry:
    """Units of ``data_dir/units.csv`` (every unit set: the former districts and the 2025
    communes); ``unit_set`` and ``geo_dir`` are kept for callers that name them."""
    del unit_set, geo_dir
    return read_units(Path(data_dir) / "units.csv")
