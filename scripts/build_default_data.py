"""Build the default dataset in ``data/`` (indicators, observations, plans, targets, zones).

Run: ``python scripts/build_default_data.py``. The output is committed; this script documents how
it was made. Province figures with a public source (``facts.md`` of the project brief) carry that
source and its quality flag; everything else is **illustrative** (invented, labelled so). District
values are illustrative splits of the province value by shares that drift linearly from 2020 to
2025, so districts sum exactly to the province. District targets split the province target by the
2025 shares of a separate, illustrative allocation.

Plans (all illustrative as to their figures): ``nq05_2021`` — NQ 05-NQ/TU of 22/02/2021, period
2021–2025, its 2025 targets for the province and the former districts; ``nq05_2021_rev2023`` — an
illustrative revision after the mid-term review of 07/07/2023, whose conclusion (section 2.2)
ordered the targets reviewed and adjusted ("rà soát, điều chỉnh, cơ cấu lại các mục tiêu"):
:data:`REVISION_2023` lowers tea area and ancient-tea planting and raises commodity rice, already
exceeded; macadamia is kept; ``nq05_2026`` — the 2026–2030 period, its 2030 targets for the
province (NQ 05's orientation to 2030) and the 38 communes. A former district has no 2030 target
(it does not exist in 2030): its share of the orientation is carried by the communes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
YEARS = range(2020, 2026)
ILL = "illustrative"
ILL_SOURCE = "Số liệu minh họa (không phải số liệu thực tế)"
ILL_TARGET = "Minh họa: chưa có bảng chỉ tiêu công bố công khai của NQ 05-NQ/TU"

SRC = {
    "trangtrai_2022": "https://trangtraiviet.vn/lai-chau-phan-dau-thanh-thu-phu-cay-mac-ca-cua-ca-nuoc-20220316203015558.htm",
    "etime_2023": "https://etime.danviet.vn/thu-truong-bo-nong-nghiep-va-phat-trien-nong-thon-lam-viec-tai-lai-chau-20230317145637837.htm",
    "ttv_2024": "https://trangtraiviet.danviet.vn/gia-tri-san-xuat-nong-nghiep-cua-tinh-lai-chau-nam-2024-dat-khoang-6400-ty-dong-tang-12-lan-so-voi-nam-2004-d1378905.html",
    "bpt_2025": "https://baophutho.vn/lai-chau-phat-trien-nong-nghiep-hang-hoa-theo-huong-ben-vung-237925.htm",
    "ddk_2022": "https://daidoanket.vn/print/10238991.html",
    "sct_2020": "http://sct.laichau.gov.vn/default.aspx?page=news&do=detail&id=3275",
    "dantoc_2022": "https://baodantoc.vn/lai-chau-phat-trien-vung-nguyen-lieu-dua-san-xuat-lien-ket-theo-chuoi-gia-tri-1656335216521.htm",
    "bee_2022": "https://trangtraiviet.danviet.vn/nong-thon-tay-bac-lai-chau-phat-trien-nghe-nuoi-ong-lay-mat-20220331231335413.htm",
    "fish_2022": "https://trangtraiviet.danviet.vn/lai-chau-phat-trien-nuoi-trong-thuy-san-theo-huong-ben-vung-20220510174305736.htm",
    "vnn_2023": "https://vietnamnet.vn/lai-chau-tiep-tuc-phat-trien-chan-nuoi-theo-huong-tap-trung-hang-hoa-ben-vung-2143183.html",
    "ttv_2025": "https://trangtraiviet.danviet.vn/lai-chau-can-tiep-tuc-trien-khai-nghi-quyet-ve-phat-trien-nong-nghiep-hang-hoa-tap-trung-trong-giai-doan-moi-d1362369.html",
    "ocop_2021": "http://laichau.dcs.vn/index.php/ban-can-su-dang-dang-doan/trao-giay-chung-nhan-san-pham-ocop-dot-2-nam-2021-5962.html",
    "ocop_2023": "https://www.einpresswire.com/article/669576896/pm-ch-nh-asks-northern-border-province-lai-ch-u-to-focus-on-infrastructure-eco-agriculture",
    "seed_2023": "Thông báo kết luận của BCH Đảng bộ tỉnh sơ kết NQ 05-NQ/TU (Hội nghị 07/7/2023)",
}

# District shares (codes 105–112). Each indicator names a start (2020) and end (2025) share
# vector; intermediate years interpolate linearly. Missing codes have share 0.
ALL = ("105", "106", "107", "108", "109", "110", "111", "112")


@dataclass
class Indicator:
    """One indicator of the default dataset: registry row, province series and district split."""

    id: str
    name_vi: str
    name_en: str
    group: str
    commodity: str
    unit: str
    kind: str
    target: float
    target_2030: float | None
    series: dict[int, float]
    shares_start: dict[str, float]
    shares_end: dict[str, float]
    target_shares: dict[str, float]
    facts: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # year → quality, src, note
    headline: bool = False
    description_vi: str = ""
    description_en: str = ""


def _ind(**kw: object) -> Indicator:
    return Indicator(**kw)  # type: ignore[arg-type]


CROP, LIVE, LINK, LAND = "Trồng trọt", "Chăn nuôi – thủy sản", "Liên kết – thị trường", "Đất đai"

INDICATORS: list[Indicator] = [
    _ind(id="macadamia_area", name_vi="Diện tích mắc ca", name_en="Macadamia area", group=CROP,
         commodity="macadamia", unit="ha", kind="level", target=12000, target_2030=20000,
         series={2020: 3900, 2021: 5200, 2022: 6400, 2023: 6900, 2024: 7400, 2025: 7420},
         shares_start={"110": .33, "111": .31, "106": .24, "108": .05, "109": .03, "105": .02, "112": .02},
         shares_end={"110": .36, "111": .33, "106": .19, "108": .05, "109": .03, "105": .02, "112": .02},
         target_shares={"110": .33, "111": .30, "106": .25, "108": .05, "109": .03, "105": .02, "112": .02},
         facts={2021: ("reported", SRC["trangtrai_2022"], "Số liệu tháng 3/2022 (diện tích đến cuối năm 2021)"),
                2022: ("reported", SRC["etime_2023"], "Số liệu đầu năm 2023 (diện tích đến cuối năm 2022)"),
                2024: ("reported", SRC["ttv_2024"], ""),
                2025: ("estimate", SRC["bpt_2025"], "Ước thực hiện năm 2025")},
         headline=True,
         description_vi="Tổng diện tích mắc ca hiện có. Định hướng của tỉnh: trồng mới hơn 35.000 ha giai đoạn 2021–2030 (Chủ tịch UBND tỉnh, 2022).",
         description_en="Total standing macadamia area. Provincial orientation: more than 35,000 ha new planting 2021–2030 (provincial chairman, 2022)."),
    _ind(id="passion_fruit_area", name_vi="Diện tích chanh leo", name_en="Passion fruit area", group=CROP,
         commodity="passion_fruit", unit="ha", kind="level", target=500, target_2030=1200,
         series={2020: 4, 2021: 60, 2022: 180, 2023: 320, 2024: 450, 2025: 520},
         shares_start={"106": .5, "110": .5},
         shares_end={"110": .30, "111": .25, "106": .25, "109": .20},
         target_shares={"110": .26, "111": .30, "106": .20, "109": .24},
         facts={2020: ("official", SRC["sct_2020"], "4 ha, sản lượng 90 tấn (5/2020, Tam Đường và Than Uyên)")},
         headline=True,
         description_vi="Vùng nguyên liệu chanh leo kết nối Than Uyên, Tân Uyên, Tam Đường, Phong Thổ (Thông báo kết luận sơ kết, mục 2.3).",
         description_en="Passion fruit raw-material zone linking Than Uyên, Tân Uyên, Tam Đường, Phong Thổ (mid-term conclusion, item 2.3)."),
    _ind(id="sweet_corn_area", name_vi="Diện tích ngô ngọt", name_en="Sweet corn area", group=CROP,
         commodity="sweet_corn", unit="ha", kind="level", target=700, target_2030=1500,
         series={2020: 50, 2021: 120, 2022: 250, 2023: 380, 2024: 480, 2025: 560},
         shares_start={"110": .4, "111": .3, "106": .2, "109": .1},
         shares_end={"110": .32, "111": .28, "106": .22, "109": .18},
         target_shares={"110": .28, "111": .26, "106": .24, "109": .22},
         headline=True,
         description_vi="Vùng nguyên liệu ngô ngọt kết nối Than Uyên, Tân Uyên, Tam Đường, Phong Thổ gắn với doanh nghiệp tiêu thụ.",
         description_en="Sweet corn raw-material zone linking Than Uyên, Tân Uyên, Tam Đường, Phong Thổ with buyers."),
    _ind(id="tea_area", name_vi="Diện tích chè", name_en="Tea area", group=CROP,
         commodity="tea", unit="ha", kind="level", target=11000, target_2030=13000,
         series={2020: 7800, 2021: 8300, 2022: 8900, 2023: 9700, 2024: 10500, 2025: 10811},
         shares_start={"106": .40, "111": .30, "110": .07, "109": .08, "108": .10, "105": .03, "107": .01, "112": .01},
         shares_end={"106": .37, "111": .31, "110": .08, "109": .09, "108": .10, "105": .02, "107": .02, "112": .01},
         target_shares={"106": .38, "111": .30, "110": .08, "109": .09, "108": .10, "105": .02, "107": .02, "112": .01},
         facts={2022: ("news", SRC["ddk_2022"], "Số liệu cuối năm 2022"),
                2024: ("reported", SRC["ttv_2024"], ""),
                2025: ("estimate", SRC["bpt_2025"], "Ước thực hiện năm 2025")},
         headline=True),
    _ind(id="ancient_tea_new_planting", name_vi="Trồng mới chè cổ thụ (Shan tuyết)",
         name_en="New planting of ancient (Shan tuyet) tea", group=CROP,
         commodity="tea", unit="ha", kind="cumulative", target=1000, target_2030=2000,
         series={2021: 40, 2022: 60, 2023: 50, 2024: 70, 2025: 80},
         shares_start={"108": .35, "107": .2, "109": .2, "106": .15, "112": .1},
         shares_end={"108": .35, "107": .2, "109": .2, "106": .15, "112": .1},
         target_shares={"108": .3, "107": .25, "109": .2, "106": .15, "112": .1},
         description_vi="Diện tích trồng mới cộng dồn từ năm 2021. Thông báo kết luận sơ kết (7/2023) nêu chỉ tiêu này đạt thấp. Năm 2025 tỉnh có khoảng 16.509 cây chè cổ thụ tự nhiên (laichau.gov.vn).",
         description_en="New planting accumulated from 2021. The mid-term conclusion (07/2023) names it as low. About 16,509 natural ancient tea trees in early 2025 (laichau.gov.vn)."),
    _ind(id="rice_commodity_area", name_vi="Diện tích lúa hàng hóa chất lượng cao",
         name_en="Commodity (high-quality) rice area", group=CROP,
         commodity="rice", unit="ha", kind="level", target=3500, target_2030=4000,
         series={2020: 3200, 2021: 3600, 2022: 4000, 2023: 4050, 2024: 4000, 2025: 3954},
         shares_start={"110": .36, "111": .25, "109": .12, "106": .12, "108": .08, "107": .03, "112": .02, "105": .02},
         shares_end={"110": .35, "111": .26, "109": .12, "106": .12, "108": .08, "107": .03, "112": .02, "105": .02},
         target_shares={"110": .35, "111": .25, "109": .12, "106": .12, "108": .09, "107": .03, "112": .02, "105": .02},
         facts={2022: ("reported", SRC["etime_2023"], "Khoảng 4.000 ha"),
                2025: ("estimate", SRC["bpt_2025"], "Ước thực hiện năm 2025")},
         headline=True,
         description_vi="Thông báo kết luận sơ kết (7/2023) nêu sản xuất lúa hàng hóa đã đạt và vượt cao chỉ tiêu.",
         description_en="The mid-term conclusion (07/2023) names commodity rice as met and far exceeded."),
    _ind(id="fruit_tree_area", name_vi="Diện tích cây ăn quả", name_en="Fruit tree area", group=CROP,
         commodity="fruit_trees", unit="ha", kind="level", target=10000, target_2030=12000,
         series={2020: 6500, 2021: 7200, 2022: 8200, 2023: 8150, 2024: 8100, 2025: 8100},
         shares_start={"109": .18, "106": .16, "110": .15, "111": .14, "108": .14, "107": .09, "112": .08, "105": .06},
         shares_end={"109": .18, "106": .16, "110": .15, "111": .15, "108": .13, "107": .09, "112": .08, "105": .06},
         target_shares={"109": .18, "106": .16, "110": .15, "111": .14, "108": .14, "107": .09, "112": .08, "105": .06},
         facts={2022: ("reported", SRC["etime_2023"], "Hơn 8.200 ha (đầu năm 2023)"),
                2024: ("reported", SRC["ttv_2024"], ""),
                2025: ("estimate", SRC["bpt_2025"], "Ước thực hiện năm 2025")}),
    _ind(id="pineapple_area", name_vi="Diện tích dứa", name_en="Pineapple area", group=CROP,
         commodity="pineapple", unit="ha", kind="level", target=100, target_2030=1000,
         series={2020: 0, 2021: 0, 2022: 10, 2023: 60, 2024: 150, 2025: 250},
         shares_start={"108": 1.0}, shares_end={"108": .8, "112": .2},
         target_shares={"108": .8, "112": .2},
         facts={2022: ("news", SRC["dantoc_2022"], "Mô hình thí điểm 10 ha tại xã Nậm Tăm, huyện Sìn Hồ")},
         description_vi="Huyện Sìn Hồ định hướng 700–1.000 ha dứa đến năm 2030 (báo Dân tộc, 2022).",
         description_en="Sìn Hồ district plans 700–1,000 ha of pineapple by 2030 (news, 2022)."),
    _ind(id="medicinal_area", name_vi="Diện tích cây dược liệu", name_en="Medicinal plant area", group=CROP,
         commodity="medicinal", unit="ha", kind="level", target=10000, target_2030=15000,
         series={2020: 3000, 2021: 4200, 2022: 5300, 2023: 6200, 2024: 7800, 2025: 9300},
         shares_start={"108": .22, "107": .2, "109": .18, "106": .14, "112": .1, "110": .07, "111": .07, "105": .02},
         shares_end={"108": .2, "107": .22, "109": .18, "106": .14, "112": .1, "110": .07, "111": .07, "105": .02},
         target_shares={"108": .2, "107": .22, "109": .18, "106": .14, "112": .1, "110": .07, "111": .07, "105": .02},
         description_vi="Các nguồn định nghĩa khác nhau (9.300 ha đến hơn 17.800 ha tùy có tính quế hay không); toàn bộ chuỗi ở đây là minh họa.",
         description_en="Sources define it differently (9,300 to over 17,800 ha depending on cinnamon); the whole series here is illustrative."),
    _ind(id="bee_colonies", name_vi="Đàn ong mật", name_en="Bee colonies", group=LIVE,
         commodity="bees", unit="colonies", kind="level", target=4500, target_2030=7000,
         series={2020: 2800, 2021: 3620, 2022: 4300, 2023: 5200, 2024: 5600, 2025: 6000},
         shares_start={"108": .2, "109": .18, "106": .16, "110": .12, "111": .12, "107": .1, "112": .08, "105": .04},
         shares_end={"108": .2, "109": .18, "106": .16, "110": .12, "111": .12, "107": .1, "112": .08, "105": .04},
         target_shares={"108": .2, "109": .18, "106": .16, "110": .12, "111": .12, "107": .1, "112": .08, "105": .04},
         facts={2021: ("news", SRC["bee_2022"], "Hơn 3.620 đàn, 145 hộ (khoảng 3/2022)")},
         headline=True,
         description_vi="Thông báo kết luận sơ kết (7/2023) nêu phát triển đàn ong đã đạt và vượt cao chỉ tiêu.",
         description_en="The mid-term conclusion (07/2023) names bee colonies as met and far exceeded."),
    _ind(id="large_livestock_facilities", name_vi="Cơ sở chăn nuôi đại gia súc quy mô trang trại, gia trại",
         name_en="Farm-scale large-livestock facilities", group=LIVE,
         commodity="livestock", unit="facilities", kind="level", target=200, target_2030=350,
         series={2020: 150, 2021: 180, 2022: 215, 2023: 241, 2024: 262, 2025: 280},
         shares_start={"110": .18, "111": .16, "106": .15, "109": .13, "108": .13, "107": .1, "112": .09, "105": .06},
         shares_end={"110": .18, "111": .16, "106": .15, "109": .13, "108": .13, "107": .1, "112": .09, "105": .06},
         target_shares={"110": .18, "111": .16, "106": .15, "109": .13, "108": .13, "107": .1, "112": .09, "105": .06},
         facts={2023: ("reported", SRC["vnn_2023"], "Hơn 240 cơ sở (khoảng 2023)"),
                2025: ("reported", SRC["ttv_2025"], "280 cơ sở (9/2025)")},
         headline=True),
    _ind(id="livestock_barn_support", name_vi="Hỗ trợ làm chuồng trại chăn nuôi",
         name_en="Livestock barn support", group=LIVE,
         commodity="livestock", unit="households", kind="cumulative", target=1500, target_2030=3000,
         series={2021: 60, 2022: 90, 2023: 110, 2024: 140, 2025: 160},
         shares_start={"108": .16, "109": .16, "107": .14, "106": .14, "110": .12, "111": .12, "112": .1, "105": .06},
         shares_end={"108": .16, "109": .16, "107": .14, "106": .14, "110": .12, "111": .12, "112": .1, "105": .06},
         target_shares={"108": .16, "109": .16, "107": .14, "106": .14, "110": .12, "111": .12, "112": .1, "105": .06},
         description_vi="Số hộ được hỗ trợ cộng dồn từ năm 2021. Thông báo kết luận sơ kết (7/2023) nêu chỉ tiêu này đạt thấp.",
         description_en="Households supported, accumulated from 2021. The mid-term conclusion (07/2023) names it as low."),
    _ind(id="cage_fish_volume", name_vi="Thể tích nuôi cá lồng", name_en="Cage-fish volume", group=LIVE,
         commodity="cage_fish", unit="m3", kind="level", target=150000, target_2030=200000,
         series={2020: 130000, 2021: 148016, 2022: 158000, 2023: 166000, 2024: 172000, 2025: 176000},
         shares_start={"110": .3, "111": .2, "108": .2, "112": .18, "107": .12},
         shares_end={"110": .28, "111": .2, "108": .2, "112": .2, "107": .12},
         target_shares={"110": .3, "111": .2, "108": .2, "112": .18, "107": .12},
         facts={2021: ("reported", SRC["fish_2022"], "Cuối năm 2021"),
                2022: ("estimate", SRC["fish_2022"], "Kế hoạch năm 2022 của Sở NN&PTNT")},
         headline=True,
         description_vi="Kế hoạch của Sở NN&PTNT (2022): 179.000 m³ vào năm 2025. Thông báo kết luận sơ kết (7/2023) nêu thể tích nuôi cá lồng đã đạt và vượt cao chỉ tiêu.",
         description_en="Department plan (2022): 179,000 m³ by 2025. The mid-term conclusion (07/2023) names cage-fish volume as met and far exceeded."),
    _ind(id="paddy_converted_area", name_vi="Chuyển đổi đất trồng lúa kém hiệu quả",
         name_en="Low-yield paddy land converted", group=LAND,
         commodity="land", unit="ha", kind="cumulative", target=1500, target_2030=2500,
         series={2021: 380, 2022: 420, 2023: 250, 2024: 150, 2025: 120},
         shares_start={"110": .2, "111": .18, "106": .16, "109": .14, "108": .12, "107": .08, "112": .07, "105": .05},
         shares_end={"110": .2, "111": .18, "106": .16, "109": .14, "108": .12, "107": .08, "112": .07, "105": .05},
         target_shares={"110": .2, "111": .18, "106": .16, "109": .14, "108": .12, "107": .08, "112": .07, "105": .05},
         headline=True,
         description_vi="Diện tích chuyển đổi cộng dồn từ năm 2021. Thông báo kết luận sơ kết (7/2023): hơn 1.000 ha đất trồng lúa kém hiệu quả đã được chuyển đổi; số từng năm ở đây là minh họa.",
         description_en="Area converted, accumulated from 2021. Mid-term conclusion (07/2023): over 1,000 ha converted; the yearly split here is illustrative."),
    _ind(id="ocop_products", name_vi="Sản phẩm OCOP (3 sao trở lên)", name_en="OCOP products (3 stars and above)",
         group=LINK, commodity="value_chain", unit="products", kind="level", target=200, target_2030=300,
         series={2020: 40, 2021: 106, 2022: 140, 2023: 171, 2024: 190, 2025: 210},
         shares_start={"105": .2, "106": .16, "110": .14, "111": .14, "109": .1, "108": .1, "107": .08, "112": .08},
         shares_end={"105": .18, "106": .16, "110": .14, "111": .14, "109": .11, "108": .11, "107": .08, "112": .08},
         target_shares={"105": .18, "106": .16, "110": .14, "111": .14, "109": .11, "108": .11, "107": .08, "112": .08},
         facts={2021: ("official", SRC["ocop_2021"], "Tháng 11/2021"),
                2023: ("reported", SRC["ocop_2023"], "Tháng 11/2023")}),
    _ind(id="value_chain_links", name_vi="Chuỗi liên kết sản xuất – tiêu thụ", name_en="Production–sales value chains",
         group=LINK, commodity="value_chain", unit="chains", kind="level", target=120, target_2030=200,
         series={2020: 30, 2021: 45, 2022: 60, 2023: 75, 2024: 88, 2025: 100},
         shares_start={"110": .16, "111": .16, "106": .16, "109": .12, "108": .12, "105": .12, "107": .08, "112": .08},
         shares_end={"110": .17, "111": .17, "106": .16, "109": .12, "108": .11, "105": .11, "107": .08, "112": .08},
         target_shares={"110": .16, "111": .16, "106": .16, "109": .12, "108": .12, "105": .12, "107": .08, "112": .08}),
]


def _share(ind: Indicator, code: str, year: int) -> float:
    """Linear interpolation of the district share between 2020 and 2025."""
    t = (year - 2020) / 5
    return (1 - t) * ind.shares_start.get(code, 0.0) + t * ind.shares_end.get(code, 0.0)


def _split(total: float, weights: dict[str, float], decimals: int) -> dict[str, float]:
    """Split ``total`` by ``weights`` rounded to ``decimals``; the largest share absorbs rounding
    so the parts sum exactly to ``total``."""
    weight_sum = sum(weights.values()) or 1.0
    parts = {c: round(total * w / weight_sum, decimals) for c, w in weights.items() if w > 0}
    if parts:
        largest = max(parts, key=lambda c: parts[c])
        parts[largest] = round(total - sum(v for c, v in parts.items() if c != largest), decimals)
    return parts


def _decimals(ind: Indicator) -> int:
    return 1 if ind.unit == "ha" else 0


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def indicator_rows() -> list[dict[str, str]]:
    """Rows of ``indicators.csv``."""
    rows = []
    for order, ind in enumerate(INDICATORS, start=1):
        baseline = ind.series.get(2020, 0.0) if ind.kind == "level" else 0.0
        rows.append({
            "indicator_id": ind.id, "name_vi": ind.name_vi, "name_en": ind.name_en,
            "group": ind.group, "commodity": ind.commodity, "unit": ind.unit, "kind": ind.kind,
            "polarity": "higher_better", "aggregation": "sum", "baseline_year": "2020",
            "baseline_value": _fmt(baseline),
            "headline": "true" if ind.headline else "false", "display_order": str(order),
            "description_vi": ind.description_vi, "description_en": ind.description_en,
        })
    return rows


def observation_rows() -> list[dict[str, str]]:
    """Rows of ``observations.csv``: province (12) then the districts, per year."""
    rows = []
    for ind in INDICATORS:
        for year, total in sorted(ind.series.items()):
            quality, source, note = ind.facts.get(year, (ILL, ILL_SOURCE, ""))
            rows.append({"indicator_id": ind.id, "unit_code": "12", "year": str(year),
                         "value": _fmt(total), "quality": quality, "source": source, "note": note})
            weights = {c: _share(ind, c, year) for c in ALL}
            parts = _split(total, weights, _decimals(ind))
            # a district of the zone with nothing yet reports 0 (not "no data"): it has a baseline
            zone = {c for c in ALL if c in ind.shares_start or c in ind.shares_end}
            parts |= {c: 0.0 for c in zone - set(parts)}
            for code, part in sorted(parts.items()):
                rows.append({"indicator_id": ind.id, "unit_code": code, "year": str(year),
                             "value": _fmt(part), "quality": ILL, "source": ILL_SOURCE,
                             "note": "Phân bổ minh họa theo huyện"})
    return rows


# 2026, the first year reported by the 38 communes and wards (from 1 July 2025): an illustrative
# estimate for the zone commodities only (fewer than half the indicators, so the default view
# stays the final review year 2025). No province row: the province is Σ of the communes.
COMMUNE_2026 = {"macadamia_area": 7900, "passion_fruit_area": 600, "sweet_corn_area": 620,
                "tea_area": 11050, "rice_commodity_area": 3990}
COMMUNE_NOTE = "Phân bổ minh họa theo xã, phường (từ huyện cũ, theo diện tích ước tính của xã cũ)"


def _commune_weights(district_shares: dict[str, float]) -> dict[str, float]:
    """Weight of each 2025 commune: Σ over the former communes that went into it of
    district_share(d) × area(o) / Σ area of d's former communes (``data/crosswalk.csv``)."""
    with open(DATA / "crosswalk.csv", encoding="utf-8") as handle:
        cross = list(csv.DictReader(handle))
    area_of_district: dict[str, float] = {}
    for row in cross:
        area = float(row["old_area_km2_est"]) * float(row["share_of_old"])
        area_of_district[row["old_district_code"]] = area_of_district.get(row["old_district_code"], 0) + area
    weights: dict[str, float] = {}
    for row in cross:
        d = row["old_district_code"]
        area = float(row["old_area_km2_est"]) * float(row["share_of_old"])
        w = district_shares.get(d, 0.0) * area / (area_of_district[d] or 1.0)
        weights[row["new_code"]] = weights.get(row["new_code"], 0.0) + w
    return weights


