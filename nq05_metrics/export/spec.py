"""The slide specs every writer draws: :class:`Picture` (lazy, drawn at its size on the slide),
:class:`Table`, :class:`Slide`, :class:`Meeting` (the occasion), :class:`Deck` and :class:`Geo`
(boundaries for the maps). Built by :mod:`.slides`; drawn by :mod:`.pptx`, :mod:`.pdf`,
:mod:`.docx` and the presentation page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from nq05_metrics import charts
from nq05_metrics.export import render
from nq05_metrics.export.layout import Box

if TYPE_CHECKING:
    from nq05_metrics.export.slides import View


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
