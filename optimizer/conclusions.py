"""What each trade-off analysis concludes, as numbers a sentence can quote.

Each function reads one analysis's table (optimizer.tradeoffs) and returns a small record of
numbers, rounded to what the solves' precision supports (precision.rounded); the words are
optimizer.present's (labels.py), so the app, the command line and a notebook say the same
thing in either language:

- `saturation`: on a frontier, the setting beyond which more of the lever stops paying;
- `jobs_trade`: on a frontier, the step where more of the lever shows fewer worker-years
  because the objective also counts other jobs (other_jobs_weight > 0);
- `grid_reading`: on a heat map, the current cell, what each lever alone adds, the best cell;
- `robustness_reading`: how many projects the draws keep, and the median draw against the
  plain solve's headline (each draw is a different world);
- `entry_thresholds`: for each project left out, the jobs per 亿元 it would need to enter
  against the jobs per 亿元 it has.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .precision import Difference, rounded, slack
from .solver import Status
from .tradeoffs import LEVERS, Robustness

# More of a lever "stops paying" where each further unit adds less than this share of what
# each unit bought up to the current setting.
PAYING_SHARE = 0.10


def significant(value: float, digits: int = 2) -> float:
    """value to `digits` significant digits (a threshold a planner can quote: 9.5, not
    9.4731)."""
    if not math.isfinite(value) or value == 0:
        return value
    return float(round(value, digits - 1 - math.floor(math.log10(abs(value)))))


def table_tolerance(tolerances: pd.Series | list[float]) -> float:
    """One precision for a table of solves (its median finite tolerance), so that its rows
    are rounded alike and two equal plans never read apart."""
    values = pd.Series(tolerances, dtype=float)
    values = values[np.isfinite(values)]
    return float(values.median()) if len(values) else 0.0


@dataclass(frozen=True)
class Saturation:
    """Where more of a lever stops paying on a frontier.

    setting/amount: the last point after which every step adds fewer than `threshold`
    worker-years per unit (None: every step of the range still pays). average: worker-years
    each unit bought from the first solved point up to the current setting. past: the current
    setting is already beyond that point."""

    lever: str
    unit: str
    is_scale: bool
    setting: float | None
    amount: float | None
    current_setting: float
    current_amount: float
    threshold: float
    average: float
    top_setting: float
    past: bool
    low_setting: float  # the first solved point, where `average` is counted from

    @property
    def flat(self) -> bool:
        """No step of the range buys anything beyond the solves' precision."""
        return self.threshold <= 0

    @property
    def change(self) -> float | None:
        """The point's amount against the current one (unit of the lever)."""
        return None if self.amount is None else self.amount - self.current_amount


def saturation(table: pd.DataFrame, share: float = PAYING_SHARE) -> Saturation | None:
    """The frontier's turning point (see Saturation); None when fewer than two points have a
    portfolio or the table has no current setting. A step whose change is within the two
    solves' precision adds nothing that can be told apart from zero."""
    solved = table[[Status(s).has_portfolio for s in table["status"]]].sort_values("amount")
    solved = solved.reset_index(drop=True)
    if len(solved) < 2 or not solved["current"].any():
        return None
    spec = LEVERS[str(solved["lever"].iloc[0])]
    here = solved.index[solved["current"]][0]
    first = solved.iloc[0]
    now = solved.iloc[here]
    # What each unit bought up to the current setting (from the current one to the next
    # when it is the lowest point); nothing, when the change is within the two solves'
    # precision.
    low, high = (first, now) if here > 0 else (now, solved.iloc[1])
    gain = float(high["worker_years"] - low["worker_years"])
    tolerance = float(low.get("tolerance", 0.0) + high.get("tolerance", 0.0))
    span = float(high["amount"] - low["amount"])
    average = gain / span if span > 0 and abs(gain) > tolerance else 0.0
    threshold = significant(max(share * average, 0.0))
    marginal = solved["marginal_worker_years"].astype(float)
    # Within precision (NaN), or less than the threshold: the step does not pay.
    pays = (marginal >= threshold) & (marginal > 0)
    pays.iloc[0] = False  # the first point has no step before it
    paying = [k for k in range(1, len(solved)) if pays.iloc[k]]
    point = None
    if not paying:
        point = 0
    elif paying[-1] < len(solved) - 1:
        point = paying[-1]
    top = float(solved["setting"].iloc[-1])
    if point is None:
        return Saturation(
            spec.name, spec.unit, spec.is_scale, None, None, float(now["setting"]),
            float(now["amount"]), threshold, average, top, False, float(first["setting"]),
        )  # fmt: skip
    row = solved.iloc[point]
    return Saturation(
        spec.name, spec.unit, spec.is_scale, float(row["setting"]), float(row["amount"]),
        float(now["setting"]), float(now["amount"]), threshold, average, top, point < here,
        float(first["setting"]),
    )  # fmt: skip


