"""Import of official boundary files: CRSs, field layouts, formats and failure cases."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from nq05_metrics.geo import GeoDataError, load_boundaries
from nq05_metrics.geo.cli import add_geo_parser
from nq05_metrics.geo.importer import import_boundaries, registry_for

REPO = Path(__file__).resolve().parents[2]
GEO = REPO / "geo"
SHARED_GEO = Path(__file__).resolve().parents[2].parent / "shared" / "geo"
TM3_103 = ("+proj=tmerc +lat_0=0 +lon_0=103 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
           "+towgs84=-191.90441,-39.30318,-111.45033,-0.00928836,0.01975479,-0.00427372,"
           "0.252906278 +units=m +no_defs")


@pytest.fixture(scope="module")
def registry():
    return registry_for("district_2008_2025", REPO / "data", GEO)


@pytest.fixture(scope="module")
def source() -> gpd.GeoDataFrame:
    return load_boundaries(GEO)


def _min_iou(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> float:
    a = a.to_crs("EPSG:32648").set_index("code").geometry
    b = b.to_crs("EPSG:32648").set_index("code").geometry
    return min(a[c].intersection(b[c]).area / a[c].union(b[c]).area for c in b.index)


def _upper_ascii(frame):
    return frame.assign(TEN_HUYEN=frame["name_ascii"].str.upper())[["TEN_HUYEN", "geometry"]]


def _huyen(frame):
    names = ["Thành phố Lai Châu" if c == "105" else f"Huyện {n}"
             for c, n in zip(frame["code"], frame["name_vi"], strict=True)]
    return frame.assign(Ten=names)[["Ten", "geometry"]]


def _codes_only(frame):
    return frame.assign(MaHuyen=frame["code"].astype(int))[["MaHuyen", "geometry"]]


def _odd(frame):
    names = [("TP. " if c == "105" else "H. ") + n.replace("Thành phố ", "")
             for c, n in zip(frame["code"], frame["name_vi"], strict=True)]
    return frame.assign(fld_x=[f"0{c}" for c in frame["code"]], dvhc=names)[
        ["dvhc", "fld_x", "geometry"]]


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3405", TM3_103, "EPSG:9205", "EPSG:3857"])
@pytest.mark.parametrize("layout", [_upper_ascii, _huyen, _codes_only, _odd])
def test_round_trip(tmp_path, registry, source, crs, layout):
    # GeoJSON keeps only EPSG CRSs; a custom PROJ CRS travels in a GeoPackage
    src = tmp_path / ("in.gpkg" if crs == TM3_103 else "in.geojson")
    layout(source).to_crs(crs).to_file(src)
    report = import_boundaries(src, tmp_path / "out.geojson", registry, simplify_m=0)
    assert sorted(report.matched) == sorted(source["code"]) and not report.missing
    assert _min_iou(gpd.read_file(tmp_path / "out.geojson"), source) > 0.999


def test_zipped_shapefile_in_tm3(tmp_path, registry, source):
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    _huyen(source).to_crs(TM3_103).to_file(shp_dir / "ranhgioi.shp", encoding="utf-8")
    archive = tmp_path / "ranhgioi.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in shp_dir.iterdir():
            zf.write(f, f.name)
    report = import_boundaries(archive, tmp_path / "out.geojson", registry)
    assert len(report.matched) == 8 and report.name_field == "Ten"
    assert _min_iou(gpd.read_file(tmp_path / "out.geojson"), source) > 0.97


def test_geopackage_with_explicit_fields_and_extra_feature(tmp_path, registry, source):
    frame = _odd(source).to_crs("EPSG:3405")
    extra = frame.iloc[[0]].assign(dvhc="Huyện Điện Biên Đông", fld_x="999")
    extra["geometry"] = extra.translate(200_000, 0)
    gpkg = tmp_path / "ranhgioi.gpkg"
    gpd.pd.concat([frame, extra]).to_file(gpkg, layer="huyen")
    report = import_boundaries(gpkg, tmp_path / "out.geojson", registry, name_field="dvhc",
                               code_field="fld_x", src_crs=None)
    assert len(report.matched) == 8 and len(report.unmatched) == 1
    assert "Điện Biên" in report.format("en")


@pytest.mark.skipif(not SHARED_GEO.is_dir(), reason=f"real boundaries absent: {SHARED_GEO}")
def test_official_vn2000_file_imports_within_iou_099(tmp_path, registry):
    real = gpd.read_file(SHARED_GEO / "lai_chau_districts_2008_2025.geojson")
    src = tmp_path / "official.gpkg"
    real.assign(TEN=real["name_ascii"].str.upper(), MA_DVHC=real["code"])[
        ["TEN", "MA_DVHC", "geometry"]].to_crs("EPSG:3405").to_file(src)
    report = import_boundaries(src, tmp_path / "out.geojson", registry)
    out = gpd.read_file(tmp_path / "out.geojson")
    assert report.code_field == "MA_DVHC"
    assert _min_iou(out, real) >= 0.99
    assert shapely.coverage_is_valid(out.to_crs("EPSG:32648").geometry.to_numpy(), 1.0)
    assert (tmp_path / "out.geojson").stat().st_size <= 100 * 1024


def test_geojson_in_custom_tm3_is_caught_and_fixed_with_src_crs(tmp_path, registry, source):
    src = tmp_path / "tm3.geojson"  # GDAL drops a non-EPSG CRS from GeoJSON: reads as WGS84
    _huyen(source).to_crs(TM3_103).to_file(src)
    with pytest.raises(GeoDataError) as err:
        import_boundaries(src, tmp_path / "out.geojson", registry)
    assert "EPSG:9205" in err.value.what_en and "CRS sai" in err.value.what_vi
    report = import_boundaries(src, tmp_path / "out.geojson", registry, src_crs="EPSG:9205")
    assert len(report.matched) == 8
    assert _min_iou(gpd.read_file(tmp_path / "out.geojson"), source) > 0.97


@pytest.mark.filterwarnings("ignore:.crs. was not provided")
def test_missing_crs_is_refused_with_a_hint(tmp_path, registry, source):
    src = tmp_path / "nocrs.shp"
    _huyen(source).to_crs("EPSG:3405").set_crs(None, allow_override=True).to_file(src)
    with pytest.raises(GeoDataError) as err:
        import_boundaries(src, tmp_path / "out.geojson", registry)
    assert "--src-crs" in err.value.what_en and "EPSG:3405" in err.value.what_vi
    report = import_boundaries(src, tmp_path / "out.geojson", registry, src_crs="EPSG:3405")
    assert len(report.matched) == 8


def test_wrong_crs_is_refused(tmp_path, registry, source):
    src = tmp_path / "wrong.gpkg"
    _huyen(source).to_crs(TM3_103).set_crs("EPSG:3405", allow_override=True).to_file(src)
    with pytest.raises(GeoDataError, match="CRS"):
        import_boundaries(src, tmp_path / "out.geojson", registry)
    assert not (tmp_path / "out.geojson").exists()


def test_partial_file_is_refused_and_nothing_is_written(tmp_path, registry, source):
    out = tmp_path / "out.geojson"
    out.write_text("previous", encoding="utf-8")
    src = tmp_path / "five.geojson"
    _huyen(source).iloc[:5].to_file(src)
    with pytest.raises(GeoDataError) as err:
        import_boundaries(src, out, registry)
    assert "5 of 8" in err.value.what_en and "5/8" in err.value.what_vi
    assert "Nậm Nhùn" in err.value.what_en
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    report = import_boundaries(src, out, registry, allow_missing=True)
    assert len(report.missing) == 3


def test_point_layer_is_refused(tmp_path, registry, source):
    src = tmp_path / "points.geojson"
    _huyen(source).set_geometry(source.representative_point()).to_file(src)
    with pytest.raises(GeoDataError) as err:
        import_boundaries(src, tmp_path / "out.geojson", registry)
    assert "Point" in err.value.what_en and "vùng" in err.value.what_vi


def test_unknown_fields_and_unmatched_names(tmp_path, registry, source):
    src = tmp_path / "x.geojson"
    source.assign(foo=["x"] * 8)[["foo", "geometry"]].to_file(src)
    with pytest.raises(GeoDataError, match="--code-field"):
        import_boundaries(src, tmp_path / "out.geojson", registry)
    with pytest.raises(GeoDataError, match="no field 'TEN'"):
        import_boundaries(src, tmp_path / "out.geojson", registry, name_field="TEN")


def test_invalid_geometry_is_repaired(tmp_path, registry, source):
    bowtie = shapely.Polygon([(103.40, 22.38), (103.46, 22.42), (103.46, 22.38),
                              (103.40, 22.42)])
    frame = _huyen(source)
    frame.loc[frame.index[0], "geometry"] = bowtie
    src = tmp_path / "bad.geojson"
    frame.to_file(src)
    report = import_boundaries(src, tmp_path / "out.geojson", registry, simplify_m=0)
    assert any("repaired" in n for n in report.notes)
    assert gpd.read_file(tmp_path / "out.geojson").is_valid.all()


def test_cli_import(tmp_path, source, capsys, monkeypatch):
    import argparse

    monkeypatch.chdir(REPO)
    src = tmp_path / "in.geojson"
    _upper_ascii(source).to_crs("EPSG:3405").to_file(src)
    from nq05_metrics.cli import add_global_options

    parser = argparse.ArgumentParser()
    add_geo_parser(parser.add_subparsers(dest="command"))
    add_global_options(parser)  # --lang, --geo-dir, --data-dir before or after the sub-command
    args = parser.parse_args(["geo", "import", str(src), "-o", str(tmp_path / "o.geojson"),
                              "--lang", "en"])
    assert args.func(args) == 0
    assert "Matched 8" in capsys.readouterr().out
    args = parser.parse_args(["geo", "import", str(tmp_path / "nope.zip")])
    assert args.func(args) == 1
    err = capsys.readouterr().err
    assert "Lỗi" in err and "Error" in err
