"""Tests of nq05_metrics.loader: input as Excel really sends it, every rule, the Dataset."""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from builders import (
    INDICATOR_COLUMNS,
    OBS_COLUMNS,
    csv_bytes,
    indicators_csv,
    make_indicator,
    make_obs,
    make_target,
    obs_csv,
    targets_csv,
    to_cp1258,
    write_dataset,
    xlsx_bytes,
)

from nq05_metrics.contract import DataContractError, Problem
from nq05_metrics.loader import (
    classify_number,
    format_number,
    load_dataset,
    read_table,
    sniff_separator,
    validate_dataset,
)
from nq05_metrics.serialise import DATA_FILE
from nq05_metrics.serialise import csv_bytes as write_csv
from nq05_metrics.units import UnitRegistry

NFC = "NFC"


def _read(
    name: str,
    raw: bytes,
    units: UnitRegistry | None = None,
    indicators: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    return read_table(name, raw, units=units, indicators=indicators, file_label=name)


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def _text(problems: list[Problem]) -> str:
    return "\n".join(p.format("vi") + "\n" + p.format("en") for p in problems)


def _values(*cells: str, sep: str = ",") -> tuple[pd.DataFrame, list[Problem]]:
    """observations.csv whose value column holds ``cells`` (one row each, years 2021…)."""
    rows = [make_obs(value=c, year=str(2021 + i)) for i, c in enumerate(cells)]
    return _read("observations", obs_csv(*rows, sep=sep))


@pytest.fixture
def indicators(units: UnitRegistry) -> pd.DataFrame:
    frame, problems = _read("indicators", indicators_csv(make_indicator()), units)
    assert problems == []
    return frame


# ------------------------------------------------------------------------------------------
# Numbers: one cell alone in its column
# ------------------------------------------------------------------------------------------

SINGLE_CELL = [
    # cell, expected value or error fragment
    ("1234.5", 1234.5),
    ("1234", 1234.0),
    ("0", 0.0),
    ("0.500", 0.5),
    ("1234.567", 1234.567),
    ("12,5", 12.5),
    ("0,5", 0.5),
    ("1234,5", 1234.5),
    ("1.234,5", 1234.5),
    ("1.234.567", 1234567.0),
    ("1.234.567,25", 1234567.25),
    ("  12.5  ", 12.5),
    ("\u00a012.5\u00a0", 12.5),
    ("12\u00a0500", 12500.0),
    ("1\u202f234\u00a0567", 1234567.0),
    ("1 234,5", 1234.5),
    ("1e3", 1000.0),
    ("+7", 7.0),
    ("12.500", "could mean 12500 or 12.5"),
    ("1.234", "could mean 1234 or 1.2340"),
    ("1,234", "could mean 1234 or 1.2340"),
    ("abc", "'abc' is not a number"),
    ("12 ha", "'12 ha' is not a number"),
    ("N/A", "'N/A' is not a number"),
    ("-", "'-' is not a number"),
    ("1,234.5", "is not a number"),
    ("12.", "is not a number"),
    ("(12)", "is not a number"),
    ("-5", "cannot be negative"),
    ("−3", "cannot be negative"),
    ("inf", "is not a number"),
    ("", "required cell is empty"),
]


@pytest.mark.parametrize(("cell", "expected"), SINGLE_CELL)
def test_number_cell(cell: str, expected: float | str) -> None:
    frame, problems = _values(cell)
    if isinstance(expected, float):
        assert problems == []
        assert frame["value"].tolist() == [expected]
    else:
        assert frame.empty
        assert len(problems) == 1
        assert problems[0].line == 2 and problems[0].column == "value"
        assert expected in problems[0].what_en


# ------------------------------------------------------------------------------------------
# Numbers: the column's format decided from evidence
# ------------------------------------------------------------------------------------------

COLUMNS = [
    # cells, expected values (None = that cell is an error), error fragment
    (["12.500", "1.234,5"], [12500.0, 1234.5], None),
    (["12.500", "1.234.567"], [12500.0, 1234567.0], None),
    (["12.500", "2"], [None, 2.0], "could mean 12500 or 12.5"),
    (["12.500", "12.5"], [12.5, 12.5], None),
    (["1.234", "0.25"], [1.234, 0.25], None),
    (["1,234", "12,5"], [1.234, 12.5], None),
    (["1,234", "1234.56"], [None, 1234.56], "comma is not valid in a machine-format column"),
    (["1.5", "2.5", "1,5"], [1.5, 2.5, None], "mixes both number formats"),
    (["1.5", "1,5"], [None, None], "mixes both number formats"),
    (["12.500", "1.5", "1,5"], [None, None, None], "mixes both number formats"),
    (["12\u00a0500", "1.234"], [12500.0, 1234.0], None),
    (["1\u00a0234", "1.5", "2.5"], [None, 1.5, 2.5], "mixes both number formats"),
]


@pytest.mark.parametrize(("cells", "expected", "error"), COLUMNS)
def test_number_column_format(
    cells: list[str], expected: list[float | None], error: str | None
) -> None:
    frame, problems = _values(*cells)
    good = [v for v in expected if v is not None]
    assert frame["value"].tolist() == good
    bad_lines = [i + 2 for i, v in enumerate(expected) if v is None]
    assert [p.line for p in problems] == bad_lines
    if error:
        assert all(error in p.what_en for p in problems)


def test_ambiguous_error_is_bilingual_with_fix() -> None:
    _, problems = _values("12.500")
    (problem,) = problems
    assert "12500" in problem.what_vi and "12.5" in problem.what_vi
    assert problem.fix_vi and "12500" in problem.fix_vi
    assert problem.fix_en == "Write 12500 if you mean 12500, or 12.5 for the decimal."


def test_vietnamese_semicolon_file_from_excel() -> None:
    rows = [make_obs(value="1.234,5"), make_obs(year="2024", value="12.500")]
    raw = b"\xef\xbb\xbf" + obs_csv(*rows, sep=";", newline="\r\n")
    frame, problems = _read("observations", raw)
    assert problems == []
    assert frame["value"].tolist() == [1234.5, 12500.0]
    assert frame["indicator_id"].tolist() == ["tea_area", "tea_area"]


@pytest.mark.parametrize(
    ("token", "cls"),
    [
        ("12", "neutral"),
        ("12.5", "machine"),
        ("1e-05", "machine"),
        ("12.500", "ambiguous_dot"),
        ("0.500", "machine"),
        ("1,234", "ambiguous_comma"),
        ("0,234", "vn"),
        ("1.234,5", "vn"),
        ("1.234.567", "vn"),
        ("12 500", "vn"),
        ("12 ha", "invalid"),
        ("1.23.4", "invalid"),
    ],
)
def test_classify_number(token: str, cls: str) -> None:
    assert classify_number(token).cls == cls


@pytest.mark.parametrize(
    ("value", "text"),
    [(1234.5, "1234.5"), (12500.0, "12500"), (1.234, "1.2340"), (-0.125, "-0.1250"),
     (0.1, "0.1"), (1e-05, "1e-05"), (1e20, "1e+20")],
)
def test_format_number_is_unambiguous(value: float, text: str) -> None:
    assert format_number(value) == text
    assert classify_number(text).cls in ("neutral", "machine")


# ------------------------------------------------------------------------------------------
# Encodings, separators, Unicode
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "sep"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("a;b,c;d", ";"), ("abc", ",")],
)
def test_sniff_separator(line: str, sep: str) -> None:
    assert sniff_separator(line) == sep