@dataclass(frozen=True)
class JobsTrade:
    """A step of a frontier where more of the lever shows fewer worker-years re-employed while
    the objective still rises: the objective also counts every job-year the projects create,
    at `weight` (other_jobs_weight) of a worker-year, so the plan with more money may take
    jobs that re-employ fewer displaced workers.

    The step with the largest fall: low/high_setting (the lever's settings at its ends),
    worker_years_before/after (rounded as the frontier's table shows them), the fall against
    the two solves' precision (`fall`, positive), the job-years gained (rounded), and the
    worker-year equivalents the weight puts on them. steps: how many steps of the frontier
    show such a fall."""

    lever: str
    weight: float
    low_setting: float
    high_setting: float
    worker_years_before: float
    worker_years_after: float
    fall: Difference
    job_years_gained: float
    weighted_gain: float
    steps: int


def jobs_trade(table: pd.DataFrame) -> JobsTrade | None:
    """The frontier's step where more of the lever shows the most fewer worker-years while
    the objective rises (see JobsTrade); None when no step does, or the scenario gives other
    jobs no weight (then the objective is the worker-years, and more never shows fewer)."""
    if "other_jobs_weight" not in table.columns or table.empty:
        return None
    weight = float(table["other_jobs_weight"].iloc[0])
    solved = table[[Status(s).has_portfolio for s in table["status"]]].sort_values("amount")
    if weight <= 0 or len(solved) < 2:
        return None
    step = table_tolerance(solved["tolerance"])
    before, after = solved.iloc[:-1].reset_index(drop=True), solved.iloc[1:].reset_index(drop=True)
    falls = before["worker_years"] - after["worker_years"]
    trades = (after["amount"] > before["amount"]) & (falls > 0)
    trades &= after["objective"] >= before["objective"]
    trades &= after["job_years"] > before["job_years"]
    if not trades.any():
        return None
    k = int(falls.where(trades).idxmax())
    low, high = before.iloc[k], after.iloc[k]
    gained = float(high["job_years"] - low["job_years"])
    return JobsTrade(
        lever=str(low["lever"]),
        weight=weight,
        low_setting=float(low["setting"]),
        high_setting=float(high["setting"]),
        worker_years_before=rounded(float(low["worker_years"]), step),
        worker_years_after=rounded(float(high["worker_years"]), step),
        fall=Difference(float(falls.iloc[k]), float(low["tolerance"] + high["tolerance"])),
        job_years_gained=rounded(gained, step),
        weighted_gain=rounded(weight * gained, step),
        steps=int(trades.sum()),
    )


@dataclass(frozen=True)
class GridReading:
    """A heat map's reading: worker-years at the current cell, what each lever moved alone
    to the top of its range adds, and the best cell with what it adds. The changes are
    Differences (within the solves' precision: not a finding); figures rounded to it."""

    lever_x: str
    lever_y: str
    current: float
    top_x: float  # the x lever's highest setting
    top_y: float
    gain_x: Difference | None  # x at its top, y as now (None: that cell has no portfolio)
    gain_y: Difference | None
    best: float
    best_x: float  # the best cell's settings
    best_y: float
    gain_best: Difference


def _change(after: pd.Series, before: pd.Series) -> Difference:
    return Difference(
        float(after["worker_years"] - before["worker_years"]),
        float(after["tolerance"] + before["tolerance"]),
    )


def grid_reading(grid: pd.DataFrame) -> GridReading | None:
    """The heat map in numbers (see GridReading); None without a solved current cell."""
    solved = grid[[Status(s).has_portfolio for s in grid["status"]]]
    here = solved[solved["current"]] if "current" in solved.columns else solved.iloc[:0]
    if here.empty:
        return None
    now = here.iloc[0]
    top_x, top_y = float(grid["setting_x"].max()), float(grid["setting_y"].max())

    def cell(x: float, y: float) -> pd.Series | None:
        found = solved[np.isclose(solved["setting_x"], x) & np.isclose(solved["setting_y"], y)]
        return None if found.empty else found.iloc[0]

    along_x = cell(top_x, float(now["setting_y"]))
    along_y = cell(float(now["setting_x"]), top_y)
    # The best cell; among cells alike within precision, the one with the least money.
    best = solved.loc[solved["worker_years"].idxmax()]
    tolerance = float(best["tolerance"])
    alike = solved[solved["worker_years"] >= best["worker_years"] - tolerance]
    best = alike.loc[(alike["amount_x"] + alike["amount_y"]).idxmin()]
    step = table_tolerance(solved["tolerance"])
    return GridReading(
        str(now["lever_x"]),
        str(now["lever_y"]),
        rounded(float(now["worker_years"]), step),
        top_x,
        top_y,
        None if along_x is None else _change(along_x, now),
        None if along_y is None else _change(along_y, now),
        rounded(float(best["worker_years"]), step),
        float(best["setting_x"]),
        float(best["setting_y"]),
        _change(best, now),
    )


