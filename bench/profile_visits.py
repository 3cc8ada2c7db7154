"""Where a visit's server time goes: ``streamlit run`` in this process with every script run
profiled by pyinstrument (the runs of all sessions combined into one profile), and the server's
CPU split by thread (script runs vs the event loop that serialises and sends the messages).

Usage: ``python -m bench.profile_visits [app.py|hello] [visits]`` — starts the server on a free
(or ``$NQ05_BENCH_PORT``) port, drives ``visits`` protocol-level visits (bench/stclient.py) after
two warm-up visits, prints the CPU split and the profile's top frames, and writes
``/tmp/nq05_visit_profile.html``.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _thread_cpu() -> dict[str, float]:
    """CPU seconds per thread name of this process (from /proc/self/task)."""
    out: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path("/proc/self/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            f = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[name] = out.get(name, 0.0) + (int(f[11]) + int(f[12])) / tick
    return out


def main(argv: list[str]) -> int:
    from pyinstrument import Profiler
    from pyinstrument.session import Session
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.web import bootstrap

    from bench import visits
    from bench.stclient import visit

    target = argv[0] if argv else "app.py"
    script = visits.HELLO if target == "hello" else ROOT / target
    n = int(argv[1]) if len(argv) > 1 else 20
    port = visits.free_port()
    sessions: list[Session] = []
    lock = threading.Lock()
    recording = threading.Event()
    original = script_runner.ScriptRunner._run_script

    def profiled(self, rerun_data):  # noqa: ANN001, ANN202
        if not recording.is_set():
            return original(self, rerun_data)
        prof = Profiler(interval=0.0005)
        prof.start()
        try:
            return original(self, rerun_data)
        finally:
            prof.stop()
            with lock:
                sessions.append(prof.last_session)

    script_runner.ScriptRunner._run_script = profiled
    gc_times: list[float] = []

    class _TimedGC:  # Streamlit's full collection after each run, timed
        def __getattr__(self, name: str) -> object:
            return getattr(gc, name)

        @staticmethod
        def collect(generation: int = 2) -> int:
            start = time.thread_time()  # CPU of this thread: the machine may be busy
            try:
                return gc.collect(generation)
            finally:
                if recording.is_set():
                    gc_times.append(time.thread_time() - start)

    script_runner.gc = _TimedGC()

    def drive() -> None:
        from scripts.warm_up import wait_until_up

        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, 90)
        for _ in range(2):
            asyncio.run(visit(base))
        recording.set()
        cpu0, t0 = _thread_cpu(), time.process_time()
        results = [asyncio.run(visit(base)) for _ in range(n)]
        cpu1, total = _thread_cpu(), time.process_time() - t0
        split = {k: round((cpu1.get(k, 0) - cpu0.get(k, 0)) / n, 4) for k in cpu1}
        print(f"server CPU per visit {total / n:.3f} s; by thread (s/visit): "
              f"{ {k: v for k, v in sorted(split.items(), key=lambda x: -x[1]) if v > 0} }")
        print(f"post-run gc.collect: {len(gc_times)} calls, mean CPU "
              f"{1000 * sum(gc_times) / max(1, len(gc_times)):.1f} ms; frozen objects "
              f"{gc.get_freeze_count()}, tracked {len(gc.get_objects())}")
        if os.environ.get("NQ05_PROFILE_TYPES"):
            import collections

            kinds = collections.Counter(type(o).__name__ for o in gc.get_objects())
            print("tracked by type:", kinds.most_common(15))
        print(f"errors {sum(r.error is not None for r in results)}; first run median "
              f"{sorted(r.first_run_s or 0 for r in results)[n // 2]:.3f} s, rerun median "
              f"{sorted(r.rerun_s or 0 for r in results)[n // 2]:.3f} s")
        combined = sessions[0]
        for s in sessions[1:]:
            combined = Session.combine(combined, s)
        prof = Profiler()
        prof._last_session = combined  # noqa: SLF001 — render a combined session
        Path("/tmp/nq05_visit_profile.html").write_text(prof.output_html())
        print(prof.output_text(unicode=True, color=False, show_all=False, time="percent_of_total"))
        flat = prof.output_text(unicode=True, color=False, flat=True, time="percent_of_total")
        print("\n".join(flat.splitlines()[:60]))
        os._exit(0)

    threading.Thread(target=drive, daemon=True).start()
    flags = {"server.headless": True, "server.address": "127.0.0.1", "server.port": port,
             "browser.gatherUsageStats": False, "server.fileWatcherType": "none"}
    bootstrap.load_config_options(flag_options=flags)
    bootstrap.run(str(script), False, [], flags)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
