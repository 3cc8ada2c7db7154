"""Bản đồ / Map: districts filled by an indicator, commodity zones, click a district to filter."""

from __future__ import annotations

import streamlit as st

from dashboard import filters, loaders, maps, tables, widgets
from dashboard.i18n import md_escape, t

flt = filters.current()
lang = flt.lang
ds = widgets.require_dataset(loaders.dataset(), lang)
geo = loaders.boundaries()
unit_set = ds.units.unit_set_reporting(flt.as_of)  # districts to 2025, communes from 2026
shapes = geo.layer(unit_set)
many = shapes is not None and len(shapes) > 12  # type: ignore[arg-type]

st.title(t(lang, "map.title"))

# --- controls --------------------------------------------------------------------------------
c1, c2, c3 = st.columns([3, 2, 2])
with c1:
    ind = filters.indicator_picker(ds, flt)
with c2:
    fill = st.radio(t(lang, "map.fill"), ["achievement", "value"], key="map_fill",
                    format_func=lambda k: t(lang, f"map.fill_{k}"))
with c3:
    show_zones = st.toggle(t(lang, "map.zones_toggle"), value=True, key="map_zones")
    show_labels = st.toggle(t(lang, "map.labels_toggle"), value=not many, key="map_labels",
                            help=t(lang, "map.labels_help") if many else None)

if geo.approximate:
    st.info(t(lang, "map.approximate"), icon="🧭")
if geo.districts is None:
    widgets.boundary_problem(geo, lang)
elif shapes is None:
    st.warning(t(lang, "map.no_polygons", unit_set=unit_set, year=flt.as_of), icon="🧭")

# --- data for the layers (all from the api, through the cached loaders) -----------------------
status = loaders.view(ds, flt.as_of, flt.unit_code).districts
rows = tables.indicator_rows(status, ind) if ind else status.iloc[0:0]
view = loaders.deck_cached(("mapview", ds.fingerprint, ind, fill, flt),
                           lambda: maps.MapView.build(ds, rows, flt, fill, lang))
layers = None
if shapes is not None:
    paint = maps.band_painter(ds.bands) if fill == "achievement" else None
    layers = loaders.map_layers_cached((ds.fingerprint, ind, fill), geo, view.values, ds.zones,
                                       flt.commodity, flt.as_of, paint, unit_set)
    layers = maps.with_tooltips(layers, view.tips, view.zone_tips, view.names)
zone_points = layers.zone_points if layers is not None else view.zone_points

# --- the map and its legend ------------------------------------------------------------------
with st.container(key="nq_map_cols"):  # stacked on narrow windows (style.css)
    left, right = st.columns([3, 1])
with left:
    widgets.responsive_map(
        lambda narrow: loaders.deck_cached(
            ("deck", ds.fingerprint, ind, fill, flt, show_labels, show_zones, narrow, geo.stamp,
             unit_set),
            lambda: maps.deck(layers, zone_points, view.zone_colors, show_labels, show_zones,
                              narrow=narrow)),
        maps.deck_heights(layers), alt=t(lang, "map.alt", what=t(lang, f"map.fill_{fill}"), name=view.name),
        on_select=filters.pick_from_map)
    st.caption(t(lang, "map.click_hint"))
with right:
    if fill == "achievement":
        st.markdown(f"**{t(lang, 'map.legend_fill')}**")
        widgets.band_legend(ds.bands, lang, compact=True)
    elif layers is not None and layers.value_range:
        widgets.swatch_legend(maps.ramp_legend(*layers.value_range, lang, view.unit),
                              t(lang, "map.legend_fill"))
    if show_zones:
        widgets.swatch_legend(view.zone_legend, t(lang, "map.legend_zones"))

# --- the map as text: every district's figure, % and band in words ---------------------------
if len(rows):
    st.header(t(lang, "layout.map_table_heading"))
    st.caption(md_escape(view.name))
    st.html(tables.status_html(rows, lang, ds.qualities, by_unit=True))

# --- zones table -----------------------------------------------------------------------------
st.header(t(lang, "map.zones_heading"))
st.caption(md_escape(filters.commodity_label(ds, flt.commodity, lang)))
st.dataframe(tables.zones_view(ds.zones, ds.units, ds.commodities, lang,
                               None if flt.is_province else flt.unit_code, flt.commodity,
                          qualities=ds.qualities),
             hide_index=True, width="stretch")
