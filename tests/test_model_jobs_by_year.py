"""The model through the years: jobs held in the years they exist, money through time,
home-first matching, and the workbooks that carry the years; solved by hand on two- and
three-year instances, one rule per test (see shared/spec/model.md)."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import PROJECT_HEADER, planning_data, v2_objective, workbook_bytes

import optimizer
from optimizer import Scenario, WorkbookError, load_workbook, solve
from optimizer.instance import prepare
from optimizer.present.labels import Labels
from optimizer.present.views import not_chosen_reasons

EN = Labels("en")


def reason_of(solution: optimizer.Solution, project_id: str) -> str:
    """A left-out project's reason in English words."""
    words = not_chosen_reasons(solution, Labels.for_solution(solution, "en"))
    return dict(zip(solution.not_chosen["project_id"], words, strict=True))[project_id]


def p(pid: str, **values) -> dict:
    """A one-year project in region A: capex 10 (all from the budget), 10 jobs per 亿元 →
    100 jobs held in its build year, all open to displaced workers. A PPP (a yearly payment)
    is paid for by social capital while built, so version 3's build-year outlay (rule 5a) is
    nil and these version 2 tests read the payments alone."""
    row = dict(project_id=pid, region="A", capex=10.0, jobs_per_yi=10.0)
    if values.get("ppp_annual_payment", 0) > 0:
        row.update(budget_share=0.0, private_share=1.0)
    row.update(values)
    return row


TWO_YEARS = [(2021, 100.0, 0.0), (2022, 100.0, 0.0)]
MANY = [dict(region="A", displaced_workers=1e6)]


def starts(solution: optimizer.Solution) -> dict[str, int]:
    return solution.chosen_starts


def by_region(solution: optimizer.Solution, column: str) -> dict[str, float]:
    return solution.reemployment.set_index("region")[column].to_dict()


# ------------------------------------------------------------------ jobs in the years they exist


def test_a_job_before_the_layoffs_reemploys_nobody() -> None:
    # A's 100 workers lose their jobs in 2022. The project's 100 jobs exist only in the year
    # it is built.
    regions = [dict(region="A", displaced_workers=100.0)]
    layoffs = [("A", 2022, 100.0)]
    early = planning_data([p("a", latest_start=2021)], regions, TWO_YEARS, displacement=layoffs)
    s = solve(early)
    # Built in 2021, when nobody is displaced yet: 0 worker-years; the jobs still count at
    # the other-jobs weight, 0.1 × 100.
    assert starts(s) == {"a": 2021}
    assert s.worker_years == 0
    assert v2_objective(s) == pytest.approx(10)
    assert s.by_year["displaced_stock"].tolist() == [0, 100]
    assert s.by_year["reemployed"].tolist() == [0, 0]
    # Free to start in 2022, it starts then: 100 worker-years + 0.1 × 100.
    free = solve(planning_data([p("a")], regions, TWO_YEARS, displacement=layoffs))
    assert starts(free) == {"a": 2022}
    assert free.worker_years == pytest.approx(100)
    assert v2_objective(free) == pytest.approx(110)


def test_jobs_are_held_every_build_year_and_the_operating_jobs_after() -> None:
    # A: 50 displaced in 2021 and 100 more in 2022 (stock 50, 150, 150). Project a: two build
    # years with 100 jobs each, then 20 operating jobs, in 2021–2023.
    data = planning_data(
        [p("a", duration_years=2, operating_jobs=20.0)],
        [dict(region="A", displaced_workers=150.0)],
        [(2021, 100.0, 0.0), (2022, 100.0, 0.0), (2023, 100.0, 0.0)],
        displacement=[("A", 2021, 50.0), ("A", 2022, 100.0)],
    )
    # Start 2021: min(50, 100) + min(150, 100) + min(150, 20) = 170 worker-years, 220
    # job-years → 170 + 22 = 192. Start 2022: 100 + 100 = 200 worker-years, 200 job-years →
    # 200 + 20 = 220. The later start wins: it builds when the layoffs come.
    s = solve(data)
    assert starts(s) == {"a": 2022}
    assert v2_objective(s) == pytest.approx(220)
    assert s.worker_years == pytest.approx(200)
    assert s.job_years == pytest.approx(200)
    row = s.chosen.iloc[0]
    assert (row["start_year"], row["finish_year"]) == (2022, 2023)
    assert row["build_jobs"] == pytest.approx(100)
    assert row["job_years"] == pytest.approx(200)
    assert row["open_job_years"] == pytest.approx(200)
    assert row["worker_years"] == pytest.approx(200)
    y = s.by_year.set_index("year")
    assert y["jobs"].tolist() == [0, 100, 100]
    assert y["displaced_stock"].tolist() == [50, 150, 150]
    assert y["reemployed"].tolist() == pytest.approx([0, 100, 100])
    a = s.reemployment.iloc[0]
    # Need in worker-years: the stock summed over the years, 50 + 150 + 150.
    assert (a["displaced"], a["displaced_worker_years"]) == (150, 350)
    assert a["coverage"] == pytest.approx(200 / 350)
    # No budget in 2023 rules out the 2022 start (built 2022–2023): the figures of the first
    # derivation.
    forced = solve(data, Scenario(fiscal_budget={2023: 0.0}))
    assert starts(forced) == {"a": 2021}
    assert forced.worker_years == pytest.approx(170)
    assert forced.job_years == pytest.approx(220)
    assert v2_objective(forced) == pytest.approx(192)
    assert forced.by_year["reemployed"].tolist() == pytest.approx([50, 100, 20])


