"""Chart builders shared by the dashboard pages and the exports (no Streamlit here).

Every builder takes plain values or tidy frames from :mod:`nq05_metrics.api` and returns a
Vega-Lite spec as a plain dict (:class:`Spec`), built directly rather than through altair (same
pictures pixel for pixel, ≈ 1 ms instead of 0.2–0.7 s each) with:

* colour never the only cue — bands carry their symbol and label as text, line kinds differ by
  dash pattern as well as colour, observations differ by point shape per quality flag;
* a colour-blind-safe palette (Okabe–Ito for series; status colours come from
  ``data/status_bands.csv``);
* large type for projectors, Vietnamese number format in ``vi`` (``12.000,5``) and English in
  ``en`` (``12,000.5``) — both from :mod:`nq05_metrics.display`.

Builders: :func:`trend` (series 2020 → 2025/2030 with target, schedule path, projection and the
02/2021 and 07/2023 markers), :func:`district_bars` (one indicator across units),
:func:`legend_swatches`. The SVG gauges live in :mod:`nq05_metrics.gauge`; their names and the
number formats are re-exported here so ``charts.gauge`` / ``charts.format_number`` keep working.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from nq05_metrics import target_lines
from nq05_metrics.display import (
    FONT,
    FONT_SIZE,
    LOCALES,
    NEUTRAL,
    OKABE_ITO,
    as_float,
    format_number,
    number_locale,
    unit_decimals,
)
from nq05_metrics.gauge import (
    GAUGE_MAX_PCT,
    TRACK,
    GaugeSpec,
    gauge,
    gauge_label,
    gauge_spec,
    grid,
    svg_size,
)
from nq05_metrics.i18n import language, t

__all__ = [
    "EVENTS", "FONT", "FONT_SIZE", "GAUGE_MAX_PCT", "LOCALES", "NEUTRAL", "OKABE_ITO",
    "QUALITY_SHAPES", "SERIES_KINDS", "SERIES_STYLE", "TRACK", "GaugeSpec", "Spec", "as_float",
    "district_bars", "format_number", "gauge", "gauge_label", "gauge_spec", "grid",
    "legend_swatches", "number_locale", "svg_size", "trend", "unit_decimals",
]

#: Milestones drawn on every trend chart: (fractional year, catalogue key of the label).
EVENTS: tuple[tuple[float, str], ...] = (
    (2021 + 1.7 / 12, "charts.event_adopted"),
    (2023 + 6.2 / 12, "charts.event_review"),
    (2025 + 6.0 / 12, "charts.event_reform"),
)

#: Depth of the second row of milestone labels below the first, as a share of the top value.
EVENT_ROW = 0.09

#: The kinds of line of a trend chart; their words are ``charts.series_<kind>``.
SERIES_KINDS = ("observed", "schedule", "projection", "target")
SERIES_STYLE = {  # colour, dash pattern
    "observed": (OKABE_ITO["blue"], [1, 0]),
    "schedule": (NEUTRAL, [6, 4]),
    "projection": (OKABE_ITO["vermillion"], [2, 3]),
}
QUALITY_SHAPES = {"official": "circle", "reported": "square", "news": "triangle-up",
                  "estimate": "diamond", "illustrative": "cross"}


class Spec(dict[str, object]):
    """A Vega-Lite spec: a plain dict (JSON-ready), named so builders say what they return."""


def _config(lang: str) -> dict[str, object]:
    """Projector-friendly type sizes, no chart border, the number locale of ``lang``: the
    Vega-Lite ``config`` of every chart."""
    return {
        "locale": {"number": number_locale(lang)}, "font": FONT,
        "axis": {"labelFontSize": FONT_SIZE - 1, "titleFontSize": FONT_SIZE, "labelColor": "#222",
                 "titleColor": "#222", "gridColor": "#e6e6e6"},
        "legend": {"labelFontSize": FONT_SIZE - 1, "titleFontSize": FONT_SIZE, "labelLimit": 320,
                   "orient": "bottom", "direction": "horizontal", "columns": 3},
        "title": {"fontSize": FONT_SIZE + 2, "anchor": "start", "color": "#111"},
        "view": {"stroke": None},
    }


# --------------------------------------------------------------------------- trend
def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows of ``frame`` as JSON-ready dicts (NaN/NA → None)."""
    return [{str(k): (None if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
             for k, v in row.items()} for row in frame.to_dict("records")]


def _q(field: str, **extra: object) -> dict[str, object]:
    return {"field": field, "type": "quantitative", **extra}


def _n(field: str, **extra: object) -> dict[str, object]:
    return {"field": field, "type": "nominal", **extra}


def _events_layer(lang: str, y_top: float) -> dict[str, object]:
    """Vertical rules with labels at the adoption (02/2021), the mid-term review (07/2023) and
    the reform (1 July 2025: a unit's series breaks there — districts before, communes after).
    Short labels (``…_short``) on alternating rows, ``y_top`` and ``y_top · (1 − EVENT_ROW)``,
    so neighbours never overlap on a phone-wide chart; the full text is the rule's tooltip and
    the chart's caption."""
    values = [{"x": x, "label": t(lang, f"{key}_short"), "full": t(lang, key),
               "y": y_top * (1 - EVENT_ROW * (i % 2))} for i, (x, key) in enumerate(EVENTS)]
    return {"data": {"values": values}, "layer": [
        {"mark": {"type": "rule", "color": "#444", "strokeDash": [2, 2], "strokeWidth": 1.5},
         "encoding": {"x": _q("x"), "tooltip": _n("full", title="")}},
        {"mark": {"type": "text", "align": "left", "dx": 4, "dy": -6, "fontSize": FONT_SIZE - 2,
                  "color": "#222", "baseline": "bottom"},
         "encoding": {"x": _q("x"), "y": _q("y"), "text": _n("label"),
                      "tooltip": _n("full", title="")}},
    ]}


def trend(
    series: pd.DataFrame,
    *,
    title: str,
    unit: str,
    target: float | None,
    target_year: int,
    target_2030: float | None = None,
    lang: str = "vi",
    quality_labels: Mapping[str, str] | None = None,
    width: int | str = "container",
    height: int = 340,
    target_original: float | None = None,
    revised_on: str | None = None,
) -> Spec:
    """Line chart of one indicator × unit from :func:`nq05_metrics.api.series`, as a Vega-Lite
    dict built directly (≈ 1 ms; the same chart through altair took ≈ 0.3 s plus a 0.45 s
    import, which every export and the first trends page paid).

    Layers: observed values (solid, point shape = quality flag), the on-schedule path baseline →
    target (dashed), the projection to the target year and 2030 (dotted), the target (green rule
    with label), the 2030 orientation (diamond) and the milestones of :data:`EVENTS`; when a
    revision changed the target, the original target and a marker at ``revised_on``
    (:mod:`nq05_metrics.target_lines`). ``quality_labels`` maps quality flags to the legend's
    words (default: the flags)."""
    labels = {kind: t(lang, f"charts.series_{kind}") for kind in SERIES_KINDS}
    qlabels = {q: (quality_labels or {}).get(q, q) for q in QUALITY_SHAPES}
    data = series.assign(kind=series["series"].map(labels), year=series["year"].astype(float),
                         quality_label=series["quality"].map(qlabels).fillna(""))
    data = data[["kind", "year", "value", "series", "quality_label"]]
    kinds = [labels[k] for k in SERIES_STYLE]
    fmt = ",.0f" if data["value"].abs().max() >= 100 else ",.1f"
    x_max = 2030 if (data["year"] > target_year).any() or target_2030 else target_year
    x = _q("year", title=None, scale={"domain": [2020, x_max], "nice": False},
           axis={"format": "d", "tickMinStep": 1, "values": list(range(2020, x_max + 1))})
    tooltip = [_n("kind", title=""), _q("year", format="d", title=t(lang, "charts.year")),
               _q("value", format=fmt, title=unit)]
    lines = {"data": {"values": _records(data)}, "mark": {"type": "line", "strokeWidth": 3},
             "encoding": {
                 "x": x, "y": _q("value", title=unit, axis={"format": fmt}),
                 "color": _n("kind", title=None, scale={
                     "domain": kinds, "range": [SERIES_STYLE[k][0] for k in SERIES_STYLE]}),
                 "strokeDash": _n("kind", title=None, scale={
                     "domain": kinds, "range": [SERIES_STYLE[k][1] for k in SERIES_STYLE]}),
                 "detail": _n("kind"), "tooltip": tooltip}}
    points = {"data": {"values": _records(data[data["series"] == "observed"])},
              "mark": {"type": "point", "size": 90, "filled": True,
                       "color": SERIES_STYLE["observed"][0]},
              "encoding": {
                  "x": x, "y": _q("value"),
                  "shape": _n("quality_label",
                              title=t(lang, "charts.data_quality"),
                              scale={"domain": list(qlabels.values()),
                                     "range": list(QUALITY_SHAPES.values())}),
                  "tooltip": [*tooltip, _n("quality_label", title="")]}}
    layers: list[dict[str, object]] = [lines, points]
    y_top = float(pd.concat([data["value"], pd.Series([target or 0, target_2030 or 0])]).max())
    if target is not None and not pd.isna(target):
        label = (f"{labels['target']} {target_year}: {format_number(target, lang)} {unit}"
                 + target_lines.suffix(target, target_original, lang))
        tgt = {"values": [{"y": float(target), "x": 2020.1, "label": label}]}
        layers.append({"data": tgt, "mark": {"type": "rule", "color": OKABE_ITO["green"],
                                             "strokeWidth": 2}, "encoding": {"y": _q("y")}})
        layers.append({"data": tgt, "mark": {"type": "text", "align": "left", "dy": -8,
                                             "fontSize": FONT_SIZE - 1, "color": "#00603f",
                                             "fontWeight": "bold"},
                       "encoding": {"x": _q("x"), "y": _q("y"), "text": _n("label")}})
    if target_2030 is not None and not pd.isna(target_2030) and x_max == 2030:
        t30 = {"values": [{"x": 2030.0, "y": float(target_2030),
                           "label": f"2030: {format_number(target_2030, lang)}"}]}
        layers.append({"data": t30, "mark": {"type": "point", "shape": "diamond", "size": 160,
                                             "filled": True, "color": OKABE_ITO["green"]},
                       "encoding": {"x": _q("x"), "y": _q("y")}})
        layers.append({"data": t30, "mark": {"type": "text", "align": "right", "dx": -10,
                                             "fontSize": FONT_SIZE - 2, "color": "#00603f"},
                       "encoding": {"x": _q("x"), "y": _q("y"), "text": _n("label")}})
    layers += target_lines.layers(target, target_original, revised_on, lang)
    layers.append(_events_layer(lang, y_top * 1.08))
    return Spec({"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "layer": layers,
                 "title": title, "height": height, "width": width, "config": _config(lang)})


# --------------------------------------------------------------------------- district bars
def district_bars(
    rows: pd.DataFrame,
    *,
    title: str,
    field: str = "achievement_pct",
    unit: str = "%",
    lang: str = "vi",
    selected: str | None = None,
    label_field: str | None = None,
    width: int | str = "container",
) -> Spec:
    """Horizontal bars of ``field`` per unit (or per row of ``label_field``, e.g. ``name_vi``
    to compare the indicators of one unit), sorted descending, coloured by status band with
    the band symbol and the value written at the end of each bar; reference rules at 50 % and
    100 % when ``field`` is achievement. ``rows`` are :func:`nq05_metrics.api.status` rows of
    one indicator; ``selected`` (a unit code) is outlined in black. A Vega-Lite dict."""
    sfx = language(lang)
    frame = pd.DataFrame({
        "name": rows[label_field or f"unit_name_{sfx}"], "band": rows[f"status_label_{sfx}"],
        "shown": rows[field].fillna(0.0), field: rows[field],
        "status_color": rows["status_color"],
        "label": [f"{s} {format_number(v, lang, 0)}{'%' if field == 'achievement_pct' else ''}"
                  if pd.notna(v) else f"{s} –" for s, v in zip(rows["status_symbol"], rows[field],
                                                             strict=True)],
        "is_selected": rows["unit_code"] == (selected or ""),
    })
    order = frame.sort_values("shown", ascending=False)["name"].tolist()
    y = _n("name", sort=order, title=None, axis={"labelLimit": 220})
    x_title = t(lang, "charts.achievement_axis") if field == "achievement_pct" else unit
    values = {"values": _records(frame)}
    bars = {"data": values, "mark": {"type": "bar", "height": {"band": 0.7}}, "encoding": {
        "x": _q("shown", title=x_title, axis={"format": ",.0f", "tickCount": 6}), "y": y,
        "color": _n("status_color", scale=None),
        "stroke": {"condition": {"test": "datum.is_selected", "value": "#000"}, "value": None},
        "strokeWidth": {"value": 3},
        "tooltip": [_n("name", title=""), _n("band", title=""),
                    _q(field, format=",.1f", title=unit)]}}
    text = {"data": values, "mark": {"type": "text", "align": "left", "dx": 5,
                                     "fontSize": FONT_SIZE - 1, "color": "#111"},
            "encoding": {"x": _q("shown"), "y": y, "text": _n("label")}}
    layers: list[dict[str, object]] = [bars, text]
    if field == "achievement_pct":
        layers.insert(0, {"data": {"values": [{"x": 50.0}, {"x": 100.0}]},
                          "mark": {"type": "rule", "color": "#333", "strokeDash": [4, 3]},
                          "encoding": {"x": _q("x")}})
    return Spec({"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "layer": layers,
                 "title": title, "width": width, "height": max(120, 34 * len(frame)),
                 "config": _config(lang)})


# --------------------------------------------------------------------------- legend
def legend_swatches(items: tuple[tuple[str, str], ...], title: str) -> Spec:
    """A stand-alone colour legend: one square swatch and its label per ``(color, label)``
    (used next to the map, whose colours deck.gl cannot explain itself). A Vega-Lite dict."""
    values = {"values": [{"color": c, "label": lbl, "i": i} for i, (c, lbl) in enumerate(items)]}
    y = {"field": "i", "type": "ordinal", "axis": None}
    return Spec({
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": values,
        "layer": [
            {"mark": {"type": "square", "size": 260},
             "encoding": {"y": y, "x": {"value": 10}, "color": _n("color", scale=None)}},
            {"mark": {"type": "text", "align": "left", "fontSize": FONT_SIZE - 1,
                      "color": "#111", "limit": 200},
             "encoding": {"y": y, "x": {"value": 26}, "text": _n("label")}},
        ],
        "title": title, "width": 210, "height": 26 * len(items),
        "config": {"font": FONT, "view": {"stroke": None},
                   "title": {"fontSize": FONT_SIZE - 1, "anchor": "start", "color": "#111"}}})
