"""Why no portfolio exists: which limits to move, and by how much (codes and numbers; the
words are optimizer.present's).

Obvious conflicts (a mandatory project that cannot start in the horizon, a sector with a
minimum share and no candidates) are named before any solve. Otherwise an elastic re-solve
lets every movable limit give way at a price proportional to its relative move, and the
smallest set of moves is reported: which limit, what is set, what would be needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .instance import Instance
from .limits import FAMILIES
from .loader import PlanningData
from .model import build_model
from .solver import Status, run_solver


@dataclass(frozen=True)
class Conflict:
    """One limit that has to move for a portfolio to exist: the limit (family, key), what is
    set and what would be needed (in `unit`), what the diagnosis found (`cause`, a code) and
    the figures a sentence about it needs (`facts`: name → value pairs)."""

    family: str
    key: str
    set_value: float | None
    needed_value: float | None
    unit: str
    cause: str = ""
    facts: tuple[tuple[str, Any], ...] = ()

    def fact(self, name: str, default: Any = None) -> Any:
        return dict(self.facts).get(name, default)

    def __str__(self) -> str:
        """Codes and numbers (optimizer.present.labels words them)."""

        def amount(value: float | None) -> str:
            return "?" if value is None or value != value else f"{value:g} {self.unit}".strip()

        about = f"{self.family} {self.key} ({self.cause or 'move'})"
        return f"{about}: set {amount(self.set_value)}, needed {amount(self.needed_value)}"


class InfeasibleError(ValueError):
    """No portfolio meets every limit; `conflicts` says which limits to move and by how much
    (optimizer.present.views.conflict_lines puts them in words)."""

    status = Status.INFEASIBLE

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        lines = "\n".join(f"- {c}" for c in conflicts) or "- (the solver gave no detail)"
        super().__init__("no portfolio meets every limit. To make one exist:\n" + lines)

    def to_frame(self) -> pd.DataFrame:
        return conflicts_frame(self.conflicts)


FRAME_COLUMNS = ["limit", "about", "set", "needed", "unit", "cause", "facts"]


def conflicts_frame(conflicts: list[Conflict]) -> pd.DataFrame:
    """The conflicts as a table (one row each; `conflicts_of` reads it back)."""
    return pd.DataFrame(
        [
            (c.family, c.key, c.set_value, c.needed_value, c.unit, c.cause, c.facts)
            for c in conflicts
        ],
        columns=FRAME_COLUMNS,
    )


def conflicts_of(frame: pd.DataFrame) -> list[Conflict]:
    """The conflicts of a table made by `conflicts_frame`."""
    return [Conflict(*row) for row in frame[FRAME_COLUMNS].itertuples(index=False)]


def _project(data: PlanningData, position: int) -> tuple[str, str]:
    row = data.projects.iloc[position]
    return str(row["project_id"]), str(row["name"])


def check_obvious_conflicts(inst: Instance) -> None:
    """Raise InfeasibleError for conflicts that need no solver to see."""
    data, f = inst.data, inst.projects
    years = data.planning_years
    conflicts: list[Conflict] = []
    if not years:
        conflicts.append(Conflict("years", "", None, None, "", "no_years"))
    position = {pid: i for i, pid in enumerate(f["project_id"])}
    # Whole columns as lists: pandas' scalar access costs microseconds a call, seconds over
    # 50,000 projects.
    starts, forced_in, forced_out = (f[c].tolist() for c in ("starts", "forced_in", "forced_out"))
    available = [bool(s) and not out for s, out in zip(starts, forced_out, strict=True)]
    horizon = f"{years[0]}–{years[-1]}" if years else ""
    groups: dict[str, list[int]] = {}
    for i in range(len(f)):
        if not forced_in[i]:
            continue
        row = data.projects.iloc[i]
        pid = str(row["project_id"])
        if f.at[i, "user_pay_blocked"]:
            # Rule 7 left it no start year before ppp_user_pay_only_from.
            facts = (
                ("project", _project(data, i)),
                ("year", int(inst.setting("ppp_user_pay_only_from"))),
            )
            conflicts.append(
                Conflict("forced_in", pid, None, None, "project", "user_pay_only", facts)
            )
        elif not f.at[i, "starts"]:
            facts = (
                ("project", _project(data, i)),
                ("horizon", horizon),
                ("duration", row["duration_years"]),
                ("earliest", row["earliest_start"]),
                ("latest", row["latest_start"]),
            )
            conflicts.append(
                Conflict("forced_in", pid, None, None, "project", "cannot_start", facts)
            )
        need = row["requires"]
        if need and not available[position[need]]:
            facts = (("project", _project(data, i)), ("required", _project(data, position[need])))
            conflicts.append(
                Conflict("forced_in", pid, None, None, "project", "requires_unavailable", facts)
            )
        if row["exclusive_group"]:
            groups.setdefault(row["exclusive_group"], []).append(i)
    for group, members in groups.items():
        if len(members) > 1:
            facts = (("projects", tuple(_project(data, i) for i in members)),)
            conflicts.append(Conflict("forced_in", group, None, None, "project", "variants", facts))
    sectors = data.projects["sector"].to_numpy()
    for sector, (low, _) in inst.sector_shares.items():
        if low > 0 and not any(a and s == sector for a, s in zip(available, sectors, strict=True)):
            conflicts.append(Conflict("sector_min", sector, low, 0.0, "share", "no_candidates"))
    private = f["private_money"].tolist()
    if inst.setting("ppp_min_share") > 0 and not any(
        a and private[i] > 0 for i, a in enumerate(available)
    ):
        conflicts.append(
            Conflict(
                "ppp_share_min",
                "portfolio",
                inst.setting("ppp_min_share"),
                0.0,
                "share",
                "no_candidates",
            )
        )
    floor = inst.setting("min_coverage_share")
    if floor > 0:
        jobs = (f["skill_match"] * (f["build_jobs"] + f["operating_jobs"])).tolist()
        places = f["region_at"].tolist()
        work_regions = {w for w, a, j in zip(places, available, jobs, strict=True) if a and j > 0}
        for e, region in enumerate(data.regions.itertuples(index=False)):
            if region.displaced_workers > 0 and not any(
                h == e and w in work_regions for w, h in inst.reach
            ):
                conflicts.append(
                    Conflict("coverage_floor", region.region, floor, 0.0, "share", "no_reach")
                )
    if conflicts:
        raise InfeasibleError(conflicts)


# HiGHS options for the elastic re-solve. A feasible point comes at once (no project, every
# limit moved), so its time goes into the bound; HiGHS's restart after the root (when a few
# per cent of the columns are fixed) threw the root's cuts away and rebuilt them. Without it
# the sample's infeasible scenarios are diagnosed about twice as fast (1.8–2.4×), with the same
# conflicts (benchmarks/bench_near.py, benchmarks/RESULTS.md).
DIAGNOSIS_OPTIONS: dict[str, Any] = {"mip_allow_restart": False}


def explain_infeasibility(
    inst: Instance, time_limit_s: float = 30.0, stop: Callable[[], bool] | None = None
) -> list[Conflict]:
    """The smallest relative moves of the limits that let a portfolio exist. stop: asked
    while HiGHS works (True interrupts the diagnosis)."""
    model = build_model(inst, elastic=True)
    run = run_solver(
        model,
        time_limit_s=time_limit_s,
        mip_gap=1e-6,
        solver="highs",
        stop=stop,
        options=DIAGNOSIS_OPTIONS,
    )
    if not run.status.has_portfolio:
        facts = (("detail", run.detail),)
        return [Conflict("unknown", "", None, None, "", "diagnosis_failed", facts)]
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
    fiscal budget, their PPP payments once in service (Instance.money_by_year)."""
    inst = model.instance
    forced = inst.column("forced_in")
    budget, bonds = inst.money_by_year({i: t for i, t in start_of.items() if forced[i]})
    used = bonds if column == "bond_money" else budget
    return float(used[inst.years.index(year)])


