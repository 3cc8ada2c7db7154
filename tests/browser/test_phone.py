"""Every page as a visitor opens it from a chat link — on a phone (390×844, touch, scale 2), on
a tablet (presentation) and on the desktop (1440×900) — in headless Chromium:

- axe-core (the npm package in this folder) finds no serious or critical violation;
- no request leaves the machine (every request to another host is recorded and aborted);
- on the phone the sidebar is closed, nothing makes the page scroll sideways, the indicator
  table is a card list, the first KPI card is inside the first screen, the filters are one tap
  away at the top and a choice there leaves the sidebar closed;
- on the desktop the sidebar stays open and a keyboard focus on a navigation link is outlined;
- the map shows the whole province (no coloured pixel on the map's edges) at both sizes.

First screens are saved as PNG in ``$NQ05_SCREENSHOTS`` or a temporary folder (printed with ``-s``).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from audit import (
    AXE,
    DESKTOP,
    PAGES,
    PHONE,
    axe_violations,
    first_kpi_top,
    overflowing,
    serious,
    sidebar_open,
    wait_rendered,
)
from live import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at "
                       "/usr/bin/chromium (apt-get install chromium)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: run `npm ci` in "
                       "tests/browser (scripts/test.sh does)"),
]
TABLET = {"viewport": {"width": 1024, "height": 768}, "device_scale_factor": 2,
          "is_mobile": True, "has_touch": True}
SIZES = {"phone": PHONE, "desktop": DESKTOP, "tablet": TABLET}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
#: what may scroll sideways inside its own frame by design: the data grid (a canvas table of
#: the Data, Method, Map and district pages) and a row of tabs (with its scroll arrow)
BY_DESIGN = ("stDataFrameGlideDataEditor", "tablist ")


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the first screens go: ``$NQ05_SCREENSHOTS`` if set, else a temporary folder."""
    folder = Path(os.environ.get("NQ05_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def contexts(browser):  # noqa: ANN001, ANN201 (Playwright objects)
    """One browser context per size, each recording (and aborting) requests to other hosts."""
    made, outside = {}, {}
    for size, options in SIZES.items():
        context = browser.new_context(**options)
        outside[size] = []

        def guard(route, request, seen=outside[size]) -> None:  # noqa: ANN001
            parts = urlsplit(request.url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
                seen.append(request.url)
                route.abort()
            else:
                route.continue_()

        context.route("**/*", guard)
        made[size] = context
    yield made, outside
    for context in made.values():
        context.close()


def _open(contexts, size: str, path: str, server: str):  # noqa: ANN001, ANN202
    made, _ = contexts
    page = made[size].new_page()
    page.set_default_timeout(90_000)  # a loaded machine draws WebGL slowly
    page.goto(server + path)
    wait_rendered(page)
    if path.startswith("/ban-do"):
        page.locator("canvas:visible").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1_000)
    return page


CASES = [(size, name) for size in ("phone", "desktop") for name in PAGES]
CASES.append(("tablet", "presentation"))


@pytest.mark.parametrize(("size", "name"), CASES, ids=[f"{s}-{n}" for s, n in CASES])
def test_page_is_accessible_local_and_fits(server: str, contexts, shots: Path, size: str,
                                           name: str) -> None:  # noqa: ANN001
    page = _open(contexts, size, PAGES[name], server)
    try:
        page.screenshot(path=str(shots / f"{size}-{name}.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
        bad = serious(axe_violations(page))
        assert bad == [], [(v["id"], v["impact"], v["nodes"][:3]) for v in bad]
        assert contexts[1][size] == [], f"requests to other hosts: {contexts[1][size]}"
        wide = [o for o in overflowing(page) if not any(ok in o for ok in BY_DESIGN)]
        if name == "map":
            _shows_the_whole_province(page, size)
        if size == "desktop":
            if name != "presentation":  # the presentation page closes it (full screen)
                assert sidebar_open(page)  # the desktop keeps its sidebar
            if name == "overview":
                _focus_is_visible(page)
            return
        assert not sidebar_open(page)
        assert wide == [], f"wider than the screen: {wide}"
        if name != "presentation":  # the presentation page has its own slide controls
            assert page.locator(".st-key-nq_filterbar button").first.is_visible()
        if page.locator(".nq-t").count():  # the indicator table is a card list on a phone
            assert not page.locator(".nq-t").first.is_visible()
            assert page.locator(".nq-cards details").first.is_visible()
        if name == "overview":
            _first_kpi_in_first_screen(page)
    finally:
        page.close()


def _focus_is_visible(page) -> None:  # noqa: ANN001
    """Tabbing from the top reaches the navigation links, and the focused link has a solid
    outline of at least 2 px (not only a faint background)."""
    page.locator("body").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return {nav: !!e.closest('[data-testid="stSidebarNav"]'), style: s.outlineStyle,
                    width: parseFloat(s.outlineWidth)}; }""")
        if focused["nav"]:
            assert focused["style"] == "solid" and focused["width"] >= 2, focused
            return
    raise AssertionError("no navigation link took the keyboard focus")


def _first_kpi_in_first_screen(page) -> None:  # noqa: ANN001
    """The first KPI card's figure is inside the first phone screen, two cards side by side."""
    box = page.locator('[data-testid="stMetric"]').first.bounding_box()
    assert first_kpi_top(page) is not None and box is not None
    assert box["y"] + box["height"] <= PHONE["viewport"]["height"], box
    second = page.locator('[data-testid="stMetric"]').nth(1).bounding_box()
    assert second is not None and abs(second["y"] - box["y"]) < 2


def test_phone_filter_bar_changes_the_view_and_the_sidebar_stays_closed(
        server: str, contexts) -> None:  # noqa: ANN001
    page = _open(contexts, "phone", "/", server)
    try:
        page.locator(".st-key-nq_filterbar button").first.click()
        unit = page.get_by_role("combobox", name="Địa bàn")
        unit.wait_for(timeout=10_000)
        unit.click()
        page.get_by_role("option", name="Than Uyên").click()
        page.get_by_text("Than Uyên").first.wait_for(timeout=30_000)
        wait_rendered(page)
        assert "unit=110" in page.url
        assert not sidebar_open(page)
        assert page.get_by_role("combobox", name="Địa bàn").count() == 0 or \
            not page.get_by_role("combobox", name="Địa bàn").first.is_visible()  # closed
        assert "Than Uyên" in page.locator(".st-key-nq_filterbar button").first.inner_text()
        assert "Than Uyên" in page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]'
                                           ).first.inner_text()
    finally:
        page.close()


def _edge_is_blank(png: bytes, frame: int = 3) -> tuple[bool, int]:
    """True when the outermost ``frame`` px of a map screenshot hold no coloured pixel (nothing
    of the province is cut off), and how many coloured pixels the map holds at all."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()

    def coloured(x: int, y: int) -> bool:
        r, g, b = pixels[x, y]
        return max(r, g, b) - min(r, g, b) > 40 or max(r, g, b) < 120

    edge = [(x, y) for x in range(width) for y in (*range(frame), *range(height - frame, height))]
    edge += [(x, y) for y in range(height) for x in (*range(frame), *range(width - frame, width))]
    inside = sum(coloured(x, y) for x in range(0, width, 4) for y in range(0, height, 4))
    return not any(coloured(x, y) for x, y in edge), inside


def _shows_the_whole_province(page, size: str) -> None:  # noqa: ANN001
    """The visible map lies inside the screen and no coloured pixel touches its edges (nothing
    of the province is cut off); the text twin under it names every district with its band."""
    deck = page.locator('[data-testid="stDeckGlJsonChart"]:visible').first
    box = deck.bounding_box()
    assert box is not None and box["x"] >= 0
    assert box["x"] + box["width"] <= page.viewport_size["width"]
    blank_edges, inside = _edge_is_blank(deck.screenshot(animations="disabled"))
    assert inside > 500  # the province is drawn
    assert blank_edges  # ... and nothing of it is cut off at the map's edges
    table = page.locator(".nq-cards" if size == "phone" else ".nq-t").first
    assert "Mường Tè" in table.inner_text() and "Đạt" in table.inner_text()
