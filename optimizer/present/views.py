"""What the app shows, as plain functions: labels in two languages, figures and tables.

The app only places these on the page; a notebook can call the same functions. Figures are
Plotly objects drawn on plain axes: the map is the cities' polygons from the packaged GeoJSON,
so nothing is fetched from the internet (no tiles, no fonts, no CDN).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative, sample_colorscale

from .. import conclusions
from ..diagnosis import conflicts_of
from ..precision import rounded
from ..schema import SECTORS
from ..solution import Changes, Solution
from ..solver import Status
from ..tradeoffs import LEVERS, Robustness
from .explain import (
    entry_sentence,
    frontier_sentence,
    grid_sentence,
    limit_values_family_note,
    limit_values_frame,
    limits_frame,
    reasons,
    robustness_sentences,
    short_source,
)
from .export import FRONTIER_COLUMNS, SHORTLIST_COLUMNS
from .labels import COLUMNS, LANGUAGES, Labels

# The analyses' sentences are explain's; the app and a notebook reach them here.
__all__ = [
    "LANGUAGES",
    "Labels",
    "entry_sentence",
    "frontier_sentence",
    "grid_sentence",
    "limit_values_family_note",
    "robustness_sentences",
]

SECTOR_COLOURS = dict(zip(SECTORS, qualitative.Safe, strict=False))


def share(value: float) -> str:
    return f"{value:.1%}"


# ---------------------------------------------------------------------------- the result


def status_message(solution: Solution, labels: Labels) -> tuple[str, str]:
    """("success" | "warning", the banner's words) for a solved scenario."""
    gap = f"{solution.gap:.2%}" if solution.gap is not None else "?"
    if solution.gap_is_upper_bound:
        gap = f"≤ {gap}"  # the solver gave no bound: only what was asked for is known
    if solution.status.is_proven:
        return "success", labels("optimal", gap=gap)
    return "warning", labels("time_limited", gap=gap)


def conflict_lines(conflicts: pd.DataFrame, labels: Labels) -> list[str]:
    """The diagnosis of an infeasible scenario (InfeasibleError.to_frame()) as sentences."""
    return [labels.conflict(c) for c in conflicts_of(conflicts)]


def moved_inputs(before: Any, after: Any, labels: Labels) -> list[str]:
    """The scenario inputs (in words) that differ between two scenarios: on the no-portfolio
    page, the controls moved since the last plan that met every limit. The name is left
    out (not a control)."""
    if before is None:
        return []
    old, new = before.to_dict(), after.to_dict()
    return [
        labels.input(key)
        for key in new
        if key != "name"
        and json.dumps(old.get(key), sort_keys=True, default=str)
        != json.dumps(new[key], sort_keys=True, default=str)
    ]


def conflicts_together(conflicts: pd.DataFrame, labels: Labels) -> str:
    """Whether the listed moves fix the scenario each alone or only all together. The
    diagnosis's re-solve moves every listed limit at once, which proves "together"; with one
    limit listed, that one move alone."""
    return labels("fix_alone" if len(conflicts) == 1 else "fix_together")


def conflicts_table(conflicts: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The diagnosis as a table in the page's language."""
    table = pd.DataFrame(
        {
            "limit": [labels.limit(r.limit, r.about) for r in conflicts.itertuples()],
            "set": conflicts["set"],
            "needed": conflicts["needed"],
            "unit": [labels.unit(u) for u in conflicts["unit"]],
            "message": conflict_lines(conflicts, labels),
        }
    )
    return labels.headers(table)


# The headline figures compared with the previous scenario, by their place in
# `headline_metrics`: (measure for precision.solve_difference, unit's label key).
HEADLINE_COMPARED = {0: ("worker_years", "worker_years_unit"), 6: ("reemployed_peak", "persons")}


def headline_metrics(
    solution: Solution, labels: Labels
) -> list[tuple[str, str, float, str | None]]:
    """(label, value as shown, value as a number, help) for the twelve headline figures, in
    rows of four: worker-years re-employed (of the exposure), beside it the jobless
    worker-years left, the share of exposure re-employed and the trainees; then public money
    per re-employed worker-year, the jobless at the end, the peak year and the job-years; then
    capex, financing, new debt and the PPP ratio. Labels are short (a metric's label is cut at
    its column's width); the help says the rest."""
    h = solution.headline()
    line = solution.scenario.ppp_cap_share or 0.0
    count = int(h["projects"])
    stock = h["reemployed_peak"] / h["peak_share"] if h["peak_share"] else 0.0
    year = int(h["peak_year"])
    end = solution.jobless_at_end
    last = int(solution.by_year["year"].max()) if len(solution.by_year) else year
    training_money = float(solution.by_year["training_spend"].sum())
    return [
        (
            labels("worker_years_of", share=share(h["worker_years_share"])),
            labels.worker_years(h["worker_years"]),
            h["worker_years"],
            labels(
                "worker_years_help",
                need=labels.worker_years(h["displaced_worker_years"]),
                share=share(h["worker_years_share"]),
            )
            + " "
            + labels("worker_years_v3_help"),
        ),
        (
            labels("jobless_left"),
            labels.worker_years(h["jobless_worker_years"]),
            h["jobless_worker_years"],
            labels(
                "jobless_left_help",
                exposure=labels.worker_years(h["exposure_worker_years"]),
                worker_years=labels.worker_years(h["worker_years"]),
            ),
        ),
        (
            labels("exposure_share"),
            share(h["exposure_share"]),
            h["exposure_share"],
            labels("exposure_share_help"),
        ),
        (
            labels("trainees_short"),
            labels.people(h["trainees"]),
            h["trainees"],
            labels("trainees_help", money=labels.money(training_money)),
        ),
        (
            labels("public_money_short"),
            f"{h['public_money_per_worker_year']:,.1f} {labels.unit('万元')}",
            h["public_money_per_worker_year"],
            labels("public_money_help", money=labels.money(solution.public_money)),
        ),
        (
            labels("jobless_at_end_short", year=last),
            labels.people(h["jobless_at_end"]),
            h["jobless_at_end"],
            labels(
                "jobless_at_end_help",
                without=labels.people(float(end["without_programme"].sum()) if len(end) else 0),
            ),
        ),
        (
            labels("peak_of", year=year, share=share(h["peak_share"])),
            labels.people(h["reemployed_peak"]),
            h["reemployed_peak"],
            labels(
                "peak_help", year=year, stock=labels.people(stock), share=share(h["peak_share"])
            ),
        ),
        (
            labels("job_years"),
            labels.worker_years(h["job_years"]),
            h["job_years"],
            f"{labels('job_years_per_yi')}: {h['job_years_per_yi']:,.1f}",
        ),
        (labels("capex_of", count=count), f"{h['capex']:,.0f} 亿元", h["capex"], None),
        (
            labels("financing"),
            f"{h['budget_money']:,.0f}/{h['bond_money']:,.0f}/{h['private_money']:,.0f}",
            h["budget_money"],
            None,
        ),
        (labels("debt_used"), f"{h['debt_used']:,.0f} 亿元", h["debt_used"], None),
        (
            labels("worst_ppp", line=share(line)),
            share(h["worst_ppp_ratio"]),
            h["worst_ppp_ratio"],
            None,
        ),
    ]


def ppp_notes(solution: Solution, labels: Labels) -> list[str]:
    """One sentence per city whose PPP standing needs words: existing commitments above a
    line, or a ratio above the warning level."""
    separator = "：" if labels.zh else ": "
    return [
        f"{labels.city(row['region'])}{separator}{labels.ppp_note(row)}"
        for _, row in solution.by_region.iterrows()
        if row["ppp_code"]
    ]


def _need_and_met(
    x: Any, need: pd.Series, need_name: str, met: pd.Series, met_name: str, divisor: float
) -> go.Figure:
    """Two overlaid bars: what is needed (grey) and what the portfolio meets (blue)."""
    return go.Figure(
        [
            go.Bar(x=x, y=need / divisor, name=need_name, marker_color="#bbbbbb"),
            go.Bar(x=x, y=met / divisor, name=met_name, marker_color="#1f77b4"),
        ]
    )


def reemployment_year_figure(solution: Solution, labels: Labels) -> go.Figure:
    """Year by year: displaced workers re-employed against the displaced stock."""
    divisor, suffix = labels.count_axis()
    y = solution.by_year
    figure = _need_and_met(
        y["year"].astype(str),
        y["displaced_stock"],
        labels("displaced_stock"),
        y["reemployed"],
        labels("reemployed"),
        divisor,
    )
    figure.update_yaxes(title=suffix + labels("persons"), tickformat=",.1f" if suffix else ",")
    return _layout(figure, labels("by_year_title"), barmode="overlay")


def _layout(figure: go.Figure, title: str, **extra: Any) -> go.Figure:
    figure.update_layout(
        title=title,
        margin=dict(l=10, r=10, t=50, b=10),
        legend=dict(orientation="h", y=-0.15),
        **extra,
    )
    return figure


def year_figure(solution: Solution, labels: Labels) -> go.Figure:
    """Spend by year against the fiscal budget and the bond quota."""
    y = solution.by_year
    years = y["year"].astype(str)
    figure = go.Figure(
        [
            go.Bar(x=years, y=y["budget_spend"], name=labels("budget_spend")),
            go.Bar(x=years, y=y["bond_spend"], name=labels("bond_spend")),
            go.Scatter(
                x=years,
                y=y["fiscal_budget"],
                name=labels("fiscal_budget"),
                mode="lines+markers",
                line=dict(dash="dash"),
            ),
            go.Scatter(
                x=years,
                y=y["bond_quota"],
                name=labels("bond_quota"),
                mode="lines+markers",
                line=dict(dash="dot"),
            ),
        ]
    )
    return _layout(
        figure,
        f"{labels('budget_spend')} / {labels('bond_spend')} (亿元)",
        barmode="group",
    )


def sector_figure(solution: Solution, labels: Labels) -> go.Figure:
    """Each sector's share of capex against its minimum and maximum."""
    s = solution.by_sector
    names = [labels.sector(v) for v in s["sector"]]
    figure = go.Figure(
        [
            go.Bar(
                x=names,
                y=s["share"],
                name=labels("share"),
                marker_color=[SECTOR_COLOURS.get(v) for v in s["sector"]],
            ),
            go.Scatter(
                x=names,
                y=s["min_share"],
                name=labels("min"),
                mode="markers",
                marker=dict(symbol="triangle-up", size=12, color="black"),
            ),
            go.Scatter(
                x=names,
                y=s["max_share"].clip(upper=1.0),
                name=labels("max"),
                mode="markers",
                marker=dict(symbol="triangle-down", size=12, color="red"),
            ),
        ]
    )
    figure.update_yaxes(tickformat=".0%")
    return _layout(figure, labels("share"))


def city_figure(solution: Solution, labels: Labels) -> go.Figure:
    """Worker-years displaced against worker-years re-employed, by home city (home-first)."""
    divisor, suffix = labels.count_axis()
    r = solution.reemployment
    figure = _need_and_met(
        [labels.city(v) for v in r["region"]],
        r["displaced_worker_years"],
        labels("displaced_worker_years"),
        r["worker_years"],
        labels("worker_years"),
        divisor,
    )
    figure.update_yaxes(
        title=suffix + labels("worker_years_unit"), tickformat=",.1f" if suffix else ","
    )
    return _layout(figure, labels("worker_years"), barmode="overlay")


def ppp_figure(solution: Solution, labels: Labels) -> go.Figure:
    """Each city's PPP payments as a share of its budget spending, against the line."""
    r = solution.by_region
    names = [labels.city(v) for v in r["region"]]
    over = r["ppp_ratio"] > r["ppp_line"] + 1e-9
    notes = {row["region"]: labels.ppp_note(row) for _, row in r.iterrows()}
    figure = go.Figure(
        [
            go.Bar(
                x=names,
                y=r["ppp_ratio"],
                name=labels("ppp_ratio"),
                marker_color=["#d62728" if o else "#2ca02c" for o in over],
                hovertext=[notes.get(v, "") for v in r["region"]],
            ),
            go.Scatter(
                x=names,
                y=r["ppp_line"],
                name=labels("ppp_line"),
                mode="lines",
                line=dict(color="black", dash="dash"),
            ),
        ]
    )
    figure.update_yaxes(tickformat=".0%")
    return _layout(figure, labels("ppp_ratio"))


# ---------------------------------------------------------------------------- version 3


def training_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """培训人数: trainees by city (the cities that train) and year, each city's total and its
    training money (亿元), headers in the page's language."""
    t = solution.training_by_region()
    t = t[t["trainees"] > 1e-6].copy()
    t["region"] = [labels.city(r) for r in t["region"]]
    t.columns = [labels.year(c) if isinstance(c, int) else c for c in t.columns]
    return labels.headers(t.reset_index(drop=True))


def layoff_pace_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """分流安置节奏: workers laid off by city, industry and year, planned against
    recommended (Solution.layoff_pace), headers in the page's language."""
    t = solution.layoff_pace().rename(columns={"sector": "industry"})
    t["region"] = [labels.city(r) for r in t["region"]]
    t["industry"] = [labels.industry(v) for v in t["industry"]]
    return labels.headers(t)


def monitoring_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """重点监控: each city and year whose jobless displaced workers stay above the
    monitoring share of its exposure, with the city's main exiting industry."""
    t = solution.monitoring[
        ["region", "year", "industry", "exposure", "jobless", "jobless_share"]
    ].copy()
    t["region"] = [labels.city(r) for r in t["region"]]
    t["industry"] = [labels.industry(v) for v in t["industry"]]
    return labels.headers(t)


def public_money_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """Public money per re-employed worker-year (万元) by sector, and for all sectors (the
    headline's figure) last."""
    s = solution.by_sector
    h = solution.headline()
    t = pd.DataFrame(
        {
            "sector": [labels.sector(v) for v in s["sector"]] + [labels("all_sectors")],
            "public_money": [*s["public_money"], solution.public_money],
            "worker_years": [*s["worker_years"], solution.worker_years],
            "public_money_per_worker_year": [
                *s["public_money_per_worker_year"],
                h["public_money_per_worker_year"],
            ],
        }
    )
    return labels.headers(t)


def jobless_at_end_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """Displaced workers still jobless at the end of the horizon by city, with and without
    the programme."""
    t = solution.jobless_at_end.rename(columns={"jobless": "jobless_at_end"})
    t = t[["region", "jobless_at_end", "without_programme"]].copy()
    t["region"] = [labels.city(r) for r in t["region"]]
    return labels.headers(t)


def lasting_figure(solution: Solution, labels: Labels) -> go.Figure:
    """Year by year: displaced workers re-employed in construction jobs and in lasting
    (operating) jobs, stacked."""
    divisor, suffix = labels.count_axis()
    y = solution.by_year
    years = y["year"].astype(str)
    figure = go.Figure(
        [
            go.Bar(
                x=years,
                y=y["construction_worker_years"] / divisor,
                name=labels.column("construction_worker_years"),
                marker_color="#ff7f0e",
            ),
            go.Bar(
                x=years,
                y=y["operating_worker_years"] / divisor,
                name=labels.column("operating_worker_years"),
                marker_color="#2ca02c",
            ),
        ]
    )
    figure.update_yaxes(title=suffix + labels("persons"), tickformat=",.1f" if suffix else ",")
    return _layout(figure, labels("construction_vs_lasting"), barmode="stack")


def limits_table(
    solution: Solution, labels: Labels, used_up_only: bool = True
) -> pd.DataFrame:
    """The limits in a planner's words (see optimizer.present.explain.limits_frame), headers in
    the page's language."""
    return labels.headers(limits_frame(solution, labels, used_up_only))


def not_chosen_reasons(
    solution: Solution, labels: Labels, break_even: pd.DataFrame | None = None
) -> list[str]:
    """Each left-out project's reason in words (see optimizer.present.explain.reasons)."""
    return reasons(solution, labels, break_even)


NOT_CHOSEN_SHOWN = ["project_id", "name", "sector", "region", "capex", "build_jobs", "reason"]


def not_chosen_table(
    solution: Solution, labels: Labels, break_even: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The projects left out, each with its reason, names in the page's language."""
    table = solution.not_chosen.copy()
    table["reason"] = not_chosen_reasons(solution, labels, break_even)
    table["sector"] = [labels.sector(s) for s in table["sector"]]
    table["region"] = [labels.city(r) for r in table["region"]]
    keys = list(NOT_CHOSEN_SHOWN)
    if break_even is not None and len(break_even):
        jobs = dict(zip(break_even["project_id"], break_even["extra_jobs_needed"], strict=True))
        table["break_even_jobs"] = table["project_id"].map(jobs)
        keys.insert(-1, "break_even_jobs")
    return labels.headers(table[keys])


@functools.cache
def city_shapes() -> dict[str, Any]:
    """The 13 cities' boundaries, packaged with the code (origin: optimizer/data/README.md)."""
    source = resources.files("optimizer") / "data" / "jiangsu-cities.geojson"
    return json.loads(source.read_text(encoding="utf-8"))


# Where a city's name sits, off its centre, in degrees (lon, lat): Yangzhou and Zhenjiang
# face each other across the Yangtze and their names would overlap.
LABEL_OFFSETS = {"Yangzhou": (-0.05, 0.22), "Zhenjiang": (0.05, -0.22)}


def province_map(solution: Solution, labels: Labels) -> go.Figure:
    """The cities shaded by re-employed share (with a colour bar), sized circles for
    displaced workers, and the chosen projects as points by sector, on plain
    longitude/latitude axes (no tiles)."""
    cover = solution.reemployment.set_index("region")
    low, span = 0.15, 0.8
    figure = go.Figure()
    for feature in city_shapes()["features"]:
        region = feature["properties"]["region"]
        if region not in cover.index:
            continue
        row = cover.loc[region]
        colour = sample_colorscale("Blues", [low + span * min(1.0, float(row["coverage"]))])[0]
        hover = (
            f"{labels.city(region)}<br>{labels('displaced')}: {labels.people(row['displaced'])}"
            f"<br>{labels('worker_years')}: {labels.worker_years(row['worker_years'])} "
            f"({share(row['coverage'])})"
        )
        for polygon in feature["geometry"]["coordinates"]:
            ring = polygon[0]
            figure.add_trace(
                go.Scatter(
                    x=[p[0] for p in ring],
                    y=[p[1] for p in ring],
                    fill="toself",
                    fillcolor=colour,
                    line=dict(color="white", width=1),
                    mode="lines",
                    hoverinfo="text",
                    text=hover,
                    hoveron="fills",
                    showlegend=False,
                )
            )
    centres = {
        f["properties"]["region"]: f["properties"]["center"] for f in city_shapes()["features"]
    }
    known = [r for r in cover.index if r in centres]
    biggest = max(1.0, float(cover["displaced"].max()))
    figure.add_trace(
        go.Scatter(
            x=[centres[r][0] for r in known],
            y=[centres[r][1] for r in known],
            mode="markers",
            marker=dict(
                size=[8 + 30 * cover.loc[r, "displaced"] / biggest for r in known],
                color="rgba(255,127,14,0.35)",
                line=dict(color="#ff7f0e", width=1),
            ),
            name=labels("displaced"),
            hoverinfo="skip",
        )
    )
    # The cities' names: dark text on a white box, readable on any fill.
    for r in known:
        dx, dy = LABEL_OFFSETS.get(r, (0.0, 0.12))
        figure.add_annotation(
            x=centres[r][0] + dx,
            y=centres[r][1] + dy,
            text=labels.city(r),
            showarrow=False,
            font=dict(size=12, color="#111111"),
            bgcolor="rgba(255,255,255,0.8)",
            borderpad=2,
        )
    chosen = solution.chosen
    for sector in SECTORS:
        part = chosen[chosen["sector"] == sector]
        if part.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=part["lon"],
                y=part["lat"],
                mode="markers",
                name=labels.sector(sector),
                marker=dict(size=7, color=SECTOR_COLOURS.get(sector), line=dict(width=0.5)),
                text=part["name"] + " · " + part["capex"].map(lambda v: f"{v:,.1f} 亿元"),
                hoverinfo="text",
            )
        )
    # The fill colour's legend: an invisible marker trace carrying the colour bar.
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker=dict(
                colorscale=[
                    [k / 10, sample_colorscale("Blues", [low + span * k / 10])[0]]
                    for k in range(11)
                ],
                cmin=0.0,
                cmax=1.0,
                color=[0.0],
                showscale=True,
                colorbar=dict(title=labels("coverage_legend"), tickformat=".0%", len=0.6),
            ),
        )
    )
    figure.update_xaxes(visible=False)
    # One degree of latitude is longer than one of longitude at 32°N.
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.18)
    return _layout(figure, labels("tab_map"), height=620, plot_bgcolor="white")