@pytest.mark.parametrize(
    ("sep", "newline", "bom"),
    [(",", "\n", False), (";", "\r\n", True), ("\t", "\r\n", True), (",", "\r", False)],
)
def test_separators_newlines_bom(sep: str, newline: str, bom: bool) -> None:
    raw = obs_csv(make_obs(source="Sở NN, PTNT"), sep=sep, newline=newline)
    frame, problems = _read("observations", (b"\xef\xbb\xbf" if bom else b"") + raw)
    assert problems == []
    assert frame.loc[0, "source"] == "Sở NN, PTNT"


def test_cp1258_is_read_with_a_warning() -> None:
    row = make_obs(source="Sở Nông nghiệp tỉnh Lai Châu", note="Ước tính đầu năm")
    text = csv_bytes(OBS_COLUMNS, [row]).decode()
    frame, problems = _read("observations", to_cp1258(text))
    assert frame.loc[0, "source"] == "Sở Nông nghiệp tỉnh Lai Châu"
    assert frame.loc[0, "note"] == unicodedata.normalize(NFC, "Ước tính đầu năm")
    (notice,) = problems
    assert notice.severity == "warning" and "Windows-1258" in notice.what_en
    assert notice.line == 2 and "CSV UTF-8" in (notice.fix_en or "")


