"""Display tables (column choice, localised headers and words) and safe CSV bytes.

No Streamlit and no arithmetic here: the numbers come from :mod:`nq05_metrics.api` unchanged;
this module only picks columns, words booleans and builds ``st.column_config`` descriptions.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pandas as pd

from dashboard import plan_tables
from dashboard.i18n import t
from nq05_metrics import measures
from nq05_metrics.charts import GAUGE_MAX_PCT, format_number
from nq05_metrics.display import LOCALES
from nq05_metrics.i18n import language

#: status-table column → (catalogue key of the header, kind) for the indicator table
STATUS_VIEW = {
    "name": ("col.indicator", "text"),
    "unit_name": ("col.unit", "text"),
    "actual": ("col.actual", "number"),
    "target": ("col.target", "number"),
    "target_original": ("col.target_original", "number"),
    "unit": ("col.unit_of_measure", "text"),
    "achievement_pct": ("col.achievement", "percent"),
    "band": ("col.status", "text"),
    "schedule": ("col.schedule", "text"),
    "projected_value": ("col.projected", "number"),
    "forecast": ("col.forecast", "text"),
    "quality_label": ("col.quality", "text"),
    "target_quality_label": ("col.target_quality", "text"),
    "source": ("col.source", "text"),
}


def _word(value: object, yes: str, no: str, unknown: str) -> str:
    if value is True:
        return yes
    if value is False:
        return no
    return unknown if pd.isna(value) else (yes if bool(value) else no)


def status_view(status: pd.DataFrame, lang: str, qualities: pd.DataFrame,
                with_unit: bool = False) -> pd.DataFrame:
    """The indicator table of a status frame: name, actual, target (of the plan in force) and
    the original target where a revision changed it, achievement %, band (symbol + label),
    schedule and forecast in words, projection, quality and source."""
    qlabel = qualities.set_index("quality")[f"label_{lang}"]
    view = pd.DataFrame({
        "name": status[f"name_{lang}"],
        "unit_name": status[f"unit_name_{lang}"],
        "actual": status["actual"],
        "target": status["target"],
        "target_original": plan_tables.original_if_revised(status),
        "unit": status[f"unit_label_{lang}"],
        "achievement_pct": status["achievement_pct"],
        "band": status["status_symbol"] + " " + status[f"status_label_{lang}"],
        "schedule": [_word(v, t(lang, "words.on_schedule"), t(lang, "words.behind"), "–")
                     for v in status["on_schedule"]],
        "projected_value": status["projected_value"],
        "forecast": [_word(v, t(lang, "words.forecast_met"), t(lang, "words.forecast_missed"),
                           "–") for v in status["forecast_met"]],
        "quality_label": status["quality"].map(qlabel).fillna("–"),
        "target_quality_label": status["target_quality"].map(qlabel).fillna("–"),
        "source": status["source"].fillna(""),
    })
    return view if with_unit else view.drop(columns="unit_name")


_NUMERIC = {"actual", "target", "target_original", "projected_value"}
_CLASS = {"actual": "n", "target": "n", "target_original": "n", "projected_value": "n",
          "unit": "w", "schedule": "w", "forecast": "w", "name": "nm", "quality_label": "q",
          "target_quality_label": "q", "band": "w"}
#: One style sheet for the table (classes instead of a style on every cell: ≈ 3× less HTML).
_STYLE = (
    "<style>.nq-t{overflow-x:auto}.nq-t table{border-collapse:collapse;width:100%;"
    "font-size:.875rem}.nq-t th,.nq-t td{padding:6px 8px;border-bottom:1px solid "
    "rgba(128,128,128,.25);vertical-align:top;text-align:left}.nq-t th{font-weight:600}"
    ".nq-t .n{text-align:right;white-space:nowrap}.nq-t .w{white-space:nowrap}"
    ".nq-t .nm{min-width:190px;font-weight:600}.nq-t .q{min-width:80px}"
    ".nq-t .src{min-width:240px}.nq-t .pct{text-align:right;white-space:nowrap;min-width:90px}"
    ".nq-t .bar{height:6px;border-radius:3px;background:rgba(128,128,128,.2)}"
    ".nq-t .bar div{height:6px;border-radius:3px}.nq-t .dot{display:inline-block;width:10px;"
    "height:10px;border-radius:50%;margin-right:6px}"
    ".nq-cards .nq-c{border:1px solid rgba(128,128,128,.35);border-radius:8px;padding:8px 10px;"
    "margin-bottom:8px}.nq-c summary{cursor:pointer;display:block}.nq-c summary::-webkit-details-"
    "marker{display:none}.nq-c .nm{display:block;font-weight:600;font-size:.95rem}.nq-c .ln{"
    "display:flex;justify-content:space-between;gap:8px;font-size:.875rem;margin-top:2px}"
    ".nq-c .pc{font-weight:700;white-space:nowrap}.nq-c .q{color:#4a5561;text-align:right}"
    ".nq-c .bar{display:block;height:6px;border-radius:3px;background:rgba(128,128,128,.2);"
    "margin:4px 0}.nq-c .bar span{display:block;height:6px;border-radius:3px}.nq-c .dot{"
    "display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}"
    ".nq-c{position:relative}.nq-c summary{padding-right:18px}.nq-c summary::after{content:'▾';"
    "position:absolute;right:10px;top:8px}.nq-c[open] summary::after{content:'▴'}"
    ".nq-c dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:8px 0 0;"
    "font-size:.85rem}.nq-c dt{font-weight:600}.nq-c dd{margin:0;overflow-wrap:anywhere}</style>")


def _cell(text: object, css: str = "") -> str:
    attr = f' class="{css}"' if css else ""
    return f"<td{attr}>{html.escape(str(text))}</td>"


def _source_html(source: object) -> str | None:
    """A web address as a link showing the site name (full address on hover); None for any
    other text. Only ``http(s)://`` becomes a link."""
    text = "" if source is None or pd.isna(source) else str(source)  # type: ignore[arg-type]
    parsed = urlsplit(text.strip()) if text.strip().startswith(("http://", "https://")) else None
    if parsed is None or not parsed.netloc or " " in text.strip():
        return None
    url = html.escape(text.strip(), quote=True)
    site = html.escape(parsed.netloc.removeprefix("www."))
    return f'<a href="{url}" title="{url}" target="_blank" rel="noopener noreferrer">{site}</a>'


