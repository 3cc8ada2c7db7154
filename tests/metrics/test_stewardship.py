"""Tests of nq05_metrics.stewardship: upload checks, diffs, atomic replacement under kill and
concurrency, history/restore, safe downloads, credentials."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from builders import (
    INDICATOR_COLUMNS,
    OBS_COLUMNS,
    csv_bytes,
    make_indicator,
    make_obs,
    obs_csv,
    write_dataset,
    xlsx_bytes,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq05_metrics import stewardship as sw
from nq05_metrics.contract import TABLES, table_spec
from nq05_metrics.loader import load_dataset

FAST = 1_000  # PBKDF2 iterations for tests (the default is 600 000)


@pytest.fixture
def ds_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return write_dataset(folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (recursively) by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def two_obs() -> bytes:
    return obs_csv(make_obs(), make_obs(unit_code="12", value="7900"),
                   make_obs(year="2024", value="130"))


# ----------------------------------------------------------------------------- validate_upload
def test_valid_upload_previews_the_change_and_writes_nothing(ds_dir: Path) -> None:
    before = snapshot(ds_dir)
    check = sw.validate_upload("observations", two_obs(), "bao_cao.csv", ds_dir)
    assert check.ok and check.errors == ()
    assert check.diff is not None and check.diff.counts()["added"] == 1
    assert check.canonical is not None and check.canonical.startswith(b"indicator_id,")
    assert check.base_sha256 == sw.sha256((ds_dir / "observations.csv").read_bytes())
    assert snapshot(ds_dir) == before


def test_every_problem_is_listed_at_once_with_the_upload_name(ds_dir: Path) -> None:
    raw = obs_csv(make_obs(value="abc"), make_obs(indicator_id="nope", year="2022"),
                  make_obs(unit_code="Mường Xa", year="2021"))
    check = sw.validate_upload("observations", raw, "C:\\Users\\x\\bao_cao.csv", ds_dir)
    assert not check.ok
    assert {p.line for p in check.errors} == {2, 3, 4}
    assert {p.file for p in check.problems} == {"bao_cao.csv"}
    assert all(p.fix_vi and p.fix_en for p in check.errors)


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        (b"", "empty"),
        (b"x" * (sw.MAX_UPLOAD_BYTES + 1), "too large"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "neither CSV nor Excel"),
        (b"%PDF-1.7 ...", "neither CSV nor Excel"),
        (b"ab\x00cd,ef\n", "neither CSV nor Excel"),
        (b"PK\x03\x04garbage", "not a valid Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    ],
    ids=["empty", "too-large", "png", "pdf", "nul-bytes", "zip-junk", "xls"],
)
def test_size_and_type_limits(ds_dir: Path, raw: bytes, needle: str) -> None:
    check = sw.validate_upload("observations", raw, "data.csv", ds_dir)
    assert not check.ok
    assert any(needle in p.what_en for p in check.problems), [p.what_en for p in check.problems]


def test_plain_zip_is_not_a_workbook(ds_dir: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("observations.csv", two_obs())
    check = sw.validate_upload("observations", buffer.getvalue(), "data.xlsx", ds_dir)
    assert not check.ok and "not a valid Excel workbook" in check.problems[0].what_en


def test_type_is_decided_by_content_not_by_name(ds_dir: Path) -> None:
    rows = [OBS_COLUMNS, ["tea_area", "110", 2023, 120, "official", "Sở", None],
            ["tea_area", "12", 2023, 7900, "official", "Sở", None]]
    check = sw.validate_upload("observations", xlsx_bytes(rows), "looks_like.csv", ds_dir)
    assert check.ok, [p.format("en") for p in check.problems]


def test_user_file_name_is_never_a_path(ds_dir: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    check = sw.validate_upload("observations", two_obs(), "../../evil/../observations.csv", ds_dir)
    assert check.ok and check.source_name == "observations.csv"
    assert snapshot(tmp_path) == before
    assert sw.display_name("a/b\\c\x00d\n.csv") == "cd.csv"
    assert sw.display_name("") == "upload"


def test_indicator_removal_that_breaks_observations_is_refused(ds_dir: Path) -> None:
    other = make_indicator(indicator_id="rice_area", display_order="2")
    raw = csv_bytes(INDICATOR_COLUMNS, [other])
    check = sw.validate_upload("indicators", raw, "indicators.csv", ds_dir)
    assert not check.ok
    assert {p.file for p in check.errors} == {"observations.csv"}
    assert any("tea_area" in p.what_en for p in check.errors)


def test_indicators_upload_checks_commodity_references(ds_dir: Path) -> None:
    raw = csv_bytes(INDICATOR_COLUMNS, [make_indicator(commodity="coffee")])
    check = sw.validate_upload("indicators", raw, "i.csv", ds_dir)
    assert not check.ok and any(p.column == "commodity" for p in check.errors)


def test_errors_already_in_other_files_are_not_blamed_on_the_upload(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    broken_targets = "indicator_id,unit_code,target_year,target_value,target_2030,quality,source\n" \
                     "tea_area,110,2025,abc,,official,x\n"
    write_dataset(folder, district_targets_csv=broken_targets)
    check = sw.validate_upload("observations", two_obs(), "o.csv", folder)
    assert check.ok


def test_optional_table_can_be_added(ds_dir: Path) -> None:
    zones = ("zone_id,commodity,unit_code,commune,area_ha,year,lon,lat,linked_enterprise,"
             "quality,source,note\nZ1,tea,Than Uyên,Mường Kim,12.5,2023,103.9,21.95,,estimate,Sở,\n")
    check = sw.validate_upload("zones", zones.encode(), "zones.csv", ds_dir)
    assert check.ok and check.base_sha256 is None
    assert check.diff is not None and check.diff.counts()["added"] == 1
    entry = sw.apply_upload(ds_dir, "zones", check.canonical or b"", "A", check.diff,
                            expected_sha256=check.base_sha256)
    assert entry.backup is None and entry.sha256_before is None
    assert load_dataset(ds_dir).zones["unit_code"].tolist() == ["110"]


def test_cp1258_upload_is_accepted_with_a_warning(ds_dir: Path) -> None:
    from builders import to_cp1258

    text = two_obs().decode("utf-8").replace("Sở NN&PTNT", "Sở Nông nghiệp")
    check = sw.validate_upload("observations", to_cp1258(text), "o.csv", ds_dir)
    assert check.ok and any(not p.is_error for p in check.problems)
    assert "Sở Nông nghiệp" in (check.canonical or b"").decode("utf-8")


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("variant", ["same", "broken", "empty"])
def test_partial_read_equals_the_loaders_whole_read(ds_dir: Path, table: str, variant: str) -> None:
    """The upload check re-reads only the table and its dependents; the result must equal the
    loader reading every file."""
    from nq05_metrics import loader

    files = sw._files(ds_dir)
    raw = files[table] or b"zone_id,commodity\nZ1,tea\n"
    raw = {"same": raw, "broken": raw.replace(b"1", b"x", 3), "empty": b"a,b\n"}[variant]
    new_files = {**files, table: raw}
    whole = loader._read_all(new_files)
    partial = sw._read_files(new_files, table, loader._read_all(files))
    assert sorted(map(repr, partial[1])) == sorted(map(repr, whole[1]))
    for name in TABLES:
        pd.testing.assert_frame_equal(partial[0][name], whole[0][name])


# ----------------------------------------------------------------------------- property test
_HOSTILE = ["=1+1", "+SUM(A1)", "-2", "@x", "<script>alert(1)</script>", "1.234,5", "12.500",
            "Than Uyên", "Than Uyen", "NaN", "inf", "", " ", "\"", "'", ",", ";", "\t", "\r\n",
            "tea_area", "110", "12", "2023", "official", "true", "∞", "\ufeff", "ư\u0301"]
_cells = st.one_of(st.sampled_from(_HOSTILE), st.text(max_size=12))
_rows = st.lists(st.lists(_cells, min_size=0, max_size=9), min_size=0, max_size=8)


def _rows_to_csv(header: list[str], rows: list[list[str]], sep: str) -> bytes:
    return csv_bytes(header, rows, sep=sep).replace(b"\0", b"")


def _mutate(raw: bytes, data: st.DataObject) -> bytes:
    out = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        pos = data.draw(st.integers(0, max(0, len(out) - 1)))
        if op == "flip" and out:
            out[pos] = data.draw(st.integers(0, 255))
        elif op == "insert":
            out[pos:pos] = data.draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del out[pos:pos + data.draw(st.integers(1, 20))]
        else:
            del out[pos:]
    return bytes(out)


_VALID_OBS = obs_csv(make_obs(), make_obs(unit_code="12", value="7900"))
_TRIED: list[str] = []


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_malformed_uploads_never_raise_and_never_write(data: st.DataObject) -> None:
    folder = _property_dir()
    table = data.draw(st.sampled_from(list(TABLES)))
    kind = data.draw(st.sampled_from(["binary", "mutated", "grid", "zipjunk", "bom", "xlsx"]))
    if kind == "binary":
        raw = data.draw(st.binary(max_size=300))
    elif kind == "mutated":
        source = folder / table_spec(table).file
        raw = _mutate(source.read_bytes() if source.exists() else _VALID_OBS, data)
    elif kind == "grid":
        header = data.draw(st.one_of(st.just(list(table_spec(table).column_names)),
                                     st.lists(_cells, max_size=8)))
        raw = _rows_to_csv(header, data.draw(_rows), data.draw(st.sampled_from([",", ";", "\t"])))
    elif kind == "zipjunk":
        raw = b"PK\x03\x04" + data.draw(st.binary(max_size=200))
    elif kind == "bom":
        raw = data.draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])) + \
            data.draw(st.binary(max_size=100))
    else:
        header = list(table_spec(table).column_names)
        raw = xlsx_bytes([header, *data.draw(st.lists(st.lists(st.one_of(
            _cells.map(lambda s: "".join(c for c in s if c.isprintable())), st.integers(),
            st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none()),
            max_size=len(header)), max_size=4))])
    _TRIED.append(kind)
    check = sw.validate_upload(table, raw, data.draw(st.text(max_size=30)), folder)
    assert isinstance(check, sw.UploadCheck)
    assert check.ok == (not check.errors)
    if check.ok:
        assert check.canonical is not None and check.diff is not None
    assert snapshot(folder) == _PROPERTY_SNAPSHOT[0], "validate_upload wrote to the data folder"


_PROPERTY: list[Path] = []
_PROPERTY_SNAPSHOT: list[dict[str, bytes]] = []


def _property_dir() -> Path:
    if not _PROPERTY:
        folder = Path(tempfile.mkdtemp(prefix="nq05-prop-"))
        write_dataset(folder)
        _PROPERTY.append(folder)
        _PROPERTY_SNAPSHOT.append(snapshot(folder))
    return _PROPERTY[0]


def test_property_test_tried_enough_examples() -> None:
    """Runs after the property test (file order): it really tried hundreds of inputs."""
    if not _TRIED:
        pytest.skip("property test not run in this session")
    print(f"malformed uploads tried: {len(_TRIED)} ({pd.Series(_TRIED).value_counts().to_dict()})")
    assert len(_TRIED) >= 300
    assert snapshot(_PROPERTY[0]) == _PROPERTY_SNAPSHOT[0]


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


# ----------------------------------------------------------------------------- apply, history, restore
def test_apply_keeps_the_previous_version_and_logs(ds_dir: Path) -> None:
    old = (ds_dir / "observations.csv").read_bytes()
    check = sw.validate_upload("observations", two_obs(), "o.csv", ds_dir)
    entry = sw.apply_upload(ds_dir, "observations", check.canonical or b"", "Nguyễn Văn A",
                            check.diff, expected_sha256=check.base_sha256)
    assert (ds_dir / "observations.csv").read_bytes() == check.canonical
    assert (ds_dir / ".history" / (entry.backup or "")).read_bytes() == old
    assert entry.backup and entry.backup.startswith("observations/")
    assert entry.backup.endswith(f"-{sw.sha256(old)[:8]}.csv")  # type: ignore[index]
    assert (entry.added, entry.changed, entry.removed) == (1, 0, 0)
    assert entry.sha256_before == sw.sha256(old) and entry.sha256_after == sw.sha256(check.canonical)
    line = json.loads((ds_dir / ".history" / "log.jsonl").read_text(encoding="utf-8"))
    assert line["who"] == "Nguyễn Văn A" and line["file"] == "observations.csv"
    assert line["when"].endswith("+00:00")
    assert sw.history(ds_dir) == [entry]
    assert len(load_dataset(ds_dir).observations) == 3


def test_apply_refuses_when_the_file_changed_since_the_check(ds_dir: Path) -> None:
    check = sw.validate_upload("observations", two_obs(), "o.csv", ds_dir)
    (ds_dir / "observations.csv").write_bytes(obs_csv(make_obs()))
    with pytest.raises(sw.StewardshipError) as err:
        sw.apply_upload(ds_dir, "observations", check.canonical or b"", "A", check.diff,
                        expected_sha256=check.base_sha256)
    assert "changed by someone else" in err.value.problems[0].what_en
    assert (ds_dir / "observations.csv").read_bytes() == obs_csv(make_obs())


def test_restore_puts_back_the_exact_bytes_and_can_be_undone(ds_dir: Path) -> None:
    original = (ds_dir / "observations.csv").read_bytes()
    first = sw.validate_upload("observations", two_obs(), "o.csv", ds_dir)
    e1 = sw.apply_upload(ds_dir, "observations", first.canonical or b"", "A", first.diff)
    third = obs_csv(make_obs(value="999"))
    second = sw.validate_upload("observations", third, "o.csv", ds_dir)
    e2 = sw.apply_upload(ds_dir, "observations", second.canonical or b"", "B", second.diff)
    preview = sw.preview_restore(ds_dir, e1.id)
    assert preview.ok and preview.diff is not None
    r = sw.restore(ds_dir, e1.id, "C")
    assert (ds_dir / "observations.csv").read_bytes() == original
    assert r.action == "restore" and r.restored_from == e1.id and r.who == "C"
    assert [e.id for e in sw.history(ds_dir)] == [r.id, e2.id, e1.id]
    # the version the restore replaced is kept: undo the restore
    sw.restore(ds_dir, r.id, "C")
    assert (ds_dir / "observations.csv").read_bytes() == second.canonical
    assert len(sw.history(ds_dir, "observations.csv")) == 4


def test_restore_refuses_a_version_that_no_longer_fits(ds_dir: Path) -> None:
    both = csv_bytes(INDICATOR_COLUMNS, [make_indicator(),
                                         make_indicator(indicator_id="rice_area", display_order="2")])
    up = sw.validate_upload("indicators", both, "i.csv", ds_dir)
    e1 = sw.apply_upload(ds_dir, "indicators", up.canonical or b"", "A", up.diff)
    obs = sw.validate_upload("observations", obs_csv(make_obs(), make_obs(indicator_id="rice_area")),
                             "o.csv", ds_dir)
    assert obs.ok
    sw.apply_upload(ds_dir, "observations", obs.canonical or b"", "A", obs.diff)
    current = (ds_dir / "indicators.csv").read_bytes()
    with pytest.raises(sw.StewardshipError) as err:
        sw.restore(ds_dir, e1.id, "B")  # the old indicators lack rice_area, still observed
    assert any(p.file == "observations.csv" for p in err.value.problems)
    assert (ds_dir / "indicators.csv").read_bytes() == current


def test_restore_without_backup_and_unknown_entry(ds_dir: Path) -> None:
    zones = b"zone_id,commodity,unit_code,area_ha,year,quality,source\nZ1,tea,110,1,2023,estimate,x\n"
    check = sw.validate_upload("zones", zones, "z.csv", ds_dir)
    entry = sw.apply_upload(ds_dir, "zones", check.canonical or b"", "A", check.diff)
    with pytest.raises(sw.StewardshipError):
        sw.restore(ds_dir, entry.id, "A")
    with pytest.raises(KeyError):
        sw.restore(ds_dir, "nope", "A")


def test_tampered_log_cannot_point_outside_history(ds_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.csv").write_bytes(b"x")
    entry = sw.HistoryEntry("e1", "t", "w", "observations", "observations.csv", "upload", 0, 0, 0,
                            None, "00", "../../secret.csv")
    (ds_dir / ".history").mkdir()
    (ds_dir / ".history" / "log.jsonl").write_text(entry.to_json() + "\n", encoding="utf-8")
    with pytest.raises(sw.StewardshipError):
        sw.restore(ds_dir, "e1", "A")


def test_torn_log_line_is_skipped_and_closed(ds_dir: Path) -> None:
    (ds_dir / ".history").mkdir()
    (ds_dir / ".history" / "log.jsonl").write_bytes(b'{"id": "half')
    check = sw.validate_upload("observations", two_obs(), "o.csv", ds_dir)
    entry = sw.apply_upload(ds_dir, "observations", check.canonical or b"", "A", check.diff)
    assert sw.history(ds_dir) == [entry]


def test_stale_temp_files_are_cleaned_by_the_next_write(ds_dir: Path) -> None:
    stale = ds_dir / ".observations.csv.abc123.tmp"
    stale.write_bytes(b"half a file")
    check = sw.validate_upload("observations", two_obs(), "o.csv", ds_dir)
    sw.apply_upload(ds_dir, "observations", check.canonical or b"", "A", check.diff)
    assert not stale.exists()
    assert not list(ds_dir.glob("*.tmp")) and not list(ds_dir.glob(".*.tmp"))


# ----------------------------------------------------------------------------- crash safety
def _big_table(marker: str, rows: int = 60_000) -> bytes:
    """A large observations-like CSV whose every line carries ``marker``."""
    head = ",".join(OBS_COLUMNS) + "\n"
    body = "".join(f"tea_area,110,{2000 + i % 30},{i},official,{marker} nguồn {i},ghi chú\n"
                   for i in range(rows))
    return (head + body).encode("utf-8")


def _slow_fsync() -> None:
    """In a child: make every fsync a little slower, to widen the windows between steps."""
    real = os.fsync

    def slow(fd: int) -> None:
        time.sleep(random.uniform(0, 0.01))
        real(fd)

    os.fsync = slow  # type: ignore[assignment]


def _time_full_apply(folder: Path, payload: bytes) -> float:
    """Seconds a forked child needs for one whole apply (to spread the kill times over it)."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            _slow_fsync()
            sw.apply_upload(folder, "observations", payload, "calibrate", {"changed": 0})
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    return time.monotonic() - start


