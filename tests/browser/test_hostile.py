"""Hostile text in the data files reaches people as text, never as markup or code.

A copy of ``data/`` gets ``<img src=x onerror=alert(1)>`` and ``<script>`` in indicator names
(``indicators.csv: name_vi``) and in observation sources and notes (``observations.csv``); the real
app (``streamlit run app.py``) is started on it and opened in headless Chromium (Debian's
``/usr/bin/chromium``, driven by Playwright). No dialog may fire, no ``img[src=x]`` may exist, and
the literal text must be visible where the page shows it as text.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from live import CHROMIUM, ROOT, running_app

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
LINK = "[x](javascript:alert(3))"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium (/usr/bin/chromium) absent"),
]


def _edit_csv(path: Path, change: Callable[[dict[str, str]], None]) -> None:
    """Rewrite a CSV in place, applying ``change`` to every row (a dict of cells)."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        change(row)
        writer.writerow(row)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _hostile_names(row: dict[str, str]) -> None:
    row["name_vi"] = f"{IMG} {row['name_vi']} {SCRIPT}"


def _hostile_sources(row: dict[str, str]) -> None:
    row["source"] = f"{IMG} {row['source']}"
    row["note"] = f"{SCRIPT} {LINK}"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".history"))
    _edit_csv(data / "indicators.csv", _hostile_names)
    _edit_csv(data / "observations.csv", _hostile_sources)
    with running_app({"NQ05_DATA_DIR": str(data)}) as url:
        yield url


def _open(browser: object, url: str) -> tuple[object, list[str]]:
    """Open ``url`` in a fresh page, recording every dialog; wait until the app has rendered."""
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []

    def on_dialog(dialog: object) -> None:
        dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(2_000)  # let charts and late elements mount
    return page, dialogs


def _assert_inert(page: object, dialogs: list[str]) -> None:
    assert dialogs == [], f"a dialog fired: {dialogs}"
    assert page.locator("img[src=x]").count() == 0  # type: ignore[attr-defined]
    assert page.locator('[data-testid="stMain"] script').count() == 0  # type: ignore[attr-defined]
    assert page.locator('a[href^="javascript:"]').count() == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["/", "/xu-huong"], ids=["overview", "trends"])
def test_hostile_text_shows_as_text(app_url: str, browser: object, path: str) -> None:
    page, dialogs = _open(browser, app_url + path)
    try:
        _assert_inert(page, dialogs)
        main = page.inner_text('[data-testid="stMain"]')  # type: ignore[attr-defined]
        assert IMG in main and SCRIPT in main
        assert page.get_by_text(IMG, exact=False).first.is_visible()  # type: ignore[attr-defined]
    finally:
        page.close()  # type: ignore[attr-defined]


def test_data_page_renders_hostile_tables_inertly(app_url: str, browser: object) -> None:
    page, dialogs = _open(browser, app_url + "/du-lieu")
    try:
        for tab in page.get_by_role("tab").all():  # type: ignore[attr-defined]
            tab.click()
            page.wait_for_timeout(500)  # type: ignore[attr-defined]
        _assert_inert(page, dialogs)
        # tables are drawn by the data grid (canvas): their text is not in the DOM
        assert page.locator('[data-testid="stDataFrame"]').count() >= 1  # type: ignore[attr-defined]
    finally:
        page.close()  # type: ignore[attr-defined]
