"""docs/ARCHITECTURE.md names every module of the package, the dashboard and the pages, and
names nothing that is gone: a newcomer's map that cannot drift from the tree."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "ARCHITECTURE.md"


def documented_paths() -> set[str]:
    """Paths named in the first cell of the module tables; a table under a heading that names
    one folder (``### `dashboard/` …``) lists its files relative to that folder."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Every module", 1)[1].split("\n## ", 1)[0]
    folder = ""
    out: set[str] = set()
    for line in section.splitlines():
        if line.startswith("#"):
            spans = re.findall(r"`([^`]+)`", line)
            folders = [span for span in spans if span.endswith("/")]
            folder = folders[0] if len(folders) == 1 and spans[0] == folders[0] else ""
            continue
        if not line.startswith("| `"):
            continue
        first = re.split(r"(?<!\\)\|", line)[1]
        for name in re.findall(r"`([^`]+)`", first):
            out.add(name if "/" in name or not folder else folder + name)
    return out


def code_paths() -> set[str]:
    """Every Python module of ``nq05_metrics/``, ``dashboard/``, ``pages/`` and ``bench/``,
    ``app.py``, and every file of ``scripts/`` and ``deploy/`` except their READMEs."""
    found = {"app.py"}
    for top in ("nq05_metrics", "dashboard", "pages", "bench"):
        found |= {p.relative_to(ROOT).as_posix() for p in (ROOT / top).rglob("*.py")}
    for top in ("scripts", "deploy"):
        found |= {p.relative_to(ROOT).as_posix() for p in (ROOT / top).iterdir()
                  if p.is_file() and p.name != "README.md"}
    return found


def is_documented(path: str, documented: set[str]) -> bool:
    """Named itself, or inside a documented folder (``bench/apps/``)."""
    return any(path == d or (d.endswith("/") and path.startswith(d)) for d in documented)


def test_every_module_has_its_line() -> None:
    documented = documented_paths()
    missing = sorted(p for p in code_paths() if not is_documented(p, documented))
    assert not missing, f"modules missing from docs/ARCHITECTURE.md: {missing}"


def test_every_line_names_a_file_that_exists() -> None:
    gone = sorted(p for p in documented_paths() if not (ROOT / p).exists())
    assert not gone, f"docs/ARCHITECTURE.md names files that do not exist: {gone}"