def test_kill_during_write_leaves_old_or_new_never_a_mix(ds_dir: Path) -> None:
    target = ds_dir / "observations.csv"
    current = _big_table("v0")
    target.write_bytes(current)
    outcomes = {"old": 0, "new": 0}
    reps = 40
    rng = random.Random(20210222)
    full = _time_full_apply(ds_dir, current)
    current = target.read_bytes()
    for rep in range(reps):
        new = _big_table(f"v{rep + 1}")
        pid = os.fork()
        if pid == 0:  # child
            try:
                _slow_fsync()
                sw.apply_upload(ds_dir, "observations", new, f"rep{rep}", {"changed": 1})
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 1.2 * full))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        now = target.read_bytes()
        assert now in (current, new), f"rep {rep}: the file is a mix of versions"
        outcomes["old" if now == current else "new"] += 1
        current = now
        sw.history(ds_dir)  # a torn last log line is allowed and skipped
    print(f"kill-during-write: {reps} repetitions, outcomes {outcomes}")
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes
    # a normal write afterwards works, cleans stale temps and the lock is free
    final = _big_table("final", 10)
    sw.apply_upload(ds_dir, "observations", final, "after", {"changed": 1})
    assert target.read_bytes() == final
    assert not list(ds_dir.glob(".*.tmp"))
    for entry in sw.history(ds_dir):
        if entry.backup:
            backup = ds_dir / ".history" / entry.backup
            assert sw.sha256(backup.read_bytes()) == entry.sha256_before


