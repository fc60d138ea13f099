"""Tables of a result and of the analyses as the page shows them: words in the page's
language, figures rounded to what the solves can tell."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import conclusions
from ..precision import rounded
from ..solution import Solution
from ..tradeoffs import LEVERS, Robustness
from .explain import (
    limit_values_frame,
    limits_frame,
    reasons,
    short_source,
)
from .export import FRONTIER_COLUMNS, SHORTLIST_COLUMNS
from .labels import COLUMNS, Labels


def training_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """培训人数: trainees by city (the cities that train) and year, each city's total and its
    training money (亿元), headers in the page's language."""
    t = solution.training_by_region()
    t = t[t["trainees"] > 1e-6].copy()
    t["region"] = [labels.city(r) for r in t["region"]]
    t.columns = [labels.year(c) if isinstance(c, int) else c for c in t.columns]
    return labels.headers(t.reset_index(drop=True))


def layoff_pace_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """分流安置节奏: workers laid off by city, industry and year, planned against
    recommended (Solution.layoff_pace), headers in the page's language."""
    t = solution.layoff_pace().rename(columns={"sector": "industry"})
    t["region"] = [labels.city(r) for r in t["region"]]
    t["industry"] = [labels.industry(v) for v in t["industry"]]
    return labels.headers(t)


def monitoring_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """重点监控: each city and year whose jobless displaced workers stay above the
    monitoring share of its exposure, with the city's main exiting industry."""
    t = solution.monitoring[
        ["region", "year", "industry", "exposure", "jobless", "jobless_share"]
    ].copy()
    t["region"] = [labels.city(r) for r in t["region"]]
    t["industry"] = [labels.industry(v) for v in t["industry"]]
    return labels.headers(t)


def public_money_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """Public money per re-employed worker-year (万元) by sector, and for all sectors (the
    headline's figure) last."""
    s = solution.by_sector
    h = solution.headline()
    t = pd.DataFrame(
        {
            "sector": [labels.sector(v) for v in s["sector"]] + [labels("all_sectors")],
            "public_money": [*s["public_money"], solution.public_money],
            "worker_years": [*s["worker_years"], solution.worker_years],
            "public_money_per_worker_year": [
                *s["public_money_per_worker_year"],
                h["public_money_per_worker_year"],
            ],
        }
    )
    return labels.headers(t)


def jobless_at_end_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """Displaced workers still jobless at the end of the horizon by city, with and without
    the programme."""
    t = solution.jobless_at_end.rename(columns={"jobless": "jobless_at_end"})
    t = t[["region", "jobless_at_end", "without_programme"]].copy()
    t["region"] = [labels.city(r) for r in t["region"]]
    return labels.headers(t)


def limits_table(solution: Solution, labels: Labels, used_up_only: bool = True) -> pd.DataFrame:
    """The limits in a planner's words (see optimizer.present.explain.limits_frame), headers in
    the page's language."""
    return labels.headers(limits_frame(solution, labels, used_up_only))


def not_chosen_reasons(
    solution: Solution, labels: Labels, break_even: pd.DataFrame | None = None
) -> list[str]:
    """Each left-out project's reason in words (see optimizer.present.explain.reasons)."""
    return reasons(solution, labels, break_even)


NOT_CHOSEN_SHOWN = ["project_id", "name", "sector", "region", "capex", "build_jobs", "reason"]


