"""Writing files safely: atomic replacement (uploads, exports, boundary files). What goes into a
CSV or XLSX file is made by :mod:`nq05_metrics.serialise`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TMP_SUFFIX = ".tmp"


def fsync_dir(folder: Path) -> None:
    """fsync a folder so a rename in it survives a crash."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Replace ``path`` with ``data`` atomically: temp file ``.<name>.*.tmp`` in the same folder
    (created if missing), write, flush, fsync, ``os.replace``, fsync the folder. Readers see the
    old or the new bytes, never a mix; on failure the temp file is removed and the old file stays."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path
