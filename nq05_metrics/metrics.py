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

from nq05_metrics.aggregate import (
    QUALITY_ORDER,
    Parts,
    quality_rank,
    with_province_totals,
    worst_quality,
)
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


class _Keyed:
    """The observation rows of a status table on integer keys (the speed path).

    ``g`` = indicator position in the registry × n_units + unit position in ``unit_codes``;
    ``fit`` marks the rows with Y0 ≤ year ≤ as_of (the rows that make the actual and the fit).
    Built from factorised string columns, so no per-row string work is done on a million rows."""

    def __init__(self, obs: pd.DataFrame, reg: pd.DataFrame, units: Sequence[str], as_of: int):
        self.ind_ids = pd.Index(reg["indicator_id"])
        self.unit_ids = pd.Index(list(dict.fromkeys(units)))
        self.n_units = len(self.unit_ids)
        ind = _positions(obs["indicator_id"], self.ind_ids)
        unit = _positions(obs["unit_code"], self.unit_ids)
        keep = (ind >= 0) & (unit >= 0)  # the rows of the selected indicators and units
        if not keep.all():  # taking every row of a million-row frame costs more than the metrics
            obs, ind, unit = obs[keep], ind[keep], unit[keep]
        self.obs = obs
        self.g = ind * self.n_units + unit
        self.year = obs["year"].to_numpy()
        self.level = (reg["kind"].to_numpy() == "level")[ind]
        self.cumulative = (reg["kind"].to_numpy() == "cumulative")[ind]
        self.y0 = reg["baseline_year"].to_numpy()[ind]
        self.fit = (self.year <= as_of) & (self.year >= self.y0)
        self.frame_g = np.zeros(0, dtype=np.int64)  # set once the frame is joined

    def key_frame(self, g: np.ndarray) -> pd.DataFrame:
        """KEY columns (strings, as in the input) for group keys ``g``."""
        return pd.DataFrame({"indicator_id": self.ind_ids.take(g // self.n_units),
                             "unit_code": self.unit_ids.take(g % self.n_units)})


def _positions(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each value in ``index``, −1 when absent: factorise, then look up the few
    distinct values (much faster than ``get_indexer`` or ``isin`` on a million strings)."""
    codes, uniques = pd.factorize(values)
    positions: np.ndarray = np.r_[index.get_indexer(uniques), -1].astype(np.int64)[codes]
    return positions


def _last_valid(g: np.ndarray, values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Per group of ``groups`` (ascending), the last non-missing value of ``values`` (rows
    sorted by ``g``), NaN when none: what ``groupby(...).last()`` returns for one column."""
    ok = ~pd.isna(values)
    g, values = g[ok], values[ok]
    last = np.r_[g[1:] != g[:-1], True] if len(g) else np.zeros(0, bool)
    found = pd.Series(values[last], index=g[last])
    return found.reindex(groups).to_numpy() if len(found) != len(groups) else found.to_numpy()


def _actuals(keyed: _Keyed) -> pd.DataFrame:
    """Actual per indicator × unit (see module docstring), with the year it refers to, its
    quality (worst of the contributing rows) and source."""
    obs = keyed.obs
    src_codes, src_names = pd.factorize(obs["source"])
    q_rank = quality_rank(obs["quality"]).to_numpy(dtype=float)
    # NaN where the flag/source is missing, so that the "last" skips it as ``groupby.last`` does
    q_last = np.where(obs["quality"].isna().to_numpy(), np.nan, q_rank)
    src = np.where(src_codes >= 0, src_codes, np.nan)
    value, derived, year, g = obs["value"].to_numpy(), obs["derived"].to_numpy(), keyed.year, keyed.g
    fit = np.flatnonzero(keyed.fit)
    order = fit[np.lexsort((year[fit], g[fit]))]          # rows by (indicator, unit, year)

    lvl = order[keyed.level[order]]
    gl = g[lvl]
    groups = gl[np.r_[True, gl[1:] != gl[:-1]]] if len(gl) else gl  # sorted → run starts
    level = pd.DataFrame({
        "value": _last_valid(gl, value[lvl], groups), "year": _last_valid(gl, year[lvl], groups),
        "q_rank": _last_valid(gl, q_last[lvl], groups), "src": _last_valid(gl, src[lvl], groups),
        "derived": _last_valid(gl, derived[lvl], groups), "n_years": 1,
    }, index=groups)
    level["q_rank"] = level["q_rank"].fillna(len(QUALITY_ORDER))

    cum_rows = order[(keyed.cumulative & (year > keyed.y0))[order]]
    cum = pd.DataFrame({"g": g[cum_rows], "value": value[cum_rows], "year": year[cum_rows],
                        "q_rank": q_rank[cum_rows], "src": src[cum_rows],
                        "derived": derived[cum_rows]})
    cum = cum.groupby("g").agg(
        value=("value", "sum"), year=("year", "max"), q_rank=("q_rank", "max"),
        src=("src", "last"), derived=("derived", "max"), n_years=("year", "nunique"),
    )
    out = pd.concat([level, cum])
    keys = keyed.key_frame(out.index.to_numpy())
    keys["value"] = out["value"].to_numpy(dtype=float)
    keys["year"] = pd.Series(out["year"].to_numpy(), index=keys.index).astype(year.dtype)
    src_out = np.nan_to_num(out["src"].to_numpy(dtype=float), nan=-1).astype(np.int64)
    keys["source"] = src_names.take(src_out, allow_fill=True)
    keys["derived"] = pd.Series(out["derived"].to_numpy(), index=keys.index).astype(
        obs["derived"].dtype)
    keys["n_years"] = out["n_years"].to_numpy().astype(int)
    keys["quality"] = worst_quality(pd.Series(out["q_rank"].to_numpy().astype(int)))
    return keys.rename(columns={"value": "actual", "year": "actual_year"})


def _join(frame: pd.DataFrame, keyed: _Keyed, right: pd.DataFrame) -> pd.DataFrame:
    """``frame.merge(right, on=KEY, how="left")`` as a positional look-up on the integer key
    (same rows, columns and dtypes when ``right``'s keys are unique, which they are for valid
    data; otherwise the merge itself)."""
    right_g = _frame_keys(keyed, right)
    if pd.Index(right_g).has_duplicates or (right_g < 0).any():
        return frame.merge(right, on=KEY, how="left")
    looked = right.drop(columns=KEY).set_axis(right_g).reindex(keyed.frame_g)
    return pd.concat([frame, looked.set_axis(frame.index)], axis=1)


def _baselines(keyed: _Keyed, reg: pd.DataFrame) -> pd.DataFrame:
    """Baseline per indicator × unit: level → the observation in the baseline year (the registry's
    baseline_value for the province when no observation exists); cumulative → 0."""
    base = keyed.obs[(keyed.year == keyed.y0) & keyed.level]
    chosen: pd.DataFrame = base[[*KEY, "value"]]
    return chosen.rename(columns={"value": "baseline"})


def _frame_keys(keyed: _Keyed, frame: pd.DataFrame) -> np.ndarray:
    """The integer key ``g`` of each row of ``frame`` (−1 or less for a key outside the grid)."""
    ind = _positions(frame["indicator_id"], keyed.ind_ids)
    unit = _positions(frame["unit_code"], keyed.unit_ids)
    return np.where((ind >= 0) & (unit >= 0), ind * keyed.n_units + unit, -1)


def _projection(keyed: _Keyed, frame: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """Projected values at the target year and at 2030.

    level: OLS line through the observations in [Y0, as_of] (see :func:`linear_fit`), evaluated at
    YT and 2030; when the data already reach YT, the projection at YT is the actual.
    cumulative: A + p · (YT − Yₐ) with pace p = A / (Yₐ − Y0) (average annual amount so far,
    Yₐ = last observed year); same to 2030."""
    fit = _fit_on_frame(keyed, frame)
    intercept = fit["intercept"].to_numpy(dtype=float)
    slope = fit["slope"].to_numpy(dtype=float)
    level_t = intercept + slope * (frame["target_year"].to_numpy(dtype=float) - 2020)
    level_30 = intercept + slope * (ORIENTATION_YEAR - 2020)
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
                         "pace_per_year": np.where(is_cum, pace, slope)})


def _fit_on_frame(keyed: _Keyed, frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`linear_fit` of the rows in [Y0, as_of], aligned with the rows of ``frame``.

    Same sums as :func:`linear_fit` (grouped in the rows' original order, so bit-identical),
    grouped by the integer key. A frame key listed twice (a duplicated target row) weights its
    observations twice, as the join-based formulation did."""
    frame_g = keyed.frame_g
    weight = np.bincount(frame_g, minlength=len(keyed.ind_ids) * keyed.n_units)
    rows = np.flatnonzero(keyed.fit)
    g = keyed.g[rows]
    if len(g) and weight.max() > 1:  # replicate the rows of repeated keys (join semantics)
        rows = np.repeat(rows, weight[g])
        g = keyed.g[rows]
    x = keyed.year[rows] - 2020
    y = keyed.obs["value"].to_numpy()[rows]
    sums = pd.DataFrame({"sx": x, "sy": y, "sxy": x * y, "sxx": x * x}).groupby(g).sum()
    sums.insert(0, "n", np.bincount(g)[sums.index.to_numpy()] if len(g) else 0)
    denom = sums["n"] * sums["sxx"] - sums["sx"] ** 2
    sums["slope"] = (sums["n"] * sums["sxy"] - sums["sx"] * sums["sy"]) / denom.where(denom > 0)
    sums["intercept"] = (sums["sy"] - sums["slope"] * sums["sx"]) / sums["n"]
    return sums[["intercept", "slope"]].reindex(frame_g).reset_index(drop=True)


def _met(projected: pd.Series, target: pd.Series, polarity: pd.Series) -> pd.Series:
    """projected ≥ target (higher_better) or ≤ (lower_better); NA when either is missing."""
    met = (projected >= target).where(polarity != "lower_better", projected <= target)
    return met.astype("boolean").where(projected.notna() & target.notna(), pd.NA)


REGISTRY_COLS = ["indicator_id", "name_vi", "name_en", "group", "commodity", "unit", "kind",
                 "polarity", "baseline_year", "headline", "display_order"]


def status_table(
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    bands: pd.DataFrame,
    as_of: int,
    unit_codes: Sequence[str],
    district_codes: Parts = (),
    commodity: str | None = None,
    period_end: int | None = None,
) -> pd.DataFrame:
    """One row per indicator × unit (``unit_codes``) as of year ``as_of``, measured against
    ``targets`` — the targets in force at ``as_of`` (:func:`nq05_metrics.targets.resolve`).

    Columns: registry fields, ``as_of, actual, actual_year, baseline, plan_id, target_year,
    target`` (of the plan in force), ``target_original`` (of the first plan of the period),
    ``target_2030, achievement_pct`` (see :func:`achievement_pct`), ``progress_pct``,
    ``status`` (band id), ``expected_value`` (:func:`expected_value` at the actual's year),
    ``on_schedule``, ``projected_value``, ``projected_2030``, ``forecast_met``,
    ``forecast_met_2030``, ``quality``, ``source``, ``target_quality``, ``target_source``,
    ``target_note``, ``target_revised_on``, ``derived``. A row without a target has the target
    year ``period_end`` (the end of the period of ``as_of``; default: ``as_of``)."""
    obs = with_province_totals(observations, indicators, district_codes)
    return status_from_totals(indicators, obs, targets, bands, as_of, unit_codes, commodity,
                              period_end)


def status_from_totals(
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    bands: pd.DataFrame,
    as_of: int,
    unit_codes: Sequence[str],
    commodity: str | None = None,
    period_end: int | None = None,
) -> pd.DataFrame:
    """:func:`status_table` from observations that already hold the derived province rows
    (:func:`nq05_metrics.aggregate.with_province_totals`, computed once per dataset)."""
    reg = indicators if commodity is None else indicators[indicators["commodity"] == commodity]
    obs = observations
    keyed = _Keyed(obs, reg, unit_codes, as_of)  # only the rows of reg × unit_codes
    grid = reg[REGISTRY_COLS].merge(pd.DataFrame({"unit_code": list(unit_codes)}), how="cross")
    mine = targets[targets["unit_code"].isin(unit_codes) & targets["indicator_id"].isin(
        reg["indicator_id"])]
    frame = grid.merge(mine, on=KEY, how="left")
    frame["target_year"] = frame["target_year"].astype(float).fillna(
        period_end if period_end is not None else as_of).astype("int64")
    keyed.frame_g = _frame_keys(keyed, frame)  # the joins below keep these rows in this order
    frame = _join(frame, keyed, _actuals(keyed))
    frame = _join(frame, keyed, _baselines(keyed, reg))
    prov_base = reg.set_index("indicator_id")["baseline_value"]
    is_prov = frame["unit_code"] == PROVINCE_CODE
    frame.loc[is_prov, "baseline"] = frame.loc[is_prov, "baseline"].fillna(
        frame.loc[is_prov, "indicator_id"].map(prov_base))
    frame.loc[frame["kind"] == "cumulative", "baseline"] = 0.0
    frame["as_of"] = as_of
    return _derive(frame, keyed, bands, as_of)


def _derive(frame: pd.DataFrame, keyed: _Keyed, bands: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """Add achievement, status, schedule and projection columns to the joined frame."""
    frame["achievement_pct"] = achievement_pct(frame["actual"], frame["target"], frame["polarity"])
    frame["progress_pct"] = progress_pct(
        frame["actual"], frame["baseline"], frame["target"], frame["polarity"])
    frame["status"] = band_of(frame["achievement_pct"], bands)
    frame["expected_value"] = expected_value(
        frame["baseline"], frame["target"], frame["actual_year"], frame["baseline_year"],
        frame["target_year"])
    frame["on_schedule"] = on_schedule(frame["actual"], frame["expected_value"], frame["polarity"])
    frame = pd.concat([frame, _projection(keyed, frame, as_of)], axis=1)
    frame["forecast_met"] = _met(frame["projected_value"], frame["target"], frame["polarity"])
    frame["forecast_met_2030"] = _met(
        frame["projected_2030"], frame["target_2030"], frame["polarity"])
    frame["derived"] = frame["derived"].fillna(False).astype(bool)
    return _sorted(frame)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame.sort_values(["display_order", "unit_code"]).reset_index(drop=True)``, with the
    unit codes ranked once (a stable lexsort, like the multi-column ``sort_values``)."""
    units = frame["unit_code"]
    if units.isna().any() or frame["display_order"].isna().any():
        return frame.sort_values(["display_order", "unit_code"]).reset_index(drop=True)
    codes, uniques = pd.factorize(units)
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(np.asarray(uniques, dtype=object), kind="stable")] = np.arange(len(uniques))
    order = np.lexsort((rank[codes], frame["display_order"].to_numpy()))
    return frame.take(order).reset_index(drop=True)


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
