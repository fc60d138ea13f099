"""Trade-offs: what each 亿元, each point of the PPP line and each uncertain jobs figure is worth.

Every analysis here is many independent solves of the selection model:

- `frontier`: one lever (fiscal budget, bond quota, debt headroom, PPP line, commuting
  distance) moves over a range; `frontier_grid`: two levers at once, for a heat map;
- `break_even`: each project forced in (left out ones) or out (chosen ones);
- `robustness`: jobs per 亿元 drawn within ±30 % many times.

The solves are cut into fixed chunks that do not depend on where they run, and each chunk
goes to an optional `concurrent.futures.Executor` (a local `ProcessPoolExecutor`, or a Dask
cluster's `distributed.Client(...).get_executor()`); None runs them in this process. So the
results are the same on every executor.

Inside a chunk one model is kept: when only limit amounts move (budgets, quotas, headroom,
the PPP line) the HiGHS model's row bounds are changed and the previous point's portfolio is
given as a start; forcing a project in or out changes bounds only. Anything else is rebuilt.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
import pulp

from .instance import prepare
from .loader import PlanningData
from .model import SelectionModel, build_model, limit_amounts
from .precision import slack
from .scenario import Scenario
from .solve import SolverRun, _read_highs, highs_engine, run_solver

Progress = Callable[[int, int], None]

# Fields whose change moves limit amounts only: a kept model is re-solved, not rebuilt.
MONEY_FIELDS = (
    "fiscal_budget",
    "fiscal_budget_scale",
    "bond_quota",
    "bond_quota_scale",
    "debt_headroom_scale",
    "ppp_cap_share",
    "ppp_government_pay_share",
)


class AnalysisCancelled(RuntimeError):
    """The caller asked an analysis to stop; the solves done so far are discarded."""


@dataclass(frozen=True)
class Lever:
    """A setting a frontier moves, and how to read it as an amount a planner knows."""

    name: str
    field: str  # the Scenario field it sets
    is_scale: bool  # a multiplier of the workbook's amounts (else the setting's own value)
    unit: str  # the unit of `amount`
    label: str

    def setting_of(self, data: PlanningData, scenario: Scenario) -> float:
        if self.is_scale:
            return float(getattr(scenario, self.field))
        return scenario.setting(data, self.field)

    def amount(self, data: PlanningData, scenario: Scenario) -> float:
        """The lever as money (亿元, summed over years or cities) or kilometres."""
        if self.name == "fiscal_budget":
            return float(sum(scenario.fiscal_budget_by_year(data).values()))
        if self.name == "bond_quota":
            return float(sum(scenario.bond_quota_by_year(data).values()))
        if self.name == "debt_headroom":
            return float(sum(scenario.debt_headroom_by_region(data).values()))
        if self.name == "ppp_line":
            share = scenario.setting(data, "ppp_cap_share")
            return float(share * data.regions["general_budget_expenditure"].sum())
        return scenario.setting(data, self.field)


LEVERS: dict[str, Lever] = {
    lever.name: lever
    for lever in (
        Lever("fiscal_budget", "fiscal_budget_scale", True, "亿元", "fiscal budget, all years"),
        Lever("bond_quota", "bond_quota_scale", True, "亿元", "bond quota, all years"),
        Lever("debt_headroom", "debt_headroom_scale", True, "亿元", "debt headroom, all cities"),
        Lever("ppp_line", "ppp_cap_share", False, "亿元/year", "PPP line, all cities"),
        Lever("commute_km", "commute_km", False, "km", "commuting distance"),
    )
}


# ---------------------------------------------------------------------------- one solve


@dataclass
class Outcome:
    """What one solve of an analysis gives back (small, so it travels between processes)."""

    status: str  # optimal | time_limit | infeasible | error
    objective: float = math.nan
    worker_years: float = math.nan
    job_years: float = math.nan
    capex: float = math.nan
    gap: float = math.nan
    seconds: float = 0.0
    chosen: list[int] = field(default_factory=list)  # positions of the chosen projects
    reused: bool = False  # re-solved on a kept model rather than rebuilt
    bound: float = math.nan  # the solver's proven bound on the best objective
    starts: dict[int, int] = field(default_factory=dict)  # {position: start year}
    carried: bool = False  # the cheaper neighbour's portfolio, better than this point's search


class Resolver:
    """Keeps one HiGHS model and re-solves it as limit amounts and forced projects change.

    `solve(scenario)` rebuilds only when the scenario differs in more than MONEY_FIELDS from
    the model it holds; otherwise it changes row bounds and starts from the last portfolio.
    """

    def __init__(
        self,
        data: PlanningData,
        *,
        time_limit_s: float | None = None,
        mip_gap: float | None = None,
        warm_start: bool = True,
    ) -> None:
        self.data = data
        self.time_limit_s = time_limit_s
        self.mip_gap = mip_gap
        self.warm_start = warm_start
        self.model: SelectionModel | None = None
        self._engine: pulp.HiGHS | None = None
        self._last_start: list[float] | None = None

    def _fits(self, scenario: Scenario) -> bool:
        if self.model is None:
            return False
        held = self.model.scenario
        return held.replace(**{f: getattr(scenario, f) for f in MONEY_FIELDS}) == scenario

    def solve(self, scenario: Scenario, *, force: tuple[int, str] | None = None) -> Outcome:
        """Solve under the scenario; force=(position, "in"|"out") forces one project."""
        resolved = scenario.resolved(self.data)
        started = time.perf_counter()
        reused = self._fits(resolved)
        if not reused:
            self.model = build_model(prepare(self.data, resolved))
            self._engine = None
            self._last_start = None
        model = self.model
        assert model is not None
        limit = self.time_limit_s if self.time_limit_s is not None else resolved.time_limit_s
        gap = self.mip_gap if self.mip_gap is not None else resolved.mip_gap
        first = self._engine is None
        if first:
            self._engine = highs_engine(limit, gap)
        else:
            highs = model.problem.solverModel
            highs.setOptionValue("time_limit", float(limit))
            highs.setOptionValue("mip_rel_gap", float(gap))
            model.instance = prepare(self.data, resolved)
            self._set_amounts()
        # Read the answer inside the context: putting the bounds back clears HiGHS's status.
        with _forcing(model, force, None if first else model.problem.solverModel):
            if first:
                # PuLP builds the HiGHS model on the first solve; later ones change it in place.
                model.problem.solve(self._engine)
            else:
                highs = model.problem.solverModel
                if self.warm_start and self._last_start is not None and force is None:
                    start = highspy.HighsSolution()
                    start.col_value = self._last_start
                    start.value_valid = True
                    highs.setSolution(start)
                highs.run()
                status, solution_status = self._engine.findSolutionValues(model.problem)
                model.problem.assignStatus(status, solution_status)
            run = _read_highs(model, time.perf_counter() - started)
            outcome = _outcome(model, run, reused)
            if run.status in ("optimal", "time_limit") and force is None:
                self._last_start = list(model.problem.solverModel.getSolution().col_value)
        return outcome

    def _set_amounts(self) -> None:
        model = self.model
        assert model is not None
        highs = model.problem.solverModel
        amounts = limit_amounts(model.instance)
        for lim in model.limits:
            if lim.name in amounts and amounts[lim.name] != lim.limit:
                lim.limit = amounts[lim.name]
                constraint = model.problem.get_constraint_by_name(lim.name)
                constraint.constant = -lim.limit  # PuLP keeps the right-hand side negated
                highs.changeRowBounds(constraint.index, -highspy.kHighsInf, lim.limit)


@contextmanager
def _forcing(
    model: SelectionModel, force: tuple[int, str] | None, highs: highspy.Highs | None
) -> Iterator[None]:
    """Force one project in or out for one solve, by its chosen variable's bounds, and put
    the bounds back."""
    if force is None or model.chosen[force[0]] is None:
        yield
        return
    position, how = force
    y = model.chosen[position]
    saved = (y.lowBound, y.upBound)
    if how == "out":
        y.upBound = 0
    else:
        y.lowBound = 1
    if highs is not None:
        highs.changeColBounds(y.index, y.lowBound, y.upBound)
    try:
        yield
    finally:
        y.lowBound, y.upBound = saved
        if highs is None:
            highs = model.problem.solverModel
        highs.changeColBounds(y.index, y.lowBound, y.upBound)


def _outcome(model: SelectionModel, run: SolverRun, reused: bool) -> Outcome:
    if run.status not in ("optimal", "time_limit"):
        return Outcome(run.status, seconds=run.seconds, reused=reused)
    start_of = model.start_of()
    chosen = sorted(start_of)
    figures = model.figures
    return Outcome(
        run.status,
        objective=float(run.objective or 0.0),
        worker_years=float(sum(g.varValue or 0.0 for g in model.flows.values())),
        job_years=float(model.instance.jobs_by_year(start_of).sum()),
        capex=float(figures["capex"].iloc[chosen].sum()),
        gap=float(run.gap) if run.gap is not None else math.nan,
        seconds=run.seconds,
        chosen=chosen,
        reused=reused,
        bound=float(run.bound) if run.bound is not None else math.nan,
        starts=start_of,
    )


def _carry_forward(data: PlanningData, scenarios: list[Scenario], outcomes: list[Outcome]) -> None:
    """A frontier point never shows less than a point with less of the lever: the cheaper
    point's portfolio stays feasible when the lever loosens, so where a point's search stopped
    lower, that portfolio (evaluated at the point, a small LP) replaces it. The point's own
    bound still holds, so its gap only shrinks. Deterministic: no search is re-run."""
    solved = ("optimal", "time_limit")
    for k in range(1, len(outcomes)):
        before, here = outcomes[k - 1], outcomes[k]
        if before.status not in solved or here.status not in solved:
            continue
        if here.objective >= before.objective:
            continue
        inst = prepare(data, scenarios[k])
        ids = inst.projects["project_id"]
        model = build_model(inst, fixed_starts={ids[i]: t for i, t in before.starts.items()})
        run = run_solver(model, mip_gap=0.0)
        if run.status not in solved or (run.objective or 0.0) <= here.objective:
            continue
        carried = _outcome(model, run, reused=False)
        bound = here.bound if math.isfinite(here.bound) else carried.objective
        carried.bound = bound
        carried.gap = max(0.0, (bound - carried.objective) / max(abs(carried.objective), 1e-9))
        carried.status = here.status
        carried.seconds = here.seconds + run.seconds
        carried.carried = True
        outcomes[k] = carried


# ---------------------------------------------------------------------------- running chunks


def _solve_scenarios(
    data: PlanningData,
    scenarios: list[Scenario],
    time_limit_s: float | None,
    mip_gap: float | None,
    warm_start: bool = True,
    on_solved: Callable[[], None] | None = None,
) -> list[Outcome]:
    """One chunk: the scenarios in order on one kept model (a task for any executor)."""
    resolver = Resolver(data, time_limit_s=time_limit_s, mip_gap=mip_gap, warm_start=warm_start)
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
    time_limit_s: float | None,
    mip_gap: float | None,
    on_solved: Callable[[], None] | None = None,
) -> list[Outcome]:
    """One chunk of break-even solves, each forcing one project, on one kept model."""
    resolver = Resolver(data, time_limit_s=time_limit_s, mip_gap=mip_gap)
    out = []
    for force in forces:
        out.append(resolver.solve(scenario, force=force))
        if on_solved:
            on_solved()
    return out


def _solve_draws(
    data: PlanningData,
    scenario: Scenario,
    multipliers: np.ndarray,
    time_limit_s: float | None,
    mip_gap: float | None,
    on_solved: Callable[[], None] | None = None,
) -> list[Outcome]:
    """One chunk of robustness draws: each row multiplies every project's jobs per 亿元."""
    out = []
    base = data.projects["jobs_per_yi"].to_numpy(dtype=float)
    for row in multipliers:
        projects = data.projects.copy()
        projects["jobs_per_yi"] = base * row
        drawn = dataclasses.replace(data, projects=projects, warnings=())
        resolver = Resolver(drawn, time_limit_s=time_limit_s, mip_gap=mip_gap)
        out.append(resolver.solve(scenario))
        if on_solved:
            on_solved()
    return out


