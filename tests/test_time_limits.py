"""Issue #21: time_limit_s bounds the whole run, loading and building included: the solver
gets what is left, and none left is a clear error."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE

import optimizer
import optimizer.cli as cli
from optimizer import Scenario, SolverError, Status

SLOW = Scenario(fiscal_budget_scale=0.8, mip_gap=0.0)  # far longer than a second to prove


def test_the_solver_gets_what_is_left_of_the_deadline(sample: optimizer.PlanningData) -> None:
    started = time.monotonic()
    solution = optimizer.solve(sample, SLOW.replace(time_limit_s=60.0), deadline=started + 1.5)
    elapsed = time.monotonic() - started
    assert solution.status is Status.TIME_LIMIT
    assert elapsed < 1.5 + 1.0, elapsed  # the solve stopped near the deadline, not at 60 s


def test_no_time_left_is_a_clear_error(sample: optimizer.PlanningData) -> None:
    with pytest.raises(SolverError, match="time limit of 5 s was used up before the solver"):
        optimizer.solve(sample, {"time_limit_s": 5}, deadline=time.monotonic() - 1)


def test_the_command_line_counts_loading_against_the_limit(
    tmp_path: Path, run_here: Callable[..., subprocess.CompletedProcess], monkeypatch
) -> None:
    shutil.copy(SAMPLE, tmp_path / "projects.xlsx")
    # Loading is made to take 0.6 s (a large workbook's would), so that what is left for the
    # solver is plainly less than the limit: the printed seconds cannot round up to it.
    load = cli.load_workbook

    def slow_load(*args: object, **kwargs: object) -> optimizer.PlanningData:
        time.sleep(0.6)
        return load(*args, **kwargs)

    monkeypatch.setattr(cli, "load_workbook", slow_load)
    done = run_here(
        tmp_path,
        "solve",
        "projects.xlsx",
        *("--set", "fiscal_budget_scale=0.8", "--set", "mip_gap=0", "--set", "time_limit_s=2"),
    )
    assert done.returncode == 0, done.stderr
    found = re.search(r"status: time_limit \(gap [^,]+, ([\d.]+) s,", done.stdout)
    assert found, done.stdout
    # Loading the workbook and building the model took part of the 2 s: the solver had less.
    assert float(found.group(1)) <= 1.5, done.stdout


def test_a_run_far_past_its_deadline_is_stopped_with_one_line(tmp_path: Path) -> None:
    # HiGHS's presolve of a very large model looks at no clock; a stand-in that sleeps
    # inside the command line's backstop, with its grace made short, must be stopped.
    (tmp_path / "old.xlsx").write_bytes(b"an earlier shortlist")
    script = (
        "import time, optimizer.cli as cli\n"
        "cli._overrun_grace = lambda limit: 0.3\n"
        "with cli._hard_deadline(time.monotonic() + 0.2, 0.2):\n"
        "    time.sleep(30)\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 3, done.stderr
    assert time.monotonic() - started < 10
    assert "past its time limit of 0.2 s" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.xlsx"]
