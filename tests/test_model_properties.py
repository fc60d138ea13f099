"""The model against brute force, against CBC, under a time limit, and its scenario."""

from __future__ import annotations

import itertools
import math

import pytest
from helpers import planning_data, sample_subset
from hypothesis import given
from hypothesis import strategies as st

import optimizer
from optimizer import InfeasibleError, Scenario, Status, solve
from optimizer.matching import KEEP_TOLERANCE

YEARS = [2021, 2022, 2023]
# B's centre is 0.3° north of A's, about 33 km: within reach at commute_km 60, not at 0.
B_LAT = 32.3
GBE = 100.0  # every region's general budget expenditure (the helper's default)


@st.composite
def small_problems(draw):
    count = draw(st.integers(1, 5))
    projects = []
    for k in range(count):
        private = draw(st.sampled_from([0.0, 0.0, 0.2]))
        projects.append(
            dict(
                project_id=f"P{k}",
                region=draw(st.sampled_from(["A", "B"])),
                sector=draw(st.sampled_from(["transport", "energy"])),
                capex=float(draw(st.integers(1, 20))),
                duration_years=draw(st.integers(1, 2)),
                earliest_start=draw(st.sampled_from([None, None, 2022])),
                jobs_per_yi=float(draw(st.integers(0, 30))),
                operating_jobs=float(draw(st.sampled_from([0, 0, 20, 50]))),
                skill_match=draw(st.sampled_from([0.5, 1.0])),
                budget_share=0.5,
                bond_share=0.5 - private,
                private_share=private,
                ppp_annual_payment=float(draw(st.sampled_from([0, 0, 1, 3]))),
                ppp_mechanism=draw(st.sampled_from(["", "government_pay", "user_pay"])),
                exclusive_group=draw(st.sampled_from(["", "", "G"])),
            )
        )
    years = [(y, float(draw(st.integers(0, 25))), float(draw(st.integers(0, 25)))) for y in YEARS]
    regions = [
        dict(
            region=name,
            lat=lat,
            displaced_workers=0.0,
            existing_ppp_payments=float(draw(st.sampled_from([0, 4, 7, 12]))),
            debt_headroom=float(draw(st.integers(0, 40))),
            baseline_reemployment_rate=draw(st.sampled_from([None, 0.3])),
        )
        for name, lat in (("A", 32.0), ("B", B_LAT))
    ]
    schedule = []
    if draw(st.booleans()):  # when the workers lose their jobs (2020: before the horizon)
        for r in regions:
            for y in [2020, *YEARS]:
                workers = float(draw(st.sampled_from([0, 0, 50, 150, 400])))
                if workers:
                    schedule.append((r["region"], y, workers))
                    r["displaced_workers"] += workers
    else:  # no displacement sheet: all laid off the year before the first
        for r in regions:
            r["displaced_workers"] = float(draw(st.integers(0, 400)))
    max_energy = draw(st.sampled_from([1.0, 0.5]))
    return planning_data(
        projects,
        regions,
        years,
        sectors={"energy": (0.0, max_energy)},
        displacement=schedule,
        v3=True,
        commute_km=draw(st.sampled_from([0.0, 60.0])),
        discount_rate=draw(st.sampled_from([0.0, 0.1])),
        other_jobs_weight=0.1,
        layoff_year_exposure=draw(st.sampled_from([0.5, 1.0])),
        baseline_reemployment_rate=draw(st.sampled_from([0.0, 0.2])),
        ppp_user_pay_only_from=draw(st.sampled_from([math.inf, 2022.0])),
    )


def exposure_by_hand(data: optimizer.PlanningData) -> dict[tuple[str, int], float]:
    """{(region, year): D_e(t)} of model.md: a worker laid off in s counts
    layoff_year_exposure in s (a planning year) and (1 − h)^(t − s) in each later year t.
    Without a displacement sheet the displaced_workers are laid off the year before the
    first planning year."""
    schedule = data.displacement
    s = data.settings
    first = data.planning_years[0]
    out = {}
    for reg in data.regions.itertuples(index=False):
        rate = reg.baseline_reemployment_rate
        h = s["baseline_reemployment_rate"] if rate is None or rate != rate else rate
        if len(schedule):
            mine = schedule[schedule["region"] == reg.region]
            layoffs = list(zip(mine["year"], mine["workers"], strict=True))
        else:
            layoffs = [(first - 1, reg.displaced_workers)]
        for y in data.planning_years:
            out[reg.region, y] = sum(
                n * (s["layoff_year_exposure"] if year == y else (1 - h) ** (y - year))
                for year, n in layoffs
                if year <= y
            )
    return out