def test_headline_figures_agree_with_the_tables() -> None:
    # A (home of 100, all displaced in 2021) and B 33 km away (300 displaced in 2022, 100 in
    # 2023); C is far (no jobs). Budget 10 a year: one project a year.
    data = planning_data(
        [
            p("a1", jobs_per_yi=15.0),
            p("a2", jobs_per_yi=15.0),
            p("b1", region="B", jobs_per_yi=25.0),
        ],
        [
            dict(region="A", displaced_workers=100.0),
            dict(region="B", lat=32.3, displaced_workers=400.0),
            dict(region="C", lat=36.0, displaced_workers=50.0),
        ],
        [(2021, 10.0, 0.0), (2022, 10.0, 0.0), (2023, 10.0, 0.0)],
        displacement=[("A", 2021, 100.0), ("B", 2022, 300.0), ("B", 2023, 100.0), ("C", 2021, 50)],
        other_jobs_weight=0.0,
    )
    # Reachable stock (A + B): 100, 400, 500. Jobs: 150, 150 and 250 in the years the three
    # projects are built. b1 (250) in 2021 would re-employ only 100; the best order puts the
    # 150s where the stock is smallest: 2021 gets 150 → 100, and 2022/2023 get 250 and 150
    # (either way 250 + 150): 100 + 250 + 150 = 500 worker-years.
    s = solve(data)
    assert s.worker_years == pytest.approx(500)
    assert v2_objective(s) == pytest.approx(500)
    y = s.by_year.set_index("year")["reemployed"]
    assert y[2021] == pytest.approx(100)
    assert y[2022] + y[2023] == pytest.approx(400)
    assert s.reemployed_peak == pytest.approx(y.max())
    assert s.peak_year == int(y.idxmax())
    assert s.reemployed_by_year == pytest.approx(y.to_dict())
    assert s.to_dict()["reemployed_by_year"] == {
        str(k): pytest.approx(v) for k, v in y.to_dict().items()
    }
    assert s.worker_years == pytest.approx(y.sum())
    assert s.worker_years == pytest.approx(s.reemployment["worker_years"].sum())
    assert s.worker_years == pytest.approx(s.flows["workers"].sum())
    assert s.worker_years == pytest.approx(s.by_region_year["reemployed"].sum())
    assert s.worker_years == pytest.approx(s.chosen["worker_years"].sum())
    assert s.reemployed_by_region == pytest.approx(by_region(s, "worker_years"))
    assert by_region(s, "worker_years")["C"] == 0
    # Each year, re-employed ≤ the stock and ≤ the open jobs.
    assert (s.by_year["reemployed"] <= s.by_year["displaced_stock"] + 1e-6).all()
    assert (s.by_year["reemployed"] <= s.by_year["open_jobs"] + 1e-6).all()
    peaks = s.by_region_year.groupby("region")["reemployed"].max()
    assert by_region(s, "reemployed_peak") == pytest.approx(peaks.to_dict())


