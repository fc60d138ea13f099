"""Trade-off analyses: frontiers, the two-lever grid, break-even, robustness, executors."""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest
from helpers import busy_loops, planning_data, sample_subset

import optimizer
from optimizer import InfeasibleError, Scenario, solve
from optimizer.tradeoffs import (
    LEVERS,
    AnalysisCancelled,
    Resolver,
    RunOptions,
    break_even,
    draw_multipliers,
    drawn_data,
    frontier,
    frontier_grid,
    robustness,
)

SOLVED = ("optimal", "time_limit", "work_limit")
# Timings differ run to run; everything else must not.
TIMING = ["seconds"]


@pytest.fixture(scope="module")
def small(sample: optimizer.PlanningData) -> optimizer.PlanningData:
    """25 sample projects, budgets cut to an eighth, solved exactly (gap 0)."""
    return sample_subset(sample)


def single(data: optimizer.PlanningData, scenario: Scenario) -> float | None:
    try:
        return solve(data, scenario).objective
    except InfeasibleError:
        return None


def test_frontier_points_agree_with_single_solves(small: optimizer.PlanningData) -> None:
    table = frontier(small, Scenario(), "fiscal_budget", [0.0, 0.3, 0.7, 1.0, 1.6])
    assert table["setting"].tolist() == [0.0, 0.3, 0.7, 1.0, 1.6]
    for row in table.itertuples():
        expected = single(small, Scenario(fiscal_budget_scale=row.setting))
        if expected is None:
            assert row.status == "infeasible"
        else:
            assert row.status == "optimal"
            assert row.objective == pytest.approx(expected, rel=1e-7)
    # Most points were re-solved on the kept model, not rebuilt.
    assert table["current"].tolist() == [False, False, False, True, False]


@pytest.mark.parametrize("lever", ["bond_quota", "debt_headroom", "ppp_line", "commute_km"])
def test_every_lever_agrees_with_single_solves(small: optimizer.PlanningData, lever: str) -> None:
    table = frontier(small, Scenario(), lever, 3)
    spec = LEVERS[lever]
    current = spec.setting_of(small, Scenario().resolved(small))
    assert table["setting"].tolist() == pytest.approx([0.0, current, 2 * current])
    for row in table.itertuples():
        expected = single(small, Scenario(**{spec.field: row.setting}))
        if expected is None:
            assert row.status == "infeasible"
        else:
            assert row.objective == pytest.approx(expected, rel=1e-7)


def test_worker_years_never_fall_as_the_budget_rises(sample: optimizer.PlanningData) -> None:
    # With no weight on other jobs and no discount the objective is worker-years alone.
    data = sample_subset(sample, other_jobs_weight=0.0)
    table = frontier(data, Scenario(), "fiscal_budget", 9, chunk_size=3)
    solved = table[table["status"] == "optimal"]
    assert len(solved) >= 7
    assert (solved["worker_years"].diff().dropna() >= -1e-6).all()
    assert solved["worker_years"].iloc[-1] > solved["worker_years"].iloc[0]


def test_marginal_worker_and_job_years_are_per_extra_yi(small: optimizer.PlanningData) -> None:
    table = frontier(small, Scenario(), "fiscal_budget", [0.5, 1.0, 1.5])
    budget = sum(optimizer.prepare(small).fiscal_budget.values())
    assert table["amount"].tolist() == pytest.approx([0.5 * budget, budget, 1.5 * budget])
    gained = table["worker_years"].iloc[1] - table["worker_years"].iloc[0]
    assert table["marginal_worker_years"].iloc[1] == pytest.approx(gained / (0.5 * budget))
    jobs = table["job_years"].iloc[2] - table["job_years"].iloc[1]
    assert table["marginal_job_years"].iloc[2] == pytest.approx(jobs / (0.5 * budget))
    assert math.isnan(table["marginal_job_years"].iloc[0])


