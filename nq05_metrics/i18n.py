"""The one string catalogue: everything a person reads (pages, widgets, slides, narrative,
problem messages, CLI output) is a key in ``nq05_metrics/locales/{vi,en}.toml`` — same keys in both
languages, one TOML table per topic (``[loader]``, ``[stewardship]``, ``[slides]``, ``[cli]`` …) — and
the help texts in ``content/*.{lang}.md``. Pure: no Streamlit, so exports and the CLI use it too.

``t(lang, "overview.title")`` looks the dotted key up in the language's catalogue, falls back to
Vietnamese, then to the key itself, and fills ``{placeholders}`` from keyword arguments.
``both(key, **values)`` gives the ``(vi, en)`` pair, for bilingual problem messages;
``slashed(key, **values)`` the same pair as one ``"vi / en"`` line (command-line help).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
LOCALE_DIR = Path(__file__).resolve().parent / "locales"
CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"

__all__ = ["LANGS", "DEFAULT_LANG", "LOCALE_DIR", "t", "both", "slashed", "catalog", "content",
           "language"]


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
    """The flattened catalogue of ``lang`` (``vi`` or ``en``; anything else → ``vi``)."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    with (LOCALE_DIR / f"{lang}.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


def t(lang: str, key: str, **values: object) -> str:
    """Translated string for ``key``; missing keys fall back to Vietnamese, then to the key."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
    return text.format(**values) if values else text


def both(key: str, **values: object) -> tuple[str, str]:
    """``(t("vi", key, …), t("en", key, …))`` — the two texts of a bilingual message."""
    return t("vi", key, **values), t("en", key, **values)


def slashed(key: str, **values: object) -> str:
    """``"vi / en"`` of ``key`` on one line: ``--help`` texts and command-line messages printed
    before (or regardless of) a language being chosen."""
    return " / ".join(both(key, **values))


@cache
def content(name: str, lang: str) -> str:
    """Markdown help text ``content/{name}.{lang}.md`` (Vietnamese if the language is missing)."""
    path = CONTENT_DIR / f"{name}.{lang}.md"
    if not path.exists():
        path = CONTENT_DIR / f"{name}.{DEFAULT_LANG}.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def language(lang: str) -> str:
    """``lang`` when it is one of :data:`LANGS`, else the default (Vietnamese): the suffix of
    bilingual columns (``name_vi``/``name_en``)."""
    return lang if lang in LANGS else DEFAULT_LANG
