"""Tests of nq05_metrics.review: gap, pace needed to 2030, the verdict at the target year, and
what changed since the last review."""

from __future__ import annotations

import pandas as pd
import pytest

from nq05_metrics import review

BANDS = pd.DataFrame({"band_id": ["achieved", "over_half", "low", "no_data"],
                      "min_pct": [100.0, 50.0, 0.0, None], "order": [1, 2, 3, 4]})


def _row(**kw: object) -> dict[str, object]:
    base = {"indicator_id": "a", "actual": 60.0, "target": 100.0, "target_2030": 200.0,
            "polarity": "higher_better", "pace_per_year": 10.0, "as_of": 2025,
            "target_year": 2025, "status": "over_half", "on_schedule": False,
            "forecast_met_2030": False, "achievement_pct": 60.0}
    return {**base, **kw}


@pytest.mark.parametrize(("kw", "gap", "needed", "ratio"), [
    ({}, 40.0, 28.0, 2.8),                                   # (200 − 60) / 5 = 28 a year
    ({"actual": 120.0, "status": "achieved"}, 0.0, 16.0, 1.6),  # met: no gap left
    ({"polarity": "lower_better", "actual": 80.0, "target": 50.0, "target_2030": 30.0,
      "pace_per_year": -5.0}, 30.0, 10.0, 2.0),              # less is better: signs flip
    ({"pace_per_year": 0.0}, 40.0, 28.0, None),              # no pace now: no ratio
])
def test_gap_and_pace(kw: dict, gap: float, needed: float, ratio: float | None) -> None:
    out = review.gap_and_pace(pd.DataFrame([_row(**kw)])).iloc[0]
    assert out["gap"] == pytest.approx(gap) and out["pace_needed"] == pytest.approx(needed)
    assert (pd.isna(out["pace_ratio"]) if ratio is None else out["pace_ratio"] == pytest.approx(ratio))


def test_lagging_at_and_before_the_target_year() -> None:
    rows = pd.DataFrame([_row(indicator_id="unmet"),
                         _row(indicator_id="met_on_course", status="achieved",
                              forecast_met_2030=True),
                         _row(indicator_id="early_behind", as_of=2023, forecast_met_2030=True),
                         _row(indicator_id="early_ok", as_of=2023, on_schedule=True,
                              forecast_met_2030=True)])
    assert list(review.lagging(rows)["indicator_id"]) == ["unmet", "early_behind"]
    assert list(review.is_final(rows)) == [True, True, False, False]


def test_since_moves_and_changes() -> None:
    before = pd.DataFrame([_row(indicator_id="up", status="over_half", actual=60.0,
                                achievement_pct=60.0, as_of=2023),
                           _row(indicator_id="down", status="achieved", actual=110.0,
                                achievement_pct=110.0, as_of=2023),
                           _row(indicator_id="same", as_of=2023),
                           _row(indicator_id="new", status="no_data", actual=None,
                                achievement_pct=None, as_of=2023)])
    after = pd.DataFrame([_row(indicator_id="up", status="achieved", actual=105.0,
                               achievement_pct=105.0),
                          _row(indicator_id="down", status="over_half", actual=90.0,
                               achievement_pct=90.0),
                          _row(indicator_id="same", actual=70.0, achievement_pct=70.0),
                          _row(indicator_id="new", actual=10.0, achievement_pct=10.0,
                               status="low")])
    out = review.since(before, after, BANDS).set_index("indicator_id")
    assert dict(out["move"]) == {"up": "up", "down": "down", "same": "same", "new": "new"}
    assert out.loc["up", "change"] == 45.0 and out.loc["up", "change_rel"] == pytest.approx(75.0)
    assert out.loc["down", "pp"] == pytest.approx(-20.0)
    assert pd.isna(out.loc["new", "change"])
    assert list(before["actual"])[0] == 60.0  # inputs untouched
