"""Server-side maps for the slides (matplotlib/geopandas; no basemap, no WebGL), drawn at their
size on the slide so that every text is at least :data:`MIN_PT` points there.

Labels never collide: each unit's label starts at its polygon's representative point; a label
that would overlap one already placed (or leave the frame) moves to the nearest free spot on
rings around its point and gets a leader line. Zone points are drawn under the labels. A filtered
map zooms to the chosen unit, its neighbours pale around it.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import matplotlib
import pandas as pd

from nq05_metrics.export.render import FONT_FAMILY, Job, digest

MIN_PT = 14
TITLE_PT = 16
PALE = "#f1f1f1"
EDGE = "#555555"
DPI = 150
#: Offsets (points) tried around a label's anchor, nearest first, 12 directions per ring.
_RINGS = (0, 22, 40, 60, 85, 115)


@dataclass(frozen=True, eq=False)
class MapSpec:
    """What a map shows and at which size (inches on the slide).

    ``boundaries``: GeoDataFrame (``code``, geometry, WGS84) or None; ``fill``: unit code → fill
    colour; ``labels``: unit code → label (units without one are pale context); ``zones``: frame
    with ``lon, lat, area_ha, color`` and optional ``label``; ``legend``: (colour, text) pairs;
    ``note``: small print (e.g. "approximate boundaries"); ``zoom``: frame the labelled units."""

    title: str
    boundaries: Any = None
    fill: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    zones: pd.DataFrame | None = None
    legend: tuple[tuple[str, str], ...] = ()
    zone_legend: str = ""
    note: str = ""
    outline: Any = None
    width_in: float = 5.0
    height_in: float = 5.3
    zoom: bool = False

    def key(self) -> str:
        """Cache key: everything drawn."""
        geo = None
        if self.boundaries is not None:
            geo = [len(self.boundaries), float(self.boundaries.total_bounds.sum())]
        zones = None if self.zones is None else self.zones.to_json()
        return "map:" + digest([self.title, geo, dict(self.fill), dict(self.labels), zones,
                                self.legend, self.zone_legend, self.note, self.width_in,
                                self.height_in, self.zoom])

    def font_sizes(self) -> list[float]:
        """Font sizes (pt at slide size) of the texts this map draws."""
        return [float(TITLE_PT), float(MIN_PT)] + ([MIN_PT] if self.legend or self.zone_legend else []) + (
            [MIN_PT] if self.note else [])


def map_job(spec: MapSpec) -> Job:
    """The render job of a map (see :mod:`.render`)."""
    return spec.key(), "map", spec, DPI


def draw(spec: MapSpec) -> bytes:
    """PNG bytes of the map at ``width_in`` × ``height_in`` inches, :data:`DPI` dots per inch."""
    with matplotlib.rc_context({"font.family": FONT_FAMILY, "font.size": MIN_PT}):
        fig, _ = _figure(spec)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return buf.getvalue()


def label_boxes(spec: MapSpec) -> list[Any]:
    """Display boxes of the placed labels (what :func:`draw` draws), for checks."""
    with matplotlib.rc_context({"font.family": FONT_FAMILY, "font.size": MIN_PT}):
        return _figure(spec)[1]


def _figure(spec: MapSpec) -> tuple[Any, list[Any]]:
    """The map's figure and the boxes of its placed labels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(spec.width_in, spec.height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    title = textwrap.wrap(spec.title, max(12, int(spec.width_in * 72 / (0.62 * TITLE_PT))))
    top = (len(title) * TITLE_PT * 1.3 + (MIN_PT * 1.4 if spec.note else 0) + 6) / 72
    bottom = (_legend_rows(spec) * MIN_PT * 1.55 + 6) / 72
    ax = fig.add_axes((0.01, bottom / spec.height_in, 0.98, 1 - (top + bottom) / spec.height_in))
    ax.set_axis_off()
    _draw_units(ax, spec)
    _draw_zones(ax, spec.zones)
    _frame_extent(ax, spec)
    placed = _place_labels(fig, ax, spec)
    fig.text(0.02, 1 - 4 / 72 / spec.height_in, "\n".join(title), fontsize=TITLE_PT,
             fontweight="bold", ha="left", va="top")
    if spec.note:
        fig.text(0.98, 1 - (top - 2 / 72) / spec.height_in, spec.note, ha="right", va="bottom",
                 fontsize=MIN_PT, color="#444444")
    _legend(fig, spec)
    return fig, placed


def _halo() -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=3.5, foreground="white")]


def _draw_units(ax: Any, spec: MapSpec) -> None:
    """Unit fill (band colour; pale when unlabelled), outline, the chosen unit in bold."""
    gdf = spec.boundaries
    if gdf is None or len(gdf) == 0:
        return
    colors = [spec.fill.get(str(c), PALE) if str(c) in spec.labels or not spec.labels else PALE
              for c in gdf["code"]]
    gdf.plot(ax=ax, color=colors, edgecolor=EDGE, linewidth=0.8, zorder=1)
    if spec.outline is not None:
        spec.outline.boundary.plot(ax=ax, color="#222222", linewidth=1.6, zorder=2)
    chosen = gdf[gdf["code"].astype(str).isin(list(spec.labels))]
    if 0 < len(chosen) < len(gdf):
        chosen.boundary.plot(ax=ax, color="#000000", linewidth=2.4, zorder=2)


