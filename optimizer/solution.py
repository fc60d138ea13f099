"""What a solve reports: the portfolio and every figure a planner needs, as DataFrames.

Re-employment is counted in worker-years: a displaced worker holding a job for one year is one
worker-year. Per-city and per-year figures come from the home-first matching (`matching`), so
a city's figure changes only when jobs or layoffs within its reach change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pulp

from .instance import Instance
from .matching import best_levers, home_first, trained_pool
from .scenario import Scenario

if TYPE_CHECKING:
    from .model import SelectionModel
    from .solver import SolverRun

# A limit binds when 99 % or more of it is used: with whole projects a budget is rarely met
# to the yuan, and a planner reads "used up" as binding.
BINDING_SHARE = 0.01
ZERO_TOLERANCE = 1e-6

# Why a project is left out, most specific first (codes; views put them in words).
REASONS = {
    "excluded": "excluded in the workbook",
    "forced_out": "forced out by the scenario",
    "cannot_finish": "cannot finish inside the planning years",
    "variant_chosen": "its variant is chosen",
    "prerequisite_out": "its prerequisite is left out",
    "user_pay_only": (
        "from {year} a new PPP must be user-pay with no annual payment (State Council "
        "General Office, 2023 No. 115), and no earlier start year is left"
    ),
    "ppp_over_line": (
        "{city}'s existing PPP commitments are above the {line:.0%} line: no new PPP project "
        "of any kind"
    ),
    "ppp_outlay_room_used": (
        "{city}'s PPP commitments with the budget money put into PPPs while they are built "
        "would pass the {line:.0%} line in a planning year"
    ),
    "government_pay_over_line": (
        "{city}'s existing PPP commitments are above the {line:.0%} line for government-pay "
        "projects"
    ),
    "ppp_room_used": "{city}'s room under the {line:.0%} PPP line is used up",
    "government_pay_room_used": (
        "{city}'s whole PPP ratio would pass the {line:.0%} line that government-pay projects "
        "need (Ministry of Finance, 2019 No. 10)"
    ),
    "debt_used": "{city}'s debt headroom is used up",
    "budget_used": "the fiscal budget is used up in a year it would be built or paid for",
    "bond_quota_used": "the bond quota is used up in a year it would be built",
    "objective": "other projects re-employ more within the limits",
}
REASONS_ZH = {
    "excluded": "工作簿中已排除",
    "forced_out": "情景设定排除",
    "cannot_finish": "规划期内无法完工",
    "variant_chosen": "同组方案已入选",
    "prerequisite_out": "前置项目未入选",
    "user_pay_only": (
        "{year}年起新增PPP项目须为使用者付费且无政府年度支付（国办函〔2023〕115号），"
        "且无更早开工年份可选"
    ),
    "ppp_over_line": "{city}既有PPP财政支出责任已超过{line:.0%}红线，严禁新项目入库",
    "ppp_outlay_room_used": (
        "计入PPP项目建设期财政投入后，{city}某一规划年度的PPP财政支出责任将超过{line:.0%}红线"
    ),
    "government_pay_over_line": "{city}既有PPP财政支出责任已超过{line:.0%}，不得新上政府付费项目",
    "ppp_room_used": "{city}PPP财政支出责任{line:.0%}红线内空间已用尽",
    "government_pay_room_used": (
        "{city}PPP财政支出责任占比将超过{line:.0%}，不得新上政府付费项目（财金〔2019〕10号）"
    ),
    "debt_used": "{city}债务空间已用尽",
    "budget_used": "其建设或付费年份的一般公共预算支出额度已用尽",
    "bond_quota_used": "其建设年份的新增专项债券额度已用尽",
    "objective": "在约束内其他项目带来更多再就业",
}
PPP_NOTES_ZH = {
    "over_line_before": "既有PPP财政支出责任（{before:.1%}）已超过{cap:.0%}红线，不能新增PPP项目",
    "over_government_pay_before": (
        "既有PPP财政支出责任（{before:.1%}）已超过{pay:.0%}，不得新上政府付费项目；"
        "可行性缺口补助项目仍可在{cap:.0%}红线内新增"
    ),
    "warning": "超过{warn:.0%}预警线（仅预警，不作限制）",
}


@dataclass(frozen=True)
class Solution:
    """A solved portfolio. Money in 亿元, jobs and workers in persons, time in years.

    status is `optimal` (proven within `gap`) or `time_limit` (a feasible portfolio with the
    proven `gap` at stop; None when the solver cannot tell). worker_years: displaced workers
    re-employed within reach, summed over the years they hold the jobs; reemployed_peak: the
    most re-employed in one year (persons), in peak_year; job_years: every job, every year.
    """

    status: str
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
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    # Version 3 (docs/model.md): exposure, training, pace of layoffs, the rules' reports.
    exposure_worker_years: float = 0.0  # Σ D_e(t): worker-years the programme can replace
    jobless_worker_years: float = 0.0  # exposure less re-employed
    trainees: float = 0.0  # workers starting training, all years
    construction_worker_years: float = 0.0  # re-employed in build-year jobs
    operating_worker_years: float = 0.0  # re-employed in lasting (operating) jobs
    public_money: float = 0.0  # budget + bonds + PPP payments in the horizon, 亿元
    layoffs: pd.DataFrame = field(default_factory=pd.DataFrame)  # batch × year, planned/paced
    monitoring: pd.DataFrame = field(default_factory=pd.DataFrame)  # 重点监控 region-years
    ppp_by_year: pd.DataFrame = field(default_factory=pd.DataFrame)  # region × year ratios
    jobless_at_end: pd.DataFrame = field(default_factory=pd.DataFrame)  # region: persons
    # The objective `gap` is relative to: the solver's (re-employment and weighted jobs, less
    # any paced exposure), not the reported one; gap × gap_base is the absolute slack.
    gap_base: float | None = None

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
            use, limit = _value(new), lim.limit - sum(c for _, c in switch) * (
                1.0 if _value(switch) > 0.5 * sum(c for _, c in switch) else 0.0
            )
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
        columns=["family", "key", "sense", "use", "limit", "slack", "use_share", "binding", "unit"],
    )


def ppp_standing(inst: Instance, new_payments: dict[str, float]) -> pd.DataFrame:
    """Each city's PPP ratio against the 5 %, 7 % and 10 % lines, with a note in words where
    the existing commitments alone already exceed a line."""
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
            note = (
                f"existing PPP commitments ({before:.1%}) already exceed the {cap:.0%} line: "
                "no new PPP project of any kind can be added"
            )
        elif before > pay + 1e-12:
            code = "over_government_pay_before"
            note = (
                f"existing PPP commitments ({before:.1%}) already exceed the {pay:.0%} line: "
                f"no new government-pay projects; viability-gap ones up to the {cap:.0%} line"
            )
        elif after > warn + 1e-12:
            code = "warning"
            note = f"above the {warn:.0%} warning level (预警), not a limit"
        else:
            code, note = "", ""
        note_zh = (
            PPP_NOTES_ZH[code].format(before=before, cap=cap, pay=pay, warn=warn) if code else ""
        )
        warned = after > warn + 1e-12
        if code == "over_government_pay_before" and warned:
            # Both facts matter: the 5 % line bars government-pay projects, and the city is
            # above the warning level too.
            note += f"; at {after:.1%} it is above the {warn:.0%} warning level (预警)"
            note_zh += f"；当前{after:.1%}，超过{warn:.0%}预警线"
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
                ppp_note=note,
                ppp_note_zh=note_zh,
            )
        )
    return pd.DataFrame(rows)


def ppp_use(inst: Instance, start_of: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """New PPP fiscal responsibilities of a portfolio: region × planning year (build-year
    outlays and payments, 5a) and region after the horizon (every payment, 5b)."""
    n, n_years = len(inst.regions), len(inst.years)
    yearly, after = np.zeros((n, n_years)), np.zeros(n)
    f = inst.projects
    for i, s in start_of.items():
        yearly[:, :] += _ppp_of(inst, i, s)
        if f.at[i, "ppp"]:
            after[int(f.at[i, "region_at"])] += float(f.at[i, "ppp_payment"])
    return yearly, after


def _ppp_of(inst: Instance, i: int, s: int) -> np.ndarray:
    """One project's PPP fiscal responsibilities started in s, region × planning year."""
    f = inst.projects
    out = np.zeros((len(inst.regions), len(inst.years)))
    if not f.at[i, "ppp"]:
        return out
    r = int(f.at[i, "region_at"])
    for k in inst.build_years(i, s):
        out[r, k] += float(f.at[i, "ppp_outlay"]) / int(f.at[i, "duration"])
    for k in inst.operating_years(i, s):
        out[r, k] += float(f.at[i, "ppp_payment"])
    return out


