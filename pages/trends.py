"""Xu hướng / Trends: one indicator 2020 → 2025 (→ 2030) against its target and schedule, and
the comparison of the former districts."""

from __future__ import annotations

import streamlit as st

from dashboard import filters, loaders, plan_tables, tables, widgets
from dashboard.i18n import format_number, md_escape, t
from nq05_metrics import charts, targets

flt = filters.current()
lang = flt.lang
ds = widgets.require_dataset(loaders.dataset(), lang)
where = filters.unit_label(ds, flt.unit_code, lang)

st.title(t(lang, "trends.title"))
ind = filters.indicator_picker(ds, flt)
if ind is None:
    st.stop()

view = loaders.view(ds, flt.as_of, flt.unit_code)
status = view.rows
row = tables.row_of(status, ind)
series = view.series(ind)
name = str(row[f"name_{lang}"])

# --- key figures -----------------------------------------------------------------------------
cols = st.columns(4)
unit, places = str(row[f"unit_label_{lang}"]), charts.unit_decimals(row)
cols[0].metric(t(lang, "trends.actual", year=tables.year_text(row["actual_year"])),
               f"{format_number(row['actual'], lang, places)} {unit}")
cols[1].metric(t(lang, "trends.target", year=row["target_year"]),
               f"{format_number(row['target'], lang, places)} {unit}")
cols[2].metric(t(lang, "trends.achievement"),
               f"{format_number(row['achievement_pct'], lang, 0)}%",
               help=t(lang, "trends.achievement_help"))
cols[3].metric(t(lang, "trends.projection", year=row["target_year"]),
               f"{format_number(row['projected_value'], lang, places)} {unit}",
               help=t(lang, "trends.projection_help"))
with st.container(horizontal=True):
    widgets.band_badge({"symbol": row["status_symbol"], f"label_{lang}": row[
        f"status_label_{lang}"], "color": row["status_color"]}, lang)
    st.badge(tables.view_word(row["on_schedule"], lang, "schedule"),
             color="green" if tables.is_true(row["on_schedule"]) else "orange")
    st.badge(tables.view_word(row["forecast_met"], lang, "forecast"),
             color="green" if tables.is_true(row["forecast_met"]) else "orange")
    widgets.quality_badge(str(row["quality"]), ds, lang)
if plan_tables.is_revised(row):  # the original beside the revised target ("ban đầu / điều chỉnh")
    st.caption(md_escape(t(lang, "trends.target_revised", plan=plan_tables.plan_name(ds, row, lang),
                           date=targets.date_text(row["target_revised_on"]),
                           original=format_number(row["target_original"], lang, places),
                           unit=unit)))

# --- the trend chart -------------------------------------------------------------------------
if series[series["series"] == "observed"].empty:
    st.info(t(lang, "trends.no_series", where=md_escape(where)))
else:
    qlabels = dict(zip(ds.qualities["quality"], ds.qualities[f"label_{lang}"], strict=True))
    widgets.chart("trend", (ds.fingerprint, flt, ind), series, title=f"{name} — {where}",
                  unit=unit, target=row["target"], target_year=int(row["target_year"]),
                  target_2030=row["target_2030"], target_original=row["target_original"],
                  revised_on=row["target_revised_on"] or None, lang=lang, quality_labels=qlabels,
                  alt_text=t(lang, "trends.chart_alt", name=name, where=where),
                  download=(f"nq05-{ind}-{flt.unit_code}-{flt.as_of}", series, lang))
    st.caption(t(lang, "trends.chart_caption"))
st.caption(md_escape(t(lang, "trends.source", source=row["source"] or "–",
                       tsource=row["target_source"] or "–")))

# --- per-district comparison ----------------------------------------------------------------
st.header(t(lang, "trends.compare_heading"))
districts = view.districts
rows = tables.indicator_rows(districts, ind)
if len(rows) > 2 * tables.TOP_BOTTOM:  # 38 communes: the best and the worst, the table has all
    st.caption(t(lang, "trends.top_bottom", n=tables.TOP_BOTTOM, total=len(rows)))
    rows = tables.top_bottom(rows)
widgets.chart("district_bars", (ds.fingerprint, flt, ind), rows, title=name, lang=lang,
              selected=flt.unit_code, alt_text=t(lang, "trends.bars_alt", name=name),
              download=(f"nq05-{ind}-districts-{flt.as_of}", tables.bars_data(rows, lang), lang))
ranking = view.ranking(ind)
st.dataframe(tables.readable(tables.ranking_view(ranking, ds, lang), lang), hide_index=True,
             width="stretch")
