"""The ranking planners use today: jobs per 亿元 of fiscal money, taken while limits hold.

`greedy_portfolio` exists for comparison, so the tool can show how much the optimisation adds.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from .instance import Instance, prepare
from .loader import PlanningData
from .scenario import Scenario
from .solution import Solution, evaluate
from .solver import SolverRun, Status


class _PppRules:
    """The PPP rules of model version 3 (docs/model.md 5, 6, 7) for a portfolio built one
    project at a time: a city above its 10 % line adds no PPP (5c); below it, existing
    commitments plus the chosen PPPs' build-year outlays and payments stay under the line in
    every planning year (5a, Instance.ppp_by_year) and once every chosen PPP pays (5b); a
    city with a government-pay PPP keeps that whole ratio under the 5 % line (6). Rule 7
    (user-pay only from ppp_user_pay_only_from) is already in each project's start years."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.existing = inst.data.regions["existing_ppp_payments"].to_numpy(float)
        self.line = np.array([inst.ppp_line[r] for r in inst.regions])
        self.pay_line = np.array([inst.government_pay_line[r] for r in inst.regions])
        self.yearly = np.zeros((len(inst.regions), len(inst.years)))  # new, city × year
        self.after = np.zeros(len(inst.regions))  # new payments once every PPP pays
        self.switched: set[int] = set()  # cities with a government-pay PPP (rule 6)
        self.ppp = inst.column("ppp")
        self.government_pay = inst.column("government_pay")
        self.payment = inst.column("ppp_payment")
        self.region_at = inst.column("region_at")

    def allow(self, i: int, t: int) -> bool:
        """Project i started in t keeps every PPP rule of its city."""
        if not self.ppp[i]:
            return True
        r = int(self.region_at[i])
        if self.inst.ppp_closed[self.inst.regions[r]]:
            return False
        yearly = self.existing[r] + self.yearly[r] + self.inst.ppp_by_year({i: t})[r]
        after = self.existing[r] + self.after[r] + float(self.payment[i])
        ceiling = (
            self.pay_line[r]
            if self.government_pay[i] or r in self.switched
            else self.line[r]
        )
        return bool(np.all(yearly <= ceiling + 1e-9) and after <= ceiling + 1e-9)

    def take(self, i: int, t: int) -> None:
        if not self.ppp[i]:
            return
        r = int(self.region_at[i])
        self.yearly[r] += self.inst.ppp_by_year({i: t})[r]
        self.after[r] += float(self.payment[i])
        if self.government_pay[i]:
            self.switched.add(r)


def greedy_starts(inst: Instance) -> dict[str, int]:
    """Mandatory projects first, then by job-years per 亿元 of fiscal money (budget share of
    capex; a project needing none ranks first), each at its earliest start that keeps the
    fiscal budget (with PPP payments once in service), bond quota, debt headroom, the PPP
    rules as the model has them (`_PppRules`), sector maxima, exclusive groups and
    prerequisites. Sector minima, coverage floors, PPP shares, training and the timing of
    layoffs are not chased: that is today's ranking."""
    f = inst.projects
    p = inst.data.projects
    years = list(inst.years)
    budget = np.array([inst.fiscal_budget[y] for y in years])
    quota = np.array([inst.bond_quota[y] for y in years])
    headroom = dict(inst.debt_headroom)
    ppp = _PppRules(inst)
    max_share = {s: hi for s, (_, hi) in inst.sector_shares.items()}
    total_capex_cap = sum(inst.fiscal_budget.values()) + sum(inst.bond_quota.values())  # see below
    job_years = (f["build_jobs"] * f["duration"]).to_numpy()

    def rank(i: int) -> tuple:
        fiscal = f.at[i, "budget_money"]
        per_fiscal = math.inf if fiscal <= 0 else job_years[i] / fiscal
        return (not f.at[i, "forced_in"], -per_fiscal, -job_years[i], f.at[i, "project_id"])

    used_budget, used_bond = np.zeros(len(years)), np.zeros(len(years))
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
        for t in f.at[i, "starts"]:
            if t < earliest or not ppp.allow(i, t):
                continue
            # Money used each year (Instance.money_by_year): budget with PPP payments, bonds.
            b, q = inst.money_by_year({i: t})
            if np.all(used_budget + b <= budget + 1e-9) and np.all(used_bond + q <= quota + 1e-9):
                used_budget += b
                used_bond += q
                chosen[row["project_id"]] = t
                headroom[region] -= f.at[i, "bond_money"]
                ppp.take(i, t)
                sector_capex[row["sector"]] = (
                    sector_capex.get(row["sector"], 0.0) + f.at[i, "capex"]
                )
                if group:
                    groups_taken.add(group)
                break
    return chosen


def greedy_portfolio(data: PlanningData | Instance, scenario: Scenario | None = None) -> Solution:
    """The greedy ranking's portfolio, reported like an optimised one.

    Its re-employment is the best home-first matching of its jobs to displaced workers, so
    the comparison with `solve` is about the choice of projects and start years alone.
    `meets_mix` says whether it met the sector shares, which a ranking does not aim for;
    `method` is "greedy".
    """
    inst = data if isinstance(data, Instance) else prepare(data, scenario)
    started = time.perf_counter()
    starts = greedy_starts(inst)
    at = {pid: i for i, pid in enumerate(inst.projects["project_id"])}
    run = SolverRun(Status.OPTIMAL, None, None, None, "greedy", "ranking", 0.0)
    solution = evaluate(
        inst, {at[pid]: t for pid, t in starts.items()}, run, time.perf_counter() - started
    )
    shares = solution.by_sector
    low = [lo for lo, _ in inst.sector_shares.values()]
    high = [hi for _, hi in inst.sector_shares.values()]
    meets_mix = bool(
        (
            (shares["share"] >= [x - 1e-9 for x in low])
            & (shares["share"] <= [x + 1e-9 for x in high])
        ).all()
    )
    return dataclasses.replace(solution, method="greedy", meets_mix=meets_mix)
