"""The result in words and figures for the page: the status, the headline metrics, the
conflicts of a scenario with no portfolio, what moved, the PPP notes."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ..diagnosis import conflicts_of
from ..solution import Solution
from ..solver import Status
from .labels import Labels


def share(value: float) -> str:
    return f"{value:.1%}"


def status_message(solution: Solution, labels: Labels) -> tuple[str, str]:
    """("success" | "warning", the banner's words) for a solved scenario."""
    gap = f"{solution.gap:.2%}" if solution.gap is not None else "?"
    if solution.gap_is_upper_bound:
        gap = f"≤ {gap}"  # the solver gave no bound: only what was asked for is known
    if solution.status.is_proven:
        return "success", labels("optimal", gap=gap)
    if solution.status is Status.WORK_LIMIT:
        return "warning", labels("work_limited", gap=gap)
    return "warning", labels("time_limited", gap=gap)


def conflict_lines(conflicts: pd.DataFrame, labels: Labels) -> list[str]:
    """The diagnosis of an infeasible scenario (InfeasibleError.to_frame()) as sentences."""
    return [labels.conflict(c) for c in conflicts_of(conflicts)]


def moved_inputs(before: Any, after: Any, labels: Labels) -> list[str]:
    """The scenario inputs (in words) that differ between two scenarios: on the no-portfolio
    page, the controls moved since the last plan that met every limit. The name is left
    out (not a control)."""
    if before is None:
        return []
    old, new = before.to_dict(), after.to_dict()
    return [
        labels.input(key)
        for key in new
        if key != "name"
        and json.dumps(old.get(key), sort_keys=True, default=str)
        != json.dumps(new[key], sort_keys=True, default=str)
    ]


def conflicts_together(conflicts: pd.DataFrame, labels: Labels) -> str:
    """Whether the listed moves fix the scenario each alone or only all together. The
    diagnosis's re-solve moves every listed limit at once, which proves "together"; with one
    limit listed, that one move alone."""
    return labels("fix_alone" if len(conflicts) == 1 else "fix_together")


def conflicts_table(conflicts: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The diagnosis as a table in the page's language."""
    table = pd.DataFrame(
        {
            "limit": [labels.limit(r.limit, r.about) for r in conflicts.itertuples()],
            "set": conflicts["set"],
            "needed": conflicts["needed"],
            "unit": [labels.unit(u) for u in conflicts["unit"]],
            "message": conflict_lines(conflicts, labels),
        }
    )
    return labels.headers(table)


# The headline figures compared with the previous scenario, by their place in
# `headline_metrics`: (measure for precision.solve_difference, unit's label key).
HEADLINE_COMPARED = {0: ("worker_years", "worker_years_unit"), 6: ("reemployed_peak", "persons")}


def headline_metrics(
    solution: Solution, labels: Labels
) -> list[tuple[str, str, float, str | None]]:
    """(label, value as shown, value as a number, help) for the twelve headline figures, in
    rows of four: worker-years re-employed (of the exposure), beside it the jobless
    worker-years left, the share of exposure re-employed and the trainees; then public money
    per re-employed worker-year, the jobless at the end, the peak year and the job-years; then
    capex, financing, new debt and the PPP ratio. Labels are short (a metric's label is cut at
    its column's width); the help says the rest."""
    h = solution.headline()
    line = solution.scenario.ppp_cap_share or 0.0
    count = int(h["projects"])
    stock = h["reemployed_peak"] / h["peak_share"] if h["peak_share"] else 0.0
    year = int(h["peak_year"])
    end = solution.jobless_at_end
    last = int(solution.by_year["year"].max()) if len(solution.by_year) else year
    training_money = float(solution.by_year["training_spend"].sum())
    return [
        (
            labels("worker_years_of", share=share(h["worker_years_share"])),
            labels.worker_years(h["worker_years"]),
            h["worker_years"],
            labels(
                "worker_years_help",
                need=labels.worker_years(h["displaced_worker_years"]),
                share=share(h["worker_years_share"]),
            )
            + " "
            + labels("worker_years_v3_help"),
        ),
        (
            labels("jobless_left"),
            labels.worker_years(h["jobless_worker_years"]),
            h["jobless_worker_years"],
            labels(
                "jobless_left_help",
                exposure=labels.worker_years(h["exposure_worker_years"]),
                worker_years=labels.worker_years(h["worker_years"]),
            ),
        ),
        (
            labels("exposure_share"),
            share(h["exposure_share"]),
            h["exposure_share"],
            labels("exposure_share_help"),
        ),
        (
            labels("trainees_short"),
            labels.people(h["trainees"]),
            h["trainees"],
            labels("trainees_help", money=labels.money(training_money)),
        ),
        (
            labels("public_money_short"),
            f"{h['public_money_per_worker_year']:,.1f} {labels.unit('万元')}",
            h["public_money_per_worker_year"],
            labels("public_money_help", money=labels.money(solution.public_money)),
        ),
        (
            labels("jobless_at_end_short", year=last),
            labels.people(h["jobless_at_end"]),
            h["jobless_at_end"],
            labels(
                "jobless_at_end_help",
                without=labels.people(float(end["without_programme"].sum()) if len(end) else 0),
            ),
        ),
        (
            labels("peak_of", year=year, share=share(h["peak_share"])),
            labels.people(h["reemployed_peak"]),
            h["reemployed_peak"],
            labels(
                "peak_help", year=year, stock=labels.people(stock), share=share(h["peak_share"])
            ),
        ),
        (
            labels("job_years"),
            labels.worker_years(h["job_years"]),
            h["job_years"],
            f"{labels('job_years_per_yi')}: {h['job_years_per_yi']:,.1f}",
        ),
        (labels("capex_of", count=count), f"{h['capex']:,.0f} 亿元", h["capex"], None),
        (
            labels("financing"),
            f"{h['budget_money']:,.0f}/{h['bond_money']:,.0f}/{h['private_money']:,.0f}",
            h["budget_money"],
            None,
        ),
        (labels("debt_used"), f"{h['debt_used']:,.0f} 亿元", h["debt_used"], None),
        (
            labels("worst_ppp", line=share(line)),
            share(h["worst_ppp_ratio"]),
            h["worst_ppp_ratio"],
            None,
        ),
    ]


def ppp_notes(solution: Solution, labels: Labels) -> list[str]:
    """One sentence per city whose PPP standing needs words: existing commitments above a
    line, or a ratio above the warning level."""
    separator = "：" if labels.zh else ": "
    return [
        f"{labels.city(row['region'])}{separator}{labels.ppp_note(row)}"
        for _, row in solution.by_region.iterrows()
        if row["ppp_code"]
    ]
