"""The selection model: tiny instances solved by hand, one per constraint family."""

from __future__ import annotations

from itertools import pairwise

import pytest
from helpers import SOLUTION_JSON_KEYS, planning_data, v2_objective

import optimizer
from optimizer import InfeasibleError, Scenario, Status, solve
from optimizer.present.labels import Labels


def words(error: InfeasibleError) -> str:
    """The diagnosis as the command line prints it (English words)."""
    return Labels("en").infeasible_text(error.conflicts)


def p(pid: str, **values) -> dict:
    """A one-year project in region A: capex 10, 10 jobs per 亿元 → 100 jobs, all open."""
    row = dict(project_id=pid, region="A", capex=10.0, jobs_per_yi=10.0)
    row.update(values)
    return row


ONE_REGION = [dict(region="A", displaced_workers=1e6)]
ONE_YEAR = [(2021, 100.0, 100.0)]


def chosen(solution: optimizer.Solution) -> set[str]:
    return set(solution.chosen["project_id"])


def test_fiscal_budget_picks_the_best_projects_that_fit() -> None:
    data = planning_data(
        [
            p("big", capex=60, jobs_per_yi=10),
            p("mid", capex=50, jobs_per_yi=11),
            p("small", capex=40, jobs_per_yi=12),
        ],
        ONE_REGION,
        [(2021, 100.0, 0.0)],
        other_jobs_weight=0.0,
    )
    s = solve(data)
    # 600, 550, 480 jobs: only two fit in 100; {big, small} = 1080 beats {mid, small} = 1030.
    assert chosen(s) == {"big", "small"}
    assert s.status is Status.OPTIMAL
    # One year, one-year projects: each job is held one year, so jobs = worker-years.
    assert s.worker_years == pytest.approx(1080)
    assert v2_objective(s) == pytest.approx(1080)
    row = s.limits.set_index(["family", "key"]).loc[("fiscal_budget", "2021")]
    assert (row["use"], row["limit"], bool(row["used_up"])) == (pytest.approx(100), 100, True)


def test_spending_is_spread_over_the_years_and_start_years_are_chosen() -> None:
    # Each project needs 10/year for two years; 15 a year funds one at a time. Both fit in
    # four years back to back (2021–22 and 2023–24).
    data = planning_data(
        [p("a", capex=20, duration_years=2), p("b", capex=20, duration_years=2, jobs_per_yi=11)],
        ONE_REGION,
        [(2021, 15.0, 0.0), (2022, 15.0, 0.0), (2023, 15.0, 0.0), (2024, 15.0, 0.0)],
    )
    s = solve(data)
    assert chosen(s) == {"a", "b"}
    starts = sorted(s.chosen_starts.values())
    assert starts[1] - starts[0] >= 2  # they never overlap
    assert s.by_year["budget_spend"].max() == pytest.approx(10)
    # a holds 200 jobs and b 220 in each of their two build years, all open, a million
    # displaced from 2021: 2·200 + 2·220 = 840 worker-years, plus 0.1 × 840 job-years.
    assert s.worker_years == pytest.approx(840)
    assert s.job_years == pytest.approx(840)
    assert v2_objective(s) == pytest.approx(840 * 1.1)
    assert s.chosen.set_index("project_id")["finish_year"].to_dict() == {
        pid: t + 1 for pid, t in s.chosen_starts.items()
    }


def test_bond_quota_and_debt_headroom() -> None:
    bonds = dict(budget_share=0.0, bond_share=1.0)
    data = planning_data(
        [p("a", **bonds), p("b", **bonds, jobs_per_yi=12), p("c", region="B", **bonds)],
        [
            dict(region="A", displaced_workers=1e6, debt_headroom=10.0),
            dict(region="B", lat=35.0, displaced_workers=1e6, debt_headroom=10.0),
        ],
        [(2021, 0.0, 20.0)],
    )
    # Quota 20 funds two; A's headroom 10 allows one of a, b: b (more jobs) and c.
    assert chosen(solve(data)) == {"b", "c"}
    s = solve(data, Scenario(debt_headroom_scale=2.0, bond_quota_scale=1.5))
    assert chosen(s) == {"a", "b", "c"}


def test_ppp_line_stops_new_payments_only() -> None:
    data = planning_data(
        [
            # All private money: no budget outlay while built (version 3's rule 5a).
            p("ppp", ppp_annual_payment=1.0, jobs_per_yi=20, budget_share=0.0, private_share=1.0),
            p("plain"),
        ],
        [
            dict(
                region="A",
                displaced_workers=1e6,
                general_budget_expenditure=100.0,
                existing_ppp_payments=10.5,
            )
        ],
        ONE_YEAR,
    )
    s = solve(data)
    assert chosen(s) == {"plain"}  # A is over the 10 % line: no new PPP, other projects go on
    assert s.by_region.at[0, "ppp_ratio"] == pytest.approx(0.105)
    assert s.not_chosen.set_index("project_id").at["ppp", "reason_code"] == "ppp_over_line"
    # 12 % of 100 leaves 1.5 of room: the payment of 1 (a viability-gap project) fits.
    assert chosen(solve(data, Scenario(ppp_cap_share=0.12))) == {"ppp", "plain"}