def test_a_frontier_refuses_unknown_levers_and_bad_points(small: optimizer.PlanningData) -> None:
    with pytest.raises(ValueError, match="unknown lever 'budget'"):
        frontier(small, Scenario(), "budget", 3)
    with pytest.raises(ValueError, match="at least 2 points"):
        frontier(small, Scenario(), "fiscal_budget", 1)
    with pytest.raises(ValueError, match="finite and ≥ 0"):
        frontier(small, Scenario(), "fiscal_budget", [1.0, -0.5])


def test_the_grid_agrees_with_single_solves(small: optimizer.PlanningData) -> None:
    grid = frontier_grid(
        small, Scenario(), ("fiscal_budget", "bond_quota"), ([0.5, 1.0], [0.0, 1.0, 2.0])
    )
    assert len(grid) == 6
    assert set(zip(grid["setting_x"], grid["setting_y"], strict=True)) == {
        (x, y) for x in (0.5, 1.0) for y in (0.0, 1.0, 2.0)
    }
    for row in grid.itertuples():
        expected = single(
            small, Scenario(fiscal_budget_scale=row.setting_x, bond_quota_scale=row.setting_y)
        )
        if expected is None:
            assert row.status == "infeasible"
        else:
            assert row.objective == pytest.approx(expected, rel=1e-7)


def test_a_kept_model_resolves_like_a_fresh_build(small: optimizer.PlanningData) -> None:
    resolver = Resolver(small)
    first = resolver.solve(Scenario(fiscal_budget_scale=0.6))
    again = resolver.solve(Scenario(fiscal_budget_scale=1.3, debt_headroom_scale=0.5))
    assert not first.reused
    assert again.reused
    fresh = solve(small, Scenario(fiscal_budget_scale=1.3, debt_headroom_scale=0.5))
    assert again.objective == pytest.approx(fresh.objective, rel=1e-7)
    assert sorted(small.projects["project_id"].iloc[again.chosen]) == sorted(fresh.chosen_starts)
    # A change beyond the money limits rebuilds.
    assert not resolver.solve(Scenario(commute_km=10)).reused


def test_break_even_brings_a_project_in_only_past_its_figure(
    sample: optimizer.PlanningData,
) -> None:
    # 40 projects: under version 3's PPP rules fewer of the first 25 are left out by the
    # objective alone.
    small = sample_subset(sample, count=40)
    base = solve(small)
    chosen = set(base.chosen_starts)
    # Every project left out, and five chosen ones (each chosen one is a re-solve without
    # it: all 25 took most of this test's time and show nothing the five do not).
    everyone = small.projects["project_id"].tolist()
    ids = [i for i in everyone if i not in chosen or i in sorted(chosen)[:5]]
    assert 5 < len(ids) < len(everyone)
    table = break_even(small, Scenario(), projects=ids)
    assert table["project_id"].tolist() == ids
    assert set(table.loc[table["in_portfolio"], "project_id"]) == chosen & set(ids)
    left_out = table[~table["in_portfolio"] & (table["status"] == "optimal")]
    left_out = left_out[left_out["extra_jobs_needed"].between(1, 1e9)]
    assert len(left_out) >= 2
    for row in left_out.head(3).itertuples():
        position = small.projects.index[small.projects["project_id"] == row.project_id][0]

        def raised(extra: float, position: int = position) -> optimizer.PlanningData:
            # extra_jobs_needed is per job held in each build year (v2): capex × jobs_per_yi
            # grows by `extra` when jobs_per_yi grows by extra / capex.
            projects = small.projects.copy()
            projects.loc[position, "jobs_per_yi"] += extra / projects.loc[position, "capex"]
            return dataclasses.replace(small, projects=projects)

        more = solve(raised(row.extra_jobs_needed * 1.05 + 1))
        less = solve(raised(row.extra_jobs_needed * 0.95))
        assert row.project_id in more.chosen_starts
        assert row.project_id not in less.chosen_starts
    # At a zero gap only a zero change is within it.
    solved = table[table["status"] == "optimal"]
    assert (solved["within_gap"] == (solved["objective_change"] <= 1e-6)).all()
    # Given the scenario's own solve (as the app and the command line give the headline's),
    # break-even does not solve it again and reads the same figures.
    only_left_out = break_even(small, Scenario(), projects=ids, include_chosen=False, current=base)
    assert set(only_left_out["project_id"]) == set(ids) - chosen
    same = table[~table["in_portfolio"]].reset_index(drop=True)
    pd.testing.assert_series_equal(
        only_left_out["extra_jobs_needed"].reset_index(drop=True), same["extra_jobs_needed"]
    )
    with pytest.raises(ValueError, match="current must be the solve of the scenario"):
        break_even(small, Scenario(fiscal_budget_scale=0.5), projects=ids, current=base)
    with pytest.raises(ValueError, match="no project NOPE in the workbook"):
        break_even(small, Scenario(), projects=["NOPE", ids[0]], current=base)
    # A chosen project's figure is what the portfolio loses without it.
    row = table[table["in_portfolio"] & (table["reason"] == "")].iloc[0]
    without = solve(small, Scenario(forced_out=(row["project_id"],)))
    # The break-even reads the solver's objective, a Solution re-evaluates its portfolio with
    # the home-first matching: the two agree to the solver's tolerances, not to the yuan.
    assert row["objective_change"] == pytest.approx(
        base.objective - without.objective, abs=1e-7 * base.gap_base
    )


