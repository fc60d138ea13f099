"""Test inputs: small workbooks (the one workbook builder, its columns read from the data
contract) and planning problems built directly as tables (no workbook round trip)."""

from __future__ import annotations

import contextlib
import io
import math
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pandas as pd

from optimizer import (
    PlanningData,
    Scenario,
    Solution,
    cli,
    load_workbook,
    solve,
    strategies,
    tradeoffs,
)
from optimizer.present.labels import Labels
from optimizer.schema import SECTORS, columns, setting_defaults

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest


def header(sheet: str) -> list[str]:
    """A sheet's columns, in the contract's order (optimizer/contract.csv)."""
    return [c.name for c in columns(sheet)]


PROJECT_HEADER = header("projects")
REGION_HEADER = header("regions")


def project(pid: str, **values: object) -> dict[str, object]:
    """A workbook row of the projects sheet: a one-year transport project in region A, capex
    10, half from the budget and half from bonds, 100 jobs per 亿元; the rest left blank."""
    row: dict[str, object] = dict(
        project_id=pid,
        name=f"project {pid}",
        sector="transport",
        region="A",
        capex=10.0,
        duration_years=1,
        budget_share=0.5,
        bond_share=0.5,
        private_share=0.0,
        jobs_per_yi=100.0,
    )
    row.update(values)
    return row


def region(name: str, **values: object) -> dict[str, object]:
    """A workbook row of the regions sheet: 1000 displaced workers, spending and headroom 100."""
    row: dict[str, object] = dict(
        region=name,
        lat=32.0,
        lon=119.0,
        displaced_workers=1000.0,
        general_budget_expenditure=100.0,
        debt_headroom=100.0,
    )
    row.update(values)
    return row


