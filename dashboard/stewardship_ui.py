"""The data steward's section of the Data page: downloads (and the fill-in template) for
everyone; for signed-in editors the import of a file and the data-entry form
(:mod:`dashboard.intake_ui`, on :mod:`nq05_metrics.intake`), history and restore. Layout only —
every check and write is in :mod:`nq05_metrics.stewardship` and :mod:`nq05_metrics.intake`.

The current data comes from :func:`dashboard.loaders.folder_read` — the same cached parse the
pages use — so neither a download nor an upload check parses the folder again.

Editing needs a credential from ``.streamlit/secrets.toml`` (see docs/EDITING.md): ``st.login``
(OIDC) when there is an ``[auth]`` section, otherwise ``[editor] password_hash``. Without either
the section is read-only. Data-derived text is shown only through ``st.dataframe``,
``st.text``/``st.code`` or :func:`~dashboard.i18n.md_escape`; never ``unsafe_allow_html``.

Session state (all keys prefixed ``steward.``): ``who`` (signed-in name, password mode),
``fails``/``locked_until`` (password attempts), ``nonce`` (resets the uploader after a change),
``flash`` (the message shown after apply/restore).
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import intake_ui, loaders
from dashboard.i18n import md_escape, t
from nq05_metrics import stewardship as sw
from nq05_metrics.contract import TABLES, table_spec
from nq05_metrics.serialise import XLSX_MIME

EDITING_DOC = Path(__file__).resolve().parents[1] / "docs" / "EDITING.md"
MAX_ATTEMPTS = 5
LOCKOUT_SECONDS = 60

def _t(lang: str, key: str, **values: object) -> str:
    """``stewardship.ui.<key>`` from the catalogue."""
    return t(lang, f"stewardship.ui.{key}", **values)


def _in(lang: str, vi: str, en: str) -> str:
    """The text of a bilingual pair (a :class:`Problem`'s parts) in ``lang``."""
    return {"vi": vi, "en": en}.get(lang, vi)


# ----------------------------------------------------------------- entry point
def render_stewardship(ds_dir: Path, lang: str) -> None:
    """Downloads (everyone), then the editing section (editors only)."""
    ds_dir = Path(ds_dir)
    _render_downloads(ds_dir, lang)
    st.divider()
    st.header(_t(lang, "edit"))
    flash = st.session_state.pop("steward.flash", None)
    if flash:
        st.success(flash, icon="✅")
    who = _editor(lang)
    if who is None:
        return
    nonce = int(st.session_state.get("steward.nonce", 0))
    intake_ui.render_import(ds_dir, lang, who, _changed, f"steward.upload.{nonce}")
    st.divider()
    intake_ui.render_entry_form(ds_dir, lang, who, _changed)
    st.divider()
    _render_history(ds_dir, lang, who)


# ----------------------------------------------------------------- downloads
def _render_downloads(ds_dir: Path, lang: str) -> None:
    st.header(_t(lang, "downloads"))
    st.caption(_t(lang, "downloads_caption"))
    st.download_button(
        _t(lang, "xlsx"), lambda: sw.dataset_xlsx_bytes(_tables(ds_dir), lang),
        file_name="nq05_du_lieu.xlsx", icon=":material/download:", on_click="ignore",
        mime=XLSX_MIME,
        key="steward.dl_xlsx", type="primary",
    )
    names = list(TABLES)
    for i, name in enumerate(names):  # a row of 4 at a time: on a phone they stack in order
        if i % 4 == 0:
            cols = st.columns(4)
        file = table_spec(name).file
        cols[i % 4].download_button(
            file, lambda name=name: sw.table_csv_bytes(_tables(ds_dir)[name], name),
            file_name=file, mime="text/csv", icon=":material/download:", on_click="ignore",
            key=f"steward.dl_{name}",
        )
    st.caption(t(lang, "intake.page_template"))
    intake_ui.render_template(_tables(ds_dir), lang)


def _tables(ds_dir: Path) -> dict[str, pd.DataFrame]:
    """The folder's tables now, from the app's cached parse."""
    return sw.current_tables(ds_dir, loaders.folder_read(ds_dir))


# ----------------------------------------------------------------- credentials
def _editor(lang: str) -> str | None:
    """Who may edit (the name written to the history), or None (read-only message shown)."""
    mode = sw.credential_mode(st.secrets)
    if mode == "oidc":
        return _oidc_editor(lang)
    if mode == "password":
        return _password_editor(lang)
    st.info(_t(lang, "readonly"), icon="🔒")
    if EDITING_DOC.is_file():
        with st.expander(_t(lang, "how")):
            st.markdown(EDITING_DOC.read_text(encoding="utf-8"))  # our own file, not data
    return None


def _oidc_editor(lang: str) -> str | None:
    if not st.user.is_logged_in:
        provider = sw.oidc_provider(st.secrets)
        st.button(_t(lang, "oidc_sign_in"), key="steward.oidc_login", on_click=st.login,
                  args=(provider,) if provider else (), icon=":material/login:")
        return None
    email = str(st.user.get("email") or "")
    name = str(st.user.get("name") or "")
    who = f"{name} <{email}>" if name else email
    if not sw.is_allowed_editor(email, st.secrets):
        st.warning(_t(lang, "not_editor", who=md_escape(who)), icon="🔒")
        st.button(_t(lang, "sign_out"), key="steward.oidc_logout", on_click=st.logout)
        return None
    _signed_in(lang, who, st.logout)
    return who


def _sign_out() -> None:
    st.session_state.pop("steward.who", None)


def _signed_in(lang: str, who: str, on_sign_out: object) -> None:
    left, right = st.columns([4, 1])
    left.caption(_t(lang, "signed_in", who=md_escape(who)))
    right.button(_t(lang, "sign_out"), key="steward.sign_out", on_click=on_sign_out,
                 icon=":material/logout:")


def _password_editor(lang: str) -> str | None:
    state = st.session_state
    if state.get("steward.who"):
        who = str(state["steward.who"])
        _signed_in(lang, who, _sign_out)
        return who
    with st.form("steward.login"):
        name = st.text_input(_t(lang, "name"), key="steward.name", max_chars=80)
        password = st.text_input(_t(lang, "password"), type="password", key="steward.password")
        submitted = st.form_submit_button(_t(lang, "sign_in"), icon=":material/login:")
    if submitted:
        _try_password(lang, name.strip(), password)
    return None


def _try_password(lang: str, name: str, password: str) -> None:
    """Check a password attempt; lock out for a minute after :data:`MAX_ATTEMPTS` failures."""
    state = st.session_state
    wait = float(state.get("steward.locked_until", 0)) - time.time()
    if wait > 0:
        st.error(_t(lang, "locked", s=int(wait) + 1))
    elif not name:
        st.warning(_t(lang, "need_name"))
    elif sw.check_password(password, st.secrets):
        state["steward.who"], state["steward.fails"] = name, 0
        st.rerun()
    else:
        state["steward.fails"] = int(state.get("steward.fails", 0)) + 1
        if state["steward.fails"] >= MAX_ATTEMPTS:
            state["steward.locked_until"], state["steward.fails"] = time.time() + LOCKOUT_SECONDS, 0
        st.error(_t(lang, "wrong"))


# ----------------------------------------------------------------- after a change
def _changed(message: str) -> None:
    """After a write: drop cached data so every page re-reads, reset the uploader, rerun."""
    st.cache_data.clear()
    state = st.session_state
    state["steward.flash"] = message
    state["steward.nonce"] = int(state.get("steward.nonce", 0)) + 1
    st.rerun()


# ----------------------------------------------------------------- history and restore
def _render_history(ds_dir: Path, lang: str, who: str) -> None:
    st.header(_t(lang, "history"))
    entries = sw.history(ds_dir)
    if not entries:
        st.caption(_t(lang, "no_history"))
        return
    st.dataframe(_history_frame(entries, lang), hide_index=True, width="stretch")
    choices = {e.id: e for e in entries if e.backup}
    if not choices:
        return
    chosen = st.selectbox(
        _t(lang, "version"), list(choices), key=f"steward.version.{lang}",  # a keyed widget keeps
        format_func=lambda i: f"{choices[i].file} — {_t(lang, 'before')} "  # old labels otherwise
                              f"{_when(choices[i])} ({choices[i].who})",
    )
    try:
        preview = sw.preview_restore(ds_dir, chosen, loaders.folder_read(ds_dir))
    except sw.StewardshipError as err:
        st.error(_t(lang, "refused"))
        intake_ui.problems_table(err.problems, lang)
        return
    if not preview.ok:
        st.error(_t(lang, "refused"))
        intake_ui.problems_table(preview.problems, lang)
        return
    counts = preview.diff.counts() if preview.diff is not None else {}
    st.caption(_t(lang, "restore_preview", a=counts.get("added", 0), c=counts.get("changed", 0),
                  r=counts.get("removed", 0)))
    if st.button(_t(lang, "restore"), key="steward.restore", icon=":material/history:"):
        try:
            entry = sw.restore(ds_dir, chosen, who, loaders.folder_read(ds_dir))
        except sw.StewardshipError as err:
            st.error(_t(lang, "refused"))
            intake_ui.problems_table(err.problems, lang)
            return
        _changed(_t(lang, "restored", file=entry.file))


def _when(entry: sw.HistoryEntry) -> str:
    """The UTC time of a change as ``YYYY-MM-DD HH:MM:SS``."""
    return entry.when[:19].replace("T", " ")


def _history_frame(entries: list[sw.HistoryEntry], lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        _t(lang, "col_when"): [_when(e) for e in entries],
        _t(lang, "col_who"): [e.who for e in entries],
        _t(lang, "col_file"): [e.file for e in entries],
        _t(lang, "col_action"): [_t(lang, f"{e.action}_action") if e.action in ("upload", "restore")
                                 else e.action for e in entries],
        _t(lang, "added"): [e.added for e in entries],
        _t(lang, "changed"): [e.changed for e in entries],
        _t(lang, "removed"): [e.removed for e in entries],
    })
