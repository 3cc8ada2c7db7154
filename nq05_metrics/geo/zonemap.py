"""One commodity's zones on the units that report a year: area per unit, highlighted units.

Pure (no Streamlit). Zones are recorded on a *former* commune (``commune``, short name) of a
former district (``unit_code``). For a year the former districts report (to 2025) a zone counts
for its district; for a year the communes report (2026 on) it counts for the new commune(s) its
former commune went into, through the crosswalk (``old_name_vi`` matched to ``commune`` with
:func:`~nq05_metrics.units.fold` inside ``old_district_code = unit_code``):

    area(u) = Σ_z area_ha(z) · w(z, u),   w(z, u) = share_of_old(o → u) / Σ_u' share_of_old(o → u')

so a former commune split between several new communes is apportioned by its area shares and
the units' areas add up to the zones' total. A zone that cannot be placed (its commune not in
the crosswalk, or its unit not reporting) is listed in ``unplaced``, never dropped silently.

The *highlighted* units are the zones' former districts (to 2025) or their successor communes
(:func:`nq05_metrics.reform.successors`, 2026 on): the commodity's zone territory.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from ..aggregate import quality_rank, worst_quality
from ..charts import format_number
from ..i18n import t
from ..reform import successor_fractions
from ..units import UnitRegistry, fold
from .layers import NO_DATA_RGBA, RGBA, MapLayers, ramp_color, zones_as_of

AREA_COLUMNS = ["unit_code", "area_ha", "zone_ids", "enterprises", "quality"]
UNPLACED_COLUMNS = ["zone_id", "unit_code", "commune", "area_ha", "reason"]
#: fill of a highlighted unit without a zone of its own (sand; the zone ramp is green)
HIGHLIGHT_RGBA: RGBA = [253, 208, 140, 200]
#: fill of every other unit (light grey)
OTHER_RGBA: RGBA = [232, 232, 232, 150]


@dataclass(frozen=True)
class ZoneMap:
    """``areas``: one row per unit with zone area (``unit_code, area_ha, zone_ids`` (tuple),
    ``enterprises`` (tuple of distinct non-empty texts), ``quality`` (the worst of its zones)),
    largest first; ``highlighted``: codes of the zone territory (module docstring);
    ``unplaced``: zones not placed (``zone_id, unit_code, commune, area_ha, reason`` =
    ``no_crosswalk`` | ``not_reporting``); ``total_ha``: area of every zone of the year."""

    year: int
    areas: pd.DataFrame
    highlighted: tuple[str, ...]
    unplaced: pd.DataFrame
    total_ha: float

    def values(self) -> dict[str, float]:
        """``{unit_code: zone area (ha)}`` of the units with a zone."""
        return {str(c): float(a) for c, a in
                zip(self.areas["unit_code"], self.areas["area_ha"], strict=True)}

    def area_of(self, code: str) -> float | None:
        """Zone area (ha) placed on unit ``code``, None if it has none."""
        row = self.areas.loc[self.areas["unit_code"] == str(code), "area_ha"]
        return float(row.iloc[0]) if len(row) else None


def _placements(picked: pd.DataFrame, year: int, units: UnitRegistry,
                crosswalk: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(zone_id, unit_code, weight) rows of the zones placed, and the unplaced zones."""
    reporting = set(units.reporting(year))
    cw = crosswalk if crosswalk is not None else pd.DataFrame(
        columns=["old_name_vi", "old_district_code", "new_code", "share_of_old"])
    keys = pd.Series(list(zip(cw["old_district_code"].astype(str), cw["old_name_vi"].map(fold),
                              strict=True)), index=cw.index, dtype=object)
    placed, unplaced = [], []
    for z in picked.to_dict("records"):
        district = str(z["unit_code"])
        if district in reporting:
            placed.append((z["zone_id"], district, 1.0))
            continue
        known = cw.loc[keys == (district, fold(str(z["commune"])))]
        match = known.loc[known["new_code"].astype(str).isin(reporting)]
        share = pd.to_numeric(match["share_of_old"], errors="coerce").fillna(0.0)
        if match.empty:
            reason = "not_reporting" if len(known) else "no_crosswalk"
            unplaced.append({**{k: z[k] for k in UNPLACED_COLUMNS[:4]}, "reason": reason})
            continue
        weights = share / share.sum() if share.sum() > 0 else pd.Series(1.0 / len(match),
                                                                          index=match.index)
        placed += [(z["zone_id"], str(c), float(w))
                   for c, w in zip(match["new_code"], weights, strict=True)]
    return (pd.DataFrame(placed, columns=["zone_id", "unit_code", "weight"]),
            pd.DataFrame(unplaced, columns=UNPLACED_COLUMNS))


