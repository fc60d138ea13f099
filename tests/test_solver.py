"""The model handed to HiGHS in one call (`_HiGHS.buildSolverModel`) is PuLP's own, exactly."""

from __future__ import annotations

import highspy
import numpy as np
import pulp
import pytest

import optimizer
from optimizer.model import build_model, reference_distance
from optimizer.solver import (
    NEAREST_OPTIONS,
    KeptModel,
    Status,
    _read_highs,
    highs_engine,
    run_solver,
)
from optimizer.tradeoffs import draw_multipliers, drawn_data


def _triplets(lp: highspy.HighsLp) -> list[tuple[int, int, float]]:
    """The matrix as sorted (row, column, value), whichever way HiGHS holds it."""
    matrix = lp.a_matrix_
    start, index, value = list(matrix.start_), list(matrix.index_), list(matrix.value_)
    rowwise = matrix.format_ == highspy.MatrixFormat.kRowwise
    count = lp.num_row_ if rowwise else lp.num_col_
    out = []
    for outer in range(count):
        for k in range(start[outer], start[outer + 1]):
            out.append((outer, index[k], value[k]) if rowwise else (index[k], outer, value[k]))
    return sorted(out)


def _built(problem: pulp.LpProblem, pulps_own: bool, mip: bool = True) -> highspy.Highs:
    engine = highs_engine(30.0, 0.01)
    engine.mip = mip
    engine.createAndConfigureSolver(problem)
    if pulps_own:
        pulp.HiGHS.buildSolverModel(engine, problem)
    else:
        engine.buildSolverModel(problem)
    return problem.solverModel


def _indices(problem: pulp.LpProblem) -> tuple[list[int], list[int]]:
    return (
        [v.index for v in problem.variables()],
        [c.index for c in problem._constraints.values()],
    )


def _assert_same_model(problem: pulp.LpProblem, mip: bool = True) -> None:
    theirs = _built(problem, pulps_own=True, mip=mip)
    their_indices = _indices(problem)
    for v in problem.variables():  # the new build must set every index again itself
        v.index = -1
    for c in problem._constraints.values():
        c.index = -1
    ours = _built(problem, pulps_own=False, mip=mip)
    assert _indices(problem) == their_indices
    a, b = theirs.getLp(), ours.getLp()
    assert (b.num_col_, b.num_row_) == (a.num_col_, a.num_row_)
    for field in ("col_cost_", "col_lower_", "col_upper_", "row_lower_", "row_upper_"):
        np.testing.assert_array_equal(getattr(b, field), getattr(a, field), err_msg=field)
    assert list(b.integrality_) == list(a.integrality_)
    assert b.sense_ == a.sense_
    assert b.offset_ == a.offset_
    assert _triplets(b) == _triplets(a)


@pytest.mark.parametrize("elastic", [False, True], ids=["maximise", "elastic-minimise"])
def test_the_sample_reaches_highs_as_pulp_builds_it(
    sample: optimizer.PlanningData, elastic: bool
) -> None:
    model = build_model(sample, elastic=elastic)
    assert any(v.cat == pulp.LpInteger for v in model.problem.variables())
    _assert_same_model(model.problem)


def test_edge_cases_reach_highs_as_pulp_builds_them() -> None:
    """Zero coefficients, an empty row, free and half-bounded columns, ≥ and = rows, a
    variable only in the objective, continuous and integer columns, with and without mip."""
    problem = pulp.LpProblem("edges", pulp.LpMaximize)
    x = problem.add_variable("x", 0, 4, cat=pulp.LpInteger)
    y = problem.add_variable("y")  # free
    z = problem.add_variable("z", upBound=3)
    w = problem.add_variable("w", lowBound=-2, cat=pulp.LpInteger)
    only_objective = problem.add_variable("a_objective_only", 0, 1)
    problem += 3 * x - y + 0.5 * z + w + 2 * only_objective + 7
    problem += pulp.LpAffineExpression([(x, 1), (y, 0), (z, 2)]) <= 10, "le_with_zero"
    problem += pulp.LpAffineExpression([(x, 0), (y, 0)]) >= -1, "all_zero"
    problem += x + y == 2, "eq"
    problem += y - z >= -5, "ge"
    problem += pulp.LpAffineExpression([(w, 1.5), (x, -1)]) <= 0, "w_row"
    _assert_same_model(problem)
    _assert_same_model(problem, mip=False)  # an LP: no integrality at all


