"""Tests of nq05_metrics.metrics: achievement, bands, schedule, projection, status table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from nq05_metrics import metrics, targets

BANDS = pd.DataFrame({
    "band_id": ["achieved", "over_half", "low", "no_data"],
    "min_pct": [100.0, 50.0, 0.0, float("nan")],
    "max_pct": [float("nan"), 100.0, 50.0, float("nan")],
})
DISTRICTS = ["105", "106"]


def _ind(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "indicator_id": "x_area", "name_vi": "Diện tích X", "name_en": "X area", "group": "g",
        "commodity": "x", "unit": "ha", "kind": "level", "polarity": "higher_better",
        "aggregation": "sum", "baseline_year": 2020, "baseline_value": 100.0, "target_year": 2025,
        "target_value": 200.0, "target_2030": 300.0, "target_quality": "illustrative",
        "target_source": "s", "headline": True, "display_order": 1,
    }
    row.update(overrides)
    return row


def _obs(iid: str, unit: str, values: dict[int, float], quality: str = "official") -> list[dict]:
    return [{"indicator_id": iid, "unit_code": unit, "year": y, "value": v, "quality": quality,
             "source": "src", "note": ""} for y, v in values.items()]


PLANS = pd.DataFrame({
    "plan_id": ["p2021", "p2026"], "name_vi": ["a", "b"], "name_en": ["a", "b"],
    "period_start": [2021, 2026], "period_end": [2025, 2030],
    "adopted_on": ["2021-02-22", "2026-01-01"], "document": ["d", "d"], "supersedes": ["", ""]})
TARGET_CELLS = ("target_year", "target_value", "target_2030", "target_quality", "target_source")


def _target(iid: str, unit: str, plan: str, year: int, value: object, quality: str, source: str
            ) -> dict[str, object]:
    return {"indicator_id": iid, "unit_code": unit, "plan_id": plan, "target_year": year,
            "value": value, "quality": quality, "source": source, "note": ""}


def _targets_of(inds: list[dict], unit_targets: list[dict] | None) -> pd.DataFrame:
    """targets.csv rows from the test's registry rows (province: 2025 and 2030) and unit rows."""
    rows = []
    for i in inds:
        q, src = i["target_quality"], i["target_source"]
        rows.append(_target(i["indicator_id"], "", "p2021", i["target_year"], i["target_value"],
                            q, src))
        if i.get("target_2030") is not None:
            rows.append(_target(i["indicator_id"], "", "p2026", 2030, i["target_2030"], q, src))
    for u in unit_targets or []:
        rows.append(_target(u["indicator_id"], u["unit_code"], "p2021", u["target_year"],
                            u["target_value"], u["quality"], u["source"]))
    return pd.DataFrame(rows, columns=list(_target("", "", "", 0, 0, "", "")))


def _registry(inds: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{k: v for k, v in i.items() if k not in TARGET_CELLS} for i in inds])


def _in_force(inds: list[dict], as_of: int, unit_targets: list[dict] | None = None
              ) -> pd.DataFrame:
    return targets.resolve(PLANS, _targets_of(inds, unit_targets), as_of)


def _status(inds: list[dict], obs: list[dict], as_of: int, units=("12",), targets=None):
    return metrics.status_table(_registry(inds), pd.DataFrame(obs), _in_force(inds, as_of, targets),
                                BANDS, as_of, list(units), DISTRICTS)


@pytest.mark.parametrize(("actual", "target", "polarity", "expected"), [
    (150, 200, "higher_better", 75.0),
    (200, 200, "higher_better", 100.0),
    (250, 200, "higher_better", 125.0),
    (50, 100, "lower_better", 200.0),      # half the allowed amount → 200 %
    (200, 100, "lower_better", 50.0),
    (0, 100, "lower_better", 999.0),       # capped
    (10, 0, "higher_better", math.nan),    # a zero target has no achievement
    (math.nan, 100, "higher_better", math.nan),
])
def test_achievement_pct(actual, target, polarity, expected):
    got = metrics.achievement_pct(pd.Series([actual], dtype=float),
                                  pd.Series([target], dtype=float), pd.Series([polarity]))[0]
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


