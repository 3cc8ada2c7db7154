"""Shared exports for the export tests: ONE full deck (PPTX + PDF) and ONE filtered PPTX per
session, written through the CLI (in-process), so the whole folder stays well under a minute."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from nq05_metrics import cli
from nq05_metrics.export.slides import build_deck, load_geo
from nq05_metrics.loader import Dataset, load_dataset

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
GEO = ROOT / "geo"


def run_cli(*args: str) -> int:
    """``python -m nq05_metrics --data-dir data export … --geo-dir geo`` in-process."""
    return cli.main(["--data-dir", str(DATA), "export", *args, "--geo-dir", str(GEO)])


def pptx_text(data: bytes) -> list[str]:
    """All text of each slide (shapes and table cells), one string per slide."""
    prs = Presentation(io.BytesIO(data))
    out = []
    for slide in prs.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
        out.append("\n".join(parts))
    return out


@pytest.fixture(scope="session")
def ds() -> Dataset:
    return load_dataset(DATA)


@pytest.fixture(scope="session")
def as_of(ds: Dataset) -> int:
    from nq05_metrics import api

    return api.default_as_of(ds)


@pytest.fixture(scope="session")
def deck(ds: Dataset, as_of: int):  # noqa: ANN201
    return build_deck(ds, as_of, geo=load_geo(GEO))


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory, as_of: int) -> dict[str, bytes]:
    """Full PPTX and PDF of the default view in Vietnamese and English, a filtered PPTX (Than
    Uyên × passion fruit) and the Word appendix, all through the CLI."""
    out = tmp_path_factory.mktemp("exports")
    link = ("--base-url", "https://nq05.example.vn")
    runs = {
        "pptx": ("pptx", "--as-of", str(as_of), *link),
        "pdf": ("pdf", "--as-of", str(as_of), *link),
        "en_pptx": ("pptx", "--as-of", str(as_of), *link),
        "en_pdf": ("pdf", "--as-of", str(as_of), *link),
        "filtered": ("pptx", "--as-of", str(as_of), "--unit", "110", "--commodity",
                     "passion_fruit", *link),
        "docx": ("docx", "--as-of", str(as_of), "--place", "Lai Châu", "--date", "15/12/2025"),
    }
    codes = {}
    for name, args in runs.items():
        lang = ["--lang", "en"] if name.startswith("en_") else []
        codes[name] = cli.main(["--data-dir", str(DATA), "export", *args, *lang,
                                "--geo-dir", str(GEO), "-o", str(out / name)])
    assert codes == dict.fromkeys(runs, 0)
    return {name: (out / name).read_bytes() for name in runs}


@pytest.fixture(scope="session")
def pdf_text(exports: dict[str, bytes]) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(exports["pdf"])).pages]


@pytest.fixture(scope="session")
def en_deck(ds: Dataset, as_of: int):  # noqa: ANN201
    return build_deck(ds, as_of, geo=load_geo(GEO), lang="en")
