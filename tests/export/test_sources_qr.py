"""Sources cited by publisher and date; the view's link and its QR code."""

from __future__ import annotations

import io

import pytest

from nq05_metrics.export import qr, sources


@pytest.mark.parametrize(("url", "lang", "label"), [
    ("https://baophutho.vn/lai-chau-phat-trien-nong-nghiep-hang-hoa-theo-huong-ben-vung-237925.htm",
     "vi", "Báo Phú Thọ, 14/8/2025"),
    ("https://etime.danviet.vn/thu-truong-bo-nong-nghiep-va-phat-trien-nong-thon-lam-viec-tai-lai"
     "-chau-20230317145637837.htm", "vi", "Báo Dân Việt, 17/3/2023"),
    ("https://baodantoc.vn/lai-chau-phat-trien-vung-nguyen-lieu-dua-san-xuat-lien-ket-theo-chuoi"
     "-gia-tri-1656335216521.htm", "en", "Ethnicity and Development Newspaper, 27/6/2022"),
    ("https://daidoanket.vn/print/10238991.html", "vi", "Báo Đại Đoàn Kết"),  # no date: none made up
    ("https://unknown.example.org/a", "vi", "unknown.example.org"),
])
def test_cite_publisher_and_date(url: str, lang: str, label: str) -> None:
    src = sources.cite(url, "reported", lang)
    assert src.label == label and src.url == url


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_illustrative_sources_never_show_internal_wording(lang: str) -> None:
    raw = "Số liệu minh họa của nhóm phát triển (không phải số liệu thực tế)"
    src = sources.cite(raw, "illustrative", lang)
    assert "nhóm" not in src.label and src.url == ""
    assert ("minh họa" in src.label) if lang == "vi" else ("Illustrative" in src.label)


def test_view_url_and_qr(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    monkeypatch.setenv(qr.ENV, "https://nq05.example.vn/")
    base = qr.base_url()
    assert base == "https://nq05.example.vn"
    assert qr.base_url("https://other.vn") == "https://other.vn"
    url = qr.view_url(base, 2025, "110", "passion_fruit", "en")
    assert url == ("https://nq05.example.vn/trinh-chieu?year=2025&unit=110&commodity=passion_fruit"
                   "&lang=en")
    assert qr.view_url("", 2025, "12", None, "vi") == ""
    img = Image.open(io.BytesIO(qr.qr_png(url)))
    assert img.size[0] == img.size[1] >= 250
