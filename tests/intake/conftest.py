"""Fixtures of the intake tests: a copy of the shipped data folder (the real registry)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of ``data/`` (16 indicators, the province and 8 former districts)."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns(".history", "README.md"))
    return target
