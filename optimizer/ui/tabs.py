"""The page below the sidebar: the headline, then one function per tab.

Each function places what optimizer.present.views computes; a notebook can call the same views.
"""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from .. import background, controls, pipeline, tradeoffs
from ..batch import AnalysisError
from ..controls import ANALYSIS_GAP, ANALYSIS_GAPS, APP_TIME_LIMIT, CONTROLS
from ..limit_values import VALUE_GAP, limit_values
from ..loader import PlanningData
from ..precision import solve_difference
from ..present import views
from ..present.export import read_saved_scenario
from ..present.labels import Labels
from ..scenario import Scenario, ScenarioError, read_scenario_json
from ..schema import SECTORS
from ..session import AppState
from ..solution import Changes, Solution


@dataclass
class Page:
    """What every tab needs: the data, the result, the words and the session."""

    data: PlanningData
    solution: Solution
    scenario: Scenario
    scenario_json: str
    labels: Labels
    state: AppState
    time_limit: float

    @property
    def key(self) -> tuple[str, str]:
        return (self.data.fingerprint, self.scenario_json)

    def analysis(self, kind: str) -> Any:
        return self.analyses_reader()(kind)

    def analyses_reader(self) -> Callable[[str], Any]:
        """This page's analyses read later, outside the script's run (a deferred download),
        where the session state reads empty: the session's store is taken now, so an
        analysis run after this in the tabs is read too."""
        store, key = self.state.analyses, self.key
        return lambda kind: store.get((kind, *key))

    def keep(self, kind: str, result: Any) -> Any:
        return self.state.analyses.put((kind, *self.key), result)


def table(frame: pd.DataFrame, labels: Labels | None = None, **extra: Any) -> None:
    """A table as a planner reads it: numbers with thousands separators, shares and the
    solver's precision as percentages, an empty cell as a dash (not "None"), no index."""
    percent = set()
    if labels is not None:
        percent = {labels.column(k) for k in PERCENT_COLUMNS}
    config = {}
    for column in frame.columns:
        if column in percent:
            config[column] = st.column_config.NumberColumn(format="percent")
        elif pd.api.types.is_float_dtype(frame[column]):
            config[column] = st.column_config.NumberColumn(format="localized")
    st.dataframe(
        frame, hide_index=True, width="stretch", column_config=config, placeholder="—", **extra
    )


PERCENT_COLUMNS = (
    "gap",
    "skill_match",
    "coverage",
    "share",
    "use_share",
    "frequency",
    "jobless_share",
)


# ---------------------------------------------------------------------------- headline


def infeasible(labels: Labels, conflicts, failure, moved: list[str] | None = None) -> None:
    """No result: the diagnosis (which limits to move, by how much, and whether one move or
    all together) or the solver's error. labels: the page's, with the workbook's city names.
    moved: the inputs changed since the last plan that met every limit, in words."""
    if conflicts is None:
        st.error(labels("solver_error", message=labels.error_words(failure)))
        return
    if moved:
        st.error(labels("infeasible_after", inputs=labels.list_of(moved)))
    else:
        st.error(labels("infeasible"))
    st.markdown(views.conflicts_together(conflicts, labels))
    for message in views.conflict_lines(conflicts, labels):
        st.markdown(f"- {message}")
    table(views.conflicts_table(conflicts, labels), labels)


# How long the page waits for the final answer before it shows the best portfolio found so
# far (marked provisional), and how often it looks again while it waits.
PROVISIONAL_AFTER_S = 0.4
POLL_S = 0.1


def solve_ahead(
    state: AppState, data: PlanningData, kept: Callable[..., background.Result]
) -> tuple[str, str] | None:
    """Start solving the sidebar's scenario before the sidebar is drawn, when it is known
    already (the workbook's own settings, on a first visit): `answer` takes the running solve
    up (background.attach shares it by workbook and scenario), so a cold start's first
    headline does not wait for the controls to be drawn. Returns the key started, None when
    nothing was (an answer kept already, settings the scenario refuses: `answer` and the
    sidebar deal with those as always)."""
    try:
        scenario_json = controls.scenario_from(data, state.defaults).resolved(data).to_json()
    except (ScenarioError, ValueError):
        return None
    key = (data.fingerprint, scenario_json)
    if state.answers.get(key) is not None:
        return None
    try:
        kept(*key)
        return None
    except background.NotSolved:
        pass
    # No plan of this workbook is known yet: the solve starts near none, as `answer`'s would.
    background.attach(data, Scenario.from_json(scenario_json), key)
    state.set("solved_ahead", key)
    return key