def _describe(model, lim, move: float, start_of: dict[int, int], total_capex: float) -> Conflict:
    inst = model.instance
    family, key = lim.family, lim.key
    moved = (("move", move),)
    if family in ("fiscal_budget", "bond_quota"):
        column = "budget_money" if family == "fiscal_budget" else "bond_money"
        forced = _forced_spend(model, int(key), column, start_of)
        cause = "mandatory" if forced > lim.limit + 1e-6 else "portfolio"
        facts = (*moved, ("forced", forced))
        return Conflict(family, key, lim.limit, lim.limit + move, "亿元", cause, facts)
    if family == "debt_headroom":
        return Conflict(family, key, lim.limit, lim.limit + move, "亿元", "portfolio", moved)
    if family in ("ppp_line", "government_pay_line"):
        share = FAMILIES[family].setting  # the line's setting: ppp_cap_share, ...
        facts = (*moved, ("line", inst.setting(str(share))))
        return Conflict(family, key, lim.limit, lim.limit + move, "亿元/year", "portfolio", facts)
    if family in ("sector_min", "sector_max"):
        low, high = inst.sector_shares[key]
        share = low if family == "sector_min" else high
        in_sector = sum(
            model.figures.at[i, "capex"]
            for i in start_of
            if inst.data.projects.at[i, "sector"] == key
        )
        reach = in_sector / total_capex if total_capex else 0.0
        return Conflict(family, key, share, reach, "share", "portfolio", moved)
    if family in ("ppp_share_min", "ppp_share_max"):
        name = "ppp_min_share" if family == "ppp_share_min" else "ppp_max_share"
        facts = (*moved, ("setting", name))
        return Conflict(family, key, inst.setting(name), None, "share", "portfolio", facts)
    if family == "coverage_floor":
        facts = (*moved, ("share", inst.setting("min_coverage_share")))
        return Conflict(
            family, key, lim.limit, lim.limit - move, "worker-years", "portfolio", facts
        )
    if family == "forced_in":
        facts = (("project", _project(inst.data, lim.position)),)
        return Conflict(family, key, 1.0, 0.0, "project", "portfolio", facts)
    if family == "forced_out":
        facts = (("project", _project(inst.data, lim.position)),)
        return Conflict(family, key, 0.0, 1.0, "project", "portfolio", facts)
    return Conflict(family, key, lim.limit, lim.limit + move, lim.unit, "move", moved)
