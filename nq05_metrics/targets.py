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

Empty ``unit_code`` in ``targets.csv`` means the province (code 12).
"""

from __future__ import annotations

import pandas as pd

from nq05_metrics.units import PROVINCE_CODE

ORIENTATION_YEAR = 2030
#: Columns of :func:`resolve` (one row per indicator × unit with a target).
COLUMNS = ["indicator_id", "unit_code", "plan_id", "target_year", "target", "target_original",
           "target_2030", "target_quality", "target_source", "target_note", "target_revised_on"]


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
