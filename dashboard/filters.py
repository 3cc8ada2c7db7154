"""The shared filter bar (as-of year, unit, commodity, language), kept in the URL.

State lives in one visible block: the widget keys in :data:`KEYS`, seeded once per session from
the URL query parameters (``?year=2024&unit=110&commodity=macadamia&lang=en``), then written back
to the URL on every run so a copied link reproduces the view. Values are codes, never display
labels, so a link works in either language; ``unit`` also accepts any spelling of a unit name
(``Than Uyen``, ``huyện Than Uyên``). An invalid value falls back to the default and leaves a
note (:func:`url_notes`) that the page shows.

Why not ``bind="query-params"``: Streamlit 1.67 writes the *formatted label* of a selectbox to
the URL and silently drops invalid values; we want language-independent codes and a visible note.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.i18n import DEFAULT_LANG, LANGS, t
from nq05_metrics.loader import Dataset
from nq05_metrics.units import PROVINCE_CODE

ALL = "all"
KEYS = {"year": "flt_year", "unit": "flt_unit", "commodity": "flt_commodity", "lang": "flt_lang"}
_SEEDED = "_flt_seeded"
_NOTES = "_flt_notes"
_CURRENT = "_flt_current"


@dataclass(frozen=True)
class Filters:
    """The view every page renders: as-of year (None without data), unit code (``"12"`` = whole
    province), commodity key (None = all) and language."""

    as_of: int | None
    unit_code: str = PROVINCE_CODE
    commodity: str | None = None
    lang: str = DEFAULT_LANG

    @property
    def is_province(self) -> bool:
        """True when the whole province is selected."""
        return self.unit_code == PROVINCE_CODE


@dataclass(frozen=True)
class Options:
    """What the filter bar offers for a dataset, with the defaults."""

    years: list[int]
    default_year: int | None
    units: list[str]
    commodities: list[str]


def options(ds: Dataset | None, years: tuple[list[int], int] | None) -> Options:
    """Filter options of ``ds`` (empty lists without data); ``years`` from the cached loader."""
    if ds is None or years is None:
        return Options([], None, [PROVINCE_CODE], [ALL])
    units = unit_options(ds, years[1])
    coms = ds.commodities.sort_values("display_order")["commodity"].tolist()
    return Options(years[0], years[1], units, [ALL, *coms])


def unit_options(ds: Dataset, year: int) -> list[str]:
    """The unit filter's choices at ``year``: the province, then the units that report that year
    (the former districts to 2025, the communes and wards from 2026 — ``UnitRegistry.reporting``)."""
    return [PROVINCE_CODE, *ds.units.reporting(int(year))]


def _keep_unit_valid(ds: Dataset, year: int, choices: list[str]) -> None:
    """A unit chosen for another year that does not report ``year`` (a former district after a
    switch to 2026) falls back to the province, with a note naming why."""
    chosen = st.session_state.get(KEYS["unit"])
    if chosen is not None and chosen not in choices:
        st.session_state[KEYS["unit"]] = PROVINCE_CODE
        _note_unit_year(ds, str(chosen), year)


def _note_unit_year(ds: Dataset, code: str, year: int) -> None:
    """Note that unit ``code`` does not report ``year`` (shown by :func:`url_notes`)."""
    names = {lang: f"{ds.units.name(code, lang)} ({code})" for lang in LANGS}
    st.session_state.setdefault(_NOTES, []).append(("unit_year", (names, int(year))))


def _note(param: str, value: str) -> None:
    st.session_state.setdefault(_NOTES, []).append((param, value))


SIDEBAR_CHANGED = "_flt_sidebar_changed"


def _sidebar_changed() -> None:
    """Callback of a sidebar filter: the URL notes are about the old view, and the narrow
    screen's filter bar must not copy its own (stale) values over this choice in the same
    rerun (:mod:`dashboard.filterbar`)."""
    st.session_state[SIDEBAR_CHANGED] = True
    _clear_notes()


def _clear_notes() -> None:
    st.session_state[_NOTES] = []


def _seed(ds: Dataset | None, opts: Options) -> None:
    """Copy valid URL values into the widget keys, once per session (and once more after the
    dataset first becomes available)."""
    done = st.session_state.setdefault(_SEEDED, set())
    params = st.query_params
    if "lang" not in done:
        done.add("lang")
        value = params.get("lang")
        if value is not None and value in LANGS:
            st.session_state[KEYS["lang"]] = value
        elif value is not None:
            _note("lang", value)
    if ds is None or "data" in done:
        return
    done.add("data")
    raw_year = params.get("year") or ""
    year = int(raw_year) if raw_year.strip().isdigit() and int(raw_year) in opts.years else None
    at = year if year is not None else opts.default_year
    units = unit_options(ds, at) if at is not None else opts.units
    readers = {
        "year": lambda v: year,
        "unit": lambda v: (code if (code := ds.units.resolve(v, at)) in units else None),
        "commodity": lambda v: v if v in opts.commodities else None,
    }
    for param, read in readers.items():
        value = params.get(param)
        if value is None:
            continue
        parsed = read(value)
        known = ds.units.candidates(value) if param == "unit" else ()
        if parsed is None and len(known) == 1 and at is not None:
            _note_unit_year(ds, known[0], at)  # a real unit, but not one of that year
        elif parsed is None:
            _note(param, value)
        else:
            st.session_state[KEYS[param]] = parsed


def _sync_url(flt: Filters, opts: Options) -> None:
    """Write the view to the URL: ``year`` always (a link must not drift when data are added),
    the others only when not the default. Other parameters (page-owned) are left alone."""
    wanted = {
        "year": str(flt.as_of) if flt.as_of is not None else None,
        "unit": None if flt.unit_code == PROVINCE_CODE else flt.unit_code,
        "commodity": flt.commodity,
        "lang": None if flt.lang == DEFAULT_LANG else flt.lang,
    }
    for param, value in wanted.items():
        if value is None and param in st.query_params:
            del st.query_params[param]
        elif value is not None and st.query_params.get(param) != value:
            st.query_params[param] = value


def sidebar_filters(ds: Dataset | None, years: tuple[list[int], int] | None) -> Filters:
    """Draw the filter bar in the sidebar, keep it in the URL and return the :class:`Filters`."""
    opts = options(ds, years)
    _seed(ds, opts)
    if KEYS["year"] not in st.session_state and opts.default_year is not None:
        st.session_state[KEYS["year"]] = opts.default_year
    with st.sidebar:
        lang = st.radio(t(DEFAULT_LANG, "language.label"), LANGS, key=KEYS["lang"], horizontal=True,
                        format_func=lambda c: t(DEFAULT_LANG, f"language.{c}"),
                        on_change=_sidebar_changed)
        if ds is None:
            flt = Filters(None, lang=lang)
        else:
            year = st.selectbox(t(lang, "filters.year"), opts.years, key=KEYS["year"],
                                help=t(lang, "filters.year_help"), on_change=_sidebar_changed)
            choices = unit_options(ds, int(year))
            _keep_unit_valid(ds, int(year), choices)
            units = {c: unit_label(ds, c, lang) for c in choices}
            coms = commodity_labels(ds, opts.commodities, lang)
            unit = st.selectbox(t(lang, "filters.unit"), choices, key=KEYS["unit"],
                                format_func=units.__getitem__, on_change=_sidebar_changed)
            com = st.selectbox(t(lang, "filters.commodity"), opts.commodities,
                               key=KEYS["commodity"], format_func=coms.__getitem__,
                               on_change=_sidebar_changed)
            flt = Filters(int(year), unit, None if com == ALL else com, lang)
    _sync_url(flt, opts)
    st.session_state[_CURRENT] = flt
    st.session_state[SIDEBAR_CHANGED] = False  # the callbacks of this rerun have all run
    return flt


def current() -> Filters:
    """The filters drawn by ``app.py`` in this run (defaults if none were drawn)."""
    return st.session_state.get(_CURRENT) or Filters(None)


def url_notes(lang: str) -> list[str]:
    """Human notes for URL values that were not valid and were replaced by the default."""
    notes = []
    for param, value in st.session_state.get(_NOTES, []):
        if param == "unit_year":
            names, year = value
            notes.append(t(lang, "filters.unit_not_in_year", name=names[lang], year=year))
        else:
            notes.append(t(lang, "filters.bad_param", param=param, value=value))
    return notes



def unit_label(ds: Dataset, code: str, lang: str) -> str:
    """``Toàn tỉnh (Lai Châu)`` for the province, else the unit's name."""
    if code == PROVINCE_CODE:
        return t(lang, "filters.province", name=ds.units.name(code, lang))
    return ds.units.name(code, lang)


