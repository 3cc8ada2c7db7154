"""Tests of nq05_metrics.contract: schemas as data, Problem formatting, DataContractError."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from nq05_metrics.contract import (
    QUALITIES,
    TABLES,
    DataContractError,
    Problem,
    table_spec,
)

ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "ARCHITECTURE.md"


def documented_tables() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """The Dataset table of docs/ARCHITECTURE.md: attribute → (file, key, columns), the columns
    being the first word of each comma-separated part, parenthesised notes dropped."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## The Dataset", 1)[1].split("\n## ", 1)[0]
    out: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) != 4 or not cells[0].startswith("`"):
            continue
        columns = re.sub(r"\([^)]*\)", "", cells[3].split(":", 1)[-1])
        names = tuple(part.split()[0].strip("`") for part in columns.split(",") if part.strip())
        out[cells[0].strip("`")] = (cells[1].split()[0].strip("`"), cells[2], names)
    return out


def test_every_table_is_documented() -> None:
    assert set(documented_tables()) == set(TABLES)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_columns_match_architecture(name: str) -> None:
    file, key, columns = documented_tables()[name]
    spec = TABLES[name]
    assert (file, key, columns) == (spec.file, ", ".join(spec.key), spec.column_names)


MAY_BE_EMPTY = {
    "note", "description_vi", "description_en", "linked_enterprise", "commune", "supersedes",
    "lon", "lat", "aliases", "parent_code", "valid_to", "min_pct", "max_pct", "own_slide",
    "old_type_vi", "new_name_vi", "old_area_km2_est",
    "unit_code",  # targets.csv only: an empty unit is the province
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_only_documented_columns_may_be_empty(name: str) -> None:
    optional = {c.name for c in TABLES[name].columns if c.nullable}
    assert optional <= MAY_BE_EMPTY


@pytest.mark.parametrize("name", sorted(TABLES))
def test_keys_are_columns_and_enums_list_values(name: str) -> None:
    spec = TABLES[name]
    assert set(spec.key) <= set(spec.column_names)
    for col in spec.columns:
        assert (col.kind == "enum") == (col.allowed is not None)


@pytest.mark.parametrize(
    ("name", "file", "optional"),
    [
        ("observations", "observations.csv", False),
        ("observations.csv", "observations.csv", False),
        ("bands", "status_bands.csv", False),
        ("qualities", "quality_levels.csv", False),
        ("plans", "plans.csv", True),
        ("targets.csv", "targets.csv", True),
        ("zones.csv", "zones.csv", True),
    ],
)
def test_table_spec_by_name_or_file(name: str, file: str, optional: bool) -> None:
    spec = table_spec(name)
    assert (spec.file, spec.optional_file) == (file, optional)


def test_table_spec_unknown_raises() -> None:
    with pytest.raises(KeyError, match="unknown table"):
        table_spec("nope")


def test_quality_enum_matches_architecture() -> None:
    assert QUALITIES == ("official", "reported", "news", "estimate", "illustrative")
    assert TABLES["observations"].column("quality").allowed == QUALITIES


def test_target_value_must_be_positive() -> None:
    col = TABLES["targets"].column("value")
    assert (col.min_value, col.min_inclusive) == (0, False)


def test_targets_left_the_indicator_registry() -> None:
    assert not {c for c in TABLES["indicators"].column_names if c.startswith("target")}


P = Problem("obs.csv", 3, "value", "sai", "wrong", "sửa", "fix")


@pytest.mark.parametrize(
    ("problem", "lang", "expected"),
    [
        (P, "vi", "obs.csv:3:value: sai — sửa"),
        (P, "en", "obs.csv:3:value: wrong — fix"),
        (dataclasses.replace(P, column=None), "en", "obs.csv:3: wrong — fix"),
        (dataclasses.replace(P, line=None, column=None), "en", "obs.csv: wrong — fix"),
        (dataclasses.replace(P, fix_en=None), "en", "obs.csv:3:value: wrong"),
        (dataclasses.replace(P, line=None), "vi", "obs.csv:value: sai — sửa"),
    ],
)
def test_problem_format(problem: Problem, lang: str, expected: str) -> None:
    assert problem.format(lang) == expected


def test_problem_is_frozen_with_error_default() -> None:
    assert P.severity == "error" and P.is_error
    with pytest.raises(dataclasses.FrozenInstanceError):
        P.line = 4  # type: ignore[misc]


def test_data_contract_error_lists_every_problem() -> None:
    other = Problem("ind.csv", 7, "kind", "kiểu sai", "bad kind", severity="warning")
    err = DataContractError([P, other])
    assert err.problems == [P, other]
    message = str(err)
    assert "1 error(s)" in message
    for text in ("obs.csv:3:value: sai — sửa", "obs.csv:3:value: wrong — fix", "ind.csv:7:kind"):
        assert text in message
    assert err.format("en").splitlines() == ["obs.csv:3:value: wrong — fix", "ind.csv:7:kind: bad kind"]
