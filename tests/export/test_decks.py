"""The exported PPTX and PDF: slides, pictures, notes, numbers equal to api.status, Vietnamese
text, filters."""

from __future__ import annotations

import io
import unicodedata

import pandas as pd
from pptx import Presentation
from pptx.util import Emu

from nq05_metrics import api, charts
from nq05_metrics.export.slides import own_slide_commodities, pct_text
from tests.export.conftest import pptx_text

DISTRICTS = ["Thành phố Lai Châu", "Tam Đường", "Mường Tè", "Sìn Hồ", "Phong Thổ", "Tân Uyên",
             "Nậm Nhùn"]


def test_deck_structure(deck, ds) -> None:  # noqa: ANN001
    keys = deck.keys()
    assert keys[:3] == ["title", "overview", "assessment"]
    own = own_slide_commodities(ds)
    assert own == ["macadamia", "passion_fruit", "sweet_corn", "tea", "rice"]
    assert keys[3:8] == [f"commodity:{k}" for k in own]
    assert "commodity:rest" in keys and "behind" in keys and keys[-1] == "sources"


def test_pptx_slides_pictures_notes(exports, deck) -> None:  # noqa: ANN001
    prs = Presentation(io.BytesIO(exports["pptx"]))
    assert len(prs.slides) == len(deck.slides)
    assert round(Emu(prs.slide_width).inches / Emu(prs.slide_height).inches, 3) == round(16 / 9, 3)
    for spec, slide in zip(deck.slides, prs.slides, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        if spec.kind == "commodity":
            assert len(pictures) == 3, spec.key  # map, trend, gauges
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
    texts = pptx_text(exports["pptx"])
    assert all("Nguồn" in t and "Chất lượng" in t for t in texts[1:])


def test_pptx_numbers_equal_status(exports, ds, as_of) -> None:  # noqa: ANN001
    text = "\n".join(pptx_text(exports["pptx"]))
    rows = api.status(ds, as_of, ["12"])
    for _, row in rows[rows["commodity"].isin(own_slide_commodities(ds))].iterrows():
        assert f"{charts.format_number(row['actual'])} / {charts.format_number(row['target'])}" \
            in text, row["indicator_id"]
        assert f"— {pct_text(row['achievement_pct'], 'vi')} —" in text, row["indicator_id"]
    from nq05_metrics import narrative

    counts = narrative.counts(rows)
    assert f"{counts.over_half}/{counts.assessed} chỉ tiêu đạt trên 50%" in text


def test_summary_and_series_equal_api(deck, ds, as_of) -> None:  # noqa: ANN001
    assert deck.slides[2].narrative == api.summary(ds, as_of)
    trend = deck.slides[3].picture("trend")
    pd.testing.assert_frame_equal(trend.data.reset_index(drop=True),
                                  api.series(ds, "macadamia_area", "12", as_of))


def test_pdf_text_is_composed_vietnamese(exports, pdf_text, deck) -> None:  # noqa: ANN001
    assert len(pdf_text) == len(deck.slides)
    text = "\n".join(pdf_text)
    assert text == unicodedata.normalize("NFC", text)
    for phrase in ("Đạt và vượt", "Tân Uyên", "Mắc ca", "Nhận định chung", "chậm tiến độ"):
        assert phrase in text, phrase


def test_filtered_export_has_only_the_filter(exports) -> None:  # noqa: ANN001
    texts = pptx_text(exports["filtered"])
    text = "\n".join(texts)
    assert "Than Uyên" in text and "Mắc ca" in text
    for other in DISTRICTS:
        assert other not in text, other
    for other in ("Chanh leo", "Ngô ngọt", "Diện tích chè", "Lúa hàng hóa", "Ong mật"):
        assert other not in text, other
    prs = Presentation(io.BytesIO(exports["filtered"]))
    assert len(prs.slides) < 10


def test_own_slide_is_a_column_of_commodities_csv(tmp_path, as_of) -> None:  # noqa: ANN001
    """Which commodities get their own slide is data: marking fruit trees ``own_slide`` in a copy
    of the data folder gives them a slide, unmarking tea takes tea's away (no code change)."""
    import shutil

    from nq05_metrics.export.slides import build_deck
    from nq05_metrics.loader import load_dataset
    from tests.export.conftest import DATA

    folder = shutil.copytree(DATA, tmp_path / "data")
    path = folder / "commodities.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[table["commodity"] == "fruit_trees", "own_slide"] = "true"
    table.loc[table["commodity"] == "tea", "own_slide"] = "false"
    table.to_csv(path, index=False)
    keys = build_deck(load_dataset(folder), as_of).keys()
    assert "commodity:fruit_trees" in keys and "commodity:tea" not in keys
    assert keys.index("commodity:fruit_trees") < keys.index("commodity:rest")
