"""Running many solves: in fixed chunks, on an optional executor, with progress and a cancel.

The solves of an analysis are cut into fixed chunks that do not depend on where they run, and
each chunk goes to an optional `concurrent.futures.Executor` (a local `ProcessPoolExecutor`
from `process_pool`, or a Dask cluster's `distributed.Client(...).get_executor()`); None runs
them in this process. So the results are the same on every executor. `RunOptions` says where
they run, what they report (a progress callback) and how they stop (a threading.Event, seen by
running solves in any local process through a stop file).
"""

from __future__ import annotations

import math
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, as_completed, wait
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

Progress = Callable[[int, int], None]
T = TypeVar("T")

# An analysis's solves end on their gap or this many branch-and-bound nodes, whichever comes
# first: a node limit with one thread stops at the same portfolio on any machine, under any
# load and on any executor, where a time limit does not. The time limit stays as the
# user's safety net, and a run stopped by it says so.
ANALYSIS_NODE_LIMIT = 2000

# A node limit does not count the root, where the sample's low budgets (0.1–0.3× of the
# fiscal budget, model version 3) spend their time: they ran to the clock. So an analysis's
# solves also end on this much work (solver.WorkMeter: HiGHS's MIP interrupt calls, the root
# included), which with one thread stops at the same portfolio on any machine. Set by
# measurement (benchmarks/RESULTS.md, "Work limits and robustness"): well above what the
# points that prove their gap need, and well below the safety time limit.
ANALYSIS_WORK_LIMIT = 600


class AnalysisError(ValueError):
    """An analysis refuses what it was asked: a lever it does not know, settings out of
    range, a project the workbook lacks, a solver it cannot run on. The message is in English,
    as a notebook shows it; `parts` holds the problem as a code and its values
    (optimizer.present.labels words it in either language), as a ScenarioError's do."""

    def __init__(self, message: str, code: str, **values: Any) -> None:
        super().__init__(message)
        self.parts: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = (
            ((code, tuple(values.items())),) if code else ()
        )
        self.where = ""

    @classmethod
    def several(cls, problems: list[AnalysisError]) -> AnalysisError:
        """Several refusals found in one pass, as one error (their messages joined)."""
        error = cls("; ".join(str(p) for p in problems), "")
        error.parts = tuple(part for p in problems for part in p.parts)
        return error


@dataclass(frozen=True)
class SolveLimits:
    """What ends each solve of an analysis (picklable: it travels to worker processes)."""

    time_limit_s: float | None = None  # default: the scenario's
    mip_gap: float | None = None  # default: the scenario's
    node_limit: int | None = ANALYSIS_NODE_LIMIT
    work_limit: int | None = ANALYSIS_WORK_LIMIT


@dataclass(frozen=True)
class RunOptions:
    """How an analysis runs: where (executor: None for this process, a process pool from
    `process_pool(n)`, or a Dask cluster's `Client(...).get_executor()`), what it reports
    (progress: a callback (done, total)), how it is stopped (cancel: a threading.Event), and
    what ends each solve (time limit, gap, and two deterministic work limits: nodes, and
    HiGHS's work with the root's (`solver.WorkMeter`); None takes the scenario's time limit
    and gap, or no such limit)."""

    executor: Executor | None = None
    progress: Progress | None = None
    cancel: threading.Event | None = None
    time_limit_s: float | None = None
    mip_gap: float | None = None
    node_limit: int | None = ANALYSIS_NODE_LIMIT
    work_limit: int | None = ANALYSIS_WORK_LIMIT

    def __post_init__(self) -> None:
        problems = []
        if self.time_limit_s is not None and not (
            math.isfinite(self.time_limit_s) and self.time_limit_s > 0
        ):
            problems.append(
                AnalysisError(
                    f"time_limit_s must be > 0, got {self.time_limit_s}",
                    "option_time_limit",
                    got=str(self.time_limit_s),
                )
            )
        if self.mip_gap is not None and not 0 <= self.mip_gap <= 1:
            problems.append(
                AnalysisError(
                    f"mip_gap must be between 0 and 1, got {self.mip_gap}",
                    "option_gap",
                    got=str(self.mip_gap),
                )
            )
        for name in ("node_limit", "work_limit"):  # both counts of work, codes option_<name>
            limit = getattr(self, name)
            if limit is not None and limit < 1:
                message = f"{name} must be ≥ 1, got {limit}"
                problems.append(AnalysisError(message, f"option_{name}", got=str(limit)))
        if problems:
            raise AnalysisError.several(problems)

    @classmethod
    def of(cls, options: object) -> RunOptions:
        """The options an analysis was given (None: the defaults), checked at the door."""
        if options is None:
            return cls()
        if not isinstance(options, cls):
            raise TypeError(
                "options must be a RunOptions, e.g. RunOptions(executor=process_pool(2)), got "
                f"{type(options).__name__}"
            )
        return options

    @property
    def limits(self) -> SolveLimits:
        return SolveLimits(self.time_limit_s, self.mip_gap, self.node_limit, self.work_limit)


# How often a worker looks whether the process that started it is still alive.
PARENT_CHECK_SECONDS = 0.5


