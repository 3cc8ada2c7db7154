"""Shared fixtures of the real-browser tests: a headless Chromium per module and one running app
for the whole session (modules that need their own data start their own app)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live import chromium, running_app


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright, one per module (skips without it). Not one per
    session: Playwright's sync API keeps an event loop running in the main thread while it is
    open, and later tests that call ``asyncio.run`` (tests/deploy) would fail."""
    pytest.importorskip("playwright.sync_api")
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The app on the default data, started once per session: its URL."""
    with running_app() as url:
        yield url