def not_chosen_table(
    solution: Solution, labels: Labels, break_even: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The projects left out, each with its reason, names in the page's language."""
    table = solution.not_chosen.copy()
    table["reason"] = not_chosen_reasons(solution, labels, break_even)
    table["sector"] = [labels.sector(s) for s in table["sector"]]
    table["region"] = [labels.city(r) for r in table["region"]]
    keys = list(NOT_CHOSEN_SHOWN)
    if break_even is not None and len(break_even):
        jobs = dict(zip(break_even["project_id"], break_even["extra_jobs_needed"], strict=True))
        table["break_even_jobs"] = table["project_id"].map(jobs)
        keys.insert(-1, "break_even_jobs")
    return labels.headers(table[keys])


def shortlist_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """The chosen projects in start-year order, headers in the chosen language."""
    keys = list(SHORTLIST_COLUMNS)  # the same columns as the Excel shortlist
    table = solution.chosen.assign(jobs_source=[short_source(v) for v in solution.chosen["source"]])
    table = table[keys].copy()
    table["sector"] = [labels.sector(s) for s in table["sector"]]
    table["region"] = [labels.city(r) for r in table["region"]]
    table["ppp_mechanism"] = [labels.mechanism(m) for m in table["ppp_mechanism"]]
    return labels.headers(table)


def filter_shortlist(
    table: pd.DataFrame, labels: Labels, needle: str = "", sectors: list[str] | None = None
) -> pd.DataFrame:
    """Rows of `shortlist_table` containing the words typed (any column, as plain text, not a
    pattern) and in the sectors picked (their shown names)."""
    shown = table
    if needle:
        words = table.astype(str)
        mask = words.apply(lambda col: col.str.contains(needle, case=False, regex=False))
        shown = shown[mask.any(axis=1)]
    if sectors:
        shown = shown[shown[labels.column("sector")].isin(sectors)]
    return shown


# The Excel sheet's frontier columns, less one marginal, plus the current setting's mark.
FRONTIER_SHOWN = [c for c in FRONTIER_COLUMNS if c != "marginal_job_years"] + ["current"]


def frontier_table(table: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The frontier as a planner reads it: statuses in words, headers in the language."""
    shown = table[[c for c in FRONTIER_SHOWN if c in table.columns]].copy()
    shown["status"] = [labels.status(s) for s in shown["status"]]
    shown["current"] = [labels.yes_no(v) for v in shown["current"]]
    if "tolerance" in table.columns:
        # No figure finer than the solves behind it can tell (151,349.553 reads 151,000).
        step = conclusions.table_tolerance(table["tolerance"])
        for column in ("worker_years", "job_years", "weighted_job_years"):
            if column in shown.columns:
                shown[column] = [rounded(v, step) for v in table[column]]
    shown["marginal_worker_years"] = shown["marginal_worker_years"].round(1)
    unit = labels.unit(str(table["unit"].iloc[0])) if len(table) else ""
    shown = labels.headers(shown)
    return shown.rename(
        columns={
            labels.column("amount"): f"{labels.column('amount')} ({unit})",
            labels.column("marginal_worker_years"): labels.pick(COLUMNS["marginal_per"]).format(
                unit=unit
            ),
        }
    )


def limit_values_table(values: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """What 10 % more of each limit buys, ranked (optimizer.limit_values), in the page's
    language."""
    return labels.headers(limit_values_frame(values, labels))


def break_even_table(table: pd.DataFrame, solution: Solution, labels: Labels) -> pd.DataFrame:
    """optimizer.break_even's table for the page: names and cities beside the ids, the
    informative rows first (a finite number of jobs, fewest first; then within solver
    precision; then never; then not solved), rows within the gap marked."""
    info = solution.not_chosen.set_index("project_id")
    shown = table.copy()
    jobs = shown["extra_jobs_needed"].astype(float)
    finite = np.isfinite(jobs) & ~shown["within_gap"].astype(bool)
    rank = np.select(
        [finite, shown["within_gap"].astype(bool), np.isinf(jobs)], [0, 1, 2], default=3
    )
    shown = shown.assign(_rank=rank, _jobs=jobs).sort_values(["_rank", "_jobs", "project_id"])
    rates = conclusions.entry_thresholds(shown, solution.not_chosen)
    needed = rates["jobs_per_yi_needed"].reindex(shown.index)

    def jobs_or_never(v: float, places: int) -> Any:
        return labels("never") if np.isinf(v) else (None if v != v else round(v, places) or 0)

    out = pd.DataFrame(
        {
            "project_id": shown["project_id"],
            "name": shown["project_id"].map(info["name"]),
            "region": [labels.city(r) for r in shown["project_id"].map(info["region"])],
            "jobs_per_yi_has": rates["jobs_per_yi"].reindex(shown.index).round(1),
            "jobs_per_yi_needed": [jobs_or_never(v, 1) for v in needed],
            "extra_jobs_needed": [jobs_or_never(v, 0) for v in shown["_jobs"]],
            "objective_change": [
                rounded(v, t) if np.isfinite(t) else v
                for v, t in zip(
                    shown["objective_change"],
                    shown.get("change_tolerance", pd.Series(np.nan, index=shown.index)),
                    strict=True,
                )
            ],
            "within_gap": [labels.yes_no(v) for v in shown["within_gap"]],
            "status": [labels.status(s) for s in shown["status"]],
        }
    )
    return labels.headers(out.reset_index(drop=True))


def grid_table(grid: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The grid as a table: each lever's amount (headed by the lever and its unit), status in
    words, figures rounded to each solve's precision."""
    x, y = str(grid["lever_x"].iloc[0]), str(grid["lever_y"].iloc[0])
    step = conclusions.table_tolerance(grid.get("tolerance", 0.0 * grid["gap"]))
    table = pd.DataFrame(
        {
            f"{labels.lever(x)} ({labels.unit(LEVERS[x].unit)})": grid["amount_x"].round(1),
            f"{labels.lever(y)} ({labels.unit(LEVERS[y].unit)})": grid["amount_y"].round(1),
            "status": [labels.status(s) for s in grid["status"]],
            "worker_years": [rounded(v, step) for v in grid["worker_years"]],
            "gap": grid["gap"],
            "current": [labels.yes_no(v) for v in grid.get("current", False * grid["gap"])],
        }
    )
    return labels.headers(table)


def robustness_projects(result: Robustness, labels: Labels) -> pd.DataFrame:
    """The core and borderline projects with the share of draws that keep each, in the
    page's language (most often kept first)."""
    kept = conclusions.kept_projects(result)
    return labels.headers(
        pd.DataFrame(
            {
                "project_id": kept["project_id"],
                "name": kept["name"],
                "sector": [labels.sector(v) for v in kept["sector"]],
                "region": [labels.city(v) for v in kept["region"]],
                "frequency": kept["frequency"],
                "class": [labels.klass(v) for v in kept["class"]],
            }
        ).reset_index(drop=True)
    )


def robustness_table(result: Robustness, labels: Labels) -> pd.DataFrame:
    """The draws' summary as two columns (what, value), in the page's language."""
    summary = result.summary()
    # The worker-years as the draws' precision supports them.
    step = conclusions.table_tolerance(result.draws.get("tolerance", []))
    shown = {
        k: rounded(v, step) if k.startswith("worker_years") and v == v else v
        for k, v in summary.items()
    }
    return pd.DataFrame(
        {
            labels.column("item"): [labels.column(k) for k in shown],
            labels.column("value"): [f"{v:,.0f}" if v == v else "" for v in shown.values()],
        }
    )