def shortlist_table(solution: Solution, labels: Labels) -> pd.DataFrame:
    """The chosen projects in start-year order, headers in the chosen language."""
    keys = list(SHORTLIST_COLUMNS)  # the same columns as the Excel shortlist
    table = solution.chosen.assign(jobs_source=[short_source(v) for v in solution.chosen["source"]])
    table = table[keys].copy()
    table["sector"] = [labels.sector(s) for s in table["sector"]]
    table["region"] = [labels.city(r) for r in table["region"]]
    table["ppp_mechanism"] = [labels.mechanism(m) for m in table["ppp_mechanism"]]
    return labels.headers(table)


def filter_shortlist(
    table: pd.DataFrame, labels: Labels, needle: str = "", sectors: list[str] | None = None
) -> pd.DataFrame:
    """Rows of `shortlist_table` containing the words typed (any column, as plain text, not a
    pattern) and in the sectors picked (their shown names)."""
    shown = table
    if needle:
        words = table.astype(str)
        mask = words.apply(lambda col: col.str.contains(needle, case=False, regex=False))
        shown = shown[mask.any(axis=1)]
    if sectors:
        shown = shown[shown[labels.column("sector")].isin(sectors)]
    return shown


# ---------------------------------------------------------------------------- trade-offs


def frontier_figure(table: pd.DataFrame, labels: Labels) -> go.Figure:
    """Worker-years re-employed and job-years against the lever, the current setting marked."""
    divisor, suffix = labels.count_axis()
    lever = str(table["lever"].iloc[0])
    unit = labels.unit(str(table["unit"].iloc[0]))
    solved = table[[Status(s).has_portfolio for s in table["status"]]]
    figure = go.Figure(
        [
            go.Scatter(
                x=solved["amount"],
                y=solved["worker_years"] / divisor,
                mode="lines+markers",
                name=labels("worker_years"),
                customdata=solved["marginal_worker_years"],
                hovertemplate="%{x:,.1f}: %{y:,.1f}<br>"
                + labels("marginal", unit=unit)
                + ": %{customdata:,.1f}",
            ),
            go.Scatter(
                x=solved["amount"],
                y=solved["job_years"] / divisor,
                mode="lines+markers",
                name=labels("job_years"),
            ),
        ]
    )
    current = solved[solved["current"]]
    if len(current):
        figure.add_trace(
            go.Scatter(
                x=current["amount"],
                y=current["worker_years"] / divisor,
                mode="markers",
                marker=dict(size=16, symbol="star", color="#d62728"),
                name=labels("current"),
            )
        )
    figure.update_xaxes(title=f"{labels.lever(lever)} ({unit})")
    figure.update_yaxes(title=suffix + labels("worker_years_unit"))
    return _layout(figure, labels("frontier"))


