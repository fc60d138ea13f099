"""Version 2 workbooks under version 3: they load and solve, and with model.md's neutral
settings version 3 gives version 2's optimum where no PPP rule changed."""

from __future__ import annotations

import math

import pytest
from conftest import project, region, workbook_bytes
from helpers import planning_data, v2_objective

from optimizer import Scenario, Status, load_workbook, solve


def add_v2_displacement(book) -> None:  # noqa: ANN001 (an openpyxl Workbook)
    """Version 2's displacement sheet: region, year, workers, nothing else."""
    sheet = book.create_sheet("displacement")
    for row in (["region", "year", "workers"], ["A", 2021, 600], ["A", 2022, 400],
                ["B", 2020, 1000]):  # fmt: skip
        sheet.append(row)


def test_a_version_2_workbook_loads_and_solves() -> None:
    book = workbook_bytes(
        [project("P1"), project("P2", region="B"), project("P3", earliest_start=2022)],
        [region("A"), region("B", lat=32.1)],
        edit=add_v2_displacement,
    )
    data = load_workbook(book)
    assert data.years["training_budget"].tolist() == [0.0, 0.0]
    assert data.displacement["earliest_year"].tolist() == data.displacement["year"].tolist()
    s = solve(data)
    assert s.status is Status.OPTIMAL
    out = s.to_dict()
    assert out["trainees"] == 0.0
    # B's 1,000 were laid off in 2020, before the horizon: jobless from 2021 on.
    assert out["layoffs"]["B"] == {"2020": 1000.0, "2021": 0.0, "2022": 0.0}
    assert out["layoffs"]["A"] == {"2021": 600.0, "2022": 400.0}
    # Under the contract's defaults a 2021 layoff counts half of 2021.
    assert s.by_year.set_index("year").at[2021, "exposure"] == pytest.approx(0.5 * 600 + 1000)


def test_neutral_settings_give_version_2s_optimum() -> None:
    # Version 2, by hand: A's stock is 100 in 2021 and 300 in 2022 (200 more in 2022); B is
    # out of reach with 50 from 2021. Budget 10 a year buys one project a year. "a" (A, 150
    # jobs) and "b" (B, 80 jobs) in either year; "c" (A, 400 jobs) only in 2022.
    # Best: a in 2021 (100 of 150 taken) and c in 2022 (300 of 400): 400 worker-years +
    # 0.1 × 550 jobs = 455; b is worth at most 50 + 8.
    projects = [
        dict(project_id="a", region="A", capex=10.0, jobs_per_yi=15.0),
        dict(project_id="b", region="B", capex=10.0, jobs_per_yi=8.0),
        dict(project_id="c", region="A", capex=10.0, jobs_per_yi=40.0, earliest_start=2022),
    ]
    regions = [dict(region="A", displaced_workers=300.0), dict(region="B", lat=40.0,
               displaced_workers=50.0)]  # fmt: skip
    data = planning_data(
        projects,
        regions,
        [(2021, 10.0, 0.0), (2022, 10.0, 0.0)],
        displacement=[("A", 2021, 100.0), ("A", 2022, 200.0), ("B", 2021, 50.0)],
        v3=True,
    )
    neutral = Scenario(
        layoff_year_exposure=1.0,
        baseline_reemployment_rate=0.0,
        ppp_user_pay_only_from=math.inf,
    )
    s = solve(data, neutral)
    assert s.chosen_starts == {"a": 2021, "c": 2022}
    assert s.worker_years == pytest.approx(400.0)
    assert v2_objective(s) == pytest.approx(455.0)
    # The exposure is version 2's displaced stock.
    assert s.by_year["exposure"].tolist() == pytest.approx([150.0, 350.0])
    # The contract's defaults count each layoff year half: 0.5·150 in 2021, 150 + 0.5·200 in 2022.
    assert solve(data).exposure_worker_years == pytest.approx(75.0 + 250.0)
