"""The built model's coefficients against a deliberately plain reference: loops over every
project, start year and year, written from docs/model.md, not the array code of
`Instance.money_of_starts`, `ppp_of_starts` and the model's families. A coefficient the fast build
puts on the wrong year, project or sign makes a row or the objective differ here."""

from __future__ import annotations

import functools
import gc
import re
from dataclasses import replace

import pytest
from conftest import SAMPLE
from helpers import sample_subset

import optimizer
from optimizer import Scenario
from optimizer import model as model_module
from optimizer.instance import Instance, prepare
from optimizer.model import SelectionModel, build_model
from optimizer.sample import build_sample

# Levers that put every vectorised family in the model: PPP shares, sector shares, paced
# layoffs, training, a coverage floor, a forced and an excluded project.
LEVERS = dict(
    pace_layoffs=1,
    min_coverage_share=0.2,
    ppp_min_share=0.05,
    ppp_max_share=0.6,
    training_budget_scale=2.0,
    fiscal_budget_scale=0.8,
)


# (the project's share of its jobs a row counts, the row's family)
JOBS_ROWS = (("skill_match", "open_jobs"), ("trainable_share", "trainable_jobs"))
CASES = ["sample", "sample, levers", "400 generated, levers", "sample, half not PPP"]


@functools.cache
def instance(case: str) -> Instance:
    """The case's instance, made once for the file."""
    if case.startswith("400"):
        return prepare(build_sample(seed=3, count=400), Scenario(**LEVERS))
    sample = optimizer.load_workbook(SAMPLE)
    if case == "sample, half not PPP":
        # Every project of the sample and of the generator is a PPP: every other one here
        # is funded by budget and bonds alone, so PPP rows must leave it out.
        projects = sample.projects.copy()
        plain = projects.index % 2 == 0
        projects.loc[plain, "budget_share"] += projects.loc[plain, "private_share"]
        projects.loc[plain, ["private_share", "ppp_annual_payment"]] = 0.0
        projects.loc[plain, "ppp_mechanism"] = ""
        return prepare(sample_subset(replace(sample, projects=projects), len(projects), 1))
    if case == "sample":
        return prepare(sample)
    ids = sample.projects["project_id"].tolist()
    sectors = sorted(set(sample.projects["sector"]))
    levers = Scenario(
        **LEVERS,
        sector_min_share=((sectors[0], 0.1),),
        sector_max_share=((sectors[1], 0.4),),
        forced_in=(ids[3],),
        forced_out=(ids[5],),
    )
    return prepare(sample, levers)


def years_of(inst: Instance, i: int, start: int) -> tuple[range, range]:
    """(build years, years in service) as positions, from the project's duration."""
    first = start - inst.years[0]
    done = first + int(inst.projects["duration"].iloc[i])
    return range(first, done), range(done, len(inst.years))


def money(inst: Instance, i: int, start: int) -> dict[int, tuple[float, float]]:
    """{year position: (fiscal budget, bond quota)} used by project i started in `start`."""
    row = inst.projects.iloc[i]
    duration = int(row["duration"])
    built, in_service = years_of(inst, i, start)
    out = {
        k: (float(row["budget_money"]) / duration, float(row["bond_money"]) / duration)
        for k in built
    }
    if float(row["ppp_payment"]) > 0:
        out.update({k: (float(row["ppp_payment"]), 0.0) for k in in_service})
    return out


def terms_of(model: SelectionModel, name: str, prefix: str) -> dict[str, float]:
    """The row's coefficients on the variables whose names start with `prefix`."""
    row = model.problem._constraints[name]
    return {var.name: c for var, c in row.items() if var.name.startswith(prefix)}


def expected_rows(model: SelectionModel) -> dict[str, dict[str, float]]:
    """Every money, PPP, jobs, debt and mix row's coefficients on x and y, by plain loops."""
    inst = model.instance
    p = inst.projects
    rows: dict[str, dict[str, float]] = {}
    names = set(model.problem._constraints)

    def add(row: str, name: str, c: float) -> None:
        if row in names and c != 0:
            rows.setdefault(row, {})
            rows[row][name] = rows[row].get(name, 0.0) + c

    for i, options in enumerate(model.starts):
        project = p.iloc[i]
        r = int(project["region_at"])
        for t, x in options:
            for k, (budget, bonds) in money(inst, i, t).items():
                if budget > 0:
                    add(f"fiscal_budget_y{k}", x.name, budget)
                    if project["ppp"]:
                        add(f"ppp_line_r{r}_y{k}", x.name, budget)
                        add(f"government_pay_line_r{r}_y{k}", x.name, budget)
                if bonds > 0:
                    add(f"bond_quota_y{k}", x.name, bonds)
            built, in_service = years_of(inst, i, t)
            for share, family in JOBS_ROWS:
                building = float(project[share]) * float(project["build_jobs"])
                operating = float(project[share]) * float(project["operating_jobs"])
                for years, jobs in ((built, building), (in_service, operating)):
                    for k in years:
                        if jobs > 0:
                            add(f"{family}_r{r}_y{k}", x.name, -jobs)
    total = float(p["capex"].sum())
    assert total > 0
    for i, y in enumerate(model.chosen):
        if y is None:
            continue
        project = p.iloc[i]
        add(f"debt_headroom_r{int(project['region_at'])}", y.name, float(project["bond_money"]))
        for s, (sector, (low, high)) in enumerate(inst.sector_shares.items()):
            inside = float(project["sector"] == sector)
            add(f"sector_min_s{s}", y.name, float(project["capex"]) * (inside - low))
            add(f"sector_max_s{s}", y.name, float(project["capex"]) * (inside - high))
        for family, share in (
            ("ppp_share_min", inst.setting("ppp_min_share")),
            ("ppp_share_max", inst.setting("ppp_max_share")),
        ):
            add(family, y.name, float(project["private_money"]) - share * float(project["capex"]))
    return rows


