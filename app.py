"""The planner's app: `streamlit run app.py`.

Thin on purpose: the sidebar's widgets become a Scenario (optimizer.controls), the package
solves it (optimizer.solve and the trade-off analyses, the same calls a notebook makes), and
optimizer.views draws the figures and tables. Loads and solves are cached by the workbook's
bytes and the scenario.
"""

from __future__ import annotations

import io
from pathlib import Path

import streamlit as st

import optimizer
from optimizer import controls, views
from optimizer.schema import SECTORS
from optimizer.tradeoffs import LEVERS

SAMPLE = Path(__file__).resolve().parent / "projects.xlsx"
CONTROL_KEYS = (
    "budget_scale",
    "debt_scale",
    "ppp_choice",
    "ppp_custom",
    "commute",
    "other_weight",
    "coverage",
    "forced_in",
    "forced_out",
    "time_limit",
)

st.set_page_config(page_title="Jiangsu infrastructure prioritiser", layout="wide")


# ---------------------------------------------------------------------------- cached work


@st.cache_data(show_spinner=False, max_entries=8)
def load(content: bytes) -> optimizer.PlanningData:
    return optimizer.load_workbook(content)


@st.cache_data(show_spinner=False, max_entries=64)
def solve(fingerprint: str, scenario_json: str, _data: optimizer.PlanningData):
    """(solution, None, None) | (None, conflicts table, None) | (None, None, solver message)."""
    try:
        return optimizer.solve(_data, optimizer.Scenario.from_json(scenario_json)), None, None
    except optimizer.InfeasibleError as error:
        return None, error.to_frame(), None
    except optimizer.SolverError as error:
        return None, None, str(error)


def shortlist_bytes(solution, frontier, break_even, language: str):
    """The Excel shortlist, made only when the planner clicks (a deferred download)."""

    def make() -> bytes:
        buffer = io.BytesIO()
        optimizer.export_workbook(
            solution, buffer, frontier=frontier, break_even=break_even, language=language
        )
        return buffer.getvalue()

    return make


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    buffer = io.BytesIO()
    optimizer.write_template(buffer)
    return buffer.getvalue()


@st.cache_data(show_spinner=False, max_entries=16)
def map_figure(fingerprint: str, scenario_json: str, language: str, _solution):
    # The map has thousands of boundary points: draw it once per result and language.
    return views.province_map(_solution, language)


def t(key: str, **values) -> str:
    return views.text(key, st.session_state.get("language", "en"), **values)


# ---------------------------------------------------------------------------- the workbook

state = st.session_state
language = st.sidebar.radio(
    "Language / 语言",
    list(views.LANGUAGES),
    format_func=views.LANGUAGES.get,
    key="language",
    horizontal=True,
)
st.title(t("title"))
st.caption(t("subtitle"))

source = st.sidebar.radio(
    t("data"),
    ["sample", "upload"],
    index=["sample", "upload"].index(state.get("workbook_source", "sample")),
    # Widgets whose shown options depend on the language get a key per language: Streamlit
    # keeps a choice by its shown label, which a switch of language would orphan.
    key=f"source_{language}",
    # The page's language, not the session's: a test harness formats outside a run.
    format_func=lambda v: views.text("use_sample" if v == "sample" else "use_upload", language),
)
if "workbook" not in state:
    state.workbook = SAMPLE.read_bytes()
if source == "upload":
    uploaded = st.sidebar.file_uploader(t("upload"), type=["xlsx"], key="upload")
    if uploaded is not None:
        try:
            load(uploaded.getvalue())
            state.workbook = uploaded.getvalue()
        except optimizer.WorkbookError as error:
            st.error(t("bad_upload"))
            st.dataframe(error.to_frame(), hide_index=True, width="stretch")
elif state.get("workbook_source") == "upload":
    state.workbook = SAMPLE.read_bytes()
state.workbook_source = source
st.sidebar.download_button(
    t("template"), template_bytes(), "template.xlsx", on_click="ignore", key="template"
)
data = load(state.workbook)


def reset_sidebar(values: dict) -> None:
    """Make `values` the sidebar's: widgets refill from them, tables are drawn anew."""
    for key in CONTROL_KEYS:
        state.pop(key, None)
    state.defaults = values
    state.table_version = state.get("table_version", 0) + 1


# A new workbook resets the sidebar to its own settings, with a time limit of at most 10 s:
# a planner moving a slider should not wait the workbook's 30 s for a proof (a run stopped
# early says so with its gap).
if state.get("fingerprint") != data.fingerprint:
    state.fingerprint = data.fingerprint
    state.pop("last_good", None)  # another workbook's scenario is no fallback
    values = controls.controls_from(data)
    reset_sidebar({**values, "time_limit": min(values["time_limit"], 10.0)})

