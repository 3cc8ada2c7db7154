"""Shared fixture of the real-browser tests: one headless Chromium per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright, started once per module (skips without it)."""
    pytest.importorskip("playwright.sync_api")
    with chromium() as instance:
        yield instance
