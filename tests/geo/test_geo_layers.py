"""Map-ready layers: plain data a pydeck map can take directly."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pydeck as pdk
import pytest

from nq05_metrics.geo import load_boundaries, map_layers, zones_as_of
from nq05_metrics.geo.layers import NO_DATA_RGBA, as_value_map, ramp_color

GEO = Path(__file__).resolve().parents[2] / "geo"


@pytest.fixture(scope="module")
def boundaries():
    return load_boundaries(GEO)


def _zones() -> pd.DataFrame:
    return pd.DataFrame({
        "zone_id": ["z1", "z1", "z2", "z3"], "commodity": ["passion_fruit"] * 3 + ["tea"],
        "unit_code": ["110", "110", "111", "106"], "commune": ["Mường Kim"] * 2 + ["Tân Uyên",
                                                                                "Bản Bo"],
        "area_ha": [100.0, 400.0, 50.0, 30.0], "year": [2021, 2023, 2024, 2022],
        "lon": [103.8, 103.8, 103.75, 103.69], "lat": [21.88, 21.88, 22.14, 22.28],
        "linked_enterprise": ["", "Nafoods", "", ""], "quality": ["illustrative"] * 4,
        "source": [""] * 4, "note": [""] * 4,
    })


@pytest.mark.parametrize("values", [
    {"110": 40.0, "111": 80.0},
    pd.DataFrame({"unit_code": ["110", "111"], "value": [40.0, 80.0]}),
])
def test_district_fill_from_mapping_or_frame(boundaries, values):
    layers = map_layers(boundaries, values)
    props = {f["properties"]["code"]: f["properties"] for f in layers.districts["features"]}
    assert props["110"]["value"] == 40.0 and props["105"]["value"] is None
    assert props["105"]["fill_color"] == NO_DATA_RGBA
    assert props["110"]["fill_color"] != props["111"]["fill_color"]
    assert layers.value_range == (40.0, 80.0) and layers.approximate
    assert set(layers.labels["text"]) >= {"Than Uyên", "Tân Uyên"}
    json.dumps(layers.districts)
    json.dumps(layers.outline)


def test_zones_as_of_year_keeps_latest_record():
    z = zones_as_of(_zones(), "passion_fruit", 2023)
    assert sorted(z["zone_id"]) == ["z1"] and z.loc[0, "area_ha"] == 400.0
    assert len(zones_as_of(_zones(), None, None)) == 4
    assert zones_as_of(pd.DataFrame(), "tea", 2025).empty


def test_layers_feed_pydeck(boundaries):
    layers = map_layers(boundaries, {"110": 1.0}, _zones(), "passion_fruit", 2025,
                        color_for=lambda v: [255, 0, 0, 255] if v else [0, 0, 0, 0])
    assert len(layers.zone_points) == 2
    assert layers.zone_points["radius_m"].max() == pytest.approx(4000.0)
    deck = pdk.Deck(
        layers=[
            pdk.Layer("GeoJsonLayer", layers.districts, get_fill_color="properties.fill_color",
                      pickable=True),
            pdk.Layer("ScatterplotLayer", layers.zone_points, get_position=["lon", "lat"],
                      get_radius="radius_m"),
            pdk.Layer("TextLayer", layers.labels, get_position=["lon", "lat"],
                      get_text="text", character_set="auto"),
        ],
        initial_view_state=pdk.ViewState(**layers.view),
        map_style=None,
    )
    assert "Than Uy" in deck.to_json()


def test_ramp_and_value_map():
    assert ramp_color(None, 0, 1) == NO_DATA_RGBA
    assert ramp_color(0, 0, 10)[:3] != ramp_color(10, 0, 10)[:3]
    assert as_value_map({"110": float("nan"), 111: 2}) == {"111": 2.0}


def test_a_simplified_coverage_keeps_its_units_valid_and_touching() -> None:
    """Two squares sharing a jagged edge: simplified by 2 km the edge becomes straight in both
    (fewer vertices), both stay valid polygons and no gap opens between them."""
    import shapely

    from nq05_metrics.geo.layers import metres_per_pixel, simplified_collection

    jag = [(103.0, 22.0 + i * 0.01) for i in range(11)]
    jag = [(x + (0.002 if i % 2 else 0.0), y) for i, (x, y) in enumerate(jag)]
    left = shapely.Polygon([(102.9, 22.0), *jag, (102.9, 22.1)])
    right = shapely.Polygon([(103.1, 22.0), (103.1, 22.1), *reversed(jag)])
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c}, "geometry": json.loads(shapely.to_geojson(g))}
        for c, g in (("a", left), ("b", right))]}
    out = simplified_collection(collection, 2_000)
    shapes = [shapely.from_geojson(json.dumps(f["geometry"])) for f in out["features"]]
    assert [f["properties"]["code"] for f in out["features"]] == ["a", "b"]
    assert all(s.is_valid for s in shapes)
    assert sum(shapely.get_num_coordinates(s) for s in shapes) < (
        shapely.get_num_coordinates(left) + shapely.get_num_coordinates(right))
    assert shapely.union_all(shapes).area == pytest.approx(left.union(right).area, rel=0.01)
    assert shapes[0].intersection(shapes[1]).length > 0.09  # still one shared edge
    assert simplified_collection(collection, 0) == collection
    assert metres_per_pixel(0.0, 0.0) == pytest.approx(40_075_016 / 512, rel=1e-4)


def test_every_unit_set_in_the_folder_is_loaded_and_a_broken_later_one_left_out(tmp_path) -> None:  # noqa: ANN001
    """The map draws the set of the year's units: each ``{set}[.approx].geojson`` of the folder
    is a layer — not the province outline, not ``zones.geojson``; a broken later set is left
    out (its years then say the polygons are missing), a broken district layer is an error."""
    import shutil

    from nq05_metrics.geo.io import GeoDataError, load_unit_layers, unit_set_names

    shipped = Path(__file__).resolve().parents[2] / "geo"
    for f in shipped.glob("*.geojson"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "zones.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    (tmp_path / "commune_2030.geojson").write_text("not json")
    assert unit_set_names(tmp_path) == ["commune_2025", "commune_2030", "district_2008_2025"]
    layers = load_unit_layers(tmp_path)
    assert sorted(layers) == ["commune_2025", "district_2008_2025"]
    assert len(layers["commune_2025"]) == 38 and len(layers["district_2008_2025"]) == 8
    (tmp_path / "district_2008_2025.approx.geojson").write_text("not json")
    with pytest.raises(GeoDataError):
        load_unit_layers(tmp_path)
