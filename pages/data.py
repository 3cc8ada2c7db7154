"""Dữ liệu / Data: every table with the source and quality of each figure, the validation
report, and CSV downloads (:func:`nq05_metrics.serialise.csv_bytes`: one writer for every page)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from pandas import DataFrame

from dashboard import filters, intake_ui, loaders, plan_tables, tables, widgets
from dashboard.i18n import format_number, md_escape, t
from dashboard.stewardship_ui import render_stewardship
from nq05_metrics.serialise import csv_bytes

flt = filters.current()
lang = flt.lang
loaded = loaders.dataset()
if loaded.ds is None:  # a folder that never loaded: let a steward repair it from here
    render_stewardship(loaders.data_dir(), lang)
ds = widgets.require_dataset(loaded, lang)

st.title(t(lang, "data.title"))
st.caption(t(lang, "data.subtitle", folder=md_escape(ds.data_dir.name), fp=ds.fingerprint[:12]))


MAX_ROWS = 20_000  # a grid of a million rows would send tens of MB to the browser on every run


def grid(frame: DataFrame, total: int | None = None, **kwargs: object) -> None:
    """``st.dataframe`` of at most :data:`MAX_ROWS` rows, saying so when rows are left out (the
    CSV button always has them all); ``total``: the full count when ``frame`` is already cut."""
    st.dataframe(frame.head(MAX_ROWS), hide_index=True, width="stretch", **kwargs)
    total = len(frame) if total is None else total
    if total > MAX_ROWS:
        st.caption(t(lang, "data.rows_capped", shown=format_number(MAX_ROWS, lang),
                     total=format_number(total, lang)))


def download(frame: DataFrame | Callable[[], DataFrame], name: str, table: str | None = None) -> None:
    """A CSV button; the file (and ``frame``, when a function) is made only when clicked (a
    100k-row table costs ≈ 1 s). ``table``: the contract table ``frame`` holds, so the file
    equals the steward's download of it byte for byte."""
    st.download_button(t(lang, "data.download", name=name),
                       lambda: csv_bytes(frame() if callable(frame) else frame, table),
                       file_name=name, mime="text/csv", icon=":material/download:",
                       key=f"dl_{name}", on_click="ignore")


unit = None if flt.is_province else flt.unit_code
tabs = st.tabs([t(lang, f"data.tab_{k}") for k in
                ("status", "observations", "indicators", "plans", "targets", "zones",
                 "validation")]
               + [t(lang, "intake.page_completeness"), t(lang, "data.tab_units")])

with tabs[0]:
    status = loaders.view(ds, flt.as_of, flt.unit_code, flt.commodity).table
    view = tables.status_view(status, lang, ds.qualities, with_unit=True)
    grid(view, column_config=tables.column_config(view, lang))
    download(status, f"nq05_status_{flt.as_of}.csv")

with tabs[1]:
    rows = tables.observation_rows(loaders.observations(ds), ds.indicators, unit, flt.commodity)
    st.caption(t(lang, "data.observations_caption"))
    grid(tables.observations_view(rows.head(MAX_ROWS), ds.indicators, lang, ds.measures),
         total=len(rows))
    download(lambda: tables.observations_view(rows, ds.indicators, lang, ds.measures),
             "nq05_observations.csv")

with tabs[2]:
    st.dataframe(ds.indicators, hide_index=True, width="stretch")
    download(ds.indicators, "indicators.csv", "indicators")

with tabs[3]:  # the plans: which is in force at the chosen year
    st.caption(t(lang, "data.plans_caption", year=flt.as_of))
    grid(plan_tables.plans_view(ds, lang, flt.as_of))
    download(ds.plans, "plans.csv", "plans")

with tabs[4]:  # the targets of every plan, the unit and commodity of the filters
    st.caption(t(lang, "data.targets_caption"))
    grid(plan_tables.targets_view(ds, lang, unit, flt.commodity))
    download(ds.targets, "targets.csv", "targets")

with tabs[5]:
    zones = tables.zones_view(ds.zones, ds.units, ds.commodities, lang, unit, flt.commodity,
                          qualities=ds.qualities)
    st.dataframe(zones, hide_index=True, width="stretch")
    download(ds.zones, "zones.csv", "zones")

with tabs[6]:
    st.header(t(lang, "data.validation_heading"))
    if loaded.problems:
        widgets.data_problems(loaded, lang)
    else:
        st.success(t(lang, "data.valid"), icon="✅")
    if ds.notices:
        st.warning(t(lang, "data.notices", n=len(ds.notices)))
        st.code("\n".join(p.format(lang) for p in ds.notices), language=None, wrap_lines=True)
    st.header(t(lang, "data.consistency_heading"))
    st.caption(t(lang, "data.consistency_caption"))
    gaps = loaders.consistency(ds)
    if gaps.empty:
        st.success(t(lang, "data.consistent"), icon="✅")
    else:
        st.dataframe(gaps, hide_index=True, width="stretch")
        download(gaps, "nq05_consistency.csv")

with tabs[7]:
    intake_ui.render_completeness(ds, lang)

with tabs[8]:  # the administrative units with their periods, and the crosswalk of the reform
    st.caption(t(lang, "data.units_caption", year=flt.as_of,
                 n=len(ds.units.reporting(flt.as_of))))
    grid(ds.units.units)
    download(ds.units.units, "units.csv", "units")
    if ds.crosswalk is not None and not ds.crosswalk.empty:
        st.subheader(t(lang, "data.crosswalk_heading"))
        st.caption(t(lang, "data.crosswalk_caption"))
        grid(ds.crosswalk)
        download(ds.crosswalk, "crosswalk.csv", "crosswalk")

# Data stewardship: downloads for everyone; upload, preview, apply, history and restore for editors
st.divider()
render_stewardship(loaders.data_dir(), lang)
