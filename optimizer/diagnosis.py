"""Why no portfolio exists, in a planner's words.

Obvious conflicts (a mandatory project that cannot start in the horizon, a sector with a
minimum share and no candidates) are named before any solve. Otherwise an elastic re-solve
lets every movable limit give way at a price proportional to its relative move, and the
smallest set of moves is reported: which limit, what is set, what would be needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .instance import Instance
from .loader import PlanningData
from .model import build_model
from .solver import run_solver


@dataclass(frozen=True)
class Conflict:
    """One limit that has to move for a portfolio to exist."""

    family: str
    key: str
    set_value: float | None
    needed_value: float | None
    unit: str
    message: str

    def __str__(self) -> str:
        return self.message


class InfeasibleError(ValueError):
    """No portfolio meets every limit; `conflicts` says which limits to move and by how much."""

    status = "infeasible"

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        lines = "\n".join(f"- {c.message}" for c in conflicts) or "- (the solver gave no detail)"
        super().__init__("no portfolio meets every limit. To make one exist:\n" + lines)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                (c.family, c.key, c.set_value, c.needed_value, c.unit, c.message)
                for c in self.conflicts
            ],
            columns=["limit", "about", "set", "needed", "unit", "message"],
        )


def _label(data: PlanningData, position: int) -> str:
    row = data.projects.iloc[position]
    return f"{row['project_id']} ({row['name']})"


def _forced(project_id: str, message: str) -> Conflict:
    return Conflict("forced_in", project_id, None, None, "project", message)


def check_obvious_conflicts(inst: Instance) -> None:
    """Raise InfeasibleError for conflicts that need no solver to see."""
    data, f = inst.data, inst.projects
    years = data.planning_years
    conflicts: list[Conflict] = []
    if not years:
        conflicts.append(
            Conflict("years", "", None, None, "", "the workbook has no planning years")
        )
    position = {pid: i for i, pid in enumerate(f["project_id"])}
    available = [bool(f.at[i, "starts"]) and not f.at[i, "forced_out"] for i in range(len(f))]
    horizon = f"{years[0]}–{years[-1]}" if years else "the horizon"
    groups: dict[str, list[int]] = {}
    for i in range(len(f)):
        if not f.at[i, "forced_in"]:
            continue
        row = data.projects.iloc[i]
        if f.at[i, "user_pay_blocked"]:
            conflicts.append(
                _forced(
                    row["project_id"],
                    f"mandatory PPP project {_label(data, i)} can start only from "
                    f"{inst.setting('ppp_user_pay_only_from'):.0f}, when a new PPP must be "
                    "user-pay with no annual payment (国办函〔2023〕115号): allow an earlier "
                    "start, make it user-pay, or make it optional",
                )
            )
        elif not f.at[i, "starts"]:
            conflicts.append(
                _forced(
                    row["project_id"],
                    f"mandatory project {_label(data, i)} cannot start and finish within "
                    f"{horizon} ({row['duration_years']} years, earliest start "
                    f"{row['earliest_start']}, latest start {row['latest_start']}): "
                    "change its dates or make it optional",
                )
            )
        need = row["requires"]
        if need and not available[position[need]]:
            conflicts.append(
                _forced(
                    row["project_id"],
                    f"mandatory project {_label(data, i)} requires {_label(data, position[need])}, "
                    "which cannot be chosen (excluded, or it cannot start in the horizon)",
                )
            )
        if row["exclusive_group"]:
            groups.setdefault(row["exclusive_group"], []).append(i)
    for group, members in groups.items():
        if len(members) > 1:
            conflicts.append(
                Conflict(
                    "forced_in",
                    group,
                    None,
                    None,
                    "project",
                    f"{' and '.join(_label(data, i) for i in members)} are all mandatory but are "
                    f"variants of one scheme (exclusive group {group}): keep one",
                )
            )
    sectors = data.projects["sector"].to_numpy()
    for sector, (low, _) in inst.sector_shares.items():
        if low > 0 and not any(a and s == sector for a, s in zip(available, sectors, strict=True)):
            conflicts.append(
                Conflict(
                    "sector_min",
                    sector,
                    low,
                    0.0,
                    "share",
                    f"the {sector} sector must have at least {low:.0%} of the capex but no "
                    f"{sector} project can be chosen: set its minimum share to 0",
                )
            )
    if inst.setting("ppp_min_share") > 0 and not any(
        a and f.at[i, "private_money"] > 0 for i, a in enumerate(available)
    ):
        conflicts.append(
            Conflict(
                "ppp_share_min",
                "portfolio",
                inst.setting("ppp_min_share"),
                0.0,
                "share",
                "a least share of social capital is set but no project that can be chosen has any: "
                "set ppp_min_share to 0",
            )
        )
    floor = inst.setting("min_coverage_share")
    if floor > 0:
        work_regions = {
            f.at[i, "region_at"]
            for i, a in enumerate(available)
            if a
            and f.at[i, "skill_match"] * (f.at[i, "build_jobs"] + f.at[i, "operating_jobs"]) > 0
        }
        for e, region in enumerate(data.regions.itertuples(index=False)):
            if region.displaced_workers > 0 and not any(
                h == e and w in work_regions for w, h in inst.reach
            ):
                conflicts.append(
                    Conflict(
                        "coverage_floor",
                        region.region,
                        floor,
                        0.0,
                        "share",
                        f"{region.region}: {floor:.0%} of its displaced workers must be "
                        "re-employed but no project that can be chosen lies within "
                        "commuting reach: lower min_coverage_share or raise commute_km",
                    )
                )
    if conflicts:
        raise InfeasibleError(conflicts)


def explain_infeasibility(
    inst: Instance, time_limit_s: float = 30.0, stop: Callable[[], bool] | None = None
) -> list[Conflict]:
    """The smallest relative moves of the limits that let a portfolio exist. stop: asked
    while HiGHS works (True interrupts the diagnosis)."""
    model = build_model(inst, elastic=True)
    run = run_solver(model, time_limit_s=time_limit_s, mip_gap=1e-6, solver="highs", stop=stop)
    if run.status not in ("optimal", "time_limit", "work_limit"):
        return [
            Conflict(
                "unknown",
                "",
                None,
                None,
                "",
                f"the limits conflict, but the diagnosis failed ({run.detail})",
            )
        ]
    f = model.figures
    start_of = model.start_of()
    total_capex = sum(f.at[i, "capex"] for i in start_of)
    conflicts = []
    for lim in model.limits:
        if lim.violation is None:
            continue
        move = float(lim.violation.value() or 0.0)
        if move <= 1e-6 * max(1.0, lim.reference):
            continue
        conflicts.append(_describe(model, lim, move, start_of, total_capex))
    return conflicts


def _forced_spend(model, year: int, column: str, start_of: dict[int, int]) -> float:
    """What the mandatory projects need in a year: their spend while built and, for the
    fiscal budget, their PPP payments once in service."""
    inst = model.instance
    f = inst.projects
    k = inst.years.index(year)
    total = 0.0
    for i, t in start_of.items():
        if not f.at[i, "forced_in"]:
            continue
        if k in inst.build_years(i, t):
            total += f.at[i, column] / f.at[i, "duration"]
        elif column == "budget_money" and k in inst.operating_years(i, t):
            total += f.at[i, "ppp_payment"]
    return total


def _describe(model, lim, move: float, start_of: dict[int, int], total_capex: float) -> Conflict:
    inst = model.instance
    data = inst.data
    family, key = lim.family, lim.key
    if family in ("fiscal_budget", "bond_quota"):
        what = "fiscal budget" if family == "fiscal_budget" else "bond quota"
        column = "budget_money" if family == "fiscal_budget" else "bond_money"
        needed = lim.limit + move
        forced = _forced_spend(model, int(key), column, start_of)
        if forced > lim.limit + 1e-6:
            text = (
                f"mandatory projects need {forced:,.1f} 亿元 of {what} in {key}; "
                f"{lim.limit:,.1f} 亿元 is set"
            )
        else:
            text = (
                f"the portfolio needs {needed:,.1f} 亿元 of {what} in {key} to meet the other "
                f"limits; {lim.limit:,.1f} 亿元 is set (raise it by {move:,.1f} 亿元)"
            )
        return Conflict(family, key, lim.limit, needed, "亿元", text)
    if family == "debt_headroom":
        needed = lim.limit + move
        return Conflict(
            family,
            key,
            lim.limit,
            needed,
            "亿元",
            f"{key} needs {needed:,.1f} 亿元 of debt headroom; {lim.limit:,.1f} 亿元 "
            f"is available (raise it by {move:,.1f} 亿元)",
        )
    if family in ("ppp_line", "government_pay_line"):
        needed = lim.limit + move
        share, what, advice = (
            ("ppp_cap_share", "new PPP payments", "raise the line or drop PPP projects there")
            if family == "ppp_line"
            else (
                "ppp_government_pay_share",
                "new government-pay PPP payments",
                "drop government-pay projects there or change their mechanism",
            )
        )
        return Conflict(
            family,
            key,
            lim.limit,
            needed,
            "亿元/year",
            f"{key}'s {what} need {needed:,.2f} 亿元/year; the "
            f"{inst.setting(share):.0%} line leaves {lim.limit:,.2f} 亿元/year ({advice})",
        )
    if family in ("sector_min", "sector_max"):
        low, high = inst.sector_shares[key]
        share = low if family == "sector_min" else high
        in_sector = sum(
            model.figures.at[i, "capex"] for i in start_of if data.projects.at[i, "sector"] == key
        )
        reach = in_sector / total_capex if total_capex else 0.0
        word = "at least" if family == "sector_min" else "at most"
        verb = "lower" if family == "sector_min" else "raise"
        return Conflict(
            family,
            key,
            share,
            reach,
            "share",
            f"the {key} sector must have {word} {share:.0%} of the capex, but the "
            f"portfolio that fits the other limits has {reach:.1%} ({move:,.1f} 亿元 "
            f"off): {verb} that share",
        )
    if family in ("ppp_share_min", "ppp_share_max"):
        name = "ppp_min_share" if family == "ppp_share_min" else "ppp_max_share"
        return Conflict(
            family,
            key,
            inst.setting(name),
            None,
            "share",
            f"the social-capital share limit {name} = "
            f"{inst.setting(name):.0%} cannot be met ({move:,.1f} 亿元 off)",
        )
    if family == "coverage_floor":
        needed = lim.limit - move
        return Conflict(
            family,
            key,
            lim.limit,
            needed,
            "worker-years",
            f"{key}: {lim.limit:,.0f} worker-years of its displaced workers must be re-employed "
            f"(min_coverage_share {inst.setting('min_coverage_share'):.0%}) but "
            f"at most {needed:,.0f} can be within the other limits",
        )
    if family == "forced_in":
        position = lim.position
        return Conflict(
            family,
            key,
            1.0,
            0.0,
            "project",
            f"mandatory project {_label(data, position)} cannot be included "
            "within the other limits: drop it or move the limits it strains",
        )
    if family == "forced_out":
        position = lim.position
        return Conflict(
            family,
            key,
            0.0,
            1.0,
            "project",
            f"excluded project {_label(data, position)} would have to be included "
            "(a mandatory project requires it)",
        )
    return Conflict(
        family,
        key,
        lim.limit,
        lim.limit + move,
        lim.unit,
        f"{family} {key}: move by {move:,.2f} {lim.unit}",
    )
