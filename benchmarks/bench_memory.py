"""Peak memory of one solve of a very large portfolio (the sample's generator).

    python benchmarks/bench_memory.py [--projects 100000] [--time-limit 300] [--presolve off]
        [--heuristic-effort 0]

Prints, step by step, the seconds taken and the process's peak resident memory (the target:
100,000 projects solve within 4 GB, at whatever gap they reach, reported). The solve is split
into the model's transfer into HiGHS and HiGHS's own run. --presolve: HiGHS's presolve option
("choose", its default, or "off": at 30,000 projects and more HiGHS 1.16's MIP presolve spends
minutes in its dominated-columns search, past the time limit, which it does not look at there).
"""

from __future__ import annotations

import argparse
import resource
import time

import optimizer
from optimizer.instance import prepare
from optimizer.model import build_model
from optimizer.pipeline import read_solution
from optimizer.sample import build_sample
from optimizer.solver import _read_highs, highs_engine


def peak_gb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--gap", type=float, default=0.001)
    parser.add_argument("--presolve", choices=["choose", "off"], default="choose")
    parser.add_argument("--no-report", action="store_true", help="stop after the solve")
    parser.add_argument("--heuristic-effort", type=float, help="HiGHS's mip_heuristic_effort")
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
    # The package's own HiGHS configuration (as run_solver uses), presolve aside.
    engine = highs_engine(args.time_limit, args.gap)
    engine.optionsDict["presolve"] = args.presolve
    if args.heuristic_effort is not None:
        engine.optionsDict["mip_heuristic_effort"] = args.heuristic_effort
    build = engine.buildSolverModel

    def timed_build(lp) -> None:  # noqa: ANN001
        build(lp)
        step("model handed to HiGHS")

    engine.buildSolverModel = timed_build
    solve_started = time.perf_counter()
    model.problem.solve(engine)
    run = _read_highs(model, time.perf_counter() - solve_started)
    gap = "none" if run.gap is None else format(run.gap, ".3%")
    step(f"solved: {run.status}, gap {gap}")
    print(f"{'':>28}  {run.detail}; objective {run.objective}, bound {run.bound}", flush=True)
    if args.no_report:
        return
    solution = read_solution(model, run)
    step(f"report: {solution.worker_years:,.0f} worker-years")


if __name__ == "__main__":
    main()