def answer(
    state: AppState,
    labels: Labels,
    data: PlanningData,
    scenario_json: str,
    kept: Callable[..., background.Result],
) -> tuple[background.Result, Any]:
    """(solution, conflicts, failure) for the scenario, and the place for its headline.

    `kept(fingerprint, scenario_json)` is the final answer kept from an earlier visit (it
    raises background.NotSolved when there is none); `kept(fingerprint, scenario_json,
    answer)` keeps one. Otherwise the scenario is solved in a background thread while this
    run waits: after PROVISIONAL_AFTER_S the best portfolio found so far is shown, marked
    provisional with its gap, in the headline's place, and the caller draws the final page
    over it. The wait is the run's own (no fragment, no rerun from the server): a widget
    moved meanwhile interrupts this run inside one of its st calls, and the solve with it.
    """
    status, slot = st.empty(), st.empty()
    shown = state.new_answer_log()
    key = (data.fingerprint, scenario_json)
    try:
        own = state.answers.get(key)  # this session's plan for it, adopted ones included
        result = (own, None, None) if own is not None else kept(data.fingerprint, scenario_json)
    except background.NotSolved:
        drawn = {"reports": 0, "gap": None}

        def show(job: background.Job) -> None:
            seconds = f"{job.seconds:.1f}"
            if job.seconds >= PROVISIONAL_AFTER_S:
                solution, reports = job.provisional()
                if solution is not None and reports != drawn["reports"]:
                    drawn["reports"], drawn["gap"] = reports, solution.gap
                    with slot.container():
                        _provisional_headline(labels, solution)
                    shown.append(("provisional", time.perf_counter(), solution.worker_years))
            if drawn["gap"] is None:
                status.caption(labels("solving", seconds=seconds))
            else:
                status.caption(labels("proving", seconds=seconds, gap=f"{drawn['gap']:.2%}"))

        scenario = Scenario.from_json(scenario_json)
        known = [solution for _, solution in state.answers.items()]
        last = state.get("last_feasible")
        previous = last[1] if last is not None and last[0] == data.fingerprint else None
        reference = pipeline.start_near(data, scenario, known, previous)
        job = background.attach(data, scenario, key, reference)
        # The final answer is kept before anything is drawn: a rerun asked for meanwhile
        # stops this run at its next st call, and the answer is not lost with it.
        answer = background.wait(job, show, POLL_S, grace_s=background.GRACE_S)
        result = kept(data.fingerprint, scenario_json, answer)
    status.empty()
    if result[0] is None:  # no portfolio: nothing provisional may stay on the page
        slot.empty()
    else:
        _one_plan_each(state, data, key, result[0])
    return result, slot


# At most this long for a looser scenario's re-solve near a better plan (the sample's takes
# one to two seconds). It runs in a background job while the page waits: a widget moved
# meanwhile stops it, as it stops the scenario's own solve.
ADOPTION_S = 5.0


def _one_plan_each(
    state: AppState, data: PlanningData, key: tuple[str, str], solution: Solution
) -> None:
    """Keep the answer as this session's for its scenario, and let every kept answer of a
    looser scenario that it beats adopt its plan (re-solved near it), so that a tighter
    scenario never shows a gain over a looser one. The re-solves run in the background while
    this run waits (drawing nothing), so the planner moving on stops them at once; one cut
    short adopts nothing."""
    answers = state.answers
    answers.put(key, solution)
    known = [s for _, s in answers.items()]
    beaten = pipeline.beaten(data, solution, known)
    # Where the wait makes its st call: Streamlit stops a run the planner left there.
    idle = st.empty() if beaten else None
    for looser in beaten:
        where = (looser.fingerprint, looser.scenario.to_json())
        job = background.start(
            data,
            looser.scenario,
            solution,
            deadline=time.monotonic() + ADOPTION_S,
            watch=False,
        )
        try:
            adopted, _, _ = background.wait(job, lambda _job: idle.empty(), POLL_S)
        except ValueError:
            continue  # the looser answer stays as it was: nothing is shown wrongly
        if adopted is None:
            continue
        # A search cut short by the bound may state a wider gap: then nothing is adopted.
        stated = max(float(looser.scenario.mip_gap), looser.gap or 0.0)
        if adopted.gap is None or adopted.gap > stated + 1e-12:
            continue
        if adopted.objective > looser.objective:
            adopted = dataclasses.replace(adopted, adopted=True)
            for k, s in answers.items():
                if s is looser:
                    where = k
            answers.put(where, adopted)
    answers.get(key)  # the answer shown stays the most recent


