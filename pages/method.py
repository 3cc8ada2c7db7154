"""Phương pháp / About & method: definitions of every metric and band, data provenance."""

from __future__ import annotations

import streamlit as st

from dashboard import filters, loaders, widgets
from dashboard.i18n import content, t

flt = filters.current()
lang = flt.lang
loaded = loaders.dataset()

st.title(t(lang, "method.title"))
st.markdown(content("method", lang))

if loaded.ds is not None:
    ds = loaded.ds
    st.header(t(lang, "method.bands_heading"))
    widgets.band_legend(ds.bands, lang)
    st.dataframe(ds.bands, hide_index=True, width="stretch")

    st.header(t(lang, "method.quality_heading"))
    st.dataframe(ds.qualities[["quality", f"label_{lang}", f"definition_{lang}"]],
                 hide_index=True, width="stretch")

    st.header(t(lang, "method.indicators_heading"))
    st.dataframe(ds.indicators[["indicator_id", f"name_{lang}", "unit", "kind", "polarity",
                                "baseline_year", "baseline_value", f"description_{lang}"]],
                 hide_index=True, width="stretch")

st.markdown(content("provenance", lang))
