"""Build the selection model of `docs/model.md` (version 3) as a PuLP problem.

Variables are named by position (x12_3: project 12 starting in 2023; y12: project 12 chosen;
g4_7_2: home region 7's workers holding jobs in region 4 in the third year; k4_7_2 the same
for trained workers in trainable jobs; u7_2: region 7's workers starting training in the third
year; l5_3: batch 5's workers laid off in the fourth layoff year) and the model keeps
the map back to ids, because PuLP rewrites characters such as `-+[] ->/` in names and `P-1`
and `P_1` would otherwise collide. Expressions are built from (variable, coefficient) pairs,
which is many times faster than `lpSum` or `+=` in loops.

Limits are data: each family is a function of the instance and the variables that returns its
`Limit`s (use ≤ limit, in a planner's words). The elastic re-solve is a transform of that list,
not a branch inside the families. Rows that are structure rather than limits (a project starts
at most once, prerequisites, the matching of workers to jobs) are added directly.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from .instance import Instance, prepare
from .limits import FAMILIES, MOVABLE
from .loader import PlanningData
from .scenario import Scenario

# A trainee costs nothing in the objective, so among equal portfolios the solver could
# train anyone the budget allows; this tie-break trains only those who take trainable
# jobs (per trainee, far below one worker-year and below the solver's gap).
TRAINEE_TIE_BREAK = 1e-6

# In the elastic re-solve, giving up a forced project costs as much as moving a limit by 100
# times its size: planners treat mandatory projects as fixed and move budgets first.
FORCED_REFERENCE = 0.01

# Objects a build leaves (net, in the collector's young generation) above which a full
# collection follows it (`_no_garbage_collection`): about 4.1 million at 100,000 projects,
# 0.4 million at 10,000, 13,000 for the sample.
FULL_COLLECTION_AFTER = 1_000_000

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
    k: int | None = None,
) -> Limit:
    """A limit of a family (limits.FAMILIES gives its row's name and its unit); k: the
    planning year's position, for a row per city and year."""
    spec = FAMILIES[family]
    return Limit(
        family, key, spec.row_name(n, k), terms, sense, limit, spec.unit, reference, position
    )


@dataclass
class Variables:
    """The model's variables, by position."""

    starts: list[list[tuple[int, pulp.LpVariable]]]  # per project: (start year, x)
    chosen: list[pulp.LpVariable | None]  # per project: y = Σ_t x (None: cannot be chosen)
    flows: dict[tuple[int, int, int], pulp.LpVariable]  # (work r, home e, year k) → g
    trained_flows: dict[tuple[int, int, int], pulp.LpVariable] = field(default_factory=dict)
    training: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)  # (e, k) → u
    # (batch b, layoff-year position j) → ℓ, for paced batches only
    layoffs: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    government_pay_switch: dict[int, pulp.LpVariable] = field(default_factory=dict)  # r → v_r
    # start_columns, kept once made (not a field to give or compare)
    _start_columns: StartColumns | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def start_columns(self) -> StartColumns:
        """The start variables as arrays, made at the first call (after `starts` is full)."""
        if self._start_columns is None:
            self._start_columns = StartColumns.of(self)
        return self._start_columns


