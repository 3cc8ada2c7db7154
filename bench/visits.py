"""What a visit costs the server: protocol-level visitors (``bench/stclient.py``) on the dashboard
and on ``bench/apps/hello_select.py`` (one sidebar select box), measured in the same run.

Both servers are started side by side (loopback), each warmed by two visits; then, alternately:

* **sequential** visits (one at a time): server CPU per visit (utime + stime of the server
  process from ``/proc/<pid>/stat``, Δ over the visits ÷ visits), p50/p95 of the first run and of
  the filter-change rerun (seconds, client side, websocket included), bytes received;
* **bursts** of N simultaneous visitors (the hall opening the link at once): p50/p95 first run
  and rerun, wall time of the burst, CPU per visit, errors.

Every figure of the dashboard is also given as a ratio to hello's. ``rush`` (used by ``python -m
bench --only rush``) is the meeting rush: visits arriving evenly over a period against
``deploy/run_local.sh`` with 1 and 2 replicas, a replica killed and restarted mid-run.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
HELLO = Path(__file__).resolve().parent / "apps" / "hello_select.py"
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A free loopback port, or the next one from ``$NQ05_BENCH_PORT`` when set."""
    base = os.environ.get("NQ05_BENCH_PORT")
    if base:
        port = int(base)
        os.environ["NQ05_BENCH_PORT"] = str(port + 1)
        return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB."""
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines()
                if x.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


def start(script: Path, port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``streamlit run script`` on 127.0.0.1:``port``; returns once ``/_stcore/health`` answers."""
    from scripts.warm_up import wait_until_up

    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{port}", 90, poll=0.1, alive=lambda: proc.poll() is None)
    return proc


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 10 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def pct(values: list[float], q: float) -> float | None:
    """The q-quantile (0–1) of ``values`` by the nearest-rank rule; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def summarise(results: list, wall_s: float, cpu: float | None = None) -> dict[str, object]:
    """p50/p95 of first run and rerun, errors, bytes, throughput (visits/s) of a batch."""
    first = [r.first_run_s for r in results if r.first_run_s is not None and r.error is None]
    rerun = [r.rerun_s for r in results if r.rerun_s is not None and r.error is None]
    out: dict[str, object] = {
        "visits": len(results), "errors": sum(r.error is not None for r in results),
        "first_p50_s": pct(first, 0.5), "first_p95_s": pct(first, 0.95),
        "rerun_p50_s": pct(rerun, 0.5), "rerun_p95_s": pct(rerun, 0.95),
        "wall_s": wall_s, "visits_per_s": len(first) / wall_s if wall_s else None,
        "reconnects": sum(r.reconnects for r in results),
        "kb_first": statistics.median([r.bytes_first for r in results]) / 1024 if results else None,
        "kb_rerun": statistics.median([r.bytes_rerun for r in results]) / 1024 if results else None,
        "deltas_first": statistics.median([r.deltas_first for r in results]) if results else None,
    }
    if cpu is not None:
        out["cpu_per_visit_s"] = cpu / len(results) if results else None
    errors = [r.error for r in results if r.error]
    if errors:
        out["first_error"] = errors[0]
    return out


async def _many(base: str, n: int, query: str = "") -> list:
    from bench.stclient import visit

    return list(await asyncio.gather(*(visit(base, query) for _ in range(n))))


async def _sequential(base: str, n: int) -> list:
    from bench.stclient import visit

    return [await visit(base) for _ in range(n)]


def batch(base: str, pid: int, n: int, simultaneous: bool) -> dict[str, object]:
    """``n`` visits on ``base`` (one after another, or all at once), with the server's CPU."""
    c0, t0 = cpu_s(pid), time.perf_counter()
    results = asyncio.run(_many(base, n) if simultaneous else _sequential(base, n))
    wall = time.perf_counter() - t0
    time.sleep(0.3)  # the server finishes its bookkeeping of the closed sessions
    return summarise(results, wall, cpu_s(pid) - c0)


def _merge(a: dict[str, object], b: dict[str, object]) -> dict[str, object]:
    """Two rounds of the same batch: visits/errors/wall added, the rest averaged."""
    out: dict[str, object] = {}
    for k, v in a.items():
        w = b.get(k)
        if k in ("visits", "errors", "reconnects", "wall_s"):
            out[k] = v + w  # type: ignore[operator]
        elif isinstance(v, (int, float)) and isinstance(w, (int, float)):
            out[k] = (v + w) / 2
        else:
            out[k] = v if v is not None else w
    return out


