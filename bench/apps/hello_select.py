"""Benchmark baseline for a visit: a hello-world page with one sidebar select box (the year),
kept in the URL like the dashboard's filters, and one metric that shows it.

With ``NQ05_HELLO_FREEZE=1`` it also freezes its heap once (``gc.freeze``) as the dashboard does
after loading its data (dashboard/loaders.py), so Streamlit's full collection after every run
costs it as little as it costs the dashboard: the baseline for "the dashboard's own work"."""

import gc
import os

import streamlit as st


@st.cache_resource
def _settle() -> bool:
    gc.freeze()
    return True


if os.environ.get("NQ05_HELLO_FREEZE"):
    _settle()
years = list(range(2020, 2026))
year = st.sidebar.selectbox("Year", years, index=len(years) - 1)
st.query_params["year"] = str(year)
st.metric("Hello", str(year))