@dataclass(frozen=True)
class StartColumns:
    """Every start variable x as one column, in the model's order (by project, then start
    year), with the project's chosen variable: the families compute a coefficient per
    column or per project with numpy and keep the nonzero ones (`_terms`)."""

    position: np.ndarray  # the project of each column
    start: np.ndarray  # its start year
    variables: np.ndarray  # x, object array
    chosen: np.ndarray  # per project: y, object array (None: cannot be chosen)
    has_chosen: np.ndarray  # per project: y is not None

    @staticmethod
    def of(v: Variables) -> StartColumns:
        positions = [i for i, options in enumerate(v.starts) for _ in options]
        chosen = np.empty(len(v.chosen), dtype=object)
        chosen[:] = v.chosen
        variables = np.empty(len(positions), dtype=object)
        variables[:] = [x for options in v.starts for _, x in options]
        return StartColumns(
            position=np.array(positions, dtype=np.int64),
            start=np.array([t for options in v.starts for t, _ in options], dtype=np.int64),
            variables=variables,
            chosen=chosen,
            has_chosen=np.array([y is not None for y in v.chosen], dtype=bool),
        )


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
    trained_flows: dict[tuple[int, int, int], pulp.LpVariable] = field(default_factory=dict)
    training: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    layoffs: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)

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

    @property
    def objective_constant(self) -> float:
        """What the solver's objective leaves out of model.md's maximised form: minus the
        weighted exposure of the layoffs the model does not pace (a constant)."""
        inst = self.instance
        fixed = inst.planned_layoffs()
        fixed[sorted({b for b, _ in self.layoffs})] = 0.0
        weights = np.array(inst.year_weight)
        return -float((inst.exposure(fixed).sum(axis=0) * weights).sum()) if inst.years else 0.0

    def training_of(self) -> np.ndarray:
        """Workers starting training in the solver's answer, region × year."""
        inst = self.instance
        out = np.zeros((len(inst.regions), len(inst.years)))
        for (e, k), u in self.training.items():
            out[e, k] = max(0.0, float(u.value() or 0.0))
        return out

    def layoffs_of(self) -> np.ndarray:
        """Workers laid off in the solver's answer, batch × layoff year (the planned year for
        a batch the model does not pace)."""
        out = self.instance.planned_layoffs()
        paced = {b for b, _ in self.layoffs}
        out[sorted(paced)] = 0.0
        for (b, j), var in self.layoffs.items():
            out[b, j] = max(0.0, float(var.value() or 0.0))
        return out


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
    layoffs = {
        (b, j): problem.add_variable(f"l{b}_{j}", lowBound=0) for b, j in paced_layoff_options(inst)
    }
    exposed = exposure_possible(inst)
    flows = {
        (r, e, k): problem.add_variable(f"g{r}_{e}_{k}", lowBound=0)
        for k in range(len(inst.years))
        for r, e in inst.reach
        if exposed[e, k]
    }
    training: dict[tuple[int, int], pulp.LpVariable] = {}
    trained_flows: dict[tuple[int, int, int], pulp.LpVariable] = {}
    laid_off = inst.batches.groupby("region_at")["workers"].sum()
    for k, year in enumerate(inst.years):
        if inst.training_budget.get(year, 0.0) <= 0:
            continue
        for e in range(len(inst.regions)):
            if laid_off.get(e, 0.0) > 0:
                training[e, k] = problem.add_variable(f"u{e}_{k}", lowBound=0)
    if training:
        lag = int(inst.setting("training_lag_years"))
        first_trained = min(k for _, k in training) + lag
        can_train = {e for e, _ in training}
        trainable_here = {
            int(r)
            for r, share in zip(
                inst.column("region_at"), inst.column("trainable_share"), strict=True
            )
            if share > 0
        }
        trained_flows = {
            (r, e, k): problem.add_variable(f"k{r}_{e}_{k}", lowBound=0)
            for k in range(first_trained, len(inst.years))
            for r, e in inst.reach
            if exposed[e, k] and e in can_train and r in trainable_here
        }
    switch: dict[int, pulp.LpVariable] = {}
    for i, (r, government_pay) in enumerate(
        zip(inst.column("region_at"), inst.column("government_pay"), strict=True)
    ):
        r = int(r)
        closed = inst.ppp_closed[inst.regions[r]]
        if government_pay and starts[i] and not closed and r not in switch:
            switch[r] = problem.add_variable(f"v{r}", lowBound=0, upBound=1, cat=cat)
    return Variables(starts, chosen, flows, trained_flows, training, layoffs, switch)


def paced_layoff_options(inst: Instance) -> list[tuple[int, int]]:
    """(batch, layoff-year position) for each paced batch and each year of its window."""
    first = inst.first_layoff_year
    return [
        (b, year - first)
        for b, (paced, low, high) in enumerate(
            zip(
                inst.batches["paced"], inst.batches["earliest"], inst.batches["latest"], strict=True
            )
        )
        if paced
        for year in range(int(low), int(high) + 1)
    ]


