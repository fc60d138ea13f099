"""What the command line prints: a solve's lines; a frontier, a grid, break-even and
robustness, each with its conclusion in a sentence (the app's words, optimizer.present.views);
the diagnosis of an infeasible scenario, each left-out project's reason, and a progress bar on
stderr. Everything in the --language asked for."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import pandas as pd
from tqdm import tqdm

from ..batch import Progress
from ..conclusions import table_tolerance
from ..diagnosis import Conflict
from ..loader import WorkbookError
from ..precision import rounded
from ..solution import Solution
from ..solver import Status
from ..tradeoffs import LEVERS, Robustness
from . import views
from .explain import limit_values_family_note, limit_values_frame, reasons
from .labels import Labels

ENGLISH = Labels("en")


def solve_lines(solution: Solution, labels: Labels = ENGLISH) -> list[str]:
    """A solve in a few lines, in the labels' language: status, re-employment, projects, PPP
    notes."""
    h = solution.headline()
    gap = f"{solution.gap:.3%}" if solution.gap is not None else labels("console_gap_unknown")
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


def workbook_problems_text(error: WorkbookError, labels: Labels = ENGLISH) -> str:
    """A workbook's problems as the command line prints them: in English, the loader's own
    text; in Chinese, each problem worded by its code and located in the workbook's own
    sheet and column names."""
    if not labels.zh:
        return str(error)
    lines = [labels("workbook_problems", count=len(error.problems))]
    for p in error.problems:
        where = []
        if p.sheet:
            where.append(labels("problem_sheet", sheet=p.sheet))
            if p.row is not None:
                where[-1] += labels("problem_row", row=p.row)
        if p.column:
            where.append(p.column)
        words = labels.problem(p)
        lines.append(f"- {'，'.join(where)}：{words}" if where else f"- {words}")
    return "\n".join(lines)


def infeasible_text(conflicts: list[Conflict], labels: Labels = ENGLISH) -> str:
    return labels.infeasible_text(conflicts)


def _plain_table(table: pd.DataFrame) -> str:
    # Figures are rounded already (to the solves' precision); a share or gap keeps 3 digits.
    return table.to_string(
        index=False,
        float_format=lambda v: f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.3g}",
        na_rep="—",
    )


def frontier_lines(table: pd.DataFrame, lever: str, labels: Labels = ENGLISH) -> list[str]:
    """A frontier as a heading, its conclusion in a sentence, and a plain table (figures
    rounded to the solves' precision)."""
    spec = LEVERS[lever]
    shown = views.frontier_table(table, labels)
    keep = [labels.column("setting"), *shown.columns[:1]]
    # With a weight of other jobs, the objective's other part too (why worker-years can fall).
    parts = ("status", "worker_years", "job_years", "weighted_job_years", "gap")
    keep += [labels.column(k) for k in parts]
    keep.append(shown.columns[-2])  # the marginal, per the lever's unit
    return [
        labels("console_frontier", lever=labels.lever(lever), unit=labels.unit(spec.unit)),
        views.frontier_sentence(table, labels),
        _plain_table(shown[[c for c in dict.fromkeys(keep) if c in shown.columns]]),
    ]


def grid_lines(grid: pd.DataFrame, labels: Labels = ENGLISH) -> list[str]:
    """A grid as a heading, its conclusion in a sentence, and a plain table."""
    x, y = str(grid["lever_x"].iloc[0]), str(grid["lever_y"].iloc[0])
    return [
        labels("console_grid", x=labels.lever(x), y=labels.lever(y)),
        views.grid_sentence(grid, labels),
        _plain_table(views.grid_table(grid, labels)),
    ]


def limit_values_lines(values: pd.DataFrame, labels: Labels) -> list[str]:
    """What 10 % more of each limit buys, ranked: a heading and the table in words."""
    frame = limit_values_frame(values, labels)
    # Figures as rounded by the analysis (to what the precision supports): no decimals added.
    frame["extra"] = [f"{v:,.2f}" for v in frame["extra"]]
    for column in ("worker_years_gained", "per_yi"):
        frame[column] = [f"{v:,.0f}" if v == round(v) else f"{v:,.2f}" for v in frame[column]]
    note = limit_values_family_note(values, labels)
    lines = [labels("console_limit_values"), labels.headers(frame).to_string(index=False)]
    return lines + ([note] if note else [])


def break_even_lines(
    table: pd.DataFrame, solution: Solution, labels: Labels = ENGLISH
) -> list[str]:
    """Break-even as a heading, the entry thresholds' conclusion (when projects left out are
    in the table) and a plain table with its units."""
    lines = [labels("console_break_even")]
    left_out = table[~table["in_portfolio"].astype(bool)]
    if len(left_out):
        lines.append(views.entry_sentence(left_out, solution, labels))
        lines.append(_plain_table(views.break_even_table(left_out, solution, labels)))
    chosen = table[table["in_portfolio"].astype(bool)]
    if len(chosen):
        shown = chosen[["project_id", "status", "objective_change", "jobs_to_spare"]].copy()
        shown["status"] = [labels.status(s) for s in shown["status"]]
        lines.append(_plain_table(labels.headers(shown)))
    return lines


def robustness_lines(result: Robustness, solution: Solution, labels: Labels = ENGLISH) -> list[str]:
    """Robustness in a few lines: the spread of worker-years, what the draws conclude against
    the headline, then each project's class."""
    summary = result.summary()
    step = table_tolerance(result.draws.get("tolerance", []))

    def years(key: str) -> str:
        value = summary[key]
        return labels.people(rounded(value, step), "").strip() if value == value else "—"

    lines = [
        labels(
            "console_draws",
            draws=int(summary["draws"]),
            median=years("worker_years_median"),
            low=years("worker_years_p05"),
            high=years("worker_years_p95"),
        ),
        *views.robustness_sentences(result, solution, labels),
    ]
    p = result.projects
    shown = pd.DataFrame(
        {
            "project_id": p["project_id"],
            "sector": [labels.sector(v) for v in p["sector"]],
            "region": [labels.city(v) for v in p["region"]],
            "frequency": p["frequency"].map(lambda v: f"{v:.0%}" if v == v else ""),
            "class": [labels.klass(v) for v in p["class"]],
        }
    )
    return [*lines, labels.headers(shown).to_string(index=False)]


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
