"""Functional smoke test of the benchmark data generator (no timing: benchmarks never fail tests)."""

from __future__ import annotations

from bench import synthetic
from nq05_metrics import metrics


def test_synthetic_dataset_gives_a_full_status_table():
    syn = synthetic.generate(2_000, n_indicators=8, n_years=5, communes_per_district=10)
    communes, n_ind, n_years = synthetic.shape_for(2_000, 8, 5)
    assert len(syn.commune_codes) == communes == 50
    assert len(syn.observations) == communes * n_ind * n_years + (n_ind // 2) * n_years
    assert len(syn.district_codes) == 5
    codes = ["12", *syn.commune_codes]
    table = metrics.status_table(syn.indicators, syn.observations, synthetic.in_force(syn),
                                 syn.bands, syn.as_of, codes, syn.commune_codes)
    assert len(table) == len(codes) * n_ind
    assert set(table["status"]) <= set(syn.bands["band_id"])
    assert table["actual"].notna().mean() > 0.9
    # the same seed gives the same data
    again = synthetic.generate(2_000, n_indicators=8, n_years=5, communes_per_district=10)
    assert again.observations.equals(syn.observations)


def test_synthetic_data_folder_loads_as_a_users_folder_would(tmp_path):
    """The commune-scale app benchmark writes a data folder: it must pass the data contract."""
    from pathlib import Path

    from nq05_metrics.loader import load_dataset

    syn = synthetic.generate(2_000, n_indicators=8, n_years=5, communes_per_district=10)
    shipped = Path(__file__).resolve().parents[1] / "data"
    ds = load_dataset(synthetic.write_dataset(syn, tmp_path / "data", shipped))
    assert len(ds.observations) == len(syn.observations)
    assert set(syn.commune_codes) <= set(ds.observations["unit_code"])
