"""One scenario, one figure (issue 20, item 2): along a frontier and a heat map more money
never shows fewer worker-years, and the frontier's current point is the headline's answer,
which adopts a cheaper point's better plan when that plan shows more."""

from __future__ import annotations

import dataclasses

import pytest

import optimizer
from optimizer import Scenario
from optimizer.session import AppState

BUDGETS = [0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5]


def _never_falls(values: list[float]) -> bool:
    # To rounding: the trainees' tie-break (1e-6 each) moves figures by far less than this.
    return all(b >= a - 1e-6 * abs(a) for a, b in zip(values, values[1:], strict=False))


def _is_the_headline(here, adopted: list, solved: optimizer.Solution) -> optimizer.Solution:  # noqa: ANN001
    """The marked row (one) shows the headline's answer: the solve's, or the one plan it
    adopted (said so in the row and told to the caller). Returns that answer."""
    assert len(adopted) <= 1
    headline = adopted[0] if adopted else solved
    assert bool(here["adopted"].iloc[0]) == bool(adopted)
    assert here["worker_years"].iloc[0] == headline.worker_years
    assert here["objective"].iloc[0] == headline.objective
    assert here["projects"].iloc[0] == len(headline.chosen)
    return headline


def test_more_budget_never_shows_fewer_worker_years_and_its_own_point_is_the_headline(
    sample, sample_solution
):
    adopted: list[optimizer.Solution] = []
    table = optimizer.frontier(
        sample,
        Scenario(),
        "fiscal_budget",
        BUDGETS,
        current=sample_solution,
        on_adopted=adopted.append,
    )
    assert table["setting"].tolist() == BUDGETS
    assert _never_falls(table["worker_years"].tolist()), table[["setting", "worker_years"]]
    here = table[table["current"]]
    assert here["setting"].tolist() == [1.0]
    # The point at 1.0 is the headline's answer: the solve's, or the one it adopted (said so
    # in the row and told to the caller, for the headline to show the same figure).
    headline = _is_the_headline(here, adopted, sample_solution)
    if adopted:
        answer = adopted[0]
        assert answer.scenario == sample_solution.scenario
        assert answer.adopted
        assert answer.worker_years > sample_solution.worker_years
        # Within the precision the scenario states, against its proven bound.
        assert answer.gap is not None
        assert answer.gap <= float(sample_solution.scenario.mip_gap) + 1e-9
    poorer = table[table["setting"] < 1.0]["worker_years"]
    assert (poorer <= headline.worker_years * (1 + 1e-6)).all()


def test_without_a_current_answer_nothing_is_adopted(sample):
    table = optimizer.frontier(sample, Scenario(), "fiscal_budget", [0.9, 1.0, 1.1])
    assert not table["adopted"].any()
    assert _never_falls(table["worker_years"].tolist())


def test_the_heat_map_never_shows_fewer_worker_years_along_either_lever(sample):
    xs, ys = [0.8, 1.0, 1.2], [0.8, 1.0, 1.2]
    grid = optimizer.frontier_grid(
        sample, Scenario(), ("fiscal_budget", "bond_quota"), (xs, ys)
    )
    years = grid.pivot(index="setting_y", columns="setting_x", values="worker_years")
    for y in ys:
        assert _never_falls(years.loc[y].tolist()), years
    for x in xs:
        assert _never_falls(years[x].tolist()), years


def test_the_heat_map_marks_the_headline_itself_as_its_current_cell(sample, sample_solution):
    adopted: list[optimizer.Solution] = []
    # 0.9 and 1.1 around the scenario's 1.0, which the grid lacks along x: it is added.
    xs, ys = [0.9, 1.1], [0.9, 1.0, 1.1]
    grid = optimizer.frontier_grid(
        sample,
        Scenario(),
        ("fiscal_budget", "bond_quota"),
        (xs, ys),
        current=sample_solution,
        on_adopted=adopted.append,
    )
    assert sorted(set(grid["setting_x"])) == [0.9, 1.0, 1.1]
    here = grid[grid["current"]]
    assert here[["setting_x", "setting_y"]].values.tolist() == [[1.0, 1.0]]
    _is_the_headline(here, adopted, sample_solution)
    years = grid.pivot(index="setting_y", columns="setting_x", values="worker_years")
    for y in ys:
        assert _never_falls(years.loc[y].tolist()), years
    for x in years.columns:
        assert _never_falls(years[x].tolist()), years
    wrong = dataclasses.replace(sample_solution, scenario=Scenario(fiscal_budget_scale=0.5))
    with pytest.raises(ValueError, match="current must be the solve of the scenario given"):
        optimizer.frontier_grid(
            sample, Scenario(), ("fiscal_budget", "bond_quota"), (xs, ys), current=wrong
        )


def test_a_saved_answer_shows_as_the_session_has_it_now(sample_solution):
    state = AppState({})
    state.save("base", sample_solution)
    assert state.as_now(sample_solution) is sample_solution
    key = (sample_solution.fingerprint, sample_solution.scenario.to_json())
    state.answers.put(key, sample_solution)
    assert state.as_now(sample_solution) is sample_solution
    better = dataclasses.replace(
        sample_solution, worker_years=sample_solution.worker_years + 1.0, adopted=True
    )
    state.answers.put(key, better)
    assert state.as_now(state.saved["base"]) is better
    # Another scenario's answer is never taken for it.
    other = dataclasses.replace(better, scenario=Scenario(fiscal_budget_scale=1.1))
    state.answers.put(key, other)
    assert state.as_now(sample_solution) is sample_solution
