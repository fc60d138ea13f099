"""Solve the selection model and read an honest answer back.

Named stages, each callable alone: `build_model` → `run_solver` → `read_solution`; `solve`
runs them in order. The status comes from the solver itself: PuLP 3.3 maps a HiGHS run
stopped by its time limit to "Optimal", so HiGHS's own model status, solution status and gap
are read instead, and a run stopped early is reported as `time_limit` with its proven gap.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from enum import StrEnum

import pulp

from .diagnosis import InfeasibleError, check_obvious_conflicts, explain_infeasibility
from .instance import Instance, prepare
from .loader import PlanningData
from .model import SelectionModel, build_model
from .scenario import Scenario
from .solution import Solution, make_solution


class Status(StrEnum):
    """How a solve ended. A StrEnum, so `status == "optimal"` reads as before."""

    OPTIMAL = "optimal"  # proven within the gap asked for
    TIME_LIMIT = "time_limit"  # a feasible portfolio, stopped early, with its proven gap
    INFEASIBLE = "infeasible"
    ERROR = "error"


class SolverError(RuntimeError):
    """The solver failed or found no portfolio in the time allowed."""

    status = "error"


@dataclass(frozen=True)
class SolverRun:
    """What the solver said, in its own terms, and how long it took (wall clock)."""

    status: Status
    objective: float | None
    gap: float | None  # relative gap proven at stop (0 when optimal; None when unknown)
    bound: float | None
    solver: str
    solver_version: str
    seconds: float
    detail: str = ""
    # True when `gap` is only what the solver was asked for (it reports no bound and did not
    # prove optimality): read it as "≤ gap", never as the gap proven.
    gap_is_upper_bound: bool = False


# HiGHS options chosen by measurement (benchmarks/RESULTS.md): more heuristic effort finds
# good portfolios sooner, which is where this model's time goes; one thread, so that a run
# that ends on its gap gives the same portfolio on any machine and under any load.
HIGHS_OPTIONS: dict[str, float | int] = {"mip_heuristic_effort": 0.8, "random_seed": 0}


def highs_engine(time_limit: float, gap: float) -> pulp.HiGHS:
    """The one way this package configures HiGHS for a selection model."""
    return pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=gap, threads=1, **HIGHS_OPTIONS)


def _cbc_solver(time_limit: float, gap: float) -> pulp.LpSolver:
    # PuLP's own CBC binary through COIN_CMD (PULP_CBC_CMD itself is deprecated in 3.x).
    path = pulp.PULP_CBC_CMD.pulp_cbc_path
    return pulp.COIN_CMD(
        path=path if os.path.exists(path) else None,
        msg=False,
        timeLimit=time_limit,
        gapRel=gap,
        threads=1,
    )


def run_solver(
    model: SelectionModel,
    *,
    time_limit_s: float | None = None,
    mip_gap: float | None = None,
    solver: str | None = None,
) -> SolverRun:
    """Solve the built model; the scenario's solver, time limit and gap unless given."""
    sc = model.scenario
    name = solver or sc.solver
    limit = float(time_limit_s if time_limit_s is not None else sc.time_limit_s)
    gap = float(mip_gap if mip_gap is not None else sc.mip_gap)
    started = time.perf_counter()
    if name == "highs":
        model.problem.solve(highs_engine(limit, gap))
        seconds = time.perf_counter() - started
        return _read_highs(model, seconds)
    if name == "cbc":
        engine = _cbc_solver(limit, gap)
        model.problem.solve(engine)
        seconds = time.perf_counter() - started
        return _read_cbc(model, seconds, limit, gap)
    raise SolverError(f"unknown solver '{name}'")


