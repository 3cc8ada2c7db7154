"""The upload check: size and type limits, then the loader's contract on the whole dataset with
the upload in place, and a :class:`~nq05_metrics.stewardship.diff.TableDiff` preview. Reads only;
never raises on bad bytes; never writes.

The current dataset is not parsed again for each check: the caller passes the folder read it
already holds (the app's cached :class:`~nq05_metrics.loader.FolderRead`), which is used as long
as its fingerprint is the folder's; only the uploaded table and the tables that refer to it are
read (:func:`nq05_metrics.loader.read_files` with ``reuse``)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nq05_metrics import loader
from nq05_metrics.contract import Problem, table_spec
from nq05_metrics.loader import FolderRead
from nq05_metrics.serialise import DATA_FILE, csv_bytes, unneutralised
from nq05_metrics.stewardship.diff import TableDiff, diff_tables
from nq05_metrics.stewardship.errors import problem

Files = dict[str, bytes | None]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 60 * 1024 * 1024

# Magic numbers of files that are certainly not a table (shown as a type error, not parsed).
_BINARY_MAGIC = (
    b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!",
    b"\x7fELF", b"MZ",
)


@dataclass(frozen=True, eq=False)
class UploadCheck:
    """What :func:`validate_upload` found.

    ``ok`` — no error (warnings may remain in ``problems``); ``frame`` — the validated table
    (rows with errors left out); ``diff`` — current → uploaded (only when ``ok``);
    ``canonical`` — the clean UTF-8 CSV to hand to :func:`~nq05_metrics.stewardship.history.apply_change`
    (only when ``ok``); ``base_sha256`` — sha256 of the file the check compared against (None: no
    file), to detect a change by someone else before applying; ``source_name`` — the uploaded
    name, for display only."""

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


def sha256(raw: bytes | None) -> str | None:
    """Hex sha256 of ``raw`` (None stays None)."""
    return None if raw is None else hashlib.sha256(raw).hexdigest()


def display_name(filename: object, default: str = "upload") -> str:
    """The user's file name made safe to *show*: last path part, no control characters, ≤ 80
    characters. It is never used to build a path."""
    text = unicodedata.normalize("NFC", str(filename or ""))
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    return (text[:77] + "…" if len(text) > 80 else text) or default


def sniff_kind(raw: bytes) -> str | None:
    """``"xlsx"``, ``"xls"`` (the loader's :func:`~nq05_metrics.loader.file_kind`), ``"csv"``
    (text) or None (a known binary format, or NUL bytes that are not UTF-16).

    Decided by the bytes, never by the file name."""
    kind = loader.file_kind(raw)
    if kind != "text":
        return kind
    if raw.startswith(_BINARY_MAGIC):
        return None
    head = raw[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return "csv"


def upload_limits(raw: bytes, label: str) -> list[Problem]:
    """Size and type limits of an uploaded file, before any parsing ([] when within them)."""
    if not raw:
        return [problem(label, "empty_file")]
    if len(raw) > MAX_UPLOAD_BYTES:
        return [problem(label, "too_large", size=f"{len(raw) / 1e6:.1f}",
                        limit=MAX_UPLOAD_BYTES // (1024 * 1024))]
    kind = sniff_kind(raw)
    if kind is None:
        return [problem(label, "not_a_table")]
    if kind == "xlsx":
        return _zip_problems(raw, label)
    return []


def _zip_problems(raw: bytes, label: str) -> list[Problem]:
    """An XLSX must be a readable zip holding a workbook, and not unpack to something huge."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return [problem(label, "bad_zip")]
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        return [problem(label, "bad_zip")]
    if sum(info.file_size for info in infos) > MAX_XLSX_UNPACKED_BYTES:
        return [problem(label, "zip_too_large")]
    return []


def folder_read(data_dir: Path, current: FolderRead | None = None) -> tuple[Files, FolderRead]:
    """The folder as it is now: its files' bytes, and ``current`` when it was read from the same
    folder and its fingerprint is still the files' (the usual case: the app's cached read), else
    a new read of those bytes."""
    data_dir = Path(data_dir)
    files = loader.file_bytes(data_dir)
    stamp = loader.fingerprint(files)
    if current is not None and Path(current.data_dir) == data_dir and current.fingerprint == stamp:
        return files, current
    return files, FolderRead(data_dir, stamp, loader.read_files(files))


def _found(spec_file: str, label: str, before: list[Problem], after: list[Problem]) -> tuple[Problem, ...]:
    """The upload's own problems (named by the upload's file name) and the *new* errors it
    causes in other files; errors that other files already had are not blamed on it."""
    own = [dataclasses.replace(p, file=label) for p in after if p.file == spec_file]
    old_errors = {p for p in before if p.file != spec_file and p.is_error}
    others = [p for p in after if p.file != spec_file and p.is_error and p not in old_errors]
    return tuple(own + others)


def validate_upload(
    table_name: str,
    raw_bytes: bytes,
    filename: object,
    data_dir: Path,
    current: FolderRead | None = None,
) -> UploadCheck:
    """Check an uploaded table against the contract and the current dataset; write nothing.

    Steps: size (≤ :data:`MAX_UPLOAD_BYTES`) and type by magic bytes (CSV text or a real XLSX);
    then the whole dataset is read with the upload in place of ``table_name``, so the upload's
    own cells and references are checked and so are the tables that refer to it (an
    ``indicators.csv`` that drops an id still used in ``observations.csv`` is refused). Errors in
    other files that were already there before the upload are not blamed on it. Text cells our
    own downloads neutralised (``'=…``) are taken back as they were (``=…``).
    ``current``: the folder read the caller holds (see :func:`folder_read`). ``filename`` is only
    shown in messages. Never raises on bad bytes."""
    spec = table_spec(table_name)
    label = display_name(filename, spec.file)
    raw = bytes(raw_bytes or b"")
    limits = upload_limits(raw, label)
    if limits:
        return UploadCheck(spec.name, False, tuple(limits), source_name=label)
    files, base = folder_read(data_dir, current)
    frames, problems = loader.read_files({**files, spec.name: raw}, reuse=base.read, changed={spec.name})
    found = _found(spec.file, label, base.read[1], problems)
    frame, base_sha = unneutralised(frames[spec.name], spec.name), sha256(files[spec.name])
    if any(p.is_error for p in found):
        return UploadCheck(spec.name, False, found, frame, source_name=label, base_sha256=base_sha)
    diff = diff_tables(base.read[0][spec.name], frame, spec.key)
    canonical = csv_bytes(frame, spec.name, DATA_FILE)
    return UploadCheck(spec.name, True, found, frame, diff, canonical, base_sha, label)
