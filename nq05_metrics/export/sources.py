"""Sources as a reader cites them: publisher and date ("Báo Phú Thọ, 14/8/2025"), the full link
kept for the speaker notes, the method slide and the appendix.

Publishers are data (``nq05_metrics/vocab/publishers.csv``: a URL fragment or domain → name in
both languages, optionally the article's date). A date the table does not give is read from the
link when the link carries one (``…-20230317145637837.htm`` → 17/3/2023; a 13-digit millisecond
timestamp → its UTC day); otherwise only the publisher is named. Sources of illustrative figures
and targets are named as such, in the reader's language, never by their internal wording.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from nq05_metrics.i18n import language, t

VOCAB = Path(__file__).resolve().parents[1] / "vocab" / "publishers.csv"
_YMD = re.compile(r"-(20\d{2})(\d{2})(\d{2})\d*\.html?$")
_EPOCH_MS = re.compile(r"-(1[5-9]\d{11})\.html?$")


@dataclass(frozen=True)
class Source:
    """One distinct source of a slide: what is printed (``label``) and the link (``url``, may
    be empty)."""

    label: str
    url: str = ""


@cache
def _publishers() -> pd.DataFrame:
    table = pd.read_csv(VOCAB, dtype=str, keep_default_na=False)
    return table.assign(length=table["match"].str.len()).sort_values("length", ascending=False)


def _date_from_url(url: str) -> dt.date | None:
    """The article date a link carries (``-YYYYMMDD…`` or a millisecond timestamp), else None."""
    path = urlparse(url).path
    if m := _YMD.search(path):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if m := _EPOCH_MS.search(path):
        return dt.datetime.fromtimestamp(int(m[1]) / 1000, dt.UTC).date()
    return None


def date_text(day: dt.date) -> str:
    """``14/8/2025`` (day/month/year, no leading zeros: the register of Vietnamese documents)."""
    return f"{day.day}/{day.month}/{day.year}"


@cache
def cite(text: str, quality: str | None, lang: str, *, target: bool = False) -> Source:
    """How one source cell is cited: illustrative → the catalogue's words; a link → publisher
    (+ date); any other text as written."""
    raw = str(text or "").strip()
    if quality == "illustrative":
        return Source(t(lang, "slides.src_illustrative_target" if target else
                        "slides.src_illustrative"))
    if not raw.lower().startswith(("http://", "https://")):
        return Source(raw)
    sfx = language(lang)
    url = raw.split()[0]
    host_path = url.split("://", 1)[1]
    hits = _publishers()[[m in host_path for m in _publishers()["match"]]]
    name = str(hits.iloc[0][f"publisher_{sfx}"]) if len(hits) else urlparse(url).netloc
    dated = next((d for d in hits["date"] if d), "") if len(hits) else ""
    day = dt.date.fromisoformat(dated) if dated else _date_from_url(url)
    return Source(f"{name}, {date_text(day)}" if day else name, url)


def distinct(rows: pd.DataFrame, lang: str) -> list[Source]:
    """Distinct sources of ``rows`` (actuals first, then targets), in order of appearance."""
    out: dict[str, Source] = {}
    pairs = [(s, q, False) for s, q in zip(rows["source"], rows["quality"], strict=True)]
    pairs += [(s, q, True) for s, q in zip(rows["target_source"], rows["target_quality"],
                                           strict=True)]
    for text, quality, target in pairs:
        if (pd.isna(text) or not str(text).strip()) and quality != "illustrative":
            continue
        if pd.isna(quality) and (pd.isna(text) or not str(text).strip()):
            continue
        src = cite("" if pd.isna(text) else str(text), None if pd.isna(quality) else quality,
                   lang, target=target)
        out.setdefault(src.url or src.label, src)
    return list(out.values())
