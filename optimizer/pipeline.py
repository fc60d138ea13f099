"""Solve the selection model and read an honest answer back.

Named stages, each callable alone: `prepare` → `build_model` → `run_strategy` (the solve
strategy for the model's size, `strategies.py`, behind the solver adapter `solver.py`) →
`read_solution`; `solve` runs them in order. An infeasible run is
explained by the diagnosis; a failed one raises SolverError.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from numbers import Integral
from typing import Any

from .diagnosis import InfeasibleError, check_obvious_conflicts, explain_infeasibility
from .instance import Instance, prepare
from .limits import MONEY_FIELDS
from .loader import PlanningData, check_planning_data
from .model import SelectionModel, build_model, limit_amounts, reference_distance
from .scenario import Scenario
from .solution import Changes, Solution, make_solution
from .solver import SOLVE_NODE_LIMIT, KeptModel, SolverError, SolverRun, Status
from .strategies import run_strategy

STOPPED = "the solve was stopped before it finished"
# How far past its deadline a solve may run before it is interrupted: HiGHS's own time limit
# ends it first whenever HiGHS looks at its clock.
DEADLINE_GRACE_S = 0.5


def read_solution(
    model: SelectionModel,
    run: SolverRun,
    build_seconds: float = 0.0,
    stop: Callable[[], bool] | None = None,
) -> Solution:
    """The portfolio and every figure a planner needs, from a solved model. stop: once it
    says True (the solve was stopped), nothing is read: the home-first matching, the tables
    and above all a 30 s diagnosis would burn a core for a scenario the planner has left."""

    def stopped() -> bool:
        return stop is not None and stop()

    if stopped():
        raise SolverError(STOPPED, "stopped")
    if run.status.is_infeasible:
        conflicts = explain_infeasibility(model.instance, stop=stop)
        if stopped():
            raise SolverError(STOPPED, "stopped")
        raise InfeasibleError(conflicts)
    if not run.status.has_portfolio:
        detail = run.detail or "no portfolio"
        raise SolverError(
            f"the solver ({run.solver}) failed: {detail}",
            "solver_failed",
            solver=run.solver,
            detail=detail,
        )
    return make_solution(model, run, build_seconds)


def solve(
    data: PlanningData | Instance,
    scenario: Scenario | Mapping[str, Any] | None = None,
    *,
    stop: Callable[[], bool] | None = None,
    on_incumbent: Callable[[Instance, dict[int, int], float], None] | None = None,
    deadline: float | None = None,
    reference: Mapping[str, int] | Solution | None = None,
    executor: Executor | None = None,
) -> Solution:
    """Choose the projects and start years that re-employ the most displaced workers.

    Raises InfeasibleError (a ValueError) naming the limits to move and by how much when no
    portfolio exists, and SolverError when the solver fails. A solve ends on the scenario's gap
    or on a work limit (`solver.SOLVE_NODE_LIMIT` nodes, status `work_limit`), so the same
    scenario gives the same portfolio on any machine; one stopped by the time limit, the
    safety net, returns a Solution whose status is `time_limit` and whose `gap` is the proven
    gap.
    stop: asked while HiGHS works; True interrupts it (and the diagnosis of an infeasible
    scenario) and the solve raises SolverError at once, with no report: nobody waits for it.
    on_incumbent: told of each better portfolio as it is found (instance, {position: start
    year}, proven gap), for a provisional answer while the proof goes on. Neither changes
    the answer of a run that is not stopped.
    deadline: a time.monotonic() reading by which the run must be done (the command line's,
    counted from before it loaded the workbook); None: the scenario's time_limit_s counts
    from this call. Preparing and building the model count against it, and the solver gets
    what is left; none left is a SolverError saying where the time went.
    reference: a plan to stay near ({project_id: start year}, or a Solution: a previous
    answer, a shortlist read back). The search starts from it, repaired to fit; then, among
    the portfolios within the precision already stated (the gap asked for, or the one proven
    if larger, against the proven bound), the one nearest the reference is returned: fewest
    projects in or out, then fewest start years moved. `Solution.changes` lists them, and
    `gap` is the returned portfolio's own gap against that bound (a Solution of this scenario
    or of one that loosens it brings its proven bound, used when tighter). Ids the workbook
    does not hold count as left. None: the answer is exactly the one without this argument.
    executor: where a solve by blocks (`Solution.strategy` "blocks", tens of thousands of
    projects) solves its blocks side by side: `optimizer.process_pool(n)` or a Dask
    cluster's `Client(...).get_executor()`; the answer is the one of this process. The other
    strategies, and a solve near a reference, run in this process whatever it is.
    """
    plan = _reference_plan(reference)
    # A reference solve of this scenario or a looser one proved a bound that holds here too.
    hint = None
    if isinstance(reference, Solution) and reference.bound is not None:
        hint = reference.bound
    started = time.perf_counter()
    called = time.monotonic()
    if isinstance(data, Instance):
        if scenario is not None:
            raise ValueError(
                "solve: an Instance already holds its scenario; pass scenario=None, or pass "
                "the PlanningData with the scenario"
            )
        inst = data
    else:
        inst = prepare(check_planning_data(data), Scenario.of(scenario))
    check_obvious_conflicts(inst)
    model = build_model(inst)
    build_seconds = time.perf_counter() - started
    limit = float(inst.setting("time_limit_s"))
    end = called + limit if deadline is None else deadline
    left = end - time.monotonic()
    if left <= 0:
        raise SolverError(
            f"the time limit of {limit:g} s was used up before the solver started "
            f"({build_seconds:.1f} s preparing and building the model"
            f"{'' if deadline is None else ', after loading the workbook'}); raise time_limit_s",
            "time_used_up" if deadline is None else "time_used_up_loading",
            limit=f"{limit:g}",
            build=f"{build_seconds:.1f}",
        )
    found = None
    if on_incumbent is not None:

        def found(starts: dict[int, int], gap: float) -> None:
            on_incumbent(inst, starts, gap)

    def halt() -> bool:
        # HiGHS looks at its own clock only now and then (not in a long presolve or root LP
        # of 50,000 projects): the deadline interrupts it too, as the time limit would.
        return (stop is not None and stop()) or time.monotonic() > end + DEADLINE_GRACE_S

    if plan is None:
        run = run_strategy(
            model,
            stop=halt,
            on_incumbent=found,
            time_limit_s=min(limit, left),
            node_limit=SOLVE_NODE_LIMIT,
            executor=executor,
        )
    else:
        if hint is not None and not loosens(inst.data, reference.scenario, inst.scenario):
            hint = None
        run, nearest_proven = _solve_near(model, plan, halt, found, min(limit, left), hint)
    if run.status is Status.ERROR and time.monotonic() > end and not (stop is not None and stop()):
        raise SolverError(
            f"no portfolio was found within the time limit of {limit:g} s "
            f"({build_seconds:.1f} s of it preparing and building the model); "
            "raise time_limit_s",
            "no_portfolio_in_time",
            limit=f"{limit:g}",
            build=f"{build_seconds:.1f}",
        )
    solution = read_solution(model, run, build_seconds, stop)
    if plan is None:
        return solution
    return dataclasses.replace(
        solution, changes=Changes.between(plan, solution.chosen_starts, nearest_proven)
    )


def loosens(data: PlanningData, looser: Scenario, tighter: Scenario) -> bool:
    """Every portfolio that fits `tighter` fits `looser` too, with the same objective: the two
    differ only in money (budgets, quotas, headroom: every amount of `looser` at least
    `tighter`'s) and in projects forced (`looser` forces a subset in and a subset out). Then
    `looser`'s answer never needs to show less than `tighter`'s: it can take that plan."""
    a, b = looser.resolved(data), tighter.resolved(data)
    free = {f: getattr(a, f) for f in (*MONEY_FIELDS, "forced_in", "forced_out")}
    if b.replace(**free) != a:
        return False
    if not (set(a.forced_in) <= set(b.forced_in) and set(a.forced_out) <= set(b.forced_out)):
        return False
    more, less = limit_amounts(prepare(data, a)), limit_amounts(prepare(data, b))
    return all(more[row] >= amount for row, amount in less.items())


def start_near(
    data: PlanningData,
    scenario: Scenario,
    known: Sequence[Solution],
    previous: Solution | None = None,
) -> Solution | None:
    """The answer a scenario's solve should start near (its `reference`): the best known
    answer of a scenario this one loosens (its plan fits here, so this answer never shows
    less), else the previous answer (a stable plan), else None."""
    fits = [
        s
        for s in known
        if s.fingerprint == data.fingerprint and loosens(data, scenario, s.scenario)
    ]
    if fits:
        return max(fits, key=lambda s: s.objective)
    return previous


def beaten(data: PlanningData, solution: Solution, known: Sequence[Solution]) -> list[Solution]:
    """The known answers of scenarios that loosen `solution`'s and that it beats: its plan
    fits each of them too, so each should adopt it (`solve(..., reference=solution)`),
    lest a tighter scenario (a project forced in, less money) show a gain."""
    return [
        s
        for s in known
        if s.fingerprint == data.fingerprint
        and s.scenario != solution.scenario
        and solution.objective > s.objective + 1e-9 * max(1.0, abs(s.objective))
        and loosens(data, s.scenario, solution.scenario)
    ]


# The search for the portfolio nearest a reference stops here (it only chooses among
# portfolios already within the stated precision, so a stop costs closeness, not precision).
NEAREST_NODE_LIMIT = 2_000


def _reference_plan(reference: Mapping[str, int] | Solution | None) -> dict[str, int] | None:
    if reference is None:
        return None
    if isinstance(reference, Solution):
        return reference.chosen_starts
    if not isinstance(reference, Mapping):
        raise TypeError(
            "solve: reference must be a Solution or a mapping {project_id: start year}, got "
            f"{type(reference).__name__}"
        )
    plan: dict[str, int] = {}
    for pid, year in reference.items():
        if not isinstance(pid, str) or isinstance(year, bool) or not isinstance(year, Integral):
            raise TypeError(
                "solve: reference must map project ids (text) to start years (whole numbers); "
                f"got {pid!r}: {year!r}"
            )
        plan[pid] = int(year)
    return plan


def _solve_near(
    model: SelectionModel,
    plan: dict[str, int],
    halt: Callable[[], bool],
    found: Callable[[dict[int, int], float], None] | None,
    time_limit: float,
    bound: float | None = None,
) -> tuple[SolverRun, bool]:
    """The scenario's search started from the reference plan (repaired to fit), then the
    portfolio nearest it within the stated precision (`KeptModel.closest`)."""
    sc = model.scenario
    watch = None
    if found is not None:

        def watch(values: list[float], gap: float) -> None:
            found(model.start_of(values), gap)

    kept = KeptModel(
        model,
        time_limit=time_limit,
        gap=float(sc.mip_gap),
        node_limit=SOLVE_NODE_LIMIT,
        stop=halt,
        on_incumbent=watch,
    )
    position = {pid: i for i, pid in enumerate(model.figures["project_id"])}
    starts = {position[pid]: t for pid, t in plan.items() if pid in position}
    first = kept.run(plan=starts)
    if not first.status.has_portfolio or halt():
        return first, False
    # A plan that fits as it is and lies within the stated precision comes back unchanged.
    first = kept.prove_reference(first, starts, gap=float(sc.mip_gap))
    if halt():
        return first, False
    distance, _ = reference_distance(model, starts)
    return kept.closest(
        first,
        starts,
        distance,
        gap=float(sc.mip_gap),
        node_limit=NEAREST_NODE_LIMIT,
        bound=bound,
    )
