"""Version 3's exposure (docs/model.md, Exposure), hand-solved on one city.

100 workers laid off in 2021 with a baseline re-employment rate of 0.2 and a half-year layoff
year: D(2021) = 0.5·100 = 50, D(2022) = 0.8·100 = 80, D(2023) = 0.64·100 = 64, so the
programme can replace 194 worker-years at most.
"""

from __future__ import annotations

import pytest
from helpers import SOLUTION_JSON_KEYS, planning_data

from optimizer import solve

YEARS = [(2021, 100.0, 0.0), (2022, 100.0, 0.0), (2023, 100.0, 0.0)]


def project(jobs: float) -> dict:
    """A project built 2021–2023 holding `jobs` jobs in each year, all open."""
    return dict(
        project_id="P",
        region="A",
        capex=jobs / 10.0,
        jobs_per_yi=10.0,
        duration_years=3,
        latest_start=2021,
    )


def one_city(jobs: float, **settings: float):
    return planning_data(
        [project(jobs)],
        [dict(region="A", displaced_workers=100.0, baseline_reemployment_rate=0.2)],
        YEARS,
        displacement=[("A", 2021, 100.0)],
        v3=True,
        other_jobs_weight=0.0,
        **settings,
    )


def test_exposure_with_a_baseline_rate_and_a_half_year_layoff() -> None:
    s = solve(one_city(60.0))
    y = s.by_year.set_index("year")
    assert y["exposure"].tolist() == pytest.approx([50.0, 80.0, 64.0])
    assert s.exposure_worker_years == pytest.approx(194.0)
    # 60 jobs a year: 50 (all exposed in 2021), then 60 and 60.
    assert y["reemployed"].tolist() == pytest.approx([50.0, 60.0, 60.0])
    assert s.worker_years == pytest.approx(170.0)
    assert s.jobless_worker_years == pytest.approx(24.0)
    # The maximised form: re-employed − exposure (other jobs weigh nothing here).
    assert s.objective == pytest.approx(170.0 - 194.0)
    out = s.to_dict()
    assert list(out) == SOLUTION_JSON_KEYS
    assert out["jobless_worker_years"] == pytest.approx(24.0)
    assert out["layoffs"] == {"A": {"2021": 100.0, "2022": 0.0, "2023": 0.0}}


def test_the_programme_cannot_re_employ_more_than_the_exposure() -> None:
    s = solve(one_city(1000.0))
    assert s.worker_years == pytest.approx(194.0)
    assert s.jobless_worker_years == pytest.approx(0.0, abs=1e-6)
    # At the end of 2023, 64 would still be jobless alone; the programme employs 64 then.
    assert s.jobless_at_end.set_index("region").at["A", "without_programme"] == pytest.approx(
        64.0
    )
    assert s.jobless_at_end.set_index("region").at["A", "jobless"] == pytest.approx(0.0, abs=1e-6)


def test_without_a_displacement_sheet_the_workers_are_laid_off_the_year_before() -> None:
    data = planning_data(
        [project(1000.0)],
        [dict(region="A", displaced_workers=100.0, baseline_reemployment_rate=0.2)],
        YEARS,
        v3=True,
        other_jobs_weight=0.0,
    )
    s = solve(data)
    # Laid off in 2020: no layoff-year exposure, survival from 2020 on.
    assert s.by_year["exposure"].tolist() == pytest.approx([80.0, 64.0, 51.2])
    assert s.to_dict()["layoffs"]["A"]["2020"] == pytest.approx(100.0)


def test_a_city_left_mostly_jobless_is_listed_for_monitoring() -> None:
    # 20 jobs a year against 50, 80, 64 exposed: 60 %, 75 %, 69 % left jobless, above 0.5.
    s = solve(one_city(20.0))
    m = s.monitoring
    assert m["year"].tolist() == [2021, 2022, 2023]
    assert m["jobless_share"].tolist() == pytest.approx([0.6, 0.75, 44 / 64])
    assert solve(one_city(20.0, monitoring_share=0.7)).monitoring["year"].tolist() == [2022]
