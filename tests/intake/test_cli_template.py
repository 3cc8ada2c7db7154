"""The import command, the fill-in template round trip, completeness, and the layout reader's
round-trip property over random canonical data."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import report_forms as forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq05_metrics import loader
from nq05_metrics.cli import main
from nq05_metrics.intake.completeness import completeness, rates
from nq05_metrics.intake.engine import plan_import
from nq05_metrics.intake.template import template_xlsx_bytes
from nq05_metrics.stewardship import history


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_import_json_shape_exit_codes_and_apply(data_dir: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "tu.xlsx"
    path.write_bytes(forms.long_table([("Diện tích mắc ca", "Than Uyên", 2024, 250000, None)]))
    before = (data_dir / "observations.csv").read_bytes()
    code, out = _run(capsys, "--data-dir", str(data_dir), "import", str(path), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["changed"] == 1
    assert set(report) >= {"ok", "table", "layout", "added", "changed", "removed", "problems", "warnings"}
    assert set(report["warnings"][0]) == {"file", "line", "column", "severity", "message_vi", "message_en"}
    assert (data_dir / "observations.csv").read_bytes() == before
    code, out = _run(capsys, "--data-dir", str(data_dir), "import", str(path), "--accept-warnings",
                     "--dry-run")
    assert code == 0 and (data_dir / "observations.csv").read_bytes() == before
    code, out = _run(capsys, "--data-dir", str(data_dir), "import", str(path), "--accept-warnings",
                     "--by", "Cán bộ A")
    assert code == 0 and history(data_dir)[0].who == "Cán bộ A"
    assert "250000" in (data_dir / "observations.csv").read_text()
    assert _run(capsys, "--data-dir", str(data_dir), "import", str(tmp_path / "none.xlsx"))[0] == 2


def test_import_refusal_exit_1_with_cause(data_dir: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    code, out = _run(capsys, "--data-dir", str(data_dir), "--lang", "en", "import", str(path))
    assert code == 1 and "Excel 97–2003" in out


def test_template_round_trips_exactly(data_dir: Path) -> None:
    frames, _ = loader.read_files(loader.file_bytes(data_dir))
    units = loader.registry_from_frame(frames["units"])
    raw = template_xlsx_bytes(frames["observations"], frames["indicators"], units, 2025, ["110", "111"])
    typed = {("macadamia_area", "110"): 2612.5, ("tea_area", "111"): 3100, ("bee_colonies", "110"): 905}
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw))
    ws = book.worksheets[0]
    assert ws.data_validations.dataValidation[0].type == "decimal"
    assert book.worksheets[1].title == "Hướng dẫn"
    for row in ws.iter_rows(min_row=5):
        key = (row[1].value, "110" if row[3].value == "Than Uyên" else "111")
        if key in typed:
            row[6].value = typed[key]
    out = io.BytesIO()
    book.save(out)
    plan = plan_import(out.getvalue(), "mau.xlsx", data_dir)
    assert plan.errors == ()
    got = {(i, u): v for i, u, y, v in plan.upload[["indicator_id", "unit_code", "year", "value"]]
           .itertuples(index=False)}  # type: ignore[index]
    assert got == {k: float(v) for k, v in typed.items()}
    assert set(plan.upload["year"]) == {2025}  # type: ignore[index]


def test_completeness_reported_missing_carried() -> None:
    from builders import make_units

    units = make_units()
    obs = pd.DataFrame({"indicator_id": ["a", "a"], "unit_code": ["12", "12"], "year": [2021, 2023],
                        "value": [1.0, 2.0]})
    table = completeness(obs, pd.DataFrame({"indicator_id": ["a"]}), units, [2021, 2022, 2023])
    prov = table[table["unit_code"] == "12"].set_index("year")["status"].to_dict()
    assert prov == {2021: "reported", 2022: "carried", 2023: "reported"}
    assert (table[table["unit_code"] != "12"]["status"] == "missing").all()
    assert rates(table).iloc[0]["reported"] == 2


# -- property: random canonical data rendered as a report form reads back to the same figures --

INDICATORS = [("macadamia_area", "Diện tích mắc ca"), ("tea_area", "Diện tích chè"),
              ("sweet_corn_area", "Diện tích ngô ngọt"), ("pineapple_area", "Diện tích dứa")]
UNITS = [("110", "Than Uyên"), ("111", "Tân Uyên"), ("106", "Tam Đường"), ("109", "Phong Thổ")]
figure = st.one_of(st.integers(0, 99_999), st.integers(0, 999_999).map(lambda n: n / 10))


@st.composite
def canonical(draw):
    inds = draw(st.lists(st.sampled_from(INDICATORS), min_size=1, max_size=4, unique=True))
    units = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=4, unique=True))
    years = sorted(draw(st.lists(st.integers(2021, 2025), min_size=1, max_size=5, unique=True)))
    layout = draw(st.sampled_from(["long", "wide_year", "wide_unit", "wide_indicator"]))
    if layout == "wide_year":
        units = units[:1]
    if layout in ("wide_unit", "wide_indicator"):
        years = years[:1]
    values = {(i, u, y): draw(figure) for i, _ in inds for u, _ in units for y in years}
    return layout, inds, units, years, values


def _render(layout, inds, units, years, values) -> bytes:
    if layout == "long":
        return forms.long_table([(n, un, y, values[(i, u, y)], None) for i, n in inds
                                 for u, un in units for y in years])
    if layout == "wide_year":
        (u, un), = units
        return forms.wide_by_year([(n, [values[(i, u, y)] for y in years]) for i, n in inds], years,
                                  title=f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU HUYỆN {un.upper()}")
    if layout == "wide_unit":
        return forms.wide_by_unit([(n, [values[(i, u, years[0])] for u, _ in units]) for i, n in inds],
                                  [un for _, un in units], years[0])
    return forms.units_by_indicator([(un, [values[(i, u, years[0])] for i, _ in inds]) for u, un in units],
                                    [n for _, n in inds], years[0])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=canonical())
def test_random_forms_read_back_to_the_same_observations(case, data_dir: Path) -> None:
    layout, inds, units, years, values = case
    plan = plan_import(_render(*case), "form.xlsx", data_dir)
    assert plan.errors == (), [p.what_en for p in plan.errors]
    assert plan.summary["kind"] == layout
    got = {(i, u, int(y)): float(v) for i, u, y, v in
           plan.upload[["indicator_id", "unit_code", "year", "value"]].itertuples(index=False)}  # type: ignore[index]
    assert got == {k: float(v) for k, v in values.items()}


def test_completeness_command(data_dir: Path, capsys) -> None:
    code, out = _run(capsys, "--data-dir", str(data_dir), "completeness", "--indicator", "tea_area",
                     "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["status"] for r in rows} <= {"reported", "carried", "missing"}
    assert {r["year"] for r in rows} == {2021, 2022, 2023, 2024, 2025}
    code, out = _run(capsys, "--data-dir", str(data_dir), "--lang", "en", "completeness",
                     "--indicator", "tea_area")
    assert code == 0 and out.startswith("tea_area: reported 45, missing 0") and "Than Uyen" in out
