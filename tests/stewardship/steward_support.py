"""Helpers shared by the stewardship tests."""

from __future__ import annotations

from pathlib import Path

from builders import make_obs, obs_csv


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (recursively) by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def two_obs() -> bytes:
    """An observations table of three rows (one more than the default dataset)."""
    return obs_csv(make_obs(), make_obs(unit_code="12", value="7900"),
                   make_obs(year="2024", value="130"))
