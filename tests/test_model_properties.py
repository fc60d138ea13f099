"""The model against brute force, against CBC, under a time limit, and its scenario."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from helpers import planning_data, sample_subset
from hypothesis import given
from hypothesis import strategies as st

import optimizer
from optimizer import InfeasibleError, Scenario, solve
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
                bond_share=0.5,
                private_share=0.0,
                ppp_annual_payment=float(draw(st.sampled_from([0, 0, 1, 3]))),
                ppp_mechanism=draw(st.sampled_from(["", "government_pay"])),
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
        )
        for name, lat in (("A", 32.0), ("B", B_LAT))
    ]
    schedule = []
    if draw(st.booleans()):  # when the workers lose their jobs
        for r in regions:
            for y in YEARS:
                workers = float(draw(st.sampled_from([0, 0, 50, 150, 400])))
                if workers:
                    schedule.append((r["region"], y, workers))
                    r["displaced_workers"] += workers
    else:  # version 1's reading: all displaced from the first year
        for r in regions:
            r["displaced_workers"] = float(draw(st.integers(0, 400)))
    max_energy = draw(st.sampled_from([1.0, 0.5]))
    return planning_data(
        projects,
        regions,
        years,
        sectors={"energy": (0.0, max_energy)},
        displacement=schedule,
        commute_km=draw(st.sampled_from([0.0, 60.0])),
        discount_rate=draw(st.sampled_from([0.0, 0.1])),
        other_jobs_weight=0.1,
    )


def displaced_stock_by_hand(data: optimizer.PlanningData) -> dict[tuple[str, int], float]:
    """{(region, year): workers displaced by then}: the displacement rows summed up to the
    year, or without them every region's displaced_workers from the first year."""
    schedule = data.displacement
    out = {}
    for r, total in zip(data.regions["region"], data.regions["displaced_workers"], strict=True):
        for y in data.planning_years:
            if len(schedule):
                mine = schedule[(schedule["region"] == r) & (schedule["year"] <= y)]
                out[r, y] = float(mine["workers"].sum())
            else:
                out[r, y] = float(total)
    return out


@dataclass(frozen=True)
class Tables:
    """A problem's tables as plain Python values, read once for all its portfolios (read
    from pandas for each one, they took most of the brute force's time)."""

    projects: list[dict]
    regions: list  # (region, debt_headroom, existing_ppp_payments) named tuples
    years: list[tuple[int, float, float]]  # year, fiscal_budget, bond_quota
    max_energy: float
    stock: dict[tuple[str, int], float]

    @classmethod
    def of(cls, data: optimizer.PlanningData) -> Tables:
        regions = data.regions[["region", "debt_headroom", "existing_ppp_payments"]]
        return cls(
            projects=data.projects.to_dict("records"),
            regions=list(regions.itertuples(index=False)),
            years=list(
                data.years[["year", "fiscal_budget", "bond_quota"]].itertuples(
                    index=False, name=None
                )
            ),
            max_energy=data.sectors.set_index("sector").at["energy", "max_share"],
            stock=displaced_stock_by_hand(data),
        )


