"""Tests of nq05_metrics.aggregate: province totals, consistency check, ranking."""

from __future__ import annotations

import pandas as pd
import pytest

from nq05_metrics import aggregate

INDS = pd.DataFrame({"indicator_id": ["area", "yield"], "aggregation": ["sum", "none"]})


def _obs(rows: list[tuple[str, str, int, float]], quality: str = "official") -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": i, "unit_code": u, "year": y, "value": v,
                          "quality": quality, "source": "s", "note": ""} for i, u, y, v in rows])


def test_province_total_is_derived_only_where_missing_and_only_for_additive():
    obs = _obs([("area", "105", 2021, 10), ("area", "106", 2021, 5), ("area", "12", 2022, 99),
                ("area", "105", 2022, 1), ("yield", "105", 2021, 3), ("yield", "106", 2021, 4)])
    out = aggregate.with_province_totals(obs, INDS, ["105", "106"])
    prov = out[out["unit_code"] == "12"].set_index(["indicator_id", "year"])["value"]
    assert prov[("area", 2021)] == 15
    assert prov[("area", 2022)] == 99          # reported value kept
    assert ("yield", 2021) not in prov.index   # not additive → no sum
    assert len(obs) == 6                       # input untouched


@pytest.mark.parametrize(("province", "flagged"), [(100.0, False), (100.5, False), (103.0, True)])
def test_consistency_flags_gaps_beyond_tolerance(province, flagged):
    obs = _obs([("area", "12", 2021, province), ("area", "105", 2021, 60),
                ("area", "106", 2021, 40)])
    out = aggregate.consistency(obs, INDS, ["105", "106"], tolerance=0.01)
    assert (len(out) == 1) is flagged


def test_rank_units_by_level_and_gain():
    status = pd.DataFrame({"indicator_id": "area", "unit_code": ["105", "106", "107"],
                           "actual": [50.0, 80.0, 60.0], "baseline": [10.0, 75.0, 0.0],
                           "achievement_pct": [1.0, 2.0, 3.0], "status": "low"})
    ranked = aggregate.rank_units(status, "area", ["105", "106", "107"]).set_index("unit_code")
    assert ranked["rank_level"].to_dict() == {"106": 1, "107": 2, "105": 3}
    assert ranked["rank_progress"].to_dict() == {"107": 1, "105": 2, "106": 3}