# A scenario loaded from JSON fills the sidebar, its own time limit included.
if "pending_scenario" in state:
    reset_sidebar(controls.controls_from(data, state.pop("pending_scenario")))

# ---------------------------------------------------------------------------- the scenario

defaults = state.defaults
sidebar = st.sidebar
sidebar.header(t("scenario"))
version = state.table_version
money = sidebar.data_editor(
    defaults["money_table"],
    key=f"money_table_{version}",
    hide_index=True,
    disabled=["year"],
    width="stretch",
    column_config={
        "year": st.column_config.NumberColumn(t("year"), format="%d"),
        "fiscal_budget": st.column_config.NumberColumn(t("fiscal_budget"), min_value=0),
        "bond_quota": st.column_config.NumberColumn(t("bond_quota"), min_value=0),
    },
)
sidebar.caption(t("money_table"))
# Widgets take their values from the session state only (set here from the defaults), so a
# loaded scenario can fill them without Streamlit's "default and state both set" warning.
for key in CONTROL_KEYS:
    state.setdefault(key, defaults[key])


def top(key: str, usual: float) -> float:
    """A slider's upper end: the usual one, or the loaded value when it is beyond it (any
    value the contract and a scenario accept). It follows the defaults, not the slider, so
    moving the slider or switching language keeps the widget and its value."""
    return max(usual, float(defaults[key]))


budget_scale = sidebar.slider(
    t("budget_scale"), 0.0, top("budget_scale", 2.0), step=0.05, key="budget_scale"
)
debt_scale = sidebar.slider(
    t("debt_scale"), 0.0, top("debt_scale", 2.0), step=0.05, key="debt_scale"
)
ppp_choice = sidebar.radio(
    t("ppp_line"), [*controls.PPP_LINES, controls.OTHER], key="ppp_choice", horizontal=True
)
ppp_custom = state.ppp_custom
if ppp_choice == controls.OTHER:
    ppp_custom = sidebar.number_input(
        t("ppp_custom"), 0.0, 1.0, step=0.005, format="%.3f", key="ppp_custom"
    )
commute = sidebar.slider(t("commute"), 0.0, top("commute", 300.0), step=5.0, key="commute")
other_weight = sidebar.slider(t("other_weight"), 0.0, 1.0, step=0.05, key="other_weight")
coverage = sidebar.slider(t("coverage"), 0.0, 1.0, step=0.05, key="coverage")
with sidebar.expander(t("sectors")):
    sectors = st.data_editor(
        defaults["sector_table"],
        key=f"sector_table_{version}",
        hide_index=True,
        disabled=["sector"],
        width="stretch",
        column_config={
            "min_share": st.column_config.NumberColumn(t("min"), min_value=0.0, max_value=1.0),
            "max_share": st.column_config.NumberColumn(t("max"), min_value=0.0, max_value=1.0),
        },
    )
ids = data.projects["project_id"].tolist()
names = dict(zip(data.projects["project_id"], data.projects["name"], strict=True))
label_of = lambda pid: f"{pid} · {names.get(pid, '')}"  # noqa: E731
forced_in = sidebar.multiselect(t("forced_in"), ids, format_func=label_of, key="forced_in")
forced_out = sidebar.multiselect(t("forced_out"), ids, format_func=label_of, key="forced_out")
time_limit = sidebar.number_input(
    t("time_limit"),
    min(1.0, float(defaults["time_limit"])),
    top("time_limit", 600.0),
    step=5.0,
    key="time_limit",
)

try:
    scenario = controls.scenario_from(
        data,
        {
            "money_table": money,
            "budget_scale": budget_scale,
            "debt_scale": debt_scale,
            "ppp_choice": ppp_choice,
            "ppp_custom": ppp_custom,
            "commute": commute,
            "other_weight": other_weight,
            "coverage": coverage,
            "sector_table": sectors,
            "forced_in": forced_in,
            "forced_out": forced_out,
            "time_limit": time_limit,
            "mip_gap": defaults["mip_gap"],
        },
    )
    scenario_json = scenario.resolved(data).to_json()
except (optimizer.ScenarioError, ValueError) as error:
    # Refuse the edit: the tables and widgets go back to the last good scenario, whose
    # result stays on the page, and the problem is said in the page's language.
    empty = [
        name
        for name, table in (("money_table", money), ("sectors", sectors))
        if table.drop(columns=["year", "sector"], errors="ignore").isna().to_numpy().any()
    ]
    refused = t("empty_cell", table=t(empty[0])) if empty else t("edit_refused", message=error)
    if "last_good" not in state:
        st.error(refused)
        st.stop()
    state.refused = refused
    reset_sidebar(controls.controls_from(data, state.last_good))
    st.rerun()
