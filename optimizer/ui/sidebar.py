"""The sidebar: the workbook, then the scenario's controls (drawn from controls.CONTROLS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from .. import controls, loader
from ..controls import CONTROLS, PPP_LINES
from ..loader import PlanningData
from ..present.labels import LANGUAGES, Labels
from ..scenario import Scenario, ScenarioError
from ..session import AppState


def language(state: AppState) -> Labels:
    chosen = st.sidebar.radio(
        "Language / 语言",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="language",
        horizontal=True,
    )
    return Labels(chosen)


def workbook(
    state: AppState,
    labels: Labels,
    load: Callable[[bytes], PlanningData],
    sample: bytes,
    template: bytes | Callable[[], bytes],
) -> None:
    """The workbook in use (state "workbook"): the sample, or a good upload; a bad upload is
    listed and the last good workbook kept. template: the blank workbook's bytes, or a
    function making them when the planner clicks (nothing written before the first answer)."""
    source = st.sidebar.radio(
        labels("data"),
        ["sample", "upload"],
        index=["sample", "upload"].index(state.get("workbook_source", "sample")),
        # Widgets whose shown options depend on the language get a key per language:
        # Streamlit keeps a choice by its shown label, which a switch of language would orphan.
        key=f"source_{labels.language}",
        format_func=lambda v: labels("use_sample" if v == "sample" else "use_upload"),
    )
    if "workbook" not in state:
        state.set("workbook", sample)
    if source == "upload":
        uploaded = st.sidebar.file_uploader(labels("upload"), type=["xlsx"], key="upload")
        if uploaded is not None:
            try:
                data = load(uploaded.getvalue())
                state.set("workbook", uploaded.getvalue())
                # What was read with a note (a hidden sheet, a setting ignored) is said, as
                # `check` says it.
                for note in data.warnings:
                    st.sidebar.info(labels("workbook_note", note=labels.note(note)))
            except loader.WorkbookError as error:
                st.error(labels("bad_upload"))
                st.dataframe(_problems(error, labels), hide_index=True, width="stretch")
    elif state.get("workbook_source") == "upload":
        state.set("workbook", sample)
    state.set("workbook_source", source)
    st.sidebar.download_button(
        labels("template"), template, "template.xlsx", on_click="ignore", key="template"
    )


def _problems(error: loader.WorkbookError, labels: Labels) -> pd.DataFrame:
    """The workbook's problems in the page's language (the sheet and column names are the
    workbook's own, as the planner finds them in the file)."""
    frame = error.to_frame().rename(columns={"message": "problem"})
    frame["problem"] = [labels.problem(p) for p in error.problems]
    return labels.headers(frame)


def follow_workbook(state: AppState, data: PlanningData) -> bool:
    """A new workbook resets the sidebar to its own settings (the time limit at most
    APP_TIME_LIMIT); a scenario loaded from a file fills the sidebar, its time limit too.
    True when the sidebar was reset to the workbook's own settings (a first visit, a new
    workbook): its scenario is then known before any control is drawn."""
    fresh = state.get("fingerprint") != data.fingerprint
    if fresh:
        state.set("fingerprint", data.fingerprint)
        state.pop("last_good")  # another workbook's scenario is no fallback
        values = controls.controls_from(data)
        limit = min(values["time_limit_s"], controls.APP_TIME_LIMIT)
        state.reset_sidebar({**values, "time_limit_s": limit})
    if "pending_scenario" in state:
        state.reset_sidebar(controls.controls_from(data, state.pop("pending_scenario")))
        return False
    return fresh


def _number(labels: Labels, state: AppState, key: str, **extra: Any) -> float:
    """A slider or number box for CONTROLS[key], its range extended to a loaded value."""
    c = CONTROLS[key]
    value = state.defaults.get(key)
    widget = st.sidebar.slider if c.widget == "slider" else st.sidebar.number_input
    return widget(labels(c.label), c.bottom(value), c.top(value), step=c.step, key=key, **extra)


def scenario_controls(state: AppState, data: PlanningData, labels: Labels) -> dict[str, Any]:
    """Every scenario control's value, as controls.scenario_from takes them."""
    defaults = state.defaults
    sidebar = st.sidebar
    sidebar.header(labels("scenario"))
    version = state.table_version
    money = sidebar.data_editor(
        defaults["money_table"],
        key=f"money_table_{version}",
        hide_index=True,
        disabled=["year"],
        width="stretch",
        column_config={
            # Short headers: the sidebar is narrow; the caption below says them in full.
            "year": st.column_config.NumberColumn(labels("year"), format="%d", width=52),
            "fiscal_budget": st.column_config.NumberColumn(
                labels("budget_short"), min_value=0, format="%.1f", width=78
            ),
            "bond_quota": st.column_config.NumberColumn(
                labels("bonds_short"), min_value=0, format="%.1f", width=78
            ),
        },
    )
    sidebar.caption(labels("money_table"))
    state.fill_controls()
    # A loaded scenario's name stays with it (the shortlist's Summary shows it).
    values: dict[str, Any] = {
        "money_table": money,
        "mip_gap": defaults["mip_gap"],
        "name": defaults.get("name") or "",
    }
    for key in ("fiscal_budget_scale", "bond_quota_scale", "debt_headroom_scale"):
        values[key] = _number(labels, state, key)
    values["ppp_choice"] = sidebar.radio(
        labels("ppp_line"),
        [*PPP_LINES, controls.OTHER],
        key="ppp_choice",
        horizontal=True,
        # One value in both languages (so a switch keeps the choice); the words follow it.
        format_func=lambda v: labels("ppp_other") if v == controls.OTHER else v,
    )
    values["ppp_custom"] = state.get("ppp_custom")
    if values["ppp_choice"] == controls.OTHER:
        values["ppp_custom"] = _number(labels, state, "ppp_custom", format="%.3f")
    for key in ("commute_km", "other_jobs_weight", "min_coverage_share"):
        values[key] = _number(labels, state, key)
    with sidebar.expander(labels("sectors")):
        sectors = defaults["sector_table"].assign(
            name=[labels.sector(s) for s in defaults["sector_table"]["sector"]]
        )
        edited = st.data_editor(
            sectors[["sector", "name", "min_share", "max_share"]],
            key=f"sector_table_{version}",
            hide_index=True,
            disabled=["sector", "name"],
            width="stretch",
            column_config={
                "sector": None,
                "name": st.column_config.TextColumn(labels("sector")),
                "min_share": st.column_config.NumberColumn(
                    labels("min"), min_value=0.0, max_value=1.0
                ),
                "max_share": st.column_config.NumberColumn(
                    labels("max"), min_value=0.0, max_value=1.0
                ),
            },
        )
        values["sector_table"] = edited.drop(columns=["name"])
    ids = data.projects["project_id"].tolist()
    names = dict(zip(data.projects["project_id"], data.projects["name"], strict=True))

    def label_of(pid: str) -> str:
        return f"{pid} · {names.get(pid, '')}"

    for key in ("forced_in", "forced_out"):
        values[key] = _forced_projects(state, labels, key, ids, label_of)
    values["time_limit_s"] = _number(labels, state, "time_limit_s")
    return values


def _forced_projects(
    state: AppState,
    labels: Labels,
    key: str,
    ids: list[str],
    label_of: Callable[[str], str],
) -> list[str]:
    """Projects forced in (or out), one added at a time: a single choice adds exactly the
    project chosen (a filtering multiselect added every match of a typed id), and each forced
    project is a button with its whole name that takes it off the list."""
    session = st.session_state
    forced = list(session[key])
    pick = f"{key}_pick"

    def add() -> None:
        chosen = session.get(pick)
        if chosen is not None and chosen not in session[key]:
            session[key] = [*session[key], chosen]
        session[pick] = None

    def drop(pid: str) -> None:
        session[key] = [p for p in session[key] if p != pid]

    taken = set(session.get("forced_in", [])) | set(session.get("forced_out", []))
    st.sidebar.selectbox(
        labels(key),
        [pid for pid in ids if pid not in taken],
        index=None,
        format_func=label_of,
        key=pick,
        on_change=add,
        placeholder=labels("force_pick"),
    )
    for pid in forced:
        st.sidebar.button(
            f"✕ {label_of(pid)}",
            key=f"{key}_drop_{pid}",
            on_click=drop,
            args=(pid,),
            help=labels("force_drop"),
            width="stretch",
        )
    return forced


def scenario_or_refuse(
    state: AppState, data: PlanningData, values: dict[str, Any], labels: Labels
) -> tuple[Scenario, str]:
    """The scenario the controls make, and its resolved JSON. An edit the scenario cannot use
    is refused: the tables and widgets go back to the last good scenario, whose result stays
    on the page, and the problem is said in the page's language."""
    try:
        scenario = controls.scenario_from(data, values)
        scenario_json = scenario.resolved(data).to_json()
    except (ScenarioError, ValueError) as error:
        tables = (("money_table", values["money_table"]), ("sectors", values["sector_table"]))
        empty = [
            name
            for name, frame in tables
            if frame.drop(columns=["year", "sector"], errors="ignore").isna().to_numpy().any()
        ]
        refused = labels("empty_cell", table=labels(empty[0])) if empty else None
        refused = refused or labels("edit_refused", message=labels.error_words(error))
        if "last_good" not in state:
            st.error(refused)
            st.stop()
        state.set("refused", refused)
        state.reset_sidebar(controls.controls_from(data, state.get("last_good")))
        st.rerun()
    state.set("last_good", scenario)
    if "refused" in state:
        st.error(state.pop("refused"))
    return scenario, scenario_json
