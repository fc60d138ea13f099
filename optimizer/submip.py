"""LP + sub-MIP on a model held in HiGHS, once for both strategies that use it:
`strategies.lp_submip` on the whole model and `blocks` on each block. The steps: the projects
the LP settles held (`settled`), a start rounded from the LP and repaired (`rounded_start`), a
search on the rest (`fixed_search`), then searches city by city (`city_passes`). Every run
ends on its gap against the LP's bound or on a work budget (`Runner.run`: HiGHS's MIP
interrupt calls, as `solver.WorkMeter` counts them), never on the clock, so the same model
gives the same portfolio on any machine and under any load; the time limit is only the
safety net behind them, and a run it ends is marked (`Runner.clock`).

The projects are given by their columns in the model at hand (`Projects`), so a block's own
model and the whole model's are worked on alike; each caller says how a plan is repaired
(`solver.repair_plan` for the whole model, `solver.repair_columns` for a block)."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterator

import highspy
import numpy as np

from . import relaxation
from .solver import Status, highs_solution, status_of


@dataclasses.dataclass
class Projects:
    """The projects that can be chosen, by their columns in the model at hand."""

    starts: list[list[tuple[int, int]]]  # per project: (start year, column)
    chosen: list[int | None]
    region: np.ndarray  # per project: its city
    # A plan ({position: start year}) made to fit the rows under the columns' bounds as they
    # stand, and filled; None when it cannot be.
    repair: Callable[[dict[int, int]], dict[int, int] | None]

    def columns(self) -> Iterator[tuple[int, list[int]]]:
        """Per project that can be chosen: its position and its start-year and chosen
        columns, the chosen one last."""
        for k, (starts, chosen) in enumerate(zip(self.starts, self.chosen, strict=True)):
            if starts and chosen is not None:
                yield k, [j for _, j in starts] + [chosen]

    def plan_columns(self, plan: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """Every start-year and chosen column's value for a portfolio."""
        index: list[int] = []
        value: list[float] = []
        for k, (starts, chosen) in enumerate(zip(self.starts, self.chosen, strict=True)):
            for t, j in starts:
                index.append(j)
                value.append(1.0 if plan.get(k) == t else 0.0)
            if chosen is not None:
                index.append(chosen)
                value.append(1.0 if k in plan else 0.0)
        return np.asarray(index, np.int32), np.asarray(value, float)


class Watch:
    """One HiGHS callback for a model's runs: ends a run once its incumbent lies within `gap`
    of a bound proven elsewhere (`bound`, HiGHS's minimised sense) or once it has used its
    work budget (`begin`: MIP interrupt calls, as `solver.WorkMeter` counts them); both are
    checked where HiGHS calls back, so the same run stops at the same place on any machine.
    It interrupts a run once `stop()` says so, and hands each better portfolio's columns to
    `on_incumbent` with its gap."""

    def __init__(
        self,
        stop: Callable[[], bool] | None = None,
        on_incumbent: Callable[[list[float], float], None] | None = None,
    ) -> None:
        self.stop, self.on_incumbent = stop, on_incumbent
        self.bound: float | None = None  # minimised sense
        self.gap = 0.0
        self.reached = False
        self.stopped = False
        self.budget: int | None = None
        self.calls = 0
        self.worked = False  # the last run used its budget
        self._looked = 0.0

    def begin(self, budget: int | None) -> None:
        """Before each run: its own work budget (None: none), counted from zero."""
        self.budget, self.calls, self.worked, self.reached = budget, 0, False, False

    def within(self, incumbent: float) -> bool:
        if self.bound is None or not math.isfinite(incumbent):
            return False
        return relaxation.gap(-self.bound, -incumbent) <= self.gap

    def __call__(self, kind, message, data_out, data_in, user_data) -> None:  # noqa: ANN001
        kinds = highspy.cb.HighsCallbackType
        if kind == kinds.kCallbackMipImprovingSolution:
            value = float(data_out.objective_function_value)
            if self.on_incumbent is not None:
                proven = relaxation.gap(-self.bound, -value) if self.bound is not None else math.inf
                self.on_incumbent(list(data_out.mip_solution), proven)
            return
        if kind == kinds.kCallbackMipInterrupt:
            self.calls += 1
            if self.within(float(data_out.mip_primal_bound)):
                self.reached = True
            elif self.budget is not None and self.calls >= self.budget:
                self.worked = True
        if self.stop is not None and not self.stopped:
            now = time.monotonic()
            if now - self._looked > 0.05:  # the callback comes often: look now and then
                self._looked = now
                self.stopped = bool(self.stop())
        # HiGHS keeps the flag between runs of one model: set on every call (as solver's).
        data_in.user_interrupt = self.reached or self.stopped or self.worked

    def attach(self, highs: highspy.Highs) -> None:
        kinds = highspy.cb.HighsCallbackType
        highs.setCallback(self, None)
        for kind in (
            kinds.kCallbackMipImprovingSolution,
            kinds.kCallbackMipInterrupt,
            kinds.kCallbackSimplexInterrupt,
            kinds.kCallbackIpmInterrupt,
        ):
            highs.startCallback(kind)