def workbook_bytes(
    projects: list[dict[str, object]] | None = None,
    regions: list[dict[str, object]] | None = None,
    years: list[tuple[object, ...]] | None = None,
    sectors: list[tuple[object, ...]] | None = None,
    settings: list[tuple[object, object]] | None = None,
    displacement: list[tuple[object, ...]] | None = None,
    *,
    project_header: list[str] | None = None,
    drop_sheets: tuple[str, ...] = (),
    edit: Callable[[openpyxl.Workbook], None] | None = None,
) -> bytes:
    """A small, valid workbook (two regions, three projects, two years) with changes.

    Every sheet has the contract's columns in its order (a cell not given is left blank, as a
    planner leaves it); `project_header` replaces the projects sheet's header. years, sectors
    and displacement rows are tuples in the contract's column order; settings rows are
    (key, value). The sectors, settings and displacement sheets are written only when given.
    """
    projects = projects if projects is not None else [project("P1"), project("P2"), project("P3")]
    regions = regions if regions is not None else [region("A"), region("B", lat=32.1)]
    years = years if years is not None else [(2021, 10.0, 10.0), (2022, 10.0, 10.0)]
    book = openpyxl.Workbook()
    book.remove(book.active)
    project_columns = project_header or PROJECT_HEADER
    sheets: dict[str, list[list[object]]] = {
        "projects": [project_columns] + [[p.get(h) for h in project_columns] for p in projects],
        "regions": [REGION_HEADER] + [[r.get(h) for h in REGION_HEADER] for r in regions],
        "years": [header("years")] + [list(y) for y in years],
    }
    for title, rows in (("sectors", sectors), ("displacement", displacement)):
        if rows is not None:
            sheets[title] = [header(title)[: len(rows[0])] if rows else header(title)]
            sheets[title] += [list(row) for row in rows]
    if settings is not None:
        sheets["settings"] = [["key", "value"]] + [list(s) for s in settings]
    for title, rows in sheets.items():
        if title in drop_sheets:
            continue
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if edit:
        edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def planning_data(
    projects: list[dict],
    regions: list[dict],
    years: list[tuple[int, float, float]],
    sectors: dict[str, tuple[float, float]] | None = None,
    displacement: list[tuple] | None = None,
    *,
    v3: bool = False,
    **settings: float,
) -> PlanningData:
    """Validated-shape tables with the contract's defaults filled, like the loader gives.

    years: (year, fiscal_budget, bond_quota[, training_budget]) rows. displacement: optional
    (region, year, workers[, sector, earliest_year, latest_year]) rows, the `displacement`
    sheet (None or empty: every region's displaced_workers count from the year before the
    first). v3: the contract's defaults for every setting; otherwise (the tests written for
    version 2) the neutral settings of model.md that give version 2's exposure: a layoff
    year counts in full and no user-pay-only rule.
    """
    year_list = [y[0] for y in years]
    rows = []
    for p in projects:
        row = {c.name: c.default_value() for c in columns("projects")}
        row.update(
            dict(
                sector="transport",
                duration_years=1,
                budget_share=1.0,
                bond_share=0.0,
                private_share=0.0,
                name=p["project_id"],
            )
        )
        row.update(p)
        if row["earliest_start"] is None:
            row["earliest_start"] = year_list[0]
        if row["latest_start"] is None:
            row["latest_start"] = year_list[-1] - row["duration_years"] + 1
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[c.name for c in columns("projects")])
    for text in ("exclusive_group", "requires", "source", "name", "basis", "ppp_mechanism"):
        frame[text] = frame[text].fillna("").astype(str)
    # Like the loader's _fill_mechanism: a PPP payment with no mechanism is viability-gap.
    paying = frame["ppp_annual_payment"].astype(float) > 0
    frame.loc[paying & (frame["ppp_mechanism"] == ""), "ppp_mechanism"] = "viability_gap"
    region_rows = []
    for r in regions:
        row = dict(
            name_zh="",
            lat=32.0,
            lon=119.0,
            displaced_workers=0.0,
            general_budget_expenditure=100.0,
            existing_ppp_payments=0.0,
            debt_headroom=1e6,
            source="",
            basis="",
        )
        row.update(r)
        region_rows.append(row)
    region_frame = pd.DataFrame(region_rows)
    centre = region_frame.set_index("region")
    frame["lat"] = frame["lat"].fillna(frame["region"].map(centre["lat"])).astype(float)
    frame["lon"] = frame["lon"].fillna(frame["region"].map(centre["lon"])).astype(float)
    for name in ("earliest_start", "latest_start", "duration_years"):
        frame[name] = frame[name].astype("Int64")
    sectors = sectors or {}
    sector_frame = pd.DataFrame(
        [
            dict(
                sector=s,
                min_share=sectors.get(s, (0.0, 1.0))[0],
                max_share=sectors.get(s, (0.0, 1.0))[1],
            )
            for s in SECTORS
        ]
    )
    all_settings = setting_defaults()
    all_settings.update(mip_gap=0.0, time_limit_s=20.0)
    if not v3:
        all_settings.update(V2_NEUTRAL)
    all_settings.update(settings)
    for column in ("baseline_reemployment_rate", "max_layoffs_per_year"):
        if column not in region_frame:
            region_frame[column] = float("nan")
        region_frame[column] = region_frame[column].astype(float)
    names = ["region", "year", "workers", "sector", "earliest_year", "latest_year"]
    schedule = pd.DataFrame(
        [tuple(row) + (None,) * (len(names) - len(row)) for row in displacement or []],
        columns=names,
    )
    if len(schedule):
        schedule["sector"] = schedule["sector"].fillna("").astype(str)
        for end in ("earliest_year", "latest_year"):
            schedule[end] = schedule[end].fillna(schedule["year"])
        schedule = schedule.astype(
            {"year": int, "workers": float, "earliest_year": int, "latest_year": int}
        )
    year_rows = [tuple(y) + (0.0,) * (4 - len(y)) for y in years]
    return PlanningData(
        displacement=schedule,
        projects=frame,
        regions=region_frame,
        years=pd.DataFrame(
            year_rows, columns=["year", "fiscal_budget", "bond_quota", "training_budget"]
        ),
        sectors=sector_frame,
        settings=all_settings,
    )