def _metrics(labels: Labels, solution: Solution, previous: Solution | None) -> None:
    """The twelve headline figures, the stated assumption under them (worker-years re-employed
    and the peak against the previous scenario, or "within solver precision" when the change
    is smaller than the two solves' precision)."""
    # Figures in rows of four: a value a little smaller than Streamlit's default, so
    # "1,008 / 2,083 / 2,251" and "55.52 万人年" are not cut off.
    st.html("<style>[data-testid='stMetricValue'] {font-size: 1.6rem;}</style>")
    metrics = views.headline_metrics(solution, labels)
    columns = [c for _ in range(0, len(metrics), 4) for c in st.columns(4)]
    for k, (column, (label, value, _number, help_text)) in enumerate(
        zip(columns, metrics, strict=True)
    ):
        delta, colour, arrow = None, "normal", "auto"
        if previous is not None and k in views.HEADLINE_COMPARED:
            measure, unit = views.HEADLINE_COMPARED[k]
            change = solve_difference(solution, previous, measure)
            if change.within_precision or round(change.value):
                delta = labels.difference(change, labels(unit))
            if change.within_precision:
                colour, arrow = "off", "off"
        if delta:
            help_text = f"{help_text or label}\n\n{labels('vs_previous')}: {delta}"
        column.metric(label, value, delta, delta_color=colour, delta_arrow=arrow, help=help_text)
    st.caption(labels("worker_years_v3_help"))


def _base_answer(page: Page) -> Solution | None:
    """This session's answer for the base scenario (the workbook's own settings), None when
    it was not solved here or is the answer shown."""
    # The workbook's settings under the page's time limit (a run setting, not a scenario's).
    values = {**controls.controls_from(page.data), "time_limit_s": page.time_limit}
    base = controls.scenario_from(page.data, values)
    key = (page.data.fingerprint, base.resolved(page.data).to_json())
    if key == page.key:
        return None
    return page.state.answers.get(key)


def _changes_line(page: Page, previous: Solution | None) -> None:
    """The headline's change against the previous scenario and the base one, in one line,
    and what moved in the plan against the one it started near."""
    labels, solution = page.labels, page.solution
    base = _base_answer(page)
    unit = labels("worker_years_unit")

    def words(before: Solution | None) -> str:
        if before is None:
            return "—"
        return labels.difference(solve_difference(solution, before, "worker_years"), unit)

    if previous is not None or base is not None:
        st.caption(labels("vs_both", previous=words(previous), base=words(base)))
    if previous is not None:
        changes = Changes.between(previous.chosen_starts, solution.chosen_starts)
        st.caption(
            labels(
                "plan_changes",
                entered=len(changes.entered),
                left=len(changes.left),
                moved=len(changes.moved),
            )
        )


def _provisional_headline(labels: Labels, solution: Solution) -> None:
    """The best portfolio so far: its figures under a banner that says so, with its gap. It
    is neither compared nor remembered, and offers no download: only final answers are."""
    st.info(labels("provisional", gap=f"{solution.gap:.2%}"))
    _metrics(labels, solution, None)


def headline(page: Page, shortlist: Callable[[], bytes]) -> None:
    """The banner, eight figures and the Excel download of the final answer."""
    labels, solution = page.labels, page.solution
    kind, message = views.status_message(solution, labels)
    (st.success if kind == "success" else st.warning)(message)
    previous = page.state.headline_change(page.scenario_json, solution)
    _metrics(labels, solution, previous)
    _changes_line(page, previous)
    if solution.adopted:
        st.caption(labels("adopted_plan"))
    st.download_button(
        labels("download_excel"),
        shortlist,
        "shortlist.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="download_excel",
        type="primary",
    )
    page.state.answer_log.append(("final", time.perf_counter(), solution.worker_years))


