"""NQ 05-NQ/TU dashboard — the frame: page config, shared filters, navigation.

Run: ``streamlit run app.py``. Data and boundaries come from ``$NQ05_DATA_DIR`` / ``$NQ05_GEO_DIR``
(defaults ``data/`` and ``geo/``). Pages live in ``pages/`` and are layout only.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # `streamlit run` from another folder
    sys.path.insert(0, str(ROOT))

from dashboard import filterbar, filters, loaders, widgets  # noqa: E402
from dashboard.i18n import DEFAULT_LANG, t  # noqa: E402

st.set_page_config(page_title=t(DEFAULT_LANG, "app_meta.page_title"), page_icon="🌱", layout="wide",
                   initial_sidebar_state="auto")  # closed on a phone

# --- data and shared filters (sidebar, kept in the URL) ---------------------------------------
loaded = loaders.dataset()
years = loaders.years(loaded.ds) if loaded.ds is not None else None
flt = filters.sidebar_filters(loaded.ds, years)
lang = flt.lang

# --- navigation: explicit pages; the presentation page joins when its file exists ------------
PAGES = [
    ("overview", "tong-quan", ":material/dashboard:"),
    ("map", "ban-do", ":material/map:"),
    ("trends", "xu-huong", ":material/trending_up:"),
    ("district", "huyen", ":material/location_city:"),
    ("commodity", "cay-trong", ":material/agriculture:"),
    ("data", "du-lieu", ":material/table_chart:"),
    ("presentation", "trinh-chieu", ":material/slideshow:"),
    ("method", "phuong-phap", ":material/menu_book:"),
]
pages = [
    st.Page(f"pages/{name}.py", title=t(lang, f"nav.{name}"), icon=icon, url_path=path,
            default=(name == "overview"))
    for name, path, icon in PAGES
    if (ROOT / "pages" / f"{name}.py").exists()
]
page = st.navigation(pages, position="sidebar")

with st.sidebar:
    st.caption(t(lang, "app.sidebar_note"))

widgets.page_style()
filterbar.filter_bar(loaded.ds, years, flt)  # narrow screens: the filters at the top of the page
widgets.page_banners(loaded, lang)
page.run()