def _run_chunks(
    task: Callable[..., list[Outcome]],
    chunks: list[tuple],
    sizes: list[int],
    executor: Executor | None,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> list[Outcome]:
    """Run every chunk (in order in-process, or on the executor) and flatten the results."""
    total = sum(sizes)
    done = 0

    def tick(count: int = 1) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    if progress:
        progress(0, total)
    results: list[list[Outcome] | None] = [None] * len(chunks)
    if executor is None:
        for k, args in enumerate(chunks):
            if cancel is not None and cancel.is_set():
                raise AnalysisCancelled(f"stopped after {done} of {total} solves")
            results[k] = task(*args, on_solved=tick)
    else:
        futures: dict[Future, int] = {
            executor.submit(task, *args): k for k, args in enumerate(chunks)
        }
        try:
            for future in as_completed(futures):
                k = futures[future]
                results[k] = future.result()
                tick(sizes[k])
                if cancel is not None and cancel.is_set() and done < total:
                    raise AnalysisCancelled(f"stopped after {done} of {total} solves")
        finally:
            for future in futures:
                future.cancel()
    return [outcome for chunk in results if chunk is not None for outcome in chunk]


def _cut(items: list, size: int) -> list[list]:
    return [items[k : k + size] for k in range(0, len(items), max(1, size))]


# ---------------------------------------------------------------------------- frontier


def lever_settings(
    data: PlanningData, scenario: Scenario, lever: str, points: int | Sequence[float]
) -> list[float]:
    """The lever's settings: `points` evenly from 0 to 200 % of its current value, or the
    values given (scales for money levers, shares for ppp_line, km for commute_km)."""
    spec = _lever(lever)
    if isinstance(points, int):
        if points < 2:
            raise ValueError("a frontier needs at least 2 points")
        current = spec.setting_of(data, scenario)
        return [float(v) for v in np.linspace(0.0, 2.0 * current, points)]
    values = [float(v) for v in points]
    if not values or any(not math.isfinite(v) or v < 0 for v in values):
        raise ValueError(f"{lever}: settings must be finite and ≥ 0, got {values}")
    return values


def _lever(name: str) -> Lever:
    if name not in LEVERS:
        raise ValueError(f"unknown lever '{name}'; choose from {', '.join(LEVERS)}")
    return LEVERS[name]


def _set_lever(scenario: Scenario, lever: Lever, value: float) -> Scenario:
    if lever.name == "ppp_line":
        value = min(value, 1.0)  # a share of expenditure
    return scenario.replace(**{lever.field: value})


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
        "seconds": o.seconds,
        "carried": o.carried,
    }


