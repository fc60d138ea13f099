"""The solver adapter: the one place that talks to HiGHS (and CBC) for a selection model.

It configures HiGHS (`highs_engine`), runs a built model (`run_solver`) and reads the answer
honestly (`SolverRun` with a `Status`): PuLP 3.3 maps a HiGHS run stopped by its time limit to
"Optimal" and does not know a node limit, so HiGHS's own model status, solution status and
gap are read instead.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import highspy
import numpy as np
import pulp

from .model import SelectionModel


class Status(StrEnum):
    """How a solve ended. A StrEnum, so it prints and serialises as its code ("optimal");
    callers ask it what it means (`has_portfolio`, `is_proven`) rather than compare codes."""

    OPTIMAL = "optimal"  # proven within the gap asked for
    TIME_LIMIT = "time_limit"  # a feasible portfolio, stopped by the clock, with its gap
    # Stopped by a node or work limit (`WorkMeter`): the same answer on any machine.
    WORK_LIMIT = "work_limit"
    INFEASIBLE = "infeasible"
    ERROR = "error"

    @property
    def has_portfolio(self) -> bool:
        """The solver proved its gap, or stopped early with a feasible portfolio."""
        return self in (Status.OPTIMAL, Status.TIME_LIMIT, Status.WORK_LIMIT)

    @property
    def is_proven(self) -> bool:
        """Optimal within the gap asked for (not stopped by a limit)."""
        return self is Status.OPTIMAL

    @property
    def is_infeasible(self) -> bool:
        return self is Status.INFEASIBLE


class SolverError(RuntimeError):
    """The solver failed or found no portfolio in the time allowed. The message is in
    English; `parts` holds it as a code and its values (optimizer.present.labels words it in
    either language), () for one worded only in English."""

    status = Status.ERROR

    def __init__(self, message: str, code: str = "", **values: Any) -> None:
        super().__init__(message)
        self.parts: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = (
            ((code, tuple(values.items())),) if code else ()
        )
        self.where = ""

    def __reduce__(self) -> tuple[Any, ...]:
        # Its parts travel with it (from a worker process, into the app's cache).
        code, values = self.parts[0] if self.parts else ("", ())
        return (_solver_error, (str(self), code, values))


def _solver_error(message: str, code: str, values: tuple[tuple[str, Any], ...]) -> SolverError:
    return SolverError(message, code, **dict(values))


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
    # How the portfolio was searched for (strategies.STRATEGIES): the whole model at once
    # ("search"), or a relaxation and a smaller search proven against its bound.
    strategy: str = "search"


# HiGHS options chosen by measurement (benchmarks/RESULTS.md): more heuristic effort finds
# good portfolios sooner, which is where this model's time goes; one thread, so that a run
# that ends on its gap gives the same portfolio on any machine and under any load.
HIGHS_OPTIONS: dict[str, float | int] = {"mip_heuristic_effort": 0.8, "random_seed": 0}

# Every solve of the pipeline ends on its gap or on this many branch-and-bound nodes: a work
# limit, so that with one thread and a fixed seed it stops at the same portfolio on any
# machine and under any load. The sample's solves need at most a few dozen nodes to 0.5 %
# (HiGHS's time goes into the root), an exact solve of 40 projects about 2,300; 10,000 nodes
# take 7–17 s on this 2-core machine, so the scenario's time limit (30 s unless set) stays
# the safety net behind it, and a solve it stops says `time_limit`.
SOLVE_NODE_LIMIT = 10_000

# HiGHS options for `KeptModel.closest`'s search only. It starts from a portfolio that already
# qualifies and mostly proves that nothing nearer does; the sub-MIP heuristics spent most of
# its time finding nothing nearer (the sample, budget scales 0.5–1.5: 0.66 → 0.29 CPU s at
# 0.7, 2.7 → 0.95 s at fiscal 0.5 and bonds 1.0; the same distance everywhere, and where two
# plans are equally near, which one is returned may differ: benchmarks/bench_near.py).
NEAREST_OPTIONS: dict[str, bool] = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_zi_round": False,
    "mip_heuristic_run_shifting": False,
}


class QuietHighs(highspy.Highs):
    """highspy.Highs without HiGHS's banner ("Running HiGHS 1.16.0 … Copyright …", in
    English, on every solve of the command line, the app's server and a notebook). HiGHS
    prints it at the first call made while its output is on, which is the callback highspy
    registers in its constructor (`enableCallbacks`); setting an option prints nothing, so
    the output is turned off just before. A run asked to log (`output_flag` set True again)
    still prints the banner, with the log."""

    def enableCallbacks(self) -> None:  # noqa: N802 (highspy's name)
        self.setOptionValue("output_flag", False)
        super().enableCallbacks()


class _HiGHS(pulp.HiGHS):
    """PuLP's HiGHS interface, told apart from PuLP 3.3 where it does not know a status (a
    node limit, kSolutionLimit: the values are read, and `_read_highs` says what ended the
    run), in how the model reaches HiGHS (`buildSolverModel`: arrays in one call) and in its
    `highspy.Highs`, which prints no banner (`QuietHighs`)."""

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 (PuLP's name)
        """PuLP 3.3's, on a `QuietHighs`: PuLP's own makes `highspy.Highs()`, whose
        constructor prints the banner before PuLP can turn the output off."""
        highs = lp.solverModel = QuietHighs()
        if self.callbackTuple:
            highs.setCallback(*self.callbackTuple)
        for kind in self.callbacksToActivate or ():
            highs.startCallback(kind)
        highs.setOptionValue("output_flag", bool(self.msg))
        for name, value in (
            ("mip_rel_gap", self.gapRel),
            ("mip_abs_gap", self.gapAbs),
            ("threads", self.threads),
            ("time_limit", None if self.timeLimit is None else float(self.timeLimit)),
        ):
            if value is not None:
                highs.setOptionValue(name, value)
        for name, value in self.optionsDict.items():
            highs.setOptionValue(name, value)

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:  # noqa: N802 (PuLP's name)
        """PuLP 3.3's `HiGHS.buildSolverModel`, the same model handed over in one call.

        PuLP adds a column and then a row at a time, one highspy call each (20 s for 100,000
        projects, about 375,000 columns; benchmarks/RESULTS.md). Here one pass over the
        problem collects costs, bounds, integrality and the rows' matrix (CSR), and
        `passModel` takes them at once (5.7 s). PuLP's contract is kept:
        `var.index` in `lp.variables()` order, `constraint.index` in `lp._constraints` order,
        the objective negated when maximising, None bounds as ±inf, integrality only when
        `self.mip`, and zero coefficients dropped (tests/test_solver.py compares the two)."""
        import highspy

        inf = highspy.kHighsInf
        obj_mult = -1.0 if lp.sense == pulp.LpMaximize else 1.0
        variables = lp.variables()
        for i, var in enumerate(variables):
            var.index = i
        num_col = len(variables)
        # Each term's column by one look-up in a dict of the variables: half the time of
        # reading `var.index` off millions of variables (0.55 against 1.2 s at 100,000
        # projects).
        column_of = {var: i for i, var in enumerate(variables)}
        index_of = column_of.__getitem__

        # Columns. The objective names only some variables: scatter its terms into zeros.
        cost = np.zeros(num_col)
        objective = lp.objective if lp.objective is not None else {}
        if objective:
            where = np.fromiter(map(index_of, objective.keys()), np.int64, len(objective))
            cost[where] = np.fromiter(objective.values(), float, len(objective))
        cost *= obj_mult
        col_lower = np.fromiter(
            (-inf if v.lowBound is None else v.lowBound for v in variables), float, num_col
        )
        col_upper = np.fromiter(
            (inf if v.upBound is None else v.upBound for v in variables), float, num_col
        )
        integer = (
            np.fromiter((v.cat == pulp.LpInteger for v in variables), bool, num_col)
            if self.mip
            else np.zeros(num_col, bool)
        )

        # Rows: each constraint's indices and values go onto two flat lists (`extend` with
        # `map` loops in C, not in Python), turned into arrays once.
        constraints = list(lp._constraints.values())
        num_row = len(constraints)
        row_lower = np.empty(num_row)
        row_upper = np.empty(num_row)
        lengths = np.empty(num_row, np.int64)
        indices: list[int] = []
        values: list[float] = []
        for i, constraint in enumerate(constraints):
            constraint.index = i
            lengths[i] = len(constraint)
            indices.extend(map(index_of, constraint.keys()))
            values.extend(constraint.values())
            lb, ub = constraint.getLb(), constraint.getUb()
            row_lower[i] = -inf if lb is None else lb
            row_upper[i] = inf if ub is None else ub
        a_index = np.array(indices, dtype=np.int32)
        a_value = np.array(values, dtype=float)
        del indices, values
        nonzero = a_value != 0  # PuLP drops zero coefficients (NaN stays, as in PuLP)
        if not nonzero.all():
            rows = np.repeat(np.arange(num_row), lengths)
            lengths = np.bincount(rows[nonzero], minlength=num_row)
            a_index, a_value = a_index[nonzero], a_value[nonzero]
        a_start = np.zeros(num_row + 1, np.int32)
        np.cumsum(lengths, out=a_start[1:])

        status = pass_rowwise(
            lp.solverModel,
            cost,
            col_lower,
            col_upper,
            row_lower,
            row_upper,
            a_start,
            a_index,
            a_value,
            integer,
        )
        if status == highspy.HighsStatus.kError:
            raise pulp.PulpSolverError("HiGHS refused the model (passModel)")

    def findSolutionValues(self, lp):  # noqa: N802 (PuLP's name)
        try:
            return super().findSolutionValues(lp)
        except KeyError:
            return pulp.LpStatusNotSolved, pulp.LpSolutionIntegerFeasible


def pass_rowwise(
    highs: Any,  # noqa: ANN401 (highspy.Highs)
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    start: np.ndarray,
    index: np.ndarray,
    value: np.ndarray,
    integer: np.ndarray,
) -> Any:  # noqa: ANN401 (highspy.HighsStatus)
    """A model given as arrays (costs to minimise, column and row bounds, the matrix by rows
    with int32 starts and indices, and which columns are integral) into HiGHS; its status.
    The one way this package hands HiGHS a model: the whole model and each block's."""
    num_col, num_row = len(cost), len(row_lower)
    if integer.any():
        # The arrays straight to HiGHS: filling a HighsLp's fields first copies them once
        # more (0.45 s at 100,000 projects); HiGHS keeps the same model either way.
        return highs.passModel(
            num_col,
            num_row,
            len(index),
            int(highspy.MatrixFormat.kRowwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            cost,
            col_lower,
            col_upper,
            row_lower,
            row_upper,
            start,
            index,
            value,
            integer.astype(np.int32),
        )
    # Like PuLP (changeColIntegrality per integer column): no integrality at all for a model
    # without integer columns, which HiGHS's array call cannot say.
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = num_col, num_row
    model.col_cost_, model.col_lower_, model.col_upper_ = cost, col_lower, col_upper
    model.row_lower_, model.row_upper_ = row_lower, row_upper
    matrix = model.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kRowwise
    matrix.num_col_, matrix.num_row_ = num_col, num_row
    matrix.start_, matrix.index_, matrix.value_ = start, index, value
    return highs.passModel(model)


class WorkMeter:
    """A deterministic work limit that counts all of HiGHS's search, the root included.

    HiGHS asks its MIP interrupt callback at fixed points of its search: after each round of
    cuts and each heuristic at the root, and at each node after it. The number of those
    calls is work, not time: with one thread and a fixed seed HiGHS takes the same path on
    any machine and under any load, so a run interrupted at the same call stops at the same
    portfolio (measured: the same calls, bounds and plan, idle and beside two busy loops).
    A node limit does not count the root, where the sample's low budgets spend their time.
    HiGHS 1.16's Python callback does not carry its LP iteration count, so calls are the
    unit; between two calls HiGHS may work up to about a second (a sub-MIP at the root)."""

    def __init__(self, limit: int) -> None:
        self.limit = int(limit)
        self.count = 0
        self.reached = False

    def reset(self) -> None:
        """Before each run: the limit is per run, not per model."""
        self.count, self.reached = 0, False

    def tick(self) -> bool:
        """One call of HiGHS's MIP interrupt callback; True once the limit is reached."""
        self.count += 1
        if self.count >= self.limit:
            self.reached = True
        return self.reached


def _callback(
    stop: Callable[[], bool] | None,
    on_incumbent: Callable[[list[float], float], None] | None,
    meter: WorkMeter | None = None,
) -> Callable[..., None]:
    """One HiGHS callback: interrupt the run once `stop()` says so (looked at no more than
    every 50 ms: the callback comes often) or once the work meter reaches its limit (every
    MIP interrupt call counts), and hand each better portfolio found to
    `on_incumbent(column values, proven gap)`."""
    import highspy

    improving = highspy.cb.HighsCallbackType.kCallbackMipImprovingSolution
    mip_interrupt = highspy.cb.HighsCallbackType.kCallbackMipInterrupt
    seen = {"at": 0.0, "stop": False}

    def callback(kind, message, data_out, data_in, user_data) -> None:  # noqa: ANN001
        if kind == improving:
            if on_incumbent is not None:
                on_incumbent(list(data_out.mip_solution), float(data_out.mip_gap))
            return
        # HiGHS keeps the flag between runs of one model: it is set on every call, else a
        # run after one that was interrupted stops at its first call.
        worked = meter is not None and kind == mip_interrupt and meter.tick()
        if stop is not None:
            now = time.monotonic()
            if now - seen["at"] > 0.05 and not seen["stop"]:  # once stopped, stay stopped
                seen["at"], seen["stop"] = now, bool(stop())
        data_in.user_interrupt = bool(worked or seen["stop"])

    return callback


def highs_engine(
    time_limit: float,
    gap: float,
    node_limit: int | None = None,
    stop: Callable[[], bool] | None = None,
    on_incumbent: Callable[[list[float], float], None] | None = None,
    *,
    work_limit: int | None = None,
    options: dict[str, Any] | None = None,
) -> pulp.HiGHS:
    """The one way this package configures HiGHS for a selection model. A node limit is a
    deterministic work limit (one thread): unlike the clock, it stops at the same portfolio
    on any machine and under any load. work_limit: another, that counts the root's work too
    (`WorkMeter`: HiGHS's MIP interrupt calls); the engine's `work_meter` says whether the
    last run reached it. stop: asked while HiGHS works; True interrupts the run within a
    fraction of a second (HiGHS's cancelSolve alone does not). on_incumbent: told of every
    better portfolio as it is found (the app shows it as provisional). options: HiGHS
    options over `HIGHS_OPTIONS`, for a model of another kind (the elastic re-solve)."""
    import highspy

    extra: dict = {"mip_max_nodes": int(node_limit)} if node_limit is not None else {}
    meter = WorkMeter(work_limit) if work_limit is not None else None
    if stop is not None or on_incumbent is not None or meter is not None:
        kinds = highspy.cb.HighsCallbackType
        extra["callbackTuple"] = (_callback(stop, on_incumbent, meter), None)
        extra["callbacksToActivate"] = [
            *([kinds.kCallbackMipImprovingSolution] if on_incumbent is not None else []),
            *([kinds.kCallbackMipInterrupt] if stop is not None or meter is not None else []),
            *(
                [kinds.kCallbackSimplexInterrupt, kinds.kCallbackIpmInterrupt]
                if stop is not None
                else []
            ),
        ]
    engine = _HiGHS(
        msg=False,
        timeLimit=time_limit,
        gapRel=gap,
        threads=1,
        **(HIGHS_OPTIONS | (options or {})),
        **extra,
    )
    engine.work_meter = meter
    return engine


def built_highs(
    model: SelectionModel, time_limit: float, gap: float, node_limit: int | None = None
) -> tuple[pulp.HiGHS, Any]:
    """The model handed to HiGHS as `highs_engine` configures it, not yet run: the engine (it
    reads the answer back) and its `highspy.Highs`, for the strategies that read or change
    the model's arrays before a run."""
    engine = highs_engine(time_limit, gap, node_limit)
    engine.createAndConfigureSolver(model.problem)
    engine.buildSolverModel(model.problem)
    return engine, model.problem.solverModel


def solve_lp(problem: pulp.LpProblem) -> bool:
    """A small linear program (the home-first matching): True when solved to optimality."""
    problem.solve(_HiGHS(msg=False, threads=1))
    return problem.status == pulp.LpStatusOptimal


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
    node_limit: int | None = None,
    stop: Callable[[], bool] | None = None,
    on_incumbent: Callable[[dict[int, int], float], None] | None = None,
    work_limit: int | None = None,
    options: dict[str, Any] | None = None,
) -> SolverRun:
    """Solve the built model; the scenario's solver, time limit and gap unless given.
    HiGHS only: node_limit and work_limit, deterministic work limits (`WorkMeter`); stop,
    asked while HiGHS works (True interrupts it); on_incumbent, told of each better
    portfolio found ({position: start year}, proven gap); options, HiGHS options over
    `HIGHS_OPTIONS`."""
    sc = model.scenario
    name = solver or sc.solver
    limit = float(time_limit_s if time_limit_s is not None else sc.time_limit_s)
    gap = float(mip_gap if mip_gap is not None else sc.mip_gap)
    started = time.perf_counter()
    if name == "highs":
        found = None
        if on_incumbent is not None:

            def found(values: list[float], proven: float) -> None:
                on_incumbent(model.start_of(values), proven)

        engine = highs_engine(
            limit, gap, node_limit, stop, found, work_limit=work_limit, options=options
        )
        model.problem.solve(engine)
        seconds = time.perf_counter() - started
        return _read_highs(model, seconds, engine.work_meter)
    if name == "cbc":
        engine = _cbc_solver(limit, gap)
        model.problem.solve(engine)
        seconds = time.perf_counter() - started
        return _read_cbc(model, seconds, limit, gap)
    raise SolverError(f"unknown solver '{name}'")


