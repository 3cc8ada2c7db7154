"""The exported PPTX and PDF as a review report: slides in order, numbers equal to api.status,
verdicts at the target year, since the last review, honest marks and sources, English entirely
English, the filtered deck."""

from __future__ import annotations

import io
import re
import unicodedata

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Emu

from nq05_metrics import api, charts, narrative, review
from nq05_metrics.export.slides import Meeting, build_deck, own_slide_commodities
from nq05_metrics.export.wording import pct_text
from tests.export.conftest import pptx_text

DISTRICTS = ["Thành phố Lai Châu", "Tam Đường", "Mường Tè", "Sìn Hồ", "Phong Thổ", "Tân Uyên",
             "Nậm Nhùn"]


def test_deck_is_built_like_a_review_report(deck, ds) -> None:  # noqa: ANN001
    keys = deck.keys()
    assert keys[:2] == ["title", "summary"] and keys[2].startswith("overview")
    own = own_slide_commodities(ds)
    assert own == ["macadamia", "passion_fruit", "sweet_corn", "tea", "rice"]
    commodity = [k for k in keys if k.startswith("commodity:") and k != "commodity:rest"
                 and not k.startswith("commodity:rest:")]
    assert commodity == [f"commodity:{k}" for k in own]
    order = ["title", "summary", "assessment", "since", "by_commodity", "commodity:macadamia",
             "commodity:rest", "heatmap", "behind", "tasks", "method", "sources", "closing",
             "appendix", "appendix_units"]
    assert [k for k in keys if k in order] == order


def test_own_slide_is_a_column_of_commodities_csv(tmp_path, as_of) -> None:  # noqa: ANN001
    """Which commodities get their own slide is data: marking fruit trees ``own_slide`` in a copy
    of the data folder gives them a slide, unmarking tea takes tea's away (no code change)."""
    import shutil

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


