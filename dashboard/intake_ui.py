"""The Data page's import parts, on the same engine as ``python -m nq05_metrics import``
(:mod:`nq05_metrics.intake`): upload a report form (the recognised layout shown before
anything is applied, removals first, warnings acknowledged with a checkbox, merge or replace),
the fill-in template, the data-entry form, and the reporting completeness. Layout only.

Session state (keys prefixed ``intake.``): ``mode``, ``accept`` (warnings acknowledged),
``year``/``unit`` (keys a form's title may not state), ``form.*`` (the entry form).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import loaders
from dashboard.i18n import t
from nq05_metrics import intake
from nq05_metrics.contract import TABLES, Problem, table_spec
from nq05_metrics.i18n import language
from nq05_metrics.intake.completeness import STATUSES, completeness, rates, units_in_year
from nq05_metrics.intake.template import template_xlsx_bytes
from nq05_metrics.loader import Dataset
from nq05_metrics.serialise import XLSX_MIME

OnChange = Callable[[str], None]
_MARKS = {"reported": "●", "carried": "↳", "missing": "○"}


def _t(lang: str, key: str, **values: object) -> str:
    return t(lang, f"intake.{key}", **values)


def _s(lang: str, key: str, **values: object) -> str:
    """The stewardship section's own texts (``stewardship.ui.<key>``)."""
    return t(lang, f"stewardship.ui.{key}", **values)


def _in(lang: str, vi: str | None, en: str | None) -> str:
    return (vi if lang == "vi" else en) or ""


def problems_table(problems: tuple[Problem, ...] | list[Problem], lang: str) -> None:
    """Every problem as a row: file, line, column, what, how to fix (plain-text grid)."""
    frame = pd.DataFrame({
        _s(lang, "col_file"): [p.file for p in problems],
        _s(lang, "col_line"): pd.array([p.line for p in problems], dtype="Int64"),
        _s(lang, "col_column"): [p.column or "" for p in problems],
        _s(lang, "col_what"): [_in(lang, p.what_vi, p.what_en) for p in problems],
        _s(lang, "col_fix"): [_in(lang, p.fix_vi, p.fix_en) for p in problems],
        _s(lang, "col_severity"): [_s(lang, p.severity) for p in problems],
    })
    st.dataframe(frame, hide_index=True, width="stretch")


# ----------------------------------------------------------------- upload a report
def render_import(ds_dir: Path, lang: str, who: str, on_change: OnChange, uploader_key: str) -> None:
    """Table, mode, file → the plan shown (layout, removals, problems, warnings, diff) → apply."""
    names = list(TABLES)
    table = st.selectbox(_s(lang, "table"), names, key="steward.table",
                         index=names.index("observations"), format_func=lambda n: table_spec(n).file)
    mode = "replace"
    if table == "observations":
        mode = st.radio(_t(lang, "page_mode"), intake.engine.MODES, key="intake.mode", horizontal=True,
                        format_func=lambda m: _t(lang, f"page_mode_{m}"))
    upload = st.file_uploader(_s(lang, "upload"), type=["csv", "xlsx", "xls", "txt"],
                              key=uploader_key, max_upload_size=5)
    with st.expander(_t(lang, "page_keys")):
        left, right = st.columns(2)
        year = left.number_input(_t(lang, "form_year"), min_value=0, max_value=2030, value=0,
                                 step=1, key="intake.year", help=_t(lang, "page_keys_help"))
        unit = right.text_input(_t(lang, "form_unit"), key="intake.unit", max_chars=60)
    if upload is None:
        return
    raw = upload.getvalue()
    options = intake.Options(table=table, mode=mode, year=int(year) or None, unit=unit.strip() or None)
    plan: intake.ImportPlan = loaders.import_plan(raw, upload.name, ds_dir, options)  # type: ignore[assignment]
    if show_plan(plan, lang, "intake.accept", "steward.apply", hashlib.sha256(raw).hexdigest()[:12]):
        apply(plan, ds_dir, who, lang, on_change)