@pytest.mark.parametrize(
    "raw",
    [b"indicator_id\n\x81\x8d\x8f\x90\n", b"\x00\x01\x02\x03binary", b"a,b\n\x00\x00\n"],
)
def test_undecodable_bytes_are_refused(raw: bytes) -> None:
    frame, problems = _read("observations", raw)
    assert frame.empty and list(frame.columns) == OBS_COLUMNS
    (problem,) = problems
    assert problem.is_error and "CSV UTF-8" in (problem.fix_vi or "")
    assert problem.line is not None


def test_utf16_unicode_text_export() -> None:
    raw = obs_csv(make_obs(source="Sở"), sep="\t").decode().encode("utf-16")
    frame, problems = _read("observations", raw)
    assert problems == [] and frame.loc[0, "source"] == "Sở"


def test_nfd_everywhere_becomes_nfc(units: UnitRegistry) -> None:
    header = [unicodedata.normalize("NFD", h) for h in OBS_COLUMNS]
    row = make_obs(unit_code="huyện Than Uyên", source="Sở Nông nghiệp", note="Ước tính")
    raw = unicodedata.normalize("NFD", csv_bytes(header, [list(row.values())]).decode()).encode()
    frame, problems = _read("observations", raw, units)
    assert problems == []
    for column in ("source", "note"):
        value = frame.loc[0, column]
        assert value == unicodedata.normalize(NFC, value)
    assert frame.loc[0, "unit_code"] == "110"


def test_header_matched_after_nfc_strip_lower() -> None:
    header = [f"  {h.upper()} " for h in OBS_COLUMNS]
    frame, problems = _read("observations", csv_bytes(header, [make_obs().values()]))
    assert problems == [] and list(frame.columns) == OBS_COLUMNS


def test_old_xls_is_refused() -> None:
    _, problems = _read("observations", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50)
    assert "xls" in problems[0].what_en


# ------------------------------------------------------------------------------------------
# XLSX
# ------------------------------------------------------------------------------------------


def test_xlsx_typed_cells(units: UnitRegistry) -> None:
    raw = xlsx_bytes([
        OBS_COLUMNS,
        ["tea_area", "H. Than Uyên", 2023, 1.234, "official", "Sở", None],
        ["tea_area", 110, 2024.0, "1.234,5", "Official", "Sở", "ghi chú"],
        [None] * 7,
        ["tea_area", "Tân Uyên", 2024, 12500, "official", "Sở", None],
    ])
    frame, problems = _read("observations", raw, units)
    assert problems == []
    assert frame["unit_code"].tolist() == ["110", "110", "111"]
    assert frame["value"].tolist() == [1.234, 1234.5, 12500.0]
    assert frame["year"].tolist() == [2023, 2024, 2024]
    assert frame["note"].tolist() == ["", "ghi chú", ""]


def test_xlsx_problems_name_excel_rows(units: UnitRegistry) -> None:
    raw = xlsx_bytes([
        OBS_COLUMNS,
        ["tea_area", "Than Uyên", 2023, 1, "official", "Sở", None],
        [None] * 7,
        ["tea_area", "Mường Xa", 2023, -1, "official", "Sở", None],
    ])
    _, problems = _read("observations", raw, units)
    assert [(p.line, p.column) for p in problems] == [(4, "unit_code"), (4, "value")]


