"""What a solve reports: the portfolio and every figure a planner needs, as DataFrames."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import pulp

from .scenario import Scenario

if TYPE_CHECKING:
    from .model import SelectionModel
    from .solve import SolverRun

# A limit binds when 99 % or more of it is used: with whole projects a budget is rarely met
# to the yuan, and a planner reads "used up" as binding.
BINDING_SHARE = 0.01
ZERO_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Solution:
    """A solved portfolio. Money in 亿元, jobs and workers in persons.

    status is `optimal` (proven within `gap`) or `time_limit` (a feasible portfolio with the
    proven `gap` at stop; None when the solver cannot tell).
    """

    status: str
    objective: float
    reemployed: float
    total_jobs: float
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
    reemployment: pd.DataFrame
    flows: pd.DataFrame
    by_year: pd.DataFrame
    by_sector: pd.DataFrame
    by_region: pd.DataFrame
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

    def headline(self) -> dict[str, float]:
        """The figures a planner reads first."""
        c = self.chosen
        displaced = float(self.reemployment["displaced"].sum())
        capex = float(c["capex"].sum())
        return {
            "reemployed": self.reemployed,
            "displaced": displaced,
            "reemployed_share": self.reemployed / displaced if displaced else 0.0,
            "total_jobs": self.total_jobs,
            "projects": float(len(c)),
            "capex": capex,
            "jobs_per_yi": self.total_jobs / capex if capex else 0.0,
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
            "status": self.status,
            "objective": round(self.objective, 6),
            "reemployed": round(self.reemployed, 6),
            "total_jobs": round(self.total_jobs, 6),
            "gap": self.gap,
            "solver": self.solver,
            "chosen": [
                {"project_id": str(p), "start_year": int(t)}
                for p, t in zip(chosen["project_id"], chosen["start_year"], strict=True)
            ],
        }


def _value(expression: pulp.LpAffineExpression) -> float:
    value = expression.value()
    return float(value) if value is not None else 0.0


def _limit_rows(
    model: SelectionModel, total_capex: float, sector_capex: dict[str, float], private_capex: float
) -> pd.DataFrame:
    sc = model.scenario
    shares = sc.sector_shares(model.data)
    rows = []
    for lim in model.limits:
        use, limit = _value(lim.expression), lim.limit
        # Share limits are stored as a surplus over the line; report them as money.
        if lim.family in ("sector_min", "sector_max"):
            share = shares[lim.key][0 if lim.family == "sector_min" else 1]
            use, limit = sector_capex.get(lim.key, 0.0), share * total_capex
        elif lim.family in ("ppp_share_min", "ppp_share_max"):
            name = "ppp_min_share" if lim.family == "ppp_share_min" else "ppp_max_share"
            use, limit = private_capex, sc.setting(model.data, name) * total_capex
        elif lim.family == "open_jobs":
            # use: jobs taken by displaced workers; limit: jobs they can take there
            taken = sum(
                g.value() or 0.0
                for (w, _), g in model.flows.items()
                if model.data.regions["region"].iat[w] == lim.key
            )
            use, limit = taken, taken - use
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


def make_solution(model: SelectionModel, run: SolverRun, build_seconds: float) -> Solution:
    data, f, sc = model.data, model.figures, model.scenario
    projects = data.projects
    regions = data.regions
    region_ids = regions["region"].tolist()
    years = data.planning_years

    start_of: dict[int, int] = {}
    for i, options in enumerate(model.starts):
        for t, x in options:
            if (x.value() or 0.0) > 0.5:
                start_of[i] = t
    chosen_at = sorted(start_of)

    # Flows: home region e's workers taking jobs in work region r.
    flow_rows = [
        dict(home_region=region_ids[e], work_region=region_ids[r], workers=float(g.value() or 0.0))
        for (r, e), g in model.flows.items()
    ]
    flows = pd.DataFrame(flow_rows, columns=["home_region", "work_region", "workers"])
    flows = flows[flows["workers"] > 1e-6].reset_index(drop=True)
    taken_in = flows.groupby("work_region")["workers"].sum()
    reemployed_of = flows.groupby("home_region")["workers"].sum()

    # Each chosen project's share of the re-employment in its region, by its open jobs.
    open_chosen = f.loc[chosen_at].groupby("region_at")["open_jobs"].sum()
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
            "skill_match",
            "ppp_annual_payment",
            "mandatory",
            "lat",
            "lon",
            "source",
        ],
    ].copy()
    chosen["start_year"] = [start_of[i] for i in chosen_at]
    chosen["finish_year"] = chosen["start_year"] + chosen["duration_years"].astype(int) - 1
    for column in ("budget_money", "bond_money", "private_money", "jobs", "open_jobs"):
        chosen[column] = f.loc[chosen_at, column].to_numpy()
    share_of_region = [
        f.at[i, "open_jobs"] / open_chosen[f.at[i, "region_at"]]
        if open_chosen.get(f.at[i, "region_at"], 0) > 0
        else 0.0
        for i in chosen_at
    ]
    chosen["reemployed"] = [
        taken_in.get(region_ids[f.at[i, "region_at"]], 0.0) * s
        for i, s in zip(chosen_at, share_of_region, strict=True)
    ]
    chosen = chosen.sort_values(["start_year", "project_id"]).reset_index(drop=True)

    not_at = [i for i in range(len(f)) if i not in start_of]
    not_chosen = projects.loc[
        not_at, ["project_id", "name", "sector", "region", "capex", "jobs_per_yi"]
    ].copy()
    not_chosen["jobs"] = f.loc[not_at, "jobs"].to_numpy()
    excluded, forced_out = set(projects.index[projects["excluded"]]), set(sc.forced_out)

    def reason(i: int) -> str:
        if i in excluded:
            return "excluded in the workbook"
        if projects.at[i, "project_id"] in forced_out:
            return "forced out by the scenario"
        if not f.at[i, "starts"]:
            return "cannot start and finish inside the planning years"
        return "left out by the optimiser"

    not_chosen["reason"] = [reason(i) for i in not_at]
    not_chosen = not_chosen.reset_index(drop=True)

    displaced = regions["displaced_workers"].astype(float)
    open_here = f.loc[chosen_at].groupby("region_at")["open_jobs"].sum()
    reemployment = pd.DataFrame(
        dict(
            region=region_ids,
            name_zh=regions["name_zh"],
            displaced=displaced,
            reemployed=[float(reemployed_of.get(r, 0.0)) for r in region_ids],
            open_jobs_here=[float(open_here.get(k, 0.0)) for k in range(len(region_ids))],
            taken_here=[float(taken_in.get(r, 0.0)) for r in region_ids],
        )
    )
    reemployment["coverage"] = (reemployment["reemployed"] / displaced.where(displaced > 0)).fillna(
        0.0
    )

    budget = sc.fiscal_budget_by_year(data)
    quota = sc.bond_quota_by_year(data)
    year_rows = []
    for year in years:
        running = chosen[(chosen["start_year"] <= year) & (chosen["finish_year"] >= year)]
        d = running["duration_years"].astype(float)
        year_rows.append(
            dict(
                year=year,
                capex_spend=float((running["capex"] / d).sum()),
                budget_spend=float((running["budget_money"] / d).sum()),
                bond_spend=float((running["bond_money"] / d).sum()),
                private_spend=float((running["private_money"] / d).sum()),
                fiscal_budget=budget[year],
                bond_quota=quota[year],
                projects_running=len(running),
                projects_starting=int((chosen["start_year"] == year).sum()),
            )
        )
    by_year = pd.DataFrame(year_rows)

    total_capex = float(chosen["capex"].sum())
    shares = sc.sector_shares(data)
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
                jobs=float(chosen.loc[chosen["sector"] == s, "jobs"].sum()),
            )
            for s, (lo, hi) in shares.items()
        ]
    )

    cap_share = sc.setting(data, "ppp_cap_share")
    headroom_of = sc.debt_headroom_by_region(data)
    region_rows = []
    for _r, region in enumerate(regions.itertuples(index=False)):
        mine = chosen[chosen["region"] == region.region]
        new_ppp = float(mine["ppp_annual_payment"].sum())
        expenditure = float(region.general_budget_expenditure)
        region_rows.append(
            dict(
                region=region.region,
                projects=len(mine),
                capex=float(mine["capex"].sum()),
                budget_money=float(mine["budget_money"].sum()),
                bond_money=float(mine["bond_money"].sum()),
                private_money=float(mine["private_money"].sum()),
                jobs=float(mine["jobs"].sum()),
                debt_used=float(mine["bond_money"].sum()),
                debt_headroom=headroom_of[region.region],
                ppp_existing=float(region.existing_ppp_payments),
                ppp_new=new_ppp,
                general_budget_expenditure=expenditure,
                ppp_ratio=(float(region.existing_ppp_payments) + new_ppp) / expenditure,
                ppp_line=cap_share,
            )
        )
    by_region = pd.DataFrame(region_rows)

    private_capex = float(chosen["private_money"].sum())
    limits = _limit_rows(model, total_capex, sector_capex, private_capex)
    reemployed = float(flows["workers"].sum())
    total_jobs = float(chosen["jobs"].sum())
    weight = sc.setting(data, "other_jobs_weight")
    objective = run.objective if run.objective is not None else reemployed + weight * total_jobs
    return Solution(
        status=run.status,
        objective=float(objective),
        reemployed=reemployed,
        total_jobs=total_jobs,
        gap=run.gap,
        solver=run.solver,
        solver_version=run.solver_version,
        build_seconds=build_seconds,
        solve_seconds=run.seconds,
        scenario=sc,
        fingerprint=data.fingerprint,
        solved_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        chosen=chosen,
        not_chosen=not_chosen,
        reemployment=reemployment,
        flows=flows,
        by_year=by_year,
        by_sector=by_sector,
        by_region=by_region,
        limits=limits,
        extra={"bound": run.bound, "detail": run.detail},
    )