def show_plan(plan: intake.ImportPlan, lang: str, accept_key: str, apply_key: str, salt: str = "") -> bool:
    """Draw a plan; True when the editor pressed apply (and may: no error, warnings ticked)."""
    for notice in plan.notices:
        text = _in(lang, notice.what_vi, notice.what_en)
        if notice.what_en.startswith("read ("):
            st.info(text, icon=":material/search:")
        else:
            st.caption(text)
    if plan.errors:
        st.error(_s(lang, "bad", e=len(plan.errors), w=len(plan.warnings)), icon="🚫")
        problems_table(list(plan.errors) + list(plan.warnings), lang)
        return False
    diff = plan.check.diff if plan.check is not None else None
    if diff is None:
        return False
    counts = diff.counts()
    if counts["removed"]:
        st.error(_t(lang, "page_removed", n=counts["removed"]), icon="➖")
        st.dataframe(diff.removed, hide_index=True, width="stretch")
    cols = st.columns(3)
    for col, key in zip(cols, ("added", "changed", "removed"), strict=True):
        col.metric(_s(lang, key), counts[key])
    tabs = st.tabs([f"{_s(lang, k)} ({counts[k]})" for k in ("changed", "added")])
    tabs[0].dataframe(diff.changed.rename(columns={"old": _s(lang, "col_old"), "new": _s(lang, "col_new")}),
                      hide_index=True, width="stretch")
    tabs[1].dataframe(diff.added, hide_index=True, width="stretch")
    if diff.is_empty:
        st.info(_s(lang, "same"))
        return False
    accepted = True
    if plan.warnings:
        st.warning(_t(lang, "page_warnings", n=len(plan.warnings)), icon="⚠️")
        problems_table(plan.warnings, lang)
        accepted = st.checkbox(_t(lang, "page_accept"), key=f"{accept_key}.{salt}")
    return st.button(_s(lang, "apply"), type="primary", key=apply_key, icon=":material/check:",
                     disabled=not accepted)


def apply(plan: intake.ImportPlan, ds_dir: Path, who: str, lang: str, on_change: OnChange) -> None:
    """Apply an acknowledged plan; a refusal (someone else changed the table) is shown."""
    from nq05_metrics import stewardship as sw

    try:
        entry = intake.apply_import(plan, ds_dir, who, accept_warnings=True)
    except sw.StewardshipError as err:
        st.error(_s(lang, "refused"))
        problems_table(err.problems, lang)
        return
    on_change(_s(lang, "applied", file=entry.file, a=entry.added, c=entry.changed, r=entry.removed))


# ----------------------------------------------------------------- data-entry form
def render_entry_form(ds_dir: Path, lang: str, who: str, on_change: OnChange) -> None:
    """Choose year and unit, type the figures; the same checks run live; save as one change."""
    read = loaders.folder_read(ds_dir)
    frames = read.read[0]
    from nq05_metrics.loader import registry_from_frame

    units = registry_from_frame(frames["units"])
    st.subheader(_t(lang, "form_title"))
    st.caption(_t(lang, "form_help"))
    left, right = st.columns(2)
    year = int(left.number_input(_t(lang, "form_year"), min_value=2000, max_value=2030, value=2025,
                                 step=1, key="intake.form.year"))
    codes = units_in_year(units, year)
    code = right.selectbox(_t(lang, "form_unit"), codes, key="intake.form.unit",
                           format_func=lambda c: units.name(c, lang))
    obs = frames["observations"]
    now = obs[(obs["year"] == year) & (obs["unit_code"] == code)].set_index("indicator_id")["value"]
    ind = frames["indicators"]
    table = pd.DataFrame({"indicator_id": ind["indicator_id"],
                          _t(lang, "form_indicator"): ind[f"name_{language(lang)}"],
                          _t(lang, "form_measure"): ind["unit"],
                          _t(lang, "form_current"): ind["indicator_id"].map(now),
                          _t(lang, "form_value"): [None] * len(ind)})
    edited = st.data_editor(
        table, hide_index=True, width="stretch", key=f"intake.form.grid.{year}.{code}",
        disabled=[c for c in table.columns if c != _t(lang, "form_value")],
        column_config={"indicator_id": None, _t(lang, "form_value"): st.column_config.NumberColumn(
            min_value=0.0, format="%.2f")})
    typed = edited[edited[_t(lang, "form_value")].notna()]
    if typed.empty:
        return
    rows = ["indicator_id,unit_code,year,value,note"] + [
        f"{i},{code},{year},{float(v)!r}," for i, v in zip(typed["indicator_id"],
                                                            typed[_t(lang, "form_value")], strict=True)]
    source = _t(lang, "form_source", who=who)
    options = intake.Options(table="observations", mode="merge", source=source)
    raw = "\n".join(rows).encode()
    plan: intake.ImportPlan = loaders.import_plan(raw, _t(lang, "form_file"), ds_dir, options)  # type: ignore[assignment]
    if show_plan(plan, lang, "intake.form.accept", "intake.form.apply", f"{year}.{code}"):
        apply(plan, ds_dir, who, lang, on_change)