def test_damaged_xlsx_is_a_problem() -> None:
    frame, problems = _read("observations", b"PK\x03\x04not really a zip")
    assert frame.empty and "Excel" in problems[0].what_en


# ------------------------------------------------------------------------------------------
# Units
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("Than Uyen", "110"),
        ("huyện Than Uyên", "110"),
        ("H. Than Uyên", "110"),
        (unicodedata.normalize("NFD", "Than Uyên"), "110"),
        ("TP Lai Châu", "105"),
        ("Lai Châu", "12"),
        ("110", "110"),
        ("110.0", "110"),
        ("12", "12"),
    ],
)
def test_unit_names_resolve(units: UnitRegistry, cell: str, code: str) -> None:
    frame, problems = _read("observations", obs_csv(make_obs(unit_code=cell)), units)
    assert problems == [] and frame["unit_code"].tolist() == [code]


@pytest.mark.parametrize("cell", ["Mường Tè", "999", "Than", "huyện X"])
def test_unknown_unit_lists_valid_names(units: UnitRegistry, cell: str) -> None:
    frame, problems = _read("observations", obs_csv(make_obs(unit_code=cell)), units)
    (problem,) = problems
    assert frame.empty and problem.column == "unit_code" and cell in problem.what_en
    assert "Than Uyên (110)" in (problem.fix_vi or "") and "Tan Uyen (111)" in (problem.fix_en or "")


# ------------------------------------------------------------------------------------------
# Shape, header, cells of other kinds
# ------------------------------------------------------------------------------------------


def test_missing_required_column_gives_empty_frame() -> None:
    header = [h for h in OBS_COLUMNS if h != "value"] + ["valeu"]
    rows = [{**make_obs(), "valeu": "1"}]
    frame, problems = _read("observations", csv_bytes(header, rows))
    assert frame.empty and list(frame.columns) == OBS_COLUMNS
    (missing,) = _errors(problems)
    assert (missing.line, missing.column) == (1, "value") and "'valeu'" in missing.what_en


def test_missing_optional_column_and_unknown_column_warn() -> None:
    header = [h for h in OBS_COLUMNS if h != "note"] + ["extra"]
    frame, problems = _read("observations", csv_bytes(header, [{**make_obs(), "extra": "x"}]))
    assert _errors(problems) == [] and len(problems) == 2
    assert frame["note"].tolist() == [""]


def test_duplicate_column_is_an_error() -> None:
    header = [*OBS_COLUMNS, "value"]
    _, problems = _read("observations", csv_bytes(header, [[*make_obs().values(), "2"]]))
    assert [p.column for p in _errors(problems)] == ["value"]


def test_row_shape_errors_and_lines() -> None:
    good = ",".join(make_obs().values())
    text = "\n".join([
        ",".join(OBS_COLUMNS),
        good,
        "",  # a blank line keeps the numbering
        "tea_area,110,2024",  # truncated
        good.replace("2023", "2025") + ",,",  # empty extra cells are fine
        good.replace("2023", "2026") + ",oops",  # non-empty extra cell
        'tea_area,110,2027,5,official,"Sở\nNN",',  # a quoted newline spans two lines
        "tea_area,110,2028,abc,official,Sở,",
    ]).encode()
    frame, problems = _read("observations", text)
    assert frame["year"].tolist() == [2023, 2025, 2027]
    assert [p.line for p in problems] == [4, 6, 9]