def test_sector_minimum_and_maximum_shares() -> None:
    projects = [
        p("road", capex=50, jobs_per_yi=20),
        p("road2", capex=50, jobs_per_yi=19),
        p("net", sector="telecom", capex=50, jobs_per_yi=5),
    ]
    data = planning_data(projects, ONE_REGION, ONE_YEAR, other_jobs_weight=0.0)
    assert chosen(solve(data)) == {"road", "road2"}
    s = solve(data, Scenario(sector_min_share={"telecom": 0.5}))
    assert chosen(s) == {"road", "net"}
    assert chosen(solve(data, Scenario(sector_max_share={"transport": 0.5}))) == {"road", "net"}


def test_social_capital_share_of_the_portfolio() -> None:
    projects = [
        p("public", capex=50, jobs_per_yi=20),
        p("public2", capex=50, jobs_per_yi=19),
        p("ppp", capex=50, jobs_per_yi=5, budget_share=0.2, private_share=0.8),
    ]
    data = planning_data(projects, ONE_REGION, ONE_YEAR, other_jobs_weight=0.0)
    assert chosen(solve(data, Scenario(ppp_min_share=0.3))) == {"public", "ppp"}
    assert "ppp" not in chosen(solve(data, Scenario(ppp_max_share=0.1)))


def test_exclusive_variants_and_prerequisites() -> None:
    data = planning_data(
        [
            p("big", exclusive_group="G", capex=30),
            p("small", exclusive_group="G", capex=20),
            p("station", requires="rail", jobs_per_yi=50),
            p("rail", earliest_start=2022, capex=5, jobs_per_yi=1),
        ],
        ONE_REGION,
        [(2021, 100.0, 0.0), (2022, 100.0, 0.0), (2023, 100.0, 0.0)],
    )
    s = solve(data)
    assert len(chosen(s) & {"big", "small"}) == 1
    assert {"station", "rail"} <= chosen(s)
    starts = s.chosen_starts
    assert starts["station"] >= starts["rail"] >= 2022
    # Without the rail section the station cannot be built.
    assert not {"station", "rail"} & chosen(solve(data, Scenario(forced_out=["rail"])))


def test_displaced_workers_cap_reemployment_and_commuting_reach() -> None:
    projects = [p("a1"), p("a2"), p("b1", region="B", jobs_per_yi=5)]
    regions = [
        dict(region="A", displaced_workers=150.0, lat=32.0, lon=119.0),
        dict(region="B", displaced_workers=0.0, lat=32.3, lon=119.0),
    ]  # ≈33 km apart
    data = planning_data(projects, regions, ONE_YEAR, other_jobs_weight=0.0)
    s = solve(data)
    assert s.worker_years == pytest.approx(150)  # piling jobs into A stops paying at 150
    near = planning_data(
        projects,
        [dict(regions[0], displaced_workers=0.0), dict(regions[1], displaced_workers=250.0)],
        ONE_YEAR,
        other_jobs_weight=0.0,
    )
    assert solve(near).worker_years == pytest.approx(250)  # B's workers commute to A
    assert solve(near, Scenario(commute_km=20)).worker_years == pytest.approx(50)
    flows = solve(near).flows
    assert set(flows["home_region"]) == {"B"}


def test_skill_match_and_other_jobs_weight() -> None:
    data = planning_data(
        [p("skilled", skill_match=1.0), p("unskilled", skill_match=0.2, jobs_per_yi=30)],
        [dict(region="A", displaced_workers=1e6)],
        [(2021, 10.0, 0.0)],
        other_jobs_weight=0.0,
    )
    assert chosen(solve(data)) == {"skilled"}  # 100 open jobs beat 60
    # Valuing every job at 0.5: 100 + 50 < 60 + 150
    assert chosen(solve(data, Scenario(other_jobs_weight=0.5))) == {"unskilled"}


def test_coverage_floor_spreads_jobs() -> None:
    projects = [p("a1", jobs_per_yi=20), p("a2", jobs_per_yi=15), p("b", region="B")]
    regions = [
        dict(region="A", displaced_workers=1000.0),
        dict(region="B", lat=35.0, displaced_workers=1000.0),
    ]
    data = planning_data(projects, regions, [(2021, 20.0, 0.0)])
    assert chosen(solve(data)) == {"a1", "a2"}
    s = solve(data, Scenario(min_coverage_share=0.05))
    assert chosen(s) == {"a1", "b"}
    assert s.reemployment.set_index("region").at["B", "coverage"] == pytest.approx(0.1)


