"""The model against brute force, against CBC, under a time limit, and its scenario."""

from __future__ import annotations

import itertools

import pytest
from helpers import planning_data, sample_subset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import optimizer
from optimizer import InfeasibleError, Scenario, solve

YEARS = [(2021, 0.0, 0.0), (2022, 0.0, 0.0)]


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
                jobs_per_yi=float(draw(st.integers(0, 30))),
                skill_match=draw(st.sampled_from([0.5, 1.0])),
                budget_share=0.5,
                bond_share=0.5,
                private_share=0.0,
                exclusive_group=draw(st.sampled_from(["", "", "G"])),
            )
        )
    budget = [float(draw(st.integers(0, 25))) for _ in YEARS]
    quota = [float(draw(st.integers(0, 25))) for _ in YEARS]
    years = [(y, b, q) for (y, _, _), b, q in zip(YEARS, budget, quota, strict=True)]
    regions = [
        dict(
            region="A",
            displaced_workers=float(draw(st.integers(0, 400))),
            debt_headroom=float(draw(st.integers(0, 40))),
        ),
        dict(
            region="B",
            lat=40.0,
            displaced_workers=float(draw(st.integers(0, 400))),
            debt_headroom=float(draw(st.integers(0, 40))),
        ),
    ]
    max_energy = draw(st.sampled_from([1.0, 0.5]))
    return planning_data(
        projects,
        regions,
        years,
        sectors={"energy": (0.0, max_energy)},
        commute_km=0.0,
        other_jobs_weight=0.1,
    )


def brute_force(data: optimizer.PlanningData) -> float:
    """Best objective over every assignment of start years (or none) to every project."""
    p = data.projects
    years = data.planning_years
    options = [[None] + [t for t in years if t + d - 1 <= years[-1]] for d in p["duration_years"]]
    budget = dict(zip(years, data.years["fiscal_budget"], strict=True))
    quota = dict(zip(years, data.years["bond_quota"], strict=True))
    headroom = dict(zip(data.regions["region"], data.regions["debt_headroom"], strict=True))
    displaced = dict(zip(data.regions["region"], data.regions["displaced_workers"], strict=True))
    max_energy = data.sectors.set_index("sector").at["energy", "max_share"]
    best = 0.0
    for starts in itertools.product(*options):
        taken = [i for i, t in enumerate(starts) if t is not None]
        groups = [p.at[i, "exclusive_group"] for i in taken if p.at[i, "exclusive_group"]]
        if len(groups) != len(set(groups)):
            continue
        ok = True
        for y in years:
            spend = sum(
                p.at[i, "capex"] / p.at[i, "duration_years"]
                for i in taken
                if starts[i] <= y <= starts[i] + p.at[i, "duration_years"] - 1
            )
            ok &= 0.5 * spend <= budget[y] + 1e-9 and 0.5 * spend <= quota[y] + 1e-9
        for r in headroom:
            ok &= (
                sum(0.5 * p.at[i, "capex"] for i in taken if p.at[i, "region"] == r)
                <= headroom[r] + 1e-9
            )
        total = sum(p.at[i, "capex"] for i in taken)
        energy = sum(p.at[i, "capex"] for i in taken if p.at[i, "sector"] == "energy")
        ok &= energy <= max_energy * total + 1e-9
        if not ok:
            continue
        jobs = {i: p.at[i, "capex"] * p.at[i, "jobs_per_yi"] for i in taken}
        reemployed = sum(
            min(
                displaced[r],
                sum(jobs[i] * p.at[i, "skill_match"] for i in taken if p.at[i, "region"] == r),
            )
            for r in displaced
        )
        best = max(best, reemployed + 0.1 * sum(jobs.values()))
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_optimum_equals_brute_force(data: optimizer.PlanningData) -> None:
    s = solve(data)
    assert s.status == "optimal"
    assert s.objective == pytest.approx(brute_force(data), abs=1e-6)


def test_highs_and_cbc_agree_on_the_sample(sample: optimizer.PlanningData) -> None:
    highs = solve(sample)
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
    assert s.extra["bound"] >= s.objective
    assert len(s.chosen) > 0


def test_the_sample_solves_to_its_proven_gap(sample: optimizer.PlanningData) -> None:
    s = solve(sample)
    assert s.status == "optimal"
    assert s.gap <= sample.settings["mip_gap"]
    assert s.reemployed <= s.reemployment["displaced"].sum()
    by_year = s.by_year.set_index("year")
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
    assert greedy.extra["method"].startswith("greedy")
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
