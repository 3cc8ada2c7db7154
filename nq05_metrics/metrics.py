"""Achievement, status bands, schedule and projection: the status table.

All functions are pure (DataFrames in, DataFrames out) and vectorised over indicator × unit.
Notation: ``A`` actual, ``T`` target, ``B`` baseline, ``Y`` evaluation year, ``Y0`` baseline year,
``YT`` target year. Values are in the indicator's unit (ha, m³, colonies, …); percentages are in %.

* ``level`` indicators (a stock to reach): ``A`` = the latest observation in ``[Y0, as_of]``.
* ``cumulative`` indicators (a total over the period, e.g. new planting 2021–2025):
  ``A`` = Σ observations with ``Y0 < year ≤ as_of``; ``B`` = 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nq05_metrics.aggregate import quality_rank, with_province_totals, worst_quality
from nq05_metrics.units import PROVINCE_CODE

ORIENTATION_YEAR = 2030
KEY = ["indicator_id", "unit_code"]


def achievement_pct(actual: pd.Series, target: pd.Series, polarity: pd.Series) -> pd.Series:
    """Achievement in %.

    higher_better: 100 · A / T.  lower_better: 100 · T / A (A ≤ 0 counts as 100 · T / ε, capped
    at 999 %). NaN where A or T is missing or T ≤ 0."""
    higher = 100 * actual / target
    lower = 100 * target / actual.where(actual > 0, 1e-9)
    pct = higher.where(polarity != "lower_better", lower)
    return pct.where(target > 0).clip(upper=999.0)


def progress_pct(
    actual: pd.Series, baseline: pd.Series, target: pd.Series, polarity: pd.Series
) -> pd.Series:
    """Baseline-aware progress in %: 100 · (A − B) / (T − B), the share of the distance from the
    baseline to the target already covered (same formula for lower_better, where T < B).
    NaN where T = B."""
    span = (target - baseline).where(lambda s: s != 0)
    return 100 * (actual - baseline) / span


def band_of(pct: pd.Series, bands: pd.DataFrame) -> pd.Series:
    """Status band id for each achievement %: the band with ``min_pct ≤ pct < max_pct``
    (empty ``max_pct`` = no upper bound); NaN → ``no_data``. Bands are data
    (``data/status_bands.csv``)."""
    out = pd.Series("no_data", index=pct.index, dtype=object)
    ranged = bands.dropna(subset=["min_pct"])
    for _, band in ranged.iterrows():
        upper = band["max_pct"] if pd.notna(band["max_pct"]) else np.inf
        out[(pct >= band["min_pct"]) & (pct < upper)] = band["band_id"]
    return out


def expected_value(
    baseline: pd.Series, target: pd.Series, year: pd.Series, y0: pd.Series, yt: pd.Series
) -> pd.Series:
    """Time-proportional expectation at ``year``: B + f · (T − B), f = clip((Y − Y0)/(YT − Y0), 0, 1).

    E.g. 3 of 5 years elapsed → 60 % of the way from the baseline to the target."""
    frac = ((year - y0) / (yt - y0).where(yt != y0)).clip(0, 1)
    return baseline + frac * (target - baseline)


def on_schedule(actual: pd.Series, expected: pd.Series, polarity: pd.Series) -> pd.Series:
    """True when A ≥ expected (higher_better) or A ≤ expected (lower_better); NA without data."""
    ok = (actual >= expected).where(polarity != "lower_better", actual <= expected)
    return ok.astype("boolean").where(actual.notna() & expected.notna(), pd.NA)


def linear_fit(series: pd.DataFrame) -> pd.DataFrame:
    """Ordinary least squares ``value = a + b · (year − 2020)`` per indicator × unit.

    b = (nΣxy − ΣxΣy) / (nΣx² − (Σx)²), a = (Σy − bΣx) / n, x = year − 2020. Groups with fewer than
    two distinct years get b = NaN. Returns KEY + ``intercept``, ``slope`` (unit per year), ``n``."""
    x = series["year"] - 2020
    frame = series.assign(x=x, xy=x * series["value"], xx=x * x)
    sums = frame.groupby(KEY, as_index=False).agg(
        n=("x", "size"), sx=("x", "sum"), sy=("value", "sum"), sxy=("xy", "sum"), sxx=("xx", "sum")
    )
    denom = sums["n"] * sums["sxx"] - sums["sx"] ** 2
    sums["slope"] = (sums["n"] * sums["sxy"] - sums["sx"] * sums["sy"]) / denom.where(denom > 0)
    sums["intercept"] = (sums["sy"] - sums["slope"] * sums["sx"]) / sums["n"]
    return sums[KEY + ["intercept", "slope", "n"]]


def _targets(
    indicators: pd.DataFrame, district_targets: pd.DataFrame, unit_codes: Sequence[str]
) -> pd.DataFrame:
    """Target per indicator × unit: the province target from the registry, district targets
    from ``district_targets`` (matching the indicator's target year)."""
    cols = ["indicator_id", "target_value", "target_2030", "target_quality", "target_source"]
    prov = indicators[cols].assign(unit_code=PROVINCE_CODE)
    dt = district_targets.merge(indicators[["indicator_id", "target_year"]], on="indicator_id")
    dt = dt[dt["target_year_x"] == dt["target_year_y"]] if "target_year_x" in dt else dt
    dist = dt.rename(
        columns={"quality": "target_quality", "source": "target_source"}
    )[["indicator_id", "unit_code", "target_value", "target_2030", "target_quality",
       "target_source"]]
    both = pd.concat([prov, dist], ignore_index=True)
    both = both.astype({"target_value": float, "target_2030": float})
    return both[both["unit_code"].isin(unit_codes)]


def _actuals(obs: pd.DataFrame, reg: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """Actual per indicator × unit (see module docstring), with the year it refers to, its
    quality (worst of the contributing rows) and source."""
    obs = obs.merge(reg[["indicator_id", "kind", "baseline_year"]], on="indicator_id")
    obs = obs[(obs["year"] <= as_of) & (obs["year"] >= obs["baseline_year"])]
    obs = obs.sort_values([*KEY, "year"])
    level = obs[obs["kind"] == "level"].groupby(KEY, as_index=False).last()
    level = level.assign(q_rank=quality_rank(level["quality"]))
    cum_rows = obs[(obs["kind"] == "cumulative") & (obs["year"] > obs["baseline_year"])]
    cum_rows = cum_rows.assign(q_rank=quality_rank(cum_rows["quality"]))
    cum = cum_rows.groupby(KEY, as_index=False).agg(
        value=("value", "sum"), year=("year", "max"), q_rank=("q_rank", "max"),
        source=("source", "last"), derived=("derived", "max"), n_years=("year", "nunique"),
    )
    level["n_years"] = 1
    cols = [*KEY, "value", "year", "q_rank", "source", "derived", "n_years"]
    out = pd.concat([level[cols], cum[cols]], ignore_index=True)
    out["quality"] = worst_quality(out["q_rank"])
    return out.drop(columns="q_rank").rename(columns={"value": "actual", "year": "actual_year"})


def _baselines(obs: pd.DataFrame, reg: pd.DataFrame) -> pd.DataFrame:
    """Baseline per indicator × unit: level → the observation in the baseline year (the registry's
    baseline_value for the province when no observation exists); cumulative → 0."""
    base = obs.merge(reg[["indicator_id", "baseline_year", "kind"]], on="indicator_id")
    base = base[(base["year"] == base["baseline_year"]) & (base["kind"] == "level")]
    return base[[*KEY, "value"]].rename(columns={"value": "baseline"})


def _projection(obs: pd.DataFrame, frame: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """Projected values at the target year and at 2030.

    level: OLS line through the observations in [Y0, as_of] (see :func:`linear_fit`), evaluated at
    YT and 2030; when the data already reach YT, the projection at YT is the actual.
    cumulative: A + p · (YT − Yₐ) with pace p = A / (Yₐ − Y0) (average annual amount so far,
    Yₐ = last observed year); same to 2030."""
    fit_rows = obs.merge(frame[[*KEY, "baseline_year"]], on=KEY)
    fit_rows = fit_rows[(fit_rows["year"] >= fit_rows["baseline_year"]) & (fit_rows["year"] <= as_of)]
    fit = frame[KEY].merge(linear_fit(fit_rows), on=KEY, how="left")
    level_t = fit["intercept"].values + fit["slope"].values * (frame["target_year"].values - 2020)
    level_30 = fit["intercept"].values + fit["slope"].values * (ORIENTATION_YEAR - 2020)
    elapsed = (frame["actual_year"] - frame["baseline_year"]).where(lambda s: s > 0)
    pace = frame["actual"] / elapsed
    cum_t = frame["actual"] + pace * (frame["target_year"] - frame["actual_year"]).clip(lower=0)
    cum_30 = frame["actual"] + pace * (ORIENTATION_YEAR - frame["actual_year"]).clip(lower=0)
    is_cum = frame["kind"] == "cumulative"
    reached = frame["actual_year"] >= frame["target_year"]
    proj_t = pd.Series(np.where(is_cum, cum_t, level_t), index=frame.index)
    proj_t = proj_t.where(~reached, frame["actual"])
    proj_30 = pd.Series(np.where(is_cum, cum_30, level_30), index=frame.index)
    proj_30 = proj_30.where(frame["actual_year"] < ORIENTATION_YEAR, frame["actual"])
    return pd.DataFrame({"projected_value": proj_t, "projected_2030": proj_30,
                         "pace_per_year": np.where(is_cum, pace, fit["slope"].values)})


def _met(projected: pd.Series, target: pd.Series, polarity: pd.Series) -> pd.Series:
    """projected ≥ target (higher_better) or ≤ (lower_better); NA when either is missing."""
    met = (projected >= target).where(polarity != "lower_better", projected <= target)
    return met.astype("boolean").where(projected.notna() & target.notna(), pd.NA)


REGISTRY_COLS = ["indicator_id", "name_vi", "name_en", "group", "commodity", "unit", "kind",
                 "polarity", "baseline_year", "target_year", "headline", "display_order"]


def status_table(
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    district_targets: pd.DataFrame,
    bands: pd.DataFrame,
    as_of: int,
    unit_codes: Sequence[str],
    district_codes: Sequence[str] = (),
    commodity: str | None = None,
) -> pd.DataFrame:
    """One row per indicator × unit (``unit_codes``) as of year ``as_of``.

    Columns: registry fields, ``as_of, actual, actual_year, baseline, target, target_2030,
    achievement_pct`` (see :func:`achievement_pct`), ``progress_pct``, ``status`` (band id),
    ``expected_value`` (:func:`expected_value` at the actual's year), ``on_schedule``,
    ``projected_value``, ``projected_2030``, ``forecast_met``, ``forecast_met_2030``,
    ``quality``, ``source``, ``target_quality``, ``target_source``, ``derived``."""
    reg = indicators if commodity is None else indicators[indicators["commodity"] == commodity]
    obs = with_province_totals(observations, indicators, list(district_codes))
    obs = obs[obs["indicator_id"].isin(reg["indicator_id"]) & obs["unit_code"].isin(unit_codes)]
    grid = reg[REGISTRY_COLS].merge(pd.DataFrame({"unit_code": list(unit_codes)}), how="cross")
    frame = grid.merge(_targets(reg, district_targets, unit_codes), on=KEY, how="left")
    frame = frame.merge(_actuals(obs, reg, as_of), on=KEY, how="left")
    frame = frame.merge(_baselines(obs, reg), on=KEY, how="left")
    prov_base = reg.set_index("indicator_id")["baseline_value"]
    is_prov = frame["unit_code"] == PROVINCE_CODE
    frame.loc[is_prov, "baseline"] = frame.loc[is_prov, "baseline"].fillna(
        frame.loc[is_prov, "indicator_id"].map(prov_base))
    frame.loc[frame["kind"] == "cumulative", "baseline"] = 0.0
    frame["as_of"] = as_of
    return _derive(frame, obs, bands, as_of)


def _derive(frame: pd.DataFrame, obs: pd.DataFrame, bands: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """Add achievement, status, schedule and projection columns to the joined frame."""
    frame = frame.rename(columns={"target_value": "target"})
    frame["achievement_pct"] = achievement_pct(frame["actual"], frame["target"], frame["polarity"])
    frame["progress_pct"] = progress_pct(
        frame["actual"], frame["baseline"], frame["target"], frame["polarity"])
    frame["status"] = band_of(frame["achievement_pct"], bands)
    frame["expected_value"] = expected_value(
        frame["baseline"], frame["target"], frame["actual_year"], frame["baseline_year"],
        frame["target_year"])
    frame["on_schedule"] = on_schedule(frame["actual"], frame["expected_value"], frame["polarity"])
    frame = pd.concat([frame, _projection(obs, frame, as_of)], axis=1)
    frame["forecast_met"] = _met(frame["projected_value"], frame["target"], frame["polarity"])
    frame["forecast_met_2030"] = _met(
        frame["projected_2030"], frame["target_2030"], frame["polarity"])
    frame["derived"] = frame["derived"].fillna(False).astype(bool)
    return frame.sort_values(["display_order", "unit_code"]).reset_index(drop=True)


def trajectory(status_row: pd.Series, observations: pd.DataFrame) -> pd.DataFrame:
    """Chart-ready series for one indicator × unit: the observed values (cumulative indicators
    as running totals from the baseline year), the schedule path B → T over [Y0, YT], and the
    projection from the last observation to YT and 2030.

    Columns: ``year, value, series`` (``observed`` | ``schedule`` | ``projection``), ``quality``."""
    iid, code = status_row["indicator_id"], status_row["unit_code"]
    obs = observations[(observations["indicator_id"] == iid) & (observations["unit_code"] == code)]
    obs = obs[obs["year"] >= status_row["baseline_year"]].sort_values("year")
    values = obs["value"]
    if status_row["kind"] == "cumulative":
        values = values.where(obs["year"] > status_row["baseline_year"], 0).cumsum()
    observed = pd.DataFrame({"year": obs["year"], "value": values, "series": "observed",
                             "quality": obs["quality"]})
    y0, yt = int(status_row["baseline_year"]), int(status_row["target_year"])
    schedule = pd.DataFrame({"year": [y0, yt], "value": [status_row["baseline"],
                             status_row["target"]], "series": "schedule", "quality": ""})
    proj = pd.DataFrame()
    if pd.notna(status_row.get("actual_year")) and pd.notna(status_row.get("projected_value")):
        ya = int(status_row["actual_year"])
        years = [ya] + [y for y in (yt, ORIENTATION_YEAR) if y > ya]
        vals = [status_row["actual"]] + [
            status_row["projected_value"] if y == yt else status_row["projected_2030"]
            for y in years[1:]]
        proj = pd.DataFrame({"year": years, "value": vals, "series": "projection", "quality": ""})
    out = pd.concat([observed, schedule, proj], ignore_index=True)
    return out.astype({"year": int, "value": float})
