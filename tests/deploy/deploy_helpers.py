"""The local deployment the tests use (see conftest.py): its handle, ports, the editor password."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EDITOR_PASSWORD = "hội-nghị-2026"  # noqa: S105 — a test credential in a temporary secrets file


@dataclass
class Deployment:
    """The running deployment: proxy URL, run folder (``replicas.json``), shared data folder."""

    base: str
    run_dir: Path
    data_dir: Path
    proc: subprocess.Popen

    def replicas(self) -> dict[str, dict[str, int]]:
        """Name → {port, pid} as the supervisor last wrote it."""
        return json.loads((self.run_dir / "replicas.json").read_text())


def free_block(size: int) -> int:
    """A port P with P … P+size-1 free on 127.0.0.1 (``$NQ05_DEPLOY_PORT`` when set)."""
    if os.environ.get("NQ05_DEPLOY_PORT"):
        return int(os.environ["NQ05_DEPLOY_PORT"])
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            start = int(s.getsockname()[1])
        if start + size >= 65535:
            continue
        try:
            socks = []
            for p in range(start, start + size):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return start
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port block")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def run(coro: Coroutine[Any, Any, Any]) -> Any:  # noqa: ANN401 — whatever the coroutine returns
    """``asyncio.run(coro)`` on a thread of its own: the browser tests' session-wide Playwright
    (sync API) keeps an event loop running in the main thread, where ``asyncio.run`` refuses."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