# The Excel sheet's frontier columns, less one marginal, plus the current setting's mark.
FRONTIER_SHOWN = [c for c in FRONTIER_COLUMNS if c != "marginal_job_years"] + ["current"]


def frontier_table(table: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The frontier as a planner reads it: statuses in words, headers in the language."""
    shown = table[[c for c in FRONTIER_SHOWN if c in table.columns]].copy()
    shown["status"] = [labels.status(s) for s in shown["status"]]
    shown["current"] = [labels.yes_no(v) for v in shown["current"]]
    if "tolerance" in table.columns:
        # No figure finer than the solves behind it can tell (151,349.553 reads 151,000).
        step = conclusions.table_tolerance(table["tolerance"])
        for column in ("worker_years", "job_years", "weighted_job_years"):
            if column in shown.columns:
                shown[column] = [rounded(v, step) for v in table[column]]
    shown["marginal_worker_years"] = shown["marginal_worker_years"].round(1)
    unit = labels.unit(str(table["unit"].iloc[0])) if len(table) else ""
    shown = labels.headers(shown)
    return shown.rename(
        columns={
            labels.column("amount"): f"{labels.column('amount')} ({unit})",
            labels.column("marginal_worker_years"): labels.pick(COLUMNS["marginal_per"]).format(
                unit=unit
            ),
        }
    )


def limit_values_table(values: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """What 10 % more of each limit buys, ranked (optimizer.limit_values), in the page's
    language."""
    return labels.headers(limit_values_frame(values, labels))


# The chart shows the limits that bind, at most this many (the table has every one).
LIMIT_VALUES_SHOWN = 15


def limit_values_figure(values: pd.DataFrame, labels: Labels) -> go.Figure:
    """The limits that bind, ranked by the worker-years 10 % more of each buys (the most at
    the top), each bar marked with its worker-years per 亿元."""
    shown = values[values["binds"]].head(LIMIT_VALUES_SHOWN)
    words = limit_values_frame(shown, labels)
    per_yi = labels.column("per_yi")
    figure = go.Figure(
        go.Bar(
            x=words["worker_years_gained"][::-1],
            y=words["limit_words"][::-1],
            orientation="h",
            text=[f"{v:,.0f} {per_yi}" for v in words["per_yi"][::-1]],
            textposition="auto",
            marker_color="#1f77b4",
        )
    )
    figure.update_xaxes(title=labels.column("worker_years_gained"), tickformat=",")
    if shown.empty:
        figure.add_annotation(text=labels("limit_values_none"), showarrow=False)
    return _layout(figure, labels("chart_limit_values"))


def break_even_table(table: pd.DataFrame, solution: Solution, labels: Labels) -> pd.DataFrame:
    """optimizer.break_even's table for the page: names and cities beside the ids, the
    informative rows first (a finite number of jobs, fewest first; then within solver
    precision; then never; then not solved), rows within the gap marked."""
    info = solution.not_chosen.set_index("project_id")
    shown = table.copy()
    jobs = shown["extra_jobs_needed"].astype(float)
    finite = np.isfinite(jobs) & ~shown["within_gap"].astype(bool)
    rank = np.select(
        [finite, shown["within_gap"].astype(bool), np.isinf(jobs)], [0, 1, 2], default=3
    )
    shown = shown.assign(_rank=rank, _jobs=jobs).sort_values(["_rank", "_jobs", "project_id"])
    rates = conclusions.entry_thresholds(shown, solution.not_chosen)
    needed = rates["jobs_per_yi_needed"].reindex(shown.index)

    def jobs_or_never(v: float, places: int) -> Any:
        return labels("never") if np.isinf(v) else (None if v != v else round(v, places) or 0)

    out = pd.DataFrame(
        {
            "project_id": shown["project_id"],
            "name": shown["project_id"].map(info["name"]),
            "region": [labels.city(r) for r in shown["project_id"].map(info["region"])],
            "jobs_per_yi_has": rates["jobs_per_yi"].reindex(shown.index).round(1),
            "jobs_per_yi_needed": [jobs_or_never(v, 1) for v in needed],
            "extra_jobs_needed": [jobs_or_never(v, 0) for v in shown["_jobs"]],
            "objective_change": [
                rounded(v, t) if np.isfinite(t) else v
                for v, t in zip(
                    shown["objective_change"],
                    shown.get("change_tolerance", pd.Series(np.nan, index=shown.index)),
                    strict=True,
                )
            ],
            "within_gap": [labels.yes_no(v) for v in shown["within_gap"]],
            "status": [labels.status(s) for s in shown["status"]],
        }
    )
    return labels.headers(out.reset_index(drop=True))


def grid_figure(grid: pd.DataFrame, labels: Labels) -> go.Figure:
    """Worker-years re-employed over two levers (infeasible cells left blank)."""
    divisor, suffix = labels.count_axis()
    pivot = grid.pivot_table(index="amount_y", columns="amount_x", values="worker_years")
    x_lever, y_lever = grid["lever_x"].iloc[0], grid["lever_y"].iloc[0]
    # Each cell's value as the precision of its solve supports it; a cell without a
    # portfolio says so.
    step = conclusions.table_tolerance(grid.get("tolerance", 0.0 * grid["gap"]))
    cells = grid.assign(
        shown=[
            labels.people(rounded(v, step), "").strip() if v == v else labels("grid_no_portfolio")
            for v in grid["worker_years"]
        ]
    )
    text = cells.pivot(index="amount_y", columns="amount_x", values="shown")
    text = text.reindex(index=pivot.index, columns=pivot.columns).fillna(
        labels("grid_no_portfolio")
    )
    figure = go.Figure(
        go.Heatmap(
            x=pivot.columns,
            y=pivot.index,
            z=pivot.to_numpy() / divisor,
            text=text.to_numpy(),
            texttemplate="%{text}",
            colorscale="Blues",
            colorbar=dict(title=suffix + labels("worker_years_unit")),
            hovertemplate="%{x:,.0f} × %{y:,.0f}: %{text}<extra></extra>",
        )
    )
    current = grid[grid["current"]] if "current" in grid.columns else grid.iloc[:0]
    if len(current):
        figure.add_trace(
            go.Scatter(
                x=current["amount_x"],
                y=current["amount_y"],
                mode="markers+text",
                marker=dict(symbol="square-open", size=46, color="#d62728", line=dict(width=3)),
                text=[labels("grid_current")] * len(current),
                textposition="bottom center",
                textfont=dict(color="#d62728"),
                name=labels("grid_current"),
                hoverinfo="skip",
            )
        )
    x_unit, y_unit = labels.unit(LEVERS[x_lever].unit), labels.unit(LEVERS[y_lever].unit)
    figure.update_xaxes(title=f"{labels.lever(x_lever)} ({x_unit})")
    figure.update_yaxes(title=f"{labels.lever(y_lever)} ({y_unit})")
    return _layout(figure, labels("worker_years"))


ROBUST_BAR_PX = 18  # a labelled bar's height: the chart grows with the projects it names


def grid_table(grid: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The grid as a table: each lever's amount (headed by the lever and its unit), status in
    words, figures rounded to each solve's precision."""
    x, y = str(grid["lever_x"].iloc[0]), str(grid["lever_y"].iloc[0])
    step = conclusions.table_tolerance(grid.get("tolerance", 0.0 * grid["gap"]))
    table = pd.DataFrame(
        {
            f"{labels.lever(x)} ({labels.unit(LEVERS[x].unit)})": grid["amount_x"].round(1),
            f"{labels.lever(y)} ({labels.unit(LEVERS[y].unit)})": grid["amount_y"].round(1),
            "status": [labels.status(s) for s in grid["status"]],
            "worker_years": [rounded(v, step) for v in grid["worker_years"]],
            "gap": grid["gap"],
            "current": [labels.yes_no(v) for v in grid.get("current", False * grid["gap"])],
        }
    )
    return labels.headers(table)


def robustness_figure(result: Robustness, labels: Labels) -> go.Figure:
    """The core and borderline projects, each a labelled bar (its id and name) as long as
    the share of draws that keep it, most often kept at the top; the 90 % and 10 % marks
    drawn. The projects the draws leave out are not drawn (the sentence counts them)."""
    p = conclusions.kept_projects(result).iloc[::-1]  # plotly draws the first bar lowest
    colours = {"core": "#2ca02c", "borderline": "#ff7f0e"}
    figure = go.Figure()
    for klass, colour in colours.items():
        part = p[p["class"] == klass]
        figure.add_trace(
            go.Bar(
                y=[f"{i} {n}" for i, n in zip(part["project_id"], part["name"], strict=True)],
                x=part["frequency"],
                orientation="h",
                marker_color=colour,
                name=labels.klass(klass),
                hovertemplate="%{y}: %{x:.0%}<extra></extra>",
            )
        )
    for mark in (0.1, 0.9):
        figure.add_vline(x=mark, line=dict(color="#555555", dash="dot", width=1))
    figure.update_xaxes(tickformat=".0%", title=labels("frequency"), range=[0, 1.02])
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=[f"{i} {n}" for i, n in zip(p["project_id"], p["name"], strict=True)],
        automargin=True,
    )
    return _layout(
        figure, labels("robust_chart"), height=160 + ROBUST_BAR_PX * max(1, len(p)), barmode="stack"
    )