def test_break_even_counts_jobs_held_in_each_build_year() -> None:
    # Budget 10 a year for two years. a: capex 10, one year, 100 jobs → 100 + 0.1 × 100 =
    # 110. b: capex 20 over two years (10 a year), 40 jobs in each → 80 + 8 = 88. Each needs
    # the whole budget of its years, so the best portfolio is {a} alone.
    data = planning_data(
        [
            dict(project_id="a", region="A", capex=10.0, jobs_per_yi=10.0),
            dict(project_id="b", region="A", capex=20.0, duration_years=2, jobs_per_yi=2.0),
        ],
        [dict(region="A", displaced_workers=1e6)],
        [(2021, 10.0, 0.0), (2022, 10.0, 0.0)],
    )
    table = break_even(data, Scenario()).set_index("project_id")
    # Swapping costs 110 − 88 = 22. One more job held in each of b's two build years adds
    # (1 + 0.1) × 2 = 2.2: b needs 10 more; one fewer in a's one build year costs 1.1: a has
    # 20 to spare.
    assert table.at["b", "objective_change"] == pytest.approx(22)
    assert table.at["b", "extra_jobs_needed"] == pytest.approx(10)
    assert table.at["a", "objective_change"] == pytest.approx(22)
    assert table.at["a", "jobs_to_spare"] == pytest.approx(20)
    # Check: with 10 more jobs a year (jobs_per_yi 2.5) b ties a at 110; with 11 it wins.
    projects = data.projects.copy()
    projects.loc[1, "jobs_per_yi"] = 2.55
    assert set(solve(dataclasses.replace(data, projects=projects)).chosen_starts) == {"b"}


def test_break_even_names_why_no_solve_was_needed(sample: optimizer.PlanningData) -> None:
    mandatory = sample.projects.loc[sample.projects["mandatory"], "project_id"].iloc[0]
    excluded = sample.projects.loc[sample.projects["excluded"], "project_id"].iloc[0]
    table = break_even(sample, Scenario(), projects=[mandatory, excluded]).set_index("project_id")
    assert table.loc[mandatory, "reason"] == "forced_in"
    assert table.loc[excluded, "reason"] == "forced_out"
    assert (table["status"] == "not solved").all()


def test_robustness_without_uncertainty_matches_the_solve(
    small: optimizer.PlanningData,
) -> None:
    result = robustness(small, Scenario(), draws=3, spread=0.0, overrun=0.0, rate_spread=0.0)
    chosen = set(solve(small).chosen_starts)
    frequency = result.projects.set_index("project_id")["frequency"]
    assert set(frequency.unique()) <= {0.0, 1.0}
    assert set(frequency[frequency == 1.0].index) == chosen
    assert (
        result.projects["class"]
        == np.where(result.projects["project_id"].isin(chosen), "core", "outside")
    ).all()
    assert result.draws["worker_years"].nunique() == 1


