"""Plans and their targets (``plans.csv``, ``targets.csv``): which plan is in force at an as-of
date, and the target each indicator × unit is measured against.

* A **plan** covers a period ``[period_start, period_end]`` (years) and is adopted on
  ``adopted_on``. A plan that ``supersedes`` another revises it: same period, later adoption.
  The plans of one period form one chain ``root → revision → revision …`` (the loader refuses
  forks, cycles and two roots of overlapping periods).
* The **as-of date** of year ``Y`` is 31 December of ``Y`` (the figures of ``Y`` are assessed
  at its end). A plan is **in force** at that date from its ``adopted_on`` until a plan that
  supersedes it is adopted. Within a period: the last plan of the chain adopted on or before
  the date; when none is adopted yet, the chain's root (its figures are the best known).
* The **period of** ``Y``: the one containing ``Y``; before every period the first, after every
  period the last.
* A revision restates only the targets it changes: the **target** of an indicator × unit is
  the row of the latest plan of the chain up to the one in force that has a row for it (its
  latest ``target_year`` in that plan); the **original target** is the root plan's row.
  ``target_2030`` is the 2030 target of the plan in force for 2030's period at the same date.

Empty ``unit_code`` in ``targets.csv`` means the province (code 12). A former district has no
target of its own after the reform; :func:`with_former_units` derives one from its successor
communes, as its figures are.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from nq05_metrics import reform
from nq05_metrics.units import PROVINCE_CODE, UnitRegistry

ORIENTATION_YEAR = 2030
#: Columns of :func:`resolve` (one row per indicator × unit with a target).
COLUMNS = ["indicator_id", "unit_code", "plan_id", "target_year", "target", "target_original",
           "target_2030", "target_quality", "target_source", "target_note", "target_revised_on"]


def _number(value: object) -> float | None:
    """A target cell as float; None when missing (None, NaN, NA) or not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def is_revised(target: object, original: object) -> bool:
    """True when both are known numbers and differ: a revision changed the target (so the
    original is shown beside it)."""
    new, old = _number(target), _number(original)
    return new is not None and old is not None and new != old


def date_text(iso: object) -> str:
    """An ISO date as people write it: ``2023-12-20`` → ``20/12/2023``; ``–`` when empty."""
    text = str(iso)[:10] if isinstance(iso, str) else ""
    return "/".join(reversed(text.split("-"))) if text else "–"


def roots(plans: pd.DataFrame) -> dict[str, str]:
    """plan_id → the root of its chain (the first plan of its period), following ``supersedes``.
    A chain that breaks (an unknown plan, a cycle) stops at the last plan it reached."""
    parent = {p: s for p, s in zip(plans["plan_id"], plans["supersedes"], strict=True) if s}
    ids = set(plans["plan_id"])
    out: dict[str, str] = {}
    for plan in plans["plan_id"]:
        seen, current = {plan}, plan
        while current in parent and parent[current] in ids:
            current = parent[current]
            if current in seen:
                break
            seen.add(current)
        out[plan] = current
    return out


def chain_in_force(plans: pd.DataFrame, period_year: int, date_year: int) -> list[str]:
    """The plans of the period of ``period_year``, root first, up to the one in force on
    31 December of ``date_year`` (module docstring); [] without plans."""
    if plans.empty:
        return []
    root_of = roots(plans)
    rooted = plans.assign(root=plans["plan_id"].map(root_of))
    firsts = rooted[rooted["plan_id"] == rooted["root"]]
    if firsts.empty:
        return []
    inside = firsts[(firsts["period_start"] <= period_year) & (firsts["period_end"] >= period_year)]
    if inside.empty:
        before = period_year < int(firsts["period_start"].min())
        inside = firsts.nsmallest(1, "period_start") if before else firsts.nlargest(1, "period_end")
    root = str(inside.sort_values("adopted_on").iloc[0]["plan_id"])
    chain = rooted[rooted["root"] == root].sort_values("adopted_on", kind="stable")
    date = f"{date_year:04d}-12-31"
    adopted = chain[chain["adopted_on"] <= date]
    upto = len(adopted) if len(adopted) else 1
    return [str(p) for p in chain["plan_id"].iloc[:upto]]


def _latest(targets: pd.DataFrame, chain: list[str]) -> pd.DataFrame:
    """Per indicator × unit, the row of the latest plan of ``chain`` that sets it (its latest
    target year in that plan)."""
    rows = targets[targets["plan_id"].isin(chain)]
    rows = rows.assign(_pos=rows["plan_id"].map({p: i for i, p in enumerate(chain)}))
    rows = rows.sort_values(["_pos", "target_year"], kind="stable")
    return rows.drop_duplicates(["indicator_id", "unit_code"], keep="last").drop(columns="_pos")


def with_unit_codes(targets: pd.DataFrame) -> pd.DataFrame:
    """``targets`` with an empty ``unit_code`` read as the province (code 12)."""
    codes = targets["unit_code"].where(targets["unit_code"].astype(bool), PROVINCE_CODE)
    return targets.assign(unit_code=codes)


