"""Shared test builders: tiny CSV/XLSX bytes, a small unit registry, a minimal valid dataset."""

from __future__ import annotations

import io
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

# Make the package importable when pytest is started as `.venv/bin/pytest` (no install step).
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nq05_metrics.units import UnitRegistry, build_registry  # noqa: E402

UNITS_CSV = """unit_code,unit_set,level,name_vi,name_en,parent_code,valid_from,valid_to,aliases
12,province,province,Lai Châu,Lai Chau,,2004-01-01,,tỉnh Lai Châu|Lai Chau province
105,district_2008_2025,city,Thành phố Lai Châu,Lai Chau City,12,2013-12-27,2025-06-30,TP Lai Châu
106,district_2008_2025,district,Tam Đường,Tam Duong,12,2002-10-01,2025-06-30,
110,district_2008_2025,district,Than Uyên,Than Uyen,12,2004-01-01,2025-06-30,
111,district_2008_2025,district,Tân Uyên,Tan Uyen,12,2008-11-01,2025-06-30,
"""

INDICATOR_COLUMNS = (
    "indicator_id,name_vi,name_en,group,commodity,unit,kind,polarity,aggregation,baseline_year,"
    "baseline_value,headline,display_order,description_vi,description_en"
).split(",")
OBS_COLUMNS = ["indicator_id", "unit_code", "year", "value", "quality", "source", "note"]
PLAN_COLUMNS = ["plan_id", "name_vi", "name_en", "period_start", "period_end", "adopted_on",
                "document", "supersedes"]
TARGET_COLUMNS = ["indicator_id", "unit_code", "plan_id", "target_year", "value", "quality",
                  "source", "note"]


def make_plan(**overrides: object) -> dict[str, object]:
    """One valid plans.csv row (NQ 05, 2021–2025) as a dict of cell texts; override any cell."""
    row: dict[str, object] = dict(
        plan_id="nq05_2021", name_vi="NQ 05-NQ/TU", name_en="Resolution 05-NQ/TU",
        period_start="2021", period_end="2025", adopted_on="2021-02-22",
        document="Nghị quyết số 05-NQ/TU ngày 22/02/2021", supersedes="")
    row.update(overrides)
    return row


def make_target(**overrides: object) -> dict[str, object]:
    """One valid targets.csv row (province tea 2025 of nq05_2021); override any cell."""
    row: dict[str, object] = dict(
        indicator_id="tea_area", unit_code="", plan_id="nq05_2021", target_year="2025",
        value="11000", quality="illustrative", source="Minh họa", note="")
    row.update(overrides)
    return row


def plans_csv(*rows: dict[str, object]) -> bytes:
    """plans.csv bytes from ``make_plan`` rows."""
    return csv_bytes(PLAN_COLUMNS, list(rows))


def targets_csv(*rows: dict[str, object]) -> bytes:
    """targets.csv bytes from ``make_target`` rows."""
    return csv_bytes(TARGET_COLUMNS, list(rows))


def make_indicator(**overrides: object) -> dict[str, object]:
    """One valid indicators.csv row as a dict of cell texts; override any cell."""
    row: dict[str, object] = dict(
        indicator_id="tea_area", name_vi="Diện tích chè", name_en="Tea area", group="Trồng trọt",
        commodity="tea", unit="ha", kind="level", polarity="higher_better", aggregation="sum",
        baseline_year="2020", baseline_value="7800", headline="true", display_order="1",
        description_vi="", description_en="",
    )
    row.update(overrides)
    return row


def make_obs(**overrides: object) -> dict[str, object]:
    """One valid observations.csv row as a dict of cell texts; override any cell."""
    row: dict[str, object] = dict(
        indicator_id="tea_area", unit_code="110", year="2023", value="120", quality="official",
        source="Sở NN&PTNT", note="",
    )
    row.update(overrides)
    return row


