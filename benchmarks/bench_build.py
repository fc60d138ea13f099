"""CPU seconds to prepare and build a selection model, and to hand it to HiGHS.

    python benchmarks/bench_build.py [--sizes sample,10000,100000] [--builder direct,pulp]
                                     [--runs 3] [--cache FOLDER]

For the sample (`projects.xlsx`) and synthetic portfolios (the sample's generator, seed 7;
with `--cache FOLDER` its tables are read from and kept in FOLDER as
`benchmarks/bench_scale.py` keeps them, so the generator's minute at 100,000 projects is paid
once), each run times in CPU seconds of this process:

- `prepare` (the scenario applied; the first run of a generated portfolio also checks its
  tables against the contract, once per PlanningData, and is shown apart),
- `build_model` (the PuLP model),
- the hand-over to HiGHS: creating and configuring the solver and building its model
  (`optimizer.solver._HiGHS.buildSolverModel`, the arrays in one call, "direct"; or PuLP
  3.3's `HiGHS.buildSolverModel`, a column and a row at a time, "pulp"; "none": not timed).

Prints the median (and slowest) of the runs, the model's size and the process's peak resident
memory after each size. To compare two versions of the package, run this script with each
on PYTHONPATH, one after the other, on the same machine. `--fingerprint` also prints a hash of
the model (columns with bounds and kinds, rows with senses, right-hand sides and terms in
order, the objective) and of the arrays HiGHS holds: equal hashes, the same model.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import resource
import statistics
import time
from pathlib import Path

import numpy as np
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


def cpu() -> float:
    return time.process_time()


def transfer_seconds(model: SelectionModel, builder: str) -> float:
    """CPU seconds of solver set-up and model transfer (no solve)."""
    engine = highs_engine(60.0, 0.001)
    started = cpu()
    engine.createAndConfigureSolver(model.problem)
    if builder == "pulp":
        pulp.HiGHS.buildSolverModel(engine, model.problem)
    else:
        engine.buildSolverModel(model.problem)
    return cpu() - started


def fingerprint(model: SelectionModel) -> tuple[str, str]:
    """(hash of the PuLP model, hash of the arrays HiGHS holds once handed over)."""
    problem = model.problem
    text = hashlib.sha256()
    text.update(f"sense {problem.sense}\n".encode())
    for var in problem.variables():
        text.update(f"col {var.name} {var.lowBound!r} {var.upBound!r} {var.cat}\n".encode())
    for name, row in problem._constraints.items():
        terms = " ".join(f"{var.name}:{c!r}" for var, c in row.items())
        text.update(f"row {name} {row.sense} {row.constant!r} {terms}\n".encode())
    terms = " ".join(f"{var.name}:{c!r}" for var, c in problem.objective.items())
    text.update(f"objective {problem.objective.constant!r} {terms}\n".encode())
    engine = highs_engine(60.0, 0.001)
    engine.createAndConfigureSolver(problem)
    engine.buildSolverModel(problem)
    lp = problem.solverModel.getLp()
    arrays = hashlib.sha256()
    for part in (
        lp.col_cost_,
        lp.col_lower_,
        lp.col_upper_,
        lp.row_lower_,
        lp.row_upper_,
        lp.a_matrix_.start_,
        lp.a_matrix_.index_,
        lp.a_matrix_.value_,
    ):
        arrays.update(np.asarray(part).tobytes())
    arrays.update(repr([int(k) for k in lp.integrality_]).encode())
    problem.solverModel = None
    return text.hexdigest()[:16], arrays.hexdigest()[:16]


def planning_data(size: str, cache: Path | None) -> optimizer.PlanningData:
    if size == "sample":
        return optimizer.load_workbook(ROOT / "projects.xlsx")
    kept = None if cache is None else cache / f"sample-{int(size)}-seed7.pickle"
    if kept is not None and kept.exists():
        return pickle.loads(kept.read_bytes())
    data = build_sample(seed=7, count=int(size))
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(pickle.dumps(data))
    return data


def summary(runs: list[float]) -> str:
    return f"{statistics.median(runs):7.3f} s (slowest {max(runs):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="sample,10000")
    parser.add_argument("--builder", default="direct", help="direct, pulp or none (or a list)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, help="keep the generator's tables in this folder")
    parser.add_argument("--fingerprint", action="store_true", help="hash the model built")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; CPU seconds of this process", flush=True)
    for size in args.sizes.split(","):
        data = planning_data(size, args.cache)
        scenario = None if size == "sample" else optimizer.Scenario()
        prepared, built, first_prepare = [], [], None
        model = None
        for _ in range(args.runs):
            model = None  # free the last run's model before the next build
            started = cpu()
            inst = prepare(data, scenario)
            took = cpu() - started
            if first_prepare is None:
                first_prepare = took
            else:
                prepared.append(took)
            started = cpu()
            model = build_model(inst)
            built.append(cpu() - started)
        problem = model.problem
        shape = (
            f"{len(problem.variables()):,} cols, {len(problem._constraints):,} rows, "
            f"{sum(len(c) for c in problem._constraints.values()):,} terms"
        )
        print(f"{size:>8}: {shape}", flush=True)
        if args.fingerprint:
            pulp_hash, highs_hash = fingerprint(model)
            print(f"{size:>8} fingerprint: model {pulp_hash}, HiGHS arrays {highs_hash}")
        print(f"{size:>8} prepare, first (with the contract's checks): {first_prepare:.3f} s")
        if prepared:
            print(f"{size:>8} prepare, again: {summary(prepared)}")
        print(f"{size:>8} build_model: {summary(built)}", flush=True)
        for builder in args.builder.split(","):
            if builder == "none":
                continue
            runs = []
            for _ in range(args.runs):
                problem.solverModel = None  # free HiGHS's copy before the next build
                runs.append(transfer_seconds(model, builder))
            highs = problem.solverModel
            print(
                f"{size:>8} hand-over ({builder}): {summary(runs)}; "
                f"{highs.getNumCol():,} cols, {highs.getNumRow():,} rows, "
                f"{highs.getNumNz():,} nz",
                flush=True,
            )
            problem.solverModel = None  # free HiGHS's copy before the next builder
        print(f"{size:>8} peak {peak_gb():.2f} GB", flush=True)


if __name__ == "__main__":
    main()
