"""The command line: `python -m optimizer check|solve|frontier|grid|break-even|robustness|
template ...`.

Exit codes: 0 solved (or the workbook is valid), 1 infeasible (diagnosis printed), 2 bad input
(problems listed), 3 solver error, 4 an internal failure (a fault of this program, in one
line), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 129 hung up (SIGHUP).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import NoReturn

from ._files import OutputError, check_writable, os_reason, remove_live_temporaries, same_file
from .batch import AnalysisError, RunOptions, dask_executor, process_pool
from .diagnosis import InfeasibleError
from .limit_values import JSON_KEYS, VALUE_GAP, limit_values
from .loader import PlanningData, WorkbookError, load_workbook
from .pipeline import solve
from .present import console
from .present.export import export_workbook, read_saved_plan, read_saved_scenario
from .present.labels import LANGUAGES, Labels
from .scenario import SavedScenario, Scenario, ScenarioError, read_scenario_json
from .schema import columns
from .solver import SolverError
from .template import write_template
from .tradeoffs import LEVERS, break_even, check_projects, frontier, frontier_grid, robustness

SOLVED, INFEASIBLE, BAD_INPUT, SOLVER_ERROR, INTERNAL = 0, 1, 2, 3, 4
TIME_LIMIT_MAX = next(
    c.maximum or math.inf for c in columns("settings") if c.name == "time_limit_s"
)
INTERRUPTED = 130  # 128 + SIGINT, as shells report a run stopped by Ctrl-C
# Every signal that ends a run, with the words it is reported in; the exit code is 128 + its
# number, as shells report it (130, 143, 129).
STOPPING_SIGNALS = {
    signal.SIGINT: "interrupted (Ctrl-C)",
    signal.SIGTERM: "terminated (SIGTERM)",
    signal.SIGHUP: "hung up (SIGHUP)",
}


def _interrupted(signum: int = signal.SIGINT) -> None:
    """A signal that ends the run: remove what is half-written, stop every worker, say so in
    one line, exit 128 + the signal's number."""
    remove_live_temporaries()
    for child in multiprocessing.active_children():
        child.kill()
    words = STOPPING_SIGNALS.get(signum, f"stopped by signal {signum}")
    with contextlib.suppress(OSError):  # stderr may be gone with the terminal (SIGHUP)
        os.write(2, f"{words}: stopped; no file was left half-written\n".encode())
    os._exit(128 + signum)


@contextlib.contextmanager
def _stop_on_interrupt() -> Iterator[None]:
    """Make Ctrl-C, SIGTERM and SIGHUP stop the run at once, even while HiGHS solves in
    native code.

    Python runs a signal handler only when the main thread returns to Python, which a solve
    does at its time limit. HiGHS releases the GIL while it solves, so a watcher thread woken
    through the signal's wakeup fd acts within milliseconds instead.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    previous_handlers = {
        signum: signal.signal(signum, lambda *_: None) for signum in STOPPING_SIGNALS
    }
    previous_fd = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)

    def watch() -> None:
        while True:
            byte = os.read(read_end, 1)
            if not byte or byte == b"\0":
                return
            if byte[0] in STOPPING_SIGNALS:
                _interrupted(byte[0])

    watcher = threading.Thread(target=watch, name="ctrl-c watcher", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous_fd)
        for signum, handler in previous_handlers.items():
            signal.signal(signum, handler)
        os.write(write_end, b"\0")
        watcher.join()
        os.close(read_end)
        os.close(write_end)


def _overrun_grace(limit: float) -> float:
    """How long past its time limit a run may go (reading the answer, writing the file)
    before it is stopped without one."""
    return max(10.0, 0.5 * limit)


@contextlib.contextmanager
def _hard_deadline(deadline: float, limit: float, language: str = "en") -> Iterator[None]:
    """The backstop of time_limit_s: HiGHS does not look at its clock, nor call back, in
    every phase (the presolve of a model of 50,000 projects runs for minutes), so a run
    still going well past its deadline is stopped like an interrupted one: what is
    half-written removed, one line, exit 3."""
    grace = _overrun_grace(limit)

    def overrun() -> None:
        remove_live_temporaries()
        for child in multiprocessing.active_children():
            child.kill()
        said = Labels(language)("cli_overrun", grace=f"{grace:g}", limit=f"{limit:g}")
        with contextlib.suppress(OSError):
            os.write(2, (said + "\n").encode())
        os._exit(SOLVER_ERROR)

    timer = threading.Timer(max(0.0, deadline + grace - time.monotonic()), overrun)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Send what native code prints (HiGHS prints no banner, but any warning or log it
    writes) to stderr, keeping stdout clean JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _scenario(args: argparse.Namespace, data: PlanningData) -> Scenario:
    scenario = Scenario()
    if args.scenario:
        saved = _scenario_file(args.scenario)
        _check_replay(saved, data, args.allow_other_workbook, getattr(args, "language", "en"))
        scenario = saved.scenario
    return scenario.with_assignments(args.set or [])


def _check_replay(
    saved: SavedScenario, data: PlanningData, allowed: bool, language: str = "en"
) -> None:
    """A scenario saved from another workbook is refused unless --allow-other-workbook:
    its budgets by year are that workbook's amounts, so a replay would give the old answer
    as if it were this workbook's."""
    other = saved.other_workbook(data)
    if other is None:
        return
    if not allowed:
        raise ScenarioError(
            f"{other}. Add --allow-other-workbook to replay it anyway",
            "replay_refused",
            {"note": other},
        )
    labels = Labels(language)
    print(labels("note_line", note=labels.note(other)), file=sys.stderr)