def frontier(
    data: PlanningData,
    scenario: Scenario | None = None,
    lever: str = "fiscal_budget",
    points: int | Sequence[float] = 21,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    time_limit_s: float | None = None,
    mip_gap: float | None = None,
    chunk_size: int = 7,
    warm_start: bool = True,
) -> pd.DataFrame:
    """Re-solve as one lever moves; one row per point, in rising order of the lever.

    Columns: lever, setting (the scale, share or km set), amount (the lever in 亿元 or km),
    unit, status, objective, worker_years, job_years, capex, projects, gap, seconds,
    marginal_worker_years and marginal_job_years (per extra unit of `amount` since the
    previous point: per 亿元 for money levers), and current (the scenario's own setting).
    time_limit_s and mip_gap apply per point (default: the scenario's).
    """
    base = (scenario or Scenario()).resolved(data)
    spec = _lever(lever)
    settings = sorted(lever_settings(data, base, lever, points))
    scenarios = [_set_lever(base, spec, v) for v in settings]
    chunks = [
        (data, part, time_limit_s, mip_gap, warm_start) for part in _cut(scenarios, chunk_size)
    ]
    outcomes = _run_chunks(
        _solve_scenarios, chunks, [len(c[1]) for c in chunks], executor, progress, cancel
    )
    _carry_forward(data, scenarios, outcomes)
    table = pd.DataFrame(
        {
            "lever": spec.name,
            "setting": setting,
            "amount": spec.amount(data, point),
            "unit": spec.unit,
            **_outcome_columns(o),
        }
        for setting, point, o in zip(settings, scenarios, outcomes, strict=True)
    )
    step = table["amount"].diff()
    # What two neighbouring solves may differ by for no reason but where each search stopped.
    slacks = pd.Series([slack(o.objective, o.gap) for o in outcomes])
    table["change_tolerance"] = slacks + slacks.shift()
    table["within_precision"] = table["objective"].diff().abs() <= table["change_tolerance"]
    for column in ("worker_years", "job_years"):
        marginal = (table[column].diff() / step).where(step > 0)
        # Within the two gaps a change is not a finding: no marginal is shown.
        table[f"marginal_{column}"] = marginal.where(~table["within_precision"])
    current = spec.setting_of(data, base)
    table["current"] = np.isclose(table["setting"], current)
    return table


