"""Stable plans (issue 20, item 1): a solve given a reference plan returns, among the
portfolios within the precision it states, the one nearest the reference, and says what
changed. Through the API, the command line and a shortlist read back."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLE
from helpers import run_cli_here

import optimizer
from optimizer import Scenario, solve
from optimizer.instance import prepare
from optimizer.present.export import read_saved_plan
from optimizer.solution import Changes

# A Suzhou port in the sample's base plan.
SUZHOU_PORT = "JS-SZ-202"


@pytest.fixture(scope="module")
def settled(sample, sample_solution):
    """The base scenario solved against its own plan: the same plan, its figures settled
    the way every reference solve settles them (its training and layoffs at their best for
    the plan)."""
    return solve(sample, Scenario(), reference=sample_solution)


def test_the_same_scenario_against_its_own_plan_changes_nothing(sample_solution, settled):
    assert settled.changes == Changes((), (), (), nearest_proven=True)
    assert settled.chosen_starts == sample_solution.chosen_starts
    assert settled.worker_years == pytest.approx(sample_solution.worker_years, rel=1e-6)
    assert settled.status.is_proven


def test_without_a_reference_the_answer_and_its_keys_are_as_before(sample_solution):
    assert sample_solution.changes is None
    assert "changes" not in sample_solution.to_dict()


def _within_stated_gap(solution) -> None:
    # The gap against the first search's proven bound: never more than the scenario asked.
    assert solution.status.is_proven
    assert solution.gap is not None
    assert 0 <= solution.gap <= solution.scenario.mip_gap + 1e-9


def test_forcing_a_suzhou_port_out_leaves_cities_out_of_its_reach_unchanged(
    sample, sample_solution, settled
):
    assert SUZHOU_PORT in sample_solution.chosen_starts
    near = solve(sample, Scenario(forced_out=(SUZHOU_PORT,)), reference=sample_solution)
    assert SUZHOU_PORT in near.changes.left
    assert near.changes.count <= 3
    _within_stated_gap(near)
    inst = prepare(sample, Scenario())
    suzhou = inst.regions.index("Suzhou")
    reach = {inst.regions[e] for r, e in inst.reach if r == suzhou}
    outside = [city for city in inst.regions if city not in reach]
    assert len(outside) >= 10
    for city in outside:
        assert near.reemployed_by_region[city] == pytest.approx(
            settled.reemployed_by_region[city], abs=0.5
        ), city
    # What changed is exactly what the plans say.
    assert near.changes == Changes.between(sample_solution.chosen_starts, near.chosen_starts)


def test_one_percent_more_budget_moves_a_handful_of_start_years_at_most(
    sample, sample_solution
):
    richer = Scenario(fiscal_budget_scale=1.01)
    near = solve(sample, richer, reference=sample_solution)
    assert near.changes.count <= 5
    _within_stated_gap(near)
    # More money never shows less: the base plan still fits, and the answer keeps its value.
    assert near.objective >= sample_solution.objective - 1e-6 * abs(sample_solution.objective)


def test_a_reference_is_checked_at_the_door(sample):
    with pytest.raises(TypeError, match="reference"):
        solve(sample, Scenario(), reference=[("JS-SZ-202", 2021)])
    with pytest.raises(TypeError, match="start years"):
        solve(sample, Scenario(), reference={"JS-SZ-202": "2021"})


def test_ids_the_workbook_does_not_hold_count_as_left(sample, sample_solution):
    plan = {**sample_solution.chosen_starts, "JS-XX-999": 2022}
    near = solve(sample, Scenario(), reference=plan)
    assert "JS-XX-999" in near.changes.left
    # A plain mapping brings no proven bound: this search's own, looser one leaves fewer
    # plans within the gap, so a project may enter; the plan stays all but the same.
    assert near.changes.count <= 3


def test_a_shortlist_gives_back_its_plan_in_both_languages(sample_solution, tmp_path):
    for language in ("en", "zh"):
        path = tmp_path / f"shortlist_{language}.xlsx"
        labels = optimizer.Labels.for_solution(sample_solution, language)
        optimizer.export_workbook(sample_solution, path, labels=labels)
        assert read_saved_plan(str(path)) == sample_solution.chosen_starts


def test_the_command_line_takes_a_shortlist_or_a_json_answer(capfd, sample_solution, tmp_path):
    shortlist = tmp_path / "shortlist.xlsx"
    labels = optimizer.Labels.for_solution(sample_solution, "zh")
    optimizer.export_workbook(sample_solution, shortlist, labels=labels)
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps(sample_solution.to_dict()), encoding="utf-8")
    for reference in (shortlist, answer):
        done = run_cli_here(
            capfd, tmp_path,
            "solve",
            SAMPLE,
            "--json",
            "--reference",
            reference,
            "--set",
            f"forced_out={SUZHOU_PORT}",
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert set(result) == {*sample_solution.to_dict(), "changes"}
        assert result["changes"]["left"] == [SUZHOU_PORT]
        assert result["changes"]["entered"] == []
        assert result["changes"]["moved"] == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "reference file not found"),
        (b'{"chosen": [{"project_id": "JS-SZ-202"}]}', "chosen[0] needs"),
        (b"[1, 2]", "neither an Excel shortlist nor"),
        (b"PK\x03\x04 not really a zip", "not an Excel shortlist"),
    ],
)
def test_a_bad_reference_file_is_one_line_and_exit_2(capfd, tmp_path, content, expected):
    path = tmp_path / "reference.json"
    if content is not None:
        path.write_bytes(content)
    done = run_cli_here(capfd, tmp_path, "solve", SAMPLE, "--reference", path)
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_workbook_without_a_shortlist_is_refused_by_name(capfd, tmp_path):
    done = run_cli_here(capfd, tmp_path, "solve", SAMPLE, "--reference", SAMPLE)
    assert done.returncode == 2
    assert "no Shortlist" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_frontier_point_at_the_scenario_is_its_own_solve(sample, sample_solution):
    table = optimizer.frontier(
        sample, Scenario(), "fiscal_budget", [0.95, 1.05], current=sample_solution
    )
    # The scenario's own setting is added, and that point is the headline's answer.
    assert table["setting"].tolist() == [0.95, 1.0, 1.05]
    here = table[table["current"]]
    assert len(here) == 1
    assert here["worker_years"].iloc[0] == sample_solution.worker_years
    assert here["objective"].iloc[0] == sample_solution.objective
    assert here["projects"].iloc[0] == len(sample_solution.chosen)
    # More money never shows less than the headline (to the trainees' tie-break, 1e-6 each,
    # which the solver's objective holds and the reported one leaves out).
    assert table["objective"].iloc[2] >= sample_solution.objective - 1e-6 * 1e5
    with pytest.raises(ValueError, match="current"):
        optimizer.frontier(
            sample,
            Scenario(fiscal_budget_scale=1.1),
            "fiscal_budget",
            [1.0],
            current=sample_solution,
        )


def test_an_answer_given_back_as_its_own_reference_comes_back_unchanged(capfd, tmp_path):
    # Issue 20: the same scenario's `solve --json` as `--reference` added a project (the
    # repaired start's fill let the first search stop at a bound too weak to keep the plan).
    done = run_cli_here(capfd, tmp_path, "solve", SAMPLE, "--json")
    assert done.returncode == 0, done.stderr
    answer = tmp_path / "answer.json"
    answer.write_text(done.stdout, encoding="utf-8")
    first = json.loads(done.stdout)
    again = run_cli_here(capfd, tmp_path, "solve", SAMPLE, "--json", "--reference", answer)
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    assert result["changes"] == {"entered": [], "left": [], "moved": []}
    assert [(p["project_id"], p["start_year"]) for p in result["chosen"]] == [
        (p["project_id"], p["start_year"]) for p in first["chosen"]
    ]
    assert result["status"] == "optimal"
    assert result["gap"] <= optimizer.load_workbook(SAMPLE).settings["mip_gap"] + 1e-9
    assert result["worker_years"] == pytest.approx(first["worker_years"], rel=1e-6)