# ----------------------------------------------------------------- template and completeness
def render_template(frames: dict[str, pd.DataFrame], lang: str) -> None:
    """Download the fill-in template for a year and a set of units (or one)."""
    from nq05_metrics.loader import registry_from_frame

    units = registry_from_frame(frames["units"])
    left, right = st.columns([1, 3])
    observed = pd.to_numeric(frames["observations"]["year"], errors="coerce").max()
    latest = int(observed) if pd.notna(observed) else 2025  # the year being reported now
    year = int(left.number_input(_t(lang, "page_template_year"), min_value=2021, max_value=2030,
                                 value=min(max(latest, 2021), 2030), step=1,
                                 key="intake.template.year"))
    codes = units_in_year(units, year)
    chosen = right.multiselect(_t(lang, "form_unit"), codes, default=[c for c in codes if c != "12"],
                               key="intake.template.units", format_func=lambda c: units.name(c, lang))
    st.download_button(
        _t(lang, "page_template"),
        lambda: template_xlsx_bytes(frames["observations"], frames["indicators"], units, year,
                                    chosen or codes, lang),
        file_name=f"nq05_mau_nhap_{year}.xlsx", mime=XLSX_MIME, icon=":material/download:",
        on_click="ignore", key="intake.template.download")


def render_completeness(ds: Dataset, lang: str) -> None:
    """Which unit has reported which year, per indicator (reported / carried / missing)."""
    st.caption(_t(lang, "page_completeness_caption"))
    first, last = st.select_slider(_t(lang, "page_years"), options=list(range(2020, 2031)),
                                   value=(2021, 2025), key="intake.completeness.years")
    table = completeness(ds.observations, ds.indicators, ds.units, list(range(first, last + 1)))
    names = dict(zip(ds.indicators["indicator_id"], ds.indicators[f"name_{language(lang)}"],
                     strict=True))
    summary = rates(table)
    view = pd.DataFrame({_t(lang, "form_indicator"): summary["indicator_id"].map(names)})
    for status in STATUSES:
        view[_t(lang, f"status_{status}")] = summary[status]
    view[_t(lang, "page_rate")] = summary["rate_pct"].round(0)
    st.dataframe(view, hide_index=True, width="stretch",
                 column_config={_t(lang, "page_rate"): st.column_config.ProgressColumn(
                     min_value=0, max_value=100, format="%d%%")})
    chosen = st.selectbox(_t(lang, "form_indicator"), list(names), format_func=names.get,
                          key="intake.completeness.indicator")
    part = table[table["indicator_id"] == chosen]
    grid = part.pivot_table(index="unit_code", columns="year", values="status", aggfunc="first",
                            sort=False).fillna("")
    grid = grid.map(lambda s: f"{_MARKS.get(s, '')} {_t(lang, 'status_' + s) if s else ''}".strip())
    grid.index = [ds.units.name(c, lang) for c in grid.index]
    grid.columns = [str(c) for c in grid.columns]
    st.dataframe(grid, width="stretch")
