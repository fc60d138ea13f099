"""How a built selection model is solved, chosen by its size: the one entry the pipeline
calls (`run_strategy`), behind which the solver adapter (`solver.py`) talks to HiGHS.

- `search`: HiGHS's branch and bound on the whole model (`solver.run_solver`). Best for the
  sample and up to a few thousand projects, where the root proves most of the gap.
- `lp_submip`: the LP relaxation first (dual simplex); every project the LP settles (all its
  start years at 0 or 1, and priced beyond a window of the gap: `submip.settled`) is fixed,
  and HiGHS searches the rest, starting from the LP's portfolio rounded and repaired. The
  LP's optimum is a valid bound on the whole model, so the gap is proven against it: the
  search ends as soon as its portfolio lies within the scenario's gap of that bound. For
  thousands of projects (see LP_SUBMIP_FROM). If the fixed search ends short of the gap, its
  portfolio is searched again one city at a time, then (below WHOLE_MODEL_BELOW projects) in
  the whole model. Every search ends on its gap or on a work budget (FIXED_WORK, CITY_WORK,
  CITY_SEARCHES, WHOLE_WORK), never on the clock, so the same scenario gives the same plan on
  any machine and under any load; the time limit is only the safety net, and an answer it
  cut short says `time_limit`. The gap is honest either way.

- `blocks` (optimizer.blocks): blocks of about 10,000 projects solved one by one (or side by
  side on an executor: `run_strategy(..., executor=)`), each with its share of every linking
  limit, their portfolios joined; the gap is proven against a Lagrangian bound priced by one
  block's LP. For tens of thousands of projects.

A scenario may force one (`Scenario.solve_strategy`); "auto" picks by the number of projects
that can be chosen (`BLOCKS_FROM`, `LP_SUBMIP_FROM`).
Every strategy returns a `SolverRun` whose `strategy` says which ran.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from concurrent.futures import Executor

import numpy as np

from . import relaxation, submip
from .blocks import run_blocks
from .model import SelectionModel
from .scenario import STRATEGIES
from .solver import (
    SolverRun,
    Status,
    built_highs,
    highs_solution,
    repair_plan,
    run_solver,
)

AUTO, SEARCH, LP_SUBMIP, BLOCKS = STRATEGIES

# The number of projects that can be chosen from which auto runs lp_submip; None: never by
# size. Measured on model version 3 (benchmarks/bench_scale.py, gap 0.1 %, one run each,
# RESULTS.md "LP + sub-MIP on work, not the clock"): the generator's 10,000 projects have
# 9,180 that can be chosen (so 10,000 here had left them to the search): the whole-model
# search still at its root (967 %, its first portfolio) after 30 s, lp_submip 0.53 % on its
# work budgets after 20 CPU s; its 2,000 (1,848): the search 0.71 % when its 30 s ran out,
# lp_submip 0.65 % on its budgets after 22.5 CPU s (load 1.3–2). The sample (250) and sizes
# between were not measured; the whole-model search proves the sample at its root, so auto
# keeps it there.
LP_SUBMIP_FROM: int | None = 1_800
# The number of projects from which auto solves by blocks (optimizer.blocks). Measured on
# model version 3 (benchmarks/RESULTS.md, loaded): at 10,000 the whole-model search is far
# better (0.57 % after 64 CPU s; blocks of 2,500: 9 %); at 50,000 the search gave no
# portfolio in 300 s while blocks give one at 100,000 (a poor one: see RESULTS.md). So the
# smallest size at which the search was seen to fail.
BLOCKS_FROM: int | None = 50_000

# lp_submip frees every project whose LP price (what taking it, or leaving it out, changes at
# the LP's prices) lies within PRICE_WINDOW × SEARCH_GAP × the LP's optimum; the rest keep
# the LP's values. Measured at 10,000 projects (model version 3, gap 0.1 %, so a window of
# about 340 worker-years, 1,563 projects free): the search on them ended 0.77 % below the LP's
# bound after 12 CPU s, its own bound 0.12 % below it. Freeing only the projects the LP
# splits (the old rule) ended 3.6 % below after 25 CPU s; a window of 30 (297 free), 2.2 %.
PRICE_WINDOW = 0.1
# Then, while the gap is not reached, the portfolio is improved one city at a time: the
# projects of one city priced within CITY_WINDOW × SEARCH_GAP × the LP's optimum are searched
# again with everything else kept (the PPP lines that bind are per city). Measured at 10,000
# projects after a 15 s fixed search at 0.87 %: one pass over the 13 cities (window 3,000
# worker-years, 200–1,000 projects free each, 3 s caps, 20 CPU s in all) brought it to 0.40 %;
# the fixed search alone went from 0.87 % to 0.71 % in about the same time.
CITY_WINDOW = 1.0
# Both windows are × SEARCH_GAP, and HiGHS ends the fixed and the city searches at it by
# their own bound, whatever gap is asked (only the proof against the LP's bound, and the
# whole model's search, use the gap asked): the windows and budgets were measured at 0.1 %,
# and they are sizes of the neighbourhood searched, not a precision. At 10,000 projects the
# gap asked made them: at 0.01 % (1,619 projects free) 0.57 % after 28.6 CPU s, every city's
# search ended by its budget, and with the windows only at 0.1 %, 0.33 % after 50.9 (the
# searches went on to their budgets); at the generator's 0.5 % (21,868 of 36,827 project
# columns free) the fixed search was still at 3.3 % when the default 30 s ran out.
SEARCH_GAP = 0.001

# Every search below ends on its gap or on a work budget, never on the clock, so that the
# same scenario gives the same plan on any machine and under any load (one thread, a fixed
# seed: HiGHS takes the same path). The unit is `solver.WorkMeter`'s: one call of HiGHS's MIP
# interrupt callback, after each round of cuts and each heuristic at the root and at each
# node after it (the fixed search at 10,000 projects stays at its root). The scenario's time
# limit stays behind them as the safety net; a run it ends says `time_limit`.
# The fixed search's budget. Measured at 10,000 projects (gap 0.1 %, 1,563 projects free,
# one thread): from the repaired start (2.72 % below the LP's bound) it found better
# portfolios at calls 49 and 51 (0.87 %, 7.3 CPU s), then nothing more by call 300 (4.5 CPU s
# later), still at its root.
FIXED_WORK = 55
# Each city's search's budget. At 10,000 projects every city's search ended on its own gap
# (with the rest kept) after 2–90 calls and at most 2.2 CPU s; this is the guard for one that
# would not.
CITY_WORK = 100
# The city searches in all: passes over the cities, the cities furthest from the LP first,
# each pass only while the last one improved. Measured at 10,000 projects (13 cities, load
# 3, CPU s of the solving process): after the fixed search (0.87 %, 15.3 s in all) the first
# 3 cities brought it to 0.53 % (19.4 s), the whole pass to 0.40 % (23.5 s), a second pass
# nothing more (29.5 s). Unordered, one pass had ended at 0.63 %. Three, so that at 10,000
# projects the solve stays well inside the default 30 s (the safety net, the build
# included) on a machine with some load too: the first three searches gave most of the pass's
# gain in less than half of its time.
CITY_SEARCHES = 3
# Below this many projects that can be chosen, a portfolio still short of the gap after the
# passes city by city is searched on in the whole model (for WHOLE_WORK calls and the node
# limit given). Measured: the sample's whole model proved 0.2 % after 47 calls (0.9 CPU s),
# 300 generated projects 0.1 % after 488 (5 CPU s); 600 projects were still 0.6 % short
# after 1,208 calls, when their 30 s ran out. At 10,000 projects the whole model's presolve
# alone took 12 s (benchmarks/RESULTS.md, "A good portfolio fast"), more than all the
# searches above, so from here the passes' portfolio is the answer.
WHOLE_MODEL_BELOW = 5_000
WHOLE_WORK = 500


def choose_strategy(model: SelectionModel) -> str:
    """The strategy the scenario asks for, or (auto) the one for the model's size."""
    asked = model.scenario.solve_strategy
    if asked != AUTO:
        return asked
    if model.scenario.solver != "highs":
        return SEARCH  # the other strategies drive HiGHS itself
    size = sum(1 for options in model.starts if options)
    if BLOCKS_FROM is not None and size >= BLOCKS_FROM:
        return BLOCKS
    if LP_SUBMIP_FROM is not None and size >= LP_SUBMIP_FROM:
        return LP_SUBMIP
    return SEARCH


