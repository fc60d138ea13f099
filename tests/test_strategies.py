"""The solve strategy chosen by size (issue 19, item 2): forced from the scenario, visible in
the answer, feasible, and honest about its gap."""

from __future__ import annotations

import dataclasses
import json
import re
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import highspy
import numpy as np
import pytest
from conftest import ROOT
from helpers import (
    SOLUTION_JSON_KEYS,
    CountingExecutor,
    SharedPool,
    answer_of,
    busy_loops,
    lp_submip_answer,
    run_cli_here,
    sample_subset,
)

import optimizer
from optimizer import blocks, cli, relaxation, strategies, submip
from optimizer.cli import SOLVED
from optimizer.instance import prepare
from optimizer.model import build_model
from optimizer.present.labels import Labels
from optimizer.sample import build_sample
from optimizer.scenario import STRATEGIES, Scenario, ScenarioError
from optimizer.solver import SolverError, Status, built_highs
from optimizer.strategies import choose_strategy, run_strategy


@pytest.fixture(scope="module")
def generated() -> optimizer.PlanningData:
    """400 projects from the sample's generator: at a gap of 0.2 % the LP + sub-MIP's fixed
    search, a pass city by city and the whole model's search all run, about a second in all
    with the work budgets of TINY_BUDGETS."""
    return build_sample(seed=7, count=400)


# lp_submip's work budgets cut small, so that on `generated` its fixed search, several city
# searches and the whole model's search each end on theirs (the defaults are set for 10,000).
TINY_BUDGETS = {"FIXED_WORK": 20, "CITY_WORK": 10, "WHOLE_WORK": 30}


@pytest.fixture(scope="module")
def small(sample: optimizer.PlanningData) -> optimizer.PlanningData:
    """40 of the sample's projects with budgets cut to match: small enough to solve exactly."""
    return sample_subset(sample, 40)


def rows_hold(model) -> list[str]:  # noqa: ANN001 (a SelectionModel)
    """The names of the model's rows the answer in its variables breaks."""
    broken = []
    for name, row in model.problem._constraints.items():
        value = row.value()  # Σ coefficient × value − right-hand side
        scale = max(1.0, abs(row.constant))
        if row.sense <= 0 and value > 1e-6 * scale or row.sense >= 0 and value < -1e-6 * scale:
            broken.append(name)
    return broken


def test_lp_submip_plan_keeps_every_row_and_its_gap_is_honest(
    small: optimizer.PlanningData,
) -> None:
    model = build_model(prepare(small, Scenario(solve_strategy="lp_submip", mip_gap=0.01)))
    run = run_strategy(model)
    assert run.strategy == "lp_submip"
    assert run.status.has_portfolio
    assert rows_hold(model) == []
    # Every portfolio's start years are whole numbers.
    for options in model.starts:
        assert all(abs(x.value() - round(x.value())) < 1e-6 for _, x in options)
    exact = optimizer.solve(small, Scenario(mip_gap=0.0, solve_strategy="search"))
    assert exact.strategy == "search"
    # The bound is valid (no better than the exact optimum) and the gap is the one against it.
    assert run.bound >= exact.solver_objective - 1e-6 * abs(exact.solver_objective)
    assert run.objective <= exact.solver_objective + 1e-6 * abs(exact.solver_objective)
    assert run.gap == pytest.approx((run.bound - run.objective) / abs(run.objective), abs=1e-9)
    if run.status.is_proven:
        assert run.gap <= 0.01 + 1e-9
        assert run.objective >= exact.solver_objective * (1 - 0.01) - 1e-6


def test_forced_strategy_is_in_the_solution_and_its_json(sample: optimizer.PlanningData) -> None:
    solution = optimizer.solve(sample, Scenario(solve_strategy="lp_submip"))
    assert solution.strategy == "lp_submip"
    out = solution.to_dict()
    assert list(out) == SOLUTION_JSON_KEYS
    assert out["strategy"] == "lp_submip"
    # Its gap is proven against a valid bound: the objective lies within it.
    assert solution.gap is not None
    assert solution.bound is not None
    assert solution.solver_objective >= solution.bound * (1 - solution.gap) - 1e-6


