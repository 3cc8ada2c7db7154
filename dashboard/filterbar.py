"""The filters on a narrow screen: a button at the top of the main column (``Bộ lọc · 2025 ·
Toàn tỉnh · Tất cả``) that opens the same four filters as the sidebar.

The style sheet (``dashboard/style.css``) shows this bar only up to 768 px — the width below which
Streamlit starts with the sidebar closed — and hides the sidebar's own filters there, so a phone
reader never has to open the sidebar to change the view and it stays closed after a choice. The
bar's widgets have their own keys (``flt_year_m`` …) mirroring the sidebar's (``flt_year`` …): a
choice here is copied to the sidebar's key in its callback (before the next run draws the sidebar)
and the popover is closed, so :func:`dashboard.filters.sidebar_filters` stays the one reader of
the view and the URL.
"""

from __future__ import annotations

import streamlit as st

from dashboard import filters
from dashboard.i18n import LANGS, t
from nq05_metrics.loader import Dataset

SUFFIX = "_m"
POPOVER_KEY = "nq_filter_pop"
BAR_KEY = "nq_filterbar"  # the container's CSS class is ``st-key-nq_filterbar``


def _mirror(name: str) -> str:
    return filters.KEYS[name] + SUFFIX


def _chosen(name: str) -> None:
    """Callback of a bar widget: the choice becomes the shared filter; the popover closes.
    Not when a sidebar filter changed in the same rerun: then the bar's value is only stale
    (a client that sent the sidebar's state alone), and the sidebar's choice wins."""
    if st.session_state.get(filters.SIDEBAR_CHANGED):
        return
    st.session_state[filters.KEYS[name]] = st.session_state[_mirror(name)]
    st.session_state[POPOVER_KEY] = False
    filters._clear_notes()  # the URL notes are about the old view


def summary(ds: Dataset | None, flt: filters.Filters) -> str:
    """The bar's label: ``Bộ lọc · 2025 · Toàn tỉnh (Lai Châu) · Tất cả`` (the view at a glance)."""
    lang = flt.lang
    parts = [t(lang, "layout.filters_button")]
    if ds is not None and flt.as_of is not None:
        parts += [str(flt.as_of), filters.unit_label(ds, flt.unit_code, lang),
                  filters.commodity_label(ds, flt.commodity, lang)]
    return " · ".join(parts)


def filter_bar(ds: Dataset | None, years: tuple[list[int], int] | None,
               flt: filters.Filters) -> None:
    """Draw the narrow-screen filter button and its popover (hidden on wide screens by CSS)."""
    lang = flt.lang
    opts = filters.options(ds, years)
    for name in ("lang", "year", "unit", "commodity"):  # show the view the sidebar holds
        if filters.KEYS[name] in st.session_state:
            st.session_state[_mirror(name)] = st.session_state[filters.KEYS[name]]
    with st.container(key=BAR_KEY), st.popover(
            summary(ds, flt), icon=":material/tune:", key=POPOVER_KEY, on_change="rerun",
            width="stretch"):
        st.radio(t(lang, "language.label"), LANGS, key=_mirror("lang"), horizontal=True,
                 format_func=lambda c: t(lang, f"language.{c}"), on_change=_chosen, args=("lang",))
        if ds is None:
            return
        choices = filters.unit_options(ds, flt.as_of) if flt.as_of is not None else opts.units
        units = {c: filters.unit_label(ds, c, lang) for c in choices}
        coms = filters.commodity_labels(ds, opts.commodities, lang)
        st.selectbox(t(lang, "filters.year"), opts.years, key=_mirror("year"),
                     help=t(lang, "filters.year_help"), on_change=_chosen, args=("year",))
        st.selectbox(t(lang, "filters.unit"), choices, key=_mirror("unit"),
                     format_func=units.__getitem__, on_change=_chosen, args=("unit",))
        st.selectbox(t(lang, "filters.commodity"), opts.commodities, key=_mirror("commodity"),
                     format_func=coms.__getitem__, on_change=_chosen, args=("commodity",))
        st.caption(t(lang, "app.sidebar_note"))
