"""More money that shows fewer worker-years (issue 20, items 2 and 4): with a weight of other
jobs the objective is worker-years plus weighted job-years, so a richer point of a frontier can
trade worker-years for jobs. The frontier's sentence says where, by how much and why, naming
the weight and the jobs gained, and its table shows the objective's other part."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

import optimizer
from optimizer import RunOptions, conclusions
from optimizer.present import console, explain, views
from optimizer.present.labels import Labels
from optimizer.solver import Status

CJK = re.compile(r"[\u4e00-\u9fff]")


def frontier(worker_years, job_years, objective, weight=0.1, tolerance=500.0) -> pd.DataFrame:
    """A fiscal-budget frontier at 0.4×, 0.6×, 0.8× and 1.0× (1 100 亿元 at 1.0×)."""
    settings = [0.4, 0.6, 0.8, 1.0]
    table = pd.DataFrame(
        {
            "lever": "fiscal_budget",
            "setting": settings,
            "amount": [1100.0 * s for s in settings],
            "unit": "亿元",
            "status": Status.OPTIMAL,
            "objective": objective,
            "worker_years": worker_years,
            "job_years": job_years,
            "marginal_worker_years": math.nan,
            "tolerance": tolerance,
            "current": [s == 1.0 for s in settings],
            "other_jobs_weight": weight,
        }
    )
    table["weighted_job_years"] = weight * table["job_years"]
    return table


# The sample's shape: 0.4× → 0.6× loses 1,350 worker-years and gains 232,843 job-years.
TRADED = frontier(
    worker_years=[341_588.0, 340_238.0, 341_612.0, 341_612.0],
    job_years=[522_712.0, 755_555.0, 854_271.0, 854_271.0],
    objective=[-36_741.0, -14_808.0, -3_562.0, -3_562.0],
    tolerance=[1_280.0, 2_074.0, 900.0, 1_983.0],
)


def test_the_step_that_trades_worker_years_for_jobs_is_found() -> None:
    trade = conclusions.jobs_trade(TRADED)
    assert trade is not None
    assert (trade.low_setting, trade.high_setting) == (0.4, 0.6)
    assert trade.weight == 0.1
    # Rounded as the table shows them (its median precision, ± 1,600: to 1,000).
    assert (trade.worker_years_before, trade.worker_years_after) == (342_000, 340_000)
    assert trade.job_years_gained == 233_000
    assert trade.weighted_gain == 23_000
    assert trade.fall.value == pytest.approx(1_350.0)
    assert trade.fall.tolerance == pytest.approx(3_354.0)
    assert trade.fall.within_precision
    assert trade.steps == 1


def test_no_trade_is_said_where_there_is_none() -> None:
    rising = frontier(
        worker_years=[300_000.0, 310_000.0, 320_000.0, 320_000.0],
        job_years=[500_000.0, 600_000.0, 700_000.0, 700_000.0],
        objective=[1.0, 2.0, 3.0, 3.0],
    )
    assert conclusions.jobs_trade(rising) is None
    # No weight: the objective is the worker-years; a fall is no trade for jobs.
    assert conclusions.jobs_trade(TRADED.assign(other_jobs_weight=0.0)) is None
    # The objective fell too: not a trade the weight explains.
    fell = TRADED.assign(objective=[0.0, -1.0, 5.0, 5.0])
    assert conclusions.jobs_trade(fell) is None
    # A table from before the weight was a column: nothing is claimed.
    assert conclusions.jobs_trade(TRADED.drop(columns="other_jobs_weight")) is None
    plain = explain.frontier_sentence(rising, Labels("en"))
    assert "weight of other jobs" not in plain


def test_the_frontier_sentence_says_where_and_why_in_both_languages() -> None:
    en = explain.frontier_sentence(TRADED, Labels("en"))
    assert (
        "From 0.4× the current amount to 0.6× the current amount, worker-years re-employed "
        "read 342,000 → 340,000 while job-years grow by 233,000: the objective also counts "
        "every job-year the projects create at 0.1 of a worker-year re-employed (the weight of "
        "other jobs), 23,000 worker-years' worth here"
    ) in en
    assert "within solver precision (± 3,354)" in en
    assert en.endswith("To compare plans on worker-years alone, set the weight of other jobs to 0.")
    zh = explain.frontier_sentence(TRADED, Labels("zh"))
    assert "从当前的0.4倍到当前的0.6倍，再就业人年由34.20 万变为34.00 万" in zh
    assert "按0.1个再就业人年计入（非分流职工岗位权重）" in zh
    assert "就业人年增加23.30 万" in zh
    assert not re.findall(r"[A-Za-z]{2,}", zh), zh
    # Beyond precision, and on more than one step: said so, the largest step named.
    wide = TRADED.assign(
        worker_years=[341_588.0, 330_000.0, 329_000.0, 329_000.0],
        objective=[-36_741.0, -14_808.0, -3_562.0, -3_562.0],
        job_years=[522_712.0, 755_555.0, 854_271.0, 854_271.0],
        tolerance=100.0,
    )
    words = explain.frontier_sentence(wide, Labels("en"))
    assert "read 341,600 → 330,000" in words
    assert "within solver precision" not in words
    assert "2 steps of this frontier show such a fall; this is the largest." in words


def test_the_frontier_table_shows_the_objectives_other_part() -> None:
    en = views.frontier_table(TRADED, Labels("en"))
    column = "Job-years × weight of other jobs (worker-years' worth)"
    assert column in en.columns
    # Rounded as the worker-years are.
    assert list(en[column]) == [52_000, 76_000, 85_000, 85_000]
    zh = views.frontier_table(TRADED, Labels("zh"))
    assert "就业人年×非分流职工岗位权重（折合人年）" in zh.columns
    # No weight, no column.
    plain = TRADED.assign(other_jobs_weight=0.0).drop(columns="weighted_job_years")
    assert column not in views.frontier_table(plain, Labels("en")).columns


def test_the_sample_frontier_says_why_more_money_shows_fewer_worker_years(
    sample: optimizer.PlanningData,
) -> None:
    """The issue's case on the sample (other_jobs_weight 0.1): 0.4× → 0.6× of the budget.
    The sentence is said exactly when a step shows the fall with a rising objective; the
    command line's lines and its JSON read the same table. A generous time limit, so each
    point ends on its gap or node limit: the same table on any machine, under any load."""
    options = RunOptions(time_limit_s=600.0)
    table = optimizer.frontier(sample, None, "fiscal_budget", [0.4, 0.6], options=options)
    assert set(table["other_jobs_weight"]) == {0.1}
    assert list(table["weighted_job_years"]) == pytest.approx(list(0.1 * table["job_years"]))
    low, high = table.iloc[0], table.iloc[1]
    fell = high["worker_years"] < low["worker_years"] and high["objective"] >= low["objective"]
    assert (conclusions.jobs_trade(table) is not None) == fell
    for language, words in (("en", "the weight of other jobs"), ("zh", "非分流职工岗位权重")):
        lines = console.frontier_lines(
            table, "fiscal_budget", Labels.for_regions(sample.regions, language)
        )
        assert (words in lines[1]) == fell, lines[1]
    assert "就业人年×非分流职工岗位权重（折合人年）" in lines[2]
