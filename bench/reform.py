"""Pages across the reform: warm reruns at 2025 (8 former districts) and at 2026 (38 communes),
and the map's payload as sent, in one run.

``python -m bench.reform``. Each (page, year): a fresh AppTest session with ``?year=Y`` in the
URL, the page switched to and run once, then ``repeats`` timed reruns (median, ms). The baseline
is ``bench/apps/baseline.py`` (data load + filter bar, no page body) timed the same way, so
``ratio = page / baseline``. ``map_deck_bytes``: length of the pydeck JSON the map page sends
(the ``deck.gl`` spec in the element), for the province at 2025 and 2026.
"""

from __future__ import annotations

import json
import os
import statistics
import time

from bench.app_bench import APP, BASELINE, _session, _timed_reruns

PAGES = ["overview", "map", "district", "trends"]
YEARS = ["2025", "2026"]


def _deck_bytes(at) -> int:  # noqa: ANN001 (AppTest)
    """Bytes of the pydeck spec sent by the page (0 when there is none)."""
    specs = [el.proto.json for el in at.get("deck_gl_json_chart")]
    return sum(len(s.encode("utf-8")) for s in specs)


def measure(repeats: int = 5) -> dict[str, object]:
    """Median warm rerun per page × year, the baseline, ratios and the map payload."""
    import logging

    for name in ("streamlit", "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)
    base = _session(BASELINE, None, {"year": "2025"})
    _timed_reruns(base, 2)
    baseline_ms = 1000 * statistics.median(_timed_reruns(base, repeats))
    out: dict[str, object] = {"baseline_ms": round(baseline_ms, 1), "repeats": repeats,
                              "load": os.getloadavg(), "pages": {}, "map_deck_bytes": {}}
    for page in PAGES:
        for year in YEARS:
            at = _session(APP, page, {"year": year})
            _timed_reruns(at, 1)
            ms = 1000 * statistics.median(_timed_reruns(at, repeats))
            out["pages"][f"{page}@{year}"] = {"ms": round(ms, 1),  # type: ignore[index]
                                              "ratio": round(ms / baseline_ms, 2)}
            if page == "map":
                out["map_deck_bytes"][year] = _deck_bytes(at)  # type: ignore[index]
    return out


if __name__ == "__main__":
    start = time.perf_counter()
    result = measure()
    result["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(result, indent=1))