def evaluate_by_hand(
    data: optimizer.PlanningData,
    starts: dict[int, int],
    stock: dict[tuple[str, int], float] | None = None,
) -> tuple[float, float] | None:
    """(objective, worker-years) of a portfolio {position: start year}, written from the
    spec (version 3, no training and fixed layoff years) without the optimizer's code; None
    when the portfolio breaks a limit or a rule. With two regions the matching needs no
    solver: each year, if A and B reach each other every worker can take every job, so
    re-employed = min(all exposure, all open jobs); otherwise each region re-employs
    min(its exposure, its open jobs). The objective is the maximised form
    Σ w(t)·(re-employed − exposure + other_jobs_weight × jobs)."""
    p = data.projects.to_dict("records")
    chosen = [p[i] | {"start": t} for i, t in starts.items()]
    stock = stock if stock is not None else exposure_by_hand(data)
    regions = list(data.regions["region"])
    s = data.settings
    tol = 1e-9
    years = data.planning_years

    def is_ppp(q: dict) -> bool:
        return q["private_share"] > 0 or q["ppp_annual_payment"] > 0

    def mechanism(q: dict) -> str:
        return q["ppp_mechanism"] or (
            "viability_gap" if q["ppp_annual_payment"] > 0 else "user_pay"
        )

    # Rule 7: from ppp_user_pay_only_from a PPP starts only as user-pay with no payment.
    for q in chosen:
        pure = mechanism(q) == "user_pay" and q["ppp_annual_payment"] == 0
        if is_ppp(q) and q["start"] >= s["ppp_user_pay_only_from"] and not pure:
            return None
    # Limits that do not depend on the year.
    groups = [q["exclusive_group"] for q in chosen if q["exclusive_group"]]
    if len(groups) != len(set(groups)):
        return None
    total = sum(q["capex"] for q in chosen)
    energy = sum(q["capex"] for q in chosen if q["sector"] == "energy")
    if energy > data.sectors.set_index("sector").at["energy", "max_share"] * total + tol:
        return None
    for reg in data.regions.itertuples(index=False):
        mine = [q for q in chosen if q["region"] == reg.region]
        if sum(q["bond_share"] * q["capex"] for q in mine) > reg.debt_headroom + tol:
            return None
        ppp = [q for q in mine if is_ppp(q)]
        line = s["ppp_cap_share"] * GBE
        existing = reg.existing_ppp_payments
        if ppp and existing > line + tol:  # 5c: above the line, no new PPP at all
            return None
        # The city's PPP responsibilities each planning year (5a) and after the horizon (5b).
        totals = []
        for y in years:
            total_y = existing
            for q in ppp:
                t, d = q["start"], int(q["duration_years"])
                if t <= y <= t + d - 1:
                    total_y += q["budget_share"] * q["capex"] / d
                elif y >= t + d:
                    total_y += q["ppp_annual_payment"]
            totals.append(total_y)
        totals.append(existing + sum(q["ppp_annual_payment"] for q in ppp))
        if ppp and max(totals) > line + tol:
            return None
        # 6: with a government-pay PPP the whole ratio stays within the 5 % line.
        paid_by_government = any(mechanism(q) == "government_pay" for q in ppp)
        if paid_by_government and max(totals) > s["ppp_government_pay_share"] * GBE + tol:
            return None
    # Year by year: money, jobs held, matching.
    objective = worker_years = 0.0
    first = years[0]
    for y, budget, quota in data.years[["year", "fiscal_budget", "bond_quota"]].itertuples(
        index=False
    ):
        spend = bonds = payments = jobs = 0.0
        open_jobs = dict.fromkeys(regions, 0.0)
        for q in chosen:
            t, d = q["start"], int(q["duration_years"])
            if t <= y <= t + d - 1:  # a build year
                spend += q["budget_share"] * q["capex"] / d
                bonds += q["bond_share"] * q["capex"] / d
                held = q["capex"] * q["jobs_per_yi"]
            elif y >= t + d:  # an operating year: the PPP payment falls due
                payments += q["ppp_annual_payment"]
                held = q["operating_jobs"]
            else:
                held = 0.0
            jobs += held
            open_jobs[q["region"]] += q["skill_match"] * held
        if spend + payments > budget + tol or bonds > quota + tol:
            return None
        if s["commute_km"] >= 34:  # A and B within reach of each other
            reemployed = min(sum(stock[r, y] for r in regions), sum(open_jobs.values()))
        else:
            reemployed = sum(min(stock[r, y], open_jobs[r]) for r in regions)
        exposure = sum(stock[r, y] for r in regions)
        weight = (1 + s["discount_rate"]) ** -(y - first)
        objective += weight * (reemployed - exposure + s["other_jobs_weight"] * jobs)
        worker_years += reemployed
    return objective, worker_years