def run_strategy(
    model: SelectionModel,
    *,
    time_limit_s: float | None = None,
    node_limit: int | None = None,
    stop: Callable[[], bool] | None = None,
    on_incumbent: Callable[[dict[int, int], float], None] | None = None,
    executor: Executor | None = None,
) -> SolverRun:
    """Solve the built model by the strategy `choose_strategy` names (the arguments as for
    `solver.run_solver`). The run's `strategy` says which ran.
    executor: where `blocks` solves its blocks (`blocks.run_blocks`: a process pool or a Dask
    cluster's executor; None: this process), with the same answer on each. The search and
    lp_submip run in this process whatever it is."""
    strategy = choose_strategy(model)
    limit = float(time_limit_s if time_limit_s is not None else model.scenario.time_limit_s)
    if strategy == BLOCKS:
        return run_blocks(
            model,
            time_limit_s=limit,
            node_limit=node_limit,
            stop=stop,
            on_incumbent=on_incumbent,
            executor=executor,
        )
    if strategy == LP_SUBMIP:
        return lp_submip(
            model, time_limit_s=limit, node_limit=node_limit, stop=stop, on_incumbent=on_incumbent
        )
    run = run_solver(
        model, time_limit_s=limit, node_limit=node_limit, stop=stop, on_incumbent=on_incumbent
    )
    return dataclasses.replace(run, strategy=SEARCH)


