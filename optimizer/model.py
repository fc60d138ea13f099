"""Build the selection model of `shared/spec/model.md` (version 2) as a PuLP problem.

Variables are named by position (x12_3: project 12 starting in 2023; y12: project 12 chosen;
g4_7_2: home region 7's workers holding jobs in region 4 in the third year) and the model keeps
the map back to ids, because PuLP rewrites characters such as `-+[] ->/` in names and `P-1`
and `P_1` would otherwise collide. Expressions are built from (variable, coefficient) pairs,
which is many times faster than `lpSum` or `+=` in loops.

Limits are data: each family is a function of the instance and the variables that returns its
`Limit`s (use ≤ limit, in a planner's words). The elastic re-solve is a transform of that list,
not a branch inside the families. Rows that are structure rather than limits (a project starts
at most once, prerequisites, the matching of workers to jobs) are added directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pulp

from .instance import Instance, prepare
from .limits import FAMILIES, MOVABLE
from .loader import PlanningData
from .scenario import Scenario

# In the elastic re-solve, giving up a forced project costs as much as moving a limit by 100
# times its size: planners treat mandatory projects as fixed and move budgets first.
FORCED_REFERENCE = 0.01

Terms = list[tuple[pulp.LpVariable, float]]


@dataclass
class Limit:
    """One limit as a planner sees it: use ≤ limit (or ≥ for floors)."""

    family: str
    key: str  # the year, region, sector, group or project it is about
    name: str  # the row's name in the model
    terms: Terms  # the use (for share limits: the surplus over the line)
    sense: str  # "<=" or ">="
    limit: float
    unit: str
    reference: float  # a size for the limit, to weigh relative moves in the elastic re-solve
    position: int | None = None  # the project it is about, for forced_in / forced_out
    violation: pulp.LpVariable | None = None


def _limit(
    family: str,
    n: int | None,
    key: str,
    terms: Terms,
    sense: str,
    limit: float,
    reference: float,
    position: int | None = None,
) -> Limit:
    """A limit of a family (limits.FAMILIES gives its row's name and its unit)."""
    spec = FAMILIES[family]
    return Limit(
        family, key, spec.row_name(n), terms, sense, limit, spec.unit, reference, position
    )


@dataclass
class Variables:
    """The model's variables, by position."""

    starts: list[list[tuple[int, pulp.LpVariable]]]  # per project: (start year, x)
    chosen: list[pulp.LpVariable | None]  # per project: y = Σ_t x (None: cannot be chosen)
    flows: dict[tuple[int, int, int], pulp.LpVariable]  # (work r, home e, year k) → g


@dataclass
class SelectionModel:
    """The PuLP problem plus everything needed to read its answer back."""

    problem: pulp.LpProblem
    instance: Instance
    starts: list[list[tuple[int, pulp.LpVariable]]]
    chosen: list[pulp.LpVariable | None]
    flows: dict[tuple[int, int, int], pulp.LpVariable]
    limits: list[Limit] = field(default_factory=list)
    elastic: bool = False

    @property
    def data(self) -> PlanningData:
        return self.instance.data

    @property
    def scenario(self) -> Scenario:
        return self.instance.scenario

    @property
    def figures(self) -> pd.DataFrame:
        return self.instance.projects

    def start_of(self, values: list[float] | None = None) -> dict[int, int]:
        """{position: start year} of the portfolio in the solver's answer, or of one given
        as every column's value (a solver's incumbent, before the run ends)."""
        return {
            i: t
            for i, options in enumerate(self.starts)
            for t, x in options
            if ((x.value() or 0) if values is None else values[x.index]) > 0.5
        }


# ---------------------------------------------------------------------------- variables


def _variables(
    problem: pulp.LpProblem,
    inst: Instance,
    elastic: bool,
    fixed_starts: dict[str, int] | None,
    relax: bool,
) -> Variables:
    cat = pulp.LpContinuous if relax else pulp.LpBinary
    p = inst.projects
    starts: list[list[tuple[int, pulp.LpVariable]]] = []
    chosen: list[pulp.LpVariable | None] = []
    for i, (pid, options, out) in enumerate(
        zip(p["project_id"], p["starts"], p["forced_out"], strict=True)
    ):
        mine: list[tuple[int, pulp.LpVariable]] = []
        if elastic or not out:
            mine = [
                (t, problem.add_variable(f"x{i}_{t}", lowBound=0, upBound=1, cat=cat))
                for t in options
            ]
        if fixed_starts is not None:
            wanted = fixed_starts.get(pid)
            for t, x in mine:
                x.lowBound = x.upBound = 1 if t == wanted else 0
        starts.append(mine)
        # A chosen variable per project: the sector and money rows read it, and branching
        # on it finds portfolios sooner than branching on start years.
        y = problem.add_variable(f"y{i}", lowBound=0, upBound=1, cat=cat) if mine else None
        chosen.append(y)
        if y is not None:
            problem.addConstraint(
                pulp.LpConstraint(
                    pulp.LpAffineExpression([(y, 1.0)] + [(x, -1.0) for _, x in mine]),
                    pulp.LpConstraintEQ,
                    name=f"chosen_p{i}",
                    rhs=0,
                )
            )
    stock = inst.displaced_stock
    flows = {
        (r, e, k): problem.add_variable(f"g{r}_{e}_{k}", lowBound=0)
        for k in range(len(inst.years))
        for r, e in inst.reach
        if stock[e, k] > 0
    }
    return Variables(starts, chosen, flows)


def _chosen(v: Variables, i: int, coefficient: float) -> Terms:
    y = v.chosen[i]
    return [] if y is None or coefficient == 0 else [(y, coefficient)]


# ---------------------------------------------------------------------------- limit families


def forced_limits(inst: Instance, v: Variables, elastic: bool) -> list[Limit]:
    """Mandatory and forced-in projects are in; excluded ones are out (rows only in the
    elastic re-solve: otherwise an excluded project has no variables at all)."""
    out = []
    p = inst.projects
    for i, (pid, forced_in, forced_out) in enumerate(
        zip(p["project_id"], p["forced_in"], p["forced_out"], strict=True)
    ):
        terms = _chosen(v, i, 1.0)
        if not terms:
            continue
        if forced_in:
            out.append(
                _limit("forced_in", i, pid, terms, ">=", 1, FORCED_REFERENCE, position=i)
            )
        if forced_out and elastic:
            out.append(
                _limit("forced_out", i, pid, terms, "<=", 0, FORCED_REFERENCE, position=i)
            )
    return out


def group_limits(inst: Instance, v: Variables) -> list[Limit]:
    """At most one variant of a scheme."""
    groups: dict[str, list[int]] = {}
    for i, group in enumerate(inst.data.projects["exclusive_group"]):
        if group:
            groups.setdefault(group, []).append(i)
    out = []
    for g, (group, members) in enumerate(sorted(groups.items())):
        terms = [t for i in members for t in _chosen(v, i, 1.0)]
        if len(terms) > 1:
            out.append(_limit("exclusive_group", g, group, terms, "<=", 1, 1))
    return out


def money_limits(inst: Instance, v: Variables) -> list[Limit]:
    """Fiscal budget and bond quota each year. A PPP project's yearly payment is charged to
    the fiscal budget of every year it is in service: social capital is not free money."""
    n_years = len(inst.years)
    budget: list[Terms] = [[] for _ in range(n_years)]
    bonds: list[Terms] = [[] for _ in range(n_years)]
    for i, options in enumerate(v.starts):
        for t, x in options:
            for k, spend_budget, spend_bond in inst.yearly_money(i, t):
                if spend_budget > 0:
                    budget[k].append((x, spend_budget))
                if spend_bond > 0:
                    bonds[k].append((x, spend_bond))
    out = []
    for k, year in enumerate(inst.years):
        for family, terms, amount in (
            ("fiscal_budget", budget[k], inst.fiscal_budget[year]),
            ("bond_quota", bonds[k], inst.bond_quota[year]),
        ):
            out.append(_limit(family, k, str(year), terms, "<=", amount, max(amount, 1.0)))
    return out


def region_limits(inst: Instance, v: Variables) -> list[Limit]:
    """Each city: debt headroom; the 10 % PPP line (财金〔2015〕21号) on all new PPP payments;
    the 5 % line (财金〔2019〕10号) on new government-pay ones."""
    p = inst.projects
    debt: dict[int, Terms] = {}
    ppp: dict[int, Terms] = {}
    pay: dict[int, Terms] = {}
    region_at, bond_money = inst.column("region_at"), inst.column("bond_money")
    ppp_payment, government_pay = inst.column("ppp_payment"), inst.column("government_pay")
    for i in range(len(p)):
        r = int(region_at[i])
        debt.setdefault(r, []).extend(_chosen(v, i, float(bond_money[i])))
        payment = float(ppp_payment[i])
        ppp.setdefault(r, []).extend(_chosen(v, i, payment))
        if government_pay[i]:
            pay.setdefault(r, []).extend(_chosen(v, i, payment))
    out = []
    for r, region in enumerate(inst.regions):
        if debt.get(r):
            amount = inst.debt_headroom[region]
            out.append(_limit("debt_headroom", r, region, debt[r], "<=", amount, max(amount, 1.0)))
        if ppp.get(r):
            reference = max(inst.ppp_line[region], 1.0)
            out.append(
                _limit("ppp_line", r, region, ppp[r], "<=", inst.ppp_room[region], reference)
            )
        if pay.get(r):
            room, reference = inst.government_pay_room[region], inst.government_pay_line[region]
            out.append(
                _limit("government_pay_line", r, region, pay[r], "<=", room, max(reference, 1.0))
            )
    return out


def mix_limits(inst: Instance, v: Variables) -> list[Limit]:
    """Sector shares and the social-capital share of the portfolio's capex, written as the
    surplus over the line (capex in the sector − share × all capex ≥ 0)."""
    p = inst.projects
    capex = p["capex"].to_numpy(float)
    private = p["private_money"].to_numpy(float)
    sectors = p["sector"].to_numpy()
    total = float(capex.sum())
    out = []
    for s, (sector, (low, high)) in enumerate(inst.sector_shares.items()):
        inside = sectors == sector
        for family, share, sense, wanted in (
            ("sector_min", low, ">=", low > 0),
            ("sector_max", high, "<=", high < 1),
        ):
            if wanted:
                # Coefficients as plain floats, computed at once: numpy scalars cost a
                # microsecond an operation, seconds over 50,000 projects.
                weights = (capex * (inside - share)).tolist()
                terms = [t for i in range(len(p)) for t in _chosen(v, i, weights[i])]
                out.append(_limit(family, s, sector, terms, sense, 0, total))
    low, high = inst.setting("ppp_min_share"), inst.setting("ppp_max_share")
    for family, share, sense, wanted in (
        ("ppp_share_min", low, ">=", low > 0),
        ("ppp_share_max", high, "<=", high < 1),
    ):
        if wanted:
            weights = (private - share * capex).tolist()
            terms = [t for i in range(len(p)) for t in _chosen(v, i, weights[i])]
            out.append(_limit(family, None, "portfolio", terms, sense, 0, total))
    return out


def coverage_limits(inst: Instance, v: Variables) -> list[Limit]:
    """Each city with displaced workers gets at least min_coverage_share of its worker-years."""
    share = inst.setting("min_coverage_share")
    if share <= 0:
        return []
    out = []
    for e, region in enumerate(inst.regions):
        need = share * float(inst.displaced_stock[e].sum())
        if need <= 0:
            continue
        terms = [(g, 1.0) for (_, h, _), g in v.flows.items() if h == e]
        out.append(_limit("coverage_floor", e, region, terms, ">=", need, need))
    return out


LIMIT_FAMILIES: tuple[Callable[[Instance, Variables], list[Limit]], ...] = (
    group_limits,
    money_limits,
    region_limits,
    mix_limits,
    coverage_limits,
)


def make_elastic(problem: pulp.LpProblem, limits: list[Limit]) -> list[Limit]:
    """The elastic re-solve's transform: every movable limit may give way by a violation
    variable (use ≤ limit + v, or use ≥ limit − v) priced by its relative size."""
    for lim in limits:
        if lim.family in MOVABLE:
            lim.violation = problem.add_variable(f"v_{lim.name}", lowBound=0)
    return limits


def limit_amounts(inst: Instance) -> dict[str, float]:
    """The amount of every limit that moves by amount alone (limits.Family.amount), by row
    name: the only numbers that change when a budget, quota, headroom or PPP line moves, so a
    kept model can be re-solved by changing them alone (see `tradeoffs`)."""
    amounts: dict[str, float] = {}
    for family in FAMILIES.values():
        if family.amount is None:
            continue
        amount = getattr(inst, family.amount)  # by year or by city
        keys = inst.years if family.over == "year" else inst.regions
        for n, key in enumerate(keys):
            amounts[family.row_name(n)] = float(amount[key])
    return amounts


# ---------------------------------------------------------------------------- structure rows


def _row(problem: pulp.LpProblem, terms: Terms, sense: int, rhs: float, name: str) -> None:
    rhs = float(rhs)
    problem.addConstraint(
        pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name=name, rhs=rhs)
    )


