"""Huyện / District profile: the status of one former district (or, later, commune)."""

from __future__ import annotations

import streamlit as st

from dashboard import filters, loaders, tables, widgets
from dashboard.i18n import md_escape, t

flt = filters.current()
lang = flt.lang
ds = widgets.require_dataset(loaders.dataset(), lang)

st.title(t(lang, "district.title"))


def _choose(code: str) -> None:
    st.session_state[filters.KEYS["unit"]] = code


# --- no district chosen: offer them as buttons (same effect as the sidebar filter) ------------
if flt.is_province:
    st.info(t(lang, "district.choose"))
    with st.container(horizontal=True):
        for code in ds.units.codes():
            st.button(ds.units.name(code, lang), key=f"district_pick_{code}", on_click=_choose,
                      args=(code,))
    st.stop()

name = ds.units.name(flt.unit_code, lang)
st.header(md_escape(name))
st.caption(t(lang, "district.note_former"))

view = loaders.view(ds, flt.as_of, flt.unit_code, flt.commodity)
status = view.rows

# --- band counts and the paragraph -----------------------------------------------------------
widgets.kpi_row(ds.bands, tables.band_counts(status), len(status), lang)
with st.container(border=True):
    st.markdown(md_escape(view.summary(lang)))

# --- achievement of every indicator in this district ------------------------------------------
st.subheader(t(lang, "district.bars_heading"))
widgets.chart("district_bars", (ds.fingerprint, flt), status, title=t(lang, "district.bars_title", name=name),
              lang=lang, label_field=f"name_{lang}",
              alt_text=t(lang, "district.bars_alt", name=name))

st.html(tables.status_html(status, lang, ds.qualities))

# --- commodity zones in the district ---------------------------------------------------------
st.subheader(t(lang, "district.zones_heading"))
zones = tables.zones_view(ds.zones, ds.units, ds.commodities, lang, flt.unit_code, flt.commodity,
                          qualities=ds.qualities)
if zones.empty:
    st.caption(t(lang, "district.no_zones"))
else:
    st.dataframe(zones, hide_index=True, width="stretch")
