"""Text typed in the legacy Vietnamese font encodings TCVN3 (ABC) and VNI, and its conversion.

Old report forms were typed with fonts such as .VnTime (TCVN3) or VNI-Times: the file holds
Latin-1 characters that the font draws as Vietnamese letters, so "Than Uyên" is stored as
``Than Uyªn`` (TCVN3) or ``Than Uyeân`` (VNI). The tables are data
(``nq05_metrics/vocab/legacy_fonts.toml``).

The encoding is decided for the whole workbook (:func:`detect`: the marks found in cells that
hold no letter that exists only in Unicode Vietnamese — ă, ơ, ư, đ, ạ … ỹ); then each cell that
holds that encoding's marks and no Unicode-only letter is converted (:func:`convert`).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

VOCAB = Path(__file__).resolve().parents[1] / "vocab" / "legacy_fonts.toml"

@cache
def _tables() -> dict[str, dict[str, str]]:
    with VOCAB.open("rb") as handle:
        return tomllib.load(handle)


@cache
def _signs() -> dict[str, re.Pattern[str]]:
    """The ``[signs]`` character classes of ``legacy_fonts.toml``, compiled: ``unicode_only``,
    ``tcvn3_marks``, ``vni_marks``, ``vni_pairs``, ``not_vietnamese``."""
    return {name: re.compile(pattern) for name, pattern in _tables()["signs"].items()}


def detect(texts: Iterable[str]) -> str | None:
    """``"tcvn3"``, ``"vni"`` or None: the legacy encoding whose marks the text cells without a
    Unicode-only letter hold most (a form often has a Unicode letterhead over legacy text)."""
    signs = _signs()
    tcvn3 = vni = 0
    for text in texts:
        if signs["unicode_only"].search(text):
            continue
        tcvn3 += bool(signs["tcvn3_marks"].search(text))
        vni += bool(signs["vni_marks"].search(text))
    if tcvn3 and tcvn3 >= vni:
        return "tcvn3"
    return "vni" if vni else None


def is_legacy(text: str, encoding: str) -> bool:
    """Whether one cell is text in ``encoding``: its marks, and no Unicode-only letter."""
    signs = _signs()
    marks = signs["tcvn3_marks"] if encoding == "tcvn3" else signs["vni_marks"]
    pairs = encoding == "vni" and signs["vni_pairs"].search(text)
    found = marks.search(text) or pairs or signs["not_vietnamese"].search(text)
    return bool(found) and not signs["unicode_only"].search(text)


def convert(text: str, encoding: str) -> str:
    """``text`` in ``encoding`` (``tcvn3``/``vni``) → NFC Unicode. ``"Than Uyªn"`` → ``"Than Uyên"``."""
    table = _tables()[encoding]
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if len(pair) == 2 and pair in table:
            out.append(table[pair])
            i += 2
            continue
        out.append(table.get(text[i], text[i]))
        i += 1
    return unicodedata.normalize("NFC", "".join(out))
