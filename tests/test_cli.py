"""The command line on the default dataset: it must tell the seed's story from the data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nq05_metrics.cli import main

ROOT = Path(__file__).resolve().parents[1]
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


@pytest.mark.parametrize("argv", [
    ["--data-dir", str(DATA), "--lang", "en", "summary", "--as-of", "2023"],
    ["summary", "--as-of", "2023", "--data-dir", str(DATA), "--lang", "en"],
    ["--lang", "vi", "summary", "--data-dir", str(DATA), "--as-of", "2023", "--lang", "en"],
])
def test_global_options_before_or_after_the_sub_command(capsys, argv):
    assert main(argv) == 0
    assert "14 of 16 indicators have reached over 50%" in capsys.readouterr().out


def test_global_options_reach_nested_and_registered_sub_commands():
    from nq05_metrics.cli import build_parser

    parser = build_parser()
    for argv in (["--geo-dir", "g", "--data-dir", "d", "--lang", "en", "geo", "import", "f.zip"],
                 ["geo", "import", "f.zip", "--geo-dir", "g", "--data-dir", "d", "--lang", "en"],
                 ["export", "pdf", "-o", "x.pdf", "--geo-dir", "g", "--data-dir", "d",
                  "--lang", "en"],
                 ["--geo-dir", "g", "--data-dir", "d", "--lang", "en", "export", "pdf", "-o", "x"]):
        args = parser.parse_args(argv)
        assert (args.geo_dir, args.data_dir, args.lang) == ("g", "d", "en"), argv
    args = parser.parse_args(["geo", "build-default"])
    assert (args.geo_dir, args.data_dir, args.lang) == (None, None, "vi")


def test_a_broken_sub_command_module_is_an_error_not_a_missing_command(monkeypatch):
    import importlib

    from nq05_metrics import cli

    real = importlib.import_module

    def broken(name: str, *args: object) -> object:
        if name == "nq05_metrics.export.cli":
            raise ImportError("broken on purpose")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ImportError, match="broken on purpose"):
        cli.build_parser()


def test_version_is_the_package_version(capsys):
    import tomllib

    from nq05_metrics import __version__

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert capsys.readouterr().out.strip() == f"python -m nq05_metrics {project['version']}"
    assert __version__ == project["version"]


def test_cli_output_speaks_the_language(capsys):
    assert main(["validate", str(DATA), "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == "Data valid"
    assert main(["--data-dir", str(DATA), "status", "--as-of", "2023", "--unit", "Hà Nội",
                 "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "Unknown unit “Hà Nội”. Valid:" in err and "Than Uyên" in err