def incumbent(highs: highspy.Highs) -> float | None:
    """The last run's portfolio's objective (minimised sense), None without one."""
    info = highs.getInfo()
    return float(info.objective_function_value) if info.primal_solution_status == 2 else None


class Runner:
    """The runs of one model in HiGHS: each with its own work budget and the time left of a
    limit shared from `started` as its safety net; `clock` says whether that ended one."""

    def __init__(
        self,
        highs: highspy.Highs,
        watch: Watch,
        *,
        started: float,
        time_limit_s: float,
        least_s: float = 0.01,
    ) -> None:
        self.highs, self.watch = highs, watch
        self.started, self.time_limit_s = started, time_limit_s
        # The least time a run that only completes a portfolio (its projects held) gets,
        # even once the limit is spent: an LP on the flows.
        self.least_s = least_s
        self.clock = False  # a run was ended by the time limit: the answer is the machine's
        watch.attach(highs)

    def left(self) -> float:
        return self.time_limit_s - (time.perf_counter() - self.started)

    def run(self, budget: int | None, *, least_s: float = 0.01) -> bool:
        """One HiGHS run with its own work budget (None: none), the time left as its safety
        net (at least `least_s`); True when that ended it."""
        left = self.left()
        self.highs.setOptionValue("time_limit", max(left, least_s))
        self.watch.begin(budget)
        self.highs.run()
        ended = self.highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit or left <= 0
        self.clock = self.clock or ended
        return ended

    def found(self) -> np.ndarray | None:
        """The last run's columns, None without a portfolio."""
        if self.highs.getInfo().primal_solution_status != 2:
            return None
        return np.asarray(self.highs.getSolution().col_value, float)

    def incumbent(self) -> float | None:
        """The last run's portfolio's objective (minimised sense), None without one."""
        return incumbent(self.highs)

    def status(self) -> Status:
        """How the last run ended, in this package's terms (a watched bound reached counts as
        proven)."""
        watch = self.watch
        return status_of(
            self.highs.getModelStatus(),
            self.highs.getInfo().primal_solution_status == 2,
            worked=watch.worked and not watch.stopped,
            proven=watch.reached,
        )


def settled(
    projects: Projects, lp: relaxation.Relaxation, window: float
) -> tuple[np.ndarray, np.ndarray]:
    """The columns to hold and their values: a project's start-year and chosen columns, when
    the LP puts every start year at 0 or 1 and prices the project beyond `window` (its
    cheapest start's reduced cost with its chosen column's, in the objective's units). A
    project priced within the window could swap with another at little cost, and the
    portfolio needs such swaps: on model version 3 the PPP lines and the sector shares bind,
    and the projects the LP takes whole leave each line's remainder unfilled once its split
    projects are rounded (benchmarks/RESULTS.md, "A good portfolio fast")."""
    index: list[int] = []
    value: list[float] = []
    for starts, chosen in zip(projects.starts, projects.chosen, strict=True):
        if not starts:
            continue
        xs = [j for _, j in starts]
        at = lp.values[xs]
        if np.any(np.minimum(at, 1.0 - at) > relaxation.INTEGRAL):
            continue
        if relaxation.price(lp, xs, chosen) <= window:
            continue
        columns = xs + ([chosen] if chosen is not None else [])
        index += columns
        value += [float(v) for v in np.round(lp.values[columns])]
    return np.asarray(index, np.int32), np.asarray(value, float)


