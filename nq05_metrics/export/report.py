"""The slides of a review report, in order (:func:`slides`): title · summary · overview gauges ·
assessment · since the last review · results by commodity · commodity slides · other
commodities · heatmap · lagging indicators · tasks · method · sources · closing · appendix.

A filtered deck (one commodity and/or one unit) leaves out what would be nearly empty there
(overview gauges, results by commodity, heatmap and unit breakdown of a single unit).
"""

from __future__ import annotations

import pandas as pd

from nq05_metrics import narrative, review
from nq05_metrics.export import layout, pictures, tables
from nq05_metrics.export.slides import View, own_slide_commodities
from nq05_metrics.export.spec import Slide
from nq05_metrics.export.wording import indicator_line, is_illustrative, notes_text, num, sfx, tr, unit_word
from nq05_metrics.units import PROVINCE_CODE

#: Names listed per sentence on the assessment slide (the notes have the whole paragraph).
ASSESSMENT_NAMES = 5
#: A view of at most this many indicators is "small": its review paragraph goes on the summary
#: slide and its appendix is the commodity slide itself (no nearly empty slides).
SMALL = 3


def slides(view: View, url: str) -> list[Slide]:
    """Every slide of the deck for ``view`` (``url``: the view's link for the QR code)."""
    keys = commodities(view)
    filtered = view.commodity is not None
    own = keys if filtered else [k for k in keys if k in own_slide_commodities(view.ds)]
    small = len(view.rows) <= SMALL
    out = [title_slide(view, url), summary_slide(view, small)]
    if not filtered:
        out += overview_slides(view)
    if not small:
        out.append(assessment_slide(view))
    out += tables.since_slides(view)
    if len(keys) > 1:
        out += tables.by_commodity_slides(view, keys)
    out += [commodity_slide(view, k) for k in own]
    rest = [k for k in keys if k not in own]
    if rest:
        out += gauge_slides(view, view.rows[view.rows["commodity"].isin(rest)], "commodity:rest",
                            tr(view.lang, "rest"))
    if view.unit == PROVINCE_CODE and len(view.districts):
        out += tables.heatmap_slides(view)
    out += tables.lagging_slides(view)
    out += [tasks_slide(view), method_slide(view)]
    out += tables.source_slides(view)
    out.append(closing_slide(view, url))
    if not small:
        out += tables.appendix_slides(view)
    if view.unit == PROVINCE_CODE and len(view.districts):
        out += tables.unit_appendix_slides(view)
    return out


def commodities(view: View) -> list[str]:
    """Commodities in display order that have an actual or a target for the unit."""
    order = view.ds.commodities.sort_values("display_order")["commodity"].tolist()
    rows = view.rows
    present = set(rows.loc[rows["actual"].notna() | rows["target"].notna(), "commodity"])
    return [c for c in order if c in present]


# --------------------------------------------------------------------------- opening
def default_conference(view: View) -> str:
    """"Hội nghị tổng kết …" at or after the target year of the period, "sơ kết" before it."""
    years = view.rows["target_year"]
    target_year = int(years.max()) if len(years) else view.as_of
    key = "conference_final" if view.as_of >= target_year else "conference_mid"
    return tr(view.lang, key, year=view.as_of)


def title_slide(view: View, url: str) -> Slide:
    """Conference, title, agency · place · date, as-of and filters, the QR code of the view."""
    lang, m = view.lang, view.meeting
    conference = m.conference or default_conference(view)
    agency = m.agency or tr(lang, "default_agency")
    when = m.date.strftime("%d/%m/%Y") if m.date else ""
    meta = (agency, ", ".join(p for p in (m.place, when) if p))
    bullets = [tr(lang, "as_of", year=view.as_of),
               tr(lang, "filters", unit=view.unit_name,
                  commodity=view.commodity_name(view.commodity))]
    if is_illustrative(view.rows):
        bullets.append(tr(lang, "deck_illustrative"))
    pics = tuple(p for p in [pictures.qr_picture(url, layout.slots("title")["qr"])] if p)
    return Slide("title", "title", tr(lang, "deck_title"), tr(lang, "deck_subtitle"),
                 bullets=tuple(bullets), paragraphs=(conference, *[x for x in meta if x]),
                 pictures=pics, footer=view.footer(view.rows),
                 notes="\n".join([conference, tr(lang, "deck_title"), *meta, *bullets, url]))