def test_mandatory_excluded_and_forced_projects() -> None:
    data = planning_data(
        [
            p("must", mandatory=True, jobs_per_yi=1),
            p("never", excluded=True, jobs_per_yi=99),
            p("good", jobs_per_yi=10),
            p("better", jobs_per_yi=11),
        ],
        ONE_REGION,
        [(2021, 20.0, 0.0)],
    )
    s = solve(data)
    assert chosen(s) == {"must", "better"}
    reasons = s.not_chosen.set_index("project_id")
    assert reasons.at["never", "reason_code"] == "excluded"
    assert Labels("en").reason(reasons.at["never", "reason_code"]) == "excluded in the workbook"
    # must (10) and better (10) fill 2021's budget of 20: good fits no start year.
    assert reasons.at["good", "reason_code"] == "budget_used"
    assert chosen(solve(data, Scenario(forced_in=["good"], forced_out=["better"]))) == {
        "must",
        "good",
    }


@pytest.mark.parametrize(
    "ids", [["P-1", "P_1", "P+1", "P[1]", "P 1", "P>1", "P/1", "P#1", "项目一", "P->1"]]
)
def test_any_characters_in_project_ids(ids: list[str]) -> None:
    projects = [p(pid, jobs_per_yi=10 + k, capex=10) for k, pid in enumerate(ids)]
    data = planning_data(projects, ONE_REGION, [(2021, 50.0, 0.0)], other_jobs_weight=0.0)
    s = solve(data)
    assert chosen(s) == set(ids[-5:])  # the five with most jobs per 亿元
    assert {c["project_id"] for c in s.to_dict()["chosen"]} == set(ids[-5:])


def test_solution_reports_every_figure() -> None:
    data = planning_data(
        [
            p("a", budget_share=0.5, bond_share=0.3, private_share=0.2),
            p("b", region="B", sector="energy"),
        ],
        [
            dict(region="A", displaced_workers=80.0),
            dict(region="B", lat=36.0, displaced_workers=500.0),
        ],
        ONE_YEAR,
    )
    s = solve(data)
    core = s.to_dict()
    assert list(core) == SOLUTION_JSON_KEYS
    assert core["chosen"] == [
        {"project_id": "a", "start_year": 2021},
        {"project_id": "b", "start_year": 2021},
    ]
    # One year: a and b hold 100 jobs each; A re-employs its 80 and B (far) 100 of its 500.
    assert s.job_years == pytest.approx(200)
    assert s.worker_years == pytest.approx(180)
    assert v2_objective(s) == pytest.approx(180 + 0.1 * 200)
    assert (s.reemployed_peak, s.peak_year) == (pytest.approx(180), 2021)
    assert core["reemployed_by_year"] == {"2021": pytest.approx(180)}
    assert core["reemployed_by_region"] == {"A": pytest.approx(80), "B": pytest.approx(100)}
    assert list(s.reemployment["worker_years"]) == pytest.approx([80, 100])
    assert list(s.reemployment["coverage"]) == pytest.approx([1.0, 0.2])
    assert s.by_sector.set_index("sector").at["energy", "share"] == pytest.approx(0.5)
    assert s.by_region.set_index("region").at["A", "debt_used"] == pytest.approx(3)
    assert s.chosen.set_index("project_id").at["a", "worker_years"] == pytest.approx(80)
    assert s.headline()["private_money"] == pytest.approx(2)
    assert s.solver == "highs"
    assert s.solver_version.count(".") == 2
    assert len(s.fingerprint) == 64
    assert s.scenario.fiscal_budget == ((2021, 100.0),)  # resolved: reproducible alone


def test_more_budget_never_gives_fewer_jobs(sample: optimizer.PlanningData) -> None:
    # The sample's first 15 projects with 1 % to 12 % of its budgets, solved exactly: the money
    # decides what is built at every step (from 12 % on, all 11 that pay are built).
    small = sample.projects.head(15).assign(requires="", mandatory=False)
    data = planning_data(
        small.to_dict("records"),
        sample.regions.to_dict("records"),
        list(
            sample.years[["year", "fiscal_budget", "bond_quota"]].itertuples(index=False, name=None)
        ),
        mip_gap=0.0,
    )
    objectives = []
    previous = -1.0
    for scale in (0.01, 0.03, 0.06, 0.12):
        s = solve(data, Scenario(fiscal_budget_scale=scale, bond_quota_scale=scale))
        assert s.status is Status.OPTIMAL
        assert v2_objective(s) >= previous - 1e-6
        previous = v2_objective(s)
        objectives.append(previous)
    # The budget binds: each step buys more, so a model that lost money's worth would fail.
    assert all(after > before + 1 for before, after in pairwise(objectives))


