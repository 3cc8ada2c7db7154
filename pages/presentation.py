"""Trình chiếu / Presentation: the review-conference slides of the current view (shared filters),
one slide at a time in large type, slide number in the URL (``?slide=3``), PPTX/PDF downloads.

Layout only: the slides come from :func:`nq05_metrics.export.slides.build_deck` (cached in
:mod:`dashboard.downloads`), the same specs the PPTX and the PDF are written from.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import downloads, filters, loaders, widgets
from dashboard.i18n import md_escape
from nq05_metrics.export.layout import png_size
from nq05_metrics.export.pdf import deck_pdf
from nq05_metrics.export.pptx import deck_pptx
from nq05_metrics.export.slides import sentences

TEXT = {
    "vi": {"prev": "Trang trước", "next": "Trang sau", "of": "Trang {n}/{total}",
           "make": "Tạo tệp PPTX và PDF", "making": "Đang tạo bản trình chiếu…",
           "made": "Đã tạo xong", "pptx": "Tải PowerPoint (PPTX)", "pdf": "Tải PDF",
           "pictures": "Vẽ biểu đồ và bản đồ", "exports": "Tải về bản trình chiếu"},
    "en": {"prev": "Previous", "next": "Next", "of": "Slide {n} of {total}",
           "make": "Build PPTX and PDF", "making": "Building the deck…", "made": "Done",
           "pptx": "Download PowerPoint (PPTX)", "pdf": "Download PDF",
           "pictures": "Drawing charts and maps", "exports": "Download the deck"},
}
SLIDE_KEY, EXPORT_KEY = "pres_slide", "pres_exports"

st.set_page_config(layout="wide", initial_sidebar_state="collapsed")  # full screen: no sidebar

# --- state: filters from the app, the slide number from the URL --------------------------------
flt = filters.current()
lang = flt.lang
txt = TEXT["vi" if lang == "vi" else "en"]
ds = widgets.require_dataset(loaders.dataset(), lang)
as_of = flt.as_of if flt.as_of is not None else loaders.years(ds)[1]
deck = downloads.deck(ds, as_of, flt.unit_code, flt.commodity, lang)
total = len(deck.slides)
if SLIDE_KEY not in st.session_state:
    raw = st.query_params.get("slide", "1")
    st.session_state[SLIDE_KEY] = int(raw) if raw.isdigit() else 1
st.session_state[SLIDE_KEY] = min(max(1, st.session_state[SLIDE_KEY]), total)


def _go(step: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(1, st.session_state[SLIDE_KEY] + step), total)


number = st.session_state[SLIDE_KEY]
if st.query_params.get("slide", "1") != str(number):  # write only on change: writing during
    st.query_params["slide"] = str(number)             # the first run loses the page path
slide = deck.slides[number - 1]

# --- navigation bar --------------------------------------------------------------------------
prev_col, where_col, next_col = st.columns([1, 2, 1], vertical_alignment="center")
prev_col.button(txt["prev"], on_click=_go, args=(-1,), disabled=number == 1, key="pres_prev",
                icon=":material/chevron_left:", width="stretch", shortcut="Left")
where_col.progress(number / total, text=txt["of"].format(n=number, total=total))
next_col.button(txt["next"], on_click=_go, args=(1,), disabled=number == total, key="pres_next",
                icon=":material/chevron_right:", icon_position="right", width="stretch",
                shortcut="Right")  # ← / → on the keyboard

# --- the slide -------------------------------------------------------------------------------
st.title(md_escape(slide.title), anchor=False)
if slide.subtitle:
    st.header(md_escape(slide.subtitle), anchor=False, divider="blue")
pics = {p.slot: p for p in slide.pictures}
if slide.kind in ("commodity", "overview"):
    left, right = st.columns([5, 7] if slide.kind == "commodity" else [4, 8])
    with left:
        if "map" in pics:
            st.image(pics["map"].png(), width="stretch")
        else:
            for bullet in slide.bullets:
                st.subheader(md_escape(bullet), anchor=False)
    with right:
        if "trend" in pics:  # the same picture as the deck: crisp on a projector, never squashed
            st.image(pics["trend"].png(), width="stretch")
        if "gauges" in pics:
            png = pics["gauges"].png()
            st.image(png, width=min(png_size(png)[0] // 2, 720))  # rendered at 2×
    if slide.kind == "commodity":
        for bullet in slide.bullets:
            st.subheader(md_escape(bullet), anchor=False)
elif slide.kind == "rest":
    png = pics["gauges"].png()
    st.image(png, width=png_size(png)[0] // 2)
elif slide.kind == "assessment":
    for sentence in sentences(slide.narrative):
        st.markdown("### " + md_escape(sentence))
elif slide.table:
    table = pd.DataFrame(list(slide.table[1:]), columns=list(slide.table[0]))
    st.dataframe(table, hide_index=True, width="stretch", row_height=48)
else:
    for bullet in slide.bullets:
        st.subheader(md_escape(bullet), anchor=False)
st.caption(md_escape(slide.footer))

# --- exports: progress while building, then the two downloads --------------------------------
view = (ds.fingerprint, as_of, flt.unit_code, flt.commodity, lang)
with st.expander(txt["exports"], icon=":material/download:"):
    if st.button(txt["make"], key="pres_make", type="primary"):
        with st.status(txt["making"], expanded=True) as status:
            bar = st.progress(0.0, text=txt["pictures"])

            def _tick(done: int, of: int) -> None:
                bar.progress(done / max(1, of), text=f"{txt['pictures']} {done}/{of}")

            pptx_bytes = deck_pptx(deck, _tick)
            pdf_bytes = deck_pdf(deck)
            st.session_state[EXPORT_KEY] = (view, pptx_bytes, pdf_bytes)
            status.update(label=txt["made"], state="complete", expanded=False)
    made = st.session_state.get(EXPORT_KEY)
    if made and made[0] == view:
        stem = f"nq05-{as_of}-{flt.unit_code}" + (f"-{flt.commodity}" if flt.commodity else "")
        c1, c2 = st.columns(2)
        c1.download_button(txt["pptx"], made[1], f"{stem}.pptx", key="pres_dl_pptx",
                           mime="application/vnd.openxmlformats-officedocument."
                                "presentationml.presentation", on_click="ignore")
        c2.download_button(txt["pdf"], made[2], f"{stem}.pdf", mime="application/pdf",
                           key="pres_dl_pdf", on_click="ignore")