def robustness_projects(result: Robustness, labels: Labels) -> pd.DataFrame:
    """The core and borderline projects with the share of draws that keep each, in the
    page's language (most often kept first)."""
    kept = conclusions.kept_projects(result)
    return labels.headers(
        pd.DataFrame(
            {
                "project_id": kept["project_id"],
                "name": kept["name"],
                "sector": [labels.sector(v) for v in kept["sector"]],
                "region": [labels.city(v) for v in kept["region"]],
                "frequency": kept["frequency"],
                "class": [labels.klass(v) for v in kept["class"]],
            }
        ).reset_index(drop=True)
    )


def robustness_table(result: Robustness, labels: Labels) -> pd.DataFrame:
    """The draws' summary as two columns (what, value), in the page's language."""
    summary = result.summary()
    # The worker-years as the draws' precision supports them.
    step = conclusions.table_tolerance(result.draws.get("tolerance", []))
    shown = {
        k: rounded(v, step) if k.startswith("worker_years") and v == v else v
        for k, v in summary.items()
    }
    return pd.DataFrame(
        {
            labels.column("item"): [labels.column(k) for k in shown],
            labels.column("value"): [f"{v:,.0f}" if v == v else "" for v in shown.values()],
        }
    )


# ---------------------------------------------------------------------------- comparing


