"""The value of each limit: what 10 % more of one limit buys, by re-solving from the plan."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from concurrent.futures import Executor

import pandas as pd
import pytest
from conftest import ROOT
from helpers import open_tab, planning_data, project, region, run_cli, run_cli_here, workbook_bytes
from streamlit.testing.v1 import AppTest

import optimizer
from optimizer.limit_values import JSON_KEYS, VALUED, entries, limit_values
from optimizer.limits import FAMILIES
from optimizer.present import console, views
from optimizer.present.labels import Labels

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def ppp(pid: str, payment: float, mechanism: str = "viability_gap") -> dict:
    """A one-year PPP in A built by social capital: capex 10, 100 jobs, then `payment` a year
    once in service (after the one planning year: only the line after the horizon holds it)."""
    return dict(
        project_id=pid,
        region="A",
        capex=10.0,
        jobs_per_yi=10.0,
        budget_share=0.0,
        bond_share=0.0,
        private_share=1.0,
        ppp_annual_payment=payment,
        ppp_mechanism=mechanism,
    )


# A city spending 100 a year, no PPP commitments: the 10 % line leaves a room of 10 a year.
PPP_CITY = [dict(region="A", displaced_workers=1e6, general_budget_expenditure=100.0)]


def test_a_ppp_line_gains_a_tenth_of_its_room() -> None:
    # Payments of 6 and 5 do not both fit in 10; in 11 they do: 100 worker-years for 1.
    data = planning_data(
        [ppp("V6", 6.0), ppp("V5", 5.0)], PPP_CITY, [(2021, 100.0, 100.0)], other_jobs_weight=0.0
    )
    row = limit_values(data).set_index(["limit", "where"]).loc[("ppp_line", "A")]
    assert row["extra"] == pytest.approx(1.0)
    assert row["unit"] == "亿元/year"
    assert (row["worker_years_gained"], row["per_yi"], bool(row["binds"])) == (100.0, 100.0, True)


def test_a_ppp_line_moves_without_moving_the_government_pay_line() -> None:
    # A government-pay PPP needs the whole ratio under 5 %: a payment of 6 never fits, however
    # much room the 10 % line has (rule 6: new + (L − G)·v ≤ L − E, L moved in both places).
    data = planning_data(
        [ppp("G", 6.0, "government_pay")], PPP_CITY, [(2021, 100.0, 100.0)], other_jobs_weight=0.0
    )
    assert optimizer.solve(data).chosen.empty
    row = limit_values(data).set_index(["limit", "where"]).loc[("ppp_line", "A")]
    assert row["extra"] == pytest.approx(1.0)
    assert row["measured"] == 0.0
    assert not bool(row["binds"])


def test_a_family_that_buys_nothing_together_is_not_re_solved_entry_by_entry() -> None:
    # Two years of budget 50 (a, b and c as in `three`, each startable in either year): the
    # budgets bind, the bond quotas (ample in both years) do not, tested together once.
    data = planning_data(
        [p("a", 60), p("b", 40), p("c", 10), p("d", 60), p("e", 40), p("f", 10)],
        [dict(region="A", displaced_workers=1e6, debt_headroom=1000.0)],
        [(2021, 50.0, 1000.0), (2022, 50.0, 1000.0)],
        other_jobs_weight=0.0,
    )
    together = limit_values(data)
    one_by_one = limit_values(data, by_family=False)
    assert one_by_one["alone"].all()
    rows = together.set_index(["limit", "where"])
    assert not rows.loc["bond_quota", "alone"].any()
    assert rows.loc["fiscal_budget", "binds"].any()
    assert rows.loc["fiscal_budget", "alone"].all()
    shown = ["limit", "where", "extra", "worker_years_gained", "per_yi", "binds"]
    pd.testing.assert_frame_equal(together[shown], one_by_one[shown])
    # The page and the command line say which rows were told by their family.
    assert views.limit_values_family_note(one_by_one, Labels("en")) is None
    note = views.limit_values_family_note(together, Labels("en"))
    assert note is not None
    assert "(bond quota, all years)" in note
    assert console.limit_values_lines(together, Labels("zh"))[-1].startswith("同类限制（")


def test_a_re_solve_never_shows_a_loss(values: pd.DataFrame) -> None:
    # The re-solves start from the plan and hold its objective: a loss could only be noise
    # in the worker-years beside other jobs, and other_jobs_weight is 0 here.
    assert (values["measured"] >= -1e-6).all()
    assert (values["worker_years_gained"] >= 0).all()


def test_in_process_and_a_two_process_pool_give_the_same_rows(
    three: optimizer.PlanningData, values: pd.DataFrame, spawned_pool: Executor
) -> None:
    pooled = limit_values(
        three, options=optimizer.RunOptions(executor=spawned_pool), chunk_size=1
    )
    columns = [c for c in values.columns if c != "seconds"]
    pd.testing.assert_frame_equal(values[columns], pooled[columns])


def test_arguments_are_checked_at_the_door(three: optimizer.PlanningData) -> None:
    with pytest.raises(TypeError, match="options must be a RunOptions"):
        limit_values(three, options={"workers": 2})
    with pytest.raises(TypeError, match="current must be a Solution"):
        limit_values(three, current="plan")
    with pytest.raises(ValueError, match="measured on HiGHS"):
        limit_values(three, optimizer.Scenario(solver="cbc"))


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


def test_a_solve_alone_says_used_up(three: optimizer.PlanningData, values: pd.DataFrame) -> None:
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


def test_the_command_prints_json_rows_with_exactly_the_keys(book, monkeypatch, capfd) -> None:  # noqa: ANN001
    done = run_cli_here(capfd, book, "limits", "book.xlsx", "--json", "--quiet")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows
    assert all(list(row) == JSON_KEYS for row in rows)
    assert {row["limit"] for row in rows} <= set(VALUED)
    gained = [row["worker_years_gained"] for row in rows]
    assert gained == sorted(gained, reverse=True)
    # On worker processes: a process of its own, as a planner runs it.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    text = run_cli(book, "limits", "book.xlsx", "--language", "zh", "--quiet", "--workers", "2")
    assert text.returncode == 0, text.stderr
    assert "各项限制放宽10%" in text.stdout
    # Nothing on the error stream: no process prints the solver's English banner.
    assert text.stderr == ""


def test_the_chinese_table_names_cities_in_chinese(tmp_path, run_here) -> None:  # noqa: ANN001
    (tmp_path / "book.xlsx").write_bytes(
        workbook_bytes(
            projects=[project(f"P{k}", jobs_per_yi=100.0 + k) for k in range(1, 5)],
            regions=[region("A", name_zh="甲市"), region("B", lat=32.1, name_zh="乙市")],
            years=[(2021, 10.0, 10.0)],
        )
    )
    text = run_here(tmp_path, "limits", "book.xlsx", "--language", "zh", "--quiet")
    assert text.returncode == 0, text.stderr
    assert "甲市债务空间" in text.stdout
    assert "乙市债务空间" in text.stdout
    assert "A债务空间" not in text.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("limits", "missing.xlsx"),
        ("limits", "book.xlsx", "--workers", "0"),
        ("limits", "book.xlsx", "--set", "fiscal_budget_scale=abc"),
        ("limits", "book.xlsx", "--gap", "2"),
    ],
)
def test_bad_input_exits_2_with_one_line(book, capfd, args) -> None:  # noqa: ANN001
    done = run_cli_here(capfd, book, *args)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip()


# ---------------------------------------------------------------- the app


@pytest.fixture
def keep_main_module() -> Iterator[None]:
    """Streamlit's script runner leaves app.py as sys.modules["__main__"]; a process pool
    started later with "spawn" would then run the app in every worker. Put it back."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.mark.parametrize(
    ("language", "title", "gained", "binds", "yes"),
    [
        ("en", "Fiscal budget 2021", "Worker-years gained", "Binds", "yes"),
        ("zh", "2021年财政预算", "新增再就业人年", "起约束作用", "是"),
    ],
)
def test_the_app_shows_the_table_and_chart_in_the_trade_offs_tab(
    keep_main_module: None, language: str, title: str, gained: str, binds: str, yes: str
) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if language == "zh":
        at.sidebar.radio(key="language").set_value("zh").run()
    at.sidebar.radio(key=f"source_{language}").set_value("upload").run()
    # Four projects of 10 (5 from the budget each) and one of 2 (1 from it): a budget of 10
    # holds two of the big ones, and 10 % more (1) adds the small one.
    book = workbook_bytes(
        projects=[project(f"P{k}", jobs_per_yi=100.0 + k) for k in range(1, 5)]
        + [project("P5", capex=2.0)],
        regions=[region("A", displaced_workers=1e5), region("B", lat=32.1)],
        years=[(2021, 10.0, 100.0)],
    )
    at.sidebar.file_uploader(key="upload").set_value(("five.xlsx", book, XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    open_tab(at, "tradeoffs").button(key="run_limit_values").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [f.value for f in at.dataframe if gained in f.value.columns]
    assert len(shown) == 1
    table = shown[0]
    first = table.iloc[0]
    assert (first.iloc[0], first[binds]) == (title, yes)
    assert first[gained] > 0
    gains = list(table[gained])
    assert gains == sorted(gains, reverse=True)
    bars = [
        list(trace.get("y", []))
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace.get("orientation") == "h"
    ]
    assert bars
    assert title in bars[0]  # the ranked chart, with the limit that binds
