"""Crash safety of nq05_metrics.stewardship.history: kill during a write, concurrent writers, the lock."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

from builders import (
    OBS_COLUMNS,
)
from steward_support import two_obs

from nq05_metrics import stewardship as sw
from nq05_metrics.stewardship.history import _locked


# ----------------------------------------------------------------------------- crash safety
def _big_table(marker: str, rows: int = 60_000) -> bytes:
    """A large observations-like CSV whose every line carries ``marker``."""
    head = ",".join(OBS_COLUMNS) + "\n"
    body = "".join(f"tea_area,110,{2000 + i % 30},{i},official,{marker} nguồn {i},ghi chú\n"
                   for i in range(rows))
    return (head + body).encode("utf-8")


def _slow_fsync() -> None:
    """In a child: make every fsync a little slower, to widen the windows between steps."""
    real = os.fsync

    def slow(fd: int) -> None:
        time.sleep(random.uniform(0, 0.01))
        real(fd)

    os.fsync = slow  # type: ignore[assignment]


def _time_full_apply(folder: Path, payload: bytes) -> float:
    """Seconds a forked child needs for one whole apply (to spread the kill times over it)."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            _slow_fsync()
            sw.apply_change(folder, "observations", payload, "calibrate", {"changed": 0})
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    return time.monotonic() - start


def test_kill_during_write_leaves_old_or_new_never_a_mix(ds_dir: Path) -> None:
    target = ds_dir / "observations.csv"
    current = _big_table("v0")
    target.write_bytes(current)
    outcomes = {"old": 0, "new": 0}
    reps = 40
    rng = random.Random(20210222)
    full = _time_full_apply(ds_dir, current)
    current = target.read_bytes()
    for rep in range(reps):
        new = _big_table(f"v{rep + 1}")
        pid = os.fork()
        if pid == 0:  # child
            try:
                _slow_fsync()
                sw.apply_change(ds_dir, "observations", new, f"rep{rep}", {"changed": 1})
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 1.2 * full))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        now = target.read_bytes()
        assert now in (current, new), f"rep {rep}: the file is a mix of versions"
        outcomes["old" if now == current else "new"] += 1
        current = now
        sw.history(ds_dir)  # a torn last log line is allowed and skipped
    print(f"kill-during-write: {reps} repetitions, outcomes {outcomes}")
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes
    # a normal write afterwards works, cleans stale temps and the lock is free
    final = _big_table("final", 10)
    sw.apply_change(ds_dir, "observations", final, "after", {"changed": 1})
    assert target.read_bytes() == final
    assert not list(ds_dir.glob(".*.tmp"))
    for entry in sw.history(ds_dir):
        if entry.backup:
            backup = ds_dir / ".history" / entry.backup
            assert sw.sha256(backup.read_bytes()) == entry.sha256_before


def test_concurrent_uploads_are_serialised_and_both_logged(ds_dir: Path) -> None:
    target = ds_dir / "observations.csv"
    original = target.read_bytes()
    payloads = {"P1": _big_table("p1", 20_000), "P2": _big_table("p2", 20_000)}
    read_fd, write_fd = os.pipe()
    pids = []
    for who, payload in payloads.items():
        pid = os.fork()
        if pid == 0:
            try:
                os.close(write_fd)
                os.read(read_fd, 1)  # start together
                _slow_fsync()
                sw.apply_change(ds_dir, "observations", payload, who, {"changed": 1})
            finally:
                os._exit(0)
        pids.append(pid)
    os.close(read_fd)
    os.write(write_fd, b"gg")
    os.close(write_fd)
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    entries = sw.history(ds_dir)[::-1]  # oldest first
    assert sorted(e.who for e in entries) == ["P1", "P2"]
    first, second = entries
    assert first.sha256_before == sw.sha256(original)
    assert second.sha256_before == first.sha256_after  # serialised: the 2nd saw the 1st's file
    assert target.read_bytes() == payloads[second.who]
    assert (ds_dir / ".history" / (second.backup or "")).read_bytes() == payloads[first.who]


def test_lock_blocks_a_second_writer(ds_dir: Path) -> None:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            with _locked(ds_dir):
                os.write(write_fd, b"x")
                time.sleep(0.4)
        finally:
            os._exit(0)
    os.read(read_fd, 1)
    start = time.monotonic()
    sw.apply_change(ds_dir, "observations", two_obs(), "A", None)
    assert time.monotonic() - start >= 0.3
    os.waitpid(pid, 0)


