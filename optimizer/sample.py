"""The Jiangsu sample: 13 cities and ~250 candidate projects, reproducible from a seed.

Every figure the sample uses is listed, with its citation, in `docs/sources.md`. Tags: S a
published source; R read off a published figure by arithmetic; E an estimate (the sample's own
assumption). Where the sample must invent project-level detail it draws from the ranges below
with a fixed seed, and each row's `source` and `basis` columns say so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .loader import PlanningData
from .schema import SECTORS, setting_defaults

SEED = 2021
YEARS = (2021, 2022, 2023, 2024, 2025)

# city, 中文, lat, lon (S: city centres); population 2020 census, 万 (S; Taizhou's ≈451 is
# recalled, not checked, so E);
# general budget revenue 亿 and its basis (S: Nanjing, Wuxi, Suzhou 2021, Xuzhou 2019,
# Changzhou 2020; E for the others, from GDP).
CITIES: tuple[tuple[str, str, float, float, float, float, str], ...] = (
    ("Nanjing", "南京", 32.04, 118.78, 931.5, 1730, "S 2021"),
    ("Wuxi", "无锡", 31.59, 120.29, 746.2, 1201, "S 2021"),
    ("Xuzhou", "徐州", 34.26, 117.20, 908.4, 468, "S 2019"),
    ("Changzhou", "常州", 31.79, 119.95, 527.8, 617, "S 2020"),
    ("Suzhou", "苏州", 31.32, 120.62, 1275.0, 2510, "S 2021"),
    ("Nantong", "南通", 32.08, 121.05, 772.7, 650, "E from GDP"),
    ("Lianyungang", "连云港", 34.59, 119.16, 460.0, 290, "E from GDP"),
    ("Huaian", "淮安", 33.50, 119.15, 455.6, 300, "E from GDP"),
    ("Yancheng", "盐城", 33.38, 120.13, 671.0, 420, "E from GDP"),
    ("Yangzhou", "扬州", 32.39, 119.42, 456.0, 350, "E from GDP"),
    ("Zhenjiang", "镇江", 32.20, 119.44, 321.0, 320, "E from GDP"),
    ("Taizhou", "泰州", 32.49, 119.90, 451.0, 400, "E from GDP"),
    ("Suqian", "宿迁", 33.96, 118.30, 498.6, 260, "E from GDP"),
)

POP_BASIS = {"Taizhou": "E: recalled ≈451万, not checked"}

CITY_CODES = {
    "Nanjing": "NJ",
    "Wuxi": "WX",
    "Xuzhou": "XZ",
    "Changzhou": "CZ",
    "Suzhou": "SZ",
    "Nantong": "NT",
    "Lianyungang": "LYG",
    "Huaian": "HA",
    "Yancheng": "YC",
    "Yangzhou": "YZ",
    "Zhenjiang": "ZJ",
    "Taizhou": "TZ",
    "Suqian": "SQ",
}

# ---------------------------------------------------------------------------- displacement
# 化工产业安全环保整治提升: about 700,000 workers are involved province-wide over four years
# (S). No public count of those who lose their jobs, nor a split by city, was found: the
# sample assumes 30 % of them are laid off (E) and splits that by each city's documented
# chemical exposure (E weights, summing to 100), over 2021–2024 (E: the four years placed in
# the planning horizon).
CHEM_INVOLVED = 700_000
CHEM_LAID_OFF_SHARE = 0.30
CHEM_WEIGHT = {
    "Nanjing": 9,  # Jinling petrochemical district, Dachang
    "Wuxi": 5,
    "Xuzhou": 9,  # 72 of 167 chemical firms closed
    "Changzhou": 9,  # 308 chemical firms, 50+ closing
    "Suzhou": 6,
    "Nantong": 9,  # chemical parks consolidated
    "Lianyungang": 13,  # 266 chemical firms closed since 2017; Guanyun, Guannan halted
    "Huaian": 8,  # salt chemistry
    "Yancheng": 12,  # Xiangshui park closed for good (68 firms)
    "Yangzhou": 5,
    "Zhenjiang": 6,
    "Taizhou": 7,  # Taixing chemical park
    "Suqian": 2,  # little heavy industry
}
# A synthetic portfolio larger than the sample displaces more workers in proportion, but no
# city more than this share of its people (E: a tenth of the population is about a fifth of a
# city's workforce, beyond any capacity exit on record; it keeps every city far below the
# data contract's 10,000,000 at 100,000 projects). The sample itself is far below it.
DISPLACED_POPULATION_SHARE = 0.10
# When a city's chemical layoffs fall over 2021–2024 (E): parks already halted lay off early;
# relocations into consolidated parks lay off late.
CHEM_PROFILE = {
    "early": (0.35, 0.30, 0.20, 0.15, 0.0),
    "even": (0.25, 0.25, 0.25, 0.25, 0.0),
    "late": (0.10, 0.20, 0.30, 0.40, 0.0),
}
CHEM_TIMING = {
    "Nanjing": "late",
    "Wuxi": "even",
    "Xuzhou": "even",
    "Changzhou": "early",
    "Suzhou": "even",
    "Nantong": "late",
    "Lianyungang": "early",
    "Huaian": "even",
    "Yancheng": "early",
    "Yangzhou": "even",
    "Zhenjiang": "late",
    "Taizhou": "late",
    "Suqian": "even",
}
# Coal, steel, cement and flat glass (all E; the exposure they rest on is S, see
# docs/sources.md): city → (cause, workers by year 2021–2025).
OTHER_EXITS: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {
    # Xuzhou: the last Xukuang mine and coking −50 %, at the scale of the province's 3,000+ coal
    # workers in one year's exit (S); 18 steel firms cut to 3; 62 cement firms cut to 4 (S).
    "Xuzhou": (
        ("煤炭", (3_000, 3_000, 0, 0, 0)),
        ("钢铁", (4_000, 4_000, 4_000, 0, 0)),
        ("水泥", (2_500, 2_500, 0, 0, 0)),
    ),
    # Meishan steel capacity moving to Yancheng: those who do not move (E).
    "Nanjing": (("钢铁", (0, 0, 2_000, 2_000, 2_000)),),
    # Zhongtian steel (12 Mt) moving to Nantong: those who do not move (E).
    "Changzhou": (("钢铁", (0, 0, 0, 3_000, 3_000)),),
    # Smelting within 10 km of Taihu: the tail of the exit due by 2020 (E).
    "Wuxi": (("钢铁", (3_000, 0, 0, 0, 0)),),
    "Suzhou": (("钢铁", (1_500, 1_500, 0, 0, 0)),),
    # Riverside cement and flat glass (E; no city figure for flat glass was found).
    "Zhenjiang": (("水泥/平板玻璃", (0, 1_500, 1_500, 0, 0)),),
}
CAUSE_ZH = {
    "化工": "化工整治",
    "煤炭": "煤炭退出",
    "钢铁": "钢铁压减",
    "水泥": "水泥压减",
    "平板玻璃": "平板玻璃压减",
}

# ------------------------------------------------------------------------------- fiscal
# Debt headroom (R/E): the province's debt limit 2021, 20,823亿 (S), less its end-2021 balance,
# about 18,964亿 (R: an end-of-year balance is published in the following year's final
# accounts, so it is marked R, not S), is 1,859亿. The next years' limit rises are the bond
# quotas of the years sheet, so they are not added here (that would count the quota twice).
# The 1,859亿 is shared out among the cities in proportion to their budget revenue (E).
PROVINCE_HEADROOM = 1_859
# City general budget expenditure (E): estimated from revenue and population, then scaled so
# the 13 cities sum to the province's 13,700亿 (R) less its own spending (about 13 %, E).
PROVINCE_EXPENDITURE = 13_700
PROVINCE_OWN_SHARE = 0.13
# Re-employment without the programme (E, jiangsu-facts "For model version 3"): a yearly
# 0.2–0.35 for the older coal, steel and chemical workers of the northern cities, more in the
# southern cities with more other work; a third to a half re-employed within a year in the
# 1990s layoffs (R) bounds it.
BASELINE_RATE = {
    "Xuzhou": 0.22,
    "Lianyungang": 0.25,
    "Suqian": 0.28,
    "Huaian": 0.28,
    "Yancheng": 0.30,
    "Taizhou": 0.38,
    "Yangzhou": 0.38,
    "Nantong": 0.40,
    "Zhenjiang": 0.40,
    "Changzhou": 0.42,
    "Nanjing": 0.45,
    "Wuxi": 0.45,
    "Suzhou": 0.48,
}
# Training money (E): 就业补助资金 and the unemployment-insurance surplus for 职业技能提升,
# 0.6亿 a year for these workers (about 10,000 trainees at 0.6万元 each).
TRAINING_BUDGET = 0.6
# A mass-layoff cap (E, a planner setting): no city lays off more than 1.3 times its mean
# yearly layoffs in one year when layoffs are paced, to the next 1,000.
LAYOFF_CAP_FACTOR = 1.3
# Industries of the displacement sheet.
INDUSTRY = {"化工": "chemicals", "煤炭": "coal", "钢铁": "steel", "水泥": "cement"}

# Existing PPP payments as a share of general budget expenditure (E; no city figures were
# found). Zhenjiang, the most indebted city in 2019 (S), is just over the 10 % line; four cities
# sit under the 5 % government-pay line, five between 5 % and 7 %, three in the 7–10 % warning
# zone.
EXISTING_PPP_SHARE = {
    "Nanjing": 0.045,
    "Wuxi": 0.040,
    "Xuzhou": 0.075,
    "Changzhou": 0.055,
    "Suzhou": 0.030,
    "Nantong": 0.048,
    "Lianyungang": 0.085,
    "Huaian": 0.080,
    "Yancheng": 0.065,
    "Yangzhou": 0.060,
    "Zhenjiang": 0.103,
    "Taizhou": 0.068,
    "Suqian": 0.058,
}

# --------------------------------------------------------------------------------- jobs
# Published job-years per 亿元 (see docs/sources.md). IMF WP/21/131: 10–17 direct jobs per
# US$1 M of public infrastructure, at 6.9 CNY per US$ 145–246 job-years per 亿 (R).
IMF_LOW, IMF_HIGH = 145.0, 246.0
# CAICT/MIIT: 3.1 M jobs from 9,000–15,000亿 of 5G = 207–344 per 亿 (R), including indirect
# jobs; the sample takes a third of it as direct (E).
G5_LOW, G5_HIGH = 207.0, 344.0
DIRECT_SHARE_5G = 1 / 3
# State Grid Energy Research Institute: 700,000 jobs from 4,500亿 = 155 per 亿 (R), which like
# the 5G figure counts indirect jobs: the sample takes the same third as direct (E).
GRID_JOB_YEARS = 155.0
DIRECT_SHARE_GRID = DIRECT_SHARE_5G

# Project kinds: sector, name pattern (zh), capex range 亿, duration range, job-years per 亿
# (low, high) with its basis and citation, financing means (budget, bond, private), whether
# the private part is a PPP (else enterprise money), PPP mechanism odds, skill match range.
KINDS: tuple[dict, ...] = (
    dict(
        kind="intercity_rail",
        sector="transport",
        zh="城际铁路{n}段",
        capex=(60, 260),
        duration=(4, 5),
        job_years=(IMF_LOW, IMF_HIGH),
        jobs_basis="E",
        jobs_cite="IMF WP/21/131 10–17 direct jobs/US$1M = 145–246 job-years/亿 (R), drawn "
        "in that range (E; "
        "MoR 2009 ~1,000/亿 incl. indirect is an upper bound)",
        finance=(0.20, 0.55, 0.25),
        ppp=True,
        mechanism=dict(government_pay=0.15, viability_gap=0.75, user_pay=0.10),
        skill=(0.45, 0.65),
        weight=18,
    ),
    dict(
        kind="expressway_widening",
        sector="transport",
        zh="高速公路{n}改扩建",
        capex=(40, 180),
        duration=(3, 4),
        job_years=(IMF_LOW, IMF_HIGH),
        jobs_basis="E",
        jobs_cite="IMF WP/21/131 145–246 job-years/亿 (R), drawn in that range (E; MoT 2012 "
        "Shanxi 1,800/亿 direct "
        "is an upper bound)",
        finance=(0.20, 0.60, 0.20),
        ppp=True,
        mechanism=dict(government_pay=0.0, viability_gap=0.35, user_pay=0.65),
        skill=(0.55, 0.75),
        weight=20,
    ),
    dict(
        kind="port_channel",
        sector="transport",
        zh="港口航道{n}工程",
        capex=(20, 90),
        duration=(3, 4),
        job_years=(IMF_LOW, IMF_HIGH),
        jobs_basis="E",
        jobs_cite="IMF WP/21/131 145–246 job-years/亿 (R), drawn in that range (E)",
        finance=(0.25, 0.55, 0.20),
        ppp=True,
        mechanism=dict(government_pay=0.20, viability_gap=0.40, user_pay=0.40),
        skill=(0.50, 0.70),
        weight=10,
    ),
    dict(
        kind="5g_network",
        sector="telecom",
        zh="5G基站建设{n}期",
        capex=(4, 20),
        duration=(1, 2),
        job_years=(G5_LOW * DIRECT_SHARE_5G, G5_HIGH * DIRECT_SHARE_5G),
        jobs_basis="E",
        jobs_cite="CAICT/MIIT 207–344 jobs/亿 incl. indirect (R); direct taken as 1/3 = "
        "69–115 job-years/亿 (E)",
        finance=(0.05, 0.0, 0.95),
        ppp=False,
        finance_note="telecom operators' own capex (enterprise money, not a PPP; S: operators "
        "spent 403.6亿 in Jiangsu in 2020); budget 5 % for site access (E)",
        skill=(0.15, 0.35),
        weight=24,
    ),
    dict(
        kind="data_centre",
        sector="telecom",
        zh="数据中心{n}",
        capex=(12, 80),
        duration=(2, 3),
        job_years=(G5_LOW * DIRECT_SHARE_5G, G5_HIGH * DIRECT_SHARE_5G),
        jobs_basis="E",
        jobs_cite="CAICT/MIIT 207–344 jobs/亿 incl. indirect (R); direct taken as 1/3 = "
        "69–115 job-years/亿 (E)",
        finance=(0.08, 0.15, 0.77),
        ppp=False,
        finance_note="operators' and IDC firms' money (enterprise, not a PPP, E); park "
        "infrastructure by special bonds (E)",
        skill=(0.15, 0.35),
        weight=14,
    ),
    dict(
        kind="grid_upgrade",
        sector="energy",
        zh="电网改造{n}",
        capex=(10, 70),
        duration=(2, 4),
        job_years=(
            GRID_JOB_YEARS * DIRECT_SHARE_GRID * 0.8,
            GRID_JOB_YEARS * DIRECT_SHARE_GRID * 1.2,
        ),
        jobs_basis="E",
        jobs_cite="State Grid Energy Research Institute 2020: 700,000 jobs from 4,500亿 = "
        "155 job-years/亿 incl. indirect (R); direct taken as 1/3, ±20 % = 41–62 (E), as for 5G",
        finance=(0.05, 0.05, 0.90),
        ppp=False,
        finance_note="State Grid's own investment (enterprise money, not a PPP, E); local "
        "budget and bonds for corridors 10 % (E)",
        skill=(0.35, 0.55),
        weight=20,
    ),
    dict(
        kind="renewables",
        sector="energy",
        zh="新能源{n}项目",
        capex=(15, 90),
        duration=(2, 3),
        job_years=(IMF_LOW, 195.0),
        jobs_basis="E",
        jobs_cite="IMF WP/21/131 145–246 job-years/亿 (R); equipment-heavy, so its lower "
        "half 145–195 (E)",
        finance=(0.05, 0.10, 0.85),
        ppp=False,
        finance_note="power companies' own investment (enterprise money, not a PPP, E); "
        "local budget and special bonds for grid connection and land 15 % (E)",
        skill=(0.30, 0.50),
        weight=18,
    ),
    dict(
        kind="old_community",
        sector="urban_renewal",
        zh="老旧小区改造{n}批",
        capex=(3, 18),
        duration=(1, 2),
        job_years=(195.0, IMF_HIGH),
        jobs_basis="E",
        jobs_cite="no figure found; labour-intensive, so the upper half of IMF WP/21/131 "
        "145–246 job-years/亿 (E; construction ~1,550/亿 FAI, 2009, is an upper bound)",
        finance=(0.45, 0.47, 0.08),
        ppp=False,
        finance_note="central subsidy and local budget, special bonds; residents and utility "
        "firms 8 % (E); no PPP",
        skill=(0.65, 0.85),
        weight=32,
    ),
    dict(
        kind="industrial_renewal",
        sector="urban_renewal",
        zh="老工业区更新{n}",
        capex=(8, 45),
        duration=(2, 3),
        job_years=(170.0, IMF_HIGH),
        jobs_basis="E",
        jobs_cite="brownfield renewal of closed chemical/steel sites: upper part of IMF "
        "WP/21/131 145–246 job-years/亿 (E)",
        finance=(0.35, 0.40, 0.25),
        ppp=True,
        mechanism=dict(government_pay=0.15, viability_gap=0.80, user_pay=0.05),
        skill=(0.65, 0.85),
        weight=22,
    ),
)

MECHANISM_ZH = {
    "government_pay": "政府付费",
    "viability_gap": "可行性缺口补助",
    "user_pay": "使用者付费",
}
# Yearly government payment per 亿 of private capital (E): a government-pay PPP repays the
# private capital over ~15 years with a return (annuity at 5–6 %: 0.096–0.103); a viability-gap
# PPP pays the part users do not (about half); a user-pay PPP costs the budget nothing.
PAYMENT_RATE = {
    "government_pay": (0.085, 0.105),
    "viability_gap": (0.035, 0.060),
    "user_pay": (0.0, 0.0),
}

SAMPLE_MIP_GAP = 0.005
SAMPLE_COUNT = 240

# What fits the money: the candidates' calls on the fiscal budget (their budget share of capex
# and the PPP payments they would bring in the horizon) and on the bond quota are about 2.3
# times what the budgets and quotas fund.
OVERSUBSCRIPTION = 2.3


def _regions(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    revenue_total = sum(c[5] for c in CITIES)
    raw_total = sum(revenue * 1.1 + pop * 0.55 for _, _, _, _, pop, revenue, _ in CITIES)
    cities_total = PROVINCE_EXPENDITURE * (1 - PROVINCE_OWN_SHARE)
    for name, zh, lat, lon, pop, revenue, revenue_basis in CITIES:
        # General budget expenditure (E): revenue plus transfers that favour populous,
        # poorer cities, scaled so the cities sum below the province's total.
        expenditure = round((revenue * 1.1 + pop * 0.55) * cities_total / raw_total, 0)
        rows.append(
            dict(
                region=name,
                name_zh=zh,
                lat=lat,
                lon=lon,
                displaced_workers=0.0,  # the displacement schedule's sum, filled in below
                general_budget_expenditure=float(expenditure),
                existing_ppp_payments=round(expenditure * EXISTING_PPP_SHARE[name], 1),
                debt_headroom=round(PROVINCE_HEADROOM * revenue / revenue_total, 1),
                source=(
                    f"centre S; displaced workers E (displacement sheet); expenditure E = "
                    f"(1.1 × budget revenue {revenue:,.0f}亿 ({revenue_basis}) + 0.55 × "
                    f"population {pop:,.1f}万 ({POP_BASIS.get(name, 'S, 2020 census')})), "
                    f"scaled so the 13 cities sum to 87 % of the province's 13,700亿 (R); "
                    f"debt headroom E: the province's limit less balance, 20,823 − 18,964 = "
                    f"1,859亿 (R), shared by budget revenue; existing PPP payments E "
                    f"({EXISTING_PPP_SHARE[name]:.1%} of expenditure); baseline re-employment "
                    f"rate {BASELINE_RATE[name]:.2f} a year E (0.2–0.35 north, more south); "
                    f"layoff cap E (1.3 × mean yearly layoffs); see docs/sources.md"
                ),
                basis="E",
                baseline_reemployment_rate=BASELINE_RATE[name],
                max_layoffs_per_year=np.nan,  # set from the displacement sheet below
            )
        )
    return pd.DataFrame(rows)


def _split(total: float, shares: tuple[float, ...]) -> list[int]:
    """Whole workers by year (to the nearest 10), the remainder in the last year with any."""
    parts = [int(round(total * s, -1)) for s in shares]
    last = max(i for i, s in enumerate(shares) if s > 0)
    parts[last] += int(round(total)) - sum(parts)
    return parts


def _city_scale(city: str, population: float, scale: float) -> float:
    """The scale of a city's displacement in a synthetic portfolio of another size: the
    portfolio's, unless that would displace more than DISPLACED_POPULATION_SHARE of the
    city's people (population in 万)."""
    laid_off = CHEM_INVOLVED * CHEM_LAID_OFF_SHARE
    workers = laid_off * CHEM_WEIGHT[city] / sum(CHEM_WEIGHT.values())
    workers += sum(sum(by_year) for _, by_year in OTHER_EXITS.get(city, ()))
    cap = DISPLACED_POPULATION_SHARE * population * 10_000
    return min(scale, cap / workers)


