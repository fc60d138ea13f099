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
from .matching import home_first
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
    "ppp_over_line": "{city}'s existing PPP commitments are above the {line:.0%} line",
    "government_pay_over_line": (
        "{city}'s existing PPP commitments are above the {line:.0%} line for government-pay "
        "projects"
    ),
    "ppp_room_used": "{city}'s room under the {line:.0%} PPP line is used up",
    "government_pay_room_used": "{city}'s room under the {line:.0%} government-pay line is used up",
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
    "ppp_over_line": "{city}既有PPP财政支出责任已超过{line:.0%}红线",
    "government_pay_over_line": "{city}既有PPP财政支出责任已超过{line:.0%}，不得新上政府付费项目",
    "ppp_room_used": "{city}PPP财政支出责任{line:.0%}红线内空间已用尽",
    "government_pay_room_used": "{city}政府付费项目{line:.0%}空间已用尽",
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
                "no new PPP payments can be added"
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


def _reasons(
    inst: Instance, start_of: dict[int, int], chosen: pd.DataFrame, standing: pd.DataFrame
) -> list[tuple[int, str, str, str]]:
    """(position, code, words, words in Chinese) for each project left out: the first limit
    that keeps it out, else the objective."""
    f, projects = inst.projects, inst.data.projects
    by_region = standing.set_index("region")
    # Whole columns as plain lists: pandas' scalar access costs microseconds a call, minutes
    # over 50,000 projects.
    col = inst.column
    region, bond_money, ppp_payment = col("region"), col("bond_money"), col("ppp_payment")
    government_pay, duration, starts = col("government_pay"), col("duration"), col("starts")
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
    n_years = len(inst.years)
    budget_used, bonds_used = np.zeros(n_years), np.zeros(n_years)
    budget_money = col("budget_money")
    for i, t in start_of.items():
        d = int(duration[i])
        for k in inst.build_years(i, t):
            budget_used[k] += budget_money[i] / d
            bonds_used[k] += bond_money[i] / d
        for k in inst.operating_years(i, t):
            budget_used[k] += ppp_payment[i]
    budget = np.array([inst.fiscal_budget[y] for y in inst.years])
    quota = np.array([inst.bond_quota[y] for y in inst.years])

    def fits(i: int, money: str, used: np.ndarray, room: np.ndarray, paid: bool) -> bool:
        d = int(duration[i])
        amount = col(money)[i]
        for t in starts[i]:
            extra = np.zeros(n_years)
            for k in inst.build_years(i, t):
                extra[k] += amount / d
            if paid:
                for k in inst.operating_years(i, t):
                    extra[k] += ppp_payment[i]
            if np.all(used + extra <= room + 1e-9):
                return True
        return False

    groups_taken = {group[i] for i in start_of} - {""}
    chosen_ids = set(chosen["project_id"])
    cap, pay = inst.setting("ppp_cap_share"), inst.setting("ppp_government_pay_share")
    forced_out = set(inst.scenario.forced_out)
    names_zh = dict(zip(inst.data.regions["region"], inst.data.regions["name_zh"], strict=True))
    ids = col("project_id")
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
        elif not fits(i, "budget_money", budget_used, budget, paid=True):
            code = "budget_used"
        elif not fits(i, "bond_money", bonds_used, quota, paid=False):
            code = "bond_quota_used"
        line = pay if code.startswith("government_pay") else cap
        city_zh = names_zh.get(city) or city
        out.append(
            (
                i,
                code,
                REASONS[code].format(city=city, line=line),
                REASONS_ZH[code].format(city=city_zh, line=line),
            )
        )
    return out


def make_solution(model: SelectionModel, run: SolverRun, build_seconds: float) -> Solution:
    """Every figure a planner needs, from a solved model."""
    return evaluate(model.instance, model.start_of(), run, build_seconds, model=model)