def exposure_possible(inst: Instance) -> np.ndarray:
    """Region × year: True where some layoff could leave exposure (a batch laid off by then
    at the latest, or already inside its window)."""
    out = np.zeros((len(inst.regions), len(inst.years)), dtype=bool)
    for e, workers, year, low, paced in zip(
        inst.batches["region_at"],
        inst.batches["workers"],
        inst.batches["year"],
        inst.batches["earliest"],
        inst.batches["paced"],
        strict=True,
    ):
        if workers > 0:
            since = int(low) if paced else int(year)
            out[int(e), max(0, since - inst.years[0]) :] = True
    return out


def exposure_terms(inst: Instance, v: Variables) -> tuple[np.ndarray, dict[tuple[int, int], Terms]]:
    """D_e(t) = constant + Σ coefficient × ℓ: the constant of the batches laid off as planned
    (region × year) and the terms of the paced ones, by (region, year)."""
    fixed = inst.planned_layoffs()
    paced = sorted({b for b, _ in v.layoffs})
    fixed[paced] = 0.0
    constant = inst.exposure(fixed)
    terms: dict[tuple[int, int], Terms] = {}
    region_at = inst.batches["region_at"].to_numpy(int)
    for (b, j), var in v.layoffs.items():
        e = int(region_at[b])
        coefficients = inst.exposure_coefficients[e][:, j]
        for k in np.nonzero(coefficients)[0]:
            terms.setdefault((e, int(k)), []).append((var, float(coefficients[k])))
    return constant, terms


def _summed(terms: Terms) -> Terms:
    """Terms with each variable once, its coefficients added: an expression built from pairs
    keeps only the last coefficient of a variable named twice."""
    total: dict[pulp.LpVariable, float] = {}
    for var, c in terms:
        total[var] = total.get(var, 0.0) + c
    return list(total.items())


def _terms(variables: np.ndarray, coefficients: np.ndarray, keep: np.ndarray) -> Terms:
    """(variable, coefficient) pairs where `keep`, in order, the coefficients as floats."""
    where = np.flatnonzero(keep)
    return list(zip(variables[where].tolist(), coefficients[where].tolist(), strict=True))


def _chosen_terms(v: Variables, coefficients: np.ndarray) -> Terms:
    """(y, coefficient) of each project that can be chosen and has a nonzero coefficient
    (coefficients per project), in project order: _chosen for every project at once."""
    columns = v.start_columns
    return _terms(columns.chosen, coefficients, columns.has_chosen & (coefficients != 0))


def _by_group(
    groups: np.ndarray, terms_at: np.ndarray, variables: np.ndarray, coefficients: np.ndarray
) -> dict[int, Terms]:
    """Terms at `terms_at` (indices, in order) split by their group, each group's terms in
    their order (a stable sort)."""
    if not len(terms_at):
        return {}
    order = terms_at[np.argsort(groups[terms_at], kind="stable")]
    keys, first = np.unique(groups[order], return_index=True)
    out: dict[int, Terms] = {}
    for key, part in zip(keys.tolist(), np.split(order, first[1:]), strict=True):
        out[key] = list(zip(variables[part].tolist(), coefficients[part].tolist(), strict=True))
    return out


def _chosen(v: Variables, i: int, coefficient: float) -> Terms:
    y = v.chosen[i]
    return [] if y is None or coefficient == 0 else [(y, coefficient)]


def _year_key(inst: Instance, region: str, k: int | None) -> str:
    """What a row per city and year is about: "city year" (the city alone after the
    horizon)."""
    return region if k is None else f"{region} {inst.years[k]}"


# ---------------------------------------------------------------------------- limit families


def forced_limits(inst: Instance, v: Variables, elastic: bool) -> list[Limit]:
    """Mandatory and forced-in projects are in; excluded ones are out (rows only in the
    elastic re-solve: otherwise an excluded project has no variables at all)."""
    out = []
    p = inst.projects
    ids = p["project_id"].tolist()
    forced_in, forced_out = p["forced_in"].to_numpy(bool), p["forced_out"].to_numpy(bool)
    for i in np.flatnonzero(forced_in | (forced_out & elastic)).tolist():
        terms = _chosen(v, i, 1.0)
        if not terms:
            continue
        pid = ids[i]
        if forced_in[i]:
            out.append(
                _limit("forced_in", i, pid, terms, ">=", 1, FORCED_REFERENCE, position=i)
            )
        if forced_out[i] and elastic:
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
    columns = v.start_columns
    budget, bonds = inst.money_of_starts(columns.position, columns.start)
    out = []
    for k, year in enumerate(inst.years):
        for family, spend, amount in (
            ("fiscal_budget", budget[:, k], inst.fiscal_budget[year]),
            ("bond_quota", bonds[:, k], inst.bond_quota[year]),
        ):
            terms = _terms(columns.variables, spend, spend > 0)
            out.append(_limit(family, k, str(year), terms, "<=", amount, max(amount, 1.0)))
    return out


