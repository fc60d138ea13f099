"""The PPP rules as written (docs/model.md 5, 6, 7), hand-solved on one city spending 100 a
year: the 10 % line is 10, the 5 % line 5."""

from __future__ import annotations

import math

import pytest
from conftest import project, region, workbook_bytes
from helpers import planning_data

from optimizer import InfeasibleError, load_workbook, solve
from optimizer.present.labels import Labels

ONE_YEAR = [(2021, 100.0, 100.0)]


def ppp(pid: str, **values) -> dict:
    """A one-year PPP in A, capex 10, 100 jobs, paid for by social capital while built."""
    row = dict(
        project_id=pid,
        region="A",
        capex=10.0,
        jobs_per_yi=10.0,
        budget_share=0.0,
        bond_share=0.0,
        private_share=1.0,
    )
    row.update(values)
    return row


def city(existing: float) -> list[dict]:
    return [dict(region="A", displaced_workers=1e6, existing_ppp_payments=existing)]


def reasons(s) -> dict[str, str]:  # noqa: ANN001 (a Solution)
    return dict(zip(s.not_chosen["project_id"], s.not_chosen["reason_code"], strict=True))


def test_a_city_above_the_line_adds_no_user_pay_ppp() -> None:
    user_pay = ppp("U", ppp_mechanism="user_pay")
    above = solve(planning_data([user_pay], city(10.5), ONE_YEAR, v3=True))
    assert above.chosen.empty
    assert reasons(above) == {"U": "ppp_over_line"}
    below = solve(planning_data([user_pay], city(9.5), ONE_YEAR, v3=True))
    assert below.chosen["project_id"].tolist() == ["U"]


def test_build_year_outlays_make_the_line_bind() -> None:
    # 5 committed. 60 % of a capex of 10 from the budget is 6 in its build year: 11 > 10.
    heavy = ppp("V", ppp_annual_payment=1.0, budget_share=0.6, private_share=0.4)
    s = solve(planning_data([heavy], city(5.0), ONE_YEAR, v3=True))
    assert s.chosen.empty
    assert reasons(s) == {"V": "ppp_outlay_room_used"}
    light = ppp("V", ppp_annual_payment=1.0, budget_share=0.4, private_share=0.6)
    s = solve(planning_data([light], city(5.0), ONE_YEAR, v3=True))
    assert s.chosen["project_id"].tolist() == ["V"]
    row = s.ppp_by_year.set_index(["region", "year"]).loc[("A", 2021)]
    assert row["ratio"] == pytest.approx(0.09)  # 5 + 4 outlay on 100


def test_the_government_pay_test_counts_a_viability_gap_project_already_chosen() -> None:
    # 3 committed; a mandatory viability-gap PPP pays 1.5: 4.5 %. A government-pay PPP of
    # 1.5 more would take the whole ratio to 6 %, above 5 %.
    projects = [
        ppp("V", ppp_annual_payment=1.5, ppp_mechanism="viability_gap", mandatory=True),
        ppp("G", ppp_annual_payment=1.5, ppp_mechanism="government_pay", jobs_per_yi=20.0),
    ]
    years = [(2021, 100.0, 100.0), (2022, 100.0, 100.0)]
    s = solve(planning_data(projects, city(3.0), years, v3=True, ppp_user_pay_only_from=math.inf))
    assert s.chosen["project_id"].tolist() == ["V"]
    assert reasons(s) == {"G": "government_pay_room_used"}
    # Without the viability-gap project the government-pay one fits: 4.5 % ≤ 5 %.
    alone = solve(
        planning_data(projects[1:], city(3.0), years, v3=True, ppp_user_pay_only_from=math.inf)
    )
    assert alone.chosen["project_id"].tolist() == ["G"]


def test_no_viability_gap_start_from_2024() -> None:
    years = [(2023, 100.0, 100.0), (2024, 100.0, 100.0)]
    projects = [
        ppp("late", ppp_annual_payment=1.0, earliest_start=2024),  # viability-gap by default
        ppp("either", ppp_annual_payment=1.0),  # may start in 2023 only
        ppp("toll", ppp_mechanism="user_pay", earliest_start=2024),  # user-pay: allowed
    ]
    s = solve(planning_data(projects, city(0.0), years, v3=True))
    assert s.chosen_starts == {"either": 2023, "toll": 2024}
    assert reasons(s) == {"late": "user_pay_only"}
    never = solve(
        planning_data(projects, city(0.0), years, v3=True, ppp_user_pay_only_from=math.inf)
    )
    assert set(never.chosen_starts) == {"late", "either", "toll"}


@pytest.mark.parametrize(
    ("settings", "expected"),
    [(None, 2024.0), ([("ppp_user_pay_only_from", None)], math.inf),
     ([("ppp_user_pay_only_from", "none")], math.inf),
     ([("ppp_user_pay_only_from", 2025)], 2025.0)],
)  # fmt: skip
def test_the_user_pay_year_absent_empty_or_none(settings, expected: float) -> None:
    book = workbook_bytes([project("P1")], [region("A")], settings=settings)
    assert load_workbook(book).settings["ppp_user_pay_only_from"] == expected


def test_a_mandatory_viability_gap_ppp_from_2024_is_explained() -> None:
    years = [(2023, 100.0, 100.0), (2024, 100.0, 100.0)]
    late = ppp("late", ppp_annual_payment=1.0, earliest_start=2024, mandatory=True)
    with pytest.raises(InfeasibleError) as caught:
        solve(planning_data([late], city(0.0), years, v3=True))
    # The diagnosis holds codes; its words are the command line's (optimizer.present).
    assert "user-pay" in Labels("en").infeasible_text(caught.value.conflicts)