def _displacement(scale: float = 1.0) -> pd.DataFrame:
    """Workers displaced by city, year and industry, with each figure's make-up in `source`
    and an exit window of a year either side inside the planning years (E). scale: for a
    synthetic portfolio of another size (each city capped, see `_city_scale`)."""
    laid_off = CHEM_INVOLVED * CHEM_LAID_OFF_SHARE
    weight_total = sum(CHEM_WEIGHT.values())
    rows = []
    for city, _, _, _, population, *_ in CITIES:
        here = _city_scale(city, population, scale)
        causes: list[tuple[str, list[int]]] = []
        chem = laid_off * CHEM_WEIGHT[city] / weight_total
        causes.append(("化工", _split(chem * here, CHEM_PROFILE[CHEM_TIMING[city]])))
        for cause, by_year in OTHER_EXITS.get(city, ()):
            if cause == "水泥/平板玻璃":  # no split found: half each (E)
                half = [int(round(w * here / 2)) for w in by_year]
                causes += [("水泥", half), ("平板玻璃", half)]
            else:
                causes.append((cause, [int(round(w * here)) for w in by_year]))
        for index, year in enumerate(YEARS):
            for cause, by_year in causes:
                if not by_year[index]:
                    continue
                if cause == "化工":
                    note = (
                        f"化工整治 {by_year[index]:,} (E): 700,000 involved (S) × 30 % laid off "
                        f"(E) × {city} weight {CHEM_WEIGHT[city]}/{weight_total} (E), "
                        f"{CHEM_TIMING[city]} timing over 2021–2024 (E); see docs/sources.md"
                    )
                else:
                    note = (
                        f"{CAUSE_ZH.get(cause, cause)} {by_year[index]:,} (E); see docs/sources.md"
                    )
                rows.append(
                    dict(
                        region=city,
                        year=year,
                        workers=float(by_year[index]),
                        sector=INDUSTRY.get(cause, "flat_glass"),
                        earliest_year=max(YEARS[0], year - 1),
                        latest_year=min(YEARS[-1], year + 1),
                        source=note,
                    )
                )
    frame = pd.DataFrame(rows)
    frame["basis"] = "E"
    return frame


