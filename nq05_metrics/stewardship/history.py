"""Replacing a table safely, the history of changes, and restoring an earlier version.

Atomic replacement under an exclusive lock: the previous version is copied to
``.history/<table>/<UTC>-<sha8>.csv``, the new bytes go to a temp file in the same folder
(flush + fsync), ``os.replace`` swaps it in, the folder is fsynced, and one JSON line is appended
to ``.history/log.jsonl``. A crash at any point leaves the old or the new file, never a mix."""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from nq05_metrics.contract import Problem, TableSpec, table_spec
from nq05_metrics.fileio import TMP_SUFFIX, atomic_write
from nq05_metrics.loader import FolderRead
from nq05_metrics.stewardship.check import UploadCheck, sha256, validate_upload
from nq05_metrics.stewardship.diff import TableDiff
from nq05_metrics.stewardship.errors import StewardshipError, problem

HISTORY_DIR = ".history"
LOG_FILE = "log.jsonl"
LOCK_FILE = ".lock"

Action = Literal["upload", "restore"]
Summary = TableDiff | Mapping[str, int] | None


@dataclass(frozen=True)
class HistoryEntry:
    """One logged change of one table (a line of ``.history/log.jsonl``).

    ``backup`` is the previous version's copy, relative to ``.history`` (None when there was no
    previous file); restoring an entry puts that previous version back."""

    id: str
    when: str
    who: str
    table: str
    file: str
    action: str
    added: int
    changed: int
    removed: int
    sha256_before: str | None
    sha256_after: str
    backup: str | None
    restored_from: str | None = None
    mode: str | None = None
    source: str | None = None
    warnings: tuple[dict[str, object], ...] = ()

    def to_json(self) -> str:
        """One JSON line (UTF-8 text, no newline)."""
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> HistoryEntry:
        """Parse a log line (unknown keys ignored; ValueError/KeyError/TypeError if damaged)."""
        data = json.loads(line)
        names = {f.name for f in dataclasses.fields(cls)}
        if isinstance(data.get("warnings"), list):
            data["warnings"] = tuple(data["warnings"])
        return cls(**{k: v for k, v in data.items() if k in names})


def history_dir(data_dir: Path) -> Path:
    """``data_dir/.history``."""
    return Path(data_dir) / HISTORY_DIR


