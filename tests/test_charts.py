"""Chart builders: valid Vega-Lite / SVG, the cues they promise, number formats."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from nq05_metrics import charts

BANDS = pd.DataFrame({
    "band_id": ["achieved", "over_half", "low", "no_data"],
    "min_pct": [100, 50, 0, None], "max_pct": [None, 100, 50, None],
    "color": ["#1a9850", "#4575b4", "#d73027", "#969696"],
    "symbol": ["✔", "◐", "▼", "?"], "label_vi": ["Đạt và vượt", "Đạt trên 50%", "Đạt thấp", "Chưa có"],
    "label_en": ["Met", "Over half", "Low", "No data"], "order": [1, 2, 3, 4],
})
SVG = "{http://www.w3.org/2000/svg}"


def _series() -> pd.DataFrame:
    return pd.DataFrame({
        "year": [2020, 2021, 2022, 2020, 2025, 2022, 2025, 2030],
        "value": [10.0, 20.0, 30.0, 10.0, 100.0, 30.0, 45.0, 95.0],
        "series": ["observed"] * 3 + ["schedule"] * 2 + ["projection"] * 3,
        "quality": ["official", "reported", "illustrative", "", "", "", "", ""],
    })


def _rows() -> pd.DataFrame:
    return pd.DataFrame({
        "unit_code": ["110", "111", "107"], "unit_name_vi": ["Than Uyên", "Tân Uyên", "Mường Tè"],
        "unit_name_en": ["Than Uyen", "Tan Uyen", "Muong Te"],
        "achievement_pct": [120.0, 40.0, None], "actual": [12.0, 4.0, None],
        "status": ["achieved", "low", "no_data"], "status_symbol": ["✔", "▼", "?"],
        "status_label_vi": ["Đạt và vượt", "Đạt thấp", "Chưa có"],
        "status_label_en": ["Met", "Low", "No data"],
        "status_color": ["#1a9850", "#d73027", "#969696"],
    })


@pytest.mark.parametrize(("value", "lang", "decimals", "text"), [
    (12000, "vi", None, "12.000"), (12000, "en", None, "12,000"), (1234.5, "vi", 1, "1.234,5"),
    (1234.5, "en", 1, "1,234.5"), (12.5, "vi", None, "12,5"), (12.0, "en", None, "12"),
    (None, "vi", None, "–"), (float("nan"), "en", None, "–"), (61.7, "vi", 0, "62"),
])
def test_format_number(value: float | None, lang: str, decimals: int | None, text: str) -> None:
    assert charts.format_number(value, lang, decimals) == text


def _svg(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # raises when the SVG is not well-formed XML


def _texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def _fills(root: ET.Element) -> list[str]:
    return [el.get("fill", "") for el in root.iter(f"{SVG}path")]


def test_gauge_shows_title_pct_symbol_label_and_values() -> None:
    spec = charts.GaugeSpec("Diện tích chè", 87.0, "#4575b4", "◐", "Đạt trên 50%", "1.234 / 2.000 ha")
    root = _svg(charts.gauge(spec, BANDS, "vi"))
    assert _texts(root) == ["Diện tích chè", "87%", "◐ Đạt trên 50%", "1.234 / 2.000 ha"]
    # three band segments (no_data has no range), the grey track, then the value arc
    fills = _fills(root)
    assert sorted(fills[:3]) == ["#1a9850", "#4575b4", "#d73027"]
    assert fills[3:] == [charts.TRACK, "#4575b4"]
    assert "87%" in root.get("aria-label", "") and "Đạt trên 50%" in root.get("aria-label", "")


def test_gauge_number_format_follows_the_language() -> None:
    spec = charts.GaugeSpec("Tea", 1234.7, "#1a9850", "✔", "Met", "")
    assert "1.235%" in _texts(_svg(charts.gauge(spec, BANDS, "vi")))
    assert "1,235%" in _texts(_svg(charts.gauge(spec, BANDS, "en")))


def test_gauge_without_data_draws_a_dash_and_no_value_arc() -> None:
    spec = charts.GaugeSpec("X", None, "#969696", "?", "Chưa có", "")
    root = _svg(charts.gauge(spec, BANDS, "en"))
    assert "–" in _texts(root)
    assert _fills(root)[-1] == charts.TRACK


def test_gauge_arc_stops_at_the_end_of_the_scale() -> None:
    over = charts.gauge(charts.GaugeSpec("X", 400.0, "#1a9850", "✔", "Met", ""), BANDS)
    full = charts.gauge(charts.GaugeSpec("X", charts.GAUGE_MAX_PCT, "#1a9850", "✔", "Met", ""), BANDS)
    arc = [el.get("d") for el in _svg(over).iter(f"{SVG}path")][-1]
    assert arc == [el.get("d") for el in _svg(full).iter(f"{SVG}path")][-1]


def test_gauge_escapes_hostile_text() -> None:
    evil = '<script>alert(1)</script>" onload="x'
    spec = charts.GaugeSpec(evil, 50.0, '"><script>', "◐", evil, evil)
    markup = charts.gauge(spec, BANDS, "vi")
    root = _svg(markup)
    assert "<script" not in markup and not list(root.iter(f"{SVG}script"))
    assert root.get("onload") is None
    assert any(evil[:24] in text for text in _texts(root))  # shown as text, truncated title


def test_grid_lays_out_rows_and_columns() -> None:
    one = charts.gauge(charts.GaugeSpec("A", 10.0, "#d73027", "▼", "Low", ""), BANDS, size=100)
    width, height = charts.svg_size(one)
    root = _svg(charts.grid([one] * 5, columns=3, gap=10))
    assert float(root.get("width")) == 3 * width + 2 * 10
    assert float(root.get("height")) == 2 * height + 10
    assert len(root.findall(f"{SVG}g")) == 5


def test_gauge_spec_from_status_row() -> None:
    row = {"name_vi": "Chè", "achievement_pct": float("nan"), "status_color": "#969696",
           "status_symbol": "?", "status_label_vi": "Chưa có", "actual": None, "target": 10,
           "unit": "ha"}
    spec = charts.gauge_spec(row, "vi")
    assert spec.pct is None and spec.value_text == "– / 10 ha"


def test_trend_has_target_schedule_projection_and_milestones() -> None:
    chart = charts.trend(_series(), title="T", unit="ha", target=100.0, target_year=2025,
                         target_2030=150.0, lang="vi", quality_labels={"official": "Chính thức"})
    out = json.dumps(chart, ensure_ascii=False)
    for text in ("Thực hiện", "Lộ trình đúng tiến độ", "Dự báo (xu hướng)", "Mục tiêu 2025",
                 "02/2021", "07/2023", "2030: 150", "Chính thức"):
        assert text in out, text
    assert "strokeDash" in out  # line kinds differ by dash, not only by colour


def _event_labels(chart: dict) -> list[dict]:
    layer = next(x for x in chart["layer"] if "layer" in x and any(
        "full" in v for v in x["data"]["values"]))
    return layer["data"]["values"]


def test_milestone_labels_are_short_on_alternating_rows_with_the_full_text_on_hover() -> None:
    """Three milestones within 4.4 years: on a phone-wide chart their labels overlapped, so each
    is a short word, neighbours on different rows, the full text in the tooltip."""
    events = _event_labels(charts.trend(_series(), title="T", unit="ha", target=100.0,
                                        target_year=2025, lang="vi"))
    assert [e["label"] for e in events] == ["NQ 05", "Sơ kết", "Huyện → xã"]
    assert all(len(e["label"]) <= 12 for e in events)
    rows = [e["y"] for e in events]
    assert rows[0] != rows[1] and rows[1] != rows[2]  # neighbours never on one row
    assert "01/07/2025" in events[2]["full"] and "02/2021" in events[0]["full"]


def test_trend_english_labels() -> None:
    out = json.dumps(charts.trend(_series(), title="T", unit="ha", target=100.0,
                                  target_year=2025, lang="en"))
    assert "On-schedule path" in out and "resolution adopted" in out


def test_district_bars_write_symbol_and_value() -> None:
    chart = charts.district_bars(_rows(), title="Mắc ca", lang="vi", selected="110")
    out = json.dumps(chart, ensure_ascii=False)
    assert "✔ 120%" in out and "▼ 40%" in out and "? –" in out
    assert "Tỷ lệ đạt so với chỉ tiêu (%)" in out


def test_district_bars_does_not_mutate_input() -> None:
    rows = _rows()
    before = rows.copy()
    charts.district_bars(rows, title="x", field="actual", unit="ha", lang="en")
    pd.testing.assert_frame_equal(rows, before)


def test_legend_swatches() -> None:
    out = json.dumps(charts.legend_swatches((("#000000", "Chè"), ("#ffffff", "Lúa")), "L")
                     , ensure_ascii=False)
    assert "Chè" in out and "Lúa" in out
