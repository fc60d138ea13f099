"""Seconds to hand a built selection model to HiGHS: PuLP's own transfer against this package's.

    python benchmarks/bench_build.py [--sizes sample,1000,10000] [--builder pulp,direct] [--runs 3]

For the sample (`projects.xlsx`) and synthetic portfolios (the sample's generator, seed 7),
times what `problem.solve` does before HiGHS runs: creating and configuring the solver and
building its model (PuLP 3.3's `HiGHS.buildSolverModel`, a column and a row at a time, or
`optimizer.solver._HiGHS.buildSolverModel`, the arrays in one call). Making the data and
building the PuLP model are timed apart ("data + model"). Prints the median (and slowest) of
the runs, and the process's peak resident memory after each line.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

import pulp

import optimizer
from optimizer.instance import prepare
from optimizer.model import SelectionModel, build_model
from optimizer.sample import build_sample
from optimizer.solver import highs_engine

ROOT = Path(__file__).resolve().parents[1]


def peak_gb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def transfer_seconds(model: SelectionModel, builder: str) -> float:
    """Seconds of solver set-up and model transfer (no solve)."""
    engine = highs_engine(60.0, 0.001)
    build = pulp.HiGHS.buildSolverModel if builder == "pulp" else engine.buildSolverModel
    started = time.perf_counter()
    engine.createAndConfigureSolver(model.problem)
    if builder == "pulp":
        build(engine, model.problem)
    else:
        build(model.problem)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="sample,1000,10000")
    parser.add_argument("--builder", default="pulp,direct")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for size in args.sizes.split(","):
        started = time.perf_counter()
        if size == "sample":
            inst = prepare(optimizer.load_workbook(ROOT / "projects.xlsx"))
        else:
            inst = prepare(build_sample(seed=7, count=int(size)), optimizer.Scenario())
        model = build_model(inst)
        built = time.perf_counter() - started
        problem = model.problem
        shape = (
            f"{len(problem.variables()):,} cols, {len(problem._constraints):,} rows, "
            f"{sum(len(c) for c in problem._constraints.values()):,} terms"
        )
        print(f"{size:>8}: {shape}; data + model {built:.1f} s", flush=True)
        for builder in args.builder.split(","):
            runs = []
            for _ in range(args.runs):
                problem.solverModel = None  # free HiGHS's copy before the next build
                runs.append(transfer_seconds(model, builder))
            highs = problem.solverModel
            print(
                f"{size:>8} {builder:>7}: transfer {statistics.median(runs):8.3f} s "
                f"(slowest {max(runs):.3f} s; "
                f"{highs.getNumCol():,} cols, {highs.getNumRow():,} rows, "
                f"{highs.getNumNz():,} nz), peak {peak_gb():.2f} GB",
                flush=True,
            )
            problem.solverModel = None  # free HiGHS's copy before the next builder


if __name__ == "__main__":
    main()