def region_limits(inst: Instance, v: Variables) -> list[Limit]:
    """Each city: debt headroom, and the PPP rules of 财金〔2015〕21号 and 财金〔2019〕10号 as
    written (model.md 5, 6): a city above its 10 % line adds no PPP project (5c); below it,
    the existing commitments plus the chosen PPPs' build-year outlays and payments stay under
    the line in every planning year (5a) and once every chosen PPP pays (5b); a city with a
    government-pay PPP keeps its whole ratio under the 5 % line (6, switch v_r)."""
    p = inst.projects
    columns = v.start_columns
    region_at = p["region_at"].to_numpy(np.int64)
    bond_money = p["bond_money"].to_numpy(float)
    debt = _by_group(
        region_at,
        np.flatnonzero(columns.has_chosen & (bond_money != 0)),
        columns.chosen,
        bond_money,
    )
    ppp_at: dict[int, list[int]] = {}
    for i, (r, ppp) in enumerate(zip(region_at.tolist(), inst.column("ppp"), strict=True)):
        if ppp and v.starts[i]:
            ppp_at.setdefault(r, []).append(i)
    # Every column's PPP responsibilities, computed once for the cities' rows.
    ppp_amounts = inst.ppp_of_starts(columns.position, columns.start) if ppp_at else None
    out = []
    for r, region in enumerate(inst.regions):
        if debt.get(r):
            amount = inst.debt_headroom[region]
            out.append(_limit("debt_headroom", r, region, debt[r], "<=", amount, max(amount, 1.0)))
        if ppp_at.get(r):
            out += _ppp_limits(inst, v, r, ppp_at[r], ppp_amounts)
    return out


def ppp_year_terms(
    inst: Instance, v: Variables, members: list[int], table: np.ndarray | None = None
) -> list[Terms]:
    """Per planning year: the chosen PPPs' fiscal responsibilities (Instance.ppp_of_starts:
    build-year outlays of budget money, then yearly payments once in service), on the start
    variables. table: ppp_of_starts of every start column, when the caller has it."""
    columns = v.start_columns
    if table is None:
        table = inst.ppp_of_starts(columns.position, columns.start)
    mine = np.isin(columns.position, members)
    return [
        _terms(columns.variables, table[:, k], mine & (table[:, k] > 0))
        for k in range(len(inst.years))
    ]


def _ppp_limits(
    inst: Instance, v: Variables, r: int, members: list[int], table: np.ndarray | None
) -> list[Limit]:
    region = inst.regions[r]
    line = float(inst.ppp_line[region])
    existing = line - float(inst.ppp_room[region]) if not inst.ppp_closed[region] else None
    if existing is None:  # 5c: above the line, no new PPP project of any mechanism
        terms = [t for i in members for t in _chosen(v, i, 1.0)]
        return [_limit("ppp_closed", r, region, terms, "<=", 0, 1)]
    room = line - existing
    reference = max(line, 1.0)
    payment = inst.column("ppp_payment")
    after = [t for i in members for t in _chosen(v, i, float(payment[i]))]
    rows = [(k, terms) for k, terms in enumerate(ppp_year_terms(inst, v, members, table)) if terms]
    if after:
        rows.append((None, after))
    out = [
        _limit("ppp_line", r, _year_key(inst, region, k), terms, "<=", room, reference, k=k)
        for k, terms in rows
    ]
    switch = v.government_pay_switch.get(r)
    if switch is not None:
        # Rule 6 with M_r = L_r: total ≤ G_r + (1 − v_r)(L_r − G_r), i.e.
        # new + (L_r − G_r)·v_r ≤ L_r − E_r.
        big_m = line - float(inst.government_pay_line[region])
        out += [
            _limit(
                "government_pay_line",
                r,
                _year_key(inst, region, k),
                [*terms, (switch, big_m)],
                "<=",
                room,
                reference,
                k=k,
            )
            for k, terms in rows
        ]
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
                terms = _chosen_terms(v, capex * (inside - share))
                out.append(_limit(family, s, sector, terms, sense, 0, total))
    low, high = inst.setting("ppp_min_share"), inst.setting("ppp_max_share")
    for family, share, sense, wanted in (
        ("ppp_share_min", low, ">=", low > 0),
        ("ppp_share_max", high, "<=", high < 1),
    ):
        if wanted:
            terms = _chosen_terms(v, private - share * capex)
            out.append(_limit(family, None, "portfolio", terms, sense, 0, total))
    return out