def _read_highs(model: SelectionModel, seconds: float) -> SolverRun:
    import highspy

    highs = model.problem.solverModel
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    objective = pulp.value(model.problem.objective) if has_solution else None
    is_mip = any(v.cat == pulp.LpInteger for v in model.problem.variables())
    # PuLP hands HiGHS a minimisation (the objective negated when maximising).
    sign = -1.0 if model.problem.sense == pulp.LpMaximize else 1.0
    bound = sign * info.mip_dual_bound if is_mip else objective
    gap = (info.mip_gap if is_mip else 0.0) if has_solution else None
    if gap is not None and not math.isfinite(gap):
        gap = None
    version = str(highs.version())  # the model's own instance: no second Highs() per solve
    s = highspy.HighsModelStatus
    if status == s.kOptimal:
        kind = Status.OPTIMAL
    elif status in (s.kInfeasible, s.kUnboundedOrInfeasible):
        kind = Status.INFEASIBLE
    elif status in (
        s.kTimeLimit,
        s.kInterrupt,
        s.kIterationLimit,
        s.kSolutionLimit,
        s.kObjectiveBound,
        s.kObjectiveTarget,
    ):
        kind = Status.TIME_LIMIT if has_solution else Status.ERROR
    else:
        kind = Status.ERROR
    detail = highs.modelStatusToString(status)
    if kind == Status.ERROR and not has_solution and status == s.kTimeLimit:
        detail = "no portfolio was found before the time limit"
    return SolverRun(kind, objective, gap, bound, "highs", version, seconds, detail)


def _read_cbc(model: SelectionModel, seconds: float, limit: float, gap: float) -> SolverRun:
    problem = model.problem
    version = f"CBC via PuLP {pulp.__version__}"
    if problem.sol_status == pulp.LpSolutionOptimal:
        # CBC says "optimal" when it stops at the requested gap, and PuLP does not pass its
        # bound on: the gap is at most what was asked for, and 0 only when 0 was asked.
        return SolverRun(
            Status.OPTIMAL,
            pulp.value(problem.objective),
            gap,
            None,
            "cbc",
            version,
            seconds,
            f"within the requested gap of {gap:.2%} (CBC does not report its bound)"
            if gap > 0
            else "",
            gap_is_upper_bound=gap > 0,
        )
    if problem.sol_status == pulp.LpSolutionIntegerFeasible:
        # PuLP's CBC interface does not give the bound: the gap is unknown, not zero.
        return SolverRun(
            Status.TIME_LIMIT,
            pulp.value(problem.objective),
            None,
            None,
            "cbc",
            version,
            seconds,
            f"stopped at the {limit:g} s time limit",
        )
    if problem.status == pulp.LpStatusInfeasible:
        return SolverRun(Status.INFEASIBLE, None, None, None, "cbc", version, seconds)
    return SolverRun(
        Status.ERROR,
        None,
        None,
        None,
        "cbc",
        version,
        seconds,
        pulp.LpStatus.get(problem.status, "unknown"),
    )


def read_solution(model: SelectionModel, run: SolverRun, build_seconds: float = 0.0) -> Solution:
    """The portfolio and every figure a planner needs, from a solved model."""
    if run.status == "infeasible":
        raise InfeasibleError(explain_infeasibility(model.instance))
    if run.status == "error":
        raise SolverError(f"the solver ({run.solver}) failed: {run.detail or 'no portfolio'}")
    return make_solution(model, run, build_seconds)


def solve(data: PlanningData | Instance, scenario: Scenario | None = None) -> Solution:
    """Choose the projects and start years that re-employ the most displaced workers.

    Raises InfeasibleError (a ValueError) naming the limits to move and by how much when no
    portfolio exists, and SolverError when the solver fails. A solve stopped by the time limit
    returns a Solution whose status is `time_limit` and whose `gap` is the proven gap.
    """
    started = time.perf_counter()
    inst = data if isinstance(data, Instance) else prepare(data, scenario)
    check_obvious_conflicts(inst)
    model = build_model(inst)
    build_seconds = time.perf_counter() - started
    run = run_solver(model)
    return read_solution(model, run, build_seconds)
