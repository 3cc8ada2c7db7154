"""Writing files safely: atomic replacement (uploads, exports, boundary files) and CSV downloads
that a spreadsheet cannot run as formulas (pages, chart downloads, stewardship)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

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


#: First characters that make a spreadsheet run a cell as a formula (OWASP "CSV injection"),
#: including tab/CR and the full-width forms Excel also accepts.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula; other text is unchanged."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _neutralise_cell(value: object) -> object:
    return neutralise(value) if isinstance(value, str) else value


def frame_csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as a CSV download: UTF-8 with BOM (Excel shows Vietnamese correctly), CRLF, text
    cells and headers that could run as formulas neutralised; numbers stay numbers (``-5``).
    Does not mutate ``frame``."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_neutralise_cell)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
