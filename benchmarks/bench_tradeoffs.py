"""Benchmark the trade-off analyses on the sample, in-process and on a 2-worker process pool.

    python benchmarks/bench_tradeoffs.py [--runs 3] [--draws 200] [--only frontier,grid,...]

Prints, for the sample workbook:
- the 21-point fiscal-budget frontier (0–200 %): medians over the runs, in-process and on 2
  workers, at the scenario's gap and at 1 %, each solve ending on its gap or a deterministic
  work limit (and at 1 % on the node limit alone, as before the work limit); which points
  stopped on work, how many on the clock, the largest gap, how many points took the cheaper
  neighbour's portfolio, whether the frontier never falls and whether the pool gave the
  same plans as this process;
- break-even on the pool for the left-out projects (the app's entry thresholds) and for
  every project, each solve from the base portfolio repaired (warm) and from scratch (cold);
- the 25-point heat map (fiscal budget × bond quota, 0–200 % each) at 1 %, in-process and on
  2 workers (`--only grid`);
- the value of each limit (`--only limits`): its re-solves at its own precision, each
  family's limits together first and then one by one only where a family buys something
  ("by family", the default) against every limit re-solved alone, in-process and on 2
  workers; the same rows either way;
- `--draws` robustness draws (jobs ±30 %, capex overruns 0 to `--overrun`, +40 % by default;
  `--overrun 0` for jobs alone) on the pool: on the node limit alone (before the work limit),
  then with it cold (the default) and warm (each draw from the base portfolio, repaired);
  how many draws were proven and how many stopped on a limit, the workers' CPU seconds.
Break-even and draws use a 1 % gap (`--gap`), the node limit and a 10 s safety limit per
solve (`--limit`).
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import statistics
import time
from concurrent.futures import Executor
from pathlib import Path

import optimizer
from optimizer.limit_values import limit_values
from optimizer.tradeoffs import break_even, frontier, frontier_grid, robustness

CODES = {str(s) for s in optimizer.Status}


def has_portfolio(status: object) -> bool:
    return str(status) in CODES and optimizer.Status(str(status)).has_portfolio


def stopped_early(status: object) -> bool:
    """A portfolio from a solve stopped by a limit (the clock or the node limit)."""
    return has_portfolio(status) and not optimizer.Status(str(status)).is_proven

ROOT = Path(__file__).resolve().parents[1]


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def pool() -> Executor:
    return optimizer.process_pool(2)


def bench_frontier(data: optimizer.PlanningData, runs: int) -> None:
    """Targets: a 21-point frontier in < 5 s on 2 workers (issue 19), the same plans in this
    process and on the pool. "Before": the node limit alone, as before the work limit that
    counts the root (its low-budget points ran to the clock)."""
    variants: dict[str, dict] = {
        "default (sample gap 0.5 %, work limit)": dict(),
        "1 % gap, work limit": dict(options=dict(mip_gap=0.01)),
        "1 % gap, node limit only (before)": dict(options=dict(mip_gap=0.01, work_limit=None)),
    }
    print(f"\n21-point fiscal-budget frontier (median of {runs} runs)")
    print(
        f"{'variant':>42} {'where':>10} {'median s':>9} {'min s':>7} {'on work':>8} "
        f"{'on clock':>9} {'max gap':>8} {'carried':>8} {'monotone':>9} {'same plans':>11}"
    )
    for label, spec in variants.items():
        tables = {}
        for where in ("in-process", "2 workers"):
            times, table = [], None
            for _ in range(runs):
                with contextlib.ExitStack() as stack:
                    executor = stack.enter_context(pool()) if where == "2 workers" else None
                    options = optimizer.RunOptions(executor=executor, **spec.get("options", {}))
                    extra = {k: v for k, v in spec.items() if k != "options"}
                    seconds, table = timed(
                        lambda o=options, e=extra: frontier(
                            data, None, "fiscal_budget", 21, options=o, **e
                        )
                    )
                times.append(seconds)
            assert table is not None
            tables[where] = table
            status = table["status"].astype(str)
            on_work = table.loc[status == "work_limit", "setting"]
            clock = int((status == "time_limit").sum())
            solved = table[table["status"].map(has_portfolio)]
            monotone = bool((solved["objective"].diff().dropna() >= -1e-6).all())
            plans = tables["in-process"].drop(columns="seconds")
            same = plans.equals(table.drop(columns="seconds"))
            print(
                f"{label:>42} {where:>10} {statistics.median(times):9.1f} {min(times):7.1f} "
                f"{len(on_work):8d} {clock:9d} {table['gap'].max():8.2%} "
                f"{int(table['carried'].sum()):8d} {str(monotone):>9} {str(same):>11}",
                flush=True,
            )
            if len(on_work):
                print(
                    f"{'':>42} {'':>10} stopped on work at "
                    + ", ".join(f"{v:.1f}×" for v in on_work),
                    flush=True,
                )


def bench_grid(data: optimizer.PlanningData, runs: int) -> None:
    """Target: a 25-point heat map in < 5 s on 2 workers (issue 19)."""
    print(f"\n25-point heat map, fiscal budget × bond quota, 1 % gap (median of {runs} runs)")
    for where in ("in-process", "2 workers"):
        times, table = [], None
        for _ in range(runs):
            with contextlib.ExitStack() as stack:
                executor = stack.enter_context(pool()) if where == "2 workers" else None
                options = optimizer.RunOptions(executor=executor, mip_gap=0.01)
                seconds, table = timed(lambda o=options: frontier_grid(data, None, options=o))
            times.append(seconds)
        assert table is not None
        early = int(table["status"].map(stopped_early).sum())
        clock = int((table["status"].astype(str) == "time_limit").sum())
        print(
            f"  {where:>10}: median {statistics.median(times):.1f} s, min {min(times):.1f} s, "
            f"{early} cells stopped early ({clock} by the clock), largest gap "
            f"{table['gap'].max():.2%}, {int(table['carried'].sum())} carried",
            flush=True,
        )


def bench_limits(data: optimizer.PlanningData) -> None:
    """The app's "value of each limit": families first (the default) against every limit
    alone, in-process and on 2 workers, one run each."""
    print("\nThe value of each limit (one run each, at its own precision)")
    solution = optimizer.solve(data)
    tables = {}
    for where in ("in-process", "2 workers"):
        for by_family in (True, False):
            with contextlib.ExitStack() as stack:
                executor = stack.enter_context(pool()) if where == "2 workers" else None
                options = optimizer.RunOptions(executor=executor)
                cpu = time.process_time()
                seconds, table = timed(
                    lambda o=options, f=by_family: limit_values(
                        data, current=solution, options=o, by_family=f
                    )
                )
                cpu = time.process_time() - cpu
            tables[(where, by_family)] = table
            solves = int(table["alone"].sum()) + table.loc[~table["alone"], "limit"].nunique()
            print(
                f"  {where:>10} {'by family' if by_family else 'each alone':>10}: "
                f"{seconds:.1f} s ({cpu:.1f} CPU s in this process), {solves} re-solves, "
                f"{int(table['binds'].sum())} limits bind",
                flush=True,
            )
    shown = ["limit", "where", "worker_years_gained", "per_yi", "binds"]
    same = all(t[shown].equals(tables[("in-process", True)][shown]) for t in tables.values())
    print(f"  the same rows every way: {same}")


def bench_break_even(data: optimizer.PlanningData, limit: float, gap: float) -> None:
    """Every left-out project's entry threshold (the app's break-even) and then every
    project, on 2 workers, each solve from the base portfolio repaired (warm) and from
    scratch (cold), one run each."""
    print(f"\nBreak-even on 2 workers (one run each, {limit:g} s safety limit per solve)")
    for label, include_chosen in (("left-out projects", False), ("every project", True)):
        for warm in (True, False):
            with pool() as executor:
                on_pool = optimizer.RunOptions(executor=executor, time_limit_s=limit, mip_gap=gap)
                seconds, table = timed(
                    lambda o=on_pool, w=warm, c=include_chosen: break_even(
                        data, options=o, include_chosen=c, warm_start=w
                    )
                )
            solved = int(table["status"].map(has_portfolio).sum())
            early = int(table["status"].map(stopped_early).sum())
            print(
                f"  {label:>17} {'warm' if warm else 'cold':>4}: {solved} solves in "
                f"{seconds:.1f} s, {early} stopped early, objective changes summed "
                f"{table['objective_change'].replace(float('inf'), float('nan')).sum():,.0f}",
                flush=True,
            )


def bench_robustness(
    data: optimizer.PlanningData,
    draws: int,
    limit: float,
    gap: float,
    overrun: float,
    rate_spread: float,
) -> None:
    """Robustness on 2 workers, one run each: before (the node limit alone, each draw from
    scratch), then with the work limit from scratch (the default) and warm (each draw from
    the base portfolio, repaired). CPU seconds: the workers' (they are waited for when the
    pool closes) and this process's."""
    print(
        f"\n{draws} robustness draws, jobs ±30 %, overruns 0 to +{overrun:.0%}, baseline "
        f"re-employment rates ±{rate_spread:.0%}, {gap:.1%} gap "
        f"(one run each on 2 workers, {limit:g} s safety limit per solve)"
    )
    results = {}
    variants = {
        "before: node limit only, cold": dict(warm=False, work_limit=None),
        "work limit, cold (the default)": dict(warm=False),
        "work limit, warm (from the base plan)": dict(warm=True),
    }
    for label, spec in variants.items():
        work = {"work_limit": spec["work_limit"]} if "work_limit" in spec else {}
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time()
        with pool() as executor:
            on_pool = optimizer.RunOptions(
                executor=executor, time_limit_s=limit, mip_gap=gap, **work
            )
            seconds, result = timed(
                lambda o=on_pool, w=spec["warm"]: robustness(
                    data,
                    draws=draws,
                    overrun=overrun,
                    rate_spread=rate_spread,
                    options=o,
                    warm_start=w,
                )
            )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        cpu = time.process_time() - cpu
        results[label] = result
        summary = result.summary()
        infeasible = int((~result.draws["status"].map(has_portfolio)).sum())
        print(
            f"  {label:>38}: {seconds:.1f} s ({workers:.1f} CPU s in the workers, {cpu:.1f} "
            f"here); proven {summary['draws_proven']:.0f}, at the work limit "
            f"{summary['draws_work_limit']:.0f}, at the time limit "
            f"{summary['draws_time_limit']:.0f}, {infeasible} without a portfolio; gaps median "
            f"{result.draws['gap'].median():.2%}, max {result.draws['gap'].max():.2%}",
            flush=True,
        )
    first = next(iter(results.values()))
    for label, result in results.items():
        same = result.projects.equals(first.projects)
        print(f"  same project classes as the first: {same} ({label})")
    summary = first.summary()
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
    parser.add_argument("--only", default="frontier,grid,break_even,robustness,limits")
    parser.add_argument("--limit", type=float, default=10.0, help="s per break-even/draw solve")
    parser.add_argument("--gap", type=float, default=0.01, help="gap per break-even/draw solve")
    parser.add_argument("--overrun", type=float, default=0.40, help="capex overrun, up to")
    parser.add_argument(
        "--rate-spread", type=float, default=0.50, help="baseline re-employment rates, ±"
    )
    args = parser.parse_args()
    data = optimizer.load_workbook(ROOT / "projects.xlsx")
    wanted = set(args.only.split(","))
    if "frontier" in wanted:
        bench_frontier(data, args.runs)
    if "grid" in wanted:
        bench_grid(data, args.runs)
    if "limits" in wanted:
        bench_limits(data)
    if "break_even" in wanted:
        bench_break_even(data, args.limit, args.gap)
    if "robustness" in wanted:
        bench_robustness(data, args.draws, args.limit, args.gap, args.overrun, args.rate_spread)


if __name__ == "__main__":
    main()
