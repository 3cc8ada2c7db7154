"""AppTest smoke + interaction test of pages/presentation.py."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "presentation.py")


def test_page_runs_and_next_changes_slide() -> None:
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception
    first = at.title[0].value
    assert "slide" not in at.query_params  # slide 1 is implied; writing it on load loses the page
    next(b for b in at.button if b.key == "pres_next").click().run()
    assert not at.exception
    assert at.title[0].value != first
    assert str(at.query_params["slide"]).strip("[]'") == "2"


def test_link_with_slide_number_opens_that_slide() -> None:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["slide"] = "4"
    at.run()
    assert not at.exception
    assert any("4/" in str(p.value) or "4/" in str(getattr(p, "text", "")) for p in at.get("progress"))


def test_meeting_fields_reach_the_title_slide_and_tasks() -> None:
    """The conference, place and tasks typed on the page are on the deck it shows."""
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.text_input(key="pres_conf").input("Hội nghị tổng kết NQ 05 tại Lai Châu").run()
    at.text_input(key="pres_place").input("Hội trường tỉnh").run()
    at.text_area(key="pres_tasks").input("Rà soát vùng nguyên liệu\nHoàn thiện chính sách").run()
    assert not at.exception
    shown = [s.value for s in at.subheader]
    assert "Hội nghị tổng kết NQ 05 tại Lai Châu" in shown
    assert any(v.startswith("Hội trường tỉnh, ") for v in shown)
    assert any("DOCX" in str(el.proto) for el in at.get("download_button"))
