"""Import of a five-year report form (``python -m bench.intake``): the province form by year
(16 indicators × 5 years, letterhead, merged two-row header, sections, signature) through
``intake.plan_import`` against a copy of ``data/``, median of repeats, interleaved with a baseline
measured in the same run: ``loader.read_files`` of the same data folder. ``plan_import_s``: the
command's case (the plan reads the folder itself); ``plan_import_warm_s``: the Data page's case
(the app's cached folder read handed in). Prints JSON; the load average at start and end."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main(repeats: int = 7) -> dict[str, object]:
    import report_forms as forms

    from nq05_metrics import loader, stewardship
    from nq05_metrics.intake import plan_import

    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".history"))
        frames, _ = loader.read_files(loader.file_bytes(data))
        ind = frames["indicators"]
        rows = [(n, [100.0 * (i + 1) + y for y in range(5)], m)
                for i, (n, m) in enumerate(zip(ind["name_vi"], ind["unit"], strict=True))]
        raw = forms.wide_by_year(rows, [2021, 2022, 2023, 2024, 2025], measure=None)
        _, current = stewardship.folder_read(data)
        plan_times, warm_times, base_times = [], [], []
        for _ in range(repeats):
            start = time.perf_counter()
            loader.read_files(loader.file_bytes(data))
            base_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            plan = plan_import(raw, "bieu01.xlsx", data)
            plan_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            plan_import(raw, "bieu01.xlsx", data, current=current)
            warm_times.append(time.perf_counter() - start)
        plan_s, base_s = statistics.median(plan_times), statistics.median(base_times)
        warm_s = statistics.median(warm_times)
        return {"form": "16 indicators × 5 years", "figures": int(plan.summary.get("rows", 0)),
                "bytes": len(raw), "plan_import_s": round(plan_s, 4),
                "plan_import_warm_s": round(warm_s, 4),
                "baseline_read_files_s": round(base_s, 4), "ratio": round(plan_s / base_s, 2),
                "warm_ratio": round(warm_s / base_s, 2),
                "budget_s": 1.0, "load_avg_start": load_start, "load_avg_end": os.getloadavg()}


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