def status_of(
    status: highspy.HighsModelStatus,
    has_portfolio: bool,
    *,
    worked: bool = False,
    proven: bool = False,
) -> Status:
    """How a HiGHS run ended, in this package's terms. worked: an interrupt a work limit asked
    for; proven: one asked for because the portfolio lies within the gap of a bound proven
    elsewhere (an LP's)."""
    s = highspy.HighsModelStatus
    if status == s.kOptimal or (status == s.kInterrupt and proven and has_portfolio):
        return Status.OPTIMAL
    if status in (s.kInfeasible, s.kUnboundedOrInfeasible):
        return Status.INFEASIBLE
    if status in (s.kSolutionLimit, s.kIterationLimit) or (status == s.kInterrupt and worked):
        return Status.WORK_LIMIT if has_portfolio else Status.ERROR
    if status in (s.kTimeLimit, s.kInterrupt, s.kObjectiveBound, s.kObjectiveTarget):
        return Status.TIME_LIMIT if has_portfolio else Status.ERROR
    return Status.ERROR


def _read_highs(
    model: SelectionModel, seconds: float, meter: WorkMeter | None = None
) -> SolverRun:
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
    kind = status_of(status, has_solution, worked=meter is not None and meter.reached)
    detail = highs.modelStatusToString(status)
    if kind == Status.ERROR and not has_solution and status == s.kTimeLimit:
        detail = "no portfolio was found before the time limit"
    elif kind == Status.ERROR and not has_solution and status == s.kSolutionLimit:
        detail = "no portfolio was found within the node limit"
    elif kind == Status.ERROR and not has_solution and status == s.kInterrupt and meter:
        detail = "no portfolio was found within the work limit"
    elif kind == Status.WORK_LIMIT and status == s.kInterrupt:
        detail = "stopped at the work limit"  # not HiGHS's "interrupted by user"
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


