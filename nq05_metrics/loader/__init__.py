"""The one loader: CSV/XLSX bytes as Excel sends them → validated, typed frames → :class:`Dataset`.

Reading a table is four steps, each collecting :class:`~nq05_metrics.contract.Problem` records
instead of raising, so that every problem of every file is reported at once:

1. :mod:`~nq05_metrics.loader.decoding` — UTF-8 (with or without BOM), UTF-16 with BOM, else
   Windows-1258 (warning), else an error; XLSX by its zip magic (first sheet); NFC everywhere.
2. :mod:`~nq05_metrics.loader.grid` — separator (``,`` ``;`` tab) sniffed from the header line;
   header names matched after NFC + strip + lower case; every row keeps its 1-based file line.
3. :mod:`~nq05_metrics.loader.cells` and :mod:`~nq05_metrics.loader.numbers` — each column
   parsed by its contract kind, once per distinct cell. Numbers decide their format *per column*
   from unambiguous evidence; a cell that reads two ways without evidence is refused.
4. :mod:`~nq05_metrics.loader.rules` — keys unique, references exist, years in the period, band
   coverage 0..∞. Rows with an error are left out of the returned frame.

:mod:`~nq05_metrics.loader.table` reads one table, :mod:`~nq05_metrics.loader.dataset` a folder.
Texts come from the ``[loader]`` table of the string catalogue; matched words from
``nq05_metrics/vocab/cells.toml``.
"""

from __future__ import annotations

from nq05_metrics.contract import table_spec
from nq05_metrics.loader.cells import Refs
from nq05_metrics.loader.dataset import (
    Dataset,
    FolderRead,
    Read,
    dataset_from,
    dependents,
    file_bytes,
    fingerprint,
    load_dataset,
    missing_file_problem,
    next_refs,
    read_files,
    read_folder,
    registry_from_frame,
    validate_dataset,
)
from nq05_metrics.loader.decoding import XLS_MAGIC, XLSX_MAGIC, decode_text, file_kind
from nq05_metrics.loader.grid import cell_text, normalize_header, sniff_separator
from nq05_metrics.loader.numbers import NumberReading, classify_number, format_number
from nq05_metrics.loader.table import empty_frame, read_rows, read_spec, read_table

__all__ = [
    "XLSX_MAGIC", "XLS_MAGIC", "Dataset", "FolderRead", "NumberReading", "Read", "Refs",
    "cell_text", "classify_number", "dataset_from", "decode_text", "dependents", "empty_frame",
    "file_bytes", "file_kind", "fingerprint", "format_number", "load_dataset",
    "missing_file_problem", "next_refs", "normalize_header", "read_files", "read_folder",
    "read_rows", "read_spec", "read_table", "registry_from_frame", "sniff_separator",
    "table_spec", "validate_dataset",
]
