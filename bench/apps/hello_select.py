"""Benchmark baseline for a visit: a hello-world page with one sidebar select box (the year),
kept in the URL like the dashboard's filters, and one metric that shows it."""

import streamlit as st

years = list(range(2020, 2026))
year = st.sidebar.selectbox("Year", years, index=len(years) - 1)
st.query_params["year"] = str(year)
st.metric("Hello", str(year))