def test_an_overrun_costs_money_not_jobs(small: optimizer.PlanningData) -> None:
    n = len(small.projects)
    jobs, overrun = np.full(n, 1.2), np.linspace(1.0, 1.4, n)
    drawn = drawn_data(small, jobs, overrun)
    before, after = small.projects, drawn.projects
    assert np.allclose(after["capex"], before["capex"] * overrun)
    # Jobs move with the jobs draw alone; the PPP contracts' payments do not move.
    assert np.allclose(
        after["capex"] * after["jobs_per_yi"], 1.2 * before["capex"] * before["jobs_per_yi"]
    )
    assert np.allclose(after["ppp_annual_payment"], before["ppp_annual_payment"])
    assert drawn.fingerprint != small.fingerprint
    # A seed's jobs draws are the same whatever the overrun asked for.
    jobs_alone, none, _ = draw_multipliers(5, n, 0.3, 0.0, seed=9)
    jobs_too, dearer, _ = draw_multipliers(5, n, 0.3, 0.4, seed=9)
    assert np.array_equal(jobs_alone, jobs_too)
    assert (none == 1.0).all()
    assert ((dearer >= 1.0) & (dearer <= 1.4)).all()
    assert dearer.std() > 0.05
    # Over the draws, the overrun is felt: the same jobs draws, dearer portfolios.
    plain = robustness(small, Scenario(), draws=3, spread=0.0, overrun=0.0, rate_spread=0.0)
    dear = robustness(small, Scenario(), draws=3, spread=0.0, overrun=0.4, rate_spread=0.0)
    assert (dear.draws["capex"] != plain.draws["capex"]).any()
    with pytest.raises(ValueError, match="overrun"):
        robustness(small, Scenario(), draws=1, overrun=-0.1)
    with pytest.raises(ValueError, match="overrun must be a number"):
        robustness(small, Scenario(), draws=1, overrun="40%")


def test_robustness_draws_the_cities_baseline_rates(small: optimizer.PlanningData) -> None:
    n, m = len(small.projects), len(small.regions)
    _, _, rates = draw_multipliers(40, n, 0.3, 0.4, seed=9, regions=m, rate_spread=0.5)
    assert rates.shape == (40, m)
    assert ((rates >= 0.5) & (rates <= 1.5)).all()
    assert rates.std() > 0.2
    # The jobs and capex draws do not move with the rates asked for.
    jobs, capex, none = draw_multipliers(40, n, 0.3, 0.4, seed=9, regions=m)
    assert np.array_equal(jobs, draw_multipliers(40, n, 0.3, 0.4, seed=9)[0])
    assert np.array_equal(capex, draw_multipliers(40, n, 0.3, 0.4, seed=9)[1])
    assert (none == 1.0).all()
    # Each city's own rate is scaled and kept within [0, 1]; a city without one takes the
    # scenario's rate.
    data = dataclasses.replace(small, regions=small.regions.copy())
    own = np.linspace(0.1, 0.8, m)
    own[0] = np.nan
    data.regions["baseline_reemployment_rate"] = own
    factors = np.full(m, 1.5)
    drawn = drawn_data(data, np.ones(n), np.ones(n), factors, default_rate=0.2)
    expected = np.clip(np.where(np.isnan(own), 0.2, own) * 1.5, 0.0, 1.0)
    assert drawn.regions["baseline_reemployment_rate"].to_numpy() == pytest.approx(expected)
    assert expected.max() == 1.0  # 0.8 × 1.5 is clipped
    assert np.isnan(data.regions["baseline_reemployment_rate"].iloc[0])  # not overwritten
    # Rates alone move the answer, seeded: a higher rate leaves less exposure to replace, so
    # the objective (re-employed less exposure) differs draw to draw and from the plain solve.
    rates_only = dict(draws=3, spread=0.0, overrun=0.0, rate_spread=0.5, seed=4)
    one = robustness(small, Scenario(), **rates_only)
    two = robustness(small, Scenario(), **rates_only)
    pd.testing.assert_frame_equal(one.draws, two.draws)
    assert one.draws["objective"].round(3).nunique() == 3
    assert one.rate_spread == 0.5  # the result carries it, so its words can name it
    plain = solve(small).objective
    assert (abs(one.draws["objective"] - plain) > 1.0).all()
    with pytest.raises(ValueError, match="rate_spread must be a number"):
        robustness(small, Scenario(), draws=1, rate_spread=1.5)