# model.md's neutral settings: with these (and no training budget, fixed layoff years)
# version 3's exposure and matching are version 2's.
V2_NEUTRAL = {"layoff_year_exposure": 1.0, "ppp_user_pay_only_from": math.inf}

# What Solution.to_dict() and `solve --json` promise, in order (issue 18).
SOLUTION_JSON_KEYS = [
    "status",
    "objective",
    "worker_years",
    "jobless_worker_years",
    "exposure_worker_years",
    "reemployed_peak",
    "job_years",
    "trainees",
    "gap",
    "solver",
    "strategy",
    "chosen",
    "reemployed_by_year",
    "reemployed_by_region",
    "trainees_by_region",
    "trainees_by_region_year",
    "layoffs",
]


def run_cli(folder: object, *args: object, timeout: float = 300, **options: object):
    """`python -m optimizer ARGS` run in folder, its output read as text (a timeout only
    bounds a hang); options go to subprocess.run (umask, input, ...)."""
    options.setdefault("umask", 0o022)
    return subprocess.run(
        [sys.executable, "-m", "optimizer", *map(str, args)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
        **options,
    )


def run_cli_here(capfd: object, folder: object, *args: object) -> subprocess.CompletedProcess:
    """`python -m optimizer ARGS` as run_cli, in this process: for a test of what a command
    prints and returns, not of the process itself (signals, closed streams, umask), it saves
    the start of an interpreter and its imports. capfd (pytest's fixture) reads the output at
    the file descriptors, so native code's prints land where they would in a process."""
    capfd.readouterr()  # what the test printed before is not the command's
    with contextlib.chdir(folder):
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as stop:  # argparse's usage errors
            code = stop.code if isinstance(stop.code, int) else 1
    out, err = capfd.readouterr()
    return subprocess.CompletedProcess(["python", "-m", "optimizer", *args], code, out, err)


def v2_objective(solution) -> float:  # noqa: ANN001 (a Solution)
    """Version 2's objective (re-employed + weighted jobs, each year weighted) from version
    3's maximised form, which also subtracts the weighted exposure."""
    rate = solution.scenario.discount_rate or 0.0
    y = solution.by_year
    first = int(y["year"].min())
    weights = (1.0 + rate) ** -(y["year"].astype(int) - first)
    return solution.objective + float((weights * y["exposure"]).sum())


__all__ = [
    "PROJECT_HEADER",
    "REGION_HEADER",
    "SOLUTION_JSON_KEYS",
    "V2_NEUTRAL",
    "header",
    "load_workbook",
    "planning_data",
    "project",
    "region",
    "run_cli",
    "run_cli_here",
    "sample_subset",
    "v2_objective",
    "workbook_bytes",
]


def sample_subset(
    sample: PlanningData, count: int = 25, money_divisor: float = 8, **settings: float
) -> PlanningData:
    """The sample's first projects with budgets cut to match: small enough to solve exactly."""
    return planning_data(
        sample.projects.head(count).assign(requires="").to_dict("records"),
        sample.regions.to_dict("records"),
        list(
            sample.years[["year", "fiscal_budget", "bond_quota"]]
            .assign(
                fiscal_budget=lambda y: y["fiscal_budget"] / money_divisor,
                bond_quota=lambda y: y["bond_quota"] / money_divisor,
            )
            .itertuples(index=False, name=None)
        ),
        displacement=list(
            sample.displacement[["region", "year", "workers"]].itertuples(index=False, name=None)
        ),
        **settings,
    )


def _cpu_of(stat: str) -> tuple[int, float]:
    """(process group, user and system CPU seconds, every thread) from /proc/PID/stat."""
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[2]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU seconds a running process has used (Linux /proc)."""
    return _cpu_of(Path(f"/proc/{pid}/stat").read_text())[1]


def group_cpu_seconds(group: int) -> float:
    """CPU seconds the running processes of a process group have used together (a command and
    its worker processes; those already ended are not counted)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):  # a process that ended meanwhile
            owner, seconds = _cpu_of(stat.read_text())
            if owner == group:
                total += seconds
    return total


