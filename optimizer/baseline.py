"""The ranking planners use today: jobs per 亿元 of fiscal money, taken while limits hold.

`greedy_portfolio` exists for comparison, so the tool can show how much the optimisation adds.
"""

from __future__ import annotations

import math
import time

from .loader import PlanningData
from .model import build_model, project_figures
from .scenario import Scenario
from .solution import Solution
from .solve import read_solution, run_solver


def greedy_starts(data: PlanningData, scenario: Scenario) -> dict[str, int]:
    """Mandatory projects first, then by jobs per 亿元 of fiscal money (budget share of
    capex; a project needing none ranks first), each at its earliest start that keeps the
    fiscal budget, bond quota, debt headroom, PPP line, sector maxima, exclusive groups and
    prerequisites. Sector minima, coverage floors and PPP shares are not chased."""
    sc = scenario.resolved(data)
    f = project_figures(data, sc)
    p = data.projects
    years = data.planning_years
    budget = sc.fiscal_budget_by_year(data)
    quota = sc.bond_quota_by_year(data)
    headroom = sc.debt_headroom_by_region(data)
    ppp_room = sc.ppp_room_by_region(data)
    max_share = {s: hi for s, (_, hi) in sc.sector_shares(data).items()}
    total_capex_cap = sum(budget.values()) + sum(quota.values())  # for sector maxima, see below

    def rank(i: int) -> tuple:
        fiscal = f.at[i, "budget_money"]
        per_fiscal = math.inf if fiscal <= 0 else f.at[i, "jobs"] / fiscal
        return (not f.at[i, "forced_in"], -per_fiscal, -f.at[i, "jobs"], f.at[i, "project_id"])

    used_budget = dict.fromkeys(years, 0.0)
    used_bond = dict.fromkeys(years, 0.0)
    sector_capex: dict[str, float] = {}
    groups_taken: set[str] = set()
    chosen: dict[str, int] = {}
    for i in sorted(range(len(f)), key=rank):
        row = p.iloc[i]
        if f.at[i, "forced_out"] or not f.at[i, "starts"]:
            continue
        group = row["exclusive_group"]
        if group and group in groups_taken:
            continue
        region = row["region"]
        if f.at[i, "bond_money"] > headroom[region] + 1e-9:
            continue
        if f.at[i, "ppp_payment"] > ppp_room[region] + 1e-9:
            continue
        # A sector's maximum share is checked against what the money could fund at most.
        if (
            sector_capex.get(row["sector"], 0.0) + f.at[i, "capex"]
            > max_share[row["sector"]] * total_capex_cap
        ):
            continue
        need = row["requires"]
        if need and need not in chosen:
            continue
        earliest = chosen.get(need, years[0]) if need else years[0]
        d = int(f.at[i, "duration"])
        for t in f.at[i, "starts"]:
            if t < earliest:
                continue
            span = range(t, t + d)
            b, q = f.at[i, "budget_money"] / d, f.at[i, "bond_money"] / d
            if all(
                used_budget[y] + b <= budget[y] + 1e-9 and used_bond[y] + q <= quota[y] + 1e-9
                for y in span
            ):
                for y in span:
                    used_budget[y] += b
                    used_bond[y] += q
                chosen[row["project_id"]] = t
                headroom[region] -= f.at[i, "bond_money"]
                ppp_room[region] -= f.at[i, "ppp_payment"]
                sector_capex[row["sector"]] = (
                    sector_capex.get(row["sector"], 0.0) + f.at[i, "capex"]
                )
                if group:
                    groups_taken.add(group)
                break
    return chosen


def greedy_portfolio(data: PlanningData, scenario: Scenario | None = None) -> Solution:
    """The greedy ranking's portfolio, reported like an optimised one.

    Its re-employment is the best matching of its jobs to displaced workers (a small LP), so
    the comparison with `solve` is about the choice of projects alone. Sector minima, the
    social-capital share and coverage floors are dropped for the evaluation, since a ranking
    does not aim for them; `extra['meets_mix']` says whether it met them anyway.
    """
    sc = (scenario or Scenario()).resolved(data)
    started = time.perf_counter()
    starts = greedy_starts(data, sc)
    loose = sc.replace(
        sector_min_share={s: 0.0 for s, _ in sc.sector_min_share},
        sector_max_share={s: 1.0 for s, _ in sc.sector_max_share},
        ppp_min_share=0.0,
        min_coverage_share=0.0,
    )
    model = build_model(data, loose, fixed_starts=starts)
    build_seconds = time.perf_counter() - started
    solution = read_solution(model, run_solver(model), build_seconds)
    shares = solution.by_sector
    meets_mix = bool(
        (
            (shares["share"] >= [lo - 1e-9 for _, lo in sc.sector_min_share])
            & (shares["share"] <= [hi + 1e-9 for _, hi in sc.sector_max_share])
        ).all()
    )
    solution.extra["meets_mix"] = meets_mix
    solution.extra["method"] = "greedy: jobs per 亿元 of fiscal money"
    return solution