def _input_bytes(path: str, kind: str) -> bytes:
    """A scenario or reference file's bytes; a missing or unreadable one is one coded line."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ScenarioError(
            f"{kind} file not found: {path}", f"{kind}_file_missing", {"path": path}
        ) from None
    except OSError as exc:
        code, reason = os_reason(exc)
        raise ScenarioError(
            f"cannot read the {kind} file {path}: {reason}",
            f"{kind}_file_unreadable",
            {"path": path, "errno": code, "reason": reason},
        ) from None


def _scenario_file(path: str) -> SavedScenario:
    """A scenario JSON file (with or without a UTF-8 BOM), or an Excel shortlist's Scenario."""
    content = _input_bytes(path, "scenario")
    if content[:2] == b"PK":  # a zip: the Excel shortlist, whose Scenario sheet reproduces it
        try:
            return read_saved_scenario(io.BytesIO(content))
        except ScenarioError as exc:
            raise exc.at(path) from None
        except Exception as exc:  # openpyxl and json raise many kinds on a foreign workbook
            raise ScenarioError(
                f"{path} is a workbook without a readable Scenario sheet ({exc})",
                "no_scenario_sheet",
                {"path": path, "reason": str(exc)},
            ) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(
            f"{path} is neither a scenario JSON file (UTF-8 text) nor an Excel shortlist",
            "not_scenario_file",
            {"path": path},
        ) from None
    return read_scenario_json(text)


def _reference_file(path: str) -> dict[str, int]:
    """A reference plan, {project_id: start year}: an Excel shortlist's chosen projects, or
    a `solve --json` output's `chosen`. Anything else is one line naming the file."""
    content = _input_bytes(path, "reference")
    if content[:2] == b"PK":  # a zip: an Excel shortlist
        try:
            return read_saved_plan(io.BytesIO(content))
        except ScenarioError as exc:
            raise exc.at(path) from None
        except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
            raise ScenarioError(
                f"{path} is not an Excel shortlist with a readable plan ({type(exc).__name__})",
                "no_plan_sheet",
                {"path": path, "reason": type(exc).__name__},
            ) from None
    wanted = ScenarioError(
        f"{path} is neither an Excel shortlist nor a `solve --json` output "
        '(an object whose "chosen" lists {"project_id": …, "start_year": …})',
        "not_reference_file",
        {"path": path},
    )
    try:
        result = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise wanted from None
    chosen = result.get("chosen") if isinstance(result, dict) else None
    if not isinstance(chosen, list):
        raise wanted
    plan: dict[str, int] = {}
    for k, entry in enumerate(chosen):
        pid = entry.get("project_id") if isinstance(entry, dict) else None
        year = entry.get("start_year") if isinstance(entry, dict) else None
        if not isinstance(pid, str) or isinstance(year, bool) or not isinstance(year, int):
            raise ScenarioError(
                f"chosen[{k}] needs a text project_id and a whole start_year, "
                f"got {str(entry)[:80]}",
                "reference_entry",
                {"k": k, "got": str(entry)[:80]},
            ).at(path)
        if pid in plan:
            raise ScenarioError(
                f"chosen[{k}]: {pid} is listed twice", "reference_twice", {"k": k, "id": pid}
            ).at(path)
        plan[pid] = year
    return plan