def _prerequisites(problem: pulp.LpProblem, inst: Instance, v: Variables) -> None:
    """p requires q: p started by year t implies q started by t (so q is chosen and starts
    no later)."""
    position = {pid: i for i, pid in enumerate(inst.projects["project_id"])}
    for i, need in enumerate(inst.data.projects["requires"]):
        if not need or not v.starts[i]:
            continue
        q = position[need]
        for t, _ in v.starts[i]:
            terms = [(x, 1.0) for s, x in v.starts[i] if s <= t]
            terms += [(x, -1.0) for s, x in v.starts[q] if s <= t]
            _row(problem, terms, pulp.LpConstraintLE, 0, f"requires_p{i}_{t}")


def _matching(problem: pulp.LpProblem, inst: Instance, v: Variables) -> None:
    """Each year: workers taking jobs in region r ≤ the open jobs there that year; workers of
    home region e holding jobs ≤ e's displaced stock that year."""
    open_terms: dict[tuple[int, int], Terms] = {}
    region_at, skill_match = inst.column("region_at"), inst.column("skill_match")
    build_jobs, operating_jobs = inst.column("build_jobs"), inst.column("operating_jobs")
    for i, options in enumerate(v.starts):
        r = int(region_at[i])
        skill = float(skill_match[i])
        building = skill * float(build_jobs[i])
        operating = skill * float(operating_jobs[i])
        for t, x in options:
            for k in inst.build_years(i, t):
                if building > 0:
                    open_terms.setdefault((r, k), []).append((x, -building))
            if operating > 0:
                for k in inst.operating_years(i, t):
                    open_terms.setdefault((r, k), []).append((x, -operating))
    taken: dict[tuple[int, int], Terms] = {}
    held: dict[tuple[int, int], Terms] = {}
    for (r, e, k), g in v.flows.items():
        taken.setdefault((r, k), []).append((g, 1.0))
        held.setdefault((e, k), []).append((g, 1.0))
    for (r, k), terms in taken.items():
        _row(
            problem,
            terms + open_terms.get((r, k), []),
            pulp.LpConstraintLE,
            0,
            f"open_jobs_r{r}_y{k}",
        )
    for (e, k), terms in held.items():
        _row(
            problem,
            terms,
            pulp.LpConstraintLE,
            float(inst.displaced_stock[e, k]),
            f"displaced_r{e}_y{k}",
        )


