"""AppTest of the steward's section (dashboard.stewardship_ui.render_stewardship)."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import make_obs, obs_csv, write_dataset
from streamlit.testing.v1 import AppTest

from nq05_metrics import stewardship as sw
from nq05_metrics.contract import TABLES

PASSWORD = "mật khẩu biên tập"
TIMEOUT = 60


def _app(folder: Path, lang: str = "vi", visit: bool = False) -> AppTest:
    """The steward's section alone, or (``visit``) after the page loaded the app's dataset of
    ``$NQ05_DATA_DIR`` as the Data page does."""
    script = f"""
from pathlib import Path
from dashboard import loaders
from dashboard.stewardship_ui import render_stewardship
if {visit!r}:
    assert loaders.dataset().ds is not None
render_stewardship(Path({str(folder)!r}), {lang!r})
"""
    return AppTest.from_string(script, default_timeout=TIMEOUT)


@pytest.fixture
def ds_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return write_dataset(folder)


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("info", "error", "warning", "success", "caption", "markdown")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def _submit(at: AppTest) -> AppTest:
    for button in at.get("form_submit_button"):
        button.click()
    return at.run()


def _login(folder: Path, lang: str = "vi", password: str = PASSWORD, visit: bool = False) -> AppTest:
    at = _app(folder, lang, visit)
    at.secrets["editor"] = {"password_hash": sw.hash_password(PASSWORD, iterations=1000)}
    at.run()
    at.text_input(key="steward.name").input("Lò Văn Thống")
    at.text_input(key="steward.password").input(password)
    return _submit(at)


def _upload_good(at: AppTest) -> AppTest:
    """Upload an observations table that adds one row and changes one; the preview shows it."""
    at.selectbox(key="steward.table").set_value("observations")
    good = obs_csv(make_obs(), make_obs(unit_code="12", value="8000"), make_obs(year="2024"))
    at.get("file_uploader")[0].set_value(("moi.csv", good, "text/csv"))
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["1", "1", "0"]  # the check ran and found the change
    for box in at.checkbox:  # plausibility warnings are acknowledged before applying
        if box.key.startswith("intake.accept"):
            box.check()
    return at.run()


@pytest.mark.parametrize(("lang", "needle"), [("vi", "Chế độ chỉ xem"), ("en", "Read-only")])
def test_without_secrets_the_section_is_read_only(ds_dir: Path, lang: str, needle: str) -> None:
    at = _app(ds_dir, lang).run()
    assert not at.exception
    assert needle in _texts(at)
    assert len(at.get("file_uploader")) == 0
    # the workbook + one CSV per table + the fill-in template (for everyone, like the downloads)
    assert len(at.get("download_button")) == 2 + len(TABLES)


def test_wrong_password_does_not_unlock(ds_dir: Path) -> None:
    at = _login(ds_dir, password="sai mật khẩu")
    assert not at.exception
    assert "Mật khẩu không đúng" in _texts(at)
    assert len(at.get("file_uploader")) == 0


def test_bad_upload_shows_every_problem_and_leaves_the_file_unchanged(ds_dir: Path) -> None:
    before = (ds_dir / "observations.csv").read_bytes()
    at = _login(ds_dir)
    assert not at.exception
    assert len(at.get("file_uploader")) == 1
    at.selectbox(key="steward.table").set_value("observations")
    bad = obs_csv(make_obs(value="abc"), make_obs(indicator_id="<img src=x onerror=alert(1)>",
                                                  year="2022"))
    at.get("file_uploader")[0].set_value(("bao_cao.csv", bad, "text/csv"))
    at.run()
    assert not at.exception
    assert "Dữ liệu hiện tại KHÔNG bị thay đổi" in _texts(at)
    problems = next(d.value for d in reversed(at.dataframe) if "dòng" in d.value.columns)
    assert len(problems) == 2 and set(problems["dòng"]) == {2, 3}
    assert problems["tệp"].tolist() == ["bao_cao.csv", "bao_cao.csv"]
    assert (ds_dir / "observations.csv").read_bytes() == before
    assert not (ds_dir / ".history" / "log.jsonl").exists()
    assert not [b for b in at.button if b.key == "steward.apply"]


def test_good_upload_previews_applies_and_can_be_restored(ds_dir: Path) -> None:
    before = (ds_dir / "observations.csv").read_bytes()
    at = _upload_good(_login(ds_dir))
    at.button(key="steward.apply").click().run()
    assert not at.exception
    assert "Đã áp dụng observations.csv" in _texts(at)
    assert (ds_dir / "observations.csv").read_bytes() != before
    entries = sw.history(ds_dir)
    assert len(entries) == 1 and entries[0].who == "Lò Văn Thống"
    at.button(key="steward.restore").click().run()
    assert not at.exception
    assert "Đã khôi phục observations.csv" in _texts(at)
    assert (ds_dir / "observations.csv").read_bytes() == before
    assert [e.action for e in sw.history(ds_dir)] == ["restore", "upload"]


def test_a_visit_and_an_upload_check_parse_the_folder_once(
    ds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's cached folder read is the one the upload check reuses: a page visit plus a
    check of an upload parse the data folder once (the check then reads only the uploaded table
    and the tables that refer to it)."""
    from nq05_metrics import loader
    from nq05_metrics.loader import dataset

    calls: list[bool] = []
    real = dataset.read_files

    def counting(files, reuse=None, changed=None):  # type: ignore[no-untyped-def]
        calls.append(reuse is None)
        return real(files, reuse, changed)

    monkeypatch.setattr(loader, "read_files", counting)
    monkeypatch.setattr(dataset, "read_files", counting)  # what read_folder calls
    monkeypatch.setenv("NQ05_DATA_DIR", str(ds_dir))
    _upload_good(_login(ds_dir, visit=True))
    assert calls.count(True) == 1, f"whole-folder parses: {calls.count(True)}"
    assert calls.count(False) >= 1  # the check's partial read of the upload


