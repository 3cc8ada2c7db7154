"""The overview's "since the last review" section: which indicators moved band between an
earlier as-of year (default: the mid-term review, 2023) and the current one, with the change in
value and in percentage points (the table of the deck's slide, :func:`.export.tables.since_table`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import loaders
from dashboard.i18n import t
from nq05_metrics import review
from nq05_metrics.export.tables import since_table
from nq05_metrics.loader import Dataset


def since_section(ds: Dataset, as_of: int, unit: str, commodity: str | None, lang: str) -> None:
    """Heading, a year picker (years before ``as_of``) and the table of band moves."""
    earlier = [y for y in loaders.years(ds)[0] if y < as_of]
    if not earlier:
        return
    st.subheader(t(lang, "since.heading"))
    default = earlier.index(review.MID_TERM_YEAR) if review.MID_TERM_YEAR in earlier else 0
    year = st.selectbox(t(lang, "since.pick"), earlier, index=default, key="ov_since")
    before = loaders.view(ds, year, unit, commodity).rows
    after = loaders.view(ds, as_of, unit, commodity).rows
    table, movers, n = since_table(ds, before, after, lang)
    if movers.empty:
        st.info(t(lang, "since.none_moved", a=year, b=as_of))
        return
    st.dataframe(pd.DataFrame(list(table.rows), columns=list(table.header)), hide_index=True,
                 width="stretch")
    st.caption(t(lang, "since.caption", a=year, b=as_of, up=n["up"], down=n["down"],
                 same=n["same"]))