def zone_map(zones: pd.DataFrame | None, commodity: str, year: int, units: UnitRegistry,
             crosswalk: pd.DataFrame | None) -> ZoneMap:
    """The zones of ``commodity`` as recorded at ``year`` (:func:`zones_as_of`) placed on the
    units reporting ``year`` (module docstring for the formula and the highlighted units)."""
    picked = zones_as_of(zones, commodity, year)
    picked = picked.assign(area_ha=pd.to_numeric(picked["area_ha"], errors="coerce").fillna(0.0),
                           unit_code=picked["unit_code"].astype(str))
    placed, unplaced = _placements(picked, year, units, crosswalk)
    rows = placed.merge(picked, on="zone_id", suffixes=("", "_zone"))
    rows = rows.assign(part=rows["area_ha"] * rows["weight"],
                       rank=quality_rank(rows["quality"]) if len(rows) else [])
    areas = [{"unit_code": code, "area_ha": float(g["part"].sum()),
              "zone_ids": tuple(dict.fromkeys(g["zone_id"])),
              "enterprises": tuple(dict.fromkeys(
                  str(e).strip() for e in g["linked_enterprise"] if pd.notna(e) and str(e).strip())),
              "quality": str(worst_quality(pd.Series([g["rank"].max()])).iloc[0])}
             for code, g in rows.groupby("unit_code", sort=False)]
    frame = pd.DataFrame(areas, columns=AREA_COLUMNS).sort_values(
        ["area_ha", "unit_code"], ascending=[False, True], ignore_index=True)
    districts = set(picked["unit_code"])
    if set(units.reporting(year)) & districts:
        territory = districts
    else:
        frac = successor_fractions(crosswalk)
        territory = set(frac.loc[frac["old_district_code"].astype(str).isin(districts), "new_code"]
                        .astype(str))
    territory |= set(frame["unit_code"])
    order = [c for c in units.reporting(year) if c in territory]
    return ZoneMap(year, frame, tuple(order), unplaced, float(picked["area_ha"].sum()))


def zone_fill(zmap: ZoneMap, code: str) -> RGBA:
    """Fill of unit ``code``: :func:`ramp_color` of its zone area over (0, max) of the units'
    areas (so the smallest zone still reads as a zone, not as the grey outside);
    :data:`HIGHLIGHT_RGBA` for the rest of the zone territory; :data:`OTHER_RGBA` else."""
    area = zmap.area_of(code)
    if area is not None:
        return ramp_color(area, 0.0, float(zmap.areas["area_ha"].max()))
    return list(HIGHLIGHT_RGBA if str(code) in zmap.highlighted else OTHER_RGBA)


def zone_tip(zmap: ZoneMap, code: str, name: str, commodity_name: str, lang: str,
             quality_labels: dict[str, str]) -> str:
    """Plain-text tooltip of unit ``code``: name; zone area (ha) of the commodity, linked
    enterprises and quality — or that it has no zone (in or outside the zone territory)."""
    area = zmap.area_of(code)
    if area is None:
        key = "commodity.zone_tip_territory" if str(code) in zmap.highlighted else \
            "commodity.zone_tip_none"
        return "\n".join([name, t(lang, key, commodity=commodity_name)])
    row = zmap.areas.loc[zmap.areas["unit_code"] == str(code)].iloc[0]
    enterprises = "; ".join(row["enterprises"]) or t(lang, "commodity.zone_no_enterprise")
    return "\n".join([
        name,
        t(lang, "commodity.zone_tip_area", commodity=commodity_name,
          area=format_number(area, lang)),
        t(lang, "commodity.zone_tip_enterprise", enterprises=enterprises),
        quality_labels.get(str(row["quality"]), str(row["quality"]))])


def zone_layers(layers: MapLayers, zmap: ZoneMap, tips: dict[str, str],
                names: dict[str, str]) -> MapLayers:
    """Copy of ``layers`` (:func:`~nq05_metrics.geo.map_layers` of the reporting units) with
    every unit filled by :func:`zone_fill`, its ``tip`` text, no zone points, and labels (in the
    display language, ``names``) on the units with a zone only; ``value_range`` (0, max area)."""
    features = []
    for f in layers.districts["features"]:
        code = str(f["properties"].get("code"))
        features.append({**f, "properties": {**f["properties"], "fill_color": zone_fill(zmap, code),
                                             "tip": tips.get(code, names.get(code, code))}})
    labels = layers.labels.loc[layers.labels["code"].astype(str).isin(set(zmap.areas["unit_code"]))]
    labels = labels.assign(text=labels["code"].astype(str).map(names).fillna(labels["text"]))
    values = zmap.areas["area_ha"]
    return replace(layers, districts={**layers.districts, "features": features},
                   zone_points=layers.zone_points.iloc[0:0], labels=labels.reset_index(drop=True),
                   value_range=(0.0, float(values.max())) if len(values) else None)


__all__ = ["ZoneMap", "zone_map", "zone_fill", "zone_tip", "zone_layers", "HIGHLIGHT_RGBA",
           "OTHER_RGBA", "NO_DATA_RGBA"]
