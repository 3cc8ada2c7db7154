"""The trend chart's revised-target layers: the original target beside the target in force
and a "target revised" marker at the revision's adoption (texts: ``[charts]`` of the catalogue).

Drawn only when a revision changed the target (``target_original`` ≠ ``target``): the original
as a lighter dashed rule, its value in the label of the target in force (``Mục tiêu 2025:
10.800 ha (ban đầu 11.000)``), and a vertical rule at the adoption date (fractional year
``Y + (M − 1)/12 + (D − 1)/365``) labelled ``charts.target_revised`` at the foot of the chart,
clear of the series and of the milestone labels at the top.
"""

from __future__ import annotations

from nq05_metrics.display import FONT_SIZE, format_number
from nq05_metrics.i18n import t
from nq05_metrics.targets import date_text, is_revised

ORIGINAL_COLOR = "#7fbf9f"   # the target's green, lighter
ORIGINAL_TEXT = "#3d7a5c"
MARKER_COLOR = "#00603f"


def fractional_year(iso_date: str) -> float:
    """``2023-12-20`` → 2023.96 (year + elapsed months/12 + elapsed days/365)."""
    year, month, day = (int(p) for p in iso_date[:10].split("-"))
    return year + (month - 1) / 12 + (day - 1) / 365


def suffix(target: float | None, original: float | None, lang: str) -> str:
    """`` (ban đầu 11.000)`` after the target's label when a revision changed it, else ``""``
    (one label for both lines: two labels a few pixels apart collide on a phone)."""
    if not is_revised(target, original) or original is None:
        return ""
    return f" ({t(lang, 'charts.target_original', value=format_number(float(original), lang))})"


def layers(target: float | None, original: float | None, revised_on: str | None, lang: str,
           font_size: int = FONT_SIZE) -> list[dict[str, object]]:
    """Vega-Lite layers for the original target (its rule; its value is in the target's label,
    :func:`suffix`) and the revision marker ([] when the target was not revised)."""
    if not is_revised(target, original) or original is None:
        return []
    orig = {"values": [{"y": float(original)}]}
    out: list[dict[str, object]] = [
        {"data": orig, "mark": {"type": "rule", "color": ORIGINAL_COLOR, "strokeWidth": 2,
                                "strokeDash": [8, 5]},
         "encoding": {"y": {"field": "y", "type": "quantitative"}}}]
    if revised_on:
        mark = {"values": [{"x": fractional_year(revised_on), "y": 0.0,
                            "label": t(lang, "charts.target_revised", date=date_text(revised_on))}]}
        out += [
            {"data": mark, "mark": {"type": "rule", "color": MARKER_COLOR, "strokeWidth": 2},
             "encoding": {"x": {"field": "x", "type": "quantitative"}}},
            {"data": mark, "mark": {"type": "text", "align": "left", "dx": 4, "dy": -8,
                                    "fontSize": font_size - 2, "color": MARKER_COLOR,
                                    "fontWeight": "bold"},
             "encoding": {"x": {"field": "x", "type": "quantitative"},
                          "y": {"field": "y", "type": "quantitative"},
                          "text": {"field": "label", "type": "nominal"}}}]
    return out