def test_robustness_is_seeded(small: optimizer.PlanningData) -> None:
    one = robustness(small, Scenario(), draws=4, spread=0.3, seed=5)
    two = robustness(small, Scenario(), draws=4, spread=0.3, seed=5)
    other = robustness(small, Scenario(), draws=4, spread=0.3, seed=6)
    pd.testing.assert_frame_equal(one.projects, two.projects)
    pd.testing.assert_frame_equal(one.draws, two.draws)
    assert not one.draws["worker_years"].equals(other.draws["worker_years"])
    assert one.draws["worker_years"].nunique() > 1
    summary = one.summary()
    assert summary["draws"] == 4
    drawn = one.draws["worker_years"]
    assert summary["worker_years_median"] == pytest.approx(drawn.median())
    assert summary["worker_years_p05"] <= summary["worker_years_median"]
    assert summary["worker_years_median"] <= summary["worker_years_p95"]
    assert summary["core_projects"] + summary["borderline_projects"] + summary[
        "outside_projects"
    ] == len(small.projects)
    # Gap 0 on the small instance: every draw is proven, none stopped by a limit.
    assert (summary["draws_proven"], summary["draws_work_limit"]) == (4, 0)


def test_robustness_says_how_many_draws_ended_on_a_limit(small: optimizer.PlanningData) -> None:
    # Five of HiGHS's checks find a portfolio but prove no gap of 0: every draw ends on the
    # work limit, and the summary says so (the classes rest on plans within a larger gap).
    stopped = robustness(small, Scenario(), draws=3, seed=5, options=RunOptions(work_limit=5))
    assert set(stopped.draws["status"]) == {"work_limit"}
    summary = stopped.summary()
    assert (summary["draws_proven"], summary["draws_work_limit"]) == (0, 3)
    assert summary["draws_time_limit"] == 0


def test_progress_is_reported_and_a_run_can_be_cancelled(
    small: optimizer.PlanningData,
) -> None:
    seen: list[tuple[int, int]] = []
    frontier(
        small,
        Scenario(),
        "fiscal_budget",
        4,
        options=RunOptions(progress=lambda d, t: seen.append((d, t))),
    )
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]

    stop = threading.Event()

    def stop_after_first(done: int, total: int) -> None:
        if done >= 1:
            stop.set()

    # In this process the cancel is seen at once: the first solve is the last.
    with pytest.raises(AnalysisCancelled, match="stopped after 1 of 6"):
        robustness(
            small,
            Scenario(),
            draws=6,
            chunk_size=2,
            options=RunOptions(progress=stop_after_first, cancel=stop),
        )


def _spawn_pool() -> ProcessPoolExecutor:
    pool = optimizer.process_pool(2)
    # spawn, not fork: a forked child would inherit HiGHS's threads mid-state.
    assert pool._mp_context.get_start_method() == "spawn"
    return pool


def test_a_pool_run_can_be_cancelled(small: optimizer.PlanningData) -> None:
    stop = threading.Event()
    stop.set()
    with _spawn_pool() as pool, pytest.raises(AnalysisCancelled):
        frontier(
            small,
            Scenario(),
            "fiscal_budget",
            6,
            options=RunOptions(executor=pool, cancel=stop),
            chunk_size=1,
        )


