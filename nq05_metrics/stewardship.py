"""Data stewardship: check an upload, preview the change, replace a table safely, keep history.

Pure Python (never imports Streamlit); :mod:`dashboard.stewardship_ui` draws it.

* :func:`validate_upload` — size and type limits (type by magic bytes, never by the user's file
  name, which is only ever shown, never used as a path), the loader's contract against the current
  dataset with the new table in place (so cross-table references are checked both ways: the new
  table's references, and the tables that refer to it), and a :class:`TableDiff` preview.
  Reads only; never raises on bad bytes; never writes.
* :func:`apply_upload` / :func:`restore` — atomic replacement under an exclusive lock: the
  previous version is copied to ``.history/<table>/<UTC>-<sha8>.csv``, the new bytes go to a temp
  file in the same folder (flush + fsync), ``os.replace`` swaps it in, the folder is fsynced, and
  one JSON line is appended to ``.history/log.jsonl``. A crash at any point leaves the old or the
  new file, never a mix.
* Downloads: :func:`table_csv_bytes` and :func:`dataset_xlsx_bytes` (with a data dictionary
  generated from the contract); cells that a spreadsheet would run as a formula are neutralised.
* Credentials: :func:`hash_password` / :func:`check_password` (PBKDF2-SHA256, salted,
  constant-time compare) and :func:`credential_mode`.
"""

from __future__ import annotations

import csv
import dataclasses
import fcntl
import hashlib
import hmac
import io
import json
import math
import os
import re
import secrets
import threading
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from nq05_metrics import loader
from nq05_metrics.contract import TABLES, ColumnSpec, Problem, TableSpec, table_spec
from nq05_metrics.fileio import TMP_SUFFIX, atomic_write, neutralise

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 60 * 1024 * 1024
HISTORY_DIR = ".history"
LOG_FILE = "log.jsonl"
LOCK_FILE = ".lock"
_TMP_SUFFIX = TMP_SUFFIX

Action = Literal["upload", "restore"]

# Magic numbers of files that are certainly not a table (shown as a type error, not parsed).
_BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\x1f\x8b": "gzip",
    b"7z\xbc\xaf": "7z",
    b"Rar!": "RAR",
    b"\x7fELF": "ELF",
    b"MZ": "EXE",
}


class StewardshipError(Exception):
    """A stewardship operation was refused; ``problems`` says why (vi/en)."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(p.format("en") for p in self.problems))


# --------------------------------------------------------------------------------------------
# Diff
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TableDiff:
    """Rows ``added`` (new rows), ``removed`` (old rows) and ``changed`` cells (long form:
    the key columns, ``column``, ``old``, ``new`` as canonical text) between two tables."""

    key: tuple[str, ...]
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame

    @property
    def changed_rows(self) -> int:
        """Number of rows (keys) with at least one changed cell."""
        if self.changed.empty:
            return 0
        return len(self.changed.drop_duplicates(list(self.key)))

    def counts(self) -> dict[str, int]:
        """``{"added": …, "changed": …, "removed": …, "changed_cells": …}`` (rows, cells)."""
        return {
            "added": len(self.added),
            "changed": self.changed_rows,
            "removed": len(self.removed),
            "changed_cells": len(self.changed),
        }

    @property
    def is_empty(self) -> bool:
        """True when the two tables hold the same rows and values."""
        return self.added.empty and self.removed.empty and self.changed.empty


def cell_text(value: object) -> str:
    """A cell as canonical text for comparing and writing: NaN/None → ``""``, numbers in the
    loader's unambiguous form, booleans ``true``/``false``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if math.isnan(number):
            return ""
        return loader.format_number(number)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return cell_text(value.item())  # type: ignore[union-attr]
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _text_rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple[str, ...]]:
    """Rows of ``frame[columns]`` as tuples of canonical text; absent columns are ``""``."""
    cols = [[cell_text(v) for v in frame[c].tolist()] if c in frame.columns else [""] * len(frame)
            for c in columns]
    return list(zip(*cols, strict=True)) if cols else [() for _ in range(len(frame))]


def _first_by_key(rows: list[tuple[str, ...]], width: int) -> dict[tuple[str, ...], int]:
    """Key → position of its first row."""
    out: dict[tuple[str, ...], int] = {}
    for pos, row in enumerate(rows):
        out.setdefault(row[:width], pos)
    return out