def test_concurrent_uploads_are_serialised_and_both_logged(ds_dir: Path) -> None:
    target = ds_dir / "observations.csv"
    original = target.read_bytes()
    payloads = {"P1": _big_table("p1", 20_000), "P2": _big_table("p2", 20_000)}
    read_fd, write_fd = os.pipe()
    pids = []
    for who, payload in payloads.items():
        pid = os.fork()
        if pid == 0:
            try:
                os.close(write_fd)
                os.read(read_fd, 1)  # start together
                _slow_fsync()
                sw.apply_upload(ds_dir, "observations", payload, who, {"changed": 1})
            finally:
                os._exit(0)
        pids.append(pid)
    os.close(read_fd)
    os.write(write_fd, b"gg")
    os.close(write_fd)
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    entries = sw.history(ds_dir)[::-1]  # oldest first
    assert sorted(e.who for e in entries) == ["P1", "P2"]
    first, second = entries
    assert first.sha256_before == sw.sha256(original)
    assert second.sha256_before == first.sha256_after  # serialised: the 2nd saw the 1st's file
    assert target.read_bytes() == payloads[second.who]
    assert (ds_dir / ".history" / (second.backup or "")).read_bytes() == payloads[first.who]


def test_lock_blocks_a_second_writer(ds_dir: Path) -> None:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            with sw._locked(ds_dir):
                os.write(write_fd, b"x")
                time.sleep(0.4)
        finally:
            os._exit(0)
    os.read(read_fd, 1)
    start = time.monotonic()
    sw.apply_upload(ds_dir, "observations", two_obs(), "A", None)
    assert time.monotonic() - start >= 0.3
    os.waitpid(pid, 0)