def _check_files(args: argparse.Namespace) -> None:
    """Before any work: every output can be written and replaces no input of the run."""
    out = getattr(args, "out", None) or getattr(args, "path", None)
    if not out:
        return
    inputs = [("workbook", getattr(args, "workbook", None))]
    inputs.append(("scenario file", getattr(args, "scenario", None)))
    inputs.append(("reference file", getattr(args, "reference", None)))
    for kind, given in inputs:
        if given and os.path.exists(out) and same_file(out, given):
            raise OutputError(
                f"{out} is the {kind} this run reads; it would be replaced. "
                "Choose another file for the output",
                "out_is_input",
                path=out,
                kind=kind,
            )
    if args.command == "template" and os.path.exists(out) and not args.force:
        raise OutputError(
            f"{out} exists; it was left as it is (add --force to replace it)",
            "out_exists",
            path=out,
        )
    check_writable(out)


# More local processes than this is a typing slip, not a machine (the pool's queue cannot
# even be made for some counts); a cluster is for more.
MOST_WORKERS = 256


def _where_problems(args: argparse.Namespace) -> list[tuple[str, str, dict[str, object]]]:
    """What is wrong with --workers and --scheduler (English, code, values)."""
    problems: list[tuple[str, str, dict[str, object]]] = []
    if args.workers < 1:
        said = f"--workers must be at least 1, got {args.workers}"
        problems.append((said, "workers_min", {"got": args.workers}))
    if args.workers > MOST_WORKERS:
        said = f"--workers must be at most {MOST_WORKERS} local processes, got {args.workers}"
        problems.append((said, "workers_max", {"most": MOST_WORKERS, "got": args.workers}))
    if args.scheduler is not None and args.workers > 1:
        problems.append(
            (
                "give --workers (local processes) or --scheduler (a Dask cluster), not both",
                "workers_or_scheduler",
                {},
            )
        )
    if args.scheduler is not None and "://" not in args.scheduler:
        problems.append(
            (
                f"--scheduler needs a Dask scheduler's address such as tcp://127.0.0.1:8786, "
                f"got '{args.scheduler}'",
                "scheduler_address",
                {"got": args.scheduler},
            )
        )
    return problems


def _refuse(problems: list[tuple[str, str, dict[str, object]]]) -> None:
    """Options refused as a scenario's are (exit 2, one message naming each)."""
    if problems:
        raise ScenarioError(
            "; ".join(english for english, _, _ in problems),
            parts=tuple((code, tuple(values.items())) for _, code, values in problems),
        )


def _check_frontier_options(args: argparse.Namespace) -> None:
    """The sweep's own options, checked as solve checks a scenario's (exit 2, one message)."""
    problems = _where_problems(args)
    if getattr(args, "values", None) is not None:
        parts = [p.strip() for p in args.values.split(",")]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if not values or not all(math.isfinite(v) and v >= 0 for v in values):
            problems.append(
                (
                    "--values needs numbers ≥ 0 separated by commas, e.g. 0.5,1,1.5; "
                    f"got '{args.values}'",
                    "values_list",
                    {"got": args.values},
                )
            )
    elif getattr(args, "points", 2) < 2:
        problems.append(
            (f"--points must be at least 2, got {args.points}", "points_min", {"got": args.points})
        )
    if args.time_limit is not None and not 0 < args.time_limit <= TIME_LIMIT_MAX:
        problems.append(
            (
                f"--time-limit must be > 0 and ≤ {TIME_LIMIT_MAX:g} seconds, "
                f"got {args.time_limit:g}",
                "time_limit_range",
                {"most": f"{TIME_LIMIT_MAX:g}", "got": f"{args.time_limit:g}"},
            )
        )
    if args.gap is not None and not 0 <= args.gap <= 1:
        problems.append(
            (
                f"--gap must be between 0 and 1 (0.01 is 1 %), got {args.gap:g}",
                "gap_range",
                {"got": f"{args.gap:g}"},
            )
        )
    _refuse(problems)


