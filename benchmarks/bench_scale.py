"""Benchmark the solve strategies on large synthetic portfolios (issue 19, item 2).

    python benchmarks/bench_scale.py [--sizes 10000,100000] [--strategies auto,search,blocks]
                                     [--runs 1] [--limit 120] [--block-size 10000]
                                     [--cache FOLDER] [--workers N]
                                     [--city-searches N] [--scheduler tcp://HOST:PORT]

For each size (the sample's generator with that many projects, as bench_solve.py makes them)
and each strategy (`Scenario.solve_strategy`; "auto" is what a planner gets), prints: the
strategy that ran, the seconds to build the model, the seconds and CPU seconds of the solve,
the status and the proven gap against the run's valid bound, the process's peak memory and
(with the detail) the first run's objective, to compare plans between runs.
The gap asked is each size's target (0.1 % at 10,000, 1 % at 100,000). Each run is in a
fresh process, so the peak memory is that run's own. The build is the workbook's tables to
the model (prepare and build_model); handing the model to HiGHS is in the solve. The sample's
generator itself (about 50–90 s at 100,000 projects) is in neither; with `--cache FOLDER` its
tables are kept there (one pickle per size and seed) and read back by the next run.
With `--workers N` the blocks are solved on a process pool of N workers (`optimizer.
process_pool`, started before the build, as the command line's `solve --workers N` would be
given one); the solve's CPU seconds are then this process's and the workers' (cpu s: this
process + the workers), and the peak memory is this process's and the largest worker's.
`--city-searches N` sets `blocks.CITY_SEARCHES` (each block's searches city by city).
With `--scheduler` the blocks go to that Dask cluster (`optimizer.dask_executor`); its
workers' CPU seconds and memory are not counted here.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# (gap asked, target seconds with the build, target peak GB) per size.
TARGETS = {10_000: (0.001, 10.0, None), 100_000: (0.01, 60.0, 4.0)}


def _sample(size: int, cache: Path | None):  # noqa: ANN202 (the generator's tables)
    """The sample's generator at `size` projects (seed 7), kept in `cache` when given."""
    from optimizer.sample import build_sample

    kept = None if cache is None else cache / f"sample-{size}-seed7.pickle"
    if kept is not None and kept.exists():
        return pickle.loads(kept.read_bytes())
    data = build_sample(seed=7, count=size)
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(pickle.dumps(data))
    return data


