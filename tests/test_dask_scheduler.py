"""A real Dask cluster: a `dask scheduler` and two `dask worker --nthreads 1` processes on
127.0.0.1, used from Python (idle, and beside two busy loops) and from the command line's
--scheduler, give the in-process answer, as a local process pool does. The processes are
started here and always ended."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dask
import pandas as pd
import pytest
from helpers import answer_of, busy_loops, sample_subset

import optimizer
from optimizer import Scenario, blocks
from optimizer.batch import RunOptions, SchedulerError, dask_executor
from optimizer.cli import BAD_INPUT, SOLVED, main
from optimizer.present.labels import Labels
from optimizer.tradeoffs import break_even, frontier, robustness

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = [1.0, 1.2]
COMPARED = ["setting", "status", "objective", "worker_years", "job_years", "capex", "projects"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(scratch: Path, *args: str) -> subprocess.Popen:
    # The workers import this package from the project's folder, as the README says; their
    # scratch files go to the test's temporary folder.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DASK_TEMPORARY_DIRECTORY": str(scratch)}
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scratch = tmp_path_factory.mktemp("dask")
    started = [
        _start(
            scratch,
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        )
    ]
    try:
        waited = time.monotonic()
        while not _listens(port):  # the scheduler listens before the workers knock
            assert started[0].poll() is None, "the Dask scheduler ended on start"
            assert time.monotonic() - waited < 60, "the Dask scheduler does not listen"
            time.sleep(0.05)
        started += [
            _start(
                scratch,
                "distributed.cli.dask_worker",
                address,
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
            )
            for _ in range(2)
        ]
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        # Killed, not asked to stop: a worker whose scheduler is going too may wait out its
        # reconnect for 10 s and more, and what they would finish gracefully does not matter
        # here (their scratch files are in the test's temporary folder).
        for process in started:
            process.kill()
        for process in started:
            process.wait(timeout=10)


def test_a_real_cluster_gives_the_in_process_frontier(
    sample: optimizer.PlanningData, scheduler: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The chunks decide the warm starts, so each comparison keeps them: one point a chunk
    # from Python (both workers solve), the command line's default chunks from it.
    fast = RunOptions(mip_gap=0.01)
    here = frontier(sample, None, "fiscal_budget", SETTINGS, options=fast, chunk_size=1)
    with dask_executor(scheduler) as executor:
        options = RunOptions(executor=executor, mip_gap=0.01)
        remote = frontier(sample, None, "fiscal_budget", SETTINGS, options=options, chunk_size=1)
        # The same cluster beside two busy loops (issue 19: the same plan idle or under
        # load): each point stops on its gap, never on the clock, so a slower worker ends
        # where an idle one does.
        with busy_loops(2):
            loaded = frontier(
                sample, None, "fiscal_budget", SETTINGS, options=options, chunk_size=1
            )
    assert "time_limit" not in {str(s) for s in here["status"]}
    pd.testing.assert_frame_equal(here.drop(columns="seconds"), remote.drop(columns="seconds"))
    pd.testing.assert_frame_equal(here.drop(columns="seconds"), loaded.drop(columns="seconds"))
    here = frontier(sample, None, "fiscal_budget", SETTINGS, options=fast)
    values = ",".join(str(v) for v in SETTINGS)
    code = main(
        [
            "frontier",
            str(ROOT / "projects.xlsx"),
            "--values",
            values,
            "--gap",
            "0.01",
            "--scheduler",
            scheduler,
            "--json",
            "--quiet",
        ]
    )
    assert code == SOLVED
    printed = pd.DataFrame(json.loads(capsys.readouterr().out))
    assert printed["status"].tolist() == [str(s) for s in here["status"]]
    assert printed["projects"].tolist() == here["projects"].tolist()
    for column in ("objective", "worker_years", "job_years", "capex"):
        assert printed[column].tolist() == pytest.approx(here[column].tolist(), rel=1e-9)


def _analyses(data: optimizer.PlanningData, executor) -> tuple[pd.DataFrame, ...]:  # noqa: ANN001
    on = RunOptions(executor=executor)
    points = frontier(data, Scenario(), "fiscal_budget", 5, options=on, chunk_size=2)
    draws = robustness(data, Scenario(), draws=3, chunk_size=2, seed=3, options=on)
    ids = data.projects["project_id"].head(6).tolist()
    even = break_even(data, Scenario(), options=on, chunk_size=3, projects=ids)
    return (
        points.drop(columns="seconds"),
        draws.projects,
        draws.draws,
        even,
    )


def test_results_do_not_depend_on_the_executor(
    sample: optimizer.PlanningData, scheduler: str
) -> None:
    """The analyses in process, on a local process pool and on this module's Dask cluster
    (two single-thread workers: the cluster started for the other tests, not one more)."""
    small = sample_subset(sample)  # 25 sample projects, budgets cut to an eighth, gap 0
    here = _analyses(small, None)
    with optimizer.process_pool(2) as pool:
        pooled = _analyses(small, pool)
    with dask_executor(scheduler) as executor:
        on_dask = _analyses(small, executor)
    for a, b, c in zip(here, pooled, on_dask, strict=True):
        pd.testing.assert_frame_equal(a, b)
        pd.testing.assert_frame_equal(a, c)


def test_the_scheduler_option_is_checked_first(capsys: pytest.CaptureFixture[str]) -> None:
    workbook = str(ROOT / "projects.xlsx")
    assert main(["frontier", workbook, "--scheduler", "127.0.0.1:8786"]) == BAD_INPUT
    assert "tcp://127.0.0.1:8786" in capsys.readouterr().err
    both = ["frontier", workbook, "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"]
    assert main(both) == BAD_INPUT
    assert "not both" in capsys.readouterr().err


def test_blocks_on_the_cluster_give_the_in_process_answer(
    sample: optimizer.PlanningData, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A solve by blocks sends each block to the cluster with this process's budgets (the
    # workers' own module is not patched), beside two busy loops: the answer of one process.
    for name, value in {"BLOCK_SIZE": 100, "FIXED_WORK": 10, "CITY_WORK": 10}.items():
        monkeypatch.setattr(blocks, name, value)
    monkeypatch.setattr(blocks, "CITY_SEARCHES", 3)
    scenario = Scenario(solve_strategy="blocks")
    here = answer_of(optimizer.solve(sample, scenario))
    assert here[-1] == "blocks"
    assert here[5].startswith("3 blocks of about 100 projects")
    # A block's arrays travel with its task, once: at 100,000 projects the largest are 15 MB,
    # over Dask's 10 MB warning on large graphs, which a planner need not see (a warning
    # fails this test).
    with (
        dask.config.set({"distributed.admin.large-graph-warning-threshold": "1kB"}),
        dask_executor(scheduler) as executor,
        busy_loops(2),
    ):
        assert answer_of(optimizer.solve(sample, scenario, executor=executor)) == here


def test_a_scheduler_that_cannot_be_reached_is_said_in_the_language_asked() -> None:
    # Nothing listens on port 1: the error names the address, in either language.
    with pytest.raises(SchedulerError) as caught, dask_executor("tcp://127.0.0.1:1", timeout=0.5):
        pass
    error = caught.value
    assert error.parts[0][0] == "scheduler_unreachable"
    assert Labels("en").error_words(error) == str(error)
    words = Labels("zh").error_words(error)
    assert words.startswith("无法连接到 tcp://127.0.0.1:1 的Dask调度器："), words