def _load(args: argparse.Namespace) -> PlanningData:
    """The command's workbook; its cities are kept on args, so that a diagnosis raised later
    names them in the language asked (Labels.for_regions)."""
    data = load_workbook(args.workbook)
    args.regions = data.regions
    return data


def _labels(args: argparse.Namespace) -> Labels:
    """The words of the language asked (English where the command takes none), with the
    workbook's city names once it is loaded: every message main prints is worded by them."""
    language = getattr(args, "language", "en")
    regions = getattr(args, "regions", None)
    return Labels(language) if regions is None else Labels.for_regions(regions, language)


def _check(args: argparse.Namespace) -> int:
    data = _load(args)
    labels = _labels(args)
    years = data.planning_years
    print(
        labels(
            "check_valid",
            path=args.workbook,
            projects=len(data.projects),
            regions=len(data.regions),
            first=years[0] if years else "-",
            last=years[-1] if years else "-",
        )
    )
    for warning in data.warnings:
        print(labels("note_line", note=labels.note(warning)))
    return SOLVED


def _is_sample(data) -> bool:
    """The packaged sample workbook (its Excel shortlist says "sample data")."""
    return data.source_name == "projects.xlsx"


def _solve(args: argparse.Namespace) -> int:
    started = time.monotonic()  # time_limit_s bounds the whole run, loading included
    _refuse(_where_problems(args))
    data = _load(args)
    scenario = _scenario(args, data)
    reference = _reference_file(args.reference) if args.reference else None
    limit = scenario.setting(data, "time_limit_s")
    deadline = started + limit
    with contextlib.ExitStack() as stack:
        # The backstop first, so that it also covers the wait for blocks still on workers.
        stack.enter_context(_hard_deadline(deadline, limit, args.language))
        executor = _executor(args, stack)
        stack.enter_context(_quiet_stdout())
        solution = solve(
            data, scenario, deadline=deadline, reference=reference, executor=executor
        )
        if args.out:
            export_workbook(
                solution,
                args.out,
                labels=Labels.for_solution(solution, args.language),
                sample_data=_is_sample(data),
            )
    if args.json:
        result = solution.to_dict()
        if args.reasons:
            result["not_chosen"] = console.reason_records(
                solution, Labels.for_solution(solution, args.language)
            )
        print(json.dumps(result, ensure_ascii=False))
        return SOLVED
    labels = Labels.for_solution(solution, args.language)
    for line in console.solve_lines(solution, labels):
        print(line)
    if solution.changes is not None:
        changes = solution.changes
        nearest = "" if changes.nearest_proven else labels("console_not_nearest")
        print(
            labels(
                "console_changes",
                entered=len(changes.entered),
                left=len(changes.left),
                moved=len(changes.moved),
                nearest=nearest,
            )
        )
    if args.out:
        print(labels("console_written", path=args.out))
    return SOLVED


def _executor(args: argparse.Namespace, stack: contextlib.ExitStack) -> Executor | None:
    """Where a batch command's solves run: this process, --workers local processes, or the
    Dask cluster at --scheduler (its `Client(address).get_executor()`)."""
    if args.scheduler is not None:
        return stack.enter_context(dask_executor(args.scheduler))
    if args.workers > 1:
        # After a Ctrl-C (os._exit) the semaphore tracker cleans up the pool's
        # semaphores itself; it need not add a warning to the one-line message.
        sys.warnoptions.append("ignore:resource_tracker:UserWarning")
        return stack.enter_context(process_pool(args.workers, ignore_interrupt=True))
    return None


def _frontier(args: argparse.Namespace) -> int:
    _check_frontier_options(args)
    data = _load(args)
    scenario = _scenario(args, data)
    points = args.points
    if args.values is not None:
        points = [float(v) for v in args.values.split(",")]
    with contextlib.ExitStack() as stack:
        executor = _executor(args, stack)
        stack.enter_context(_quiet_stdout())
        progress = None if args.quiet else stack.enter_context(console.progress_bar(args.lever))
        table = frontier(
            data,
            scenario,
            args.lever,
            points,
            options=RunOptions(
                executor=executor,
                progress=progress,
                time_limit_s=args.time_limit,
                mip_gap=args.gap,
            ),
        )
        if args.out:
            solution = solve(data, scenario)
            export_workbook(
                solution,
                args.out,
                frontier=table,
                labels=Labels.for_solution(solution, args.language),
                sample_data=_is_sample(data),
            )
    if args.json:
        print(table.to_json(orient="records", force_ascii=False))
        return SOLVED
    for line in console.frontier_lines(table, args.lever, _labels(args)):
        print(line)
    if args.out:
        print(_labels(args)("console_written", path=args.out))
    return SOLVED