def _source_cell(source: object) -> str:
    """A source cell: a link (:func:`_source_html`) or the text as text."""
    link = _source_html(source)
    return _cell("" if source is None or pd.isna(source) else source, "src") if link is None \
        else f"<td>{link}</td>"  # type: ignore[arg-type]


def _pct_cell(pct: object, color: str, lang: str) -> str:
    """Achievement % as a number over a bar (bar length = min(pct, 150) / 150 of the cell);
    ``color`` is already escaped."""
    if pct is None or pd.isna(pct):  # type: ignore[arg-type]
        return _cell("–", "n")
    width = min(max(float(pct), 0.0), GAUGE_MAX_PCT) / GAUGE_MAX_PCT * 100  # type: ignore[arg-type]
    number = html.escape(format_number(float(pct), lang, 0)) + "%"  # type: ignore[arg-type]
    return (f'<td class="pct">{number}<div class="bar"><div style="width:{width:.1f}%;'
            f'background:{color}"></div></div></td>')


def status_html(status: pd.DataFrame, lang: str, qualities: pd.DataFrame,
                by_unit: bool = False) -> str:
    """The indicator table of :func:`status_view` as a plain HTML table for ``st.html``
    (``by_unit``: one indicator's rows named by their unit instead — the map's text twin):
    numbers in the language's format (``12.000`` in vi, ``12,000`` in en), achievement % with a
    bar, the band in its colour *and* with its symbol and label, quality and source on every
    row. Light on purpose: the overview shows it without loading the data-grid and Arrow
    bundles (≈ 0.45 s less before the first KPI). Every cell is HTML-escaped."""
    view = status_view(status, lang, qualities, with_unit=by_unit)
    if by_unit:
        view = view.assign(name=view["unit_name"]).drop(columns="unit_name")
    right = ' class="n"'
    head_keys = {c: STATUS_VIEW[c][0] for c in view.columns} | ({"name": "col.unit"} if by_unit else {})
    heads = "".join(f"<th{right if col in _NUMERIC or col == 'achievement_pct' else ''}>"
                    f"{html.escape(t(lang, head_keys[col]))}</th>" for col in view.columns)
    body = []
    for (_, row), raw_color in zip(view.iterrows(), status["status_color"], strict=True):
        color = html.escape(str(raw_color), quote=True)
        cells = []
        for col in view.columns:
            value = row[col]
            if col == "achievement_pct":
                cells.append(_pct_cell(value, color, lang))
            elif col in _NUMERIC:
                cells.append(_cell(format_number(value, lang), "n"))
            elif col == "band":
                cells.append(f'<td class="w"><span class="dot" style="background:{color}">'
                             f"</span>{html.escape(str(value))}</td>")
            elif col == "source":
                cells.append(_source_cell(value))
            else:
                cells.append(_cell("" if value is None or value is pd.NA else value,
                                   _CLASS.get(col, "")))
        body.append("<tr>" + "".join(cells) + "</tr>")
    region = html.escape(t(lang, "layout.units_region" if by_unit else "layout.table_region"),
                         quote=True)
    return (f'{_STYLE}<div class="nq-t" role="region" tabindex="0" aria-label="{region}">'
            f'<table><thead><tr>{heads}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
            + status_cards(view, status["status_color"], lang))