def _mechanism(rng: np.random.Generator, kind: dict) -> str:
    odds = kind["mechanism"]
    names = list(odds)
    weights = np.array([odds[n] for n in names], dtype=float)
    return str(rng.choice(names, p=weights / weights.sum()))


def _projects(rng: np.random.Generator, regions: pd.DataFrame, count: int) -> pd.DataFrame:
    weights = np.array([k["weight"] for k in KINDS], dtype=float)
    kinds = rng.choice(len(KINDS), size=count, p=weights / weights.sum())
    # Projects cluster where people live and where capacity is closing.
    city_weight = (regions["displaced_workers"] / regions["displaced_workers"].sum()) * 0.5 + (
        regions["general_budget_expenditure"] / regions["general_budget_expenditure"].sum()
    ) * 0.5
    cities = rng.choice(len(regions), size=count, p=city_weight.to_numpy())
    counters: dict[tuple[str, str], int] = {}
    rows = []
    for index, (k, c) in enumerate(zip(kinds, cities, strict=True)):
        kind = KINDS[k]
        city = regions.iloc[c]
        key = (kind["kind"], city["region"])
        counters[key] = counters.get(key, 0) + 1
        capex = round(float(rng.uniform(*kind["capex"])), 1)
        duration = int(rng.integers(kind["duration"][0], kind["duration"][1] + 1))
        budget, bond, private = (
            max(0.0, s + rng.normal(0, 0.03)) if s else 0.0 for s in kind["finance"]
        )
        total = budget + bond + private
        budget, bond = round(budget / total, 3), round(bond / total, 3)
        private = round(1 - budget - bond, 3)
        mechanism, payment = "", 0.0
        if kind["ppp"]:
            mechanism = _mechanism(rng, kind)
            rate = float(rng.uniform(*PAYMENT_RATE[mechanism]))
            payment = round(capex * private * rate, 2)
            finance = (
                f"PPP {MECHANISM_ZH[mechanism]}: social capital {private:.0%}; yearly payment "
                f"{rate:.3f} × private capital from completion (E)"
            )
        else:
            finance = kind["finance_note"]
        job_years = float(rng.uniform(*kind["job_years"]))
        operating = 0.0
        if kind["kind"] == "intercity_rail":
            operating = round(capex / 1.9 * rng.uniform(1.5, 3.0))  # km × staff per km (E)
        elif kind["kind"] in ("data_centre", "port_channel"):
            operating = round(capex * rng.uniform(1.0, 3.0))
        earliest = YEARS[0] if rng.random() < 0.7 else int(rng.integers(YEARS[1], YEARS[3] + 1))
        rows.append(
            dict(
                project_id=f"JS-{CITY_CODES[city['region']]}-{index + 1:03d}",
                name=f"{city['name_zh']}{kind['zh'].format(n=counters[key])}",
                sector=kind["sector"],
                region=city["region"],
                capex=capex,
                duration_years=duration,
                earliest_start=earliest if earliest != YEARS[0] else None,
                latest_start=None,
                budget_share=budget,
                bond_share=bond,
                private_share=private,
                ppp_annual_payment=payment,
                jobs_per_yi=round(job_years / duration, 1),
                operating_jobs=operating,
                skill_match=round(float(rng.uniform(*kind["skill"])), 2),
                mandatory=False,
                excluded=False,
                exclusive_group="",
                requires="",
                lat=round(city["lat"] + rng.normal(0, 0.08), 4),
                lon=round(city["lon"] + rng.normal(0, 0.08), 4),
                source="",
                basis=kind["jobs_basis"],
                ppp_mechanism=mechanism,
                kind=kind["kind"],
                job_years=job_years,
                finance=finance,
            )
        )
    return pd.DataFrame(rows)


