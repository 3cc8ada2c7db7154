"""Tổng quan / Overview: status counts, headline gauges, the review paragraph, all indicators."""

from __future__ import annotations

import streamlit as st

from dashboard import filters, loaders, review, tables, widgets
from dashboard.i18n import md_escape, t
from nq05_metrics.serialise import csv_bytes

flt = filters.current()
lang = flt.lang
ds = widgets.require_dataset(loaders.dataset(), lang)
where = filters.unit_label(ds, flt.unit_code, lang)
what = filters.commodity_label(ds, flt.commodity, lang)

st.title(t(lang, "overview.title"))
st.caption(t(lang, "overview.subtitle", year=flt.as_of, where=md_escape(where),
             what=md_escape(what)))

view = loaders.view(ds, flt.as_of, flt.unit_code, flt.commodity)
status = view.rows
if status.empty:
    st.info(t(lang, "overview.empty"))
    st.stop()

# --- status-band counts as KPI cards ---------------------------------------------------------
st.header(t(lang, "overview.bands_heading"))
widgets.kpi_row(ds.bands, tables.band_counts(status), len(status), lang)

# --- the review paragraph (generated, never typed) -------------------------------------------
st.header(t(lang, "overview.narrative_heading"))
with st.container(border=True):
    review.review_paragraph(view, lang)  # in short parts, as on the deck

# --- since the last review (band moves between two as-of years) ------------------------------
review.since_section(ds, flt.as_of, flt.unit_code, flt.commodity, lang)

# --- gauges for the headline indicators ------------------------------------------------------
st.header(t(lang, "overview.gauges_heading"))
st.caption(t(lang, "overview.gauges_caption"))
st.html(loaders.page_text("gauges", (ds.fingerprint, flt), lambda: widgets.gauges_html(
    tables.headline_rows(status).to_dict("records"), ds.bands, lang)))

# --- all indicators --------------------------------------------------------------------------
st.header(t(lang, "overview.table_heading"))
st.html(loaders.page_text("status_html", (ds.fingerprint, flt),
                          lambda: tables.status_html(status, lang, ds.qualities)))
st.caption(t(lang, "overview.table_caption"))
st.download_button(t(lang, "overview.table_csv"),  # the CSV is made only when clicked
                   lambda: csv_bytes(tables.with_headers(
                       tables.status_view(status, lang, ds.qualities), lang)),
                   file_name=f"nq05_tong_quan_{flt.as_of}.csv", mime="text/csv",
                   icon=":material/download:", on_click="ignore")

with st.expander(t(lang, "overview.legend_heading")):
    widgets.band_legend(ds.bands, lang)