# Two busy loops: a loaded machine, for the tests that the same plans come under load.
@contextlib.contextmanager
def busy_loops(count: int = 2) -> Iterator[None]:
    """`count` processes spinning on the CPU for as long as the block runs; always ended."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
        for spinner in spinners:
            spinner.wait(timeout=10)


# The app asks a heat map of 5 × 5 settings and at least 10 robustness draws (its slider's
# least): AppTest tests of the words and marks on those analyses ask fewer, since the
# sentences, tables and charts are drawn by the same code whatever the count.
APP_GRID, APP_LEAST_DRAWS = (5, 5), 10


def smaller_app_analyses(monkeypatch: object, grid: tuple[int, int], draws: int | None) -> None:
    """In this process, the app's heat map is `grid` settings instead of APP_GRID and, unless
    `draws` is None, its robustness makes `draws` draws instead of the slider's 10."""
    full_grid, full_robustness = tradeoffs.frontier_grid, tradeoffs.robustness

    def small_grid(data, scenario, levers, points, **options):  # noqa: ANN001, ANN202
        assert tuple(points) == APP_GRID, points  # the app's own call, changed
        return full_grid(data, scenario, levers, grid, **options)

    def few_draws(*args, **options):  # noqa: ANN002, ANN003, ANN202
        assert options.pop("draws") == APP_LEAST_DRAWS  # the app's own call, changed
        return full_robustness(*args, draws=draws, **options)

    monkeypatch.setattr(tradeoffs, "frontier_grid", small_grid)
    if draws is not None:
        monkeypatch.setattr(tradeoffs, "robustness", few_draws)


# The app's tabs by code, in their order (optimizer.ui.tabs.TABS, which a test compares).
APP_TABS = ("result", "map", "tradeoffs", "compare", "shortlist")


def open_tab(at: AppTest, code: str) -> AppTest:
    """The app with its tab `code` ("result", "map", "tradeoffs", "compare", "shortlist")
    open, as a planner's click opens it: a rerun, after which only that tab's content is on
    the page. The tab is chosen by its name in the page's language; one open already is
    left as it is (no rerun)."""
    if "open_tab" in at.session_state and at.session_state["open_tab"] == code:
        return at
    language = at.sidebar.radio(key="language").value
    at.session_state["tabs"] = Labels(language)(f"tab_{code}")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def each_tab(at: AppTest) -> Iterator[AppTest]:
    """The app with each of its tabs open in turn (a rerun each), for a test that reads the
    whole page: only the open tab's content is drawn."""
    for code in APP_TABS:
        yield open_tab(at, code)


def lp_submip_answer(
    data: PlanningData, scenario: Scenario, budgets: dict[str, int]
) -> tuple[object, ...]:
    """One solve with `optimizer.strategies`' work budgets set to `budgets` (names as there)
    and put back after, so that a pool's worker can run it too: the plan and its figures."""
    saved = {name: getattr(strategies, name) for name in budgets}
    try:
        for name, value in budgets.items():
            setattr(strategies, name, value)
        solution = solve(data, scenario)
    finally:
        for name, value in saved.items():
            setattr(strategies, name, value)
    return answer_of(solution)


def answer_of(solution: Solution) -> tuple[object, ...]:
    """What two solves of one scenario must share to be the same answer: the plan, its
    status, objective, gap, bound, detail and strategy."""
    return (
        solution.chosen_starts,
        solution.status,
        solution.solver_objective,
        solution.gap,
        solution.bound,
        solution.detail,
        solution.strategy,
    )


class CountingExecutor(Executor):
    """An executor that passes each task on to another and keeps the functions it was given."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self.submitted: list[object] = []

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        self.submitted.append(fn)
        return self.inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait, cancel_futures=cancel_futures)


class SharedPool(CountingExecutor):
    """The test process's two-worker pool (conftest's `spawned_pool`), handed to code that
    makes a pool of its own and shuts it down when done: tasks pass on to the shared pool,
    whose two interpreters are already started, and shutting down leaves it running."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass
