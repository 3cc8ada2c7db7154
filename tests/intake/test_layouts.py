"""The report-form layouts a steward sends are recognised and read to the right figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import report_forms as forms

from nq05_metrics.intake.engine import ImportPlan, Options, plan_import

YEARS = [2021, 2022, 2023, 2024, 2025]


def _figures(plan: ImportPlan) -> set[tuple[str, str, int, float]]:
    assert plan.upload is not None
    return {(i, u, int(y), float(v)) for i, u, y, v in
            plan.upload[["indicator_id", "unit_code", "year", "value"]].itertuples(index=False)}


def _keys(problems: tuple) -> list[str]:
    return [p.what_en for p in problems]


def test_province_form_by_year_with_letterhead_merged_header_sections_and_signature(data_dir: Path) -> None:
    raw = forms.wide_by_year([("Diện tích mắc ca", [4100, 5200, 6300, 7400, 8500]),
                              ("1.2. Diện tích chè (ha)", [8000, 8200, 8400, 8600, 8800]),
                              ("Đàn ong mật", [12000, 13000, 14000, 15000, 16000], "đàn")], YEARS)
    plan = plan_import(raw, "bieu01.xlsx", data_dir)
    assert plan.errors == ()
    assert plan.summary["kind"] == "wide_year"
    assert plan.layout is not None and plan.layout.header_rows == (7, 8)
    assert plan.layout.measure == "ha"
    assert ("macadamia_area", "12", 2025, 8500.0) in _figures(plan)
    assert ("bee_colonies", "12", 2021, 12000.0) in _figures(plan)
    assert len(_figures(plan)) == 15
    assert "section" in plan.summary["skipped"] and "end" in plan.summary["skipped"]
    read = [p for p in plan.notices if p.what_en.startswith("read (table by year")][0]
    assert "3 indicator(s) × 5 year(s)" in read.what_en and "Lai Châu" in read.what_en


def test_district_breakdown_by_unit_takes_the_year_from_the_title(data_dir: Path) -> None:
    raw = forms.wide_by_unit([("Diện tích mắc ca", [2500, 2300, 7000]),
                              ("Diện tích chè", [800, 3000, 9800])],
                             ["Than Uyên", "H. Tân Uyên", "Tam Đường"], 2024)
    plan = plan_import(raw, "huyen.xlsx", data_dir)
    assert plan.errors == ()
    assert plan.summary["kind"] == "wide_unit"
    assert _figures(plan) == {("macadamia_area", "110", 2024, 2500.0),
                              ("macadamia_area", "111", 2024, 2300.0),
                              ("macadamia_area", "106", 2024, 7000.0), ("tea_area", "110", 2024, 800.0),
                              ("tea_area", "111", 2024, 3000.0), ("tea_area", "106", 2024, 9800.0)}
    assert not any("total" in w for w in _keys(plan.warnings))  # "Tổng số" column = Σ: checked, not stored


def test_district_return_rows_by_unit_with_total_row_checked_not_stored(data_dir: Path) -> None:
    raw = forms.units_by_indicator([("Huyện Than Uyên", [2500, 800]), ("Tân Uyên", [2300, 3000])],
                                   ["Diện tích mắc ca", "Diện tích chè"], 2024)
    raw = forms.set_cell(raw, forms.find(raw, 3800), 3900)  # the total row is wrong by 100
    plan = plan_import(raw, "tra-ve.xlsx", data_dir)
    assert plan.summary["kind"] == "wide_indicator"
    assert len(_figures(plan)) == 4 and ("tea_area", "111", 2024, 3000.0) in _figures(plan)
    mismatch = [p for p in plan.warnings if p.what_en.startswith("total row/column states 3900")]
    assert mismatch and mismatch[0].line == 9


def test_long_table_below_title_rows_with_vietnamese_headers_and_names(data_dir: Path) -> None:
    raw = forms.long_table([("Diện tích mắc ca", "Than Uyên", 2024, 2500, "ước"),
                            ("Diện tích chè", "Tân Uyên", 2024, 3000, None)])
    plan = plan_import(raw, "dai.xlsx", data_dir)
    assert plan.errors == ()
    assert plan.summary["kind"] == "long"
    assert _figures(plan) == {("macadamia_area", "110", 2024, 2500.0), ("tea_area", "111", 2024, 3000.0)}
    assert plan.upload is not None and plan.upload["note"].tolist() == ["ước", ""]


def test_the_apps_all_tables_workbook_uploads_back_unchanged(data_dir: Path) -> None:
    from nq05_metrics import loader
    from nq05_metrics.stewardship import dataset_xlsx_bytes

    frames, _ = loader.read_files(loader.file_bytes(data_dir))
    raw = dataset_xlsx_bytes(frames)
    plan = plan_import(raw, "nq05.xlsx", data_dir)
    assert plan.ok and plan.table == "observations"
    assert plan.counts() == {"added": 0, "changed": 0, "removed": 0}
    assert plan.warnings == ()  # nothing changes, so nothing to judge
    other = plan_import(raw, "nq05.xlsx", data_dir, Options(table="indicators"))
    assert other.ok and other.counts() == {"added": 0, "changed": 0, "removed": 0}


def test_sheet_chosen_by_content_or_by_name(data_dir: Path) -> None:
    raw = forms.wide_by_year([("Diện tích mắc ca", [1, 2, 3, 4, 5])], YEARS,
                             sheet_title="Số liệu", extra_sheets=["Hướng dẫn"])
    assert plan_import(raw, "b.xlsx", data_dir).layout.sheet == "Số liệu"  # type: ignore[union-attr]
    missing = plan_import(raw, "b.xlsx", data_dir, Options(sheet="Biểu 9"))
    assert not missing.ok and "sheets: Số liệu, Hướng dẫn" in missing.errors[0].what_en


def test_form_without_a_unit_asks_for_it(data_dir: Path) -> None:
    raw = forms.wide_by_year([("Diện tích mắc ca", [1, 2, 3, 4, 5])], YEARS,
                             title="KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    raw = forms.set_cell(raw, "A1", "HỘI NÔNG DÂN")  # no letterhead naming the province either
    raw = forms.set_cell(raw, "A2", None)
    plan = plan_import(raw, "b.xlsx", data_dir)
    assert not plan.ok
    assert plan.errors[0].what_en.startswith("sheet 'Biểu 01' (wide_year) does not say the unit")
    assert "--unit" in (plan.errors[0].fix_en or "")
    fixed = plan_import(raw, "b.xlsx", data_dir, Options(unit="Than Uyên"))
    assert {u for _, u, _, _ in _figures(fixed)} == {"110"}


def test_merge_changes_only_the_keys_in_the_upload_and_replace_shows_removals(data_dir: Path) -> None:
    before = pd.read_csv(data_dir / "observations.csv")
    raw = forms.long_table([("Diện tích mắc ca", "Than Uyên", 2024, 2500, None)])
    merged = plan_import(raw, "tu.xlsx", data_dir)
    assert merged.counts() == {"added": 0, "changed": 1, "removed": 0}
    replaced = plan_import(raw, "tu.xlsx", data_dir, Options(mode="replace"))
    assert replaced.counts()["removed"] == len(before) - 1
