"""Problem texts of the loader: every text comes from the ``[loader]`` table of the string
catalogue (``nq05_metrics/locales/{vi,en}.toml``); this module only fills them in.

A :data:`Message` is ``(what_vi, what_en, fix_vi, fix_en)``; :func:`problem` turns one into a
located :class:`~nq05_metrics.contract.Problem`.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from nq05_metrics.contract import Problem, Severity
from nq05_metrics.i18n import t

Message = tuple[str, str, str | None, str | None]
#: A value put into a text: the same in both languages, or a ``(vi, en)`` pair.
Value = object

VOCAB_DIR = Path(__file__).resolve().parents[1] / "vocab"


def _fill(lang: str, key: str, values: dict[str, Value]) -> str:
    """``loader.<key>`` in ``lang`` with ``{placeholders}`` filled; a ``(vi, en)`` value gives
    the text of its own language."""
    index = 0 if lang == "vi" else 1
    own = {k: v[index] if isinstance(v, tuple) else v for k, v in values.items()}
    return t(lang, f"loader.{key}", **own) if own else t(lang, f"loader.{key}")


def pair(key: str, /, **values: Value) -> tuple[str, str]:
    """The Vietnamese and English texts of catalogue key ``loader.<key>``."""
    return _fill("vi", key, values), _fill("en", key, values)


def message(key: str, fix: str | None = None, /, **values: Value) -> Message:
    """What went wrong (``loader.<key>``) and how to fix it (``loader.<fix>``, optional)."""
    what_vi, what_en = pair(key, **values)
    if fix is None:
        return what_vi, what_en, None, None
    fix_vi, fix_en = pair(fix, **values)
    return what_vi, what_en, fix_vi, fix_en


def problem(
    file: str,
    line: int | None,
    column: str | None,
    msg: Message,
    severity: Severity = "error",
) -> Problem:
    """A located problem from a :data:`Message`."""
    return Problem(file, line, column, msg[0], msg[1], msg[2], msg[3], severity)


@cache
def vocab(table: str, name: str) -> frozenset[str]:
    """Words of list ``name`` in table ``[table]`` of ``nq05_metrics/vocab/cells.toml``."""
    with (VOCAB_DIR / "cells.toml").open("rb") as fh:
        return frozenset(tomllib.load(fh)[table][name])