def coverage_limits(inst: Instance, v: Variables) -> list[Limit]:
    """Each city with displaced workers gets at least min_coverage_share of its exposure
    (worker-years) re-employed (model.md 14), written as re-employed − share × paced
    exposure ≥ share × planned exposure."""
    share = inst.setting("min_coverage_share")
    if share <= 0:
        return []
    constant, paced = exposure_terms(inst, v)
    out = []
    for e, region in enumerate(inst.regions):
        need = share * float(constant[e].sum())
        moving = [
            (var, -share * c) for k in range(len(inst.years)) for var, c in paced.get((e, k), [])
        ]
        if need <= 0 and not moving:
            continue
        terms = [(g, 1.0) for (_, h, _), g in v.flows.items() if h == e]
        terms += [(g, 1.0) for (_, h, _), g in v.trained_flows.items() if h == e]
        out.append(
            _limit(
                "coverage_floor", e, region, _summed(terms + moving), ">=", need, max(need, 1.0)
            )
        )
    return out


def training_limits(inst: Instance, v: Variables) -> list[Limit]:
    """Each year: trainees × training_cost (万元) / 10,000 ≤ training_budget (亿元)."""
    cost = inst.setting("training_cost") / 10_000.0
    by_year: dict[int, Terms] = {}
    for (_, k), u in v.training.items():
        by_year.setdefault(k, []).append((u, cost))
    out = []
    for k, terms in sorted(by_year.items()):
        amount = float(inst.training_budget[inst.years[k]])
        out.append(
            _limit("training_budget", k, str(inst.years[k]), terms, "<=", amount, max(amount, 1.0))
        )
    return out


def layoff_cap_limits(inst: Instance, v: Variables) -> list[Limit]:
    """With paced layoffs: each region lays off at most max_layoffs_per_year in each
    planning year (model.md 13), the batches it does not pace counted as given."""
    if not inst.setting("pace_layoffs"):
        return []
    fixed = inst.planned_layoffs()
    paced_batches = sorted({b for b, _ in v.layoffs})
    fixed[paced_batches] = 0.0
    fixed_by_region = inst.layoffs_by_region(fixed)
    region_at = inst.batches["region_at"].to_numpy(int)
    terms: dict[tuple[int, int], Terms] = {}
    for (b, j), var in v.layoffs.items():
        terms.setdefault((int(region_at[b]), j), []).append((var, 1.0))
    offset = inst.years[0] - inst.first_layoff_year if inst.years else 0
    out = []
    for e, region in enumerate(inst.regions):
        cap = float(inst.layoff_cap[e])
        if not np.isfinite(cap):
            continue
        for k in range(len(inst.years)):
            mine = terms.get((e, k + offset), [])
            given = float(fixed_by_region[e, k + offset])
            if not mine and given <= cap:
                continue
            key = _year_key(inst, region, k)
            out.append(_limit("layoff_cap", e, key, mine, "<=", cap - given, max(cap, 1.0), k=k))
    return out