def evaluate(
    inst: Instance,
    start_of: dict[int, int],
    run: SolverRun,
    build_seconds: float = 0.0,
    *,
    model: SelectionModel | None = None,
) -> Solution:
    """The report of a portfolio {position: start year} under an instance."""
    data, f = inst.data, inst.projects
    projects, regions = data.projects, data.regions
    region_ids = list(inst.regions)
    years = list(inst.years)
    chosen_at = sorted(start_of)

    jobs = inst.jobs_by_year(start_of)  # region × year
    open_jobs = inst.open_jobs_by_year(start_of)
    flow = home_first(inst, open_jobs)  # work × home × year
    stock = inst.displaced_stock
    reemployed_home = flow.sum(axis=0)  # home × year
    taken_here = flow.sum(axis=1)  # work × year

    flow_rows = [
        dict(
            year=years[k],
            home_region=region_ids[e],
            work_region=region_ids[r],
            workers=float(flow[r, e, k]),
            km=float(inst.distance_km[r, e]),
        )
        for r, e, k in zip(*np.nonzero(flow > 1e-6), strict=True)
    ]
    flows = pd.DataFrame(flow_rows, columns=["year", "home_region", "work_region", "workers", "km"])
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
    own = [inst.jobs_by_year({i: start_of[i]}).sum() for i in chosen_at]
    own_open = [inst.open_jobs_by_year({i: start_of[i]}) for i in chosen_at]
    chosen["job_years"] = own
    chosen["open_job_years"] = [float(o.sum()) for o in own_open]
    # Each project's share of the worker-years taken in its city, year by year, by its open
    # jobs there (an attribution for the shortlist; the city totals are exact).
    with np.errstate(divide="ignore", invalid="ignore"):
        fill = np.where(open_jobs > 0, taken_here / open_jobs, 0.0)  # work region × year
    chosen["worker_years"] = [
        float((o * fill)[int(f.at[i, "region_at"])].sum())
        for i, o in zip(chosen_at, own_open, strict=True)
    ]
    chosen = chosen.sort_values(["start_year", "project_id"]).reset_index(drop=True)

    new_ppp = chosen.groupby("region")["ppp_annual_payment"].sum().to_dict()
    standing = ppp_standing(inst, new_ppp)

    reasons = _reasons(inst, start_of, chosen, standing)
    not_at = [i for i, *_ in reasons]
    not_chosen = projects.loc[
        not_at, ["project_id", "name", "sector", "region", "capex", "duration_years", "jobs_per_yi"]
    ].copy()
    not_chosen["build_jobs"] = f.loc[not_at, "build_jobs"].to_numpy()
    not_chosen["reason_code"] = [code for _, code, _, _ in reasons]
    not_chosen["reason"] = [words for _, _, words, _ in reasons]
    not_chosen["reason_zh"] = [words for _, _, _, words in reasons]
    not_chosen = not_chosen.reset_index(drop=True)

    need = stock.sum(axis=1)  # worker-years of need: the stock summed over the years
    worker_years_home = reemployed_home.sum(axis=1)
    reemployment = pd.DataFrame(
        dict(
            region=region_ids,
            name_zh=regions["name_zh"].to_numpy(),
            displaced=inst.displaced_new.sum(axis=1),
            displaced_worker_years=need,
            worker_years=worker_years_home,
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
                displaced_stock=float(stock[r, k]),
                reemployed=float(reemployed_home[r, k]),
                taken_here=float(taken_here[r, k]),
            )
            for r in range(len(region_ids))
            for k in range(len(years))
        ],
        columns=[
            "region",
            "year",
            "jobs",
            "open_jobs",
            "displaced_stock",
            "reemployed",
            "taken_here",
        ],
    )

    year_rows = []
    payments = np.zeros(len(years))
    for i in chosen_at:
        for k in inst.operating_years(i, start_of[i]):
            payments[k] += float(f.at[i, "ppp_payment"])
    for k, year in enumerate(years):
        running = chosen[(chosen["start_year"] <= year) & (chosen["finish_year"] >= year)]
        d = running["duration_years"].astype(float)
        stock_k = float(stock[:, k].sum())
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
                projects_running=len(running),
                projects_starting=int((chosen["start_year"] == year).sum()),
                jobs=float(jobs[:, k].sum()),
                open_jobs=float(open_jobs[:, k].sum()),
                displaced_stock=stock_k,
                reemployed=reemployed_k,
                reemployed_share=reemployed_k / stock_k if stock_k else 0.0,
            )
        )
    by_year = pd.DataFrame(year_rows)

    total_capex = float(chosen["capex"].sum())
    sector_capex = chosen.groupby("sector")["capex"].sum().to_dict()
    by_sector = pd.DataFrame(
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
    # The portfolio's objective with the best matching of its jobs: at least the solver's
    # own incumbent value (to the matching's 1e-9 tolerance), so the proven gap still holds.
    objective = float(
        (reemployed_home.sum(axis=0) * w).sum() + weight * (jobs.sum(axis=0) * w).sum()
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
    )