def frontier_grid(
    data: PlanningData,
    scenario: Scenario | None = None,
    levers: tuple[str, str] = ("fiscal_budget", "bond_quota"),
    points: tuple[int | Sequence[float], int | Sequence[float]] = (5, 5),
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    time_limit_s: float | None = None,
    mip_gap: float | None = None,
) -> pd.DataFrame:
    """Two levers at once (a heat map): one row per pair of settings.

    Columns: lever_x, setting_x, amount_x, lever_y, setting_y, amount_y, status, objective,
    worker_years, job_years, capex, projects, gap, seconds. Each row of the grid (one y) is
    one chunk, solved along x on one kept model.
    """
    base = (scenario or Scenario()).resolved(data)
    spec_x, spec_y = _lever(levers[0]), _lever(levers[1])
    if spec_x.name == spec_y.name:
        raise ValueError("a grid needs two different levers")
    xs = sorted(lever_settings(data, base, spec_x.name, points[0]))
    ys = sorted(lever_settings(data, base, spec_y.name, points[1]))
    rows_of = [[_set_lever(_set_lever(base, spec_y, y), spec_x, x) for x in xs] for y in ys]
    chunks = [(data, row, time_limit_s, mip_gap, True) for row in rows_of]
    outcomes = _run_chunks(
        _solve_scenarios, chunks, [len(xs)] * len(ys), executor, progress, cancel
    )
    points_xy = [
        (x, y, sc)
        for y, row in zip(ys, rows_of, strict=True)
        for x, sc in zip(xs, row, strict=True)
    ]
    rows = [
        {
            "lever_x": spec_x.name,
            "setting_x": x,
            "amount_x": spec_x.amount(data, sc),
            "lever_y": spec_y.name,
            "setting_y": y,
            "amount_y": spec_y.amount(data, sc),
            **_outcome_columns(o),
        }
        for (x, y, sc), o in zip(points_xy, outcomes, strict=True)
    ]
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- break-even