def job_years_weights(inst: Instance, i: int, start: int) -> float:
    """Σ over the horizon of year weight × jobs held, for project i started in `start`."""
    w = inst.year_weight
    build = float(inst.column("build_jobs")[i])
    operating = float(inst.column("operating_jobs")[i])
    return build * sum(w[k] for k in inst.build_years(i, start)) + operating * sum(
        w[k] for k in inst.operating_years(i, start)
    )


def _objective(
    problem: pulp.LpProblem, inst: Instance, v: Variables, limits: list[Limit], elastic: bool
) -> None:
    """Worker-years re-employed within reach, each year weighted by the discount rate, plus
    other_jobs_weight × every job-year. In the elastic re-solve: the smallest relative moves
    of the limits, with a tiny reward for jobs so the portfolio stays sensible."""
    weight = inst.setting("other_jobs_weight")
    w = inst.year_weight
    reward: Terms = [(g, w[k]) for (_, _, k), g in v.flows.items()]
    if weight > 0:
        reward += [
            (x, weight * job_years_weights(inst, i, t))
            for i, options in enumerate(v.starts)
            for t, x in options
        ]
    if not elastic:
        problem.setObjective(pulp.LpAffineExpression(reward))
        return
    scale = 1e-7 / max(1.0, float(inst.displaced_stock.sum()) + 1.0)
    terms = [(lim.violation, 1.0 / lim.reference) for lim in limits if lim.violation is not None]
    terms += [(var, -scale * c) for var, c in reward]
    problem.setObjective(pulp.LpAffineExpression(terms))