def commune_rows_2026() -> list[dict[str, str]]:
    """Rows of ``observations.csv`` for 2026 by commune (:data:`COMMUNE_2026`): each indicator's
    2025 district split carried to the new communes through the crosswalk, summing exactly to
    the illustrative province estimate."""
    rows = []
    for ind in INDICATORS:
        if ind.id not in COMMUNE_2026:
            continue
        weights = _commune_weights({c: _share(ind, c, 2025) for c in ALL})
        parts = _split(COMMUNE_2026[ind.id], weights, _decimals(ind))
        for code, part in sorted(parts.items()):
            rows.append({"indicator_id": ind.id, "unit_code": code, "year": "2026",
                         "value": _fmt(part), "quality": ILL, "source": ILL_SOURCE,
                         "note": COMMUNE_NOTE})
    return rows


def _write(name: str, rows: list[dict[str, str]]) -> None:
    with open(DATA / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    """Write the five generated tables."""
    _write("indicators.csv", indicator_rows())
    _write("observations.csv", observation_rows() + commune_rows_2026())
    from default_plans import plan_rows, target_rows  # they import this module's definitions
    from default_zones import zone_rows

    _write("plans.csv", plan_rows())
    _write("targets.csv", target_rows())
    _write("zones.csv", zone_rows())


if __name__ == "__main__":
    main()