@pytest.mark.parametrize(("pct", "band"), [
    (0.0, "low"), (49.99, "low"), (50.0, "over_half"), (99.9, "over_half"),
    (100.0, "achieved"), (450.0, "achieved"), (math.nan, "no_data"),
])
def test_band_of_uses_band_table(pct, band):
    assert metrics.band_of(pd.Series([pct]), BANDS)[0] == band


def test_band_table_is_data_not_code():
    strict = BANDS.assign(min_pct=[120.0, 50.0, 0.0, float("nan")],
                          max_pct=[float("nan"), 120.0, 50.0, float("nan")])
    assert metrics.band_of(pd.Series([110.0]), strict)[0] == "over_half"


@pytest.mark.parametrize(("year", "expected"), [
    (2020, 100.0), (2023, 160.0), (2025, 200.0), (2028, 200.0), (2018, 100.0),
])
def test_expected_value_is_time_proportional(year, expected):
    got = metrics.expected_value(pd.Series([100.0]), pd.Series([200.0]), pd.Series([year]),
                                 pd.Series([2020]), pd.Series([2025]))[0]
    assert got == pytest.approx(expected)


def test_linear_fit_recovers_a_line():
    frame = pd.DataFrame({"indicator_id": "a", "unit_code": "12", "year": [2020, 2021, 2022],
                          "value": [10.0, 13.0, 16.0]})
    fit = metrics.linear_fit(frame).iloc[0]
    assert fit["slope"] == pytest.approx(3.0)
    assert fit["intercept"] == pytest.approx(10.0)


def test_level_indicator_status_schedule_and_projection():
    table = _status([_ind()], _obs("x_area", "12", {2020: 100, 2021: 120, 2022: 140, 2023: 160}),
                    2023)
    row = table.iloc[0]
    assert row["actual"] == 160 and row["actual_year"] == 2023
    assert row["achievement_pct"] == pytest.approx(80.0)
    assert row["progress_pct"] == pytest.approx(60.0)
    assert row["status"] == "over_half"
    assert row["expected_value"] == pytest.approx(160.0)
    assert bool(row["on_schedule"]) is True
    assert row["projected_value"] == pytest.approx(200.0)      # 20 ha/yr to 2025
    assert row["projected_2030"] == pytest.approx(300.0)
    assert bool(row["forecast_met"]) is True
    assert bool(row["forecast_met_2030"]) is True


def test_level_indicator_behind_schedule_forecast_missed():
    table = _status([_ind()], _obs("x_area", "12", {2020: 100, 2021: 105, 2022: 110, 2023: 115}),
                    2023)
    row = table.iloc[0]
    assert bool(row["on_schedule"]) is False
    assert row["projected_value"] == pytest.approx(125.0)
    assert bool(row["forecast_met"]) is False


def test_level_uses_latest_observation_not_after_as_of():
    table = _status([_ind()], _obs("x_area", "12", {2020: 100, 2022: 150, 2024: 210}), 2023)
    row = table.iloc[0]
    assert row["actual"] == 150 and row["actual_year"] == 2022


def test_cumulative_indicator_sums_from_period_start():
    ind = _ind(indicator_id="new_planting", kind="cumulative", baseline_value=0.0,
               target_value=1000.0, target_2030=2000.0)
    obs = _obs("new_planting", "12", {2020: 999, 2021: 100, 2022: 200, 2023: 300, 2024: 400})
    row = _status([ind], obs, 2023).iloc[0]
    assert row["actual"] == 600                     # 2020 (baseline year) excluded, 2024 after
    assert row["achievement_pct"] == pytest.approx(60.0)
    assert row["expected_value"] == pytest.approx(600.0)
    assert row["projected_value"] == pytest.approx(1000.0)   # 200/yr × 2 more years
    assert row["projected_2030"] == pytest.approx(2000.0)


