"""The core package never imports Streamlit (parsed with ast, not by importing)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "nq05_metrics"


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_does_not_import_streamlit(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "streamlit" not in imported, f"{path} imports streamlit"


def test_purity_check_sees_all_core_modules() -> None:
    assert len(list(CORE.rglob("*.py"))) >= 8


DEV_ONLY = "vietnamadminunits"  # requirements-dev.txt: only to rebuild the default boundaries


def test_the_app_and_the_cli_run_without_the_dev_only_package(tmp_path: Path) -> None:
    """With the package made unimportable, the core, the dashboard's modules and the command
    line work; rebuilding the default boundaries says which package to install."""
    import subprocess
    import sys

    code = f"""
import sys
sys.modules[{DEV_ONLY!r}] = None  # any import of it now raises ImportError
from nq05_metrics import cli
import dashboard.loaders, dashboard.maps, dashboard.tables, nq05_metrics.export.slides
import nq05_metrics.geo.layers, nq05_metrics.geo.io
assert cli.main(["--data-dir", "data", "summary", "--as-of", "2023"]) == 0
assert cli.main(["geo", "build-default", "--geo-dir", {str(tmp_path)!r}]) == 1
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=CORE.parent, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "requirements-dev.txt" in done.stderr and DEV_ONLY in done.stderr