# ---------------------------------------------------------------------------- tabs

# The tabs by code, in their order; each one's name is the label "tab_<code>".
TABS = ("result", "map", "tradeoffs", "compare", "shortlist")
# Only the open tab's content runs, so the others' widgets are not drawn on most runs: their
# values are kept for the session (Streamlit would otherwise drop a widget not drawn).
KEEP = "session"


def open_tab(state: AppState, labels: Labels) -> tuple[str, Any]:
    """Draw the tab bar and return the open tab's code and its container; the caller draws
    only that tab's content (a click on another tab reruns the fragment `tab_bar`).

    The open tab is kept by code in the session ("open_tab"), not only by its name (the
    widget's value, "tabs"): a language switch renames the tabs, which makes them a new
    widget, and the kept code opens the same tab under its new name. No `default=`: it is
    part of the widget's identity, and a default that followed the open tab would make a
    new widget after every switch, which drops a click sent for the one the browser shows."""
    names = [labels(f"tab_{code}") for code in TABS]
    kept = state.get("open_tab", TABS[0])
    if state.get("tabs") not in names:  # a first visit, or the names of another language
        state.set("tabs", names[TABS.index(kept)])
    containers = st.tabs(names, key="tabs", on_change="rerun")
    for code, container in zip(TABS, containers, strict=True):
        if container.open:
            state.set("open_tab", code)
            return code, container
    return kept, containers[TABS.index(kept)]  # not reached: a stateful bar has one open


@st.fragment
def tab_bar(page: Page, map_figure: Callable[[], go.Figure]) -> None:
    """The tab bar and the open tab's content, a fragment: a tab click, or a widget moved in
    a tab, reruns only this (with the page of the last full run), not the sidebar, the solve
    and the headline. What a tab changes outside it asks for a full run (`st.rerun(scope=
    "app")`): an analysis that adopted a better plan (the headline's), a scenario loaded (the
    sidebar's controls). Saving a scenario and an analysis's results change only the tabs;
    the headline's Excel download reads the analyses when it is clicked."""
    code, container = open_tab(page.state, page.labels)
    with container:
        draw_tab(code, page, map_figure)


def draw_tab(code: str, page: Page, map_figure: Callable[[], go.Figure]) -> None:
    """The content of the tab `code`. map_figure: the map, drawn (or taken from a cache) only
    when its tab is open."""
    if code == "map":
        map_tab(page, map_figure())
    else:
        {
            "result": result_tab,
            "tradeoffs": tradeoffs_tab,
            "compare": compare_tab,
            "shortlist": shortlist_tab,
        }[code](page)


def result_tab(page: Page) -> None:
    labels, solution = page.labels, page.solution
    st.plotly_chart(views.reemployment_year_figure(solution, labels), width="stretch")
    left, right = st.columns(2)
    left.plotly_chart(views.year_figure(solution, labels), width="stretch")
    right.plotly_chart(views.sector_figure(solution, labels), width="stretch")
    left.plotly_chart(views.city_figure(solution, labels), width="stretch")
    right.plotly_chart(views.ppp_figure(solution, labels), width="stretch")
    notes = views.ppp_notes(solution, labels)
    if notes:
        right.caption(labels("ppp_notes"))
        right.markdown("\n".join(f"- {note}" for note in notes))
    _version_3_figures(page)
    st.subheader(labels("used_up"))
    table(views.limits_table(solution, labels), labels)


def _version_3_figures(page: Page) -> None:
    """Training, the pace of layoffs, close monitoring, construction against lasting jobs,
    public money per worker-year and the jobless at the end (docs/model.md)."""
    labels, solution = page.labels, page.solution
    h = solution.headline()
    left, right = st.columns(2)
    with left:
        st.subheader(labels("trainees_title"))
        trained = views.training_table(solution, labels)
        if trained.empty:
            st.info(labels("no_training"))
        else:
            table(trained, labels)
    with right:
        st.subheader(labels("layoff_pace"))
        st.caption(labels("layoff_pace_help"))
        table(views.layoff_pace_table(solution, labels), labels, height=300)
    left, right = st.columns(2)
    with left:
        st.subheader(labels("monitoring"))
        # The solved scenario is resolved: every setting has its value.
        share = views.share(solution.scenario.monitoring_share or 0.0)
        st.caption(labels("monitoring_help", share=share))
        monitored = views.monitoring_table(solution, labels)
        if monitored.empty:
            st.info(labels("no_monitoring"))
        else:
            table(monitored, labels)
    with right:
        st.plotly_chart(views.lasting_figure(solution, labels), width="stretch")
        st.caption(
            labels(
                "lasting_help",
                construction=labels.worker_years(h["construction_worker_years"]),
                operating=labels.worker_years(h["operating_worker_years"]),
            )
        )
    left, right = st.columns(2)
    with left:
        st.subheader(labels("public_money_per_worker_year"))
        table(views.public_money_table(solution, labels), labels)
    with right:
        st.subheader(labels("jobless_at_end"))
        table(views.jobless_at_end_table(solution, labels), labels)


