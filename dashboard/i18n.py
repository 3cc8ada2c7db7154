"""UI strings: one TOML catalogue per language in ``dashboard/locales/`` and the help texts in
``content/*.{lang}.md``. No Streamlit here, so the catalogue can be tested on its own.

``t(lang, "overview.title")`` looks the dotted key up in the language's catalogue, falls back to
Vietnamese, then to the key itself, and fills ``{placeholders}`` from keyword arguments.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from nq05_metrics.charts import format_number

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
LOCALE_DIR = Path(__file__).resolve().parent / "locales"
CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~$:])")

__all__ = ["LANGS", "DEFAULT_LANG", "t", "catalog", "content", "md_escape", "format_number"]


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    """``{"a": {"b": "x"}}`` → ``{"a.b": "x"}``."""
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value)
    return out


@cache
def catalog(lang: str) -> dict[str, str]:
    """The flattened catalogue of ``lang`` (``vi`` or ``en``)."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    with (LOCALE_DIR / f"{lang}.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


def t(lang: str, key: str, **values: object) -> str:
    """Translated string for ``key``; missing keys fall back to Vietnamese, then to the key."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
    return text.format(**values) if values else text


@cache
def content(name: str, lang: str) -> str:
    """Markdown help text ``content/{name}.{lang}.md`` (Vietnamese if the language is missing)."""
    path = CONTENT_DIR / f"{name}.{lang}.md"
    if not path.exists():
        path = CONTENT_DIR / f"{name}.{DEFAULT_LANG}.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def md_escape(text: object) -> str:
    """Escape data-derived text for ``st.markdown``: every Markdown/HTML special character is
    backslash-escaped, so ``<b>x</b>`` or ``[a](b)`` from a CSV shows literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
