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
from .explain import reasons
from .labels import Labels

ENGLISH = Labels("en")


def solve_lines(solution: Solution) -> list[str]:
    """A solve in a few lines of English: status, re-employment, projects, PPP notes."""
    h = solution.headline()
    gap = f"{solution.gap:.3%}" if solution.gap is not None else "unknown"
    if solution.gap_is_upper_bound:
        gap = f"≤ {gap}"
    lines = [
        f"status: {solution.status} (gap {gap}, {solution.solve_seconds:.1f} s, "
        f"{solution.solver} {solution.solver_version})",
        f"re-employed: {h['worker_years']:,.0f} of {h['displaced_worker_years']:,.0f} displaced "
        f"worker-years ({h['worker_years_share']:.1%}); peak {h['reemployed_peak']:,.0f} persons "
        f"in {int(h['peak_year'])} ({h['peak_share']:.1%} of those displaced by then)",
        "re-employed by year: "
        + ", ".join(f"{y} {v:,.0f}" for y, v in solution.reemployed_by_year.items()),
        f"projects: {int(h['projects'])}, capex {h['capex']:,.1f} 亿元, "
        f"{h['job_years']:,.0f} job-years ({h['job_years_per_yi']:,.1f} per 亿元)",
    ]
    for _, row in solution.by_region.iterrows():
        note = ENGLISH.ppp_note(row)
        if note:
            lines.append(f"PPP {row['region']}: {note}")
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


def infeasible_text(conflicts: list[Conflict]) -> str:
    return ENGLISH.infeasible_text(conflicts)


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
