"""Metrics engine and loader on synthetic commune-scale data, one subprocess per size.

``python -m bench.engine metrics ROWS`` / ``python -m bench.engine loader ROWS`` print
one JSON object. Run in a fresh process so that ``ru_maxrss`` is the peak of that size alone.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402


def _rss_mb() -> float:
    """Current resident set size (MB) from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_metrics(rows: int, repeats: int) -> dict[str, object]:
    """Time ``metrics.status_table`` (province + every commune, all indicators) and the display
    labelling of ``api.status`` on ``rows`` synthetic observation rows."""
    import pandas as pd

    from nq05_metrics import api, metrics
    from nq05_metrics.loader import Dataset
    from nq05_metrics.units import build_registry

    t0 = time.perf_counter()
    syn = synthetic.generate(rows)
    gen_s = time.perf_counter() - t0
    codes = ["12", *syn.commune_codes]
    args = (syn.indicators, syn.observations, synthetic.in_force(syn), syn.bands, syn.as_of, codes,
            syn.commune_codes)
    rss_before = _rss_mb()
    walls, cpus = [], []
    for _ in range(repeats + 1):  # the first call warms pandas/pyarrow kernels; reported apart
        w, c = time.perf_counter(), time.process_time()
        table = metrics.status_table(*args)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    maxrss = _maxrss_mb()
    ds = Dataset(syn.indicators, syn.observations, syn.plans, syn.targets, pd.DataFrame(),
                 syn.bands, syn.commodities, syn.qualities, build_registry(syn.units), ROOT, "")
    label_s = []
    for _ in range(repeats):
        w = time.perf_counter()
        api._labelled(ds, table)
        label_s.append(time.perf_counter() - w)
    tracemalloc.start()
    metrics.status_table(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": int(len(syn.observations)), "units": len(codes),
        "indicators": len(syn.indicators), "status_rows": int(len(table)),
        "generate_s": gen_s, "first_call_s": walls[0],
        "status_table_s": statistics.median(walls[1:]), "status_table_cpu_s":
        statistics.median(cpus[1:]), "all_s": walls[1:],
        "labels_s": statistics.median(label_s),
        "rss_before_mb": rss_before, "maxrss_mb": maxrss,
        "tracemalloc_peak_mb": peak / 2**20,
    }


def run_loader(rows: int) -> dict[str, object]:
    """Time ``loader.read_table('observations', …)`` on the CSV bytes of ``rows`` rows."""
    from nq05_metrics import loader
    from nq05_metrics.units import build_registry

    syn = synthetic.generate(rows)
    raw = synthetic.observations_csv(syn)
    registry = build_registry(syn.units)
    rss_before = _rss_mb()
    w, c = time.perf_counter(), time.process_time()
    frame, problems = loader.read_table("observations", raw, units=registry,
                                        indicators=syn.indicators, file_label="observations.csv")
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    maxrss = _maxrss_mb()
    errors = [p for p in problems if p.is_error]
    base_wall, base_cpu = _bare_csv_parse(raw)
    return {"rows": int(len(syn.observations)), "csv_mb": len(raw) / 2**20,
            "read_table_s": wall, "read_table_cpu_s": cpu, "rows_read": int(len(frame)),
            "errors": len(errors), "rss_before_mb": rss_before, "maxrss_mb": maxrss,
            "bare_arrow_csv_s": base_wall, "bare_arrow_csv_cpu_s": base_cpu,
            "ratio_to_bare_cpu": cpu / base_cpu if base_cpu else None}


def _bare_csv_parse(raw: bytes) -> tuple[float, float]:
    """Baseline in the same process: ``pyarrow.csv.read_csv`` of the same bytes, every column
    as text, no checks (the least any CSV reader must do); wall and CPU seconds."""
    import io

    import pyarrow as pa
    import pyarrow.csv as pa_csv

    names = raw.split(b"\n", 1)[0].decode("utf-8-sig").split(",")
    w, c = time.perf_counter(), time.process_time()
    pa_csv.read_csv(io.BytesIO(raw), convert_options=pa_csv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False))
    return time.perf_counter() - w, time.process_time() - c


def measure(part: str, rows: int, *, timeout: float, repeats: int = 3) -> dict[str, object]:
    """Run one measurement in a fresh interpreter; ``{"timeout": s}`` when it takes too long."""
    cmd = [sys.executable, "-m", "bench.engine", part, str(rows), "--repeats", str(repeats)]
    try:
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                             check=True)
    except subprocess.TimeoutExpired:
        return {"rows": rows, "timeout_s": timeout}
    except subprocess.CalledProcessError as err:
        return {"rows": rows, "error": err.stderr[-2000:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    part, rows = argv[0], int(argv[1])
    repeats = int(argv[argv.index("--repeats") + 1]) if "--repeats" in argv else 3
    if part == "metrics":
        result = run_metrics(rows, repeats)
    else:
        result = run_loader(rows)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