def period_end(plans: pd.DataFrame, as_of: int) -> int | None:
    """The last year of the period of ``as_of`` (None without plans)."""
    chain = chain_in_force(plans, as_of, as_of)
    if not chain:
        return None
    return int(plans.loc[plans["plan_id"] == chain[0], "period_end"].iloc[0])


def resolve(plans: pd.DataFrame, targets: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """The targets in force at the end of ``as_of``, one row per indicator × unit (columns
    :data:`COLUMNS`): ``target`` from the latest plan of the chain in force, ``target_original``
    from the chain's root (NaN when the root sets none), ``target_revised_on`` the adoption date
    of the revision that set ``target`` (``""`` when it is the original)."""
    targets = with_unit_codes(targets)
    chain = chain_in_force(plans, as_of, as_of)
    if not chain:
        return pd.DataFrame(columns=COLUMNS).astype({"target": float, "target_original": float,
                                                     "target_2030": float})
    key = ["indicator_id", "unit_code"]
    latest = _latest(targets, chain)
    first = _latest(targets, chain[:1])[[*key, "value"]].rename(columns={"value": "target_original"})
    adopted = dict(zip(plans["plan_id"], plans["adopted_on"], strict=True))
    out = latest.merge(first, on=key, how="left").rename(columns={
        "value": "target", "quality": "target_quality", "source": "target_source",
        "note": "target_note"})
    out["target_revised_on"] = [adopted[p] if p != chain[0] else "" for p in out["plan_id"]]
    later = chain_in_force(plans, ORIENTATION_YEAR, as_of)
    t2030 = _latest(targets[targets["target_year"] == ORIENTATION_YEAR], later)
    out = out.merge(t2030[[*key, "value"]].rename(columns={"value": "target_2030"}), on=key,
                    how="left")
    out = out.astype({"target": float, "target_original": float, "target_2030": float})
    return out[COLUMNS].reset_index(drop=True)


def revisions(plans: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """The revisions in force or superseded at the end of ``as_of`` in the period of ``as_of``
    (the chain without its root): ``plan_id, name_vi, name_en, adopted_on, year``."""
    chain = chain_in_force(plans, as_of, as_of)[1:]
    rows = plans[plans["plan_id"].isin(chain)].sort_values("adopted_on")
    cols = ["plan_id", "name_vi", "name_en", "adopted_on"]
    return rows[cols].assign(year=rows["adopted_on"].str[:4].astype(int)).reset_index(drop=True)


def with_former_units(resolved: pd.DataFrame, indicators: pd.DataFrame,
                      crosswalk: pd.DataFrame | None, units: UnitRegistry) -> pd.DataFrame:
    """``resolved`` (:func:`resolve`) plus the targets of each former district for a target year
    after it ended, from its successor communes by the rule of its figures
    (:func:`nq05_metrics.reform.with_former_units`): ``T(d) = Σ f(d, c) · T(c)``, additive
    indicators only, quality the worst of the parts and never better than ``estimate`` where a
    commune was apportioned; for ``target``, ``target_original`` and ``target_2030`` alike. The
    plan and revision date are those of the communes' targets."""
    if resolved.empty or crosswalk is None or crosswalk.empty:
        return resolved
    key = ["indicator_id", "unit_code", "year"]
    passes = {}
    for col in ("target", "target_original", "target_2030"):
        obs = pd.DataFrame({"indicator_id": resolved["indicator_id"],
                            "unit_code": resolved["unit_code"], "year": resolved["target_year"],
                            "value": resolved[col], "quality": resolved["target_quality"],
                            "source": resolved["target_source"], "note": ""}).dropna(
            subset=["value"])
        got = reform.with_former_units(obs, indicators, crosswalk, units)
        passes[col] = got[got["derived"].astype(bool)].set_index(key)
    derived = passes["target"]
    if derived.empty:
        return resolved
    plan_of = resolved.drop_duplicates(["indicator_id", "target_year"]).set_index(
        ["indicator_id", "target_year"])
    at = pd.MultiIndex.from_arrays([derived.index.get_level_values("indicator_id"),
                                    derived.index.get_level_values("year")])
    rows = pd.DataFrame({
        "indicator_id": derived.index.get_level_values("indicator_id"),
        "unit_code": derived.index.get_level_values("unit_code"),
        "plan_id": plan_of["plan_id"].reindex(at).to_numpy(),
        "target_year": derived.index.get_level_values("year"),
        "target": derived["value"].to_numpy(),
        "target_original": passes["target_original"]["value"].reindex(derived.index).to_numpy(),
        "target_2030": passes["target_2030"]["value"].reindex(derived.index).to_numpy(),
        "target_quality": derived["quality"].to_numpy(),
        "target_source": derived["source"].to_numpy(),
        "target_note": derived["note"].to_numpy(),
        "target_revised_on": plan_of["target_revised_on"].reindex(at).to_numpy(),
    })
    return pd.concat([resolved, rows[COLUMNS]], ignore_index=True)
