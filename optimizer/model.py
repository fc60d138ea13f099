"""Build the selection model of `shared/spec/model.md` as a PuLP problem.

Variables are named by position (x12_3: project 12 starting in the 4th planning year) and the
model keeps the map back to project ids, because PuLP rewrites characters such as `-+[] ->/`
in names and `P-1` and `P_1` would otherwise collide. Expressions are built from
(variable, coefficient) pairs, which is many times faster than `lpSum` or `+=` in loops.

Every limit is a named constraint in a family (fiscal_budget, bond_quota, debt_headroom, ...);
`Limit` records what it is in a planner's words so a solution can report use and slack, and so
the elastic re-solve can say which limits to move.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from .loader import PlanningData
from .scenario import Scenario

EARTH_RADIUS_KM = 6371.0088

# Families of limits a planner can move (the elastic re-solve may relax these).
MOVABLE = (
    "fiscal_budget",
    "bond_quota",
    "debt_headroom",
    "ppp_line",
    "sector_min",
    "sector_max",
    "ppp_share_min",
    "ppp_share_max",
    "coverage_floor",
    "forced_in",
    "forced_out",
)


# In the elastic re-solve, giving up a forced project costs as much as moving a limit by 100
# times its size: planners treat mandatory projects as fixed and move budgets first.
FORCED_REFERENCE = 0.01


@dataclass
class Limit:
    """One constraint as a planner sees it: use ≤ limit (or ≥ for floors)."""

    family: str
    key: str  # the year, region, sector or project it is about
    name: str  # the PuLP constraint name
    expression: pulp.LpAffineExpression  # the use (for share limits: the surplus over the line)
    sense: str  # "<=" or ">="
    limit: float
    unit: str
    reference: float  # a size for the limit, to weigh relative moves in the elastic re-solve
    violation: pulp.LpVariable | None = None


@dataclass
class SelectionModel:
    """The PuLP problem plus everything needed to read its answer back."""

    problem: pulp.LpProblem
    data: PlanningData
    scenario: Scenario  # resolved: every value filled
    figures: pd.DataFrame  # per project: jobs, open jobs, start options, ...
    starts: list[list[tuple[int, pulp.LpVariable]]]  # per project position: (year, x)
    flows: dict[tuple[int, int], pulp.LpVariable]  # (work region, home region) → g
    limits: list[Limit] = field(default_factory=list)
    elastic: bool = False

    def chosen_expression(self, position: int) -> pulp.LpAffineExpression:
        return pulp.LpAffineExpression([(x, 1.0) for _, x in self.starts[position]])


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance between two points on the Earth's surface (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def reach(regions: pd.DataFrame, commute_km: float) -> list[tuple[int, int]]:
    """(work region, home region) position pairs within commuting distance (self included)."""
    lat, lon = regions["lat"].to_numpy(), regions["lon"].to_numpy()
    pairs = []
    for r in range(len(regions)):
        for e in range(len(regions)):
            if r == e or great_circle_km(lat[r], lon[r], lat[e], lon[e]) <= commute_km + 1e-9:
                pairs.append((r, e))
    return pairs


def start_options(projects: pd.DataFrame, years: list[int]) -> list[list[int]]:
    """The years each project may start and still finish inside the horizon."""
    if not years:
        return [[] for _ in range(len(projects))]
    first, last = years[0], years[-1]
    options = []
    for early, late, duration in zip(
        projects["earliest_start"],
        projects["latest_start"],
        projects["duration_years"],
        strict=True,
    ):
        low = first if pd.isna(early) else max(first, int(early))
        high = (
            last - int(duration) + 1 if pd.isna(late) else min(int(late), last - int(duration) + 1)
        )
        options.append(list(range(low, high + 1)))
    return options


def project_figures(data: PlanningData, scenario: Scenario) -> pd.DataFrame:
    """Per project: jobs, jobs displaced workers can take, money by source, start options,
    and whether it is forced in or out under the scenario."""
    p = data.projects
    figures = pd.DataFrame(index=range(len(p)))
    figures["project_id"] = p["project_id"].to_numpy()
    figures["region_at"] = (
        p["region"].map({r: i for i, r in enumerate(data.regions["region"])}).to_numpy()
    )
    figures["capex"] = p["capex"].to_numpy(dtype=float)
    figures["duration"] = p["duration_years"].to_numpy(dtype=int)
    figures["jobs"] = (p["capex"] * p["jobs_per_yi"] + p["operating_jobs"]).to_numpy(dtype=float)
    figures["open_jobs"] = figures["jobs"] * p["skill_match"].to_numpy(dtype=float)
    figures["budget_money"] = figures["capex"] * p["budget_share"].to_numpy(dtype=float)
    figures["bond_money"] = figures["capex"] * p["bond_share"].to_numpy(dtype=float)
    figures["private_money"] = figures["capex"] * p["private_share"].to_numpy(dtype=float)
    figures["ppp_payment"] = p["ppp_annual_payment"].to_numpy(dtype=float)
    figures["starts"] = start_options(p, data.planning_years)
    forced_in, forced_out = set(scenario.forced_in), set(scenario.forced_out)
    figures["forced_in"] = (p["mandatory"] | p["project_id"].isin(forced_in)).to_numpy()
    figures["forced_out"] = (p["excluded"] | p["project_id"].isin(forced_out)).to_numpy()
    return figures


def limit_amounts(data: PlanningData, scenario: Scenario) -> dict[str, float]:
    """The amount of every money limit under a scenario, by constraint name.

    These are the only numbers that change when a budget, quota, headroom or the PPP line
    moves, so a kept model can be re-solved by changing them alone (see `tradeoffs`).
    """
    amounts: dict[str, float] = {}
    budget = scenario.fiscal_budget_by_year(data)
    quota = scenario.bond_quota_by_year(data)
    for k, year in enumerate(data.planning_years):
        amounts[f"fiscal_budget_y{k}"] = float(budget[year])
        amounts[f"bond_quota_y{k}"] = float(quota[year])
    headroom = scenario.debt_headroom_by_region(data)
    room = scenario.ppp_room_by_region(data)
    for r, region in enumerate(data.regions["region"]):
        amounts[f"debt_headroom_r{r}"] = float(headroom[region])
        amounts[f"ppp_line_r{r}"] = float(room[region])
    return amounts


def _expr(pairs: list[tuple[pulp.LpVariable, float]]) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression(pairs)


class _Builder:
    def __init__(
        self,
        data: PlanningData,
        scenario: Scenario,
        elastic: bool,
        fixed_starts: dict[str, int] | None,
        relax: bool,
    ) -> None:
        self.data = data
        self.scenario = scenario
        self.elastic = elastic
        self.relax = relax
        self.fixed_starts = fixed_starts
        sense = pulp.LpMinimize if elastic else pulp.LpMaximize
        self.problem = pulp.LpProblem("portfolio", sense)
        self.figures = project_figures(data, scenario)
        self.years = data.planning_years
        self.limits: list[Limit] = []
        # Plain lists: pandas' .at is far too slow inside the model-building loops.
        self.c = {name: self.figures[name].tolist() for name in self.figures.columns}
        self.rows = self.figures.to_dict("records")

    # ---------------------------------------------------------------- variables

    def variables(self) -> None:
        cat = pulp.LpContinuous if self.relax else pulp.LpBinary
        self.starts: list[list[tuple[int, pulp.LpVariable]]] = []
        for i, row in enumerate(self.rows):
            options: list[tuple[int, pulp.LpVariable]] = []
            if self.elastic or not row["forced_out"]:
                for t in row["starts"]:
                    x = self.problem.add_variable(f"x{i}_{t}", lowBound=0, upBound=1, cat=cat)
                    options.append((t, x))
            if self.fixed_starts is not None:
                wanted = self.fixed_starts.get(row["project_id"])
                for t, x in options:
                    x.lowBound = x.upBound = 1 if t == wanted else 0
            self.starts.append(options)
        commute = self.scenario.setting(self.data, "commute_km")
        displaced = self.data.regions["displaced_workers"].to_numpy(dtype=float)
        self.flows = {
            (r, e): self.problem.add_variable(f"g{r}_{e}", lowBound=0)
            for r, e in reach(self.data.regions, commute)
            if displaced[e] > 0
        }

    def chosen(self, i: int, coefficient: float = 1.0) -> list[tuple[pulp.LpVariable, float]]:
        return [(x, coefficient) for _, x in self.starts[i]]

    # ---------------------------------------------------------------- limits

    def add_limit(
        self,
        family: str,
        key: str,
        name: str,
        pairs: list[tuple[pulp.LpVariable, float]],
        sense: str,
        limit: float,
        unit: str,
        reference: float,
    ) -> None:
        expression = _expr(pairs)
        record = Limit(
            family,
            key,
            name,
            expression,
            sense,
            float(limit),
            unit,
            max(abs(float(reference)), 1e-6),
        )
        constraint_pairs = list(pairs)
        if self.elastic and family in MOVABLE:
            record.violation = self.problem.add_variable(f"v_{name}", lowBound=0)
            # Slack that moves the limit: use ≤ limit + v, or use ≥ limit − v.
            constraint_pairs.append((record.violation, -1.0 if sense == "<=" else 1.0))
        lp_sense = pulp.LpConstraintLE if sense == "<=" else pulp.LpConstraintGE
        self.problem.addConstraint(
            pulp.LpConstraint(_expr(constraint_pairs), lp_sense, name=name, rhs=float(limit))
        )
        self.limits.append(record)

    def structural(self) -> None:
        """At most once, forced in/out, exclusive groups, prerequisites."""
        f = self.figures
        for i, row in enumerate(self.rows):
            pairs = self.chosen(i)
            if not pairs:
                continue
            if row["forced_in"]:
                self.add_limit(
                    "forced_in",
                    row["project_id"],
                    f"forced_in_p{i}",
                    pairs,
                    ">=",
                    1,
                    "project",
                    FORCED_REFERENCE,
                )
            if row["forced_out"] and self.elastic:
                self.add_limit(
                    "forced_out",
                    row["project_id"],
                    f"forced_out_p{i}",
                    pairs,
                    "<=",
                    0,
                    "project",
                    FORCED_REFERENCE,
                )
            if len(pairs) > 1:
                self.problem.addConstraint(
                    pulp.LpConstraint(_expr(pairs), pulp.LpConstraintLE, name=f"once_p{i}", rhs=1)
                )
        groups: dict[str, list[int]] = {}
        for i, group in enumerate(self.data.projects["exclusive_group"]):
            if group:
                groups.setdefault(group, []).append(i)
        for g, (group, members) in enumerate(sorted(groups.items())):
            pairs = [pair for i in members for pair in self.chosen(i)]
            if len(members) > 1 and pairs:
                self.add_limit(
                    "exclusive_group", group, f"group_g{g}", pairs, "<=", 1, "project", 1
                )
        position = {pid: i for i, pid in enumerate(f["project_id"])}
        for i, need in enumerate(self.data.projects["requires"]):
            if not need or not self.starts[i]:
                continue
            q = position[need]
            # p started by year t implies q started by t: q is chosen and starts no later.
            for t, _ in self.starts[i]:
                pairs = [(x, 1.0) for s, x in self.starts[i] if s <= t]
                pairs += [(x, -1.0) for s, x in self.starts[q] if s <= t]
                self.problem.addConstraint(
                    pulp.LpConstraint(
                        _expr(pairs), pulp.LpConstraintLE, name=f"requires_p{i}_{t}", rhs=0
                    )
                )

    def money(self) -> None:
        """Fiscal budget and bond quota each year; debt headroom and PPP line each region."""
        c = self.c
        f, sc, data = self.figures, self.scenario, self.data
        amounts = limit_amounts(data, sc)
        for k, year in enumerate(self.years):
            budget_pairs, bond_pairs = [], []
            for i, options in enumerate(self.starts):
                duration = c["duration"][i]
                for t, x in options:
                    if t <= year <= t + duration - 1:
                        if c["budget_money"][i] > 0:
                            budget_pairs.append((x, c["budget_money"][i] / duration))
                        if c["bond_money"][i] > 0:
                            bond_pairs.append((x, c["bond_money"][i] / duration))
            for family, pairs in (("fiscal_budget", budget_pairs), ("bond_quota", bond_pairs)):
                name = f"{family}_y{k}"
                amount = amounts[name]
                self.add_limit(
                    family, str(year), name, pairs, "<=", amount, "亿元", max(amount, 1.0)
                )
        cap_share = sc.setting(data, "ppp_cap_share")
        for r, region in enumerate(data.regions.itertuples(index=False)):
            members = np.flatnonzero(f["region_at"].to_numpy() == r)
            debt_pairs = [
                pair
                for i in members
                if c["bond_money"][i] > 0
                for pair in self.chosen(i, c["bond_money"][i])
            ]
            if debt_pairs:
                headroom = amounts[f"debt_headroom_r{r}"]
                self.add_limit(
                    "debt_headroom",
                    region.region,
                    f"debt_headroom_r{r}",
                    debt_pairs,
                    "<=",
                    headroom,
                    "亿元",
                    max(headroom, 1.0),
                )
            ppp_pairs = [
                pair
                for i in members
                if c["ppp_payment"][i] > 0
                for pair in self.chosen(i, c["ppp_payment"][i])
            ]
            if ppp_pairs:
                line = cap_share * float(region.general_budget_expenditure)
                self.add_limit(
                    "ppp_line",
                    region.region,
                    f"ppp_line_r{r}",
                    ppp_pairs,
                    "<=",
                    amounts[f"ppp_line_r{r}"],
                    "亿元/year",
                    max(line, 1.0),
                )

    def mix(self) -> None:
        """Sector shares and the social-capital share of the portfolio's capex."""
        c = self.c
        f, sc, data = self.figures, self.scenario, self.data
        sectors = data.projects["sector"].to_numpy()
        total = float(f["capex"].sum())
        for s, (sector, (low, high)) in enumerate(sc.sector_shares(data).items()):
            inside = sectors == sector
            if low > 0:
                # capex in the sector − low × all capex ≥ 0
                pairs = [
                    pair
                    for i in range(len(f))
                    for pair in self.chosen(i, c["capex"][i] * (inside[i] - low))
                ]
                self.add_limit(
                    "sector_min", sector, f"sector_min_s{s}", pairs, ">=", 0, "亿元", total
                )
            if high < 1:
                pairs = [
                    pair
                    for i in range(len(f))
                    for pair in self.chosen(i, c["capex"][i] * (inside[i] - high))
                ]
                self.add_limit(
                    "sector_max", sector, f"sector_max_s{s}", pairs, "<=", 0, "亿元", total
                )
        low, high = sc.setting(data, "ppp_min_share"), sc.setting(data, "ppp_max_share")
        for family, share, sense in (("ppp_share_min", low, ">="), ("ppp_share_max", high, "<=")):
            if (sense == ">=" and share > 0) or (sense == "<=" and share < 1):
                pairs = [
                    pair
                    for i in range(len(f))
                    for pair in self.chosen(i, c["private_money"][i] - share * c["capex"][i])
                ]
                self.add_limit(family, "portfolio", family, pairs, sense, 0, "亿元", total)

    def matching(self) -> None:
        """Jobs in a region are taken by displaced workers within commuting reach."""
        c = self.c
        f, data = self.figures, self.data
        displaced = data.regions["displaced_workers"].to_numpy(dtype=float)
        floor_share = self.scenario.setting(data, "min_coverage_share")
        regions = data.regions["region"].tolist()
        for r, region in enumerate(regions):
            members = np.flatnonzero(f["region_at"].to_numpy() == r)
            pairs = [(g, 1.0) for (w, _), g in self.flows.items() if w == r]
            pairs += [pair for i in members for pair in self.chosen(i, -c["open_jobs"][i])]
            if pairs:
                self.add_limit("open_jobs", region, f"open_jobs_r{r}", pairs, "<=", 0, "jobs", 1)
        for e, region in enumerate(regions):
            if displaced[e] <= 0:
                continue
            pairs = [(g, 1.0) for (_, h), g in self.flows.items() if h == e]
            self.add_limit(
                "displaced",
                region,
                f"displaced_r{e}",
                pairs,
                "<=",
                displaced[e],
                "persons",
                displaced[e],
            )
            if floor_share > 0:
                self.add_limit(
                    "coverage_floor",
                    region,
                    f"coverage_floor_r{e}",
                    pairs,
                    ">=",
                    floor_share * displaced[e],
                    "persons",
                    displaced[e],
                )

    def objective(self) -> None:
        c = self.c
        if self.elastic:
            # Smallest relative moves of the limits; a forced project is given up only when
            # no move of the limits can save it.
            pairs = [
                (lim.violation, 1.0 / lim.reference)
                for lim in self.limits
                if lim.violation is not None
            ]
            # A tiny reward for jobs keeps the elastic portfolio sensible without
            # trading against any real move.
            weight = self.scenario.setting(self.data, "other_jobs_weight")
            scale = 1e-7 / max(1.0, float(self.figures["jobs"].sum()))
            pairs += [(g, -scale) for g in self.flows.values()]
            pairs += [
                pair
                for i in range(len(self.figures))
                for pair in self.chosen(i, -scale * weight * c["jobs"][i])
            ]
        else:
            weight = self.scenario.setting(self.data, "other_jobs_weight")
            pairs = [(g, 1.0) for g in self.flows.values()]
            if weight > 0:
                pairs += [
                    pair
                    for i in range(len(self.figures))
                    for pair in self.chosen(i, weight * c["jobs"][i])
                ]
        self.problem.setObjective(_expr(pairs))

    def build(self) -> SelectionModel:
        self.variables()
        self.structural()
        self.money()
        self.mix()
        self.matching()
        self.objective()
        return SelectionModel(
            self.problem,
            self.data,
            self.scenario,
            self.figures,
            self.starts,
            self.flows,
            self.limits,
            self.elastic,
        )


def build_model(
    data: PlanningData,
    scenario: Scenario | None = None,
    *,
    elastic: bool = False,
    fixed_starts: dict[str, int] | None = None,
    relax: bool = False,
) -> SelectionModel:
    """Build the selection model for a scenario (None: the workbook's own settings).

    elastic: every movable limit gets a violation variable and the objective becomes the
    smallest relative move of the limits (the infeasibility diagnosis). fixed_starts: the
    portfolio is fixed to these {project_id: start_year} (for evaluating a given portfolio).
    relax: the LP relaxation (a bound on the best possible objective).
    """
    resolved = (scenario or Scenario()).resolved(data)
    return _Builder(data, resolved, elastic, fixed_starts, relax).build()