def test_empty_file_and_header_only() -> None:
    frame, problems = _read("observations", b"")
    assert frame.empty and "empty" in problems[0].what_en and problems[0].line == 1
    frame, problems = _read("observations", (",".join(OBS_COLUMNS) + "\r\n").encode())
    assert frame.empty and problems == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("official", "official"), (" Official ", "official"), ("ILLUSTRATIVE", "illustrative"),
     ("offical", "allowed: official, reported, news, estimate, illustrative"),
     ("", "required cell is empty")],
)
def test_quality_enum(cell: str, expected: str) -> None:
    frame, problems = _read("observations", obs_csv(make_obs(quality=cell)))
    if problems:
        assert expected in problems[0].what_en + (problems[0].fix_en or "")
    else:
        assert frame["quality"].tolist() == [expected]


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        ("headline", "TRUE", True),
        ("headline", "có", True),
        ("headline", "0", False),
        ("headline", "Không", False),
        ("headline", "maybe", "is not true/false"),
        ("kind", "stock", "allowed: level, cumulative"),
        ("polarity", "up", "allowed: higher_better, lower_better"),
        ("aggregation", "mean", "allowed: sum, none"),
        ("baseline_year", "2020.5", "not a whole number"),
        ("display_order", "1.0", 1),
        ("indicator_id", "tea area", "wrong format"),
        ("name_vi", "", "required cell is empty"),
        ("description_vi", "", ""),
    ],
)
def test_indicator_cells(column: str, cell: str, expected: object) -> None:
    frame, problems = _read("indicators", indicators_csv(make_indicator(**{column: cell})))
    if isinstance(expected, str) and expected:
        (problem,) = problems
        assert (problem.line, problem.column) == (2, column)
        assert expected in problem.what_en + " " + (problem.fix_en or "")
        assert frame.empty
    else:
        assert problems == []
        value = frame.loc[0, column]
        assert (math.isnan(value) and math.isnan(expected)) if expected is math.nan else (
            value == expected
        )


def test_observation_dtypes(units: UnitRegistry) -> None:
    frame, _ = _read("observations", obs_csv(make_obs()), units)
    assert [str(t) for t in frame.dtypes] == ["str", "str", "int64", "float64", "str", "str", "str"]
    frame, _ = _read("observations", b"")
    assert [str(t) for t in frame.dtypes] == ["str", "str", "int64", "float64", "str", "str", "str"]


def test_indicator_dtypes() -> None:
    frame, _ = _read("indicators", indicators_csv(make_indicator()))
    dtypes = dict(zip(INDICATOR_COLUMNS, (str(t) for t in frame.dtypes), strict=True))
    assert dtypes["headline"] == "bool" and dtypes["baseline_year"] == "int64"
    assert dtypes["baseline_value"] == "float64" and dtypes["indicator_id"] == "str"


# ------------------------------------------------------------------------------------------
# Cross-table rules
# ------------------------------------------------------------------------------------------


def test_unknown_indicator_lists_near_matches(indicators: pd.DataFrame) -> None:
    _, problems = _read("observations", obs_csv(make_obs(indicator_id="tea_aera")), None, indicators)
    (problem,) = problems
    assert problem.column == "indicator_id" and "Did you mean: tea_area?" in (problem.fix_en or "")


@pytest.mark.parametrize(("year", "ok"), [("2019", False), ("2020", True), ("2030", True),
                                          ("2031", False)])
def test_observation_year_within_period(indicators: pd.DataFrame, year: str, ok: bool) -> None:
    frame, problems = _read("observations", obs_csv(make_obs(year=year)), None, indicators)
    assert (problems == []) is ok and len(frame) == int(ok)
    if not ok:
        assert problems[0].column == "year"


def test_duplicate_key_names_both_lines() -> None:
    raw = obs_csv(make_obs(), make_obs(year="2024"), make_obs(value="9"))
    frame, problems = _read("observations", raw)
    (problem,) = problems
    assert problem.line == 4 and "line 2" in problem.what_en and "lines 2 and 4" in problem.fix_en
    assert len(frame) == 2


