"""Cây trồng – vật nuôi / Commodity profile: the indicators and zones of one commodity."""

from __future__ import annotations

import streamlit as st

from dashboard import filters, loaders, maps, tables, widgets
from dashboard.i18n import md_escape, t
from nq05_metrics.geo.zonemap import zone_map

flt = filters.current()
lang = flt.lang
ds = widgets.require_dataset(loaders.dataset(), lang)

st.title(t(lang, "commodity.title"))


def _choose(key: str) -> None:
    st.session_state[filters.KEYS["commodity"]] = key


# --- no commodity chosen: offer them as buttons (same effect as the sidebar filter) -----------
if flt.commodity is None:
    st.info(t(lang, "commodity.choose"))
    with st.container(horizontal=True):
        for key in ds.commodities.sort_values("display_order")["commodity"]:
            st.button(filters.commodity_label(ds, key, lang), key=f"commodity_pick_{key}",
                      on_click=_choose, args=(key,))
    st.stop()

label = filters.commodity_label(ds, flt.commodity, lang)
where = filters.unit_label(ds, flt.unit_code, lang)
st.header(md_escape(f"{label} — {where}"))

view = loaders.view(ds, flt.as_of, flt.unit_code, flt.commodity)
status = view.rows
if status.empty:
    st.info(t(lang, "commodity.no_indicators"))
else:
    with st.container(border=True):
        st.markdown(md_escape(view.summary(lang)))
    records = status.to_dict("records")
    widgets.gauge_grid(records[:4], ds.bands, lang, per_row=max(1, min(4, len(records))))
    st.html(tables.status_html(status, lang, ds.qualities))

    # --- each indicator across the former districts ------------------------------------------
    st.subheader(t(lang, "commodity.compare_heading"))
    districts = view.districts
    for row in records:
        rows = tables.indicator_rows(districts, str(row["indicator_id"]))
        name = str(row[f"name_{lang}"])
        widgets.chart("district_bars", (ds.fingerprint, flt, row["indicator_id"]),
                      rows, title=name, lang=lang, selected=flt.unit_code,
                      alt_text=t(lang, "trends.bars_alt", name=name))
        if text := tables.description(ds.indicators, str(row["indicator_id"]), lang):
            st.caption(md_escape(text))

# --- zone map: the zones' units shaded by area, the zone territory highlighted ----------------
zmap = zone_map(ds.zones, flt.commodity, flt.as_of, ds.units, ds.crosswalk)
if not zmap.areas.empty or not zmap.unplaced.empty:
    st.subheader(t(lang, "commodity.zone_map_heading", commodity=label, year=flt.as_of))
    geo = loaders.boundaries()
    unit_set = ds.units.unit_set_reporting(flt.as_of)
    shapes = geo.layer(unit_set)
    layers = None if shapes is None else loaders.map_layers_cached(
        (ds.fingerprint, "zone_map"), geo, zmap.values(), ds.zones, flt.commodity, flt.as_of,
        None, unit_set)
    zview = maps.ZoneMapView.build(ds, zmap, label, layers, lang)
    if zview.layers is None:
        st.warning(t(lang, "commodity.zone_no_polygons", year=flt.as_of), icon="🧭")
    else:
        with st.container(key="nq_map_cols"):  # stacked on narrow windows (style.css)
            left, right = st.columns([3, 1])
        with left:
            widgets.responsive_map(
                lambda narrow: maps.deck(zview.layers, zview.layers.zone_points, {},
                                         show_zones=False, narrow=narrow),
                maps.deck_heights(zview.layers), on_select=filters.pick_from_map,
                key="zone_map_pick", alt=zview.alt)
        with right:
            widgets.swatch_legend(zview.legend, t(lang, "commodity.zone_legend_area"))
        st.caption(zview.caption)
    if text := zview.unplaced_text(lang):
        st.warning(md_escape(text), icon="⚠️")
    st.markdown(f"**{t(lang, 'commodity.zone_table_heading')}**")
    st.dataframe(zview.table, hide_index=True, width="stretch")

# --- zones -----------------------------------------------------------------------------------
st.subheader(t(lang, "commodity.zones_heading"))
zones = tables.zones_view(ds.zones, ds.units, ds.commodities, lang,
                          None if flt.is_province else flt.unit_code, flt.commodity,
                          qualities=ds.qualities)
if zones.empty:
    st.caption(t(lang, "commodity.no_zones"))
else:
    st.dataframe(zones, hide_index=True, width="stretch")
