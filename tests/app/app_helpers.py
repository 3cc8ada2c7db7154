"""AppTest helpers: run the app (optionally on one page, with URL query parameters).

Not a conftest.py: other test modules import the root tests/conftest.py by name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ["overview", "map", "trends", "district", "commodity", "data", "method"]


def run_app(page: str | None = None, params: dict[str, str] | None = None,
            timeout: float = 60) -> AppTest:
    """A fresh session of the app: first load (with ``params`` in the URL), then ``page``."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page and page != "overview":
        at.switch_page(f"pages/{page}.py")
        at.run()
    return at


def texts(at: AppTest) -> str:
    """All visible text of markdown-ish elements, joined (for 'is it shown' checks)."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.title] + [e.value for e in at.header] + [e.value for e in at.subheader]
    parts += [e.value for e in at.error] + [e.value for e in at.warning] + [e.value for e in at.info]
    parts += [str(e.value) for e in at.code]
    return "\n".join(str(p) for p in parts)


def copy_data(tmp_path: Path) -> Path:
    """A writable copy of the default data folder."""
    dst = tmp_path / "data"
    shutil.copytree(ROOT / "data", dst)
    return dst