def diff_tables(old: pd.DataFrame, new: pd.DataFrame, key_columns: tuple[str, ...] | list[str]) -> TableDiff:
    """Compare two versions of a table by ``key_columns`` (the contract's key).

    Cells are compared as canonical text (``12.0`` equals ``12``; NaN equals empty). A duplicate
    key keeps its first row. Neither input is modified."""
    key = list(key_columns)
    missing = [k for k in key if k not in old.columns or k not in new.columns]
    if missing:
        raise ValueError(f"key columns not in both tables: {missing}")
    values = [c for c in dict.fromkeys([*new.columns, *old.columns]) if c not in key]
    old_rows, new_rows = _text_rows(old, key + values), _text_rows(new, key + values)
    old_at, new_at = _first_by_key(old_rows, len(key)), _first_by_key(new_rows, len(key))
    changed: list[tuple[str, ...]] = []
    for k, pos in new_at.items():
        before = old_at.get(k)
        if before is None:
            continue
        for i, col in enumerate(values, start=len(key)):
            if old_rows[before][i] != new_rows[pos][i]:
                changed.append((*k, col, old_rows[before][i], new_rows[pos][i]))
    columns = [*key, "column", "old", "new"]
    changed_frame = pd.DataFrame(changed, columns=columns, dtype=object)
    return TableDiff(
        key=tuple(key),
        added=new.iloc[sorted(p for k, p in new_at.items() if k not in old_at)].reset_index(drop=True),
        removed=old.iloc[sorted(p for k, p in old_at.items() if k not in new_at)].reset_index(drop=True),
        changed=changed_frame,
    )


