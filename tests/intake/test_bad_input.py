"""Bad input gets one message naming its cause, or a warning that blocks applying — never a
silent misread, never a traceback, nothing written."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
import report_forms as forms

from nq05_metrics.intake.engine import Options, apply_import, plan_import
from nq05_metrics.stewardship import StewardshipError

YEARS = [2021, 2022, 2023, 2024, 2025]
ROWS = [("Diện tích mắc ca", [4100, 5200, 6300, 7400, 8500]),
        ("Diện tích chè", [8000, 8200, 8400, 8600, 8800])]


def _warned(plan, start: str) -> list:
    return [p for p in plan.warnings if p.what_en.startswith(start)]


def test_xls_bytes_say_how_to_save_as_xlsx(data_dir: Path) -> None:
    plan = plan_import(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "cu.xls", data_dir)
    assert len(plan.errors) == 1 and plan.errors[0].what_en.startswith("Excel 97–2003 file (.xls)")
    assert "Save As" in (plan.errors[0].fix_en or "") and "Lưu thành" in (plan.errors[0].fix_vi or "")


def test_password_protected_workbook_is_named_as_such(data_dir: Path) -> None:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(forms.wide_by_year(ROWS, YEARS))
    locked = io.BytesIO()
    OOXMLFile(plain).encrypt("mat-khau", locked)
    assert msoffcrypto and locked.getvalue().startswith(b"\xd0\xcf\x11\xe0")
    plan = plan_import(locked.getvalue(), "khoa.xlsx", data_dir)
    assert len(plan.errors) == 1 and "password-protected" in plan.errors[0].what_en


def test_damaged_zip_is_one_problem(data_dir: Path) -> None:
    plan = plan_import(b"PK\x03\x04 not really a workbook", "hong.xlsx", data_dir)
    assert len(plan.errors) == 1 and "not a valid Excel workbook" in plan.errors[0].what_en


def test_formula_without_cached_value_is_not_read_as_empty(data_dir: Path) -> None:
    raw = forms.wide_by_year(ROWS, YEARS)
    ref = forms.find(raw, 8800)
    raw = forms.set_cell(raw, ref, f"=SUM({ref[0]}10:{ref[0]}11)")  # openpyxl saves no value
    plan = plan_import(raw, "cong-thuc.xlsx", data_dir)
    found = _warned(plan, "formula cell =SUM(")
    assert found and found[0].column == ref[0] and "save the file in Excel" in (found[0].fix_en or "")


def test_percent_formatted_area_cell_is_a_warning(data_dir: Path) -> None:
    raw = forms.wide_by_year(ROWS, YEARS)
    ref = forms.find(raw, 8200)
    raw = forms.set_cell(raw, ref, 0.62, "0%")
    plan = plan_import(raw, "pt.xlsx", data_dir)
    found = _warned(plan, "percent-formatted cell: shows 62%")
    assert found and f"{found[0].column}{found[0].line}" == ref


def test_hidden_rows_are_listed(data_dir: Path) -> None:
    plan = plan_import(forms.wide_by_year(ROWS, YEARS, hidden=[0, 1]), "an.xlsx", data_dir)
    found = _warned(plan, "2 hidden row(s)")
    assert found and "11, 13" in found[0].what_en


def test_date_formatted_year_cell(data_dir: Path) -> None:
    raw = forms.long_table([("Diện tích mắc ca", "Than Uyên", datetime(1905, 7, 16), 2500, None)])
    plan = plan_import(raw, "ngay.xlsx", data_dir)
    assert _warned(plan, "year cell formatted as a date (shows 1905-07-16); read as year 2024")
    assert plan.upload is not None and plan.upload["year"].tolist() == [2024]


def test_thousands_dot_in_a_dot_decimal_column_is_flagged(data_dir: Path) -> None:
    text = ("Chỉ tiêu;Đơn vị;Năm;Giá trị\nDiện tích chè;Than Uyên;2024;800.5\n"
            "Diện tích chè;Tân Uyên;2024;7.420\n").encode()
    plan = plan_import(text, "cham.csv", data_dir)
    found = _warned(plan, "'7.420' is read as 7.42")
    assert found and found[0].line == 3 and "7420" in found[0].what_en


def test_typed_ambiguous_text_is_refused_by_the_loader(data_dir: Path) -> None:
    raw = forms.long_table([("Diện tích chè", "Than Uyên", 2024, 800, None),
                            ("Diện tích chè", "Tân Uyên", 2024, "7.420", None)])
    plan = plan_import(raw, "cham.xlsx", data_dir)
    assert not plan.ok and plan.errors[0].what_en.startswith("'7.420' could mean 7420 or 7.42")
    assert (plan.errors[0].line, plan.errors[0].column) == (6, "D (value)")


def test_tcvn3_text_is_converted_with_a_notice(data_dir: Path) -> None:
    raw = forms.long_table([("DiÖn tÝch m¾c ca", "Than Uyªn", 2024, 2500, None),
                            ("DiÖn tÝch chÌ", "T©n Uyªn", 2024, 3000, None)])
    plan = plan_import(raw, "tcvn3.xlsx", data_dir)
    assert plan.errors == ()
    assert any("legacy TCVN3" in p.what_en and "→" in p.what_en for p in plan.notices)
    assert set(plan.upload["unit_code"]) == {"110", "111"}  # type: ignore[index]


def test_vni_text_is_converted(data_dir: Path) -> None:
    raw = forms.long_table([("Dieän tích maéc ca", "Than Uyeân", 2024, 2500, None)])
    plan = plan_import(raw, "vni.xlsx", data_dir)
    assert any("legacy VNI" in p.what_en for p in plan.notices)
    assert plan.upload["indicator_id"].tolist() == ["macadamia_area"]  # type: ignore[index]


def test_city_written_as_lai_chau_is_flagged_and_above_province(data_dir: Path) -> None:
    raw = forms.wide_by_unit([("Diện tích mắc ca", [2500, 150000])], ["Than Uyên", "Lai Châu"], 2024,
                             total=False)
    plan = plan_import(raw, "tp.xlsx", data_dir)
    assert _warned(plan, "'Lai Châu' is both the province's and the city's name")


def test_unit_above_province_and_year_on_year(data_dir: Path) -> None:
    raw = forms.long_table([("Diện tích mắc ca", "Than Uyên", 2024, 250000, None)])
    plan = plan_import(raw, "to.xlsx", data_dir)
    assert _warned(plan, "macadamia_area 2024: unit 110 has 250000, more than the whole province")
    assert _warned(plan, "macadamia_area: 250000 is")


def test_unknown_indicator_name_is_listed_with_suggestions(data_dir: Path) -> None:
    raw = forms.long_table([("Dien tich mac-ca trong moi", "Than Uyên", 2024, 25, None),
                            ("Diện tích chè", "Than Uyên", 2024, 800, None)])
    plan = plan_import(raw, "ten.xlsx", data_dir)
    found = _warned(plan, "unknown indicator 'Dien tich mac-ca trong moi'")
    assert found and "Diện tích mắc ca" in found[0].what_en


def test_wrong_unit_of_measure_is_refused(data_dir: Path) -> None:
    raw = forms.wide_by_year([("Diện tích mắc ca", [1, 2, 3, 4, 5], "tấn")], YEARS)
    plan = plan_import(raw, "dvt.xlsx", data_dir)
    assert not plan.ok and "unit of measure 'tấn' differs" in plan.errors[0].what_en


def test_quality_written_with_the_apps_label(data_dir: Path) -> None:
    raw = forms.long_table([("Diện tích chè", "Than Uyên", 2024, 800, "Minh họa")],
                           header=("Chỉ tiêu", "Đơn vị", "Năm", "Giá trị", "Chất lượng"))
    plan = plan_import(raw, "cl.xlsx", data_dir)
    assert plan.upload["quality"].tolist() == ["illustrative"]  # type: ignore[index]
    assert any("read as 'illustrative'" in p.what_en for p in plan.notices)


def test_no_header_row_is_one_message(data_dir: Path) -> None:
    plan = plan_import("ghi chép\n1;2;3\n".encode(), "x.csv", data_dir)
    assert len(plan.errors) == 1 and plan.errors[0].what_en.startswith("no header row")


def test_warnings_block_applying_until_acknowledged(data_dir: Path) -> None:
    before = (data_dir / "observations.csv").read_bytes()
    raw = forms.long_table([("Diện tích mắc ca", "Than Uyên", 2024, 250000, None)])
    plan = plan_import(raw, "to.xlsx", data_dir)
    with pytest.raises(StewardshipError):
        apply_import(plan, data_dir, "tester")
    assert (data_dir / "observations.csv").read_bytes() == before
    entry = apply_import(plan, data_dir, "tester", accept_warnings=True)
    assert entry.changed == 1 and (data_dir / "observations.csv").read_bytes() != before
    again = plan_import(raw, "to.xlsx", data_dir, Options())
    assert again.counts() == {"added": 0, "changed": 0, "removed": 0}


def test_acknowledged_warnings_and_mode_are_kept_in_the_log(data_dir: Path) -> None:
    from nq05_metrics.stewardship import history

    raw = forms.long_table([("Diện tích mắc ca", "Than Uyên", 2024, 250000, None)])
    plan = plan_import(raw, "to.xlsx", data_dir)
    apply_import(plan, data_dir, "tester", accept_warnings=True)
    entry = history(data_dir)[0]
    assert entry.mode == "merge" and entry.source == "to.xlsx"
    assert len(entry.warnings) == len(plan.warnings) >= 2
    assert any("more than the whole province" in str(w["en"]) for w in entry.warnings)
    assert any(w["line"] == 5 for w in entry.warnings)  # the Excel row of the figure


def test_a_2027_form_by_former_district_names_the_communes_that_report_instead(data_dir: Path) -> None:
    """A steward's unit breakdown for 2027 still keyed by a former district: refused at its
    cell, and the message lists the communes to write it for (read through the crosswalk, as
    the loader's own message does); the commune beside it is read."""
    raw = forms.wide_by_unit([("Diện tích mắc ca", [120.5, 410])], ["Than Uyên", "Tam Đường"], 2027,
                             total=False)
    plan = plan_import(raw, "2027.xlsx", data_dir)
    errors = [p for p in plan.errors if p.column and "unit_code" in p.column]
    assert len(errors) == 1 and "Tam Đường (106" in errors[0].what_vi
    assert "Bình Lư (03390)" in (errors[0].fix_vi or "") and "03390" in (errors[0].fix_en or "")
