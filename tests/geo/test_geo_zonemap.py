"""Zones placed on the units reporting a year: districts to 2025, communes through the crosswalk."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nq05_metrics.geo.zonemap import HIGHLIGHT_RGBA, OTHER_RGBA, zone_fill, zone_map, zone_tip
from nq05_metrics.loader import Dataset, load_dataset

ROOT = Path(__file__).resolve().parents[2]
ZONE_DISTRICTS = {"106", "109", "110", "111"}  # Tam Đường, Phong Thổ, Than Uyên, Tân Uyên


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(ROOT / "data")


def test_to_2025_the_zones_count_for_their_former_districts(ds: Dataset) -> None:
    zmap = zone_map(ds.zones, "passion_fruit", 2025, ds.units, ds.crosswalk)
    assert set(zmap.areas["unit_code"]) == ZONE_DISTRICTS == set(zmap.highlighted)
    assert zmap.area_of("110") == 85.0  # Mường Kim 55 + Tà Hừa 30
    assert zmap.areas["area_ha"].sum() == zmap.total_ha == 295.0
    assert zmap.unplaced.empty


def test_from_2026_each_former_commune_lands_on_its_new_commune(ds: Dataset) -> None:
    zmap = zone_map(ds.zones, "passion_fruit", 2026, ds.units, ds.crosswalk)
    reporting = set(ds.units.reporting(2026))
    assert set(zmap.areas["unit_code"]) <= reporting
    assert zmap.area_of("03637") == 85.0  # Mường Kim and Tà Hừa both went into Mường Kim
    assert zmap.area_of("03390") == 80.0  # Bình Lư and Sơn Bình into Bình Lư
    assert zmap.areas["area_ha"].sum() == pytest.approx(295.0)  # the same total as 2025
    # the territory: every successor commune of the four former districts, zones or not
    territory = set(ds.crosswalk.loc[ds.crosswalk["old_district_code"].isin(ZONE_DISTRICTS),
                                     "new_code"])
    assert set(zmap.highlighted) == territory
    assert len(territory) > len(zmap.areas)
    empty = next(c for c in zmap.highlighted if zmap.area_of(c) is None)
    assert zone_fill(zmap, empty) == HIGHLIGHT_RGBA
    outside = next(c for c in reporting if c not in territory)
    assert zone_fill(zmap, outside) == OTHER_RGBA
    assert zone_fill(zmap, "03637") not in (HIGHLIGHT_RGBA, OTHER_RGBA)


def test_names_match_without_accents_and_an_unknown_commune_is_reported(ds: Dataset) -> None:
    zones = ds.zones.copy()
    zones.loc[zones["zone_id"] == "Z003", "commune"] = "muong kim"  # folded, still matches
    zones.loc[zones["zone_id"] == "Z004", "commune"] = "Tà Hừa Mới"  # not in the crosswalk
    zmap = zone_map(zones, "passion_fruit", 2026, ds.units, ds.crosswalk)
    assert zmap.area_of("03637") == 55.0
    assert zmap.unplaced[["zone_id", "reason"]].to_dict("records") == [
        {"zone_id": "Z004", "reason": "no_crosswalk"}]
    assert zmap.areas["area_ha"].sum() + 30.0 == pytest.approx(zmap.total_ha)


def test_a_split_former_commune_is_apportioned_by_its_shares(ds: Dataset) -> None:
    cw = ds.crosswalk.copy()
    row = cw.loc[cw["old_name_vi"] == "Tà Hừa"].iloc[0]
    cw.loc[row.name, "share_of_old"] = 0.6
    other = row.copy()
    other["new_code"], other["share_of_old"] = "03595", 0.4  # Than Uyên commune
    cw = pd.concat([cw, other.to_frame().T], ignore_index=True)
    zmap = zone_map(ds.zones, "passion_fruit", 2026, ds.units, cw)
    assert zmap.area_of("03637") == pytest.approx(55 + 0.6 * 30)
    assert zmap.area_of("03595") == pytest.approx(0.4 * 30)
    assert zmap.areas["area_ha"].sum() == pytest.approx(295.0)


def test_tooltip_is_plain_text_with_area_enterprise_and_quality(ds: Dataset) -> None:
    zmap = zone_map(ds.zones, "passion_fruit", 2026, ds.units, ds.crosswalk)
    tip = zone_tip(zmap, "03637", "Mường Kim", "chanh leo", "vi",
                   {"illustrative": "Minh họa"})
    assert tip.splitlines() == ["Mường Kim", "Vùng chanh leo: 85 ha",
                                "Liên kết: Có liên kết tiêu thụ (minh họa)", "Minh họa"]
    assert "<" not in tip