# --------------------------------------------------------------------------------------------
# Upload checks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class UploadCheck:
    """What :func:`validate_upload` found.

    ``ok`` — no error (warnings may remain in ``problems``); ``frame`` — the validated table
    (rows with errors left out); ``diff`` — current → uploaded (only when ``ok``);
    ``canonical`` — the clean UTF-8 CSV to hand to :func:`apply_upload` (only when ``ok``);
    ``base_sha256`` — sha256 of the file the check compared against (None: no file), to detect a
    change by someone else before applying; ``source_name`` — the uploaded name, for display only."""

    table: str
    ok: bool
    problems: tuple[Problem, ...]
    frame: pd.DataFrame | None = None
    diff: TableDiff | None = None
    canonical: bytes | None = None
    base_sha256: str | None = None
    source_name: str = ""

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that block applying."""
        return tuple(p for p in self.problems if p.is_error)


def display_name(filename: object, default: str = "upload") -> str:
    """The user's file name made safe to *show*: last path part, no control characters, ≤ 80
    characters. It is never used to build a path."""
    text = unicodedata.normalize("NFC", str(filename or ""))
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    return (text[:77] + "…" if len(text) > 80 else text) or default


def _problem(label: str, what_vi: str, what_en: str, fix_vi: str, fix_en: str) -> Problem:
    return Problem(label, None, None, what_vi, what_en, fix_vi, fix_en)


def sniff_kind(raw: bytes) -> str | None:
    """``"xlsx"`` (zip magic), ``"xls"`` (OLE magic), ``"csv"`` (text) or None (binary).

    Decided by the bytes, never by the file name."""
    if raw.startswith(loader.XLSX_MAGIC):
        return "xlsx"
    if raw.startswith(loader.XLS_MAGIC):
        return "xls"
    if any(raw.startswith(magic) for magic in _BINARY_MAGIC):
        return None
    head = raw[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return "csv"


def _limit_problems(raw: bytes, label: str) -> list[Problem]:
    """Size and type limits, before any parsing."""
    size_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    if not raw:
        return [_problem(label, "tệp rỗng (0 byte)", "the file is empty (0 bytes)",
                         "Chọn lại tệp CSV hoặc XLSX có dữ liệu.",
                         "Choose a CSV or XLSX file that holds the table.")]
    if len(raw) > MAX_UPLOAD_BYTES:
        return [_problem(label, f"tệp quá lớn ({len(raw) / 1e6:.1f} MB; tối đa {size_mb} MB)",
                         f"the file is too large ({len(raw) / 1e6:.1f} MB; at most {size_mb} MB)",
                         "Bỏ các cột, trang tính thừa hoặc chia nhỏ tệp.",
                         "Remove extra columns or sheets, or split the file.")]
    kind = sniff_kind(raw)
    if kind is None:
        return [_problem(label, "tệp không phải CSV hay Excel (.xlsx)",
                         "the file is neither CSV nor Excel (.xlsx)",
                         "Trong Excel chọn Lưu thành → CSV UTF-8 hoặc Sổ làm việc Excel (.xlsx).",
                         "In Excel choose Save As → CSV UTF-8 or Excel Workbook (.xlsx).")]
    if kind == "xlsx":
        return _zip_problems(raw, label)
    return []


def _zip_problems(raw: bytes, label: str) -> list[Problem]:
    """An XLSX must be a readable zip holding a workbook, and not unpack to something huge."""
    bad = [_problem(label, "tệp nén không phải sổ làm việc Excel (.xlsx) hợp lệ",
                    "the zip file is not a valid Excel workbook (.xlsx)",
                    "Mở trong Excel và lưu lại thành .xlsx hoặc CSV UTF-8.",
                    "Open it in Excel and save it again as .xlsx or CSV UTF-8.")]
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return bad
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        return bad
    if sum(info.file_size for info in infos) > MAX_XLSX_UNPACKED_BYTES:
        return [_problem(label, "sổ làm việc quá lớn khi giải nén",
                         "the workbook is too large once unpacked",
                         "Chỉ giữ lại trang tính chứa bảng, hoặc lưu thành CSV UTF-8.",
                         "Keep only the sheet with the table, or save it as CSV UTF-8.")]
    return []


_BASELINE: dict[str, tuple[dict[str, pd.DataFrame], list[Problem]]] = {}  # fingerprint → read
_BASELINE_LOCK = threading.Lock()


def _files(data_dir: Path) -> dict[str, bytes | None]:
    """Bytes of every contract file in ``data_dir`` (None when absent)."""
    return {spec.name: _read_or_none(data_dir / spec.file) for spec in TABLES.values()}


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def dependents(table: str) -> set[str]:
    """``table`` and every table whose cells refer to it, directly or through another
    (``indicators`` → ``observations``, ``district_targets``)."""
    changed = {table_spec(table).name}
    for spec in TABLES.values():  # contract order is reference order
        if any(col.ref in changed for col in spec.columns):
            changed.add(spec.name)
    return changed


Read = tuple[dict[str, pd.DataFrame], list[Problem]]


def _read_files(files: dict[str, bytes | None], table: str, baseline: Read) -> Read:
    """Read the dataset ``files`` in which only ``table`` differs from ``baseline``: the same as
    the loader's whole-dataset read (contract order, references fed forward only from tables
    without errors), but tables that neither are ``table`` nor refer to it are taken from
    ``baseline`` instead of being read again."""
    base_frames, base_problems = baseline
    redo = dependents(table)
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    refs = loader._Refs()
    for spec in TABLES.values():
        raw = files.get(spec.name)
        if spec.name not in redo:
            frame, own = base_frames[spec.name], [p for p in base_problems if p.file == spec.file]
        elif raw is None:
            frame = loader.empty_frame(spec)
            own = [] if spec.optional_file else [loader._missing_file(spec)]
        else:
            result = loader._read(spec, raw, refs, spec.file)
            frame, own = result.frame, result.problems
        frames[spec.name] = frame
        problems.extend(own)
        if raw is not None and not any(p.is_error for p in own):
            refs = loader._next_refs(refs, spec.name, frame)
    return frames, problems


def _baseline(files: dict[str, bytes | None]) -> Read:
    """The current dataset read once per fingerprint (a few entries are kept)."""
    key = loader.fingerprint(files)
    with _BASELINE_LOCK:
        hit = _BASELINE.get(key)
    if hit is None:
        hit = loader._read_all(files)
        with _BASELINE_LOCK:
            if len(_BASELINE) >= 4:
                _BASELINE.pop(next(iter(_BASELINE)))
            _BASELINE[key] = hit
    return hit


def sha256(raw: bytes | None) -> str | None:
    """Hex sha256 of ``raw`` (None stays None)."""
    return None if raw is None else hashlib.sha256(raw).hexdigest()


def validate_upload(table_name: str, raw_bytes: bytes, filename: object, data_dir: Path) -> UploadCheck:
    """Check an uploaded table against the contract and the current dataset; write nothing.

    Steps: size (≤ :data:`MAX_UPLOAD_BYTES`) and type by magic bytes (CSV text or a real XLSX);
    then the whole dataset is read with the upload in place of ``table_name``, so the upload's
    own cells and references are checked and so are the tables that refer to it (an
    ``indicators.csv`` that drops an id still used in ``observations.csv`` is refused). Errors in
    other files that were already there before the upload are not blamed on it.
    ``filename`` is only shown in messages. Never raises on bad bytes."""
    spec = table_spec(table_name)
    data_dir = Path(data_dir)
    label = display_name(filename, spec.file)
    raw = bytes(raw_bytes or b"")
    limits = _limit_problems(raw, label)
    if limits:
        return UploadCheck(spec.name, False, tuple(limits), source_name=label)
    files = _files(data_dir)
    before_frames, before_problems = _baseline(files)
    frames, problems = _read_files({**files, spec.name: raw}, spec.name, (before_frames, before_problems))
    own = [dataclasses.replace(p, file=label) for p in problems if p.file == spec.file]
    old_errors = {p for p in before_problems if p.file != spec.file and p.is_error}
    others = [p for p in problems if p.file != spec.file and p.is_error and p not in old_errors]
    found = tuple(own + others)
    ok = not any(p.is_error for p in found)
    frame = frames[spec.name]
    if not ok:
        return UploadCheck(spec.name, False, found, frame, source_name=label,
                           base_sha256=sha256(files[spec.name]))
    diff = diff_tables(before_frames[spec.name], frame, spec.key)
    return UploadCheck(
        spec.name, True, found, frame, diff, loader.to_canonical_csv(frame, spec.name),
        sha256(files[spec.name]), label,
    )


# --------------------------------------------------------------------------------------------
# Atomic replacement, history, restore
# --------------------------------------------------------------------------------------------


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

    def to_json(self) -> str:
        """One JSON line (UTF-8 text, no newline)."""
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> HistoryEntry:
        """Parse a log line (unknown keys ignored; ValueError/KeyError/TypeError if damaged)."""
        data = json.loads(line)
        names = {f.name for f in dataclasses.fields(cls)}
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


def _clean_stale_temps(folder: Path) -> None:
    """Remove temp files left by a writer that was killed (only called under the lock)."""
    for stale in folder.glob(f".*{_TMP_SUFFIX}"):
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
    text = "".join(ch for ch in str(who or "") if unicodedata.category(ch)[0] != "C").strip()
    return text[:120] or "?"


def _counts(summary: TableDiff | Mapping[str, int] | None) -> tuple[int, int, int]:
    if summary is None:
        return 0, 0, 0
    counts = summary.counts() if isinstance(summary, TableDiff) else summary
    return (int(counts.get("added", 0)), int(counts.get("changed", 0)),
            int(counts.get("removed", 0)))


def _replace_locked(
    data_dir: Path,
    hist: Path,
    spec: TableSpec,
    new_bytes: bytes,
    who: object,
    summary: TableDiff | Mapping[str, int] | None,
    action: Action,
    restored_from: str | None,
) -> HistoryEntry:
    """The replacement itself; the caller holds the lock."""
    target = Path(data_dir) / spec.file
    _clean_stale_temps(Path(data_dir))
    if (hist / spec.name).is_dir():
        _clean_stale_temps(hist / spec.name)
    when, stamp = _stamp()
    old = _read_or_none(target)
    backup = None
    if old is not None:
        (hist / spec.name).mkdir(parents=True, exist_ok=True)
        backup = f"{spec.name}/{stamp}-{sha256(old)[:8]}.csv"  # type: ignore[index]
        atomic_write(hist / backup, old)
    atomic_write(target, new_bytes)
    added, changed, removed = _counts(summary)
    after = sha256(new_bytes) or ""
    entry = HistoryEntry(
        id=f"{stamp}-{after[:8]}", when=when, who=_clean_who(who), table=spec.name,
        file=spec.file, action=action, added=added, changed=changed, removed=removed,
        sha256_before=sha256(old), sha256_after=after, backup=backup,
        restored_from=restored_from,
    )
    _append_log(hist, entry)
    return entry


def _changed_by_other(spec: TableSpec, label: str) -> StewardshipError:
    return StewardshipError([Problem(
        label, None, None,
        f"{spec.file} vừa được người khác thay đổi sau khi bạn kiểm tra tệp",
        f"{spec.file} was changed by someone else after your file was checked",
        "Tải lại trang, xem lại thay đổi rồi áp dụng lại.",
        "Reload the page, review the change again and apply it again.")])


def apply_upload(
    data_dir: Path,
    table_name: str,
    canonical_bytes: bytes,
    who: object,
    summary: TableDiff | Mapping[str, int] | None = None,
    *,
    expected_sha256: str | None | Literal[False] = False,
) -> HistoryEntry:
    """Replace ``table_name`` in ``data_dir`` with ``canonical_bytes`` (from
    :attr:`UploadCheck.canonical`) atomically, keeping the previous version in history and
    logging who/when/what (``summary``: a :class:`TableDiff` or counts ``added/changed/removed``).

    ``expected_sha256`` (the check's ``base_sha256``; None = "there was no file") refuses with
    :class:`StewardshipError` when the file changed since it was checked. Concurrent callers
    are serialised by ``flock`` on ``.history/.lock``."""
    spec = table_spec(table_name)
    data_dir = Path(data_dir)
    with _locked(data_dir) as hist:
        if expected_sha256 is not False:
            if sha256(_read_or_none(data_dir / spec.file)) != expected_sha256:
                raise _changed_by_other(spec, spec.file)
        return _replace_locked(data_dir, hist, spec, bytes(canonical_bytes), who, summary,
                               "upload", None)


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
    for entry in history(data_dir):
        if entry.id == entry_id:
            return entry
    raise KeyError(f"no history entry {entry_id!r}")


def backup_bytes(data_dir: Path, entry: HistoryEntry) -> bytes:
    """The stored previous version of ``entry`` (StewardshipError when there is none)."""
    hist = history_dir(data_dir).resolve()
    if entry.backup is None:
        raise StewardshipError([Problem(
            entry.file, None, None, "thay đổi này không có phiên bản trước để khôi phục",
            "this change has no previous version to restore",
            "Chọn một mục khác trong lịch sử.", "Choose another entry of the history.")])
    path = (hist / entry.backup).resolve()
    if hist not in path.parents:  # a tampered log must not point outside .history
        raise StewardshipError([Problem(entry.file, None, None, "đường dẫn bản lưu không hợp lệ",
                                        "invalid backup path", None, None)])
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise StewardshipError([Problem(
            entry.file, None, None, f"không tìm thấy bản lưu {entry.backup}",
            f"backup {entry.backup} not found", "Kiểm tra thư mục .history.",
            "Check the .history folder.")]) from err


def preview_restore(data_dir: Path, entry_id: str) -> UploadCheck:
    """What restoring ``entry_id`` would change, checked like an upload (nothing written)."""
    entry = _entry(data_dir, entry_id)
    raw = backup_bytes(data_dir, entry)
    return validate_upload(entry.table, raw, Path(entry.backup or entry.file).name, data_dir)


def restore(data_dir: Path, entry_id: str, who: object) -> HistoryEntry:
    """Put back the version that ``entry_id`` replaced, byte for byte: an atomic, logged change
    that keeps the current version in history (so a restore can itself be undone).

    Refused (:class:`StewardshipError`) when that version no longer fits the current dataset."""
    data_dir = Path(data_dir)
    entry = _entry(data_dir, entry_id)
    spec = table_spec(entry.table)
    with _locked(data_dir) as hist:
        raw = backup_bytes(data_dir, entry)
        check = validate_upload(spec.name, raw, Path(entry.backup or spec.file).name, data_dir)
        if not check.ok:
            raise StewardshipError(check.errors)
        return _replace_locked(data_dir, hist, spec, raw, who, check.diff, "restore", entry.id)


# --------------------------------------------------------------------------------------------
# Downloads
# --------------------------------------------------------------------------------------------

def _is_text_column(frame: pd.DataFrame, column: str, spec: TableSpec | None) -> bool:
    if spec is not None and column in spec.column_names:
        return spec.column(column).kind in ("text", "code", "enum")
    return not (pd.api.types.is_numeric_dtype(frame[column]) or
                pd.api.types.is_bool_dtype(frame[column]))


def _spec_or_none(name: str | None) -> TableSpec | None:
    if name is None:
        return None
    try:
        return table_spec(name)
    except KeyError:
        return None


def _export_cell(value: object, col: ColumnSpec | None, text_column: bool) -> str:
    """One cell as downloaded text: canonical numbers, ∞ bound empty, text neutralised."""
    if col is not None and col.allow_inf and isinstance(value, float) and math.isinf(value):
        return ""
    text = cell_text(value)
    return neutralise(text) if text_column else text


def table_csv_bytes(frame: pd.DataFrame, name: str | None = None) -> bytes:
    """A table as CSV for people: UTF-8 with BOM (Excel shows Vietnamese correctly), CRLF,
    numbers in the canonical form, text cells that could run as a formula neutralised.
    ``name`` (a contract table) fixes the column order and kinds."""
    spec = _spec_or_none(name)
    columns = list(spec.column_names) if spec is not None else list(frame.columns)
    columns = [c for c in columns if c in frame.columns]
    kinds = [spec.column(c) if spec is not None else None for c in columns]
    texts = [_is_text_column(frame, c, spec) for c in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in columns])
    for record in frame[columns].itertuples(index=False):
        writer.writerow(_export_cell(v, k, t) for v, k, t in zip(record, kinds, texts, strict=True))
    return buffer.getvalue().encode("utf-8-sig")


def dataset_tables(ds: object) -> dict[str, pd.DataFrame]:
    """Every contract table of a :class:`~nq05_metrics.loader.Dataset` (or a mapping of frames)
    by table name; the units registry becomes its frame."""
    if isinstance(ds, Mapping):
        return {name: ds[name] for name in TABLES if name in ds}
    out = {}
    for name in TABLES:
        value = getattr(ds, name, None)
        if name == "units" and value is not None and hasattr(value, "units"):
            value = value.units
        if isinstance(value, pd.DataFrame):
            out[name] = value
    return out


def current_tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    """The tables as they are in ``data_dir`` now (rows with errors left out), even when the
    dataset as a whole does not validate — for downloads while a steward fixes a file."""
    frames, _ = _baseline(_files(Path(data_dir)))
    return {name: frame.copy() for name, frame in frames.items()}


# Meanings of columns for the data dictionary: (table, column) overrides, then column.
_MEANING: dict[str, tuple[str, str]] = {
    "indicator_id": ("Mã chỉ tiêu (không dấu, không khoảng trắng)", "Indicator key (snake_case)"),
    "name_vi": ("Tên tiếng Việt", "Name in Vietnamese"),
    "name_en": ("Tên tiếng Anh", "Name in English"),
    "group": ("Nhóm chỉ tiêu (trồng trọt, chăn nuôi…)", "Indicator group (crops, livestock…)"),
    "commodity": ("Mã sản phẩm hàng hóa (xem commodities.csv)", "Commodity key (see commodities.csv)"),
    "unit": ("Đơn vị tính (ha, m3, đàn, cơ sở…)", "Unit of measure (ha, m3, colonies, facilities…)"),
    "kind": ("level = quy mô cần đạt tại năm mục tiêu; cumulative = tổng cộng dồn trong giai đoạn",
             "level = a stock to reach in the target year; cumulative = a total over the period"),
    "polarity": ("higher_better = càng cao càng tốt; lower_better = càng thấp càng tốt",
                 "higher_better or lower_better"),
    "aggregation": ("sum = số tỉnh bằng tổng các huyện; none = không cộng được",
                    "sum = province equals the sum of districts; none = not additive"),
    "baseline_year": ("Năm gốc", "Baseline year"),
    "baseline_value": ("Giá trị năm gốc", "Baseline value"),
    "target_year": ("Năm mục tiêu", "Target year"),
    "target_value": ("Chỉ tiêu cần đạt ở năm mục tiêu", "Target value for the target year"),
    "target_2030": ("Định hướng đến năm 2030 (nếu có)", "Orientation for 2030 (if any)"),
    "target_quality": ("Mức tin cậy của chỉ tiêu (xem quality_levels.csv)",
                       "Quality flag of the target (see quality_levels.csv)"),
    "target_source": ("Nguồn của chỉ tiêu", "Source of the target"),
    "headline": ("Chỉ tiêu chính hiển thị ở trang tổng quan", "Headline indicator on the overview"),
    "display_order": ("Thứ tự hiển thị", "Display order"),
    "description_vi": ("Mô tả tiếng Việt", "Description in Vietnamese"),
    "description_en": ("Mô tả tiếng Anh", "Description in English"),
    "unit_code": ("Mã đơn vị hành chính (mã TCTK) hoặc tên đơn vị",
                  "Administrative unit (GSO code) or its name"),
    "year": ("Năm số liệu", "Year of the figure"),
    "value": ("Giá trị", "Value"),
    "quality": ("Mức tin cậy: official, reported, news, estimate, illustrative",
                "Quality flag: official, reported, news, estimate, illustrative"),
    "source": ("Nguồn số liệu (văn bản, cơ quan, đường dẫn)", "Source (document, agency, link)"),
    "note": ("Ghi chú", "Note"),
    "zone_id": ("Mã vùng sản xuất hàng hóa", "Commodity zone key"),
    "commune": ("Xã", "Commune"),
    "area_ha": ("Diện tích (ha)", "Area (ha)"),
    "lon": ("Kinh độ (WGS84)", "Longitude (WGS84)"),
    "lat": ("Vĩ độ (WGS84)", "Latitude (WGS84)"),
    "linked_enterprise": ("Doanh nghiệp liên kết", "Linked enterprise"),
    "band_id": ("Mã nhóm mức đạt", "Status band key"),
    "min_pct": ("Cận dưới (% chỉ tiêu, tính cả)", "Lower bound (% of target, inclusive)"),
    "max_pct": ("Cận trên (% chỉ tiêu, không tính); trống = vô cùng",
                "Upper bound (% of target, exclusive); empty = infinity"),
    "label_vi": ("Nhãn tiếng Việt", "Label in Vietnamese"),
    "label_en": ("Nhãn tiếng Anh", "Label in English"),
    "definition_vi": ("Định nghĩa tiếng Việt", "Definition in Vietnamese"),
    "definition_en": ("Định nghĩa tiếng Anh", "Definition in English"),
    "color": ("Màu (#RRGGBB)", "Colour (#RRGGBB)"),
    "symbol": ("Ký hiệu đi kèm màu (màu không phải dấu hiệu duy nhất)",
               "Symbol shown with the colour (colour is never the only cue)"),
    "order": ("Thứ tự", "Order"),
    "rank": ("Thứ bậc (1 = tin cậy nhất)", "Rank (1 = most reliable)"),
    "unit_set": ("Bộ đơn vị (vd. district_2008_2025)", "Unit set (e.g. district_2008_2025)"),
    "level": ("Cấp hành chính", "Administrative level"),
    "parent_code": ("Mã đơn vị cấp trên", "Code of the parent unit"),
    "valid_from": ("Có hiệu lực từ (YYYY-MM-DD)", "Valid from (YYYY-MM-DD)"),
    "valid_to": ("Hết hiệu lực (YYYY-MM-DD, trống = còn hiệu lực)",
                 "Valid until (YYYY-MM-DD, empty = still valid)"),
    "aliases": ("Các cách viết khác, cách nhau bởi |", "Other spellings, separated by |"),
    "own_slide": ("true = có trang riêng trong bài trình chiếu", "true = its own slide in the deck"),
    "decimals": ("Số chữ số thập phân khi hiển thị", "Decimal places shown"),
    "additive": ("true = cộng được (số tỉnh = tổng các huyện)",
                 "true = additive (province = sum of districts)"),
}
_MEANING_BY_TABLE: dict[tuple[str, str], tuple[str, str]] = {
    ("district_targets", "target_value"): ("Chỉ tiêu phân bổ cho đơn vị", "Target allocated to the unit"),
    ("district_targets", "quality"): ("Mức tin cậy của chỉ tiêu phân bổ", "Quality flag of the allocation"),
    ("commodities", "commodity"): ("Mã sản phẩm hàng hóa", "Commodity key"),
    ("measures", "unit"): ("Mã đơn vị tính (dùng trong indicators.csv)",
                           "Unit-of-measure code (used in indicators.csv)"),
    ("qualities", "quality"): ("Mã mức tin cậy", "Quality flag key"),
    ("units", "unit_code"): ("Mã đơn vị hành chính (mã TCTK)", "Administrative unit code (GSO)"),
    ("zones", "year"): ("Năm ghi nhận vùng", "Year the zone was recorded"),
}
_KIND_LABEL = {
    "text": ("văn bản", "text"), "code": ("mã", "code"), "int": ("số nguyên", "whole number"),
    "float": ("số", "number"), "enum": ("một trong danh sách", "one of a list"),
    "bool": ("đúng/sai", "true/false"),
}


def column_meaning(table: str, column: str) -> tuple[str, str]:
    """(Vietnamese, English) meaning of a contract column; ``("", "")`` when undocumented."""
    return _MEANING_BY_TABLE.get((table, column)) or _MEANING.get(column, ("", ""))


def _rule_text(col: ColumnSpec, lang: str) -> str:
    """Allowed values / range / pattern / reference of a column, in ``lang``."""
    vi = lang == "vi"
    parts = []
    if col.allowed:
        parts.append(", ".join(col.allowed))
    if col.min_value is not None:
        op = "≥" if col.min_inclusive else ">"
        parts.append(f"{op} {loader.format_number(col.min_value)}")
    if col.max_value is not None:
        parts.append(f"≤ {loader.format_number(col.max_value)}")
    if col.pattern:
        parts.append(("mẫu " if vi else "pattern ") + col.pattern)
    if col.ref:
        parts.append(("phải có trong " if vi else "must exist in ") + table_spec(col.ref).file)
    return "; ".join(parts)


def data_dictionary(lang: str = "vi") -> pd.DataFrame:
    """One row per contract column: file, column, type, required, key, allowed values / rule,
    meaning in Vietnamese and English. Headers in ``lang``."""
    vi = lang == "vi"
    yes, no = ("có", "không") if vi else ("yes", "no")
    rows = []
    for spec in TABLES.values():
        for col in spec.columns:
            meaning_vi, meaning_en = column_meaning(spec.name, col.name)
            rows.append([
                spec.file, col.name, _KIND_LABEL[col.kind][0 if vi else 1],
                yes if col.required else no, yes if col.name in spec.key else no,
                _rule_text(col, lang), meaning_vi, meaning_en,
            ])
    headers = (["tệp", "cột", "kiểu", "bắt buộc", "khóa", "giá trị cho phép / quy tắc",
                "ý nghĩa (tiếng Việt)", "ý nghĩa (tiếng Anh)"] if vi else
               ["file", "column", "type", "required", "key", "allowed values / rule",
                "meaning (Vietnamese)", "meaning (English)"])
    return pd.DataFrame(rows, columns=headers)


def dictionary_sheet_name(lang: str) -> str:
    """Title of the dictionary sheet (Excel allows ≤ 31 characters)."""
    return "Từ điển dữ liệu" if lang == "vi" else "Data dictionary"


def _xlsx_value(value: object, col: ColumnSpec | None, text_column: bool) -> object:
    """A cell for openpyxl: numbers stay numbers, text is neutralised and cleaned of the
    control characters XLSX cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    if not text_column:
        if hasattr(value, "item") and not isinstance(value, str):
            value = value.item()  # numpy scalar → Python
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            number = float(value)
            if math.isnan(number):
                return None
            if math.isinf(number):
                return None if col is not None and col.allow_inf else loader.format_number(number)
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
    text = cell_text(value)
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)) if text else None