def brute_force(data: optimizer.PlanningData) -> float:
    """Best objective over every assignment of a start year (or none) to every project."""
    p = data.projects
    years = data.planning_years
    options = [
        [None] + [t for t in years if early <= t and t + d - 1 <= years[-1]]
        for d, early in zip(p["duration_years"], p["earliest_start"], strict=True)
    ]
    stock = exposure_by_hand(data)
    best = -math.inf
    for choice in itertools.product(*options):
        starts = {i: t for i, t in enumerate(choice) if t is not None}
        value = evaluate_by_hand(data, starts, stock)
        if value is not None:
            best = max(best, value[0])
    return best


@given(small_problems())  # as many examples as the profile asks (conftest)
def test_optimum_equals_brute_force(data: optimizer.PlanningData) -> None:
    s = solve(data)
    assert s.status is Status.OPTIMAL
    # A solution's figures come from the home-first matching, which keeps the worker-years
    # to within optimizer.matching.KEEP_TOLERANCE (1e-9, relative) of their optimum and may
    # use that room to save kilometres: compare to 1e-8, far below any portfolio difference
    # here (undiscounted, every figure is a multiple of 0.05; the discount is at most 1.1²).
    tolerance = dict(rel=10 * KEEP_TOLERANCE, abs=1e-6)
    assert s.objective == pytest.approx(brute_force(data), **tolerance)
    # The solver's own portfolio, evaluated by hand, is within every limit and its figures
    # are the solution's.
    position = {pid: i for i, pid in enumerate(data.projects["project_id"])}
    mine = evaluate_by_hand(data, {position[pid]: t for pid, t in s.chosen_starts.items()})
    assert mine is not None
    assert mine[0] == pytest.approx(s.objective, **tolerance)
    assert mine[1] == pytest.approx(s.worker_years, **tolerance)
    assert s.worker_years == pytest.approx(s.by_year["reemployed"].sum(), abs=1e-6)


def test_highs_and_cbc_agree_on_the_sample(
    sample: optimizer.PlanningData, sample_solution: optimizer.Solution
) -> None:
    highs = sample_solution  # the sample solved with its own settings, as solve(sample)
    cbc = solve(sample, Scenario(solver="cbc", time_limit_s=60))
    assert highs.status is Status.OPTIMAL
    assert cbc.status in ("optimal", "time_limit")
    # Each solver's gap is relative to the objective it works on (gap_base), not to the
    # reported one, which also subtracts the constant exposure.
    tolerance = sample.settings["mip_gap"] * (highs.gap_base + cbc.gap_base)
    assert cbc.objective == pytest.approx(highs.objective, abs=tolerance)
    assert cbc.solver == "cbc"


def test_highs_and_cbc_agree_exactly_on_a_small_problem(sample: optimizer.PlanningData) -> None:
    data = sample_subset(sample)
    highs, cbc = solve(data), solve(data, Scenario(solver="cbc"))
    assert cbc.status == highs.status is Status.OPTIMAL
    assert cbc.objective == pytest.approx(highs.objective, rel=1e-6)


