"""The app answers at once: a scenario's solve runs in a background thread while the page's
own script run waits for it, drawing as it waits.

No Streamlit here: the job's threads (the solve, and a second one that turns the best
portfolio found so far into a report) only record, and never draw, so a solve that ends
after the planner moved on cannot write into the page. The script run that started a job is
its only reader, and `wait` cancels the job when that run leaves without its answer
(Streamlit raises its rerun or stop exception inside the `show` call when the planner moves
a widget or closes the page): no thread burns a core for a scenario nobody looks at, and an
interrupted answer is never returned. No fragment and no rerun from the server is needed:
the final page is drawn by the same run that showed the provisional one.

The page's jobs are shared by workbook and scenario (`attach`): a rerun that asks for the
same scenario (a language switch, a click during the proof) takes up the running solve
instead of starting the proof again, so a job left by its run is cancelled only after a
short grace, or at once when a run asks for another scenario.

The final answer is the ordinary, deterministic `optimizer.solve`: the hooks it is given
only watch (and stop) HiGHS and do not change a run that ends on its own.
"""

from __future__ import annotations

import atexit
import dataclasses
import math
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .diagnosis import InfeasibleError
from .instance import Instance
from .loader import PlanningData
from .pipeline import solve
from .scenario import Scenario
from .solution import Solution, evaluate
from .solver import SolverError, SolverRun, Status


class Failure(str):
    """A solve's failure as the page keeps it: the SolverError's English message (a str, as
    it always was) with its `parts`, so that the page words it in its own language
    (Labels.error_words)."""

    parts: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    where = ""

    @classmethod
    def of(cls, error: SolverError) -> Failure:
        failure = cls(str(error))
        failure.parts = error.parts
        return failure


# (solution, conflicts table, solver message): exactly one of the three is set.
Result = tuple[Solution | None, Any, str | None]

THREAD_NAME = "optimizer-solve"


class NotSolved(LookupError):
    """No final answer yet (a cache lookup that must not keep anything)."""


def answer_of(
    data: PlanningData, scenario: Scenario, reference: Solution | None = None, **hooks: Any
) -> Result:
    """`optimizer.solve` as the page reads it: a solution, a diagnosis or a solver message.
    reference: the plan to stay near (the previous answer; see `solve`)."""
    try:
        return solve(data, scenario, reference=reference, **hooks), None, None
    except InfeasibleError as error:
        return None, error.to_frame(), None
    except SolverError as error:
        return None, None, Failure.of(error)


# A new best portfolio is reported (evaluated in full, as a Solution) at most this often:
# each report takes a core for a tenth of a second or more, which the proof needs more.
REPORT_EVERY_S = 1.0


@dataclass(eq=False)
class Job:
    """One scenario's solve in a thread: its stop flag, the best portfolio found so far (as
    HiGHS reports it, and as a report made from it in a second thread, ready for the page
    before it is asked for) and, once done, its answer."""

    data: PlanningData
    scenario: Scenario
    reference: Solution | None = None  # the plan the solve stays near
    deadline: float | None = None  # a time.monotonic() reading (see `solve`); None: its limit
    watch: bool = True  # report the best portfolio found so far (a provisional answer)
    stop: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.perf_counter)
    threads: tuple[threading.Thread, ...] = ()
    _found: tuple[Instance, dict[int, int], float] | None = None
    _news: threading.Event = field(default_factory=threading.Event)
    _report: Solution | None = None
    _reports: int = 0
    _result: Result | None = None
    _error: BaseException | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _waiting: int = 0  # script runs waiting for this job now

    def start(self) -> Job:
        # Daemons: an interpreter that exits does not wait for a proof nobody reads.
        self.threads = (threading.Thread(target=self._solve, name=THREAD_NAME, daemon=True),)
        if self.watch:
            self.threads += (
                threading.Thread(
                    target=self._report_found, name=f"{THREAD_NAME}-report", daemon=True
                ),
            )
        for thread in self.threads:
            thread.start()
        _started.add(self)
        return self

    def _solve(self) -> None:
        try:
            result = answer_of(
                self.data,
                self.scenario,
                self.reference,
                stop=self.stop.is_set,
                on_incumbent=self._record if self.watch else None,
                deadline=self.deadline,
            )
            with self._lock:
                self._result = result
        except BaseException as error:  # handed to the page, which raises it
            with self._lock:
                self._error = error
        finally:
            self.done.set()
            self._news.set()  # wakes the reporter, to end

    def _record(self, inst: Instance, starts: dict[int, int], gap: float) -> None:
        # Called by HiGHS while it works: keep it short, the report is made elsewhere.
        # HiGHS's first portfolio can come before any bound: no gap to show it with.
        if not math.isfinite(gap):
            return
        with self._lock:
            self._found = (inst, dict(starts), gap)
        self._news.set()

    def _report_found(self) -> None:
        while True:
            self._news.wait()
            if self.done.is_set() or self.stop.is_set():
                return
            self._news.clear()
            with self._lock:
                found = self._found
            assert found is not None  # set before the news
            inst, starts, gap = found
            run = SolverRun(
                Status.TIME_LIMIT, None, gap, None, "highs", "", self.seconds, "provisional"
            )
            # A provisional report does not settle training and the pace of layoffs (a linear
            # program per incumbent would hold a stop up): it shows the portfolio's jobs with
            # no training and the planned layoffs, until the final answer brings both.
            report = dataclasses.replace(
                evaluate(
                    inst,
                    starts,
                    run,
                    training=np.zeros((len(inst.regions), len(inst.years))),
                    layoffs=inst.planned_layoffs(),
                ),
                provisional=True,
            )
            with self._lock:
                self._report, self._reports = report, self._reports + 1
            if self.done.wait(REPORT_EVERY_S) or self.stop.is_set():
                return

    def cancel(self) -> None:
        """Interrupt the solve (HiGHS stops within a fraction of a second)."""
        self.stop.set()
        self._news.set()

    @property
    def waited_for(self) -> bool:
        """A script run waits for this job now."""
        with self._lock:
            return self._waiting > 0

    def _wait_begins(self, change: int) -> None:
        with self._lock:
            self._waiting += change

    def _cancel_unless_waited_for(self) -> None:
        if not self.waited_for and not self.done.is_set():
            self.cancel()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def provisional(self) -> tuple[Solution | None, int]:
        """The latest report of the best portfolio found so far (None: none yet; its `gap`
        is the gap proven for it when found; `provisional` is True), and how many
        reports were made so far (a new one when it grows)."""
        with self._lock:
            return self._report, self._reports

    @property
    def alive(self) -> bool:
        """A thread of this job still runs."""
        return any(thread.is_alive() for thread in self.threads)

    def result(self) -> Result:
        """The answer of a finished solve (raises what the solve raised)."""
        if not self.done.is_set():
            raise NotSolved("the solve is still running")
        with self._lock:
            if self._error is not None:
                raise self._error
            assert self._result is not None
            return self._result


