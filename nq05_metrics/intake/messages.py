"""Problems of the intake, built from the catalogue table ``[intake]`` of
``nq05_metrics/locales/{vi,en}.toml``: key ``K`` is the *what* text, ``K_fix`` the *how to fix*."""

from __future__ import annotations

from nq05_metrics.contract import Problem
from nq05_metrics.i18n import both, catalog


def problem(key: str, file: str, line: int | None = None, column: str | None = None,
            severity: str = "error", **values: object) -> Problem:
    """A bilingual :class:`Problem` from ``intake.<key>`` and ``intake.<key>_fix``."""
    what_vi, what_en = both(f"intake.{key}", **values)
    fix = f"intake.{key}_fix"
    fix_vi, fix_en = both(fix, **values) if fix in catalog("vi") else (None, None)
    return Problem(file, line, column, what_vi, what_en, fix_vi, fix_en, severity)  # type: ignore[arg-type]


def warning(key: str, file: str, line: int | None = None, column: str | None = None,
            **values: object) -> Problem:
    """:func:`problem` with severity ``warning`` (blocks applying until acknowledged)."""
    return problem(key, file, line, column, "warning", **values)


def notice(key: str, file: str, line: int | None = None, column: str | None = None,
           **values: object) -> Problem:
    """What was recognised or converted (kept in the plan's ``notices``, never blocks; severity
    ``warning`` so the loader's ``is_error`` reads it as not stopping)."""
    return problem(key, file, line, column, "warning", **values)