def test_the_coverage_floor_counts_worker_years_over_the_horizon() -> None:
    # A: 100 displaced in 2021 (stock 100, 100: 200 worker-years of need). B, far: 100
    # displaced in 2022 (stock 0, 100: 100 of need). One project a year (budget 10).
    data = planning_data(
        [p("a1"), p("a2"), p("b", region="B", jobs_per_yi=6.0)],
        [
            dict(region="A", displaced_workers=100.0),
            dict(region="B", lat=35.0, displaced_workers=100.0),
        ],
        [(2021, 10.0, 0.0), (2022, 10.0, 0.0)],
        displacement=[("A", 2021, 100.0), ("B", 2022, 100.0)],
        other_jobs_weight=0.0,
    )
    # Without a floor: a1 and a2, one each year, 100 + 100 worker-years for A.
    assert solve(data).worker_years == pytest.approx(200)
    # A floor of 50 %: A needs 100 worker-years, B 50. B's workers are displaced only in
    # 2022, so b (60 jobs) must be built then and one a-project in 2021: 100 + 60.
    s = solve(data, Scenario(min_coverage_share=0.5))
    assert starts(s)["b"] == 2022
    assert set(starts(s)) in ({"a1", "b"}, {"a2", "b"})
    assert s.worker_years == pytest.approx(160)
    assert by_region(s, "coverage") == pytest.approx({"A": 0.5, "B": 0.6})
    assert by_region(s, "displaced_worker_years") == pytest.approx({"A": 200, "B": 100})


def test_a_project_that_cannot_finish_in_the_horizon_says_so() -> None:
    s = solve(planning_data([p("long", duration_years=3), p("a")], MANY, TWO_YEARS))
    assert set(starts(s)) == {"a"}
    assert s.not_chosen.set_index("project_id").at["long", "reason_code"] == "cannot_finish"


# ------------------------------------------------------------------ money through time


def test_a_ppp_payment_counts_in_the_budget_of_its_operating_years() -> None:
    # ppp: built in 2021 (10 from the budget), 300 jobs, then pays 3 a year from 2022.
    # late: built in 2022 (10 from the budget), 200 jobs. 2022's budget is 12: 3 + 10 > 12.
    data = planning_data(
        [
            # Built from the budget: its outlay of 10 in 2021 is 10 % of 100, at the line.
            p(
                "ppp",
                latest_start=2021,
                jobs_per_yi=30.0,
                ppp_annual_payment=3.0,
                budget_share=1.0,
                private_share=0.0,
            ),
            p("late", earliest_start=2022, jobs_per_yi=20.0),
        ],
        MANY,
        [(2021, 10.0, 0.0), (2022, 12.0, 0.0)],
    )
    # {ppp}: 300 + 30 = 330; {late}: 200 + 20 = 220; both do not fit 2022's budget.
    s = solve(data)
    assert starts(s) == {"ppp": 2021}
    assert v2_objective(s) == pytest.approx(330)
    y = s.by_year.set_index("year")
    assert y["ppp_payments"].tolist() == [0, 3]
    assert y["budget_spend"].tolist() == [10, 3]
    # One more 亿元 in 2022 and both fit; 2022's budget is then used to the last 亿元.
    both = solve(data, Scenario(fiscal_budget={2022: 13.0}))
    assert starts(both) == {"ppp": 2021, "late": 2022}
    assert v2_objective(both) == pytest.approx(330 + 220)
    row = both.limits.set_index(["family", "key"]).loc[("fiscal_budget", "2022")]
    assert (row["use"], row["limit"], bool(row["used_up"])) == (pytest.approx(13), 13, True)


@pytest.mark.parametrize(
    ("mechanism", "chosen", "code"),
    [("government_pay", False, "government_pay_over_line"), ("viability_gap", True, None)],
)
def test_the_government_pay_line_binds_where_the_viability_gap_line_does_not(
    mechanism: str, chosen: bool, code: str | None
) -> None:
    # A spends 100 a year with 6 already committed to PPP: 6 % is above the 5 % line for
    # government-pay projects (no room) but below the 10 % line (room 4 for a payment of 1).
    data = planning_data(
        [p("ppp", ppp_annual_payment=1.0, ppp_mechanism=mechanism)],
        [dict(region="A", displaced_workers=1e6, existing_ppp_payments=6.0)],
        [(2021, 100.0, 0.0)],
    )
    s = solve(data)
    assert ("ppp" in starts(s)) is chosen
    a = s.by_region.set_index("region").loc["A"]
    assert a["ppp_ratio_before"] == pytest.approx(0.06)
    assert a["ppp_ratio"] == pytest.approx(0.07 if chosen else 0.06)
    assert a["ppp_code"] == "over_government_pay_before"
    assert "5% line" in EN.ppp_note(a)
    if code:
        left = s.not_chosen.set_index("project_id").loc["ppp"]
        assert left["reason_code"] == code
        assert "5% line" in reason_of(s, "ppp")