_started: weakref.WeakSet[Job] = weakref.WeakSet()


def start(
    data: PlanningData,
    scenario: Scenario,
    reference: Solution | None = None,
    *,
    deadline: float | None = None,
    watch: bool = True,
) -> Job:
    """The scenario's solve, started in a background thread (near `reference`'s plan).
    deadline: see `solve`. watch: False for a solve whose provisional answers nobody shows
    (an adoption's re-solve): no report is made of them."""
    return Job(data, scenario, reference, deadline=deadline, watch=watch).start()


# A run that left a solve may come back for it at once (the same scenario after a language
# switch or a click): the solve goes on this long for it before it is cancelled.
GRACE_S = 1.0

_shared: dict[tuple[str, str], Job] = {}
_shared_lock = threading.Lock()


def attach(
    data: PlanningData,
    scenario: Scenario,
    key: tuple[str, str],
    reference: Solution | None = None,
) -> Job:
    """The solve of `key` (workbook fingerprint, scenario): the running one if a job for it
    was started and not cancelled, else a new one (near `reference`'s plan). Jobs of other
    scenarios that no run waits for are cancelled: the planner has moved on from them."""
    with _shared_lock:
        for other, job in list(_shared.items()):
            if other != key and not job.waited_for:
                job.cancel()  # nothing happens to a finished one
                del _shared[other]
        job = _shared.get(key)
        if job is None or job.stop.is_set():
            job = _shared[key] = start(data, scenario, reference)
        return job


def wait(
    job: Job, show: Callable[[Job], None], every_s: float = 0.1, grace_s: float = 0.0
) -> Result:
    """The job's answer, calling `show(job)` every `every_s` seconds until it comes.

    `show` is where the page draws while it waits, and where Streamlit interrupts a run the
    planner has moved on from; whatever leaves this function before the answer (that, an
    error, Ctrl-C) cancels the solve, after `grace_s` if no other run waits for it by then,
    so an abandoned solve ends within about a second of that and its interrupted answer is
    never returned, let alone cached."""
    job._wait_begins(+1)
    try:
        while not job.done.wait(every_s):
            show(job)
    finally:
        job._wait_begins(-1)
        if not job.done.is_set():
            if grace_s > 0:
                timer = threading.Timer(grace_s, job._cancel_unless_waited_for)
                timer.daemon = True
                timer.start()
            else:
                job._cancel_unless_waited_for()
    return job.result()


@atexit.register
def cancel_all() -> None:
    """Stop every solve still running and forget the shared ones. At exit (a server stopped
    mid-solve) this is needed: a thread left inside HiGHS then aborts the process
    ("terminate called ...")."""
    with _shared_lock:
        _shared.clear()
    jobs = [job for job in list(_started) if job.alive]
    for job in jobs:
        job.cancel()
    for job in jobs:
        for thread in job.threads:
            thread.join(2.0)
