"""The plans and targets of the default dataset (``data/plans.csv``, ``data/targets.csv``),
written by ``scripts/build_default_data.py`` (see its docstring): NQ 05's 2025 targets for the
province and the former districts, the illustrative 2023 revision (:data:`REVISION_2023`) and
the 2026–2030 plan's 2030 targets for the province and the communes. Every figure illustrative.
"""

from __future__ import annotations

from build_default_data import (
    ALL,
    COMMUNE_2026,
    ILL,
    ILL_TARGET,
    INDICATORS,
    Indicator,
    _commune_weights,
    _decimals,
    _fmt,
    _split,
)

PLAN_2021, PLAN_REV, PLAN_2026 = "nq05_2021", "nq05_2021_rev2023", "nq05_2026"
#: The illustrative 2023 revision: indicator → revised 2025 province target (districts scaled).
REVISION_2023 = {"tea_area": 10800.0, "ancient_tea_new_planting": 600.0,
                 "rice_commodity_area": 3900.0}
REVISION_NOTE = {
    "tea_area": "Minh họa: giảm theo yêu cầu rà soát, điều chỉnh mục tiêu chưa phù hợp "
                "(Thông báo kết luận sơ kết NQ 05-NQ/TU, Hội nghị 07/7/2023, mục 2.2)",
    "ancient_tea_new_planting": "Minh họa: giảm — trồng mới chè cổ thụ đạt thấp (Thông báo kết "
                                "luận sơ kết NQ 05-NQ/TU, Hội nghị 07/7/2023, mục 1 và 2.2)",
    "rice_commodity_area": "Minh họa: tăng — chỉ tiêu đã đạt và vượt (Thông báo kết luận sơ kết "
                           "NQ 05-NQ/TU, Hội nghị 07/7/2023, mục 2.2)",
}


def plan_rows() -> list[dict[str, str]]:
    """Rows of ``plans.csv`` (module docstring)."""
    seed = "Thông báo kết luận sơ kết NQ 05-NQ/TU (Hội nghị 07/7/2023), mục 2.2"
    return [
        {"plan_id": PLAN_2021,
         "name_vi": "NQ 05-NQ/TU: nông nghiệp hàng hóa tập trung 2021–2025",
         "name_en": "Resolution 05-NQ/TU: concentrated commodity agriculture 2021–2025",
         "period_start": "2021", "period_end": "2025", "adopted_on": "2021-02-22",
         "document": "Nghị quyết số 05-NQ/TU ngày 22/02/2021 của Ban Chấp hành Đảng bộ tỉnh",
         "supersedes": ""},
        {"plan_id": PLAN_REV,
         "name_vi": "Điều chỉnh chỉ tiêu NQ 05-NQ/TU sau sơ kết (minh họa)",
         "name_en": "Revised targets of Resolution 05-NQ/TU after the mid-term review (illustrative)",
         "period_start": "2021", "period_end": "2025", "adopted_on": "2023-12-20",
         "document": f"Minh họa: chưa có văn bản điều chỉnh công bố công khai; căn cứ {seed}",
         "supersedes": PLAN_2021},
        {"plan_id": PLAN_2026,
         "name_vi": "Giai đoạn 2026–2030 (minh họa)",
         "name_en": "Period 2026–2030 (illustrative)",
         "period_start": "2026", "period_end": "2030", "adopted_on": "2026-01-01",
         "document": "Minh họa: chưa có nghị quyết giai đoạn 2026–2030 công bố công khai; chỉ "
                     "tiêu 2030 theo định hướng đến năm 2030 của NQ 05-NQ/TU",
         "supersedes": ""},
    ]


def _target(ind: Indicator, code: str, plan: str, year: int, value: float, note: str = ""
            ) -> dict[str, str]:
    return {"indicator_id": ind.id, "unit_code": code, "plan_id": plan,
            "target_year": str(year), "value": _fmt(value), "quality": ILL,
            "source": ILL_TARGET, "note": note}


def target_rows() -> list[dict[str, str]]:
    """Rows of ``targets.csv``: the 2025 targets of NQ 05 (province, empty unit, and the former
    districts by an illustrative allocation), the 2023 revision (:data:`REVISION_2023`, the
    districts by the same allocation) and the 2030 targets of the 2026–2030 period
    (:func:`commune_target_rows`)."""
    rows = []
    for ind in INDICATORS:
        rows.append(_target(ind, "", PLAN_2021, 2025, ind.target))
        for code, part in sorted(_split(ind.target, ind.target_shares, _decimals(ind)).items()):
            rows.append(_target(ind, code, PLAN_2021, 2025, part))
    for ind in INDICATORS:
        if ind.id not in REVISION_2023:
            continue
        value, note = REVISION_2023[ind.id], REVISION_NOTE[ind.id]
        rows.append(_target(ind, "", PLAN_REV, 2025, value, note))
        for code, part in sorted(_split(value, ind.target_shares, _decimals(ind)).items()):
            rows.append(_target(ind, code, PLAN_REV, 2025, part, note))
    rows += [_target(ind, "", PLAN_2026, 2030, ind.target_2030)
             for ind in INDICATORS if ind.target_2030]
    return rows + commune_target_rows()


def commune_target_rows() -> list[dict[str, str]]:
    """Rows of ``targets.csv`` for the communes (plan ``nq05_2026``): the province's 2030
    orientation split by the same crosswalk weights as :func:`commune_rows_2026` (illustrative)
    for the indicators the communes report."""
    rows = []
    for ind in INDICATORS:
        if ind.id not in COMMUNE_2026 or not ind.target_2030:
            continue
        weights = _commune_weights({c: ind.target_shares.get(c, 0.0) for c in ALL})
        parts = _split(ind.target_2030, weights, _decimals(ind))
        rows += [_target(ind, code, PLAN_2026, 2030, part)
                 for code, part in sorted(parts.items()) if part > 0]
    return rows
