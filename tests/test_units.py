"""Tests of nq05_metrics.units: folding, code normalisation, name → GSO code resolution."""

from __future__ import annotations

import math
import unicodedata

import pandas as pd
import pytest

from nq05_metrics.units import UnitRegistry, build_registry, fold, normalize_code, read_units


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H. Than Uyên", "h than uyen"),
        ("  Huyện   Tam Đường ", "huyen tam duong"),
        (unicodedata.normalize("NFD", "Nậm Nhùn"), "nam nhun"),
        ("TP.Lai Châu", "tp lai chau"),
        ("Sìn_Hồ", "sin ho"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("110", "110"),
        (110, "110"),
        (110.0, "110"),
        ("110.0", "110"),
        (" 012 ", "12"),
        ("11a", None),
        ("110.5", None),
        (None, None),
        ("", None),
    ],
)
def test_normalize_code(value: object, expected: str | None) -> None:
    assert normalize_code(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Than Uyen", "110"),
        ("Than Uyên", "110"),
        ("huyện Than Uyên", "110"),
        ("Huyện Than Uyên", "110"),
        ("H. Than Uyên", "110"),
        (unicodedata.normalize("NFD", "huyện Than Uyên"), "110"),
        ("Tân Uyên", "111"),
        ("TP Lai Châu", "105"),
        ("TP. Lai Châu", "105"),
        ("Thành phố Lai Châu", "105"),
        ("thanh pho lai chau", "105"),
        ("Lai Châu", "12"),
        ("tỉnh Lai Châu", "12"),
        ("110", "110"),
        ("110.0", "110"),
        (110, "110"),
        ("Tam Duong", "106"),
        ("999", None),
        ("Mường Tè", None),
        ("Uyên", None),
        (math.nan, None),
    ],
)
def test_resolve(units: UnitRegistry, value: object, expected: str | None) -> None:
    assert units.resolve(value) == expected


def test_name_codes_and_valid_names(units: UnitRegistry) -> None:
    assert units.name("110") == "Than Uyên"
    assert units.name("110", "en") == "Than Uyen"
    assert units.name("999") == "999"
    assert units.codes() == ["105", "106", "110", "111"]
    assert "Tân Uyên" in units.valid_names("vi")


def test_key_claimed_by_two_units_is_dropped() -> None:
    frame = pd.DataFrame({
        "unit_code": ["106", "110"], "unit_set": ["d", "d"], "level": ["district", "district"],
        "name_vi": ["A", "B"], "name_en": ["A", "B"], "aliases": ["Chung", "Chung"],
    })
    registry = build_registry(frame)
    assert registry.resolve("chung") is None
    assert registry.resolve("A") == "106"


def test_nan_aliases_do_not_become_the_name_nan() -> None:
    frame = pd.DataFrame({
        "unit_code": ["106"], "unit_set": ["d"], "level": ["district"],
        "name_vi": ["Tam Đường"], "name_en": ["Tam Duong"], "aliases": [math.nan],
    })
    assert build_registry(frame).resolve("nan") is None


def test_read_units_nfc(tmp_path) -> None:
    text = "unit_code,unit_set,level,name_vi,name_en,parent_code,valid_from,valid_to,aliases\n"
    text += unicodedata.normalize("NFD", "110,d,district,Than Uyên,Than Uyen,12,2004-01-01,,\n")
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8-sig")
    registry = read_units(path)
    assert registry.name("110") == unicodedata.normalize("NFC", "Than Uyên")
