"""Read Lai Châu's administrative units from the MIT-licensed ``vietnamadminunits`` package.

The package (https://github.com/tranngocminhhieu/vietnamadminunits, MIT, © 2025 Tran Ngoc Minh
Hieu) ships ``data/dataset.db`` (SQLite) with, per unit, names, GSO codes, a centroid and — for
the pre-2025 units — a bounding box ``"lat,lon – lat,lon"`` (WGS84 degrees), plus
``data/converter_2025.json`` mapping every pre-2025 commune to its post-2025 commune. For the 38
post-2025 communes it gives the official area in km² (``wardAreaKm2``). No geometry other than
points and boxes is used.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..units import admin_words

PROVINCE_CODE = "12"
PROVINCE_KEY = "tinhlaichau"
PACKAGE = "vietnamadminunits"


def _type_suffix() -> str:
    """Regex of the bracketed type word after a former commune's short name: ``" (Xã)"``."""
    suffixes = admin_words()["commune_type_suffixes"]
    words = "|".join(str(w) for w in suffixes) if isinstance(suffixes, list) else str(suffixes)
    return rf"\s*\(({words})\)$"


@dataclass(frozen=True)
class RegistrySource:
    """Lai Châu rows of the package, as tidy frames (WGS84 lon/lat degrees, codes as text).

    ``communes_2008``: code, name_vi, type_vi, district_code, lon, lat, bbox (min_lon, min_lat,
    max_lon, max_lat), new_code. ``districts``: code, name_vi, type_vi, lon, lat, bbox.
    ``communes_2025``: code, name_vi, type_vi, lon, lat, area_km2. ``province_bbox``: 4-tuple.
    ``version``: the package version (for attribution)."""

    communes_2008: pd.DataFrame
    districts: pd.DataFrame
    communes_2025: pd.DataFrame
    province_bbox: tuple[float, float, float, float]
    version: str


def parse_bounds(text: str) -> tuple[float, float, float, float]:
    """``"22.38,103.42 – 22.41,103.45"`` (lat,lon – lat,lon) → ``(min_lon, min_lat, max_lon,
    max_lat)`` in degrees."""
    first, second = (part.strip() for part in str(text).replace("–", "|").split("|"))
    lat1, lon1 = (float(v) for v in first.split(","))
    lat2, lon2 = (float(v) for v in second.split(","))
    return (min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2))


def package_dir() -> Path:
    """Directory of the installed ``vietnamadminunits`` package. It is a development
    requirement (``requirements-dev.txt``), needed only to rebuild the default boundaries and
    data; absent, this raises ImportError saying so, in both languages."""
    try:
        import vietnamadminunits
    except ImportError as exc:
        from ..i18n import both

        raise ImportError(" / ".join(both("cli.needs_dev_package", package=PACKAGE))) from exc

    return Path(vietnamadminunits.__file__).resolve().parent


def package_version() -> str:
    """Installed version of ``vietnamadminunits`` (``"unknown"`` if metadata is missing)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return "unknown"


def _query(db: Path, sql: str) -> pd.DataFrame:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return pd.read_sql_query(sql, conn)


def read_registry_source(root: Path | None = None) -> RegistrySource:
    """Read the Lai Châu units from the package data in ``root`` (default: installed package)."""
    root = root or package_dir()
    db = root / "data" / "dataset.db"
    legacy = _query(
        db,
        "SELECT districtCode, district, districtType, districtLat, districtLon, districtBounds, "
        "districtKey, ward, wardShort, wardType, wardCode, wardLat, wardLon, wardBounds, wardKey, "
        f"provinceBounds FROM admin_units_legacy WHERE provinceCode = '{PROVINCE_CODE}'",
    )
    current = _query(
        db,
        "SELECT wardCode, ward, wardShort, wardType, wardLat, wardLon, wardAreaKm2, wardKey "
        f"FROM admin_units WHERE provinceCode = '{PROVINCE_CODE}'",
    )
    converter = json.loads((root / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    mapping = converter["DICT_PROVINCE_WARD_NO_DIVIDED"][PROVINCE_KEY]
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"].get(PROVINCE_KEY, {})
    if divided:  # not the case in 1.0.4; a split commune would need area shares
        raise ValueError(f"{PACKAGE}: divided communes in Lai Chau are not supported: {divided}")
    old_to_new_key = {old: new for new, olds in mapping.items() for old in olds}
    new_code_by_key = dict(zip(current["wardKey"], current["wardCode"], strict=True))
    full_key = PROVINCE_KEY + "_" + legacy["districtKey"] + "_" + legacy["wardKey"]
    new_key = full_key.map(old_to_new_key)
    if new_key.isna().any():
        missing = ", ".join(legacy.loc[new_key.isna(), "ward"])
        raise ValueError(f"{PACKAGE}: no 2025 commune for: {missing}")

    communes_2008 = pd.DataFrame(
        {
            "code": legacy["wardCode"],
            "name_vi": legacy["wardShort"].str.replace(_type_suffix(), "", regex=True),
            "full_name_vi": legacy["ward"],
            "type_vi": legacy["wardType"],
            "district_code": legacy["districtCode"],
            "lon": legacy["wardLon"],
            "lat": legacy["wardLat"],
            "bbox": legacy["wardBounds"].map(parse_bounds),
            "new_code": new_key.map(new_code_by_key),
        }
    )
    districts = (
        legacy.drop_duplicates("districtCode")
        .rename(columns={"districtCode": "code", "district": "full_name_vi"})
        .assign(
            type_vi=lambda f: f["districtType"],
            lon=lambda f: f["districtLon"],
            lat=lambda f: f["districtLat"],
            bbox=lambda f: f["districtBounds"].map(parse_bounds),
        )[["code", "full_name_vi", "type_vi", "lon", "lat", "bbox"]]
        .reset_index(drop=True)
    )
    communes_2025 = pd.DataFrame(
        {
            "code": current["wardCode"],
            "name_vi": current["wardShort"],
            "full_name_vi": current["ward"],
            "type_vi": current["wardType"],
            "lon": current["wardLon"],
            "lat": current["wardLat"],
            "area_km2": current["wardAreaKm2"].astype(float),
        }
    )
    return RegistrySource(
        communes_2008=communes_2008,
        districts=districts,
        communes_2025=communes_2025,
        province_bbox=parse_bounds(legacy["provinceBounds"].iloc[0]),
        version=package_version(),
    )
