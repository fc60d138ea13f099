"""What a solve reports: the portfolio and every figure a planner needs, as DataFrames.

Re-employment is counted in worker-years: a displaced worker holding a job for one year is one
worker-year. Per-city and per-year figures come from the home-first matching (`matching`), so
a city's figure changes only when jobs or layoffs within its reach change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pulp

from .instance import Instance
from .matching import home_first
from .scenario import Scenario
from .solver import SolverRun, Status

if TYPE_CHECKING:
    from .model import SelectionModel

# A limit binds when 99 % or more of it is used: with whole projects a budget is rarely met
# to the yuan, and a planner reads "used up" as binding.
BINDING_SHARE = 0.01
ZERO_TOLERANCE = 1e-6
# Every limit's use against its amount (Solution.limits).
LIMIT_USE_COLUMNS = [
    "family",
    "key",
    "sense",
    "use",
    "limit",
    "slack",
    "use_share",
    "binding",
    "unit",
]

# Why a project is left out, most specific first: codes, put in words by optimizer.present.
REASON_CODES = (
    "excluded",
    "forced_out",
    "cannot_finish",
    "variant_chosen",
    "prerequisite_out",
    "ppp_over_line",
    "government_pay_over_line",
    "ppp_room_used",
    "government_pay_room_used",
    "debt_used",
    "budget_used",
    "bond_quota_used",
    "objective",
)


@dataclass(frozen=True)
class Solution:
    """A solved portfolio. Money in 亿元, jobs and workers in persons, time in years.

    status is OPTIMAL (proven within `gap`), TIME_LIMIT or WORK_LIMIT (a feasible portfolio
    with the proven `gap` at stop; None when the solver cannot tell). worker_years: displaced
    workers re-employed within reach, summed over the years they hold the jobs; reemployed_peak: the
    most re-employed in one year (persons), in peak_year; job_years: every job, every year.
    """

    status: Status
    objective: float
    worker_years: float
    reemployed_peak: float
    peak_year: int | None
    job_years: float
    gap: float | None
    solver: str
    solver_version: str
    build_seconds: float
    solve_seconds: float
    scenario: Scenario
    fingerprint: str
    solved_at: str
    chosen: pd.DataFrame
    not_chosen: pd.DataFrame
    reemployment: pd.DataFrame  # per home city
    by_region_year: pd.DataFrame  # per city and year
    flows: pd.DataFrame  # year, home_region, work_region, workers, km
    by_year: pd.DataFrame
    by_sector: pd.DataFrame
    by_region: pd.DataFrame  # money, debt and PPP per city
    limits: pd.DataFrame
    # The run's facts, as the solver reported them.
    bound: float | None = None  # the proven bound on the best objective (None: unknown)
    detail: str = ""  # the solver's own word for how it ended
    solver_objective: float | None = None  # the solver's incumbent value
    # True when `gap` is only what was asked for (a solver that reports no bound): "≤ gap".
    gap_is_upper_bound: bool = False
    provisional: bool = False  # the best portfolio so far of a solve still running
    method: str = "optimised"  # "optimised", or "greedy" for the baseline's ranking
    meets_mix: bool | None = None  # the greedy ranking met the sector shares (None: not asked)

    @property
    def chosen_starts(self) -> dict[str, int]:
        """{project_id: start year} of the portfolio."""
        return dict(
            zip(self.chosen["project_id"], self.chosen["start_year"].astype(int), strict=True)
        )

    @property
    def binding_limits(self) -> pd.DataFrame:
        return self.limits[self.limits["binding"]]

    @property
    def reemployed_by_year(self) -> dict[int, float]:
        return dict(zip(self.by_year["year"].astype(int), self.by_year["reemployed"], strict=True))

    @property
    def reemployed_by_region(self) -> dict[str, float]:
        """{home city: worker-years of that city's displaced workers}."""
        r = self.reemployment
        return dict(zip(r["region"], r["worker_years"], strict=True))

    def headline(self) -> dict[str, float]:
        """The figures a planner reads first."""
        c = self.chosen
        need = float(self.reemployment["displaced_worker_years"].sum())
        capex = float(c["capex"].sum())
        peak_stock = (
            float(self.by_year.loc[self.by_year["year"] == self.peak_year, "displaced_stock"].sum())
            if self.peak_year is not None
            else 0.0
        )
        return {
            "worker_years": self.worker_years,
            "displaced_worker_years": need,
            "worker_years_share": self.worker_years / need if need else 0.0,
            "reemployed_peak": self.reemployed_peak,
            "peak_year": float(self.peak_year or 0),
            "peak_share": self.reemployed_peak / peak_stock if peak_stock else 0.0,
            "displaced": float(self.reemployment["displaced"].sum()),
            "job_years": self.job_years,
            "projects": float(len(c)),
            "capex": capex,
            "job_years_per_yi": self.job_years / capex if capex else 0.0,
            "budget_money": float(c["budget_money"].sum()),
            "bond_money": float(c["bond_money"].sum()),
            "private_money": float(c["private_money"].sum()),
            "debt_used": float(self.by_region["debt_used"].sum()),
            "worst_ppp_ratio": float(self.by_region["ppp_ratio"].max())
            if len(self.by_region)
            else 0.0,
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready core: what the command line prints with --json."""
        chosen = self.chosen.sort_values(["start_year", "project_id"])
        return {
            "status": str(self.status),
            "objective": round(self.objective, 6),
            "worker_years": round(self.worker_years, 6),
            "reemployed_peak": round(self.reemployed_peak, 6),
            "job_years": round(self.job_years, 6),
            "gap": self.gap,
            "solver": self.solver,
            "chosen": [
                {"project_id": str(p), "start_year": int(t)}
                for p, t in zip(chosen["project_id"], chosen["start_year"], strict=True)
            ],
            "reemployed_by_year": {str(y): round(v, 6) for y, v in self.reemployed_by_year.items()},
            "reemployed_by_region": {
                str(r): round(v, 6) for r, v in self.reemployed_by_region.items()
            },
        }


# ---------------------------------------------------------------------------- the figures


def _value(terms: list[tuple[pulp.LpVariable, float]]) -> float:
    return float(sum((v.value() or 0.0) * c for v, c in terms))


def _limit_rows(model: SelectionModel, chosen: pd.DataFrame) -> pd.DataFrame:
    inst = model.instance
    total_capex = float(chosen["capex"].sum())
    sector_capex = chosen.groupby("sector")["capex"].sum().to_dict()
    private_capex = float(chosen["private_money"].sum())
    rows = []
    for lim in model.limits:
        use, limit = _value(lim.terms), lim.limit
        # Share limits are stored as a surplus over the line; report them as money.
        if lim.family in ("sector_min", "sector_max"):
            share = inst.sector_shares[lim.key][0 if lim.family == "sector_min" else 1]
            use, limit = sector_capex.get(lim.key, 0.0), share * total_capex
        elif lim.family in ("ppp_share_min", "ppp_share_max"):
            name = "ppp_min_share" if lim.family == "ppp_share_min" else "ppp_max_share"
            use, limit = private_capex, inst.setting(name) * total_capex
        slack = limit - use if lim.sense == "<=" else use - limit
        tolerance = max(ZERO_TOLERANCE * max(1.0, abs(limit)), BINDING_SHARE * abs(limit))
        rows.append(
            dict(
                family=lim.family,
                key=lim.key,
                sense=lim.sense,
                use=use,
                limit=limit,
                slack=max(slack, 0.0) if slack > -ZERO_TOLERANCE * max(1.0, abs(limit)) else slack,
                use_share=use / limit if limit else None,
                binding=slack <= tolerance,
                unit=lim.unit,
            )
        )
    return pd.DataFrame(
        rows,
        columns=LIMIT_USE_COLUMNS,
    )


def ppp_standing(inst: Instance, new_payments: dict[str, float]) -> pd.DataFrame:
    """Each city's PPP ratio against the 5 %, 7 % and 10 % lines, and a code where the
    existing commitments alone already exceed a line (ppp_code: over_line_before,
    over_government_pay_before, warning, or "") and whether it is above the warning level."""
    regions = inst.data.regions
    cap, pay, warn = (
        inst.setting("ppp_cap_share"),
        inst.setting("ppp_government_pay_share"),
        inst.setting("ppp_warning_share"),
    )
    rows = []
    for region in regions.itertuples(index=False):
        spending = float(region.general_budget_expenditure)
        existing = float(region.existing_ppp_payments)
        new = float(new_payments.get(region.region, 0.0))
        before, after = existing / spending, (existing + new) / spending
        if before > cap + 1e-12:
            code = "over_line_before"
        elif before > pay + 1e-12:
            code = "over_government_pay_before"
        elif after > warn + 1e-12:
            code = "warning"
        else:
            code = ""
        warned = after > warn + 1e-12
        rows.append(
            dict(
                region=region.region,
                ppp_existing=existing,
                ppp_new=new,
                general_budget_expenditure=spending,
                ppp_ratio_before=before,
                ppp_ratio=after,
                ppp_room=inst.ppp_room[region.region],
                ppp_line=cap,
                government_pay_line=pay,
                warning_line=warn,
                ppp_code=code,
                ppp_warning=warned,
            )
        )
    return pd.DataFrame(rows)


def _reasons(
    inst: Instance, start_of: dict[int, int], chosen: pd.DataFrame, standing: pd.DataFrame
) -> list[tuple[int, str]]:
    """(position, reason code) for each project left out: the first limit that keeps it out,
    else the objective."""
    f, projects = inst.projects, inst.data.projects
    by_region = standing.set_index("region")
    # Whole columns as plain lists: pandas' scalar access costs microseconds a call, minutes
    # over 50,000 projects.
    col = inst.column
    ids = col("project_id")
    region, bond_money, ppp_payment = col("region"), col("bond_money"), col("ppp_payment")
    government_pay, starts = col("government_pay"), col("starts")
    excluded = projects["excluded"].tolist()
    group, requires = projects["exclusive_group"].tolist(), projects["requires"].tolist()
    ppp_code = by_region["ppp_code"].to_dict()
    ratio_before = by_region["ppp_ratio_before"].to_dict()
    debt_left = {r: inst.debt_headroom[r] for r in inst.regions}
    ppp_left = dict(inst.ppp_room)
    pay_left = dict(inst.government_pay_room)
    for i in start_of:
        r = region[i]
        debt_left[r] -= bond_money[i]
        ppp_left[r] -= ppp_payment[i]
        if government_pay[i]:
            pay_left[r] -= ppp_payment[i]
    # What the portfolio already spends each year: budget (with PPP payments once in
    # service) and bonds, so a project that fits no start year can say so.
    budget_used, bonds_used = inst.money_by_year(start_of)
    budget = np.array([inst.fiscal_budget[y] for y in inst.years])
    quota = np.array([inst.bond_quota[y] for y in inst.years])

    def fits(i: int, bonds: bool) -> bool:
        """Some start year of project i keeps the budget (bonds: the bond quota)."""
        used, room = (bonds_used, quota) if bonds else (budget_used, budget)
        return any(
            np.all(used + inst.money_by_year({i: t})[int(bonds)] <= room + 1e-9)
            for t in starts[i]
        )

    groups_taken = {group[i] for i in start_of} - {""}
    chosen_ids = set(chosen["project_id"])
    pay = inst.setting("ppp_government_pay_share")
    forced_out = set(inst.scenario.forced_out)
    out = []
    for i in range(len(f)):
        if i in start_of:
            continue
        city = region[i]
        payment, bonds = ppp_payment[i], bond_money[i]
        code = "objective"
        if excluded[i]:
            code = "excluded"
        elif ids[i] in forced_out:
            code = "forced_out"
        elif not starts[i]:
            code = "cannot_finish"
        elif group[i] in groups_taken:
            code = "variant_chosen"
        elif requires[i] and requires[i] not in chosen_ids:
            code = "prerequisite_out"
        elif payment > 0 and ppp_code[city] == "over_line_before":
            code = "ppp_over_line"
        elif government_pay[i] and ratio_before[city] > pay:
            code = "government_pay_over_line"
        elif payment > ppp_left[city] + 1e-9:
            code = "ppp_room_used"
        elif government_pay[i] and payment > pay_left[city] + 1e-9:
            code = "government_pay_room_used"
        elif bonds > debt_left[city] + 1e-9:
            code = "debt_used"
        elif not fits(i, bonds=False):
            code = "budget_used"
        elif not fits(i, bonds=True):
            code = "bond_quota_used"
        out.append((i, code))
    return out


def make_solution(model: SelectionModel, run: SolverRun, build_seconds: float) -> Solution:
    """Every figure a planner needs, from a solved model."""
    return evaluate(model.instance, model.start_of(), run, build_seconds, model=model)


@dataclass(frozen=True)
class Matched:
    """A portfolio's jobs and who takes them (home-first), the arrays every table reads."""

    start_of: dict[int, int]  # {position: start year}
    jobs: np.ndarray  # region × year: jobs held
    open_jobs: np.ndarray  # region × year: jobs displaced workers can take
    flow: np.ndarray  # work region × home region × year: workers

    @property
    def reemployed_home(self) -> np.ndarray:  # home region × year
        return self.flow.sum(axis=0)

    @property
    def taken_here(self) -> np.ndarray:  # work region × year
        return self.flow.sum(axis=1)


def match(inst: Instance, start_of: dict[int, int]) -> Matched:
    open_jobs = inst.open_jobs_by_year(start_of)
    return Matched(start_of, inst.jobs_by_year(start_of), open_jobs, home_first(inst, open_jobs))


FLOW_COLUMNS = ["year", "home_region", "work_region", "workers", "km"]
CHOSEN_COLUMNS = [
    "project_id",
    "name",
    "sector",
    "region",
    "capex",
    "duration_years",
    "jobs_per_yi",
    "operating_jobs",
    "skill_match",
    "ppp_annual_payment",
    "ppp_mechanism",
    "mandatory",
    "lat",
    "lon",
    "source",
    "basis",
]
NOT_CHOSEN_COLUMNS = [
    "project_id",
    "name",
    "sector",
    "region",
    "capex",
    "duration_years",
    "jobs_per_yi",
]
REGION_YEAR_COLUMNS = [
    "region",
    "year",
    "jobs",
    "open_jobs",
    "displaced_stock",
    "reemployed",
    "taken_here",
]


def flows_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """Year, home city, work city, workers and kilometres of every flow of workers."""
    regions, years = inst.regions, inst.years
    rows = [
        dict(
            year=years[k],
            home_region=regions[e],
            work_region=regions[r],
            workers=float(m.flow[r, e, k]),
            km=float(inst.distance_km[r, e]),
        )
        for r, e, k in zip(*np.nonzero(m.flow > 1e-6), strict=True)
    ]
    flows = pd.DataFrame(rows, columns=FLOW_COLUMNS)
    return flows.sort_values(["year", "home_region", "work_region"]).reset_index(drop=True)


def chosen_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """The chosen projects in start-year order, with their money, jobs and worker-years."""
    f, start_of = inst.projects, m.start_of
    chosen_at = sorted(start_of)
    chosen = inst.data.projects.loc[chosen_at, CHOSEN_COLUMNS].copy()
    chosen["start_year"] = [start_of[i] for i in chosen_at]
    chosen["finish_year"] = chosen["start_year"] + chosen["duration_years"].astype(int) - 1
    for column in ("budget_money", "bond_money", "private_money", "build_jobs"):
        chosen[column] = f.loc[chosen_at, column].to_numpy()
    own = [inst.jobs_by_year({i: start_of[i]}).sum() for i in chosen_at]
    own_open = [inst.open_jobs_by_year({i: start_of[i]}) for i in chosen_at]
    chosen["job_years"] = own
    chosen["open_job_years"] = [float(o.sum()) for o in own_open]
    # Each project's share of the worker-years taken in its city, year by year, by its open
    # jobs there (an attribution for the shortlist; the city totals are exact).
    with np.errstate(divide="ignore", invalid="ignore"):
        fill = np.where(m.open_jobs > 0, m.taken_here / m.open_jobs, 0.0)  # work region × year
    chosen["worker_years"] = [
        float((o * fill)[int(f.at[i, "region_at"])].sum())
        for i, o in zip(chosen_at, own_open, strict=True)
    ]
    return chosen.sort_values(["start_year", "project_id"]).reset_index(drop=True)


def left_out_table(
    inst: Instance, m: Matched, chosen: pd.DataFrame, standing: pd.DataFrame
) -> pd.DataFrame:
    """The projects left out, each with the code of its reason."""
    reasons = _reasons(inst, m.start_of, chosen, standing)
    not_at = [i for i, _ in reasons]
    not_chosen = inst.data.projects.loc[not_at, NOT_CHOSEN_COLUMNS].copy()
    not_chosen["build_jobs"] = inst.projects.loc[not_at, "build_jobs"].to_numpy()
    not_chosen["reason_code"] = [code for _, code in reasons]
    return not_chosen.reset_index(drop=True)


def reemployment_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """Per home city: displaced, worker-years needed and re-employed, coverage, jobs there."""
    need = inst.displaced_stock.sum(axis=1)  # worker-years: the stock summed over the years
    home = m.reemployed_home
    worker_years = home.sum(axis=1)
    return pd.DataFrame(
        dict(
            region=list(inst.regions),
            name_zh=inst.data.regions["name_zh"].to_numpy(),
            displaced=inst.displaced_new.sum(axis=1),
            displaced_worker_years=need,
            worker_years=worker_years,
            coverage=np.divide(worker_years, need, out=np.zeros_like(need), where=need > 0),
            reemployed_peak=home.max(axis=1) if inst.years else 0.0,
            open_job_years_here=m.open_jobs.sum(axis=1),
            taken_here=m.taken_here.sum(axis=1),
        )
    )


def by_region_year_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """Per city and year: jobs, open jobs, displaced stock, re-employed, taken there."""
    home, here, stock = m.reemployed_home, m.taken_here, inst.displaced_stock
    rows = [
        dict(
            region=region,
            year=year,
            jobs=float(m.jobs[r, k]),
            open_jobs=float(m.open_jobs[r, k]),
            displaced_stock=float(stock[r, k]),
            reemployed=float(home[r, k]),
            taken_here=float(here[r, k]),
        )
        for r, region in enumerate(inst.regions)
        for k, year in enumerate(inst.years)
    ]
    return pd.DataFrame(rows, columns=REGION_YEAR_COLUMNS)


def by_year_table(inst: Instance, m: Matched, chosen: pd.DataFrame) -> pd.DataFrame:
    """Per year: spend against the fiscal budget and the bond quota (Instance.money_by_year),
    projects running and starting, jobs, and the displaced re-employed."""
    budget_used, bonds_used = inst.money_by_year(m.start_of)
    payments = np.zeros(len(inst.years))
    for i, t in m.start_of.items():
        for k in inst.operating_years(i, t):
            payments[k] += float(inst.column("ppp_payment")[i])
    home, stock = m.reemployed_home, inst.displaced_stock
    rows = []
    for k, year in enumerate(inst.years):
        running = chosen[(chosen["start_year"] <= year) & (chosen["finish_year"] >= year)]
        d = running["duration_years"].astype(float)
        stock_k = float(stock[:, k].sum())
        reemployed_k = float(home[:, k].sum())
        rows.append(
            dict(
                year=year,
                capex_spend=float((running["capex"] / d).sum()),
                budget_spend=float(budget_used[k]),
                ppp_payments=float(payments[k]),
                bond_spend=float(bonds_used[k]),
                private_spend=float((running["private_money"] / d).sum()),
                fiscal_budget=float(inst.fiscal_budget[year]),
                bond_quota=float(inst.bond_quota[year]),
                projects_running=len(running),
                projects_starting=int((chosen["start_year"] == year).sum()),
                jobs=float(m.jobs[:, k].sum()),
                open_jobs=float(m.open_jobs[:, k].sum()),
                displaced_stock=stock_k,
                reemployed=reemployed_k,
                reemployed_share=reemployed_k / stock_k if stock_k else 0.0,
            )
        )
    return pd.DataFrame(rows)


def by_sector_table(inst: Instance, chosen: pd.DataFrame) -> pd.DataFrame:
    """Per sector: projects, capex, its share of all capex against the lines, job-years."""
    total_capex = float(chosen["capex"].sum())
    sector_capex = chosen.groupby("sector")["capex"].sum().to_dict()
    return pd.DataFrame(
        [
            dict(
                sector=s,
                projects=int((chosen["sector"] == s).sum()),
                capex=float(sector_capex.get(s, 0.0)),
                share=float(sector_capex.get(s, 0.0)) / total_capex if total_capex else 0.0,
                min_share=lo,
                max_share=hi,
                job_years=float(chosen.loc[chosen["sector"] == s, "job_years"].sum()),
            )
            for s, (lo, hi) in inst.sector_shares.items()
        ]
    )


def by_region_table(inst: Instance, chosen: pd.DataFrame, standing: pd.DataFrame) -> pd.DataFrame:
    """Per city: projects, money, job-years, debt used and headroom, and its PPP standing."""
    rows = []
    for region in inst.regions:
        mine = chosen[chosen["region"] == region]
        rows.append(
            dict(
                region=region,
                projects=len(mine),
                capex=float(mine["capex"].sum()),
                budget_money=float(mine["budget_money"].sum()),
                bond_money=float(mine["bond_money"].sum()),
                private_money=float(mine["private_money"].sum()),
                job_years=float(mine["job_years"].sum()),
                debt_used=float(mine["bond_money"].sum()),
                debt_headroom=float(inst.debt_headroom[region]),
            )
        )
    return pd.DataFrame(rows).merge(standing, on="region")


def limit_use_table(model: SelectionModel | None, chosen: pd.DataFrame) -> pd.DataFrame:
    """Every limit of the model: use, limit, room left, binding (empty without a model)."""
    if model is None:
        return pd.DataFrame(columns=LIMIT_USE_COLUMNS)
    return _limit_rows(model, chosen)


def evaluate(
    inst: Instance,
    start_of: dict[int, int],
    run: SolverRun,
    build_seconds: float = 0.0,
    *,
    model: SelectionModel | None = None,
) -> Solution:
    """The report of a portfolio {position: start year} under an instance: the matching of
    its jobs to displaced workers once, then one small function per table."""
    m = match(inst, start_of)
    chosen = chosen_table(inst, m)
    standing = ppp_standing(inst, chosen.groupby("region")["ppp_annual_payment"].sum().to_dict())
    home, jobs = m.reemployed_home, m.jobs
    w = np.array(inst.year_weight)
    weight = inst.setting("other_jobs_weight")
    # The portfolio's objective with the best matching of its jobs: at least the solver's
    # own incumbent value (to the matching's 1e-9 tolerance), so the proven gap still holds.
    objective = float((home.sum(axis=0) * w).sum() + weight * (jobs.sum(axis=0) * w).sum())
    per_year = home.sum(axis=0)
    peak_k = int(per_year.argmax()) if inst.years else None
    return Solution(
        status=run.status,
        objective=objective,
        worker_years=float(home.sum()),
        reemployed_peak=float(per_year[peak_k]) if peak_k is not None else 0.0,
        peak_year=inst.years[peak_k] if peak_k is not None else None,
        job_years=float(jobs.sum()),
        gap=run.gap,
        solver=run.solver,
        solver_version=run.solver_version,
        build_seconds=build_seconds,
        solve_seconds=run.seconds,
        scenario=inst.scenario,
        fingerprint=inst.data.fingerprint,
        solved_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        chosen=chosen,
        not_chosen=left_out_table(inst, m, chosen, standing),
        reemployment=reemployment_table(inst, m),
        by_region_year=by_region_year_table(inst, m),
        flows=flows_table(inst, m),
        by_year=by_year_table(inst, m, chosen),
        by_sector=by_sector_table(inst, chosen),
        by_region=by_region_table(inst, chosen, standing),
        limits=limit_use_table(model, chosen),
        bound=run.bound,
        detail=run.detail,
        solver_objective=run.objective,
        gap_is_upper_bound=run.gap_is_upper_bound,
    )