# ----------------------------------------------------------------------------- downloads
@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
     ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("\uff1d1", "'\uff1d1"), ("Than Uyên", "Than Uyên"),
     ("a=b", "a=b"), ("", "")],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert sw.neutralise(cell) == expected


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


# ----------------------------------------------------------------------------- credentials
def test_password_round_trip_and_format() -> None:
    stored = sw.hash_password("mật khẩu đủ dài", iterations=FAST)
    scheme, iterations, salt, digest = stored.split("$")
    assert scheme == "pbkdf2_sha256" and iterations == str(FAST)
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    secrets = {"editor": {"password_hash": stored}}
    assert sw.check_password("mật khẩu đủ dài", secrets)
    assert sw.check_password(unicodedata.normalize("NFD", "mật khẩu đủ dài"), secrets)
    assert not sw.check_password("mật khẩu đủ dài ", secrets)
    assert not sw.check_password("", secrets)
    assert sw.hash_password("x", iterations=FAST) != sw.hash_password("x", iterations=FAST)
    with pytest.raises(ValueError):
        sw.hash_password("")


@pytest.mark.parametrize(
    "secrets",
    [{}, {"editor": {}}, {"editor": "x"}, {"editor": {"password_hash": "plain"}},
     {"editor": {"password_hash": "pbkdf2_sha256$abc$00$00"}},
     {"editor": {"password_hash": "pbkdf2_sha256$1000$zz$00"}},
     {"editor": {"password_hash": "pbkdf2_sha256$0$0011$0011"}},
     {"editor": {"password_hash": "pbkdf2_sha256$99999999999$0011$0011"}},
     {"editor": {"password_hash": "pbkdf2_sha256$1000$$"}}, None],
    ids=["none", "empty", "not-table", "plain", "bad-iter", "bad-hex", "zero-iter", "huge-iter",
         "empty-parts", "no-mapping"],
)
def test_check_password_is_false_on_missing_or_broken_config(secrets: object) -> None:
    assert sw.check_password("anything", secrets) is False