class KeptModel:
    """A selection model kept in HiGHS between solves. The first run builds it (through
    PuLP); later runs change bounds in place, may start from a given portfolio, and run
    again, which is much cheaper than a rebuild for a frontier or a break-even sweep."""

    def __init__(
        self,
        model: SelectionModel,
        *,
        time_limit: float,
        gap: float,
        node_limit: int | None = None,
        stop: Callable[[], bool] | None = None,
        on_incumbent: Callable[[list[float], float], None] | None = None,
        work_limit: int | None = None,
    ) -> None:
        self.model = model
        self._engine = highs_engine(
            time_limit, gap, node_limit, stop, on_incumbent, work_limit=work_limit
        )
        self._watching = on_incumbent is not None
        self._built = False
        self._repairer: _Repairer | None = None
        self._answer: list[float] = []

    @property
    def _highs(self):  # noqa: ANN202 (highspy.Highs)
        return self.model.problem.solverModel

    def set_stopping(self, time_limit: float, gap: float) -> None:
        """The time limit and gap of the next run."""
        if self._built:
            self._highs.setOptionValue("time_limit", float(time_limit))
            self._highs.setOptionValue("mip_rel_gap", float(gap))
        else:
            self._engine.timeLimit, self._engine.gapRel = float(time_limit), float(gap)

    def set_cutoff(self, objective: float | None) -> None:
        """Runs look for no portfolio worse than this objective (the model's own, constant
        included; None: no cutoff). Unlike a row "objective ≥ …", which slows every LP of the
        search, HiGHS's objective bound only prunes (measured: 0.8 s against 8.8 s a
        re-solve of the value of a limit)."""
        import highspy

        if not self._built:
            self._build()
        if objective is None:
            self._highs.setOptionValue("objective_bound", highspy.kHighsInf)
            return
        # HiGHS minimises PuLP's objective (negated when maximising) without its constant.
        constant = float(self.model.problem.objective.constant)
        sign = -1.0 if self.model.problem.sense == pulp.LpMaximize else 1.0
        self._highs.setOptionValue("objective_bound", sign * (float(objective) - constant))

    def set_row_upper(self, name: str, value: float) -> None:
        """A "≤" row's right-hand side (a budget, quota, headroom or PPP room)."""
        import highspy

        constraint = self.model.problem.get_constraint_by_name(name)
        constraint.constant = -float(value)  # PuLP keeps the right-hand side negated
        if self._built:
            self._highs.changeRowBounds(constraint.index, -highspy.kHighsInf, float(value))

    def set_coefficient(self, name: str, variable: pulp.LpVariable, value: float) -> None:
        """One coefficient of a row (a PPP line's in its government-pay row, rule 6)."""
        constraint = self.model.problem.get_constraint_by_name(name)
        constraint.expr[variable] = float(value)
        if self._built:
            self._highs.changeCoeff(constraint.index, variable.index, float(value))

    def set_bounds(self, variable: pulp.LpVariable, low: float, high: float) -> None:
        variable.lowBound, variable.upBound = low, high
        if self._built:
            self._highs.changeColBounds(variable.index, low, high)

    def _run(self) -> None:
        """One HiGHS run, with the whole work limit (`WorkMeter`) to itself."""
        if self._engine.work_meter is not None:
            self._engine.work_meter.reset()
        self._highs.run()

    def _build(self) -> None:
        """Hand the model to HiGHS (configured as `highs_engine` says) without solving it, so
        that the first run, like every later one, may start from a portfolio."""
        self._engine.createAndConfigureSolver(self.model.problem)
        self._engine.buildSolverModel(self.model.problem)
        self._built = True

    def run(
        self, start: list[float] | None = None, *, plan: dict[int, int] | None = None
    ) -> SolverRun:
        """Solve. start: every column's value of a feasible portfolio to start from. plan: a
        portfolio ({position: start year}) from a neighbouring solve, which need not fit
        this one: it is repaired first (`repair`) and HiGHS completes the rest. A start only
        shortens the search: the status, bound and gap are HiGHS's own."""
        import highspy

        started = time.perf_counter()
        if not self._built:
            self._build()
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = start
            solution.value_valid = True
            self._highs.setSolution(solution)
        elif plan is not None:
            repaired = self.repair(plan)
            if repaired is not None:
                index, value = plan_columns(self.model, repaired)
                self._highs.setSolution(
                    len(index), np.asarray(index, np.int32), np.asarray(value, float)
                )
        self._run()
        if (start is not None or plan is not None) and not self._answer_is_consistent():
            # Seen with HiGHS 1.16: after a start, a run that presolve finishes can report
            # the new optimum's value while handing back the start's columns. Solve again
            # from scratch rather than report a portfolio worse than the one proven.
            self._highs.clearSolver()
            self._run()
        return self._read(started)

    def _read(self, started: float) -> SolverRun:
        """The last run's answer, read into the model's variables; its columns are kept
        (`closest` starts from them, whatever runs in between)."""
        status, solution_status = self._engine.findSolutionValues(self.model.problem)
        self.model.problem.assignStatus(status, solution_status)
        self._answer = list(self._highs.getSolution().col_value)
        return _read_highs(
            self.model, time.perf_counter() - started, self._engine.work_meter
        )

    def repair(self, plan: dict[int, int], *, fill: bool = True) -> dict[int, int] | None:
        """A neighbouring portfolio made to fit this model as it stands (its bounds and
        limits now): projects forced out or whose start year is closed are dropped,
        mandatory and forced-in ones added at their first open start year, then, while a
        limit is broken, the project worth least per 亿元 (skill-matched job-years over
        capex) among those that add to the breach is dropped. The government-pay line (rule
        6) is checked with its city's switch on exactly when the plan holds such a PPP.
        Limits on the matching of workers (a coverage floor) are left to HiGHS. fill: then
        add back what fits, best worth first. None when it cannot be made to fit."""
        if not self._built:
            self._build()
        if self._repairer is None:
            self._repairer = _Repairer(self.model, self._highs)
        return self._repairer.repair(plan, fill=fill)

    def _answer_is_consistent(self) -> bool:
        highs = self._highs
        if highs.getInfo().primal_solution_status != 2:  # no feasible answer to compare
            return True
        lp = highs.getLp()
        columns = highs.getSolution().col_value
        value = lp.offset_ + sum(c * x for c, x in zip(lp.col_cost_, columns, strict=True))
        reported = highs.getInfo().objective_function_value
        return abs(value - reported) <= 1e-6 * max(1.0, abs(reported))

    def values(self) -> list[float]:
        """Every column's value in the last run's answer (a start for the next run)."""
        return list(self._highs.getSolution().col_value)

    def fits(self, plan: dict[int, int]) -> bool:
        """The portfolio ({position: start year}) fits this model as it is, with no project
        dropped, added or moved (limits on the matching of workers are left to HiGHS)."""
        return self.repair(plan, fill=False) == plan

    def value_of(self, plan: dict[int, int]) -> float | None:
        """The objective (maximised, without PuLP's constant) of a portfolio at its best
        training, layoffs and flows: its start years fixed, a small LP. None when it does not
        fit. The model is left as it was; the last run's answer stays `closest`'s start."""
        import highspy

        highs = self._highs
        index, value = plan_columns(self.model, plan)
        index = np.asarray(index, np.int32)
        value = np.asarray(value, float)
        lp = highs.getLp()
        lower = np.asarray(lp.col_lower_, float)[index]
        upper = np.asarray(lp.col_upper_, float)[index]
        if np.any(value < lower - 0.5) or np.any(value > upper + 0.5):
            return None
        saved = {name: highs.getOptionValue(name)[1] for name in ("mip_rel_gap", "mip_max_nodes")}
        improving = highspy.cb.HighsCallbackType.kCallbackMipImprovingSolution
        if self._watching:  # this portfolio is not the scenario's news
            highs.stopCallback(improving)
        highs.setOptionValue("mip_rel_gap", 1e-9)
        highs.changeColsBounds(len(index), index, value, value)
        try:
            self._run()
            if highs.getInfo().primal_solution_status != 2:
                return None
            cost = np.asarray(lp.col_cost_, float)
            return float(-cost @ np.asarray(highs.getSolution().col_value, float))
        finally:
            highs.changeColsBounds(len(index), index, lower, upper)
            for name, option in saved.items():
                highs.setOptionValue(name, option)
            if self._watching:
                highs.startCallback(improving)

    def prove_reference(
        self, first: SolverRun, reference: dict[int, int], *, gap: float
    ) -> SolverRun:
        """After `first`, a reference portfolio that fits as it is must not fall outside the
        stated precision merely because first's search, which found something better, stopped
        at a weaker bound than the reference's own solve had proven (issue 20: a plan given
        back as its own reference came back changed). When the reference's value lies within
        the stated gap of the best value possible but not of first's bound, the search goes
        on (from first's portfolio) until its bound shows the reference within the stated
        gap, or it stops on its limits. Returns the run to read (first when nothing ran)."""

        if not first.status.has_portfolio or first.bound is None or first.objective is None:
            return first
        if not self.fits(reference):
            return first
        values = np.asarray(self._answer, float)
        cost = np.asarray(self._highs.getLp().col_cost_, float)
        found = float(-cost @ values)
        kept = self.value_of(reference)
        if kept is None or kept <= 0 or found <= 0:
            return first
        offset = first.objective - found
        bound = first.bound - offset
        stated = max(float(gap), float(first.gap or 0.0))
        reach = kept * (1.0 + stated)  # the bound that shows the reference within the gap
        if bound <= reach or found >= reach:
            return first  # within already, or provably not
        highs = self._highs
        # HiGHS's relative gap is (bound − incumbent) / incumbent: stop once the bound is
        # a hair below `reach`.
        saved = highs.getOptionValue("mip_rel_gap")[1]
        highs.setOptionValue("mip_rel_gap", max(0.0, reach * (1.0 - 1e-7) / found - 1.0))
        started = time.perf_counter()
        try:
            highs.setSolution(highs_solution(values))
            self._run()
            run = self._read(started)
        finally:
            highs.setOptionValue("mip_rel_gap", saved)
        if not run.status.is_proven:
            self._answer = list(values)  # stopped on a limit: first's proof stands
            return first
        return dataclasses.replace(run, seconds=first.seconds + run.seconds)

    def closest(
        self,
        first: SolverRun,
        reference: dict[int, int],
        distance: list[tuple[pulp.LpVariable, float]],
        *,
        gap: float,
        node_limit: int | None = None,
        bound: float | None = None,
    ) -> tuple[SolverRun, bool]:
        """After `first` (a run with a portfolio), the portfolio nearest a reference among
        those within the precision already stated: a second search minimises `distance`
        (terms over the start-year and chosen columns) subject to objective ≥ the value that
        keeps the stated gap, max(gap asked, first.gap), against first's proven bound, and no
        more than first's own objective, so first's portfolio always qualifies and is the
        start. The search is among the portfolios that keep what first's and the reference
        ({position: start year}) agree on (each project in both at the same start year, or
        in neither): those choices already cost no distance, and fixing them leaves a small
        search over the projects where the two differ. The portfolio found is then re-solved
        with the objective (its start years fixed: a small LP) for its best training,
        layoffs and flows. The model is left as it was built. Returns the run (first's
        status and bound; its objective and the gap against that bound) and whether the
        portfolio was proven nearest among those searched. bound: another proven bound on
        this model's best objective (a looser scenario's solve), used when it is tighter."""
        import highspy

        started = time.perf_counter()
        highs = self._highs
        lp = highs.getLp()
        n = lp.num_col_
        cost = np.asarray(lp.col_cost_, float)  # minimised: the objective negated
        first_values = np.asarray(self._answer, float)
        found = float(-cost @ first_values)
        offset = float(first.objective or 0.0) - found  # PuLP's objective constant, if any
        bounds = [b - offset for b in (first.bound, bound) if b is not None]
        bound = min(bounds) if bounds else found
        stated = max(float(gap), float(first.gap or 0.0))
        keeps = bound / (1.0 + stated) if bound >= 0 else bound * (1.0 + stated)
        floor = min(keeps, found) - 1e-9 * max(1.0, abs(found))
        where = np.flatnonzero(cost)
        row = lp.num_row_
        highs.addRow(floor, highspy.kHighsInf, len(where), where.astype(np.int32), -cost[where])
        near = np.zeros(n)
        for var, c in distance:
            near[var.index] += c
        columns = np.arange(n, dtype=np.int32)
        highs.changeColsCost(n, columns, near)
        index, wanted = plan_columns(self.model, reference)
        index = np.asarray(index, np.int32)
        wanted = np.asarray(wanted, float)
        agree = index[np.round(first_values[index]) == wanted]
        lower = np.asarray(lp.col_lower_, float)[agree]
        upper = np.asarray(lp.col_upper_, float)[agree]
        highs.changeColsBounds(len(agree), agree, first_values[agree], first_values[agree])
        saved = {
            name: highs.getOptionValue(name)[1]
            for name in ("mip_rel_gap", "mip_abs_gap", "mip_max_nodes", *NEAREST_OPTIONS)
        }
        improving = highspy.cb.HighsCallbackType.kCallbackMipImprovingSolution
        if self._watching:  # the reference search's portfolios are not the scenario's news
            highs.stopCallback(improving)
        highs.setOptionValue("mip_rel_gap", 0.0)
        highs.setOptionValue("mip_abs_gap", 0.5)  # distances are whole numbers
        if node_limit is not None:
            highs.setOptionValue("mip_max_nodes", int(node_limit))
        for name, value in NEAREST_OPTIONS.items():
            highs.setOptionValue(name, value)
        try:
            highs.setSolution(highs_solution(first_values))
            self._run()
            proven = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
            values = np.asarray(highs.getSolution().col_value, float)
            if highs.getInfo().primal_solution_status != 2 or -cost @ values < floor - 1e-6 * max(
                1.0, abs(floor)
            ):
                values, proven = first_values, False
        finally:
            highs.changeColsBounds(len(agree), agree, lower, upper)
            highs.deleteRows(1, np.array([row], np.int32))
            highs.changeColsCost(n, columns, cost)
            for name, value in saved.items():
                highs.setOptionValue(name, value)
            if self._watching:
                highs.startCallback(improving)
        values = self._settle(values, first_values)
        objective = float(-cost @ values)
        run = dataclasses.replace(
            first,
            objective=objective + offset,
            gap=max(0.0, (bound - objective) / abs(objective)) if objective else first.gap,
            seconds=first.seconds + time.perf_counter() - started,
        )
        return run, proven

    def _settle(self, values, fallback):  # noqa: ANN001, ANN202 (numpy arrays)
        """The best of everything else (training, layoffs, flows) for the portfolio in
        `values`, by the objective with its start years fixed; `fallback`'s portfolio if
        that fails. The answer is written into the model's variables."""

        highs = self._highs
        fixed = [
            var for options in self.model.starts for _, var in options
        ] + [y for y in self.model.chosen if y is not None]
        index = np.array([v.index for v in fixed], np.int32)
        lower = np.asarray(highs.getLp().col_lower_, float)[index]
        upper = np.asarray(highs.getLp().col_upper_, float)[index]
        # To the optimum for the portfolio (a plan's figures depend on the plan alone), not
        # merely within the scenario's gap of the incumbent handed over.
        saved = highs.getOptionValue("mip_rel_gap")[1]
        highs.setOptionValue("mip_rel_gap", 1e-9)
        try:
            for candidate in (values, fallback):
                at = np.round(np.asarray(candidate, float)[index])
                highs.changeColsBounds(len(index), index, at, at)
                self._run()
                settled = highs.getInfo().primal_solution_status == 2
                answer = np.asarray(highs.getSolution().col_value, float)
                highs.changeColsBounds(len(index), index, lower, upper)
                if settled:
                    break
            else:
                answer = np.asarray(fallback, float)
        finally:
            highs.setOptionValue("mip_rel_gap", saved)
        for var in self.model.problem.variables():
            var.varValue = float(answer[var.index])
        return answer


