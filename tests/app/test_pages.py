"""AppTest smoke and interaction tests for every page of the dashboard."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from app_helpers import PAGES, copy_data, run_app, texts
from streamlit.testing.v1 import AppTest


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


TITLES_VI = {
    "overview": "Tổng quan thực hiện Nghị quyết 05-NQ/TU",
    "map": "Bản đồ vùng sản xuất hàng hóa",
    "trends": "Xu hướng so với mục tiêu",
    "district": "Hồ sơ địa bàn",
    "commodity": "Hồ sơ cây trồng – vật nuôi",
    "data": "Dữ liệu, nguồn và kiểm tra",
    "method": "Phương pháp và nguồn số liệu",
}


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(page: str) -> None:
    at = run_app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == [TITLES_VI[page]]
    # the illustrative-data banner is on every page
    assert any("minh họa" in w.value for w in at.warning)


def test_overview_shows_bands_narrative_and_table() -> None:
    at = run_app()
    shown = texts(at)
    assert "Đạt và vượt" in shown and "Đạt thấp" in shown
    assert "chỉ tiêu đạt trên 50%" in shown  # the generated paragraph
    assert len(at.metric) == 4  # one KPI card per band
    assert all("/" in m.value for m in at.metric)
    # the gauges (SVG images whose alt text states the figure) and the indicator table (HTML)
    markup = " ".join(el.proto.body for el in at.get("html"))
    uris = re.findall(r'src="(data:image/svg\+xml,[^"]*)"', markup)
    assert len(uris) >= 4
    for uri in uris:  # each decodes to a well-formed SVG (percent-encoding, not base64)
        root = ElementTree.fromstring(unquote(uri.split(",", 1)[1]))
        assert root.tag.endswith("svg") and root.get("aria-label")
    assert markup.count("Chất lượng số liệu: ") >= len(uris)  # the quality under every gauge
    assert 'alt="Diện tích mắc ca: ' in markup
    assert "<table" in markup and "Đạt thấp" in markup and "minh họa" in markup.lower()
    assert "12.000" in markup  # Vietnamese thousands separator in the table
    assert [b.label for b in at.get("download_button")] == ["Tải bảng (CSV, có nguồn và mức tin cậy)"]


def test_filter_change_changes_overview() -> None:
    at = run_app()
    before = [m.value for m in at.metric]
    at.selectbox(key="flt_unit").set_value("110").run()
    assert not at.exception
    assert "Than Uyên" in texts(at)
    assert at.query_params["unit"] in ("110", ["110"])
    at.selectbox(key="flt_commodity").set_value("macadamia").run()
    after = [m.value for m in at.metric]
    assert after != before
    assert at.query_params["commodity"] in ("macadamia", ["macadamia"])


def test_language_switch_to_english() -> None:
    at = run_app()
    at.radio(key="flt_lang").set_value("en").run()
    assert [t.value for t in at.title] == ["Resolution 05-NQ/TU at a glance"]
    assert "Met and exceeded" in texts(at)
    assert at.query_params["lang"] in ("en", ["en"])


def test_url_reproduces_view() -> None:
    at = run_app("trends", {"year": "2023", "unit": "Than Uyen", "commodity": "macadamia",
                            "lang": "en", "ind": "macadamia_area"})
    assert not at.exception
    assert at.selectbox(key="flt_year").value == 2023
    assert at.selectbox(key="flt_unit").value == "110"  # a name in any spelling resolves
    assert at.selectbox(key="flt_commodity").value == "macadamia"
    assert at.radio(key="flt_lang").value == "en"
    assert at.selectbox(key="pg_ind").value == "macadamia_area"
    assert [t.value for t in at.title] == ["Trends against targets"]
    assert not [w for w in at.warning if "not valid" in w.value]


def test_invalid_url_values_fall_back_with_note() -> None:
    at = run_app(None, {"year": "1999", "unit": "<b>Atlantis</b>", "commodity": "coffee",
                        "lang": "fr"})
    assert not at.exception
    notes = [w.value for w in at.warning if "không hợp lệ" in w.value]
    assert len(notes) == 4
    assert any("Atlantis" in n for n in notes)
    assert at.selectbox(key="flt_unit").value == "12"
    assert at.selectbox(key="flt_year").value == 2025
    assert at.radio(key="flt_lang").value == "vi"


def test_invalid_indicator_param_falls_back() -> None:
    at = run_app("map", {"ind": "no_such_indicator"})
    assert not at.exception
    assert any("no_such_indicator" in w.value for w in at.warning)
    assert at.selectbox(key="pg_ind").value == "macadamia_area"


@pytest.mark.parametrize(("year", "rows", "first"), [("2025", 8, "Thành phố Lai Châu (105)"),
                                                    ("2026", 38, "Đoàn Kết (03388)")])
def test_area_page_without_a_unit_is_a_heatmap_of_the_units_of_the_year(
        year: str, rows: int, first: str) -> None:
    at = run_app("district", {"year": year})
    assert not at.exception
    heat = at.dataframe[0].value
    assert len(heat) == rows and heat.index[0] == first
    cells = " ".join(heat.astype(str).to_numpy().ravel())
    assert "%" in cells and any(sym in cells for sym in ("✓", "▾", "◐"))  # symbols, not colour only


def test_former_district_page_shows_its_successor_communes() -> None:
    at = run_app("district", {"year": "2025", "unit": "110"})
    assert not at.exception
    assert any(h.value == "Than Uyên" for h in at.header)
    tables = [df.value for df in at.dataframe]
    succ = next(df for df in tables if "Mã" in df.columns)
    assert set(succ["Mã"]) == {"03595", "03618", "03637", "03640"}
    across = next(df for df in tables if any("2026" in str(c) for c in df.columns))
    assert "Diện tích mắc ca" in set(across.iloc[:, 0])


def test_a_commune_page_names_the_former_districts() -> None:
    at = run_app("district", {"year": "2026", "unit": "03595"})
    assert not at.exception
    assert any("Than Uyên (110)" in c.value for c in at.caption)


def test_a_former_district_in_a_commune_year_falls_back_with_a_note() -> None:
    at = run_app("district", {"year": "2026", "unit": "110"})
    assert not at.exception
    assert at.selectbox(key="flt_unit").value == "12"
    assert any("Than Uyên (110)" in w.value and "2026" in w.value for w in at.warning)
    assert len(at.selectbox(key="flt_unit").options) == 39


def test_commodity_page_with_filter() -> None:
    at = run_app("commodity", {"commodity": "passion_fruit"})
    assert not at.exception
    assert any("Chanh leo" in h.value for h in at.header)
    markup = " ".join(el.proto.body for el in at.get("html"))
    assert "<table" in markup and "Diện tích chanh leo" in markup  # the indicator table
    assert len(at.dataframe) >= 1  # the zones


def test_map_page_changes_with_fill_mode() -> None:
    at = run_app("map")
    assert not at.exception
    assert any("gần đúng" in i.value for i in at.info)  # approximate boundaries are labelled
    at.radio(key="map_fill").set_value("value").run()
    assert not at.exception


def test_broken_data_shows_all_problems_not_a_traceback(
        data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    obs = data_copy / "observations.csv"
    lines = obs.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",2020,", ",20x0,")
    lines[2] = lines[2].replace("105", "999")
    obs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("NQ05_DATA_DIR", str(data_copy))
    for page in ("overview", "map", "method"):
        at = run_app(page)
        assert not at.exception, page
        assert at.error, page
        problems = "\n".join(str(c.value) for c in at.code)
        assert "observations.csv:2" in problems and "observations.csv:3" in problems
        assert str(data_copy.parent) not in texts(at), page  # the folder's name, not its path


def test_data_page_names_the_folder_not_the_servers_path(
        data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NQ05_DATA_DIR", str(data_copy))
    at = run_app("data")
    assert not at.exception
    shown = texts(at)
    assert f"`{data_copy.name}`" in shown and str(data_copy.parent) not in shown


def test_missing_boundaries_keep_the_map_page_useful(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NQ05_GEO_DIR", str(tmp_path))
    at = run_app("map")
    assert not at.exception
    assert any("ranh giới" in e.value for e in at.error)
    assert len(at.dataframe) == 1  # the zones table is still there


def test_html_in_data_is_shown_as_text(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ind = data_copy / "indicators.csv"
    text = ind.read_text(encoding="utf-8").replace("Diện tích mắc ca", "<b>Mắc ca</b>", 1)
    ind.write_text(text, encoding="utf-8")
    monkeypatch.setenv("NQ05_DATA_DIR", str(data_copy))
    at = run_app()
    assert not at.exception
    paragraph = "\n".join(m.value for m in at.markdown)
    assert "<b>" not in paragraph.replace("\\<b\\>", "")
    assert "\\<b\\>" in paragraph or "<b>" not in paragraph


def test_a_second_visitor_with_the_same_view_reuses_the_pages_html(monkeypatch) -> None:
    """The indicator table and the gauges are built once per view (data, year, unit, commodity,
    language) for the whole server; another year is built anew and differs."""
    import streamlit as st

    from dashboard import tables, widgets

    built: list[str] = []
    for name, module in (("status_html", tables), ("gauges_html", widgets)):
        original = getattr(module, name)

        def counting(*args, _original=original, _name=name, **kwargs):  # noqa: ANN002, ANN003, ANN202
            built.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    st.cache_resource.clear()
    first = run_app(params={"year": "2024"})
    second = run_app(params={"year": "2024"})
    assert not first.exception and not second.exception
    assert sorted(built) == ["gauges_html", "status_html"]  # built for the first visitor only

    def markup(at: AppTest) -> str:
        return " ".join(el.proto.body for el in at.get("html"))

    assert markup(first) == markup(second)
    other = run_app(params={"year": "2023"})
    assert sorted(built) == ["gauges_html", "gauges_html", "status_html", "status_html"]
    assert markup(other) != markup(first)


def test_trends_at_commune_scale_bars_the_best_and_the_worst() -> None:
    at = run_app("trends", {"year": "2026", "ind": "macadamia_area"})
    assert not at.exception
    assert any("8 địa bàn cao nhất và 8 thấp nhất" in c.value for c in at.caption)


def test_data_page_lists_the_units_with_their_periods_and_the_crosswalk() -> None:
    at = run_app("data")
    assert not at.exception
    frames = [df.value for df in at.dataframe]
    units = next(df for df in frames if "valid_from" in df.columns)
    assert len(units) == 1 + 8 + 38
    cross = next(df for df in frames if "share_of_old" in df.columns)
    assert len(cross) == 106


def test_data_page_shows_the_plans_and_targets_in_words() -> None:
    at = run_app("data", {"year": "2024"})
    assert not at.exception
    frames = [df.value for df in at.dataframe]
    plans = next(df for df in frames if "Ngày thông qua" in df.columns)
    assert plans["plan_id"].tolist() == ["nq05_2021", "nq05_2021_rev2023", "nq05_2026"]
    in_force = plans.set_index("plan_id")["Hiệu lực cuối năm 2024"]
    assert in_force.to_dict() == {"nq05_2021": "", "nq05_2021_rev2023": "✔", "nq05_2026": "✔"}
    assert plans.set_index("plan_id").loc["nq05_2021_rev2023", "Điều chỉnh kế hoạch"] == \
        "NQ 05-NQ/TU: nông nghiệp hàng hóa tập trung 2021–2025"
    targets = next(df for df in frames if "Năm mục tiêu" in df.columns)
    assert len(targets) == 308
    tea = targets[(targets["indicator_id"] == "tea_area") & (targets["Địa bàn"] == "Lai Châu")]
    assert sorted(tea["Giá trị"]) == [10800.0, 11000.0, 13000.0]
    assert (targets["Chất lượng chỉ tiêu"] == "Minh họa").all()
