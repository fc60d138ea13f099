"""What the command line prints: a solve's lines, a frontier's table, the diagnosis of an
infeasible scenario, each left-out project's reason, and a progress bar on stderr."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import pandas as pd
from tqdm import tqdm

from ..batch import Progress
from ..diagnosis import Conflict
from ..solution import Solution
from ..solver import Status
from ..tradeoffs import LEVERS
from .explain import limit_values_frame, reasons
from .labels import Labels

ENGLISH = Labels("en")


def solve_lines(solution: Solution, labels: Labels = ENGLISH) -> list[str]:
    """A solve in a few lines, in the labels' language: status, re-employment, projects, PPP
    notes."""
    h = solution.headline()
    gap = (
        f"{solution.gap:.3%}" if solution.gap is not None else labels("console_gap_unknown")
    )
    if solution.gap_is_upper_bound:
        gap = f"≤ {gap}"
    # English keeps the solver's own status word (scripts read it); Chinese says it in words.
    status = labels.status(solution.status) if labels.zh else str(solution.status)
    lines = [
        labels(
            "console_status",
            status=status,
            gap=gap,
            seconds=solution.solve_seconds,
            solver=f"{solution.solver} {solution.solver_version}",
        ),
        labels(
            "console_reemployed",
            worker_years=h["worker_years"],
            displaced=h["displaced_worker_years"],
            share=h["worker_years_share"],
            peak=h["reemployed_peak"],
            year=int(h["peak_year"]),
            peak_share=h["peak_share"],
        ),
        labels(
            "console_by_year",
            years=("，" if labels.zh else ", ").join(  # punctuation, not a word
                labels("console_year", year=y, value=v)
                for y, v in solution.reemployed_by_year.items()
            ),
        ),
        labels(
            "console_projects",
            count=int(h["projects"]),
            capex=h["capex"],
            job_years=h["job_years"],
            per_yi=h["job_years_per_yi"],
        ),
    ]
    for _, row in solution.by_region.iterrows():
        note = labels.ppp_note(row)
        if note:
            city = labels.city(row["region"]) if labels.zh else row["region"]
            lines.append(labels("console_ppp", city=city, note=note))
    return lines


def reason_records(solution: Solution, labels: Labels) -> list[dict[str, str]]:
    """Each left-out project with its reason code and words (the app's and the Excel file's)."""
    words = reasons(solution, labels)
    left_out = solution.not_chosen
    return [
        {"project_id": str(p), "reason_code": str(c), "reason": w}
        for p, c, w in zip(left_out["project_id"], left_out["reason_code"], words, strict=True)
    ]


def infeasible_record(conflicts: list[Conflict]) -> dict[str, Any]:
    """The JSON the command line prints for an infeasible scenario."""
    return {"status": str(Status.INFEASIBLE), "conflicts": [ENGLISH.conflict(c) for c in conflicts]}


def infeasible_text(conflicts: list[Conflict], labels: Labels = ENGLISH) -> str:
    return labels.infeasible_text(conflicts)


def frontier_lines(table: pd.DataFrame, lever: str) -> list[str]:
    """A frontier as a heading and a plain table."""
    spec = LEVERS[lever]
    shown = table[["setting", "amount", "status", "worker_years", "job_years", "gap"]]
    return [
        f"frontier of {ENGLISH.lever(lever)} ({spec.unit})",
        shown.to_string(index=False, float_format=lambda v: f"{v:,.3f}"),
    ]


def table_lines(heading: str, table: pd.DataFrame) -> list[str]:
    """A batch command's result (grid, break-even) as a heading and a plain table."""
    return [heading, table.to_string(index=False, float_format=lambda v: f"{v:,.3f}")]


def limit_values_lines(values: pd.DataFrame, labels: Labels) -> list[str]:
    """What 10 % more of each limit buys, ranked: a heading and the table in words."""
    frame = limit_values_frame(values, labels)
    # Figures as rounded by the analysis (to what the precision supports): no decimals added.
    frame["extra"] = [f"{v:,.2f}" for v in frame["extra"]]
    for column in ("worker_years_gained", "per_yi"):
        frame[column] = [f"{v:,.0f}" if v == round(v) else f"{v:,.2f}" for v in frame[column]]
    return [labels("console_limit_values"), labels.headers(frame).to_string(index=False)]


def robustness_lines(summary: dict[str, float], projects: pd.DataFrame) -> list[str]:
    """Robustness in a few lines: the spread of worker-years, then each project's class."""
    lines = [
        f"draws: {summary['draws']:.0f}; worker-years median {summary['worker_years_median']:,.0f}"
        f" (5–95 %: {summary['worker_years_p05']:,.0f}–{summary['worker_years_p95']:,.0f})",
        f"core {summary['core_projects']:.0f}, borderline {summary['borderline_projects']:.0f}, "
        f"outside {summary['outside_projects']:.0f} projects",
    ]
    shown = projects[["project_id", "sector", "region", "frequency", "class"]]
    return [*lines, shown.to_string(index=False, float_format=lambda v: f"{v:.2f}")]


@contextmanager
def progress_bar(description: str, *, file: IO[str] | None = None) -> Iterator[Progress]:
    """A tqdm bar as a progress callback: `with progress_bar("frontier") as p:
    frontier(..., options=RunOptions(progress=p))`. Written to stderr by default, so a
    command's stdout stays clean."""
    # delay: a run over in half a second draws no bar at all.
    bar = tqdm(
        total=None, desc=description, unit="solve", file=file or sys.stderr, leave=False, delay=0.5
    )

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()
