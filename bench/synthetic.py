"""Seeded synthetic commune-scale datasets for the benchmarks (pure: no I/O, no global state).

Shape: one province (``12``) → ``n_districts`` district-like parents → communes below them, and
``n_indicators`` indicators observed for every commune in every year ``2020..2020+n_years-1``.
Observation rows = communes × indicators × years (1M ≈ 5,000 communes × 40 indicators × 5 years).
The province is reported for half of the indicators (the rest are derived as Σ communes, the
commune-scale analogue of Σ districts), and every commune has a target for every indicator.

Frames have the loader's column names and dtypes (codes ``str``, years ``int64``, values
``float64``), so the metrics engine sees what it would see after ``loader.load_dataset``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nq05_metrics.contract import QUALITIES
from nq05_metrics.units import PROVINCE_CODE

BASELINE_YEAR = 2020
TARGET_YEAR = 2025
COMMUNE_SET = "commune_synth"
DISTRICT_SET = "district_synth"
COMMODITIES = ("tea", "macadamia", "passion_fruit", "sweet_corn", "cattle", "fish", "medicinal",
               "cinnamon")
SOURCE = "Số liệu tổng hợp (synthetic) cho đo hiệu năng"


@dataclass(frozen=True)
class Synthetic:
    """A synthetic dataset: the frames ``metrics.status_table`` takes plus units/qualities."""

    indicators: pd.DataFrame
    observations: pd.DataFrame
    #: ``plans.csv`` (2021–2025, 2026–2030) and ``targets.csv`` rows (province and communes)
    plans: pd.DataFrame
    targets: pd.DataFrame
    bands: pd.DataFrame
    qualities: pd.DataFrame
    commodities: pd.DataFrame
    units: pd.DataFrame
    commune_codes: list[str]
    district_codes: list[str]
    as_of: int


def shape_for(rows: int, n_indicators: int = 40, n_years: int = 5) -> tuple[int, int, int]:
    """(communes, indicators, years) giving ``rows`` observation rows (communes rounded up)."""
    per_unit = n_indicators * n_years
    return max(1, -(-rows // per_unit)), n_indicators, n_years


def bands() -> pd.DataFrame:
    """The four default status bands (same limits as ``data/status_bands.csv``)."""
    return pd.DataFrame({
        "band_id": pd.Series(["achieved", "over_half", "low", "no_data"], dtype="str"),
        "min_pct": [100.0, 50.0, 0.0, np.nan],
        "max_pct": [np.inf, 100.0, 50.0, np.nan],
        "label_vi": pd.Series(["Đạt và vượt", "Đạt trên 50%", "Đạt thấp", "Chưa có số liệu"],
                              dtype="str"),
        "label_en": pd.Series(["Met and exceeded", "Over half", "Low", "No data"], dtype="str"),
        "color": pd.Series(["#1a9850", "#4575b4", "#d73027", "#969696"], dtype="str"),
        "symbol": pd.Series(["✔", "◐", "▼", "?"], dtype="str"),
        "order": [1, 2, 3, 4],
    })


def qualities() -> pd.DataFrame:
    """Quality flags with labels."""
    return pd.DataFrame({
        "quality": pd.Series(list(QUALITIES), dtype="str"),
        "label_vi": pd.Series([q.title() for q in QUALITIES], dtype="str"),
        "label_en": pd.Series([q.title() for q in QUALITIES], dtype="str"),
        "rank": list(range(1, len(QUALITIES) + 1)),
    })


def _indicators(n: int, rng: np.random.Generator) -> pd.DataFrame:
    ids = [f"ind_{i:03d}" for i in range(n)]
    kind = np.where(np.arange(n) % 4 == 3, "cumulative", "level")
    polarity = np.where(np.arange(n) % 10 == 9, "lower_better", "higher_better")
    aggregation = np.where(np.arange(n) % 8 == 7, "none", "sum")
    baseline = rng.uniform(50, 5000, n).round(1)
    target = (baseline * rng.uniform(1.1, 2.5, n)).round(1)
    target = np.where(polarity == "lower_better", (baseline * 0.7).round(1), target)
    s = lambda values: pd.Series(values, dtype="str")  # noqa: E731
    return pd.DataFrame({
        "indicator_id": s(ids),
        "name_vi": s([f"Chỉ tiêu {i}" for i in range(n)]),
        "name_en": s([f"Indicator {i}" for i in range(n)]),
        "group": s(["Trồng trọt"] * n),
        "commodity": s([COMMODITIES[i % len(COMMODITIES)] for i in range(n)]),
        "unit": s(["ha"] * n),
        "kind": s(kind),
        "polarity": s(polarity),
        "aggregation": s(aggregation),
        "baseline_year": np.full(n, BASELINE_YEAR, dtype="int64"),
        "baseline_value": baseline,
        "target": target,  # moved to the targets table by generate()
        "headline": np.arange(n) < 8,
        "display_order": np.arange(1, n + 1, dtype="int64"),
        "description_vi": s([""] * n),
        "description_en": s([""] * n),
    })


def plans() -> pd.DataFrame:
    """Two plans: 2021–2025 and 2026–2030 (no revision)."""
    return pd.DataFrame({
        "plan_id": ["syn_2021", "syn_2026"], "name_vi": ["Kế hoạch 2021–2025", "Kế hoạch 2026–2030"],
        "name_en": ["Plan 2021–2025", "Plan 2026–2030"],
        "period_start": np.array([2021, 2026], dtype="int64"),
        "period_end": np.array([TARGET_YEAR, 2030], dtype="int64"),
        "adopted_on": ["2021-02-22", "2026-01-01"], "document": [SOURCE, SOURCE],
        "supersedes": ["", ""]}).astype({c: "str" for c in ("plan_id", "name_vi", "name_en",
                                                            "adopted_on", "document", "supersedes")})


def _target_rows(ids: np.ndarray, units: list[str], values: np.ndarray, plan: str, year: int
                 ) -> pd.DataFrame:
    """``targets.csv`` rows for every unit × indicator (``values`` in that order)."""
    n = len(units) * len(ids)
    return pd.DataFrame({
        "indicator_id": pd.Series(np.tile(ids, len(units)), dtype="str"),
        "unit_code": pd.Series(np.repeat(units, len(ids)), dtype="str"),
        "plan_id": pd.Series([plan] * n, dtype="str"),
        "target_year": np.full(n, year, dtype="int64"),
        "value": np.asarray(values, dtype=float).reshape(-1),
        "quality": pd.Series(["illustrative"] * n, dtype="str"),
        "source": pd.Series([SOURCE] * n, dtype="str"),
        "note": pd.Series([""] * n, dtype="str"),
    })


def in_force(syn: Synthetic) -> pd.DataFrame:
    """The targets in force at ``syn.as_of`` (what ``metrics.status_table`` takes)."""
    from nq05_metrics import targets

    return targets.resolve(syn.plans, syn.targets, syn.as_of)


def _units(n_districts: int, communes: list[str], parents: list[str]) -> pd.DataFrame:
    codes = [PROVINCE_CODE] + [str(1000 + d) for d in range(n_districts)] + communes
    sets = ["province"] + [DISTRICT_SET] * n_districts + [COMMUNE_SET] * len(communes)
    levels = ["province"] + ["district"] * n_districts + ["commune"] * len(communes)
    names = ["Lai Châu"] + [f"Huyện {d}" for d in range(n_districts)] + [
        f"Xã {c}" for c in communes]
    return pd.DataFrame({
        "unit_code": codes, "unit_set": sets, "level": levels, "name_vi": names,
        "name_en": [n.replace("Huyện", "District").replace("Xã", "Commune") for n in names],
        "parent_code": [""] + [PROVINCE_CODE] * n_districts + parents,
        # synthetic units report every year of the bench (2020 on): valid from before it
        "valid_from": "2000-01-01", "valid_to": "", "aliases": "",
    }).astype("str")


def generate(rows: int = 10_000, *, n_indicators: int = 40, n_years: int = 5,
             communes_per_district: int = 50, seed: int = 5) -> Synthetic:
    """A dataset with about ``rows`` commune observation rows (see the module docstring)."""
    rng = np.random.default_rng(seed)
    n_communes, n_ind, n_years = shape_for(rows, n_indicators, n_years)
    n_districts = max(1, -(-n_communes // communes_per_district))
    communes = [str(10_000 + c) for c in range(n_communes)]
    parents = [str(1000 + c // communes_per_district) for c in range(n_communes)]
    inds = _indicators(n_ind, rng)
    province_target = inds.pop("target").to_numpy()
    years = np.arange(BASELINE_YEAR, BASELINE_YEAR + n_years, dtype="int64")

    # commune × indicator × year, values grow from a commune share of the baseline
    share = rng.dirichlet(np.ones(n_communes)) if n_communes > 1 else np.ones(1)
    base = np.outer(share, inds["baseline_value"].to_numpy())           # communes × indicators
    growth = rng.uniform(-0.02, 0.25, size=(n_communes, n_ind))
    t = (years - BASELINE_YEAR).astype(float)
    level = base[:, :, None] * (1 + growth[:, :, None]) ** t[None, None, :]
    cum = base[:, :, None] * np.clip(growth[:, :, None], 0.01, None) * np.ones_like(t)
    is_cum = (inds["kind"] == "cumulative").to_numpy()[None, :, None]
    values = np.where(is_cum, cum, level)
    values = np.round(values * rng.uniform(0.95, 1.05, size=values.shape), 2)
    quality_idx = rng.choice(len(QUALITIES), size=values.size, p=[0.3, 0.3, 0.1, 0.2, 0.1])
    obs = pd.DataFrame({
        "indicator_id": pd.Series(np.repeat(np.tile(inds["indicator_id"].to_numpy(), n_communes),
                                            n_years), dtype="str"),
        "unit_code": pd.Series(np.repeat(communes, n_ind * n_years), dtype="str"),
        "year": np.tile(years, n_communes * n_ind),
        "value": values.reshape(-1),
        "quality": pd.Series(np.asarray(QUALITIES)[quality_idx], dtype="str"),
        "source": pd.Series([SOURCE] * values.size, dtype="str"),
        "note": pd.Series([""] * values.size, dtype="str"),
    })
    # reported province rows for the even indicators (the odd ones are derived as Σ communes)
    reported = inds[np.arange(n_ind) % 2 == 0]
    prov = pd.DataFrame({
        "indicator_id": pd.Series(np.repeat(reported["indicator_id"].to_numpy(), n_years),
                                  dtype="str"),
        "unit_code": pd.Series([PROVINCE_CODE] * (len(reported) * n_years), dtype="str"),
        "year": np.tile(years, len(reported)),
        "value": np.round(np.repeat(reported["baseline_value"].to_numpy(), n_years)
                          * (1 + 0.1 * np.tile(t, len(reported))), 2),
        "quality": pd.Series(["official"] * (len(reported) * n_years), dtype="str"),
        "source": pd.Series([SOURCE] * (len(reported) * n_years), dtype="str"),
        "note": pd.Series([""] * (len(reported) * n_years), dtype="str"),
    })
    observations = pd.concat([prov, obs], ignore_index=True)

    tgt = np.round(base * province_target / inds["baseline_value"].to_numpy(), 2)
    ids = inds["indicator_id"].to_numpy()
    targets = pd.concat([
        _target_rows(ids, [PROVINCE_CODE], province_target, "syn_2021", TARGET_YEAR),
        _target_rows(ids, [PROVINCE_CODE], np.round(province_target * 1.5, 1), "syn_2026", 2030),
        _target_rows(ids, communes, tgt.reshape(-1), "syn_2021", TARGET_YEAR),
        _target_rows(ids, communes, np.round(tgt.reshape(-1) * 1.5, 2), "syn_2026", 2030),
    ], ignore_index=True)
    commodities = pd.DataFrame({
        "commodity": pd.Series(list(COMMODITIES), dtype="str"),
        "name_vi": pd.Series(list(COMMODITIES), dtype="str"),
        "name_en": pd.Series(list(COMMODITIES), dtype="str"),
        "color": pd.Series(["#1b7837"] * len(COMMODITIES), dtype="str"),
        "display_order": np.arange(1, len(COMMODITIES) + 1, dtype="int64"),
        "own_slide": np.ones(len(COMMODITIES), dtype=bool),
    })
    return Synthetic(
        indicators=inds, observations=observations, plans=plans(), targets=targets, bands=bands(),
        qualities=qualities(), commodities=commodities,
        units=_units(n_districts, communes, parents), commune_codes=communes,
        district_codes=[str(1000 + d) for d in range(n_districts)],
        as_of=int(years[-1]),
    )


def observations_csv(syn: Synthetic) -> bytes:
    """``observations.csv`` bytes (UTF-8, ``,``; values with ≤ 2 decimals, never ``d.ddd``)."""
    buffer = io.StringIO()
    syn.observations.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


#: File name of each table in a data folder (``dashboard`` reads ``$NQ05_DATA_DIR``).
FILES = {"indicators": "indicators", "observations": "observations", "plans": "plans",
         "targets": "targets", "commodities": "commodities", "units": "units"}


def write_dataset(syn: Synthetic, folder: Path, shipped: Path) -> Path:
    """Write ``syn`` as a data folder the app loads: its tables as CSV, plus the status bands,
    quality levels and units of measure of the shipped data folder ``shipped`` (they carry the
    written definitions),
    an empty zones table, and only the targets > 0 (the contract refuses 0; tiny commune shares
    round to 0). Returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for attr, name in FILES.items():
        frame = getattr(syn, attr)
        if attr == "targets":
            frame = frame[frame["value"] > 0]
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    for name in ("status_bands.csv", "quality_levels.csv", "units_of_measure.csv"):
        (folder / name).write_bytes((shipped / name).read_bytes())
    header = (shipped / "zones.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "zones.csv").write_text(header + "\n", encoding="utf-8")
    return folder


def units_csv(syn: Synthetic) -> bytes:
    """``units.csv`` bytes for the synthetic unit registry."""
    buffer = io.StringIO()
    syn.units.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")