def _write_sheet(sheet: object, frame: pd.DataFrame, spec: TableSpec | None) -> None:
    """Header (bold, frozen) and rows; text cells typed as text so nothing runs as a formula."""
    from openpyxl.styles import Font

    columns = [c for c in (spec.column_names if spec else frame.columns) if c in frame.columns]
    kinds = [spec.column(c) if spec is not None else None for c in columns]
    texts = [_is_text_column(frame, c, spec) for c in columns]
    sheet.append([neutralise(str(c)) for c in columns])  # type: ignore[attr-defined]
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)
    for record in frame[columns].itertuples(index=False):
        values = [_xlsx_value(v, k, t) for v, k, t in zip(record, kinds, texts, strict=True)]
        sheet.append(values)  # type: ignore[attr-defined]
        for cell, value in zip(sheet[sheet.max_row], values, strict=False):  # type: ignore[index]
            if isinstance(value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"  # type: ignore[attr-defined]


def dataset_xlsx_bytes(ds: object, lang: str = "vi") -> bytes:
    """All tables as one workbook: a sheet per table (named like the table) and a data
    dictionary sheet generated from the contract. Vietnamese text is kept as is; text cells
    that could run as a formula are neutralised. ``ds``: a Dataset or a mapping of frames."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, frame in dataset_tables(ds).items():
        _write_sheet(book.create_sheet(name[:31]), frame, table_spec(name))
    _write_sheet(book.create_sheet(dictionary_sheet_name(lang)), data_dictionary(lang), None)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Credentials
# --------------------------------------------------------------------------------------------

HASH_SCHEME = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 600_000
_MAX_ITERATIONS = 10_000_000


def _pw_bytes(password: str) -> bytes:
    return unicodedata.normalize("NFC", password).encode("utf-8")


def hash_password(password: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None) -> str:
    """``pbkdf2_sha256$<iterations>$<salt-hex>$<hash-hex>`` for ``password`` (NFC-normalised,
    16-byte random salt, 32-byte PBKDF2-HMAC-SHA256)."""
    if not password:
        raise ValueError("empty password")
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", _pw_bytes(password), salt, iterations)
    return f"{HASH_SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def _section(secrets_mapping: object, name: str) -> Mapping[str, object] | None:
    try:
        value = secrets_mapping[name]  # type: ignore[index]
    except Exception:  # noqa: BLE001 — st.secrets raises its own types when absent/unparsable
        return None
    return value if isinstance(value, Mapping) else None


def password_hash(secrets_mapping: object) -> str | None:
    """``[editor] password_hash`` from the secrets, or None."""
    section = _section(secrets_mapping, "editor")
    value = section.get("password_hash") if section is not None else None
    return value if isinstance(value, str) and value.startswith(HASH_SCHEME + "$") else None


def check_password(password: str, secrets_mapping: object) -> bool:
    """True when ``password`` matches ``[editor] password_hash`` in the secrets (constant-time
    comparison); False when it does not, or when no usable hash is configured."""
    stored = password_hash(secrets_mapping)
    if not stored or not isinstance(password, str) or not password:
        return False
    parts = stored.split("$")
    if len(parts) != 4:
        return False
    try:
        iterations = int(parts[1])
        salt, expected = bytes.fromhex(parts[2]), bytes.fromhex(parts[3])
    except ValueError:
        return False
    if not 1 <= iterations <= _MAX_ITERATIONS or not salt or not expected:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", _pw_bytes(password), salt, iterations, len(expected))
    return hmac.compare_digest(digest, expected)


def credential_mode(secrets_mapping: object) -> Literal["oidc", "password"] | None:
    """How editing is unlocked: ``oidc`` when there is an ``[auth]`` section (``st.login``),
    ``password`` when ``[editor] password_hash`` is set, None (read-only) otherwise."""
    if _section(secrets_mapping, "auth"):
        return "oidc"
    if password_hash(secrets_mapping):
        return "password"
    return None


def oidc_provider(secrets_mapping: object) -> str | None:
    """The provider name for ``st.login``: None when ``[auth]`` holds ``client_id`` itself,
    else the first ``[auth.<provider>]`` sub-section."""
    auth = _section(secrets_mapping, "auth")
    if not auth or "client_id" in auth:
        return None
    for key, value in auth.items():
        if isinstance(value, Mapping):
            return str(key)
    return None


def is_allowed_editor(email: object, secrets_mapping: object) -> bool:
    """Whether a signed-in (OIDC) account may edit: its e-mail is in ``[editor] allowed_emails``
    or its domain in ``[editor] allowed_domains`` (case-insensitive). Nobody when neither is set:
    signing in proves who someone is, not that they are a data steward."""
    if not isinstance(email, str) or "@" not in email:
        return False
    section = _section(secrets_mapping, "editor") or {}
    address = email.strip().lower()
    emails = {str(e).strip().lower() for e in section.get("allowed_emails", ()) or ()}
    domains = {str(d).strip().lower().lstrip("@") for d in section.get("allowed_domains", ()) or ()}
    return address in emails or address.rsplit("@", 1)[1] in domains
