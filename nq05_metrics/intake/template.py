"""The fill-in template: an XLSX form for one year and a set of units (or one unit) that the
import reads back exactly.

Sheet 1 is a report form the engine recognises as a table by year with a unit column: a title
naming the year, the header STT | Mã chỉ tiêu | Chỉ tiêu | Đơn vị | ĐVT | Năm Y−1 (tham khảo) |
Năm Y | Ghi chú, one row per indicator × unit with last year's figure for reference (a
comparison column, never imported) and a number-only data validation (≥ 0) on the Năm Y
column. Sheet 2 holds the instructions.
"""

from __future__ import annotations

import io
import math

import pandas as pd

from nq05_metrics.i18n import t
from nq05_metrics.units import UnitRegistry

HEADER_ROW = 4


def template_xlsx_bytes(observations: pd.DataFrame, indicators: pd.DataFrame, units: UnitRegistry,
                        year: int, unit_codes: list[str], lang: str = "vi") -> bytes:
    """The template for ``year`` and ``unit_codes`` (see module doc); ``lang`` for the texts."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.create_sheet(index=0)
    book.remove(book.worksheets[1])  # the empty default sheet
    ws.title = t(lang, "intake.template_sheet")
    ws.append([t(lang, "intake.template_letterhead")])
    ws.append([t(lang, "intake.template_title", year=year)])
    ws.append([])
    ws.append([t(lang, f"intake.template_col_{c}", year=year, prev=year - 1)
               for c in ("stt", "id", "name", "unit", "measure", "prev", "value", "note")])
    last = {(i, u): v for i, u, y, v in observations[["indicator_id", "unit_code", "year", "value"]]
            .itertuples(index=False) if y == year - 1}
    n = 0
    for ind, name, measure in zip(indicators["indicator_id"], indicators["name_vi"],
                                  indicators["unit"], strict=True):
        for code in unit_codes:
            n += 1
            prev = last.get((ind, code))
            ws.append([n, ind, name, units.name(code), measure,
                       None if prev is None or math.isnan(prev) else prev, None, None])
    for cell in ws[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws["A2"].font = Font(bold=True, size=13)
    value_col = "G"
    check = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                           allow_blank=True, showErrorMessage=True,
                           errorTitle=t(lang, "intake.template_error_title"),
                           error=t(lang, "intake.template_error"))
    check.add(f"{value_col}{HEADER_ROW + 1}:{value_col}{HEADER_ROW + max(n, 1)}")
    ws.add_data_validation(check)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for r in range(HEADER_ROW + 1, HEADER_ROW + n + 1):
        ws[f"{value_col}{r}"].fill = fill
    for col, width in zip("ABCDEFGH", (5, 24, 40, 20, 10, 14, 14, 30), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    help_sheet = book.create_sheet(t(lang, "intake.template_help_sheet"))
    for i in range(1, 7):
        help_sheet.append([t(lang, f"intake.template_help_{i}", year=year)])
    help_sheet.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
