"""Root fixtures. Shared builders live in ``tests/builders.py`` (``from builders import …``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
for path in (TESTS.parent, TESTS):  # the project (nq05_metrics, dashboard) and the builders
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from builders import make_units  # noqa: E402

from nq05_metrics.units import UnitRegistry  # noqa: E402


@pytest.fixture
def units() -> UnitRegistry:
    """The small unit registry of the builders (province + three districts)."""
    return make_units()