def highs_solution(values: Iterable[float]) -> highspy.HighsSolution:
    """Column values as a start HiGHS takes (`setSolution`)."""
    solution = highspy.HighsSolution()
    solution.col_value = list(map(float, values))
    solution.value_valid = True
    return solution


class _Repairer:
    """The model's matrix and columns arranged for `KeptModel.repair`: per project its
    start-year and chosen columns, the rows that read only those and the government-pay
    switches (the rest involve the matching, which HiGHS completes), and each start's worth
    per 亿元."""

    TOLERANCE = 1e-6  # HiGHS's MIP feasibility tolerance

    def __init__(self, model: SelectionModel, highs) -> None:  # noqa: ANN001 (highspy.Highs)
        starts = [[(t, x.index) for t, x in options] for options in model.starts]
        chosen = [y.index if y is not None else None for y in model.chosen]
        self._project_columns(starts, chosen)
        # A government-pay PPP switches its city's v_r on (rule 6, rows pay_p…), which holds
        # the city's PPP rows to the lower line; the switch follows the plan (on exactly when
        # the plan holds such a project), so the rows it enters are checked too. Left
        # unchecked, an overrun draw's repaired plan broke them and HiGHS dropped the start.
        switch_of: dict[int, int] = {}  # project position → its city's switch column
        open_rows: list[int] = []
        for name, constraint in model.problem._constraints.items():
            if name.startswith("pay_p"):
                columns = [var.index for var in constraint.expr]
                owner = [j for j in columns if j in self.project_of]
                switch = [j for j in columns if j not in self.project_of]
                if len(owner) == 1 and len(switch) == 1:
                    switch_of[self.project_of[owner[0]]] = switch[0]
            elif name.startswith("open_jobs_"):
                open_rows.append(constraint.index)
        self._arrange(
            highs,
            switch_of,
            open_rows,
            model.figures["capex"].to_numpy(dtype=float),
            model.figures["forced_in"].to_numpy(dtype=bool),
        )

    @classmethod
    def of_columns(
        cls,
        highs,  # noqa: ANN001 (highspy.Highs)
        starts: list[list[tuple[int, int]]],
        chosen: list[int | None],
        open_rows: list[int],
        capex,  # noqa: ANN001 (numpy array)
        mandatory,  # noqa: ANN001 (numpy array)
    ) -> _Repairer:
        """A repairer for a model that is not a SelectionModel's own (a block of it): per
        project its (start year, column) pairs and chosen column, the open-jobs rows, each
        project's capex and whether it is mandatory; no government-pay switches."""
        self = cls.__new__(cls)
        self._project_columns(starts, chosen)
        self._arrange(highs, {}, open_rows, capex, mandatory)
        return self

    def _project_columns(
        self, starts: list[list[tuple[int, int]]], chosen: list[int | None]
    ) -> None:
        self.starts, self.chosen = starts, chosen
        self.project_of: dict[int, int] = {}  # column → project position (an array after)
        self.start_of: dict[int, int] = {}
        for i, options in enumerate(starts):
            for t, j in options:
                self.project_of[j] = i
                self.start_of[j] = t
            if chosen[i] is not None:
                self.project_of[chosen[i]] = i

    def _arrange(self, highs, switch_of, open_rows, capex, mandatory) -> None:  # noqa: ANN001

        self.highs = highs
        lp = highs.getLp()
        a = lp.a_matrix_
        start = np.asarray(a.start_, np.int64)
        index = np.asarray(a.index_, np.int64)
        value = np.asarray(a.value_, float)
        lengths = np.diff(start)
        if a.format_ == a.format_.kColwise:
            cols = np.repeat(np.arange(lp.num_col_), lengths)
            rows = index
        else:
            rows = np.repeat(np.arange(lp.num_row_), lengths)
            cols = index
        project_of = np.full(lp.num_col_, -1, np.int64)
        project_of[list(self.project_of)] = list(self.project_of.values())
        self.project_of = project_of
        self.switch_of = switch_of
        is_switch = np.zeros(lp.num_col_, bool)
        is_switch[list(self.switch_of.values())] = True
        self._switched: dict[int, int] = {}  # switch column → projects of the plan it serves
        # Rows that involve a flow (the matching, coverage floors) are not checked here.
        flows = (self.project_of[cols] < 0) & ~is_switch[cols]
        checked = np.ones(lp.num_row_, bool)
        checked[rows[flows]] = False
        keep = checked[rows]
        self.rows, self.cols, self.values = rows[keep], cols[keep], value[keep]
        self.checked = checked
        by_col = np.argsort(self.cols, kind="stable")
        self.col_rows = self.rows[by_col]
        self.col_values = self.values[by_col]
        self.col_start = np.searchsorted(self.cols[by_col], np.arange(lp.num_col_ + 1))
        by_row = np.argsort(self.rows, kind="stable")
        self.row_cols = self.cols[by_row]
        self.row_values = self.values[by_row]
        self.row_start = np.searchsorted(self.rows[by_row], np.arange(lp.num_row_ + 1))
        # Worth: the skill-matched job-years a start opens (its coefficients in the open-jobs
        # rows, which hold flows and so are not checked) plus its own objective term.
        is_open_row = np.zeros(lp.num_row_, bool)
        is_open_row[np.asarray(open_rows, np.int64)] = True
        jobs = np.zeros(lp.num_col_)
        opens = is_open_row[rows]
        np.add.at(jobs, cols[opens], -value[opens])
        self.jobs = jobs + np.abs(np.asarray(lp.col_cost_, float))
        self.capex = capex
        self.mandatory = mandatory

    def _columns(self, i: int, t: int) -> list[int]:
        chosen = self.chosen[i]
        xs = [j for s, j in self.starts[i] if s == t]
        return xs + ([chosen] if chosen is not None else [])

    def _add(self, activity, i: int, t: int, sign: float) -> None:  # noqa: ANN001
        for j in self._columns(i, t) + self._toggled(i, sign):
            a, b = self.col_start[j], self.col_start[j + 1]
            activity[self.col_rows[a:b]] += sign * self.col_values[a:b]
        switch = self.switch_of.get(i)
        if switch is not None:
            self._switched[switch] = self._switched.get(switch, 0) + (1 if sign > 0 else -1)

    def _toggled(self, i: int, sign: float) -> list[int]:
        """The switch column that adding (sign 1) or dropping (-1) project i turns on or off:
        its first government-pay PPP in the plan, or its last."""
        switch = self.switch_of.get(i)
        if switch is None:
            return []
        count = self._switched.get(switch, 0)
        return [switch] if (count == 0 if sign > 0 else count == 1) else []

    def _worth(self, i: int, t: int) -> float:
        xs = [j for s, j in self.starts[i] if s == t]
        jobs = float(self.jobs[xs].sum()) if xs else 0.0
        return jobs / self.capex[i] if self.capex[i] > 0 else math.inf

    def repair(self, plan: dict[int, int], *, fill: bool = True) -> dict[int, int] | None:

        lp = self.highs.getLp()
        col_lower = np.asarray(lp.col_lower_, float)
        col_upper = np.asarray(lp.col_upper_, float)
        row_lower = np.asarray(lp.row_lower_, float)
        row_upper = np.asarray(lp.row_upper_, float)

        def is_open(i: int, t: int) -> bool:
            return all(col_upper[j] >= 0.5 for j in self._columns(i, t))

        def protected(i: int) -> bool:
            # Mandatory projects (their own rows) and one forced in by its bounds.
            chosen = self.chosen[i]
            return chosen is not None and (self.mandatory[i] or col_lower[chosen] >= 0.5)

        self._bounds = (row_lower, row_upper)
        self._switched = {}
        fitted: dict[int, int] = {}
        for i, t in plan.items():
            if 0 <= i < len(self.starts) and is_open(i, t):
                fitted[i] = t
        for i, options in enumerate(self.starts):
            if protected(i) and i not in fitted:
                opened = [t for t, _ in options if is_open(i, t)]
                if not opened:
                    return None
                fitted[i] = opened[0]
        activity = np.zeros(lp.num_row_)
        for i, t in fitted.items():
            self._add(activity, i, t, 1.0)
        # Breaches are compared relative to the limit's size (a budget, a share row's 0).
        finite_lower = np.abs(np.where(np.isfinite(row_lower), row_lower, 0.0))
        finite_upper = np.abs(np.where(np.isfinite(row_upper), row_upper, 0.0))
        scale = np.maximum(1.0, np.maximum(finite_lower, finite_upper))
        for _ in range(2 * len(self.starts) + 1):  # each step drops or adds one project
            over = np.where(self.checked, activity - row_upper, 0.0)
            under = np.where(self.checked, row_lower - activity, 0.0)
            breach = np.maximum(over, under)
            worst = int(np.argmax(breach / scale))
            if breach[worst] <= self.TOLERANCE:
                if not fill:
                    return fitted
                return self._fill(fitted, activity, row_lower, row_upper, is_open)
            direction = 1.0 if over[worst] > self.TOLERANCE else -1.0
            a, b = self._row_span(worst)
            candidates: dict[int, float] = {}
            for j, v in zip(self.row_cols[a:b], self.row_values[a:b], strict=True):
                i = int(self.project_of[j])
                if i not in fitted or protected(i):
                    continue
                t = self.start_of.get(int(j))
                if t is not None and t != fitted[i]:
                    continue  # another start year of a chosen project: not in the portfolio
                candidates[i] = candidates.get(i, 0.0) + float(v)
            helping = sorted(
                (i for i, c in candidates.items() if direction * c > 0),
                key=lambda i: (self._worth(i, fitted[i]), i),
            )
            if helping:
                # The least worth first among the drops that break no other limit more.
                drop = next(
                    (i for i in helping if self._harmless(activity, i, fitted[i], -1.0, worst)),
                    helping[0],
                )
                self._add(activity, drop, fitted.pop(drop), -1.0)
                continue
            # Dropping cannot mend this limit (a share that mandatory projects break once
            # the rest is gone): add the best project that mends it and breaks nothing more.
            added = self._mend(fitted, activity, row_lower, row_upper, is_open, worst, direction)
            if added is None:
                return None
            fitted[added[0]] = added[1]
        return None

    def _harmless(self, activity, i: int, t: int, sign: float, row: int) -> bool:  # noqa: ANN001
        """Adding (sign 1) or dropping (-1) this start breaches no limit but `row` more."""

        touched, added = self._change(i, t, sign)
        before, after = activity[touched], activity[touched] + sign * added
        lower, upper = self._bounds[0][touched], self._bounds[1][touched]
        worse = np.maximum(after - upper, lower - after) > np.maximum(
            np.maximum(before - upper, lower - before), 0.0
        ) + self.TOLERANCE
        return not np.any(worse & (touched != row))

    def _change(self, i: int, t: int, sign: float = 1.0):  # noqa: ANN202
        """The rows a project's start touches and what it adds to each (what dropping it, sign
        -1, takes away: the same but for a switch it alone holds on)."""

        columns = self._columns(i, t) + self._toggled(i, sign)
        rows = np.concatenate(
            [self.col_rows[self.col_start[j] : self.col_start[j + 1]] for j in columns]
        )
        values = np.concatenate(
            [self.col_values[self.col_start[j] : self.col_start[j + 1]] for j in columns]
        )
        touched, where = np.unique(rows, return_inverse=True)
        return touched, np.bincount(where, weights=values, minlength=len(touched))

    def _mend(
        self, fitted, activity, row_lower, row_upper, is_open, row: int, direction: float
    ) -> tuple[int, int] | None:

        def breach(values, rows):  # noqa: ANN001, ANN202
            return np.maximum(values - row_upper[rows], row_lower[rows] - values).clip(0)

        best = None
        for i, options in enumerate(self.starts):
            if i in fitted or self.chosen[i] is None:
                continue
            for t, _ in options:
                if not is_open(i, t):
                    continue
                touched, added = self._change(i, t)
                here = touched == row
                if not here.any() or direction * added[here][0] >= 0:
                    continue
                after = activity[touched] + added
                if np.any(breach(after, touched) > breach(activity[touched], touched) + 1e-9):
                    continue
                key = (-self._worth(i, t), i, t)
                if best is None or key < best:
                    best = key
        if best is None:
            return None
        _, i, t = best
        self._add(activity, i, t, 1.0)
        return i, t

    def _row_span(self, row: int) -> tuple[int, int]:
        return int(self.row_start[row]), int(self.row_start[row + 1])

    def _fill(self, fitted, activity, row_lower, row_upper, is_open) -> dict[int, int]:  # noqa: ANN001
        """Then add back, best worth per 亿元 first, every project (a dropped one included,
        perhaps at a later start year: a delay) that fits with every limit still held."""

        tried = sorted(
            (
                (-self._worth(i, t), i, t)
                for i, options in enumerate(self.starts)
                if i not in fitted and self.chosen[i] is not None
                for t, _ in options
                if is_open(i, t)
            ),
        )
        for _, i, t in tried:
            if i in fitted:
                continue
            touched, added = self._change(i, t)
            after = activity[touched] + added
            tolerance = self.TOLERANCE
            if np.all(after <= row_upper[touched] + tolerance) and np.all(
                after >= row_lower[touched] - tolerance
            ):
                self._add(activity, i, t, 1.0)
                fitted[i] = t
        return fitted


