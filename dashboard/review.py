"""The overview's review-report parts: the review paragraph in its short parts (as on the
deck's assessment slide) and "since the last review" — which indicators moved band between an
earlier as-of year (default: the mid-term review, 2023) and the current one, with the change in
value and in percentage points (the table of the deck's slide, :func:`.export.tables.since_table`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import loaders
from dashboard.i18n import md_escape, t
from nq05_metrics import api, narrative, review
from nq05_metrics.export.tables import since_table
from nq05_metrics.loader import Dataset
from nq05_metrics.units import PROVINCE_CODE


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


def review_paragraph(view: api.View, lang: str) -> None:
    """The review paragraph as short paragraphs (lead and met · over half · low · not met or
    behind · outlook · no data · quality), escaped."""

    name = None if view.unit == PROVINCE_CODE else view.ds.units.name(view.unit, lang)
    st.markdown("\n\n".join(md_escape(p) for p in narrative.parts(view.rows, lang, name)))
