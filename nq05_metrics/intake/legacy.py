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

# Letters only Unicode Vietnamese text has (never produced by TCVN3/VNI bytes read as Latin-1).
_UNICODE_ONLY = re.compile("[ăĂơƠưƯđĐĩĨũŨ\u1ea0-\u1ef9]")
# Characters that neither Vietnamese Unicode text nor VNI text holds but TCVN3 text nearly always
# does (ư ­, ê ª, â ©, ơ ¬, đ ®, à µ, á ¸ …).
_TCVN3_MARKS = re.compile("[¡¢£¤¥¦§¨©ª«¬\u00ad®µ¶·¸¹»¼½¾]")
# Mark characters of VNI that Vietnamese Unicode text never holds (ờ "ôø", ư "ö", đ "ñ" …).
_VNI_MARKS = re.compile("[øûïåäëüöñæîØÛÏÅÄËÜÖÑÆÎ]")
# VNI pairs that Vietnamese Unicode text never writes: "eâ" (ê), "aê" (ă), a vowel before "ù"/"õ".
_VNI_PAIRS = re.compile("[aeoAEO][âÂ]|[aA][êÊ]|[aeiouyAEIOUYôÔöÖ][ùõÙÕ]")
# Latin-1 letters that are not Vietnamese letters: in a legacy workbook, a cell holding one is
# legacy text too ("DiÖn tÝch" holds Ö).
_NOT_VIETNAMESE = re.compile("[ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ]")


@cache
def _tables() -> dict[str, dict[str, str]]:
    with VOCAB.open("rb") as handle:
        return tomllib.load(handle)


def detect(texts: Iterable[str]) -> str | None:
    """``"tcvn3"``, ``"vni"`` or None: the legacy encoding whose marks the text cells without a
    Unicode-only letter hold most (a form often has a Unicode letterhead over legacy text)."""
    tcvn3 = vni = 0
    for text in texts:
        if _UNICODE_ONLY.search(text):
            continue
        tcvn3 += bool(_TCVN3_MARKS.search(text))
        vni += bool(_VNI_MARKS.search(text))
    if tcvn3 and tcvn3 >= vni:
        return "tcvn3"
    return "vni" if vni else None


def is_legacy(text: str, encoding: str) -> bool:
    """Whether one cell is text in ``encoding``: its marks, and no Unicode-only letter."""
    marks = _TCVN3_MARKS if encoding == "tcvn3" else _VNI_MARKS
    pairs = encoding == "vni" and _VNI_PAIRS.search(text)
    found = marks.search(text) or pairs or _NOT_VIETNAMESE.search(text)
    return bool(found) and not _UNICODE_ONLY.search(text)


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
