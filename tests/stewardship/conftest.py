"""Fixtures of the stewardship tests: a fresh valid data folder per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import write_dataset


@pytest.fixture
def ds_dir(tmp_path: Path) -> Path:
    """A valid data folder (tests/builders.write_dataset) in the test's temp folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    return write_dataset(folder)
