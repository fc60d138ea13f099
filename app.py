"""The planner's app: `streamlit run app.py`.

Wiring only: the sidebar (optimizer.ui.sidebar) makes a Scenario from the controls
(optimizer.controls), the package solves it (the same calls a notebook makes), and
optimizer.ui.tabs places what optimizer.present.views draws, for the open tab only. Words:
optimizer.present.labels; the session: optimizer.session. A new scenario is solved in a
background thread while the page shows the best portfolio found so far (tabs.answer,
optimizer.background). Loads and final answers are cached by the workbook's bytes and the
scenario.
"""

from __future__ import annotations

import io
from pathlib import Path

import streamlit as st

import optimizer
from optimizer import background
from optimizer.present import views
from optimizer.present.labels import Labels
from optimizer.session import AppState
from optimizer.ui import sidebar, tabs

SAMPLE = Path(__file__).resolve().parent / "projects.xlsx"

st.set_page_config(page_title=Labels("en")("page_title"), layout="wide")


@st.cache_data(show_spinner=False, max_entries=8)
def load(content: bytes) -> optimizer.PlanningData:
    return optimizer.load_workbook(content)


@st.cache_data(show_spinner=False, max_entries=64)
def final_answer(
    fingerprint: str, scenario_json: str, _answer: background.Result | None = None
) -> background.Result:
    """A scenario's final answer, kept by workbook and scenario: (solution, None, None) |
    (None, conflicts table, None) | (None, None, solver message). Without `_answer` a miss
    raises NotSolved and keeps nothing; tabs.answer then solves and keeps the answer."""
    if _answer is None:
        raise background.NotSolved(scenario_json)
    return _answer


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    buffer = io.BytesIO()
    optimizer.write_template(buffer)
    return buffer.getvalue()


@st.cache_data(show_spinner=False, max_entries=16)
def map_figure(fingerprint: str, scenario_json: str, language: str, _solution, _labels):
    # The map has thousands of boundary points: draw it once per result and language.
    return views.province_map(_solution, _labels)


def shortlist_bytes(page: tabs.Page, sample: bool):
    """The Excel shortlist, made only when the planner clicks (a deferred download), with the
    analyses run by then (`Page.analyses_reader`)."""
    analysis = page.analyses_reader()

    def make() -> bytes:
        buffer = io.BytesIO()
        optimizer.export_workbook(
            page.solution,
            buffer,
            frontier=analysis("frontier"),
            break_even=analysis("break_even"),
            labels=page.labels,
            sample_data=sample,
        )
        return buffer.getvalue()

    return make


state = AppState(st.session_state)
labels = sidebar.language(state)
st.title(labels("title"))
st.caption(labels("subtitle"))
# The template is written only when the planner asks for it: not before the first answer.
sidebar.workbook(state, labels, load, SAMPLE.read_bytes(), template_bytes)
data = load(state.get("workbook"))
if sidebar.follow_workbook(state, data):
    tabs.solve_ahead(state, data, final_answer)  # a first visit: solving while controls draw
labels = Labels.for_regions(data.regions, labels.language)  # the workbook's city names
values = sidebar.scenario_controls(state, data, labels)

scenario, scenario_json = sidebar.scenario_or_refuse(state, data, values, labels)
tabs.replay_note(state, data, labels)
(solution, conflicts, failure), place = tabs.answer(
    state, labels, data, scenario_json, final_answer
)
# The last plan that met every limit on this workbook: (fingerprint, solution, scenario JSON).
last = state.get("last_feasible")
if last is not None and last[0] != data.fingerprint:
    last = None
if solution is None:
    before = last[1].scenario if last else None
    # Both resolved against the workbook, so only what the planner moved differs.
    moved = views.moved_inputs(before, scenario.resolved(data), labels)
    tabs.infeasible(labels, conflicts, failure, moved)
    if last is None:
        st.stop()
    # The tabs stay, on the last plan that met every limit, marked as such.
    st.warning(labels("last_feasible"))
    place = st.empty()  # its headline below the diagnosis
    _, solution, scenario_json = last
    scenario = solution.scenario
else:
    state.set("last_feasible", (data.fingerprint, solution, scenario_json))

page = tabs.Page(data, solution, scenario, scenario_json, labels, state, values["time_limit_s"])
with place.container():  # over the provisional answer, if one was shown
    tabs.headline(page, shortlist_bytes(page, state.get("workbook_source") == "sample"))
# Only the open tab's content runs, in a fragment: a tab click reruns the tabs alone.
tabs.tab_bar(
    page, lambda: map_figure(data.fingerprint, scenario_json, labels.language, solution, labels)
)
