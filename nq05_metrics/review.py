"""Figures of a review report (sơ kết / tổng kết) from status tables of :mod:`nq05_metrics.api`:
the gap to target and the yearly pace needed to reach the 2030 orientation, the final verdict at
or after the target year, and what changed since the last review (two as-of years compared).

Pure: frames in, frames out; the slides, the Word appendix and the overview page use these.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The mid-term review (sơ kết giữa kỳ) of NQ 05-NQ/TU was held on 07/07/2023 (the conclusion
#: notice); its figures are those of 2023 — the default "last review" to compare with.
MID_TERM_YEAR = 2023
ORIENTATION_YEAR = 2030


def _sign(polarity: pd.Series) -> pd.Series:
    """+1 where more is better, −1 where less is better."""
    return pd.Series(np.where(polarity.astype(str) == "lower_better", -1.0, 1.0),
                     index=polarity.index)


def gap_and_pace(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` plus the review columns (units of the indicator; per year for paces):

    * ``gap`` = max(0, s · (target − actual)), s = −1 for lower-is-better: what is still missing
      to the target of the period (0 when met);
    * ``gap_2030`` = max(0, s · (target_2030 − actual));
    * ``pace_needed`` = gap_2030 / (2030 − as_of): the yearly change needed from the as-of year
      to reach the 2030 orientation (cumulative indicators: the yearly additions needed);
    * ``pace_now`` = the current yearly pace (``pace_per_year`` of the status table: trend slope,
      or average yearly additions for cumulative indicators), signed toward the target;
    * ``pace_ratio`` = pace_needed / pace_now (> 1: the current pace is not enough)."""
    s = _sign(rows["polarity"])
    years_left = (ORIENTATION_YEAR - rows["as_of"].astype(float)).clip(lower=1.0)
    gap = (s * (rows["target"] - rows["actual"])).clip(lower=0.0)
    gap_2030 = (s * (rows["target_2030"] - rows["actual"])).clip(lower=0.0)
    needed = gap_2030 / years_left
    now = s * rows["pace_per_year"]
    ratio = needed / now.where(now > 0)
    return rows.assign(gap=gap, gap_2030=gap_2030, pace_needed=needed, pace_now=now,
                       pace_ratio=ratio)


def is_final(rows: pd.DataFrame) -> pd.Series:
    """True where the as-of year is at or after the indicator's target year: the period is
    over, the verdict is "Đạt"/"Chưa đạt", not a forecast."""
    return rows["as_of"].astype(int) >= rows["target_year"].astype(int)


def lagging(rows: pd.DataFrame) -> pd.DataFrame:
    """Indicators that need attention: low; behind schedule (before the target year); not met
    (at or after it); or not on course for the 2030 orientation."""
    final = is_final(rows)
    has = rows["status"] != "no_data"
    behind = rows["on_schedule"].eq(False).fillna(False).astype(bool) & ~final
    unmet = final & (rows["status"] != "achieved")
    off_2030 = rows["forecast_met_2030"].eq(False).fillna(False).astype(bool)
    return rows[has & ((rows["status"] == "low") | behind | unmet | off_2030)]


def since(before: pd.DataFrame, after: pd.DataFrame, bands: pd.DataFrame) -> pd.DataFrame:
    """What changed between two status tables of ONE unit (e.g. 2023 and 2025), one row per
    indicator (OWID's start / end / absolute / relative change):

    ``actual_from``, ``actual_to``, ``change`` = to − from, ``change_rel`` = change / |from| × 100
    (%), ``pct_from``, ``pct_to``, ``pp`` = pct_to − pct_from (percentage points of achievement),
    ``status_from``, ``status_to`` and ``move`` = ``up`` / ``down`` / ``same`` by band order
    (``order`` in status_bands.csv, 1 = best), ``new`` when only the later year is assessed."""
    keep = ["indicator_id", "actual", "achievement_pct", "status", "as_of"]
    a = before[keep].rename(columns={"actual": "actual_from", "achievement_pct": "pct_from",
                                     "status": "status_from", "as_of": "year_from"})
    b = after.rename(columns={"actual": "actual_to", "achievement_pct": "pct_to",
                              "status": "status_to", "as_of": "year_to"})
    out = b.merge(a, on="indicator_id", how="left")
    order = bands.set_index("band_id")["order"]
    assessed = bands.loc[bands["min_pct"].notna(), "band_id"]
    o_from = out["status_from"].map(order).where(out["status_from"].isin(assessed))
    o_to = out["status_to"].map(order).where(out["status_to"].isin(assessed))
    move = pd.Series("same", index=out.index)
    move[o_to < o_from] = "up"
    move[o_to > o_from] = "down"
    move[o_from.isna() & o_to.notna()] = "new"
    move[o_to.isna()] = "none"
    change = out["actual_to"] - out["actual_from"]
    rel = change / out["actual_from"].abs().where(out["actual_from"] != 0) * 100
    return out.assign(change=change, change_rel=rel, pp=out["pct_to"] - out["pct_from"],
                      move=move)