# ---------------------------------------------------------------------------- LP + sub-MIP


def model_projects(model: SelectionModel, highs) -> submip.Projects:  # noqa: ANN001 (highspy.Highs)
    """The model's projects by their columns (every position, so that a plan's positions are
    the model's), repaired in `highs` by `solver.repair_plan`."""
    return submip.Projects(
        [[(t, x.index) for t, x in options] for options in model.starts],
        [y.index if y is not None else None for y in model.chosen],
        model.figures["region_at"].to_numpy(int),
        lambda plan: repair_plan(model, highs, plan),
    )


def lp_submip(
    model: SelectionModel,
    *,
    time_limit_s: float,
    node_limit: int | None = None,
    stop: Callable[[], bool] | None = None,
    on_incumbent: Callable[[dict[int, int], float], None] | None = None,
) -> SolverRun:
    """The LP relaxation, then the search on the projects it leaves undecided, proven
    against the LP's bound (see the module's words; the steps are `optimizer.submip`'s).
    Every run ends on its gap or its work budget (FIXED_WORK, CITY_WORK, CITY_SEARCHES,
    WHOLE_WORK); `time_limit_s` is the safety net, and an answer it cut short says
    `time_limit`."""
    import highspy

    started = time.perf_counter()
    sc = model.scenario
    gap = float(sc.mip_gap)
    engine, highs = built_highs(model, time_limit_s, gap, node_limit)
    told = (
        None
        if on_incumbent is None
        else lambda values, proven: on_incumbent(model.start_of(values), proven)
    )
    watch = submip.Watch(stop, told)
    runner = submip.Runner(highs, watch, started=started, time_limit_s=time_limit_s)
    watch.gap = gap
    lp_model = highs.getLp()
    n = lp_model.num_col_
    integer = np.array(
        [k == highspy.HighsVarType.kInteger for k in lp_model.integrality_], bool
    ) if len(lp_model.integrality_) else np.zeros(n, bool)

    def finish(status: Status, bound: float | None, detail: str, whole: bool) -> SolverRun:
        return _read(model, engine, highs, status, bound, whole, started, detail)

    lp = relaxation.relax(highs, integer)
    if lp is None:
        # No LP optimum: infeasible (no portfolio at all) or stopped; the search says which.
        runner.run(WHOLE_WORK)
        return finish(runner.status(), None, "the relaxation has no optimum", True)
    bound = -lp.objective  # maximised sense
    watch.bound = lp.objective
    reach = SEARCH_GAP * max(abs(lp.objective), 1.0)
    highs.setOptionValue("mip_rel_gap", SEARCH_GAP)
    projects = model_projects(model, highs)
    columns = sum(
        len(options) + (chosen is not None)
        for options, chosen in zip(model.starts, model.chosen, strict=True)
    )

    def fixed_detail(fixed: submip.Fixed) -> str:
        return f"{fixed.held} of {columns} project columns fixed by the relaxation"

    def read_fixed(fixed: submip.Fixed) -> SolverRun:
        # The search is over (its gap reached, stopped, or the clock). Fixing can leave no
        # portfolio (a share row the LP met with split projects): that says nothing of the
        # whole model.
        status = Status.ERROR if fixed.status is Status.INFEASIBLE else fixed.status
        status = Status.OPTIMAL if fixed.reached else status
        return finish(status, bound, fixed_detail(fixed), False)

    # With hundreds of projects free HiGHS found no portfolio of its own for a long time
    # (none in 100 CPU s at 10,000 projects), so it starts from the LP's rounding repaired.
    fixed = submip.fixed_search(runner, projects, lp, PRICE_WINDOW * reach, FIXED_WORK, read_fixed)
    if fixed.answer is not None:
        return fixed.answer
    detail = fixed_detail(fixed)
    found = fixed.found
    size = sum(1 for options in model.starts if options)
    if found is not None:
        budgets = submip.CityBudgets(CITY_WINDOW * reach, CITY_WORK, CITY_SEARCHES)
        best, value, passes, searches = submip.city_passes(runner, projects, lp, found, budgets)
        if passes:
            detail += f"; then {searches} searches city by city, {passes} pass"
            detail += "es" if passes > 1 else ""
        clock = runner.clock
        if watch.within(value) or watch.stopped or clock or size >= WHOLE_MODEL_BELOW:
            short = Status.TIME_LIMIT if watch.stopped or clock else Status.WORK_LIMIT
            return _read_plan(model, engine, highs, best, watch, bound, started, detail, short)
        found = best
    # The searches with projects fixed could not reach the gap against the LP's bound: search
    # the whole model from their portfolio; HiGHS's own bound then holds, or the LP's.
    if found is not None:
        highs.setSolution(highs_solution(found))
    highs.setOptionValue("mip_rel_gap", gap)  # its own bound may prove the gap asked
    runner.run(WHOLE_WORK)
    if fixed.found is not None and not _consistent(highs) and not runner.clock:
        # HiGHS 1.16 after a start (as in KeptModel.run): a run that presolve finishes can
        # report the new optimum's value with the start's columns. Search again, unstarted.
        highs.clearSolver()
        runner.run(WHOLE_WORK)
    return finish(runner.status(), bound, detail + "; then the whole model searched", True)


