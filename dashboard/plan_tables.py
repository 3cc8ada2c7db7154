"""The plans and targets tables as a person reads them on the Data page: names instead of
codes, the period and the plan in force at the chosen year, values with their unit of measure,
quality in words. No Streamlit and no arithmetic (which plan is in force:
:mod:`nq05_metrics.targets`)."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import t
from nq05_metrics import measures, targets
from nq05_metrics.loader import Dataset


def original_if_revised(status: pd.DataFrame) -> pd.Series:
    """``target_original`` where a revision changed the target (NaN elsewhere: nothing to show
    beside the target)."""
    original = status["target_original"]
    return original.where(original.notna() & (original != status["target"]))


def is_revised(row: dict[str, object] | pd.Series) -> bool:
    """True when a revision changed the row's target (:func:`targets.is_revised`)."""
    return targets.is_revised(row.get("target"), row.get("target_original"))


def plan_name(ds: object, row: dict[str, object] | pd.Series, lang: str) -> str:
    """The name of the plan that set the row's target (its id when not in plans.csv)."""
    plans = ds.plans.set_index("plan_id")[f"name_{lang}"]  # type: ignore[attr-defined]
    return str(plans.get(row.get("plan_id"), row.get("plan_id") or "–"))


def plans_view(ds: Dataset, lang: str, as_of: int) -> pd.DataFrame:
    """One row per plan: name, period, adoption date, document, the plan it revises, and
    whether it is in force at the end of ``as_of`` (for its period)."""
    plans = ds.plans
    names = plans.set_index("plan_id")[f"name_{lang}"]
    in_force = {targets.chain_in_force(plans, int(p), as_of)[-1]
                for p in plans["period_start"]} if len(plans) else set()
    return pd.DataFrame({
        "plan_id": plans["plan_id"],
        t(lang, "col.plan"): plans[f"name_{lang}"],
        t(lang, "col.period"): plans["period_start"].astype(str) + "–"
        + plans["period_end"].astype(str),
        t(lang, "col.adopted_on"): plans["adopted_on"].map(targets.date_text),
        t(lang, "col.document"): plans["document"],
        t(lang, "col.supersedes"): plans["supersedes"].map(names).fillna(""),
        t(lang, "col.in_force", year=as_of): plans["plan_id"].isin(in_force).map(
            {True: "✔", False: ""}),
    })


def targets_view(ds: Dataset, lang: str, unit_code: str | None = None,
                 commodity: str | None = None) -> pd.DataFrame:
    """Target rows (optionally one unit and/or one commodity's indicators) with the indicator,
    the unit (empty = the province), the plan, the year, the value and its unit of measure,
    quality in words, source and note."""
    rows = targets.with_unit_codes(ds.targets)
    reg = ds.indicators.set_index("indicator_id")
    if unit_code:
        rows = rows[rows["unit_code"] == unit_code]
    if commodity:
        rows = rows[rows["indicator_id"].map(reg["commodity"]) == commodity]
    plan_names = ds.plans.set_index("plan_id")[f"name_{lang}"]
    qlabel = ds.qualities.set_index("quality")[f"label_{lang}"]
    unit_label = measures.label_column(reg["unit"], ds.measures, lang)
    return pd.DataFrame({
        "indicator_id": rows["indicator_id"],
        t(lang, "col.indicator"): rows["indicator_id"].map(reg[f"name_{lang}"]),
        t(lang, "col.unit"): [ds.units.name(c, lang) for c in rows["unit_code"]],
        t(lang, "col.plan"): rows["plan_id"].map(plan_names).fillna(rows["plan_id"]),
        t(lang, "col.target_year"): rows["target_year"],
        t(lang, "col.value"): rows["value"],
        t(lang, "col.unit_of_measure"): rows["indicator_id"].map(unit_label),
        t(lang, "col.target_quality"): rows["quality"].map(qlabel).fillna(rows["quality"]),
        t(lang, "col.source"): rows["source"],
        t(lang, "col.note"): rows["note"],
    })
