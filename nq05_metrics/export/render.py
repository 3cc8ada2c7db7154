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
import json
import re
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib

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
        from nq05_metrics.export.maps import draw

        return draw(payload)
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
    """A Vega-Lite dict (:class:`nq05_metrics.charts.Spec`) ready for vl-convert: fixed width, the
    DejaVu Sans font for every text mark, title and axis."""
    spec = copy.deepcopy(dict(chart))
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


#: Smallest text (px) in a picture drawn at its slide size (1 px = 1 pt): readable from the back.
MIN_FONT = 15
_SIZE_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")


def slide_spec(chart: Any, width_pt: float, height_pt: float, min_px: int = MIN_FONT
               ) -> dict[str, Any]:
    """Vega-Lite dict drawn at its place on a slide: the whole picture (axes, legend, title
    included: ``autosize fit``) ``width_pt`` × ``height_pt`` px, shown at 1 px = 1 pt, and every
    font size at least ``min_px`` (axis labels and titles, legend, title, text marks)."""
    spec = png_spec(chart, int(width_pt))
    spec["width"], spec["height"] = int(width_pt), int(height_pt)
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    config = spec["config"]
    for part, keys in (("axis", ("labelFontSize", "titleFontSize")),
                       ("legend", ("labelFontSize", "titleFontSize")),
                       ("title", ("fontSize", "subtitleFontSize")),
                       ("text", ("fontSize",)), ("mark", ("fontSize",))):
        section = config.setdefault(part, {})
        for key in keys:
            section[key] = max(min_px, int(section.get(key, 0) or 0))
    config["legend"]["columns"] = 2
    _raise_fonts(spec, min_px)
    _drop_shape_legend(spec)
    _stagger_labels(spec, min_px)
    return spec


def _drop_shape_legend(node: Any) -> None:
    """No legend for point shapes (the quality flags; the slide's footer names the quality):
    the series legend alone fits under a chart of slide size."""
    if isinstance(node, dict):
        shape = node.get("encoding", {}).get("shape") if isinstance(node.get("encoding"),
                                                                       dict) else None
        if isinstance(shape, dict):
            shape["legend"] = None
        for value in node.values():
            _drop_shape_legend(value)
    elif isinstance(node, list):
        for item in node:
            _drop_shape_legend(item)


def _stagger_labels(spec: dict[str, Any], min_px: int) -> None:
    """A layer whose several data rows are labelled by one text mark (the milestones of a trend)
    gets one text mark per row, each a line lower than the one before, so labels close in x do
    not overprint."""
    for layer in spec.get("layer", []) or []:
        values = layer.get("data", {}).get("values") if isinstance(layer.get("data"), dict) else None
        subs = layer.get("layer")
        if not values or len(values) < 2 or not subs:
            continue
        out = []
        for sub in subs:
            mark = sub.get("mark", {})
            if isinstance(mark, dict) and mark.get("type") == "text":
                for i, value in enumerate(values):
                    one = copy.deepcopy(sub)
                    one["data"] = {"values": [value]}
                    one["mark"]["dy"] = float(mark.get("dy", 0)) + i * (min_px + 4)
                    if i and i == len(values) - 1:  # the last milestone reads leftwards: never
                        # clipped at the right edge
                        one["mark"]["align"] = "right"
                        one["mark"]["dx"] = -abs(float(mark.get("dx", 4)))
                    out.append(one)
            else:
                out.append(sub)
        layer["layer"] = out


def _raise_fonts(node: Any, min_px: int) -> None:
    """Every explicit font size in ``node`` (recursively) raised to at least ``min_px``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _SIZE_KEYS and isinstance(value, int | float):
                node[key] = max(min_px, value)
            else:
                _raise_fonts(value, min_px)
    elif isinstance(node, list):
        for item in node:
            _raise_fonts(item, min_px)


def font_sizes(node: Any) -> list[float]:
    """Every explicit font size in a Vega-Lite dict or an SVG string (px)."""
    if isinstance(node, str):
        return [float(v) for v in re.findall(r'font-size="([\d.]+)"', node)]
    out: list[float] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _SIZE_KEYS and isinstance(value, int | float):
                out.append(float(value))
            else:
                out += font_sizes(value)
    elif isinstance(node, list):
        for item in node:
            out += font_sizes(item)
    return out


def _font_keys(part: str) -> tuple[str, ...]:
    return {"title": ("font", "subtitleFont"), "axis": ("labelFont", "titleFont"),
            "legend": ("labelFont", "titleFont"), "header": ("labelFont", "titleFont")}[part]


def chart_job(chart: Any, scale: int = PNG_SCALE, width: int = DEFAULT_WIDTH) -> Job:
    """The :data:`Job` of a Vega-Lite dict (see :func:`png_spec`)."""
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