@contextmanager
def _locked(data_dir: Path) -> Iterator[Path]:
    """Hold the exclusive lock ``.history/.lock`` (blocks until other writers are done)."""
    hist = history_dir(data_dir)
    hist.mkdir(parents=True, exist_ok=True)
    with open(hist / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield hist
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_or_none(path: Path) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _clean_stale_temps(folder: Path) -> None:
    """Remove temp files left by a writer that was killed (only called under the lock)."""
    for stale in folder.glob(f".*{TMP_SUFFIX}"):
        if stale.is_file():
            stale.unlink(missing_ok=True)


def _append_log(hist: Path, entry: HistoryEntry) -> None:
    """Append one JSON line and fsync; a torn last line from a crash is closed first."""
    path = hist / LOG_FILE
    line = entry.to_json().encode("utf-8") + b"\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        if os.fstat(fd).st_size:
            with open(path, "rb") as reader:
                reader.seek(-1, os.SEEK_END)
                if reader.read(1) != b"\n":
                    line = b"\n" + line
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def _stamp() -> tuple[str, str]:
    """(ISO 8601 UTC time, compact UTC stamp for file names)."""
    now = datetime.now(UTC)
    return now.isoformat(timespec="microseconds"), now.strftime("%Y%m%dT%H%M%S%fZ")


def _clean_who(who: object) -> str:
    """The editor's name as logged: no control characters, ≤ 120 characters, ``?`` if empty."""
    text = "".join(ch for ch in str(who or "") if unicodedata.category(ch)[0] != "C").strip()
    return text[:120] or "?"


def _counts(summary: Summary) -> tuple[int, int, int]:
    """(added, changed, removed) rows of a diff or of a counts mapping (zeros for None)."""
    if summary is None:
        return 0, 0, 0
    counts = summary.counts() if isinstance(summary, TableDiff) else summary
    return (int(counts.get("added", 0)), int(counts.get("changed", 0)),
            int(counts.get("removed", 0)))


def _backup(hist: Path, spec: TableSpec, old: bytes | None, stamp: str) -> str | None:
    """Copy the previous version into ``.history/<table>/``; its path relative to ``.history``."""
    if old is None:
        return None
    (hist / spec.name).mkdir(parents=True, exist_ok=True)
    backup = f"{spec.name}/{stamp}-{(sha256(old) or '')[:8]}.csv"
    atomic_write(hist / backup, old)
    return backup


def _replace_locked(
    data_dir: Path, hist: Path, spec: TableSpec, new_bytes: bytes, who: object,
    summary: Summary, action: Action, restored_from: str | None,
    extra: dict[str, object] | None = None,
) -> HistoryEntry:
    """The replacement itself (backup, atomic write, log line); the caller holds the lock."""
    target = Path(data_dir) / spec.file
    _clean_stale_temps(Path(data_dir))
    if (hist / spec.name).is_dir():
        _clean_stale_temps(hist / spec.name)
    when, stamp = _stamp()
    old = _read_or_none(target)
    backup = _backup(hist, spec, old, stamp)
    atomic_write(target, new_bytes)
    added, changed, removed = _counts(summary)
    after = sha256(new_bytes) or ""
    entry = HistoryEntry(
        id=f"{stamp}-{after[:8]}", when=when, who=_clean_who(who), table=spec.name,
        file=spec.file, action=action, added=added, changed=changed, removed=removed,
        sha256_before=sha256(old), sha256_after=after, backup=backup,
        restored_from=restored_from, **(extra or {}),  # type: ignore[arg-type]
    )
    _append_log(hist, entry)
    return entry


def apply_change(
    data_dir: Path,
    table: str,
    new_bytes: bytes,
    who: object,
    summary: Summary = None,
    *,
    expected_sha256: str | None | Literal[False] = False,
    mode: str | None = None,
    source: str | None = None,
    warnings: Sequence[Problem] = (),
) -> HistoryEntry:
    """Replace ``table`` in ``data_dir`` with ``new_bytes`` (a checked table, e.g.
    :attr:`UploadCheck.canonical`) atomically, keeping the previous version in history and
    logging who/when/what (``summary``: a :class:`TableDiff` or counts ``added/changed/removed``).

    ``expected_sha256`` (the check's ``base_sha256``; None = "there was no file") refuses with
    :class:`StewardshipError` when the file changed since it was checked. Concurrent callers
    are serialised by ``flock`` on ``.history/.lock``. ``mode`` (``merge``/``replace``),
    ``source`` (the uploaded file's name) and the ``warnings`` the editor acknowledged are kept
    in the log line."""
    spec = table_spec(table)
    data_dir = Path(data_dir)
    with _locked(data_dir) as hist:
        if expected_sha256 is not False:
            if sha256(_read_or_none(data_dir / spec.file)) != expected_sha256:
                raise StewardshipError([problem(spec.file, "changed_by_other", file=spec.file)])
        entry = _replace_locked(data_dir, hist, spec, bytes(new_bytes), who, summary,
                                "upload", None, _extra(mode, source, warnings))
    return entry


def _extra(mode: str | None, source: str | None, warnings: Sequence[Problem]) -> dict[str, object]:
    """The log fields of an import: mode, file name and each acknowledged warning (place and
    text in both languages)."""
    return {"mode": mode, "source": source,
            "warnings": tuple({"file": p.file, "line": p.line, "column": p.column,
                               "vi": p.what_vi, "en": p.what_en} for p in warnings)}


def history(data_dir: Path, table: str | None = None) -> list[HistoryEntry]:
    """Logged changes, newest first (damaged lines are skipped); optionally one table only."""
    path = history_dir(data_dir) / LOG_FILE
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    entries = []
    for line in text.splitlines():
        try:
            entry = HistoryEntry.from_json(line)
        except (ValueError, KeyError, TypeError):
            continue
        if table is None or entry.table == table_spec(table).name:
            entries.append(entry)
    return entries[::-1]


def _entry(data_dir: Path, entry_id: str) -> HistoryEntry:
    """The logged change ``entry_id`` (KeyError when the log has none)."""
    for entry in history(data_dir):
        if entry.id == entry_id:
            return entry
    raise KeyError(f"no history entry {entry_id!r}")


def backup_bytes(data_dir: Path, entry: HistoryEntry) -> bytes:
    """The stored previous version of ``entry`` (StewardshipError when there is none)."""
    hist = history_dir(data_dir).resolve()
    if entry.backup is None:
        raise StewardshipError([problem(entry.file, "no_backup")])
    path = (hist / entry.backup).resolve()
    if hist not in path.parents:  # a tampered log must not point outside .history
        raise StewardshipError([problem(entry.file, "bad_backup_path")])
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise StewardshipError([problem(entry.file, "backup_missing", backup=entry.backup)]) from err


def preview_restore(data_dir: Path, entry_id: str, current: FolderRead | None = None) -> UploadCheck:
    """What restoring ``entry_id`` would change, checked like an upload (nothing written);
    ``current``: the folder read the caller holds."""
    entry = _entry(data_dir, entry_id)
    raw = backup_bytes(data_dir, entry)
    return validate_upload(entry.table, raw, Path(entry.backup or entry.file).name, data_dir, current)


def restore(data_dir: Path, entry_id: str, who: object, current: FolderRead | None = None) -> HistoryEntry:
    """Put back the version that ``entry_id`` replaced, byte for byte: an atomic, logged change
    that keeps the current version in history (so a restore can itself be undone).

    Refused (:class:`StewardshipError`) when that version no longer fits the current dataset."""
    data_dir = Path(data_dir)
    entry = _entry(data_dir, entry_id)
    spec = table_spec(entry.table)
    with _locked(data_dir) as hist:
        raw = backup_bytes(data_dir, entry)
        check = validate_upload(spec.name, raw, Path(entry.backup or spec.file).name, data_dir, current)
        if not check.ok:
            raise StewardshipError(check.errors)
        return _replace_locked(data_dir, hist, spec, raw, who, check.diff, "restore", entry.id)