state.last_good = scenario
if "refused" in state:
    st.error(state.pop("refused"))

with st.spinner("…"):
    solution, conflicts, failure = solve(data.fingerprint, scenario_json, data)

# ---------------------------------------------------------------------------- the result

if solution is None:
    if conflicts is not None:
        st.error(t("infeasible"))
        names_zh = dict(zip(data.regions["region"], data.regions["name_zh"], strict=True))
        for message in views.conflict_lines(conflicts, language, names_zh):
            st.markdown(f"- {message}")
        st.dataframe(conflicts, hide_index=True, width="stretch")
    else:
        st.error(t("solver_error", message=failure))
    st.stop()

kind, message = views.status_message(solution, language)
(st.success if kind == "success" else st.warning)(message)
# What the last change cost or gained: each figure against the previous scenario shown.
metrics = views.headline_metrics(solution, language)
if state.get("shown_scenario") != scenario_json:
    state.previous_metrics = state.get("shown_metrics")
    state.shown_scenario, state.shown_metrics = scenario_json, [m[2] for m in metrics]
previous = state.get("previous_metrics")
for k, (column, (label, value, number)) in enumerate(
    zip(st.columns(4) + st.columns(4), metrics, strict=True)
):
    delta = None
    if previous is not None and k in (0, 1) and round(number - previous[k]):
        delta = f"{number - previous[k]:+,.0f}"
    column.metric(label, value, delta, help=t("vs_previous") if delta else None)

analyses = state.setdefault("analyses", {})
key_now = (data.fingerprint, scenario_json)
frontier_now = analyses.get(("frontier", *key_now))
break_even_now = analyses.get(("break_even", *key_now))
st.download_button(
    t("download_excel"),
    shortlist_bytes(solution, frontier_now, break_even_now, language),
    "shortlist.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    key="download_excel",
    type="primary",
)

result_tab, map_tab, tradeoff_tab, compare_tab, shortlist_tab = st.tabs(
    [t("tab_result"), t("tab_map"), t("tab_tradeoffs"), t("tab_compare"), t("tab_shortlist")]
)

with result_tab:
    st.plotly_chart(views.reemployment_year_figure(solution, language), width="stretch")
    left, right = st.columns(2)
    left.plotly_chart(views.year_figure(solution, language), width="stretch")
    right.plotly_chart(views.sector_figure(solution, language), width="stretch")
    left.plotly_chart(views.city_figure(solution, language), width="stretch")
    right.plotly_chart(views.ppp_figure(solution, language), width="stretch")
    notes = views.ppp_notes(solution, language)
    if notes:
        right.caption(t("ppp_notes"))
        right.markdown("\n".join(f"- {note}" for note in notes))
    st.subheader(t("binding"))
    st.dataframe(solution.binding_limits, hide_index=True, width="stretch")

with map_tab:
    st.plotly_chart(
        map_figure(data.fingerprint, scenario_json, language, solution), width="stretch"
    )


def progress_bar():
    bar = st.progress(0.0)
    return lambda done, total: bar.progress(done / max(total, 1), text=f"{done} / {total}")


