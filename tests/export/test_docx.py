"""The Word appendix: a native table in the format of Nghị định 30/2020/NĐ-CP (A4 landscape,
Times New Roman 13, margins 20/20/30/15 mm, "PHỤ LỤC" 14 pt bold, title in capitals, the italic
"(Kèm theo Báo cáo số …)" line), the review paragraph before it, figures equal to api.status."""

from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.shared import Mm

from nq05_metrics import api, charts
from nq05_metrics.export.wording import pct_text
from tests.export.conftest import run_cli


def test_docx_layout_and_table(exports, ds, as_of) -> None:  # noqa: ANN001
    doc = Document(io.BytesIO(exports["docx"]))
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert abs(section.page_width - Mm(297)) < Mm(1) and abs(section.page_height - Mm(210)) < Mm(1)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm),
            round(section.left_margin.mm), round(section.right_margin.mm)) == (20, 20, 30, 15)
    paras = [p for p in doc.paragraphs if p.text.strip()]
    assert paras[0].text == "PHỤ LỤC" and paras[0].runs[0].font.bold
    assert paras[0].runs[0].font.size.pt == 14
    assert paras[1].text == paras[1].text.upper() and "05-NQ/TU" in paras[1].text
    assert paras[2].text.startswith("(Kèm theo Báo cáo số") and paras[2].runs[0].font.italic
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs}
    sizes = {r.font.size.pt for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"} and min(sizes) >= 13
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Tính đến năm" in text  # the review paragraph comes before the table
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["STT", "Chỉ tiêu", "ĐVT", "Mục tiêu", "Thực hiện", "Tỷ lệ %", "Đánh giá",
                      "Nguồn / chất lượng"]
    rows = api.status(ds, as_of, ["12"])
    assert len(table.rows) == 1 + len(rows)
    for cells, (_, r) in zip(table.rows[1:], rows.iterrows(), strict=True):
        values = [c.text for c in cells.cells]
        assert values[1] == r["name_vi"]
        target = charts.format_number(r["target"])
        revised = pd.notna(r["target_original"]) and r["target_original"] != r["target"]
        assert values[3] == (f"{target} (ban đầu {charts.format_number(r['target_original'])})"
                             if revised else target)
        assert values[4] == charts.format_number(r["actual"])
        assert values[5] == pct_text(r["achievement_pct"], "vi")
    header_flag = table.rows[0]._tr.trPr.xml
    assert "tblHeader" in header_flag  # repeats on every page
    table_sizes = {r.font.size.pt for row in table.rows for c in row.cells
                   for p in c.paragraphs for r in p.runs}
    assert min(table_sizes) >= 12


def test_docx_in_english(tmp_path) -> None:  # noqa: ANN001
    out = tmp_path / "a.docx"
    assert run_cli("docx", "--lang", "en", "-o", str(out)) == 0
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "APPENDIX"
    assert [c.text for c in doc.tables[0].rows[0].cells][0] == "No."


def test_bad_date_exits_1(tmp_path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "a.docx"
    assert run_cli("docx", "--date", "31/02/2025", "-o", str(out)) == 1
    assert not out.exists() and "DD/MM/YYYY" in capsys.readouterr().err