def _run_batch(args: argparse.Namespace, label: str, analysis):  # noqa: ANN001, ANN202
    """A batch command's run: the workbook and scenario, the solves where --workers or
    --scheduler say, a progress bar unless --quiet; `analysis(data, scenario, options)`."""
    _check_frontier_options(args)
    data = _load(args)
    scenario = _scenario(args, data)
    with contextlib.ExitStack() as stack:
        executor = _executor(args, stack)
        stack.enter_context(_quiet_stdout())
        progress = None if args.quiet else stack.enter_context(console.progress_bar(label))
        options = RunOptions(
            executor=executor, progress=progress, time_limit_s=args.time_limit, mip_gap=args.gap
        )
        return analysis(data, scenario, options)


def _print_json(table) -> int:  # noqa: ANN001
    print(table.to_json(orient="records", force_ascii=False))
    return SOLVED


def _print_lines(lines: list[str]) -> int:
    for line in lines:
        print(line)
    return SOLVED


def _grid(args: argparse.Namespace) -> int:
    levers = tuple(part.strip() for part in args.levers.split(","))
    if len(levers) != 2:
        raise ScenarioError(
            f"--levers needs two levers separated by a comma, got '{args.levers}'",
            "levers_two",
            {"got": args.levers},
        )
    table, data = _run_batch(
        args,
        "grid",
        lambda data, scenario, options: (
            frontier_grid(data, scenario, levers, (args.points, args.points), options=options),
            data,
        ),
    )
    if args.json:
        return _print_json(table)
    return _print_lines(console.grid_lines(table, _labels(args)))


def _break_even(args: argparse.Namespace) -> int:
    ids = [p.strip() for p in args.projects.split(",")] if args.projects else None

    def analysis(data: PlanningData, scenario: Scenario, options: RunOptions):  # noqa: ANN202
        # Nothing (no solve) comes before the refusal of an unknown id.
        check_projects(data, ids)
        # The headline is break-even's own base solve: solved once, passed in.
        base = solve(data, scenario)
        table = break_even(
            data,
            scenario,
            options=options,
            projects=ids,
            include_chosen=not args.left_out,
            current=base,
        )
        return table, base

    table, base = _run_batch(args, "break-even", analysis)
    if args.json:
        return _print_json(table)
    labels = Labels.for_solution(base, args.language)
    return _print_lines(console.break_even_lines(table, base, labels))


def _robustness(args: argparse.Namespace) -> int:
    result, base = _run_batch(
        args,
        "robustness",
        lambda data, scenario, options: (
            robustness(
                data,
                scenario,
                draws=args.draws,
                spread=args.spread,
                overrun=args.overrun,
                rate_spread=args.rate_spread,
                seed=args.seed,
                options=options,
            ),
            # The headline the draws are read against (not needed for the JSON).
            None if args.json else solve(data, scenario),
        ),
    )
    if args.json:
        print(
            json.dumps(
                {
                    "summary": result.summary(),
                    "projects": json.loads(result.projects.to_json(orient="records")),
                    "draws": json.loads(result.draws.to_json(orient="records")),
                },
                ensure_ascii=False,
            )
        )
        return SOLVED
    labels = Labels.for_solution(base, args.language)
    return _print_lines(console.robustness_lines(result, base, labels))


def _limits(args: argparse.Namespace) -> int:
    data, table = _run_batch(
        args,
        "limits",
        lambda data, scenario, options: (data, limit_values(data, scenario, options=options)),
    )
    if args.json:
        rows = table[JSON_KEYS].to_dict(orient="records")
        print(json.dumps(rows, ensure_ascii=False))
        return SOLVED
    # The workbook's own city names, so a Chinese table names no city in Latin letters.
    for line in console.limit_values_lines(table, _labels(args)):
        print(line)
    return SOLVED


