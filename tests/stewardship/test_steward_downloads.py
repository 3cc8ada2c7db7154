"""nq05_metrics.stewardship.downloads: CSV per table, the all-tables workbook, the data dictionary."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pandas as pd
from builders import (
    xlsx_bytes,
)

from nq05_metrics import stewardship as sw
from nq05_metrics.contract import TABLES
from nq05_metrics.loader import load_dataset


# ----------------------------------------------------------------------------- downloads
def test_table_csv_bytes_neutralises_text_but_not_numbers() -> None:
    frame = pd.DataFrame({"indicator_id": ["=HYPERLINK(\"x\")", "tea"], "value": [-5.0, 1234.5],
                          "note": ["@SUM(1)", "Chè Tân Uyên"]})
    raw = sw.table_csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text and ",-5," in text
    assert "Chè Tân Uyên" in text and "\r\n" in text
    parsed = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert not parsed.map(lambda v: str(v).startswith(("=", "+", "@"))).any().any()


def test_table_csv_round_trips_through_the_upload_check(ds_dir: Path) -> None:
    ds = load_dataset(ds_dir)
    for name in ("observations", "indicators", "bands", "units"):
        frame = sw.dataset_tables(ds)[name]
        check = sw.validate_upload(name, sw.table_csv_bytes(frame, name), f"{name}.csv", ds_dir)
        assert check.ok, [p.format("en") for p in check.problems]
        assert check.diff is not None and check.diff.is_empty, name


def test_xlsx_has_every_table_and_a_dictionary_with_vietnamese_intact(ds_dir: Path) -> None:
    from openpyxl import load_workbook

    ds = load_dataset(ds_dir)
    for lang, dict_sheet in (("vi", "Từ điển dữ liệu"), ("en", "Data dictionary")):
        book = load_workbook(io.BytesIO(sw.dataset_xlsx_bytes(ds, lang)))
        assert book.sheetnames == [*TABLES, dict_sheet]
        units = book["units"]
        names = [c.value for c in units["D"]][1:]
        assert "Than Uyên" in names and all(unicodedata.is_normalized("NFC", n) for n in names)
        dictionary = book[dict_sheet]
        assert dictionary.max_row - 1 == sum(len(s.columns) for s in TABLES.values())
    # one table sheet copied into its own workbook uploads back with no change
    sheet = load_workbook(io.BytesIO(sw.dataset_xlsx_bytes(ds, "vi")))["observations"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    check = sw.validate_upload("observations", xlsx_bytes(rows), "o.xlsx", ds_dir)
    assert check.ok and check.diff is not None and check.diff.is_empty


def test_xlsx_neutralises_formulas_and_control_characters(ds_dir: Path) -> None:
    from openpyxl import load_workbook

    ds = load_dataset(ds_dir)
    obs = ds.observations.copy()
    obs.loc[0, "source"] = "=cmd|' /C calc'!A0"
    obs.loc[0, "note"] = "bell\x07<img src=x onerror=alert(1)>"
    tables = {**sw.dataset_tables(ds), "observations": obs}
    book = load_workbook(io.BytesIO(sw.dataset_xlsx_bytes(tables, "vi")))
    sheet = book["observations"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert "'=cmd|' /C calc'!A0" in values
    assert "bell\ufffd<img src=x onerror=alert(1)>" in values


def test_every_contract_column_has_a_meaning() -> None:
    missing = [(s.name, c.name) for s in TABLES.values() for c in s.columns
               if not all(sw.column_meaning(s.name, c.name))]
    assert missing == []
    frame = sw.data_dictionary("en")
    assert {"file", "column", "type", "required", "allowed values / rule"} <= set(frame.columns)
    row = frame[(frame["file"] == "observations.csv") & (frame["column"] == "quality")].iloc[0]
    assert "illustrative" in row["allowed values / rule"]




def test_download_edit_upload_does_not_keep_the_added_apostrophe(ds_dir: Path) -> None:
    """Text that a download neutralised (``'=…``, ``'-…``) comes back unchanged on upload, from
    the CSV and from the workbook; only the edited cell is a change."""
    from openpyxl import load_workbook

    from nq05_metrics.serialise import DATA_FILE, csv_bytes

    obs = load_dataset(ds_dir).observations.copy()
    obs.loc[0, "note"], obs.loc[0, "source"] = "- xem văn bản", "=Sở NN&PTNT"
    (ds_dir / "observations.csv").write_bytes(csv_bytes(obs, "observations", DATA_FILE))
    current = sw.current_tables(ds_dir)["observations"]
    download = sw.table_csv_bytes(current, "observations")
    assert b"'- xem" in download and b"'=S" in download
    check = sw.validate_upload("observations", download, "o.csv", ds_dir)
    assert check.ok and check.diff is not None and check.diff.is_empty
    assert check.canonical == (ds_dir / "observations.csv").read_bytes()
    edited = download.replace(b"'- xem", "'- xem lại".encode(), 1)
    check = sw.validate_upload("observations", edited, "o.csv", ds_dir)
    assert check.diff is not None and check.diff.changed["new"].tolist() == ["- xem lại văn bản"]
    sheet = load_workbook(io.BytesIO(sw.dataset_xlsx_bytes(sw.current_tables(ds_dir))))["observations"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    check = sw.validate_upload("observations", xlsx_bytes(rows), "o.xlsx", ds_dir)
    assert check.ok and check.diff is not None and check.diff.is_empty