def summary_slide(view: View, small: bool = False) -> Slide:
    """Four headline figures as tiles, then the outlook for 2030 and the data caveat (a small
    view: the review paragraph itself); "none needs attention" when no indicator lags."""
    lang, rows = view.lang, view.rows
    c = narrative.counts(rows)
    has = rows[rows["status"] != "no_data"]
    final = review.is_final(has)
    tiles = [(f"{c.over_half}/{c.assessed}", tr(lang, "tile_over_half")),
             (str(c.achieved), tr(lang, "tile_achieved")),
             (str(c.low), tr(lang, "tile_low"))]
    if final.any():
        unmet = int((final & (has["status"] != "achieved")).sum())
        tiles.append((str(unmet), tr(lang, "tile_not_met", year=int(has["target_year"].max()))))
    else:
        tiles.append((str(c.behind), tr(lang, "tile_behind")))
    bullets = view.summary_parts() if small else []
    if review.lagging(rows).empty:
        bullets.append(tr(lang, "behind_none"))
    with_2030 = has[has["target_2030"].notna() & has["forecast_met_2030"].notna()]
    if len(with_2030):
        bullets.append(tr(lang, "outlook_line", k=int(with_2030["forecast_met_2030"].sum()),
                          n=len(with_2030)))
    if c.no_data and not small:
        bullets.append(tr(lang, "counts_no_data", n=c.no_data))
    if c.illustrative and not small:  # a small view's paragraph says it already
        bullets.append(tr(lang, "illustrative_line", n=c.illustrative, y=c.assessed))
    return Slide("summary", "summary", tr(lang, "summary"), view.where, bullets=tuple(bullets),
                 tiles=tuple(tiles), footer=view.footer(rows), illustrative=is_illustrative(rows),
                 notes=notes_text(" ".join(view.summary_parts(rows)), rows, lang))


def gauge_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Headline indicators and every low one (all rows when none is headline)."""
    head = rows[rows["headline"].astype(bool) | (rows["status"] == "low")]
    return head if len(head) else rows


def gauge_slides(view: View, rows: pd.DataFrame, key: str, title: str) -> list[Slide]:
    """Gauges of ``rows``, ≤ 8 per slide, the slides balanced."""
    box = layout.slots("overview")["gauges"]
    chunks = pictures.gauge_chunks(len(rows))
    out = []
    for n, (a, b) in enumerate(chunks):
        part = rows.iloc[a:b]
        suffix = f" ({n + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        out.append(Slide(key if n == 0 else f"{key}:{n + 1}", "overview" if key == "overview"
                         else "rest", title + suffix, view.where,
                         pictures=(pictures.gauges(view, part, box),),
                         footer=view.footer(part), illustrative=is_illustrative(part),
                         notes=notes_text("", part, view.lang)))
    return out


def overview_slides(view: View) -> list[Slide]:
    """Headline and low indicators as gauges."""
    return gauge_slides(view, gauge_rows(view.rows), "overview", tr(view.lang, "overview"))


def assessment_slide(view: View) -> Slide:
    """The review paragraph (:func:`nq05_metrics.api.summary`) in its short parts."""
    parts = view.summary_parts(max_names=ASSESSMENT_NAMES)
    return Slide("assessment", "assessment", tr(view.lang, "assessment"), view.where,
                 paragraphs=tuple(parts), footer=view.footer(view.rows),
                 illustrative=is_illustrative(view.rows), notes=view.base.summary(view.lang))


# --------------------------------------------------------------------------- commodities
def commodity_slide(view: View, key: str) -> Slide:
    """Map + trend of the commodity's main indicator, one bullet per indicator."""
    rows = view.rows[view.rows["commodity"] == key]
    with_data = rows[rows["actual"].notna()]
    main = (with_data if len(with_data) else rows).iloc[0]
    boxes = layout.slots("commodity")
    pics = (pictures.map_picture(view, main, key, boxes["map"]),
            pictures.trend_picture(view, main, boxes["trend"]))
    bullets = [indicator_line(r, view.lang) for _, r in rows.iterrows()]
    if view.unit == PROVINCE_CODE:
        bullets += _district_line(view, main)
    return Slide(f"commodity:{key}", "commodity", view.commodity_name(key), view.where,
                 bullets=tuple(bullets), pictures=pics, footer=view.footer(rows),
                 illustrative=is_illustrative(rows),
                 notes=notes_text(" ".join(view.summary_parts(rows)), rows, view.lang))


