"""The Jiangsu sample: 13 cities and ~250 candidate projects, reproducible from a seed.

Figures tagged S/R/E come from `shared/reference/jiangsu-facts.md` (S: public source,
R: recalled order of magnitude, E: estimate). Where the sample must invent project-level
detail it draws from the ranges below with a fixed seed and says so in `source`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .loader import PlanningData
from .schema import SECTORS, setting_defaults

SEED = 2021
YEARS = (2021, 2022, 2023, 2024, 2025)

# city, 中文, lat, lon (S); pop 万 (S); general budget revenue 亿 (S where known, else E from GDP);
# displaced workers over the horizon (E: province figures split by exposure, illustrative).
CITIES: tuple[tuple[str, str, float, float, float, float, int], ...] = (
    ("Nanjing", "南京", 32.04, 118.78, 931.5, 1730, 38_000),
    ("Wuxi", "无锡", 31.59, 120.29, 746.2, 1201, 27_000),
    ("Xuzhou", "徐州", 34.26, 117.20, 908.4, 468, 72_000),
    ("Changzhou", "常州", 31.79, 119.95, 527.8, 617, 33_000),
    ("Suzhou", "苏州", 31.32, 120.62, 1275.0, 2510, 26_000),
    ("Nantong", "南通", 32.08, 121.05, 772.7, 650, 24_000),
    ("Lianyungang", "连云港", 34.59, 119.16, 460.0, 290, 46_000),
    ("Huaian", "淮安", 33.50, 119.15, 455.6, 300, 27_000),
    ("Yancheng", "盐城", 33.38, 120.13, 671.0, 420, 41_000),
    ("Yangzhou", "扬州", 32.39, 119.42, 456.0, 350, 16_000),
    ("Zhenjiang", "镇江", 32.20, 119.44, 321.0, 320, 25_000),
    ("Taizhou", "泰州", 32.49, 119.90, 451.0, 400, 21_000),
    ("Suqian", "宿迁", 33.96, 118.30, 498.6, 260, 6_000),
)

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

# Debt room over the horizon (E): the province's headroom at end-2021, 20,823 − 18,964 =
# 1,859亿 (S), plus four more yearly limit rises like 2020→2021's 1,816亿 (S); these projects
# may use about a third of it, shared among cities by budget revenue.
HORIZON_HEADROOM = 1_859 + 4 * 1_816
PROJECTS_SHARE_OF_HEADROOM = 0.33

# Existing PPP payments as a share of general budget expenditure (E). Zhenjiang, the most
# indebted city in 2019 (S), is put just over the 10 % line so the sample shows that case.
EXISTING_PPP_SHARE = {
    "Nanjing": 0.045,
    "Wuxi": 0.05,
    "Xuzhou": 0.075,
    "Changzhou": 0.06,
    "Suzhou": 0.03,
    "Nantong": 0.055,
    "Lianyungang": 0.085,
    "Huaian": 0.08,
    "Yancheng": 0.07,
    "Yangzhou": 0.065,
    "Zhenjiang": 0.103,
    "Taizhou": 0.07,
    "Suqian": 0.06,
}

# Project kinds: sector, name pattern (zh), size driver, capex range 亿, duration range,
# jobs_per_yi range (jobs held during construction), financing (budget, bond, private) means,
# skill match range, PPP government-pay (yes/no), source note.
KINDS: tuple[dict, ...] = (
    dict(
        kind="intercity_rail",
        sector="transport",
        zh="城际铁路{n}段",
        capex=(60, 260),
        duration=(4, 5),
        jobs=(55, 90),
        finance=(0.20, 0.55, 0.25),
        skill=(0.45, 0.65),
        ppp=True,
        weight=18,
        source="Railway ~1,000 job-years/亿 (MoR 2009) and IMF WP/21/131 140–250 job-years/亿, "
        "÷ 4–5 build years (E)",
    ),
    dict(
        kind="expressway_widening",
        sector="transport",
        zh="高速公路{n}改扩建",
        capex=(40, 180),
        duration=(3, 4),
        jobs=(70, 120),
        finance=(0.20, 0.60, 0.20),
        skill=(0.55, 0.75),
        ppp=True,
        weight=20,
        source="Expressway 1,800 direct job-years/亿 is an upper bound (MoT 2012); IMF range "
        "÷ 3–4 build years (E)",
    ),
    dict(
        kind="port_channel",
        sector="transport",
        zh="港口航道{n}工程",
        capex=(20, 90),
        duration=(3, 4),
        jobs=(50, 85),
        finance=(0.25, 0.55, 0.20),
        skill=(0.50, 0.70),
        ppp=True,
        weight=10,
        source="IMF WP/21/131 140–250 job-years/亿 ÷ 3–4 build years (E)",
    ),
    dict(
        kind="5g_network",
        sector="telecom",
        zh="5G基站建设{n}期",
        capex=(4, 20),
        duration=(1, 2),
        jobs=(20, 35),
        finance=(0.10, 0.10, 0.80),
        skill=(0.15, 0.35),
        ppp=False,
        weight=24,
        source="5G/data centres ~20–35 direct jobs/亿 (CAICT/MIIT 2017–2019, E); "
        "16–30万元 per macro station",
    ),
    dict(
        kind="data_centre",
        sector="telecom",
        zh="数据中心{n}",
        capex=(12, 80),
        duration=(2, 3),
        jobs=(18, 32),
        finance=(0.10, 0.20, 0.70),
        skill=(0.15, 0.35),
        ppp=True,
        weight=14,
        source="Data centres 12–120亿, 2–3 years; ~20–35 direct jobs/亿 (CAICT/MIIT, E)",
    ),
    dict(
        kind="grid_upgrade",
        sector="energy",
        zh="电网改造{n}",
        capex=(10, 70),
        duration=(2, 4),
        jobs=(35, 60),
        finance=(0.25, 0.45, 0.30),
        skill=(0.35, 0.55),
        ppp=True,
        weight=20,
        source="Power grid ~155 job-years/亿 (State Grid Energy Research Institute 2020, E) "
        "÷ 2–4 build years",
    ),
    dict(
        kind="renewables",
        sector="energy",
        zh="新能源{n}项目",
        capex=(15, 90),
        duration=(2, 3),
        jobs=(30, 55),
        finance=(0.15, 0.35, 0.50),
        skill=(0.30, 0.50),
        ppp=True,
        weight=18,
        source="Equipment-heavy energy works sit below roadworks; IMF 140–250 job-years/亿 "
        "low end ÷ 2–3 years (E)",
    ),
    dict(
        kind="old_community",
        sector="urban_renewal",
        zh="老旧小区改造{n}批",
        capex=(3, 18),
        duration=(1, 2),
        jobs=(95, 150),
        finance=(0.40, 0.45, 0.15),
        skill=(0.65, 0.85),
        ppp=False,
        weight=32,
        source="Old-community renovation ~2.7万元/household (2023); labour-intensive: "
        "construction ~1,550 jobs/亿 FAI (2009 study) as upper bound (E)",
    ),
    dict(
        kind="industrial_renewal",
        sector="urban_renewal",
        zh="老工业区更新{n}",
        capex=(8, 45),
        duration=(2, 3),
        jobs=(80, 130),
        finance=(0.35, 0.40, 0.25),
        skill=(0.65, 0.85),
        ppp=True,
        weight=22,
        source="Brownfield renewal of closed chemical/steel sites; construction range "
        "(2009 study, IMF WP/21/131) ÷ 2–3 years (E)",
    ),
)

KIND_NAMES_EN = {
    "intercity_rail": "intercity rail section",
    "expressway_widening": "expressway widening",
    "port_channel": "port and channel works",
    "5g_network": "5G network phase",
    "data_centre": "data centre",
    "grid_upgrade": "grid upgrade",
    "renewables": "renewables project",
    "old_community": "old-community renovation batch",
    "industrial_renewal": "old industrial area renewal",
}

SAMPLE_MIP_GAP = 0.005
SAMPLE_COUNT = 240

# What fits the money: candidates cost about 2.5 times what the budgets and quotas fund.
OVERSUBSCRIPTION = 2.5


def _regions(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    revenue_total = sum(c[5] for c in CITIES)
    for name, zh, lat, lon, pop, revenue, displaced in CITIES:
        # General budget expenditure (E): revenue plus transfers that favour populous,
        # poorer cities; roughly 1.1–1.9 × revenue as in the province's own ratio (13,700/9,059).
        expenditure = round(revenue * 1.1 + pop * 0.55, 0)
        rows.append(
            dict(
                region=name,
                name_zh=zh,
                lat=lat,
                lon=lon,
                displaced_workers=float(displaced),
                general_budget_expenditure=float(expenditure),
                existing_ppp_payments=round(expenditure * EXISTING_PPP_SHARE[name], 1),
                debt_headroom=round(
                    HORIZON_HEADROOM
                    * PROJECTS_SHARE_OF_HEADROOM
                    * revenue
                    / revenue_total
                    * rng.uniform(0.85, 1.15),
                    1,
                ),
            )
        )
    return pd.DataFrame(rows)


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
        budget, bond, private = (max(0.0, s + rng.normal(0, 0.05)) for s in kind["finance"])
        total = budget + bond + private
        budget, bond = round(budget / total, 3), round(bond / total, 3)
        private = round(1 - budget - bond, 3)
        government_pay = kind["ppp"] and private > 0.05 and rng.random() < 0.6
        # Availability payment (E): the private part repaid over ~15 years with a return.
        payment = round(capex * private * rng.uniform(0.07, 0.10), 2) if government_pay else 0.0
        operating = 0.0
        if kind["kind"] == "intercity_rail":
            operating = round(capex / 1.7 * rng.uniform(1.5, 3.0))  # staff per km (E)
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
                jobs_per_yi=round(float(rng.uniform(*kind["jobs"])), 1),
                operating_jobs=operating,
                skill_match=round(float(rng.uniform(*kind["skill"])), 2),
                mandatory=False,
                excluded=False,
                exclusive_group="",
                requires="",
                lat=round(city["lat"] + rng.normal(0, 0.08), 4),
                lon=round(city["lon"] + rng.normal(0, 0.08), 4),
                source=kind["source"],
                kind=kind["kind"],
            )
        )
    return pd.DataFrame(rows)


def _add_structure(rng: np.random.Generator, projects: pd.DataFrame) -> pd.DataFrame:
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
        variant["jobs_per_yi"] = round(variant["jobs_per_yi"] * 0.95, 1)
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
    # Mandatory: continuing works the province has already committed to (user-pay PPP, so
    # they add no government payments).
    for at in rng.choice(
        rail.difference(projects.index[projects["requires"] != ""]), size=2, replace=False
    ):
        projects.at[at, "mandatory"] = True
        projects.at[at, "earliest_start"] = None
        projects.at[at, "ppp_annual_payment"] = 0.0
    old = projects.index[(projects["kind"] == "old_community") & (projects["requires"] == "")]
    for at in rng.choice(old, size=2, replace=False):
        projects.at[at, "mandatory"] = True
        projects.at[at, "earliest_start"] = None
    # Excluded: one scheme stopped by an environmental review (Taihu protection zone).
    taihu = projects.index[(projects["region"] == "Wuxi") & (projects["kind"] == "port_channel")]
    if len(taihu):
        projects.at[taihu[0], "excluded"] = True
    return projects


def _years(projects: pd.DataFrame) -> pd.DataFrame:
    # Money the candidates would need per year if each started as early as it may, divided by
    # the oversubscription factor: the budgets bind and choices matter.
    need_budget = (projects["capex"] * projects["budget_share"]).sum()
    need_bond = (projects["capex"] * projects["bond_share"]).sum()
    ramp = np.array([0.85, 0.95, 1.05, 1.1, 1.05])  # counter-cyclical push peaks mid-plan
    per_year = 1 / len(YEARS) / OVERSUBSCRIPTION
    return pd.DataFrame(
        dict(
            year=list(YEARS),
            fiscal_budget=np.round(need_budget * per_year * ramp, 0),
            bond_quota=np.round(need_bond * per_year * ramp, 0),
        )
    )


def build_sample(seed: int = SEED, count: int = SAMPLE_COUNT) -> PlanningData:
    """The Jiangsu sample as validated-shape tables (what `projects.xlsx` holds)."""
    rng = np.random.default_rng(seed)
    regions = _regions(rng)
    if count != SAMPLE_COUNT:
        # A synthetic portfolio of another size: the cities' debt room and displaced workers
        # grow with it, so the problem keeps the sample's shape (for benchmarks).
        scale = count / SAMPLE_COUNT
        regions["debt_headroom"] = (regions["debt_headroom"] * scale).round(1)
        regions["displaced_workers"] = (regions["displaced_workers"] * scale).round(0)
    projects = _add_structure(rng, _projects(rng, regions, count))
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
    projects = projects.drop(columns=["kind"])
    projects["earliest_start"] = projects["earliest_start"].astype("Int64")
    projects["latest_start"] = projects["latest_start"].astype("Int64")
    return PlanningData(
        projects=projects,
        regions=regions,
        years=years,
        sectors=sectors,
        settings=settings,
        source_name="sample",
    )
