"""Shared fixtures: the sample workbook and its solves, made once for the whole run, and the
hypothesis profiles. Test inputs are built in helpers.py."""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import PROJECT_HEADER, REGION_HEADER, project, region, run_cli_here, workbook_bytes
from hypothesis import HealthCheck, settings

import optimizer
from optimizer import Scenario, background, solve

# The one workbook builder lives in helpers.py; its names stay importable from here too.
__all__ = [
    "PROJECT_HEADER",
    "REGION_HEADER",
    "ROOT",
    "SAMPLE",
    "project",
    "region",
    "workbook_bytes",
]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "projects.xlsx"

# Property tests. CI: the same examples every run (derandomized, so no example database), no
# deadline (each example is a solve, whose time depends on the machine's load), and few of
# them: each is a solve and a brute force. A nightly run explores far more:
# HYPOTHESIS_PROFILE=thorough (a test's own @settings would override it: leave max_examples
# to the profile).
settings.register_profile(
    "ci",
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# ---------------------------------------------------------------- the two test processes
#
# pytest-xdist hands whole files to the two processes (--dist loadfile), in collection order
# (--no-loadscope-reorder: not most tests first, which put the two-test browser and notebook
# files last). The files that take longest start first, so that the short ones fill in at
# the end and both processes finish together; the rest follow in their own order. Measured
# order (each file's seconds in a two-process run, benchmarks/RESULTS.md); a file renamed
# here must be renamed in the list.
SLOWEST_FIRST = (
    "test_app.py",
    "test_browser.py",
    "test_dask_scheduler.py",
    "test_app_one_figure.py",
    "test_tradeoffs.py",
    "test_stable_plans.py",
    "test_batch_commands.py",
    "test_precision.py",
    "test_outputs.py",
    "test_conclusions.py",
    "test_frontier_jobs_trade.py",
    "test_one_figure.py",
    "test_cli_safety.py",
    "test_notebook.py",
    "test_strategies.py",
    "test_api_arguments.py",
    "test_limit_values.py",
    "test_model_properties.py",
    "test_labels.py",
    "test_printed.py",
    "test_readme.py",
    "test_output_targets.py",
    "test_signals.py",
    "test_background.py",
)
_missing = [name for name in SLOWEST_FIRST if not (ROOT / "tests" / name).exists()]
assert not _missing, f"SLOWEST_FIRST names test files that do not exist: {_missing}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: k for k, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: keeps the rest


# ---------------------------------------------------------------- shared, never changed
#
# Made once for the whole run and handed to every test that asks: a test must not change
# them (take a copy to change). After every test that used one, it is compared with a copy
# taken when it was made, so a test that changes it fails, by name.

_SHARED: dict[str, tuple[object, object]] = {}  # fixture name: (object, copy when made)


def _shared(name: str, value: object) -> object:
    _SHARED[name] = (value, _copy(value))
    return value


def _fields(value: object) -> list[str]:
    # Not the fields made after init: caches (a fingerprint) that fill in as they are read.
    return [f.name for f in dataclasses.fields(value) if f.init]


def _copy(value: object) -> object:
    if isinstance(value, (pd.DataFrame, np.ndarray)):
        return value.copy()
    if dataclasses.is_dataclass(value):
        return {name: _copy(getattr(value, name)) for name in _fields(value)}
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value  # immutable


def _changes(value: object, copy: object, where: str) -> list[str]:
    """Where `value` differs from `copy` (a DataFrame by its values, dtypes and labels)."""
    if isinstance(value, pd.DataFrame):
        same = value.equals(copy) and value.columns.equals(copy.columns)
    elif isinstance(value, np.ndarray):
        same = np.array_equal(value, copy, equal_nan=value.dtype.kind == "f")
    elif dataclasses.is_dataclass(value):
        return [
            change
            for name in _fields(value)
            for change in _changes(getattr(value, name), copy[name], f"{where}.{name}")
        ]
    elif isinstance(value, dict) and value.keys() == copy.keys():
        return [c for k in value for c in _changes(value[k], copy[k], f"{where}[{k!r}]")]
    elif isinstance(value, list) and len(value) == len(copy):
        return [c for k, v in enumerate(value) for c in _changes(v, copy[k], f"{where}[{k}]")]
    else:
        same = value is copy or value == copy
    return [] if same else [where]


@pytest.fixture(autouse=True)
def _main_module_is_pytests() -> Iterator[None]:
    """Streamlit's AppTest runs app.py as the `__main__` module and leaves it there; a
    process pool started later in the same test process then spawns workers that re-run
    app.py on start (and die). Put pytest's own `__main__` back after every test."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(autouse=True)
def _shared_objects_are_left_unchanged(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    changed = []
    for name in sorted(set(request.fixturenames) & set(_SHARED)):
        value, copy = _SHARED[name]
        if found := _changes(value, copy, name):
            changed += found
            _SHARED[name] = (value, _copy(value))  # blamed once, not in every later test
    assert not changed, f"the test changed the shared {', '.join(changed)}: copy it first"


@pytest.fixture(scope="session")
def sample() -> optimizer.PlanningData:
    return _shared("sample", optimizer.load_workbook(SAMPLE))


@pytest.fixture(scope="session")
def sample_solution(sample: optimizer.PlanningData) -> optimizer.Solution:
    """The sample solved with the workbook's own settings: proven within its gap in a second
    or two, so the same answer as the app's first solve (whose limit is 10 s)."""
    return _shared("sample_solution", solve(sample))


# The hard scenario: at 0.5 of the budgets the sample's proof takes under 2 CPU seconds, with
# a few better portfolios found on the way. A generous time limit, so the answer ends on its
# gap: the same on any machine and under any load. The tests that must see such a solve
# mid-way (a provisional answer, a solve left and cancelled) make it last in wall time with
# `slow_solves`, not by solving something harder.
HARD = Scenario(fiscal_budget_scale=0.5, bond_quota_scale=0.5, time_limit_s=120)

# How long a slowed solve pauses after its first portfolio with a gap (see slow_solves): at
# least as long as a test's page run waits before it leaves the solve (test_app's 1.5 s).
PAUSE_S = 1.5


@pytest.fixture
def slow_solves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every background solve of a scenario at HARD's budgets pauses PAUSE_S once, after the
    first portfolio HiGHS finds with a gap (the first the page can show as provisional), and
    still stops as soon as it is asked to: the solve lasts at least PAUSE_S on any machine,
    with a provisional answer ready to see meanwhile, while it takes a core only for HARD's
    short proof. (One pause, not one after each better portfolio: the tests need the solve
    seen mid-way once, and the later pauses only added seconds of waiting.) HiGHS, on one
    thread, finds the same portfolios in the same order whatever the pause, so the answer is
    the synchronous solve's."""
    answer_of = background.answer_of

    def hard(scenario: Scenario) -> bool:
        return (scenario.fiscal_budget_scale, scenario.bond_quota_scale) == (
            HARD.fiscal_budget_scale,
            HARD.bond_quota_scale,
        )

    def slowed(data, scenario, reference=None, **hooks):  # noqa: ANN001, ANN202 (answer_of's)
        found, stop = hooks.get("on_incumbent"), hooks.get("stop")
        if found is None or not hard(scenario):
            return answer_of(data, scenario, reference, **hooks)
        paused = False

        def found_then_pause(inst: object, starts: object, gap: float) -> None:
            nonlocal paused
            found(inst, starts, gap)
            # The job reports only a portfolio with a gap (HiGHS's first may have none).
            if paused or not math.isfinite(gap):
                return
            paused = True
            until = time.monotonic() + PAUSE_S
            while time.monotonic() < until and not (stop is not None and stop()):
                time.sleep(0.01)

        return answer_of(data, scenario, reference, **{**hooks, "on_incumbent": found_then_pause})

    monkeypatch.setattr(background, "answer_of", slowed)


@pytest.fixture(scope="session")
def hard_solution_soon(sample: optimizer.PlanningData) -> Iterator[Future[optimizer.Solution]]:
    """hard_solution being worked out in a thread: a test can have the app solve the same
    scenario meanwhile, on the other core, and compare when both are done."""
    with ThreadPoolExecutor(1) as thread:
        yield thread.submit(solve, sample, HARD)


@pytest.fixture(scope="session")
def hard_solution(hard_solution_soon: Future[optimizer.Solution]) -> optimizer.Solution:
    """The sample at HARD's budgets, solved synchronously."""
    return _shared("hard_solution", hard_solution_soon.result())


# ---------------------------------------------------------------- Streamlit's AppTest
#
# Each new AppTest scans every installed package's metadata for Streamlit components (about
# 0.08 CPU s, a hundred packages' metadata parsed): the packages installed do not change
# during a test run, so each test process scans once and every later AppTest reads the same
# list, as the app's server does, which scans once when it starts. (A Streamlit without this
# scan, older or newer than the one measured, 1.67: nothing to do.)
try:
    from streamlit.components.v2 import manifest_scanner
except ImportError:
    manifest_scanner = None
if hasattr(manifest_scanner, "scan_component_manifests"):
    manifest_scanner.scan_component_manifests = functools.cache(
        manifest_scanner.scan_component_manifests
    )


# ---------------------------------------------------------------- a process pool


@pytest.fixture(scope="session")
def spawned_pool() -> Iterator[Executor]:
    """A two-worker process pool (optimizer.process_pool: spawned, never forked), started once
    for the test process: each pool costs two interpreters and their imports. Its workers keep
    nothing from one task to the next (an analysis's chunk carries its data and its starts),
    so the tests that compare a pool's answers with this process's share it; the tests that
    cancel or shut down a pool start their own."""
    with optimizer.process_pool(2) as pool:
        # Both workers started and their imports done: a test's busy loops and timings see
        # its solves, not two interpreters starting.
        assert list(pool.map(Scenario.of, [None, None])) == [Scenario(), Scenario()]
        yield pool


# ---------------------------------------------------------------- the command line


@pytest.fixture
def run_here(capfd: pytest.CaptureFixture) -> Callable[..., subprocess.CompletedProcess]:
    """`run_here(folder, *args)`: `python -m optimizer ARGS` run in folder, in this process
    (helpers.run_cli_here: the start of an interpreter and its imports saved), its exit code
    and output as a subprocess's. An exception the command lets out fails the test."""
    return functools.partial(run_cli_here, capfd)


# ---------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="session")
def libreoffice(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., subprocess.CompletedProcess]:
    """`convert(to, outdir, *files, cwd=None)`: LibreOffice, headless, converts the files (as
    File > Save As would) in one run. One user profile serves the whole test run: LibreOffice
    makes a new one in seconds each time it is pointed at an empty folder."""
    # CI installs LibreOffice (.ci/run); a machine without it fails here rather than skip.
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: apt-get install libreoffice-calc"
    profile = tmp_path_factory.mktemp("libreoffice-profile")

    def convert(
        to: str, outdir: Path, *files: Path | str, cwd: Path | None = None
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}"]
            + ["--convert-to", to, "--outdir", str(outdir), *map(str, files)],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=180,
        )

    return convert
