"""Steward intake: a report form, district return, fill-in template or canonical table in, the
canonical observations out, through the one loader — recognised and shown before anything is
written. Cut by topic: :mod:`.workbook` (reading XLSX/CSV with formats, merges, hidden rows),
:mod:`.legacy` (TCVN3/VNI text), :mod:`.vocab` (header words, names → ids), :mod:`.layout`
(header and columns), :mod:`.extract` (rows → figures), :mod:`.checks` (plausibility),
:mod:`.engine` (plan, merge, apply), :mod:`.template`, :mod:`.completeness`, :mod:`.cli`.
"""

from nq05_metrics.intake.engine import ImportPlan, Options, apply_import, plan_import

__all__ = ["ImportPlan", "Options", "apply_import", "plan_import"]
