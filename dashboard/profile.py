"""The area profile's tables: the unit × indicator heatmap of bands, and the way from a former
district to its successor communes. No Streamlit here (the page draws them); numbers come from
:mod:`nq05_metrics.api` / :mod:`nq05_metrics.reform` unchanged.
"""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import t
from nq05_metrics import measures, reform
from nq05_metrics.charts import format_number
from nq05_metrics.loader import Dataset


def heatmap(status: pd.DataFrame, ds: Dataset, lang: str) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                   list[str]]:
    """Every unit × indicator of ``status`` (the rows of the units reporting the year) as
    ``(text, colours, codes)``: ``text`` has one row per unit (index = unit name) and one column
    per indicator (registry order) holding ``"✓ 104%"`` — the band's symbol, so colour is never
    the only cue, and the achievement rounded to a whole percent; ``colours`` the band colours of
    the same cells; ``codes`` the unit codes of the rows, in order."""
    order = ds.indicators.sort_values("display_order")["indicator_id"].tolist()
    names = dict(zip(ds.indicators["indicator_id"], ds.indicators[f"name_{lang}"], strict=True))
    cell = status["status_symbol"].fillna("?").astype(str) + " " + status["achievement_pct"].map(
        lambda p: "–" if pd.isna(p) else format_number(float(p), lang, 0) + "%")
    frame = status.assign(cell=cell, unit_name=status[f"unit_name_{lang}"])
    codes = list(dict.fromkeys(frame["unit_code"].astype(str)))
    text = frame.pivot(index="unit_code", columns="indicator_id", values="cell")
    colours = frame.pivot(index="unit_code", columns="indicator_id", values="status_color")
    cols = [i for i in order if i in text.columns]
    label = dict(zip(frame["unit_code"].astype(str), frame["unit_name"], strict=False))
    index = [f"{label[c]} ({c})" for c in codes]
    text = text.reindex(index=codes, columns=cols).set_axis(index).rename(columns=names)
    colours = colours.reindex(index=codes, columns=cols).set_axis(index).rename(columns=names)
    return text.fillna("–"), colours.fillna("#969696"), codes


def tint(colour: object, alpha: float = 0.28) -> str:
    """CSS for a heatmap cell: the band colour at ``alpha`` behind dark text (contrast ≥ 4.5:1
    on the light tints of the shipped bands)."""
    text = str(colour)
    try:
        r, g, b = (int(text[i:i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        r, g, b = 150, 150, 150
    return f"background-color: rgba({r}, {g}, {b}, {alpha}); color: #1f2933"


def successor_table(ds: Dataset, district: str, lang: str) -> pd.DataFrame:
    """The communes that succeed former district ``district``: name, code, the part of the
    commune counted for the district (``f(d, c)``, :mod:`nq05_metrics.reform`) and how."""
    succ = reform.successors(ds.crosswalk, district)
    return pd.DataFrame({
        t(lang, "reform.col_commune"): [ds.units.name(c, lang) for c in succ["new_code"]],
        t(lang, "reform.col_code"): succ["new_code"].tolist(),
        t(lang, "reform.col_share"): [format_number(100 * f, lang, 0) + "%" for f in succ["fraction"]],
        t(lang, "reform.col_how"): [t(lang, "reform.whole" if w else "reform.split")
                                    for w in succ["whole"]],
    })


def across_reform(obs: pd.DataFrame, ds: Dataset, district: str, lang: str,
                  commodity: str | None = None) -> pd.DataFrame:
    """Per additive indicator: the former district's last own figure (its last year, 2025)
    beside its first figure after the reform computed from the successor communes
    (:func:`nq05_metrics.reform.with_former_units`, in ``obs``), with that figure's quality.
    Empty when the successors have not reported yet."""
    rows = obs[(obs["unit_code"] == str(district))]
    reg = ds.indicators if commodity is None else ds.indicators[ds.indicators["commodity"] == commodity]
    derived = rows[rows["derived"].astype(bool)]
    if derived.empty:
        return pd.DataFrame()
    before_year = int(rows.loc[~rows["derived"].astype(bool), "year"].max())
    after_year = int(derived["year"].min())
    quals = ds.qualities.set_index("quality")[f"label_{lang}"]
    words = measures.labels(ds.measures, lang)
    out = []
    for ind in reg.sort_values("display_order").to_dict("records"):
        mine = rows[rows["indicator_id"] == ind["indicator_id"]].set_index("year")
        if after_year not in mine.index:
            continue
        unit = words.get(str(ind["unit"]), str(ind["unit"]))
        before = mine["value"].get(before_year)
        out.append({
            t(lang, "reform.col_indicator"): ind[f"name_{lang}"],
            t(lang, "reform.col_before", year=before_year):
                "–" if before is None or pd.isna(before) else f"{format_number(before, lang)} {unit}",
            t(lang, "reform.col_after", year=after_year):
                f"{format_number(mine['value'][after_year], lang)} {unit}",
            t(lang, "reform.col_quality", year=after_year):
                str(quals.get(mine["quality"][after_year], mine["quality"][after_year])),
        })
    return pd.DataFrame(out)


def former_districts(ds: Dataset, commune: str, lang: str) -> str:
    """``Than Uyên (110)``: the former districts a commune took land from, for its caption."""
    frac = reform.successor_fractions(ds.crosswalk)
    codes = frac.loc[frac["new_code"] == str(commune), "old_district_code"].tolist()
    return ", ".join(f"{ds.units.name(c, lang)} ({c})" for c in codes) or "–"
