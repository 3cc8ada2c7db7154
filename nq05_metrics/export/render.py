"""Server-side pictures: Vega-Lite chart → PNG (vl-convert), SVG (gauges) → PNG (vl-convert's
resvg), map → PNG (matplotlib). Pure functions;
no Streamlit, no browser, no WebGL. (CSV downloads: :func:`nq05_metrics.serialise.csv_bytes`.)

Fonts: every picture uses DejaVu Sans, shipped inside matplotlib (``mpl-data/fonts/ttf``), which
covers Vietnamese (precomposed NFC letters such as ``ặ``, ``ữ``, ``Đ``). vl-convert is told about
that directory once (:func:`ensure_fonts`) and chart specs get ``config.font = "DejaVu Sans"``, so
a PNG never falls back to a font without the diacritics.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import math
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd

PNG_SCALE = 2
DEFAULT_WIDTH = 760
FONT_FAMILY = "DejaVu Sans"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
_CACHE_SIZE = 96
_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


# --------------------------------------------------------------------------- fonts and cache
@lru_cache(maxsize=1)
def ensure_fonts() -> str:
    """Register matplotlib's DejaVu fonts with vl-convert (once per process); returns the dir."""
    import vl_convert as vlc

    vlc.register_font_directory(str(FONT_DIR))
    return str(FONT_DIR)


