"""Training (docs/model.md 11, 12), hand-solved on one city.

100 workers laid off before the horizon (no displacement sheet) with no baseline
re-employment: 100 exposed each year. One project holds 200 jobs a year with skill_match
0.25: 50 open as they are, (0.9 − 0.25)·200 = 130 open after training.
"""

from __future__ import annotations

import pytest
from helpers import planning_data

from optimizer import Scenario, solve
from optimizer.tradeoffs import frontier

COST = 0.6 / 10_000  # 亿元 per trainee (training_cost 0.6 万元)


def data(years: list[tuple[int, float, float, float]], **settings: float):
    return planning_data(
        [
            dict(
                project_id="P",
                region="A",
                capex=20.0,
                jobs_per_yi=10.0,
                duration_years=len(years),
                skill_match=0.25,
            )
        ],
        [dict(region="A", displaced_workers=100.0)],
        years,
        v3=True,
        other_jobs_weight=0.0,
        **settings,
    )


def test_without_training_the_skill_match_binds() -> None:
    s = solve(data([(2021, 100.0, 0.0, 0.0)]))
    assert s.worker_years == pytest.approx(50.0)
    assert s.trainees == 0.0


def test_a_small_training_budget_binds() -> None:
    # 20 trainees' worth of money: 50 + 20 re-employed.
    s = solve(data([(2021, 100.0, 0.0, 20 * COST)]))
    assert s.trainees == pytest.approx(20.0)
    assert s.worker_years == pytest.approx(70.0)
    r = s.by_region_year.set_index("region")
    assert r.at["A", "reemployed_direct"] == pytest.approx(50.0)
    assert r.at["A", "reemployed_trained"] == pytest.approx(20.0)
    lim = s.limits.set_index(["family", "key"]).loc[("training_budget", "2021")]
    assert bool(lim["used_up"])
    assert s.to_dict()["trainees_by_region_year"] == {"A": {"2021": pytest.approx(20.0)}}


def test_a_large_budget_trains_only_those_who_take_jobs() -> None:
    # Exposure 100 caps re-employment: 50 direct, 50 trained; the other money is unspent.
    s = solve(data([(2021, 100.0, 0.0, 1.0)]))
    assert s.worker_years == pytest.approx(100.0)
    assert s.trainees == pytest.approx(50.0)
    assert s.to_dict()["trainees_by_region"] == {"A": pytest.approx(50.0)}


def test_a_training_lag_delays_the_trained_jobs() -> None:
    years = [(2021, 100.0, 0.0, 1.0), (2022, 100.0, 0.0, 0.0)]
    s = solve(data(years, training_lag_years=1))
    # Trained in 2021, at work from 2022: 50 in 2021, 100 in 2022.
    assert s.by_year["reemployed"].tolist() == pytest.approx([50.0, 100.0])
    assert s.by_region_year["trainees"].tolist() == pytest.approx([50.0, 0.0])
    # Money only in the last year, a year's lag: nobody can be trained in time.
    late = solve(data([(2021, 100.0, 0.0, 0.0), (2022, 100.0, 0.0, 1.0)], training_lag_years=1))
    assert late.by_year["reemployed"].tolist() == pytest.approx([50.0, 50.0])
    assert late.trainees == pytest.approx(0.0)


def test_nobody_is_trained_before_being_laid_off() -> None:
    # The 100 are laid off in 2022 (a half year exposed); 2021's money cannot train them.
    d = planning_data(
        [
            dict(
                project_id="P",
                region="A",
                capex=20.0,
                jobs_per_yi=10.0,
                duration_years=2,
                skill_match=0.25,
            )
        ],
        [dict(region="A", displaced_workers=100.0)],
        [(2021, 100.0, 0.0, 1.0), (2022, 100.0, 0.0, 0.0)],
        displacement=[("A", 2022, 100.0)],
        v3=True,
        other_jobs_weight=0.0,
    )
    s = solve(d)
    assert s.trainees == pytest.approx(0.0)
    # 2022: exposure 50, all taken by the 50 open jobs.
    assert s.by_year["reemployed"].tolist() == pytest.approx([0.0, 50.0])


def test_the_training_budget_is_a_frontier_lever() -> None:
    # 20 trainees' money a year, 50 open jobs: at 0× 50 + 50; at 1× 70 in 2021, then 2021's
    # trainees stay trained, 90 in 2022; at 2× 90 + 100 (exposure caps); at 3× 100 + 100.
    years = [(2021, 100.0, 0.0, 20 * COST), (2022, 100.0, 0.0, 20 * COST)]
    d = data(years)
    table = frontier(d, Scenario(), "training_budget", [0.0, 1.0, 2.0, 3.0])
    assert table["lever"].unique().tolist() == ["training_budget"]
    assert table["amount"].tolist() == pytest.approx([0.0, 40 * COST, 80 * COST, 120 * COST])
    assert table["worker_years"].tolist() == pytest.approx([100.0, 160.0, 190.0, 200.0])
    assert table["current"].tolist() == [False, True, False, False]
    for row in table.itertuples():
        single = solve(d, Scenario(training_budget_scale=row.setting))
        # (the frontier's objective carries the solver's 1e-6 tie-break per trainee)
        assert row.objective == pytest.approx(single.objective, abs=1e-3)
        assert row.worker_years == pytest.approx(single.worker_years, rel=1e-6)
    # More training money never re-employs fewer, and the default points run 0–200 %.
    assert (table["worker_years"].diff().dropna() >= -1e-9).all()
    assert frontier(d, Scenario(), "training_budget", 3)["setting"].tolist() == [0.0, 1.0, 2.0]
