"""AppTest smoke + interaction test of pages/presentation.py."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "presentation.py")


def test_page_runs_and_next_changes_slide() -> None:
    at = AppTest.from_file(PAGE, default_timeout=90).run()
    assert not at.exception
    first = at.title[0].value
    assert "slide" not in at.query_params  # slide 1 is implied; writing it on load loses the page
    next(b for b in at.button if b.key == "pres_next").click().run()
    assert not at.exception
    assert at.title[0].value != first
    assert str(at.query_params["slide"]).strip("[]'") == "2"


def test_link_with_slide_number_opens_that_slide() -> None:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.query_params["slide"] = "4"
    at.run()
    assert not at.exception
    assert any("4/" in str(p.value) or "4/" in str(getattr(p, "text", "")) for p in at.get("progress"))
