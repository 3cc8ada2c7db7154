"""The dashboard's view of the one string catalogue (:mod:`nq05_metrics.i18n`) plus Markdown
escaping for data-derived text. No Streamlit here, so it can be tested on its own.
"""

from __future__ import annotations

import re

from nq05_metrics.charts import format_number
from nq05_metrics.i18n import DEFAULT_LANG, LANGS, both, catalog, content, t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~$:])")

__all__ = ["LANGS", "DEFAULT_LANG", "t", "both", "catalog", "content", "md_escape", "format_number"]


def md_escape(text: object) -> str:
    """Escape data-derived text for ``st.markdown``: every Markdown/HTML special character is
    backslash-escaped, so ``<b>x</b>`` or ``[a](b)`` from a CSV shows literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