def _template(args: argparse.Namespace) -> int:
    write_template(args.path)  # an existing file only with --force (_check_files)
    print(_labels(args)("template_written", path=args.path))
    return SOLVED


def _where_options(command: argparse.ArgumentParser, what: str = "", only: str = "") -> None:
    """Where the solves run: --workers local processes or the Dask cluster at --scheduler
    (`what`: what runs there; `only`: when it is used)."""
    command.add_argument(
        "--workers", type=int, default=1, help=f"solve {what}on this many processes{only}"
    )
    command.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help=f"solve {what}on the Dask cluster of this scheduler (see the README's "
        f"Dask section){only}",
    )


def _batch_options(
    command: argparse.ArgumentParser, unit: str, gap_default: str = "scenario"
) -> None:
    """Where a batch command's solves run and what ends each (every batch command)."""
    _where_options(command)
    command.add_argument("--time-limit", type=float, help=f"seconds per {unit} (safety net)")
    command.add_argument(
        "--gap", type=float, help=f"relative gap per {unit} (default: {gap_default})"
    )
    command.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    command.add_argument("--json", action="store_true", help="print the result as JSON")


def _workbook_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("workbook")
    command.add_argument(
        "--language", choices=["en", "zh"], default="en", help="the words printed (en, zh)"
    )
    command.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="scenario value, e.g. fiscal_budget_scale=1.2 or fiscal_budget.2023=250",
    )
    command.add_argument("--scenario", help="a scenario JSON file (from the app or a notebook)")
    command.add_argument(
        "--allow-other-workbook",
        action="store_true",
        help="replay a --scenario saved from another workbook (a note says what it carries)",
    )


def _scenario_options(command: argparse.ArgumentParser) -> None:
    _workbook_options(command)
    command.add_argument("--out", help="write the Excel shortlist here")


class _Parser(argparse.ArgumentParser):
    """argparse's parser, its usage errors in `language`: argparse refuses a command line
    before it has read --language, so main reads that first (`_language_asked`)."""

    def __init__(self, *args: object, language: str = "en", **options: object) -> None:
        super().__init__(*args, **options)  # type: ignore[arg-type]
        self.language = language

    def error(self, message: str) -> NoReturn:
        labels = Labels(self.language)
        usage = self.format_usage().replace("usage: ", labels("cli_usage"), 1)
        said = labels("cli_usage_error", prog=self.prog, message=labels.usage_error_words(message))
        self.exit(2, f"{usage}{said}\n")


def _language_asked(argv: Sequence[str]) -> str:
    """The --language of a command line not yet parsed (en unless it names another)."""
    for k, word in enumerate(argv):
        asked = argv[k + 1] if word == "--language" and k + 1 < len(argv) else None
        if word.startswith("--language="):
            asked = word.partition("=")[2]
        if asked is not None:
            return asked if asked in LANGUAGES else "en"
    return "en"


