"""Tests of nq05_metrics.contract: schemas as data, Problem formatting, DataContractError."""

from __future__ import annotations

import dataclasses

import pytest

from nq05_metrics.contract import (
    QUALITIES,
    TABLES,
    DataContractError,
    Problem,
    table_spec,
)

ARCHITECTURE_COLUMNS = {
    "indicators": "indicator_id name_vi name_en group commodity unit kind polarity aggregation "
    "baseline_year baseline_value target_year target_value target_2030 target_quality "
    "target_source headline display_order description_vi description_en",
    "observations": "indicator_id unit_code year value quality source note",
    "district_targets": "indicator_id unit_code target_year target_value target_2030 quality source",
    "zones": "zone_id commodity unit_code commune area_ha year lon lat linked_enterprise quality "
    "source note",
    "bands": "band_id min_pct max_pct label_vi label_en definition_vi definition_en color symbol "
    "order",
    "commodities": "commodity name_vi name_en color display_order own_slide",
    "qualities": "quality label_vi label_en definition_vi definition_en rank",
    "measures": "unit label_vi label_en decimals additive",
    "units": "unit_code unit_set level name_vi name_en parent_code valid_from valid_to aliases",
}

MAY_BE_EMPTY = {
    "note", "description_vi", "description_en", "target_2030", "linked_enterprise", "commune",
    "lon", "lat", "aliases", "parent_code", "valid_to", "min_pct", "max_pct", "own_slide",
    "old_type_vi", "new_name_vi", "old_area_km2_est",
}


@pytest.mark.parametrize("name", sorted(ARCHITECTURE_COLUMNS))
def test_columns_match_architecture(name: str) -> None:
    assert TABLES[name].column_names == tuple(ARCHITECTURE_COLUMNS[name].split())


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
        ("district_targets", "district_targets.csv", True),
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
    col = TABLES["indicators"].column("target_value")
    assert (col.min_value, col.min_inclusive) == (0, False)


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