@pytest.mark.parametrize("workers", [0, 2])
def test_a_cancel_stops_running_solves_within_a_second(
    sample: optimizer.PlanningData, workers: int
) -> None:
    # Slow points: no gap is good enough and no node or work limit, so every solve runs until
    # told.
    slow = Scenario(fiscal_budget_scale=0.8, mip_gap=0.0, time_limit_s=60)
    stop = threading.Event()
    pool = optimizer.process_pool(workers) if workers else None
    if pool is not None:  # its workers started and their imports done before the clock below
        assert list(pool.map(Scenario.of, [None] * workers)) == [Scenario()] * workers
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            frontier(
                sample,
                slow,
                "fiscal_budget",
                [0.7, 0.8, 0.9, 1.1],
                options=RunOptions(executor=pool, cancel=stop, node_limit=None, work_limit=None),
                chunk_size=2,
            )
        except AnalysisCancelled as error:
            outcome.append(error)

    try:
        worker = threading.Thread(target=run)
        worker.start()
        # The solves are under way: the first points' instances are built (about 0.2 s) and
        # their searches, which need minutes at a zero gap, have begun.
        time.sleep(1.0)
        assert worker.is_alive()
        stop.set()
        asked = time.monotonic()
        worker.join(timeout=10)
        stopped_in = time.monotonic() - asked
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    assert not worker.is_alive()
    assert outcome, "the run finished instead of stopping"
    assert stopped_in < 1.0


def test_the_same_plans_idle_and_beside_two_busy_loops_on_a_pool(
    sample: optimizer.PlanningData, spawned_pool: Executor
) -> None:
    # 80 projects at a 1 % gap: each point searches (the root's heuristics, a few nodes)
    # rather than being solved at once, and ends on its gap or the node limit, not the clock.
    data = sample_subset(sample, count=80, money_divisor=3, mip_gap=0.01)
    settings = [0.7, 1.0, 1.3]
    idle = frontier(data, Scenario(), "fiscal_budget", settings, chunk_size=2)
    # The pool's workers started and imported before the loops start: the loops load the
    # solves, not two interpreters' start (which took them seconds longer).
    with busy_loops(2):
        loaded = frontier(
            data,
            Scenario(),
            "fiscal_budget",
            settings,
            chunk_size=2,
            options=RunOptions(executor=spawned_pool),
        )
    assert "time_limit" not in set(idle["status"]) | set(loaded["status"])
    # Status, objective, worker-years, job-years, capex, project count and gap: the plans.
    pd.testing.assert_frame_equal(idle.drop(columns=TIMING), loaded.drop(columns=TIMING))


def test_points_stopped_by_the_work_limit_are_the_same_on_a_pool_beside_busy_loops(
    sample: optimizer.PlanningData, spawned_pool: Executor
) -> None:
    # The sample at low fiscal budgets spends its time at the root, which a node limit does
    # not count; 30 of HiGHS's checks stop each point there within about a second. Two
    # chunks (the second point is a re-solve of the kept model) on two workers, beside two
    # busy loops, stop at the same portfolios as in this process.
    settings = [0.3, 0.4, 0.5]
    work = RunOptions(work_limit=30)
    idle = frontier(sample, Scenario(), "fiscal_budget", settings, chunk_size=2, options=work)
    assert set(idle["status"]) == {"work_limit"}
    with busy_loops(2):
        loaded = frontier(
            sample,
            Scenario(),
            "fiscal_budget",
            settings,
            chunk_size=2,
            options=dataclasses.replace(work, executor=spawned_pool),
        )
    pd.testing.assert_frame_equal(idle.drop(columns=TIMING), loaded.drop(columns=TIMING))


def test_warm_starts_change_the_time_not_the_answer(small: optimizer.PlanningData) -> None:
    # Gap 0 on the small instance: started from the base portfolio (repaired) or from
    # scratch, every solve proves the same optimum.
    ids = small.projects["project_id"].tolist()
    warm = break_even(small, Scenario(), projects=ids)
    cold = break_even(small, Scenario(), projects=ids, warm_start=False)
    pd.testing.assert_frame_equal(warm, cold, check_exact=False, rtol=1e-7)
    warm_draws = robustness(small, Scenario(), draws=4, seed=5, warm_start=True)
    cold_draws = robustness(small, Scenario(), draws=4, seed=5)
    pd.testing.assert_frame_equal(warm_draws.projects, cold_draws.projects)
    pd.testing.assert_frame_equal(
        warm_draws.draws, cold_draws.draws, check_exact=False, rtol=1e-7
    )
