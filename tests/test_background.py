"""The app's background solve (optimizer.background), without Streamlit: the final answer
is the synchronous one, the best portfolio so far is reported while the proof goes on, and a
wait that is left early cancels the solve."""

from __future__ import annotations

import threading
import time

import pytest
from conftest import HARD
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

import optimizer
from optimizer import Scenario, Status, background
from optimizer.pipeline import STOPPED


def ended(job: background.Job, within: float) -> float:
    """Seconds until every thread of the job ended (fails after `within`)."""
    started = time.perf_counter()
    for thread in job.threads:
        thread.join(max(0.0, within - (time.perf_counter() - started)))
    assert not job.alive, f"a thread of the job still runs after {within} s"
    return time.perf_counter() - started


def leave_after(seconds: float):  # noqa: ANN201
    """A wait's `show` that leaves (as Streamlit stops a run) after `seconds` of the solve."""

    def show(job: background.Job) -> None:
        if job.seconds > seconds:
            raise StopException()

    return show


def test_the_final_answer_is_the_synchronous_one_after_provisional_reports(
    sample: optimizer.PlanningData, hard_solution: optimizer.Solution, slow_solves: None
) -> None:
    """Taken up by a run that came back within the grace (the proof is not started again),
    the shared solve goes on to the synchronous answer, reporting the best so far."""
    background.cancel_all()
    reports: list[tuple[float, optimizer.Solution]] = []

    def show(job: background.Job) -> None:
        report, count = job.provisional()
        if report is not None and count > len(reports):
            reports.append((job.seconds, report))

    key = ("workbook", "hard")
    job = background.attach(sample, HARD, key)
    assert background.attach(sample, HARD, key) is job
    with pytest.raises(StopException):
        background.wait(job, leave_after(0.5), grace_s=3.0)
    # Within the grace a run that comes back takes up the same solve, to the final answer.
    assert not job.stop.is_set()
    assert background.attach(sample, HARD, key) is job
    solution, conflicts, failure = background.wait(job, show, grace_s=3.0)
    assert conflicts is None
    assert failure is None
    assert solution is not None
    assert solution.status is Status.OPTIMAL
    assert solution.chosen_starts == hard_solution.chosen_starts
    assert solution.worker_years == hard_solution.worker_years
    assert not solution.provisional
    # While the proof went on, the best portfolio so far: a real portfolio, reported like a
    # solution, marked provisional, with a proven (finite) gap that does not grow.
    assert reports, "no provisional report while the proof went on"
    gaps = [report.gap for _, report in reports]
    assert all(0 <= gap < 1 for gap in gaps), gaps
    assert gaps == sorted(gaps, reverse=True)
    for _, report in reports:
        assert report.provisional is True
        assert report.status is Status.TIME_LIMIT
        assert len(report.chosen) > 0
        # No better than the best possible, which the final answer is within its gap of.
        assert report.objective <= solution.objective * (1 + 2 * solution.gap + 1e-9)
    assert ended(job, 2.0) < 2.0


@pytest.mark.parametrize("leave", [StopException, KeyboardInterrupt])
def test_leaving_the_wait_cancels_the_solve_within_a_second(
    sample: optimizer.PlanningData, leave: type[BaseException], slow_solves: None
) -> None:
    """Streamlit stops a script run the planner moved on from by raising inside an st call,
    here `show`: the solve must stop with it, and its interrupted answer go nowhere."""

    def show(job: background.Job) -> None:
        if job.seconds > 1.0:
            raise leave()

    job = background.start(sample, HARD)
    with pytest.raises(leave):
        background.wait(job, show)
    assert job.stop.is_set()
    seconds = ended(job, 5.0)
    assert seconds < 1.0, f"the cancelled solve ran on for {seconds:.2f} s"
    # The run was interrupted: it made no report (nobody waits for one), and nothing asked
    # for its answer (wait raised instead).
    solution, conflicts, failure = job.result()
    assert solution is None
    assert conflicts is None
    assert failure == STOPPED


def test_an_infeasible_scenario_is_an_answer_too(sample: optimizer.PlanningData) -> None:
    job = background.start(sample, Scenario(fiscal_budget_scale=0.0, bond_quota_scale=0.0))
    solution, conflicts, failure = background.wait(job, lambda job: None)
    assert solution is None
    assert failure is None
    assert not conflicts.empty
    assert job.provisional() == (None, 0)


def test_an_unfinished_job_has_no_answer_and_threads_are_named(
    sample: optimizer.PlanningData, slow_solves: None
) -> None:
    job = background.start(sample, HARD)
    try:
        with pytest.raises(background.NotSolved):
            job.result()
        names = {thread.name for thread in threading.enumerate()}
        assert background.THREAD_NAME in names
    finally:
        job.cancel()
    ended(job, 5.0)


def test_a_shared_solve_stops_for_a_run_that_moves_on(
    sample: optimizer.PlanningData, slow_solves: None
) -> None:
    """Left and not come back for, a shared solve stops after the grace; left for another
    scenario, at once; never while another run waits for it. (A run that comes back within
    the grace takes it up: the first test.)"""
    background.cancel_all()

    # Left and not come back for: stopped after the grace.
    left = background.attach(sample, HARD.replace(mip_gap=0.001), ("workbook", "left"))
    with pytest.raises(StopException):
        background.wait(left, leave_after(0.3), grace_s=0.5)
    assert not left.stop.is_set()
    assert ended(left, 3.0) < 1.5
    assert left.stop.is_set()

    # Left, and a run asks for another scenario: stopped at once.
    moved = background.attach(sample, HARD.replace(mip_gap=0.002), ("workbook", "moved"))
    assert moved is not left  # another scenario, another solve
    with pytest.raises(StopException):
        background.wait(moved, leave_after(0.3), grace_s=30.0)
    other = background.attach(sample, HARD.replace(mip_gap=0.003), ("workbook", "other"))
    assert moved.stop.is_set()
    assert ended(moved, 3.0) < 1.0
    # ... but never a solve another run (here a thread) still waits for.
    waiting = threading.Thread(target=background.wait, args=(other, lambda job: None))
    waiting.start()
    while not other.waited_for:
        time.sleep(0.01)
    background.attach(sample, HARD.replace(mip_gap=0.004), ("workbook", "fourth"))
    assert not other.stop.is_set()
    background.cancel_all()
    waiting.join(5.0)
    ended(other, 5.0)
