"""Pictures and downloads: PNG scale, non-blank maps, safe CSV, atomic writes."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from nq05_metrics.export import layout, render

BANDS_FOR_RENDER = pd.DataFrame({"band_id": ["met", "low"], "min_pct": [100.0, 0.0],
                                 "max_pct": [None, 100.0], "color": ["#1a9850", "#d73027"]})


def test_chart_png_is_at_least_2x() -> None:
    chart = {"data": {"values": [{"x": "Đạt và vượt", "y": 1}]}, "mark": "bar", "width": 200,
             "height": 100, "encoding": {"x": {"field": "x", "type": "nominal"},
                                         "y": {"field": "y", "type": "quantitative"}}}
    width, _ = layout.png_size(render.chart_png(chart))
    assert width >= 400


def test_map_png_is_not_blank(deck) -> None:  # noqa: ANN001
    from PIL import Image

    png = next(s for s in deck.slides if s.kind == "commodity").picture("map").png()
    img = Image.open(io.BytesIO(png)).convert("RGB").resize((100, 100))
    colours = img.getcolors(maxcolors=100 * 100)
    white = sum(n for n, c in colours if c == (255, 255, 255))
    assert len(colours) > 20 and white < 0.8 * 100 * 100


def test_write_atomic_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    layout.write_atomic(target, b"one")
    layout.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]


def test_helper_processes_do_not_run_the_callers_main_script(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside Streamlit ``__main__`` is app.py; a spawned helper must not run it again."""
    import sys
    import types

    from nq05_metrics import charts

    marker = tmp_path / "main-ran"
    script = tmp_path / "fake_app.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    fake = types.ModuleType("__main__")
    fake.__file__ = str(script)
    fake.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", fake)
    svg = charts.grid([charts.gauge(charts.GaugeSpec("Chè", 50.0, "#4575b4", "◐", "Đạt", ""),
                                    BANDS_FOR_RENDER, size=120)], 1)
    helper = render.Elsewhere()
    try:
        png = helper.submit(render.svg_job(svg + "<!-- unique -->"))()
    finally:
        helper.close()
    assert png.startswith(b"\x89PNG")
    assert not marker.exists()
