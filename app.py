"""The planner's app: `streamlit run app.py`.

Wiring only: the sidebar (optimizer.ui.sidebar) makes a Scenario from the controls
(optimizer.ui.controls), the package solves it (the same calls a notebook makes), and
optimizer.ui.tabs places what optimizer.views draws. Words: optimizer.ui.labels; the
session: optimizer.ui.state. Loads and solves are cached by the workbook's bytes and the
scenario.
"""

from __future__ import annotations

import io
from pathlib import Path

import streamlit as st

import optimizer
from optimizer import views
from optimizer.ui import controls, sidebar, tabs
from optimizer.ui.labels import Labels
from optimizer.ui.state import AppState

SAMPLE = Path(__file__).resolve().parent / "projects.xlsx"

st.set_page_config(page_title=Labels("en")("page_title"), layout="wide")


@st.cache_data(show_spinner=False, max_entries=8)
def load(content: bytes) -> optimizer.PlanningData:
    return optimizer.load_workbook(content)


# How long a page waits for the final answer before it shows the best portfolio so far.
ANSWER_WAIT_S = 0.4


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    buffer = io.BytesIO()
    optimizer.write_template(buffer)
    return buffer.getvalue()


@st.cache_data(show_spinner=False, max_entries=16)
def map_figure(fingerprint: str, scenario_json: str, language: str, _solution):
    # The map has thousands of boundary points: draw it once per result and language.
    return views.province_map(_solution, language)


def shortlist_bytes(page: tabs.Page, sample: bool):
    """The Excel shortlist, made only when the planner clicks (a deferred download)."""

    def make() -> bytes:
        buffer = io.BytesIO()
        optimizer.export_workbook(
            page.solution,
            buffer,
            frontier=page.analysis("frontier"),
            break_even=page.analysis("break_even"),
            language=page.labels.language,
            sample_data=sample,
        )
        return buffer.getvalue()

    return make


state = AppState(st.session_state)
labels = sidebar.language(state)
st.title(labels("title"))
st.caption(labels("subtitle"))
sidebar.workbook(state, labels, load, SAMPLE.read_bytes(), template_bytes())
data = load(state.get("workbook"))
sidebar.follow_workbook(state, data)
values = sidebar.scenario_controls(state, data, labels)

try:
    scenario = controls.scenario_from(data, values)
    scenario_json = scenario.resolved(data).to_json()
except (optimizer.ScenarioError, ValueError) as error:
    # Refuse the edit: the tables and widgets go back to the last good scenario, whose
    # result stays on the page, and the problem is said in the page's language.
    tables = (("money_table", values["money_table"]), ("sectors", values["sector_table"]))
    empty = [
        name
        for name, frame in tables
        if frame.drop(columns=["year", "sector"], errors="ignore").isna().to_numpy().any()
    ]
    refused = labels("empty_cell", table=labels(empty[0])) if empty else None
    refused = refused or labels("edit_refused", message=error)
    if "last_good" not in state:
        st.error(refused)
        st.stop()
    state.set("refused", refused)
    state.reset_sidebar(controls.controls_from(data, state.get("last_good")))
    st.rerun()
state.set("last_good", scenario)
if "refused" in state:
    st.error(state.pop("refused"))

with st.spinner("…"):
    answer, job = state.solves().answer(
        data, scenario_json, float(state.get("answer_wait_s", ANSWER_WAIT_S))
    )
    provisional = None if answer is not None else job.provisional()
solution, conflicts, failure = answer if answer is not None else (provisional, None, None)
if provisional is not None:

    @st.fragment(run_every=0.5)
    def replace_when_final() -> None:
        # The final, deterministic answer replaces the provisional one as soon as it exists.
        if job.future.done():
            st.rerun()

    replace_when_final()
if solution is None:
    tabs.infeasible(labels, data, conflicts, failure)
    st.stop()

labels = Labels.for_solution(solution, labels.language)
page = tabs.Page(data, solution, scenario, scenario_json, labels, state, values["time_limit"])
tabs.headline(page, shortlist_bytes(page, state.get("workbook_source") == "sample"))
result, where, trade_offs, compare, shortlist = st.tabs(
    [labels(k) for k in ("tab_result", "tab_map", "tab_tradeoffs", "tab_compare", "tab_shortlist")]
)
with result:
    tabs.result_tab(page)
with where:
    tabs.map_tab(page, map_figure(data.fingerprint, scenario_json, labels.language, solution))
with trade_offs:
    tabs.tradeoffs_tab(page)
with compare:
    tabs.compare_tab(page)
with shortlist:
    tabs.shortlist_tab(page)
