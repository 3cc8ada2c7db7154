"""Pictures and downloads: PNG scale, non-blank maps, safe CSV, atomic writes."""

from __future__ import annotations

import io
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from nq05_metrics.export import layout, render
from nq05_metrics.fileio import frame_csv_bytes


@pytest.mark.parametrize(("cell", "written"), [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
    ("Tân Uyên", "Tân Uyên"), ("12.5", "12.5"), ("\uff1dcmd", "'\uff1dcmd"),  # full-width =
])
def test_frame_csv_neutralises_formulas(cell: str, written: str) -> None:
    data = frame_csv_bytes(pd.DataFrame({"name": [cell], "value": [-5.0]}))
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[1] == f"{written},-5.0"


def test_chart_png_is_at_least_2x() -> None:
    chart = alt.Chart(pd.DataFrame({"x": ["Đạt và vượt"], "y": [1]})).mark_bar().encode(
        x="x:N", y="y:Q").properties(width=200, height=100)
    width, _ = layout.png_size(render.chart_png(chart))
    assert width >= 400


def test_map_png_is_not_blank(deck) -> None:  # noqa: ANN001
    from PIL import Image

    png = deck.slides[3].picture("map").png()
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
