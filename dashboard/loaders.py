"""The ONE Streamlit-aware loader module: cached wrappers over :mod:`nq05_metrics.api`.

* The dataset is loaded once per (folder, file stamps) with ``st.cache_resource``: the stamp is
  each file's name, size and mtime, so an edited or replaced file is re-read on the next run.
* Tables are cached with ``st.cache_resource`` keyed by the dataset's ``fingerprint`` (sha256
  of the files' bytes); the ``Dataset`` itself is passed as ``_ds`` (not hashed). Each call
  returns a shallow copy (``copy(deep=False)``): with pandas' copy-on-write a page can never
  alter the cached table, and a hit costs microseconds instead of ``cache_data``'s pickle
  round-trip (0.19 s for the 200k-row commune-scale status table, measured).
* A broken data folder never raises: :func:`dataset` returns :class:`Loaded` with the problems
  and, when an earlier load of the same folder succeeded in this server, that last good dataset
  (``stale=True``).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import streamlit as st

from nq05_metrics import api, charts
from nq05_metrics.contract import DataContractError, Problem
from nq05_metrics.i18n import both
from nq05_metrics.loader import Dataset, FolderRead, dataset_from, read_folder

if TYPE_CHECKING:  # geopandas loads only on pages with a map (≈ 0.3 s less for the first visit)
    from nq05_metrics.geo.layers import MapLayers

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
DATA_ENV = "NQ05_DATA_DIR"
GEO_ENV = "NQ05_GEO_DIR"


def _folder(env: str, default: str) -> Path:
    """``$env`` if set (relative paths are taken from the repository root), else ``ROOT/default``."""
    path = Path(os.environ.get(env) or default)
    return path if path.is_absolute() else ROOT / path


def data_dir() -> Path:
    """The data folder: ``$NQ05_DATA_DIR`` or ``data/``."""
    return _folder(DATA_ENV, "data")


def geo_dir() -> Path:
    """The boundary folder: ``$NQ05_GEO_DIR`` or ``geo/``."""
    return _folder(GEO_ENV, "geo")


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """(name, size, mtime_ns) of every file in ``folder``: changes when a file changes."""
    if not folder.is_dir():
        return ()
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                 for p in sorted(folder.iterdir()) if p.is_file())


@dataclass(frozen=True)
class Loaded:
    """Outcome of loading the data folder: the dataset (None if it never loaded), the problems
    that stopped this load, and whether ``ds`` is the last good version shown instead."""

    ds: Dataset | None
    problems: tuple[Problem, ...] = ()
    stale: bool = False
    folder: str = ""


def _settle_heap() -> None:
    """Move every object alive now (the imported libraries, the dataset just loaded) out of the
    garbage collector's reach (``gc.freeze``). Streamlit runs a full ``gc.collect(2)`` after every
    script run (``runner.postScriptGC``); with pandas, pyarrow and the package imported that
    collection scanned the whole long-lived heap and was half the server CPU of a visit (profile
    in bench/README.md). Frozen objects are still freed by reference counting; only garbage
    cycles alive at this moment stay, once per dataset version."""
    gc.freeze()


@st.cache_data(max_entries=8, show_spinner=False)
def _import_plan(raw: bytes, name: str, folder: str, options: object, fp: str) -> object:
    from nq05_metrics import intake

    return intake.plan_import(raw, name, Path(folder), options,  # type: ignore[arg-type]
                              folder_read(Path(folder)))


def import_plan(raw: bytes, name: str, folder: Path, options: object) -> object:
    """The import plan of an uploaded file (:func:`nq05_metrics.intake.plan_import`) per file,
    options and folder state: reruns of the Data page reuse it; a change to the folder makes a
    new one."""
    return _import_plan(raw, name, str(folder), options, folder_read(Path(folder)).fingerprint)


@st.cache_resource(show_spinner=False, max_entries=8)
def _last_good() -> dict[str, Dataset]:
    """Server-wide memory of the last dataset that loaded from each folder."""
    return {}


@st.cache_resource(show_spinner=False, max_entries=8)
def _folder_read(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> FolderRead:
    return read_folder(Path(folder))


def folder_read(folder: Path | None = None) -> FolderRead:
    """The one parse of a data folder (default :func:`data_dir`) per state of its files, shared
    by the app's dataset and the steward's upload check and downloads."""
    folder = data_dir() if folder is None else Path(folder)
    return _folder_read(str(folder), _stamp(folder))


@st.cache_resource(show_spinner=False, max_entries=8)
def _load(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> Loaded:
    try:
        ds = dataset_from(_folder_read(folder, stamp))
    except DataContractError as err:
        good = _last_good().get(folder)
        return Loaded(good, tuple(err.problems), stale=good is not None, folder=folder)
    except OSError as err:
        why = err.strerror or type(err).__name__  # never the server's absolute path
        problem = Problem(Path(folder).name, None, None, *both("errors.folder_unreadable", why=why),
                          *both("errors.folder_unreadable_fix"), "error")
        return Loaded(None, (problem,), folder=folder)
    _last_good()[folder] = ds
    _settle_heap()
    return Loaded(ds, folder=folder)


def dataset() -> Loaded:
    """The dataset of :func:`data_dir`, reloaded when any of its files changes."""
    folder = data_dir()
    return _load(str(folder), _stamp(folder))


# ----------------------------------------------------------------- the view and tables
@st.cache_resource(show_spinner=False, max_entries=64)
def _view(_ds: Dataset, fp: str, as_of: int, unit: str, commodity: str | None) -> api.View:
    return api.View(_ds, as_of, unit, commodity)


def view(ds: Dataset, as_of: int, unit_code: str, commodity: str | None = None) -> api.View:
    """The :class:`nq05_metrics.api.View` of (dataset, as-of, unit, commodity), cached by the
    dataset's fingerprint and the filters: its ONE status table and everything derived from it
    (unit rows, district rows, paragraph, series, ranking) are computed once per server and
    shared by every page, session and the slide deck."""
    return _view(ds, ds.fingerprint, as_of, unit_code, commodity)


@st.cache_resource(show_spinner=False, max_entries=16)
def _consistency(_ds: Dataset, fp: str) -> pd.DataFrame:
    return api.consistency(_ds)


def consistency(ds: Dataset) -> pd.DataFrame:
    """:func:`nq05_metrics.api.consistency`, cached."""
    return _consistency(ds, ds.fingerprint).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=16)
def _observations(_ds: Dataset, fp: str) -> pd.DataFrame:
    return api.observations(_ds)


def observations(ds: Dataset) -> pd.DataFrame:
    """:func:`nq05_metrics.api.observations` (with derived province totals), cached."""
    return _observations(ds, ds.fingerprint).copy(deep=False)


@st.cache_data(show_spinner=False, max_entries=16)
def _years(_ds: Dataset, fp: str) -> tuple[list[int], int]:
    return api.years(_ds), api.default_as_of(_ds)


def years(ds: Dataset) -> tuple[list[int], int]:
    """(years with observations, the default as-of year), cached."""
    return _years(ds, ds.fingerprint)


# ----------------------------------------------------------------- page parts as text
@st.cache_resource(show_spinner=False, max_entries=512)
def _page_text(name: str, key: tuple[object, ...], _build: Callable[[], str]) -> str:
    return _build()


def page_text(name: str, key: tuple[object, ...], build: Callable[[], str]) -> str:
    """``build()`` — the HTML or Markdown of a page part (the indicator table, the gauges) —
    made once per server for ``(name, key)``; the caller names everything the text depends on
    (``(ds.fingerprint, filters)``: data, year, unit, commodity, language). The next visitor with
    the same view gets the same string without building it again (a string is immutable, so
    sharing it is safe)."""
    return _page_text(name, key, build)


# ----------------------------------------------------------------- chart specs
@st.cache_data(show_spinner=False, max_entries=2048)
def _chart_spec(builder: str, key: tuple[object, ...], _args: tuple[object, ...],
                _kwargs: dict[str, object]) -> dict[str, object]:
    return dict(getattr(charts, builder)(*_args, **_kwargs))


def chart_spec(builder: str, key: tuple[object, ...], *args: object, **kwargs: object
               ) -> dict[str, object]:
    """``nq05_metrics.charts.<builder>(*args, **kwargs)`` as a Vega-Lite dict (data inline as
    ``values``), cached under ``key`` (the caller names everything the chart depends on, e.g.
    ``(fingerprint, indicator, filters)``); each call gets its own copy (``cache_data``)."""
    return _chart_spec(builder, key, args, kwargs)


# ----------------------------------------------------------------- geography
@dataclass(frozen=True)
class Boundaries:
    """District polygons and province outline (GeoDataFrames, WGS84) or the reason they are
    missing (``error_vi``/``error_en``); ``approximate`` when any polygon is approximate.
    ``sets`` holds every unit set's polygons found (``district_2008_2025``, and
    ``commune_2025`` when its file is there)."""

    districts: object | None
    province: object | None
    approximate: bool = False
    error_vi: str = ""
    error_en: str = ""
    stamp: tuple[tuple[str, int, int], ...] = ()
    sets: dict[str, object] = field(default_factory=dict)

    def layer(self, unit_set: str | None) -> object | None:
        """Polygons of ``unit_set`` (the district layer for None), or None when absent."""
        return self.districts if unit_set is None else self.sets.get(str(unit_set))


@st.cache_resource(show_spinner=False, max_entries=8)
def _boundaries(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> Boundaries:
    from nq05_metrics.geo.io import DEFAULT_UNIT_SET, GeoDataError, load_folder

    try:
        layers, province, approx = load_folder(Path(folder))
    except GeoDataError as err:
        return Boundaries(None, None, error_vi=err.format("vi"), error_en=err.format("en"),
                          stamp=stamp)
    _settle_heap()  # geopandas, shapely and pyproj were just imported
    return Boundaries(layers[DEFAULT_UNIT_SET], province, approximate=approx, stamp=stamp,
                      sets=dict(layers))


def boundaries() -> Boundaries:
    """Boundaries from :func:`geo_dir`, re-read when a file there changes; never raises."""
    folder = geo_dir()
    return _boundaries(str(folder), _stamp(folder))


@st.cache_data(show_spinner=False, max_entries=256)
def _map_layers(key: tuple[object, ...], _geo: Boundaries, _values: dict[str, float],
                _zones: pd.DataFrame, commodity: str | None, year: int,
                _paint: Callable[[float | None], list[int]] | None,
                unit_set: str | None) -> MapLayers:
    from nq05_metrics.geo.layers import map_layers

    return map_layers(_geo.layer(unit_set), _values, _zones, commodity, year,  # type: ignore[arg-type]
                      color_for=_paint, outline=_geo.province)  # type: ignore[arg-type]


def map_layers_cached(key: tuple[object, ...], geo: Boundaries, values: dict[str, float],
                      zones: pd.DataFrame, commodity: str | None, year: int,
                      paint: Callable[[float | None], list[int]] | None = None,
                      unit_set: str | None = None) -> MapLayers:
    """:func:`nq05_metrics.geo.map_layers` for the loaded polygons of ``unit_set`` (default the
    former districts), cached under ``key`` plus the boundary files' stamp (the caller names the
    data the values depend on)."""
    return _map_layers((*key, geo.stamp, commodity, year, unit_set), geo, values, zones,
                       commodity, year, paint, unit_set)


@st.cache_resource(show_spinner=False, max_entries=64)
def _deck(key: tuple[object, ...], _make: Callable[[], T]) -> T:
    return _make()


def deck_cached(key: tuple[object, ...], make: Callable[[], T]) -> T:
    """``make()`` once per ``key`` for the whole server (a map deck, or the map page's view of
    the status rows): ``key`` must name everything the result depends on (dataset fingerprint,
    filters, toggles, boundary stamp). The result is shared by every session — read only."""
    return _deck(key, make)
