"""The commodity zones of the default dataset (``data/zones.csv``), written by
``scripts/build_default_data.py``: zones by commune with area, year and linkage (illustrative
except the Nậm Tăm pineapple pilot), placed at the commune's centroid from the MIT-licensed
``vietnamadminunits`` package (approximate).
"""

from __future__ import annotations

import sqlite3

from build_default_data import DATA, ILL, ILL_SOURCE, SRC, _fmt

# Commodity zones: (commodity, district code, commune, area_ha, year, linked enterprise?)
ZONES = [
    ("passion_fruit", "106", "Bình Lư", 45, 2023, True), ("passion_fruit", "106", "Sơn Bình", 35, 2023, True),
    ("passion_fruit", "110", "Mường Kim", 55, 2023, True), ("passion_fruit", "110", "Tà Hừa", 30, 2023, False),
    ("passion_fruit", "111", "Trung Đồng", 40, 2023, True), ("passion_fruit", "111", "Phúc Khoa", 30, 2023, False),
    ("passion_fruit", "109", "Mường So", 35, 2023, True), ("passion_fruit", "109", "Khổng Lào", 25, 2023, False),
    ("sweet_corn", "110", "Mường Than", 60, 2023, True), ("sweet_corn", "110", "Phúc Than", 50, 2023, True),
    ("sweet_corn", "111", "Pắc Ta", 55, 2023, True), ("sweet_corn", "111", "Thân Thuộc", 45, 2023, False),
    ("sweet_corn", "106", "Bản Bo", 45, 2023, True), ("sweet_corn", "106", "Nà Tăm", 35, 2023, False),
    ("sweet_corn", "109", "Hoang Thèn", 40, 2023, True), ("sweet_corn", "109", "Bản Lang", 30, 2023, False),
    ("macadamia", "110", "Mường Mít", 900, 2023, True), ("macadamia", "110", "Pha Mu", 700, 2023, False),
    ("macadamia", "111", "Mường Khoa", 800, 2023, True), ("macadamia", "111", "Nậm Sỏ", 600, 2023, False),
    ("macadamia", "106", "Bản Giang", 500, 2023, True), ("macadamia", "106", "Khun Há", 400, 2023, False),
    ("tea", "106", "Bản Hon", 900, 2023, True), ("tea", "111", "Thân Thuộc", 1200, 2023, True),
    ("tea", "108", "Tả Phìn", 350, 2023, False),
    ("rice", "110", "Mường Cang", 600, 2023, True), ("rice", "111", "Nậm Cần", 350, 2023, False),
    ("pineapple", "108", "Nậm Tăm", 10, 2022, False),
    ("cage_fish", "110", "Mường Kim", 3, 2023, True), ("cage_fish", "112", "Nậm Hàng", 2, 2023, False),
]


def _centroids() -> dict[tuple[str, str], tuple[float, float]]:
    """(district code, commune short name) → (lon, lat) from vietnamadminunits (MIT)."""
    import sys

    if str(DATA.parent) not in sys.path:  # run as a script from any folder
        sys.path.insert(0, str(DATA.parent))
    from nq05_metrics.geo.source import package_dir  # ImportError with the fix when absent

    db = package_dir() / "data" / "dataset.db"
    with sqlite3.connect(db) as con:
        rows = con.execute("select districtCode, wardShort, wardLon, wardLat from "
                           "admin_units_legacy where provinceCode='12'").fetchall()
    return {(str(d), str(w)): (float(lon), float(lat)) for d, w, lon, lat in rows}


def zone_rows() -> list[dict[str, str]]:
    """Rows of ``zones.csv``; coordinates are commune centroids (approximate)."""
    cents = _centroids()
    rows = []
    for i, (commodity, code, commune, area, year, linked) in enumerate(ZONES, start=1):
        lon, lat = cents[(code, commune)]
        rows.append({"zone_id": f"Z{i:03d}", "commodity": commodity, "unit_code": code,
                     "commune": commune, "area_ha": _fmt(area) if area else "", "year": str(year),
                     "lon": f"{lon:.4f}", "lat": f"{lat:.4f}",
                     "linked_enterprise": "Có liên kết tiêu thụ (minh họa)" if linked else "",
                     "quality": "news" if commodity == "pineapple" else ILL,
                     "source": SRC["dantoc_2022"] if commodity == "pineapple" else ILL_SOURCE,
                     "note": "Tọa độ là tâm xã (gần đúng)"})
    return rows