def _reasons(
    inst: Instance, start_of: dict[int, int], chosen: pd.DataFrame
) -> list[tuple[int, str, str, str]]:
    """(position, code, words, words in Chinese) for each project left out: the first rule
    or limit that keeps it out, else the objective."""
    f, projects = inst.projects, inst.data.projects
    debt_left = {r: inst.debt_headroom[r] for r in inst.regions}
    for i in start_of:
        debt_left[f.at[i, "region"]] -= f.at[i, "bond_money"]
    regions = inst.data.regions
    existing = regions["existing_ppp_payments"].to_numpy(float)
    line = np.array([inst.ppp_line[r] for r in inst.regions])
    pay_line = np.array([inst.government_pay_line[r] for r in inst.regions])
    ppp_yearly, ppp_after = ppp_use(inst, start_of)
    # What the portfolio already spends each year: budget (with PPP payments once in
    # service) and bonds, so a project that fits no start year can say so.
    n_years = len(inst.years)
    budget_used, bonds_used = np.zeros(n_years), np.zeros(n_years)
    for i, t in start_of.items():
        d = int(f.at[i, "duration"])
        for k in inst.build_years(i, t):
            budget_used[k] += f.at[i, "budget_money"] / d
            bonds_used[k] += f.at[i, "bond_money"] / d
        for k in inst.operating_years(i, t):
            budget_used[k] += f.at[i, "ppp_payment"]
    budget = np.array([inst.fiscal_budget[y] for y in inst.years])
    quota = np.array([inst.bond_quota[y] for y in inst.years])

    def fits(i: int, money: str, used: np.ndarray, room: np.ndarray, paid: bool) -> bool:
        d = int(f.at[i, "duration"])
        for t in f.at[i, "starts"]:
            extra = np.zeros(n_years)
            for k in inst.build_years(i, t):
                extra[k] += f.at[i, money] / d
            if paid:
                for k in inst.operating_years(i, t):
                    extra[k] += f.at[i, "ppp_payment"]
            if np.all(used + extra <= room + 1e-9):
                return True
        return False

    def ppp_fits(i: int, r: int, ceiling: float) -> bool:
        """Some start year keeps the city's PPP ratio under `ceiling` (亿元/year) in every
        planning year, build-year outlays counted (5a)."""
        for t in f.at[i, "starts"]:
            total = existing[r] + ppp_yearly[r] + _ppp_of(inst, i, t)[r]
            if np.all(total <= ceiling + 1e-9):
                return True
        return False

    # Cities whose government-pay switch is on (rule 6): their whole ratio keeps to 5 %.
    switched = {int(f.at[i, "region_at"]) for i in start_of if f.at[i, "government_pay"]}
    groups_taken = set(projects.loc[list(start_of), "exclusive_group"]) - {""}
    chosen_ids = set(chosen["project_id"])
    cap, pay = inst.setting("ppp_cap_share"), inst.setting("ppp_government_pay_share")
    from_year = inst.setting("ppp_user_pay_only_from")
    forced_out = set(inst.scenario.forced_out)
    names_zh = dict(zip(inst.data.regions["region"], inst.data.regions["name_zh"], strict=True))
    out = []
    for i in range(len(f)):
        if i in start_of:
            continue
        city = f.at[i, "region"]
        r = int(f.at[i, "region_at"])
        payment, bonds = f.at[i, "ppp_payment"], f.at[i, "bond_money"]
        ppp, government_pay = bool(f.at[i, "ppp"]), bool(f.at[i, "government_pay"])
        code = "objective"
        if projects.at[i, "excluded"]:
            code = "excluded"
        elif f.at[i, "project_id"] in forced_out:
            code = "forced_out"
        elif f.at[i, "user_pay_blocked"]:
            code = "user_pay_only"
        elif not f.at[i, "starts"]:
            code = "cannot_finish"
        elif projects.at[i, "exclusive_group"] in groups_taken:
            code = "variant_chosen"
        elif projects.at[i, "requires"] and projects.at[i, "requires"] not in chosen_ids:
            code = "prerequisite_out"
        elif ppp and inst.ppp_closed[city]:
            code = "ppp_over_line"
        elif government_pay and existing[r] > pay_line[r] + 1e-12:
            code = "government_pay_over_line"
        elif ppp and existing[r] + ppp_after[r] + payment > line[r] + 1e-9:
            code = "ppp_room_used"
        elif ppp and not ppp_fits(i, r, line[r]):
            code = "ppp_outlay_room_used"
        elif (government_pay or (ppp and r in switched)) and (
            existing[r] + ppp_after[r] + payment > pay_line[r] + 1e-9
            or not ppp_fits(i, r, pay_line[r])
        ):
            code = "government_pay_room_used"
        elif bonds > debt_left[city] + 1e-9:
            code = "debt_used"
        elif not fits(i, "budget_money", budget_used, budget, paid=True):
            code = "budget_used"
        elif not fits(i, "bond_money", bonds_used, quota, paid=False):
            code = "bond_quota_used"
        share = pay if code.startswith("government_pay") else cap
        city_zh = names_zh.get(city) or city
        year = int(from_year) if np.isfinite(from_year) else 0
        out.append(
            (
                i,
                code,
                REASONS[code].format(city=city, line=share, year=year),
                REASONS_ZH[code].format(city=city_zh, line=share, year=year),
            )
        )
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
    """The report of a portfolio {position: start year} under an instance. training
    (region × year) and layoffs (batch × layoff year): the solve's; None: the best for the
    portfolio (`best_levers`)."""
    data, f = inst.data, inst.projects
    projects, regions = data.projects, data.regions
    region_ids = list(inst.regions)
    years = list(inst.years)
    chosen_at = sorted(start_of)
    if training is None or layoffs is None:
        best_training, best_layoffs = best_levers(inst, start_of)
        training = best_training if training is None else training
        layoffs = best_layoffs if layoffs is None else layoffs

    jobs = inst.jobs_by_year(start_of)  # region × year
    open_jobs = inst.open_jobs_by_year(start_of)
    trainable_jobs = inst.trainable_jobs_by_year(start_of)
    exposure = inst.exposure(layoffs)  # home region × year: D_e(t)
    pool = trained_pool(inst, training)
    direct, trained = home_first(
        inst, open_jobs, exposure=exposure, trainable_jobs=trainable_jobs, pool=pool
    )  # work × home × year
    flow = direct + trained
    laid_off_ext = inst.layoffs_by_region(layoffs)  # region × layoff year
    offset = years[0] - inst.first_layoff_year if years else 0
    laid_off = laid_off_ext[:, offset:]  # region × planning year
    stock = np.cumsum(laid_off_ext, axis=1)[:, offset:]  # laid off by then (persons)
    reemployed_home = flow.sum(axis=0)  # home × year
    direct_home, trained_home = direct.sum(axis=0), trained.sum(axis=0)
    taken_here = flow.sum(axis=1)  # work × year
    jobless = np.maximum(exposure - reemployed_home, 0.0)

    flow_rows = [
        dict(
            year=years[k],
            home_region=region_ids[e],
            work_region=region_ids[r],
            workers=float(flow[r, e, k]),
            trained=float(trained[r, e, k]),
            km=float(inst.distance_km[r, e]),
        )
        for r, e, k in zip(*np.nonzero(flow > 1e-6), strict=True)
    ]
    flows = pd.DataFrame(
        flow_rows, columns=["year", "home_region", "work_region", "workers", "trained", "km"]
    )
    flows = flows.sort_values(["year", "home_region", "work_region"]).reset_index(drop=True)

    chosen = projects.loc[
        chosen_at,
        [
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
        ],
    ].copy()
    chosen["start_year"] = [start_of[i] for i in chosen_at]
    chosen["finish_year"] = chosen["start_year"] + chosen["duration_years"].astype(int) - 1
    for column in ("budget_money", "bond_money", "private_money", "build_jobs"):
        chosen[column] = f.loc[chosen_at, column].to_numpy()
    chosen["job_years"] = [inst.jobs_by_year({i: start_of[i]}).sum() for i in chosen_at]
    chosen["open_job_years"] = [
        float(inst.open_jobs_by_year({i: start_of[i]}).sum()) for i in chosen_at
    ]
    # Each project's share of the worker-years taken in its city, year by year, by its open
    # (and trainable) jobs there.
    by_open, build_direct, run_direct = _attribute(
        inst, start_of, direct.sum(axis=1), "skill_match"
    )
    by_trainable, build_trained, run_trained = _attribute(
        inst, start_of, trained.sum(axis=1), "trainable_share"
    )
    chosen["worker_years"] = [by_open.get(i, 0.0) + by_trainable.get(i, 0.0) for i in chosen_at]
    # Public money while in the horizon: budget and bonds, and PPP payments once in service.
    payments_in_horizon = [
        float(f.at[i, "ppp_payment"]) * len(inst.operating_years(i, start_of[i])) for i in chosen_at
    ]
    chosen["public_money"] = (
        f.loc[chosen_at, "budget_money"].to_numpy()
        + f.loc[chosen_at, "bond_money"].to_numpy()
        + np.array(payments_in_horizon, dtype=float)
    )
    chosen = chosen.sort_values(["start_year", "project_id"]).reset_index(drop=True)
    construction = build_direct + build_trained  # work region × year
    operating = run_direct + run_trained

    new_ppp = chosen.groupby("region")["ppp_annual_payment"].sum().to_dict()
    standing = ppp_standing(inst, new_ppp)

    reasons = _reasons(inst, start_of, chosen)
    not_at = [i for i, *_ in reasons]
    not_chosen = projects.loc[
        not_at, ["project_id", "name", "sector", "region", "capex", "duration_years", "jobs_per_yi"]
    ].copy()
    not_chosen["build_jobs"] = f.loc[not_at, "build_jobs"].to_numpy()
    not_chosen["reason_code"] = [code for _, code, _, _ in reasons]
    not_chosen["reason"] = [words for _, _, words, _ in reasons]
    not_chosen["reason_zh"] = [words for _, _, _, words in reasons]
    not_chosen = not_chosen.reset_index(drop=True)

    need = exposure.sum(axis=1)  # worker-years of need: the exposure summed over the years
    worker_years_home = reemployed_home.sum(axis=1)
    reemployment = pd.DataFrame(
        dict(
            region=region_ids,
            name_zh=regions["name_zh"].to_numpy(),
            displaced=laid_off_ext.sum(axis=1),
            displaced_worker_years=need,
            exposure_worker_years=need,
            worker_years=worker_years_home,
            reemployed_direct=direct_home.sum(axis=1),
            reemployed_trained=trained_home.sum(axis=1),
            jobless_worker_years=jobless.sum(axis=1),
            trainees=training.sum(axis=1),
            coverage=np.divide(worker_years_home, need, out=np.zeros_like(need), where=need > 0),
            reemployed_peak=reemployed_home.max(axis=1) if years else 0.0,
            open_job_years_here=open_jobs.sum(axis=1),
            taken_here=taken_here.sum(axis=1),
        )
    )

    by_region_year = pd.DataFrame(
        [
            dict(
                region=region_ids[r],
                year=years[k],
                jobs=float(jobs[r, k]),
                open_jobs=float(open_jobs[r, k]),
                trainable_jobs=float(trainable_jobs[r, k]),
                laid_off=float(laid_off[r, k]),
                displaced_stock=float(stock[r, k]),
                exposure=float(exposure[r, k]),
                trainees=float(training[r, k]),
                reemployed=float(reemployed_home[r, k]),
                reemployed_direct=float(direct_home[r, k]),
                reemployed_trained=float(trained_home[r, k]),
                jobless=float(jobless[r, k]),
                taken_here=float(taken_here[r, k]),
                construction_worker_years=float(construction[r, k]),
                operating_worker_years=float(operating[r, k]),
            )
            for r in range(len(region_ids))
            for k in range(len(years))
        ],
        columns=[
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
        ],
    )

    year_rows = []
    payments = np.zeros(len(years))
    for i in chosen_at:
        for k in inst.operating_years(i, start_of[i]):
            payments[k] += float(f.at[i, "ppp_payment"])
    cost = inst.setting("training_cost") / 10_000.0
    for k, year in enumerate(years):
        running = chosen[(chosen["start_year"] <= year) & (chosen["finish_year"] >= year)]
        d = running["duration_years"].astype(float)
        stock_k = float(stock[:, k].sum())
        exposure_k = float(exposure[:, k].sum())
        reemployed_k = float(reemployed_home[:, k].sum())
        year_rows.append(
            dict(
                year=year,
                capex_spend=float((running["capex"] / d).sum()),
                budget_spend=float((running["budget_money"] / d).sum()) + payments[k],
                ppp_payments=float(payments[k]),
                bond_spend=float((running["bond_money"] / d).sum()),
                private_spend=float((running["private_money"] / d).sum()),
                fiscal_budget=float(inst.fiscal_budget[year]),
                bond_quota=float(inst.bond_quota[year]),
                training_spend=float(training[:, k].sum()) * cost,
                training_budget=float(inst.training_budget.get(year, 0.0)),
                projects_running=len(running),
                projects_starting=int((chosen["start_year"] == year).sum()),
                jobs=float(jobs[:, k].sum()),
                open_jobs=float(open_jobs[:, k].sum()),
                trainable_jobs=float(trainable_jobs[:, k].sum()),
                laid_off=float(laid_off[:, k].sum()),
                displaced_stock=stock_k,
                exposure=exposure_k,
                trainees=float(training[:, k].sum()),
                reemployed=reemployed_k,
                reemployed_direct=float(direct_home[:, k].sum()),
                reemployed_trained=float(trained_home[:, k].sum()),
                jobless=float(jobless[:, k].sum()),
                construction_worker_years=float(construction[:, k].sum()),
                operating_worker_years=float(operating[:, k].sum()),
                reemployed_share=reemployed_k / exposure_k if exposure_k else 0.0,
            )
        )
    by_year = pd.DataFrame(year_rows)

    total_capex = float(chosen["capex"].sum())
    sector_capex = chosen.groupby("sector")["capex"].sum().to_dict()
    by_sector_rows = []
    for s, (lo, hi) in inst.sector_shares.items():
        mine = chosen[chosen["sector"] == s]
        sector_worker_years = float(mine["worker_years"].sum())
        money = float(mine["public_money"].sum())
        by_sector_rows.append(
            dict(
                sector=s,
                projects=len(mine),
                capex=float(sector_capex.get(s, 0.0)),
                share=float(sector_capex.get(s, 0.0)) / total_capex if total_capex else 0.0,
                min_share=lo,
                max_share=hi,
                job_years=float(mine["job_years"].sum()),
                worker_years=sector_worker_years,
                public_money=money,
                # 万元 of public money per re-employed worker-year (亿元 × 10,000)
                public_money_per_worker_year=money * 1e4 / sector_worker_years
                if sector_worker_years > 0
                else None,
            )
        )
    by_sector = pd.DataFrame(by_sector_rows)

    region_rows = []
    for region in inst.regions:
        mine = chosen[chosen["region"] == region]
        region_rows.append(
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
    by_region = pd.DataFrame(region_rows).merge(standing, on="region")

    limits = (
        _limit_rows(model, chosen)
        if model is not None
        else pd.DataFrame(
            columns=[
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
        )
    )
    w = np.array(inst.year_weight)
    worker_years = float(reemployed_home.sum())
    weight = inst.setting("other_jobs_weight")
    # model.md's objective, maximised form: Σ w(t)·(re-employed − exposure + weight·jobs),
    # with the best matching of the portfolio's jobs.
    objective = float(
        ((reemployed_home.sum(axis=0) - exposure.sum(axis=0)) * w).sum()
        + weight * (jobs.sum(axis=0) * w).sum()
    )
    per_year = reemployed_home.sum(axis=0)
    peak_k = int(per_year.argmax()) if len(years) else None
    return Solution(
        status=run.status,
        objective=objective,
        worker_years=worker_years,
        reemployed_peak=float(per_year[peak_k]) if peak_k is not None else 0.0,
        peak_year=years[peak_k] if peak_k is not None else None,
        job_years=float(jobs.sum()),
        gap=run.gap,
        solver=run.solver,
        solver_version=run.solver_version,
        build_seconds=build_seconds,
        solve_seconds=run.seconds,
        scenario=inst.scenario,
        fingerprint=data.fingerprint,
        solved_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        chosen=chosen,
        not_chosen=not_chosen,
        reemployment=reemployment,
        by_region_year=by_region_year,
        flows=flows,
        by_year=by_year,
        by_sector=by_sector,
        by_region=by_region,
        limits=limits,
        extra={
            "bound": run.bound,
            "detail": run.detail,
            "solver_objective": run.objective,
            "gap_is_upper_bound": run.gap_is_upper_bound,
        },
        exposure_worker_years=float(exposure.sum()),
        jobless_worker_years=float(exposure.sum()) - worker_years,
        trainees=float(training.sum()),
        construction_worker_years=float(construction.sum()),
        operating_worker_years=float(operating.sum()),
        public_money=float(chosen["public_money"].sum()),
        layoffs=layoff_table(inst, layoffs),
        monitoring=monitoring_table(inst, exposure, jobless),
        ppp_by_year=ppp_by_year(inst, start_of),
        jobless_at_end=jobless_at_end(inst, laid_off_ext, reemployed_home),
        gap_base=abs(float(run.objective))
        if run.objective is not None
        else abs(objective + float((exposure.sum(axis=0) * w).sum())),
    )


def layoff_table(inst: Instance, layoffs: np.ndarray) -> pd.DataFrame:
    """The pace of layoffs, one row per batch and year with workers laid off: batch, region,
    sector, year, workers (the solve's), planned (the workbook's year), earliest, latest."""
    rows = []
    b_ = inst.batches
    for b in range(len(b_)):
        planned_year = int(b_.at[b, "year"])
        for j in np.nonzero(layoffs[b] > 1e-9)[0]:
            year = inst.first_layoff_year + int(j)
            rows.append(
                dict(
                    batch=b,
                    region=b_.at[b, "region"],
                    sector=b_.at[b, "sector"],
                    year=year,
                    workers=float(layoffs[b, j]),
                    planned_year=planned_year,
                    earliest_year=int(b_.at[b, "earliest"]),
                    latest_year=int(b_.at[b, "latest"]),
                    moved=year != planned_year,
                )
            )
    names = [
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
    return pd.DataFrame(rows, columns=names)


def monitoring_table(inst: Instance, exposure: np.ndarray, jobless: np.ndarray) -> pd.DataFrame:
    """重点监控: each region and year where the jobless displaced workers stay above
    monitoring_share of the exposure, with the region's main exiting industry (most
    workers)."""
    share = inst.setting("monitoring_share")
    b_ = inst.batches
    main: dict[str, str] = {}
    if len(b_):
        by_industry = b_.groupby(["region", "sector"])["workers"].sum().reset_index()
        for region, group in by_industry.groupby("region"):
            main[str(region)] = str(group.sort_values("workers", ascending=False)["sector"].iloc[0])
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
    return pd.DataFrame(
        rows, columns=["region", "year", "exposure", "jobless", "jobless_share", "industry"]
    )


def ppp_by_year(inst: Instance, start_of: dict[int, int]) -> pd.DataFrame:
    """Each city's PPP ratio by planning year (existing commitments, the chosen PPPs'
    build-year outlays and payments, 5a) and after the horizon (every payment, 5b; year
    None), against the 5 %, 7 % and 10 % lines."""
    yearly, after = ppp_use(inst, start_of)
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
    return pd.DataFrame(
        rows,
        columns=[
            "region",
            "year",
            "existing",
            "new",
            "ratio",
            "government_pay_line",
            "warning_line",
            "ppp_line",
            "closed",
        ],
    )


def jobless_at_end(inst: Instance, laid_off: np.ndarray, reemployed: np.ndarray) -> pd.DataFrame:
    """Displaced workers still jobless at the end of the horizon, by city: those who would
    be without the programme (each layoff year's workers times (1 − h)^(years since), the
    last year's in full) less those in programme jobs in the last year."""
    rows = []
    if not inst.years:
        return pd.DataFrame(columns=["region", "without_programme", "jobless"])
    last = inst.years[-1]
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
    return pd.DataFrame(rows, columns=["region", "without_programme", "jobless"])
