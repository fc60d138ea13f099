"""The app answers at once: each scenario's solve runs in one background thread.

The page waits a moment for the final answer. When the proof takes longer, it shows the best
portfolio found so far (HiGHS reports each better one as it finds it), marked provisional
with its proven gap, and replaces it when the solve ends. The final answer is the ordinary,
deterministic `optimizer.solve`: the provisional one never stands in for it. When the planner
moves on to another scenario, a solve still running for an older one is interrupted.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong
from dataclasses import dataclass, field
from typing import Any

import optimizer
from optimizer.instance import Instance
from optimizer.solution import Solution, evaluate
from optimizer.solver import SolverRun, Status

# (solution, conflicts table, solver message): one of the three is set.
Result = tuple[Solution | None, Any, str | None]


@dataclass
class Job:
    """One scenario's solve: its future, its stop flag and the best portfolio so far."""

    future: Future = field(default_factory=Future)
    stop: threading.Event = field(default_factory=threading.Event)
    _found: tuple[Instance, dict[int, int], float] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, inst: Instance, starts: dict[int, int], gap: float) -> None:
        with self._lock:
            self._found = (inst, dict(starts), gap)

    def provisional(self) -> Solution | None:
        """The best portfolio found so far, reported like a solution (None: none yet)."""
        with self._lock:
            found = self._found
        if found is None:
            return None
        inst, starts, gap = found
        run = SolverRun(Status.TIME_LIMIT, None, gap, None, "highs", "", 0.0, "provisional")
        solution = evaluate(inst, starts, run)
        solution.extra["provisional"] = True
        return solution

    @property
    def found(self) -> bool:
        with self._lock:
            return self._found is not None

    @property
    def interrupted(self) -> bool:
        return self.stop.is_set()


def _solve(data: optimizer.PlanningData, scenario: optimizer.Scenario, job: Job) -> Result:
    try:
        solution = optimizer.solve(data, scenario, stop=job.stop.is_set, on_incumbent=job.record)
        return solution, None, None
    except optimizer.InfeasibleError as error:
        return None, error.to_frame(), None
    except optimizer.SolverError as error:
        return None, None, str(error)


class Solves:
    """Solves by (workbook fingerprint, scenario JSON), one at a time in a background thread,
    the last `keep` answers kept."""

    def __init__(self, keep: int = 64) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="optimizer-solve")
        self._jobs: OrderedDict[tuple[str, str], Job] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep

    def job(self, data: optimizer.PlanningData, scenario_json: str) -> Job:
        """The scenario's job, started if new (or interrupted before); older jobs still
        running are told to stop, since the planner has moved on."""
        key = (data.fingerprint, scenario_json)
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not job.interrupted:
                self._jobs.move_to_end(key)
                return job
            for other in self._jobs.values():
                if not other.future.done():
                    other.stop.set()
            job = Job()
            scenario = optimizer.Scenario.from_json(scenario_json)
            job.future = self._pool.submit(_solve, data, scenario, job)
            self._jobs[key] = job
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
            return job

    def answer(
        self, data: optimizer.PlanningData, scenario_json: str, wait_s: float
    ) -> tuple[Result | None, Job]:
        """The final answer if it comes within `wait_s` seconds; else, as soon as either
        exists, the final answer or None with a portfolio found (ask the job for it)."""
        job = self.job(data, scenario_json)
        try:
            return job.future.result(timeout=wait_s), job
        except WaitedTooLong:
            pass
        while not job.found:
            try:
                return job.future.result(timeout=0.05), job
            except WaitedTooLong:
                continue
        return None, job