KINDS_BY_NAME = {k["kind"]: k for k in KINDS}


def _sources(projects: pd.DataFrame) -> pd.Series:
    notes = []
    for p in projects.itertuples():
        kind = KINDS_BY_NAME[p.kind]
        notes.append(
            f"jobs: {kind['jobs_cite']}; this project {p.job_years:.0f} job-years/亿 ÷ "
            f"{p.duration_years} build year{'s' if p.duration_years > 1 else ''} = "
            f"{p.jobs_per_yi} jobs/亿 held in each build year. "
            f"Financing: {p.finance}. Capex, duration, skill match drawn by the sample (E); "
            f"see docs/sources.md"
        )
    return pd.Series(notes, index=projects.index)


def _add_structure(
    rng: np.random.Generator, projects: pd.DataFrame, regions: pd.DataFrame
) -> pd.DataFrame:
    projects = projects.copy()
    # Exclusive variants: a scheme offered at two scales (4→6 vs 4→8 lanes, phase sizes).
    big = projects.index[
        projects["kind"].isin(["expressway_widening", "data_centre", "renewables"])
    ]
    variant_rows = []
    for n, base in enumerate(rng.choice(big, size=8, replace=False), start=1):
        group = f"G{n:02d}-{projects.at[base, 'region']}"
        projects.at[base, "exclusive_group"] = group
        variant = projects.loc[base].copy()
        variant["project_id"] = f"{variant['project_id']}-V2"
        variant["name"] = f"{variant['name']}（缩减方案）"
        variant["capex"] = round(variant["capex"] * 0.6, 1)
        variant["ppp_annual_payment"] = round(variant["ppp_annual_payment"] * 0.6, 2)
        variant["operating_jobs"] = round(variant["operating_jobs"] * 0.6)
        variant_rows.append(variant)
    projects = pd.concat([projects, pd.DataFrame(variant_rows)], ignore_index=True)
    # Prerequisites: station-area renewal needs its rail section; phase 2 needs phase 1.
    rail = projects.index[
        (projects["kind"] == "intercity_rail") & (projects["exclusive_group"] == "")
    ]
    renewal = projects.index[projects["kind"] == "industrial_renewal"]
    for rail_at in rng.choice(rail, size=5, replace=False):
        same_city = [
            r
            for r in renewal
            if projects.at[r, "region"] == projects.at[rail_at, "region"]
            and projects.at[r, "requires"] == ""
        ]
        if same_city:
            projects.at[same_city[0], "requires"] = projects.at[rail_at, "project_id"]
    fives = projects.index[projects["kind"] == "5g_network"]
    by_city: dict[str, list[int]] = {}
    for at in fives:
        by_city.setdefault(projects.at[at, "region"], []).append(at)
    phased = [ats for ats in by_city.values() if len(ats) >= 2][:4]
    for first, second in (ats[:2] for ats in phased):
        projects.at[second, "requires"] = projects.at[first, "project_id"]
    # Mandatory: continuing rail works the province has already committed to, let as user-pay
    # PPPs (fares), so they add no government payments; they go where the city's debt headroom
    # can carry their bonds.
    headroom = projects["region"].map(regions.set_index("region")["debt_headroom"])
    carried = projects["capex"] * projects["bond_share"] <= 0.6 * headroom
    free_rail = rail.difference(projects.index[projects["requires"] != ""])
    free_rail = free_rail[carried[free_rail].to_numpy()]
    for at in rng.choice(free_rail, size=2, replace=False):
        projects.at[at, "mandatory"] = True
        projects.at[at, "earliest_start"] = None
        projects.at[at, "ppp_annual_payment"] = 0.0
        projects.at[at, "ppp_mechanism"] = "user_pay"
        projects.at[at, "finance"] = (
            f"PPP 使用者付费 (committed continuing works, fares pay the social capital "
            f"{projects.at[at, 'private_share']:.0%}; E)"
        )
    old = projects.index[(projects["kind"] == "old_community") & (projects["requires"] == "")]
    for at in rng.choice(old, size=2, replace=False):
        projects.at[at, "mandatory"] = True
        projects.at[at, "earliest_start"] = None
    # Excluded: one scheme stopped by an environmental review (Taihu protection zone).
    taihu = projects.index[(projects["region"] == "Wuxi") & (projects["kind"] == "port_channel")]
    if len(taihu):
        projects.at[taihu[0], "excluded"] = True
    return projects


