"""The command line: `python -m optimizer check|solve|frontier|template ...`.

Exit codes: 0 solved (or the workbook is valid), 1 infeasible (diagnosis printed), 2 bad input
(problems listed), 3 solver error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .diagnosis import InfeasibleError
from .export import export_workbook
from .loader import WorkbookError, load_workbook
from .scenario import Scenario, ScenarioError
from .solve import SolverError, solve
from .template import write_template
from .tradeoffs import LEVERS, frontier, progress_bar

SOLVED, INFEASIBLE, BAD_INPUT, SOLVER_ERROR = 0, 1, 2, 3


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Send what native code prints (HiGHS's banner) to stderr, keeping stdout clean JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _scenario(args: argparse.Namespace) -> Scenario:
    scenario = Scenario()
    if args.scenario:
        scenario = Scenario.from_json(Path(args.scenario).read_text(encoding="utf-8"))
    return scenario.with_assignments(args.set or [])


def _check(args: argparse.Namespace) -> int:
    data = load_workbook(args.workbook)
    print(
        f"{args.workbook}: valid — {len(data.projects)} projects, {len(data.regions)} regions, "
        f"years {data.planning_years[0] if data.planning_years else '-'}–"
        f"{data.planning_years[-1] if data.planning_years else '-'}"
    )
    for warning in data.warnings:
        print(f"note: {warning}")
    return SOLVED


def _solve(args: argparse.Namespace) -> int:
    data = load_workbook(args.workbook)
    scenario = _scenario(args)
    with _quiet_stdout():
        solution = solve(data, scenario)
        if args.out:
            export_workbook(solution, args.out, language=args.language)
    if args.json:
        print(json.dumps(solution.to_dict(), ensure_ascii=False))
        return SOLVED
    h = solution.headline()
    gap = f"{solution.gap:.3%}" if solution.gap is not None else "unknown"
    print(
        f"status: {solution.status} (gap {gap}, {solution.solve_seconds:.1f} s, "
        f"{solution.solver} {solution.solver_version})"
    )
    print(
        f"re-employed: {h['worker_years']:,.0f} worker-years of {h['displaced_worker_years']:,.0f} "
        f"displaced ({h['worker_years_share']:.1%}); peak {h['reemployed_peak']:,.0f} persons "
        f"in {int(h['peak_year'])} ({h['peak_share']:.1%} of those displaced by then)"
    )
    by_year = ", ".join(f"{y} {v:,.0f}" for y, v in solution.reemployed_by_year.items())
    print(f"re-employed by year: {by_year}")
    print(
        f"projects: {int(h['projects'])}, capex {h['capex']:,.1f} 亿元, "
        f"{h['job_years']:,.0f} job-years ({h['job_years_per_yi']:,.1f} per 亿元)"
    )
    notes = [
        f"{r}: {n}"
        for r, n in zip(solution.by_region["region"], solution.by_region["ppp_note"], strict=True)
        if n
    ]
    for note in notes:
        print(f"PPP {note}")
    if args.out:
        print(f"shortlist written to {args.out}")
    return SOLVED


def _frontier(args: argparse.Namespace) -> int:
    data = load_workbook(args.workbook)
    scenario = _scenario(args)
    points = args.points
    if args.values:
        points = [float(v) for v in args.values.split(",")]
    with contextlib.ExitStack() as stack:
        executor = None
        if args.workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            executor = stack.enter_context(
                ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn"))
            )
        stack.enter_context(_quiet_stdout())
        progress = None if args.quiet else stack.enter_context(progress_bar(args.lever))
        table = frontier(
            data,
            scenario,
            args.lever,
            points,
            executor=executor,
            progress=progress,
            time_limit_s=args.time_limit,
            mip_gap=args.gap,
        )
        if args.out:
            export_workbook(solve(data, scenario), args.out, frontier=table, language=args.language)
    if args.json:
        print(table.to_json(orient="records", force_ascii=False))
        return SOLVED
    shown = table[["setting", "amount", "status", "worker_years", "job_years", "gap"]]
    print(f"frontier of {LEVERS[args.lever].label} ({LEVERS[args.lever].unit})")
    print(shown.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    if args.out:
        print(f"shortlist with the frontier written to {args.out}")
    return SOLVED


def _template(args: argparse.Namespace) -> int:
    write_template(args.path)
    print(f"blank workbook written to {args.path}")
    return SOLVED


def _scenario_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("workbook")
    command.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="scenario value, e.g. fiscal_budget_scale=1.2 or fiscal_budget.2023=250",
    )
    command.add_argument("--scenario", help="a scenario JSON file (from the app or a notebook)")
    command.add_argument("--out", help="write the Excel shortlist here")
    command.add_argument("--language", choices=["en", "zh"], default="en")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m optimizer", description="Jiangsu infrastructure investment prioritiser"
    )
    commands = top.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a workbook and list its problems")
    check.add_argument("workbook")
    check.set_defaults(run=_check)
    run = commands.add_parser("solve", help="choose the portfolio for a scenario")
    _scenario_options(run)
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.set_defaults(run=_solve)
    sweep = commands.add_parser(
        "frontier", help="re-solve as one lever moves (0–200 %% of its value by default)"
    )
    _scenario_options(sweep)
    sweep.add_argument("--lever", choices=list(LEVERS), default="fiscal_budget")
    sweep.add_argument("--points", type=int, default=21, help="evenly spaced points")
    sweep.add_argument(
        "--values", help="the lever's settings instead, e.g. 0.5,1,1.5 (scales, shares or km)"
    )
    sweep.add_argument("--workers", type=int, default=1, help="solve on this many processes")
    sweep.add_argument("--time-limit", type=float, help="seconds per point (default: scenario)")
    sweep.add_argument("--gap", type=float, help="relative gap per point (default: scenario)")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    sweep.add_argument("--json", action="store_true", help="print the table as JSON records")
    sweep.set_defaults(run=_frontier)
    template = commands.add_parser("template", help="write a blank workbook")
    template.add_argument("path")
    template.set_defaults(run=_template)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except WorkbookError as error:
        print(error, file=sys.stderr)
        return BAD_INPUT
    except (ScenarioError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    except InfeasibleError as error:
        if getattr(args, "json", False):
            print(
                json.dumps(
                    {"status": "infeasible", "conflicts": [c.message for c in error.conflicts]},
                    ensure_ascii=False,
                )
            )
        print(error, file=sys.stderr)
        return INFEASIBLE
    except SolverError as error:
        print(f"error: {error}", file=sys.stderr)
        return SOLVER_ERROR
    except ValueError as error:  # e.g. a frontier's points out of range
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
