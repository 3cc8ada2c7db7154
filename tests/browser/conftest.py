"""Shared fixtures of the real-browser tests: one headless Chromium and one running app for the
whole session (modules that need their own data start their own app)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live import chromium, running_app


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright, started once per session (skips without it)."""
    pytest.importorskip("playwright.sync_api")
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The app on the default data, started once per session: its URL."""
    with running_app() as url:
        yield url