def test_a_time_limited_solve_says_so_with_its_gap(sample: optimizer.PlanningData) -> None:
    s = solve(sample, Scenario(mip_gap=0.0, time_limit_s=0.5))
    assert s.status is Status.TIME_LIMIT
    assert s.gap is not None
    assert s.gap > 0
    assert s.bound >= s.objective
    assert len(s.chosen) > 0


def test_the_sample_solves_to_its_proven_gap(
    sample: optimizer.PlanningData, sample_solution: optimizer.Solution
) -> None:
    s = sample_solution  # solve(sample), once for the session
    assert s.status is Status.OPTIMAL
    assert s.gap <= sample.settings["mip_gap"]
    # Nobody is re-employed before being displaced, nor more than the stock in any year.
    assert s.worker_years <= s.reemployment["displaced_worker_years"].sum() + 1e-6
    by_year = s.by_year.set_index("year")
    assert (by_year["reemployed"] <= by_year["displaced_stock"] + 1e-6).all()
    assert (by_year["reemployed"] <= by_year["open_jobs"] + 1e-6).all()
    assert s.worker_years == pytest.approx(by_year["reemployed"].sum())
    assert (by_year["budget_spend"] <= by_year["fiscal_budget"] + 1e-6).all()
    assert (by_year["bond_spend"] <= by_year["bond_quota"] + 1e-6).all()
    regions = s.by_region
    assert (regions["debt_used"] <= regions["debt_headroom"] + 1e-6).all()
    assert set(sample.projects.loc[sample.projects["mandatory"], "project_id"]) <= set(
        s.chosen["project_id"]
    )
    assert not set(sample.projects.loc[sample.projects["excluded"], "project_id"]) & set(
        s.chosen["project_id"]
    )
    # The same scenario, stored with the solution, reproduces the portfolio.
    again = solve(sample, Scenario.from_json(s.scenario.to_json()))
    assert again.chosen_starts == s.chosen_starts


def test_greedy_baseline_never_beats_the_optimum(sample: optimizer.PlanningData) -> None:
    loose = Scenario(
        sector_min_share={s: 0.0 for s in ("transport", "telecom", "energy", "urban_renewal")},
        sector_max_share={s: 1.0 for s in ("transport", "telecom", "energy", "urban_renewal")},
    )
    best = solve(sample, loose)
    greedy = optimizer.greedy_portfolio(sample, loose)
    assert greedy.objective <= best.objective / (1 - sample.settings["mip_gap"])
    assert greedy.method == "greedy"
    assert set(sample.projects.loc[sample.projects["mandatory"], "project_id"]) <= set(
        greedy.chosen["project_id"]
    )


def test_infeasible_sample_scenario_is_explained(sample: optimizer.PlanningData) -> None:
    with pytest.raises(InfeasibleError) as caught:
        solve(sample, Scenario(fiscal_budget_scale=0.05))
    assert any(c.family == "fiscal_budget" for c in caught.value.conflicts)
    assert "亿元" in str(caught.value)


def test_scenario_round_trips_and_reads_assignments() -> None:
    scenario = Scenario(
        fiscal_budget={2022: 300},
        bond_quota_scale=1.1,
        forced_in=["P-1"],
        sector_min_share={"energy": 0.1},
        name="stress",
    )
    assert Scenario.from_json(scenario.to_json()) == scenario
    assert Scenario.from_dict(scenario.to_dict()) == scenario
    assert hash(scenario) == hash(Scenario.from_json(scenario.to_json()))
    changed = scenario.with_assignments(
        ["fiscal_budget.2023=250", "commute_km=80", "forced_out=A,B", "solver=cbc"]
    )
    assert dict(changed.fiscal_budget) == {2022: 300.0, 2023: 250.0}
    assert (changed.commute_km, changed.forced_out, changed.solver) == (80.0, ("A", "B"), "cbc")
    with pytest.raises(optimizer.ScenarioError, match="unknown scenario key"):
        scenario.with_assignments(["budget=3"])
    with pytest.raises(optimizer.ScenarioError, match="not a number"):
        scenario.with_assignments(["commute_km=far"])
