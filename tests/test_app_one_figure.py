"""One scenario, one figure (issue 20, items 1 and 2) in the app, driven by AppTest: a
slider moved and moved back shows the same plan, more money never shows fewer
worker-years, forcing a project in never shows a gain, and the headline's change is said
against the base scenario as well as the previous one."""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Iterator

import pytest
from conftest import ROOT, _shared
from helpers import open_tab, smaller_app_analyses
from streamlit.testing.v1 import AppTest

import optimizer
from optimizer import Scenario, background, pipeline
from optimizer.session import AppState
from optimizer.ui import tabs

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def keep_main_module() -> Iterator[None]:
    """Streamlit's script runner leaves app.py as sys.modules["__main__"]: put it back."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> optimizer.Solution:
    """The answer on the page (the last plan that met every limit is the one shown)."""
    return at.session_state["last_feasible"][1]


def worker_years(at: AppTest) -> float:
    return float(at.metric[0].value.replace(",", ""))


def move(at: AppTest, key: str, value: object) -> AppTest:
    at.sidebar.slider(key=key).set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_slider_moved_and_moved_back_shows_the_same_plan(app: AppTest) -> None:
    first = shown(app)
    for value in (1.2, 0.8):
        move(app, "fiscal_budget_scale", value)
        move(app, "fiscal_budget_scale", 1.0)
        assert shown(app).chosen_starts == first.chosen_starts
        assert worker_years(app) == pytest.approx(first.worker_years, abs=0.5)


def test_more_money_never_shows_fewer_worker_years(app: AppTest) -> None:
    base = shown(app)
    move(app, "fiscal_budget_scale", 1.5)
    richer = shown(app)
    assert richer.objective >= base.objective - 1e-6 * abs(base.objective)
    assert worker_years(app) >= round(base.worker_years)
    # The headline says its change against the previous scenario and the base one.
    line = next(c.value for c in app.caption if "since the base scenario" in c.value)
    assert "since the previous scenario" in line
    assert "Against the previous plan:" in " ".join(c.value for c in app.caption)
    # Down then up again past the base: the richer answer still never shows less. (Down to
    # 0.8, not further: the point is the way back up, and 0.8 is answered in a second where
    # 0.5 near the richer plan is a hard point of several.)
    move(app, "fiscal_budget_scale", 0.8)
    move(app, "fiscal_budget_scale", 1.3)
    assert shown(app).objective >= base.objective - 1e-6 * abs(base.objective)


def test_forcing_a_project_in_never_shows_a_gain(app: AppTest) -> None:
    base = shown(app)
    left_out = base.not_chosen
    candidates = left_out.loc[left_out["reason_code"] == "objective", "project_id"].tolist()
    for pid in candidates[:3]:
        app.sidebar.selectbox(key="forced_in_pick").set_value(pid).run()
        assert not app.exception, [e.value for e in app.exception]
    forced = shown(app)
    assert set(candidates[:3]) <= set(forced.chosen_starts)
    # The base scenario's answer as the session now holds it (it adopts a better plan).
    answers = dict(app.session_state["answers"].items())
    base_now = next(s for s in answers.values() if s.scenario == base.scenario)
    assert forced.objective <= base_now.objective + 1e-9 * abs(base_now.objective)


@pytest.fixture(scope="module")
def tighter(sample: optimizer.PlanningData) -> optimizer.Solution:
    """The sample with 3 % less fiscal budget, solved once for the module's three tests of
    adoption (conftest checks that none changes it)."""
    return _shared("tighter", optimizer.solve(sample, Scenario(fiscal_budget_scale=0.97)))


def test_a_looser_scenario_adopts_a_tighter_ones_better_plan(
    sample: optimizer.PlanningData,
    sample_solution: optimizer.Solution,
    tighter: optimizer.Solution,
) -> None:
    """The rule behind the app's forcing: a plan that fits a looser scenario and beats its
    answer is found (`beaten`), and re-solving the looser one near it never shows less."""
    worse, tighter_scenario = tighter, tighter.scenario
    assert pipeline.loosens(sample, Scenario(), tighter_scenario)
    assert not pipeline.loosens(sample, tighter_scenario, Scenario())
    # An answer of the base scenario made worse on purpose: the tighter answer beats it.
    weak = dataclasses.replace(sample_solution, objective=worse.objective - 1.0)
    assert pipeline.beaten(sample, worse, [weak]) == [weak]
    assert pipeline.beaten(sample, worse, [sample_solution]) == (
        [sample_solution] if worse.objective > sample_solution.objective else []
    )
    adopted = optimizer.solve(sample, Scenario(), reference=worse)
    assert adopted.objective >= worse.objective - 1e-6 * abs(worse.objective)
    # The answer a richer scenario starts near: the best known answer whose plan fits it.
    assert pipeline.start_near(sample, Scenario(), [worse, weak], None) is worse
    assert pipeline.start_near(sample, tighter_scenario, [sample_solution], weak) is weak


def _never_falls(values: list[float]) -> bool:
    # To rounding: the trainees' tie-break (1e-6 each) moves figures by far less than this.
    return all(b >= a - 1e-6 * abs(a) for a, b in zip(values, values[1:], strict=False))


def test_the_frontier_the_headline_and_the_compare_tab_show_one_figure(app: AppTest) -> None:
    """The frontier's current point is the headline's answer; where a point with less money
    showed more, the scenario adopts that plan, and the headline and the saved scenario in
    the compare tab show the adopted figure too."""
    before = shown(app)
    open_tab(app, "compare").text_input(key="save_name").set_value("base").run()
    app.button(key="save_scenario").click().run()
    open_tab(app, "tradeoffs")
    # 0, 0.4, 0.8, 1.2, 1.6, 2.0 and the scenario's 1.0: the sample's search at 0.8 finds a
    # plan that shows more than the headline's own (each stops within its gap).
    app.slider(key="frontier_points").set_value(6)
    app.select_slider(key="analysis_gap").set_value(0.01)
    app.button(key="run_frontier").click().run()
    assert not app.exception, [e.value for e in app.exception]
    kept = [v for k, v in app.session_state["analyses"].items() if k[0] == "frontier"]
    assert len(kept) == 1
    table = kept[0]
    solved = table.dropna(subset=["worker_years"])  # the points with a portfolio
    assert _never_falls(solved["worker_years"].tolist()), solved[["setting", "worker_years"]]
    here = table[table["current"]].iloc[0]
    headline = shown(app)
    assert here["worker_years"] == headline.worker_years
    assert worker_years(app) == round(headline.worker_years)
    assert bool(here["adopted"]) == headline.adopted
    captions = " ".join(c.value for c in app.caption)
    open_tab(app, "compare")
    captions += " ".join(c.value for c in app.caption)
    compared = next(f.value for f in app.dataframe if "base" in f.value.columns)
    # The sample's solves end on their gap or a node limit: the same on every machine.
    assert headline.adopted
    assert headline.worker_years > before.worker_years
    assert headline.scenario == before.scenario
    assert "This answer takes the plan found for a scenario with less money" in captions
    assert "base took a better plan after being saved" in captions
    assert compared["base"].tolist() == compared["current"].tolist()


def test_the_heat_map_marks_the_headline_itself(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The heat map's current cell is the headline's own answer (issue 20, item 4)."""
    # 3 × 3 settings, not the page's 5 × 5: the current cell is marked by the same code.
    smaller_app_analyses(monkeypatch, grid=(3, 3), draws=None)
    open_tab(app, "tradeoffs")
    app.select_slider(key="analysis_gap").set_value(0.02)
    app.button(key="run_grid").click().run()
    assert not app.exception, [e.value for e in app.exception]
    kept = [v for k, v in app.session_state["analyses"].items() if k[0] == "grid"]
    assert len(kept) == 1
    here = kept[0][kept[0]["current"]]
    assert len(here) == 1
    headline = shown(app)
    assert here["worker_years"].iloc[0] == headline.worker_years
    assert here["objective"].iloc[0] == headline.objective
    assert bool(here["adopted"].iloc[0]) == headline.adopted