def one_run(
    size: int,
    strategy: str,
    limit: float,
    block_size: int | None = None,
    cache: Path | None = None,
    workers: int = 0,
    city_searches: int | None = None,
    scheduler: str | None = None,
) -> dict:
    """Build and solve one size in this process (its blocks on `workers` processes, 0: here);
    the figures as a dict."""
    import optimizer
    from optimizer import blocks
    from optimizer.instance import prepare
    from optimizer.model import build_model
    from optimizer.solver import SOLVE_NODE_LIMIT
    from optimizer.strategies import run_strategy

    gap = TARGETS.get(size, (0.001, 0, None))[0]
    if block_size is not None:
        blocks.BLOCK_SIZE = block_size
    if city_searches is not None:
        blocks.CITY_SEARCHES = city_searches
    data = _sample(size, cache)
    scenario = optimizer.Scenario(mip_gap=gap, time_limit_s=limit, solve_strategy=strategy)
    pool = None
    cluster = contextlib.ExitStack()  # the Dask client, closed when the run returns
    if scheduler:
        pool = cluster.enter_context(optimizer.dask_executor(scheduler))
    elif workers:
        pool = optimizer.process_pool(workers)
        # The workers start (spawn and imports) while this process builds, as they would
        # while the command line loads the workbook.
        for _ in range(workers):
            pool.submit(time.sleep, 0.5)
    started = time.perf_counter()
    inst = prepare(data, scenario)
    model = build_model(inst)
    build = time.perf_counter() - started
    cpu = time.process_time()
    started = time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = run_strategy(model, node_limit=SOLVE_NODE_LIMIT, executor=pool)
    solve_s = time.perf_counter() - started
    solve_cpu_s = time.process_time() - cpu
    workers_cpu_s = 0.0
    cluster.close()
    if pool is not None and not scheduler:
        pool.shutdown()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu_s = (after.ru_utime + after.ru_stime) - (
            children.ru_utime + children.ru_stime
        )
    return {
        "strategy": run.strategy,
        "build_s": build,
        "solve_s": solve_s,
        "solve_cpu_s": solve_cpu_s,
        "workers_cpu_s": workers_cpu_s,
        "worker_peak_gb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2,
        "status": str(run.status),
        "gap": run.gap,
        "objective": run.objective,
        "bound": run.bound,
        "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
        "detail": run.detail,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--strategies", default="auto")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per solve")
    parser.add_argument("--block-size", type=int, help="projects per block (blocks strategy)")
    parser.add_argument("--cache", type=Path, help="keep the generator's tables in this folder")
    parser.add_argument(
        "--workers", type=int, default=0, help="solve the blocks on this many processes"
    )
    parser.add_argument(
        "--city-searches", type=int, help="each block's city searches (blocks.CITY_SEARCHES)"
    )
    parser.add_argument("--scheduler", help="solve the blocks on this Dask cluster")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # size,strategy: run in this process
    args = parser.parse_args()
    if args.one:
        size, strategy = args.one.split(",")
        print(
            json.dumps(
                one_run(
                    int(size),
                    strategy,
                    args.limit,
                    args.block_size,
                    args.cache,
                    args.workers,
                    args.city_searches,
                    args.scheduler,
                )
            )
        )
        return
    where = f"{args.workers or 'no'} worker{'s' if args.workers != 1 else ''}"
    if args.scheduler:
        where = f"the Dask cluster at {args.scheduler}"
    print(
        f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; blocks on {where}; "
        f"city searches a block: {'default' if args.city_searches is None else args.city_searches}",
        flush=True,
    )
    print(
        f"{'projects':>9} {'asked':>9} {'ran':>9} {'build s':>8} {'solve s':>8} "
        f"{'cpu s':>11} {'total s':>8} {'gap':>8} {'peak GB':>10} {'status':>10} target",
        flush=True,
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for size in (int(s) for s in args.sizes.split(",") if s):
        gap, seconds, gigabytes = TARGETS.get(size, (0.001, None, None))
        for strategy in args.strategies.split(","):
            runs = []
            for _ in range(args.runs):
                out = subprocess.run(
                    [sys.executable, __file__, "--one", f"{size},{strategy}", "--limit",
                     str(args.limit)]
                    + ([] if args.block_size is None else ["--block-size", str(args.block_size)])
                    + ([] if args.cache is None else ["--cache", str(args.cache.resolve())])
                    + ["--workers", str(args.workers)]
                    + ([] if args.scheduler is None else ["--scheduler", args.scheduler])
                    + (
                        []
                        if args.city_searches is None
                        else ["--city-searches", str(args.city_searches)]
                    ),
                    capture_output=True, text=True, env=env, cwd=ROOT, check=False,
                )
                if out.returncode != 0:
                    print(f"{size:>9} {strategy:>9} failed: {out.stderr.strip()[-300:]}")
                    break
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            if not runs:
                continue
            med = {
                k: statistics.median(r[k] for r in runs)
                for k in (
                    "build_s", "solve_s", "solve_cpu_s", "workers_cpu_s", "peak_gb",
                    "worker_peak_gb",
                )
            }
            total = med["build_s"] + med["solve_s"]
            # This process's peak and each worker's at most the largest one's.
            memory = med["peak_gb"] + args.workers * med["worker_peak_gb"]
            gaps = [r["gap"] for r in runs if r["gap"] is not None]
            worst = max(gaps) if gaps else None
            met = (
                seconds is not None
                and worst is not None
                and worst <= gap * (1 + 1e-9)
                and total < seconds
                and (gigabytes is None or memory < gigabytes)
            )
            shown = f"{worst:.3%}" if worst is not None else "none"
            cpu, peak = f"{med['solve_cpu_s']:.1f}", f"{med['peak_gb']:.2f}"
            if args.workers:
                cpu += f"+{med['workers_cpu_s']:.1f}"
                peak += f"+{args.workers}x{med['worker_peak_gb']:.2f}"
            print(
                f"{size:>9} {strategy:>9} {runs[0]['strategy']:>9} {med['build_s']:8.1f} "
                f"{med['solve_s']:8.1f} {cpu:>11} {total:8.1f} {shown:>8} {peak:>10} "
                f"{runs[0]['status']:>10} "
                f"{gap:.1%} in < {seconds} s: {'met' if met else 'MISSED'}  ({runs[0]['detail']}; "
                f"objective {runs[0]['objective']})",
                flush=True,
            )


if __name__ == "__main__":
    main()
