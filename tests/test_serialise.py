"""nq05_metrics.serialise: the one writer of CSV/XLSX — canonical cells, the two CSV styles
(download with BOM/CRLF/neutralised, data file without), the workbook, and the same bytes for a
table whichever page downloads it."""

from __future__ import annotations

import csv
import io
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import write_dataset
from openpyxl import load_workbook

from nq05_metrics import loader
from nq05_metrics import serialise as ser
from nq05_metrics import stewardship as sw
from nq05_metrics.contract import TABLES


@pytest.fixture
def ds_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return write_dataset(folder)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
     ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("\uff1d1", "'\uff1d1"), ("Than Uyên", "Than Uyên"),
     ("a=b", "a=b"), ("", "")],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert ser.neutralise(cell) == expected


@pytest.mark.parametrize(("value", "text"), [
    (12000.0, "12000"), (12000, "12000"), (np.int64(7), "7"), (np.float64(1234.5), "1234.5"),
    (1.234, "1.2340"), (0.1, "0.1"), (True, "true"), (np.bool_(False), "false"), (None, ""),
    (math.nan, ""), (pd.NA, ""), (pd.NaT, ""), (math.inf, "inf"), (-math.inf, "-inf"),
    (pd.Timestamp("2025-07-01"), "2025-07-01"), ("Than Uyên", "Than Uyên"), ("=x", "=x"),
])
def test_cell_text_is_canonical(value: object, text: str) -> None:
    assert ser.cell_text(value) == text


def test_an_allowed_infinite_bound_is_empty() -> None:
    bands = pd.DataFrame({"band_id": ["met"], "min_pct": [100.0], "max_pct": [math.inf]})
    assert ser.cell_text(math.inf, loader.table_spec("bands").column("max_pct")) == ""
    assert b"met,100,\r\n" in ser.csv_bytes(bands, "bands")


def test_download_style_bom_crlf_and_neutralised_but_numbers_stay_numbers() -> None:
    frame = pd.DataFrame({"name": ["=1+1", "+x", "-y", "@z", "Chè"], "value": [1.0, -2.0, 3, 4, 5],
                          "=head": [True, False, True, False, True], "big": [-math.inf] * 5})
    data = ser.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 6
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "name,value,'=head,big"
    assert lines[1:3] == ["'=1+1,1,true,'-inf", "'+x,-2,false,'-inf"]
    assert "'-y" in lines[3] and "'@z" in lines[4] and lines[5].startswith("Chè,5,")
    assert frame.loc[0, "name"] == "=1+1"  # input not mutated


def test_data_file_style_keeps_text_exactly_and_reads_back_equal(ds_dir: Path) -> None:
    frames, _ = loader.read_files(loader.file_bytes(ds_dir))
    for name, frame in frames.items():
        raw = ser.csv_bytes(frame, name, ser.DATA_FILE)
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
        again, problems = loader.read_table(name, raw, units=loader.registry_from_frame(frames["units"]),
                                            indicators=frames["indicators"], file_label=name)
        assert [p for p in problems if p.is_error] == [], name
        pd.testing.assert_frame_equal(again, frame)
    note = pd.DataFrame({"a": ["=not a formula here"]})
    assert ser.csv_bytes(note, None, ser.DATA_FILE) == b"a\n=not a formula here\n"


def test_every_download_of_a_table_has_the_same_bytes(ds_dir: Path) -> None:
    """The Data page's tab download (``csv_bytes(ds.<table>, table)``), the steward's per-table
    download (``table_csv_bytes(current_tables(...)[table], table)``) and a download made from a
    dataset loaded by the app path give identical bytes: canonical numbers and booleans."""
    ds = loader.dataset_from(loader.read_folder(ds_dir))
    steward = sw.current_tables(ds_dir, loader.read_folder(ds_dir))
    for name in TABLES:
        page = ser.csv_bytes(sw.dataset_tables(ds)[name], name)
        assert page == sw.table_csv_bytes(steward[name], name), name
        assert page == ser.csv_bytes(sw.dataset_tables(loader.load_dataset(ds_dir))[name], name)
    text = ser.csv_bytes(ds.indicators, "indicators").decode("utf-8-sig")
    assert ".0," not in text and "True" not in text and "False" not in text
    assert ",true," in text or ",false," in text


def test_workbook_cells_equal_the_csv_cells_and_bytes_are_reproducible(ds_dir: Path) -> None:
    ds = loader.load_dataset(ds_dir)
    first = sw.dataset_xlsx_bytes(ds, "vi")
    time.sleep(2.1)  # zip times have a 2-second resolution
    assert sw.dataset_xlsx_bytes(ds, "vi") == first
    book = load_workbook(io.BytesIO(first))
    for name, frame in sw.dataset_tables(ds).items():
        rows = [[ser.cell_text(v) for v in row] for row in book[name].iter_rows(values_only=True)]
        csv_rows = list(csv.reader(io.StringIO(ser.csv_bytes(frame, name).decode("utf-8-sig"))))
        assert len(rows) == len(frame) + 1 and rows == csv_rows, name


def test_column_paths_equal_the_cell_rule() -> None:
    """Each dtype's fast path writes what :func:`cell_text` + neutralisation give cell by cell."""
    frame = pd.DataFrame({
        "f": [1.0, -2.5, math.nan, math.inf, -math.inf, 1.234],
        "i": np.array([1, -2, 3, 0, 5, 12000], dtype="int64"),
        "b": [True, False, True, True, False, False],
        "s": pd.Series(["=x", None, "Than Uyên", "-y", "", "ok"], dtype="string"),
        "n": pd.Series([1, None, -3, 4, 5, 6], dtype="Int64"),
        "o": ["@a", 2.0, None, True, pd.Timestamp("2025-07-01"), -1],
    })
    for style in (ser.DOWNLOAD, ser.DATA_FILE):
        rows = list(csv.reader(io.StringIO(ser.csv_bytes(frame, None, style).decode("utf-8-sig"))))
        expected = [[ser.cell_text(v) for v in row] for row in frame.itertuples(index=False)]
        if style.neutralise:
            numbers = (int, float, np.integer, np.floating)
            expected = [[t if isinstance(v, numbers) and not isinstance(v, bool | np.bool_)
                         and math.isfinite(v) else ser.neutralise(t) for t, v in zip(r, row, strict=True)]
                        for r, row in zip(expected, frame.itertuples(index=False), strict=True)]
        assert rows[1:] == expected, style
    assert rows[1][:3] == ["1", "1", "true"] and [rows[4][0], rows[5][0]] == ["inf", "-inf"]


@pytest.mark.parametrize("text", ["=1+1", "+x", "-2", "@a", "\t=1", "\uff1d1", "'", "'quoted'",
                                  "'=already", "''=x", "Than Uyên", "", "a=b"])
def test_unneutralise_undoes_neutralise(text: str) -> None:
    assert ser.unneutralise(ser.neutralise(text)) == text
    if not text.startswith("'"):
        assert ser.unneutralise(text) == text
