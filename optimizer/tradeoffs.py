"""Trade-offs: what each 亿元, each point of the PPP line and each uncertain jobs figure is worth.

Every analysis here is many independent solves of the selection model:

- `frontier`: one lever (fiscal budget, bond quota, debt headroom, PPP line, commuting
  distance) moves over a range; `frontier_grid`: two levers at once, for a heat map;
- `break_even`: each project forced in (left out ones) or out (chosen ones);
- `robustness`: jobs per 亿元 drawn within ±30 %, capex overruns of 0 to +40 % and each
  city's baseline re-employment rate within ±50 %, many times.

The solves run in fixed chunks on an optional executor (`optimizer.batch`: where, progress,
cancel), so the results are the same on every executor.

Inside a chunk one model is kept: when only limit amounts move (budgets, quotas, headroom,
the PPP line) the HiGHS model's row bounds are changed and the previous point's portfolio is
given as a start; forcing a project in or out changes bounds only. Anything else is rebuilt.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .batch import (
    AnalysisCancelled,
    AnalysisError,
    RunOptions,
    SolveLimits,
    StopFlag,
    cut,
    run_chunks,
)
from .instance import Instance, prepare
from .limits import FAMILIES, MONEY_FIELDS
from .loader import PlanningData, check_planning_data
from .model import SelectionModel, build_model, limit_amounts
from .pipeline import solve
from .precision import slack
from .scenario import Scenario
from .solution import Solution
from .solver import KeptModel, SolverError, SolverRun, Status, run_solver


@dataclass(frozen=True)
class Lever:
    """A setting a frontier moves, and how to read it as an amount a planner knows."""

    name: str
    field: str  # the Scenario field it sets
    is_scale: bool  # a multiplier of the workbook's amounts (else the setting's own value)
    unit: str  # the unit of `amount`
    total: str | None = None  # the Instance mapping summed for `amount` (None: the setting)

    def setting_of(self, data: PlanningData, scenario: Scenario) -> float:
        if self.is_scale:
            return float(getattr(scenario, self.field))
        return scenario.setting(data, self.field)

    def amount(self, inst: Instance) -> float:
        """The lever as money (亿元, summed over years or cities) or kilometres."""
        if self.total is not None:
            return float(sum(getattr(inst, self.total).values()))
        return inst.setting(self.field)


# The limit families with a lever (limits.FAMILIES), then the commuting distance.
LEVERS: dict[str, Lever] = {
    lever.name: lever
    for lever in (
        *(
            Lever(f.name, f.lever, f.is_scale, f.unit, f.total)
            for f in FAMILIES.values()
            if f.lever is not None
        ),
        Lever("commute_km", "commute_km", False, "km"),
    )
}


# ---------------------------------------------------------------------------- one solve


@dataclass
class Outcome:
    """What one solve of an analysis gives back (small, so it travels between processes)."""

    status: Status
    objective: float = math.nan
    worker_years: float = math.nan
    job_years: float = math.nan
    capex: float = math.nan
    gap: float = math.nan
    seconds: float = 0.0
    chosen: list[int] = field(default_factory=list)  # positions of the chosen projects
    reused: bool = False  # re-solved on a kept model rather than rebuilt
    bound: float = math.nan  # the solver's proven bound on the best objective
    gap_base: float | None = None  # the objective the gap is relative to (the solver's)
    starts: dict[int, int] = field(default_factory=dict)  # {position: start year}
    carried: bool = False  # the cheaper neighbour's portfolio, better than this point's search
    # The headline's own solve re-solved near a cheaper point's better plan (frontier current=).
    adopted: bool = False


class Resolver:
    """Keeps one model in HiGHS and re-solves it as limit amounts and forced projects change.

    `solve(scenario)` rebuilds only when the scenario differs in more than MONEY_FIELDS from
    the model it holds; otherwise it changes row bounds and starts from the last portfolio.
    A rebuilt model, or a solve forcing a project, starts from a neighbouring portfolio
    repaired to fit (`KeptModel.repair`): the last one solved here, else `plan` (the base
    scenario's, for break-even and robustness). Every HiGHS call goes through the solver
    adapter's `KeptModel`.
    """

    def __init__(
        self,
        data: PlanningData,
        limits: SolveLimits | None = None,
        *,
        warm_start: bool = True,
        stop: StopFlag | None = None,
        plan: dict[int, int] | None = None,
    ) -> None:
        self.data = data
        self.limits = limits or SolveLimits()
        self.warm_start = warm_start
        self.stop = stop
        self.plan = plan  # {position: start year} of a neighbouring portfolio
        self.model: SelectionModel | None = None
        self._kept: KeptModel | None = None
        self._last_start: list[float] | None = None
        self._last_plan: dict[int, int] | None = None
        self._asked: tuple[Scenario, Scenario] | None = None  # the last scenario, resolved
        self._held: Scenario | None = None  # the scenario the kept model holds now

    def _fits(self, scenario: Scenario) -> bool:
        if self.model is None:
            return False
        held = self.model.scenario
        return held.replace(**{f: getattr(scenario, f) for f in MONEY_FIELDS}) == scenario

    def solve(self, scenario: Scenario, *, force: tuple[int, str] | None = None) -> Outcome:
        """Solve under the scenario; force=(position, "in"|"out") forces one project."""
        if self._asked is None or scenario is not self._asked[0]:
            self._asked = (scenario, scenario.resolved(self.data))
        resolved = self._asked[1]
        reused = self._fits(resolved)
        lim = self.limits
        limit = lim.time_limit_s if lim.time_limit_s is not None else resolved.time_limit_s
        gap = lim.mip_gap if lim.mip_gap is not None else resolved.mip_gap
        if not reused:
            self.model = build_model(prepare(self.data, resolved))
            stop = self.stop.is_set if self.stop else None
            self._kept = KeptModel(
                self.model,
                time_limit=limit,
                gap=gap,
                node_limit=lim.node_limit,
                stop=stop,
                work_limit=lim.work_limit,
            )
            self._last_start = None
        model, kept = self.model, self._kept
        assert model is not None
        assert kept is not None
        if reused and resolved != self._held:
            kept.set_stopping(limit, gap)
            model.instance = prepare(self.data, resolved)
            amounts = limit_amounts(model.instance)
            for row in model.limits:
                if row.name in amounts and amounts[row.name] != row.limit:
                    row.limit = amounts[row.name]
                    kept.set_row_upper(row.name, row.limit)
        # Break-even forces one project after another under one scenario: nothing to change.
        self._held = resolved
        if self.stop is not None and self.stop.is_set():
            raise AnalysisCancelled("stopped")
        start = plan = None
        if self.warm_start:
            # The last point's own columns where they still fit as they are (the same model,
            # a looser limit); else a neighbouring portfolio, repaired.
            start = self._last_start if force is None else None
            if start is None:
                plan = self._last_plan if force is None and self._last_plan else self.plan
        # Read the answer inside the context: putting the bounds back clears HiGHS's status.
        with _forcing(kept, force):
            run = kept.run(start, plan=plan)
            if self.stop is not None and self.stop.is_set():
                raise AnalysisCancelled("stopped")
            outcome = _outcome(model, run, reused)
            if run.status.has_portfolio and force is None:
                self._last_start = kept.values()
                self._last_plan = outcome.starts
        return outcome


@contextmanager
def _forcing(kept: KeptModel, force: tuple[int, str] | None) -> Iterator[None]:
    """Force one project in or out for one solve, by its chosen variable's bounds, and put
    the bounds back."""
    if force is None or kept.model.chosen[force[0]] is None:
        yield
        return
    position, how = force
    y = kept.model.chosen[position]
    saved = (y.lowBound, y.upBound)
    if how == "out":
        kept.set_bounds(y, saved[0], 0)
    else:
        kept.set_bounds(y, 1, saved[1])
    try:
        yield
    finally:
        kept.set_bounds(y, *saved)


def _outcome_of(data: PlanningData, solution: Solution) -> Outcome:
    """A solve's answer as a point of an analysis: the same plan and the same figures."""
    ids = prepare(data, solution.scenario).projects["project_id"]
    position = {pid: i for i, pid in enumerate(ids)}
    starts = {position[pid]: t for pid, t in solution.chosen_starts.items()}
    base = solution.gap_base
    return Outcome(
        solution.status,
        objective=solution.objective,
        worker_years=solution.worker_years,
        job_years=solution.job_years,
        capex=float(solution.chosen["capex"].sum()),
        gap=float(solution.gap) if solution.gap is not None else math.nan,
        seconds=solution.solve_seconds,
        chosen=sorted(starts),
        bound=solution.objective + solution.gap * base
        if solution.gap is not None and base is not None
        else math.nan,
        gap_base=base,
        starts=starts,
    )


def _outcome(model: SelectionModel, run: SolverRun, reused: bool) -> Outcome:
    if not run.status.has_portfolio:
        return Outcome(run.status, seconds=run.seconds, reused=reused)
    start_of = model.start_of()
    chosen = sorted(start_of)
    figures = model.figures
    return Outcome(
        run.status,
        # model.md's maximised form, as Solution.objective: the solver's less the exposure.
        objective=float(run.objective or 0.0) + model.objective_constant,
        worker_years=float(
            sum(g.varValue or 0.0 for g in model.flows.values())
            + sum(k.varValue or 0.0 for k in model.trained_flows.values())
        ),
        job_years=float(model.instance.jobs_by_year(start_of).sum()),
        capex=float(figures["capex"].iloc[chosen].sum()),
        gap=float(run.gap) if run.gap is not None else math.nan,
        seconds=run.seconds,
        chosen=chosen,
        reused=reused,
        bound=float(run.bound) + model.objective_constant if run.bound is not None else math.nan,
        starts=start_of,
        gap_base=abs(float(run.objective)) if run.objective is not None else None,
    )


def _shows_more(worker_years: float, objective: float, than: Outcome) -> bool:
    """More worker-years, or a better objective without fewer worker-years (to rounding)."""
    eps = 1e-6 * max(1.0, abs(than.worker_years))
    if worker_years > than.worker_years + eps:
        return True
    better = objective > than.objective + 1e-6 * max(1.0, abs(than.objective))
    return better and worker_years >= than.worker_years - eps


def _carry_forward(
    data: PlanningData,
    scenarios: list[Scenario],
    outcomes: list[Outcome],
    keep: int | None = None,
    poorer: Sequence[Sequence[int]] | None = None,
    adopt: Callable[[int, int], None] | None = None,
    gap: float = 0.0,
) -> None:
    """A point never shows fewer worker-years than a point with less of a lever: the cheaper
    point's portfolio stays feasible when the lever loosens, so where a point shows less
    than its best cheaper neighbour, that neighbour's portfolio (evaluated at the point, a
    small LP) replaces it when it does better, or shows more worker-years within the
    precision stated (`gap`, or the point's own when larger, against the point's bound: the
    objective weighs years and other jobs, so within its gap it may show fewer worker-years).
    The point's own bound still holds. Deterministic: no search is re-run. Points are taken
    in order, so a carried plan carries on upwards.
    poorer: each point's cheaper neighbours, all earlier in the list (default: the previous
    point; a grid gives the one before along each lever).
    keep: the point that is the headline's own solve: it is not replaced by an LP but told to
    `adopt(point, neighbour)` the better plan (a re-solve near it, which may update it)."""
    for k in range(len(outcomes)):
        neighbours = poorer[k] if poorer is not None else ([k - 1] if k else [])
        fits = [j for j in neighbours if outcomes[j].status.has_portfolio]
        here = outcomes[k]
        if not fits or not here.status.has_portfolio:
            continue
        j = max(fits, key=lambda j: (outcomes[j].worker_years, outcomes[j].objective))
        before = outcomes[j]
        if not _shows_more(before.worker_years, before.objective, here):
            continue
        if k == keep:
            if adopt is not None:
                adopt(k, j)
            continue
        inst = prepare(data, scenarios[k])
        ids = inst.projects["project_id"]
        model = build_model(inst, fixed_starts={ids[i]: t for i, t in before.starts.items()})
        run = run_solver(model, mip_gap=0.0)
        if not run.status.has_portfolio:
            continue
        carried = _outcome(model, run, reused=False)
        bound = here.bound if math.isfinite(here.bound) else carried.objective
        carried.bound = bound
        base = carried.gap_base if carried.gap_base is not None else abs(carried.objective)
        carried.gap = max(0.0, (bound - carried.objective) / max(base, 1e-9))
        better = carried.objective > here.objective
        within = carried.gap <= max(gap, here.gap if math.isfinite(here.gap) else 0.0) + 1e-12
        if not _shows_more(carried.worker_years, carried.objective, here) or not (
            better or within
        ):
            continue
        carried.status = here.status
        carried.seconds = here.seconds + run.seconds
        carried.carried = True
        outcomes[k] = carried


# ---------------------------------------------------------------------------- running chunks


def _solve_scenarios(
    data: PlanningData,
    scenarios: list[Scenario],
    limits: SolveLimits,
    warm_start: bool = True,
    on_solved: Callable[[], None] | None = None,
    stop: StopFlag | None = None,
) -> list[Outcome]:
    """One chunk: the scenarios in order on one kept model (a task for any executor)."""
    resolver = Resolver(data, limits, warm_start=warm_start, stop=stop)
    out = []
    for scenario in scenarios:
        out.append(resolver.solve(scenario))
        if on_solved:
            on_solved()
    return out


def _solve_forced(
    data: PlanningData,
    scenario: Scenario,
    forces: list[tuple[int, str]],
    limits: SolveLimits,
    plan: dict[int, int] | None = None,
    on_solved: Callable[[], None] | None = None,
    stop: StopFlag | None = None,
) -> list[Outcome]:
    """One chunk of break-even solves, each forcing one project, on one kept model, each
    starting from the base portfolio (`plan`) repaired to fit."""
    resolver = Resolver(data, limits, stop=stop, plan=plan, warm_start=plan is not None)
    out = []
    for force in forces:
        out.append(resolver.solve(scenario, force=force))
        if on_solved:
            on_solved()
    return out


def draw_multipliers(
    draws: int,
    projects: int,
    spread: float,
    overrun: float,
    seed: int,
    regions: int = 0,
    rate_spread: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(jobs multipliers, capex multipliers), draws × projects, and baseline re-employment
    rate multipliers, draws × regions. With spread, overrun and rate_spread 0 every multiplier
    is exactly 1.0: the draws are the plain solve. Drawn in that order, so a seed's jobs draws
    do not depend on the overrun asked for, nor either on the rates'."""
    rng = np.random.default_rng(seed)
    jobs = rng.uniform(1.0 - spread, 1.0 + spread, size=(draws, projects))
    capex = rng.uniform(1.0, 1.0 + overrun, size=(draws, projects))
    return jobs, capex, rng.uniform(1.0 - rate_spread, 1.0 + rate_spread, size=(draws, regions))


def drawn_data(
    data: PlanningData,
    jobs: np.ndarray,
    overrun: np.ndarray,
    rates: np.ndarray | None = None,
    default_rate: float = 0.0,
) -> PlanningData:
    """The workbook of one robustness draw: every project's jobs per 亿元 multiplied by
    `jobs`, its capex by `overrun` (≥ 1), and each city's baseline re-employment rate (its
    own, else `default_rate`, the scenario's) by `rates`, kept within [0, 1]. An overrun
    costs money, not work: the project's jobs stay as they were (jobs per 亿元 falls by the
    same factor), and a PPP contract's yearly payment is fixed."""
    projects = data.projects.copy()
    projects["capex"] = data.projects["capex"].to_numpy(dtype=float) * overrun
    projects["jobs_per_yi"] = data.projects["jobs_per_yi"].to_numpy(dtype=float) * jobs / overrun
    regions = data.regions
    if rates is not None:
        regions = data.regions.copy()
        own = regions.get("baseline_reemployment_rate", pd.Series(np.nan, index=regions.index))
        base = own.astype(float).fillna(float(default_rate)).to_numpy(float)
        regions["baseline_reemployment_rate"] = np.clip(base * rates, 0.0, 1.0)
    drawn = dataclasses.replace(data, projects=projects, regions=regions, warnings=())
    # A draw of checked tables: an overrun may take capex past the contract's bound, which
    # is the point of the draw, not a mistake in a workbook.
    drawn._checked.extend(data._checked)
    return drawn


def _solve_draws(
    data: PlanningData,
    scenario: Scenario,
    multipliers: np.ndarray,
    limits: SolveLimits,
    plan: dict[int, int] | None = None,
    on_solved: Callable[[], None] | None = None,
    stop: StopFlag | None = None,
) -> list[Outcome]:
    """One chunk of robustness draws: each row holds every project's jobs multiplier, then
    its capex multiplier, then each city's baseline rate multiplier. Each draw starts from
    the base portfolio (`plan`) repaired to fit the draw (an overrun may break a budget)."""
    out = []
    n = len(data.projects)
    rate = float(scenario.baseline_reemployment_rate or 0.0)
    for row in multipliers:
        drawn = drawn_data(data, row[:n], row[n : 2 * n], row[2 * n :], rate)
        resolver = Resolver(drawn, limits, stop=stop, plan=plan, warm_start=plan is not None)
        out.append(resolver.solve(scenario))
        if on_solved:
            on_solved()
    return out


# ---------------------------------------------------------------------------- frontier


def lever_settings(
    data: PlanningData, scenario: Scenario, lever: str, points: int | Sequence[float]
) -> list[float]:
    """The lever's settings: `points` evenly from 0 to 200 % of its current value, or the
    values given (scales for money levers, shares for ppp_line, km for commute_km)."""
    spec = _lever(lever)
    if isinstance(points, int):
        if points < 2:
            raise AnalysisError(
                "a frontier needs at least 2 points", "points_too_few", got=str(points)
            )
        current = spec.setting_of(data, scenario)
        return [float(v) for v in np.linspace(0.0, 2.0 * current, points)]
    values = [float(v) for v in points]
    if not values or any(not math.isfinite(v) or v < 0 for v in values):
        raise AnalysisError(
            f"{lever}: settings must be finite and ≥ 0, got {values}",
            "settings_range",
            lever=lever,
            got=str(values),
        )
    if lever == "ppp_line" and any(v > 1 for v in values):
        # A share of general budget expenditure: above 1 it would be solved as 1, silently.
        raise AnalysisError(
            f"ppp_line: settings are shares from 0 to 1, got {values}",
            "ppp_line_shares",
            got=str(values),
        )
    return values


def check_projects(data: PlanningData, projects: Sequence[str] | None) -> None:
    """An AnalysisError naming the ids the workbook lacks: asked of break_even, they would
    silently give no row, so they are refused before any solve."""
    unknown = sorted(set(projects or ()) - set(data.projects["project_id"]))
    if unknown:
        raise AnalysisError(
            f"break_even: no project {', '.join(unknown)} in the workbook",
            "no_such_projects",
            ids=", ".join(unknown),
        )


def _check_current(current: Solution, base: Scenario, analysis: str) -> None:
    """An analysis's `current` must be the solve of its own scenario: the figure it marks as
    the headline's is then the headline's."""
    if current.scenario != base:
        raise AnalysisError(
            f"{analysis}: current must be the solve of the scenario given",
            "current_other",
            analysis=analysis,
        )


def _lever(name: str) -> Lever:
    if name not in LEVERS:
        raise AnalysisError(
            f"unknown lever '{name}'; choose from {', '.join(LEVERS)}",
            "unknown_lever",
            got=str(name),
            levers=tuple(LEVERS),
        )
    return LEVERS[name]


def _set_lever(scenario: Scenario, lever: Lever, value: float) -> Scenario:
    if lever.name == "ppp_line":
        value = min(value, 1.0)  # a share of expenditure: 0–200 % of a line can pass 1
    return scenario.replace(**{lever.field: value})


def _on_highs(scenario: Scenario) -> Scenario:
    """The analyses keep one HiGHS model and change it in place: another solver would be
    ignored without a word, so it is refused."""
    if scenario.solver != "highs":
        raise AnalysisError(
            f"the trade-off analyses run on HiGHS; the scenario asks for {scenario.solver} "
            "(set solver=highs)",
            "highs_only",
            solver=scenario.solver,
        )
    return scenario


def _outcome_columns(o: Outcome) -> dict:
    """The columns every re-solve table shares, after the lever's own."""
    return {
        "status": o.status,
        "objective": o.objective,
        "worker_years": o.worker_years,
        "job_years": o.job_years,
        "capex": o.capex,
        "projects": len(o.chosen),
        "gap": o.gap,
        # How far below the best this solve may be (objective units): what its figures can
        # be rounded to (precision.rounded).
        "tolerance": slack(o.objective, o.gap, o.gap_base),
        "seconds": o.seconds,
        "carried": o.carried,
        "adopted": o.adopted,
    }


def _adopter(
    data: PlanningData,
    base: Scenario,
    scenarios: list[Scenario],
    outcomes: list[Outcome],
    on_adopted: Callable[[Solution], None] | None,
) -> Callable[[int, int], None]:
    """How the headline's own point (k) adopts a cheaper point's better plan: the scenario
    solved again near that plan (`solve(..., reference=)`); kept only when it shows more."""

    def adopt(k: int, poorer: int) -> None:
        ids = prepare(data, scenarios[poorer]).projects["project_id"]
        plan = {ids[i]: t for i, t in outcomes[poorer].starts.items()}
        try:
            adopted = solve(data, base, reference=plan)
        except (ValueError, SolverError):
            return  # the headline's answer stays: shown as it is, never wrongly
        if not _shows_more(adopted.worker_years, adopted.objective, outcomes[k]):
            return
        outcomes[k] = dataclasses.replace(_outcome_of(data, adopted), adopted=True)
        if on_adopted is not None:
            on_adopted(dataclasses.replace(adopted, adopted=True))

    return adopt


def frontier(
    data: PlanningData,
    scenario: Scenario | None = None,
    lever: str = "fiscal_budget",
    points: int | Sequence[float] = 21,
    *,
    options: RunOptions | None = None,
    chunk_size: int = 7,
    warm_start: bool = True,
    current: Solution | None = None,
    on_adopted: Callable[[Solution], None] | None = None,
) -> pd.DataFrame:
    """Re-solve as one lever moves; one row per point, in rising order of the lever.

    Columns: lever, setting (the scale, share or km set), amount (the lever in 亿元 or km),
    unit, status, objective, worker_years, job_years, capex, projects, gap, seconds,
    marginal_worker_years and marginal_job_years (per extra unit of `amount` since the
    previous point: per 亿元 for money levers), current (the scenario's own setting) and
    other_jobs_weight (the scenario's: the objective counts each job-year at this much of a
    worker-year, so with a weight more of the lever can show fewer worker-years), and with a
    weight, weighted_job_years (weight × job_years: the objective's other part).
    Also change_tolerance and within_precision (the change since the previous point is no
    larger than the two solves' gaps allow: no marginal is shown) and carried (the cheaper
    point's portfolio did better here than this point's own search, or showed more worker-years
    within the stated precision) and adopted (the current point re-solved near such a plan,
    below). `options`: where and
    how the solves run and end (RunOptions; by default in this process, each solve ending on
    its gap or on deterministic node and work limits, status `work_limit`).
    current: the scenario's own solve (the headline's): the point at the scenario's setting
    is that answer (the same plan and figures; the setting is added when no point has it),
    and the points with more of the lever never show less than it. Where a point with less
    of the lever beats it (each search stops within its gap), the current point adopts that
    plan: the scenario is solved again near it (`solve(..., reference=)`), the row's
    `adopted` is True and `on_adopted` is told of the new answer, for the headline to show
    the same figure.
    """
    options = RunOptions.of(options)
    base = _on_highs(Scenario.of(scenario).resolved(check_planning_data(data)))
    spec = _lever(lever)
    settings = sorted(lever_settings(data, base, lever, points))
    here = None
    if current is not None:
        _check_current(current, base, "frontier")
        own = spec.setting_of(data, base)
        if not any(math.isclose(v, own) for v in settings):
            settings = sorted([*settings, own])
        here = next(k for k, v in enumerate(settings) if math.isclose(v, own))
    scenarios = [_set_lever(base, spec, v) for v in settings]
    limits = options.limits
    chunks = [(data, part, limits, warm_start) for part in cut(scenarios, chunk_size)]
    outcomes = run_chunks(_solve_scenarios, chunks, [len(c[1]) for c in chunks], options)
    if current is not None and here is not None:
        outcomes[here] = _outcome_of(data, current)

    adopt = _adopter(data, base, scenarios, outcomes, on_adopted)
    asked = limits.mip_gap if limits.mip_gap is not None else float(base.mip_gap)
    _carry_forward(data, scenarios, outcomes, keep=here, adopt=adopt, gap=asked)
    table = pd.DataFrame(
        {
            "lever": spec.name,
            "setting": setting,
            "amount": spec.amount(prepare(data, point)),
            "unit": spec.unit,
            **_outcome_columns(o),
        }
        for setting, point, o in zip(settings, scenarios, outcomes, strict=True)
    )
    step = table["amount"].diff()
    # What two neighbouring solves may differ by for no reason but where each search stopped.
    slacks = pd.Series([slack(o.objective, o.gap, o.gap_base) for o in outcomes])
    table["change_tolerance"] = slacks + slacks.shift()
    table["within_precision"] = table["objective"].diff().abs() <= table["change_tolerance"]
    for column in ("worker_years", "job_years"):
        marginal = (table[column].diff() / step).where(step > 0)
        # Within the two gaps a change is not a finding: no marginal is shown.
        table[f"marginal_{column}"] = marginal.where(~table["within_precision"])
    current = spec.setting_of(data, base)
    table["current"] = np.isclose(table["setting"], current)
    # The objective's other part: with a weight, more money can show fewer worker-years
    # (conclusions.jobs_trade says when).
    weight = float(base.setting(data, "other_jobs_weight"))
    table["other_jobs_weight"] = weight
    if weight > 0:  # what the objective adds for the jobs, in worker-years' worth
        table["weighted_job_years"] = weight * table["job_years"]
    return table


def frontier_grid(
    data: PlanningData,
    scenario: Scenario | None = None,
    levers: tuple[str, str] = ("fiscal_budget", "bond_quota"),
    points: tuple[int | Sequence[float], int | Sequence[float]] = (5, 5),
    *,
    options: RunOptions | None = None,
    current: Solution | None = None,
    on_adopted: Callable[[Solution], None] | None = None,
) -> pd.DataFrame:
    """Two levers at once (a heat map): one row per pair of settings.

    Columns: lever_x, setting_x, amount_x, lever_y, setting_y, amount_y, status, objective,
    worker_years, job_years, capex, projects, gap, tolerance, seconds, current (the
    scenario's own pair of settings), carried. Each row of the grid (one y) is one chunk,
    solved along x on one kept model. More of either lever never shows less (a cell's search
    that stopped lower takes its better cheaper neighbour's plan, as the frontier does).
    current: the scenario's own solve (the headline's), as for `frontier`: the cell at the
    scenario's pair of settings is that answer (each setting is added when the grid lacks
    it), or the plan it adopts from a cheaper cell that showed more (`adopted`, and
    `on_adopted` is told of the new answer, for the headline to show the same figure).
    """
    base = _on_highs(Scenario.of(scenario).resolved(check_planning_data(data)))
    spec_x, spec_y = _lever(levers[0]), _lever(levers[1])
    if spec_x.name == spec_y.name:
        raise AnalysisError(
            "a grid needs two different levers", "grid_same_lever", lever=spec_x.name
        )
    xs = sorted(lever_settings(data, base, spec_x.name, points[0]))
    ys = sorted(lever_settings(data, base, spec_y.name, points[1]))
    own = (spec_x.setting_of(data, base), spec_y.setting_of(data, base))
    if current is not None:
        _check_current(current, base, "frontier_grid")
        xs = xs if any(math.isclose(v, own[0]) for v in xs) else sorted([*xs, own[0]])
        ys = ys if any(math.isclose(v, own[1]) for v in ys) else sorted([*ys, own[1]])
    rows_of = [[_set_lever(_set_lever(base, spec_y, y), spec_x, x) for x in xs] for y in ys]
    options = RunOptions.of(options)
    chunks = [(data, row, options.limits, True) for row in rows_of]
    outcomes = run_chunks(_solve_scenarios, chunks, [len(xs)] * len(ys), options)
    flat = [sc for row in rows_of for sc in row]
    here = None
    if current is not None:
        column = next(k for k, v in enumerate(xs) if math.isclose(v, own[0]))
        row = next(k for k, v in enumerate(ys) if math.isclose(v, own[1]))
        here = row * len(xs) + column
        outcomes[here] = _outcome_of(data, current)
    # More of either lever never shows less: each cell starts from the better of its cheaper
    # neighbours along x and along y (row by row, so both are settled first).
    nx = len(xs)
    poorer = [
        [k - 1] * (k % nx > 0) + [k - nx] * (k >= nx) for k in range(len(outcomes))
    ]
    asked = options.limits.mip_gap
    _carry_forward(
        data,
        flat,
        outcomes,
        keep=here,
        poorer=poorer,
        adopt=_adopter(data, base, flat, outcomes, on_adopted),
        gap=asked if asked is not None else base.mip_gap,
    )
    points_xy = [
        (x, y, prepare(data, sc))
        for y, row in zip(ys, rows_of, strict=True)
        for x, sc in zip(xs, row, strict=True)
    ]
    rows = [
        {
            "lever_x": spec_x.name,
            "setting_x": x,
            "amount_x": spec_x.amount(inst),
            "lever_y": spec_y.name,
            "setting_y": y,
            "amount_y": spec_y.amount(inst),
            **_outcome_columns(o),
            "current": bool(np.isclose(x, own[0]) and np.isclose(y, own[1])),
        }
        for (x, y, inst), o in zip(points_xy, outcomes, strict=True)
    ]
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- break-even


def break_even(
    data: PlanningData,
    scenario: Scenario | None = None,
    *,
    options: RunOptions | None = None,
    chunk_size: int = 16,
    projects: Sequence[str] | None = None,
    include_chosen: bool = True,
    warm_start: bool = True,
    current: Solution | None = None,
) -> pd.DataFrame:
    """Per project: what forcing it in (left out) or out (chosen) costs the objective.

    Columns (one row per project id, in workbook order): project_id, in_portfolio, reason
    (why no solve was needed, a code: forced_in, forced_out, cannot_start), status, objective_change
    (the objective's fall when the project's place is swapped, ≥ 0), extra_jobs_needed (for a
    left-out project: how many more jobs it would need to enter: objective lost ÷ what one
    more job of it can add, skill match + other-jobs weight), jobs_to_spare (for a chosen
    one: the same figure for leaving), gap, within_gap (the change is no larger than the base
    solve's proven gap: not told apart from zero). Solves use the scenario's gap.
    projects: only these ids; include_chosen=False: only the projects left out (half the
    solves, for the app). warm_start: each solve starts from the base portfolio, repaired
    to fit the forced project (False: from scratch, to compare). current: the scenario's
    own solve when the caller has it (the headline's), so it is not solved again.
    """
    base = _on_highs(Scenario.of(scenario).resolved(check_planning_data(data)))
    if current is not None:
        _check_current(current, base, "break_even")
    check_projects(data, projects)
    solution = current if current is not None else solve(data, base)
    figures = prepare(data, base).projects
    chosen = set(solution.chosen_starts)
    wanted = set(projects) if projects is not None else None
    weight = base.setting(data, "other_jobs_weight")
    skill = figures["skill_match"].to_numpy(dtype=float)
    # One more job held in each build year is worth at most this many objective units.
    build_years = figures["duration"].to_numpy(dtype=float)

    def asked(pid: str) -> bool:
        return (wanted is None or pid in wanted) and (include_chosen or pid not in chosen)

    forces: list[tuple[int, str]] = []
    reasons: dict[int, str] = {}
    for i, row in figures.iterrows():
        pid = row["project_id"]
        if not asked(pid):
            continue
        if row["forced_in"]:
            reasons[i] = "forced_in"
        elif row["forced_out"]:
            reasons[i] = "forced_out"
        elif not row["starts"]:
            reasons[i] = "cannot_start"
        else:
            forces.append((int(i), "out" if pid in chosen else "in"))
    options = RunOptions.of(options)
    position = {pid: i for i, pid in enumerate(figures["project_id"])}
    plan = {position[pid]: t for pid, t in solution.chosen_starts.items()} if warm_start else None
    chunks = [(data, base, part, options.limits, plan) for part in cut(forces, chunk_size)]
    outcomes = run_chunks(_solve_forced, chunks, [len(c[2]) for c in chunks], options)
    by_position = dict(zip([i for i, _ in forces], outcomes, strict=True))
    base_slack = slack(solution.objective, solution.gap, solution.gap_base)
    rows = []
    for i, row in figures.iterrows():
        pid = row["project_id"]
        if not asked(pid):
            continue
        o = by_position.get(int(i))
        change = math.nan
        status = "not solved"
        tolerance = math.nan
        if o is not None:
            status = o.status
            if o.status.has_portfolio:
                change = max(0.0, solution.objective - o.objective)
                tolerance = base_slack + slack(o.objective, o.gap, o.gap_base)
            elif o.status.is_infeasible:
                change = math.inf
        per_job = (skill[i] + weight) * build_years[i]
        needed = change / per_job if per_job > 0 else math.inf
        rows.append(
            {
                "project_id": pid,
                "in_portfolio": pid in chosen,
                "reason": reasons.get(int(i), ""),
                "status": status,
                "objective_change": change,
                "extra_jobs_needed": needed if pid not in chosen else math.nan,
                "jobs_to_spare": needed if pid in chosen else math.nan,
                "gap": o.gap if o is not None else math.nan,
                # Smaller than what the two solves' gaps allow: not told apart from zero.
                "change_tolerance": tolerance,
                "within_gap": bool(change <= tolerance) if math.isfinite(change) else False,
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- robustness


@dataclass
class Robustness:
    """Selection frequency per project and the re-employed workers in each draw."""

    projects: pd.DataFrame  # project_id, frequency, class (core | borderline | outside)
    draws: pd.DataFrame  # draw, status, worker_years, job_years, capex, objective, gap
    # The draws' ranges (jobs per 亿元 within ± spread, capex 0 to + overrun): the words that
    # say why the draws differ from the plain solve name them.
    spread: float = 0.0
    overrun: float = 0.0
    rate_spread: float = 0.0  # each city's baseline re-employment rate within ± rate_spread

    def summary(self) -> dict[str, float]:
        years = self.draws["worker_years"].dropna()
        counts = self.projects["class"].value_counts()
        ended = self.draws["status"]
        return {
            "draws": float(len(self.draws)),
            "worker_years_median": float(years.median()) if len(years) else math.nan,
            "worker_years_p05": float(years.quantile(0.05)) if len(years) else math.nan,
            "worker_years_p95": float(years.quantile(0.95)) if len(years) else math.nan,
            **{f"{name}_projects": float(counts.get(name, 0)) for name in CLASSES},
            # How the draws ended: the classes are as honest as the draws' plans, each within
            # its gap when proven, within its (larger) gap when stopped by a limit.
            "draws_proven": float(sum(Status(s).is_proven for s in ended)),
            "draws_work_limit": float(sum(Status(s) is Status.WORK_LIMIT for s in ended)),
            "draws_time_limit": float(sum(Status(s) is Status.TIME_LIMIT for s in ended)),
        }


CLASSES = ("core", "borderline", "outside")


def robustness(
    data: PlanningData,
    scenario: Scenario | None = None,
    *,
    draws: int = 200,
    spread: float = 0.30,
    overrun: float = 0.40,
    rate_spread: float = 0.50,
    seed: int = 2021,
    core: float = 0.90,
    outside: float = 0.10,
    options: RunOptions | None = None,
    chunk_size: int = 10,
    warm_start: bool = False,
) -> Robustness:
    """Solve `draws` times with every project's jobs per 亿元 multiplied by an independent
    uniform draw in [1 − spread, 1 + spread], its capex by one in [1, 1 + overrun] and each
    city's baseline re-employment rate by one in [1 − rate_spread, 1 + rate_spread], clipped
    to [0, 1] (model spec: ±30 %, 0 to +40 % and ±50 % by default; seeded: the same seed
    gives the same answer). See `drawn_data` for what an overrun changes.

    A project chosen in ≥ `core` of the feasible draws is core, in ≤ `outside` outside, else
    borderline. warm_start: the base scenario is solved first and each draw starts from its
    portfolio, repaired to fit the draw. Off by default: measured on the sample (100 draws
    with overruns, 2 workers) it was slower than solving each draw from scratch, and two
    draws ran into the safety time limit; measured again on model version 3 with the work
    limit (200 draws), no faster (benchmarks/RESULTS.md). Each draw ends on its gap or on
    the options' work limits (`Robustness.summary` counts how the draws ended).
    """
    if draws < 1:
        raise AnalysisError("robustness needs at least one draw", "draws_min", got=str(draws))
    for name, value, top, closed in (
        ("spread", spread, 1, False),
        ("overrun", overrun, 10, True),
        ("rate_spread", rate_spread, 1, True),
    ):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not (0 <= value <= top if closed else 0 <= value < top):
            bounds = f"[0, {top}]" if closed else f"[0, {top})"
            raise AnalysisError(
                f"{name} must be a number in {bounds}, got {value!r}",
                "draw_range",
                name=name,
                bounds=bounds,
                got=repr(value),
            )
    base = _on_highs(Scenario.of(scenario).resolved(check_planning_data(data)))
    n = len(data.projects)
    cities = len(data.regions)
    multipliers = np.hstack(
        draw_multipliers(draws, n, spread, overrun, seed, cities, rate_spread)
    )
    parts = [multipliers[k : k + chunk_size] for k in range(0, draws, max(1, chunk_size))]
    options = RunOptions.of(options)
    plan = None
    if warm_start:
        # The base portfolio, solved as each draw is (same gap and work limit): deterministic.
        first = Resolver(data, options.limits, stop=None).solve(base)
        plan = first.starts if first.status.has_portfolio else None
    chunks = [(data, base, part, options.limits, plan) for part in parts]
    outcomes = run_chunks(_solve_draws, chunks, [len(p) for p in parts], options)
    solved = [o for o in outcomes if o.status.has_portfolio]
    counts = np.zeros(n)
    for o in solved:
        counts[o.chosen] += 1
    frequency = counts / len(solved) if solved else np.full(n, math.nan)
    klass = np.where(
        frequency >= core, "core", np.where(frequency <= outside, "outside", "borderline")
    )
    projects = pd.DataFrame(
        {
            "project_id": data.projects["project_id"].to_numpy(),
            "name": data.projects["name"].to_numpy(),
            "sector": data.projects["sector"].to_numpy(),
            "region": data.projects["region"].to_numpy(),
            "frequency": frequency,
            "class": klass,
        }
    )
    table = pd.DataFrame(
        {
            "draw": range(draws),
            "status": [o.status for o in outcomes],
            "worker_years": [o.worker_years for o in outcomes],
            "job_years": [o.job_years for o in outcomes],
            "capex": [o.capex for o in outcomes],
            "objective": [o.objective for o in outcomes],
            "gap": [o.gap for o in outcomes],
            "tolerance": [slack(o.objective, o.gap, o.gap_base) for o in outcomes],
        }
    )
    return Robustness(projects, table, float(spread), float(overrun), float(rate_spread))
