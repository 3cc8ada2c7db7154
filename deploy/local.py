"""Run N dashboard replicas behind HAProxy on this machine (what ``deploy/run_local.sh`` starts).

* Replica ``i`` (1…N) is ``streamlit run app.py`` on 127.0.0.1:``port + i``; HAProxy listens on
  127.0.0.1:``port`` with ``deploy/haproxy.cfg`` (its ``server-template`` line replaced by one
  ``server`` line per replica) and its stats page on ``port + N + 1``.
* All replicas read and write one data folder (``--data`` or ``$NQ05_DATA_DIR``, default the
  repository's ``data/``): a steward's upload on one replica is seen by the others on their next
  run (the loader's file stamp), writes are serialised by the lock in ``.history/.lock``.
* All replicas share one ``server.cookieSecret`` (generated per start unless
  ``$STREAMLIT_SERVER_COOKIE_SECRET`` is set), so the XSRF cookie a browser got from one replica
  is valid on another one after a failover.
* Streamlit's full garbage collection after every script run is off (``runner.postScriptGC``,
  deploy/README.md): with the open sessions of a hall it was a third of a replica's CPU.
* Each replica is warmed once (``scripts/warm_up.py``) before HAProxy sends it visitors; a
  replica that exits is started again (same port) after one second and warmed again; HAProxy's
  health checks take it out and back in, with a slow start (its share of new visitors grows
  over 10 s) so the restarted process is not handed a queue while it loads the data.
* SIGTERM or Ctrl-C stops HAProxy and every replica (SIGTERM, then SIGKILL after 10 s).
* ``--run-dir``: where ``haproxy.cfg`` and ``replicas.json`` (name → port, pid; rewritten on every
  restart) are written; a temporary folder by default. "ready <url>" is printed once every
  replica answered and HAProxy is up.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
CONFIG = Path(__file__).resolve().parent / "haproxy.cfg"


def haproxy_config(template: str, port: int, replicas: int, host: str = "127.0.0.1") -> str:
    """``deploy/haproxy.cfg`` for local replicas: frontend on ``host:port``, stats on
    ``port + replicas + 1``, one ``server rI host:port+I`` line per replica, no Docker DNS."""
    servers = "\n".join(f"    server r{i} {host}:{port + i} check" for i in range(1, replicas + 1))
    text = re.sub(r"^\s*server-template .*$", servers, template, flags=re.M)
    text = re.sub(r"^resolvers docker\n(?:[ \t]+.*\n)+", "", text, flags=re.M)
    text = re.sub(r"^(frontend nq05\n\s+bind ).*$", rf"\g<1>{host}:{port}", text, flags=re.M)
    text = re.sub(r"^(listen stats\n\s+bind ).*$", rf"\g<1>{host}:{port + replicas + 1}", text,
                  flags=re.M)
    return text.replace("log stdout format raw local0 notice", "log stderr format raw local0 err")


class Cluster:
    """The processes of one local deployment and how to start, watch and stop them."""

    def __init__(self, replicas: int, port: int, run_dir: Path, env: dict[str, str],
                 extra: list[str]) -> None:
        self.replicas, self.port, self.run_dir, self.env, self.extra = (
            replicas, port, run_dir, env, extra)
        self.procs: dict[str, subprocess.Popen] = {}
        self.haproxy: subprocess.Popen | None = None
        self.stopping = False

    def _replica_cmd(self, i: int) -> list[str]:
        return [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                "--server.address", "127.0.0.1", "--server.port", str(self.port + i),
                "--server.headless", "true", "--server.fileWatcherType", "none",
                "--server.scriptHealthCheckEnabled", "true",
                "--browser.gatherUsageStats", "false", *self.extra]

    def start_replica(self, i: int) -> None:
        """Start replica ``i`` and record its pid in ``replicas.json``."""
        self.procs[f"r{i}"] = subprocess.Popen(
            self._replica_cmd(i), cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        self.write_state()

    def write_state(self) -> None:
        state = {name: {"port": self.port + int(name[1:]), "pid": p.pid}
                 for name, p in self.procs.items()}
        tmp = self.run_dir / "replicas.json.tmp"
        tmp.write_text(json.dumps(state))
        os.replace(tmp, self.run_dir / "replicas.json")

    def warm(self, i: int) -> None:
        """Wait until replica ``i`` answers, then run the app once in it."""
        from scripts.warm_up import wait_until_up, warm_up

        proc = self.procs[f"r{i}"]
        url = f"http://127.0.0.1:{self.port + i}"
        wait_until_up(url, 120, poll=0.1, alive=lambda: proc.poll() is None)
        warm_up(url)

    def _warm_quietly(self, i: int) -> None:
        """:meth:`warm` for a restarted replica (HAProxy's slow start keeps its share small
        meanwhile); a replica that dies again is the watch loop's business."""
        try:
            self.warm(i)
        except (RuntimeError, TimeoutError, OSError):
            pass

    def start(self) -> None:
        """Every replica (started together, warmed one by one), then HAProxy."""
        cfg = self.run_dir / "haproxy.cfg"
        cfg.write_text(haproxy_config(CONFIG.read_text(), self.port, self.replicas))
        check = subprocess.run(["haproxy", "-c", "-q", "-f", str(cfg)], env=self.env,
                               capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"haproxy.cfg refused: {check.stderr or check.stdout}")
        for i in range(1, self.replicas + 1):
            self.start_replica(i)
        for i in range(1, self.replicas + 1):
            self.warm(i)
        self.haproxy = subprocess.Popen(["haproxy", "-db", "-f", str(cfg)], env=self.env,
                                        start_new_session=True)
        from scripts.warm_up import wait_until_up

        wait_until_up(f"http://127.0.0.1:{self.port}", 30, poll=0.1,
                      alive=lambda: self.haproxy is not None and self.haproxy.poll() is None)

    def watch(self) -> int:
        """Restart replicas that exit, until stopped; returns HAProxy's exit code if it dies."""
        while not self.stopping:
            if self.haproxy is not None and self.haproxy.poll() is not None:
                print(f"haproxy exited ({self.haproxy.returncode})", file=sys.stderr, flush=True)
                return 1
            for name, proc in list(self.procs.items()):
                if proc.poll() is not None and not self.stopping:
                    print(f"replica {name} exited ({proc.returncode}); starting it again",
                          file=sys.stderr, flush=True)
                    time.sleep(1.0)
                    self.start_replica(int(name[1:]))
                    threading.Thread(target=self._warm_quietly, args=(int(name[1:]),),
                                     daemon=True).start()
            time.sleep(0.2)
        return 0

    def stop(self) -> None:
        """SIGTERM to HAProxy and every replica, SIGKILL to whatever is left after 10 s."""
        self.stopping = True
        procs = [p for p in [self.haproxy, *self.procs.values()] if p is not None]
        for p in procs:
            if p.poll() is None:
                p.terminate()
        deadline = time.monotonic() + 10
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="deploy/run_local.sh", description=__doc__.split("\n")[0])
    ap.add_argument("--replicas", type=int, default=2, help="Streamlit processes (default 2)")
    ap.add_argument("--port", type=int, default=8600, help="HAProxy port; replicas on the next ones")
    ap.add_argument("--data", help="the shared data folder (default $NQ05_DATA_DIR or data/)")
    ap.add_argument("--run-dir", help="where haproxy.cfg and replicas.json are written")
    ap.add_argument("streamlit_args", nargs="*", help="after --: extra `streamlit run` options")
    args = ap.parse_args(argv)
    if not 1 <= args.replicas <= 8:
        ap.error("--replicas must be between 1 and 8")
    env = dict(os.environ)
    if args.data:
        env["NQ05_DATA_DIR"] = str(Path(args.data).resolve())
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    env.setdefault("STREAMLIT_RUNNER_POST_SCRIPT_GC", "false")  # see deploy/README.md
    env.setdefault("NQ05_COOKIE_KEY", secrets.token_hex(16))
    run_dir = Path(args.run_dir or tempfile.mkdtemp(prefix="nq05-deploy-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(args.replicas, args.port, run_dir, env, args.streamlit_args)

    def on_signal(signum: int, frame: object) -> None:  # noqa: ARG001
        cluster.stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        cluster.start()
        if not cluster.stopping:
            print(f"ready http://127.0.0.1:{args.port} ({args.replicas} replicas, stats "
                  f"http://127.0.0.1:{args.port + args.replicas + 1}, run dir {run_dir})",
                  flush=True)
            return cluster.watch()
        return 0
    except (RuntimeError, TimeoutError) as err:
        print(f"deploy: {err}", file=sys.stderr, flush=True)
        return 1
    finally:
        cluster.stop()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
