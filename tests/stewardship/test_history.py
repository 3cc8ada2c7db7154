"""nq05_metrics.stewardship.history: apply, history, restore, the log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import (
    INDICATOR_COLUMNS,
    csv_bytes,
    make_indicator,
    make_obs,
    obs_csv,
)
from steward_support import two_obs

from nq05_metrics import stewardship as sw
from nq05_metrics.loader import load_dataset


# ----------------------------------------------------------------------------- apply, history, restore
def test_apply_keeps_the_previous_version_and_logs(ds_dir: Path) -> None:
    old = (ds_dir / "observations.csv").read_bytes()
    check = sw.validate_upload("observations", two_obs(), "o.csv", ds_dir)
    entry = sw.apply_change(ds_dir, "observations", check.canonical or b"", "Nguyễn Văn A",
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
        sw.apply_change(ds_dir, "observations", check.canonical or b"", "A", check.diff,
                        expected_sha256=check.base_sha256)
    assert "changed by someone else" in err.value.problems[0].what_en
    assert (ds_dir / "observations.csv").read_bytes() == obs_csv(make_obs())


def test_restore_puts_back_the_exact_bytes_and_can_be_undone(ds_dir: Path) -> None:
    original = (ds_dir / "observations.csv").read_bytes()
    first = sw.validate_upload("observations", two_obs(), "o.csv", ds_dir)
    e1 = sw.apply_change(ds_dir, "observations", first.canonical or b"", "A", first.diff)
    third = obs_csv(make_obs(value="999"))
    second = sw.validate_upload("observations", third, "o.csv", ds_dir)
    e2 = sw.apply_change(ds_dir, "observations", second.canonical or b"", "B", second.diff)
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
    e1 = sw.apply_change(ds_dir, "indicators", up.canonical or b"", "A", up.diff)
    obs = sw.validate_upload("observations", obs_csv(make_obs(), make_obs(indicator_id="rice_area")),
                             "o.csv", ds_dir)
    assert obs.ok
    sw.apply_change(ds_dir, "observations", obs.canonical or b"", "A", obs.diff)
    current = (ds_dir / "indicators.csv").read_bytes()
    with pytest.raises(sw.StewardshipError) as err:
        sw.restore(ds_dir, e1.id, "B")  # the old indicators lack rice_area, still observed
    assert any(p.file == "observations.csv" for p in err.value.problems)
    assert (ds_dir / "indicators.csv").read_bytes() == current


def test_restore_without_backup_and_unknown_entry(ds_dir: Path) -> None:
    zones = b"zone_id,commodity,unit_code,area_ha,year,quality,source\nZ1,tea,110,1,2023,estimate,x\n"
    check = sw.validate_upload("zones", zones, "z.csv", ds_dir)
    entry = sw.apply_change(ds_dir, "zones", check.canonical or b"", "A", check.diff)
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
    entry = sw.apply_change(ds_dir, "observations", check.canonical or b"", "A", check.diff)
    assert sw.history(ds_dir) == [entry]


def test_stale_temp_files_are_cleaned_by_the_next_write(ds_dir: Path) -> None:
    stale = ds_dir / ".observations.csv.abc123.tmp"
    stale.write_bytes(b"half a file")
    check = sw.validate_upload("observations", two_obs(), "o.csv", ds_dir)
    sw.apply_change(ds_dir, "observations", check.canonical or b"", "A", check.diff)
    assert not stale.exists()
    assert not list(ds_dir.glob("*.tmp")) and not list(ds_dir.glob(".*.tmp"))


