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

Numbers: values as ``7.420`` (vi) / ``7,420`` (en); achievement with one decimal, ``61,8%``,
on gauges and in text alike (one rounding rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import pandas as pd

from nq05_metrics import api, charts, narrative
from nq05_metrics.export import measure, render, sources
from nq05_metrics.export.layout import FOOTER, FOOTER_STYLE, Box
from nq05_metrics.i18n import t
from nq05_metrics.loader import Dataset
from nq05_metrics.units import PROVINCE_CODE

PCT_DECIMALS = 1


def tr(lang: str, key: str, **values: object) -> str:
    """Slide string ``slides.<key>`` of the catalogue in ``lang`` (vi/en)."""
    return t("vi" if lang == "vi" else "en", f"slides.{key}", **values)


def sfx(lang: str) -> str:
    """Column suffix of a language (``name_vi`` / ``name_en``)."""
    return "vi" if lang == "vi" else "en"


def unit_word(row: Any, lang: str) -> str:
    """The unit of measure of a status row in ``lang`` (``unit_label_vi/en``, from
    ``units_of_measure.csv``); the unit code when the row has no label."""
    return str(row.get(f"unit_label_{sfx(lang)}", row["unit"]))


# --------------------------------------------------------------------------- spec types
@dataclass(frozen=True, eq=False)
class Picture:
    """One picture on a slide, built lazily and drawn at its slide size ``box`` (inches):
    ``make`` returns a Vega-Lite dict (trend) or an SVG string (gauge grid, shown scaled to the
    box), or ``map_spec`` describes a server-side map; ``png_bytes`` is a ready PNG (QR code).
    ``data`` is what the picture shows (CSV download); ``slot`` names its place in the layout."""

    slot: str
    caption: str
    box: Box
    make: Callable[[], Any] | None = None
    map_spec: Any = None
    data: pd.DataFrame | None = None
    png_bytes: bytes | None = None

    @cached_property
    def chart(self) -> Any:
        """The Vega-Lite dict (at slide size) or SVG (None for maps), built once."""
        if self.make is None:
            return None
        made = self.make()
        return made if isinstance(made, str) else render.slide_spec(
            made, self.box.w * 72, self.box.h * 72)

    def job(self, scale: int = render.PNG_SCALE) -> render.Job:
        """What to render (cache key, kind, payload)."""
        if self.map_spec is not None:
            from nq05_metrics.export.maps import map_job

            return map_job(self.map_spec)
        if isinstance(self.chart, str):
            return render.svg_job(self.chart, scale)
        return "vl:" + render.digest([self.chart, scale]), "vl", self.chart, scale

    def png(self, scale: int = render.PNG_SCALE) -> bytes:
        """PNG bytes, rendered in this process (cached by content)."""
        if self.png_bytes is not None:
            return self.png_bytes
        return render.run_job(self.job(scale))

    def natural_pt(self) -> tuple[float, float]:
        """Size of the picture at 1 px = 1 pt before it is fitted into its box."""
        if isinstance(self.chart, str):
            return charts.svg_size(self.chart)
        return self.box.w * 72, self.box.h * 72

    def slide_font_pt(self) -> list[float]:
        """Font sizes its spec asks for, in points at its size on the slide."""
        if self.map_spec is not None:
            return list(self.map_spec.font_sizes())
        if self.chart is None:
            return []
        w, h = self.natural_pt()
        scale = min(self.box.w * 72 / w, self.box.h * 72 / h)
        return [size * scale for size in render.font_sizes(self.chart)]


@dataclass(frozen=True)
class Table:
    """A native table: header, body rows, column widths (in), font size and optional fills
    (one hex colour or ``""`` per body cell)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    pt: int = 16
    fills: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, eq=False)
class Slide:
    """One slide: what is written (title, subtitle, bullets, paragraphs, table, tiles), drawn
    (pictures), noted (footer: sources + quality) and said (speaker notes). ``illustrative``:
    the slide shows illustrative values (it carries the visible mark); ``editable``: its
    bullets are meant to be edited in the PPTX (tasks)."""

    key: str
    kind: str
    title: str
    subtitle: str = ""
    bullets: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    pictures: tuple[Picture, ...] = ()
    table: Table | None = None
    tiles: tuple[tuple[str, str], ...] = ()
    footer: str = ""
    notes: str = ""
    illustrative: bool = False
    editable: bool = False

    def picture(self, slot: str) -> Picture | None:
        """The picture in ``slot`` or None."""
        return next((p for p in self.pictures if p.slot == slot), None)

    @property
    def narrative(self) -> str:
        """The paragraphs as one text (the review paragraph on the assessment slide)."""
        return " ".join(self.paragraphs)


@dataclass(frozen=True)
class Meeting:
    """The occasion: conference name ("" → "Hội nghị tổng kết …" at or after the target year,
    "sơ kết" before it), presenting agency, place, date (None → today), tasks ("" → pre-filled
    from the lagging indicators), the base URL of the dashboard for the QR code ("" → no code)
    and the year of the last review to compare with (None → the mid-term review, 2023)."""

    conference: str = ""
    agency: str = ""
    place: str = ""
    date: dt.date | None = None
    tasks: tuple[str, ...] = ()
    base_url: str = ""
    compare_from: int | None = None


@dataclass(frozen=True, eq=False)
class Deck:
    """The slides of one view plus the view itself."""

    as_of: int
    unit_code: str
    commodity: str | None
    lang: str
    slides: tuple[Slide, ...] = field(default_factory=tuple)
    meeting: Meeting = field(default_factory=Meeting)
    url: str = ""
    view: View | None = field(default=None, repr=False)

    def keys(self) -> list[str]:
        """Slide keys in order (``title``, ``summary``, ``commodity:macadamia``, …)."""
        return [s.key for s in self.slides]


@dataclass(frozen=True)
class Geo:
    """Map layers: district boundaries, province outline and every unit set's boundaries by
    name (GeoDataFrames, WGS84, or None)."""

    districts: Any = None
    outline: Any = None
    approximate: bool = False
    sets: dict[str, Any] = field(default_factory=dict)

    def layer(self, unit_set: str | None) -> Any:
        """Polygons of ``unit_set`` (the district layer for None), None when absent."""
        return self.districts if unit_set is None else self.sets.get(unit_set)


# --------------------------------------------------------------------------- formatting
def pct_text(pct: object, lang: str) -> str:
    """Achievement with one decimal: ``61,8%`` (vi), ``61.8%`` (en); ``–`` without."""
    number = charts.as_float(pct)
    return "–" if number is None else charts.format_number(number, lang, PCT_DECIMALS) + "%"


def num(value: object, lang: str) -> str:
    """A value in the display format (``–`` without)."""
    number = charts.as_float(value)
    return "–" if number is None else charts.format_number(number, lang)


def value_text(row: pd.Series, lang: str) -> str:
    """``7.420 / 12.000 ha`` (actual / target unit) from one status row."""
    target = num(row["target"], lang) if pd.notna(row["target"]) else tr(lang, "no_target")
    return f"{num(row['actual'], lang)} / {target} {unit_word(row, lang)}"


def status_text(row: pd.Series, lang: str) -> str:
    """Band symbol and label: ``◐ Đạt trên 50%``."""
    return f"{row['status_symbol']} {row[f'status_label_{sfx(lang)}']}"


def indicator_line(row: pd.Series, lang: str) -> str:
    """One bullet per indicator: name: actual / target unit — achievement — band."""
    return (f"{row[f'name_{sfx(lang)}']}: {value_text(row, lang)} — "
            f"{pct_text(row['achievement_pct'], lang)} — {status_text(row, lang)}")


def verdict_text(row: pd.Series, lang: str, outlook: bool = True) -> str:
    """At or after the target year: ``Đạt`` / ``Chưa đạt`` (never a forecast of a year that is
    over), then the outlook for 2030; before it: schedule and forecast flags."""
    flags = []
    if row["status"] == "no_data":
        return ""
    if int(row["as_of"]) >= int(row["target_year"]):
        flags.append(tr(lang, "met") if row["status"] == "achieved" else tr(lang, "not_met"))
    else:
        if pd.notna(row["on_schedule"]):
            flags.append(tr(lang, "on_track") if row["on_schedule"] else tr(lang, "behind_flag"))
        if pd.notna(row["forecast_met"]) and not row["forecast_met"]:
            flags.append(tr(lang, "forecast_flag", year=int(row["target_year"])))
    if outlook and pd.notna(row.get("forecast_met_2030")) and pd.notna(row.get("target_2030")):
        flags.append(tr(lang, "outlook_ok") if row["forecast_met_2030"] else tr(lang,
                                                                                 "outlook_off"))
    return "; ".join(flags)


def is_illustrative(rows: pd.DataFrame) -> bool:
    """Whether any value or target shown from ``rows`` is illustrative."""
    shown = rows[rows["status"] != "no_data"] if len(rows) else rows
    return bool((shown["quality"] == "illustrative").any()
                or (shown["target_quality"] == "illustrative").any())


# --------------------------------------------------------------------------- footers, notes
def footer_text(ds: Dataset, rows: pd.DataFrame, lang: str) -> str:
    """One line (measured at the footer's size): sources by publisher and date, as many as fit,
    ``(+n)`` for the others, then the quality flags present."""
    labels = ds.qualities.set_index("quality")[f"label_{sfx(lang)}"]
    flags = set(pd.concat([rows["quality"], rows["target_quality"]]).dropna())
    order = ds.qualities.sort_values("rank")["quality"]
    quality = tr(lang, "footer_quality", quality=", ".join(str(labels[q]) for q in order
                                                           if q in flags)) if flags else ""
    cited = [s.label for s in sources.distinct(rows, lang)]
    width = FOOTER.w - 0.1
    for n in range(len(cited), -1, -1):
        shown = "; ".join(cited[:n]) + (tr(lang, "more_sources", n=len(cited) - n)
                                        if n < len(cited) else "")
        text = " · ".join(p for p in (tr(lang, "footer_source", source=shown) if n else "",
                                      quality) if p)
        if measure.width_in(text, FOOTER_STYLE.max_pt) <= width or n == 0:
            return text or quality
    return quality


def notes_text(lead: str, rows: pd.DataFrame, lang: str) -> str:
    """Speaker notes: ``lead``, one line of figures per indicator, the full links."""
    lines = [lead, ""] if lead else []
    lines.append(tr(lang, "notes_numbers"))
    lines += [f"• {indicator_line(r, lang)} ({verdict_text(r, lang)})" for _, r in rows.iterrows()]
    links = [f"• {s.label}: {s.url}" for s in sources.distinct(rows, lang) if s.url]
    if links:
        lines += ["", tr(lang, "notes_links"), *links]
    return "\n".join(lines).strip()


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
        raise ValueError(tr("vi", "unknown_commodity", name=commodity, valid=valid) + " / "
                         + tr("en", "unknown_commodity", name=commodity, valid=valid))
    meeting = meeting or Meeting()
    if meeting.date is None:
        meeting = replace(meeting, date=today or dt.date.today())
    unit = unit_code or PROVINCE_CODE
    base = view if view is not None else api.View(ds, as_of, unit, commodity)
    if base.ds is not ds or (base.as_of, base.unit, base.commodity) != (as_of, unit, commodity):
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

    from nq05_metrics.geo.io import (
        DEFAULT_UNIT_SET,
        GeoDataError,
        load_province_outline,
        load_unit_layers,
    )

    try:
        layers = load_unit_layers(Path(geo_dir))
        outline = load_province_outline(Path(geo_dir))
    except GeoDataError:
        return Geo()
    districts = layers[DEFAULT_UNIT_SET]
    approx = bool(districts["approximate"].any() or outline["approximate"].any())
    return Geo(districts, outline, approx, layers)


def all_pictures(slides: Sequence[Slide]) -> list[Picture]:
    """Every picture of ``slides`` that needs rendering, in order (progress, pre-rendering)."""
    return [p for s in slides for p in s.pictures if p.png_bytes is None]
