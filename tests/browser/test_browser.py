"""Real-browser test: the running app in headless Chromium (Debian's package) via Playwright.

Starts ``streamlit run app.py`` on a free port, opens the overview and the map page and checks
what a person sees: Vietnamese text, a map canvas, no error box.
"""

from __future__ import annotations

import time

import pytest
from live import CHROMIUM, running_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at "
                       "/usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def page(server: str, browser):  # noqa: ANN001, ANN201 (Playwright browser and page)
    return browser.new_page(viewport={"width": 1440, "height": 1000})


def _wait_idle(tab, timeout_s: float = 60) -> None:  # noqa: ANN001
    """Wait until the script run has finished (no 'running' status widget)."""
    end = time.time() + timeout_s
    while time.time() < end:
        if tab.locator('[data-testid="stStatusWidget"]').count() == 0:
            return
        time.sleep(0.3)


def test_overview_renders_vietnamese(server: str, page) -> None:  # noqa: ANN001
    page.goto(server + "/")
    page.get_by_text("Đạt và vượt").first.wait_for(timeout=90_000)
    _wait_idle(page)
    assert page.locator("h1").first.inner_text().startswith("Tổng quan")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "year=" in page.url  # the view is in the URL


def test_map_page_shows_a_canvas(server: str, page) -> None:  # noqa: ANN001
    page.goto(server + "/ban-do")
    page.locator("canvas").first.wait_for(timeout=90_000)
    _wait_idle(page)
    assert page.locator("canvas").count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0


def test_link_reproduces_view_in_english(server: str, page) -> None:  # noqa: ANN001
    page.goto(server + "/?lang=en&unit=110&year=2024")
    page.get_by_text("Met and exceeded").first.wait_for(timeout=90_000)
    _wait_idle(page)
    assert "Than Uyen" in page.locator('[data-testid="stMain"]').inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_presentation_keyboard_navigation(server: str, page) -> None:  # noqa: ANN001
    page.goto(server + "/trinh-chieu")
    page.get_by_text("Trang 1/").first.wait_for(timeout=90_000)
    _wait_idle(page)
    assert page.get_by_text("Page not found").count() == 0  # the link opens this page
    page.mouse.click(700, 700)  # focus the page, as a presenter's first click does
    page.keyboard.press("ArrowRight")
    page.get_by_text("Trang 2/").first.wait_for(timeout=30_000)
    page.keyboard.press("ArrowLeft")
    page.get_by_text("Trang 1/").first.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_first_visit_on_a_sub_page_link_has_no_page_not_found_dialog(browser) -> None:  # noqa: ANN001
    """A link to /xu-huong opened first thing after the server starts (as run.sh starts it:
    warmed up) shows the trends page and no "Page not found" dialog (streamlit#9992)."""
    with running_app() as url:
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        tab.goto(url + "/xu-huong")
        tab.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        _wait_idle(tab)
        tab.wait_for_timeout(1_500)
        assert "Xu hướng so với mục tiêu" in tab.inner_text('[data-testid="stMain"] h1')
        assert tab.get_by_text("Page not found").count() == 0
