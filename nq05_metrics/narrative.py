"""The review paragraph, generated from the status table (never typed by hand).

Register of the mid-term conclusion notice (07/07/2023): "Đến nay, X/Y chỉ tiêu đạt trên 50%,
trong đó Z chỉ tiêu đã đạt và vượt: …; một số chỉ tiêu đạt thấp: …". Counts:

* X = indicators with achievement ≥ 50 % (bands ``achieved`` + ``over_half``), Y = indicators
  with data; Z = band ``achieved``;
* "đạt thấp" = band ``low``; "chậm tiến độ" = ``on_schedule`` false; "dự báo khó đạt" =
  ``forecast_met`` false; the quality sentence counts actuals or targets that are illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

TEXT = {
    "vi": {
        "lead": "Tính đến năm {year}{where}, {x}/{y} chỉ tiêu đạt trên 50% kế hoạch",
        "lead_none": "Tính đến năm {year}{where}, chưa có chỉ tiêu nào có đủ số liệu để đánh giá.",
        "achieved": ", trong đó {z} chỉ tiêu đã đạt và vượt: {names}",
        "achieved_none": "; chưa có chỉ tiêu nào đạt và vượt",
        "low": "Một số chỉ tiêu đạt thấp: {names}.",
        "behind": "Chậm tiến độ so với lộ trình: {names}.",
        "forecast": "Dự báo khó đạt mục tiêu năm {target_year}: {names}.",
        "no_data": "Chưa có số liệu: {names}.",
        "quality": ("Lưu ý: {n}/{y} chỉ tiêu dùng số liệu hoặc chỉ tiêu minh họa, "
                    "chưa phải số liệu chính thức."),
        "where": " ({unit})",
        "sep": "; ",
    },
    "en": {
        "lead": "As of {year}{where}, {x} of {y} indicators have reached over 50% of their targets",
        "lead_none": "As of {year}{where}, no indicator has enough data to be assessed.",
        "achieved": ", of which {z} have been met and exceeded: {names}",
        "achieved_none": "; none has been met yet",
        "low": "Some indicators are low: {names}.",
        "behind": "Behind schedule: {names}.",
        "forecast": "Forecast hard to reach by {target_year}: {names}.",
        "no_data": "No data yet: {names}.",
        "quality": "Note: {n} of {y} indicators use illustrative figures or targets, not official data.",
        "where": " ({unit})",
        "sep": "; ",
    },
}


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


def _names(rows: pd.DataFrame, lang: str) -> str:
    """Comma-joined indicator names, lower-cased after the first as in the seed's register."""
    col = "name_vi" if lang == "vi" else "name_en"
    names = [str(n) for n in rows[col]]
    return ", ".join(names[:1] + [_lower_first(n) for n in names[1:]])


def _lower_first(name: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (``OCOP products``)."""
    first = name.split(" ", 1)[0]
    return name if len(first) > 1 and first.isupper() else name[:1].lower() + name[1:]


def paragraph(status: pd.DataFrame, lang: str = "vi", unit_name: str | None = None) -> str:
    """The review paragraph for a status table of ONE unit (see the module docstring)."""
    t = TEXT["vi" if lang == "vi" else "en"]
    if status.empty:
        return t["lead_none"].format(year="?", where="")
    year = int(status["as_of"].iloc[0])
    where = t["where"].format(unit=unit_name) if unit_name else ""
    c = counts(status)
    if c.assessed == 0:
        return t["lead_none"].format(year=year, where=where)
    has = status[status["status"] != "no_data"]
    lead = t["lead"].format(year=year, where=where, x=c.over_half, y=c.assessed)
    if c.achieved:
        lead += t["achieved"].format(z=c.achieved, names=_names(has[has["status"] == "achieved"], lang))
    else:
        lead += t["achieved_none"]
    parts = [lead + "."]
    if c.low:
        parts.append(t["low"].format(names=_names(has[has["status"] == "low"], lang)))
    behind = has[(has["on_schedule"] == False) & (has["status"] != "low")]  # noqa: E712
    if len(behind):
        parts.append(t["behind"].format(names=_names(behind, lang)))
    missed = has[has["forecast_met"] == False]  # noqa: E712
    if len(missed):
        target_year = int(missed["target_year"].max())
        parts.append(t["forecast"].format(target_year=target_year, names=_names(missed, lang)))
    if c.no_data:
        parts.append(t["no_data"].format(names=_names(status[status["status"] == "no_data"], lang)))
    if c.illustrative:
        parts.append(t["quality"].format(n=c.illustrative, y=c.assessed))
    return " ".join(parts)
