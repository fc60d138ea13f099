"""The value of each limit: what 10 % more of one limit, all else as it is, would buy.

For every entry of the limit families a planner moves (the fiscal budget and the bond quota
by year, the debt headroom and the PPP line by city, the training budget by year), the model
is re-solved with that one entry 10 % larger, starting from the current plan. The current
plan stays feasible when a limit loosens, so it is the start, and the search is told to look
for nothing worse than it (HiGHS's objective bound: a cutoff that prunes, not a row that
would slow every LP of the search), so a re-solve never shows a loss. Each family is first
re-solved with all its entries 10 % larger at once: when that buys nothing beyond the
precision, neither does any one entry (a looser problem is never worth less), and its
entries are not re-solved one by one (`alone` False in the table).

What "10 % more" adds (`extra`, 亿元):
- a budget, quota, headroom or training budget: 10 % of its amount in that year or city;
- a PPP line: 10 % of the city's room under its line (the new PPP payments the line still
  allows, 亿元 a year: line − existing commitments), added to the line in every year and
  after the horizon. `per_yi` is then worker-years per 亿元 a year of payments. A city above
  its line has no room: 10 % of nothing adds nothing, so it is not listed; neither is any
  other entry whose amount is 0.

A limit binds when 10 % more of it buys more worker-years than the two solves' precision
(`optimizer.precision`); within it, the gain is 0 as far as the solver can tell. Figures are
rounded to what that precision supports. The re-solves run in fixed chunks on an optional
executor (`optimizer.batch`), so the rows are the same on every executor.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pulp

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
from .limits import FAMILIES
from .loader import PlanningData, check_planning_data
from .model import SelectionModel, build_model
from .pipeline import solve
from .precision import slack
from .scenario import Scenario
from .solution import Solution
from .solver import KeptModel, SolverRun, Status

# The limit families valued, in the order the issue lists them (each is in limits.FAMILIES).
VALUED = ("fiscal_budget", "bond_quota", "debt_headroom", "ppp_line", "training_budget")
# The Instance mapping (by year or city) of each family's amount, where it is not the
# family's own `amount`: a PPP line's room under the line, which its rows hold.
AMOUNT_OF = {"ppp_line": "ppp_room", "training_budget": "training_budget"}
# What "more of a limit" means here: 10 % of it.
SHARE = 0.10
# The objective floor sits this far (relative) below the current plan's objective, so that
# the plan itself, completed by HiGHS, is never refused for a rounding difference.
FLOOR_TOLERANCE = 1e-7
# The solver precision of the re-solves unless asked otherwise. A gain is a finding only
# beyond the two solves' precision: at the 1 % of the other analyses that is some 8,000
# worker-years on the sample, more than 10 % of any one limit buys, so every limit would
# read 0. At 0.02 % it is about 140, and the sample's 28 re-solves (40 limits, three kinds
# told by one re-solve each) take about 50 CPU seconds (benchmarks/RESULTS.md).
VALUE_GAP = 0.0002
# The columns of `limit_values`, the first five those of `limits --json`.
JSON_KEYS = ["limit", "where", "extra", "worker_years_gained", "per_yi"]
COLUMNS = [
    *JSON_KEYS, "binds", "measured", "tolerance", "unit", "status", "seconds", "alone"
]


@dataclass(frozen=True)
class Entry:
    """One limit to loosen: a family's entry for a year or a city (its position n), and how
    much it gains (extra, in the family's unit)."""

    family: str
    where: int | str  # the year or the city
    n: int  # its position among the instance's years or regions
    extra: float


@dataclass(frozen=True)
class Resolved:
    """One re-solve, small enough to travel between processes."""

    status: Status
    objective: float = math.nan
    worker_years: float = math.nan
    gap: float | None = None
    gap_base: float | None = None
    seconds: float = 0.0
    solved: bool = True  # False: nothing in the model reads the limit, no re-solve was needed


def entries(inst: Instance) -> list[Entry]:
    """Every entry of the valued families with an amount above 0, in the families' order."""
    out = []
    for name in VALUED:
        family = FAMILIES[name]
        amounts = getattr(inst, AMOUNT_OF.get(name) or family.amount or name)
        keys = inst.years if family.over == "year" else inst.regions
        for n, key in enumerate(keys):
            amount = float(amounts.get(key, 0.0))
            if amount > 0:
                out.append(Entry(name, key, n, SHARE * amount))
    return out


def rows_of(model: SelectionModel, entry: Entry) -> list[str]:
    """The model's rows that hold this entry (none when nothing in the plan can use it: a
    city with no PPP project has no PPP rows)."""
    family = FAMILIES[entry.family]
    names = [family.row_name(entry.n)]
    if family.year_row is not None:
        names += [family.row_name(entry.n, k) for k in range(len(model.instance.years))]
    return [name for name in names if model.problem.get_constraint_by_name(name) is not None]


class _Loosened:
    """An entry's rows loosened by its extra on a kept model, and put back afterwards. A PPP
    line moves the government-pay rows of rule 6 too (new + (L − G)·v ≤ L − E): L rises by
    the extra in both its places, so the 5 % line itself does not move."""

    def __init__(self, kept: KeptModel, entry: Entry) -> None:
        self.kept, self.entry = kept, entry
        model = kept.model
        self.rows = rows_of(model, entry)
        self.switch_rows: list[tuple[str, pulp.LpVariable]] = []
        if entry.family == "ppp_line":
            spec = FAMILIES["government_pay_line"]
            names = [spec.row_name(entry.n)]
            names += [spec.row_name(entry.n, k) for k in range(len(model.instance.years))]
            for name in names:
                row = model.problem.get_constraint_by_name(name)
                if row is None:
                    continue
                # The city's switch v_r (model.build_model names it "v{r}").
                switch = next(v for v, _ in row.items() if v.name == f"v{entry.n}")
                self.rows.append(name)
                self.switch_rows.append((name, switch))

    @property
    def is_used(self) -> bool:
        return bool(self.rows)

    def __enter__(self) -> _Loosened:
        problem, by = self.kept.model.problem, self.entry.extra
        # The amounts as they were, put back exactly (not by subtracting the extra again).
        self._uppers = [-problem.get_constraint_by_name(name).constant for name in self.rows]
        self._coefficients = [
            problem.get_constraint_by_name(name).expr[variable]
            for name, variable in self.switch_rows
        ]
        for name, upper in zip(self.rows, self._uppers, strict=True):
            self.kept.set_row_upper(name, upper + by)
        for (name, variable), value in zip(self.switch_rows, self._coefficients, strict=True):
            self.kept.set_coefficient(name, variable, value + by)
        return self

    def __exit__(self, *_: object) -> None:
        for name, upper in zip(self.rows, self._uppers, strict=True):
            self.kept.set_row_upper(name, upper)
        for (name, variable), value in zip(self.switch_rows, self._coefficients, strict=True):
            self.kept.set_coefficient(name, variable, value)


def _measure(model: SelectionModel, run: SolverRun) -> Resolved:
    """The objective in model.md's maximised form (as Solution.objective: the solver's less
    the exposure) and the worker-years re-employed, trained or not."""
    if not run.status.has_portfolio:
        return Resolved(run.status, seconds=run.seconds)
    worker_years = sum(g.varValue or 0.0 for g in model.flows.values())
    worker_years += sum(k.varValue or 0.0 for k in model.trained_flows.values())
    return Resolved(
        run.status,
        objective=float(run.objective or 0.0) + model.objective_constant,
        worker_years=float(worker_years),
        gap=run.gap,
        gap_base=abs(float(run.objective)) if run.objective is not None else None,
        seconds=run.seconds,
    )


def _kept_model(
    data: PlanningData, scenario: Scenario, limits: SolveLimits, stop: StopFlag | None
) -> KeptModel:
    model = build_model(prepare(data, scenario))
    limit = limits.time_limit_s if limits.time_limit_s is not None else scenario.time_limit_s
    gap = limits.mip_gap if limits.mip_gap is not None else scenario.mip_gap
    return KeptModel(
        model,
        time_limit=limit,
        gap=gap,
        node_limit=limits.node_limit,
        stop=stop.is_set if stop else None,
        work_limit=limits.work_limit,
    )


def _solve_base(
    data: PlanningData,
    scenario: Scenario,
    limits: SolveLimits,
    plan: dict[int, int],
    stop: StopFlag | None = None,
) -> tuple[Resolved, dict[int, int]]:
    """The current plan, re-solved from itself as every entry will be (same model, same
    limits): the figures each entry's gain is measured against, and its portfolio."""
    kept = _kept_model(data, scenario, limits, stop)
    run = kept.run(plan=plan)
    return _measure(kept.model, run), kept.model.start_of() if run.status.has_portfolio else {}


def _solve_entries(
    data: PlanningData,
    scenario: Scenario,
    chunk: list[tuple[Entry, ...]],
    limits: SolveLimits,
    plan: dict[int, int],
    floor: float,
    on_solved: Callable[[], None] | None = None,
    stop: StopFlag | None = None,
) -> list[Resolved]:
    """One chunk (a task for any executor): each test's entries (one, or a family's
    together) loosened in turn on one kept model whose search looks for nothing below
    `floor` (model.md's maximised form: the current plan's objective), each run from the
    plan."""
    kept = _kept_model(data, scenario, limits, stop)
    model = kept.model
    # The solver's objective is model.md's maximised form less the constant exposure.
    solver_floor = floor - model.objective_constant
    kept.set_cutoff(solver_floor - FLOOR_TOLERANCE * max(1.0, abs(solver_floor)))
    out = []
    for test in chunk:
        if stop is not None and stop.is_set():
            raise AnalysisCancelled("stopped")
        loosened = [_Loosened(kept, entry) for entry in test]
        used = [one for one in loosened if one.is_used]
        if not used:
            # Nothing in the model reads this limit: more of it buys nothing, no solve needed.
            out.append(Resolved(Status.OPTIMAL, floor, solved=False))
        else:
            with contextlib.ExitStack() as stack:
                for one in used:
                    stack.enter_context(one)
                run = kept.run(plan=plan)
                out.append(_measure(model, run))
        if on_solved:
            on_solved()
    return out


class _Shared:
    """One progress bar over both rounds of re-solves (the families, then the entries of a
    family that binds): the total shrinks once the first round tells how many are left."""

    def __init__(self, options: RunOptions, total: int) -> None:
        self.base, self.total, self.done = options, total, 0

    def options(self) -> RunOptions:
        start = self.done

        def report(done: int, _: int) -> None:
            self.done = start + done
            if self.base.progress is not None:
                self.base.progress(self.done, self.total)

        return dataclasses.replace(self.base, progress=report)


def _step(tolerance: float, least: float) -> float:
    """The rounding step a figure with this tolerance supports: its power of ten."""
    if not math.isfinite(tolerance) or tolerance <= least:
        return least
    return 10.0 ** math.floor(math.log10(tolerance))


def _rounded(value: float, step: float) -> float:
    return round(value / step) * step if math.isfinite(value) else value


def limit_values(
    data: PlanningData,
    scenario: Scenario | None = None,
    *,
    current: Solution | None = None,
    options: RunOptions | None = None,
    chunk_size: int = 6,
    by_family: bool = True,
) -> pd.DataFrame:
    """What 10 % more of each limit would buy, ranked by worker-years gained (most first).

    Columns: limit (the family's code), where (the year or the city), extra (亿元; a PPP
    line's in 亿元 a year), worker_years_gained (0 when within precision), per_yi
    (worker-years per extra 亿元), binds (the gain is beyond precision), measured (the gain
    as solved, unrounded), tolerance (the two solves' precision, worker-years), unit,
    status and seconds of the re-solve, alone (False: the entry's whole family, loosened
    together, bought nothing beyond the precision, so neither does the entry: the row shows
    that test's figures; by_family=False re-solves every entry alone). current: the plan
    already solved for this scenario (the app's); else it is solved here. `options`: where
    and how the re-solves run and end (RunOptions; by default in this process, each ending
    on a VALUE_GAP gap or a node limit). The current plan is re-solved first, as every
    entry is, and each gain is measured against that re-solve.
    """
    options = RunOptions.of(options)
    data = check_planning_data(data)
    base = Scenario.of(scenario).resolved(data)
    if base.solver != "highs":
        raise AnalysisError(
            f"the value of each limit is measured on HiGHS; the scenario asks for {base.solver} "
            "(set solver=highs)",
            "limits_highs_only",
            solver=base.solver,
        )
    if current is not None and not isinstance(current, Solution):
        raise TypeError(f"current must be a Solution, got {type(current).__name__}")
    solution = current if current is not None else solve(data, base)
    inst = prepare(data, base)
    position = {pid: i for i, pid in enumerate(inst.projects["project_id"])}
    plan = {position[pid]: t for pid, t in solution.chosen_starts.items() if pid in position}
    limits = options.limits
    if limits.mip_gap is None:
        limits = dataclasses.replace(limits, mip_gap=VALUE_GAP)
    reference, plan = _solve_base(data, base, limits, plan)
    if not reference.status.has_portfolio:
        raise AnalysisError(
            f"the current plan could not be re-solved ({reference.status})",
            "plan_not_resolved",
            status=str(reference.status),
        )
    todo = entries(inst)
    base_slack = slack(reference.objective, reference.gap, reference.gap_base)

    def gain(o: Resolved) -> tuple[float, float, float]:
        """What a re-solve bought against the plan: (worker-years, tolerance, objective)."""
        if not o.solved or not o.status.has_portfolio:  # nothing gained
            return 0.0, base_slack, 0.0
        tolerance = base_slack + slack(o.objective, o.gap, o.gap_base)
        return o.worker_years - reference.worker_years, tolerance, o.objective - reference.objective

    def buys_nothing(o: Resolved) -> bool:
        """Neither worker-years nor the objective beyond the precision: nor any part of it."""
        measured, tolerance, objective = gain(o)
        return o.status.has_portfolio and max(measured, objective) <= tolerance

    def run(tests: list[tuple[Entry, ...]], progress: RunOptions, size: int) -> list[Resolved]:
        chunks = [
            (data, base, part, limits, plan, reference.objective) for part in cut(tests, size)
        ]
        return run_chunks(_solve_entries, chunks, [len(c[2]) for c in chunks], progress)

    # First each family's entries together (more of all of them is worth at least as much as
    # more of any one); only the entries of a family that buys something beyond the
    # precision are then re-solved one by one.
    families = [tuple(e for e in todo if e.family == name) for name in VALUED]
    families = [f for f in families if len(f) > 1] if by_family else []
    shared = _Shared(options, len(families) + len(todo))
    by_entry: dict[Entry, tuple[Resolved, bool]] = {}
    # Each family a chunk of its own, so that the executor's workers share them.
    for family, o in zip(families, run(families, shared.options(), 1), strict=True):
        if buys_nothing(o):
            by_entry.update({entry: (o, False) for entry in family})
    alone = [e for e in todo if e not in by_entry]
    shared.total = shared.done + len(alone)
    solved = run([(e,) for e in alone], shared.options(), chunk_size)
    by_entry.update({entry: (o, True) for entry, o in zip(alone, solved, strict=True)})
    rows = []
    for entry in todo:
        o, measured_alone = by_entry[entry]
        status = o.status if o.solved else reference.status  # unsolved: the plan as it is
        measured, tolerance, _ = gain(o)
        binds = measured > tolerance
        step = _step(tolerance, 1.0)
        gained = _rounded(measured, step) if binds else 0.0
        per_yi = gained / entry.extra
        rows.append(
            {
                "limit": entry.family,
                "where": entry.where,
                "extra": round(entry.extra, 2),
                "worker_years_gained": gained,
                "per_yi": _rounded(per_yi, _step(tolerance / entry.extra, 0.01)),
                "binds": bool(binds),
                "measured": measured,
                "tolerance": tolerance,
                "unit": FAMILIES[entry.family].unit,
                "status": status,
                "seconds": o.seconds,
                "alone": measured_alone,
            }
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    # Ranked by what 10 % more buys; ties (nothing bought) keep the families' order.
    return table.sort_values("worker_years_gained", ascending=False, kind="stable").reset_index(
        drop=True
    )
