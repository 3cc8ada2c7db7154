"""Địa bàn / Area profile: one former district (to 2025) or commune (from 2026); without one,
every unit × indicator as a heatmap of bands, a click on a row opening that unit."""

from __future__ import annotations

import streamlit as st

from dashboard import filters, loaders, profile, tables, widgets
from dashboard.i18n import md_escape, t
from nq05_metrics.units import PROVINCE_CODE

flt = filters.current()
lang = flt.lang
ds = widgets.require_dataset(loaders.dataset(), lang)

st.title(t(lang, "district.title"))


def _open_row(codes: list[str]) -> None:
    """``on_select`` of the heatmap: the clicked row's unit becomes the unit filter."""
    rows = st.session_state["profile_heat"].selection.rows
    if rows:
        st.session_state[filters.KEYS["unit"]] = codes[rows[0]]


# --- no unit chosen: every unit × indicator, coloured and marked by band --------------------
if flt.is_province:
    st.info(t(lang, "district.choose"))
    whole = loaders.view(ds, flt.as_of, PROVINCE_CODE, flt.commodity).districts
    text, colours, codes = profile.heatmap(whole, ds, lang)
    styled = text.style.apply(lambda _: colours.map(profile.tint), axis=None)
    st.dataframe(styled, on_select=lambda: _open_row(codes), selection_mode="single-row",
                 key="profile_heat", width="stretch", height=min(38 * 35 + 40, 35 * len(text) + 40))
    st.caption(t(lang, "district.heatmap_caption", year=flt.as_of))
    st.stop()

name = ds.units.name(flt.unit_code, lang)
st.header(md_escape(name))
former = ds.units.valid_to(flt.unit_code) is not None
if former:
    st.caption(t(lang, "district.note_former"))
else:
    st.caption(t(lang, "reform.commune_caption",
                 formers=profile.former_districts(ds, flt.unit_code, lang)))

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

# --- a former district: its successor communes and the way across the reform ----------------
if former and ds.crosswalk is not None and not ds.crosswalk.empty:
    st.subheader(t(lang, "reform.heading"))
    st.caption(t(lang, "reform.caption", name=name, code=flt.unit_code))
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{t(lang, 'reform.successors')}**")
        st.dataframe(profile.successor_table(ds, flt.unit_code, lang), hide_index=True,
                     width="stretch")
    with right:
        st.markdown(f"**{t(lang, 'reform.compare')}**")
        across = profile.across_reform(loaders.observations(ds), ds, flt.unit_code, lang,
                                       flt.commodity)
        if across.empty:
            st.caption(t(lang, "reform.no_successor_data"))
        else:
            st.dataframe(across, hide_index=True, width="stretch")
