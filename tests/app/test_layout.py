"""The phone layout's server side: the filter bar at the top of the page drives the shared
filters (and closes), the indicator table has a card list beside it, the map sends no basemap
style, the style sheet survives the HTML sanitiser. What the browser makes of it is checked in
``tests/browser/test_phone.py``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from app_helpers import run_app, texts
from test_support import QUALITIES, _status_rows

from dashboard import maps, widgets
from dashboard.tables import status_cards, status_html, status_view

ROOT = Path(__file__).resolve().parents[2]


def test_filter_bar_sets_the_shared_filters_and_closes() -> None:
    at = run_app()
    bar = at.selectbox(key="flt_unit_m")
    assert bar.value == "12"  # mirrors the sidebar's view
    at.session_state["nq_filter_pop"] = True  # the reader opened it
    bar.set_value("110").run()
    assert not at.exception
    assert at.session_state["flt_unit"] == "110"  # the one shared filter, as from the sidebar
    assert at.query_params["unit"] in ("110", ["110"])
    assert "Than Uyên" in texts(at)
    assert at.session_state["nq_filter_pop"] is False  # closed after the choice
    at.radio(key="flt_lang_m").set_value("en").run()
    assert [t.value for t in at.title] == ["Resolution 05-NQ/TU at a glance"]
    assert at.selectbox(key="flt_unit_m").value == "110"  # still the same view


def test_sidebar_changes_show_in_the_filter_bar() -> None:
    at = run_app()
    at.selectbox(key="flt_year").set_value(2023).run()
    assert at.selectbox(key="flt_year_m").value == 2023


def test_card_list_holds_the_four_figures_and_the_details_on_tap() -> None:
    rows = _status_rows()
    out = status_cards(status_view(rows, "vi", QUALITIES), rows["status_color"], "vi")
    cards = re.findall(r'<details class="nq-c">(.*?)</details>', out)
    assert len(cards) == 2
    summary, details = cards[0].split("</summary>")
    for seen in ("Diện tích mắc ca", "7.420 / 12.000 ha", "62%", "◐ Đạt trên 50%",
                 "Ước tính / kế hoạch"):  # name, actual / target, %, band, quality
        assert seen in summary
    for seen in ("Tiến độ", "9.170", "Minh họa", ">baophutho.vn</a>"):  # on a tap
        assert seen in details
    assert "<img" not in out and "&lt;img src=x" in out and 'href="javascript' not in out
    assert "– / 12.000 ha" in cards[1] and ">–<" in cards[1]  # missing figures as –


def test_table_is_a_focusable_named_region_and_carries_the_cards() -> None:
    out = status_html(_status_rows(), "en", QUALITIES)
    assert '<div class="nq-t" role="region" tabindex="0" aria-label="Indicator table' in out
    assert out.count('<details class="nq-c">') == 2 and "12,000" in out


def test_deck_asks_for_no_basemap_style() -> None:
    deck = json.loads(maps.deck(None, pd.DataFrame(), {}).to_json())
    # pydeck's "no style given" marker: Streamlit then draws no basemap and fetches nothing;
    # a null style would make the browser fetch the theme's basemap style from another host
    assert deck.get("mapStyle") == "__MAP_STYLE__"
    assert "mapProvider" not in deck or deck["mapProvider"] in (None, "")


def test_style_sheet_survives_the_html_sanitiser() -> None:
    css = widgets.STYLE.read_text(encoding="utf-8")
    assert "<" not in css  # DOMPurify drops a <style> whose text holds a tag-like "<x"
    assert "@media (max-width: 640px)" in css and ":focus-visible" in css
    at = run_app()
    sheets = [el.proto.body for el in at.get("html") if "nq-style" in el.proto.body]
    assert len(sheets) == 1 and sheets[0].startswith("<style>")  # in the main column
