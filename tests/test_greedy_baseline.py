"""The greedy baseline keeps the PPP rules of model version 3 (docs/model.md 5, 6, 7): its
portfolio, written into the model's own variables, meets every limit row the ranking keeps.
The rows it does not chase (sector shares, the social-capital share, coverage floors) are
left out, as `greedy_starts` says."""

from __future__ import annotations

import pytest
from helpers import planning_data

import optimizer
from optimizer import Scenario, build_model, greedy_portfolio, prepare
from optimizer.baseline import greedy_starts

NOT_CHASED = {"sector_min", "sector_max", "ppp_share_min", "ppp_share_max", "coverage_floor"}
TWO_YEARS = [(2021, 100.0, 100.0), (2022, 100.0, 100.0)]


def broken_rows(inst: optimizer.Instance, starts: dict[str, int]) -> list[str]:
    """The model's limit rows a portfolio {project_id: start} breaks: each start variable set
    to the portfolio, each city's government-pay switch on when it holds a government-pay
    PPP, every other variable 0 (no workers, no training, layoffs as planned)."""
    model = build_model(inst)
    ids = inst.column("project_id")
    government_pay, region_at = inst.column("government_pay"), inst.column("region_at")
    switched = {
        int(region_at[i]) for i, pid in enumerate(ids) if pid in starts and government_pay[i]
    }
    for variable in model.problem.variables():
        variable.varValue = 0.0
    for i, options in enumerate(model.starts):
        for t, x in options:
            x.varValue = 1.0 if starts.get(ids[i]) == t else 0.0
        if model.chosen[i] is not None:  # y = Σ_t x
            model.chosen[i].varValue = 1.0 if ids[i] in starts else 0.0
    broken = []
    for lim in model.limits:
        if lim.family in NOT_CHASED:
            continue
        for variable, _ in lim.terms:
            if variable.name.startswith("v"):  # rule 6's switch v_r
                variable.varValue = 1.0 if int(variable.name[1:]) in switched else 0.0
        use = sum((v.varValue or 0.0) * c for v, c in lim.terms)
        over = use - lim.limit if lim.sense == "<=" else lim.limit - use
        if over > 1e-6 * max(1.0, abs(lim.limit)):
            broken.append(f"{lim.name}: {use:.4f} {lim.sense} {lim.limit:.4f}")
    return broken


def ppp(pid: str, city: str, **values) -> dict:
    """A one-year PPP, capex 10, many jobs per 亿元 so the ranking wants it first."""
    row = dict(
        project_id=pid,
        region=city,
        capex=10.0,
        jobs_per_yi=50.0,
        budget_share=0.0,
        bond_share=0.0,
        private_share=1.0,
    )
    row.update(values)
    return row


@pytest.fixture(scope="module")
def rules() -> optimizer.PlanningData:
    """Four cities spending 100 a year (10 % line 10, 5 % line 5), each with a PPP that
    version 2's room would have let in and version 3's rules keep out, and one that fits."""
    projects = [
        # 5c: C is above its line (10.5): no new PPP, even user-pay with no payment.
        ppp("C-USER", "C", ppp_mechanism="user_pay"),
        # 5a: D has 8 committed; 60 % of a capex of 10 from the budget is 6 in its build
        # year (14 > 10), though its payment of 1 fits the room of 2.
        ppp("D-OUTLAY", "D", ppp_annual_payment=1.0, budget_share=0.6, private_share=0.4),
        # 6: G has 4 committed and a viability-gap PPP paying 0.8 (4.8 ≤ 5); a
        # government-pay PPP paying 0.5 would take the whole ratio to 5.3 > 5, though its own
        # payments (0.5) are far under the 5 % line.
        ppp("G-GAP", "G", ppp_annual_payment=0.8, jobs_per_yi=60.0),
        ppp("G-PAY", "G", ppp_annual_payment=0.5, ppp_mechanism="government_pay"),
        # 7: a viability-gap PPP may start in 2021 but not from 2022 (user-pay only).
        ppp("U-GAP", "U", ppp_annual_payment=0.5, earliest_start=2022),
        # Fits every rule: a user-pay PPP in U.
        ppp("U-USER", "U", ppp_mechanism="user_pay", jobs_per_yi=10.0),
    ]
    cities = [
        dict(region=name, displaced_workers=1e5, existing_ppp_payments=existing)
        for name, existing in (("C", 10.5), ("D", 8.0), ("G", 4.0), ("U", 0.0))
    ]
    return planning_data(projects, cities, TWO_YEARS, v3=True, ppp_user_pay_only_from=2022)


def test_the_greedy_ranking_keeps_version_3s_ppp_rules(rules: optimizer.PlanningData) -> None:
    inst = prepare(rules)
    starts = greedy_starts(inst)
    assert starts == {"G-GAP": 2021, "U-USER": 2021}
    assert broken_rows(inst, starts) == []
    # Each project kept out breaks the model's rows when forced into the plan.
    for pid, year in (("C-USER", 2021), ("D-OUTLAY", 2021), ("G-PAY", 2021)):
        assert broken_rows(inst, {**starts, pid: year}), pid
    # The optimiser agrees: the same portfolio, the same objective.
    best = optimizer.solve(rules)
    assert best.chosen_starts == starts
    greedy = greedy_portfolio(rules)
    assert greedy.objective == pytest.approx(best.objective)


@pytest.mark.parametrize(
    "scenario",
    [Scenario(), Scenario(fiscal_budget_scale=2.0, debt_headroom_scale=2.0, ppp_cap_share=0.08)],
)
def test_the_greedy_plan_on_the_sample_meets_the_models_rows(
    sample: optimizer.PlanningData, scenario: Scenario
) -> None:
    inst = prepare(sample, scenario)
    starts = greedy_starts(inst)
    assert len(starts) > 50
    assert broken_rows(inst, starts) == []
    # Version 3's PPP rules bind the ranking on the sample: the city above its line adds no
    # PPP, and no viability-gap or government-pay PPP starts from 2024.
    f = inst.projects.set_index("project_id")
    closed = {r for r, shut in inst.ppp_closed.items() if shut}
    assert closed
    chosen = f.loc[list(starts)]
    assert not (chosen["ppp"] & chosen["region"].isin(closed)).any()
    late = [pid for pid, t in starts.items() if t >= 2024 and f.at[pid, "ppp"]]
    assert all(f.at[pid, "mechanism"] == "user_pay" for pid in late)
