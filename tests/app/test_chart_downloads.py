"""Per-chart downloads on the trends page: PNG (2×, drawn server-side) and CSV of the data."""

from __future__ import annotations

import struct

import pandas as pd
from app_helpers import run_app

from dashboard import tables
from nq05_metrics import charts
from nq05_metrics.export import render
from nq05_metrics.serialise import csv_bytes


def test_trends_page_offers_png_and_csv_for_both_charts() -> None:
    at = run_app("trends", {"ind": "macadamia_area"})
    assert not at.exception
    keys = {b.key for b in at.get("download_button")}
    assert {"dl_trend_png", "dl_trend_csv", "dl_district_bars_png",
            "dl_district_bars_csv"} <= keys


def test_chart_png_is_sharp_and_csv_is_excel_safe() -> None:
    rows = pd.DataFrame({"unit_code": ["110", "111"], "unit_name_vi": ["Than Uyên", "=cmd()"],
                         "actual": [10.0, 20.0], "target": [20.0, 20.0],
                         "achievement_pct": [50.0, 100.0], "status_label_vi": ["a", "b"],
                         "quality": ["illustrative"] * 2, "source": ["s", "@x"],
                         "status": ["over_half", "achieved"], "status_symbol": ["◐", "✔"],
                         "status_color": ["#4575b4", "#1a9850"], "name_vi": ["Mắc ca"] * 2})
    data = tables.bars_data(rows, "vi")
    csv = csv_bytes(data)
    assert csv.startswith(b"\xef\xbb\xbf")                       # BOM: Excel reads UTF-8
    text = csv.decode("utf-8-sig")
    assert "Than Uyên" in text and "'=cmd()" in text and "'@x" in text
    chart = charts.district_bars(rows, title="Mắc ca", lang="vi", selected="110")
    png = render.chart_png(chart)
    width = struct.unpack(">I", png[16:20])[0]
    assert png.startswith(b"\x89PNG") and width >= 2 * 400      # rendered at 2× scale