def break_even(
    data: PlanningData,
    scenario: Scenario | None = None,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    time_limit_s: float | None = None,
    mip_gap: float | None = None,
    chunk_size: int = 16,
    projects: Sequence[str] | None = None,
    include_chosen: bool = True,
) -> pd.DataFrame:
    """Per project: what forcing it in (left out) or out (chosen) costs the objective.

    Columns (one row per project id, in workbook order): project_id, in_portfolio, reason
    (why no solve was needed: mandatory, excluded, cannot start), status, objective_change
    (the objective's fall when the project's place is swapped, ≥ 0), extra_jobs_needed (for a
    left-out project: how many more jobs it would need to enter: objective lost ÷ what one
    more job of it can add, skill match + other-jobs weight), jobs_to_spare (for a chosen
    one: the same figure for leaving), gap, within_gap (the change is no larger than the base
    solve's proven gap: not told apart from zero). Solves use the scenario's gap.
    projects: only these ids; include_chosen=False: only the projects left out (half the
    solves, for the app).
    """
    from .solve import solve  # the base portfolio, with the same checks as any solve

    base = (scenario or Scenario()).resolved(data)
    solution = solve(data, base)
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
            reasons[i] = "mandatory or forced in"
        elif row["forced_out"]:
            reasons[i] = "excluded or forced out"
        elif not row["starts"]:
            reasons[i] = "cannot start in the horizon"
        else:
            forces.append((int(i), "out" if pid in chosen else "in"))
    chunks = [(data, base, part, time_limit_s, mip_gap) for part in _cut(forces, chunk_size)]
    outcomes = _run_chunks(
        _solve_forced, chunks, [len(c[2]) for c in chunks], executor, progress, cancel
    )
    by_position = dict(zip([i for i, _ in forces], outcomes, strict=True))
    tolerance = (solution.gap or 0.0) * abs(solution.objective) + 1e-6
    rows = []
    for i, row in figures.iterrows():
        pid = row["project_id"]
        if not asked(pid):
            continue
        o = by_position.get(int(i))
        change = math.nan
        status = "not solved"
        if o is not None:
            status = o.status
            if o.status in ("optimal", "time_limit"):
                change = max(0.0, solution.objective - o.objective)
            elif o.status == "infeasible":
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
                "within_gap": bool(change <= tolerance) if math.isfinite(change) else False,
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- robustness


