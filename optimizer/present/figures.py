"""Plotly figures of a result and of the analyses, drawn on plain axes (no tiles, no fonts,
no CDN: nothing is fetched from the internet)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from .. import conclusions
from ..precision import rounded
from ..schema import SECTORS
from ..solution import Solution
from ..solver import Status
from ..tradeoffs import LEVERS, Robustness
from .explain import (
    limit_values_frame,
)
from .labels import Labels

SECTOR_COLOURS = dict(zip(SECTORS, qualitative.Safe, strict=False))


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
    return laid_out(figure, labels("by_year_title"), barmode="overlay")


def laid_out(figure: go.Figure, title: str, **extra: Any) -> go.Figure:
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
    return laid_out(
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
    return laid_out(figure, labels("share"))


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
    return laid_out(figure, labels("worker_years"), barmode="overlay")


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
    return laid_out(figure, labels("ppp_ratio"))


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
    return laid_out(figure, labels("construction_vs_lasting"), barmode="stack")


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
    return laid_out(figure, labels("frontier"))


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
    return laid_out(figure, labels("chart_limit_values"))


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
    return laid_out(figure, labels("worker_years"))


ROBUST_BAR_PX = 18  # a labelled bar's height: the chart grows with the projects it names


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
    return laid_out(
        figure, labels("robust_chart"), height=160 + ROBUST_BAR_PX * max(1, len(p)), barmode="stack"
    )