def test_a_solve_gives_the_same_objective(sample: optimizer.PlanningData) -> None:
    objectives = []
    for pulps_own in (True, False):
        model = build_model(sample)
        engine = highs_engine(30.0, 0.01)
        if pulps_own:
            engine.buildSolverModel = pulp.HiGHS.buildSolverModel.__get__(engine)
        model.problem.solve(engine)
        run = _read_highs(model, 0.0)
        assert run.status is Status.OPTIMAL
        objectives.append(run.objective)
    assert objectives[1] == pytest.approx(objectives[0], rel=1e-9)


def test_the_incumbents_reported_are_the_portfolios_found(sample: optimizer.PlanningData) -> None:
    """`on_incumbent` reads HiGHS's column values back into {position: start year}: the last
    portfolio reported is the answer's, and each is a portfolio the model allows."""
    model = build_model(sample)
    seen: list[tuple[dict[int, int], float]] = []
    run = run_solver(model, on_incumbent=lambda starts, gap: seen.append((starts, gap)))
    assert run.status is Status.OPTIMAL
    assert seen, "HiGHS reported no portfolio"
    assert seen[-1][0] == model.start_of()
    options = [dict(o) for o in model.starts]
    for starts, _ in seen:
        assert all(t in options[i] for i, t in starts.items())


def test_a_neighbouring_plan_is_repaired_to_fit(sample: optimizer.PlanningData) -> None:
    base = optimizer.solve(sample, optimizer.Scenario(mip_gap=0.01))
    position = {pid: i for i, pid in enumerate(sample.projects["project_id"])}
    plan = {position[pid]: t for pid, t in base.chosen_starts.items()}
    inst = optimizer.prepare(sample, optimizer.Scenario(fiscal_budget_scale=0.5, mip_gap=0.01))
    kept = KeptModel(build_model(inst), time_limit=60, gap=0.01)
    # One chosen project is forced out by its bounds, as break-even does.
    out = next(i for i in plan if not inst.projects["forced_in"].iloc[i])
    kept.set_bounds(kept.model.chosen[out], 0, 0)
    repaired = kept.repair(plan)
    assert repaired is not None
    assert out not in repaired
    assert len(repaired) < len(plan)  # half the budget: the plan did not fit as it was
    mandatory = set(np.flatnonzero(inst.projects["forced_in"].to_numpy(dtype=bool)))
    assert mandatory <= set(repaired)
    # Every limit holds: the repaired portfolio, fixed, is a feasible model.
    ids = inst.projects["project_id"]
    fixed = build_model(inst, fixed_starts={ids.iloc[i]: t for i, t in repaired.items()})
    assert run_solver(fixed, mip_gap=0.0).status.has_portfolio
    # Started from it, the status and gap are HiGHS's own, as from scratch.
    started = kept.run(plan=plan)
    assert started.status is Status.OPTIMAL
    assert started.gap is not None
    assert started.gap <= 0.01