LIMIT_FAMILIES: tuple[Callable[[Instance, Variables], list[Limit]], ...] = (
    group_limits,
    money_limits,
    region_limits,
    mix_limits,
    coverage_limits,
    training_limits,
    layoff_cap_limits,
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
    name: the only numbers that change when a budget, quota or headroom moves, so a kept model
    can be re-solved by changing them alone (see `tradeoffs`). A PPP line that moves changes
    which cities are closed (5c) and the government-pay switch's coefficient (6): the model
    is rebuilt."""
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


def _jobs_terms(inst: Instance, v: Variables, share: str) -> dict[tuple[int, int], Terms]:
    """−(jobs of the kind) by (work region, year) on the start variables: `skill_match` for
    the open jobs, `trainable_share` for the trainable ones."""
    p, columns = inst.projects, v.start_columns
    at = columns.position
    weight = p[share].to_numpy(float)[at]
    building = weight * p["build_jobs"].to_numpy(float)[at]
    operating = weight * p["operating_jobs"].to_numpy(float)[at]
    region_at = p["region_at"].to_numpy(np.int64)[at]
    built, in_service = inst.year_masks(at, columns.start)
    out: dict[tuple[int, int], Terms] = {}
    for k in range(len(inst.years)):
        jobs = np.where(built[:, k], building, np.where(in_service[:, k], operating, 0.0))
        by_region = _by_group(region_at, np.flatnonzero(jobs > 0), columns.variables, -jobs)
        out.update(((r, k), terms) for r, terms in by_region.items())
    return out


def _matching(problem: pulp.LpProblem, inst: Instance, v: Variables) -> None:
    """Each year (model.md 12): workers taking open jobs in region r ≤ its open jobs, trained
    workers taking trainable jobs ≤ its trainable jobs; each home region e: trained workers
    at work ≤ its trained pool, all its workers at work ≤ its exposure D_e(t)."""
    for flows, share, name in (
        (v.flows, "skill_match", "open_jobs"),
        (v.trained_flows, "trainable_share", "trainable_jobs"),
    ):
        if not flows:
            continue
        jobs = _jobs_terms(inst, v, share)
        taken: dict[tuple[int, int], Terms] = {}
        for (r, _, k), g in flows.items():
            taken.setdefault((r, k), []).append((g, 1.0))
        for (r, k), terms in taken.items():
            _row(problem, terms + jobs.get((r, k), []), pulp.LpConstraintLE, 0, f"{name}_r{r}_y{k}")
    constant, paced = exposure_terms(inst, v)
    held: dict[tuple[int, int], Terms] = {}
    trained: dict[tuple[int, int], Terms] = {}
    for (_, e, k), g in v.flows.items():
        held.setdefault((e, k), []).append((g, 1.0))
    for (_, e, k), g in v.trained_flows.items():
        held.setdefault((e, k), []).append((g, 1.0))
        trained.setdefault((e, k), []).append((g, 1.0))
    for (e, k), terms in held.items():
        moving = [(var, -c) for var, c in paced.get((e, k), [])]
        _row(
            problem,
            terms + moving,
            pulp.LpConstraintLE,
            float(constant[e, k]),
            f"displaced_r{e}_y{k}",
        )
    lag = int(inst.setting("training_lag_years"))
    for (e, k), terms in trained.items():
        pool = [(u, -1.0) for (h, s), u in v.training.items() if h == e and s <= k - lag]
        _row(problem, terms + pool, pulp.LpConstraintLE, 0, f"trained_r{e}_y{k}")


def _training_after_layoff(problem: pulp.LpProblem, inst: Instance, v: Variables) -> None:
    """Nobody is trained before being laid off: trainees of region e by year t ≤ its workers
    laid off by t, layoffs before the horizon included (model.md 11)."""
    if not v.training:
        return
    fixed = inst.planned_layoffs()
    paced_batches = sorted({b for b, _ in v.layoffs})
    fixed[paced_batches] = 0.0
    by_then = np.cumsum(inst.layoffs_by_region(fixed), axis=1)
    offset = inst.years[0] - inst.first_layoff_year
    region_at = inst.batches["region_at"].to_numpy(int)
    for e, k in sorted(v.training):
        terms = [(u, 1.0) for (h, s), u in v.training.items() if h == e and s <= k]
        terms += [
            (var, -1.0)
            for (b, j), var in v.layoffs.items()
            if region_at[b] == e and j <= k + offset
        ]
        _row(
            problem,
            terms,
            pulp.LpConstraintLE,
            float(by_then[e, k + offset]),
            f"trainable_r{e}_y{k}",
        )


def _layoff_batches(problem: pulp.LpProblem, inst: Instance, v: Variables) -> None:
    """A paced batch leaves inside its window: Σ_t ℓ[b,t] = n_b (model.md 13)."""
    by_batch: dict[int, Terms] = {}
    for (b, _), var in v.layoffs.items():
        by_batch.setdefault(b, []).append((var, 1.0))
    workers = inst.batches["workers"].to_numpy(float)
    for b, terms in sorted(by_batch.items()):
        _row(problem, terms, pulp.LpConstraintEQ, float(workers[b]), f"batch_b{b}")


def _government_pay_switches(problem: pulp.LpProblem, inst: Instance, v: Variables) -> None:
    """v_r ≥ chosen_p for every government-pay PPP p of region r (model.md 6)."""
    for i, (r, government_pay) in enumerate(
        zip(inst.column("region_at"), inst.column("government_pay"), strict=True)
    ):
        switch = v.government_pay_switch.get(int(r))
        if government_pay and switch is not None and v.chosen[i] is not None:
            _row(problem, [(v.chosen[i], 1.0), (switch, -1.0)], pulp.LpConstraintLE, 0, f"pay_p{i}")


def job_years_weights(inst: Instance, positions: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Σ over the horizon of year weight × jobs held, for projects `positions` started in
    `starts` (one value each)."""
    w = np.array(inst.year_weight, dtype=float)
    built, in_service = inst.year_masks(positions, starts)
    # The weights added year after year (accumulate adds in sequence, as a loop would).
    built_weight = np.add.accumulate(np.where(built, w, 0.0), axis=1)[:, -1]
    service_weight = np.add.accumulate(np.where(in_service, w, 0.0), axis=1)[:, -1]
    p = inst.projects
    build = p["build_jobs"].to_numpy(float)[positions]
    operating = p["operating_jobs"].to_numpy(float)[positions]
    return build * built_weight + operating * service_weight


def _objective(
    problem: pulp.LpProblem, inst: Instance, v: Variables, limits: list[Limit], elastic: bool
) -> None:
    """model.md's objective in its maximised form: Σ_t w(t) · (re-employed − exposure +
    other_jobs_weight × jobs). The planned layoffs' exposure is a constant and left out (the
    solver's gap stays a gap on re-employment, as in version 2); the paced layoffs' exposure
    is in, so layoffs move to when and where jobs open. In the elastic re-solve: the smallest
    relative moves of the limits, with a tiny reward so the portfolio stays sensible."""
    weight = inst.setting("other_jobs_weight")
    w = inst.year_weight
    reward: Terms = [(g, w[k]) for (_, _, k), g in v.flows.items()]
    reward += [(g, w[k]) for (_, _, k), g in v.trained_flows.items()]
    _, paced = exposure_terms(inst, v)
    reward += [(var, -w[k] * c) for (_, k), terms in paced.items() for var, c in terms]
    reward += [(u, -TRAINEE_TIE_BREAK) for u in v.training.values()]
    reward = _summed(reward)
    columns = v.start_columns
    if weight > 0 and len(columns.position) and inst.years:
        jobs = weight * job_years_weights(inst, columns.position, columns.start)
        reward += zip(columns.variables.tolist(), jobs.tolist(), strict=True)
    if not elastic:
        problem.setObjective(pulp.LpAffineExpression(reward))
        return
    scale = 1e-7 / max(1.0, float(inst.batches["workers"].sum()) * len(inst.years) + 1.0)
    terms = [(lim.violation, 1.0 / lim.reference) for lim in limits if lim.violation is not None]
    terms += [(var, -scale * c) for var, c in reward]
    problem.setObjective(pulp.LpAffineExpression(terms))


class _Variable(pulp.LpVariable):
    """PuLP's variable with Python's own identity hash, computed in C. PuLP hashes a
    variable by `id(self)` in a Python method, called for every term of every row and the
    objective (5.6 million calls at 100,000 projects: 1.5 of 5.7 CPU s of the build). Both
    hashes are unique among live objects, so every dict of terms holds the same pairs in the
    same order; PuLP's own registry keys variables by their `hash` attribute, unchanged."""

    __hash__ = object.__hash__


class _Problem(pulp.LpProblem):
    """PuLP's problem with each variable registered once, when it is made. PuLP registers
    every variable of every row again as the row is added and again when the variables are
    listed (10.9 million look-ups at 100,000 projects: 8.7 s of the build's 35 s, the handover
    to HiGHS included). Every variable of the model is made by `add_variable` and is in a row
    or the objective, so the list and its order (sorted by name) are PuLP's own."""

    def add_variable(
        self,
        name: str,
        lowBound: float | None = None,  # noqa: N803 (PuLP's name)
        upBound: float | None = None,  # noqa: N803 (PuLP's name)
        cat: str = pulp.LpContinuous,
    ) -> pulp.LpVariable:
        variable = super().add_variable(name, lowBound, upBound, cat)
        variable.__class__ = _Variable  # the same object, hashed in C (see _Variable)
        self._register_variable(variable)
        return variable

    def _add_variables(self, variables) -> None:  # noqa: ANN001 (PuLP's iterable)
        """Registered when made: nothing to add."""


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
    with _no_garbage_collection():
        return _build(inst, elastic, fixed_starts, relax)


class _BuildsUnderWay:
    """The builds running in this process (the app builds in threads): the collector is
    switched off by the first and back on, if it was on before it, by the last."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.collector_was_on = False


_BUILDS = _BuildsUnderWay()


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """The cyclic garbage collector off while a model is built (process-wide: Python has one
    collector). The build makes millions of objects that live as long as the model
    (variables, (variable, coefficient) pairs, rows) and no cycles, and the collector,
    triggered by their number, scans every one of them again and again: 6.7 of 11.9 CPU s at
    100,000 projects (benchmarks/RESULTS.md, "A faster build"). Builds in several threads at
    once share one switch (`_BUILDS`): it is turned back on when the last ends, and only if
    it was on when the first began.

    After a large build, one full collection: the collector would otherwise pass over the
    new objects three times, in its young, middle and old generations, as the solve goes on
    (at 100,000 projects by blocks 3.0 CPU s of collection in the whole run, 1.3 s with it).
    After a small one, the collector's own passes are cheaper than a full one over the
    process."""
    with _BUILDS.lock:
        if _BUILDS.count == 0:
            _BUILDS.collector_was_on = gc.isenabled()
            gc.disable()
        _BUILDS.count += 1
    try:
        yield
    finally:
        with _BUILDS.lock:
            _BUILDS.count -= 1
            back_on = _BUILDS.count == 0 and _BUILDS.collector_was_on
            if back_on:
                gc.enable()
        if back_on and gc.get_count()[0] > FULL_COLLECTION_AFTER:
            gc.collect()


def _build(
    inst: Instance, elastic: bool, fixed_starts: dict[str, int] | None, relax: bool
) -> SelectionModel:
    sense = pulp.LpMinimize if elastic else pulp.LpMaximize
    problem = _Problem("portfolio", sense)
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
    _government_pay_switches(problem, inst, v)
    _layoff_batches(problem, inst, v)
    _training_after_layoff(problem, inst, v)
    _matching(problem, inst, v)
    _objective(problem, inst, v, limits, elastic)
    return SelectionModel(
        problem,
        inst,
        v.starts,
        v.chosen,
        v.flows,
        limits,
        elastic,
        trained_flows=v.trained_flows,
        training=v.training,
        layoffs=v.layoffs,
    )


def reference_distance(
    model: SelectionModel, reference: dict[int, int]
) -> tuple[list[tuple[pulp.LpVariable, float]], float]:
    """How far a portfolio lies from a reference one ({position: start year}), as a linear
    expression (terms, constant) over the model's start-year and chosen variables: each
    project in or out counts more than every start year moved together (len(projects) + 1),
    each start year moved counts 1. Fewest projects in or out first, then fewest years moved
    (a stable plan, issue 20)."""
    weight = float(len(model.starts) + 1)
    terms: list[tuple[pulp.LpVariable, float]] = []
    constant = 0.0
    for i, (options, y) in enumerate(zip(model.starts, model.chosen, strict=True)):
        if i in reference:
            # Out: weight; in at another year: 1; in at the reference's year: 0.
            constant += weight
            if y is None:
                continue
            terms.append((y, 1.0 - weight))
            terms += [(x, -1.0) for t, x in options if t == reference[i]]
        elif y is not None:
            terms.append((y, weight))
    return terms, constant
