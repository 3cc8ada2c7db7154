"""Export timings as a user costs them: the whole ``python -m nq05_metrics export`` process for
the full deck (province, all commodities, as of 2025: every slide kind) as PPTX, PDF and the Word
appendix, interleaved with a baseline process that only imports the export code, so both see
the same machine load; the 1-minute load average is recorded beside every figure.

``python -m bench.exports [--repeats N]`` prints JSON; ``make bench`` includes it.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("pptx", "pdf", "docx")
BUDGET_S = {"pptx": 10.0, "pdf": 10.0, "docx": 3.0}
AS_OF = "2025"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(args: list[str]) -> tuple[float, float, int, str, float]:
    """(wall seconds, 1-min load average at the start, exit code, stderr tail, CPU seconds of
    the process and the helpers it waited for) of a process."""
    load = os.getloadavg()[0]
    cpu = _cpu()
    start = time.perf_counter()
    run = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    return (time.perf_counter() - start, load, run.returncode, (run.stderr or "")[-800:],
            _cpu() - cpu)


def run(repeats: int = 2) -> dict[str, object]:
    """Median process time per format, the import-only baseline measured before each run, the
    ratio format / baseline, and the load average beside each run."""
    out: dict[str, object] = {"as_of": AS_OF, "budget_s": BUDGET_S}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in FORMATS:
            runs, bases = [], []
            for _ in range(repeats):
                base = _timed(["-c", "import nq05_metrics.export.slides, nq05_metrics.export."
                                     f"{fmt}, nq05_metrics.cli"])
                bases.append(base[0])
                target = str(Path(tmp) / f"deck.{fmt}")
                secs, load, code, err, cpu = _timed(["-m", "nq05_metrics", "export", fmt, "--as-of",
                                                AS_OF, "--base-url", "https://nq05.example.vn",
                                                "-o", target])
                if code:
                    out[fmt] = {"error": err}
                    break
                runs.append({"process_s": round(secs, 2), "cpu_s": round(cpu, 2),
                             "load_avg_1m": round(load, 2), "baseline_s": round(base[0], 2),
                             "baseline_cpu_s": round(base[4], 2)})
            else:
                median = statistics.median(r["process_s"] for r in runs)
                base = statistics.median(bases)
                out[fmt] = {"process_s": median, "baseline_import_s": round(base, 2),
                            "cpu_s": statistics.median(r["cpu_s"] for r in runs),
                            "ratio_to_baseline": round(median / base, 1), "runs": runs,
                            "bytes": Path(target).stat().st_size,
                            "within_budget": median <= BUDGET_S[fmt]}
    return out


def main(argv: list[str]) -> int:
    repeats = int(argv[argv.index("--repeats") + 1]) if "--repeats" in argv else 2
    print(json.dumps(run(repeats), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