def parser(language: str = "en") -> argparse.ArgumentParser:
    """The command line's parser; language: the words of its usage errors."""
    top = _Parser(
        prog="python -m optimizer",
        description="Jiangsu infrastructure investment prioritiser",
        language=language,
    )
    commands = top.add_subparsers(
        dest="command", required=True, parser_class=functools.partial(_Parser, language=language)
    )
    check = commands.add_parser("check", help="validate a workbook and list its problems")
    check.add_argument("workbook")
    check.add_argument("--language", choices=["en", "zh"], default="en", help="en or zh")
    check.set_defaults(run=_check)
    run = commands.add_parser("solve", help="choose the portfolio for a scenario")
    _scenario_options(run)
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.add_argument(
        "--reasons",
        action="store_true",
        help="with --json: add not_chosen, each left-out project's reason (in --language)",
    )
    run.add_argument(
        "--reference",
        metavar="FILE",
        help="stay near this plan (an Excel shortlist or a solve --json output): among the "
        "portfolios within the gap, the one with the fewest projects in or out, then start "
        "years moved; --json adds changes",
    )
    _where_options(
        run,
        "the blocks ",
        "; only a solve by blocks (tens of thousands of projects) uses them, with the "
        "same answer as in one process",
    )
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
    _batch_options(sweep, "point")
    sweep.set_defaults(run=_frontier)
    grid = commands.add_parser("grid", help="re-solve as two levers move (a heat map)")
    _workbook_options(grid)
    grid.add_argument("--levers", default="fiscal_budget,bond_quota", help="two levers, x,y")
    grid.add_argument("--points", type=int, default=5, help="evenly spaced points per lever")
    _batch_options(grid, "cell")
    grid.set_defaults(run=_grid)
    even = commands.add_parser(
        "break-even", help="what forcing each project in (left out) or out (chosen) costs"
    )
    _workbook_options(even)
    even.add_argument("--projects", help="only these project ids, separated by commas")
    even.add_argument(
        "--left-out", action="store_true", help="only the projects left out (entry thresholds)"
    )
    _batch_options(even, "solve")
    even.set_defaults(run=_break_even)
    robust = commands.add_parser(
        "robustness", help="re-solve with jobs and capex drawn at random: how often each is chosen"
    )
    _workbook_options(robust)
    robust.add_argument("--draws", type=int, default=200)
    robust.add_argument("--spread", type=float, default=0.30, help="jobs per 亿元 within ±this")
    robust.add_argument("--overrun", type=float, default=0.40, help="capex overruns up to this")
    robust.add_argument(
        "--rate-spread",
        type=float,
        default=0.50,
        help="each city's baseline re-employment rate within ±this (clipped to 0–1)",
    )
    robust.add_argument("--seed", type=int, default=2021)
    _batch_options(robust, "draw")
    robust.set_defaults(run=_robustness)
    values = commands.add_parser(
        "limits", help="what 10 %% more of each limit buys, ranked (re-solves from the plan)"
    )
    _workbook_options(values)
    _batch_options(values, "re-solve", f"{VALUE_GAP:g}, finer than a scenario's")
    values.set_defaults(run=_limits)
    template = commands.add_parser("template", help="write a blank workbook")
    template.add_argument("path")
    template.add_argument("--force", action="store_true", help="replace an existing file")
    template.set_defaults(run=_template)
    return top


def _closed_streams() -> list[str]:
    """Point a closed stdout or stderr (`>&-`) at the null device, so that nothing the run
    prints fails; the names of those that were closed."""
    closed = []
    for fd, name in ((1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
            if getattr(sys, name) is not None:
                continue
        except OSError:
            null = os.open(os.devnull, os.O_WRONLY)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        setattr(sys, name, open(fd, "w", encoding="utf-8", closefd=False))  # noqa: SIM115
        closed.append(name)
    return closed


def main(argv: Sequence[str] | None = None) -> int:
    closed = _closed_streams()
    words = list(sys.argv[1:] if argv is None else argv)
    args = parser(_language_asked(words)).parse_args(words)
    if "stdout" in closed and getattr(args, "json", False):
        print(_labels(args)("cli_stdout_closed"), file=sys.stderr)
        return BAD_INPUT
    try:
        with _stop_on_interrupt():
            _check_files(args)
            return args.run(args)
    except WorkbookError as error:
        print(console.workbook_problems_text(error, _labels(args)), file=sys.stderr)
        return BAD_INPUT
    except (ScenarioError, AnalysisError, OSError) as error:
        labels = _labels(args)
        print(labels("cli_error", message=labels.error_words(error)), file=sys.stderr)
        return BAD_INPUT
    except InfeasibleError as error:
        if getattr(args, "json", False):
            print(json.dumps(console.infeasible_record(error.conflicts), ensure_ascii=False))
        print(console.infeasible_text(error.conflicts, _labels(args)), file=sys.stderr)
        return INFEASIBLE
    except SolverError as error:
        labels = _labels(args)
        print(labels("cli_error", message=labels.error_words(error)), file=sys.stderr)
        return SOLVER_ERROR
    except ValueError as error:  # one with no code: its English words
        labels = _labels(args)
        print(labels("cli_error", message=labels.error_words(error)), file=sys.stderr)
        return BAD_INPUT
    except RecursionError:
        print(_labels(args)("cli_nested"), file=sys.stderr)
        return BAD_INPUT
    except Exception as error:  # a fault of this program: one line, never a traceback
        fault = f"{type(error).__name__}: {error}"
        print(_labels(args)("cli_internal", fault=fault), file=sys.stderr)
        return INTERNAL
