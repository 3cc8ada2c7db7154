"""Benchmark baseline: the app's data load and sidebar filter widgets, and no page body."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import filters, loaders  # noqa: E402

st.set_page_config(page_title="baseline", layout="wide")
loaded = loaders.dataset()
years = loaders.years(loaded.ds) if loaded.ds is not None else None
filters.sidebar_filters(loaded.ds, years)