# Renewal of old areas with 养老, 托育, 家政 and training facilities (the seed's 双高 areas)
# leaves lasting service jobs: a community elderly-care centre employs about 10–30 staff (R);
# a renewal batch opens one such facility per 1–3亿 of capex (E).
SERVICES = ("养老", "托育", "家政", "培训")


def _renewal_services(projects: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Operating jobs for the renewal projects (drawn apart from the rest of the sample, so
    the other figures keep their draws)."""
    projects = projects.copy()
    renewal = projects.index[projects["kind"].isin(["old_community", "industrial_renewal"])]
    for at in renewal:
        facilities = max(1, int(round(projects.at[at, "capex"] / rng.uniform(1.0, 3.0))))
        staff = rng.uniform(10, 30)
        kinds = "/".join(rng.choice(SERVICES, size=min(2, facilities), replace=False))
        projects.at[at, "operating_jobs"] = float(round(facilities * staff))
        projects.at[at, "finance"] = (
            f"{projects.at[at, 'finance']}; operating jobs: {facilities} {kinds} facilities × "
            f"{staff:.0f} staff (E; 10–30 staff a centre, R)"
        )
    return projects


def _horizon_ppp(projects: pd.DataFrame) -> pd.Series:
    """PPP payments a project brings in the horizon if it starts as early as it may."""
    start = projects["earliest_start"].fillna(YEARS[0]).astype(int)
    operating = (YEARS[-1] - (start + projects["duration_years"]) + 1).clip(lower=0)
    return projects["ppp_annual_payment"] * operating


def _years(projects: pd.DataFrame) -> pd.DataFrame:
    # The candidates' calls on the money if each started as early as it may, divided by the
    # oversubscription factor: the budgets bind and choices matter.
    need_budget = (projects["capex"] * projects["budget_share"]).sum()
    need_budget += _horizon_ppp(projects).sum()
    need_bond = (projects["capex"] * projects["bond_share"]).sum()
    ramp = np.array([0.85, 0.95, 1.05, 1.1, 1.05])  # counter-cyclical push peaks mid-plan
    per_year = 1 / len(YEARS) / OVERSUBSCRIPTION
    return pd.DataFrame(
        dict(
            year=list(YEARS),
            fiscal_budget=np.round(need_budget * per_year * ramp, 0),
            bond_quota=np.round(need_bond * per_year * ramp, 0),
            training_budget=[TRAINING_BUDGET] * len(YEARS),
        )
    )


def mandatory_check(data: PlanningData) -> dict[str, float]:
    """The arithmetic that shows the mandatory projects fit in every year, whatever their
    start: all of them built in the same year (an upper bound on any year's call) plus all
    their PPP payments, against the smallest year's budget and quota; bonds against each
    city's debt headroom; PPP payments against the city's lines."""
    p, r, y = data.projects, data.regions.set_index("region"), data.years
    m = p[p["mandatory"]]
    out = dict(
        budget_per_year=float((m["capex"] * m["budget_share"] / m["duration_years"]).sum()),
        ppp_per_year=float(m["ppp_annual_payment"].sum()),
        smallest_budget=float(y["fiscal_budget"].min()),
        bond_per_year=float((m["capex"] * m["bond_share"] / m["duration_years"]).sum()),
        smallest_quota=float(y["bond_quota"].min()),
    )
    worst = 1.0
    for city, group in m.groupby("region"):
        debt = float((group["capex"] * group["bond_share"]).sum())
        worst = min(worst, 1 - debt / float(r.at[city, "debt_headroom"]))
    out["least_headroom_left_share"] = worst
    return out


def displaced(regions: pd.DataFrame, scale: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cities with their displaced workers and layoff caps, and the displacement sheet,
    for a portfolio `scale` times the sample's."""
    displacement = _displacement(scale)
    totals = displacement.groupby("region")["workers"].sum()
    regions = regions.copy()
    regions["displaced_workers"] = regions["region"].map(totals).astype(float)
    peak_years = displacement.groupby("region")["year"].nunique()
    regions["max_layoffs_per_year"] = [
        float(np.ceil(LAYOFF_CAP_FACTOR * totals[r] / peak_years[r] / 1000) * 1000)
        for r in regions["region"]
    ]
    return regions, displacement


def build_sample(seed: int = SEED, count: int = SAMPLE_COUNT) -> PlanningData:
    """The Jiangsu sample as validated-shape tables (what `projects.xlsx` holds)."""
    rng = np.random.default_rng(seed)
    regions = _regions(rng)
    scale = count / SAMPLE_COUNT
    if count != SAMPLE_COUNT:
        # A synthetic portfolio of another size: the cities' debt room and displaced workers
        # grow with it, so the problem keeps the sample's shape (for benchmarks), displaced
        # workers up to a cap per city (`_city_scale`).
        regions["debt_headroom"] = (regions["debt_headroom"] * scale).round(1)
    regions, displacement = displaced(regions, scale)
    projects = _add_structure(rng, _projects(rng, regions, count), regions)
    projects = _renewal_services(projects, np.random.default_rng(seed + 1))
    projects["source"] = _sources(projects)
    years = _years(projects)
    sectors = pd.DataFrame(
        dict(
            sector=list(SECTORS),
            min_share=[0.15, 0.05, 0.10, 0.15],
            max_share=[0.55, 0.25, 0.35, 0.45],
        )
    )
    settings = setting_defaults()
    # The jobs figures are uncertain by ±30 %; proving the last 0.01 % of a 250-project
    # multi-knapsack takes HiGHS minutes, so the sample asks for a 0.5 % proven gap.
    settings["mip_gap"] = SAMPLE_MIP_GAP
    projects = projects.drop(columns=["kind", "job_years", "finance"])
    projects["earliest_start"] = projects["earliest_start"].astype("Int64")
    projects["latest_start"] = projects["latest_start"].astype("Int64")
    return PlanningData(
        projects=projects,
        regions=regions,
        years=years,
        sectors=sectors,
        settings=settings,
        source_name="sample",
        displacement=displacement,
    )