@dataclass
class Robustness:
    """Selection frequency per project and the re-employed workers in each draw."""

    projects: pd.DataFrame  # project_id, frequency, class (core | borderline | outside)
    draws: pd.DataFrame  # draw, status, worker_years, job_years, objective, gap

    def summary(self) -> dict[str, float]:
        years = self.draws["worker_years"].dropna()
        counts = self.projects["class"].value_counts()
        return {
            "draws": float(len(self.draws)),
            "worker_years_median": float(years.median()) if len(years) else math.nan,
            "worker_years_p05": float(years.quantile(0.05)) if len(years) else math.nan,
            "worker_years_p95": float(years.quantile(0.95)) if len(years) else math.nan,
            **{f"{name}_projects": float(counts.get(name, 0)) for name in CLASSES},
        }


CLASSES = ("core", "borderline", "outside")


def robustness(
    data: PlanningData,
    scenario: Scenario | None = None,
    *,
    draws: int = 200,
    spread: float = 0.30,
    seed: int = 2021,
    core: float = 0.90,
    outside: float = 0.10,
    executor: Executor | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    time_limit_s: float | None = None,
    mip_gap: float | None = None,
    chunk_size: int = 10,
) -> Robustness:
    """Solve `draws` times with every project's jobs per 亿元 multiplied by an independent
    uniform draw in [1 − spread, 1 + spread] (seeded: the same seed gives the same answer).

    A project chosen in ≥ `core` of the feasible draws is core, in ≤ `outside` outside, else
    borderline.
    """
    if draws < 1:
        raise ValueError("robustness needs at least one draw")
    if not 0 <= spread < 1:
        raise ValueError(f"spread must be in [0, 1), got {spread}")
    base = (scenario or Scenario()).resolved(data)
    rng = np.random.default_rng(seed)
    n = len(data.projects)
    # With spread 0 every multiplier is exactly 1.0: the draws are the plain solve.
    multipliers = rng.uniform(1.0 - spread, 1.0 + spread, size=(draws, n))
    parts = [multipliers[k : k + chunk_size] for k in range(0, draws, max(1, chunk_size))]
    chunks = [(data, base, part, time_limit_s, mip_gap) for part in parts]
    outcomes = _run_chunks(
        _solve_draws, chunks, [len(p) for p in parts], executor, progress, cancel
    )
    solved = [o for o in outcomes if o.status in ("optimal", "time_limit")]
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
            "objective": [o.objective for o in outcomes],
            "gap": [o.gap for o in outcomes],
        }
    )
    return Robustness(projects, table)


# ---------------------------------------------------------------------------- progress bars


@contextmanager
def progress_bar(description: str, *, file=None) -> Iterator[Progress]:
    """A tqdm bar as a progress callback: `with progress_bar("frontier") as p: frontier(...,
    progress=p)`. Written to stderr by default, so a command's stdout stays clean."""
    from tqdm import tqdm

    # delay: a run over in half a second draws no bar at all.
    bar = tqdm(
        total=None, desc=description, unit="solve", file=file or sys.stderr, leave=False, delay=0.5
    )

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()