def _project_columns(model: SelectionModel) -> list[tuple[int, list[int]]]:
    """Per project that can be chosen: its position and its start-year and chosen columns."""
    return [
        (i, [x.index for _, x in options] + [chosen.index])
        for i, (options, chosen) in enumerate(zip(model.starts, model.chosen, strict=True))
        if options and chosen is not None
    ]


def _read_plan(
    model: SelectionModel,
    engine,  # noqa: ANN001 (the configured PuLP HiGHS)
    highs,  # noqa: ANN001 (highspy.Highs)
    values: np.ndarray,
    watch: submip.Watch,
    bound: float,
    started: float,
    detail: str,
    short: Status,
) -> SolverRun:
    """The portfolio in `values` as the run's answer: its projects fixed, a run completes it
    (as it was) and it is read; proven when it lies within the gap of the LP's bound, else
    `short` (what ended the search: the work budgets or the clock)."""
    columns = np.asarray([j for _, cs in _project_columns(model) for j in cs], np.int32)
    saved = watch.stop, watch.stopped
    # The answer in hand is read even when the search was stopped or reached its gap.
    watch.stop, watch.stopped = None, False
    try:
        with relaxation.holding(highs, columns, np.round(values[columns])):
            highs.setSolution(highs_solution(values))
            # Everything is fixed: the run only completes the portfolio, so the clock is
            # not its limit (a portfolio in hand is never lost to it).
            highs.setOptionValue("time_limit", math.inf)
            watch.begin(None)
            highs.run()
            incumbent = submip.incumbent(highs)
            reached = incumbent is not None and watch.within(incumbent)
            status = Status.OPTIMAL if reached else short
            return _read(model, engine, highs, status, bound, False, started, detail)
    finally:
        watch.stop, watch.stopped = saved


def _consistent(highs) -> bool:  # noqa: ANN001
    """The columns handed back have the objective value HiGHS reports."""
    if highs.getInfo().primal_solution_status != 2:
        return True
    lp = highs.getLp()
    value = lp.offset_ + float(
        np.asarray(lp.col_cost_, float) @ np.asarray(highs.getSolution().col_value, float)
    )
    reported = highs.getInfo().objective_function_value
    return abs(value - reported) <= 1e-6 * max(1.0, abs(reported))


def _read(
    model: SelectionModel,
    engine,  # noqa: ANN001 (the configured PuLP HiGHS)
    highs,  # noqa: ANN001 (highspy.Highs)
    status: Status,
    lp_bound: float | None,
    whole: bool,
    started: float,
    detail: str,
) -> SolverRun:
    """The last run's answer written into the model's variables, and its facts: the
    objective, the tightest valid bound (the LP's; HiGHS's own only when it searched the
    whole model, not with projects fixed) and the gap proven against it."""
    import pulp

    seconds = time.perf_counter() - started
    version = str(highs.version())
    if not status.has_portfolio or submip.incumbent(highs) is None:
        kind = status if status in (Status.INFEASIBLE, Status.ERROR) else Status.ERROR
        return SolverRun(
            kind, None, None, None, "highs", version, seconds, detail, strategy=LP_SUBMIP
        )
    solved, solution_status = engine.findSolutionValues(model.problem)
    model.problem.assignStatus(solved, solution_status)
    objective = float(pulp.value(model.problem.objective))
    bounds = [] if lp_bound is None else [lp_bound]
    dual = float(highs.getInfo().mip_dual_bound)
    if whole and math.isfinite(dual):
        bounds.append(-dual)
    bound = min(bounds) if bounds else None
    gap = relaxation.gap(bound, objective) if bound is not None else None
    asked = float(model.scenario.mip_gap)
    if status is Status.OPTIMAL and gap is not None and gap > asked * (1 + 1e-9) + 1e-12:
        status = Status.WORK_LIMIT  # the fixed search's optimum, short of the gap asked
    return SolverRun(
        status, objective, gap, bound, "highs", version, seconds, detail, strategy=LP_SUBMIP
    )