def map_tab(page: Page, figure: go.Figure) -> None:
    st.plotly_chart(figure, width="stretch")


def _progress() -> Callable[[int, int], None]:
    bar = st.progress(0.0)
    return lambda done, total: bar.progress(done / max(total, 1), text=f"{done} / {total}")


def _refused(labels: Labels, run: Callable[[], Any]) -> Any:
    """An analysis's result, or None after saying in the page's language why it refused
    (an AnalysisError: the plan on the page could not be re-solved, settings out of range)."""
    try:
        return run()
    except AnalysisError as error:
        st.error(labels("analysis_refused", message=labels.error_words(error)))
        return None


def _run_marked(
    page: Page, name: str, run: Callable[[Callable[[Solution], None]], Any]
) -> None:
    """Run an analysis that marks the headline's point (the frontier, the heat map) and keep
    it; if it adopted a better plan for the page's scenario, the headline takes that plan, so
    both show one figure."""
    adopted: list[Solution] = []
    result = _refused(page.labels, lambda: run(adopted.append))
    if result is not None:
        page.keep(name, result)
    if adopted:
        _one_plan_each(page.state, page.data, page.key, adopted[-1])
        st.rerun(scope="app")  # the headline shows the adopted plan


def _slider(labels: Labels, key: str, container: Any = st) -> float:
    c = CONTROLS[key]
    return container.slider(
        labels(c.label), c.low, c.high, c.default, c.step, key=key, persist_state=KEEP
    )


