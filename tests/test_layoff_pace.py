"""The pace of layoffs (docs/model.md 13), hand-solved on one city.

100 workers planned to leave in 2021, window 2021–2023, half a year exposed in the layoff
year, baseline rate 0.5. The only jobs are 100 in 2023.
"""

from __future__ import annotations

import pytest
from helpers import planning_data

from optimizer import solve

YEARS = [(2021, 100.0, 0.0), (2022, 100.0, 0.0), (2023, 100.0, 0.0)]


def data(cap: float | None = None, **settings: float):
    return planning_data(
        [dict(project_id="P", region="A", capex=10.0, jobs_per_yi=10.0, earliest_start=2023)],
        [
            dict(
                region="A",
                displaced_workers=100.0,
                baseline_reemployment_rate=0.5,
                max_layoffs_per_year=cap,
            )
        ],
        YEARS,
        displacement=[("A", 2021, 100.0, "steel", 2021, 2023)],
        v3=True,
        other_jobs_weight=0.0,
        **settings,
    )


def test_fixed_layoffs_keep_their_year() -> None:
    s = solve(data())
    # Exposure 50, 50, 25; the 2023 jobs take the 25 left.
    assert s.by_year["exposure"].tolist() == pytest.approx([50.0, 50.0, 25.0])
    assert s.worker_years == pytest.approx(25.0)
    assert s.jobless_worker_years == pytest.approx(100.0)


def test_paced_layoffs_move_to_when_jobs_open() -> None:
    s = solve(data(pace_layoffs=1.0))
    # All 100 leave in 2023: exposure 50, all re-employed.
    assert s.to_dict()["layoffs"] == {"A": {"2021": 0.0, "2022": 0.0, "2023": 100.0}}
    assert s.exposure_worker_years == pytest.approx(50.0)
    assert s.jobless_worker_years == pytest.approx(0.0, abs=1e-6)
    lay = s.layoffs
    assert lay["planned_year"].tolist() == [2023 - 2]
    assert bool(lay["moved"].all())


def test_the_mass_layoff_cap_splits_a_batch_inside_its_window() -> None:
    # At most 60 a year: x in 2022 and 100 − x in 2023, x ≥ 40. Jobless = 0.5·x (2022's
    # exposure; 2023's is 50, all re-employed): x = 40 leaves 20 jobless worker-years.
    s = solve(data(cap=60.0, pace_layoffs=1.0))
    assert s.to_dict()["layoffs"]["A"] == pytest.approx({"2021": 0.0, "2022": 40.0, "2023": 60.0})
    assert s.jobless_worker_years == pytest.approx(20.0)
    assert s.worker_years == pytest.approx(50.0)
    # The cap binds only when layoffs are paced.
    assert solve(data(cap=60.0)).to_dict()["layoffs"]["A"]["2021"] == pytest.approx(100.0)