def ratios(app: dict[str, object], hello: dict[str, object]) -> dict[str, float | None]:
    """app / hello for every timing and the CPU per visit."""
    keys = ("cpu_per_visit_s", "first_p50_s", "first_p95_s", "rerun_p50_s", "rerun_p95_s")
    return {k: (app[k] / hello[k] if isinstance(app.get(k), (int, float))  # type: ignore[operator]
                and hello.get(k) else None) for k in keys}


def measure(quick: bool = False, env: dict[str, str] | None = None) -> dict[str, object]:
    """Sequential visits and bursts on the dashboard and hello, side by side."""
    seq = 6 if quick else 12
    bursts = [10] if quick else [20, 40]
    procs = {"app": start(ROOT / "app.py", free_port(), env), "hello": start(HELLO, free_port()),
             "hello_frozen": start(HELLO, free_port(), {"NQ05_HELLO_FREEZE": "1"})}
    bases = {name: f"http://127.0.0.1:{p.args[p.args.index('--server.port') + 1]}"
             for name, p in procs.items()}
    try:
        rss0 = {name: rss_mb(p.pid) for name, p in procs.items()}
        for name in procs:  # warm: the first run of a fresh server fills the caches
            asyncio.run(_sequential(bases[name], 2))
        out: dict[str, object] = {"load_avg_start": os.getloadavg(), "sequential_visits": seq}
        runs: dict[str, dict[str, object]] = {name: {} for name in procs}
        for _ in range(2):  # two rounds, interleaved, so both see the same machine load
            for name, p in procs.items():
                one = batch(bases[name], p.pid, seq // 2, simultaneous=False)
                prev = runs[name].get("sequential")
                runs[name]["sequential"] = _merge(prev, one) if prev else one  # type: ignore[arg-type]
        for n in bursts:
            for name in ("app", "hello"):
                p = procs[name]
                runs[name][f"burst_{n}"] = batch(bases[name], p.pid, n, simultaneous=True)
        for name, p in procs.items():
            runs[name]["rss_mb_start"] = rss0[name]
            runs[name]["rss_mb_end"] = rss_mb(p.pid)
        out.update(runs)
        out["ratio"] = {part: ratios(runs["app"][part], runs["hello"][part])  # type: ignore[arg-type]
                        for part in runs["app"] if part.startswith(("sequential", "burst"))}
        out["ratio_to_frozen_hello"] = ratios(runs["app"]["sequential"],  # type: ignore[arg-type]
                                              runs["hello_frozen"]["sequential"])  # type: ignore[arg-type]
        out["load_avg_end"] = os.getloadavg()
        return out
    finally:
        for p in procs.values():
            stop(p)


def report(res: dict[str, object]) -> None:
    """Print the visit figures with their ratios to hello."""
    if "app" not in res:
        print(f"\nvisits: {res}")
        return
    hf = res.get("hello_frozen", {}).get("sequential")  # type: ignore[union-attr]
    print(f"\nprotocol-level visits (open + one year change), load {res['load_avg_start']}")
    for part in res["ratio"]:  # type: ignore[union-attr]
        a, h, r = res["app"][part], res["hello"][part], res["ratio"][part]  # type: ignore[index]
        print(f"  {part:11s} app: cpu/visit {a['cpu_per_visit_s']:.3f} s, first p50/p95 "
              f"{a['first_p50_s']:.2f}/{a['first_p95_s']:.2f} s, rerun p50/p95 "
              f"{a['rerun_p50_s']:.2f}/{a['rerun_p95_s']:.2f} s, errors {a['errors']}")
        print(f"  {'':11s} hello: cpu/visit {h['cpu_per_visit_s']:.3f} s, first p50/p95 "
              f"{h['first_p50_s']:.2f}/{h['first_p95_s']:.2f} s, rerun p50/p95 "
              f"{h['rerun_p50_s']:.2f}/{h['rerun_p95_s']:.2f} s, errors {h['errors']}")
        print(f"  {'':11s} ratio: " + ", ".join(
            f"{k} ×{v:.2f}" for k, v in r.items() if v is not None))
    if hf:
        rf = res["ratio_to_frozen_hello"]  # type: ignore[index]
        print(f"  hello with its heap frozen too (sequential): cpu/visit "
              f"{hf['cpu_per_visit_s']:.3f} s → app ×{rf['cpu_per_visit_s']:.2f}, first p50 "
              f"×{rf['first_p50_s']:.2f}, rerun p50 ×{rf['rerun_p50_s']:.2f}")


if __name__ == "__main__":
    import json

    print(json.dumps(measure("--quick" in sys.argv), indent=1, default=str))
