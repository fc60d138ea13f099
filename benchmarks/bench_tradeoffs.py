"""Benchmark the trade-off analyses on the sample, in-process and on a 2-worker process pool.

    python benchmarks/bench_tradeoffs.py [--runs 3] [--draws 200] [--only frontier,...]

Prints, for the sample workbook:
- the 21-point fiscal-budget frontier (0–200 %): medians over the runs, in-process, with the
  kept model (changed row bounds, warm start) against a rebuild at every point, and at the
  scenario's gap against a looser 1 % gap with a 2 s limit per point;
- break-even for every project, in-process and on the pool (one run each: ~250 solves);
- `--draws` robustness draws (±30 %), in-process and on the pool, and their ratio.
Break-even and draws use the sample's 0.5 % gap with a 10 s limit per solve (`--limit`).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import optimizer
from optimizer.tradeoffs import break_even, frontier, robustness

ROOT = Path(__file__).resolve().parents[1]


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))


def bench_frontier(data: optimizer.PlanningData, runs: int) -> None:
    variants: dict[str, dict] = {
        "kept model, chunks of 7 (default)": dict(),
        "kept model, one chunk of 21": dict(chunk_size=21),
        "rebuilt every point, no warm start": dict(chunk_size=1, warm_start=False),
        "kept model, 1 % gap, 2 s/point": dict(mip_gap=0.01, time_limit_s=2.0),
        "rebuilt, 1 % gap, 2 s/point": dict(
            mip_gap=0.01, time_limit_s=2.0, chunk_size=1, warm_start=False
        ),
        "kept model, 1 % gap, 0.4 s/point": dict(mip_gap=0.01, time_limit_s=0.4),
    }
    print(f"\n21-point fiscal-budget frontier, in-process (median of {runs} runs)")
    print(
        f"{'variant':>38} {'median s':>9} {'min s':>7} {'points at limit':>16} {'max gap':>8} "
        f"{'re-employed at 100 %':>21}"
    )
    for label, options in variants.items():
        times, table = [], None
        for _ in range(runs):
            seconds, table = timed(lambda o=options: frontier(data, None, "fiscal_budget", 21, **o))
            times.append(seconds)
        assert table is not None
        at_limit = int((table["status"] == "time_limit").sum())
        current = table.loc[table["current"], "worker_years"].iloc[0]
        print(
            f"{label:>38} {statistics.median(times):9.1f} {min(times):7.1f} "
            f"{at_limit:16d} {table['gap'].max():8.2%} {current:21,.0f}"
        )


def bench_break_even(data: optimizer.PlanningData, limit: float) -> None:
    print(f"\nBreak-even for every project (one run each, {limit:g} s limit per solve)")
    here, table = timed(lambda: break_even(data, time_limit_s=limit))
    solved = int(table["status"].isin(["optimal", "time_limit"]).sum())
    at_limit = int((table["status"] == "time_limit").sum())
    with pool() as executor:
        pooled, _ = timed(lambda: break_even(data, executor=executor, time_limit_s=limit))
    print(f"  {at_limit} of the solves stopped at the limit")
    print(
        f"  {solved} solves: in-process {here:.1f} s, 2-worker pool {pooled:.1f} s, "
        f"ratio {here / pooled:.2f}×"
    )


def bench_robustness(data: optimizer.PlanningData, draws: int, limit: float) -> None:
    print(f"\n{draws} robustness draws, ±30 % (one run each, {limit:g} s limit per solve)")
    here, result = timed(lambda: robustness(data, draws=draws, time_limit_s=limit))
    with pool() as executor:
        pooled, again = timed(
            lambda: robustness(data, draws=draws, executor=executor, time_limit_s=limit)
        )
    at_limit = int((result.draws["status"] == "time_limit").sum())
    print(f"  {at_limit} of the draws stopped at the limit")
    same = result.projects.equals(again.projects)
    summary = result.summary()
    print(
        f"  in-process {here:.1f} s, 2-worker pool {pooled:.1f} s, ratio {here / pooled:.2f}× "
        f"(target ≥ 1.6×); same answer: {same}"
    )
    print(
        f"  core {summary['core_projects']:.0f}, borderline {summary['borderline_projects']:.0f}"
        f", outside {summary['outside_projects']:.0f}; worker-years median "
        f"{summary['worker_years_median']:,.0f} (5–95 %: {summary['worker_years_p05']:,.0f}–"
        f"{summary['worker_years_p95']:,.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--only", default="frontier,break_even,robustness")
    parser.add_argument("--limit", type=float, default=10.0, help="s per break-even/draw solve")
    args = parser.parse_args()
    data = optimizer.load_workbook(ROOT / "projects.xlsx")
    wanted = set(args.only.split(","))
    if "frontier" in wanted:
        bench_frontier(data, args.runs)
    if "break_even" in wanted:
        bench_break_even(data, args.limit)
    if "robustness" in wanted:
        bench_robustness(data, args.draws, args.limit)


if __name__ == "__main__":
    main()
