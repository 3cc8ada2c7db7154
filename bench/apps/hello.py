"""Benchmark baseline for the cold start: a hello-world page with one metric."""

import streamlit as st

st.metric("Hello", "1/1")
