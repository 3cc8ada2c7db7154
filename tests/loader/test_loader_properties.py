"""Property tests of nq05_metrics.loader: malformed input never raises; valid frames round-trip."""

from __future__ import annotations

import functools
import unicodedata

import pandas as pd
from builders import OBS_COLUMNS, UNITS_CSV, csv_bytes, make_obs, to_cp1258
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq05_metrics.contract import QUALITIES, table_spec
from nq05_metrics.loader import read_table
from nq05_metrics.serialise import DATA_FILE
from nq05_metrics.serialise import csv_bytes as write_csv

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TABLE_NAMES = ("observations", "indicators", "bands", "units", "zones", "targets")
#: tables whose cross-row rules the per-cell reference does not restate (they never raise)
OWN_RULES = ("plans", "crosswalk")
LABEL = "upload.csv"


def _read(name: str, raw: bytes) -> tuple[pd.DataFrame, list]:
    return read_table(name, raw, units=None, indicators=None, file_label=LABEL)


def _check_shape(name: str, frame: pd.DataFrame, problems: list) -> None:
    """The loader's promise: a frame with the contract columns, and located problems."""
    assert isinstance(frame, pd.DataFrame)
    assert tuple(frame.columns) == table_spec(name).column_names
    for problem in problems:
        assert problem.file == LABEL
        assert isinstance(problem.line, int) and problem.line >= 1
        assert problem.what_vi and problem.what_en


VIETNAMESE = ["Sở Nông nghiệp", "Ước tính", "huyện Than Uyên", "Đàn ong mật", "Chè Shan tuyết"]
TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=12
).map(lambda s: unicodedata.normalize("NFC", s).strip()).filter(bool)
CELL = st.one_of(TEXT, st.sampled_from(["", "1.234", "12,5", "1.234,5", "N/A", "-1", "2025",
                                        "\u00a0", '"', "a,b", "x;y", "\t", "1e400"]))
VALID_OBS = make_obs()


@FAST
@given(name=st.sampled_from(TABLE_NAMES + OWN_RULES), raw=st.binary(max_size=400))
def test_random_bytes_never_raise(name: str, raw: bytes) -> None:
    _check_shape(name, *_read(name, raw))


@FAST
@given(name=st.sampled_from(TABLE_NAMES + OWN_RULES), text=st.text(max_size=300))
def test_random_text_never_raises(name: str, text: str) -> None:
    _check_shape(name, *_read(name, text.encode("utf-8", errors="surrogatepass")))


@FAST
@given(cut=st.integers(min_value=0, max_value=400), sep=st.sampled_from([",", ";", "\t"]))
def test_truncated_files_never_raise(cut: int, sep: str) -> None:
    raw = csv_bytes(OBS_COLUMNS, [VALID_OBS, make_obs(year="2024")], sep=sep)
    frame, problems = _read("observations", raw[:cut])
    _check_shape("observations", frame, problems)
    assert len(frame) <= 2


@FAST
@given(
    row=st.integers(min_value=0, max_value=2),
    column=st.sampled_from(OBS_COLUMNS),
    cell=CELL,
)
def test_random_cell_in_valid_file(row: int, column: str, cell: str) -> None:
    rows = [make_obs(year=str(2021 + i)) for i in range(3)]
    rows[row][column] = cell
    frame, problems = _read("observations", csv_bytes(OBS_COLUMNS, rows))
    _check_shape("observations", frame, problems)
    errors = [p for p in problems if p.is_error]
    assert len(frame) + len({p.line for p in errors}) >= 2  # at most the edited row is lost
    for problem in errors:
        assert problem.line in (2, 3, 4)


def _encode(text: str, encoding: str) -> bytes:
    return to_cp1258(text) if encoding == "cp1258" else text.encode(encoding, errors="replace")


@FAST
@given(
    sources=st.lists(st.sampled_from(VIETNAMESE), min_size=1, max_size=4),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "cp1252", "latin-1",
                              "utf-32", "ascii"]),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_random_encodings(sources: list[str], encoding: str, sep: str) -> None:
    rows = [make_obs(year=str(2021 + i), source=s) for i, s in enumerate(sources)]
    text = csv_bytes(OBS_COLUMNS, rows, sep=sep, newline="\r\n").decode()
    frame, problems = _read("observations", _encode(text, encoding))
    _check_shape("observations", frame, problems)
    if encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1258"):
        assert frame["source"].tolist() == [unicodedata.normalize("NFC", s) for s in sources]