def _district_line(view: View, main: pd.Series) -> list[str]:
    """``Theo địa bàn: cao nhất Tân Uyên (68%), thấp nhất Tam Đường (47%)`` for ``main``."""
    from nq05_metrics.export.wording import pct_text

    dist = view.districts[(view.districts["indicator_id"] == main["indicator_id"])
                          & view.districts["achievement_pct"].notna()]
    if len(dist) < 2:
        return []
    ranked = dist.sort_values("achievement_pct", ascending=False)
    col = f"unit_name_{sfx(view.lang)}"

    def one(r: pd.Series) -> str:
        return f"{r[col]} ({pct_text(r['achievement_pct'], view.lang)})"

    return [tr(view.lang, "by_district", best=one(ranked.iloc[0]), worst=one(ranked.iloc[-1]))]


# --------------------------------------------------------------------------- closing part
def task_lines(view: View, limit: int = 6) -> list[str]:
    """Pre-filled tasks: one per lagging indicator (gap, yearly pace needed to 2030 against the
    pace now), then the standing tasks of the mid-term conclusion."""
    lang = view.lang
    rows = review.gap_and_pace(review.lagging(view.rows)).head(limit)
    out = []
    for _, r in rows.iterrows():
        unit = unit_word(r, lang)
        key = "task_line" if r["gap"] > 0 else "task_line_met"
        out.append(tr(lang, key, name=r[f"name_{sfx(lang)}"], gap=num(r["gap"], lang),
                      unit=unit, pace=num(r["pace_needed"], lang),
                      now=num(r["pace_now"], lang)))
    out.append(tr(lang, "task_general"))
    return out


def tasks_slide(view: View) -> Slide:
    """Tasks and recommendations: the meeting's own text, else pre-filled (editable in PPTX)."""
    lines = list(view.meeting.tasks) or task_lines(view)
    return Slide("tasks", "tasks", tr(view.lang, "tasks"), view.where, bullets=tuple(lines),
                 footer=view.footer(view.rows), editable=True,
                 notes=tr(view.lang, "tasks_notes") + "\n" + "\n".join(lines))


def method_slide(view: View) -> Slide:
    """Method in brief: formulas, bands, schedule, verdict, pace, projection, quality, map."""
    lang, ds, rows = view.lang, view.ds, view.rows
    bands = ds.bands.sort_values("order")
    band_text = "; ".join(f"{b['symbol']} {b[f'label_{sfx(lang)}']} — "
                          f"{b[f'definition_{sfx(lang)}']}"
                          for _, b in bands.iterrows() if pd.notna(b["min_pct"]))
    quals = ds.qualities.set_index("quality")[f"label_{sfx(lang)}"]
    counts = rows.loc[rows["quality"].notna(), "quality"].value_counts()
    count_text = ", ".join(f"{quals.get(q, q)}: {n}" for q, n in counts.items())
    bullets = [tr(lang, "m_achievement"), tr(lang, "m_bands", bands=band_text),
               tr(lang, "m_schedule"), tr(lang, "m_final"), tr(lang, "m_pace"),
               tr(lang, "m_since", year=view.meeting.compare_from or review.MID_TERM_YEAR),
               tr(lang, "m_quality", counts=count_text or "–"),
               tr(lang, "m_geo") + (f" {tr(lang, 'map_approx')}." if view.geo.approximate else ""),
               tr(lang, "m_fingerprint", code=ds.fingerprint[:12])]
    return Slide("method", "method", tr(lang, "method"), view.where, bullets=tuple(bullets),
                 footer=view.footer(rows), notes="\n".join(bullets))


def closing_slide(view: View, url: str) -> Slide:
    """Thanks, the link of the view and its QR code."""
    lang = view.lang
    bullets = [tr(lang, "closing_open")] + ([url] if url else [tr(lang, "closing_no_link")])
    pics = tuple(p for p in [pictures.qr_picture(url, layout.slots("closing")["qr"])] if p)
    return Slide("closing", "closing", tr(lang, "closing"), view.where, bullets=tuple(bullets),
                 pictures=pics, footer=view.footer(view.rows), notes="\n".join(bullets))