def plan_columns(model: SelectionModel, plan: dict[int, int]) -> tuple[list[int], list[float]]:
    """Every start-year and chosen column's value for a portfolio (the flows are left to
    HiGHS, which completes a partial start with a small LP)."""
    index: list[int] = []
    value: list[float] = []
    for i, (options, chosen) in enumerate(zip(model.starts, model.chosen, strict=True)):
        for t, x in options:
            index.append(x.index)
            value.append(1.0 if plan.get(i) == t else 0.0)
        if chosen is not None:
            index.append(chosen.index)
            value.append(1.0 if i in plan else 0.0)
    return index, value


def repair_plan(
    model: SelectionModel, highs: Any, plan: dict[int, int], *, fill: bool = True
) -> dict[int, int] | None:
    """`KeptModel.repair` for a model already in a `highspy.Highs` (the strategies' own runs):
    the plan made to fit the rows that read only project columns under the columns' bounds as
    they stand (a column fixed at 0 is closed, one fixed at 1 kept), then filled."""
    return _Repairer(model, highs).repair(plan, fill=fill)


def repair_columns(
    highs: Any,
    starts: list[list[tuple[int, int]]],
    chosen: list[int | None],
    plan: dict[int, int],
    *,
    open_rows: list[int],
    capex: Any,
    mandatory: Any,
    fill: bool = True,
) -> dict[int, int] | None:
    """`repair_plan` for a model in a `highspy.Highs` that is not a SelectionModel's own (a
    block of one, optimizer.blocks): the projects given by their columns there (see
    `_Repairer.of_columns`); `plan` maps a project's position in `starts` to its start year."""
    repairer = _Repairer.of_columns(highs, starts, chosen, open_rows, capex, mandatory)
    return repairer.repair(plan, fill=fill)