def test_adoption_in_the_page_is_bounded_and_never_shows_a_cut_short_answer(
    sample: optimizer.PlanningData,
    sample_solution: optimizer.Solution,
    tighter: optimizer.Solution,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A looser scenario's re-solve near a better plan has ADOPTION_S at most, and one cut
    short leaves the looser answer as it was."""
    weak = dataclasses.replace(sample_solution, objective=tighter.objective - 1.0)

    def session() -> tuple[AppState, tuple[str, str]]:
        state = AppState({})
        state.answers.put((weak.fingerprint, weak.scenario.to_json()), weak)
        return state, (tighter.fingerprint, tighter.scenario.to_json())

    state, key = session()
    started = time.perf_counter()
    tabs._one_plan_each(state, sample, key, tighter)
    took = time.perf_counter() - started
    assert took < tabs.ADOPTION_S + 2 * pipeline.DEADLINE_GRACE_S + 1.0
    now = state.as_now(weak)
    assert now is not weak
    assert now.adopted
    assert now.objective >= tighter.objective - 1e-6 * abs(tighter.objective)

    monkeypatch.setattr(tabs, "ADOPTION_S", 0.0)
    state, key = session()
    tabs._one_plan_each(state, sample, key, tighter)
    assert state.as_now(weak) is weak


class _Moved(Exception):
    """What Streamlit raises inside an st call when the planner moves a widget."""


def test_adoption_stops_when_the_planner_moves_on(
    sample: optimizer.PlanningData,
    sample_solution: optimizer.Solution,
    tighter: optimizer.Solution,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 20: the adoption's re-solve ran in the page's thread, where a widget moved could
    not stop it. It runs in a background job now, and the run's wait is where Streamlit
    interrupts it: the re-solve is cancelled at once and nothing is adopted."""
    weak = dataclasses.replace(sample_solution, objective=tighter.objective - 1.0)
    state = AppState({})
    state.answers.put((weak.fingerprint, weak.scenario.to_json()), weak)
    key = (tighter.fingerprint, tighter.scenario.to_json())
    started: list[background.Job] = []
    real_start = background.start

    def watched_start(*args, **kwargs) -> background.Job:
        started.append(real_start(*args, **kwargs))
        return started[-1]

    class Placeholder:
        def empty(self) -> None:
            raise _Moved

    monkeypatch.setattr(tabs.background, "start", watched_start)
    monkeypatch.setattr(tabs.st, "empty", Placeholder)
    began = time.perf_counter()
    with pytest.raises(_Moved):
        tabs._one_plan_each(state, sample, key, tighter)
    assert len(started) == 1
    job = started[0]
    assert job.stop.is_set()
    for thread in job.threads:
        thread.join(10.0)
    assert not job.alive
    # Stopped well before the re-solve's own ADOPTION_S would have ended it.
    assert time.perf_counter() - began < tabs.ADOPTION_S
    assert state.as_now(weak) is weak
    assert tighter.objective > weak.objective  # so there was something to adopt
