"""Peak memory of one solve of a very large portfolio (the sample's generator).

    python benchmarks/bench_memory.py [--projects 100000] [--time-limit 120]

Prints, step by step, the seconds taken and the process's peak resident memory (the target:
100,000 projects solve within 4 GB, at whatever gap they reach, reported).
"""

from __future__ import annotations

import argparse
import resource
import time

import optimizer
from optimizer.instance import prepare
from optimizer.model import build_model
from optimizer.sample import build_sample
from optimizer.solve import read_solution
from optimizer.solver import run_solver


def peak_gb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--gap", type=float, default=0.001)
    args = parser.parse_args()
    started = time.perf_counter()

    def step(label: str) -> None:
        print(
            f"{label:>28}: {time.perf_counter() - started:7.1f} s, peak {peak_gb():.2f} GB",
            flush=True,
        )

    data = build_sample(seed=7, count=args.projects)
    step(f"{len(data.projects):,} projects made")
    inst = prepare(data, optimizer.Scenario(mip_gap=args.gap, time_limit_s=args.time_limit))
    step("instance prepared")
    model = build_model(inst)
    step("model built")
    run = run_solver(model)
    step(f"solved: {run.status}, gap {run.gap if run.gap is None else format(run.gap, '.3%')}")
    solution = read_solution(model, run)
    step(f"report: {solution.worker_years:,.0f} worker-years")


if __name__ == "__main__":
    main()
