"""Definitions are data: an indicator in a unit of measure the program has never seen needs a
row in units_of_measure.csv, a row in indicators.csv and its observations — data files only —
and its unit reads in words on the pages and in the command line, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from nq05_metrics.cli import main
from tests.app.app_helpers import copy_data, run_app

UNIT_ROW = "tonnes,tấn,tonnes,1,true\n"
INDICATOR_ROW = ("tea_output,Sản lượng chè búp tươi,Fresh tea output,Trồng trọt,tea,tonnes,level,"
                 "higher_better,sum,2020,30000,false,99,,\n")
TARGET_ROW = "tea_output,,nq05_2021,2025,45000,illustrative,Minh họa,\n"
OBSERVATIONS = "".join(f"tea_output,12,{year},{30000 + 2500 * i},illustrative,Minh họa,\n"
                       for i, year in enumerate(range(2020, 2025)))


def _add(folder: Path, name: str, text: str) -> None:
    path = folder / name
    body = path.read_text(encoding="utf-8")
    path.write_text(body + ("" if body.endswith("\n") else "\n") + text, encoding="utf-8")


@pytest.fixture()
def data_with_tonnes(tmp_path: Path) -> Path:
    folder = copy_data(tmp_path)
    _add(folder, "units_of_measure.csv", UNIT_ROW)
    _add(folder, "indicators.csv", INDICATOR_ROW)
    _add(folder, "observations.csv", OBSERVATIONS)
    _add(folder, "targets.csv", TARGET_ROW)
    return folder


@pytest.mark.parametrize(("lang", "word"), [("vi", "tấn"), ("en", "tonnes")])
def test_the_new_unit_reads_in_words_in_the_command_line(capsys, data_with_tonnes, lang, word):
    assert main(["status", "--as-of", "2024", "--unit", "12", "--data-dir",
                 str(data_with_tonnes), "--lang", lang]) == 0
    line = next(row for row in capsys.readouterr().out.splitlines() if "tea_output" in row)
    assert f" {word} " in line and "40,000.0" in line and "45,000.0" in line


def test_the_new_unit_reads_in_words_on_the_trends_page(monkeypatch, data_with_tonnes):
    monkeypatch.setenv("NQ05_DATA_DIR", str(data_with_tonnes))
    at = run_app("trends", {"ind": "tea_output", "year": "2024"})
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["40.000 tấn", "45.000 tấn"]
    at.radio(key="flt_lang").set_value("en").run()
    assert [m.value for m in at.metric][:2] == ["40,000 tonnes", "45,000 tonnes"]


def test_a_unit_missing_from_the_table_is_refused_with_its_place(capsys, tmp_path):
    folder = copy_data(tmp_path)
    _add(folder, "indicators.csv", INDICATOR_ROW)
    assert main(["validate", str(folder), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "indicators.csv:18:unit: 'tonnes' is not in units_of_measure.csv" in out


def test_a_sum_of_a_non_additive_unit_is_refused(capsys, tmp_path):
    folder = copy_data(tmp_path)
    _add(folder, "units_of_measure.csv", UNIT_ROW.replace("true", "false"))
    _add(folder, "indicators.csv", INDICATOR_ROW)
    assert main(["validate", str(folder), "--lang", "en"]) == 1
    assert ("indicators.csv:18:aggregation: unit 'tonnes' is not additive"
            in capsys.readouterr().out)
