"""Across the reform of 1 July 2025: a former district's figures from its successor communes.

Pure functions over the crosswalk table (``data/crosswalk.csv``, :data:`~nq05_metrics.contract.
CROSSWALK`). A new commune ``c`` took land from former communes ``o``; each former commune lay in
one former district ``d``. The part of ``c`` that came from ``d``:

    f(d, c) = Σ_{o in d, o → c} s(o) / Σ_{o → c} s(o)        (0 < f ≤ 1, Σ_d f(d, c) = 1)

with ``s(o) = share_of_new_est(o)`` (normalised per new commune, so the shares — rounded in the
file — add up exactly and the former districts together keep the province total).

``f = 1`` when ``c`` lies wholly inside ``d`` (all its former communes were in ``d``): its figures
count for ``d`` exactly. ``f < 1`` when ``c`` took land from several former districts: its
figures are **apportioned by area share** — an estimate, and marked so. The successors of ``d``
are the communes with ``f(d, c) > 0``.

A former district's value of an additive indicator in a year it no longer reports (2026 on):

    value(d, y) = Σ_c f(d, c) · value(c, y)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nq05_metrics.aggregate import QUALITY_ORDER, quality_rank, worst_quality
from nq05_metrics.i18n import t
from nq05_metrics.units import UnitRegistry

SUCCESSOR_COLUMNS = ["old_district_code", "new_code", "fraction", "whole"]


def successor_fractions(crosswalk: pd.DataFrame | None) -> pd.DataFrame:
    """``f(d, c)`` for every former district ``d`` and new commune ``c`` (module docstring):
    columns ``old_district_code, new_code, fraction, whole`` (``whole`` = ``c`` lies wholly in
    ``d``, so ``fraction == 1``). Empty without a crosswalk."""
    if crosswalk is None or crosswalk.empty:
        return pd.DataFrame(columns=SUCCESSOR_COLUMNS)
    parts = crosswalk.assign(part=crosswalk["share_of_new_est"] * 1.0)
    frac = parts.groupby(["old_district_code", "new_code"], as_index=False)["part"].sum()
    total = frac.groupby("new_code")["part"].transform("sum")
    n_districts = parts.groupby("new_code")["old_district_code"].nunique()
    whole = frac["new_code"].map(n_districts).eq(1)
    share = (frac["part"] / total.where(total > 0)).fillna(1.0 / frac["new_code"].map(n_districts))
    frac = frac.assign(fraction=np.where(whole, 1.0, share), whole=whole)
    out: pd.DataFrame = frac[SUCCESSOR_COLUMNS].sort_values(SUCCESSOR_COLUMNS[:2],
                                                             ignore_index=True)
    return out


def successors(crosswalk: pd.DataFrame | None, district_code: str) -> pd.DataFrame:
    """The new communes that took land from former district ``district_code``, with ``f(d, c)``
    and ``whole`` (rows of :func:`successor_fractions`)."""
    frac = successor_fractions(crosswalk)
    return frac[frac["old_district_code"] == str(district_code)].reset_index(drop=True)


def with_former_units(observations: pd.DataFrame, indicators: pd.DataFrame,
                      crosswalk: pd.DataFrame | None, units: UnitRegistry) -> pd.DataFrame:
    """``observations`` plus derived rows for each former district in the years its successor
    communes report and it does not (additive indicators only): ``value(d, y) = Σ f(d, c) ·
    value(c, y)``. A derived row has ``derived=True``, ``n_parts`` = the communes summed,
    the worst quality of its parts — and never better than ``estimate`` when any part was
    apportioned (``f < 1``) — and a note naming the method (data text, in Vietnamese like the
    data files). Rows the district itself reported are never replaced. ``observations`` may
    already carry ``derived``/``n_parts`` columns (province totals)."""
    frac = successor_fractions(crosswalk)
    obs = observations
    if "derived" not in obs:
        obs = obs.assign(derived=False, n_parts=1)
    if frac.empty or obs.empty:
        return obs
    additive = set(indicators.loc[indicators["aggregation"] == "sum", "indicator_id"])
    parts = obs[obs["indicator_id"].isin(additive) & obs["unit_code"].isin(set(frac["new_code"]))
                & ~obs["derived"].astype(bool)]
    if parts.empty:
        return obs
    joined = parts.merge(frac, left_on="unit_code", right_on="new_code")
    joined = joined[[not units.reports(d, y) for d, y in
                     zip(joined["old_district_code"], joined["year"], strict=True)]]
    if joined.empty:
        return obs
    joined = joined.assign(value=joined["value"] * joined["fraction"],
                           q_rank=quality_rank(joined["quality"]),
                           apportioned=~joined["whole"].astype(bool))
    sums = joined.groupby(["indicator_id", "old_district_code", "year"], as_index=False).agg(
        value=("value", "sum"), q_rank=("q_rank", "max"), n_parts=("unit_code", "nunique"),
        apportioned=("apportioned", "any"))
    own = pd.MultiIndex.from_frame(obs[["indicator_id", "unit_code", "year"]])
    keys = pd.MultiIndex.from_arrays([sums["indicator_id"], sums["old_district_code"], sums["year"]])
    sums = sums[~keys.isin(own)]
    estimate = QUALITY_ORDER.index("estimate")  # apportioned: never better than an estimate
    quality = worst_quality(sums["q_rank"].where(~sums["apportioned"],
                                                 sums["q_rank"].clip(lower=estimate)))
    derived = pd.DataFrame({
        "indicator_id": sums["indicator_id"], "unit_code": sums["old_district_code"],
        "year": sums["year"].astype(obs["year"].dtype), "value": sums["value"],
        "quality": quality.to_numpy(), "source": t("vi", "reform.derived_source"), "note": "",
        "derived": True, "n_parts": sums["n_parts"]})
    derived["note"] = np.where(sums["apportioned"], t("vi", "reform.note_apportioned"),
                               t("vi", "reform.note_summed"))
    return pd.concat([obs, derived[obs.columns]], ignore_index=True)

