"""Warm rerun time of every page, server side, through ``streamlit.testing.v1.AppTest``.

Each page: a fresh AppTest session runs the app once (caches filled), switches to the page and
runs it once more, then ``repeats`` reruns are timed (median). The baseline is
``bench/apps/baseline.py`` — the same data load and sidebar filter widgets with no page body —
timed the same way in the same run, so ``ratio = page / baseline`` is the page's own cost over
what any page of this app pays for Streamlit, the AppTest harness and the filter bar.
``fresh_session_first_run_ms``: the first run of a new session (the overview) on a warm
server — what a new visitor's browser waits for on the server side.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
BASELINE = Path(__file__).resolve().parent / "apps" / "baseline.py"
PAGES = ["overview", "map", "trends", "district", "commodity", "data", "presentation", "method"]


def _timed_reruns(at, repeats: int) -> list[float]:  # noqa: ANN001 (AppTest)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return times


def _session(script: Path, page: str | None, params: dict[str, str] | None = None):  # noqa: ANN202
    """A warm AppTest session of ``script`` on ``page``, with ``params`` in the URL."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page and page != "overview":
        at.switch_page(f"pages/{page}.py")
        at.run()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return at


def measure(repeats: int = 7) -> dict[str, object]:
    """Median warm rerun (ms) per page and of the baseline, and the ratios."""
    import logging

    for name in ("streamlit", "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)  # "missing ScriptRunContext" noise
    pages = [p for p in PAGES if (ROOT / "pages" / f"{p}.py").exists()]
    base = _session(BASELINE, None)
    _timed_reruns(base, 2)
    baseline_ms = 1000 * statistics.median(_timed_reruns(base, repeats))
    out: dict[str, object] = {"baseline_ms": baseline_ms, "repeats": repeats, "pages": {}}
    for page in pages:
        try:
            at = _session(APP, page)
            _timed_reruns(at, 1)
            times = _timed_reruns(at, repeats)
        except Exception as err:  # noqa: BLE001 — report, do not stop the other figures
            out["pages"][page] = {"error": str(err)[:300]}
            continue
        ms = 1000 * statistics.median(times)
        out["pages"][page] = {"median_ms": ms, "max_ms": 1000 * max(times),
                              "ratio": ms / baseline_ms}
    # a visitor's first run: a fresh session on a server whose caches are already warm (the
    # server part of "page open → first KPI"; the warm reruns above are later clicks)
    from streamlit.testing.v1 import AppTest

    firsts = []
    for _ in range(repeats):
        at = AppTest.from_file(str(APP), default_timeout=120)
        start = time.perf_counter()
        at.run()
        firsts.append(time.perf_counter() - start)
    out["fresh_session_first_run_ms"] = 1000 * statistics.median(firsts)
    out["commune_scale"] = commune_scale(max(3, repeats // 2))
    # the baseline again at the end: the machine is shared, so report both ends
    out["baseline_end_ms"] = 1000 * statistics.median(_timed_reruns(base, repeats))
    return out


@contextmanager
def data_dir(folder: Path) -> Iterator[None]:
    """``$NQ05_DATA_DIR`` set to ``folder`` for the block, restored after."""
    before = os.environ.get("NQ05_DATA_DIR")
    os.environ["NQ05_DATA_DIR"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NQ05_DATA_DIR", None)
        else:
            os.environ["NQ05_DATA_DIR"] = before


def commune_scale(repeats: int = 3, rows: int = 100_000) -> dict[str, object]:
    """Warm reruns of every page on a synthetic commune-scale data folder (``rows`` observation
    rows, :func:`bench.synthetic.write_dataset`), loaded through ``$NQ05_DATA_DIR`` as a user's
    folder would be; ``first_run_s`` is the cold first run (load, validation, status)."""
    import tempfile

    from streamlit.testing.v1 import AppTest

    from bench import synthetic

    with tempfile.TemporaryDirectory() as tmp:
        folder = synthetic.write_dataset(synthetic.generate(rows), Path(tmp) / "data",
                                         ROOT / "data")
        with data_dir(folder):
            at = AppTest.from_file(str(APP), default_timeout=600)
            start = time.perf_counter()
            at.run()
            out: dict[str, object] = {"rows": rows, "first_run_s": time.perf_counter() - start,
                                      "errors": [e.value[:200] for e in at.error], "pages": {}}
            for page in PAGES:
                if page != "overview":
                    at.switch_page(f"pages/{page}.py")
                at.run()
                times = _timed_reruns(at, repeats)
                out["pages"][page] = {"median_ms": 1000 * statistics.median(times),
                                      "exceptions": len(at.exception)}
    return out
