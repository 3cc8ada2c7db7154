"""The table slides of the review report, each split by the measured height of its rows
(:func:`.measure.split_rows`): since the last review, results by commodity, the unit × indicator
heatmap of bands, lagging indicators (gap, pace needed to 2030), sources, and the appendix (every
indicator; the unit breakdown). :func:`appendix_table` is also the Word appendix's table.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from nq05_metrics import review
from nq05_metrics.charts import as_float, format_number
from nq05_metrics.export import layout, measure, sources
from nq05_metrics.export.slides import View
from nq05_metrics.export.spec import Slide, Table
from nq05_metrics.export.wording import (
    is_illustrative,
    notes_text,
    num,
    pct_text,
    sfx,
    status_text,
    target_text,
    tr,
    unit_word,
    value_text,
    verdict_text,
)
from nq05_metrics.loader import Dataset

TABLE_BOX = layout.slots("table")["table"]
W_SINCE = (3.9, 2.75, 2.75, 1.78, 1.15)
W_COMMODITY = (2.73, 1.4, 2.05, 2.05, 2.05, 2.05)
W_LAG = (3.2, 2.9, 1.6, 2.35, 2.28)
W_SOURCES = (3.6, 1.9, 6.83)
W_APPENDIX = (0.6, 2.95, 1.05, 1.1, 1.1, 1.05, 1.88, 2.6)
HEAT_PT = 14


def table_slides(view: View, key: str, title: str, table: Table, covered: Sequence[pd.DataFrame],
                 notes: str = "", subtitle: str = "") -> list[Slide]:
    """``table`` on as many slides as its measured rows need; ``covered[i]``: the status rows
    behind body row ``i`` (for each slide's footer, notes and illustrative mark)."""
    header_h = measure.row_height(table.header, table.widths, table.pt, bold=True)
    cuts = measure.split_rows(table.rows, table.widths, table.pt, header_h, TABLE_BOX.h)
    out = []
    for n, (a, b) in enumerate(cuts):
        part = Table(table.header, table.rows[a:b], table.widths, table.pt, table.fills[a:b])
        rows = pd.concat(list(covered[a:b])) if b > a else view.rows.iloc[0:0]
        suffix = tr(view.lang, "continued") if n else ""
        out.append(Slide(key if n == 0 else f"{key}:{n + 1}", "table", title + suffix,
                         subtitle or view.where, table=part, footer=view.footer(rows),
                         illustrative=is_illustrative(rows),
                         notes=notes or notes_text("", rows.drop_duplicates("indicator_id"),
                                                   view.lang)))
    return out


def _one(view: View, row: pd.Series) -> pd.DataFrame:
    rows = view.rows
    return rows.iloc[[int(i) for i in (rows.index[rows["indicator_id"] == row["indicator_id"]])]]


def _signed(value: object, lang: str, decimals: int | None = None) -> str:
    number = as_float(value)
    if number is None:
        return "–"
    text = format_number(number, lang, decimals)
    return text if text.startswith("-") or number == 0 else "+" + text


# --------------------------------------------------------------------------- since
def since_table(ds: Dataset, before: pd.DataFrame, after: pd.DataFrame, lang: str
                ) -> tuple[Table, pd.DataFrame, dict[str, int]]:
    """The indicators of ONE unit whose band moved between two status tables (up first, then
    down, then newly assessed): indicator, band and % in each year, change in value (absolute
    and relative) and in percentage points; also the comparison (:func:`review.since`) and the
    counts ``up``, ``down``, ``same``, ``year_from``. The slide and the overview page use it."""
    moved = review.since(before, after, ds.bands)
    year_a = int(moved["year_from"].dropna().iloc[0]) if moved["year_from"].notna().any() else 0
    order = {"up": 0, "down": 1, "new": 2}
    movers = moved[moved["move"].isin(list(order))].sort_values(
        "move", key=lambda s: s.map(order), kind="stable")
    bands = ds.bands.set_index("band_id")
    label = f"label_{sfx(lang)}"

    def band(status: object, pct: object) -> str:
        if not isinstance(status, str):
            return "–"
        b = bands.loc[status]
        return f"{b['symbol']} {b[label]} · {pct_text(pct, lang)}"

    body = []
    for _, r in movers.iterrows():
        unit = unit_word(r, lang)
        change = f"{_signed(r['change'], lang)} {unit}" + (
            f" ({_signed(r['change_rel'], lang, 1)}%)" if pd.notna(r["change_rel"]) else "")
        body.append((f"{tr(lang, 'move_' + str(r['move']))} {r[f'name_{sfx(lang)}']}",
                     band(r["status_from"], r["pct_from"]), band(r["status_to"], r["pct_to"]),
                     change, _signed(r["pp"], lang, 1)))
    year_b = int(after["as_of"].iloc[0]) if len(after) else 0
    header = (tr(lang, "col_indicator"), str(year_a), str(year_b), tr(lang, "col_change"),
              tr(lang, "col_pp"))
    counts = {m: int((moved["move"] == m).sum()) for m in ("up", "down", "same")}
    return Table(header, tuple(body), W_SINCE), movers, {**counts, "year_from": year_a}


def since_slides(view: View) -> list[Slide]:
    """Indicators whose band moved since the last review, with the change in value and in
    percentage points (:func:`since_table`)."""
    lang = view.lang
    if view.before.empty:
        return []
    table, movers, n = since_table(view.ds, view.before, view.rows, lang)
    title = tr(lang, "since", year=n["year_from"])
    subtitle = tr(lang, "since_sub", a=n["year_from"], b=view.as_of, up=n["up"], down=n["down"],
                  same=n["same"])
    if movers.empty:
        return [Slide("since", "table", title, subtitle, bullets=(tr(lang, "since_none"),),
                      footer=view.footer(view.rows), notes=tr(lang, "since_none"))]
    covered = [_one(view, r) for _, r in movers.iterrows()]
    return table_slides(view, "since", title, table, covered, subtitle=subtitle)


# --------------------------------------------------------------------------- by commodity
def by_commodity_slides(view: View, keys: Sequence[str]) -> list[Slide]:
    """One row per commodity: indicators, and how many are in each band."""
    lang = view.lang
    bands = view.ds.bands.sort_values("order")
    header = (tr(lang, "col_commodity"), tr(lang, "col_count"),
              *[f"{b['symbol']} {b[f'label_{sfx(lang)}']}" for _, b in bands.iterrows()])
    body, covered = [], []
    for key in keys:
        rows = view.rows[view.rows["commodity"] == key]
        counts = rows["status"].value_counts()
        body.append((view.commodity_name(key), str(len(rows)),
                     *[str(int(counts.get(b, 0))) for b in bands["band_id"]]))
        covered.append(rows)
    return table_slides(view, "by_commodity", tr(lang, "by_commodity"),
                        Table(header, tuple(body), W_COMMODITY[: len(header)], 14), covered)


# --------------------------------------------------------------------------- heatmap
def _tint(hex_color: str, share: float = 0.45) -> str:
    """``hex_color`` mixed with white (``share`` of the colour kept): a fill dark text reads on."""
    c = hex_color.lstrip("#")
    rgb = [int(c[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - (255 - v) * share):02X}" for v in rgb)


#: Units (columns) per heatmap table: more (38 communes from 2026) continue on further slides.
UNITS_PER_TABLE = 8


def _unit_groups(view: View) -> list[list[str]]:
    """The units valid at the as-of year in groups of ≤ :data:`UNITS_PER_TABLE`, balanced."""
    codes = list(dict.fromkeys(view.districts["unit_code"]))
    k = max(1, -(-len(codes) // UNITS_PER_TABLE))
    size = -(-len(codes) // k) if codes else 1
    return [codes[i:i + size] for i in range(0, len(codes), size)]


def _unit_grid(view: View, cell: str, codes: list[str]) -> tuple[Table, list[pd.DataFrame]]:
    """Indicators × ``codes`` (units valid at the as-of year); ``cell`` = ``band`` (symbol + %)
    or ``value`` (the actual)."""
    lang = view.lang
    dist = view.districts[view.districts["unit_code"].isin(codes)]
    names = {c: str(dist.loc[dist["unit_code"] == c, f"unit_name_{sfx(lang)}"].iloc[0])
             .replace(tr(lang, "city_long"), tr(lang, "city_short")).strip() for c in codes}
    first = 12.33 - 1.11 * len(codes)
    widths = (first, *([1.11] * len(codes)))
    header = (tr(lang, "col_indicator"), *[names[c] for c in codes])
    body, fills, covered = [], [], []
    by_indicator = {k: g.set_index("unit_code") for k, g in dist.groupby("indicator_id")}
    for _, r in view.rows.iterrows():
        cells = by_indicator.get(r["indicator_id"], dist.iloc[0:0].set_index("unit_code"))
        texts, colors = [], []
        for c in codes:
            if c not in cells.index:
                texts.append("")
                colors.append("")
                continue
            x = cells.loc[c]
            if cell == "band":
                texts.append(f"{x['status_symbol']} {pct_text(x['achievement_pct'], lang)}"
                             if x["status"] != "no_data" else f"{x['status_symbol']}")
                colors.append(_tint(str(x["status_color"])))
            else:
                texts.append(num(x["actual"], lang))
                colors.append("")
        unit = unit_word(r, lang)
        body.append((f"{r[f'name_{sfx(lang)}']} ({unit})" if cell == "value" else
                     str(r[f"name_{sfx(lang)}"]), *texts))
        fills.append(("", *colors))
        covered.append(cells.reset_index())
    return Table(header, tuple(body), widths, HEAT_PT, tuple(fills)), covered


def heatmap_slides(view: View) -> list[Slide]:
    """The unit × indicator heatmap of bands (symbol and % in each cell, the band's tint)."""
    out: list[Slide] = []
    for n, codes in enumerate(_unit_groups(view)):
        table, covered = _unit_grid(view, "band", codes)
        out += table_slides(view, "heatmap" if n == 0 else f"heatmap:u{n + 1}",
                            tr(view.lang, "heatmap") + (tr(view.lang, "continued") if n else ""),
                            table, covered)
    return out


def unit_appendix_slides(view: View) -> list[Slide]:
    """Appendix: the actual value of every indicator in every unit."""
    out: list[Slide] = []
    for n, codes in enumerate(_unit_groups(view)):
        table, covered = _unit_grid(view, "value", codes)
        out += table_slides(view, "appendix_units" if n == 0 else f"appendix_units:u{n + 1}",
                            tr(view.lang, "appendix_units") + (tr(view.lang, "continued") if n
                                                               else ""), table, covered)
    return out


# --------------------------------------------------------------------------- lagging
def lagging_slides(view: View) -> list[Slide]:
    """Lagging indicators with the gap to target and the yearly pace needed to 2030."""
    lang = view.lang
    rows = review.gap_and_pace(review.lagging(view.rows))
    title = tr(lang, "behind", n=len(rows))
    if rows.empty:  # the summary slide says so
        return []
    header = (tr(lang, "col_indicator"), tr(lang, "col_value"), tr(lang, "col_gap"),
              tr(lang, "col_pace"), tr(lang, "col_status"))
    body, covered = [], []
    for _, r in rows.iterrows():
        unit = unit_word(r, lang)
        pace = (tr(lang, "pace_cell", pace=num(r["pace_needed"], lang), unit=unit,
                   now=num(r["pace_now"], lang)) if pd.notna(r["pace_needed"]) else "–")
        body.append((str(r[f"name_{sfx(lang)}"]),
                     f"{value_text(r, lang)} ({pct_text(r['achievement_pct'], lang)})",
                     f"{num(r['gap'], lang)} {unit}" if pd.notna(r["gap"]) else "–", pace,
                     verdict_text(r, lang)))
        covered.append(_one(view, r))
    return table_slides(view, "behind", title, Table(header, tuple(body), W_LAG), covered,
                        notes=tr(lang, "behind_count", n=len(rows)) + "\n\n" + notes_text(
                            "", rows, lang))


# --------------------------------------------------------------------------- sources
def source_slides(view: View) -> list[Slide]:
    """Every source of the view: publisher and date, quality, the full link."""
    lang = view.lang
    quals = view.ds.qualities.set_index("quality")[f"label_{sfx(lang)}"]
    body, covered, seen = [], [], set()
    for _, r in view.rows.iterrows():
        one = _one(view, r)
        pairs = [(r["source"], r["quality"], False), (r["target_source"], r["target_quality"], True)]
        for text, quality, target in pairs:
            if pd.isna(quality):
                continue
            src = sources.cite("" if pd.isna(text) else str(text), quality, lang, target=target)
            if (src.url or src.label) in seen or not src.label:
                continue
            seen.add(src.url or src.label)
            body.append((src.label, str(quals.get(quality, quality)), src.url or "–"))
            covered.append(one)
    header = (tr(lang, "col_source"), tr(lang, "col_quality"), tr(lang, "col_link"))
    return table_slides(view, "sources", tr(lang, "sources"), Table(header, tuple(body),
                                                                    W_SOURCES), covered,
                        notes="\n".join(f"{a}: {c}" for a, _, c in body))


# --------------------------------------------------------------------------- appendix
def appendix_table(view: View) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Header and rows of the appendix (STT, indicator, unit, target, actual, %, assessment,
    source / quality) — the same in the deck and in the Word appendix."""
    lang = view.lang
    quals = view.ds.qualities.set_index("quality")[f"label_{sfx(lang)}"]
    header = tuple(tr(lang, f"ap_{c}") for c in ("no", "indicator", "unit", "target", "actual",
                                                 "pct", "status", "source"))
    out: list[tuple[str, ...]] = []
    for i, (_, r) in enumerate(view.rows.iterrows(), start=1):
        cited = sources.cite("" if pd.isna(r["source"]) else str(r["source"]),
                             None if pd.isna(r["quality"]) else r["quality"], lang)
        quality = quals.get(r["quality"], "–") if pd.notna(r["quality"]) else "–"
        verdict = verdict_text(r, lang, outlook=False) if r["status"] != "achieved" else ""
        out.append((str(i), str(r[f"name_{sfx(lang)}"]), unit_word(r, lang),
                    target_text(r, lang), num(r["actual"], lang),
                    pct_text(r["achievement_pct"], lang),
                    status_text(r, lang) + (f"; {verdict}" if verdict else ""),
                    str(quality) if r["quality"] == "illustrative" or not cited.label
                    else f"{cited.label} · {quality}"))
    return header, out


def appendix_slides(view: View) -> list[Slide]:
    """Appendix: every indicator of the view (target, actual, %, band, source, quality)."""
    header, body = appendix_table(view)
    covered = [view.rows.iloc[[i]] for i in range(len(view.rows))]
    return table_slides(view, "appendix", tr(view.lang, "appendix"),
                        Table(header, tuple(body), W_APPENDIX, 14), covered)
