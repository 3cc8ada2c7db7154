"""Pages across the reform: warm reruns at 2025 (8 former districts) and at 2026 (38 communes),
and the map's payload as sent, in one run.

``python -m bench.reform``. Each (page, year): a fresh AppTest session with ``?year=Y`` in the
URL, the page switched to and run once, then ``repeats`` timed reruns (median, ms). The baseline
is ``bench/apps/baseline.py`` (data load + filter bar, no page body) timed the same way, so
``ratio = page / baseline``. ``map_deck_bytes``: length of the pydeck JSON the map page sends
(the ``deck.gl`` spec in the element), for the province at 2025 and 2026.

``decade``: the same pages on the shipped folder with every indicator for all 38 communes in
2026–2030 (:func:`decade_folder`, 38 × 16 × 5 = 3,040 commune rows beside the districts'
2021–2025), loaded through ``$NQ05_DATA_DIR``, at 2026 and 2030, against the same baseline.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.app_bench import APP, BASELINE, ROOT, _session, _timed_reruns, data_dir

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


def decade_folder(folder: Path, seed: int = 5) -> Path:
    """A copy of the shipped ``data/`` in ``folder`` whose observations hold, for every
    indicator and each of the 38 communes, 2026–2030 figures (illustrative): the province's
    2025 value ÷ 38 × a random factor in [0.5, 1.5], growing 4 % a year; the shipped 2026
    commune rows are replaced."""
    shutil.copytree(ROOT / "data", folder)
    obs = pd.read_csv(folder / "observations.csv", dtype=str, keep_default_na=False)
    units = pd.read_csv(folder / "units.csv", dtype=str, keep_default_na=False)
    communes = units.loc[units["unit_set"] == "commune_2025", "unit_code"].tolist()
    last = obs[(obs["year"] == "2025") & (obs["unit_code"] == "12")].set_index("indicator_id")
    rng = np.random.default_rng(seed)
    rows = []
    for ind, value in pd.to_numeric(last["value"]).items():
        for code in communes:
            share = value / len(communes) * rng.uniform(0.5, 1.5)
            rows += [{"indicator_id": ind, "unit_code": code, "year": str(y),
                      "value": f"{share * 1.04 ** (y - 2026):.1f}", "quality": "illustrative",
                      "source": "bench", "note": ""} for y in range(2026, 2031)]
    kept = obs[obs["year"].astype(int) < 2026]
    pd.concat([kept, pd.DataFrame(rows)]).to_csv(folder / "observations.csv", index=False)
    return folder


def decade(repeats: int = 5) -> dict[str, object]:
    """Warm reruns (median ms and ratio to the baseline measured first, on the same folder) of
    the overview, map and profile pages at 2026 and 2030 on :func:`decade_folder`."""
    out: dict[str, object] = {"pages": {}}
    with tempfile.TemporaryDirectory() as tmp, data_dir(decade_folder(Path(tmp) / "data")):
        base = _session(BASELINE, None, {"year": "2030"})
        _timed_reruns(base, 2)
        baseline_ms = 1000 * statistics.median(_timed_reruns(base, repeats))
        out["baseline_ms"] = round(baseline_ms, 1)
        for page in ("overview", "map", "district"):
            for year in ("2026", "2030"):
                at = _session(APP, page, {"year": year})
                _timed_reruns(at, 1)
                ms = 1000 * statistics.median(_timed_reruns(at, repeats))
                out["pages"][f"{page}@{year}"] = {  # type: ignore[index]
                    "ms": round(ms, 1), "ratio": round(ms / baseline_ms, 2),
                    "errors": len(at.exception) + len(at.error)}
    return out


if __name__ == "__main__":
    start = time.perf_counter()
    result = measure()
    result["decade"] = decade()
    result["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(result, indent=1))