def test_credential_mode_and_editor_list() -> None:
    stored = sw.hash_password("pw", iterations=FAST)
    assert sw.credential_mode({}) is None
    assert sw.credential_mode({"editor": {"password_hash": stored}}) == "password"
    auth = {"auth": {"client_id": "x", "redirect_uri": "u"}, "editor": {"password_hash": stored}}
    assert sw.credential_mode(auth) == "oidc" and sw.oidc_provider(auth) is None
    assert sw.oidc_provider({"auth": {"redirect_uri": "u", "google": {"client_id": "x"}}}) == "google"
    allowed = {"editor": {"allowed_emails": ["A@laichau.gov.vn"], "allowed_domains": ["snn.vn"]}}
    assert sw.is_allowed_editor("a@laichau.gov.vn", allowed)
    assert sw.is_allowed_editor("b@snn.vn", allowed)
    assert not sw.is_allowed_editor("b@laichau.gov.vn", allowed)
    assert not sw.is_allowed_editor("a@laichau.gov.vn", {})
    assert not sw.is_allowed_editor(None, allowed)


def test_hash_password_script_prints_a_usable_line(tmp_path: Path) -> None:
    import subprocess
    import sys
    import tomllib

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, str(root / "scripts" / "hash_password.py")],
                         input="mật khẩu biên tập\n", capture_output=True, text=True, check=True,
                         timeout=60)
    secrets = tomllib.loads(out.stdout)
    assert sw.check_password("mật khẩu biên tập", secrets)
    short = subprocess.run([sys.executable, str(root / "scripts" / "hash_password.py")],
                           input="short\n", capture_output=True, text=True, timeout=60)
    assert short.returncode == 1 and "password_hash" not in short.stdout