def rounded_start(
    runner: Runner, projects: Projects, lp: relaxation.Relaxation
) -> np.ndarray | None:
    """A start for the fixed search: the LP's portfolio rounded (each project the LP takes at
    least half of, at its largest start year), made to fit and filled under the columns'
    bounds as they stand (`projects.repair`), then completed (training, flows, switches) by
    a run with its project columns held (no budget: an LP on the flows, which gets at least
    `runner.least_s` even once the time is spent). If the half rounding cannot be made to
    fit, every project the LP takes any of is tried, for the repair to drop from: a share row
    the LP meets with split projects can break under the held ones once those are rounded
    away, and dropping is all the repair may do to a held project's row (at 100,000 projects
    by cities, 4 blocks of 10 broke the largest sector's share so). Every column's value;
    None when it cannot be made to fit."""
    highs = runner.highs
    fitted = None
    for least in (0.5, relaxation.INTEGRAL):
        plan: dict[int, int] = {}
        for k, (starts, chosen) in enumerate(zip(projects.starts, projects.chosen, strict=True)):
            if starts and chosen is not None and lp.values[chosen] >= least:
                plan[k] = max(starts, key=lambda option: lp.values[option[1]])[0]
        fitted = projects.repair(plan)
        if fitted is not None:
            break
    if fitted is None:
        return None
    index, value = projects.plan_columns(fitted)
    try:
        with relaxation.holding(highs, index, value):
            runner.run(None, least_s=runner.least_s)
            return runner.found()
    finally:
        highs.clearSolver()


@dataclasses.dataclass
class Fixed:
    """What the fixed search left."""

    held: int  # project columns the LP settled, held in it
    start: np.ndarray | None  # the rounded start's columns
    found: np.ndarray | None  # its portfolio's columns
    status: Status  # how its run ended
    reached: bool  # its portfolio lies within the watched gap of the LP's bound
    answer: object = None  # what `read` gave, when the search is over


def fixed_search(
    runner: Runner,
    projects: Projects,
    lp: relaxation.Relaxation,
    window: float,
    budget: int,
    read: Callable[[Fixed], object] | None = None,
) -> Fixed:
    """The projects the LP settles (`settled` with `window`) held and the rest searched from
    the rounded start, for `budget` calls. When the held projects alone break a row the
    repair cannot mend by dropping others (a sector's share), the start is rounded and
    repaired with nothing held, and only the settled projects it agrees with are held. When
    the run reached the gap, was stopped or was ended by the clock, `read` is given what it
    left (its `answer` is what `read` returns) before the held bounds go back (HiGHS forgets
    its answer when the model changes)."""
    highs = runner.highs
    columns, values = settled(projects, lp, window)
    held = relaxation.hold(highs, columns, values)
    try:
        start = rounded_start(runner, projects, lp)
        if start is None and len(columns):
            relaxation.release(highs, held)
            held = relaxation.hold(highs, np.zeros(0, np.int32), np.zeros(0))
            start = rounded_start(runner, projects, lp)
            agree = (
                np.abs(start[columns] - values) < 0.5
                if start is not None
                else np.ones(len(columns), bool)
            )
            held = relaxation.hold(highs, columns[agree], values[agree])
        if start is not None:
            highs.setSolution(highs_solution(start))
        runner.run(budget)
        status = runner.status()
        incumbent = runner.incumbent()
        reached = incumbent is not None and runner.watch.within(incumbent)
        out = Fixed(len(columns), start, runner.found(), status, reached)
        if read is not None and (reached or runner.watch.stopped or runner.clock):
            out.answer = read(out)
        return out
    finally:
        relaxation.release(highs, held)