def test_pptx_slides_pictures_notes(exports, deck) -> None:  # noqa: ANN001
    prs = Presentation(io.BytesIO(exports["pptx"]))
    assert len(prs.slides) == len(deck.slides)
    assert round(Emu(prs.slide_width).inches / Emu(prs.slide_height).inches, 3) == round(16 / 9, 3)
    for spec, slide in zip(deck.slides, prs.slides, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        if spec.kind == "commodity":
            assert len(pictures) == 2, spec.key  # map and trend
        if spec.key in ("title", "closing"):
            assert len(pictures) == 1, spec.key  # the QR code
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
    counts = narrative.counts(rows)
    assert f"{counts.over_half}/{counts.assessed}" in text


def test_one_rounding_rule_for_gauges_and_text(deck) -> None:  # noqa: ANN001
    """The gauge shows the percentage the text shows (61,8 %, not 62 %)."""
    gauges = deck.slides[2].picture("gauges")
    svg = gauges.chart
    for _, row in gauges.data.iterrows():
        assert f">{pct_text(row['achievement_pct'], 'vi')}<" in svg, row["indicator_id"]


def test_overview_includes_the_low_indicators_and_counts_agree(deck, ds, as_of) -> None:  # noqa: ANN001
    rows = api.status(ds, as_of, ["12"])
    low = set(rows.loc[rows["status"] == "low", "indicator_id"])
    shown = set().union(*(set(s.picture("gauges").data["indicator_id"]) for s in deck.slides
                          if s.key.startswith("overview")))
    assert low and low <= shown
    lagging = review.lagging(rows)
    behind = [s for s in deck.slides if s.key.startswith("behind")]
    assert sum(len(s.table.rows) for s in behind) == len(lagging)
    assert f"({len(lagging)})" in behind[0].title
    tiles = dict((label, big) for big, label in deck.slides[1].tiles)
    assert tiles["chỉ tiêu đạt thấp (dưới 50%)"] == str(len(low))


def test_at_the_target_year_verdicts_not_forecasts(exports, pdf_text) -> None:  # noqa: ANN001
    """2025 is the target year: unmet indicators read "Chưa đạt", no forecast of 2025."""
    for text in ("\n".join(pptx_text(exports["pptx"])), "\n".join(pdf_text)):
        assert "Chưa đạt" in text and "Đạt;" in text.replace("Đạt và vượt", "")
        assert "Dự báo khó đạt mục tiêu năm 2025" not in text
        assert "định hướng 2030" in text


def test_before_the_target_year_the_deck_says_interim_review(ds) -> None:  # noqa: ANN001
    deck = build_deck(ds, 2023)
    assert deck.slides[0].paragraphs[0].startswith("Hội nghị sơ kết")
    assert "since" not in deck.keys()  # nothing earlier to compare with
    assert "Chưa đạt" not in "\n".join(s.narrative for s in deck.slides)
    final = build_deck(ds, 2025, meeting=Meeting(conference="Hội nghị X", agency="UBND tỉnh",
                                                  place="Lai Châu"))
    assert final.slides[0].paragraphs[:3] == ("Hội nghị X", "UBND tỉnh",
                                              f"Lai Châu, {final.meeting.date:%d/%m/%Y}")


def test_since_the_last_review_slide(deck, ds, as_of) -> None:  # noqa: ANN001
    moved = review.since(api.status(ds, 2023, ["12"]), api.status(ds, as_of, ["12"]), ds.bands)
    movers = moved[moved["move"].isin(["up", "down"])]
    slide = next(s for s in deck.slides if s.key == "since")
    assert len(slide.table.rows) == len(movers) > 0
    first = movers.iloc[0]
    row = next(r for r in slide.table.rows if first["name_vi"] in r[0])
    assert row[0].startswith("▲" if first["move"] == "up" else "▼")
    assert row[4] == ("+" if first["pp"] > 0 else "") + charts.format_number(first["pp"], "vi", 1)


def test_summary_and_series_equal_api(deck, ds, as_of) -> None:  # noqa: ANN001
    assessment = next(s for s in deck.slides if s.key == "assessment")
    assert assessment.notes == api.summary(ds, as_of)
    assert assessment.paragraphs[0] == narrative.parts(api.status(ds, as_of, ["12"]), "vi",
                                                       None, 5)[0]
    trend = next(s for s in deck.slides if s.key == "commodity:macadamia").picture("trend")
    pd.testing.assert_frame_equal(trend.data.reset_index(drop=True),
                                  api.series(ds, "macadamia_area", "12", as_of))


def test_pdf_text_is_composed_vietnamese(exports, pdf_text, deck) -> None:  # noqa: ANN001
    assert len(pdf_text) == len(deck.slides)
    text = "\n".join(pdf_text)
    assert text == unicodedata.normalize("NFC", text)
    for phrase in ("Đạt và vượt", "Tân Uyên", "Mắc ca", "Nhận định chung", "Phụ lục"):
        assert phrase in text, phrase


@pytest.mark.parametrize("name", ["pptx", "en_pptx"])
def test_illustrative_slides_carry_the_mark(exports, deck, en_deck, name) -> None:  # noqa: ANN001
    spec = deck if name == "pptx" else en_deck
    mark = "SỐ LIỆU MINH HỌA" if name == "pptx" else "ILLUSTRATIVE FIGURES"
    prs = Presentation(io.BytesIO(exports[name]))
    for slide_spec, slide in zip(spec.slides, prs.slides, strict=True):
        badges = [s for s in slide.shapes if s.name == "nq05:badge"]
        assert bool(badges) == slide_spec.illustrative, slide_spec.key
        for badge in badges:
            run = badge.text_frame.paragraphs[0].runs[0]
            assert run.text == mark and run.font.size.pt >= 18
    assert sum(s.illustrative for s in spec.slides) > 10


@pytest.mark.parametrize("name", ["pptx", "en_pptx", "pdf"])
def test_sources_by_publisher_and_date_no_internal_wording(exports, pdf_text, name) -> None:  # noqa: ANN001
    text = "\n".join(pdf_text) if name == "pdf" else "\n".join(pptx_text(exports[name]))
    for internal in ("nhóm phát triển", "nguồn nào nhóm có", "nhóm có"):
        assert internal not in text
    footers = [line for line in text.splitlines() if line.startswith(("Nguồn:", "Source:"))]
    assert footers and not any("http" in line for line in footers)
    assert "Báo Phú Thọ, 14/8/2025" in text or "Phu Tho Newspaper, 14/8/2025" in text
    assert "https://baophutho.vn/" in text  # the full link: on the sources slide


def test_full_links_in_the_notes(exports) -> None:  # noqa: ANN001
    prs = Presentation(io.BytesIO(exports["pptx"]))
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    assert "https://baophutho.vn/lai-chau-phat-trien-nong-nghiep-hang-hoa-theo-huong-ben-vung" \
           in notes


def test_english_deck_is_entirely_english(exports) -> None:  # noqa: ANN001
    """No Vietnamese word outside proper names (units, the province) in the English deck."""
    text = "\n".join(pptx_text(exports["en_pptx"]))
    names = ["Lai Châu", "Tam Đường", "Mường Tè", "Sìn Hồ", "Phong Thổ", "Than Uyên", "Tân Uyên",
             "Nậm Nhùn", "Nậm Cần", "Mường Cang", "Tả Phìn", "Bản Hon", "Thân Thuộc",
             "Nậm Tăm", "Shan tuyết", "Shan tuyet"]
    for name in names:
        text = text.replace(name, "")
    viet = re.findall(r"\w*[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
                      r"ĂÂĐÊÔƠƯ]\w*", text)
    assert not viet, sorted(set(viet))[:20]
    for word in ("Nguồn", "Chất lượng", "Minh họa", "Toàn tỉnh"):
        assert word not in text


def test_filtered_export_has_only_the_filter(exports) -> None:  # noqa: ANN001
    texts = pptx_text(exports["filtered"])
    text = "\n".join(texts)
    assert "Than Uyên" in text and "Chanh leo" in text
    for other in DISTRICTS:
        assert other not in text, other
    for other in ("Mắc ca", "Ngô ngọt", "Diện tích chè", "Lúa hàng hóa", "Ong mật"):
        assert other not in text, other
    prs = Presentation(io.BytesIO(exports["filtered"]))
    assert len(prs.slides) <= 12
    words = [len(t.split()) for t in texts]
    assert min(words) >= 12, words  # no nearly empty slide


def test_filtered_map_zooms_to_the_unit(ds, as_of) -> None:  # noqa: ANN001
    from nq05_metrics.export.slides import load_geo
    from tests.export.conftest import GEO

    deck = build_deck(ds, as_of, "110", "passion_fruit", geo=load_geo(GEO))
    spec = next(s for s in deck.slides if s.kind == "commodity").picture("map").map_spec
    assert spec.zoom and list(spec.labels) == ["110"]


@pytest.mark.parametrize(("year", "units"), [(2025, 8), (2026, 38)])
def test_the_deck_map_draws_the_units_that_report_the_year(ds, year: int, units: int) -> None:  # noqa: ANN001
    """From 2026 the commodity slide's map is the 38 communes (unlabelled: too many names for a
    slide), before it the 8 former districts with their names and %."""
    from nq05_metrics.export.slides import load_geo
    from tests.export.conftest import GEO

    deck = build_deck(ds, year, geo=load_geo(GEO))
    spec = next(s for s in deck.slides if s.key == "commodity:macadamia").picture("map").map_spec
    assert len(spec.boundaries) == units and spec.note  # the approximate-boundaries note
    assert set(spec.fill) <= set(spec.boundaries["code"])
    assert len(spec.fill) >= units - 8  # the units with figures are painted
    assert (len(spec.labels) == 8) == (year == 2025)


def test_a_view_of_the_same_files_read_again_builds_the_deck(ds) -> None:  # noqa: ANN001
    """The app caches views by the files' fingerprint: after a restore that rewrites identical
    bytes the folder is read again (a new Dataset object) and the cached view still belongs to
    it; only a view of other data is refused."""
    from dataclasses import replace

    from nq05_metrics import api
    from nq05_metrics.export.slides import build_view
    from nq05_metrics.loader import load_dataset
    from tests.export.conftest import DATA

    again = load_dataset(DATA)
    assert again is not ds and again.fingerprint == ds.fingerprint
    view = build_view(again, 2025, view=api.View(ds, 2025, "12", None))
    assert len(view.rows)
    other = replace(again, fingerprint="other")
    with pytest.raises(ValueError):
        build_view(other, 2025, view=api.View(ds, 2025, "12", None))
