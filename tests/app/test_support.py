"""The Streamlit-free helpers of the dashboard: catalogues, escaping, safe CSV, map colours."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import i18n
from dashboard.maps import band_painter, hex_rgba

ROOT = Path(__file__).resolve().parents[2]


def test_catalogues_have_the_same_keys() -> None:
    assert set(i18n.catalog("vi")) == set(i18n.catalog("en"))


def test_every_key_used_in_code_exists() -> None:
    used: set[str] = set()
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "dashboard").glob("*.py")]:
        used |= set(re.findall(r't\((?:lang|flt\.lang), "([a-z_]+\.[a-z_0-9]+)"', path.read_text()))
    missing = sorted(k for k in used if k not in i18n.catalog("vi"))
    assert not missing


@pytest.mark.parametrize("name", ["method", "provenance"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_content_files_exist(name: str, lang: str) -> None:
    assert len(i18n.content(name, lang)) > 200


@pytest.mark.parametrize(("raw", "shown"), [
    ("<b>x</b>", "\\<b\\>x\\</b\\>"),
    ("[a](http://e)", "\\[a\\]\\(http\\://e\\)"),
    ("Than Uyên", "Than Uyên"),
])
def test_md_escape(raw: str, shown: str) -> None:
    assert i18n.md_escape(raw) == shown


def test_band_painter_uses_band_colours() -> None:
    bands = pd.read_csv(ROOT / "data" / "status_bands.csv")
    paint = band_painter(bands)
    assert paint(120.0)[:3] == hex_rgba("#1a9850")[:3]
    assert paint(10.0)[:3] == hex_rgba("#d73027")[:3]
    assert paint(None)[:3] == hex_rgba("#969696")[:3]


def test_hex_rgba_falls_back_to_grey() -> None:
    assert hex_rgba("nonsense") == [150, 150, 150, 210]


def _status_rows() -> pd.DataFrame:
    base = {"name_vi": "Diện tích mắc ca", "name_en": "Macadamia area", "unit_name_vi": "Toàn tỉnh",
            "unit_name_en": "Province", "actual": 7420.0, "target": 12000.0,
            "target_original": 12000.0, "unit": "ha",
            "unit_label_vi": "ha", "unit_label_en": "ha",
            "achievement_pct": 61.8, "status_symbol": "◐", "status_label_vi": "Đạt trên 50%",
            "status_label_en": "Over half", "status_color": "#4575b4", "on_schedule": False,
            "projected_value": 9170.0, "forecast_met": False, "quality": "estimate",
            "target_quality": "illustrative", "source": "https://www.baophutho.vn/bai-viet"}
    hostile = {**base, "name_vi": "<img src=x onerror=alert(1)>", "achievement_pct": None,
               "actual": None, "source": "javascript:alert(1)"}
    return pd.DataFrame([base, hostile])


QUALITIES = pd.DataFrame({"quality": ["estimate", "illustrative"],
                          "label_vi": ["Ước tính / kế hoạch", "Minh họa"],
                          "label_en": ["Estimate / plan", "Illustrative"]})


def test_status_html_localises_numbers_and_keeps_source_and_quality() -> None:
    from dashboard.tables import status_html

    vi = status_html(_status_rows(), "vi", QUALITIES)
    assert "12.000" in vi and "9.170" in vi and "62%" in vi and "Đạt trên 50%" in vi
    assert "Ước tính / kế hoạch" in vi and "Minh họa" in vi
    assert '<a href="https://www.baophutho.vn/bai-viet"' in vi and ">baophutho.vn</a>" in vi
    assert "12,000" in status_html(_status_rows(), "en", QUALITIES)


def test_csv_of_the_table_has_headers_in_the_language() -> None:
    from dashboard.tables import status_view, with_headers

    vi = with_headers(status_view(_status_rows(), "vi", QUALITIES), "vi")
    assert list(vi.columns[:3]) == ["Chỉ tiêu", "Thực hiện", "Mục tiêu"]
    en = with_headers(status_view(_status_rows(), "en", QUALITIES), "en")
    assert "Indicator" in en.columns and "Source" in en.columns


def test_units_of_measure_are_words_of_the_language() -> None:
    """The labels come from data/units_of_measure.csv through the status table."""
    from dashboard.tables import status_html
    from nq05_metrics import api
    from nq05_metrics.loader import load_dataset
    from tests.app.app_helpers import ROOT

    ds = load_dataset(ROOT / "data")
    table = api.status(ds, 2024, ["12"])
    rows = table[table["unit"].isin(["colonies", "m3"])]
    assert len(rows) == 2
    vi, en = status_html(rows, "vi", QUALITIES), status_html(rows, "en", QUALITIES)
    assert ">đàn<" in vi and "colonies" not in vi and ">m³<" in vi
    assert ">colonies<" in en


def test_status_html_escapes_everything_and_links_only_web_addresses() -> None:
    from dashboard.tables import status_html

    out = status_html(_status_rows(), "vi", QUALITIES)
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert 'href="javascript' not in out and "javascript:alert(1)" in out  # shown as text
    assert out.count("<tr>") == 3  # header + 2 rows; the missing figures show as –


def test_cached_tables_cannot_be_altered_by_a_page() -> None:
    """The cached view hands out shallow copies (copy-on-write): whatever a page does to the
    frame it got, the next page gets the original."""
    from dashboard import loaders

    ds = loaders.dataset().ds
    assert ds is not None
    for part in ("table", "rows", "districts"):
        first = getattr(loaders.view(ds, 2023, "12"), part)
        expected = first.copy()
        first.loc[first.index[0], "actual"] = -1.0
        first["achievement_pct"] = 0.0
        first.drop(columns="source", inplace=True)
        pd.testing.assert_frame_equal(getattr(loaders.view(ds, 2023, "12"), part), expected)
    series = loaders.view(ds, 2023, "12").series("tea_area")
    expected = series.copy()
    series["value"] = 0.0
    pd.testing.assert_frame_equal(loaders.view(ds, 2023, "12").series("tea_area"), expected)


def test_readable_table_shows_numbers_in_the_language() -> None:
    from dashboard.tables import readable

    frame = pd.DataFrame({"Địa bàn": ["Than Uyên"], "Thực hiện": [2401.25]})
    assert "2.401,2" in readable(frame, "vi").to_html()
    assert "2,401.2" in readable(frame, "en").to_html()