@dataclasses.dataclass(frozen=True)
class CityBudgets:
    """The searches city by city: each city's projects priced within `window` free (at most
    `most_free` of them, the cheapest priced; None: all), `work` calls each, `searches` in
    all."""

    window: float
    work: int
    searches: int
    most_free: int | None = None


def city_passes(
    runner: Runner,
    projects: Projects,
    lp: relaxation.Relaxation,
    values: np.ndarray,
    budgets: CityBudgets,
) -> tuple[np.ndarray, float, int, int]:
    """Passes over the cities from the portfolio in `values`, each pass only while the last
    one improved, until the portfolio lies within the watched gap of the LP's bound or
    `budgets.searches` city searches are spent. The best columns, their objective (minimised
    sense), the passes and the searches."""
    watch = runner.watch
    cost = np.asarray(runner.highs.getLp().col_cost_, float)
    best = values
    value = float(cost @ best)
    passes = searches = 0
    while searches < budgets.searches and not watch.within(value):
        left = budgets.searches - searches
        best, better, done = by_city(runner, projects, lp, best, budgets, left)
        passes, searches = passes + 1, searches + done
        if watch.stopped or runner.clock or better >= value - 1e-9 * max(1.0, abs(value)):
            value = min(value, better)
            break  # stopped, or a pass that finds nothing better
        value = better
    return best, value, passes, searches


def by_city(
    runner: Runner,
    projects: Projects,
    lp: relaxation.Relaxation,
    values: np.ndarray,
    budgets: CityBudgets,
    searches: int,
) -> tuple[np.ndarray, float, int]:
    """One pass over the cities, at most `searches` of them: each city's projects priced
    within the window searched again (for `budgets.work` calls) from the portfolio in
    `values`, every other project kept as it is there. The best columns, their objective
    (minimised sense) and the cities searched. Stops early when a run reaches the gap, is
    stopped, or is ended by the time limit."""
    highs, watch = runner.highs, runner.watch
    cost = np.asarray(highs.getLp().col_cost_, float)
    best, objective = values, float(cost @ values)
    region = projects.region
    columns = list(projects.columns())
    price = {k: relaxation.price(lp, cs[:-1], cs[-1]) for k, cs in columns}
    free = {k: price[k] <= budgets.window for k, _ in columns}
    if budgets.most_free is not None:
        # The cheapest priced a city: HiGHS's presolve does not look at its clock or its
        # callback, and a city of 17,000 projects at 100,000 overran a 3 s search by 30 s.
        by_city_free: dict[int, list[int]] = {}
        for k, _ in columns:
            if free[k]:
                by_city_free.setdefault(int(region[k]), []).append(k)
        for mine in by_city_free.values():
            for k in sorted(mine, key=lambda k: (price[k], k))[budgets.most_free :]:
                free[k] = False
    # The cities whose projects lie furthest from the LP first (the objective the LP's
    # values gain over the portfolio's on the city's project columns): a pass may end early.
    behind: dict[int, float] = {}
    for k, cs in columns:
        city = int(region[k])
        gain = float(cost[cs] @ (values[cs] - lp.values[cs]))
        behind[city] = behind.get(city, 0.0) + gain
    done = 0
    for city in sorted(behind, key=lambda c: (-behind[c], c))[:searches]:
        done += 1
        kept = np.asarray(
            [j for k, cs in columns if region[k] != city or not free[k] for j in cs], np.int32
        )
        try:
            with relaxation.holding(highs, kept, np.round(best[kept])):
                highs.setSolution(highs_solution(best))
                ended = runner.run(budgets.work)
                value, found = runner.incumbent(), runner.found()
                if found is not None and value < objective - 1e-9 * max(1.0, abs(objective)):
                    best = found
                    objective = float(cost @ best)
        finally:
            highs.clearSolver()
        if ended or watch.reached or watch.stopped:
            break
    return best, objective, done
