"""The meeting rush: a hall of delegates opens the link within a minute.

``visits`` protocol-level visits (bench/stclient.py: open, first run, one year change, then the
tab stays open ``DWELL`` seconds as a delegate's does) start evenly over ``period`` seconds
against ``deploy/run_local.sh`` (HAProxy in front of the replicas), three times: 1 replica,
2 replicas, and 2 replicas with replica ``r1`` killed (SIGKILL) half-way and started again by the
supervisor. Reported per run: p50/p95 of the first run and of the year change (client side,
loopback: what the server takes plus the websocket), errors, tabs that were dropped and came
back on their view (``reconnects``, with p50/p95 of the time until the view was back),
throughput (completed visits ÷ time from the first start to the last end, dwell excluded) and,
without the restart, the replicas' CPU per visit.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DWELL = 10.0  # seconds a tab stays open after the year change
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _start(replicas: int, port: int, run_dir: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        ["bash", str(ROOT / "deploy" / "run_local.sh"), "--replicas", str(replicas), "--port",
         str(port), "--run-dir", str(run_dir)], cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable}, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        if (proc.stdout.readline() or "").startswith("ready"):  # type: ignore[union-attr]
            return proc
    proc.kill()
    raise RuntimeError(f"deploy/run_local.sh --replicas {replicas} did not start")


async def _schedule(base: str, n: int, period: float, at_half=None) -> tuple[list, float]:  # noqa: ANN001
    from bench.stclient import visit

    t0 = time.monotonic()

    async def one(i: int):  # noqa: ANN202
        await asyncio.sleep(max(0.0, t0 + i * period / n - time.monotonic()))
        return await visit(base, retries=2, dwell=DWELL)

    async def half() -> None:
        await asyncio.sleep(period / 2)
        at_half()

    tasks = [asyncio.create_task(one(i)) for i in range(n)]
    if at_half is not None:
        tasks.append(asyncio.create_task(half()))
    done = await asyncio.gather(*tasks)
    return [r for r in done if r is not None], time.monotonic() - t0


def run_once(replicas: int, n: int, period: float, restart: bool) -> dict[str, object]:
    """One rush against a fresh deployment of ``replicas`` replicas."""
    from bench import visits as vis

    port = vis.free_port()
    for _ in range(replicas + 1):
        vis.free_port()  # keep the replicas' and the stats' ports out of later runs
    run_dir = Path(tempfile.mkdtemp(prefix="nq05-rush-"))
    proc = _start(replicas, port, run_dir)
    try:
        state = json.loads((run_dir / "replicas.json").read_text())
        cpu0 = {name: vis.cpu_s(r["pid"]) for name, r in state.items()}

        def kill_r1() -> None:
            os.kill(json.loads((run_dir / "replicas.json").read_text())["r1"]["pid"],
                    signal.SIGKILL)

        load0 = os.getloadavg()
        results, wall = asyncio.run(_schedule(f"http://127.0.0.1:{port}", n, period,
                                              kill_r1 if restart else None))
        out = vis.summarise(results, wall - DWELL)  # the last visit's dwell is not work
        back = [r.restored_s for r in results if r.restored_s is not None]
        out.update({"restored": len(back), "restored_p50_s": vis.pct(back, 0.5),
                    "restored_p95_s": vis.pct(back, 0.95)})
        out.update({"replicas": replicas, "restart_mid_run": restart, "period_s": period,
                    "load_avg_start": load0, "load_avg_end": os.getloadavg()})
        if not restart:
            cpu = sum(vis.cpu_s(r["pid"]) - cpu0[name] for name, r in state.items())
            out["cpu_per_visit_s"] = cpu / len(results)
            out["rss_mb_per_replica"] = max(vis.rss_mb(r["pid"]) for r in state.values())
        return out
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(quick: bool = False) -> dict[str, object]:
    """The rush on 1 replica, 2 replicas, 2 replicas with one restarted half-way."""
    n, period = (60, 20.0) if quick else (200, 60.0)
    runs = [run_once(1, n, period, False), run_once(2, n, period, False),
            run_once(2, n, period, True)]
    return {"visits": n, "period_s": period, "runs": runs}


def report(res: dict[str, object]) -> None:
    """Print the rush figures."""
    if "runs" not in res:
        print(f"\nrush: {res}")
        return
    print(f"\nmeeting rush: {res['visits']} visits evenly over {res['period_s']:.0f} s, "
          "behind HAProxy (deploy/run_local.sh)")
    for r in res["runs"]:  # type: ignore[union-attr]
        label = f"{r['replicas']} replica{'s' if r['replicas'] > 1 else ''}" + (
            ", r1 killed half-way" if r["restart_mid_run"] else "")
        cpu = f", cpu/visit {r['cpu_per_visit_s']:.3f} s" if r.get("cpu_per_visit_s") else ""
        print(f"  {label:30s} first p50/p95 {r['first_p50_s']:.2f}/{r['first_p95_s']:.2f} s, "
              f"change p50/p95 {r['rerun_p50_s']:.2f}/{r['rerun_p95_s']:.2f} s, errors "
              f"{r['errors']}, {r['visits_per_s']:.2f} visits/s{cpu}, load "
              f"{r['load_avg_start'][0]:.1f}→{r['load_avg_end'][0]:.1f}")
        if r.get("restored"):
            print(f"  {'':30s} {r['restored']} open tabs dropped and back on their view, p50/p95 "
                  f"{r['restored_p50_s']:.2f}/{r['restored_p95_s']:.2f} s")


if __name__ == "__main__":
    out = measure("--quick" in sys.argv)
    report(out)
