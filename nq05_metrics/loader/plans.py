"""Rules of the plans and targets tables: one plan in force at a time, targets inside their plan.

``plans.csv``: a period runs forwards; ``supersedes`` names a plan of the table, of the same
period, adopted earlier, not already revised by another plan, and no chain turns back on itself;
two chains whose periods overlap would be two plans in force at once. ``targets.csv``: the
target year lies in its plan's period (plan ids, indicators and units are checked as
references; a unit outside its target year by :mod:`nq05_metrics.loader.unit_years`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nq05_metrics.loader.cells import Refs
from nq05_metrics.loader.messages import message
from nq05_metrics.loader.rules import Found, Table


def _rows(table: Table, ok: np.ndarray) -> pd.DataFrame:
    """The ``ok`` rows of a parsed plans table as a frame (with ``row`` and ``line``)."""
    names = ("plan_id", "period_start", "period_end", "adopted_on", "supersedes")
    frame = pd.DataFrame({n: table.rows(n)[ok] for n in names})
    return frame.assign(row=ok, line=table.lines[ok])


def _period(row: pd.Series) -> str:
    return f"{int(row['period_start'])}–{int(row['period_end'])}"


def _revision(row: pd.Series, by_id: dict[str, pd.Series], revised: dict[str, pd.Series]
              ) -> Found | None:
    """The problem of one plan's ``supersedes`` (None when it is right)."""
    other_id, plan = row["supersedes"], row["plan_id"]
    if other_id not in by_id:
        return (int(row["row"]), "supersedes",
                message("plan_supersedes_unknown", "plan_supersedes_unknown_fix", plan=plan,
                        other=other_id, known=", ".join(by_id)))
    other = by_id[other_id]
    if _period(other) != _period(row):
        return (int(row["row"]), "supersedes",
                message("plan_supersedes_period", "plan_supersedes_period_fix", plan=plan,
                        period=_period(row), other=other_id, other_period=_period(other)))
    if row["adopted_on"] <= other["adopted_on"]:
        return (int(row["row"]), "adopted_on",
                message("plan_adopted_before", "plan_adopted_before_fix", plan=plan,
                        date=row["adopted_on"], other=other_id, other_date=other["adopted_on"]))
    if other_id in revised:
        first = revised[other_id]
        return (int(row["row"]), "supersedes",
                message("plan_forked", "plan_forked_fix", plan=plan, other=other_id,
                        first=first["plan_id"], line=int(first["line"])))
    revised[other_id] = row
    return None


def _cycles(frame: pd.DataFrame) -> list[Found]:
    """A chain of ``supersedes`` that comes back to a plan it started from, reported once on
    the chain's last row, naming the chain."""
    parent = {p: s for p, s in zip(frame["plan_id"], frame["supersedes"], strict=True) if s}
    row_of = dict(zip(frame["plan_id"], frame["row"], strict=True))
    found: list[Found] = []
    reported: set[str] = set()
    for start in parent:
        path, current = [start], parent[start]
        while current in parent and current not in path:
            path.append(current)
            current = parent[current]
        if current == start and not reported & set(path):
            reported |= set(path)
            last = max(path, key=lambda p: row_of[p])
            found.append((int(row_of[last]), "supersedes",
                          message("plan_cycle", "plan_cycle_fix",
                                  chain=" → ".join([*path, start]))))
    return found


def _overlaps(frame: pd.DataFrame) -> list[Found]:
    """Two plans that start a period (empty ``supersedes``) with overlapping periods: two plans
    in force at once. Reported on the later row, naming the earlier."""
    firsts = frame[frame["supersedes"] == ""].sort_values("row")
    found: list[Found] = []
    seen: list[pd.Series] = []
    for _, row in firsts.iterrows():
        for other in seen:
            if row["period_start"] <= other["period_end"] and other["period_start"] <= row["period_end"]:
                found.append((int(row["row"]), "supersedes",
                              message("plans_overlap", "plans_overlap_fix", plan=row["plan_id"],
                                      period=_period(row), other=other["plan_id"],
                                      other_period=_period(other), line=int(other["line"]))))
                break
        else:
            seen.append(row)
    return found


def plans_rule(table: Table, ok: np.ndarray, refs: Refs) -> list[Found]:
    """The rules of ``plans.csv`` (module docstring)."""
    frame = _rows(table, ok)
    found: list[Found] = [
        (int(r["row"]), "period_end",
         message("plan_period_reversed", "plan_period_reversed_fix", start=int(r["period_start"]),
                 end=int(r["period_end"])))
        for _, r in frame[frame["period_start"] > frame["period_end"]].iterrows()]
    by_id = {str(r["plan_id"]): r for _, r in frame.iterrows()}
    revised: dict[str, pd.Series] = {}
    for _, row in frame[frame["supersedes"] != ""].iterrows():
        problem = _revision(row, by_id, revised)
        if problem is not None:
            found.append(problem)
    return found + _cycles(frame) + _overlaps(frame)


def _after_baseline(table: Table, ok: np.ndarray, refs: Refs) -> list[Found]:
    """A target's year is after its indicator's baseline year."""
    if refs.indicators is None or refs.indicators.empty:
        return []
    base_of = refs.indicators.set_index("indicator_id")["baseline_year"]
    base = base_of.reindex(table.rows("indicator_id")[ok]).to_numpy(dtype=float)
    years = table.rows("target_year")[ok]
    with np.errstate(invalid="ignore"):
        wrong = base >= years
    return [(int(ok[i]), "target_year",
             message("baseline_after_target", "baseline_after_target_fix", base=int(base[i]),
                     target=int(years[i])))
            for i in np.flatnonzero(wrong).tolist()]


def targets_rule(table: Table, ok: np.ndarray, refs: Refs) -> list[Found]:
    """A target's year lies in its plan's period and after its indicator's baseline year."""
    found = _after_baseline(table, ok, refs)
    plans = refs.tables.get("plans")
    if plans is None or plans.empty:
        return found
    period = plans.set_index("plan_id")[["period_start", "period_end"]]
    ids, years = table.rows("plan_id")[ok], table.rows("target_year")[ok]
    start = period["period_start"].reindex(ids).to_numpy(dtype=float)
    end = period["period_end"].reindex(ids).to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        wrong = (years < start) | (years > end)
    return found + [
        (int(ok[i]), "target_year",
         message("target_year_outside_plan", "target_year_outside_plan_fix", year=int(years[i]),
                 plan=ids[i], start=int(start[i]), end=int(end[i])))
        for i in np.flatnonzero(wrong).tolist()]