@dataclass(frozen=True)
class RobustnessReading:
    """The draws against the plain solve: how many projects they keep, and how far the
    median draw lies from the headline (figures rounded to the precision)."""

    draws: int
    solved: int
    core: int
    borderline: int
    outside: int
    median: float
    p05: float
    p95: float
    headline: float
    difference: Difference  # median − headline
    below: int  # draws with fewer worker-years than the headline
    spread: float
    overrun: float
    rate_spread: float = 0.0

    @property
    def mean_overrun(self) -> float:
        """The capex overrun of an average draw (uniform from 0 to `overrun`)."""
        return self.overrun / 2

    @property
    def relative(self) -> float:
        return self.difference.value / self.headline if self.headline else math.nan


def robustness_reading(result: Robustness, solution: object) -> RobustnessReading | None:
    """The draws' reading against `solution` (the plain solve: worker_years, objective,
    gap and gap_base); None when no draw has a portfolio."""
    draws = result.draws
    ok = draws[[Status(s).has_portfolio for s in draws["status"]]]
    if ok.empty:
        return None
    counts = result.projects["class"].value_counts()
    years = ok["worker_years"].astype(float)
    headline = float(solution.worker_years)  # type: ignore[attr-defined]
    own = slack(
        solution.objective,  # type: ignore[attr-defined]
        solution.gap,  # type: ignore[attr-defined]
        getattr(solution, "gap_base", None),
    )
    median = float(years.median())
    step = table_tolerance(ok["tolerance"]) if "tolerance" in ok else own
    tolerance = own + step  # the median draw against the headline: both solves' precision
    return RobustnessReading(
        draws=len(draws),
        solved=len(ok),
        core=int(counts.get("core", 0)),
        borderline=int(counts.get("borderline", 0)),
        outside=int(counts.get("outside", 0)),
        median=rounded(median, step),
        p05=rounded(float(years.quantile(0.05)), step),
        p95=rounded(float(years.quantile(0.95)), step),
        headline=rounded(headline, own),
        difference=Difference(median - headline, tolerance),
        below=int((years < headline - tolerance).sum()),
        spread=result.spread,
        overrun=result.overrun,
        rate_spread=result.rate_spread,
    )


def kept_projects(result: Robustness) -> pd.DataFrame:
    """The core and borderline projects (the share of draws that keep each), most often
    kept first: what a chart of the draws shows by name."""
    p = result.projects
    kept = p[p["class"].isin(("core", "borderline"))]
    return kept.sort_values(["frequency", "project_id"], ascending=[False, True])


def entry_thresholds(break_even: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """break_even's left-out rows with the jobs per 亿元 (per build year, as the workbook's
    jobs_per_yi) each project has and would need to enter: jobs_per_yi + extra jobs ÷ capex.
    projects: the projects' capex and jobs_per_yi by project_id (Solution.not_chosen).
    Columns added: jobs_per_yi, jobs_per_yi_needed (inf: never; NaN: not solved)."""
    info = projects.set_index("project_id")
    out = break_even.copy()
    if "in_portfolio" in out.columns:  # break_even(include_chosen=True) has both kinds
        out = out[~out["in_portfolio"].astype(bool)]
    has = out["project_id"].map(info["jobs_per_yi"]).astype(float)
    capex = out["project_id"].map(info["capex"]).astype(float)
    extra = out["extra_jobs_needed"].astype(float)
    out["jobs_per_yi"] = has
    out["jobs_per_yi_needed"] = has + extra / capex.where(capex > 0)
    return out


def nearest_entry(thresholds: pd.DataFrame) -> pd.Series | None:
    """The left-out project closest to entering (the smallest rise in jobs per 亿元, as a
    share of what it has), outside solver precision; None when none could enter."""
    finite = thresholds[
        np.isfinite(thresholds["jobs_per_yi_needed"].astype(float))
        & ~thresholds["within_gap"].astype(bool)
        & (thresholds["jobs_per_yi"].astype(float) > 0)
    ]
    if finite.empty:
        return None
    rise = finite["jobs_per_yi_needed"] / finite["jobs_per_yi"]
    return finite.loc[rise.idxmin()]
