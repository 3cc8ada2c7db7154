"""What an upload changes: rows added, rows removed and cells changed between two versions of a
table, compared by the contract's key on canonical text (:func:`nq05_metrics.serialise.cell_text`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nq05_metrics.serialise import cell_text


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


def _text_rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple[str, ...]]:
    """Rows of ``frame[columns]`` as tuples of canonical text; absent columns are ``""``."""
    cols = [[cell_text(v) for v in frame[c].tolist()] if c in frame.columns else [""] * len(frame)
            for c in columns]
    return list(zip(*cols, strict=True)) if cols else [() for _ in range(len(frame))]


def _first_by_key(rows: list[tuple[str, ...]], width: int) -> dict[tuple[str, ...], int]:
    """Key (the first ``width`` cells) → position of its first row."""
    out: dict[tuple[str, ...], int] = {}
    for pos, row in enumerate(rows):
        out.setdefault(row[:width], pos)
    return out


def _changed_cells(
    old_rows: list[tuple[str, ...]],
    new_rows: list[tuple[str, ...]],
    old_at: dict[tuple[str, ...], int],
    new_at: dict[tuple[str, ...], int],
    values: list[str],
    width: int,
) -> list[tuple[str, ...]]:
    """``(*key, column, old, new)`` for every value cell that differs in a key both tables hold."""
    changed: list[tuple[str, ...]] = []
    for k, pos in new_at.items():
        before = old_at.get(k)
        if before is None:
            continue
        for i, col in enumerate(values, start=width):
            if old_rows[before][i] != new_rows[pos][i]:
                changed.append((*k, col, old_rows[before][i], new_rows[pos][i]))
    return changed


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
    changed = _changed_cells(old_rows, new_rows, old_at, new_at, values, len(key))
    return TableDiff(
        key=tuple(key),
        added=new.iloc[sorted(p for k, p in new_at.items() if k not in old_at)].reset_index(drop=True),
        removed=old.iloc[sorted(p for k, p in old_at.items() if k not in new_at)].reset_index(drop=True),
        changed=pd.DataFrame(changed, columns=[*key, "column", "old", "new"], dtype=object),
    )
