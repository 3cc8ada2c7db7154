"""Through the reform of 1 July 2025: which units report a year, names shared across periods,
the province across the switch, a former district from its successor communes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nq05_metrics import api, reform
from nq05_metrics.cli import _resolve_unit
from nq05_metrics.loader import Dataset, load_dataset

ROOT = Path(__file__).resolve().parents[1]
DISTRICTS = ["105", "106", "107", "108", "109", "110", "111", "112"]


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(ROOT / "data")


def test_districts_report_to_2025_and_communes_from_2026(ds: Dataset) -> None:
    assert ds.units.reporting(2021) == DISTRICTS
    assert ds.units.reporting(2025) == DISTRICTS  # the year of the switch stays with the districts
    communes = ds.units.reporting(2026)
    assert len(communes) == 38 and not set(communes) & set(DISTRICTS)
    assert ds.units.unit_set_reporting(2026) == "commune_2025"
    assert ds.units.reports("110", 2025) and not ds.units.reports("110", 2026)
    assert ds.units.reports("12", 2026)


def test_a_name_shared_by_a_district_and_a_commune_is_decided_by_the_year(ds: Dataset) -> None:
    assert set(ds.units.candidates("Than Uyên")) == {"110", "03595"}
    assert ds.units.resolve("huyện Than Uyen", 2024) == "110"
    assert ds.units.resolve("Than Uyên", 2026) == "03595"
    assert ds.units.resolve("Than Uyên") is None  # no year: never a guess
    assert ds.units.resolve("Xã Than Uyên") == "03595"  # the prefix says which


def test_cli_names_the_candidates_of_an_ambiguous_name(ds: Dataset) -> None:
    with pytest.raises(ValueError) as err:
        _resolve_unit(ds, "Than Uyên")
    text = str(err.value)
    assert "110" in text and "03595" in text and "30/06/2025" in text and "01/07/2025" in text
    assert _resolve_unit(ds, "Than Uyên", 2023) == ["110"]


def test_province_runs_on_across_the_reform_as_the_sum_of_the_communes(ds: Dataset) -> None:
    obs = api.observations(ds)
    mac = obs[obs["indicator_id"] == "macadamia_area"]
    prov = mac[mac["unit_code"] == "12"].set_index("year")["value"]
    communes = mac[(mac["year"] == 2026) & mac["unit_code"].isin(ds.units.reporting(2026))]
    assert prov[2026] == pytest.approx(communes["value"].sum()) and prov[2026] > prov[2025]
    row = mac[(mac["unit_code"] == "12") & (mac["year"] == 2026)].iloc[0]
    assert bool(row["derived"]) and row["quality"] == "illustrative"


def test_successor_fractions_split_each_new_commune_by_area(ds: Dataset) -> None:
    frac = reform.successor_fractions(ds.crosswalk)
    per_commune = frac.groupby("new_code")["fraction"].sum()
    assert len(per_commune) == 38
    assert per_commune.to_numpy() == pytest.approx(1.0)
    whole = frac[frac["whole"]]
    assert (whole["fraction"] == 1.0).all()
    assert set(reform.successors(ds.crosswalk, "110")["new_code"]) == {"03595", "03618", "03637",
                                                                       "03640"}


def test_former_district_from_its_successors_summed_or_apportioned(ds: Dataset) -> None:
    obs = api.observations(ds)
    mac = obs[(obs["indicator_id"] == "macadamia_area") & (obs["year"] == 2026)]
    by_unit = mac.set_index("unit_code")
    # Than Uyên's four successors lie wholly inside it: an exact sum, quality of the parts
    parts = by_unit.loc[["03595", "03618", "03637", "03640"], "value"].sum()
    assert by_unit.loc["110", "value"] == pytest.approx(parts)
    assert by_unit.loc["110", "quality"] == "illustrative" and by_unit.loc["110", "n_parts"] == 4
    # Tam Đường shares communes with the city and Phong Thổ: apportioned, an estimate at best
    assert by_unit.loc["106", "note"].startswith("Ước tính")
    # the former districts together hold the province total once
    assert by_unit.loc[DISTRICTS, "value"].sum() == pytest.approx(by_unit.loc["12", "value"])


def test_apportioned_rows_are_never_better_than_an_estimate(ds: Dataset) -> None:
    obs = pd.DataFrame({"indicator_id": ["macadamia_area"] * 3, "unit_code": ["03388", "03408", "03595"],
                        "year": [2026] * 3, "value": [10.0, 20.0, 30.0],
                        "quality": ["official"] * 3, "source": ["x"] * 3, "note": [""] * 3})
    out = reform.with_former_units(obs, ds.indicators, ds.crosswalk, ds.units).set_index("unit_code")
    assert out.loc["105", "quality"] == "estimate"  # Đoàn Kết and Tân Phong are split
    assert out.loc["110", "quality"] == "official" and out.loc["110", "value"] == 30.0


def test_a_figure_the_former_district_reported_is_never_replaced(ds: Dataset) -> None:
    obs = pd.DataFrame({"indicator_id": ["macadamia_area"] * 2, "unit_code": ["03595", "110"],
                        "year": [2026, 2026], "value": [30.0, 99.0], "quality": ["official"] * 2,
                        "source": ["x"] * 2, "note": [""] * 2})
    out = reform.with_former_units(obs, ds.indicators, ds.crosswalk, ds.units)
    assert out.loc[out["unit_code"] == "110", "value"].tolist() == [99.0]


def test_status_of_a_former_district_after_the_reform(ds: Dataset) -> None:
    table = api.status(ds, 2026, ["110"], "macadamia")
    row = table[table["indicator_id"] == "macadamia_area"].iloc[0]
    assert row["actual"] > 0 and int(row["actual_year"]) == 2026


# --- the loader: a figure belongs to a unit that reports its year ----------------------------
OBS_HEAD = "indicator_id,unit_code,year,value,quality,source,note\n"


def _read(ds: Dataset, rows: str) -> tuple[pd.DataFrame, list]:
    from nq05_metrics.loader import read_table

    return read_table("observations", (OBS_HEAD + rows).encode(), units=ds.units,
                      indicators=ds.indicators, file_label="observations.csv",
                      crosswalk=ds.crosswalk)


def test_a_2026_figure_for_an_abolished_district_is_refused_naming_its_communes(ds: Dataset) -> None:
    frame, problems = _read(ds, "macadamia_area,110,2026,100,illustrative,x,\n")
    assert frame.empty and len(problems) == 1
    p = problems[0]
    assert (p.line, p.column) == (2, "unit_code")
    assert "Than Uyên (110" in p.what_vi and "2026" in p.what_vi
    assert "Mường Than (03618)" in p.fix_vi and "Muong Than (03618)" in p.fix_en


def test_a_commune_figure_before_the_reform_is_refused_naming_the_former_district(ds: Dataset) -> None:
    _, problems = _read(ds, "macadamia_area,03595,2024,10,illustrative,x,\n")
    assert len(problems) == 1 and "Than Uyên (110)" in problems[0].fix_vi


def test_a_shared_name_is_read_by_the_row_year(ds: Dataset) -> None:
    frame, problems = _read(ds, "macadamia_area,Than Uyên,2024,2600,illustrative,x,\n"
                                "macadamia_area,Than Uyen,2026,480,illustrative,x,\n")
    assert problems == []
    assert frame["unit_code"].tolist() == ["110", "03595"]


def test_a_shared_name_that_lands_on_an_existing_key_is_a_duplicate(ds: Dataset) -> None:
    _, problems = _read(ds, "macadamia_area,03595,2026,480,illustrative,x,\n"
                            "macadamia_area,Than Uyên,2026,481,illustrative,x,\n")
    assert len(problems) == 1 and problems[0].line == 3 and "03595" in problems[0].what_vi


def test_a_shared_name_without_a_year_is_refused_with_both_candidates(ds: Dataset) -> None:
    from nq05_metrics.loader import read_table

    raw = (ROOT / "data" / "crosswalk.csv").read_text(encoding="utf-8").splitlines()
    head, first = raw[0], raw[1].split(",")
    first[4] = "Than Uyên"  # new_code written as a name shared by a district and a commune
    frame, problems = read_table("crosswalk", (head + "\n" + ",".join(first) + "\n").encode(),
                                 units=ds.units, indicators=None, file_label="crosswalk.csv")
    assert frame.empty and len(problems) == 1
    assert "110" in problems[0].what_en and "03595" in problems[0].what_en


def _crosswalk_problems(ds: Dataset, edit) -> list:
    """Problems of the shipped crosswalk after ``edit`` changes its rows (lists of cells)."""
    from nq05_metrics.loader import read_table

    raw = (ROOT / "data" / "crosswalk.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.split(",") for line in raw[1:]]
    edit(rows)
    text = "\n".join([raw[0], *(",".join(r) for r in rows)]) + "\n"
    _, problems = read_table("crosswalk", text.encode(), units=ds.units, indicators=None,
                             file_label="crosswalk.csv")
    return problems


def test_the_shipped_crosswalk_shares_add_up(ds: Dataset) -> None:
    assert _crosswalk_problems(ds, lambda rows: None) == []


def test_a_split_commune_whose_shares_do_not_add_up_to_one_is_refused(ds: Dataset) -> None:
    def split(rows: list[list[str]]) -> None:  # line 2's commune split 0.6 / 0.3: 10 % lost
        first = rows[0]
        other = rows[-1]
        first[6] = "0.6"
        rows.append([first[0], first[1], first[2], first[3], other[4], other[5], "0.3", "", "0"])

    problems = _crosswalk_problems(ds, split)
    assert len(problems) == 1
    p = problems[0]
    assert (p.line, p.column) == (len(ds.crosswalk) + 2, "share_of_old")
    assert "0.9," in p.what_vi and "0.9," in p.what_en and "03386" in p.what_en  # as in the file
    assert "2, " in p.what_en and p.fix_vi and "share_of_old" in p.fix_en


def test_a_new_commune_whose_estimated_shares_do_not_add_up_is_refused(ds: Dataset) -> None:
    def off(rows: list[list[str]]) -> None:
        rows[0][8] = "0.5"  # Đoàn Kết's first part: 0.085 → 0.5

    problems = _crosswalk_problems(ds, off)
    assert [(p.column, "03388" in p.what_en) for p in problems] == [("share_of_new_est", True)]
    assert "1.415" in problems[0].what_en and "2, 4, 5, 7, 10" in problems[0].what_vi