def test_a_repaired_plan_keeps_the_government_pay_line(
    sample: optimizer.PlanningData, sample_solution: optimizer.Solution
) -> None:
    """Overruns raise a PPP's outlays; a government-pay PPP in the plan switches its city's
    PPP rows to the lower line (rule 6). The repair checks those rows too, so the plan it
    returns completes to a feasible model and HiGHS keeps the start (unchecked, 32 of 40
    such draws gave a plan that did not)."""
    position = {pid: i for i, pid in enumerate(sample.projects["project_id"])}
    plan = {position[pid]: t for pid, t in sample_solution.chosen_starts.items()}
    n, regions = len(sample.projects), len(sample.regions)
    jobs, capex, rates = draw_multipliers(5, n, 0.30, 0.40, 2021, regions, 0.50)
    for d in range(5):
        drawn = drawn_data(sample, jobs[d], capex[d], rates[d])
        kept = KeptModel(
            build_model(optimizer.prepare(drawn, sample_solution.scenario)), time_limit=60, gap=0.01
        )
        repaired = kept.repair(plan)
        assert repaired is not None
        assert kept.value_of(repaired) is not None, f"draw {d}: the repaired plan does not complete"
        assert kept.fits(repaired)
    assert kept._repairer.switch_of, "the sample has government-pay PPPs"


def test_a_work_limit_counts_the_root_and_holds_for_each_run(
    sample: optimizer.PlanningData,
) -> None:
    """The sample at 0.3× of its fiscal budget spends seconds at the root, which a node limit
    does not count; the work limit stops it there, says so, and gives the next run of the
    same kept model its whole limit again (HiGHS keeps the interrupt flag between runs)."""
    scenario = optimizer.Scenario(fiscal_budget_scale=0.3).resolved(sample)
    model = build_model(optimizer.prepare(sample, scenario))
    run = run_solver(model, mip_gap=0.0, node_limit=2000, work_limit=20)
    assert run.status is Status.WORK_LIMIT
    assert run.detail == "stopped at the work limit"
    assert run.gap is not None
    assert run.gap > 0
    kept = KeptModel(
        build_model(optimizer.prepare(sample, scenario)), time_limit=30, gap=0.0, work_limit=20
    )
    first = kept.run()
    # The same work, the same portfolio: run_solver's run and the kept model's first.
    assert first.status is Status.WORK_LIMIT
    assert kept.model.start_of() == model.start_of()
    assert first.objective == pytest.approx(run.objective, rel=1e-12)
    again = kept.run()
    assert again.status is Status.WORK_LIMIT
    assert again.gap is not None


def test_the_nearest_plan_search_leaves_the_kept_model_as_it_was(
    sample: optimizer.PlanningData,
) -> None:
    """`closest` turns HiGHS's heuristics off for its own search only: afterwards the kept
    model has its options, rows and objective back, and a run gives first's answer again."""
    base = optimizer.solve(sample, optimizer.Scenario(mip_gap=0.01))
    position = {pid: i for i, pid in enumerate(sample.projects["project_id"])}
    plan = {position[pid]: t for pid, t in base.chosen_starts.items()}
    inst = optimizer.prepare(sample, optimizer.Scenario(fiscal_budget_scale=0.7, mip_gap=0.01))
    kept = KeptModel(build_model(inst), time_limit=60, gap=0.01)
    first = kept.run(plan=plan)
    highs = kept.model.problem.solverModel
    names = [*NEAREST_OPTIONS, "mip_rel_gap", "mip_abs_gap", "mip_max_nodes"]
    before = {name: highs.getOptionValue(name)[1] for name in names}
    rows, cost = highs.getLp().num_row_, list(highs.getLp().col_cost_)
    distance, _ = reference_distance(kept.model, plan)
    run, _ = kept.closest(first, plan, distance, gap=0.01, node_limit=2000)
    assert run.objective is not None
    assert run.objective >= first.bound / 1.01 - 1e-6 * abs(first.bound)
    assert {name: highs.getOptionValue(name)[1] for name in names} == before
    assert highs.getLp().num_row_ == rows
    assert list(highs.getLp().col_cost_) == cost
    assert before["mip_heuristic_run_rins"]  # the scenario's own searches keep them
    again = kept.run()
    assert again.objective == pytest.approx(first.objective, rel=0.01)
