"""The Streamlit app, driven by Streamlit's AppTest (no browser)."""

from __future__ import annotations

import dataclasses
import itertools
import json
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import plotly.io
import pytest
import streamlit as st
from conftest import HARD, PAUSE_S, ROOT
from helpers import APP_TABS, each_tab, open_tab, project, workbook_bytes
from streamlit.testing.v1 import AppTest

import optimizer
from optimizer import Scenario, background, controls, solve
from optimizer.precision import difference
from optimizer.present import views
from optimizer.present.labels import Labels
from optimizer.session import ANALYSES_KEPT, AppState, BoundedCache
from optimizer.ui.tabs import TABS

APP = str(ROOT / "app.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def keep_main_module() -> Iterator[None]:
    """Streamlit's script runner leaves app.py as sys.modules["__main__"]; a process pool
    started later with "spawn" would then run the app in every worker. Put it back."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture
def app_solution(sample_solution: optimizer.Solution) -> optimizer.Solution:
    """The sample as the app first solves it: proven within its gap well inside the app's
    10 s limit, so the workbook's own solve (conftest)."""
    return sample_solution


@pytest.fixture(scope="module")
def base_run() -> None:
    """The app's first run on the sample, once for the module: its imports, the sample's
    load and solve, the map, all kept in the process (Streamlit's cache lives as long as the
    process does; the tests that need a solve started by the page empty it)."""
    main = sys.modules["__main__"]  # as keep_main_module, which runs inside this fixture
    try:
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
    finally:
        sys.modules["__main__"] = main
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def app(base_run: None) -> AppTest:
    """The app as a planner opens it: a new session, every widget at its start value. Its
    run takes the base run's kept load and answer, as a second visitor's does."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def beside() -> Iterator[ThreadPoolExecutor]:
    """A thread for a test's own solve, worked out while the page solves the same scenario
    (each on a core of its own) and compared once both are done."""
    with ThreadPoolExecutor(1) as thread:
        yield thread


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def reemployed(at: AppTest) -> str:
    """The worker-years headline (its label carries the displaced worker-years and the
    share)."""
    shown = [m.value for m in at.metric if m.label.startswith(("Worker-years", "再就业人年"))]
    assert len(shown) == 1
    return shown[0]


def capex(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label.startswith("Capex"))


def budgets_at(at: AppTest, scale: float) -> AppTest:
    """The fiscal budget and bond quota sliders both set to `scale` (run it next)."""
    at.sidebar.slider(key="fiscal_budget_scale").set_value(scale)
    at.sidebar.slider(key="bond_quota_scale").set_value(scale)
    return at


def in_language(at: AppTest, language: str) -> AppTest:
    """The page in `language`: switched (a rerun) only when it shows another one."""
    radio = at.sidebar.radio(key="language")
    if radio.value != language:
        radio.set_value(language).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def shortlist_ids(at: AppTest) -> set[str]:
    """The projects on the Shortlist tab (opened first when another tab is open)."""
    open_tab(at, "shortlist")
    for frame in at.dataframe:
        table = frame.value
        if "Project ID" in table.columns or "项目编号" in table.columns:
            return set(table.iloc[:, 0])
    raise AssertionError("no shortlist table on the page")


def test_the_app_starts_on_the_sample(app: AppTest, app_solution: optimizer.Solution) -> None:
    expected = app_solution
    shown = metrics(app)
    h = expected.headline()
    assert len(shown) == 12
    assert reemployed(app) == f"{h['worker_years']:,.0f}"
    first = app.metric[0]
    assert first.label == f"Worker-years re-employed ({h['worker_years_share']:.1%})"
    assert f"of {h['displaced_worker_years']:,.0f} worker-years displaced" in first.help
    peak = app.metric[6]
    assert peak.label.startswith(f"Re-employed in {expected.peak_year} (")
    assert peak.value == f"{expected.reemployed_peak:,.0f}"
    assert app.success[0].value.startswith("Optimal")
    assert shortlist_ids(app) == set(expected.chosen_starts)
    assert not app.error


def _frame(at: AppTest, header: str):  # noqa: ANN202 (a DataFrame)
    """The one table on the page with this column header."""
    found = [d.value for d in at.dataframe if header in d.value.columns]
    assert len(found) == 1, header
    return found[0]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_result_tab_shows_version_3_figures(
    app: AppTest, app_solution: optimizer.Solution, language: str
) -> None:
    in_language(app, language)
    s, labels = app_solution, Labels.for_solution(app_solution, language)
    h = s.headline()
    shown = metrics(app)
    # The headline: worker-years re-employed with, beside it, the jobless worker-years left,
    # the share of exposure re-employed and the trainees, and the assumption stated.
    assert shown[labels("jobless_left")] == labels.worker_years(s.jobless_worker_years)
    assert shown[labels("exposure_share")] == f"{s.worker_years / s.exposure_worker_years:.1%}"
    assert shown[labels("trainees_short")] == labels.people(s.trainees)
    money = s.public_money * 1e4 / s.worker_years
    assert shown[labels("public_money_short")] == f"{money:,.1f} 万元"
    last = max(s.reemployed_by_year, key=int)
    end = float(s.jobless_at_end["jobless"].sum())
    assert shown[labels("jobless_at_end_short", year=last)] == labels.people(end)
    assert labels("worker_years_v3_help") in [c.value for c in app.caption]
    words = {
        "en": ("Trainees (persons)", "Planned (persons)", "Exiting industry"),
        "zh": ("培训人数", "计划分流人数", "退出行业"),
    }[language]
    # 培训人数 by city and year: the solve's own figures.
    trained = _frame(app, labels.column("training_spend")).set_index(labels.column("region"))
    by_city = {labels.city(r): v for r, v in s.trainees_by_region.items() if v > 1e-6}
    assert set(trained.index) == set(by_city)
    for city, value in by_city.items():
        assert trained.at[city, words[0]] == pytest.approx(value)
    for region, years in s.trainees_by_region_year.items():
        for year, value in years.items():
            if value > 1e-6:
                assert trained.at[labels.city(region), labels.year(year)] == pytest.approx(value)
    # 分流安置节奏: planned against recommended, every worker laid off once in each.
    pace = _frame(app, words[1])
    assert pace[words[1]].sum() == pytest.approx(float(s.layoffs["workers"].sum()))
    assert pace[labels.column("recommended")].sum() == pytest.approx(pace[words[1]].sum())
    assert set(pace[words[2]]) <= {labels.industry(v) for v in s.layoffs["sector"]}
    # 重点监控: the solve's city-years, with the industry.
    monitored = _frame(app, labels.column("jobless_share"))
    assert len(monitored) == len(s.monitoring) > 0
    assert set(monitored[labels.column("region")]) == {
        labels.city(r) for r in s.monitoring["region"]
    }
    # Public money per re-employed worker-year, by sector and overall (the headline's).
    per = _frame(app, labels.column("public_money_per_worker_year"))
    column = labels.column("public_money_per_worker_year")
    assert per[column].iloc[-1] == pytest.approx(money)
    assert per[column].iloc[:-1].tolist() == pytest.approx(
        s.by_sector["public_money_per_worker_year"].tolist(), nan_ok=True
    )
    # Still jobless at the end, by city.
    jobless = _frame(app, labels.column("jobless_at_end"))
    assert jobless[labels.column("jobless_at_end")].sum() == pytest.approx(end)
    # Construction against lasting worker-years, year by year.
    titles = [plotly.io.from_json(c.proto.spec).layout.title.text for c in app.get("plotly_chart")]
    assert labels("construction_vs_lasting") in titles
    divisor, _ = labels.count_axis()
    bars = [float(sum(t.y)) * divisor for t in views.lasting_figure(s, labels).data]
    assert bars == pytest.approx([h["construction_worker_years"], h["operating_worker_years"]])
    assert sum(bars) == pytest.approx(s.worker_years)


@pytest.mark.parametrize("scale", [0.7, 1.2])
def test_changing_the_budget_changes_the_result(
    app: AppTest,
    app_solution: optimizer.Solution,
    sample: optimizer.PlanningData,
    scale: float,
    beside: ThreadPoolExecutor,
) -> None:
    before = (reemployed(app), capex(app))
    shown = app.session_state["last_feasible"][1]  # the page's own answer, its bound with it
    # The same move solved by the test, near the plan the page showed before (a stable plan)
    # as the page's solve is, in a thread while the page solves. A generous time limit: it
    # ends on its gap however busy the machine, as the page's does well inside its 10 s.
    expected = beside.submit(
        solve,
        sample,
        Scenario(fiscal_budget_scale=scale, bond_quota_scale=scale, time_limit_s=120),
        reference=shown,
    )
    budgets_at(app, scale).run()
    assert not app.exception
    if scale < 1:  # less money: the plan shown must change
        assert capex(app) != before[1]
    else:  # more: the plan shown may stay (a stable plan), and never shows less
        assert float(reemployed(app).replace(",", "")) >= float(before[0].replace(",", ""))
    # What the change gained or cost, against the scenario shown before: a figure, or
    # "within solver precision" when the two solves cannot tell it from nothing.
    after = expected.result()
    assert after.status.is_proven
    change = difference(
        after.worker_years,
        app_solution.worker_years,
        after_objective=after.objective,
        after_gap=after.gap,
        before_objective=app_solution.objective,
        before_gap=app_solution.gap,
        after_base=after.gap_base,
        before_base=app_solution.gap_base,
    )
    gained = app.metric[0]
    now = float(reemployed(app).replace(",", ""))
    assert now == pytest.approx(after.worker_years, abs=1)
    if change.within_precision:
        assert gained.delta.startswith("within solver precision (± ")
    else:
        assert gained.delta.endswith(" worker-years")
        assert float(gained.delta.split()[0].replace(",", "")) == pytest.approx(
            now - float(before[0].replace(",", "")), abs=1
        )


def test_an_infeasible_scenario_shows_the_diagnosis(app: AppTest) -> None:
    app.sidebar.slider(key="fiscal_budget_scale").set_value(0.0).run()
    assert not app.exception
    assert "No portfolio meets every limit" in app.error[0].value
    words = " ".join(m.value for m in app.markdown)
    assert "fiscal budget" in words
    # The figures under the diagnosis are the last plan that met every limit, said so.
    assert "the last plan that met every limit" in app.warning[0].value
    app.sidebar.radio(key="language").set_value("zh").run()
    assert "没有方案能满足全部约束" in app.error[0].value
    assert "年财政预算需" in " ".join(m.value for m in app.markdown)


def page_text(at: AppTest) -> str:
    """Every word the page shows: messages, markdown, captions, tables' headers and cells."""
    parts = [e.value for kind in (at.error, at.warning, at.info, at.success) for e in kind]
    parts += [m.value for m in at.markdown] + [c.value for c in at.caption]
    for frame in at.dataframe:
        parts += [str(c) for c in frame.value.columns]
        parts += [str(v) for v in frame.value.to_numpy().ravel()]
    return "\n".join(parts)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_no_portfolio_page_names_the_move_and_keeps_the_tabs(app: AppTest, language) -> None:
    in_language(app, language)
    before = reemployed(app)
    # 0.4: no portfolio, and the diagnosis moves both a PPP line and Lianyungang's coverage
    # floor (at 0.35 only the line), so the floor's words are on the page to be read.
    app.sidebar.slider(key="min_coverage_share").set_value(0.4).run()
    assert not app.exception
    text = page_text(app)
    control = {"en": "Minimum re-employed share per city", "zh": "各市最低再就业比例"}[language]
    # The control just moved is named in the message.
    assert control in app.error[0].value
    # Several limits listed: the diagnosis moved them at once, so "together", not "alone";
    # one limit listed: that move alone.
    together = {"en": "All of these moves together", "zh": "以下各项同时调整"}[language]
    alone = {"en": "This one move makes", "zh": "只需这一项调整"}[language]
    moves = len(app.main.dataframe[0].value)  # the diagnosis's table: one row a move
    assert moves == 2
    assert (together if moves > 1 else alone) in text
    assert (alone if moves > 1 else together) not in text
    # No placeholder, no setting name.
    assert "?" not in text
    assert "？" not in text
    assert "min_coverage_share" not in text
    # (The sidebar's tables keep their codes as column keys, shown through labels: item 7.)
    assert "_" not in " ".join(str(c) for f in app.main.dataframe for c in f.value.columns)
    # The tabs stay, on the last feasible plan, marked as such.
    assert len(app.tabs) == 5
    last = {"en": "the last plan that met every limit", "zh": "最后一个满足全部约束的方案"}
    assert last[language] in app.warning[0].value
    assert reemployed(app) == before
    # Each tab opens on it (only the open one is drawn), with no placeholder or setting name.
    for page in each_tab(app):
        assert not page.exception, [e.value for e in page.exception]
        assert last[language] in page.warning[0].value
        text = page_text(page)
        assert "?" not in text
        assert "？" not in text
        assert "min_coverage_share" not in text
    assert shortlist_ids(app) == set(app.session_state["last_feasible"][1].chosen_starts)


def test_forcing_a_project_in_puts_it_on_the_shortlist(
    app: AppTest, app_solution: optimizer.Solution
) -> None:
    left_out = app_solution.not_chosen
    pid = left_out.loc[left_out["reason_code"] == "objective", "project_id"].iloc[0]
    assert pid not in shortlist_ids(app)
    app.sidebar.selectbox(key="forced_in_pick").set_value(pid).run()
    assert not app.exception
    assert pid in shortlist_ids(app)


def test_forcing_a_project_forces_exactly_that_one(app: AppTest) -> None:
    # Typing an id in the old multiselect forced in every id that contains it as well.
    projects = optimizer.load_workbook(ROOT / "projects.xlsx").projects.set_index("project_id")
    first, second, third = [p for p in projects.index if p.startswith("JS-SZ-")][:3]
    app.sidebar.selectbox(key="forced_in_pick").set_value(first).run()
    assert not app.exception
    assert app.session_state["forced_in"] == [first]
    app.sidebar.selectbox(key="forced_out_pick").set_value(second).run()
    assert app.session_state["forced_in"] == [first]
    assert app.session_state["forced_out"] == [second]
    # Each forced project shows its whole name, and is taken off by its own button.
    chip = app.sidebar.button(key=f"forced_in_drop_{first}")
    assert chip.label == f"✕ {first} · {projects.at[first, 'name']}"
    # Once forced, a project is no longer offered for either list (options read "id · name").
    offered = [o.split(" · ")[0] for o in app.sidebar.selectbox(key="forced_out_pick").options]
    assert third in offered
    assert first not in offered
    assert second not in offered
    chip.click().run()
    assert not app.exception
    assert app.session_state["forced_in"] == []
    assert app.session_state["forced_out"] == [second]


def test_switching_language_changes_the_labels(app: AppTest) -> None:
    app.sidebar.radio(key="language").set_value("zh").run()
    assert not app.exception
    assert "万人年" in reemployed(app)
    assert app.title[0].value.startswith("基础设施投资优选")
    assert app.sidebar.slider(key="fiscal_budget_scale").label == "财政预算倍数"
    assert app.sidebar.slider(key="bond_quota_scale").label == "新增专项债券额度倍数"
    assert app.sidebar.radio(key="source_zh").value == "sample"


def chart_titles(at: AppTest) -> list[str]:
    return [
        json.loads(c.proto.spec)["layout"].get("title", {}).get("text")
        for c in at.get("plotly_chart")
    ]


def map_shown(at: AppTest) -> bool:
    """The map is on the page: its cities are filled shapes, which no other chart draws."""
    charts = [json.loads(c.proto.spec)["data"] for c in at.get("plotly_chart")]
    return any(trace.get("fill") == "toself" for data in charts for trace in data)


def test_only_the_open_tab_is_drawn_and_it_stays_open(
    app: AppTest, app_solution: optimizer.Solution
) -> None:
    """Only the open tab's content runs. The tab stays open across a language switch and a
    control moved; what the other tabs hold comes back when they are opened again."""
    assert APP_TABS == TABS  # the tests' list of the app's tabs is the app's own
    result_title = Labels.for_solution(app_solution, "en")("construction_vs_lasting")
    others = ("run_frontier", "save_scenario", "shortlist_filter", "upload_scenario")
    # A first visit: the Result tab, and nothing of the other tabs.
    assert app.session_state["open_tab"] == "result"
    assert [t.label for t in app.tabs] == [
        "Result",
        "Map",
        "Trade-offs",
        "Compare scenarios",
        "Shortlist",
    ]
    assert result_title in chart_titles(app)
    assert not map_shown(app)
    keys = {w.key for w in [*app.button, *app.text_input, *app.get("file_uploader")]}
    assert not keys & set(others)
    # The map opened: the map, and no Result chart; the headline stays above the tabs.
    open_tab(app, "map")
    assert map_shown(app)
    assert result_title not in chart_titles(app)
    assert len(app.metric) == 12
    # A language switch keeps the map open, under its Chinese name, and back.
    in_language(app, "zh")
    assert (app.session_state["open_tab"], app.session_state["tabs"]) == ("map", "地图")
    assert map_shown(app)
    # So does a control moved (a new answer).
    budgets_at(app, 1.2).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.sidebar.slider(key="fiscal_budget_scale").value == 1.2
    assert (app.session_state["open_tab"], app.session_state["tabs"]) == ("map", "地图")
    assert map_shown(app)
    in_language(app, "en")
    assert (app.session_state["open_tab"], app.session_state["tabs"]) == ("map", "Map")
    # Each other tab shows its own content, and the Result tab's charts come back.
    open_tab(app, "tradeoffs")
    assert not map_shown(app)
    assert "run_frontier" in {b.key for b in app.button}
    open_tab(app, "compare")
    assert "save_scenario" in {b.key for b in app.button}
    open_tab(app, "result")
    assert result_title in chart_titles(app)
    assert not map_shown(app)
    assert not app.exception


def test_a_bad_upload_lists_its_problems_and_keeps_the_last_good_data(app: AppTest) -> None:
    before = metrics(app)
    app.sidebar.radio(key="source_en").set_value("upload").run()
    bad = workbook_bytes(projects=[project("P1", capex=-3), project("P2")])
    app.sidebar.file_uploader(key="upload").set_value(("bad.xlsx", bad, XLSX)).run()
    assert not app.exception
    assert "keeps working on the last good workbook" in app.error[0].value
    problems = app.dataframe[0].value
    assert list(problems.columns[:4]) == ["Sheet", "Row", "Column", "Problem"]
    assert "capex" in set(problems["Column"])
    assert metrics(app) == before


def test_a_good_upload_replaces_the_sample(app: AppTest) -> None:
    app.sidebar.radio(key="source_en").set_value("upload").run()
    good = workbook_bytes()
    app.sidebar.file_uploader(key="upload").set_value(("mine.xlsx", good, XLSX)).run()
    assert not app.exception
    assert shortlist_ids(app) <= {"P1", "P2", "P3"}
    app.sidebar.radio(key="source_en").set_value("sample").run()
    assert len(shortlist_ids(app)) > 50


def test_scenarios_are_saved_compared_and_loaded(
    app: AppTest, sample: optimizer.PlanningData
) -> None:
    open_tab(app, "compare")
    app.text_input(key="save_name").set_value("baseline").run()
    app.button(key="save_scenario").click().run()
    # Less money, so the plan changes (with more, the nearest plan may be the same one): the
    # budget test's move, whose answer is kept when it ran before in this process.
    budgets_at(app, 0.7).run()
    assert not app.exception
    compared = [f.value for f in app.dataframe if "baseline" in f.value.columns]
    assert compared, "no comparison table"
    assert list(compared[0].columns) == ["Item", "baseline", "current"]
    assert compared[0]["current"].str.contains(",").any()  # formatted: 555,240 not 555240.12
    said = " ".join(m.value for m in app.markdown)
    assert "current − baseline: " in said
    changes = [f.value for f in app.dataframe if "Change" in f.value.columns]
    assert changes
    assert set(changes[0]["Change"]) & {"entered", "left out"}

    # A scenario file fills the sidebar.
    # Each scale has its own slider: the two stay apart.
    wanted = Scenario(fiscal_budget_scale=1.1, bond_quota_scale=0.8, debt_headroom_scale=0.9)
    app.file_uploader(key="upload_scenario").set_value(
        ("scenario.json", wanted.to_json().encode(), "application/json")
    ).run()
    assert not app.exception
    assert app.sidebar.slider(key="fiscal_budget_scale").value == pytest.approx(1.1)
    assert app.sidebar.slider(key="bond_quota_scale").value == pytest.approx(0.8)
    assert app.sidebar.slider(key="debt_headroom_scale").value == pytest.approx(0.9)


def test_a_scenario_survives_the_trip_through_the_sidebar(
    sample: optimizer.PlanningData,
) -> None:
    wanted = Scenario(
        fiscal_budget={2023: 250.0},
        fiscal_budget_scale=1.2,
        bond_quota_scale=0.9,
        ppp_cap_share=0.07,
        commute_km=80,
        forced_in=("JS-NJ-003",),
        sector_min_share={"energy": 0.05},
    ).resolved(sample)
    again = controls.scenario_from(sample, controls.controls_from(sample, wanted))
    back, there = optimizer.prepare(sample, again), optimizer.prepare(sample, wanted)
    assert dict(back.fiscal_budget) == pytest.approx(dict(there.fiscal_budget))
    assert dict(back.bond_quota) == pytest.approx(dict(there.bond_quota))
    assert controls.controls_from(sample, wanted)["ppp_choice"] == "7 %"
    # The two scales come back as they went, each from its own control.
    assert (again.fiscal_budget_scale, again.bond_quota_scale) == (1.2, 0.9)
    assert again.resolved(sample).replace(fiscal_budget=(), bond_quota=()) == wanted.replace(
        fiscal_budget=(), bond_quota=()
    )


def test_the_frontier_runs_from_the_trade_offs_tab(app: AppTest) -> None:
    open_tab(app, "tradeoffs")
    # Every lever of the package is offered, the training budget among them.
    offered = app.selectbox(key="frontier_lever_en").options
    assert "training budget, all years" in offered
    assert len(offered) == len(optimizer.tradeoffs.LEVERS)
    app.slider(key="frontier_points").set_value(3)
    app.select_slider(key="analysis_gap").set_value(0.02)
    app.button(key="run_frontier").click().run()
    assert not app.exception
    tables = [f.value for f in app.dataframe if "Setting" in f.value.columns]
    assert len(tables) == 1
    frontier = tables[0]
    assert frontier["Setting"].tolist() == pytest.approx([0.0, 1.0, 2.0])
    assert frontier["Status"].iloc[0] == "no portfolio"  # no money for the mandatory projects
    assert frontier["Current"].tolist() == ["no", "yes", "no"]
    # The result stays when something else reruns the page, and the tab is left and opened
    # again (only the open tab is drawn: the frontier is kept in the session).
    open_tab(app, "shortlist").text_input(key="shortlist_filter").set_value("JS-").run()
    assert not [f.value for f in app.dataframe if "Setting" in f.value.columns]
    open_tab(app, "tradeoffs")
    assert [f.value for f in app.dataframe if "Setting" in f.value.columns]
    assert app.slider(key="frontier_points").value == 3  # its settings kept as well
    assert app.select_slider(key="analysis_gap").value == 0.02


def test_the_shortlist_filters_by_words_and_sector(
    app: AppTest, sample: optimizer.PlanningData
) -> None:
    open_tab(app, "shortlist")
    app.text_input(key="shortlist_filter").set_value("(").run()  # plain text, not a pattern
    assert not app.exception
    app.text_input(key="shortlist_filter").set_value("JS-NJ").run()
    assert shortlist_ids(app)
    assert all(pid.startswith("JS-NJ") for pid in shortlist_ids(app))
    chosen = sample.projects.set_index("project_id")["sector"]
    present = sorted({chosen[pid] for pid in shortlist_ids(app)})
    app.multiselect(key="shortlist_sectors_en").set_value([present[0]]).run()
    assert shortlist_ids(app)
    assert {chosen[pid] for pid in shortlist_ids(app)} == {present[0]}


# ---------------------------------------------------------------- no traceback


def test_values_beyond_the_usual_ranges_load_and_survive_a_language_switch(app: AppTest) -> None:
    # A scenario file (with a UTF-8 BOM, as Windows Notepad saves it) setting a budget scale
    # of 3, 400 km of commuting and a 1,000 s time limit: all within the contract.
    wanted = Scenario(
        fiscal_budget_scale=3.0, bond_quota_scale=2.5, commute_km=400, time_limit_s=1000
    )
    open_tab(app, "compare")
    app.file_uploader(key="upload_scenario").set_value(
        ("scenario.json", b"\xef\xbb\xbf" + wanted.to_json().encode(), "application/json")
    ).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error
    shown = (
        app.sidebar.slider(key="fiscal_budget_scale").value,
        app.sidebar.slider(key="bond_quota_scale").value,
        app.sidebar.slider(key="commute_km").value,
        app.sidebar.number_input(key="time_limit_s").value,
    )
    assert shown == (3.0, 2.5, 400.0, 1000.0)
    app.sidebar.radio(key="language").set_value("zh").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.sidebar.slider(key="fiscal_budget_scale").label == "财政预算倍数"
    assert (
        app.sidebar.slider(key="fiscal_budget_scale").value,
        app.sidebar.slider(key="bond_quota_scale").value,
        app.sidebar.slider(key="commute_km").value,
        app.sidebar.number_input(key="time_limit_s").value,
    ) == shown


def test_a_workbook_setting_beyond_the_slider_loads(app: AppTest) -> None:
    app.sidebar.radio(key="source_en").set_value("upload").run()
    far = workbook_bytes(settings=[("commute_km", 400)])
    app.sidebar.file_uploader(key="upload").set_value(("far.xlsx", far, XLSX)).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.sidebar.slider(key="commute_km").value == 400.0
    assert shortlist_ids(app) <= {"P1", "P2", "P3"}


def test_a_scenario_file_of_the_wrong_kind_is_refused_in_the_app(app: AppTest) -> None:
    before = metrics(app)
    open_tab(app, "compare")
    app.file_uploader(key="upload_scenario").set_value(
        ("quoted.json", b'{"fiscal_budget_scale": "1.2"}', "application/json")
    ).run()
    assert not app.exception, [e.value for e in app.exception]
    assert [e.value for e in app.error] == [
        "The scenario file cannot be used: fiscal_budget_scale must be a number, got the text '1.2'"
    ]
    assert metrics(app) == before


def test_an_emptied_budget_cell_is_undone_and_the_result_kept() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["language"] = "zh"
    at.run()
    assert not at.exception
    before = metrics(at)
    table = at.sidebar.data_editor[0].value
    # The planner clears 2021's fiscal budget in the sidebar's table.
    version = at.session_state["table_version"]
    at.session_state[f"money_table_{version}"] = {
        "edited_rows": {0: {"fiscal_budget": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        "“各年财政预算与新增专项债券额度（亿元）”中有单元格被清空；请填写数值（没有则填 0）。"
        "该修改已撤销，仍显示上一个有效结果。"
    ]
    assert metrics(at) == before  # the last good result stays on the page
    assert at.sidebar.data_editor[0].value.equals(table)  # the edit was undone
    at.run()  # said once: the next rerun shows the result without the message
    assert not at.error
    assert metrics(at) == before


def test_analyses_are_kept_in_a_bounded_cache() -> None:
    cache = BoundedCache(3)
    for k in range(5):
        cache.put(("frontier", "data", f"scenario {k}"), k)
    assert len(cache) == 3
    assert ("frontier", "data", "scenario 0") not in cache  # the oldest went first
    assert cache.get(("frontier", "data", "scenario 2")) == 2  # reading keeps an entry fresh
    cache.put(("grid", "data", "scenario 5"), 5)
    assert ("frontier", "data", "scenario 2") in cache
    assert ("frontier", "data", "scenario 3") not in cache
    state = AppState({})
    assert state.analyses.size == ANALYSES_KEPT


def test_break_even_names_projects_and_feeds_the_reasons(app: AppTest) -> None:
    app.sidebar.radio(key="source_en").set_value("upload").run()
    six = workbook_bytes(
        projects=[project(f"P{k}", jobs_per_yi=100.0 + k) for k in range(1, 7)],
        years=[(2021, 10.0, 10.0)],
    )
    app.sidebar.file_uploader(key="upload").set_value(("six.xlsx", six, XLSX)).run()
    assert not app.exception, [e.value for e in app.exception]
    open_tab(app, "shortlist")
    left_out = next(f.value for f in app.dataframe if "Reason" in f.value.columns)
    assert len(left_out) == 4
    # The chosen two fill 2021's budget: every other project fits no start year.
    assert set(left_out["Reason"]) == {
        "the fiscal budget is used up in a year it would be built or paid for"
    }
    open_tab(app, "tradeoffs").button(key="run_break_even").click().run()
    assert not app.exception, [e.value for e in app.exception]
    table = next(f.value for f in app.dataframe if "Within solver precision" in f.value.columns)
    assert list(table["Project ID"]) != []
    assert set(table["Name"]) <= {f"project P{k}" for k in range(1, 7)}
    needed = table["More jobs it would need (persons, each build year)"]
    assert list(needed) == sorted(needed)  # the informative rows first, fewest jobs first
    # The threshold in the workbook's unit, beside what the project has.
    rates = table["Jobs per 亿元 it would need (each build year)"].astype(float)
    assert (rates >= table["Jobs per 亿元 it has (each build year)"]).all()
    said = [i.value for i in app.info if i.value.startswith(("Closest to entering", "No project"))]
    assert len(said) == 1
    open_tab(app, "shortlist")
    left_out = next(f.value for f in app.dataframe if "Reason" in f.value.columns)
    assert "More jobs it would need (persons, each build year)" in left_out.columns
    assert left_out["Reason"].str.contains("more jobs to enter|solver's precision").all()


def test_the_ppp_line_choice_reads_in_the_page_language_and_survives_a_switch(
    app: AppTest,
) -> None:
    radio = app.sidebar.radio(key="ppp_choice")
    assert "other" in radio.options
    radio.set_value(controls.OTHER).run()
    assert not app.exception
    app.sidebar.radio(key="language").set_value("zh").run()
    assert not app.exception
    radio = app.sidebar.radio(key="ppp_choice")
    assert "其他" in radio.options
    assert "other" not in " ".join(radio.options)
    assert radio.value == controls.OTHER


# ---------------------------------------------------------------- answers at once

# conftest.HARD: a short proof that conftest's slow_solves makes last seconds in wall time; a
# generous time limit, so the final answer ends on its gap: the same as a synchronous solve on
# any machine and under any load.
HARD_SCALE, HARD_LIMIT = HARD.fiscal_budget_scale, HARD.time_limit_s
assert HARD.bond_quota_scale == HARD_SCALE
# How long a test's page run waits before it leaves the solve (AppTest's run timeout): a
# slowed solve lasts longer than that after it started, so the run always leaves it mid-way.
LEAVE_AFTER_S = 1.5
assert PAUSE_S >= LEAVE_AFTER_S


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every background solve the page starts (none shared from an earlier test). Final
    answers kept by earlier tests stay kept: a test that needs a scenario solved by the page
    asks for one no earlier test asked for (hard_app), or empties the cache itself."""
    background.cancel_all()  # no solve shared from an earlier test
    started: list[background.Job] = []
    start = background.start

    def recording(*args, **kwargs) -> background.Job:
        started.append(start(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(background, "start", recording)
    yield started
    for job in started:  # none left running for the next test
        job.cancel()


def answer_log(at: AppTest) -> list[str]:
    """What the last run drew as its answer, in order ("provisional" | "final")."""
    log = at.session_state["answer_log"]
    assert [t for _, t, _ in log] == sorted(t for _, t, _ in log)
    return [kind for kind, _, _ in log]


_HARD_EXPECTED: dict[tuple, Future[optimizer.Solution]] = {}


def hard_expected(at: AppTest, beside: ThreadPoolExecutor) -> Future[optimizer.Solution]:
    """The hard scenario's answer as the page must show it: solved near the plan the page
    shows now (a stable plan), synchronously in the `beside` thread, once per such plan."""
    previous = at.session_state["last_feasible"][1]
    key = tuple(sorted(previous.chosen_starts.items()))
    if key not in _HARD_EXPECTED:
        data = optimizer.load_workbook(ROOT / "projects.xlsx")
        _HARD_EXPECTED[key] = beside.submit(solve, data, HARD, reference=previous)
    return _HARD_EXPECTED[key]


# Streamlit keeps final answers as long as the process lives. Each hard page takes a time
# limit of its own (HARD's, then one second more each time, all of them generous: the answer
# still ends on its gap), so that its hard scenario is one no earlier page solved: it is
# solved again without emptying the cache, and the default scenario's kept answer with it.
_HARD_LIMITS = itertools.count(int(HARD_LIMIT))


def hard_app() -> tuple[AppTest, float]:
    """A new page on the default scenario, and a time limit of its own for the hard one."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at, float(next(_HARD_LIMITS))


def settings_at(at: AppTest, scale: float, time_limit_s: float) -> AppTest:
    """Both budgets at `scale` and the time limit, moved at once (run it next)."""
    at.sidebar.number_input(key="time_limit_s").set_value(time_limit_s)
    return budgets_at(at, scale)


def test_a_hard_scenario_shows_a_provisional_answer_then_the_cached_final_one(
    jobs: list, slow_solves: None, beside: ThreadPoolExecutor
) -> None:
    at, limit = hard_app()
    open_tab(at, "shortlist")  # the solving run's own page shows the shortlist checked below
    default_limit = at.sidebar.number_input(key="time_limit_s").value
    # The synchronous solve near the plan the page showed, as the page's own solve is (in a
    # thread beside it); it is proven, so the page's final answer must be exactly it.
    expected = hard_expected(at, beside)
    settings_at(at, HARD_SCALE, limit).run()
    assert not at.exception, [e.value for e in at.exception]
    hard_solution = expected.result()
    assert hard_solution.status.is_proven
    # While the proof went on, the page drew the best portfolio so far, marked provisional;
    # the same run then drew the final answer over it.
    log = answer_log(at)
    assert log[0] == "provisional", log
    assert log[-1] == "final"
    assert log.count("final") == 1
    assert jobs[-1].provisional()[0].provisional is True
    # The final answer is the synchronous solve's, and nothing provisional is left.
    assert at.success[0].value.startswith("Optimal")
    assert reemployed(at) == f"{hard_solution.worker_years:,.0f}"
    assert shortlist_ids(at) == set(hard_solution.chosen_starts)
    assert not [i.value for i in at.info if i.value.startswith("Provisional")]
    assert not [c.value for c in at.caption if c.value.startswith(("Solving", "Proving"))]
    solves = len(jobs)
    # It is cached: back to the scenario later, the same answer at once, with no solve (the
    # default scenario in between was solved before too).
    settings_at(at, 1.0, default_limit).run()
    settings_at(at, HARD_SCALE, limit).run()
    assert len(jobs) == solves
    assert answer_log(at) == ["final"]
    assert reemployed(at) == f"{hard_solution.worker_years:,.0f}"
    assert shortlist_ids(at) == set(hard_solution.chosen_starts)


def test_a_solve_the_page_leaves_is_cancelled_and_a_run_that_comes_back_takes_it_up(
    jobs: list, slow_solves: None, beside: ThreadPoolExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A solve the page leaves stops and is never cached; a rerun for the same scenario
    during the proof (a language switch, a click) does not start the proof again. One page,
    so the hard scenario is proved once for both."""
    at, limit = hard_app()
    open_tab(at, "shortlist")  # the final run's own page shows the shortlist checked below
    expected = hard_expected(at, beside)
    solves = len(jobs)
    # AppTest stops a run that outlasts its timeout the way Streamlit stops one the planner
    # moved on from: an exception raised inside the page's next st call.
    with pytest.raises(RuntimeError, match="timed out"):
        settings_at(at, HARD_SCALE, limit).run(timeout=LEAVE_AFTER_S)
    job = jobs[-1]
    # The solve waits a moment for a run that comes back for it, then stops.
    left = time.perf_counter()
    for thread in job.threads:
        thread.join(background.GRACE_S + 5)
    assert job.stop.is_set()
    assert not job.alive
    # A second and a half for the interrupt to land on a loaded two-core machine; a solve
    # left running would take seconds more.
    assert time.perf_counter() - left < background.GRACE_S + 2.5, "the left solve ran on"
    # The interrupted answer was not kept: the scenario is solved again (left once more
    # during the proof) ... This time the left solve waits longer for a run to come back: the
    # page's rerun that comes back must reach it within the wait, and beside the other test
    # process a rerun once took over the app's second (a CI run saw the proof started again).
    monkeypatch.setattr(background, "GRACE_S", 3 * background.GRACE_S)
    with pytest.raises(RuntimeError, match="timed out"):
        at.run(timeout=LEAVE_AFTER_S)
    assert len(jobs) == solves + 2
    # ... and the run that comes back at once takes up the running solve, to the final answer.
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(jobs) == solves + 2, "the proof was started again"
    assert not jobs[-1].stop.is_set()
    assert answer_log(at)[-1] == "final"
    hard_solution = expected.result()
    assert reemployed(at) == f"{hard_solution.worker_years:,.0f}"
    assert shortlist_ids(at) == set(hard_solution.chosen_starts)
    assert at.sidebar.slider(key="fiscal_budget_scale").value == HARD_SCALE
    assert at.sidebar.slider(key="bond_quota_scale").value == HARD_SCALE
    assert at.sidebar.number_input(key="time_limit_s").value == limit


@pytest.mark.parametrize(
    ("language", "banner"),
    [
        ("en", "Provisional: the best portfolio found so far, within 1.23% of the best"),
        ("zh", "临时结果：目前找到的最好方案，与理论最优之差在求解精度 1.23% 以内"),
    ],
)
def test_a_provisional_answer_says_so_with_its_gap(
    app_solution: optimizer.Solution, language: str, banner: str
) -> None:
    def page(solution, language):  # noqa: ANN001 (run as a script of its own)
        from optimizer.present.labels import Labels
        from optimizer.ui import tabs

        tabs._provisional_headline(Labels(language), solution)

    provisional = dataclasses.replace(
        app_solution,
        gap=0.0123,
        status=optimizer.Status.TIME_LIMIT,
        provisional=True,
    )
    at = AppTest.from_function(page, args=(provisional, language)).run()
    assert not at.exception
    assert at.info[0].value.startswith(banner)
    assert len(at.metric) == 12
    labels = Labels.for_solution(app_solution, language)
    assert at.metric[0].value == views.headline_metrics(app_solution, labels)[0][1]
    assert not at.get("download_button")  # a provisional shortlist is not offered


def test_a_loaded_scenario_keeps_its_name_for_the_shortlist(app: AppTest) -> None:
    # The Excel Summary read "(未命名)" for a named scenario: the sidebar dropped the name.
    named = Scenario(fiscal_budget_scale=1.1, name="预算加一成")
    open_tab(app, "compare")
    app.file_uploader(key="upload_scenario").set_value(
        ("scenario.json", named.to_json().encode(), "application/json")
    ).run()
    assert not app.exception
    _, solution, scenario_json = app.session_state["last_feasible"]
    assert Scenario.from_json(scenario_json).name == "预算加一成"
    assert solution.scenario.name == "预算加一成"  # what export_workbook's Summary shows


def test_a_budget_moved_from_the_default_is_answered_on_its_gap_not_the_clock(
    app: AppTest,
) -> None:
    """Issue 19: the app's time limit (controls.APP_TIME_LIMIT) is a safety net. The sample's
    move from the default scenario to 0.8× of the money ends on the solver's gap, well inside
    it, and says so; the final answer is the one drawn last."""
    assert app.sidebar.number_input(key="time_limit_s").value == controls.APP_TIME_LIMIT
    budgets_at(app, 0.8).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["answer_log"][-1][0] == "final"
    shown = app.session_state["last_feasible"][1]
    assert shown.scenario.fiscal_budget_scale == 0.8
    assert shown.status.is_proven
    assert shown.gap <= shown.scenario.mip_gap + 1e-9
    assert app.success[0].value.startswith("Optimal")
    assert not [w.value for w in app.warning if "time limit" in w.value]


# Last in the file: a first visit empties Streamlit's cache, and every page after it would
# solve the sample again.
def test_a_first_visit_starts_solving_before_the_sidebar_and_the_page_takes_it_up(
    jobs: list,
) -> None:
    """Cold start: the workbook's own scenario is solved from before the controls are drawn,
    and the page's answer is that very solve (not a second one for the same scenario)."""
    st.cache_data.clear()  # a first visit: no answer kept yet
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    answered = [key for key, _ in at.session_state["answers"].items()]
    assert len(answered) == 1
    assert at.session_state["solved_ahead"] == answered[0]
    assert len(jobs) == 1, "the page solved the scenario again"
    assert not jobs[0].stop.is_set()
    assert answer_log(at)[-1] == "final"
    # A rerun of the same page starts nothing ahead (its sidebar is drawn already).
    at.run()
    assert len(jobs) == 1
