"""Exit codes of ``python -m nq05_metrics export``."""

from __future__ import annotations

from pathlib import Path

import pytest

from nq05_metrics import cli
from tests.export.conftest import run_cli


@pytest.mark.parametrize("args", [
    ("pptx", "--unit", "Hà Nội"),
    ("pdf", "--commodity", "durian"),
])
def test_bad_filter_exits_1_and_writes_nothing(tmp_path: Path, args: tuple[str, ...],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.out"
    assert run_cli(*args, "-o", str(out)) == 1
    assert not out.exists()
    assert capsys.readouterr().err.strip()


def test_bad_data_dir_exits_1(tmp_path: Path) -> None:
    assert cli.main(["--data-dir", str(tmp_path), "export", "pdf", "-o",
                     str(tmp_path / "x.pdf")]) == 1


def test_missing_output_is_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "pptx"])
    assert exc.value.code == 2


def test_success_exit_0(exports) -> None:  # noqa: ANN001
    assert exports["pptx"][:2] == b"PK" and exports["pdf"][:5] == b"%PDF-"