def _upload_form(at: AppTest, raw: bytes, name: str = "bieu.xlsx") -> AppTest:
    at.get("file_uploader")[0].set_value((name, raw, XLSX))
    return at.run()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_report_form_shows_its_layout_and_warnings_gate_apply(ds_dir: Path) -> None:
    import report_forms

    raw = report_forms.wide_by_year([("Diện tích chè", [100, 200, 300, 400, 500])],
                                    [2021, 2022, 2023, 2024, 2025],
                                    title="KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU HUYỆN THAN UYÊN")
    at = _upload_form(_login(ds_dir), raw)
    assert not at.exception
    assert "đọc được (bảng theo năm" in _texts(at) and "Than Uyên" in _texts(at)
    assert [m.value for m in at.metric] == ["4", "1", "0"]
    apply = at.button(key="steward.apply")
    assert apply.disabled  # Σ districts ≠ province: a warning to acknowledge first
    next(b for b in at.checkbox if b.key.startswith("intake.accept")).check()
    at.run()
    at.button(key="steward.apply").click().run()
    assert not at.exception and "Đã áp dụng observations.csv" in _texts(at)
    entry = sw.history(ds_dir)[0]
    assert entry.mode == "merge" and entry.source == "bieu.xlsx" and entry.warnings


def test_replace_mode_shows_removals_first(ds_dir: Path) -> None:
    import report_forms

    at = _login(ds_dir)
    at.radio(key="intake.mode").set_value("replace").run()
    raw = report_forms.long_table([("Diện tích chè", "Tân Uyên", 2024, 130, None)])
    at = _upload_form(at, raw)
    assert not at.exception
    assert at.error and at.error[0].value == "Sẽ xoá 2 dòng"
    assert [m.value for m in at.metric] == ["1", "0", "2"]


def test_entry_form_and_template_are_offered(ds_dir: Path) -> None:
    at = _login(ds_dir)
    assert not at.exception
    grid = next(d.value for d in at.dataframe if "Giá trị" in d.value.columns)
    assert grid["Chỉ tiêu"].tolist() == ["Diện tích chè"]
    assert at.get("download_button")[-1].label == "Tải mẫu nhập liệu"


def test_the_template_opens_on_the_year_being_reported_with_its_units(tmp_path: Path) -> None:
    """In December 2026 the steward fills 2026: the template starts at the latest year of the
    data (2026 in the shipped folder), offering the 38 communes, not 2025's districts."""
    from app_helpers import copy_data

    at = _login(copy_data(tmp_path))
    year = next(n for n in at.number_input if n.key == "intake.template.year")
    units = next(m for m in at.multiselect if m.key == "intake.template.units")
    assert year.value == 2026
    assert len(units.value) == 38 and "03595" in units.value and "110" not in units.value