def test_auto_picks_by_the_number_of_projects(
    sample: optimizer.PlanningData, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = build_model(prepare(sample, Scenario()))
    size = sum(1 for options in model.starts if options)
    threshold = strategies.LP_SUBMIP_FROM
    assert threshold is None or size < threshold
    assert choose_strategy(model) == "search"
    monkeypatch.setattr(strategies, "LP_SUBMIP_FROM", size)
    assert choose_strategy(model) == "lp_submip"
    monkeypatch.setattr(strategies, "LP_SUBMIP_FROM", size + 1)
    assert choose_strategy(model) == "search"
    # A scenario that names one gets it, whatever the size; CBC only searches.
    forced = build_model(prepare(sample, Scenario(solve_strategy="search")))
    assert choose_strategy(forced) == "search"
    cbc = build_model(prepare(sample, Scenario(solver="cbc")))
    assert choose_strategy(cbc) == "search"


def test_a_strategy_is_checked_and_read_as_other_text_settings() -> None:
    with pytest.raises(ScenarioError, match="solve_strategy must be one of auto, search"):
        Scenario(solve_strategy="fastest")
    with pytest.raises(ScenarioError, match="solve_strategy 'lp_submip' needs solver highs"):
        Scenario(solver="cbc", solve_strategy="lp_submip")
    with pytest.raises(ScenarioError, match="solve_strategy must be text"):
        Scenario(solve_strategy=3)
    assert Scenario().with_assignments(["solve_strategy=lp_submip"]).solve_strategy == (
        "lp_submip"
    )
    text = Scenario(solve_strategy="search").to_json()
    assert Scenario.from_json(text).solve_strategy == "search"


def test_every_strategy_and_its_problems_have_words_in_both_languages() -> None:
    for language in ("en", "zh"):
        labels = Labels(language)
        for code in STRATEGIES:
            assert labels.strategy(code) != code
    with pytest.raises(ScenarioError) as caught:
        Scenario(solve_strategy="fastest")
    assert "求解策略须为" in Labels("zh").error_words(caught.value)


def test_the_command_line_forces_a_strategy_and_prints_it(tmp_path, run_here) -> None:  # noqa: ANN001
    book = Path(__file__).resolve().parents[1] / "projects.xlsx"
    done = run_here(tmp_path, "solve", book, "--set", "solve_strategy=lp_submip", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["strategy"] == "lp_submip"
    wrong = run_here(tmp_path, "solve", book, "--set", "solve_strategy=fastest")
    assert wrong.returncode != 0
    assert "solve_strategy must be one of auto, search, lp_submip" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_lp_submip_tells_of_portfolios_found_and_can_be_stopped(
    sample: optimizer.PlanningData,
) -> None:
    seen = []
    scenario = Scenario(solve_strategy="lp_submip")
    solution = optimizer.solve(
        sample, scenario, on_incumbent=lambda inst, starts, gap: seen.append((starts, gap))
    )
    assert seen
    assert all(gap >= 0 for _, gap in seen)
    # Each is a portfolio ({position: start year}) of the sample: not empty.
    assert all(starts for starts, _ in seen)
    assert solution.strategy == "lp_submip"
    with pytest.raises(optimizer.SolverError, match="stopped"):
        optimizer.solve(sample, scenario, stop=lambda: True)


def test_lp_submip_stopped_mid_search_keeps_its_portfolio(
    sample: optimizer.PlanningData,
) -> None:
    # Stopped as soon as a portfolio is in hand (the repaired LP rounding HiGHS starts from):
    # the fixed search is interrupted, and its portfolio is read before its bounds go back.
    model = build_model(prepare(sample, Scenario(solve_strategy="lp_submip", mip_gap=0.0)))
    seen: list[float] = []
    run = run_strategy(
        model, on_incumbent=lambda starts, gap: seen.append(gap), stop=lambda: bool(seen)
    )
    assert seen
    assert run.strategy == "lp_submip"
    assert run.status.has_portfolio
    assert not run.status.is_proven
    assert rows_hold(model) == []
    assert run.gap == pytest.approx((run.bound - run.objective) / abs(run.objective), abs=1e-9)


def test_lp_submip_searches_city_by_city_and_every_row_holds(
    sample: optimizer.PlanningData,
) -> None:
    # At 0.2 % the sample's fixed search ends short of the gap against the LP's bound, so the
    # portfolio is searched again city by city, then the whole model proves it.
    model = build_model(prepare(sample, Scenario(solve_strategy="lp_submip", mip_gap=0.002)))
    run = run_strategy(model)
    assert "city by city" in run.detail
    assert run.status.has_portfolio
    assert rows_hold(model) == []
    assert run.bound >= run.objective
    assert run.gap == pytest.approx((run.bound - run.objective) / abs(run.objective), abs=1e-9)
    # The sample itself is still searched whole by auto.
    assert choose_strategy(build_model(prepare(sample, Scenario()))) == "search"


def test_lp_submip_frees_what_the_lp_splits_or_prices_within_the_window(
    small: optimizer.PlanningData,
) -> None:
    model = build_model(prepare(small, Scenario(solve_strategy="lp_submip", mip_gap=0.01)))
    _, highs = built_highs(model, 30, 0.01)
    integer = np.array(
        [k == highspy.HighsVarType.kInteger for k in highs.getLp().integrality_], bool
    )
    lp = relaxation.relax(highs, integer)
    whole = [
        (options, chosen)
        for options, chosen in zip(model.starts, model.chosen, strict=True)
        if options
        and all(min(lp.values[x.index], 1 - lp.values[x.index]) <= 1e-6 for _, x in options)
    ]
    assert 0 < len(whole) < sum(1 for options in model.starts if options)
    # Window 0: every project the LP does not split is fixed, at the LP's values.
    projects = strategies.model_projects(model, highs)
    index, value = submip.settled(projects, lp, 0.0)
    fixed = dict(zip(index.tolist(), value.tolist(), strict=True))
    expected = {
        v.index for options, chosen in whole for v in [x for _, x in options] + [chosen]
    }
    assert fixed
    assert set(fixed) <= expected
    assert all(fixed[j] == round(lp.values[j]) for j in fixed)
    # A window as large as the objective: nothing is fixed.
    index, _ = submip.settled(projects, lp, 1e12)
    assert len(index) == 0


@pytest.mark.parametrize("by_relaxation", [False, True])
def test_blocks_keep_every_row_and_prove_an_honest_gap(
    small: optimizer.PlanningData, by_relaxation: bool
) -> None:
    # 40 projects in blocks of 15: three blocks, each solved alone (searched whole, or by its
    # LP and a sub-MIP), joined, and proven against the priced bound.
    model = build_model(prepare(small, Scenario(solve_strategy="blocks", mip_gap=0.01)))
    run = blocks.run_blocks(model, time_limit_s=30, size=15, by_relaxation=by_relaxation)
    assert run.strategy == "blocks"
    assert run.detail.startswith("3 blocks")
    assert run.status.has_portfolio
    assert rows_hold(model) == []
    for options in model.starts:
        assert all(abs(x.value() - round(x.value())) < 1e-6 for _, x in options)
    exact = optimizer.solve(small, Scenario(mip_gap=0.0, solve_strategy="search"))
    tolerance = 1e-6 * abs(exact.solver_objective)
    assert run.bound >= exact.solver_objective - tolerance
    assert run.objective <= exact.solver_objective + tolerance
    assert run.gap == pytest.approx((run.bound - run.objective) / abs(run.objective), abs=1e-9)
    assert run.status.is_proven == (run.gap <= 0.01 + 1e-9)


def test_blocks_keep_exclusive_groups_and_prerequisites_together(
    sample: optimizer.PlanningData,
) -> None:
    model = build_model(prepare(sample, Scenario()))
    of = blocks.project_blocks(model, 60, by_city=False)
    active = sum(1 for options in model.starts if options)
    assert of.max() + 1 == -(-active // 60)
    projects = sample.projects.reset_index(drop=True)
    position = {pid: i for i, pid in enumerate(projects["project_id"])}
    pairs = [
        (i, position[need]) for i, need in enumerate(projects["requires"]) if need
    ] + [
        (i, j)
        for group, members in projects.groupby("exclusive_group").groups.items()
        if group
        for i, j in zip(list(members)[:-1], list(members)[1:], strict=True)
    ]
    pairs = [(i, j) for i, j in pairs if model.starts[i] and model.starts[j]]
    assert pairs
    assert all(of[i] == of[j] for i, j in pairs)
    # The blocks are about equal.
    sizes = np.bincount(of[of >= 0])
    assert sizes.max() - sizes.min() <= 10


def test_blocks_by_relaxation_on_the_sample_keep_every_row_and_a_valid_bound(
    sample: optimizer.PlanningData, sample_solution: optimizer.Solution
) -> None:
    # The sample's 248 projects in three blocks, each by its LP and a sub-MIP on its own
    # columns (the rounded start repaired on them), against the sample's proven solve.
    model = build_model(prepare(sample, Scenario.of(None)))
    run = blocks.run_blocks(model, time_limit_s=6, size=90, by_relaxation=True)
    assert run.strategy == "blocks"
    # A block whose fixed sub-MIP has no portfolio is searched whole; most are not.
    assert re.match(r"3 blocks of about 90 projects, [23] by LP \+ sub-MIP", run.detail)
    assert run.status.has_portfolio
    assert rows_hold(model) == []
    for options in model.starts:
        assert all(abs(x.value() - round(x.value())) < 1e-6 for _, x in options)
    # The bound is no lower than a portfolio the whole search found, and the joined
    # portfolio no better than the whole search's proven bound.
    tolerance = 1e-6 * abs(sample_solution.solver_objective)
    assert run.bound >= sample_solution.solver_objective - tolerance
    assert run.objective <= sample_solution.bound + tolerance
    assert run.gap == pytest.approx((run.bound - run.objective) / abs(run.objective), abs=1e-9)


def test_blocks_by_city_hold_whole_cities(sample: optimizer.PlanningData) -> None:
    model = build_model(prepare(sample, Scenario()))
    of = blocks.project_blocks(model, 60, by_city=True)
    active = np.asarray([bool(options) for options in model.starts])
    region = model.figures["region_at"].to_numpy(int)
    cities = np.unique(region[active])
    assert of.max() + 1 == min(-(-int(active.sum()) // 60), len(cities))
    assert (of[active] >= 0).all()
    assert all(len(np.unique(of[active & (region == city)])) == 1 for city in cities)


def test_auto_solves_by_blocks_from_a_size_and_a_scenario_can_ask_for_them(
    small: optimizer.PlanningData, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = build_model(prepare(small, Scenario(mip_gap=0.01)))
    size = sum(1 for options in model.starts if options)
    assert strategies.BLOCKS_FROM is None or size < strategies.BLOCKS_FROM
    monkeypatch.setattr(strategies, "BLOCKS_FROM", size)
    assert choose_strategy(model) == "blocks"
    monkeypatch.setattr(blocks, "BLOCK_SIZE", 20)
    solution = optimizer.solve(small, Scenario(mip_gap=0.01, solve_strategy="blocks"))
    assert solution.strategy == "blocks"
    assert solution.status.has_portfolio
    assert solution.gap is not None
    assert solution.solver_objective >= solution.bound * (1 - solution.gap) - 1e-6


def test_lp_submip_gives_the_same_plan_in_process_under_load_and_on_a_pool(
    generated: optimizer.PlanningData, spawned_pool
) -> None:  # noqa: ANN001 (an Executor)
    # Every search ends on its gap or its work budget, never on the clock: the same plan and
    # figures twice here, beside two busy loops, and in a pool's worker.
    scenario = Scenario(solve_strategy="lp_submip", mip_gap=0.002)
    first = lp_submip_answer(generated, scenario, TINY_BUDGETS)
    starts, status, _, gap, _, detail, strategy = first
    assert strategy == "lp_submip"
    assert status is Status.WORK_LIMIT  # ended by the budgets, short of the gap
    assert gap > 0.002
    assert "city by city" in detail
    assert "whole model" in detail
    assert starts
    assert lp_submip_answer(generated, scenario, TINY_BUDGETS) == first
    with busy_loops(2):
        assert lp_submip_answer(generated, scenario, TINY_BUDGETS) == first
    assert spawned_pool.submit(lp_submip_answer, generated, scenario, TINY_BUDGETS).result() == (
        first
    )


def test_lp_submip_stopped_by_the_clock_says_so(generated: optimizer.PlanningData) -> None:
    # The time limit is only the safety net: a run it ends keeps its portfolio and says
    # time_limit (the default budgets take several seconds here, the LP a tenth of one).
    model = build_model(prepare(generated, Scenario(solve_strategy="lp_submip", mip_gap=0.002)))
    run = run_strategy(model, time_limit_s=0.5)
    assert run.status is Status.TIME_LIMIT
    assert rows_hold(model) == []
    assert run.gap == pytest.approx((run.bound - run.objective) / abs(run.objective), abs=1e-9)


def test_lp_submip_frees_the_same_projects_whatever_gap_is_asked(
    generated: optimizer.PlanningData, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The windows are neighbourhood sizes measured at SEARCH_GAP, not a precision: a gap asked
    # ten times smaller or larger frees the same projects (only the proof uses it).
    for name, value in TINY_BUDGETS.items():
        monkeypatch.setattr(strategies, name, value)
    fixed = set()
    for gap in (0.0001, 0.01):
        model = build_model(prepare(generated, Scenario(solve_strategy="lp_submip", mip_gap=gap)))
        run = run_strategy(model)
        assert run.status.has_portfolio
        fixed.add(run.detail.split(";")[0])
    assert len(fixed) == 1
    assert next(iter(fixed)).endswith("project columns fixed by the relaxation")


# The blocks' work budgets cut small, so that on `generated` in blocks of about 150 projects
# every block's fixed search and several city searches end on theirs.
TINY_BLOCK_BUDGETS = {
    "BLOCK_SIZE": 150,
    "FIXED_WORK": 10,
    "CITY_WORK": 10,
    "CITY_SEARCHES": 3,
    "WHOLE_WORK": 30,
}


def blocks_answer(data: optimizer.PlanningData, scenario: Scenario) -> tuple[object, ...]:
    """One solve by blocks: the plan and its figures."""
    return answer_of(optimizer.solve(data, scenario))


def test_blocks_give_the_same_plan_in_process_and_under_load(
    generated: optimizer.PlanningData, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every block's searches end on their gap or their work budgets, never on the clock (the
    # time limit is only the safety net): the same plan and figures twice here and beside two
    # busy loops. A gap of 0.02 % is out of reach, so the budgets end every search.
    for name, value in TINY_BLOCK_BUDGETS.items():
        monkeypatch.setattr(blocks, name, value)
    scenario = Scenario(solve_strategy="blocks", mip_gap=0.0002)
    first = blocks_answer(generated, scenario)
    starts, status, _, gap, bound, detail, strategy = first
    assert strategy == "blocks"
    assert status is Status.WORK_LIMIT  # ended by the budgets, short of the gap
    assert gap > 0.0002
    assert bound is not None
    assert detail.startswith("3 blocks of about 150 projects, 3 by LP + sub-MIP")
    assert starts
    assert blocks_answer(generated, scenario) == first
    with busy_loops(2):
        assert blocks_answer(generated, scenario) == first


def blocks_run(
    data: optimizer.PlanningData, by_city: bool, executor: Executor | None
) -> tuple[object, ...]:
    """One run of run_blocks on the built model: its plan and figures."""
    model = build_model(prepare(data, Scenario(solve_strategy="blocks", mip_gap=0.0002)))
    run = blocks.run_blocks(
        model, time_limit_s=300, node_limit=10_000, by_city=by_city, executor=executor
    )
    return model.start_of(), run.status, run.objective, run.gap, run.bound, run.detail


def test_blocks_give_the_same_plan_on_a_pool(
    generated: optimizer.PlanningData, monkeypatch: pytest.MonkeyPatch, spawned_pool: Executor
) -> None:
    # Each block is a task on the pool, with the budgets of this process (its workers hold
    # their own module, unpatched); the bound is priced here meanwhile. The answer is this
    # process's, whether the bound comes from like slices (whole cities' blocks) or from the
    # blocks' own prices (like slices' blocks).
    for name, value in TINY_BLOCK_BUDGETS.items():
        monkeypatch.setattr(blocks, name, value)
    scenario = Scenario(solve_strategy="blocks", mip_gap=0.0002)
    first = blocks_answer(generated, scenario)
    assert first[1] is Status.WORK_LIMIT  # ended by the budgets, short of the gap
    pool = CountingExecutor(spawned_pool)
    assert answer_of(optimizer.solve(generated, scenario, executor=pool)) == first
    assert pool.submitted == [blocks.solve_block] * 3
    slices = blocks_run(generated, by_city=False, executor=None)
    assert slices[0]
    assert slices[4] is not None
    assert blocks_run(generated, by_city=False, executor=pool) == slices
    assert len(pool.submitted) == 6
    # HiGHS's options travel with each task too: a worker's own module has them as imported.
    changed = {**blocks.HIGHS_OPTIONS, "random_seed": 11, "mip_heuristic_effort": 0.0}
    monkeypatch.setattr(blocks, "HIGHS_OPTIONS", changed)
    here = blocks_answer(generated, scenario)
    assert here != first  # the options change the answer, so the check below can fail
    assert answer_of(optimizer.solve(generated, scenario, executor=pool)) == here


class LostWorkers(Executor):
    """A pool whose worker died: every task's future ends broken, as a process pool's do."""

    def __init__(self) -> None:
        self.futures: list[Future] = []

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        future: Future = Future()
        if not self.futures:  # the first block's worker died; the others are still queued
            future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        self.futures.append(future)
        return future


def test_a_pool_that_lost_a_worker_is_said_and_its_queued_blocks_cancelled(
    generated: optimizer.PlanningData, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Memory running out ends a worker: the planner is told what to do (exit 3 on the command
    # line), not that the program failed, and no block queued behind it goes on running.
    for name, value in TINY_BLOCK_BUDGETS.items():
        monkeypatch.setattr(blocks, name, value)
    pool = LostWorkers()
    with pytest.raises(SolverError) as raised:
        optimizer.solve(generated, Scenario(solve_strategy="blocks"), executor=pool)
    assert raised.value.parts[0][0] == "workers_lost"
    assert "fewer workers" in str(raised.value)
    assert len(pool.futures) == 3
    assert all(f.cancelled() for f in pool.futures[1:])


def test_the_other_strategies_ignore_an_executor(
    generated: optimizer.PlanningData, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only blocks use it: lp_submip runs here, never submitting a task.
    for name, value in TINY_BUDGETS.items():
        monkeypatch.setattr(strategies, name, value)
    pool = CountingExecutor(ThreadPoolExecutor(1))
    with pool.inner:
        scenario = Scenario(solve_strategy="lp_submip", mip_gap=0.002)
        solution = optimizer.solve(generated, scenario, executor=pool)
    assert solution.strategy == "lp_submip"
    assert pool.submitted == []


def test_solve_on_workers_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], spawned_pool: Executor
) -> None:
    # `solve --workers 2` solves the blocks on two processes, with the answer of one. The
    # pool asked for is the test process's two-worker one (two interpreters less to start).
    for name, value in TINY_BLOCK_BUDGETS.items():
        monkeypatch.setattr(blocks, name, value)
    monkeypatch.setattr(blocks, "BLOCK_SIZE", 100)
    pools: list[SharedPool] = []

    def counted_pool(workers: int, **options: bool) -> Executor:
        assert workers == 2
        pools.append(SharedPool(spawned_pool))
        return pools[-1]

    monkeypatch.setattr(cli, "process_pool", counted_pool)
    command = ["solve", "projects.xlsx", "--set", "solve_strategy=blocks", "--json"]
    here = run_cli_here(capfd, ROOT, *command)
    assert here.returncode == SOLVED, here.stderr
    assert pools == []
    on_pool = run_cli_here(capfd, ROOT, *command, "--workers", "2")
    assert on_pool.returncode == SOLVED, on_pool.stderr
    assert len(pools) == 1
    assert pools[0].submitted == [blocks.solve_block] * 3
    first, second = json.loads(here.stdout), json.loads(on_pool.stdout)
    assert first["strategy"] == "blocks"
    assert first["status"] == "work_limit"  # ended by the budgets, short of the gap
    assert first == second


def test_blocks_on_a_pool_stop_when_asked(
    generated: optimizer.PlanningData, monkeypatch: pytest.MonkeyPatch, spawned_pool: Executor
) -> None:
    # A stop is asked while this process waits for the blocks: the run ends without a
    # portfolio, as in this process, and the blocks still queued are cancelled.
    for name, value in TINY_BLOCK_BUDGETS.items():
        monkeypatch.setattr(blocks, name, value)
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return True

    for executor in (None, spawned_pool):
        model = build_model(prepare(generated, Scenario(solve_strategy="blocks")))
        run = blocks.run_blocks(model, time_limit_s=300, stop=stop, executor=executor)
        assert run.status is Status.ERROR
        assert run.objective is None
        assert run.detail == "stopped before every block was solved"
    assert len(asked) == 2


def test_the_lagrangian_bound_in_parts_is_the_whole_lps(
    generated: optimizer.PlanningData, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The inner LP solved block by block (and the columns in no kept row apart) has the
    # optimum of the one LP, for the prices of a block's LP as the strategy uses them.
    model = build_model(prepare(generated, Scenario(solve_strategy="blocks")))
    _, whole = built_highs(model, 60, 0.01, None)
    arrays = blocks._arrays(whole)
    of = blocks.project_blocks(model, 150, by_city=True)
    column_block = blocks._column_blocks(model, of, len(arrays.cost))
    parts = blocks._fix_switches(arrays, model, column_block)
    split = blocks._split(parts, model, column_block, int(of.max()) + 1)
    assert len(blocks._inner_parts(arrays, split.local)) == 4  # 3 blocks and the rest
    block = blocks._block_model(parts, column_block, split, 0)
    lp = relaxation.relax(block.lp.highs({}), block.lp.integer)
    prices = np.zeros(arrays.rows)
    prices[block.rows] = lp.duals
    # Also with the columns in no kept row (the last part) held at 1 where they can be: the
    # part of those columns counts too.
    rest = blocks._inner_parts(arrays, split.local)[-1][0]
    lower = arrays.lower.copy()
    lower[rest] = np.minimum(1.0, arrays.upper[rest])
    cases = [(arrays, prices), (dataclasses.replace(arrays, lower=lower), prices)]
    in_parts = [blocks.lagrangian_bound(a, split.local, y, {}) for a, y in cases]
    monkeypatch.setattr(
        blocks,
        "_inner_parts",
        lambda arrays, local: [(np.arange(len(arrays.cost)), np.flatnonzero(local >= 0))],
    )
    whole_lp = [blocks.lagrangian_bound(a, split.local, y, {}) for a, y in cases]
    assert None not in whole_lp
    assert whole_lp[1] != pytest.approx(whole_lp[0])
    assert in_parts == pytest.approx(whole_lp)
