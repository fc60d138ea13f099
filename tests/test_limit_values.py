"""The value of each limit: what 10 % more of one limit buys, by re-solving from the plan."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import ROOT
from helpers import planning_data, project, run_cli, workbook_bytes

import optimizer
from optimizer.limit_values import JSON_KEYS, VALUED, entries, limit_values
from optimizer.limits import FAMILIES
from optimizer.present import console, views
from optimizer.present.labels import Labels


def p(pid: str, capex: float) -> dict:
    """A one-year project in A, half budget and half bonds, 10 jobs per 亿元."""
    return dict(
        project_id=pid, region="A", capex=capex, jobs_per_yi=10.0, budget_share=0.5, bond_share=0.5
    )


@pytest.fixture(scope="module")
def three() -> optimizer.PlanningData:
    """Budget 50 in one year: a (60 capex, 600 jobs) and b (40, 400) use all of it (30 + 20);
    c (10, 100) needs 5 more. Bonds and headroom are ample. So 10 % more budget (5) buys c:
    100 worker-years (one year, one-year projects, a million displaced: jobs = worker-years),
    20 per 亿元; 10 % more bonds or headroom buys nothing."""
    return planning_data(
        [p("a", 60), p("b", 40), p("c", 10)],
        [dict(region="A", displaced_workers=1e6, debt_headroom=1000.0)],
        [(2021, 50.0, 1000.0)],
        other_jobs_weight=0.0,
    )


@pytest.fixture(scope="module")
def values(three: optimizer.PlanningData) -> pd.DataFrame:
    return limit_values(three)


def test_the_limit_that_binds_buys_what_a_hand_count_says(values: pd.DataFrame) -> None:
    rows = values.set_index(["limit", "where"])
    budget = rows.loc[("fiscal_budget", 2021)]
    assert budget["extra"] == pytest.approx(5.0)
    assert budget["worker_years_gained"] == pytest.approx(100.0)
    assert budget["per_yi"] == pytest.approx(20.0)
    assert bool(budget["binds"])
    for key in (("bond_quota", 2021), ("debt_headroom", "A")):
        row = rows.loc[key]
        assert row["extra"] == pytest.approx(100.0)
        assert row["worker_years_gained"] == 0.0
        assert row["per_yi"] == 0.0
        assert not bool(row["binds"])
    # Ranked: the limit that buys most first.
    assert (values["limit"].iloc[0], values["where"].iloc[0]) == ("fiscal_budget", 2021)
    assert list(values["worker_years_gained"]) == sorted(values["worker_years_gained"])[::-1]


def test_only_limits_with_an_amount_are_valued(three: optimizer.PlanningData) -> None:
    # No training budget and a PPP line with no room to add 10 % to (no PPP project, no
    # payments: the room is the whole line, so it is listed).
    listed = {(e.family, e.where) for e in entries(optimizer.prepare(three))}
    assert ("training_budget", 2021) not in listed
    assert ("ppp_line", "A") in listed
    assert set(VALUED) <= set(FAMILIES)


def test_a_limit_nothing_uses_is_worth_nothing_without_a_solve(values: pd.DataFrame) -> None:
    # No PPP project: the PPP line has no row in the model, so more of it buys nothing.
    row = values.set_index(["limit", "where"]).loc[("ppp_line", "A")]
    assert row["worker_years_gained"] == 0.0
    assert row["seconds"] == 0.0


def test_a_re_solve_never_shows_a_loss(values: pd.DataFrame) -> None:
    # The re-solves start from the plan and hold its objective: a loss could only be noise
    # in the worker-years beside other jobs, and other_jobs_weight is 0 here.
    assert (values["measured"] >= -1e-6).all()
    assert (values["worker_years_gained"] >= 0).all()


def test_in_process_and_a_two_process_pool_give_the_same_rows(
    three: optimizer.PlanningData, values: pd.DataFrame
) -> None:
    with optimizer.process_pool(2) as pool:
        pooled = limit_values(
            three, options=optimizer.RunOptions(executor=pool), chunk_size=1
        )
    columns = [c for c in values.columns if c != "seconds"]
    pd.testing.assert_frame_equal(values[columns], pooled[columns])


def test_the_table_and_chart_read_in_both_languages(values: pd.DataFrame) -> None:
    english = views.limit_values_table(values, Labels("en"))
    assert list(english.columns) == [
        "Limit",
        "10 % more",
        "Unit",
        "Worker-years gained",
        "Worker-years per 亿元",
        "Binds",
    ]
    assert english["Limit"].iloc[0] == "Fiscal budget 2021"
    chinese = views.limit_values_table(values, Labels("zh"))
    assert chinese["约束"].iloc[0] == "2021年财政预算"
    figure = views.limit_values_figure(values, Labels("en"))
    assert list(figure.data[0].y) == ["Fiscal budget 2021"]  # only the limit that binds
    lines = console.limit_values_lines(values, Labels("zh"))
    assert lines[0].startswith("各项限制放宽10%")


def test_used_up_is_not_binding(three: optimizer.PlanningData, values: pd.DataFrame) -> None:
    # A solve alone says "used up" (≥ 99 %); the budget is, and so it binds here, but a
    # used-up limit need not bind: that is what the re-solves measure.
    solution = optimizer.solve(three)
    used = solution.limits.set_index(["family", "key"])
    assert bool(used.loc[("fiscal_budget", "2021"), "used_up"])
    assert "binding" not in solution.limits.columns


# ---------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    folder = tmp_path_factory.mktemp("limits")
    (folder / "book.xlsx").write_bytes(
        workbook_bytes(
            projects=[project(f"P{k}", jobs_per_yi=100.0 + k) for k in range(1, 5)],
            years=[(2021, 10.0, 10.0)],
        )
    )
    return folder


def test_the_command_prints_json_rows_with_exactly_the_keys(book, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    done = run_cli(book, "limits", "book.xlsx", "--json", "--quiet")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows
    assert all(list(row) == JSON_KEYS for row in rows)
    assert {row["limit"] for row in rows} <= set(VALUED)
    gained = [row["worker_years_gained"] for row in rows]
    assert gained == sorted(gained, reverse=True)
    text = run_cli(book, "limits", "book.xlsx", "--language", "zh", "--quiet", "--workers", "2")
    assert text.returncode == 0, text.stderr
    assert "各项限制放宽10%" in text.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("limits", "missing.xlsx"),
        ("limits", "book.xlsx", "--workers", "0"),
        ("limits", "book.xlsx", "--set", "fiscal_budget_scale=abc"),
        ("limits", "book.xlsx", "--gap", "2"),
    ],
)
def test_bad_input_exits_2_with_one_line(book, monkeypatch, args) -> None:  # noqa: ANN001
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    done = run_cli(book, *args)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip()
