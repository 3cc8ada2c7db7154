"""Data stewardship: check an upload, preview the change, replace a table safely, keep history.

Pure Python (never imports Streamlit); :mod:`dashboard.stewardship_ui` draws it. One module per
topic:

* :mod:`.check` — :func:`validate_upload`: size and type limits (type by magic bytes, never by
  the user's file name, which is only ever shown, never used as a path), the loader's contract
  against the current dataset with the new table in place (so cross-table references are checked
  both ways), and a :class:`TableDiff` preview. Reuses the caller's folder read.
* :mod:`.diff` — :func:`diff_tables`: rows added/removed and cells changed, by the contract key.
* :mod:`.history` — :func:`apply_change` / :func:`restore`: atomic replacement under an exclusive
  lock, the previous version kept in ``.history/``, one JSON line per change in
  ``.history/log.jsonl``; :func:`history`, :func:`preview_restore`.
* :mod:`.downloads` — :func:`table_csv_bytes` and :func:`dataset_xlsx_bytes` (with a data
  dictionary generated from the contract), written by :mod:`nq05_metrics.serialise`.
* :mod:`.auth` — :func:`hash_password` / :func:`check_password` (PBKDF2-SHA256, salted,
  constant-time compare), :func:`credential_mode`, the OIDC allow-list.
"""

from __future__ import annotations

from nq05_metrics.stewardship.auth import (
    DEFAULT_ITERATIONS,
    HASH_SCHEME,
    check_password,
    credential_mode,
    hash_password,
    is_allowed_editor,
    oidc_provider,
    password_hash,
)
from nq05_metrics.stewardship.check import (
    MAX_UPLOAD_BYTES,
    MAX_XLSX_UNPACKED_BYTES,
    UploadCheck,
    display_name,
    folder_read,
    sha256,
    sniff_kind,
    upload_limits,
    validate_upload,
)
from nq05_metrics.stewardship.diff import TableDiff, diff_tables
from nq05_metrics.stewardship.downloads import (
    column_meaning,
    current_tables,
    data_dictionary,
    dataset_tables,
    dataset_xlsx_bytes,
    dictionary_sheet_name,
    table_csv_bytes,
)
from nq05_metrics.stewardship.errors import StewardshipError
from nq05_metrics.stewardship.history import (
    HISTORY_DIR,
    LOCK_FILE,
    LOG_FILE,
    HistoryEntry,
    apply_change,
    backup_bytes,
    history,
    history_dir,
    preview_restore,
    restore,
)

__all__ = [
    "DEFAULT_ITERATIONS", "HASH_SCHEME", "check_password", "credential_mode", "hash_password",
    "is_allowed_editor", "oidc_provider", "password_hash",
    "MAX_UPLOAD_BYTES", "MAX_XLSX_UNPACKED_BYTES", "UploadCheck", "display_name", "folder_read",
    "sha256", "sniff_kind", "upload_limits", "validate_upload",
    "TableDiff", "diff_tables",
    "column_meaning", "current_tables", "data_dictionary", "dataset_tables", "dataset_xlsx_bytes",
    "dictionary_sheet_name", "table_csv_bytes",
    "StewardshipError",
    "HISTORY_DIR", "LOCK_FILE", "LOG_FILE", "HistoryEntry", "apply_change", "backup_bytes",
    "history", "history_dir", "preview_restore", "restore",
]
