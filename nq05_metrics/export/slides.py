"""Slide specs for a review report (sơ kết / tổng kết), built from :mod:`nq05_metrics.api` only.

:func:`build_deck` returns a :class:`Deck` of :class:`Slide` s for one view (as-of year, unit,
commodity, language) and one :class:`Meeting` (conference, agency, place, date, tasks, link):
title · summary (headline figures) · overview gauges · assessment (the review paragraph in
short parts) · since the last review · results by commodity · one slide per commodity (map +
trend) · the other commodities · unit × indicator heatmap · lagging indicators (gap, pace needed
to 2030) · tasks and recommendations · method · sources · closing · appendix. The presentation
page draws these specs on screen; :mod:`.pptx`, :mod:`.pdf` and :mod:`.docx` write them to
files, so they never disagree. Pictures are lazy (:meth:`Picture.png`) and drawn at their size
on the slide, so building the specs is cheap and every text in a picture is ≥ 14 pt there.

Here: the deck's :class:`View` and the builders; the spec types are in :mod:`.spec`, the words
and numbers of the slides (``7.420`` vi / ``7,420`` en, ``61,8%``) in :mod:`.wording`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import pandas as pd

from nq05_metrics import api, narrative
from nq05_metrics.export.spec import Deck, Geo, Meeting, Picture, Slide
from nq05_metrics.export.wording import footer_text, sfx, tr
from nq05_metrics.i18n import slashed
from nq05_metrics.loader import Dataset
from nq05_metrics.units import PROVINCE_CODE

#: The spec types live in :mod:`.spec` and the text helpers in :mod:`.wording`; the types a
#: caller of :func:`build_deck` handles are named here too (``from …slides import Deck``).
__all__ = ["Deck", "Geo", "Meeting", "Picture", "Slide", "View", "all_pictures", "build_deck",
           "build_view", "load_geo", "own_slide_commodities"]

# --------------------------------------------------------------------------- the view
@dataclass(frozen=True, eq=False)
class View:
    """What the slide builders share: the deck's :class:`nq05_metrics.api.View` (ONE status
    table for the unit and the districts; paragraph and series derived from it), the language,
    the boundaries, the meeting and the status rows of the last review (empty when none)."""

    base: api.View
    lang: str
    geo: Geo
    meeting: Meeting
    before: pd.DataFrame

    @property
    def ds(self) -> Dataset:
        return self.base.ds

    @property
    def as_of(self) -> int:
        return self.base.as_of

    @property
    def unit(self) -> str:
        return self.base.unit

    @property
    def commodity(self) -> str | None:
        return self.base.commodity

    @cached_property
    def rows(self) -> pd.DataFrame:
        return self.base.rows

    @cached_property
    def districts(self) -> pd.DataFrame:
        return self.base.districts

    @property
    def unit_name(self) -> str:
        return tr(self.lang, "province") if self.unit == PROVINCE_CODE else self.ds.units.name(
            self.unit, self.lang)

    def commodity_name(self, key: str | None) -> str:
        if not key:
            return tr(self.lang, "all_commodities")
        rows = self.ds.commodities.loc[self.ds.commodities["commodity"] == key]
        return str(rows.iloc[0][f"name_{sfx(self.lang)}"]) if len(rows) else str(key)

    @property
    def where(self) -> str:
        return f"{self.unit_name} · {tr(self.lang, 'as_of', year=self.as_of)}"

    def summary_parts(self, rows: pd.DataFrame | None = None,
                      max_names: int | None = None) -> list[str]:
        """The review paragraph of ``rows`` (default: every row of the unit) in short parts
        (:func:`nq05_metrics.narrative.parts`)."""
        name = None if self.unit == PROVINCE_CODE else self.ds.units.name(self.unit, self.lang)
        return narrative.parts(self.rows if rows is None else rows, self.lang, name, max_names)

    def series(self, row: pd.Series) -> pd.DataFrame:
        """:meth:`nq05_metrics.api.View.series` for one status row of the unit."""
        return self.base.series(str(row["indicator_id"]))

    def footer(self, rows: pd.DataFrame) -> str:
        return footer_text(self.ds, rows, self.lang)


def build_deck(
    ds: Dataset,
    as_of: int,
    unit_code: str | None = None,
    commodity: str | None = None,
    geo: Geo | None = None,
    lang: str = "vi",
    today: dt.date | None = None,
    meeting: Meeting | None = None,
    view: api.View | None = None,
    last: api.View | None = None,
) -> Deck:
    """The slides for one view. ``unit_code`` None = the province; ``commodity`` None = all;
    ``meeting``: the occasion (conference, agency, place, date, tasks, link, last review);
    ``view``: the :class:`nq05_metrics.api.View` of these filters when the caller already has
    it (the dashboard's cached one), else made here; ``last``: likewise the view of the last
    review's year (``meeting.compare_from``, default 2023).

    Raises ValueError for an unknown commodity key or a view of other filters."""
    from nq05_metrics.export import qr, report

    deck_view = build_view(ds, as_of, unit_code, commodity, geo, lang, today, meeting, view, last)
    unit, meeting = deck_view.unit, deck_view.meeting
    url = qr.view_url(meeting.base_url, as_of, unit, commodity, lang)
    return Deck(as_of, unit, commodity, lang, tuple(report.slides(deck_view, url)), meeting,
                url, deck_view)


def build_view(
    ds: Dataset,
    as_of: int,
    unit_code: str | None = None,
    commodity: str | None = None,
    geo: Geo | None = None,
    lang: str = "vi",
    today: dt.date | None = None,
    meeting: Meeting | None = None,
    view: api.View | None = None,
    last: api.View | None = None,
) -> View:
    """The :class:`View` the slides (and the Word appendix) are built from; arguments as
    :func:`build_deck`."""
    from nq05_metrics import review

    if commodity and commodity not in set(ds.indicators["commodity"]):
        valid = ", ".join(ds.commodities.sort_values("display_order")["commodity"])
        raise ValueError(slashed("slides.unknown_commodity", name=commodity, valid=valid))
    meeting = meeting or Meeting()
    if meeting.date is None:
        meeting = replace(meeting, date=today or dt.date.today())
    unit = unit_code or PROVINCE_CODE
    base = view if view is not None else api.View(ds, as_of, unit, commodity)
    same_data = base.ds is ds or base.ds.fingerprint == ds.fingerprint  # equal files, re-read
    if not same_data or (base.as_of, base.unit, base.commodity) != (as_of, unit, commodity):
        raise ValueError("the view does not match the deck's filters")
    year = meeting.compare_from or review.MID_TERM_YEAR
    if last is None and year < as_of:
        last = api.View(ds, year, unit, commodity)
    before = last.rows if last is not None and year < as_of else base.rows.iloc[0:0]
    return View(base, lang, geo or Geo(), meeting, before)


def own_slide_commodities(ds: Dataset) -> list[str]:
    """The commodities marked ``own_slide`` in ``commodities.csv`` (the key commodities of the
    resolution: one slide each with map and trend; the others share slides of gauges unless the
    deck is filtered to one), in display order."""
    table = ds.commodities.sort_values("display_order")
    return [str(c) for c in table.loc[table["own_slide"], "commodity"]]


def load_geo(geo_dir: Any) -> Geo:
    """District boundaries and outline from ``geo_dir`` (:mod:`nq05_metrics.geo.io`); an empty
    :class:`Geo` (maps show zones only, with a note) when the folder has no usable file."""
    from pathlib import Path

    from nq05_metrics.geo.io import DEFAULT_UNIT_SET, GeoDataError, load_folder

    try:
        layers, outline, approx = load_folder(Path(geo_dir))
    except GeoDataError:
        return Geo()
    return Geo(layers[DEFAULT_UNIT_SET], outline, approx, layers)


def all_pictures(slides: Sequence[Slide]) -> list[Picture]:
    """Every picture of ``slides`` that needs rendering, in order (progress, pre-rendering)."""
    return [p for s in slides for p in s.pictures if p.png_bytes is None]