#: the card list's details: the table columns not in a card's first two lines
_CARD_DETAILS = ("target_original", "schedule", "projected_value", "forecast",
                 "target_quality_label", "source")


def status_cards(view: pd.DataFrame, colors: pd.Series, lang: str) -> str:
    """The indicator table as a list of cards for a phone (``style.css`` shows it up to 640 px
    instead of the table): per indicator a ``<details>`` whose summary holds the four things to
    read at a glance — name; actual / target and unit; achievement %; band (colour dot *and*
    symbol and label) with the figure's quality — and, on a tap, the other columns (schedule,
    projection, forecast, target quality, source). Every text HTML-escaped."""
    cards = []
    for (_, row), raw_color in zip(view.iterrows(), colors, strict=True):
        color = html.escape(str(raw_color), quote=True)
        pct = row["achievement_pct"]
        pct_text = "–" if pct is None or pd.isna(pct) else format_number(float(pct), lang, 0) + "%"
        width = 0.0 if pct_text == "–" else min(max(float(pct), 0.0), GAUGE_MAX_PCT) / GAUGE_MAX_PCT * 100
        figures = (f"{format_number(row['actual'], lang)} / {format_number(row['target'], lang)}"
                   f" {row['unit'] if isinstance(row['unit'], str) else ''}").strip()
        details = []
        for col in _CARD_DETAILS:
            value = row[col]
            if col == "target_original" and pd.isna(value):
                continue  # not revised: the target alone
            shown = (format_number(value, lang) if col in _NUMERIC
                     else _source_html(value) or html.escape("" if value is None or value is pd.NA
                                                             else str(value)))
            if col in _NUMERIC:
                shown = html.escape(shown)
            details.append(f"<dt>{html.escape(t(lang, STATUS_VIEW[col][0]))}</dt><dd>{shown}</dd>")
        cards.append(
            f'<details class="nq-c"><summary><span class="nm">{html.escape(str(row["name"]))}'
            f'</span><span class="ln"><span class="fig">{html.escape(figures)}</span>'
            f'<span class="pc">{html.escape(pct_text)}</span></span>'
            f'<span class="bar"><span style="width:{width:.1f}%;background:{color}"></span></span>'
            f'<span class="ln"><span><span class="dot" style="background:{color}"></span>'
            f'{html.escape(str(row["band"]))}</span><span class="q">'
            f'{html.escape(str(row["quality_label"]))}</span></span></summary>'
            f'<dl>{"".join(details)}</dl></details>')
    label = html.escape(t(lang, "layout.cards_region"), quote=True)
    return f'<div class="nq-cards" role="region" aria-label="{label}">{"".join(cards)}</div>'