def test_solve_without_a_scenario_uses_the_workbook_settings() -> None:
    data = planning_data([p("a")], ONE_REGION, ONE_YEAR, commute_km=12.0)
    assert solve(data).scenario.commute_km == 12.0


def test_infeasible_budget_names_the_year_and_amounts() -> None:
    data = planning_data(
        [p("must", mandatory=True, capex=81.2), p("other")], ONE_REGION, [(2021, 70.0, 0.0)]
    )
    with pytest.raises(InfeasibleError) as caught:
        solve(data)
    message = words(caught.value)
    assert "mandatory projects need 81.2 亿元 of fiscal budget in 2021; 70.0 亿元 is set" in message
    conflict = caught.value.conflicts[0]
    assert (conflict.family, conflict.key) == ("fiscal_budget", "2021")
    assert conflict.needed_value == pytest.approx(81.2)
    assert isinstance(caught.value, ValueError)


def test_infeasible_headroom_and_coverage_are_explained() -> None:
    bonds = dict(budget_share=0.0, bond_share=1.0, mandatory=True)
    data = planning_data(
        [p("m", **bonds)],
        [dict(region="A", displaced_workers=100.0, debt_headroom=4.0)],
        [(2021, 0.0, 100.0)],
    )
    with pytest.raises(InfeasibleError) as caught:
        solve(data)
    assert "A needs 10.0 亿元 of debt headroom; 4.0 亿元" in words(caught.value)
    floor = planning_data([p("a", capex=1)], [dict(region="A", displaced_workers=1000.0)], ONE_YEAR)
    with pytest.raises(InfeasibleError) as caught:
        solve(floor, Scenario(min_coverage_share=0.5))
    assert caught.value.conflicts[0].family == "coverage_floor"
    # Floor: 50 % of 1000 displaced × 1 year = 500 worker-years; capex 1 × 10 jobs, 1 year.
    assert "500 worker-years of its displaced workers must be re-employed" in words(caught.value)
    assert "at most 10 can be" in words(caught.value)


def test_sector_minimum_that_cannot_be_met_is_explained() -> None:
    data = planning_data(
        [p("road", capex=50), p("net", sector="telecom", capex=10)],
        ONE_REGION,
        [(2021, 50.0, 0.0)],
        other_jobs_weight=0.0,
    )
    with pytest.raises(InfeasibleError) as caught:
        solve(data, Scenario(forced_in=["road"], sector_min_share={"telecom": 0.5}))
    families = {c.family for c in caught.value.conflicts}
    assert families & {"fiscal_budget", "sector_min"}


@pytest.mark.parametrize(
    ("projects", "scenario", "fragment"),
    [
        (
            [p("late", mandatory=True, duration_years=3)],
            Scenario(),
            "cannot start and finish within 2021–2021",
        ),
        (
            [
                p("a", mandatory=True, exclusive_group="G"),
                p("b", mandatory=True, exclusive_group="G"),
            ],
            Scenario(),
            "variants of one scheme",
        ),
        (
            [p("a", mandatory=True, requires="b"), p("b", excluded=True)],
            Scenario(),
            "requires b (b), which cannot be chosen",
        ),
        ([p("a")], Scenario(sector_min_share={"energy": 0.2}), "no energy project can be chosen"),
        ([p("a")], Scenario(ppp_min_share=0.2), "set ppp_min_share to 0"),
    ],
)
def test_obvious_conflicts_are_named_before_solving(projects, scenario, fragment) -> None:
    data = planning_data(projects, ONE_REGION, ONE_YEAR)
    with pytest.raises(InfeasibleError) as caught:
        solve(data, scenario)
    assert fragment in words(caught.value)


def test_scenario_errors_name_the_problem() -> None:
    data = planning_data([p("a")], ONE_REGION, ONE_YEAR)
    with pytest.raises(optimizer.ScenarioError, match="no such project zz"):
        solve(data, Scenario(forced_in=["zz"]))
    with pytest.raises(optimizer.ScenarioError, match="2030 is not a planning year"):
        solve(data, Scenario(fiscal_budget={2030: 5}))
    with pytest.raises(optimizer.ScenarioError, match="ppp_cap_share must be between 0 and 1"):
        Scenario(ppp_cap_share=3)
    with pytest.raises(optimizer.ScenarioError, match="solver must be one of"):
        Scenario(solver="gurobi")