def test_duplicate_key_after_name_resolution(units: UnitRegistry) -> None:
    raw = obs_csv(make_obs(unit_code="110"), make_obs(unit_code="H. Than Uyên"))
    _, problems = _read("observations", raw, units)
    assert [p.line for p in problems] == [3]


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [("value", "0", "must be greater than 0"), ("value", "-10", "must be greater than 0"),
     ("quality", "rumour", "allowed: official"), ("target_year", "2031", "between 2021 and 2030"),
     ("target_year", "2020", "between 2021 and 2030"), ("source", "", "required cell is empty")],
)
def test_target_cells(column: str, cell: str, expected: str) -> None:
    _, problems = _read("targets", targets_csv(make_target(**{column: cell})))
    (problem,) = problems
    assert (problem.line, problem.column) == (2, column)
    assert expected in problem.what_en + " " + (problem.fix_en or "")


def test_targets_read_unit_names_and_empty_as_province(units: UnitRegistry,
                                                       indicators: pd.DataFrame) -> None:
    raw = targets_csv(make_target(), make_target(unit_code="Than Uyên", value="100"),
                      make_target(unit_code="rice_area"), make_target(indicator_id="rice_area"))
    frame, problems = _read("targets", raw, units, indicators)
    assert frame["unit_code"].tolist() == ["12", "110"]
    assert sorted((p.line, p.column) for p in problems) == [(4, "unit_code"), (5, "indicator_id")]


BAND_HEADER = ["band_id", "min_pct", "max_pct", "label_vi", "label_en", "definition_vi",
               "definition_en", "color", "symbol", "order"]


def _bands(*limits: tuple[str, str]) -> bytes:
    rows = [[f"b{i}", lo, hi, "l", "l", "d", "d", "#000000", "x", str(i)]
            for i, (lo, hi) in enumerate(limits)]
    return csv_bytes(BAND_HEADER, rows)


@pytest.mark.parametrize(
    ("limits", "error"),
    [
        ((("100", ""), ("50", "100"), ("0", "50"), ("", "")), None),
        ((("0", ""),), None),
        ((("0", "inf"),), None),
        ((("100", ""), ("0", "50")), "a gap between 50 and 100"),
        ((("40", ""), ("0", "50")), "an overlap between 50 and 40"),
        ((("50", "100"), ("0", "50")), "no upper limit"),
        ((("10", ""),), "do not start at 0"),
        ((("0", "50"), ("50", "20")), "must be greater than min_pct"),
        ((("0", ""), ("", "50")), "max_pct is set but min_pct is empty"),
        ((("", ""),), "no band has limits"),
    ],
)
def test_band_coverage(limits: tuple[tuple[str, str], ...], error: str | None) -> None:
    frame, problems = _read("bands", _bands(*limits))
    if error is None:
        assert problems == []
        assert frame["max_pct"].max() == math.inf or frame["max_pct"].isna().all()
    else:
        assert any(error in p.what_en for p in problems), _text(problems)


def test_units_parent_must_exist() -> None:
    header = ["unit_code", "unit_set", "level", "name_vi", "name_en", "parent_code",
              "valid_from", "valid_to", "aliases"]
    rows = [["12", "p", "province", "A", "A", "", "2004-01-01", "", ""],
            ["110", "d", "district", "B", "B", "13", "2004-01-01", "2025-06-30", ""],
            ["111", "d", "hamlet", "C", "C", "12", "1/1/2004", "", ""]]
    _, problems = _read("units", csv_bytes(header, rows))
    assert [(p.line, p.column) for p in problems] == [
        (4, "level"), (4, "valid_from"), (3, "parent_code")]


def test_quality_levels_must_list_every_flag() -> None:
    header = ["quality", "label_vi", "label_en", "definition_vi", "definition_en", "rank"]
    _, problems = _read("qualities", csv_bytes(header, [["official", "a", "a", "d", "d", "1"]]))
    assert len(problems) == 4 and all(p.line == 1 for p in problems)


def test_all_problems_at_once() -> None:
    raw = obs_csv(make_obs(value="abc", quality="x"), make_obs(year="20x5"), make_obs(source=""))
    _, problems = _read("observations", raw)
    assert [(p.line, p.column) for p in problems] == [
        (3, "year"), (2, "value"), (2, "quality"), (4, "source")]


