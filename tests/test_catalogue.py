"""One string catalogue per language: ``nq05_metrics/locales/vi.toml`` and ``en.toml`` hold the
same keys with the same ``{placeholders}``, in NFC, and no Vietnamese text a person reads is left
as a literal in the code (an ``ast`` scan; docstrings and comments are not text on screen)."""

from __future__ import annotations

import ast
import string
import unicodedata
from pathlib import Path

import pytest

from nq05_metrics.i18n import LANGS, LOCALE_DIR, catalog

ROOT = Path(__file__).resolve().parents[1]

#: Letters only Vietnamese writes (the Latin letters with Vietnamese marks, and đ), both cases.
VIETNAMESE = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    + "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ".upper())

#: Where the code a person's text could come from lives: the package, the dashboard, the pages,
#: the entry file and the operator scripts (they print prompts and results to a person).
SCANNED = ("nq05_metrics", "dashboard", "pages", "app.py", "scripts")

#: Not scanned, and why.
NOT_SCANNED = {
    "scripts/build_default_data.py": "writes the default data files: its Vietnamese strings are "
                                     "data values (names, sources) committed in data/, not text "
                                     "the program shows",
    "scripts/default_plans.py": "the default plans and targets it writes (names, documents, "
                                "sources, notes): data values committed in data/",
    "scripts/default_zones.py": "the default zones it writes (commune names, linkage): data "
                                "values committed in data/",
    # bench/ is outside SCANNED: it prints figures, its Vietnamese strings are synthetic data rows
}

#: (path, literal) → why it is not text a person reads.
ALLOWED = {
    ("nq05_metrics/intake/vocab.py",
     r"^\s*(?:[\dIVXivx]+[.)]|[a-zđ][.)]|[-+*•–])(?:[\d.]*[.)]?)?\s+"):
        "regular expression of the item numbers before a name in a report form (1. a) đ) I.)",
}


def _placeholders(text: str) -> set[str]:
    """Names of the ``{fields}`` of a format string (``{n}``, ``{x:.1f}`` → ``n``, ``x``)."""
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _docstrings(tree: ast.AST) -> set[int]:
    """``id`` of the constant nodes that are docstrings (first statement of a module, class or
    function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                found.add(id(first.value))
    return found


def vietnamese_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant of ``source`` holding a Vietnamese letter, f-string
    parts included, docstrings excluded (comments are not in the tree)."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in docs
                  and VIETNAMESE & set(unicodedata.normalize("NFC", node.value)))


def _scanned_files() -> list[Path]:
    files: list[Path] = []
    for top in SCANNED:
        path = ROOT / top
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [f for f in files if f.relative_to(ROOT).as_posix() not in NOT_SCANNED]


def _found() -> dict[tuple[str, str], int]:
    """(path, literal) → line, for every Vietnamese literal in the scanned code."""
    out: dict[tuple[str, str], int] = {}
    for path in _scanned_files():
        rel = path.relative_to(ROOT).as_posix()
        for line, text in vietnamese_literals(path.read_text(encoding="utf-8")):
            out.setdefault((rel, text), line)
    return out


def test_both_languages_have_the_same_keys() -> None:
    vi, en = catalog("vi"), catalog("en")
    assert not sorted(set(vi) - set(en)), "keys in vi.toml only"
    assert not sorted(set(en) - set(vi)), "keys in en.toml only"


def test_both_languages_fill_the_same_placeholders() -> None:
    vi, en = catalog("vi"), catalog("en")
    differ = {key: (sorted(_placeholders(vi[key])), sorted(_placeholders(en[key])))
              for key in set(vi) & set(en) if _placeholders(vi[key]) != _placeholders(en[key])}
    assert not differ, f"placeholders differ between vi and en: {differ}"


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_is_nfc(lang: str) -> None:
    raw = (LOCALE_DIR / f"{lang}.toml").read_text(encoding="utf-8")
    bad = [n for n, line in enumerate(raw.splitlines(), 1)
           if unicodedata.normalize("NFC", line) != line]
    assert not bad, f"{lang}.toml lines not in NFC: {bad}"
    assert all(unicodedata.is_normalized("NFC", k + v) for k, v in catalog(lang).items())


def test_no_vietnamese_literal_in_code() -> None:
    found = _found()
    left = sorted(f"{path}:{line}: {text!r}" for (path, text), line in found.items()
                  if (path, text) not in ALLOWED)
    assert not left, ("Vietnamese text in code — move it to nq05_metrics/locales/{vi,en}.toml "
                      "(text a person reads) or nq05_metrics/vocab/ (words a parser matches):\n"
                      + "\n".join(left))


def test_every_allowed_literal_is_still_there() -> None:
    stale = sorted(set(ALLOWED) - set(_found()))
    assert not stale, f"allow-list entries no longer in the code: {stale}"
    assert all(reason.strip() for reason in ALLOWED.values())
    assert all((ROOT / path).exists() for path in NOT_SCANNED)


@pytest.mark.parametrize(("source", "expected"), [
    ('label = "Đạt trên 50%"\n', [(1, "Đạt trên 50%")]),
    ('x = 1\nprint(f"{x} chỉ tiêu")\n', [(2, " chỉ tiêu")]),
    ('def f():\n    """Tính tỉ lệ."""\n    return "Lai Châu"\n', [(3, "Lai Châu")]),
    ('class C:\n    """Lớp."""\n    name = "Huyện"\n', [(3, "Huyện")]),
    ('"""Mô-đun."""\n# chú thích\nx = "plain ASCII"\ny = "Lai Chau"\n', []),
    ('x = "Größe, Ñandu, Ø, ç"\n', []),  # Latin letters that are not Vietnamese
    ("x = 'Đ'\n", [(1, "Đ")]),  # a capital counts
    ('x = "Ca\u0301"\n', [(1, "Ca\u0301")]),  # decomposed (NFD) text counts too
])
def test_the_scanner_flags_vietnamese_text(source: str, expected: list[tuple[int, str]]) -> None:
    assert vietnamese_literals(source) == expected