def tradeoffs_tab(page: Page) -> None:
    labels, data, scenario, language = page.labels, page.data, page.scenario, page.labels.language
    st.subheader(labels("frontier"))
    a, b, c = st.columns(3)
    lever = a.selectbox(
        labels("lever"),
        list(tradeoffs.LEVERS),
        format_func=labels.lever,
        key=f"frontier_lever_{language}",
        persist_state=KEEP,
    )
    points = _slider(labels, "frontier_points", b)
    gap = c.select_slider(
        labels("analysis_gap"),
        list(ANALYSIS_GAPS),
        ANALYSIS_GAP,
        key="analysis_gap",
        format_func=lambda v: f"{v:.1%}",
        persist_state=KEEP,
    )

    # Every analysis: the chosen precision, and at most APP_TIME_LIMIT a solve.
    def options() -> tradeoffs.RunOptions:
        return tradeoffs.RunOptions(
            progress=_progress(), mip_gap=gap, time_limit_s=min(page.time_limit, APP_TIME_LIMIT)
        )

    if st.button(labels("run_frontier"), key="run_frontier"):
        # Its point at the scenario's setting is the headline's own solve, or the plan it
        # adopted from a point with less of the lever that showed more.
        _run_marked(
            page,
            "frontier",
            lambda on_adopted: tradeoffs.frontier(
                data,
                scenario,
                lever,
                points,
                options=options(),
                current=page.solution,
                on_adopted=on_adopted,
            ),
        )
    frontier = page.analysis("frontier")
    if frontier is not None:
        st.info(views.frontier_sentence(frontier, labels))
        st.plotly_chart(views.frontier_figure(frontier, labels), width="stretch")
        table(views.frontier_table(frontier, labels), labels)

    st.subheader(labels("grid"))
    a, b = st.columns(2)
    levers = list(tradeoffs.LEVERS)
    lever_x = a.selectbox(
        labels("lever_x"), levers, 0, labels.lever, key=f"grid_x_{language}", persist_state=KEEP
    )
    lever_y = b.selectbox(
        labels("lever_y"), levers, 1, labels.lever, key=f"grid_y_{language}", persist_state=KEEP
    )
    if st.button(labels("run_grid"), key="run_grid", disabled=lever_x == lever_y):
        # Its marked cell is the headline's own solve, or the plan it adopted.
        _run_marked(
            page,
            "grid",
            lambda on_adopted: tradeoffs.frontier_grid(
                data,
                scenario,
                (lever_x, lever_y),
                (5, 5),
                options=options(),
                current=page.solution,
                on_adopted=on_adopted,
            ),
        )
    grid = page.analysis("grid")
    if grid is not None:
        st.info(views.grid_sentence(grid, labels))
        st.plotly_chart(views.grid_figure(grid, labels), width="stretch")

    st.subheader(labels("break_even"))
    if st.button(labels("run_break_even"), key="run_break_even"):
        entries = _refused(
            labels,
            lambda: tradeoffs.break_even(
                data, scenario, include_chosen=False, options=options(), current=page.solution
            ),
        )
        if entries is not None:
            page.keep("break_even", entries)
    break_even = page.analysis("break_even")
    if break_even is not None:
        st.info(views.entry_sentence(break_even, page.solution, labels))
        st.caption(labels("break_even_note"))
        table(views.break_even_table(break_even, page.solution, labels), labels)

    _limit_values_section(page)

    st.subheader(labels("robustness"))
    a, b, c, d = st.columns(4)
    draws = _slider(labels, "draws", a)
    spread = _slider(labels, "spread", b)
    overrun = _slider(labels, "overrun", c)
    rate_spread = _slider(labels, "rate_spread", d)
    if st.button(labels("run_robustness"), key="run_robustness"):
        drawn = _refused(
            labels,
            lambda: tradeoffs.robustness(
                data,
                scenario,
                draws=draws,
                spread=spread,
                overrun=overrun,
                rate_spread=rate_spread,
                options=options(),
            ),
        )
        if drawn is not None:
            page.keep("robustness", drawn)
    result = page.analysis("robustness")
    if result is not None:
        st.info("\n\n".join(views.robustness_sentences(result, page.solution, labels)))
        table(views.robustness_table(result, labels), labels)
        st.plotly_chart(views.robustness_figure(result, labels), width="stretch")
        st.caption(labels("robust_table"))
        table(views.robustness_projects(result, labels), labels)


def _limit_values_section(page: Page) -> None:
    """What 10 % more of each limit buys, from the plan on the page: one table and one
    chart, ranked. Its own precision (VALUE_GAP), not the analyses' slider: at
    the slider's precision no limit could be told to bind."""
    labels = page.labels
    st.subheader(labels("limit_values"))
    if st.button(labels("run_limit_values"), key="run_limit_values"):
        options = tradeoffs.RunOptions(
            progress=_progress(), time_limit_s=min(page.time_limit, APP_TIME_LIMIT)
        )
        values = _refused(
            labels,
            lambda: limit_values(page.data, page.scenario, current=page.solution, options=options),
        )
        if values is None:
            return
        page.keep("limit_values", values)
    values = page.analysis("limit_values")
    if values is None:
        return
    tolerance = float(values["tolerance"].median()) if len(values) else 0.0
    st.caption(
        labels(
            "limit_values_note",
            gap=f"{VALUE_GAP:.2%}",
            tolerance=f"{tolerance:,.0f}",
        )
    )
    note = views.limit_values_family_note(values, labels)
    if note:
        st.caption(note)
    st.plotly_chart(views.limit_values_figure(values, labels), width="stretch")
    table(views.limit_values_table(values, labels), labels)


def replay_note(state: AppState, data: PlanningData, labels: Labels) -> None:
    """Above every answer, while the workbook is the one it was loaded on: the scenario
    file came from another workbook (its budgets by year are that one's)."""
    fingerprint, note = state.get("replay_note") or (None, None)
    if note and fingerprint == data.fingerprint:
        st.warning(labels.note(note))


