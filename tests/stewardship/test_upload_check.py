"""The upload check (nq05_metrics.stewardship.check): limits, type by content, the contract
against the current dataset, references both ways, the partial re-read."""

from __future__ import annotations

import io
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
from steward_support import snapshot, two_obs

from nq05_metrics import loader
from nq05_metrics import stewardship as sw
from nq05_metrics.contract import TABLES
from nq05_metrics.loader import load_dataset


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
    assert {p.file for p in check.errors} == {"observations.csv", "targets.csv"}
    assert any("tea_area" in p.what_en for p in check.errors)


def test_indicators_upload_checks_commodity_references(ds_dir: Path) -> None:
    raw = csv_bytes(INDICATOR_COLUMNS, [make_indicator(commodity="coffee")])
    check = sw.validate_upload("indicators", raw, "i.csv", ds_dir)
    assert not check.ok and any(p.column == "commodity" for p in check.errors)


def test_errors_already_in_other_files_are_not_blamed_on_the_upload(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    broken_targets = "indicator_id,unit_code,plan_id,target_year,value,quality,source,note\n" \
                     "tea_area,110,nq05_2021,2025,abc,official,x,\n"
    write_dataset(folder, targets_csv=broken_targets)
    check = sw.validate_upload("observations", two_obs(), "o.csv", folder)
    assert check.ok


def test_optional_table_can_be_added(ds_dir: Path) -> None:
    zones = ("zone_id,commodity,unit_code,commune,area_ha,year,lon,lat,linked_enterprise,"
             "quality,source,note\nZ1,tea,Than Uyên,Mường Kim,12.5,2023,103.9,21.95,,estimate,Sở,\n")
    check = sw.validate_upload("zones", zones.encode(), "zones.csv", ds_dir)
    assert check.ok and check.base_sha256 is None
    assert check.diff is not None and check.diff.counts()["added"] == 1
    entry = sw.apply_change(ds_dir, "zones", check.canonical or b"", "A", check.diff,
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
    loader reading every file, and so must the check's verdict with or without a folder read."""
    files = loader.file_bytes(ds_dir)
    raw = files[table] or b"zone_id,commodity\nZ1,tea\n"
    raw = {"same": raw, "broken": raw.replace(b"1", b"x", 3), "empty": b"a,b\n"}[variant]
    new_files = {**files, table: raw}
    whole = loader.read_files(new_files)
    partial = loader.read_files(new_files, reuse=loader.read_files(files), changed={table})
    assert sorted(map(repr, partial[1])) == sorted(map(repr, whole[1]))
    for name in TABLES:
        pd.testing.assert_frame_equal(partial[0][name], whole[0][name])
    fresh = sw.validate_upload(table, raw, "u.csv", ds_dir)
    reused = sw.validate_upload(table, raw, "u.csv", ds_dir, loader.read_folder(ds_dir))
    assert (fresh.ok, fresh.problems, fresh.canonical) == (reused.ok, reused.problems, reused.canonical)


def test_a_stale_folder_read_is_not_trusted(ds_dir: Path) -> None:
    """A folder read taken before the folder changed is replaced by a fresh one."""
    old = loader.read_folder(ds_dir)
    (ds_dir / "indicators.csv").write_bytes(b"indicator_id\n")  # breaks every reference
    files, current = sw.folder_read(ds_dir, old)
    assert current is not old and current.fingerprint == loader.fingerprint(files)
    assert sw.folder_read(ds_dir, current)[1] is current
    check = sw.validate_upload("observations", two_obs(), "o.csv", ds_dir, old)
    assert check.base_sha256 == sw.sha256(files["observations"])
