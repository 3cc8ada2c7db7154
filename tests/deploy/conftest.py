"""A local deployment for the tests: ``deploy/run_local.sh`` with two replicas behind HAProxy,
on a temporary copy of the data folder, editing enabled by a password in a temporary secrets
file. Skipped when Debian's ``haproxy`` is not installed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from deploy_helpers import EDITOR_PASSWORD, ROOT, Deployment, free_block, pid_alive


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    if shutil.which("haproxy") is None:
        pytest.skip("Debian's haproxy is not installed (scripts/test.sh installs it)")
    from nq05_metrics.stewardship import hash_password

    tmp = tmp_path_factory.mktemp("deploy")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".history"))
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'[editor]\npassword_hash = "{hash_password(EDITOR_PASSWORD, iterations=1000)}"\n',
                       encoding="utf-8")
    port = free_block(4)
    run_dir = tmp / "run"
    proc = subprocess.Popen(
        ["bash", str(ROOT / "deploy" / "run_local.sh"), "--replicas", "2", "--port", str(port),
         "--data", str(data), "--run-dir", str(run_dir), "--", "--secrets.files", str(secrets)],
        cwd=ROOT, env={**os.environ, "PYTHON": sys.executable}, stdout=subprocess.PIPE,
        text=True)
    deadline = time.monotonic() + 120
    line = ""
    while time.monotonic() < deadline and proc.poll() is None:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        if line.startswith("ready"):
            break
    if not line.startswith("ready"):
        proc.kill()
        pytest.fail(f"deploy/run_local.sh did not start (exit {proc.poll()})")
    dep = Deployment(f"http://127.0.0.1:{port}", run_dir, data, proc)
    yield dep
    pids = [r["pid"] for r in dep.replicas().values()]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    time.sleep(0.2)
    assert not [p for p in pids if pid_alive(p)], "a replica outlived run_local.sh's SIGTERM"
