"""Review-conference exports: slide specs (:mod:`.slides`), PPTX (:mod:`.pptx`), PDF
(:mod:`.pdf`), server-side chart and map pictures (:mod:`.render`) and the CLI (:mod:`.cli`).

Everything is built from :mod:`nq05_metrics.api` and :mod:`nq05_metrics.charts`, the functions the
pages use, so the deck, the PDF and the screen show the same numbers. No Streamlit here.
"""

from __future__ import annotations

from nq05_metrics.export.slides import Deck, Picture, Slide, build_deck

__all__ = ["Deck", "Picture", "Slide", "build_deck"]