def test_the_government_pay_room_is_shared_by_new_projects() -> None:
    # 3 committed on 100: government-pay room 5 − 3 = 2, PPP room 10 − 3 = 7. Two
    # government-pay projects paying 1.5 each: only one fits the 5 % line. Version 3 reads
    # the 5 % test on the whole ratio: with g1 in, v (viability-gap) would take A to 6 %.
    data = planning_data(
        [
            p("g1", ppp_annual_payment=1.5, ppp_mechanism="government_pay", jobs_per_yi=12.0),
            p("g2", ppp_annual_payment=1.5, ppp_mechanism="government_pay"),
            p("v", ppp_annual_payment=1.5),  # viability-gap by default
        ],
        [dict(region="A", displaced_workers=1e6, existing_ppp_payments=3.0)],
        [(2021, 100.0, 0.0)],
    )
    s = solve(data)
    assert set(starts(s)) == {"g1"}  # g1 (120 jobs) beats v (100) and g2 (100)
    reasons = s.not_chosen.set_index("project_id")["reason_code"]
    assert reasons["g2"] == reasons["v"] == "government_pay_room_used"
    lim = s.limits.set_index(["family", "key"])
    assert lim.at[("government_pay_line", "A"), "use"] == pytest.approx(1.5)
    assert lim.at[("government_pay_line", "A"), "limit"] == pytest.approx(2)
    assert lim.at[("ppp_line", "A"), "use"] == pytest.approx(1.5)
    assert lim.at[("ppp_line", "A"), "limit"] == pytest.approx(7)
    # 3 + 1.5 on 100 is 4.5 %: below 7 %, no warning and nothing above a line before.
    assert s.by_region.at[0, "ppp_code"] == ""


def test_ppp_standing_in_words() -> None:
    # A: 12 on 100, above the 10 % line before anything new. B: 6 on 100, above 5 %. C:
    # nothing committed, a new viability-gap payment of 8 takes it to 8 %, above 7 %.
    far = dict(displaced_workers=1e6)
    data = planning_data(
        [
            p("pa", ppp_annual_payment=0.5, jobs_per_yi=50.0),
            p("plain"),
            p("pc", region="C", ppp_annual_payment=8.0),
        ],
        [
            dict(region="A", existing_ppp_payments=12.0, **far),
            dict(region="B", lat=35.0, existing_ppp_payments=6.0, **far),
            dict(region="C", lat=38.0, **far),
        ],
        [(2021, 100.0, 0.0)],
    )
    s = solve(data)
    assert set(starts(s)) == {"plain", "pc"}
    standing = s.by_region.set_index("region")
    assert standing.at["A", "ppp_code"] == "over_line_before"
    assert standing.at["A", "ppp_ratio_before"] == pytest.approx(0.12)
    assert "10% line" in EN.ppp_note(standing.loc["A"])
    assert "12.0%" in EN.ppp_note(standing.loc["A"])
    assert standing.at["B", "ppp_code"] == "over_government_pay_before"
    assert "5% line" in EN.ppp_note(standing.loc["B"])
    assert standing.at["C", "ppp_code"] == "warning"
    assert standing.at["C", "ppp_ratio"] == pytest.approx(0.08)
    assert "7%" in EN.ppp_note(standing.loc["C"])
    left = s.not_chosen.set_index("project_id").loc["pa"]
    assert left["reason_code"] == "ppp_over_line"
    assert "A" in reason_of(s, "pa")
    assert "10% line" in reason_of(s, "pa")


