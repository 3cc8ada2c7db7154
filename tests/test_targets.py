"""Plans and targets: the plan in force at an as-of date, the original target beside a revised
one, and the bad input a steward can write into plans.csv / targets.csv."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from builders import (
    PLAN_COLUMNS,
    TARGET_COLUMNS,
    csv_bytes,
    make_plan,
    make_target,
    plans_csv,
    targets_csv,
    write_dataset,
)

from nq05_metrics import api, targets
from nq05_metrics.loader import load_dataset, validate_dataset

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def ds():  # noqa: ANN201
    return load_dataset(DATA)


def _row(ds, as_of: int, indicator: str, unit: str = "12") -> pd.Series:  # noqa: ANN001
    rows = api.status(ds, as_of, [unit])
    return rows[rows["indicator_id"] == indicator].iloc[0]


# --------------------------------------------------------------------------- plan in force
def test_2024_tea_is_measured_against_the_2023_revision_with_the_original_beside(ds) -> None:  # noqa: ANN001
    row = _row(ds, 2024, "tea_area")
    assert row["plan_id"] == "nq05_2021_rev2023" and row["target_year"] == 2025
    assert (row["target"], row["target_original"]) == (10800.0, 11000.0)
    assert row["achievement_pct"] == pytest.approx(100 * 10500 / 10800)
    assert row["target_revised_on"] == "2023-12-20"
    assert "revision" not in str(row["target_source"]).lower()  # neutral, public wording
    assert row["target_source"] == "Minh họa: chưa có bảng chỉ tiêu công bố công khai của NQ 05-NQ/TU"


def test_2024_macadamia_keeps_the_original_target(ds) -> None:  # noqa: ANN001
    row = _row(ds, 2024, "macadamia_area")
    assert row["plan_id"] == "nq05_2021" and row["target"] == row["target_original"] == 12000.0
    assert row["target_revised_on"] == ""


def test_2022_before_the_revision_the_original_is_in_force(ds) -> None:  # noqa: ANN001
    row = _row(ds, 2022, "tea_area")
    assert row["plan_id"] == "nq05_2021" and row["target"] == 11000.0
    assert row["achievement_pct"] == pytest.approx(100 * 8900 / 11000)


def test_a_district_target_follows_the_revision(ds) -> None:  # noqa: ANN001
    before, after = _row(ds, 2022, "tea_area", "106"), _row(ds, 2024, "tea_area", "106")
    assert before["target"] == after["target_original"] > after["target"]
    assert after["plan_id"] == "nq05_2021_rev2023"


def test_2026_is_measured_against_the_2026_2030_plan(ds) -> None:  # noqa: ANN001
    row = _row(ds, 2026, "tea_area")
    assert (row["plan_id"], row["target_year"], row["target"]) == ("nq05_2026", 2030, 13000.0)
    assert row["target_original"] == 13000.0  # the new period has no revision yet
    commune = api.status(ds, 2026, ["03595"])
    tea = commune[commune["indicator_id"] == "tea_area"].iloc[0]
    assert tea["plan_id"] == "nq05_2026" and tea["target"] > 0


def test_the_status_csv_carries_plan_and_both_targets(ds) -> None:  # noqa: ANN001
    assert {"plan_id", "target", "target_original"} <= set(api.STATUS_COLUMNS)
    table = api.status(ds, 2024)
    assert table.loc[table["unit_code"] == "12", "plan_id"].notna().all()


def test_chain_in_force_by_date() -> None:
    plans = pd.DataFrame([make_plan(), make_plan(plan_id="rev", adopted_on="2023-12-20",
                                                 supersedes="nq05_2021"),
                          make_plan(plan_id="p26", period_start="2026", period_end="2030",
                                    adopted_on="2026-01-01")]).astype(
        {"period_start": int, "period_end": int})
    assert targets.chain_in_force(plans, 2022, 2022) == ["nq05_2021"]
    assert targets.chain_in_force(plans, 2023, 2023) == ["nq05_2021", "rev"]
    assert targets.chain_in_force(plans, 2026, 2026) == ["p26"]
    assert targets.chain_in_force(plans, 2030, 2024) == ["p26"]  # not adopted yet: its root
    assert targets.chain_in_force(plans, 2020, 2020) == ["nq05_2021"]  # before every period


# --------------------------------------------------------------------------- bad input
@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(DATA, out)
    return out


def _problems(folder: Path, plans: list[dict] | None = None, rows: list[dict] | None = None,
              extra_targets: list[dict] | None = None) -> list:
    if plans is not None:
        (folder / "plans.csv").write_bytes(csv_bytes(PLAN_COLUMNS, plans))
    if rows is not None or extra_targets is not None:
        text = (folder / "targets.csv").read_bytes()
        added = csv_bytes(TARGET_COLUMNS, extra_targets or []).split(b"\n", 1)[1]
        (folder / "targets.csv").write_bytes(text + added if rows is None else targets_csv(*rows))
    return [p for p in validate_dataset(folder) if p.is_error]


def _one(problems: list, file: str, column: str) -> object:
    (problem,) = problems
    assert (problem.file, problem.column) == (file, column), problem.format("en")
    assert problem.line is not None and problem.what_vi != problem.what_en and problem.fix_en
    return problem


def _lines(folder: Path, name: str) -> int:
    return len((folder / name).read_text(encoding="utf-8").splitlines())


def test_target_for_an_unknown_plan(folder: Path) -> None:
    problems = _problems(folder, extra_targets=[make_target(plan_id="nq05_2031")])
    problem = _one(problems, "targets.csv", "plan_id")
    assert problem.line == _lines(folder, "targets.csv")
    assert "'nq05_2031' is not in plans.csv" in problem.what_en
    assert "không có trong plans.csv" in problem.what_vi


def test_targets_without_a_plans_file(tmp_path: Path) -> None:
    write_dataset(tmp_path, plans_csv=None)
    problems = [p for p in validate_dataset(tmp_path) if p.is_error]
    assert [(p.file, p.line, p.column) for p in problems] == [
        ("targets.csv", 2, "plan_id"), ("targets.csv", 3, "plan_id")]


@pytest.mark.parametrize(("change", "column", "words"), [
    ({"indicator_id": "tea_aera"}, "indicator_id", "'tea_aera' is not in indicators.csv"),
    ({"unit_code": "Mường Xa"}, "unit_code", "Mường Xa"),
])
def test_target_for_an_unknown_indicator_or_unit(folder: Path, change: dict, column: str,
                                                 words: str) -> None:
    problems = _problems(folder, extra_targets=[make_target(target_year="2024", **change)])
    assert words in _one(problems, "targets.csv", column).what_en


def test_target_for_a_unit_that_does_not_exist_in_the_target_year(folder: Path) -> None:
    row = make_target(unit_code="110", plan_id="nq05_2026", target_year="2030", value="500")
    problem = _one(_problems(folder, extra_targets=[row]), "targets.csv", "unit_code")
    assert problem.line == _lines(folder, "targets.csv")
    assert "Than Uyên" in problem.what_vi and "2030" in problem.what_en
    assert "03595" in problem.fix_en  # its successor communes are named


def test_duplicate_target_also_province_written_two_ways(folder: Path) -> None:
    problems = _problems(folder, extra_targets=[make_target(unit_code="12", value="11500")])
    problem = _one(problems, "targets.csv", "target_year")
    assert "duplicate key" in problem.what_en and "trùng khoá" in problem.what_vi
    assert f"line {2}" in problem.what_en  # the province's first tea row


def test_target_year_not_after_the_baseline(folder: Path) -> None:
    from builders import INDICATOR_COLUMNS, make_indicator

    indicators = (folder / "indicators.csv").read_text(encoding="utf-8").splitlines()
    late = csv_bytes(INDICATOR_COLUMNS, [make_indicator(indicator_id="late_area",
                                                        baseline_year="2025")]).decode()
    (folder / "indicators.csv").write_text("\n".join([*indicators, late.splitlines()[1]]) + "\n",
                                           encoding="utf-8")
    row = make_target(indicator_id="late_area", target_year="2025", value="10")
    problem = _one(_problems(folder, extra_targets=[row]), "targets.csv", "target_year")
    assert "not after the indicator's baseline year 2025" in problem.what_en


def test_target_year_outside_its_plan_period(folder: Path) -> None:
    problems = _problems(folder, extra_targets=[make_target(target_year="2027")])
    problem = _one(problems, "targets.csv", "target_year")
    assert "outside the period 2021–2025 of plan 'nq05_2021'" in problem.what_en
    assert "ngoài giai đoạn 2021–2025" in problem.what_vi


PLAN_2026 = make_plan(plan_id="nq05_2026", period_start="2026", period_end="2030",
                      adopted_on="2026-01-01")
REVISION = make_plan(plan_id="nq05_2021_rev2023", adopted_on="2023-12-20", supersedes="nq05_2021")


@pytest.mark.parametrize(("plans", "line", "column", "words"), [
    ([make_plan(), REVISION, PLAN_2026, make_plan(plan_id="other", adopted_on="2022-01-01")],
     5, "supersedes", "two plans in force at once: 'other'"),
    ([make_plan(), REVISION, PLAN_2026, make_plan(plan_id="fork", adopted_on="2024-01-01",
                                                  supersedes="nq05_2021")],
     5, "supersedes", "already revised by 'nq05_2021_rev2023' (line 3)"),
    ([make_plan(), {**REVISION, "supersedes": "nq05_2020"}, PLAN_2026],
     3, "supersedes", "plans.csv has no plan 'nq05_2020'"),
    ([make_plan(), REVISION, {**PLAN_2026, "period_start": "2024"}],
     4, "supersedes", "two plans in force at once"),
    ([make_plan(), {**REVISION, "adopted_on": "2020-01-01"}, PLAN_2026],
     3, "adopted_on", "not after 'nq05_2021'"),
    ([make_plan(), REVISION, {**PLAN_2026, "supersedes": "nq05_2021_rev2023"}],
     4, "supersedes", "revises 'nq05_2021_rev2023' of another period (2021–2025)"),
    ([make_plan(), REVISION, {**PLAN_2026, "period_start": "2029", "period_end": "2026"}],
     4, "period_end", "the start is after the end"),
])
def test_two_plans_in_force_at_once(folder: Path, plans: list, line: int, column: str,
                                    words: str) -> None:
    problems = [p for p in _problems(folder, plans=plans) if p.file == "plans.csv"]
    problem = _one(problems, "plans.csv", column)
    assert problem.line == line and words in problem.what_en, problem.format("en")


def test_a_cycle_is_reported_once(folder: Path) -> None:
    plans = [make_plan(), REVISION, PLAN_2026,
             make_plan(plan_id="a", supersedes="b", adopted_on="2024-01-01"),
             make_plan(plan_id="b", supersedes="a", adopted_on="2024-02-01")]
    problems = _problems(folder, plans=plans)
    cycle = [p for p in problems if "turns back" in p.what_en]
    assert len(cycle) == 1 and "a → b → a" in cycle[0].what_en
    assert (cycle[0].line, cycle[0].column) == (6, "supersedes")
    assert "quay vòng" in cycle[0].what_vi


def test_plans_bytes_of_the_builder_are_valid(tmp_path: Path) -> None:
    write_dataset(tmp_path, plans_csv=plans_csv(make_plan(), PLAN_2026).decode())
    assert validate_dataset(tmp_path) == []


# --------------------------------------------------------------------------- the trend chart
def _layers(spec: dict) -> list[dict]:
    out = []
    for layer in spec["layer"]:
        out += _layers(layer) if "layer" in layer else [layer]
    return out


def _trend(ds, as_of: int) -> dict:  # noqa: ANN001
    from nq05_metrics import charts

    view = api.View(ds, as_of)
    row = view.rows[view.rows["indicator_id"] == "tea_area"].iloc[0]
    return charts.trend(view.series("tea_area"), title="t", unit="ha", target=row["target"],
                        target_year=int(row["target_year"]), target_2030=row["target_2030"],
                        target_original=row["target_original"],
                        revised_on=row["target_revised_on"] or None, lang="vi")


def test_trend_draws_both_targets_and_the_revision_marker(ds) -> None:  # noqa: ANN001
    layers = _layers(_trend(ds, 2024))
    rules = [(ly["data"]["values"][0], ly["mark"]) for ly in layers
             if ly["mark"]["type"] == "rule" and "data" in ly]
    ys = {v.get("y"): m for v, m in rules if v.get("y")}
    assert ys[10800.0].get("strokeDash") is None            # the target in force: solid
    assert ys[11000.0]["strokeDash"] and ys[11000.0]["color"] != ys[10800.0]["color"]
    texts = [v["label"] for ly in layers if "data" in ly for v in ly["data"]["values"]
             if "label" in v]
    assert "Mục tiêu 2025: 10.800 ha (ban đầu 11.000)" in texts
    assert "Điều chỉnh 20/12/2023" in texts
    marker = next(v for v, _ in rules if v.get("label") == "Điều chỉnh 20/12/2023")
    assert 2023.9 < marker["x"] < 2024


def test_trend_before_the_revision_has_one_target_line(ds) -> None:  # noqa: ANN001
    texts = [v["label"] for ly in _layers(_trend(ds, 2022)) if "data" in ly
             for v in ly["data"]["values"] if "label" in v]
    assert not any("ban đầu" in x or "Điều chỉnh" in x for x in texts)
    assert "Mục tiêu 2025: 11.000 ha" in texts


# --------------------------------------------------------------------------- steward upload
def test_a_steward_adds_a_revision_through_upload(folder: Path) -> None:
    from nq05_metrics import stewardship as sw
    from nq05_metrics.stewardship.downloads import current_tables, table_csv_bytes

    tables = current_tables(folder)
    again = sw.validate_upload("targets", table_csv_bytes(tables["targets"], "targets"),
                               "targets.csv", folder)
    assert again.ok and again.diff is not None and sum(again.diff.counts().values()) == 0

    plans = tables["plans"].astype(str)
    new = make_plan(plan_id="nq05_2021_rev2025", name_vi="Điều chỉnh 2025", adopted_on="2025-03-01",
                    supersedes="nq05_2021_rev2023")
    raw = csv_bytes(PLAN_COLUMNS, [*plans.to_dict("records"), new])
    check = sw.validate_upload("plans", raw, "plans.csv", folder)
    assert check.ok and check.diff is not None and check.diff.counts()["added"] == 1
    sw.apply_change(folder, "plans", check.canonical or b"", "steward", check.diff,
                    expected_sha256=check.base_sha256)

    rows = tables["targets"].astype({"target_year": str, "value": str}).to_dict("records")
    added = make_target(plan_id="nq05_2021_rev2025", value="10600", note="điều chỉnh lần hai")
    check = sw.validate_upload("targets", csv_bytes(TARGET_COLUMNS, [*rows, added]),
                               "targets.csv", folder)
    assert check.ok, [p.format("en") for p in check.errors]
    sw.apply_change(folder, "targets", check.canonical or b"", "steward", check.diff,
                    expected_sha256=check.base_sha256)

    row = _row(load_dataset(folder), 2025, "tea_area")
    assert (row["plan_id"], row["target"], row["target_original"]) == (
        "nq05_2021_rev2025", 10600.0, 11000.0)
    assert _row(load_dataset(folder), 2024, "tea_area")["target"] == 10800.0


def test_a_bad_targets_upload_writes_nothing(folder: Path) -> None:
    from nq05_metrics import stewardship as sw

    before = (folder / "targets.csv").read_bytes()
    check = sw.validate_upload("targets", targets_csv(make_target(plan_id="nope")),
                               "targets.csv", folder)
    assert not check.ok and check.errors[0].column == "plan_id"
    assert (folder / "targets.csv").read_bytes() == before


def test_an_indicators_file_that_still_holds_targets_is_refused(tmp_path: Path) -> None:
    from builders import INDICATOR_COLUMNS, make_indicator

    old = csv_bytes([*INDICATOR_COLUMNS, "target_value"],
                    [{**make_indicator(), "target_value": "11000"}]).decode()
    write_dataset(tmp_path, indicators_csv=old)
    problems = [p for p in validate_dataset(tmp_path) if p.is_error]
    (problem,) = problems
    assert (problem.file, problem.line, problem.column) == ("indicators.csv", 1, "target_value")
    assert "targets.csv" in problem.what_en and "targets.csv" in problem.fix_vi


def test_a_former_district_after_the_reform_gets_its_successors_targets(ds) -> None:  # noqa: ANN001
    row = _row(ds, 2026, "macadamia_area", "110")
    communes = api.status(ds, 2026, list(ds.units.reporting(2026)))
    assert row["plan_id"] == "nq05_2026" and row["target_year"] == 2030
    assert row["target"] == pytest.approx(6600, abs=1)  # the former district's 2030 share
    assert row["target"] < communes.loc[communes["indicator_id"] == "macadamia_area",
                                        "target"].sum()
    assert row["target_quality"] == "illustrative" and "xã, phường kế thừa" in row["target_source"]
    assert row["status"] != "no_data"
