"""nq05_metrics: the pure core of the NQ 05-NQ/TU dashboard (no Streamlit).

Read and validate the data (``loader``), compute achievement, status, schedule and projection
(``metrics``, ``aggregate``), write the review paragraph (``narrative``), geography (``geo``),
charts and exports. ``api`` is the one entry point pages, exports and the CLI share.

The version has one home, ``pyproject.toml`` (``[project] version``): read from it here, or from
the installed package's metadata when the package runs without its source tree.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path


def _version() -> str:
    """``[project] version`` of the repository's pyproject.toml, else the installed metadata."""
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    try:
        with pyproject.open("rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        try:
            return metadata.version("nq05-dashboard")
        except metadata.PackageNotFoundError:
            return "unknown"


__version__ = _version()