def commodity_labels(ds: Dataset, keys: list[str], lang: str) -> dict[str, str]:
    """Display name of each commodity key (``all`` → "Tất cả"; unknown keys as written)."""
    names = dict(zip(ds.commodities["commodity"].tolist(),
                     ds.commodities[f"name_{lang}"].tolist(), strict=True))
    return {k: t(lang, "filters.all_commodities") if k == ALL else str(names.get(k, k))
            for k in keys}


def commodity_label(ds: Dataset, key: str | None, lang: str) -> str:
    """Display name of a commodity key (``all`` → "Tất cả")."""
    return commodity_labels(ds, [key or ALL], lang)[key or ALL]


def indicator_picker(ds: Dataset, flt: Filters, *, key: str = "ind", label: str = "") -> str | None:
    """A page-level indicator select box (registry order, limited to the commodity filter),
    kept in the URL as ``?ind=…``; an unknown id in the URL falls back with a note."""
    reg = ds.indicators.sort_values("display_order")
    if flt.commodity:
        reg = reg[reg["commodity"] == flt.commodity]
    ids = reg["indicator_id"].tolist()
    if not ids:
        st.info(t(flt.lang, "filters.no_indicator"))
        return None
    names = dict(zip(reg["indicator_id"], reg[f"name_{flt.lang}"], strict=True))
    widget_key = f"pg_{key}"
    seeded = st.session_state.setdefault(_SEEDED, set())
    if key not in seeded:
        seeded.add(key)
        value = st.query_params.get(key)
        if value in ids:
            st.session_state[widget_key] = value
        elif value is not None:
            _note(key, value)
            st.warning(t(flt.lang, "filters.bad_param", param=key, value=value), icon="⚠️")
    choice = st.selectbox(label or t(flt.lang, "filters.indicator"), ids, key=widget_key,
                          format_func=lambda i: names.get(i, i))
    if st.query_params.get(key) != choice:
        st.query_params[key] = choice
    return choice


def pick_from_map(key: str = "map_pick", layer: str = "districts") -> None:
    """``on_select`` callback of the map: a clicked district becomes the unit filter (clicking
    outside any district keeps the current filter)."""
    state = st.session_state.get(key) or {}
    objects = (state.get("selection") or {}).get("objects") or {}
    picked = objects.get(layer) or []
    if picked:
        obj = picked[0]
        code = str((obj.get("properties") or obj).get("code") or "")
        if code:
            st.session_state[KEYS["unit"]] = code
