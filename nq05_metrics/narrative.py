"""The review paragraph, generated from the status table (never typed by hand).

Register of the mid-term conclusion notice (07/07/2023): "Đến nay, X/Y chỉ tiêu đạt trên 50%,
trong đó Z chỉ tiêu đã đạt và vượt: …; một số chỉ tiêu đạt thấp: …". Counts:

* X = indicators with achievement ≥ 50 % (bands ``achieved`` + ``over_half``), Y = indicators
  with data; Z = band ``achieved``;
* "đạt thấp" = band ``low``; "chậm tiến độ" = ``on_schedule`` false; "dự báo khó đạt" =
  ``forecast_met`` false; the quality sentence counts actuals or targets that are illustrative.

At or after the target year the period is over: instead of a schedule and a forecast for it,
the paragraph says which indicators are not met ("Chưa đạt mục tiêu năm 2025"), and the outlook
is against the 2030 orientation (``forecast_met_2030``). The paragraph comes in short parts
(:func:`parts`: lead and met · over half · low · behind or not met · forecast · outlook · no data
· quality), one sentence each; :func:`paragraph` joins them. Texts: ``[narrative]`` of the
catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nq05_metrics.i18n import language
from nq05_metrics.i18n import t as _t


@dataclass(frozen=True)
class NarrativeCounts:
    """The counts behind the paragraph (also shown as KPI cards)."""

    assessed: int
    over_half: int
    achieved: int
    low: int
    behind: int
    forecast_missed: int
    no_data: int
    illustrative: int


def counts(status: pd.DataFrame) -> NarrativeCounts:
    """Count indicators by band, schedule and forecast in a status table of ONE unit."""
    has = status[status["status"] != "no_data"]
    illus = (status["quality"] == "illustrative") | (status["target_quality"] == "illustrative")
    return NarrativeCounts(
        assessed=len(has),
        over_half=int(has["status"].isin(["achieved", "over_half"]).sum()),
        achieved=int((has["status"] == "achieved").sum()),
        low=int((has["status"] == "low").sum()),
        behind=int((has["on_schedule"] == False).sum()),  # noqa: E712 (nullable boolean)
        forecast_missed=int((has["forecast_met"] == False).sum()),  # noqa: E712
        no_data=int((status["status"] == "no_data").sum()),
        illustrative=int(illus[status["status"] != "no_data"].sum()),
    )


def _names(rows: pd.DataFrame, lang: str, limit: int | None = None) -> str:
    """Comma-joined indicator names, lower-cased after the first as in the seed's register;
    beyond ``limit`` names, "and n others"."""
    col = f"name_{language(lang)}"
    names = [str(n) for n in rows[col]]
    text = ", ".join(names[:1] + [_lower_first(n) for n in names[1:limit]])
    if limit is not None and len(names) > limit:
        text += _tx(lang, "and_more", n=len(names) - limit)
    return text


def _lower_first(name: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (``OCOP products``)."""
    first = name.split(" ", 1)[0]
    return name if len(first) > 1 and first.isupper() else name[:1].lower() + name[1:]


def _tx(lang: str, key: str, **values: object) -> str:
    return _t(lang, f"narrative.{key}", **values)


def parts(status: pd.DataFrame, lang: str = "vi", unit_name: str | None = None,
          max_names: int | None = None) -> list[str]:
    """The review paragraph for a status table of ONE unit as short sentences (see the module
    docstring), in the order a review report reads them; ``max_names``: names listed per
    sentence at most (a slide), the rest counted."""
    if status.empty:
        return [_tx(lang, "lead_none", year="?", where="")]
    year = int(status["as_of"].iloc[0])
    where = _tx(lang, "where", unit=unit_name) if unit_name else ""
    c = counts(status)
    if c.assessed == 0:
        return [_tx(lang, "lead_none", year=year, where=where)]
    has = status[status["status"] != "no_data"]
    lead = _tx(lang, "lead", year=year, where=where, x=c.over_half, y=c.assessed)
    if c.achieved:
        lead += _tx(lang, "achieved", z=c.achieved,
                    names=_names(has[has["status"] == "achieved"], lang, max_names))
    else:
        lead += _tx(lang, "achieved_none")
    out = [lead + "."]
    half = has[has["status"] == "over_half"]
    if len(half):
        out.append(_tx(lang, "over_half", n=len(half), names=_names(half, lang, max_names)))
    if c.low:
        out.append(_tx(lang, "low", names=_names(has[has["status"] == "low"], lang, max_names)))
    final = has["as_of"].astype(int) >= has["target_year"].astype(int)
    unmet = has[final & (has["status"] != "achieved")]
    if len(unmet):
        out.append(_tx(lang, "not_met", target_year=int(unmet["target_year"].max()),
                       names=_names(unmet, lang, max_names)))
    open_ = has[~final]
    behind = open_[(open_["on_schedule"] == False) & (open_["status"] != "low")]  # noqa: E712
    if len(behind):
        out.append(_tx(lang, "behind", names=_names(behind, lang, max_names)))
    missed = open_[open_["forecast_met"] == False]  # noqa: E712
    if len(missed):
        out.append(_tx(lang, "forecast", target_year=int(missed["target_year"].max()),
                       names=_names(missed, lang, max_names)))
    if "forecast_met_2030" in has and "target_2030" in has:
        off = has[(has["forecast_met_2030"] == False) & has["target_2030"].notna()]  # noqa: E712
        if len(off):
            out.append(_tx(lang, "outlook", names=_names(off, lang, max_names)))
    if c.no_data:
        out.append(_tx(lang, "no_data",
                       names=_names(status[status["status"] == "no_data"], lang, max_names)))
    if c.illustrative:
        out.append(_tx(lang, "quality", n=c.illustrative, y=c.assessed))
    return out


def paragraph(status: pd.DataFrame, lang: str = "vi", unit_name: str | None = None) -> str:
    """The review paragraph for a status table of ONE unit: :func:`parts` joined."""
    return " ".join(parts(status, lang, unit_name))