def readable(frame: pd.DataFrame, lang: str, decimals: int = 1) -> object:
    """``frame`` for ``st.dataframe`` with display text in the language — ``12.000,5`` (vi) /
    ``12,000.5`` (en), ``–`` for a missing figure instead of "None" — while the cells stay
    numbers (sorting still works). A pandas ``Styler``."""
    marks = LOCALES[language(lang)]
    numbers = frame.select_dtypes("number").columns
    return frame.style.format(na_rep="–", precision=decimals, subset=list(numbers),
                              thousands=marks["thousands"], decimal=marks["decimal"]).format(
        na_rep="–", subset=[c for c in frame.columns if c not in numbers])


def with_headers(view: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A :func:`status_view` frame with the localised column headers (for CSV downloads)."""
    return view.rename(columns={c: t(lang, STATUS_VIEW[c][0]) for c in view.columns
                                if c in STATUS_VIEW})


def band_counts(status: pd.DataFrame) -> dict[str, int]:
    """Number of rows of a status table in each band (``band_id`` → count)."""
    return {str(k): int(v) for k, v in status["status"].value_counts().items()}


def headline_rows(status: pd.DataFrame, fallback: int = 4) -> pd.DataFrame:
    """The headline indicators of a status table (registry flag ``headline``); the first
    ``fallback`` rows when none is flagged (e.g. a commodity without a headline indicator)."""
    rows = status[status["headline"]]
    return rows if len(rows) else status.head(fallback)


def column_config(view: pd.DataFrame, lang: str) -> dict[str, object]:
    """``st.column_config`` entries for a :func:`status_view` frame (localised headers; numbers
    without thousands separators so no reader confuses ``12.000`` and ``12,000``)."""
    import streamlit as st  # local: this module stays importable without a Streamlit runtime

    config: dict[str, object] = {}
    for col in view.columns:
        key, kind = STATUS_VIEW.get(col, (col, "text"))
        label = t(lang, key)
        if kind == "number":
            config[col] = st.column_config.NumberColumn(label, format="%.0f")
        elif kind == "percent":
            config[col] = st.column_config.ProgressColumn(
                label, format="%.0f%%", min_value=0, max_value=150)
        else:
            config[col] = st.column_config.TextColumn(label)
    return config


def row_of(status: pd.DataFrame, indicator_id: str) -> dict[str, object] | None:
    """The status row of one indicator as a dict (None when absent)."""
    rows = status[status["indicator_id"] == indicator_id]
    return rows.iloc[0].to_dict() if len(rows) else None


TOP_BOTTOM = 8  # bars shown at each end when there are more units than twice this


def top_bottom(rows: pd.DataFrame, n: int = TOP_BOTTOM) -> pd.DataFrame:
    """The ``n`` units with the highest and the ``n`` with the lowest achievement, for a bar
    chart of many units (units without an achievement are left to the ranking table); fewer
    than ``2n`` such rows stay whole."""
    ranked = rows.dropna(subset=["achievement_pct"]).sort_values("achievement_pct",
                                                                 ascending=False)
    return ranked if len(ranked) <= 2 * n else pd.concat([ranked.head(n), ranked.tail(n)])


def indicator_rows(status: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """All rows (units) of one indicator in a status table."""
    return status[status["indicator_id"] == indicator_id]


def bars_data(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """What the district bar chart shows, for its CSV download: unit, actual, target,
    achievement %, band, quality and source."""
    return pd.DataFrame({
        "unit_code": rows["unit_code"], "unit": rows[f"unit_name_{lang}"],
        "actual": rows["actual"], "target": rows["target"],
        "achievement_pct": rows["achievement_pct"].round(1),
        "status": rows[f"status_label_{lang}"], "quality": rows["quality"],
        "source": rows["source"],
    })


def zones_view(zones: pd.DataFrame, ds_units: object, commodities: pd.DataFrame, lang: str,
               unit_code: str | None = None, commodity: str | None = None,
               qualities: pd.DataFrame | None = None) -> pd.DataFrame:
    """Commodity zones (optionally one unit and/or one commodity) with display names."""
    rows = zones
    if unit_code:
        rows = rows[rows["unit_code"] == unit_code]
    if commodity:
        rows = rows[rows["commodity"] == commodity]
    names = commodities.set_index("commodity")[f"name_{lang}"]
    return pd.DataFrame({
        "zone_id": rows["zone_id"],
        t(lang, "col.commodity"): rows["commodity"].map(names).fillna(rows["commodity"]),
        t(lang, "col.unit"): rows["unit_code"].map(lambda c: ds_units.name(c, lang)),  # type: ignore[attr-defined]
        t(lang, "col.commune"): rows["commune"],
        t(lang, "col.area_ha"): rows["area_ha"],
        t(lang, "col.year"): rows["year"],
        t(lang, "col.enterprise"): rows["linked_enterprise"],
        t(lang, "col.quality"): rows["quality"] if qualities is None else rows["quality"].map(
            qualities.set_index("quality")[f"label_{lang}"]).fillna(rows["quality"]),
        t(lang, "col.source"): rows["source"],
    })


def observation_rows(obs: pd.DataFrame, indicators: pd.DataFrame, unit_code: str | None = None,
                     commodity: str | None = None) -> pd.DataFrame:
    """Observations (with derived province totals) of one unit and/or one commodity."""
    rows = obs
    if unit_code:
        rows = rows[rows["unit_code"] == unit_code]
    if commodity:
        of = indicators.set_index("indicator_id")["commodity"]
        rows = rows[rows["indicator_id"].map(of) == commodity]
    return rows


def observations_view(rows: pd.DataFrame, indicators: pd.DataFrame, lang: str,
                      units_of_measure: pd.DataFrame) -> pd.DataFrame:
    """Observation rows with the indicator name and unit of measure in ``lang`` next to the
    quality flag and source of every figure (label each row only where it is shown: a page
    passes the rows it displays, a download all of them)."""
    reg = indicators.set_index("indicator_id")
    return rows.assign(indicator=rows["indicator_id"].map(reg[f"name_{lang}"]),
                       unit=rows["indicator_id"].map(
                           measures.label_column(reg["unit"], units_of_measure, lang)))[
        ["indicator_id", "indicator", "unit_code", "year", "value", "unit", "quality", "source",
         "note", "derived"]]


def view_word(value: object, lang: str, kind: str) -> str:
    """``on_schedule``/``forecast_met`` in words with a symbol (``kind``: schedule | forecast)."""
    if kind == "schedule":
        return _word(value, "✔ " + t(lang, "words.on_schedule"), "⏱ " + t(lang, "words.behind"),
                     "? " + t(lang, "words.unknown"))
    return _word(value, "✔ " + t(lang, "words.forecast_met"),
                 "⚠ " + t(lang, "words.forecast_missed"), "? " + t(lang, "words.unknown"))


def year_text(value: object) -> str:
    """A year for display (``–`` when missing)."""
    return "–" if value is None or pd.isna(value) else str(int(value))  # type: ignore[arg-type]


def ranking_view(ranking: pd.DataFrame, ds: object, lang: str) -> pd.DataFrame:
    """District ranking with localised headers: rank by level, unit, actual, gain since the
    baseline, rank by gain, achievement %, band."""
    bands = ds.bands.set_index("band_id")  # type: ignore[attr-defined]
    return pd.DataFrame({
        t(lang, "col.rank_level"): ranking["rank_level"],
        t(lang, "col.unit"): ranking["unit_code"].map(lambda c: ds.units.name(c, lang)),  # type: ignore[attr-defined]
        t(lang, "col.actual"): ranking["actual"],
        t(lang, "col.gain"): ranking["gain"],
        t(lang, "col.rank_progress"): ranking["rank_progress"],
        t(lang, "col.achievement"): ranking["achievement_pct"].round(1),
        t(lang, "col.status"): ranking["status"].map(bands["symbol"]) + " "
        + ranking["status"].map(bands[f"label_{lang}"]),
    })


def is_true(value: object) -> bool:
    """True only for a real true value (not NA/None)."""
    return value is not None and not pd.isna(value) and bool(value)  # type: ignore[arg-type]


def description(indicators: pd.DataFrame, indicator_id: str, lang: str) -> str:
    """The registry's description of an indicator in ``lang`` (``""`` when none)."""
    rows = indicators.loc[indicators["indicator_id"] == indicator_id, f"description_{lang}"]
    return str(rows.iloc[0]) if len(rows) and pd.notna(rows.iloc[0]) else ""
