"""Trình chiếu / Presentation: the review-report slides of the current view (shared filters),
one slide at a time in large type, slide number in the URL (``?slide=3``); the review's details
(conference, agency, place, date, last review, tasks); PPTX/PDF and the Word appendix; the QR
code of this view for the hall.

Layout only: the slides come from :func:`nq05_metrics.export.slides.build_deck` (cached in
:mod:`dashboard.downloads`), the same specs the PPTX, the PDF and the DOCX are written from.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import downloads, filters, loaders, slide_view, widgets
from dashboard.i18n import t
from nq05_metrics import review
from nq05_metrics.export import qr
from nq05_metrics.export.docx import deck_docx
from nq05_metrics.export.pdf import deck_pdf
from nq05_metrics.export.pptx import deck_pptx
from nq05_metrics.export.slides import Meeting

SLIDE_KEY, EXPORT_KEY, DOCX_KEY = "pres_slide", "pres_exports", "pres_docx"

st.set_page_config(layout="wide", initial_sidebar_state="collapsed")  # full screen: no sidebar

# --- state: filters from the app, the slide number from the URL, the review's details ----------
flt = filters.current()
lang = flt.lang
ds = widgets.require_dataset(loaders.dataset(), lang)
years, default_year = loaders.years(ds)
as_of = flt.as_of if flt.as_of is not None else default_year
earlier = [y for y in years if y < as_of]
top = st.container()  # the slide, drawn once the details below are known
with st.expander(t(lang, "presentation.details"), icon=":material/edit_note:"):
    c1, c2 = st.columns(2)
    conference = c1.text_input(t(lang, "presentation.conference"), key="pres_conf",
                               placeholder=t(lang, "presentation.conference_default"))
    agency = c2.text_input(t(lang, "presentation.agency"), key="pres_agency",
                           placeholder=t(lang, "slides.default_agency"))
    place = c1.text_input(t(lang, "presentation.place"), key="pres_place")
    day = c2.date_input(t(lang, "presentation.date"), value=dt.date.today(), key="pres_date",
                        format="DD/MM/YYYY")
    since = c1.selectbox(t(lang, "presentation.since"), earlier or [None], key="pres_since",
                         index=earlier.index(review.MID_TERM_YEAR)
                         if review.MID_TERM_YEAR in earlier else 0)
    tasks = c2.text_area(t(lang, "presentation.tasks"), key="pres_tasks",
                         help=t(lang, "presentation.tasks_help"))
meeting = Meeting(conference.strip(), agency.strip(), place.strip(), day,
                  tuple(line.strip() for line in tasks.splitlines() if line.strip()),
                  downloads.base_url(), since)
deck = downloads.deck(ds, as_of, flt.unit_code, flt.commodity, lang, meeting)
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

with top:
    # --- navigation bar --------------------------------------------------------------------------
    prev_col, where_col, next_col = st.columns([1, 2, 1], vertical_alignment="center")
    prev_col.button(t(lang, "presentation.prev"), on_click=_go, args=(-1,), disabled=number == 1,
                    key="pres_prev", icon=":material/chevron_left:", width="stretch", shortcut="Left")
    where_col.progress(number / total, text=t(lang, "presentation.of", n=number, total=total))
    next_col.button(t(lang, "presentation.next"), on_click=_go, args=(1,), disabled=number == total,
                    key="pres_next", icon=":material/chevron_right:", icon_position="right",
                    width="stretch", shortcut="Right")  # ← / → on the keyboard

    # --- the slide ---------------------------------------------------------------------------
    slide_view.draw(slide, lang)

# --- exports: progress while building, then the downloads; the QR code of this view ----------
view = (ds.fingerprint, as_of, flt.unit_code, flt.commodity, lang, meeting)
stem = f"nq05-{as_of}-{flt.unit_code}" + (f"-{flt.commodity}" if flt.commodity else "")
with st.expander(t(lang, "presentation.exports"), icon=":material/download:"):
    b1, b2 = st.columns(2)
    if b1.button(t(lang, "presentation.make"), key="pres_make", type="primary"):
        with st.status(t(lang, "presentation.making"), expanded=True) as status:
            bar = st.progress(0.0, text=t(lang, "presentation.pictures"))

            def _tick(done: int, of: int) -> None:
                bar.progress(done / max(1, of), text=f"{t(lang, 'presentation.pictures')} "
                                                     f"{done}/{of}")

            st.session_state[EXPORT_KEY] = (view, deck_pptx(deck, _tick), deck_pdf(deck))
            status.update(label=t(lang, "presentation.made"), state="complete", expanded=False)
    b2.download_button(t(lang, "presentation.docx"), lambda: deck_docx(deck),
                       f"{stem}-phu-luc.docx", key="pres_dl_docx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument."
                            "wordprocessingml.document", icon=":material/description:")
    made = st.session_state.get(EXPORT_KEY)
    if made and made[0] == view:
        c1, c2 = st.columns(2)
        c1.download_button(t(lang, "presentation.pptx"), made[1], f"{stem}.pptx",
                           key="pres_dl_pptx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument."
                                "presentationml.presentation")
        c2.download_button(t(lang, "presentation.pdf"), made[2], f"{stem}.pdf",
                           mime="application/pdf", key="pres_dl_pdf", on_click="ignore")
with st.expander(t(lang, "presentation.qr"), icon=":material/qr_code_2:"):
    if deck.url:
        st.image(qr.qr_png(deck.url), width=220, alt=t(lang, "slides.qr_caption"))
        st.code(deck.url, language=None)
        st.caption(t(lang, "presentation.qr_setting", env=qr.ENV))
    else:
        st.info(t(lang, "presentation.qr_none", env=qr.ENV))