# The headline figures compared side by side: (headline key, label key, how it is shown:
# "count" with separators (万 in Chinese), "money" in 亿元 with one decimal, "ratio" with one
# decimal, "share" as a percentage).
COMPARED = (
    ("worker_years", "worker_years", "count"),
    ("jobless_worker_years", "jobless_left", "count"),
    ("trainees", "trainees_short", "count"),
    ("reemployed_peak", "reemployed", "count"),
    ("job_years", "job_years", "count"),
    ("projects", "projects", "count"),
    ("capex", "capex", "money"),
    ("job_years_per_yi", "job_years_per_yi", "ratio"),
    ("debt_used", "debt_used", "money"),
    ("worst_ppp_ratio", "worst_ppp_short", "share"),
)


def _compared_label(key: str, word: str, kind: str, h: dict[str, float], labels: Labels) -> str:
    if key == "reemployed_peak":
        return labels(word) + f" ({int(h['peak_year'])})"
    return labels(word) + (" (亿元)" if kind == "money" else "")


def _compared_rows(saved: dict[str, Solution], labels: Labels) -> dict[str, dict[str, tuple]]:
    """{scenario: {row label: (kind, value)}} in COMPARED's order."""
    rows = {}
    for name, solution in saved.items():
        h = solution.headline()
        rows[name] = {
            _compared_label(key, word, kind, h, labels): (kind, h[key])
            for key, word, kind in COMPARED
        }
    return rows


