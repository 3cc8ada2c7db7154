"""The refusal of a stewardship operation, and bilingual problems built from the catalogue."""

from __future__ import annotations

from nq05_metrics.contract import Problem
from nq05_metrics.i18n import both, catalog


class StewardshipError(Exception):
    """A stewardship operation was refused; ``problems`` says why (vi/en)."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(p.format("en") for p in self.problems))


def problem(label: str, key: str, **values: object) -> Problem:
    """An error about file ``label`` (no line, no column) worded by ``stewardship.<key>`` and,
    when the catalogue has it, the fix ``stewardship.<key>_fix``."""
    what_vi, what_en = both(f"stewardship.{key}", **values)
    fix_key = f"stewardship.{key}_fix"
    fix_vi, fix_en = both(fix_key, **values) if fix_key in catalog("vi") else (None, None)
    return Problem(label, None, None, what_vi, what_en, fix_vi, fix_en)