def csv_bytes(
    header: Sequence[str],
    rows: Sequence[dict[str, object] | Sequence[object]],
    *,
    sep: str = ",",
    newline: str = "\n",
    encoding: str = "utf-8",
) -> bytes:
    """CSV bytes from a header and rows (dicts keyed by column, or sequences of cells).

    Cells containing ``sep``, quotes or newlines are quoted like Excel does."""

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        if sep in text or '"' in text or "\n" in text:
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [sep.join(cell(h) for h in header)]
    for row in rows:
        cells = [row.get(h, "") for h in header] if isinstance(row, dict) else list(row)
        lines.append(sep.join(cell(c) for c in cells))
    return (newline.join(lines) + newline).encode(encoding)


def obs_csv(*rows: dict[str, object], **kwargs: object) -> bytes:
    """observations.csv bytes from ``make_obs`` rows."""
    return csv_bytes(OBS_COLUMNS, list(rows), **kwargs)  # type: ignore[arg-type]


def indicators_csv(*rows: dict[str, object], **kwargs: object) -> bytes:
    """indicators.csv bytes from ``make_indicator`` rows."""
    return csv_bytes(INDICATOR_COLUMNS, list(rows), **kwargs)  # type: ignore[arg-type]


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """An XLSX workbook (one sheet) holding ``rows`` as typed cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese text as Windows-1258 does: base letter + combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            tones = "".join(c for c in parts if c in _TONES)
            out += (base + tones).encode("cp1258")
    return bytes(out)


def make_units() -> UnitRegistry:
    """Province, the city and three districts."""
    frame = pd.read_csv(io.StringIO(UNITS_CSV), dtype=str, keep_default_na=False)
    return build_registry(frame)


MINIMAL_DATASET = {
    "units.csv": UNITS_CSV,
    "quality_levels.csv": (
        "quality,label_vi,label_en,definition_vi,definition_en,rank\n"
        "official,Chính thức,Official,d,d,1\nreported,Báo cáo,Reported,d,d,2\n"
        "news,Báo chí,News,d,d,3\nestimate,Ước tính,Estimate,d,d,4\n"
        "illustrative,Minh họa,Illustrative,d,d,5\n"
    ),
    "commodities.csv": (
        "commodity,name_vi,name_en,color,display_order,own_slide\ntea,Chè,Tea,#1b7837,1,true\n"
    ),
    "units_of_measure.csv": "unit,label_vi,label_en,decimals,additive\nha,ha,ha,1,true\n",
    "status_bands.csv": (
        "band_id,min_pct,max_pct,label_vi,label_en,definition_vi,definition_en,color,symbol,order\n"
        "achieved,100,,Đạt,Met,d,d,#1a9850,✔,1\n"
        "over_half,50,100,Trên 50%,Over half,d,d,#4575b4,◐,2\n"
        "low,0,50,Thấp,Low,d,d,#d73027,▼,3\n"
        "no_data,,,Chưa có,No data,d,d,#969696,?,4\n"
    ),
    "indicators.csv": indicators_csv(make_indicator()).decode(),
    "observations.csv": obs_csv(make_obs(), make_obs(unit_code="12", value="7900")).decode(),
    "plans.csv": plans_csv(make_plan(), make_plan(
        plan_id="nq05_2026", name_vi="Giai đoạn 2026–2030", name_en="2026–2030",
        period_start="2026", period_end="2030", adopted_on="2026-01-01", document="d")).decode(),
    "targets.csv": targets_csv(make_target(), make_target(
        plan_id="nq05_2026", target_year="2030", value="13000")).decode(),
}


def write_dataset(directory: Path, **overrides: str | None) -> Path:
    """Write the minimal valid dataset into ``directory``; ``name_csv=None`` leaves a file out.

    Keyword names are file names with ``.`` → ``_`` (``observations_csv="..."``)."""
    files = dict(MINIMAL_DATASET)
    for key, text in overrides.items():
        files[key.replace("_csv", ".csv")] = text  # type: ignore[assignment]
    for name, text in files.items():
        if text is not None:
            (directory / name).write_text(text, encoding="utf-8")
    return directory