def _cached(key: str, make: Callable[[], bytes]) -> bytes:
    """PNG bytes for ``key`` from a small in-process LRU (the PPTX and the PDF of one view share
    their pictures), else ``make()``."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    data = make()
    with _lock:
        _cache[key] = data
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return data


def digest(payload: object) -> str:
    """Stable short hash of a JSON-able payload (cache key)."""
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


#: A picture to render: (cache key, kind ``"vl"`` | ``"svg"`` | ``"map"``, payload, scale).
Job = tuple[str, str, Any, int]


def run_job(job: Job) -> bytes:
    """PNG bytes of a :data:`Job`, from the cache or rendered in this process."""
    key, kind, payload, scale = job
    return _cached(key, lambda: _render(kind, payload, scale))


def _render(kind: str, payload: Any, scale: int) -> bytes:
    """Render one job (here or in the helper process): vl-convert for Vega-Lite, its resvg for
    SVG, matplotlib for maps."""
    if kind == "map":
        return _map_png(payload, *MAP_SIZE)
    import vl_convert as vlc

    ensure_fonts()
    if kind == "svg":
        return vlc.svg_to_png(payload, scale=max(2, scale))
    return vlc.vegalite_to_png(payload, scale=max(2, scale))


def _warm_helper(kind: str) -> None:
    """First job of a helper process: import what its jobs need; for ``vl`` also start
    vl-convert (fonts, JS engine ≈ 0.8 s)."""
    if kind == "vl":
        _render("vl", {"mark": "point", "data": {"values": [{"a": 1}]}}, 2)


def _start_without_main(pools: Mapping[str, Any]) -> None:
    """Start the helper processes now, without the caller's main script.

    ``spawn`` re-imports ``__main__`` by its path in every child — and inside Streamlit the
    ``__main__`` of a script run is ``app.py``, so each helper would run the whole app (seen
    in the server log as "No runtime found" warnings from the helpers, and seconds of CPU
    taken from the export). A stand-in ``__main__`` without a file is installed for the moment
    the processes are created (``ProcessPoolExecutor`` starts them inside ``submit``)."""
    real = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        for kind, pool in pools.items():
            pool.submit(_warm_helper, kind)
    finally:
        if real is not None:
            sys.modules["__main__"] = real


class Elsewhere:
    """Renders picture jobs in two spawned helper processes while this one goes on: one for
    vl-convert (charts, SVG), one for matplotlib (maps).

    Why processes, not threads: vl-convert holds the GIL for the whole conversion (measured:
    a 0.84 s first conversion stops every Python thread for 0.84 s) and matplotlib mostly does
    too, so threads never overlap with the caller's work; the helpers use the second core
    while this process builds chart specs and lays out pages. Results land in this process's
    cache. Anything that fails there (no process possible, a job error) is rendered here."""

    def __init__(self) -> None:
        self._pools: dict[str, Any] = {}
        try:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            spawn = multiprocessing.get_context("spawn")
            self._pools = {"vl": ProcessPoolExecutor(1, mp_context=spawn),
                           "map": ProcessPoolExecutor(1, mp_context=spawn)}
            _start_without_main(self._pools)
        except Exception:  # noqa: BLE001 (no second process here: render in-process)
            self.close()

    def submit(self, job: Job) -> Callable[[], bytes]:
        """Queue ``job``; returns a function that waits for (and caches) its PNG bytes."""
        key, kind, payload, scale = job
        with _lock:
            ready = _cache.get(key)
        pool = self._pools.get("map" if kind == "map" else "vl")
        if ready is not None or pool is None:
            return lambda: ready if ready is not None else run_job(job)
        try:
            future = pool.submit(_render, kind, payload, scale)
        except Exception:  # noqa: BLE001 (pool broken: render here)
            return lambda: run_job(job)

        def result() -> bytes:
            try:
                png = future.result(timeout=120)
            except Exception:  # noqa: BLE001 (the helper failed this job: render it here)
                return run_job(job)
            return _cached(key, lambda: png)

        return result

    def close(self) -> None:
        """Stop the helpers (pending jobs are cancelled)."""
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)
        self._pools = {}


# --------------------------------------------------------------------------- charts
def _fix_container_width(spec: dict[str, Any], width: int) -> None:
    """Replace ``width: "container"`` (a browser-only size) by ``width`` pixels, recursively."""
    if spec.get("width") == "container":
        spec["width"] = width
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key, []) or []:
            if isinstance(sub, dict):
                _fix_container_width(sub, width)


def png_spec(chart: Any, width: int = DEFAULT_WIDTH) -> dict[str, Any]:
    """Vega-Lite dict of an altair chart (or a dict) ready for vl-convert: fixed width, the
    DejaVu Sans font for every text mark, title and axis."""
    spec = copy.deepcopy(chart) if isinstance(chart, dict) else chart.to_dict(validate=False)
    _fix_container_width(spec, width)
    config = spec.setdefault("config", {})
    config["font"] = FONT_FAMILY
    for part in ("title", "axis", "legend", "header", "text", "mark"):
        section = config.setdefault(part, {})
        if part in ("text", "mark"):
            section["font"] = FONT_FAMILY
        else:
            section.update({k: FONT_FAMILY for k in _font_keys(part)})
    config.setdefault("background", "white")
    return spec


def _font_keys(part: str) -> tuple[str, ...]:
    return {"title": ("font", "subtitleFont"), "axis": ("labelFont", "titleFont"),
            "legend": ("labelFont", "titleFont"), "header": ("labelFont", "titleFont")}[part]


def chart_job(chart: Any, scale: int = PNG_SCALE, width: int = DEFAULT_WIDTH) -> Job:
    """The :data:`Job` of an altair chart or Vega-Lite dict (see :func:`png_spec`)."""
    spec = png_spec(chart, width)
    return "vl:" + digest([spec, scale]), "vl", spec, scale


def svg_job(svg: str, scale: int = PNG_SCALE) -> Job:
    """The :data:`Job` of an SVG (rasterised by resvg inside vl-convert, no JS engine)."""
    return "svg:" + digest([svg, scale]), "svg", svg, scale


def chart_png(chart: Any, scale: int = PNG_SCALE, width: int = DEFAULT_WIDTH) -> bytes:
    """PNG bytes of an altair chart at ``scale`` (≥ 2) with Vietnamese-capable fonts."""
    return run_job(chart_job(chart, scale, width))


def svg_png(svg: str, scale: int = PNG_SCALE) -> bytes:
    """PNG bytes of an SVG; text finds DejaVu Sans through :func:`ensure_fonts`."""
    return run_job(svg_job(svg, scale))


# --------------------------------------------------------------------------- maps
@dataclass(frozen=True, eq=False)
class MapSpec:
    """What a server-side map shows.

    ``boundaries``: GeoDataFrame (``code``, ``name_vi``, geometry, WGS84) or None;
    ``fill``: unit code → fill colour; ``labels``: unit code → label (units without a label are
    drawn pale and unlabelled: context only); ``zones``: frame with ``lon, lat, area_ha, color``
    and optional ``label``; ``legend``: (colour, text) pairs; ``note``: small print (e.g.
    "approximate boundaries")."""

    title: str
    boundaries: Any = None
    fill: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    zones: pd.DataFrame | None = None
    legend: tuple[tuple[str, str], ...] = ()
    zone_legend: str = ""
    note: str = ""
    outline: Any = None

    def key(self) -> str:
        """Cache key: everything drawn."""
        geo = None
        if self.boundaries is not None:
            geo = [len(self.boundaries), float(self.boundaries.total_bounds.sum())]
        zones = None if self.zones is None else self.zones.to_json()
        return "map:" + digest([self.title, geo, dict(self.fill), dict(self.labels), zones,
                                self.legend, self.zone_legend, self.note])


PALE = "#f1f1f1"
EDGE = "#555555"


def _new_axes(width_in: float, height_in: float) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=100)
    fig.patch.set_facecolor("white")
    ax = fig.add_axes((0.01, 0.10, 0.98, 0.80))
    ax.set_axis_off()
    return fig, ax


def _halo() -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=3.5, foreground="white")]


def _draw_units(ax: Any, spec: MapSpec) -> None:
    """District fill (status colour; pale when not in ``labels``) and labels with a white halo."""
    gdf = spec.boundaries
    if gdf is None or len(gdf) == 0:
        return
    colors = [spec.fill.get(str(c), PALE) if str(c) in spec.labels or not spec.labels else PALE
              for c in gdf["code"]]
    gdf.plot(ax=ax, color=colors, edgecolor=EDGE, linewidth=0.8)
    if spec.outline is not None:
        spec.outline.boundary.plot(ax=ax, color="#222222", linewidth=1.6)
    chosen = gdf[gdf["code"].astype(str).isin(list(spec.labels))]
    if 0 < len(chosen) < len(gdf):
        chosen.boundary.plot(ax=ax, color="#000000", linewidth=2.4)
    for _, row in chosen.iterrows():
        pt = row.geometry.representative_point()
        ax.annotate(spec.labels[str(row["code"])], (pt.x, pt.y), ha="center", va="center",
                    fontsize=11, fontweight="bold", color="#111111", path_effects=_halo())


def _draw_zones(ax: Any, zones: pd.DataFrame | None) -> None:
    """Commodity zones as points (commune centroids) sized by area, labelled when few."""
    if zones is None or zones.empty:
        return
    area = pd.to_numeric(zones["area_ha"], errors="coerce").fillna(20.0)
    sizes = [max(40.0, min(600.0, 18.0 * math.sqrt(a))) for a in area]
    ax.scatter(zones["lon"], zones["lat"], s=sizes, c=list(zones["color"]), edgecolors="white",
               linewidths=1.4, zorder=5, alpha=0.95)
    if "label" in zones and len(zones) <= 4:
        for lon, lat, text in zip(zones["lon"], zones["lat"], zones["label"], strict=True):
            ax.annotate(str(text), (lon, lat), xytext=(6, -10), textcoords="offset points",
                        fontsize=8, color="#222222", path_effects=_halo(), zorder=6)


def _legend(fig: Any, spec: MapSpec) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [Patch(facecolor=c, edgecolor=EDGE, label=t) for c, t in spec.legend]
    if spec.zone_legend:
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=10,
                              markerfacecolor="#444444", markeredgecolor="white",
                              label=spec.zone_legend))
    if handles:
        fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=9, frameon=False,
                   bbox_to_anchor=(0.5, 0.0), handlelength=1.2, columnspacing=1.0)


MAP_SIZE = (6.4, 5.6, 150)  # width (in), height (in), dpi


def _map_key(spec: MapSpec, size: tuple[float, float, int] = MAP_SIZE) -> str:
    return spec.key() + f":{size[0]}x{size[1]}@{size[2]}"


def map_job(spec: MapSpec) -> Job:
    """The :data:`Job` of a map at :data:`MAP_SIZE`."""
    return _map_key(spec), "map", spec, MAP_SIZE[2]


def map_png(spec: MapSpec) -> bytes:
    """PNG bytes of a map drawn server-side with matplotlib/geopandas (no basemap, no WebGL):
    unit fill + outline, zone points, Vietnamese labels in DejaVu Sans, legend and note."""
    return run_job(map_job(spec))


def _map_png(spec: MapSpec, width_in: float, height_in: float, dpi: int) -> bytes:
    fig, ax = _new_axes(width_in, height_in)
    with matplotlib.rc_context({"font.family": FONT_FAMILY}):
        _draw_units(ax, spec)
        _draw_zones(ax, spec.zones)
        _frame_extent(ax, spec)
        fig.suptitle(spec.title, fontsize=14, fontweight="bold", x=0.02, ha="left", y=0.97)
        _legend(fig, spec)
        if spec.note:
            fig.text(0.99, 0.905, spec.note, ha="right", va="bottom", fontsize=8, color="#555555")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def _frame_extent(ax: Any, spec: MapSpec) -> None:
    """Lon/lat axes with the aspect of the local latitude (1/cos φ) and a small margin."""
    if spec.boundaries is not None and len(spec.boundaries):
        x0, y0, x1, y1 = spec.boundaries.total_bounds
    elif spec.zones is not None and not spec.zones.empty:
        x0, x1 = spec.zones["lon"].min() - 0.3, spec.zones["lon"].max() + 0.3
        y0, y1 = spec.zones["lat"].min() - 0.3, spec.zones["lat"].max() + 0.3
    else:
        x0, y0, x1, y1 = 102.3, 21.6, 104.0, 22.9
    pad = 0.03 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
