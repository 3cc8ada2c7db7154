"""Slide specs for the review conference, built from :mod:`nq05_metrics.api` only.

:func:`build_deck` returns a :class:`Deck` of :class:`Slide` s for one view (as-of year, unit,
commodity, language): title · overall status (gauges + counts) · assessment (the narrative) ·
one slide per commodity (map + trend + gauges) · indicators behind schedule · sources and method.
The presentation page draws these specs on screen; :mod:`.pptx` and :mod:`.pdf` write them to
files, so the three never disagree. Pictures are lazy (:meth:`Picture.png`), so building the
specs is cheap.

Number formats are those of the charts (:func:`nq05_metrics.charts.format_number`): values as
``7.420`` (vi) / ``7,420`` (en); achievement with one decimal, ``61,8%``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from nq05_metrics import api, charts, narrative
from nq05_metrics.charts import unit_label
from nq05_metrics.export import render
from nq05_metrics.loader import Dataset
from nq05_metrics.units import PROVINCE_CODE

TABLE_ROWS_PER_SLIDE = 7
GAUGE_SIZE = 180
FOOTER_SOURCE_CHARS = 110

TEXT = {
    "vi": {
        "deck_title": "Kết quả thực hiện Nghị quyết số 05-NQ/TU",
        "deck_subtitle": "Phát triển nông nghiệp hàng hóa tập trung tỉnh Lai Châu "
                         "giai đoạn 2021–2025, định hướng đến năm 2030",
        "as_of": "Số liệu tính đến năm {year}",
        "filters": "Địa bàn: {unit} · Cây trồng, vật nuôi: {commodity}",
        "province": "Toàn tỉnh Lai Châu",
        "all_commodities": "Tất cả",
        "generated": "Bản trình chiếu tạo ngày {date} từ dữ liệu của bảng theo dõi NQ05",
        "overview": "Tình hình chung",
        "assessment": "Nhận định chung",
        "counts_over_half": "{x}/{y} chỉ tiêu đạt trên 50% kế hoạch",
        "counts_achieved": "{z} chỉ tiêu đã đạt và vượt",
        "counts_low": "{n} chỉ tiêu đạt thấp (dưới 50%)",
        "counts_behind": "{n} chỉ tiêu chậm tiến độ so với lộ trình",
        "counts_forecast": "{n} chỉ tiêu dự báo khó đạt mục tiêu",
        "counts_no_data": "{n} chỉ tiêu chưa có số liệu",
        "behind": "Chỉ tiêu chậm tiến độ, đạt thấp hoặc dự báo khó đạt",
        "behind_none": "Không có chỉ tiêu nào chậm tiến độ, đạt thấp hoặc dự báo khó đạt.",
        "col_indicator": "Chỉ tiêu", "col_value": "Thực hiện / mục tiêu", "col_pct": "Tỷ lệ đạt",
        "col_status": "Đánh giá", "col_forecast": "Lộ trình, dự báo",
        "behind_flag": "Chậm tiến độ", "forecast_flag": "Dự báo khó đạt",
        "on_track": "Đúng tiến độ",
        "sources": "Nguồn số liệu và phương pháp",
        "m_achievement": "Tỷ lệ đạt = thực hiện / mục tiêu (chỉ tiêu lũy kế: tổng từ năm sau "
                         "năm gốc đến năm đánh giá / mục tiêu).",
        "m_bands": "Đánh giá: {bands}.",
        "m_schedule": "Đúng tiến độ khi thực hiện ≥ giá trị gốc + (số năm đã qua / số năm của "
                      "giai đoạn) × (mục tiêu − giá trị gốc); nếu không: chậm tiến độ.",
        "m_projection": "Dự báo: đường xu hướng bình phương tối thiểu (chỉ tiêu quy mô) hoặc "
                        "nhịp bình quân năm (chỉ tiêu lũy kế) đến năm mục tiêu và năm 2030.",
        "m_quality": "Chất lượng số liệu: {counts}.",
        "m_sources": "Nguồn: {sources}",
        "m_geo": "Bản đồ: ranh giới huyện (trước 01/7/2025); điểm = tâm xã của vùng sản xuất "
                 "(gần đúng).",
        "illustrative_warning": "⚠ Số liệu minh họa — không phải số liệu thực tế",
        "footer_source": "Nguồn: {source}",
        "footer_quality": "Chất lượng: {quality}",
        "more_sources": " (+{n} nguồn khác)",
        "map_title": "{name}: mức đạt theo địa bàn",
        "map_zones": "Vùng sản xuất (tâm xã; cỡ theo diện tích)",
        "map_approx": "Ranh giới gần đúng",
        "map_missing": "Không có tệp ranh giới",
        "trend_title": "{name} — {unit}",
        "gauges_caption": "Mức đạt so với mục tiêu {year}",
        "rest": "Các cây trồng, vật nuôi và lĩnh vực khác",
        "by_district": "Theo địa bàn: cao nhất {best}, thấp nhất {worst}",
        "notes_numbers": "Số liệu chi tiết:",
        "continued": " (tiếp)",
        "no_target": "chưa có chỉ tiêu",
    },
    "en": {
        "deck_title": "Implementation of Resolution 05-NQ/TU",
        "deck_subtitle": "Concentrated commodity agriculture in Lai Châu province "
                         "2021–2025, orientation to 2030",
        "as_of": "Data as of {year}",
        "filters": "Area: {unit} · Commodity: {commodity}",
        "province": "Lai Châu province",
        "all_commodities": "All",
        "generated": "Deck generated on {date} from the NQ05 dashboard data",
        "overview": "Overall status",
        "assessment": "Assessment",
        "counts_over_half": "{x} of {y} indicators over 50% of target",
        "counts_achieved": "{z} indicators met and exceeded",
        "counts_low": "{n} indicators low (under 50%)",
        "counts_behind": "{n} indicators behind schedule",
        "counts_forecast": "{n} indicators forecast hard to reach",
        "counts_no_data": "{n} indicators without data",
        "behind": "Indicators behind schedule, low or forecast hard to reach",
        "behind_none": "No indicator is behind schedule, low or forecast hard to reach.",
        "col_indicator": "Indicator", "col_value": "Actual / target", "col_pct": "Achievement",
        "col_status": "Status", "col_forecast": "Schedule, forecast",
        "behind_flag": "Behind schedule", "forecast_flag": "Forecast hard to reach",
        "on_track": "On schedule",
        "sources": "Sources and method",
        "m_achievement": "Achievement = actual / target (cumulative indicators: total from the "
                         "year after the baseline to the as-of year / target).",
        "m_bands": "Status: {bands}.",
        "m_schedule": "On schedule when actual ≥ baseline + (years elapsed / years of the "
                      "period) × (target − baseline); otherwise behind schedule.",
        "m_projection": "Projection: least-squares trend (level indicators) or average annual "
                        "pace (cumulative indicators) to the target year and 2030.",
        "m_quality": "Data quality: {counts}.",
        "m_sources": "Sources: {sources}",
        "m_geo": "Map: district boundaries (before 1 July 2025); points = commune centres of "
                 "production zones (approximate).",
        "illustrative_warning": "⚠ Illustrative figures — not real data",
        "footer_source": "Source: {source}",
        "footer_quality": "Quality: {quality}",
        "more_sources": " (+{n} more)",
        "map_title": "{name}: achievement by area",
        "map_zones": "Production zones (commune centre; size = area)",
        "map_approx": "Approximate boundaries",
        "map_missing": "No boundary file",
        "trend_title": "{name} — {unit}",
        "gauges_caption": "Achievement vs {year} target",
        "rest": "Other commodities and fields",
        "by_district": "By area: highest {best}, lowest {worst}",
        "notes_numbers": "Figures:",
        "continued": " (cont.)",
        "no_target": "no target",
    },
}


def tr(lang: str, key: str, **values: object) -> str:
    """Export string ``key`` in ``lang`` (vi/en) with ``{placeholders}`` filled."""
    text = TEXT["vi" if lang == "vi" else "en"][key]
    return text.format(**values) if values else text


# --------------------------------------------------------------------------- spec types
@dataclass(frozen=True, eq=False)
class Picture:
    """One picture on a slide, built lazily: ``make`` returns a Vega-Lite dict (trend) or an
    SVG string (gauge grid), or ``map_spec`` describes a server-side map. ``data`` is what the
    picture shows (for the CSV download); ``slot`` names its place in the layout (``map``,
    ``trend``, ``gauges``)."""

    slot: str
    caption: str
    make: Callable[[], Any] | None = None
    map_spec: render.MapSpec | None = None
    data: pd.DataFrame | None = None
    width: int = render.DEFAULT_WIDTH

    @cached_property
    def chart(self) -> Any:
        """The Vega-Lite dict or SVG (None for maps), built once."""
        return self.make() if self.make is not None else None

    def job(self, scale: int = render.PNG_SCALE) -> render.Job:
        """What to render (cache key, kind, payload): vl-convert for charts and SVG,
        matplotlib for maps."""
        if self.map_spec is not None:
            return render.map_job(self.map_spec)
        if isinstance(self.chart, str):
            return render.svg_job(self.chart, scale)
        return render.chart_job(self.chart, scale, self.width)

    def png(self, scale: int = render.PNG_SCALE) -> bytes:
        """PNG bytes, rendered in this process (cached by content)."""
        return render.run_job(self.job(scale))


@dataclass(frozen=True, eq=False)
class Slide:
    """One slide: what is written (title, subtitle, bullets, narrative, table), drawn
    (pictures), noted (footer: source + quality) and said (speaker notes)."""

    key: str
    kind: str
    title: str
    subtitle: str = ""
    bullets: tuple[str, ...] = ()
    narrative: str = ""
    pictures: tuple[Picture, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    footer: str = ""
    notes: str = ""

    def picture(self, slot: str) -> Picture | None:
        """The picture in ``slot`` or None."""
        return next((p for p in self.pictures if p.slot == slot), None)


@dataclass(frozen=True, eq=False)
class Deck:
    """The slides of one view plus the view itself."""

    as_of: int
    unit_code: str
    commodity: str | None
    lang: str
    slides: tuple[Slide, ...] = field(default_factory=tuple)

    def keys(self) -> list[str]:
        """Slide keys in order (``title``, ``overview``, ``commodity:macadamia``, …)."""
        return [s.key for s in self.slides]


@dataclass(frozen=True)
class Geo:
    """Map layers for the pictures: district boundaries and province outline (GeoDataFrames in
    WGS84, or None) and whether they are approximate."""

    districts: Any = None
    outline: Any = None
    approximate: bool = False


# --------------------------------------------------------------------------- formatting
def pct_text(pct: object, lang: str) -> str:
    """Achievement as text with one decimal: ``61,8%`` (vi), ``61.8%`` (en); ``–`` without."""
    if pct is None or pd.isna(pct):
        return "–"
    return charts.format_number(float(pct), lang, 1) + "%"


def value_text(row: pd.Series, lang: str) -> str:
    """``7.420 / 12.000 ha`` (actual / target unit) from one status row."""
    target = charts.format_number(row["target"], lang) if pd.notna(row["target"]) else tr(
        lang, "no_target")
    return f"{charts.format_number(row['actual'], lang)} / {target} {unit_label(row['unit'], lang)}"


def status_text(row: pd.Series, lang: str) -> str:
    """Band symbol and label: ``◐ Đạt trên 50%``."""
    return f"{row['status_symbol']} {row[f'status_label_{_sfx(lang)}']}"


def indicator_line(row: pd.Series, lang: str) -> str:
    """One bullet per indicator: name: actual / target unit — achievement — band."""
    return (f"{row[f'name_{_sfx(lang)}']}: {value_text(row, lang)} — {pct_text(row['achievement_pct'], lang)}"
            f" — {status_text(row, lang)}")


def schedule_text(row: pd.Series, lang: str) -> str:
    """``Chậm tiến độ; Dự báo khó đạt`` or ``Đúng tiến độ`` (empty without data)."""
    flags = []
    if row["on_schedule"] is False or (pd.notna(row["on_schedule"]) and not row["on_schedule"]):
        flags.append(tr(lang, "behind_flag"))
    if pd.notna(row["forecast_met"]) and not row["forecast_met"]:
        flags.append(tr(lang, "forecast_flag"))
    if not flags and pd.notna(row["on_schedule"]):
        flags.append(tr(lang, "on_track"))
    return "; ".join(flags)


def sentences(text: str) -> list[str]:
    """A narrative split after each full stop that ends a sentence (one paragraph each)."""
    parts = [p.strip() for p in text.replace(". ", ".\n").split("\n")]
    return [p for p in parts if p]


def _sfx(lang: str) -> str:
    return "vi" if lang == "vi" else "en"


def _row_for_chart(row: pd.Series, lang: str) -> dict[str, object]:
    """A status row with the display unit, for :func:`nq05_metrics.charts.gauge_spec`."""
    return {**row.to_dict(), "unit": unit_label(row["unit"], lang)}


# --------------------------------------------------------------------------- footers, notes
def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def footer_text(ds: Dataset, rows: pd.DataFrame, lang: str) -> str:
    """Source + quality line for a slide: the distinct sources of its actuals and targets
    (the first, shortened, and a count of the others) and the quality flags present."""
    sources = [s for s in pd.concat([rows["source"], rows["target_source"]]).dropna().astype(str)
               if s.strip()]
    distinct = list(dict.fromkeys(sources))
    parts = []
    if distinct:
        src = _short(distinct[0], FOOTER_SOURCE_CHARS)
        if len(distinct) > 1:
            src += tr(lang, "more_sources", n=len(distinct) - 1)
        parts.append(tr(lang, "footer_source", source=src))
    flags = pd.concat([rows["quality"], rows["target_quality"]]).dropna()
    labels = ds.qualities.set_index("quality")[f"label_{_sfx(lang)}"]
    order = ds.qualities.sort_values("rank")["quality"]
    present = [str(labels[q]) for q in order if q in set(flags)]
    if present:
        parts.append(tr(lang, "footer_quality", quality=", ".join(present)))
    if "illustrative" in set(flags):
        parts.append(tr(lang, "illustrative_warning"))
    return " · ".join(parts)


def notes_text(narrative: str, rows: pd.DataFrame, lang: str) -> str:
    """Speaker notes: the narrative, then one line of figures per indicator."""
    lines = [narrative, "", tr(lang, "notes_numbers")] if narrative else [tr(lang, "notes_numbers")]
    lines += [f"• {indicator_line(r, lang)} ({schedule_text(r, lang)})" for _, r in rows.iterrows()]
    return "\n".join(lines).strip()


# --------------------------------------------------------------------------- the view
@dataclass(frozen=True, eq=False)
class DeckView:
    """What the slide builders share: the deck's :class:`nq05_metrics.api.View` (ONE status
    table for the unit and the districts; summaries and series derived from it), the language
    and the boundaries."""

    view: api.View
    lang: str
    geo: Geo

    @property
    def ds(self) -> Dataset:
        return self.view.ds

    @property
    def as_of(self) -> int:
        return self.view.as_of

    @property
    def unit(self) -> str:
        return self.view.unit

    @property
    def commodity(self) -> str | None:
        return self.view.commodity

    @property
    def rows(self) -> pd.DataFrame:
        return self.view.rows

    @property
    def districts(self) -> pd.DataFrame:
        return self.view.districts

    @property
    def unit_name(self) -> str:
        return tr(self.lang, "province") if self.unit == PROVINCE_CODE else self.ds.units.name(
            self.unit, self.lang)

    def commodity_name(self, key: str | None) -> str:
        if not key:
            return tr(self.lang, "all_commodities")
        rows = self.ds.commodities.loc[self.ds.commodities["commodity"] == key]
        return str(rows.iloc[0][f"name_{_sfx(self.lang)}"]) if len(rows) else str(key)

    @property
    def where(self) -> str:
        return f"{self.unit_name} · {tr(self.lang, 'as_of', year=self.as_of)}"

    def summary(self, rows: pd.DataFrame | None = None) -> str:
        """The review paragraph of ``rows`` (status rows of the unit), by default of all of
        them (:meth:`nq05_metrics.api.View.summary`)."""
        if rows is None:
            return self.view.summary(self.lang)
        name = None if self.unit == PROVINCE_CODE else self.ds.units.name(self.unit, self.lang)
        return narrative.paragraph(rows, self.lang, name)

    def series(self, row: pd.Series) -> pd.DataFrame:
        """:meth:`nq05_metrics.api.View.series` for one status row of the unit."""
        return self.view.series(str(row["indicator_id"]))


def build_deck(
    ds: Dataset,
    as_of: int,
    unit_code: str | None = None,
    commodity: str | None = None,
    geo: Geo | None = None,
    lang: str = "vi",
    today: dt.date | None = None,
    view: api.View | None = None,
) -> Deck:
    """The slides for one view. ``unit_code`` None = the province; ``commodity`` None = all;
    ``view``: the :class:`nq05_metrics.api.View` of these filters when the caller already has
    it (the dashboard's cached one), else made here.

    Raises ValueError for an unknown commodity key."""
    if commodity and commodity not in set(ds.indicators["commodity"]):
        valid = ", ".join(ds.commodities.sort_values("display_order")["commodity"])
        raise ValueError(f"Không có cây trồng, vật nuôi '{commodity}'. Hợp lệ: {valid} / "
                         "unknown commodity")
    unit = unit_code or PROVINCE_CODE
    base = view if view is not None else api.View(ds, as_of, unit, commodity)
    if base.ds is not ds or (base.as_of, base.unit, base.commodity) != (as_of, unit, commodity):
        raise ValueError("the view does not match the deck's filters")
    view = DeckView(base, lang, geo or Geo())
    slides = [title_slide(view, today or dt.date.today()), overview_slide(view),
              assessment_slide(view)]
    keys = _commodities(view)
    full = keys if commodity else [k for k in keys if k in own_slide_commodities(ds)]
    slides += [commodity_slide(view, key) for key in full]
    rest = [k for k in keys if k not in full]
    if rest:
        slides.append(rest_slide(view, rest))
    slides += behind_slides(view)
    slides.append(sources_slide(view))
    return Deck(as_of, unit, commodity, lang, tuple(slides))


def own_slide_commodities(ds: Dataset) -> list[str]:
    """The commodities marked ``own_slide`` in ``commodities.csv`` (the key commodities of the
    resolution: one slide each with map, trend and gauges; the others share one slide of gauges
    unless the deck is filtered to one), in display order."""
    table = ds.commodities.sort_values("display_order")
    return table.loc[table["own_slide"], "commodity"].tolist()


def _commodities(view: DeckView) -> list[str]:
    """Commodities in display order that have an actual or a target for the unit."""
    order = view.ds.commodities.sort_values("display_order")["commodity"].tolist()
    rows = view.rows
    has = rows[rows["actual"].notna() | rows["target"].notna()]
    present = set(has["commodity"])
    return [c for c in order if c in present]


# --------------------------------------------------------------------------- slides
def title_slide(view: DeckView, today: dt.date) -> Slide:
    """Title, as-of year, filters and the date the deck was made."""
    lang = view.lang
    bullets = (tr(lang, "as_of", year=view.as_of),
               tr(lang, "filters", unit=view.unit_name,
                  commodity=view.commodity_name(view.commodity)),
               tr(lang, "generated", date=today.strftime("%d/%m/%Y")))
    return Slide("title", "title", tr(lang, "deck_title"), tr(lang, "deck_subtitle"),
                 bullets=bullets, footer=footer_text(view.ds, view.rows, lang),
                 notes="\n".join([tr(lang, "deck_title"), *bullets]))


def _gauge_rows(rows: pd.DataFrame, limit: int = 9) -> pd.DataFrame:
    """Headline indicators (all of them when none is headline or a commodity is chosen)."""
    head = rows[rows["headline"].astype(bool)]
    return (head if len(head) and rows["commodity"].nunique() > 1 else rows).head(limit)


def gauge_svg(view: DeckView, row: pd.Series, size: int = GAUGE_SIZE) -> str:
    """SVG of :func:`nq05_metrics.charts.gauge` for one status row, in the export font."""
    spec = charts.gauge_spec(_row_for_chart(row, view.lang), view.lang)
    return charts.gauge(spec, view.ds.bands, view.lang, size=size, font=render.FONT_FAMILY)


def _gauges(view: DeckView, rows: pd.DataFrame, columns: int = 3) -> Picture:
    """Gauges of ``rows`` as one picture (≤ ``columns`` per row)."""
    def make() -> str:
        svgs = [gauge_svg(view, r) for _, r in rows.iterrows()]
        return charts.grid(svgs, min(columns, len(svgs)))

    data = rows[["indicator_id", f"name_{_sfx(view.lang)}", "unit_code", "actual", "target",
                 "achievement_pct", f"status_label_{_sfx(view.lang)}"]]
    return Picture("gauges", tr(view.lang, "gauges_caption", year=int(rows["target_year"].max())),
                   make=make, data=data)


def overview_slide(view: DeckView) -> Slide:
    """Counts by band, schedule and forecast, plus the headline gauges."""
    lang, c = view.lang, narrative.counts(view.rows)
    bullets = [tr(lang, "counts_over_half", x=c.over_half, y=c.assessed),
               tr(lang, "counts_achieved", z=c.achieved), tr(lang, "counts_low", n=c.low),
               tr(lang, "counts_behind", n=c.behind), tr(lang, "counts_forecast", n=c.forecast_missed)]
    if c.no_data:
        bullets.append(tr(lang, "counts_no_data", n=c.no_data))
    summary = view.summary()
    pics = (_gauges(view, _gauge_rows(view.rows)),) if len(view.rows) else ()
    return Slide("overview", "overview", tr(lang, "overview"), view.where, bullets=tuple(bullets),
                 pictures=pics, footer=footer_text(view.ds, view.rows, lang),
                 notes=notes_text(summary, view.rows, lang))


def assessment_slide(view: DeckView) -> Slide:
    """The review paragraph (:func:`nq05_metrics.api.summary`), large."""
    summary = view.summary()
    return Slide("assessment", "assessment", tr(view.lang, "assessment"), view.where,
                 narrative=summary, footer=footer_text(view.ds, view.rows, view.lang),
                 notes=summary)


def _map_picture(view: DeckView, main: pd.Series, key: str) -> Picture:
    """Districts filled by the status band of ``main`` + the commodity's zone points."""
    lang, ds = view.lang, view.ds
    dist = view.districts[view.districts["indicator_id"] == main["indicator_id"]]
    fill = dict(zip(dist["unit_code"], dist["status_color"], strict=True))
    shown = dist if view.unit == PROVINCE_CODE else dist[dist["unit_code"] == view.unit]
    labels = {r["unit_code"]: f"{_short_unit(r[f'unit_name_{_sfx(lang)}'])}\n"
                              f"{pct_text(r['achievement_pct'], lang)}" for _, r in shown.iterrows()}
    zones = ds.zones[ds.zones["commodity"] == key]
    if view.unit != PROVINCE_CODE:
        zones = zones[zones["unit_code"] == view.unit]
    color = ds.commodities.set_index("commodity")["color"].get(key, "#444444")
    zones = zones.assign(color=color, label=zones["commune"])
    bands = ds.bands.sort_values("order")
    legend = tuple((str(b["color"]), f"{b['symbol']} {b[f'label_{_sfx(lang)}']}")
                   for _, b in bands.iterrows())
    note = tr(lang, "map_missing") if view.geo.districts is None else (
        tr(lang, "map_approx") if view.geo.approximate else "")
    spec = render.MapSpec(title=tr(lang, "map_title", name=main[f"name_{_sfx(lang)}"]),
                          boundaries=view.geo.districts, outline=view.geo.outline, fill=fill,
                          labels=labels, zones=zones[["lon", "lat", "area_ha", "color", "label"]],
                          legend=legend, zone_legend=tr(lang, "map_zones") if len(zones) else "",
                          note=note)
    data = dist[["unit_code", f"unit_name_{_sfx(lang)}", "actual", "target", "achievement_pct",
                 f"status_label_{_sfx(lang)}"]]
    return Picture("map", spec.title, map_spec=spec, data=data)


def _short_unit(name: str) -> str:
    """Map label: ``Thành phố Lai Châu`` → ``TP Lai Châu`` (small polygon, long name)."""
    return name.replace("Thành phố ", "TP ").replace(" City", "")


def _trend_picture(view: DeckView, main: pd.Series) -> Picture:
    """Trend of ``main`` for the unit (observed, schedule path, projection, target)."""
    lang = view.lang
    series = view.series(main)
    qual = view.ds.qualities.set_index("quality")[f"label_{_sfx(lang)}"].to_dict()
    unit = unit_label(main["unit"], lang)
    title = tr(lang, "trend_title", name=main[f"name_{_sfx(lang)}"], unit=view.unit_name)
    target = None if pd.isna(main["target"]) else float(main["target"])
    t2030 = None if pd.isna(main["target_2030"]) else float(main["target_2030"])

    def make() -> Any:
        return charts.trend(series, title=title, unit=unit, target=target,
                            target_year=int(main["target_year"]), target_2030=t2030, lang=lang,
                            quality_labels=qual, width=render.DEFAULT_WIDTH, height=300)

    return Picture("trend", title, make=make, data=series)


def commodity_slide(view: DeckView, key: str) -> Slide:
    """Map + trend + gauges for one commodity, one bullet per indicator."""
    rows = view.rows[view.rows["commodity"] == key]
    with_data = rows[rows["actual"].notna()]
    main = (with_data if len(with_data) else rows).iloc[0]
    summary = view.summary(rows)
    pictures = (_map_picture(view, main, key), _trend_picture(view, main), _gauges(view, rows))
    bullets = [indicator_line(r, view.lang) for _, r in rows.iterrows()]
    if view.unit == PROVINCE_CODE:
        bullets += _district_line(view, main)
    return Slide(f"commodity:{key}", "commodity", view.commodity_name(key), view.where,
                 bullets=tuple(bullets),
                 narrative=summary, pictures=pictures,
                 footer=footer_text(view.ds, rows, view.lang),
                 notes=notes_text(summary, rows, view.lang))


def _district_line(view: DeckView, main: pd.Series) -> list[str]:
    """``Theo địa bàn: cao nhất Tân Uyên (68%), thấp nhất Tam Đường (47%)`` for ``main``."""
    dist = view.districts[(view.districts["indicator_id"] == main["indicator_id"])
                          & view.districts["achievement_pct"].notna()]
    if len(dist) < 2:
        return []
    ranked = dist.sort_values("achievement_pct", ascending=False)
    col = f"unit_name_{_sfx(view.lang)}"

    def one(r: pd.Series) -> str:
        return f"{r[col]} ({pct_text(r['achievement_pct'], view.lang)})"

    return [tr(view.lang, "by_district", best=one(ranked.iloc[0]), worst=one(ranked.iloc[-1]))]


def rest_slide(view: DeckView, keys: Sequence[str]) -> Slide:
    """The other commodities together: a grid of gauges (names, %, band and values on each)."""
    rows = view.rows[view.rows["commodity"].isin(keys)]
    names = ", ".join(view.commodity_name(k) for k in keys)
    summary = view.summary(rows)
    return Slide("commodity:rest", "rest", tr(view.lang, "rest"), f"{view.where} · {names}",
                 narrative=summary, pictures=(_gauges(view, rows.head(12), columns=4),),
                 footer=footer_text(view.ds, rows, view.lang),
                 notes=notes_text(summary, rows, view.lang))


def lagging(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows that are low, behind schedule or forecast hard to reach."""
    behind = rows["on_schedule"].eq(False).fillna(False).astype(bool)
    missed = rows["forecast_met"].eq(False).fillna(False).astype(bool)
    return rows[(rows["status"] == "low") | behind | missed]


def behind_slides(view: DeckView) -> list[Slide]:
    """A table of the lagging indicators, ≤ :data:`TABLE_ROWS_PER_SLIDE` rows per slide."""
    lang = view.lang
    rows = lagging(view.rows)
    header = (tr(lang, "col_indicator"), tr(lang, "col_value"), tr(lang, "col_pct"),
              tr(lang, "col_status"), tr(lang, "col_forecast"))
    body = [(str(r[f"name_{_sfx(lang)}"]), value_text(r, lang), pct_text(r["achievement_pct"], lang),
             status_text(r, lang), schedule_text(r, lang)) for _, r in rows.iterrows()]
    if not body:
        return [Slide("behind", "behind", tr(lang, "behind"), view.where,
                      bullets=(tr(lang, "behind_none"),),
                      footer=footer_text(view.ds, view.rows, lang), notes=tr(lang, "behind_none"))]
    out = []
    for i in range(0, len(body), TABLE_ROWS_PER_SLIDE):
        n = i // TABLE_ROWS_PER_SLIDE
        title = tr(lang, "behind") + (tr(lang, "continued") if n else "")
        part = rows.iloc[i:i + TABLE_ROWS_PER_SLIDE]
        out.append(Slide("behind" if n == 0 else f"behind:{n + 1}", "behind", title, view.where,
                         table=(header, *body[i:i + TABLE_ROWS_PER_SLIDE]),
                         footer=footer_text(view.ds, part, lang),
                         notes=notes_text("", part, lang)))
    return out


def _source_list(rows: pd.DataFrame, limit: int = 4) -> list[str]:
    sources = pd.concat([rows["source"], rows["target_source"]]).dropna().astype(str)
    distinct = list(dict.fromkeys(s for s in sources if s.strip()))
    shown = [_short(s, 120) for s in distinct[:limit]]
    return shown + ([f"… (+{len(distinct) - limit})"] if len(distinct) > limit else [])


def sources_slide(view: DeckView) -> Slide:
    """Method in brief (formulas, bands, schedule, projection), quality counts and sources."""
    lang, ds, rows = view.lang, view.ds, view.rows
    bands = ds.bands.sort_values("order")
    band_text = "; ".join(f"{b['symbol']} {b[f'label_{_sfx(lang)}']} — {b[f'definition_{_sfx(lang)}']}"
                          for _, b in bands.iterrows() if pd.notna(b["min_pct"]))
    quals = ds.qualities.set_index("quality")[f"label_{_sfx(lang)}"]
    counts = rows.loc[rows["quality"].notna(), "quality"].value_counts()
    count_text = ", ".join(f"{quals.get(q, q)}: {n}" for q, n in counts.items())
    srcs = _source_list(rows)
    bullets = [tr(lang, "m_achievement"), tr(lang, "m_bands", bands=band_text),
               tr(lang, "m_schedule"), tr(lang, "m_projection"),
               tr(lang, "m_quality", counts=count_text or "–"),
               tr(lang, "m_sources", sources="; ".join(srcs) or "–"),
               tr(lang, "m_geo") + (f" {tr(lang, 'map_approx')}." if view.geo.approximate else "")]
    return Slide("sources", "sources", tr(lang, "sources"), view.where, bullets=tuple(bullets),
                 footer=footer_text(ds, rows, lang) + f" · {ds.fingerprint[:12]}",
                 notes="\n".join(bullets))


def load_geo(geo_dir: Any) -> Geo:
    """District boundaries and outline from ``geo_dir`` (:mod:`nq05_metrics.geo.io`); an empty
    :class:`Geo` (maps show zones only, with a note) when the folder has no usable file."""
    from pathlib import Path

    from nq05_metrics.geo.io import GeoDataError, load_boundaries, load_province_outline

    try:
        districts = load_boundaries(Path(geo_dir))
        outline = load_province_outline(Path(geo_dir))
    except GeoDataError:
        return Geo()
    approx = bool(districts["approximate"].any() or outline["approximate"].any())
    return Geo(districts, outline, approx)


def all_pictures(slides: Sequence[Slide]) -> list[Picture]:
    """Every picture of ``slides`` in order (for progress bars and pre-rendering)."""
    return [p for s in slides for p in s.pictures]