# Valid observation frames: unique keys, non-negative finite values, stripped NFC text.
OBS_ROW = st.fixed_dictionaries({
    "indicator_id": st.sampled_from(["tea_area", "bee_colonies", "x.y-z_1"]),
    "unit_code": st.sampled_from(["12", "105", "110"]),
    "year": st.integers(min_value=2000, max_value=2030),
    "value": st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
    "quality": st.sampled_from(QUALITIES),
    "source": TEXT,
    "note": st.one_of(st.just(""), TEXT),
})


def _obs_frame(rows: list[dict]) -> pd.DataFrame:
    spec = table_spec("observations")
    frame = pd.DataFrame(rows, columns=list(spec.column_names))
    return frame.astype({"year": "int64", "value": "float64", "indicator_id": "str",
                         "unit_code": "str", "quality": "str", "source": "str", "note": "str"})


@FAST
@given(
    rows=st.lists(
        OBS_ROW, min_size=0, max_size=8,
        unique_by=lambda r: (r["indicator_id"], r["unit_code"], r["year"]),
    )
)
def test_valid_observations_round_trip(rows: list[dict]) -> None:
    frame = _obs_frame(rows)
    again, problems = _read("observations", write_csv(frame, "observations", DATA_FILE))
    assert problems == []
    pd.testing.assert_frame_equal(again, frame)


@FAST
@given(values=st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1,
                       max_size=6))
def test_canonical_numbers_read_back_exactly_in_vietnamese_files(values: list[float]) -> None:
    rows = [make_obs(year=str(2021 + i)) for i in range(len(values))]
    frame = _obs_frame([{**r, "year": int(r["year"]), "value": v} for r, v in zip(rows, values,
                                                                                 strict=True)])
    raw = write_csv(frame, "observations", DATA_FILE).decode().replace(",", ";").encode()
    again, problems = _read("observations", b"\xef\xbb\xbf" + raw)
    assert problems == []
    assert again["value"].tolist() == values


def test_units_fixture_text_is_valid_units_table() -> None:
    frame, problems = _read("units", UNITS_CSV.encode())
    assert problems == [] and len(frame) == 5


# --- the loader returns exactly what the per-cell reference loader returns -----------------------
NUMBERS = st.sampled_from(["2023", "2021", "-1", "0", "4034.8", "12.500", "1.234", "1,5", "1.234,5",
                           "12 500", "inf", "", " 7", "007", "+3", ".5", "1e3", "99999999999",
                           "−4", "1.234.567", "-12.500", "+0.5", "٣", "Infinity", "1,234"])
# Unit names here are names of ONE unit: a name shared by a former district and a new commune
# (Than Uyên, Tân Uyên, …) is decided by the row's year (loader.unit_years, tested in
# tests/test_reform.py), which the per-cell reference does not model.
WORDS = st.sampled_from(["tea_area", "bee_colonies", "macadamia_area", "12", "110", "Tam Đường",
                         "tam duong", "official", "Reported", "illustrative", "x", "", "true",
                         "có", "#1a9850", "2025-06-30", "Số liệu", " a ", "e\u0301", "110.0",
                         "\u3000", "\x1c", "\ufeffx"])
POOL_CELL = st.one_of(NUMBERS, WORDS, CELL)


def _both(name: str, raw: bytes, refs: dict) -> tuple[tuple, tuple]:
    """(loader, reference) results: frame and problems as (line, column, texts, severity)."""
    import reference_loader

    def shown(problems: list) -> list:
        return [(p.file, p.line, p.column, p.what_vi, p.what_en, p.fix_vi, p.fix_en, p.severity)
                for p in problems]

    frame, problems = read_table(name, raw, file_label=LABEL, **refs)
    ref_frame, ref_problems = reference_loader.read_table(name, raw, file_label=LABEL, **refs)
    return (frame, shown(problems)), (ref_frame, shown(ref_problems))


@functools.cache
def _refs(with_refs: bool) -> dict:
    from pathlib import Path

    from nq05_metrics.loader import load_dataset

    if not with_refs:
        return {"units": None, "indicators": None}
    ds = load_dataset(Path(__file__).resolve().parents[2] / "data")
    return {"units": ds.units, "indicators": ds.indicators}


def _assert_same(name: str, raw: bytes, refs: dict) -> None:
    (frame, problems), (ref_frame, ref_problems) = _both(name, raw, refs)
    pd.testing.assert_frame_equal(frame, ref_frame)
    assert problems == ref_problems