def compare_tab(page: Page) -> None:
    labels, state, solution = page.labels, page.state, page.solution
    saved = state.saved
    a, b = st.columns([3, 1])
    name = a.text_input(
        labels("save_as"),
        value=f"{labels('scenario_name')} {len(saved) + 1}",
        key="save_name",
        persist_state=KEEP,
    )
    if b.button(labels("save"), key="save_scenario"):
        state.save(name, solution)
    if saved:
        # One scenario, one figure: a saved scenario shows the session's answer for it now.
        saved = {name: state.as_now(s) for name, s in state.saved.items()}
        refreshed = [name for name, s in state.saved.items() if saved[name] is not s]
        if refreshed:
            names = ("、" if labels.zh else ", ").join(refreshed)
            st.caption(labels("compare_adopted", names=names))
        shown = views.compare_shown({**saved, labels("current"): solution}, labels)
        item = labels.column("item")
        st.dataframe(
            shown.rename_axis(item).reset_index(),
            hide_index=True,
            width="stretch",
            column_config={item: st.column_config.TextColumn(width="large")},
        )
        other = st.selectbox(
            labels("compare_with"), list(saved), key="compare_with", persist_state=KEEP
        )
        before = saved[other]
        for label, measure, unit in (
            (labels("worker_years"), "worker_years", "worker_years_unit"),
            (labels("reemployed"), "reemployed_peak", "persons"),
        ):
            change = solve_difference(solution, before, measure)
            unit_words = labels(unit)
            words = labels.difference(change, unit_words)
            st.markdown(labels("compare_line", label=label, other=other, change=words))
        st.caption(labels("inputs_differ"))
        inputs = views.inputs_differ(before, solution, labels, page.data)
        if inputs.empty:
            st.info(labels("inputs_same"))
        else:
            inputs.columns = [labels("input"), other, labels("current")]
            st.dataframe(inputs, hide_index=True, width="stretch")
        changes = views.portfolio_changes(before, solution, labels)
        if changes.empty:
            st.info(labels("no_change"))
        else:
            st.dataframe(changes, hide_index=True, width="stretch")
    else:
        st.info(labels("saved_none"))
    st.download_button(
        labels("download_scenario"),
        page.scenario_json,
        "scenario.json",
        mime="application/json",
        on_click="ignore",
        key="download_scenario",
    )
    loaded = st.file_uploader(
        labels("upload_scenario"), type=["json", "xlsx"], key="upload_scenario"
    )
    if loaded is not None and state.get("loaded_scenario") != loaded.file_id:
        try:
            content = loaded.getvalue()
            if content[:2] == b"PK":  # an Excel shortlist: its Scenario sheet
                try:
                    saved = read_saved_scenario(io.BytesIO(content))
                except ScenarioError:
                    raise
                except Exception as exc:  # openpyxl and json raise many kinds
                    raise ScenarioError(
                        f"{loaded.name} is a workbook without a readable Scenario sheet ({exc})",
                        "no_scenario_sheet",
                        {"path": loaded.name, "reason": str(exc)},
                    ) from None
            else:
                saved = read_scenario_json(content.decode("utf-8-sig"))
            pending = saved.scenario
            pending.check_against(page.data)
            # Made from another workbook: loaded all the same (the planner asked for it), and
            # said, since its budgets by year are that workbook's amounts.
            state.set("replay_note", (page.data.fingerprint, saved.other_workbook(page.data)))
            state.set("pending_scenario", pending)
            state.set("loaded_scenario", loaded.file_id)
            st.rerun(scope="app")  # the sidebar's controls take the loaded scenario
        except (ScenarioError, UnicodeDecodeError, ValueError) as error:
            state.pop("pending_scenario")
            st.error(labels("bad_scenario", message=labels.error_words(error)))


def shortlist_tab(page: Page) -> None:
    labels, solution, language = page.labels, page.solution, page.labels.language
    shortlist = views.shortlist_table(solution, labels)
    a, b = st.columns(2)
    needle = a.text_input(
        labels("filter"), key="shortlist_filter", placeholder="🔎", persist_state=KEEP
    )
    only = b.multiselect(
        labels("sector"),
        [labels.sector(s) for s in SECTORS],
        key=f"shortlist_sectors_{language}",
        placeholder=labels("choose"),
        persist_state=KEEP,
    )
    shown = views.filter_shortlist(shortlist, labels, needle, only)
    table(shown, labels)
    st.caption(f"{len(shown)} / {len(shortlist)}")
    left_out = views.not_chosen_table(solution, labels, page.analysis("break_even"))
    with st.expander(labels("left_out_count", count=len(left_out))):
        table(left_out, labels)