def process_pool(workers: int, *, ignore_interrupt: bool = False) -> Executor:
    """A local process pool that always starts its workers fresh (spawn): a forked worker
    would inherit HiGHS's threads and the caller's state (Streamlit's, a notebook's).
    Each worker ends itself within a second once its parent is gone, however the parent
    ended (SIGKILL included): no solve runs on under PID 1.
    ignore_interrupt: Ctrl-C is the parent's to handle (the command line), so workers print
    no tracebacks."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise AnalysisError(
            f"workers must be a whole number ≥ 1, got {workers!r}",
            "pool_workers",
            got=repr(workers),
        )
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(), ignore_interrupt),
    )


class SchedulerError(OSError):
    """A Dask scheduler that cannot be used: not reachable, no worker, Dask not installed.
    The message is in English; `parts` holds it as a code and its values
    (optimizer.present.labels words it in either language), as an AnalysisError's do."""

    def __init__(self, message: str, code: str, **values: Any) -> None:
        super().__init__(message)
        self.parts: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = (
            (code, tuple(values.items())),
        )
        self.where = ""


# How long to wait for a Dask scheduler to answer, and then for its first worker.
SCHEDULER_TIMEOUT_S = 30.0


@contextmanager
def dask_executor(address: str, *, timeout: float = SCHEDULER_TIMEOUT_S) -> Iterator[Executor]:
    """The executor of a running Dask cluster (`dask scheduler`, `dask worker --nthreads 1`):
    `distributed.Client(address).get_executor()`, closed when the block ends. It waits for
    at least one worker, so a cluster with none is an error rather than a run that never
    ends. The workers must be able to import this package (installed, or started from the
    project's folder). Chunks are cut as everywhere, so the results are those of this
    process."""
    try:
        import dask
        from distributed import Client  # an optional dependency: pip install -e ".[dask]"
    except ImportError:
        raise SchedulerError(
            "a Dask scheduler needs the distributed package: pip install -e '.[dask]'",
            "scheduler_no_dask",
        ) from None
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(
            f"cannot reach the Dask scheduler at {address}: {exc}",
            "scheduler_unreachable",
            address=address,
            detail=str(exc),
        ) from None
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise SchedulerError(
                f"the Dask scheduler at {address} has no worker after {timeout:g} s ({exc}); "
                "start one with: dask worker " + address + " --nthreads 1",
                "scheduler_no_worker",
                address=address,
                seconds=f"{timeout:g}",
                detail=str(exc),
            ) from None
        # A task's data travel with it (a block of 100,000 projects is 15 MB): Dask's warning
        # on graphs over 10 MB is not for the planner.
        with dask.config.set({"distributed.admin.large-graph-warning-threshold": "1 TiB"}):
            yield client.get_executor()
    finally:
        client.close()


def _start_worker(parent: int, ignore_interrupt: bool) -> None:
    """In each pool worker: ignore Ctrl-C if asked, and watch the parent. When it dies the
    worker is handed to another process (os.getppid changes) and ends at once, even in the
    middle of a solve (HiGHS releases the GIL, so the watcher runs)."""
    import signal

    if ignore_interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent watcher", daemon=True).start()


class AnalysisCancelled(RuntimeError):
    """The caller asked an analysis to stop; the solves done so far are discarded."""


@dataclass(frozen=True)
class StopFlag:
    """The caller's cancel, as a file any local process can see: a running chunk checks it
    while HiGHS works and stops that solve at once (a threading.Event does not cross into
    worker processes)."""

    path: str

    def is_set(self) -> bool:
        return os.path.exists(self.path)


@contextmanager
def _stop_flag(cancel: threading.Event | None) -> Iterator[StopFlag | None]:
    if cancel is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="optimizer-stop-") as folder:
        flag = StopFlag(os.path.join(folder, "stop"))
        finished = threading.Event()

        def mirror() -> None:
            while not finished.is_set():
                if cancel.wait(0.05):
                    with open(flag.path, "w"):
                        pass
                    return

        watcher = threading.Thread(target=mirror, daemon=True)
        watcher.start()
        try:
            yield flag
        finally:
            finished.set()
            watcher.join()


def run_chunks(
    task: Callable[..., list[T]],
    chunks: list[tuple],
    sizes: list[int],
    options: RunOptions,
) -> list[T]:
    """Run every chunk (in order in-process, or on the executor) and flatten the results.
    Cancelling stops the running solves too, within a fraction of a second."""
    total = sum(sizes)
    done = 0
    progress, cancel, executor = options.progress, options.cancel, options.executor

    def stopped() -> AnalysisCancelled:
        return AnalysisCancelled(f"stopped after {done} of {total} solves")

    def tick(count: int = 1) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)
        if cancel is not None and cancel.is_set() and done < total:
            raise AnalysisCancelled("stopped")

    if progress:
        progress(0, total)
    results: list[list[Any] | None] = [None] * len(chunks)
    with _stop_flag(cancel) as stop:
        try:
            if executor is None:
                for k, args in enumerate(chunks):
                    if cancel is not None and cancel.is_set():
                        raise AnalysisCancelled("stopped")
                    results[k] = task(*args, on_solved=tick, stop=stop)
            else:
                futures: dict[Future, int] = {
                    executor.submit(task, *args, stop=stop): k for k, args in enumerate(chunks)
                }
                try:
                    for future in as_completed(futures):
                        k = futures[future]
                        results[k] = future.result()
                        tick(sizes[k])
                finally:
                    for future in futures:
                        future.cancel()
                    # Running chunks see the stop flag and end within a fraction of a second;
                    # wait for them, so the flag outlives them and no solve runs on.
                    wait(futures, timeout=10)
        except AnalysisCancelled:
            raise stopped() from None
    return [outcome for chunk in results if chunk is not None for outcome in chunk]


def cut(items: list, size: int) -> list[list]:
    """Fixed chunks of `size` items, in order."""
    return [items[k : k + size] for k in range(0, len(items), max(1, size))]
