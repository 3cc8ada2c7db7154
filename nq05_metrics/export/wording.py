"""The words and figures of the slides: catalogue look-ups (``slides.<key>``), numbers and
percentages (``7.420`` vi / ``7,420`` en; achievement with one decimal, ``61,8%``, on gauges and
in text alike: one rounding rule), an indicator's line and verdict, footers (sources, quality)
and speaker notes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from nq05_metrics import charts, targets
from nq05_metrics.export import measure, sources
from nq05_metrics.export.layout import FOOTER, FOOTER_STYLE
from nq05_metrics.i18n import language, t
from nq05_metrics.loader import Dataset

PCT_DECIMALS = 1


def tr(lang: str, key: str, **values: object) -> str:
    """Slide string ``slides.<key>`` of the catalogue in ``lang`` (vi/en)."""
    return t(lang, f"slides.{key}", **values)


def sfx(lang: str) -> str:
    """Column suffix of a language (``name_vi`` / ``name_en``)."""
    return language(lang)


def unit_word(row: Any, lang: str) -> str:
    """The unit of measure of a status row in ``lang`` (``unit_label_vi/en``, from
    ``units_of_measure.csv``); the unit code when the row has no label."""
    return str(row.get(f"unit_label_{sfx(lang)}", row["unit"]))


def pct_text(pct: object, lang: str) -> str:
    """Achievement with one decimal: ``61,8%`` (vi), ``61.8%`` (en); ``–`` without."""
    number = charts.as_float(pct)
    return "–" if number is None else charts.format_number(number, lang, PCT_DECIMALS) + "%"


def num(value: object, lang: str) -> str:
    """A value in the display format (``–`` without)."""
    number = charts.as_float(value)
    return "–" if number is None else charts.format_number(number, lang)


def target_text(row: pd.Series, lang: str) -> str:
    """The target in force, with the original beside it where a revision changed it:
    ``10.800 (ban đầu 11.000)``; ``–`` without a target."""
    target, original = row["target"], row.get("target_original")
    if pd.isna(target):
        return "–"
    if not targets.is_revised(target, original):
        return num(target, lang)
    return tr(lang, "target_revised", target=num(target, lang), original=num(original, lang))


def value_text(row: pd.Series, lang: str) -> str:
    """``7.420 / 12.000 ha`` (actual / target unit) from one status row; a revised target
    carries its original (:func:`target_text`)."""
    target = target_text(row, lang) if pd.notna(row["target"]) else tr(lang, "no_target")
    return f"{num(row['actual'], lang)} / {target} {unit_word(row, lang)}"


def status_text(row: pd.Series, lang: str) -> str:
    """Band symbol and label: ``◐ Đạt trên 50%``."""
    return f"{row['status_symbol']} {row[f'status_label_{sfx(lang)}']}"


def indicator_line(row: pd.Series, lang: str) -> str:
    """One bullet per indicator: name: actual / target unit — achievement — band."""
    return (f"{row[f'name_{sfx(lang)}']}: {value_text(row, lang)} — "
            f"{pct_text(row['achievement_pct'], lang)} — {status_text(row, lang)}")


def verdict_text(row: pd.Series, lang: str, outlook: bool = True) -> str:
    """At or after the target year: ``Đạt`` / ``Chưa đạt`` (never a forecast of a year that is
    over), then the outlook for 2030; before it: schedule and forecast flags."""
    flags = []
    if row["status"] == "no_data":
        return ""
    if int(row["as_of"]) >= int(row["target_year"]):
        flags.append(tr(lang, "met") if row["status"] == "achieved" else tr(lang, "not_met"))
    else:
        if pd.notna(row["on_schedule"]):
            flags.append(tr(lang, "on_track") if row["on_schedule"] else tr(lang, "behind_flag"))
        if pd.notna(row["forecast_met"]) and not row["forecast_met"]:
            flags.append(tr(lang, "forecast_flag", year=int(row["target_year"])))
    if outlook and pd.notna(row.get("forecast_met_2030")) and pd.notna(row.get("target_2030")):
        flags.append(tr(lang, "outlook_ok") if row["forecast_met_2030"] else tr(lang,
                                                                                 "outlook_off"))
    return "; ".join(flags)


def is_illustrative(rows: pd.DataFrame) -> bool:
    """Whether any value or target shown from ``rows`` is illustrative."""
    shown = rows[rows["status"] != "no_data"] if len(rows) else rows
    return bool((shown["quality"] == "illustrative").any()
                or (shown["target_quality"] == "illustrative").any())


# --------------------------------------------------------------------------- footers, notes
def footer_text(ds: Dataset, rows: pd.DataFrame, lang: str) -> str:
    """One line (measured at the footer's size): sources by publisher and date, as many as fit,
    ``(+n)`` for the others, then the quality flags present."""
    labels = ds.qualities.set_index("quality")[f"label_{sfx(lang)}"]
    flags = set(pd.concat([rows["quality"], rows["target_quality"]]).dropna())
    order = ds.qualities.sort_values("rank")["quality"]
    quality = tr(lang, "footer_quality", quality=", ".join(str(labels[q]) for q in order
                                                           if q in flags)) if flags else ""
    cited = [s.label for s in sources.distinct(rows, lang)]
    width = FOOTER.w - 0.1
    for n in range(len(cited), -1, -1):
        shown = "; ".join(cited[:n]) + (tr(lang, "more_sources", n=len(cited) - n)
                                        if n < len(cited) else "")
        text = " · ".join(p for p in (tr(lang, "footer_source", source=shown) if n else "",
                                      quality) if p)
        if measure.width_in(text, FOOTER_STYLE.max_pt) <= width or n == 0:
            return text or quality
    return quality


def notes_text(lead: str, rows: pd.DataFrame, lang: str) -> str:
    """Speaker notes: ``lead``, one line of figures per indicator, the full links."""
    lines = [lead, ""] if lead else []
    lines.append(tr(lang, "notes_numbers"))
    lines += [f"• {indicator_line(r, lang)} ({verdict_text(r, lang)})" for _, r in rows.iterrows()]
    links = [f"• {s.label}: {s.url}" for s in sources.distinct(rows, lang) if s.url]
    if links:
        lines += ["", tr(lang, "notes_links"), *links]
    return "\n".join(lines).strip()