def evaluate_by_hand(
    data: optimizer.PlanningData, starts: dict[int, int], tables: Tables | None = None
) -> tuple[float, float] | None:
    """(objective, worker-years) of a portfolio {position: start year}, written from the
    spec without the optimizer's code; None when the portfolio breaks a limit. With two
    regions the matching needs no solver: each year, if A and B reach each other every
    worker can take every job, so re-employed = min(all stock, all open jobs); otherwise
    each region re-employs min(its stock, its open jobs)."""
    tables = tables or Tables.of(data)
    p = tables.projects
    chosen = [p[i] | {"start": t} for i, t in starts.items()]
    stock = tables.stock
    regions = [reg.region for reg in tables.regions]
    s = data.settings
    tol = 1e-9
    # Limits that do not depend on the year.
    groups = [q["exclusive_group"] for q in chosen if q["exclusive_group"]]
    if len(groups) != len(set(groups)):
        return None
    total = sum(q["capex"] for q in chosen)
    energy = sum(q["capex"] for q in chosen if q["sector"] == "energy")
    if energy > tables.max_energy * total + tol:
        return None
    for reg in tables.regions:
        mine = [q for q in chosen if q["region"] == reg.region]
        if sum(0.5 * q["capex"] for q in mine) > reg.debt_headroom + tol:
            return None
        payments = sum(q["ppp_annual_payment"] for q in mine)
        if payments > max(0.0, s["ppp_cap_share"] * GBE - reg.existing_ppp_payments) + tol:
            return None
        government_pay = sum(
            q["ppp_annual_payment"] for q in mine if q["ppp_mechanism"] == "government_pay"
        )
        line = s["ppp_government_pay_share"] * GBE
        if government_pay > max(0.0, line - reg.existing_ppp_payments) + tol:
            return None
    # Year by year: money, jobs held, matching.
    objective = worker_years = 0.0
    first = data.planning_years[0]
    for y, budget, quota in tables.years:
        spend = payments = jobs = 0.0
        open_jobs = dict.fromkeys(regions, 0.0)
        for q in chosen:
            t, d = q["start"], int(q["duration_years"])
            if t <= y <= t + d - 1:  # a build year
                spend += q["capex"] / d
                held = q["capex"] * q["jobs_per_yi"]
            elif y >= t + d:  # an operating year: the PPP payment falls due
                payments += q["ppp_annual_payment"]
                held = q["operating_jobs"]
            else:
                held = 0.0
            jobs += held
            open_jobs[q["region"]] += q["skill_match"] * held
        if 0.5 * spend + payments > budget + tol or 0.5 * spend > quota + tol:
            return None
        if s["commute_km"] >= 34:  # A and B within reach of each other
            reemployed = min(sum(stock[r, y] for r in regions), sum(open_jobs.values()))
        else:
            reemployed = sum(min(stock[r, y], open_jobs[r]) for r in regions)
        weight = (1 + s["discount_rate"]) ** -(y - first)
        objective += weight * (reemployed + s["other_jobs_weight"] * jobs)
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
    tables = Tables.of(data)
    best = 0.0
    for choice in itertools.product(*options):
        starts = {i: t for i, t in enumerate(choice) if t is not None}
        value = evaluate_by_hand(data, starts, tables)
        if value is not None:
            best = max(best, value[0])
    return best


# Examples, deadline and seed: the hypothesis profile (conftest; HYPOTHESIS_PROFILE=thorough
# for the nightly run).
@given(small_problems())
def test_optimum_equals_brute_force(data: optimizer.PlanningData) -> None:
    s = solve(data)
    assert s.status == "optimal"
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
    highs = sample_solution
    cbc = solve(sample, Scenario(solver="cbc", time_limit_s=60))
    assert highs.status == "optimal"
    assert cbc.status in ("optimal", "time_limit")
    tolerance = sample.settings["mip_gap"] * 2
    assert cbc.objective == pytest.approx(highs.objective, rel=tolerance)
    assert cbc.solver == "cbc"


def test_highs_and_cbc_agree_exactly_on_a_small_problem(sample: optimizer.PlanningData) -> None:
    data = sample_subset(sample)
    highs, cbc = solve(data), solve(data, Scenario(solver="cbc"))
    assert cbc.status == highs.status == "optimal"
    assert cbc.objective == pytest.approx(highs.objective, rel=1e-6)


def test_a_time_limited_solve_says_so_with_its_gap(sample: optimizer.PlanningData) -> None:
    s = solve(sample, Scenario(mip_gap=0.0, time_limit_s=0.5))
    assert s.status == "time_limit"
    assert s.gap is not None
    assert s.gap > 0
    assert s.bound >= s.objective
    assert len(s.chosen) > 0


def test_the_sample_solves_to_its_proven_gap(
    sample: optimizer.PlanningData, sample_solution: optimizer.Solution
) -> None:
    s = sample_solution
    assert s.status == "optimal"
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
