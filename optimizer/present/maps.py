"""The province map: the cities' polygons from the packaged GeoJSON (no tiles), coloured by
what each city re-employs, with the chosen projects on it."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ..schema import SECTORS
from ..solution import Solution
from .figures import SECTOR_COLOURS, laid_out
from .formats import share
from .labels import Labels


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
    return laid_out(figure, labels("tab_map"), height=620, plot_bgcolor="white")