def test_does_not_mutate_inputs(units: UnitRegistry, indicators: pd.DataFrame) -> None:
    before_ind, before_units = indicators.copy(), units.units.copy()
    raw = obs_csv(make_obs(unit_code="Than Uyen"), make_obs(year="2019"))
    copy = bytes(raw)
    _read("observations", raw, units, indicators)
    pd.testing.assert_frame_equal(indicators, before_ind)
    pd.testing.assert_frame_equal(units.units, before_units)
    assert raw == copy


# ------------------------------------------------------------------------------------------
# Canonical writing round-trips
# ------------------------------------------------------------------------------------------


def test_canonical_csv_round_trip(indicators: pd.DataFrame) -> None:
    rows = [make_obs(value="1.234,5"), make_obs(year="2024", value="12.500"),
            make_obs(year="2025", value="0,125")]
    frame, problems = _read("observations", obs_csv(*rows, sep=";"))
    assert problems == []
    again, problems = _read("observations", write_csv(frame, "observations", DATA_FILE))
    assert problems == []
    pd.testing.assert_frame_equal(again, frame)
    bands, _ = _read("bands", _bands(("50", ""), ("0", "50"), ("", "")))
    again, _ = _read("bands", write_csv(bands, "bands", DATA_FILE))
    pd.testing.assert_frame_equal(again, bands)


# ------------------------------------------------------------------------------------------
# load_dataset / validate_dataset
# ------------------------------------------------------------------------------------------


def test_load_minimal_dataset(tmp_path: Path) -> None:
    ds = load_dataset(write_dataset(tmp_path))
    assert ds.data_dir == tmp_path and ds.notices == ()
    assert ds.observations["unit_code"].tolist() == ["110", "12"]
    assert ds.targets["unit_code"].tolist() == ["12", "12"] and list(ds.zones.columns)[0] == "zone_id"
    assert ds.plans["plan_id"].tolist() == ["nq05_2021", "nq05_2026"]
    assert ds.units.resolve("Than Uyen") == "110"
    assert ds.bands.set_index("band_id").loc["achieved", "max_pct"] == math.inf
    assert len(ds.fingerprint) == 64
    assert validate_dataset(tmp_path) == []


def test_fingerprint_follows_bytes(tmp_path: Path) -> None:
    first = load_dataset(write_dataset(tmp_path)).fingerprint
    assert load_dataset(tmp_path).fingerprint == first
    raw = obs_csv(make_obs(), make_obs(unit_code="12", value="7901")).decode()
    write_dataset(tmp_path, observations_csv=raw)
    assert load_dataset(tmp_path).fingerprint != first


def test_errors_of_all_files_at_once(tmp_path: Path) -> None:
    write_dataset(
        tmp_path,
        indicators_csv=indicators_csv(make_indicator(kind="stock")).decode(),
        observations_csv=obs_csv(make_obs(unit_code="Mường Xa")).decode(),
        commodities_csv=None,
    )
    with pytest.raises(DataContractError) as info:
        load_dataset(tmp_path)
    files = [p.file for p in info.value.problems]
    assert files == ["commodities.csv", "indicators.csv", "observations.csv"]
    assert "commodities.csv" in str(info.value)
    assert validate_dataset(tmp_path) == info.value.problems


def test_commodity_must_be_listed(tmp_path: Path) -> None:
    write_dataset(tmp_path, indicators_csv=indicators_csv(make_indicator(commodity="te")).decode())
    problems = _errors(validate_dataset(tmp_path))
    assert [(p.file, p.line, p.column) for p in problems][0] == ("indicators.csv", 2, "commodity")


