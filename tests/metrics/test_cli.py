"""The command line on the default dataset: it must tell the seed's story from the data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nq05_metrics.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SEED_ACHIEVED = {"rice_commodity_area", "bee_colonies", "large_livestock_facilities",
                 "cage_fish_volume"}
SEED_LOW = {"ancient_tea_new_planting", "livestock_barn_support"}


def _status_json(capsys, *args: str) -> list[dict]:
    assert main(["--data-dir", str(DATA), "status", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_validate_default_data_passes(capsys):
    assert main(["validate", str(DATA)]) == 0
    assert "hợp lệ" in capsys.readouterr().out


def test_status_2023_tells_the_seed_story(capsys):
    rows = {r["indicator_id"]: r for r in _status_json(capsys, "--as-of", "2023", "--unit", "12")}
    assert {i for i, r in rows.items() if r["status"] == "achieved"} == SEED_ACHIEVED
    assert {i for i, r in rows.items() if r["status"] == "low"} == SEED_LOW
    assert rows["paddy_converted_area"]["actual"] > 1000
    assert rows["macadamia_area"]["on_schedule"] is False
    assert rows["macadamia_area"]["forecast_met"] is False
    over_half = [r for r in rows.values() if r["status"] == "over_half"]
    assert len(over_half) > len(rows) / 2          # "most others over half"
    required = {"indicator_id", "unit_code", "as_of", "actual", "target", "achievement_pct",
                "status", "on_schedule", "projected_value", "forecast_met", "quality"}
    assert all(required <= set(r) for r in rows.values())


def test_status_filters_by_unit_name_and_commodity(capsys):
    rows = _status_json(capsys, "--as-of", "2023", "--unit", "huyện Than Uyên", "--commodity",
                        "passion_fruit")
    assert [(r["indicator_id"], r["unit_code"]) for r in rows] == [("passion_fruit_area", "110")]


def test_unknown_unit_lists_valid_names(capsys):
    assert main(["--data-dir", str(DATA), "status", "--as-of", "2023", "--unit", "Hà Nội"]) == 1
    assert "Than Uyên" in capsys.readouterr().err


@pytest.mark.parametrize(("lang", "fragment"), [
    ("vi", "14/16 chỉ tiêu đạt trên 50% kế hoạch, trong đó 4 chỉ tiêu đã đạt và vượt"),
    ("en", "14 of 16 indicators have reached over 50%"),
])
def test_summary_from_data(capsys, lang, fragment):
    assert main(["--data-dir", str(DATA), "summary", "--as-of", "2023", "--lang", lang]) == 0
    assert fragment in capsys.readouterr().out


def test_summary_follows_the_data_not_a_template(capsys, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    obs = (data / "observations.csv").read_text(encoding="utf-8")
    obs = obs.replace("bee_colonies,12,2023,5200", "bee_colonies,12,2023,1200")
    (data / "observations.csv").write_text(obs, encoding="utf-8")
    assert main(["--data-dir", str(data), "summary", "--as-of", "2023"]) == 0
    assert "trong đó 3 chỉ tiêu đã đạt và vượt" in capsys.readouterr().out


def test_validate_reports_every_problem_with_location(capsys, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    lines = (data / "observations.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",105,", ",Hà Nội,")
    lines[3] = lines[3].replace("macadamia_area", "macadamia_aera")
    (data / "observations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", str(data)]) == 1
    out = capsys.readouterr().out
    assert "observations.csv:3:unit_code" in out
    assert "observations.csv:4:indicator_id" in out and "macadamia_area" in out


def test_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "nq05_metrics", "--data-dir", str(DATA),
                           "summary", "--as-of", "2021"], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Tính đến năm 2021")