def _draw_zones(ax: Any, zones: pd.DataFrame | None) -> None:
    """Production zones as points (commune centres) sized by area, under the labels."""
    if zones is None or zones.empty:
        return
    area = pd.to_numeric(zones["area_ha"], errors="coerce").fillna(20.0)
    sizes = [max(30.0, min(300.0, 12.0 * math.sqrt(a))) for a in area]
    ax.scatter(zones["lon"], zones["lat"], s=sizes, c=list(zones["color"]), edgecolors="white",
               linewidths=1.0, zorder=3, alpha=0.8)


def _anchors(spec: MapSpec) -> list[tuple[float, float, str, bool]]:
    """(x, y, text, bold) of every label: units at their representative point (largest
    first), then zone names when there are few zones."""
    out: list[tuple[float, float, str, bool]] = []
    gdf = spec.boundaries
    if gdf is not None and len(gdf):
        chosen = gdf[gdf["code"].astype(str).isin(list(spec.labels))]
        chosen = chosen.assign(_a=[g.area for g in chosen.geometry]).sort_values("_a", ascending=False)
        for _, row in chosen.iterrows():
            pt = row.geometry.representative_point()
            out.append((pt.x, pt.y, spec.labels[str(row["code"])], True))
    zones = spec.zones
    if zones is not None and "label" in zones and 0 < len(zones) <= 4:
        out += [(float(x), float(y), str(s), False)
                for x, y, s in zip(zones["lon"], zones["lat"], zones["label"], strict=True)]
    return out


def _place_labels(fig: Any, ax: Any, spec: MapSpec) -> list[Any]:
    """Annotate every anchor at the nearest offset where its box overlaps no placed box and
    stays inside the axes; a moved label gets a leader line to its point."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = []
    for x, y, text, bold in _anchors(spec):
        ann = None
        for radius in _RINGS:
            for k in range(12 if radius else 1):
                angle = math.pi / 2 - k * math.pi / 6
                dx, dy = radius * math.cos(angle), radius * math.sin(angle)
                if ann is not None:
                    ann.remove()
                ann = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points",
                                  ha="center", va="center", fontsize=MIN_PT, zorder=6,
                                  fontweight="bold" if bold else "normal", color="#111111",
                                  path_effects=_halo())
                box = ann.get_window_extent(renderer).expanded(1.04, 1.08)
                inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                          and box.y1 <= frame.y1)
                if inside and not any(box.overlaps(b) for b in placed):
                    break
            else:
                continue
            break
        if ann is None:
            continue
        placed.append(ann.get_window_extent(renderer).expanded(1.04, 1.08))
        if ann.xyann != (0, 0):  # moved: draw it again with a leader line to its point
            offset = ann.xyann
            ann.remove()
            ax.annotate(text, (x, y), xytext=offset, textcoords="offset points", ha="center",
                        va="center", fontsize=MIN_PT, zorder=6, color="#111111",
                        fontweight="bold" if bold else "normal", path_effects=_halo(),
                        arrowprops={"arrowstyle": "-", "color": "#222222", "lw": 1.0,
                                    "shrinkA": 2, "shrinkB": 0})
            ax.plot([x], [y], marker="o", markersize=3, color="#222222", zorder=6)
    return placed


def _legend_rows(spec: MapSpec) -> int:
    n = len(spec.legend)
    return math.ceil(n / 2) + (1 if spec.zone_legend else 0)


def _legend(fig: Any, spec: MapSpec) -> None:
    """Band swatches in two columns, the zone marker on its own row, at :data:`MIN_PT`."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [Patch(facecolor=c, edgecolor=EDGE, label=t) for c, t in spec.legend]
    if handles:
        fig.legend(handles=handles, loc="lower left", ncol=2, fontsize=MIN_PT, frameon=False,
                   bbox_to_anchor=(0.0, (MIN_PT * 1.55 / 72 if spec.zone_legend else 0)
                                   / spec.height_in), handlelength=1.0, columnspacing=0.8,
                   borderaxespad=0.2, handletextpad=0.4)
    if spec.zone_legend:
        zone = Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor="#444444",
                      markeredgecolor="white", label=spec.zone_legend)
        fig.legend(handles=[zone], loc="lower left", fontsize=MIN_PT, frameon=False,
                   bbox_to_anchor=(0.0, 0.0), handlelength=1.0, borderaxespad=0.2,
                   handletextpad=0.4)


def _frame_extent(ax: Any, spec: MapSpec) -> None:
    """Lon/lat axes with the aspect of the local latitude (1/cos φ): the province, or the
    labelled units when ``zoom`` (with a 25 % margin)."""
    gdf = spec.boundaries
    if gdf is not None and len(gdf):
        chosen = gdf[gdf["code"].astype(str).isin(list(spec.labels))]
        x0, y0, x1, y1 = (chosen if spec.zoom and len(chosen) else gdf).total_bounds
        pad = (0.25 if spec.zoom else 0.03) * max(x1 - x0, y1 - y0)
    elif spec.zones is not None and not spec.zones.empty:
        x0, x1 = spec.zones["lon"].min() - 0.3, spec.zones["lon"].max() + 0.3
        y0, y1 = spec.zones["lat"].min() - 0.3, spec.zones["lat"].max() + 0.3
        pad = 0.03
    else:
        x0, y0, x1, y1, pad = 102.3, 21.6, 104.0, 22.9, 0.03
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