def build_model(
    data: PlanningData | Instance,
    scenario: Scenario | None = None,
    *,
    elastic: bool = False,
    fixed_starts: dict[str, int] | None = None,
    relax: bool = False,
) -> SelectionModel:
    """Build the selection model for an instance (or a workbook and a scenario; None: the
    workbook's own settings).

    elastic: every movable limit gets a violation variable and the objective becomes the
    smallest relative move of the limits (the infeasibility diagnosis). fixed_starts: the
    portfolio is fixed to these {project_id: start_year} (for evaluating a given portfolio).
    relax: the LP relaxation (a bound on the best possible objective).
    """
    inst = data if isinstance(data, Instance) else prepare(data, scenario)
    sense = pulp.LpMinimize if elastic else pulp.LpMaximize
    problem = pulp.LpProblem("portfolio", sense)
    v = _variables(problem, inst, elastic, fixed_starts, relax)
    limits = forced_limits(inst, v, elastic)
    for family in LIMIT_FAMILIES:
        limits += family(inst, v)
    if elastic:
        limits = make_elastic(problem, limits)
    for lim in limits:
        le = lim.sense == "<="
        terms = lim.terms
        if lim.violation is not None:
            terms = [*terms, (lim.violation, -1.0 if le else 1.0)]
        _row(
            problem, terms, pulp.LpConstraintLE if le else pulp.LpConstraintGE, lim.limit, lim.name
        )
    _prerequisites(problem, inst, v)
    _matching(problem, inst, v)
    _objective(problem, inst, v, limits, elastic)
    return SelectionModel(problem, inst, v.starts, v.chosen, v.flows, limits, elastic)
