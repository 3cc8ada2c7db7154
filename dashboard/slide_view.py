"""One slide of the deck drawn with Streamlit elements, for the presentation page: title,
subtitle, the illustrative mark, then the slide's pictures, tiles, table or lines by kind, and
its footer. The slide itself comes from :mod:`nq05_metrics.export.slides` unchanged."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import md_escape, t
from nq05_metrics.export.layout import png_size
from nq05_metrics.export.slides import Slide


def draw(slide: Slide, lang: str) -> None:
    """Draw ``slide`` in the current container (large type; pictures at half their 2× size)."""
    st.title(md_escape(slide.title), anchor=False)
    if slide.subtitle:
        st.header(md_escape(slide.subtitle), anchor=False, divider="blue")
    if slide.illustrative:
        st.warning(t(lang, "slides.badge"), icon=":material/warning:")
    pics = {p.slot: p for p in slide.pictures}
    if slide.kind in ("title", "closing"):
        left, right = st.columns([3, 1])
        with left:
            for line in (*slide.paragraphs, *slide.bullets):
                st.subheader(md_escape(line), anchor=False)
        if "qr" in pics:
            right.image(pics["qr"].png(), caption=t(lang, "slides.qr_caption"), width=240,
                        alt=t(lang, "slides.qr_caption"))
    elif slide.kind == "commodity":
        left, right = st.columns([5, 7])
        left.image(pics["map"].png(), width="stretch", alt=slide.title)
        right.image(pics["trend"].png(), width="stretch", alt=slide.title)  # never squashed
        for bullet in slide.bullets:
            right.subheader(md_escape(bullet), anchor=False)
    elif "gauges" in pics:
        png = pics["gauges"].png()
        st.image(png, width=min(png_size(png)[0] // 2, 1100), alt=slide.title)  # rendered at 2×
    elif slide.tiles:
        for col, (big, label) in zip(st.columns(len(slide.tiles)), slide.tiles, strict=True):
            col.metric(label, big)
        for bullet in slide.bullets:
            st.subheader(md_escape(bullet), anchor=False)
    elif slide.table is not None:
        table = pd.DataFrame(list(slide.table.rows), columns=list(slide.table.header))
        st.dataframe(table, hide_index=True, width="stretch", row_height=48)
    else:
        for line in (*slide.paragraphs, *slide.bullets):
            st.markdown("### " + md_escape(line))
    st.caption(md_escape(slide.footer))