with tradeoff_tab:
    st.subheader(t("frontier"))
    a, b, c = st.columns(3)
    lever = a.selectbox(
        t("lever"),
        list(LEVERS),
        format_func=lambda v: views.lever_name(v, language),
        key=f"frontier_lever_{language}",
    )
    points = b.slider(t("points"), 3, 21, 11, key="frontier_points")
    gap = c.select_slider(
        t("analysis_gap"),
        [0.005, 0.01, 0.02],
        0.01,
        key="analysis_gap",
        format_func=lambda v: f"{v:.1%}",
    )

    # Every analysis: the chosen gap, and at most 10 s a solve.
    def run_options() -> optimizer.RunOptions:
        return optimizer.RunOptions(
            progress=progress_bar(), mip_gap=gap, time_limit_s=min(time_limit, 10.0)
        )

    if st.button(t("run_frontier"), key="run_frontier"):
        analyses[("frontier", *key_now)] = optimizer.frontier(
            data,
            scenario,
            lever,
            points,
            options=run_options(),
        )
        frontier_now = analyses[("frontier", *key_now)]
    if frontier_now is not None:
        st.plotly_chart(views.frontier_figure(frontier_now, language), width="stretch")
        st.dataframe(frontier_now, hide_index=True, width="stretch")

    st.subheader(t("grid"))
    a, b = st.columns(2)
    lever_x = a.selectbox(
        "x", list(LEVERS), 0, lambda v: views.lever_name(v, language), key=f"grid_x_{language}"
    )
    lever_y = b.selectbox(
        "y", list(LEVERS), 1, lambda v: views.lever_name(v, language), key=f"grid_y_{language}"
    )
    if st.button(t("run_grid"), key="run_grid", disabled=lever_x == lever_y):
        analyses[("grid", *key_now)] = optimizer.frontier_grid(
            data,
            scenario,
            (lever_x, lever_y),
            (5, 5),
            options=run_options(),
        )
    if ("grid", *key_now) in analyses:
        st.plotly_chart(views.grid_figure(analyses[("grid", *key_now)], language), width="stretch")

    st.subheader(t("break_even"))
    if st.button(t("run_break_even"), key="run_break_even"):
        analyses[("break_even", *key_now)] = optimizer.break_even(
            data,
            scenario,
            include_chosen=False,
            options=run_options(),
        )
        break_even_now = analyses[("break_even", *key_now)]
    if break_even_now is not None:
        st.dataframe(
            break_even_now.sort_values("objective_change"), hide_index=True, width="stretch"
        )

    st.subheader(t("robustness"))
    a, b = st.columns(2)
    draws = a.slider(t("draws"), 10, 200, 50, 10, key="draws")
    spread = b.slider(t("spread"), 0.0, 0.5, 0.3, 0.05, key="spread")
    if st.button(t("run_robustness"), key="run_robustness"):
        analyses[("robustness", *key_now)] = optimizer.robustness(
            data,
            scenario,
            draws=draws,
            spread=spread,
            options=run_options(),
        )
    if ("robustness", *key_now) in analyses:
        result = analyses[("robustness", *key_now)]
        st.write(result.summary())
        st.plotly_chart(views.robustness_figure(result, language), width="stretch")

with compare_tab:
    saved = state.setdefault("saved", {})
    a, b = st.columns([3, 1])
    name = a.text_input(
        t("save_as"), value=f"{t('scenario_name')} {len(saved) + 1}", key="save_name"
    )
    if b.button(t("save"), key="save_scenario"):
        saved[name] = solution
    if saved:
        st.dataframe(
            views.compare_table({**saved, t("current"): solution}, language), width="stretch"
        )
        other = st.selectbox(t("compare_with"), list(saved), key="compare_with")
        changes = views.portfolio_changes(saved[other], solution, language)
        if changes.empty:
            st.info(t("no_change"))
        else:
            st.dataframe(changes, hide_index=True, width="stretch")
    else:
        st.info(t("saved_none"))
    st.download_button(
        t("download_scenario"),
        scenario_json,
        "scenario.json",
        mime="application/json",
        on_click="ignore",
        key="download_scenario",
    )
    loaded = st.file_uploader(t("upload_scenario"), type=["json", "xlsx"], key="upload_scenario")
    if loaded is not None and state.get("loaded_scenario") != loaded.file_id:
        try:
            content = loaded.getvalue()
            if content[:2] == b"PK":  # an Excel shortlist: its Scenario sheet
                try:
                    state.pending_scenario = optimizer.read_scenario(io.BytesIO(content))
                except optimizer.ScenarioError:
                    raise
                except Exception as exc:  # openpyxl and json raise many kinds
                    raise optimizer.ScenarioError(f"no readable Scenario sheet ({exc})") from None
            else:
                state.pending_scenario = optimizer.Scenario.from_json(content.decode("utf-8-sig"))
            state.pending_scenario.check_against(data)
            state.loaded_scenario = loaded.file_id
            st.rerun()
        except (optimizer.ScenarioError, UnicodeDecodeError, ValueError) as error:
            state.pop("pending_scenario", None)
            st.error(t("bad_scenario", message=error))

with shortlist_tab:
    table = views.shortlist_table(solution, language)
    a, b = st.columns(2)
    needle = a.text_input("🔎", key="shortlist_filter")
    sector_names = [views.sector_name(s, language) for s in SECTORS]
    only = b.multiselect(t("sector"), sector_names, key=f"shortlist_sectors_{language}")
    shown = views.filter_shortlist(table, needle, only, language)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            c: st.column_config.NumberColumn(format="%.2f")
            for c in shown.columns
            if shown[c].dtype == float
        },
    )
    st.caption(f"{len(shown)} / {len(table)}")
    not_chosen = solution.not_chosen.drop(
        columns=["reason_code", "reason" if language == "zh" else "reason_zh"]
    )
    with st.expander(f"{len(not_chosen)} — {views.text('left', language)}"):
        st.dataframe(not_chosen, hide_index=True, width="stretch")
