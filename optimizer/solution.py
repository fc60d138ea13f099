"""What a solve reports: the portfolio and every figure a planner needs, as DataFrames.

Re-employment is counted in worker-years: a displaced worker holding a job for one year is one
worker-year. The programme can replace only the exposure (docs/model.md): the worker-years a
displaced worker would still be jobless without it. Per-city and per-year figures come from the
home-first matching (`matching`) with the solve's training and layoffs fixed, so a city's
figure changes only when jobs, training or layoffs within its reach change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pulp

from .instance import Instance
from .matching import best_levers, home_first, trained_pool
from .scenario import Scenario
from .solver import SolverRun, Status

if TYPE_CHECKING:
    from .model import SelectionModel

# A limit is used up when 99 % or more of it is used: with whole projects a budget is rarely
# met to the yuan. Used up is not binding: whether more of a limit would buy anything is
# measured by re-solving (optimizer.limit_values), not read from one solve.
USED_UP_SHARE = 0.01
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
    "used_up",
    "unit",
]

# Why a project is left out, most specific first: codes, put in words by optimizer.present.
REASON_CODES = (
    "excluded",
    "forced_out",
    "user_pay_only",
    "cannot_finish",
    "variant_chosen",
    "prerequisite_out",
    "ppp_over_line",
    "government_pay_over_line",
    "ppp_room_used",
    "ppp_outlay_room_used",
    "government_pay_room_used",
    "debt_used",
    "budget_used",
    "bond_quota_used",
    "objective",
)


@dataclass(frozen=True)
class Changes:
    """A portfolio against a reference one (a previous answer, a shortlist): the projects
    that entered, those that left, and those kept at another start year, by id, sorted.
    nearest_proven: the search proved no portfolio within the solve's precision lies nearer
    the reference (False: it stopped at its work limit with the nearest it had found)."""

    entered: tuple[str, ...]
    left: tuple[str, ...]
    moved: tuple[str, ...]
    nearest_proven: bool = True

    @classmethod
    def between(
        cls, reference: Mapping[str, int], starts: Mapping[str, int], nearest_proven: bool = True
    ) -> Changes:
        return cls(
            tuple(sorted(p for p in starts if p not in reference)),
            tuple(sorted(p for p in reference if p not in starts)),
            tuple(sorted(p for p in starts if p in reference and starts[p] != reference[p])),
            nearest_proven,
        )

    @property
    def count(self) -> int:
        """Projects in or out, plus start years moved."""
        return len(self.entered) + len(self.left) + len(self.moved)

    def to_dict(self) -> dict[str, list[str]]:
        return {"entered": list(self.entered), "left": list(self.left), "moved": list(self.moved)}


@dataclass(frozen=True)
class Solution:
    """A solved portfolio. Money in 亿元, jobs and workers in persons, time in years.

    status is OPTIMAL (proven within `gap`), TIME_LIMIT or WORK_LIMIT (a feasible portfolio
    with the proven `gap` at stop; None when the solver cannot tell). worker_years: displaced
    workers re-employed within reach, summed over the years they hold the jobs; reemployed_peak: the
    most re-employed in one year (persons), in peak_year; job_years: every job, every year.
    objective: model.md's maximised form, Σ w(t)·(re-employed − exposure + other_jobs_weight ·
    jobs).
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
    # Version 3 (docs/model.md): exposure, training, pace of layoffs, the rules' reports.
    exposure_worker_years: float  # Σ D_e(t): worker-years the programme can replace
    jobless_worker_years: float  # exposure less re-employed
    trainees: float  # workers starting training, all years
    construction_worker_years: float  # re-employed in build-year jobs
    operating_worker_years: float  # re-employed in lasting (operating) jobs
    public_money: float  # budget + bonds + PPP payments in the horizon, 亿元
    layoffs: pd.DataFrame  # batch × year, planned and as solved (layoff_table)
    monitoring: pd.DataFrame  # 重点监控 city-years (monitoring_table)
    ppp_by_year: pd.DataFrame  # each city's PPP ratio by year (ppp_by_year_table)
    jobless_at_end: pd.DataFrame  # each city's jobless at the horizon's end (persons)
    # The run's facts, as the solver reported them.
    bound: float | None = None  # the proven bound on the best objective (None: unknown)
    detail: str = ""  # the solver's own word for how it ended
    solver_objective: float | None = None  # the solver's incumbent value
    # True when `gap` is only what was asked for (a solver that reports no bound): "≤ gap".
    gap_is_upper_bound: bool = False
    provisional: bool = False  # the best portfolio so far of a solve still running
    method: str = "optimised"  # "optimised", or "greedy" for the baseline's ranking
    # How the solver searched (optimizer.strategies): "search", "lp_submip" or "blocks".
    strategy: str = "search"
    meets_mix: bool | None = None  # the greedy ranking met the sector shares (None: not asked)
    # The objective `gap` is relative to: the solver's (re-employment and weighted jobs, less
    # any paced exposure), not the reported one; gap × gap_base is the absolute slack.
    gap_base: float | None = None
    # Against the reference plan the solve was given (None: no reference): what changed.
    changes: Changes | None = None
    # The plan of a tighter scenario (less money, more projects forced), re-solved here
    # because it showed more than this scenario's own search: one scenario, one figure.
    adopted: bool = False

    @property
    def chosen_starts(self) -> dict[str, int]:
        """{project_id: start year} of the portfolio."""
        return dict(
            zip(self.chosen["project_id"], self.chosen["start_year"].astype(int), strict=True)
        )

    @property
    def used_up_limits(self) -> pd.DataFrame:
        """The limits 99 % or more used (used up; not the same as binding, see
        optimizer.limit_values)."""
        return self.limits[self.limits["used_up"]]

    @property
    def reemployed_by_year(self) -> dict[int, float]:
        return dict(zip(self.by_year["year"].astype(int), self.by_year["reemployed"], strict=True))

    @property
    def reemployed_by_region(self) -> dict[str, float]:
        """{home city: worker-years of that city's displaced workers}."""
        r = self.reemployment
        return dict(zip(r["region"], r["worker_years"], strict=True))

    @property
    def trainees_by_region(self) -> dict[str, float]:
        """{home city: workers starting training over the horizon}."""
        r = self.reemployment
        return dict(zip(r["region"], r["trainees"], strict=True))

    @property
    def trainees_by_region_year(self) -> dict[str, dict[int, float]]:
        """{home city: {year: workers starting training}} (fixed by the solve)."""
        out: dict[str, dict[int, float]] = {str(r): {} for r in self.reemployment["region"]}
        t = self.by_region_year
        for region, year, value in zip(t["region"], t["year"], t["trainees"], strict=True):
            out[str(region)][int(year)] = float(value)
        return out

    @property
    def layoffs_by_region_year(self) -> dict[str, dict[int, float]]:
        """{city: {year: workers laid off}}: every planning year (0 when none), and earlier
        years with layoffs (the recommended pace when layoffs are paced)."""
        years = [int(y) for y in self.by_year["year"]] if len(self.by_year) else []
        out: dict[str, dict[int, float]] = {
            str(r): dict.fromkeys(years, 0.0) for r in self.reemployment["region"]
        }
        lay = self.layoffs
        if len(lay):
            summed = lay.groupby(["region", "year"])["workers"].sum()
            for (region, year), value in summed.items():
                out[str(region)][int(year)] = float(value)
        return out

    def layoff_pace(self) -> pd.DataFrame:
        """分流安置节奏: workers laid off by city, industry and year, as planned (the
        workbook's years) and as recommended (the solve's; the same when layoffs are not
        paced). Columns region, sector, year, planned, recommended; only years with
        layoffs."""
        lay = self.layoffs
        columns = ["region", "sector", "year", "planned", "recommended"]
        if not len(lay):
            return pd.DataFrame(columns=columns)
        keys = ["region", "sector"]
        planned = lay.groupby([*keys, "planned_year"])["workers"].sum()
        planned.index = planned.index.set_names([*keys, "year"])
        recommended = lay.groupby([*keys, "year"])["workers"].sum()
        table = pd.concat({"planned": planned, "recommended": recommended}, axis=1)
        table = table.fillna(0.0).reset_index().sort_values([*keys, "year"], kind="stable")
        table["year"] = table["year"].astype(int)
        return table[columns].reset_index(drop=True)

    def training_by_region(self) -> pd.DataFrame:
        """培训人数: workers starting training by city (rows) and year (a column per planning
        year), with each city's total and its training money (亿元)."""
        t = self.by_region_year
        years = [int(y) for y in self.by_year["year"]]
        table = t.pivot_table(
            index="region", columns="year", values="trainees", aggfunc="sum", sort=False
        ).reindex(columns=years, fill_value=0.0)
        table.columns = years
        table["trainees"] = table[years].sum(axis=1)
        table["training_spend"] = t.groupby("region", sort=False)["training_spend"].sum()
        return table.reset_index()

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
        exposure = self.exposure_worker_years
        return {
            "worker_years": self.worker_years,
            "jobless_worker_years": self.jobless_worker_years,
            "exposure_worker_years": exposure,
            "exposure_share": self.worker_years / exposure if exposure else 0.0,
            "trainees": self.trainees,
            "construction_worker_years": self.construction_worker_years,
            "operating_worker_years": self.operating_worker_years,
            "public_money_per_worker_year": (
                self.public_money * 1e4 / self.worker_years if self.worker_years else 0.0
            ),  # 万元
            "jobless_at_end": float(self.jobless_at_end["jobless"].sum())
            if len(self.jobless_at_end)
            else 0.0,
            "monitored_regions": float(self.monitoring["region"].nunique())
            if len(self.monitoring)
            else 0.0,
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
            "jobless_worker_years": round(self.jobless_worker_years, 6),
            "exposure_worker_years": round(self.exposure_worker_years, 6),
            "reemployed_peak": round(self.reemployed_peak, 6),
            "job_years": round(self.job_years, 6),
            "trainees": round(self.trainees, 6),
            "gap": self.gap,
            "solver": self.solver,
            "strategy": self.strategy,
            "chosen": [
                {"project_id": str(p), "start_year": int(t)}
                for p, t in zip(chosen["project_id"], chosen["start_year"], strict=True)
            ],
            "reemployed_by_year": {str(y): round(v, 6) for y, v in self.reemployed_by_year.items()},
            "reemployed_by_region": {
                str(r): round(v, 6) for r, v in self.reemployed_by_region.items()
            },
            "trainees_by_region": {str(r): round(v, 6) for r, v in self.trainees_by_region.items()},
            "trainees_by_region_year": {
                r: {str(y): round(v, 6) for y, v in years.items()}
                for r, years in self.trainees_by_region_year.items()
            },
            "layoffs": {
                r: {str(y): round(v, 6) for y, v in sorted(years.items())}
                for r, years in self.layoffs_by_region_year.items()
            },
            # Only with a reference: without one the keys stay exactly as they were.
            **({"changes": self.changes.to_dict()} if self.changes is not None else {}),
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
        elif lim.family == "government_pay_line":
            # Rule 6's row carries the switch v_r × (L_r − G_r): show the new commitments
            # against the room the 5 % line leaves when the switch is on.
            new = [(var, c) for var, c in lim.terms if not var.name.startswith("v")]
            switch = [(var, c) for var, c in lim.terms if var.name.startswith("v")]
            use, limit = (
                _value(new),
                lim.limit
                - sum(c for _, c in switch)
                * (1.0 if _value(switch) > 0.5 * sum(c for _, c in switch) else 0.0),
            )
        slack = limit - use if lim.sense == "<=" else use - limit
        tolerance = max(ZERO_TOLERANCE * max(1.0, abs(limit)), USED_UP_SHARE * abs(limit))
        rows.append(
            dict(
                family=lim.family,
                key=lim.key,
                sense=lim.sense,
                use=use,
                limit=limit,
                slack=max(slack, 0.0) if slack > -ZERO_TOLERANCE * max(1.0, abs(limit)) else slack,
                use_share=use / limit if limit else None,
                used_up=slack <= tolerance,
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


def ppp_use(inst: Instance, start_of: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """New PPP fiscal responsibilities of a portfolio: city × planning year (build-year
    outlays and payments, 5a; Instance.ppp_by_year) and city after the horizon (every
    payment, 5b)."""
    after = np.zeros(len(inst.regions))
    ppp, region_at, payment = (
        inst.column("ppp"),
        inst.column("region_at"),
        inst.column("ppp_payment"),
    )
    for i in start_of:
        if ppp[i]:
            after[int(region_at[i])] += float(payment[i])
    return inst.ppp_by_year(start_of), after


def _reasons(
    inst: Instance, start_of: dict[int, int], chosen: pd.DataFrame
) -> list[tuple[int, str]]:
    """(position, reason code) for each project left out: the first rule or limit that keeps
    it out, else the objective."""
    f, projects = inst.projects, inst.data.projects
    # Whole columns as plain lists: pandas' scalar access costs microseconds a call, minutes
    # over 50,000 projects.
    col = inst.column
    ids, region, region_at = col("project_id"), col("region"), col("region_at")
    bond_money, ppp_payment, starts = col("bond_money"), col("ppp_payment"), col("starts")
    is_ppp, government_pay, blocked = col("ppp"), col("government_pay"), col("user_pay_blocked")
    excluded = projects["excluded"].tolist()
    group, requires = projects["exclusive_group"].tolist(), projects["requires"].tolist()
    debt_left = {r: inst.debt_headroom[r] for r in inst.regions}
    for i in start_of:
        debt_left[region[i]] -= bond_money[i]
    existing = inst.data.regions["existing_ppp_payments"].to_numpy(float)
    line = np.array([inst.ppp_line[r] for r in inst.regions])
    pay_line = np.array([inst.government_pay_line[r] for r in inst.regions])
    ppp_yearly, ppp_after = ppp_use(inst, start_of)
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

    def ppp_fits(i: int, r: int, ceiling: float) -> bool:
        """Some start year keeps the city's PPP ratio under `ceiling` (亿元/year) in every
        planning year, build-year outlays counted (5a)."""
        for t in starts[i]:
            total = existing[r] + ppp_yearly[r] + inst.ppp_by_year({i: t})[r]
            if np.all(total <= ceiling + 1e-9):
                return True
        return False

    # Cities whose government-pay switch is on (rule 6): their whole ratio keeps to 5 %.
    switched = {int(region_at[i]) for i in start_of if government_pay[i]}
    groups_taken = {group[i] for i in start_of} - {""}
    chosen_ids = set(chosen["project_id"])
    forced_out = set(inst.scenario.forced_out)
    out = []
    for i in range(len(f)):
        if i in start_of:
            continue
        city, r = region[i], int(region_at[i])
        payment, bonds = ppp_payment[i], bond_money[i]
        ppp, pays = bool(is_ppp[i]), bool(government_pay[i])
        code = "objective"
        if excluded[i]:
            code = "excluded"
        elif ids[i] in forced_out:
            code = "forced_out"
        elif blocked[i]:
            code = "user_pay_only"
        elif not starts[i]:
            code = "cannot_finish"
        elif group[i] in groups_taken:
            code = "variant_chosen"
        elif requires[i] and requires[i] not in chosen_ids:
            code = "prerequisite_out"
        elif ppp and inst.ppp_closed[city]:
            code = "ppp_over_line"
        elif pays and existing[r] > pay_line[r] + 1e-12:
            code = "government_pay_over_line"
        elif ppp and existing[r] + ppp_after[r] + payment > line[r] + 1e-9:
            code = "ppp_room_used"
        elif ppp and not ppp_fits(i, r, line[r]):
            code = "ppp_outlay_room_used"
        elif (pays or (ppp and r in switched)) and (
            existing[r] + ppp_after[r] + payment > pay_line[r] + 1e-9
            or not ppp_fits(i, r, pay_line[r])
        ):
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
    """Every figure a planner needs, from a solved model (its portfolio, training starts and
    layoffs)."""
    return evaluate(
        model.instance,
        model.start_of(),
        run,
        build_seconds,
        model=model,
        training=model.training_of(),
        layoffs=model.layoffs_of(),
    )


@dataclass(frozen=True)
class Matched:
    """A portfolio's jobs, its training and layoffs, and who takes the jobs (home-first): the
    arrays every table reads."""

    start_of: dict[int, int]  # {position: start year}
    jobs: np.ndarray  # region × year: jobs held
    open_jobs: np.ndarray  # region × year: jobs displaced workers can take
    trainable_jobs: np.ndarray  # region × year: jobs they can take once trained
    training: np.ndarray  # home region × year: workers starting training
    layoffs: np.ndarray  # batch × layoff year: workers laid off
    laid_off_by_layoff_year: np.ndarray  # home region × layoff year: workers laid off
    exposure: np.ndarray  # home region × year: D_e(t)
    direct: np.ndarray  # work region × home region × year: workers in open jobs
    trained: np.ndarray  # work region × home region × year: trained workers in trainable jobs
    # The worker-years taken shared among the projects (_attribute), by open and by trainable
    # jobs: worked out once here, read by several tables.
    by_open: tuple[dict[int, float], np.ndarray, np.ndarray]
    by_trainable: tuple[dict[int, float], np.ndarray, np.ndarray]

    @property
    def flow(self) -> np.ndarray:  # work region × home region × year
        return self.direct + self.trained

    @property
    def reemployed_home(self) -> np.ndarray:  # home region × year
        return self.flow.sum(axis=0)

    @property
    def taken_here(self) -> np.ndarray:  # work region × year
        return self.flow.sum(axis=1)

    @property
    def jobless(self) -> np.ndarray:  # home region × year: exposure left
        return np.maximum(self.exposure - self.reemployed_home, 0.0)

    @property
    def laid_off(self) -> np.ndarray:  # home region × planning year
        return self.laid_off_by_layoff_year[:, self._offset :]

    @property
    def stock(self) -> np.ndarray:  # home region × planning year: laid off by then (persons)
        return np.cumsum(self.laid_off_by_layoff_year, axis=1)[:, self._offset :]

    @property
    def _offset(self) -> int:  # layoff years before the first planning year
        return self.laid_off_by_layoff_year.shape[1] - self.jobs.shape[1]


def match(
    inst: Instance,
    start_of: dict[int, int],
    training: np.ndarray | None = None,
    layoffs: np.ndarray | None = None,
) -> Matched:
    """The home-first matching of a portfolio's jobs. training (region × year) and layoffs
    (batch × layoff year): the solve's; None: the best for the portfolio (`best_levers`)."""
    if training is None or layoffs is None:
        best_training, best_layoffs = best_levers(inst, start_of)
        training = best_training if training is None else training
        layoffs = best_layoffs if layoffs is None else layoffs
    open_jobs = inst.open_jobs_by_year(start_of)
    trainable_jobs = inst.trainable_jobs_by_year(start_of)
    exposure = inst.exposure(layoffs)
    direct, trained = home_first(
        inst,
        open_jobs,
        exposure=exposure,
        trainable_jobs=trainable_jobs,
        pool=trained_pool(inst, training),
    )
    return Matched(
        start_of,
        inst.jobs_by_year(start_of),
        open_jobs,
        trainable_jobs,
        training,
        layoffs,
        inst.layoffs_by_region(layoffs),
        exposure,
        direct,
        trained,
        _attribute(inst, start_of, direct.sum(axis=1), "skill_match"),
        _attribute(inst, start_of, trained.sum(axis=1), "trainable_share"),
    )


FLOW_COLUMNS = ["year", "home_region", "work_region", "workers", "trained", "km"]
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
    "trainable_jobs",
    "laid_off",
    "displaced_stock",
    "exposure",
    "trainees",
    "reemployed",
    "reemployed_direct",
    "reemployed_trained",
    "jobless",
    "taken_here",
    "construction_worker_years",
    "operating_worker_years",
    "training_spend",
]
LAYOFF_COLUMNS = [
    "batch",
    "region",
    "sector",
    "year",
    "workers",
    "planned_year",
    "earliest_year",
    "latest_year",
    "moved",
]
MONITORING_COLUMNS = ["region", "year", "exposure", "jobless", "jobless_share", "industry"]
PPP_BY_YEAR_COLUMNS = [
    "region",
    "year",
    "existing",
    "new",
    "ratio",
    "government_pay_line",
    "warning_line",
    "ppp_line",
    "closed",
]
JOBLESS_AT_END_COLUMNS = ["region", "without_programme", "jobless"]


def flows_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """Year, home city, work city, workers and kilometres of every flow of workers."""
    regions, years = inst.regions, inst.years
    rows = [
        dict(
            year=years[k],
            home_region=regions[e],
            work_region=regions[r],
            workers=float(m.flow[r, e, k]),
            trained=float(m.trained[r, e, k]),
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
        chosen[column] = f[column].to_numpy()[chosen_at]
    chosen["job_years"] = [inst.jobs_by_year({i: start_of[i]}).sum() for i in chosen_at]
    chosen["open_job_years"] = [
        float(inst.open_jobs_by_year({i: start_of[i]}).sum()) for i in chosen_at
    ]
    # Each project's share of the worker-years taken in its city, year by year, by its open
    # (and trainable) jobs there.
    by_open, by_trainable = m.by_open[0], m.by_trainable[0]
    chosen["worker_years"] = [by_open.get(i, 0.0) + by_trainable.get(i, 0.0) for i in chosen_at]
    # Public money while in the horizon: budget and bonds, and PPP payments once in service.
    payment = inst.column("ppp_payment")
    payments_in_horizon = [
        float(payment[i]) * len(inst.operating_years(i, start_of[i])) for i in chosen_at
    ]
    chosen["public_money"] = (
        chosen["budget_money"].to_numpy()
        + chosen["bond_money"].to_numpy()
        + np.array(payments_in_horizon, dtype=float)
    )
    return chosen.sort_values(["start_year", "project_id"]).reset_index(drop=True)


def _attribute(
    inst: Instance, start_of: dict[int, int], taken: np.ndarray, jobs_of: str
) -> tuple[dict[int, float], np.ndarray, np.ndarray]:
    """Share the worker-years taken in each work region and year among the projects whose
    jobs of the kind (`skill_match`: open, `trainable_share`: trainable) are there, in
    proportion to those jobs: (position → worker-years, construction by work region × year,
    operating by work region × year). An attribution; the city totals are exact."""
    n, n_years = len(inst.regions), len(inst.years)
    building, running = np.zeros((n, n_years)), np.zeros((n, n_years))
    share, region_at = inst.column(jobs_of), inst.column("region_at")
    own = {}
    for i, s in start_of.items():
        b, o = np.zeros(n_years), np.zeros(n_years)
        jobs = float(share[i])
        b[list(inst.build_years(i, s))] = jobs * float(inst.column("build_jobs")[i])
        o[list(inst.operating_years(i, s))] = jobs * float(inst.column("operating_jobs")[i])
        own[i] = (b, o)
        building[int(region_at[i])] += b
        running[int(region_at[i])] += o
    total = building + running
    with np.errstate(divide="ignore", invalid="ignore"):
        fill = np.where(total > 0, taken / total, 0.0)
    per_project = {i: float(((b + o) * fill[int(region_at[i])]).sum()) for i, (b, o) in own.items()}
    return per_project, building * fill, running * fill


def lasting(inst: Instance, m: Matched) -> tuple[np.ndarray, np.ndarray]:
    """Worker-years re-employed in construction jobs and in lasting (operating) jobs, work
    region × year (an attribution by each project's jobs; the totals are exact)."""
    _, build_direct, run_direct = m.by_open
    _, build_trained, run_trained = m.by_trainable
    return build_direct + build_trained, run_direct + run_trained


def left_out_table(inst: Instance, m: Matched, chosen: pd.DataFrame) -> pd.DataFrame:
    """The projects left out, each with the code of its reason."""
    reasons = _reasons(inst, m.start_of, chosen)
    not_at = [i for i, _ in reasons]
    not_chosen = inst.data.projects.loc[not_at, NOT_CHOSEN_COLUMNS].copy()
    not_chosen["build_jobs"] = inst.projects.loc[not_at, "build_jobs"].to_numpy()
    not_chosen["reason_code"] = [code for _, code in reasons]
    return not_chosen.reset_index(drop=True)


def reemployment_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """Per home city: laid off, exposure (the worker-years of need), re-employed directly and
    after training, jobless left, trainees, coverage, jobs there."""
    need = m.exposure.sum(axis=1)  # worker-years of need: the exposure summed over the years
    home = m.reemployed_home
    worker_years = home.sum(axis=1)
    return pd.DataFrame(
        dict(
            region=list(inst.regions),
            name_zh=inst.data.regions["name_zh"].to_numpy(),
            displaced=m.laid_off_by_layoff_year.sum(axis=1),
            displaced_worker_years=need,
            exposure_worker_years=need,
            worker_years=worker_years,
            reemployed_direct=m.direct.sum(axis=0).sum(axis=1),
            reemployed_trained=m.trained.sum(axis=0).sum(axis=1),
            jobless_worker_years=m.jobless.sum(axis=1),
            trainees=m.training.sum(axis=1),
            coverage=np.divide(worker_years, need, out=np.zeros_like(need), where=need > 0),
            reemployed_peak=home.max(axis=1) if inst.years else 0.0,
            open_job_years_here=m.open_jobs.sum(axis=1),
            taken_here=m.taken_here.sum(axis=1),
        )
    )


def by_region_year_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """Per city and year: jobs, open and trainable jobs, laid off, displaced stock, exposure,
    trainees, re-employed (directly, after training), jobless, taken there, the
    construction and lasting worker-years of the jobs there, and the training money (亿元)."""
    home, here, stock, jobless = m.reemployed_home, m.taken_here, m.stock, m.jobless
    direct, trained, laid_off = m.direct.sum(axis=0), m.trained.sum(axis=0), m.laid_off
    construction, operating = lasting(inst, m)
    cost = inst.setting("training_cost") / 10_000.0  # 万元 per trainee → 亿元
    rows = [
        dict(
            region=region,
            year=year,
            jobs=float(m.jobs[r, k]),
            open_jobs=float(m.open_jobs[r, k]),
            trainable_jobs=float(m.trainable_jobs[r, k]),
            laid_off=float(laid_off[r, k]),
            displaced_stock=float(stock[r, k]),
            exposure=float(m.exposure[r, k]),
            trainees=float(m.training[r, k]),
            reemployed=float(home[r, k]),
            reemployed_direct=float(direct[r, k]),
            reemployed_trained=float(trained[r, k]),
            jobless=float(jobless[r, k]),
            taken_here=float(here[r, k]),
            construction_worker_years=float(construction[r, k]),
            operating_worker_years=float(operating[r, k]),
            training_spend=float(m.training[r, k]) * cost,
        )
        for r, region in enumerate(inst.regions)
        for k, year in enumerate(inst.years)
    ]
    return pd.DataFrame(rows, columns=REGION_YEAR_COLUMNS)


def by_year_table(inst: Instance, m: Matched, chosen: pd.DataFrame) -> pd.DataFrame:
    """Per year: spend against the fiscal budget and the bond quota (Instance.money_by_year),
    training spend against its budget, projects running and starting, jobs, layoffs,
    exposure, trainees, the displaced re-employed and those still jobless."""
    budget_used, bonds_used = inst.money_by_year(m.start_of)
    payments = np.zeros(len(inst.years))
    for i, t in m.start_of.items():
        for k in inst.operating_years(i, t):
            payments[k] += float(inst.column("ppp_payment")[i])
    home, stock, exposure = m.reemployed_home, m.stock, m.exposure
    direct, trained, laid_off = m.direct.sum(axis=0), m.trained.sum(axis=0), m.laid_off
    construction, operating = lasting(inst, m)
    cost = inst.setting("training_cost") / 10_000.0  # 万元 per trainee → 亿元
    # Whole columns as arrays: a DataFrame filter per year costs a millisecond each.
    start, finish = chosen["start_year"].to_numpy(), chosen["finish_year"].to_numpy()
    duration = chosen["duration_years"].astype(float).to_numpy()
    capex, private = chosen["capex"].to_numpy(float), chosen["private_money"].to_numpy(float)
    rows = []
    for k, year in enumerate(inst.years):
        running = (start <= year) & (finish >= year)
        d = duration[running]
        exposure_k = float(exposure[:, k].sum())
        reemployed_k = float(home[:, k].sum())
        rows.append(
            dict(
                year=year,
                capex_spend=float((capex[running] / d).sum()),
                budget_spend=float(budget_used[k]),
                ppp_payments=float(payments[k]),
                bond_spend=float(bonds_used[k]),
                private_spend=float((private[running] / d).sum()),
                fiscal_budget=float(inst.fiscal_budget[year]),
                bond_quota=float(inst.bond_quota[year]),
                training_spend=float(m.training[:, k].sum()) * cost,
                training_budget=float(inst.training_budget.get(year, 0.0)),
                projects_running=int(running.sum()),
                projects_starting=int((start == year).sum()),
                jobs=float(m.jobs[:, k].sum()),
                open_jobs=float(m.open_jobs[:, k].sum()),
                trainable_jobs=float(m.trainable_jobs[:, k].sum()),
                laid_off=float(laid_off[:, k].sum()),
                displaced_stock=float(stock[:, k].sum()),
                exposure=exposure_k,
                trainees=float(m.training[:, k].sum()),
                reemployed=reemployed_k,
                reemployed_direct=float(direct[:, k].sum()),
                reemployed_trained=float(trained[:, k].sum()),
                jobless=float(m.jobless[:, k].sum()),
                construction_worker_years=float(construction[:, k].sum()),
                operating_worker_years=float(operating[:, k].sum()),
                reemployed_share=reemployed_k / exposure_k if exposure_k else 0.0,
            )
        )
    return pd.DataFrame(rows)


def by_sector_table(inst: Instance, chosen: pd.DataFrame) -> pd.DataFrame:
    """Per sector: projects, capex, its share of all capex against the lines, job-years,
    worker-years and the public money per re-employed worker-year (万元)."""
    total_capex = float(chosen["capex"].sum())
    sector_capex = chosen.groupby("sector")["capex"].sum().to_dict()
    sector = chosen["sector"].to_numpy()
    job_years = chosen["job_years"].to_numpy(float)
    worker_years_of = chosen["worker_years"].to_numpy(float)
    public_money = chosen["public_money"].to_numpy(float)
    rows = []
    for s, (lo, hi) in inst.sector_shares.items():
        mine = sector == s
        worker_years = float(worker_years_of[mine].sum())
        money = float(public_money[mine].sum())
        rows.append(
            dict(
                sector=s,
                projects=int(mine.sum()),
                capex=float(sector_capex.get(s, 0.0)),
                share=float(sector_capex.get(s, 0.0)) / total_capex if total_capex else 0.0,
                min_share=lo,
                max_share=hi,
                job_years=float(job_years[mine].sum()),
                worker_years=worker_years,
                public_money=money,
                # 万元 of public money per re-employed worker-year (亿元 × 10,000)
                public_money_per_worker_year=money * 1e4 / worker_years
                if worker_years > 0
                else None,
            )
        )
    return pd.DataFrame(rows)


def by_region_table(inst: Instance, chosen: pd.DataFrame, standing: pd.DataFrame) -> pd.DataFrame:
    """Per city: projects, money, job-years, debt used and headroom, and its PPP standing."""
    city = chosen["region"].to_numpy()
    money = {
        column: chosen[column].to_numpy(float)
        for column in ("capex", "budget_money", "bond_money", "private_money", "job_years")
    }
    rows = []
    for region in inst.regions:
        mine = city == region
        sums = {column: float(values[mine].sum()) for column, values in money.items()}
        rows.append(
            dict(
                region=region,
                projects=int(mine.sum()),
                **sums,
                debt_used=sums["bond_money"],
                debt_headroom=float(inst.debt_headroom[region]),
            )
        )
    return pd.DataFrame(rows).merge(standing, on="region")


def limit_use_table(model: SelectionModel | None, chosen: pd.DataFrame) -> pd.DataFrame:
    """Every limit of the model: use, limit, room left, used up (empty without a model)."""
    if model is None:
        return pd.DataFrame(columns=LIMIT_USE_COLUMNS)
    return _limit_rows(model, chosen)


def layoff_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """The pace of layoffs, one row per batch and year with workers laid off: batch, region,
    sector, year, workers (the solve's), planned (the workbook's year), earliest, latest."""
    rows = []
    b_ = inst.batches
    # Whole columns as lists: pandas' scalar access costs microseconds a call.
    region, sector, planned = b_["region"].tolist(), b_["sector"].tolist(), b_["year"].tolist()
    earliest, latest = b_["earliest"].tolist(), b_["latest"].tolist()
    for b in range(len(b_)):
        planned_year = int(planned[b])
        for j in np.nonzero(m.layoffs[b] > 1e-9)[0]:
            year = inst.first_layoff_year + int(j)
            rows.append(
                dict(
                    batch=b,
                    region=region[b],
                    sector=sector[b],
                    year=year,
                    workers=float(m.layoffs[b, j]),
                    planned_year=planned_year,
                    earliest_year=int(earliest[b]),
                    latest_year=int(latest[b]),
                    moved=year != planned_year,
                )
            )
    return pd.DataFrame(rows, columns=LAYOFF_COLUMNS)


def monitoring_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """重点监控: each city and year where the jobless displaced workers stay above
    monitoring_share of the exposure, with the city's main exiting industry (most
    workers)."""
    share = inst.setting("monitoring_share")
    exposure, jobless = m.exposure, m.jobless
    b_ = inst.batches
    main: dict[str, str] = {}
    most: dict[str, float] = {}
    if len(b_):
        # In sector order, the first with the most workers (a tie keeps the earlier sector).
        by_industry = b_.groupby(["region", "sector"])["workers"].sum()
        for (region, sector), workers in by_industry.items():
            if str(region) not in most or workers > most[str(region)]:
                main[str(region)], most[str(region)] = str(sector), workers
    rows = []
    for e, region in enumerate(inst.regions):
        for k, year in enumerate(inst.years):
            if exposure[e, k] > 1e-9 and jobless[e, k] > share * exposure[e, k] + 1e-9:
                rows.append(
                    dict(
                        region=region,
                        year=year,
                        exposure=float(exposure[e, k]),
                        jobless=float(jobless[e, k]),
                        jobless_share=float(jobless[e, k] / exposure[e, k]),
                        industry=main.get(region, ""),
                    )
                )
    return pd.DataFrame(rows, columns=MONITORING_COLUMNS)


def ppp_by_year_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """Each city's PPP ratio by planning year (existing commitments, the chosen PPPs'
    build-year outlays and payments, 5a) and after the horizon (every payment, 5b; year
    None), against the 5 %, 7 % and 10 % lines."""
    yearly, after = ppp_use(inst, m.start_of)
    regions = inst.data.regions
    spending = regions["general_budget_expenditure"].to_numpy(float)
    existing = regions["existing_ppp_payments"].to_numpy(float)
    rows = []
    for e, region in enumerate(inst.regions):
        for k, year in [*enumerate(inst.years), (None, None)]:
            new = float(after[e] if k is None else yearly[e, k])
            rows.append(
                dict(
                    region=region,
                    year=year,
                    existing=float(existing[e]),
                    new=new,
                    ratio=(existing[e] + new) / spending[e],
                    government_pay_line=inst.setting("ppp_government_pay_share"),
                    warning_line=inst.setting("ppp_warning_share"),
                    ppp_line=inst.setting("ppp_cap_share"),
                    closed=bool(inst.ppp_closed[region]),
                )
            )
    return pd.DataFrame(rows, columns=PPP_BY_YEAR_COLUMNS)


def jobless_at_end_table(inst: Instance, m: Matched) -> pd.DataFrame:
    """Displaced workers still jobless at the end of the horizon, by city: those who would
    be without the programme (each layoff year's workers times (1 − h)^(years since), the
    last year's in full) less those in programme jobs in the last year."""
    if not inst.years:
        return pd.DataFrame(columns=JOBLESS_AT_END_COLUMNS)
    rows = []
    last = inst.years[-1]
    laid_off, reemployed = m.laid_off_by_layoff_year, m.reemployed_home
    for e, region in enumerate(inst.regions):
        h = float(inst.baseline_rate[e])
        alone = sum(
            float(laid_off[e, j]) * (1.0 - h) ** (last - year)
            for j, year in enumerate(inst.layoff_years)
        )
        rows.append(
            dict(
                region=region,
                without_programme=alone,
                jobless=max(0.0, alone - float(reemployed[e, -1])),
            )
        )
    return pd.DataFrame(rows, columns=JOBLESS_AT_END_COLUMNS)


def evaluate(
    inst: Instance,
    start_of: dict[int, int],
    run: SolverRun,
    build_seconds: float = 0.0,
    *,
    model: SelectionModel | None = None,
    training: np.ndarray | None = None,
    layoffs: np.ndarray | None = None,
) -> Solution:
    """The report of a portfolio {position: start year} under an instance: the matching of
    its jobs to displaced workers once, then one small function per table. training (region
    × year) and layoffs (batch × layoff year): the solve's; None: the best for the portfolio
    (`best_levers`)."""
    m = match(inst, start_of, training, layoffs)
    chosen = chosen_table(inst, m)
    standing = ppp_standing(inst, chosen.groupby("region")["ppp_annual_payment"].sum().to_dict())
    home, jobs, exposure = m.reemployed_home, m.jobs, m.exposure
    w = np.array(inst.year_weight)
    weight = inst.setting("other_jobs_weight")
    # model.md's objective, maximised form: Σ w(t)·(re-employed − exposure + weight·jobs),
    # with the best matching of the portfolio's jobs.
    objective = float(
        ((home.sum(axis=0) - exposure.sum(axis=0)) * w).sum()
        + weight * (jobs.sum(axis=0) * w).sum()
    )
    per_year = home.sum(axis=0)
    peak_k = int(per_year.argmax()) if inst.years else None
    worker_years = float(home.sum())
    construction, operating = lasting(inst, m)
    return Solution(
        status=run.status,
        objective=objective,
        worker_years=worker_years,
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
        not_chosen=left_out_table(inst, m, chosen),
        reemployment=reemployment_table(inst, m),
        by_region_year=by_region_year_table(inst, m),
        flows=flows_table(inst, m),
        by_year=by_year_table(inst, m, chosen),
        by_sector=by_sector_table(inst, chosen),
        by_region=by_region_table(inst, chosen, standing),
        limits=limit_use_table(model, chosen),
        exposure_worker_years=float(exposure.sum()),
        jobless_worker_years=float(exposure.sum()) - worker_years,
        trainees=float(m.training.sum()),
        construction_worker_years=float(construction.sum()),
        operating_worker_years=float(operating.sum()),
        public_money=float(chosen["public_money"].sum()),
        layoffs=layoff_table(inst, m),
        monitoring=monitoring_table(inst, m),
        ppp_by_year=ppp_by_year_table(inst, m),
        jobless_at_end=jobless_at_end_table(inst, m),
        bound=run.bound,
        detail=run.detail,
        solver_objective=run.objective,
        gap_is_upper_bound=run.gap_is_upper_bound,
        strategy=run.strategy,
        gap_base=abs(float(run.objective))
        if run.objective is not None
        else abs(objective + float((exposure.sum(axis=0) * w).sum())),
    )