def test_cp1258_file_loads_with_notice(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    raw = obs_csv(make_obs(source="Sở Nông nghiệp"), make_obs(unit_code="12")).decode()
    (tmp_path / "observations.csv").write_bytes(to_cp1258(raw))
    ds = load_dataset(tmp_path)
    assert ds.observations.loc[0, "source"] == "Sở Nông nghiệp"
    assert [n.file for n in ds.notices] == ["observations.csv"]


DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.skipif(not (DATA / "observations.csv").exists(), reason="no default dataset yet")
def test_default_dataset_loads() -> None:
    problems = [p for p in validate_dataset(DATA) if p.is_error]
    assert problems == [], "\n".join(p.format("en") for p in problems)
    ds = load_dataset(DATA)
    assert not ds.indicators.empty and not ds.observations.empty


def test_read_files_without_file_system() -> None:
    from builders import MINIMAL_DATASET

    from nq05_metrics.contract import TABLES
    from nq05_metrics.loader import read_files

    by_file = {name: text.encode() for name, text in MINIMAL_DATASET.items()}
    files = {spec.name: by_file.get(spec.file) for spec in TABLES.values()}
    frames, problems = read_files(files)
    assert problems == [] and len(frames["observations"]) == 2
    files["units"] = None
    _, problems = read_files(files)
    assert [p.file for p in problems] == ["units.csv"]  # no cascade of unknown unit codes


@pytest.mark.parametrize("table", ["units", "indicators", "observations", "bands"])
@pytest.mark.parametrize("variant", ["same", "broken", "absent"])
def test_read_files_reuse_equals_whole_read(table: str, variant: str) -> None:
    """Re-reading only a changed table (and what refers to it) gives the whole read's result."""
    from builders import MINIMAL_DATASET

    from nq05_metrics.contract import TABLES
    from nq05_metrics.loader import read_files

    by_file = {name: text.encode() for name, text in MINIMAL_DATASET.items()}
    files = {spec.name: by_file.get(spec.file) for spec in TABLES.values()}
    raw = files[table] or b""
    new = {"same": raw, "broken": raw.replace(b"1", b"x", 3), "absent": None}[variant]
    new_files = {**files, table: new}
    whole = read_files(new_files)
    partial = read_files(new_files, reuse=read_files(files), changed={table})
    assert sorted(map(repr, partial[1])) == sorted(map(repr, whole[1]))
    for name in TABLES:
        pd.testing.assert_frame_equal(partial[0][name], whole[0][name])


def test_file_kind_sniffs_magic_bytes() -> None:
    from nq05_metrics.loader import file_kind

    assert file_kind(b"PK\x03\x04rest") == "xlsx"
    assert file_kind(b"\xd0\xcf\x11\xe0rest") == "xls"
    assert file_kind("mã,tên\n".encode()) == "text"


def test_read_rows_applies_the_same_cell_rules_with_given_lines(units: UnitRegistry) -> None:
    from nq05_metrics.loader import read_rows

    rows = [
        ["tea_area", "H. Than Uyên", 2023, 1.234, "official", "Sở", None],
        ["tea_area", "Mường Xa", 2024, "1.234,5", "official", "Sở", None],
        ["tea_area", 111, 2024, "12.500", "official", "Sở", None],
    ]
    frame, problems = read_rows("observations", list(OBS_COLUMNS), rows, [7, 9, 12],
                                units=units, indicators=None, file_label="bieu.xlsx")
    assert frame["unit_code"].tolist() == ["110", "111"]
    assert frame["value"].tolist() == [1.234, 12500.0]  # "1.234,5" is evidence for the Vietnamese form
    assert [(p.file, p.line, p.column) for p in problems] == [("bieu.xlsx", 9, "unit_code")]


def test_a_whole_number_too_large_for_int64_is_refused_not_wrapped() -> None:
    raw = "commodity,name_vi,name_en,color,display_order\ntea,Chè,Tea,#1b7837,99999999999999999999\n"
    frame, problems = read_table("commodities", raw.encode(), units=None, indicators=None,
                                 file_label="c.csv")
    errors = _errors(problems)
    assert frame.empty and [(p.line, p.column) for p in errors] == [(2, "display_order")]
    assert "too large" in errors[0].what_en and "quá lớn" in errors[0].what_vi
