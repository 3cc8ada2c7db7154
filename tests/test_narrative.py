"""Tests of nq05_metrics.narrative: the review paragraph is generated from the status table."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from nq05_metrics import narrative


def _row(name: str, status: str, on_schedule=True, forecast=True, quality="official") -> dict:
    return {"name_vi": name, "name_en": name.upper(), "status": status, "on_schedule": on_schedule,
            "forecast_met": forecast, "quality": quality, "target_quality": "official",
            "as_of": 2023, "target_year": 2025}


def _table(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    return frame.astype({"on_schedule": "boolean", "forecast_met": "boolean"})


def test_paragraph_counts_and_names_like_the_seed():
    table = _table(_row("Lúa hàng hóa", "achieved"), _row("Đàn ong", "achieved"),
                   _row("Chè", "over_half"), _row("Mắc ca", "over_half", False, False),
                   _row("Trồng mới chè cổ thụ", "low", False, False))
    text = narrative.paragraph(table, "vi")
    assert text.startswith("Tính đến năm 2023, 4/5 chỉ tiêu đạt trên 50% kế hoạch, trong đó 2 chỉ "
                           "tiêu đã đạt và vượt: Lúa hàng hóa, đàn ong.")
    assert "Một số chỉ tiêu đạt thấp: Trồng mới chè cổ thụ." in text
    assert "Chậm tiến độ so với lộ trình: Mắc ca." in text
    assert "Dự báo khó đạt mục tiêu năm 2025: Mắc ca, trồng mới chè cổ thụ." in text
    assert unicodedata.is_normalized("NFC", text)


def test_paragraph_changes_with_the_data():
    first = narrative.paragraph(_table(_row("A", "achieved"), _row("B", "low")), "vi")
    second = narrative.paragraph(_table(_row("A", "low"), _row("B", "low")), "vi")
    assert "1/2" in first and "0/2" in second
    assert "chưa có chỉ tiêu nào đạt và vượt" in second


def test_english_paragraph():
    text = narrative.paragraph(_table(_row("a", "achieved"), _row("b", "no_data")), "en")
    assert text.startswith("As of 2023, 1 of 1 indicators have reached over 50%")
    assert "No data yet: B." in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_illustrative_data_is_disclosed(lang):
    text = narrative.paragraph(_table(_row("a", "achieved", quality="illustrative")), lang)
    assert ("minh họa" if lang == "vi" else "illustrative") in text


def test_empty_table_says_nothing_assessed():
    assert "chưa có chỉ tiêu" in narrative.paragraph(_table(_row("a", "no_data")), "vi")


def test_acronyms_keep_their_case_in_lists():
    text = narrative.paragraph(_table(_row("Tea", "achieved"), _row("OCOP products", "achieved")),
                               "vi")
    assert "Tea, OCOP products." in text