@pytest.mark.parametrize("case", CASES)
def test_rows_hold_the_plain_coefficients(case: str) -> None:
    model = build_model(instance(case))
    expected = expected_rows(model)
    families = {re.sub(r"_[rys]\d.*$", "", name) for name in expected}
    # Each kind of row the reference writes is in the model (the cases are not empty).
    assert {"fiscal_budget", "bond_quota", "open_jobs", "debt_headroom"} <= families, case
    assert "ppp_line" in families, case
    if "levers" in case:
        assert {"ppp_share_min", "sector_min", "trainable_jobs"} <= families, case
    for name, terms in expected.items():
        prefix = "y" if name.startswith(("debt", "sector", "ppp_share")) else "x"
        assert terms_of(model, name, prefix) == terms, (case, name)
    # And no such row of the model has a coefficient the reference lacks.
    for name in model.problem._constraints:
        if name.startswith(("fiscal_budget", "bond_quota", "open_jobs", "trainable_jobs")):
            assert set(terms_of(model, name, "x")) == set(expected.get(name, {})), (case, name)


@pytest.mark.parametrize("case", CASES)
def test_objective_holds_the_plain_job_years(case: str) -> None:
    """Each start variable's reward: other_jobs_weight × Σ year weight × jobs held."""
    inst = instance(case)
    model = build_model(inst)
    weight = inst.setting("other_jobs_weight")
    assert weight > 0
    w = inst.year_weight
    objective = {var.name: c for var, c in model.problem.objective.items()}
    checked = 0
    for i, options in enumerate(model.starts):
        project = inst.projects.iloc[i]
        for t, x in options:
            built, in_service = years_of(inst, i, t)
            job_years = float(project["build_jobs"]) * sum(w[k] for k in built) + float(
                project["operating_jobs"]
            ) * sum(w[k] for k in in_service)
            assert objective.get(x.name, 0.0) == weight * job_years
            checked += 1
    assert checked == sum(len(options) for options in model.starts) > 100


@pytest.mark.parametrize("case", CASES)
def test_money_and_ppp_by_year_add_the_plain_amounts(case: str) -> None:
    """A portfolio's money and PPP responsibilities by year are the plain sums."""
    inst = instance(case)
    starts = inst.projects["starts"].tolist()
    portfolio = {i: years[len(years) // 2] for i, years in enumerate(starts) if years and i % 3}
    budget = [0.0] * len(inst.years)
    bonds = [0.0] * len(inst.years)
    ppp = [[0.0] * len(inst.years) for _ in inst.regions]
    for i, t in portfolio.items():
        r = int(inst.projects["region_at"].iloc[i])
        for k, (b, q) in money(inst, i, t).items():
            budget[k] += b
            bonds[k] += q
            if inst.projects["ppp"].iloc[i] and b > 0:
                ppp[r][k] += b
    got_budget, got_bonds = inst.money_by_year(portfolio)
    assert got_budget.tolist() == budget
    assert got_bonds.tolist() == bonds
    assert max(budget) > 0
    assert max(bonds) > 0
    flat = [amount for by_year in ppp for amount in by_year]
    assert inst.ppp_by_year(portfolio).ravel().tolist() == flat
    assert max(flat) > 0
    one = next(iter(portfolio.items()))
    assert inst.money_by_year(dict([one]))[0].tolist() == [
        money(inst, *one).get(k, (0.0, 0.0))[0] for k in range(len(inst.years))
    ]
    assert [a.tolist() for a in inst.money_by_year({})] == [[0.0] * len(inst.years)] * 2


def test_the_build_leaves_the_garbage_collector_as_it_found_it() -> None:
    """build_model turns the collector off while it builds; it is on again after, and stays
    off for a caller who had turned it off."""
    inst = instance("sample")
    assert gc.isenabled()
    build_model(inst)
    assert gc.isenabled()
    gc.disable()
    try:
        build_model(inst)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_comes_back_after_a_failed_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object) -> None:
        raise MemoryError("out of memory in the build")

    monkeypatch.setattr(model_module, "_build", failing)
    with pytest.raises(MemoryError):
        build_model(instance("sample"))
    assert gc.isenabled()


def test_builds_at_once_share_the_collector_switch() -> None:
    # The app builds in threads: the first build to end must not turn the collector on under
    # another still building, and the last turns it on.
    first, second = model_module._no_garbage_collection(), model_module._no_garbage_collection()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
