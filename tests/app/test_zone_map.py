"""The commodity page's zone map: a pydeck chart and its text table, to 2025 and from 2026."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from app_helpers import copy_data, run_app


@pytest.mark.parametrize(("year", "units"), [("2025", {"Than Uyên", "Tân Uyên", "Tam Đường",
                                                       "Phong Thổ"}),
                                             ("2026", {"Mường Kim", "Bình Lư", "Khổng Lào"})])
def test_commodity_page_draws_the_zone_map_and_its_table(year: str, units: set[str]) -> None:
    at = run_app("commodity", {"commodity": "passion_fruit", "year": year})
    assert not at.exception
    decks = [json.loads(el.proto.json) for el in at.get("deck_gl_json_chart")]
    assert decks, "no pydeck chart on the commodity page"
    layer = next(x for x in decks[0]["layers"] if x["id"] == "districts")
    tips = " ".join(f["properties"]["tip"] for f in layer["data"]["features"])
    assert "ha" in tips and "Có liên kết tiêu thụ (minh họa)" in tips
    table = at.dataframe[0].value  # the zone units table comes before the zones list
    names = set(table.iloc[:, 0])
    assert units <= names
    assert table.iloc[:, 1].sum() == pytest.approx(295.0)  # every passion fruit zone, placed
    assert not [w for w in at.warning if "Không đặt được" in w.value]


def test_a_zone_whose_commune_is_not_in_the_crosswalk_is_named_on_the_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = copy_data(tmp_path)
    zones = data / "zones.csv"
    zones.write_text(zones.read_text(encoding="utf-8").replace("Z004,passion_fruit,110,Tà Hừa",
                                                               "Z004,passion_fruit,110,Tà Hừa Mới"),
                     encoding="utf-8")
    monkeypatch.setenv("NQ05_DATA_DIR", str(data))
    at = run_app("commodity", {"commodity": "passion_fruit", "year": "2026"})
    assert not at.exception
    warning = next(w.value for w in at.warning if "Không đặt được" in w.value)
    assert "Z004" in warning and "Tà Hừa Mới" in warning and "crosswalk" in warning
    assert at.dataframe[0].value.iloc[:, 1].sum() == pytest.approx(265.0)


@pytest.mark.parametrize("year", ["2025", "2026"])
def test_the_map_page_sends_at_most_100_kb_for_both_layouts(year: str) -> None:
    """A phone receives the wide and the narrow deck (CSS shows one): together ≤ 100 KB at 38
    communes, every unit still drawn and clickable, the narrow one with fewer vertices."""
    at = run_app("map", {"year": year})
    assert not at.exception
    specs = [el.proto.json for el in at.get("deck_gl_json_chart")]
    assert len(specs) == 2 and sum(len(s.encode()) for s in specs) <= 100_000
    wide, narrow = ({x["id"]: x for x in json.loads(s)["layers"]}["districts"] for s in specs)
    assert len(wide["data"]["features"]) == len(narrow["data"]["features"]) == (
        8 if year == "2025" else 38)
    assert all(set(f["properties"]) == {"code", "tip", "fill_color"}
               for f in narrow["data"]["features"])
    vertices = [json.dumps(layer["data"], separators=(",", ":")).count("],[") for layer in (wide, narrow)]
    assert vertices[1] < vertices[0]