def test_lower_better_indicator():
    ind = _ind(indicator_id="loss", polarity="lower_better", baseline_value=100.0,
               target_value=50.0, target_2030=20.0)
    row = _status([ind], _obs("loss", "12", {2020: 100, 2023: 40}), 2023).iloc[0]
    assert row["achievement_pct"] == pytest.approx(125.0)
    assert row["status"] == "achieved"
    assert bool(row["on_schedule"]) is True


def test_province_is_sum_of_districts_when_not_reported():
    obs = _obs("x_area", "105", {2020: 40, 2023: 70}, "reported") + _obs(
        "x_area", "106", {2020: 60, 2023: 90}, "illustrative")
    table = _status([_ind()], obs, 2023, units=("12", "105", "106"))
    prov = table[table["unit_code"] == "12"].iloc[0]
    assert prov["actual"] == 160
    assert bool(prov["derived"]) is True
    assert prov["quality"] == "illustrative"  # worst quality of the parts


def test_reported_province_value_wins_over_sum():
    obs = _obs("x_area", "12", {2020: 100, 2023: 175}) + _obs("x_area", "105", {2023: 70}) + _obs(
        "x_area", "106", {2023: 90})
    prov = _status([_ind()], obs, 2023).iloc[0]
    assert prov["actual"] == 175 and not prov["derived"]


def test_district_uses_district_target_and_no_target_is_no_data():
    obs = _obs("x_area", "105", {2020: 40, 2023: 80}) + _obs("x_area", "106", {2023: 10})
    targets = [{"indicator_id": "x_area", "unit_code": "105", "target_year": 2025,
                "target_value": 100.0, "target_2030": None, "quality": "illustrative",
                "source": "s"}]
    table = _status([_ind()], obs, 2023, units=("105", "106"), targets=targets).set_index(
        "unit_code")
    assert table.loc["105", "achievement_pct"] == pytest.approx(80.0)
    assert table.loc["106", "status"] == "no_data"


def test_indicator_without_observations_is_no_data():
    row = _status([_ind()], _obs("x_area", "105", {2023: 1}), 2023, units=("107",)).iloc[0]
    assert row["status"] == "no_data"
    assert pd.isna(row["on_schedule"]) and pd.isna(row["forecast_met"])


def test_commodity_filter_keeps_only_that_commodity():
    inds = [_ind(), _ind(indicator_id="y_area", commodity="y", display_order=2)]
    obs = _obs("x_area", "12", {2023: 150}) + _obs("y_area", "12", {2023: 150})
    table = metrics.status_table(_registry(inds), pd.DataFrame(obs), _in_force(inds, 2023), BANDS,
                                 2023, ["12"], DISTRICTS, commodity="y")
    assert table["indicator_id"].tolist() == ["y_area"]


def test_status_table_does_not_mutate_inputs():
    inds = _registry([_ind()])
    obs = pd.DataFrame(_obs("x_area", "105", {2020: 40, 2023: 70}))
    before = (inds.copy(), obs.copy())
    metrics.status_table(inds, obs, _in_force([_ind()], 2023), BANDS, 2023, ["12", "105"],
                         DISTRICTS)
    pd.testing.assert_frame_equal(inds, before[0])
    pd.testing.assert_frame_equal(obs, before[1])


def test_trajectory_has_observed_schedule_and_projection():
    obs = pd.DataFrame(_obs("x_area", "12", {2020: 100, 2021: 120, 2022: 140, 2023: 160}))
    row = _status([_ind()], obs.to_dict("records"), 2023).iloc[0]
    traj = metrics.trajectory(row, obs)
    assert set(traj["series"]) == {"observed", "schedule", "projection"}
    proj = traj[traj["series"] == "projection"].set_index("year")["value"]
    assert proj[2025] == pytest.approx(200.0) and proj[2030] == pytest.approx(300.0)