ALL_TABLES = TABLE_NAMES + ("commodities", "qualities")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(ALL_TABLES), pool=st.lists(POOL_CELL, min_size=1, max_size=6),
       picks=st.lists(st.lists(st.integers(0, 5), min_size=0, max_size=16), min_size=0,
                      max_size=25),
       sep=st.sampled_from([",", ";", "\t"]), with_refs=st.booleans(),
       newline=st.sampled_from(["\n", "\r\n", "\r"]), header_cut=st.integers(0, 2))
def test_loader_equals_the_per_cell_reference(name: str, pool: list[str], picks: list[list[int]],
                                              sep: str, with_refs: bool, newline: str,
                                              header_cut: int) -> None:
    """Rows drawn from a small pool of cells (so values repeat, as in real files): numbers in
    every format, ids, unit names, flags, quotes, separators inside cells, blanks, rows too
    short or too long, a header missing its last columns."""
    header = list(table_spec(name).column_names)
    header = header[: len(header) - header_cut] if header_cut < len(header) else header
    lines = [sep.join(header)]
    for pick in picks:
        lines.append(sep.join(pool[i % len(pool)] for i in pick[: len(header) + 1]))
    _assert_same(name, (newline.join(lines) + newline).encode("utf-8"), _refs(with_refs))


@FAST
@given(name=st.sampled_from(ALL_TABLES), text=st.text(max_size=300), with_refs=st.booleans())
def test_loader_equals_the_reference_on_random_text(name: str, text: str, with_refs: bool) -> None:
    _assert_same(name, text.encode("utf-8", errors="surrogatepass"), _refs(with_refs))


@FAST
@given(name=st.sampled_from(ALL_TABLES), raw=st.binary(max_size=300))
def test_loader_equals_the_reference_on_random_bytes(name: str, raw: bytes) -> None:
    _assert_same(name, raw, _refs(False))


def test_loader_equals_the_reference_on_the_shipped_data_and_a_large_synthetic_file() -> None:
    from pathlib import Path

    from bench import synthetic
    from nq05_metrics.units import build_registry

    data = Path(__file__).resolve().parents[2] / "data"
    refs = _refs(True)
    for path in sorted(data.glob("*.csv")):
        _assert_same(path.name, path.read_bytes(), refs)
    syn = synthetic.generate(20_000)
    refs = {"units": build_registry(syn.units), "indicators": syn.indicators}
    raw = synthetic.observations_csv(syn)
    _assert_same("observations", raw, refs)
    frame, problems = read_table("observations", raw, file_label=LABEL, **refs)
    assert problems == [] and len(frame) == len(syn.observations)


TYPED_CELL = st.one_of(POOL_CELL, st.none(), st.booleans(), st.integers(-5, 3000),
                       st.sampled_from([2023.0, 12.5, 1.234, -0.0, 0.0, float("nan"), 110.0,
                                        float("inf")]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(ALL_TABLES), pool=st.lists(TYPED_CELL, min_size=1, max_size=6),
       picks=st.lists(st.lists(st.integers(0, 5), min_size=0, max_size=16), min_size=0,
                      max_size=12), with_refs=st.booleans())
def test_read_rows_equals_the_reference_on_typed_cells(name: str, pool: list, picks: list,
                                                       with_refs: bool) -> None:
    """Cells laid out by a caller (as report-form intake does, with typed Excel values)."""
    import reference_loader

    from nq05_metrics.loader import read_rows

    header = list(table_spec(name).column_names)
    rows = [[pool[i % len(pool)] for i in pick[: len(header) + 1]] for pick in picks]
    lines = [10 + 2 * i for i in range(len(rows))]
    args = {"file_label": LABEL, **_refs(with_refs)}
    frame, problems = read_rows(name, header, rows, lines, **args)
    ref_frame, ref_problems = reference_loader.read_rows(name, header, rows, lines, **args)
    pd.testing.assert_frame_equal(frame, ref_frame)
    assert [repr(p) for p in problems] == [repr(p) for p in ref_problems]


def test_a_huge_year_gets_the_reference_range_message() -> None:
    """The int64 check comes after the range check: a bounded column says what it always said."""
    header = ",".join(table_spec("observations").column_names)
    raw = f"{header}\ntea_area,110,99999999999999999999,5,official,Sở,\n".encode()
    _assert_same("observations", raw, _refs(False))
