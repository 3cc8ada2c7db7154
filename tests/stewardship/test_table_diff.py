"""nq05_metrics.stewardship.diff: rows added, removed and cells changed by key."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nq05_metrics import stewardship as sw


# ----------------------------------------------------------------------------- diff
def _obs_frame(*rows: tuple[str, str, int, float, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator_id", "unit_code", "year", "value", "note"])


_A = ("tea", "110", 2023, 120.0, "")
_B = ("tea", "12", 2023, 7900.0, "x")
_C = ("rice", "110", 2023, 5.0, "")


@pytest.mark.parametrize(
    ("old", "new", "counts", "cells"),
    [
        ([_A, _B], [_A, _B], (0, 0, 0), []),
        ([_A], [_A, _B], (1, 0, 0), []),
        ([_A, _B], [_A], (0, 0, 1), []),
        ([_A, _B], [_A, ("tea", "12", 2023, 8000.0, "x")], (0, 1, 0), [("value", "7900", "8000")]),
        ([_A, _B], [_A, ("tea", "12", 2023, 8000.0, "y")], (0, 1, 0),
         [("value", "7900", "8000"), ("note", "x", "y")]),
        ([_A, _B], [_B, _A], (0, 0, 0), []),
        ([_A, _B], [_C], (1, 0, 2), []),
        ([_A], [("tea", "110", 2023, 120.00000, "")], (0, 0, 0), []),
        ([], [_A], (1, 0, 0), []),
        ([_A], [], (0, 0, 1), []),
        ([("tea", "110", 2023, float("nan"), "")], [("tea", "110", 2023, float("nan"), "")],
         (0, 0, 0), []),
        ([("tea", "110", 2023, float("nan"), "")], [_A], (0, 1, 0), [("value", "", "120")]),
    ],
    ids=["same", "added", "removed", "changed", "two-cells", "reordered", "replaced",
         "float-equal", "from-empty", "to-empty", "nan-equal", "nan-to-value"],
)
def test_diff_tables(old: list, new: list, counts: tuple[int, int, int], cells: list) -> None:
    old_f, new_f = _obs_frame(*old), _obs_frame(*new)
    old_copy, new_copy = old_f.copy(), new_f.copy()
    diff = sw.diff_tables(old_f, new_f, ("indicator_id", "unit_code", "year"))
    got = diff.counts()
    assert (got["added"], got["changed"], got["removed"]) == counts
    assert sorted(zip(diff.changed["column"], diff.changed["old"], diff.changed["new"],
                      strict=True)) == sorted(cells)
    assert diff.is_empty == (counts == (0, 0, 0))
    pd.testing.assert_frame_equal(old_f, old_copy)
    pd.testing.assert_frame_equal(new_f, new_copy)


def test_diff_keeps_the_rows_and_names_the_key(ds_dir: Path) -> None:
    diff = sw.diff_tables(_obs_frame(_A, _B), _obs_frame(_B, _C), ["indicator_id", "unit_code", "year"])
    assert diff.added.iloc[0]["indicator_id"] == "rice"
    assert diff.removed.iloc[0]["unit_code"] == "110"
    with pytest.raises(ValueError):
        sw.diff_tables(_obs_frame(_A), _obs_frame(_A), ["zone_id"])