def test_the_discount_rate_moves_a_start_earlier() -> None:
    # One one-year project, 100 jobs, a million displaced from 2021: 100 worker-years and
    # 0.1 × 100 job-years whichever year it starts.
    data = planning_data([p("a")], MANY, TWO_YEARS)
    early = solve(data, Scenario(fiscal_budget={2022: 0.0}))
    late = solve(data, Scenario(fiscal_budget={2021: 0.0}))
    assert (starts(early), starts(late)) == ({"a": 2021}, {"a": 2022})
    assert v2_objective(early) == pytest.approx(110)
    assert v2_objective(late) == pytest.approx(v2_objective(early))  # indifferent without discount
    # At 10 % a year, 2022 counts 1/1.1: 2021 gives 110, 2022 gives 110 / 1.1 = 100.
    s = solve(data, Scenario(discount_rate=0.1))
    assert starts(s) == {"a": 2021}
    assert v2_objective(s) == pytest.approx(110)
    later = solve(data, Scenario(discount_rate=0.1, fiscal_budget={2021: 0.0}))
    assert v2_objective(later) == pytest.approx(100)
    # Worker-years are persons × years, never discounted: only the objective is.
    assert later.worker_years == pytest.approx(100)
    assert prepare(data, Scenario(discount_rate=0.1)).year_weight == pytest.approx((1, 1 / 1.1))


# ------------------------------------------------------------------ home-first matching

NEAR = [
    dict(region="A", lat=32.0, displaced_workers=100.0),
    dict(region="B", lat=32.3, displaced_workers=300.0),  # ≈33 km from A
    dict(region="C", lat=35.0, displaced_workers=200.0),  # far from both
]


def test_a_city_figure_ignores_changes_out_of_its_reach() -> None:
    # A: 100 displaced, 250 jobs; B: 300 displaced, 100 jobs; within reach of each other.
    # All 350 jobs are taken. Home-first: A's jobs go to A's 100 first and the other 150 to
    # B's workers; B's 100 jobs to B's own: A 100, B 250 (the model alone could report any
    # split with A between 50 and 100).
    ab = [p("a", jobs_per_yi=25.0), p("b", region="B")]
    base = solve(planning_data(ab, NEAR, [(2021, 20.0, 0.0)]))
    assert set(starts(base)) == {"a", "b"}
    assert by_region(base, "worker_years") == pytest.approx({"A": 100, "B": 250, "C": 0})
    flows = base.flows.set_index(["home_region", "work_region"])["workers"].to_dict()
    assert flows == pytest.approx({("A", "A"): 100, ("B", "A"): 150, ("B", "B"): 100})
    # Jobs and budget added in C, out of A's and B's reach: their figures stay the same.
    more = solve(planning_data([*ab, p("c", region="C")], NEAR, [(2021, 30.0, 0.0)]))
    assert set(starts(more)) == {"a", "b", "c"}
    columns = ["displaced", "displaced_worker_years", "worker_years", "coverage", "reemployed_peak"]
    kept = base.reemployment.set_index("region").loc[["A", "B"], columns]
    again = more.reemployment.set_index("region").loc[["A", "B"], columns]
    pd.testing.assert_frame_equal(again, kept, check_exact=False, rtol=1e-9, atol=1e-6)
    assert by_region(more, "worker_years")["C"] == pytest.approx(100)


def test_a_city_own_jobs_go_to_its_own_workers_first() -> None:
    # A and B within reach, 100 displaced and 100 jobs each: each re-employs its own, and no
    # one commutes (the selection model alone could swap any number of them).
    data = planning_data(
        [p("a"), p("b", region="B")],
        [dict(NEAR[0], displaced_workers=100.0), dict(NEAR[1], displaced_workers=100.0)],
        [(2021, 20.0, 0.0), (2022, 20.0, 0.0)],
    )
    s = solve(data)
    assert s.worker_years == pytest.approx(200)
    assert by_region(s, "worker_years") == pytest.approx({"A": 100, "B": 100})
    assert (s.flows["home_region"] == s.flows["work_region"]).all()
    assert (s.flows["km"] == 0).all()


# ------------------------------------------------------------------ workbooks


