"""The app's figures and tables, called as a notebook would call them."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import sample_subset

import optimizer
from optimizer import Scenario, solve
from optimizer.present import views
from optimizer.present.labels import Labels


@pytest.fixture(scope="module")
def small(sample: optimizer.PlanningData) -> optimizer.PlanningData:
    return sample_subset(sample)


def test_the_map_draws_every_city_offline(sample_solution: optimizer.Solution) -> None:
    solution = sample_solution
    figure = views.province_map(solution, Labels.for_solution(solution, "zh"))
    shapes = [t for t in figure.data if t.fill == "toself"]
    assert len({t.hovertext or t.text for t in shapes}) == 13
    sectors = {Labels("zh").sector(s) for s in optimizer.schema.SECTORS}
    projects = [t for t in figure.data if t.name in sectors]
    assert sum(len(t.x) for t in projects) == len(solution.chosen)
    assert not figure.layout.geo.projection.type  # plain axes: no geo base map to fetch
    names = {a.text: (a.x, a.y) for a in figure.layout.annotations}
    assert len(names) == 13
    assert "南京" in names
    # Yangzhou and Zhenjiang face each other across the river: their names stay apart.
    (x1, y1), (x2, y2) = names["扬州"], names["镇江"]
    assert abs(y1 - y2) > 0.25 or abs(x1 - x2) > 0.6
    # The fill colour has a legend (a colour bar of the re-employed share).
    bars = [t for t in figure.data if t.marker is not None and t.marker.showscale]
    assert len(bars) == 1
    assert bars[0].marker.colorbar.title.text == "再就业比例"


def test_trade_off_figures_follow_their_tables(small: optimizer.PlanningData) -> None:
    table = optimizer.frontier(small, Scenario(), "bond_quota", 3)
    figure = views.frontier_figure(table, Labels("en"))
    solved = table[table["status"] == "optimal"]
    assert list(figure.data[0].y) == pytest.approx(list(solved["worker_years"]))
    assert figure.data[-1].name == "current"
    grid = optimizer.frontier_grid(small, Scenario(), points=([0.5, 1.0], [0.5, 1.0]))
    heat = views.grid_figure(grid, Labels("zh"))
    assert heat.data[0].z.shape == (2, 2)
    # Large counts read in 万 in Chinese, on every axis and colour bar.
    assert heat.data[0].colorbar.title.text == "万人年"
    best = grid["worker_years"].max()
    assert float(np.nanmax(heat.data[0].z)) == pytest.approx(best / 1e4)
    chinese = views.frontier_figure(table, Labels("zh"))
    assert chinese.layout.yaxis.title.text == "万人年"
    assert list(chinese.data[0].y) == pytest.approx(list(solved["worker_years"] / 1e4))
    # The heat map's cells carry their values (as the precision supports them) and the
    # current scenario's cell is marked.
    assert heat.data[0].text.shape == (2, 2)
    assert heat.data[0].texttemplate == "%{text}"
    assert all("万" in t or t == "无可行方案" for t in heat.data[0].text.ravel())
    marked = [t for t in heat.data if t.name == "当前"]
    assert len(marked) == 1
    here = grid[grid["current"]]
    assert list(marked[0].x) == list(here["amount_x"])
    assert list(marked[0].y) == list(here["amount_y"])
    draws = optimizer.robustness(small, Scenario(), draws=2, spread=0.0)
    bars = views.robustness_figure(draws, Labels("en"))
    # Only the core and borderline projects, each bar labelled with its id and name.
    kept = draws.projects[draws.projects["class"] != "outside"]
    assert 0 < len(kept) < len(small.projects)
    labelled = [label for t in bars.data for label in t.y]
    assert sorted(labelled) == sorted(
        f"{i} {n}" for i, n in zip(kept["project_id"], kept["name"], strict=True)
    )
    assert bars.layout.height >= 18 * len(kept)


def test_comparing_two_solutions_names_what_changed(small: optimizer.PlanningData) -> None:
    before = solve(small)
    after = solve(small, Scenario(fiscal_budget_scale=1.5))
    changes = views.portfolio_changes(before, after, Labels("en"))
    entered = set(changes.loc[changes["Change"] == "entered", "Project ID"])
    assert entered == set(after.chosen_starts) - set(before.chosen_starts)
    left = set(changes.loc[changes["Change"] == "left out", "Project ID"])
    assert left == set(before.chosen_starts) - set(after.chosen_starts)
    side = views.compare_table({"before": before, "after": after}, Labels("zh"))
    assert list(side.columns) == ["before", "after"]
    assert side.loc["就业岗位人年", "after"] == pytest.approx(after.job_years, abs=1e-3)
    assert side.loc["去产能分流职工再就业人年", "before"] == pytest.approx(
        before.worker_years, abs=1e-3
    )
    # Version 3's figures beside the worker-years: the jobless worker-years left, trainees.
    assert side.loc["剩余失业人年", "after"] == pytest.approx(after.jobless_worker_years)
    assert side.loc["培训人数", "before"] == pytest.approx(before.trainees)
    shown = views.compare_shown({"before": before, "after": after}, Labels("zh"))
    assert shown.loc["就业岗位人年", "after"] == Labels("zh").people(after.job_years, "").strip()
    assert shown.loc["最高财政支出责任比例", "after"].endswith("%")
    differ = views.inputs_differ(before, after, Labels("en"), small)
    assert list(differ["input"]) == ["Fiscal budget scale"]
    assert list(differ["after"]) == ["1.5"]


def test_people_are_counted_in_wan_in_chinese() -> None:
    assert Labels("zh").people(230808) == "23.08 万人"
    assert Labels("zh").people(950) == "950 人"
    assert Labels("en").people(230808) == "230,808"
    assert Labels("zh").worker_years(555240) == "55.52 万人年"


def test_the_diagnosis_reads_in_chinese(sample: optimizer.PlanningData) -> None:
    with pytest.raises(optimizer.InfeasibleError) as caught:
        solve(sample, Scenario(debt_headroom_scale=0.2))
    frame = caught.value.to_frame()
    names = dict(zip(sample.regions["region"], sample.regions["name_zh"], strict=True))
    english = views.conflict_lines(frame, Labels("en"))
    chinese = views.conflict_lines(frame, Labels("zh", names))
    debt = frame.index[frame["limit"] == "debt_headroom"][0]
    about = frame.loc[debt, "about"]
    assert english[debt].startswith(f"{about} needs {frame.loc[debt, 'needed']:,.1f} 亿元")
    assert chinese[debt].startswith(names[frame.loc[debt, "about"]] + "债务空间需")
    assert f"{frame.loc[debt, 'needed']:,.1f} 亿元" in chinese[debt]
