"""The status table is built once per view: a cold page (empty caches) builds ONE status table
and derives the province totals ONCE, however many tables, paragraphs, charts and rankings it
shows (:class:`nq05_metrics.api.View`, cached by :func:`dashboard.loaders.view`)."""

from __future__ import annotations

import pytest
import streamlit as st

from nq05_metrics import aggregate, api, metrics
from tests.app.app_helpers import APP

PAGES = {"overview": {}, "map": {}, "trends": {}, "district": {"unit": "110"},
         "commodity": {"commodity": "passion_fruit"}, "data": {}, "presentation": {}}
#: Pages that show a second view: the last review's year ("since the last review", 2023).
TWO_VIEWS = {"overview", "presentation"}


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counters of status-table builds and province-total rebuilds."""
    counts = {"status": 0, "totals": 0}
    build, totals = metrics.status_from_totals, aggregate.with_province_totals

    def counted_build(*args: object, **kwargs: object) -> object:
        counts["status"] += 1
        return build(*args, **kwargs)  # type: ignore[arg-type]

    def counted_totals(*args: object, **kwargs: object) -> object:
        counts["totals"] += 1
        return totals(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(metrics, "status_from_totals", counted_build)
    monkeypatch.setattr(aggregate, "with_province_totals", counted_totals)
    monkeypatch.setattr(metrics, "with_province_totals", counted_totals)
    return counts


def _cold() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()
    api._TOTALS.clear()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_one_status_table_and_one_province_total_per_cold_page(
        page: str, counted: dict[str, int]) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in PAGES[page].items():
        at.query_params[key] = value
    if page != "overview":
        at.run()
        at.switch_page(f"pages/{page}.py")
    _cold()
    counted.update(status=0, totals=0)
    at.run()
    assert not at.exception, at.exception
    views = 2 if page in TWO_VIEWS else 1
    assert counted == {"status": views, "totals": 1}
    at.run()  # a warm rerun builds nothing
    assert counted == {"status": views, "totals": 1}


def test_view_pieces_equal_the_api_functions() -> None:
    """What a view derives from its one table equals what the one-off functions compute."""
    import pandas as pd

    from nq05_metrics.loader import load_dataset
    from tests.app.app_helpers import ROOT

    ds = load_dataset(ROOT / "data")
    as_of = api.default_as_of(ds)
    view = api.View(ds, as_of, "110", "tea")
    pd.testing.assert_frame_equal(view.rows, api.status(ds, as_of, ["110"], "tea"))
    pd.testing.assert_frame_equal(view.districts,
                                  api.status(ds, as_of, ds.units.reporting(as_of), "tea"))
    whole = api.View(ds, as_of)
    pd.testing.assert_frame_equal(whole.table, api.status(ds, as_of))
    assert whole.summary("en") == api.summary(ds, as_of, "en")
    series = api.View(ds, as_of, "110").series("tea_area")
    assert set(series["series"]) >= {"observed", "schedule"}
    ranking = whole.ranking("tea_area")
    assert sorted(ranking["unit_code"]) == sorted(ds.units.reporting(as_of))
    rows = view.rows
    rows["actual"] = 0.0  # a caller's change never reaches the view
    assert (view.rows["actual"] != 0.0).any()