def test_a_version_1_workbook_loads_and_solves() -> None:
    # The conftest workbook with version 1 columns only (no ppp_mechanism, no basis) and no
    # displacement sheet. Two regions 11 km apart with 1000 displaced each (both counted from
    # 2021), three projects in A of 1000 jobs each (capex 10 × 100), 5 from the budget and 5
    # from bonds; 10 of each a year funds two projects a year.
    version_1 = [h for h in PROJECT_HEADER if h not in ("ppp_mechanism", "basis")]
    data = load_workbook(workbook_bytes(project_header=version_1, drop_sheets=("displacement",)))
    assert not data.has_displacement_schedule
    assert data.projects["ppp_mechanism"].tolist() == ["", "", ""]
    assert data.projects["basis"].tolist() == ["", "", ""]
    assert prepare(data).displaced_stock.tolist() == [[1000, 1000], [1000, 1000]]
    s = solve(data)
    # Two projects in one year re-employ all 2000 within reach, the third 1000 the other
    # year: 3000 worker-years, 3000 job-years, objective 3000 + 0.1 × 3000.
    assert len(s.chosen) == 3
    assert sorted(s.by_year["projects_starting"]) == [1, 2]
    assert s.worker_years == pytest.approx(3000)
    assert s.job_years == pytest.approx(3000)
    assert v2_objective(s) == pytest.approx(3300)
    assert s.reemployed_peak == pytest.approx(2000)


def test_the_sample_workbook_still_solves_without_a_displacement_sheet(
    sample: optimizer.PlanningData, sample_solution: optimizer.Solution
) -> None:
    data = sample
    if data.has_displacement_schedule:
        stock = prepare(data).displaced_stock
        assert stock[:, -1] == pytest.approx(data.regions["displaced_workers"].to_numpy())
    else:  # version 1's reading: everyone displaced from the first year
        stock = prepare(data).displaced_stock
        assert stock[:, 0] == pytest.approx(data.regions["displaced_workers"].to_numpy())
    s = sample_solution  # the workbook's settings (conftest)
    assert s.status in ("optimal", "time_limit")
    assert s.worker_years == pytest.approx(s.by_year["reemployed"].sum())
    assert s.worker_years <= s.reemployment["displaced_worker_years"].sum() + 1e-6


def test_the_displacement_sheet_is_read_into_a_stock() -> None:
    # A: 200 before the horizon (counted in 2021) and 800 in 2022; B: 1000 in 2021.
    book = workbook_bytes(displacement=[("A", 2020, 200), ("A", 2022, 800), ("B", 2021, 1000)])
    data = load_workbook(book)
    assert data.has_displacement_schedule
    inst = prepare(data)
    assert inst.displaced_new.tolist() == [[200, 800], [1000, 0]]
    assert inst.displaced_stock.tolist() == [[200, 1000], [1000, 1000]]


@pytest.mark.parametrize(
    ("rows", "fragments"),
    [
        # A's rows sum to 900, regions says 1000.
        (
            [("A", 2021, 400), ("A", 2022, 500), ("B", 2021, 1000)],
            ["displacement", "A's rows add up to 900", "displaced_workers 1,000"],
        ),
        (
            [("A", 2021, 1000), ("B", 2023, 1000)],
            ["displacement row 3", "year", "2023 is after the last planning year 2022"],
        ),
        (
            [("A", 2021, 1000), ("B", 2021, 1000), ("Z", 2021, 5)],
            ["displacement row 4", "region", "'Z' is not a region"],
        ),
    ],
)
def test_displacement_sheet_errors_name_the_figures(
    rows: list[tuple[object, ...]], fragments: list[str]
) -> None:
    with pytest.raises(WorkbookError) as caught:
        load_workbook(workbook_bytes(displacement=rows))
    found = [str(problem) for problem in caught.value.problems]
    assert len(found) == 1, found
    for fragment in fragments:
        assert fragment in found[0]


def test_a_city_over_the_government_pay_line_is_also_warned_above_7_percent() -> None:
    # Existing payments 6 % of spending; a viability-gap project adds 1.2 % → 7.2 %.
    data = planning_data(
        [
            dict(project_id="V", region="X", capex=10, jobs_per_yi=10, budget_share=0.0,
                 bond_share=0, private_share=1.0, ppp_annual_payment=1.2,
                 ppp_mechanism="viability_gap", mandatory=True),
        ],
        [dict(region="X", displaced_workers=100, general_budget_expenditure=100,
              existing_ppp_payments=6.0)],
        [(2021, 100.0, 0.0), (2022, 100.0, 0.0)],
    )  # fmt: skip
    row = solve(data).by_region.set_index("region").loc["X"]
    assert row["ppp_code"] == "over_government_pay_before"
    assert row["ppp_ratio"] == pytest.approx(0.072)
    assert bool(row["ppp_warning"])
    assert "7% warning level" in EN.ppp_note(row)
    assert "7%预警线" in Labels("zh").ppp_note(row)