def compare_table(saved: dict[str, Solution], labels: Labels) -> pd.DataFrame:
    """The headline figures of saved scenarios side by side (one column a scenario), as
    numbers; `compare_shown` formats them for the page."""
    rows = _compared_rows(saved, labels)
    return pd.DataFrame({name: {k: v for k, (_, v) in row.items()} for name, row in rows.items()})


def compare_shown(saved: dict[str, Solution], labels: Labels) -> pd.DataFrame:
    """`compare_table` formatted for reading: counts with separators (万 in Chinese), money
    and ratios with one decimal, the PPP ratio as a percentage."""
    rows = _compared_rows(saved, labels).values()
    kinds = {label: kind for row in rows for label, (kind, _) in row.items()}
    shown = {
        "share": share,
        "money": lambda v: f"{v:,.1f}",
        "ratio": lambda v: f"{v:,.1f}",
        "count": lambda v: labels.people(v, "").strip(),
    }
    table = compare_table(saved, labels).astype(object)
    for label in table.index:
        table.loc[label] = [shown[kinds[label]](v) for v in table.loc[label]]
    return table


def inputs_differ(
    before: Solution, after: Solution, labels: Labels, data: Any = None
) -> pd.DataFrame:
    """The scenario inputs that differ between two solutions (Input, one column each)."""
    a, b = before.scenario, after.scenario
    if data is not None:
        a, b = a.resolved(data), b.resolved(data)
    left, right = a.to_dict(), b.to_dict()
    rows = []
    for key in left:
        if key == "name" or left.get(key) == right.get(key):
            continue
        rows.append(
            {
                "input": labels.input(key),
                "before": _plain(left[key]),
                "after": _plain(right.get(key)),
            }
        )
    return pd.DataFrame(rows, columns=["input", "before", "after"])


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, float):
        return f"{value:,.4g}"
    return "" if value is None else str(value)


def portfolio_changes(before: Solution, after: Solution, labels: Labels) -> pd.DataFrame:
    """Projects that enter, leave or move their start between two solutions."""
    a, b = before.chosen_starts, after.chosen_starts
    names = dict(zip(before.chosen["project_id"], before.chosen["name"], strict=True))
    names.update(zip(after.chosen["project_id"], after.chosen["name"], strict=True))
    changes = Changes.between(a, b)
    words = {pid: labels("entered") for pid in changes.entered}
    words.update({pid: labels("left") for pid in changes.left})
    words.update({pid: f"{labels('moved')} {a[pid]} → {b[pid]}" for pid in changes.moved})
    rows = [
        {"project_id": pid, "name": names.get(pid, ""), "change": words[pid]}
        for pid in sorted(words)
    ]
    return labels.headers(pd.DataFrame(rows, columns=["project_id", "name", "change"]))
