"""Downloads of the data as it is in the folder: a CSV per table and one workbook with every
table and a data dictionary generated from the contract. Bytes come from
:mod:`nq05_metrics.serialise` only, so a table downloaded here equals the same table downloaded
from any page."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from nq05_metrics.contract import TABLES, ColumnSpec, table_spec
from nq05_metrics.i18n import catalog, t
from nq05_metrics.loader import FolderRead, format_number
from nq05_metrics.serialise import DOWNLOAD, Sheet, csv_bytes, tables_sheets, xlsx_bytes
from nq05_metrics.stewardship.check import folder_read

_DICTIONARY_COLUMNS = ("file", "column", "type", "required", "key", "rule", "meaning_vi", "meaning_en")


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


def current_tables(data_dir: Path, current: FolderRead | None = None) -> dict[str, pd.DataFrame]:
    """The tables as they are in ``data_dir`` now (rows with errors left out), even when the
    dataset as a whole does not validate — for downloads while a steward fixes a file.
    ``current``: the folder read the caller holds (parsed again only if the folder changed)."""
    frames, _ = folder_read(data_dir, current)[1].read
    return {name: frame.copy() for name, frame in frames.items()}


def table_csv_bytes(frame: pd.DataFrame, name: str | None = None) -> bytes:
    """A table as a CSV download (:data:`nq05_metrics.serialise.DOWNLOAD`); ``name`` (a contract
    table) fixes the column order and kinds."""
    return csv_bytes(frame, name, DOWNLOAD)


def column_meaning(table: str, column: str) -> tuple[str, str]:
    """(Vietnamese, English) meaning of a contract column; ``("", "")`` when undocumented."""
    vi = catalog("vi")
    for key in (f"stewardship.meaning_in.{table}.{column}", f"stewardship.meaning.{column}"):
        if key in vi:
            return vi[key], catalog("en").get(key, vi[key])
    return "", ""


def _rule_text(col: ColumnSpec, lang: str) -> str:
    """Allowed values / range / pattern / reference of a column, in ``lang``."""
    parts = []
    if col.allowed:
        parts.append(", ".join(col.allowed))
    if col.min_value is not None:
        op = "≥" if col.min_inclusive else ">"
        parts.append(f"{op} {format_number(col.min_value)}")
    if col.max_value is not None:
        parts.append(f"≤ {format_number(col.max_value)}")
    if col.pattern:
        parts.append(t(lang, "stewardship.rule_pattern", pattern=col.pattern))
    if col.ref:
        parts.append(t(lang, "stewardship.rule_ref", file=table_spec(col.ref).file))
    return "; ".join(parts)


def data_dictionary(lang: str = "vi") -> pd.DataFrame:
    """One row per contract column: file, column, type, required, key, allowed values / rule,
    meaning in Vietnamese and English. Headers in ``lang``."""
    yes, no = t(lang, "stewardship.dictionary.yes"), t(lang, "stewardship.dictionary.no")
    rows = []
    for spec in TABLES.values():
        for col in spec.columns:
            meaning_vi, meaning_en = column_meaning(spec.name, col.name)
            rows.append([
                spec.file, col.name, t(lang, f"stewardship.kind.{col.kind}"),
                yes if col.required else no, yes if col.name in spec.key else no,
                _rule_text(col, lang), meaning_vi, meaning_en,
            ])
    headers = [t(lang, f"stewardship.dictionary.{c}") for c in _DICTIONARY_COLUMNS]
    return pd.DataFrame(rows, columns=headers)


def dictionary_sheet_name(lang: str) -> str:
    """Title of the dictionary sheet (Excel allows ≤ 31 characters)."""
    return t(lang, "stewardship.dictionary.sheet")


def dataset_xlsx_bytes(ds: object, lang: str = "vi") -> bytes:
    """All tables as one workbook: a sheet per table (named like the table) and a data
    dictionary sheet generated from the contract. Vietnamese text is kept as is; text cells
    that could run as a formula are neutralised. ``ds``: a Dataset or a mapping of frames."""
    sheets = tables_sheets(dataset_tables(ds))
    sheets.append(Sheet(dictionary_sheet_name(lang), data_dictionary(lang)))
    return xlsx_bytes(sheets)
