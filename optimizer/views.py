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

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative, sample_colorscale

from .export import COLUMNS, SHORTLIST_COLUMNS
from .schema import SECTOR_NAMES_ZH, SECTORS
from .solution import Solution
from .tradeoffs import LEVERS, Robustness

LANGUAGES = {"en": "English", "zh": "简体中文"}

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Infrastructure investment prioritiser — Jiangsu", "基础设施投资优选 — 江苏"),
    "subtitle": (
        "Choose projects and start years that re-employ the most displaced workers, within "
        "fiscal, debt and PPP limits.",
        "在财政、债务和PPP约束下，选择能让最多分流职工再就业的项目与开工年份。",
    ),
    "language": ("Language", "语言"),
    "data": ("Workbook", "数据工作簿"),
    "use_sample": ("Sample workbook (projects.xlsx)", "示例工作簿（projects.xlsx）"),
    "use_upload": ("Upload my workbook", "上传工作簿"),
    "upload": ("Workbook (.xlsx)", "工作簿（.xlsx）"),
    "template": ("Download a blank template", "下载空白模板"),
    "bad_upload": (
        "The upload has problems; the app keeps working on the last good workbook.",
        "上传的工作簿有问题；应用继续使用上一个有效的工作簿。",
    ),
    "scenario": ("Scenario", "情景"),
    "money_table": (
        "Fiscal budget and bond quota by year (亿元)",
        "各年财政预算与债券额度（亿元）",
    ),
    "budget_scale": ("Overall scale of budgets and quotas", "预算与额度总体倍数"),
    "debt_scale": ("Debt headroom scale", "债务空间倍数"),
    "ppp_line": ("PPP line (share of general budget spending)", "PPP红线（占一般预算支出比例）"),
    "ppp_custom": ("PPP line, own value", "PPP红线自定义"),
    "commute": ("Commuting distance (km)", "通勤距离（公里）"),
    "other_weight": ("Weight of jobs no displaced worker takes", "非分流职工岗位权重"),
    "coverage": ("Minimum re-employed share in every city", "各市最低再就业比例"),
    "sectors": ("Sector shares of capex (min, max)", "行业投资占比（下限、上限）"),
    "forced_in": ("Projects forced in", "强制纳入项目"),
    "forced_out": ("Projects forced out", "强制排除项目"),
    "time_limit": ("Solver time limit (s)", "求解时限（秒）"),
    "optimal": ("Optimal within a gap of {gap}.", "已求得最优解（间隙 {gap}）。"),
    "time_limited": (
        "Stopped at the time limit: the best portfolio found is within {gap} of the best possible.",
        "达到求解时限：当前方案与理论最优的差距在 {gap} 以内。",
    ),
    "infeasible": (
        "No portfolio meets every limit. To make one possible:",
        "没有方案能满足全部约束。可以这样调整：",
    ),
    "solver_error": ("The solver failed: {message}", "求解器出错：{message}"),
    "reemployed": ("Re-employed displaced workers (persons)", "再就业分流职工（人）"),
    "worker_years": ("Worker-years re-employed", "分流职工再就业人年"),
    "job_years": ("Job-years", "就业岗位人年"),
    "job_years_per_yi": ("Job-years per 亿元", "每亿元就业人年"),
    "worker_years_of": (
        "Worker-years re-employed, of {need} displaced ({share})",
        "分流职工再就业人年（共需{need}，占{share}）",
    ),
    "peak_of": (
        "Re-employed in the peak year {year}, of {stock} displaced ({share})",
        "高峰年份{year}年再就业人数（分流{stock}，占{share}）",
    ),
    "displaced_stock": ("Displaced by then", "累计分流职工"),
    "by_year_title": (
        "Re-employed against the displaced, year by year",
        "逐年再就业人数与累计分流职工",
    ),
    "displaced_worker_years": ("Worker-years displaced", "分流职工人年"),
    "ppp_notes": ("PPP lines in words", "PPP红线说明"),
    "capex": ("Capex", "总投资"),
    "financing": ("Budget / bonds / social capital (亿元)", "预算 / 专项债 / 社会资本（亿元）"),
    "capex_of": ("Capex of {count} projects", "{count}个项目总投资"),
    "vs_previous": ("Change since the previous scenario", "与上一情景相比"),
    "debt_used": ("New debt", "新增债务"),
    "worst_ppp": ("Highest PPP ratio (line {line})", "最高PPP支出占比（红线 {line}）"),
    "worst_ppp_short": ("Highest PPP ratio", "最高PPP支出占比"),
    "projects": ("Projects", "项目数"),
    "tab_result": ("Result", "结果"),
    "tab_map": ("Map", "地图"),
    "tab_tradeoffs": ("Trade-offs", "权衡分析"),
    "tab_compare": ("Compare scenarios", "情景比较"),
    "tab_shortlist": ("Shortlist", "项目清单"),
    "binding": ("Limits that bind", "起约束作用的限制"),
    "frontier": ("Frontier", "前沿曲线"),
    "lever": ("Lever", "调节项"),
    "points": ("Points", "点数"),
    "run_frontier": ("Trace the frontier", "计算前沿曲线"),
    "grid": ("Two levers (heat map)", "双调节项（热力图）"),
    "run_grid": ("Fill the heat map", "计算热力图"),
    "break_even": ("Break-even for projects left out", "未入选项目的盈亏平衡"),
    "run_break_even": ("Compute break-even", "计算盈亏平衡"),
    "robustness": ("Robustness to uncertain jobs figures", "就业估计不确定性下的稳健性"),
    "draws": ("Draws", "抽样次数"),
    "spread": ("Spread of jobs per 亿元 (±)", "每亿元就业波动（±）"),
    "run_robustness": ("Run the draws", "运行抽样"),
    "analysis_gap": ("Gap per solve", "每次求解间隙"),
    "save_as": ("Save the current scenario as", "将当前情景保存为"),
    "save": ("Save", "保存"),
    "saved_none": ("No saved scenarios yet.", "尚未保存情景。"),
    "compare_with": ("Compare with", "对比情景"),
    "entered": ("entered", "新纳入"),
    "left": ("left", "被移出"),
    "moved": ("start moved", "开工年份调整"),
    "no_change": ("The same projects in both.", "两个情景的项目相同。"),
    "download_scenario": ("Download the scenario (JSON)", "下载情景（JSON）"),
    "upload_scenario": (
        "Load a scenario (JSON, or an Excel shortlist)",
        "载入情景（JSON或Excel项目清单）",
    ),
    "bad_scenario": ("The scenario file cannot be used: {message}", "情景文件无法使用：{message}"),
    "empty_cell": (
        "A cell of “{table}” was left empty; enter an amount (0 for none). The edit was "
        "undone and the last good result is shown.",
        "“{table}”中有单元格被清空；请填写数值（没有则填 0）。该修改已撤销，仍显示上一个有效结果。",
    ),
    "edit_refused": (
        "That change cannot be used, so it was undone and the last good result is shown: {message}",
        "该修改无法使用，已撤销，仍显示上一个有效结果：{message}",
    ),
    "download_excel": ("Download the Excel shortlist", "下载Excel项目清单"),
    "change": ("Change", "变化"),
    "current": ("current", "当前"),
    "displaced": ("Displaced workers", "分流职工"),
    "budget_spend": ("Budget spend", "预算支出"),
    "bond_spend": ("Bond spend", "债券支出"),
    "fiscal_budget": ("Fiscal budget", "财政预算"),
    "bond_quota": ("Bond quota", "债券额度"),
    "ppp_ratio": ("PPP ratio", "PPP支出占比"),
    "share": ("Share of capex", "投资占比"),
    "min": ("min", "下限"),
    "max": ("max", "上限"),
    "year": ("Year", "年份"),
    "city": ("City", "城市"),
    "sector": ("Sector", "行业"),
    "persons": ("persons", "人"),
    "frequency": ("Chosen in share of draws", "入选频率"),
    "class_core": ("core", "核心"),
    "class_borderline": ("borderline", "边缘"),
    "class_outside": ("outside", "排除"),
    "scenario_name": ("Scenario", "情景"),
    "marginal": ("Extra worker-years per extra {unit}", "每增加1{unit}新增再就业人年"),
    "worker_years_unit": ("worker-years", "人年"),
}

LEVER_NAMES_ZH = {
    "fiscal_budget": "财政预算（各年合计）",
    "bond_quota": "债券额度（各年合计）",
    "debt_headroom": "债务空间（各市合计）",
    "ppp_line": "PPP红线（各市合计）",
    "commute_km": "通勤距离",
}
SECTOR_COLOURS = dict(zip(SECTORS, qualitative.Safe, strict=False))


def text(key: str, language: str = "en", **values: Any) -> str:
    """A label in the chosen language, with {placeholders} filled."""
    en, zh = TEXT[key]
    return (zh if language == "zh" else en).format(**values)


def sector_name(sector: str, language: str) -> str:
    return SECTOR_NAMES_ZH.get(sector, sector) if language == "zh" else sector.replace("_", " ")


def lever_name(lever: str, language: str) -> str:
    return LEVER_NAMES_ZH[lever] if language == "zh" else LEVERS[lever].label


def money(value: float, language: str = "en") -> str:
    return f"{value:,.2f} 亿元"


def people(value: float, language: str = "en", unit: str = "人") -> str:
    """Persons (or 人年, worker-years, with unit="人年"): 万 in Chinese where natural (10,000
    and more)."""
    if language == "zh":
        return f"{value / 1e4:,.2f} 万{unit}" if abs(value) >= 1e4 else f"{value:,.0f} {unit}"
    return f"{value:,.0f}"


def worker_years(value: float, language: str = "en") -> str:
    """Worker-years (job-years): 万人年 in Chinese."""
    return people(value, language, "人年")


def share(value: float) -> str:
    return f"{value:.1%}"


# ---------------------------------------------------------------------------- the result


def status_message(solution: Solution, language: str = "en") -> tuple[str, str]:
    """("success" | "warning", the banner's words) for a solved scenario."""
    gap = f"{solution.gap:.2%}" if solution.gap is not None else "?"
    if solution.extra.get("gap_is_upper_bound"):
        gap = f"≤ {gap}"  # the solver gave no bound: only what was asked for is known
    if solution.status == "optimal":
        return "success", text("optimal", language, gap=gap)
    return "warning", text("time_limited", language, gap=gap)


# Chinese wording of the diagnosis for the limits a planner moves most; other conflicts keep
# the diagnosis's own (English) sentence.
_CONFLICTS_ZH = {
    "fiscal_budget": "{key}年财政预算需 {needed:,.1f} 亿元，当前设定 {set:,.1f} 亿元"
    "（需增加 {move:,.1f} 亿元）",
    "bond_quota": "{key}年债券额度需 {needed:,.1f} 亿元，当前设定 {set:,.1f} 亿元"
    "（需增加 {move:,.1f} 亿元）",
    "debt_headroom": "{place}债务空间需 {needed:,.1f} 亿元，现有 {set:,.1f} 亿元"
    "（需增加 {move:,.1f} 亿元）",
    "ppp_line": "{place}新增PPP年支出需 {needed:,.2f} 亿元/年，红线内剩余 {set:,.2f} 亿元/年"
    "（提高红线或减少该市PPP项目）",
    "coverage_floor": "{place}须再就业 {set:,.0f} 名分流职工，在其他约束下最多 {needed:,.0f} 名"
    "（降低各市最低再就业比例）",
}


def conflict_lines(
    conflicts: pd.DataFrame, language: str = "en", names_zh: dict[str, str] | None = None
) -> list[str]:
    """The diagnosis of an infeasible scenario (InfeasibleError.to_frame()) as sentences."""
    lines = []
    for row in conflicts.itertuples(index=False):
        template = _CONFLICTS_ZH.get(row.limit) if language == "zh" else None
        numbers = (row.set, row.needed)
        if template is None or any(v is None or v != v for v in numbers):
            lines.append(str(row.message))
            continue
        place = (names_zh or {}).get(str(row.about), str(row.about))
        lines.append(
            template.format(
                key=row.about,
                place=place,
                set=row.set,
                needed=row.needed,
                move=row.needed - row.set,
            )
        )
    return lines


def headline_metrics(solution: Solution, language: str = "en") -> list[tuple[str, str, float]]:
    """(label, value as shown, value as a number) for the headline figures: worker-years
    re-employed first, then the peak year."""
    h = solution.headline()
    line = solution.scenario.ppp_cap_share or 0.0
    count = int(h["projects"])
    stock = h["reemployed_peak"] / h["peak_share"] if h["peak_share"] else 0.0
    return [
        (
            text(
                "worker_years_of",
                language,
                need=worker_years(h["displaced_worker_years"], language),
                share=share(h["worker_years_share"]),
            ),
            worker_years(h["worker_years"], language),
            h["worker_years"],
        ),
        (
            text(
                "peak_of",
                language,
                year=int(h["peak_year"]),
                stock=people(stock, language),
                share=share(h["peak_share"]),
            ),
            people(h["reemployed_peak"], language),
            h["reemployed_peak"],
        ),
        (text("job_years", language), worker_years(h["job_years"], language), h["job_years"]),
        (
            text("job_years_per_yi", language),
            f"{h['job_years_per_yi']:,.1f}",
            h["job_years_per_yi"],
        ),
        (text("capex_of", language, count=count), f"{h['capex']:,.0f} 亿元", h["capex"]),
        (
            text("financing", language),
            f"{h['budget_money']:,.0f} / {h['bond_money']:,.0f} / {h['private_money']:,.0f}",
            h["budget_money"],
        ),
        (text("debt_used", language), f"{h['debt_used']:,.0f} 亿元", h["debt_used"]),
        (
            text("worst_ppp", language, line=share(line)),
            share(h["worst_ppp_ratio"]),
            h["worst_ppp_ratio"],
        ),
    ]


def ppp_notes(solution: Solution, language: str = "en") -> list[str]:
    """One sentence per city whose PPP standing needs words: existing commitments above a
    line, or a ratio above the warning level."""
    out = []
    names = dict(
        zip(solution.reemployment["region"], solution.reemployment["name_zh"], strict=True)
    )
    for row in solution.by_region.itertuples(index=False):
        if not row.ppp_code:
            continue
        if language == "zh":
            out.append(f"{names.get(row.region) or row.region}：{row.ppp_note_zh}")
        else:
            out.append(f"{row.region}: {row.ppp_note}")
    return out


def reemployment_year_figure(solution: Solution, language: str = "en") -> go.Figure:
    """Year by year: displaced workers re-employed against the displaced stock."""
    y = solution.by_year
    years = y["year"].astype(str)
    figure = go.Figure(
        [
            go.Bar(
                x=years,
                y=y["displaced_stock"],
                name=text("displaced_stock", language),
                marker_color="#bbbbbb",
            ),
            go.Bar(
                x=years,
                y=y["reemployed"],
                name=text("reemployed", language),
                marker_color="#1f77b4",
            ),
        ]
    )
    figure.update_yaxes(title=text("persons", language))
    return _layout(figure, text("by_year_title", language), barmode="overlay")


def _layout(figure: go.Figure, title: str, **extra: Any) -> go.Figure:
    figure.update_layout(
        title=title,
        margin=dict(l=10, r=10, t=50, b=10),
        legend=dict(orientation="h", y=-0.15),
        **extra,
    )
    return figure


def year_figure(solution: Solution, language: str = "en") -> go.Figure:
    """Spend by year against the fiscal budget and the bond quota."""
    y = solution.by_year
    years = y["year"].astype(str)
    figure = go.Figure(
        [
            go.Bar(x=years, y=y["budget_spend"], name=text("budget_spend", language)),
            go.Bar(x=years, y=y["bond_spend"], name=text("bond_spend", language)),
            go.Scatter(
                x=years,
                y=y["fiscal_budget"],
                name=text("fiscal_budget", language),
                mode="lines+markers",
                line=dict(dash="dash"),
            ),
            go.Scatter(
                x=years,
                y=y["bond_quota"],
                name=text("bond_quota", language),
                mode="lines+markers",
                line=dict(dash="dot"),
            ),
        ]
    )
    return _layout(
        figure,
        f"{text('budget_spend', language)} / {text('bond_spend', language)} (亿元)",
        barmode="group",
    )


def sector_figure(solution: Solution, language: str = "en") -> go.Figure:
    """Each sector's share of capex against its minimum and maximum."""
    s = solution.by_sector
    names = [sector_name(v, language) for v in s["sector"]]
    figure = go.Figure(
        [
            go.Bar(
                x=names,
                y=s["share"],
                name=text("share", language),
                marker_color=[SECTOR_COLOURS.get(v) for v in s["sector"]],
            ),
            go.Scatter(
                x=names,
                y=s["min_share"],
                name=text("min", language),
                mode="markers",
                marker=dict(symbol="triangle-up", size=12, color="black"),
            ),
            go.Scatter(
                x=names,
                y=s["max_share"].clip(upper=1.0),
                name=text("max", language),
                mode="markers",
                marker=dict(symbol="triangle-down", size=12, color="red"),
            ),
        ]
    )
    figure.update_yaxes(tickformat=".0%")
    return _layout(figure, text("share", language))


def city_figure(solution: Solution, language: str = "en") -> go.Figure:
    """Worker-years displaced against worker-years re-employed, by home city (home-first)."""
    r = solution.reemployment
    names = r["name_zh"] if language == "zh" else r["region"]
    figure = go.Figure(
        [
            go.Bar(
                x=names,
                y=r["displaced_worker_years"],
                name=text("displaced_worker_years", language),
                marker_color="#bbbbbb",
            ),
            go.Bar(
                x=names,
                y=r["worker_years"],
                name=text("worker_years", language),
                marker_color="#1f77b4",
            ),
        ]
    )
    figure.update_yaxes(title=text("worker_years_unit", language))
    return _layout(figure, text("worker_years", language), barmode="overlay")


def ppp_figure(solution: Solution, language: str = "en") -> go.Figure:
    """Each city's PPP payments as a share of its budget spending, against the line."""
    r = solution.by_region
    names = r["region"].map(
        dict(zip(solution.reemployment["region"], solution.reemployment["name_zh"], strict=True))
    )
    names = names if language == "zh" else r["region"]
    over = r["ppp_ratio"] > r["ppp_line"] + 1e-9
    notes = dict(
        zip(
            [n.split(":", 1)[0].split("：", 1)[0] for n in ppp_notes(solution, language)],
            ppp_notes(solution, language),
            strict=True,
        )
    )
    figure = go.Figure(
        [
            go.Bar(
                x=names,
                y=r["ppp_ratio"],
                name=text("ppp_ratio", language),
                marker_color=["#d62728" if o else "#2ca02c" for o in over],
                hovertext=[notes.get(str(n), "") for n in names],
            ),
            go.Scatter(
                x=names,
                y=r["ppp_line"],
                name=text("ppp_line", language),
                mode="lines",
                line=dict(color="black", dash="dash"),
            ),
        ]
    )
    figure.update_yaxes(tickformat=".0%")
    return _layout(figure, text("ppp_ratio", language))


@functools.cache
def city_shapes() -> dict[str, Any]:
    """The 13 cities' boundaries, packaged with the code (origin: optimizer/data/README.md)."""
    source = resources.files("optimizer") / "data" / "jiangsu-cities.geojson"
    return json.loads(source.read_text(encoding="utf-8"))


def province_map(solution: Solution, language: str = "en") -> go.Figure:
    """The cities shaded by re-employed share, sized circles for displaced workers, and the
    chosen projects as points by sector, on plain longitude/latitude axes (no tiles)."""
    cover = solution.reemployment.set_index("region")
    figure = go.Figure()
    for feature in city_shapes()["features"]:
        region = feature["properties"]["region"]
        if region not in cover.index:
            continue
        row = cover.loc[region]
        colour = sample_colorscale("Blues", [0.15 + 0.8 * min(1.0, float(row["coverage"]))])[0]
        name = row["name_zh"] if language == "zh" else region
        hover = (
            f"{name}<br>{text('displaced', language)}: {people(row['displaced'], language)}"
            f"<br>{text('worker_years', language)}: {worker_years(row['worker_years'], language)} "
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
            mode="markers+text",
            marker=dict(
                size=[8 + 30 * cover.loc[r, "displaced"] / biggest for r in known],
                color="rgba(255,127,14,0.35)",
                line=dict(color="#ff7f0e", width=1),
            ),
            text=[cover.loc[r, "name_zh"] if language == "zh" else r for r in known],
            textposition="top center",
            name=text("displaced", language),
            hoverinfo="skip",
        )
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
                name=sector_name(sector, language),
                marker=dict(size=7, color=SECTOR_COLOURS.get(sector), line=dict(width=0.5)),
                text=part["name"] + " · " + part["capex"].map(lambda v: f"{v:,.1f} 亿元"),
                hoverinfo="text",
            )
        )
    figure.update_xaxes(visible=False)
    # One degree of latitude is longer than one of longitude at 32°N.
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.18)
    return _layout(figure, text("tab_map", language), height=620, plot_bgcolor="white")


def shortlist_table(solution: Solution, language: str = "en") -> pd.DataFrame:
    """The chosen projects in start-year order, headers in the chosen language."""
    keys = list(SHORTLIST_COLUMNS)  # the same columns as the Excel shortlist
    table = solution.chosen[keys].copy()
    table["sector"] = [sector_name(s, language) for s in table["sector"]]
    index = 0 if language == "en" else 1
    return table.rename(columns={k: COLUMNS[k][index] for k in keys})


def filter_shortlist(
    table: pd.DataFrame, needle: str = "", sectors: list[str] | None = None, language: str = "en"
) -> pd.DataFrame:
    """Rows of `shortlist_table` containing the words typed (any column, as plain text, not a
    pattern) and in the sectors picked (their shown names)."""
    shown = table
    if needle:
        words = table.astype(str)
        mask = words.apply(lambda col: col.str.contains(needle, case=False, regex=False))
        shown = shown[mask.any(axis=1)]
    if sectors:
        shown = shown[shown[COLUMNS["sector"][0 if language == "en" else 1]].isin(sectors)]
    return shown


# ---------------------------------------------------------------------------- trade-offs


def frontier_figure(table: pd.DataFrame, language: str = "en") -> go.Figure:
    """Worker-years re-employed and job-years against the lever, the current setting marked."""
    lever = str(table["lever"].iloc[0])
    unit = str(table["unit"].iloc[0])
    solved = table[table["status"].isin(["optimal", "time_limit", "work_limit"])]
    figure = go.Figure(
        [
            go.Scatter(
                x=solved["amount"],
                y=solved["worker_years"],
                mode="lines+markers",
                name=text("worker_years", language),
                customdata=solved["marginal_worker_years"],
                hovertemplate="%{x:,.1f}: %{y:,.0f}<br>"
                + text("marginal", language, unit=unit)
                + ": %{customdata:,.1f}",
            ),
            go.Scatter(
                x=solved["amount"],
                y=solved["job_years"],
                mode="lines+markers",
                name=text("job_years", language),
            ),
        ]
    )
    current = solved[solved["current"]]
    if len(current):
        figure.add_trace(
            go.Scatter(
                x=current["amount"],
                y=current["worker_years"],
                mode="markers",
                marker=dict(size=16, symbol="star", color="#d62728"),
                name=text("current", language),
            )
        )
    figure.update_xaxes(title=f"{lever_name(lever, language)} ({unit})")
    figure.update_yaxes(title=text("worker_years_unit", language))
    return _layout(figure, text("frontier", language))


def grid_figure(grid: pd.DataFrame, language: str = "en") -> go.Figure:
    """Worker-years re-employed over two levers (infeasible cells left blank)."""
    pivot = grid.pivot_table(index="amount_y", columns="amount_x", values="worker_years")
    x_lever, y_lever = grid["lever_x"].iloc[0], grid["lever_y"].iloc[0]
    figure = go.Figure(
        go.Heatmap(
            x=pivot.columns,
            y=pivot.index,
            z=pivot.to_numpy(),
            colorscale="Blues",
            colorbar=dict(title=text("worker_years_unit", language)),
            hovertemplate="%{x:,.0f} × %{y:,.0f}: %{z:,.0f}<extra></extra>",
        )
    )
    figure.update_xaxes(title=f"{lever_name(x_lever, language)} ({LEVERS[x_lever].unit})")
    figure.update_yaxes(title=f"{lever_name(y_lever, language)} ({LEVERS[y_lever].unit})")
    return _layout(figure, text("worker_years", language))


def robustness_figure(result: Robustness, language: str = "en") -> go.Figure:
    """Each project's selection frequency, coloured by class."""
    p = result.projects.sort_values("frequency", ascending=False)
    colours = {"core": "#2ca02c", "borderline": "#ff7f0e", "outside": "#bbbbbb"}
    figure = go.Figure()
    for klass, colour in colours.items():
        part = p[p["class"] == klass]
        figure.add_trace(
            go.Bar(
                x=part["project_id"],
                y=part["frequency"],
                marker_color=colour,
                name=text(f"class_{klass}", language),
                hovertext=part["name"],
            )
        )
    figure.update_yaxes(tickformat=".0%", title=text("frequency", language))
    figure.update_xaxes(showticklabels=False)
    return _layout(figure, text("robustness", language))


# ---------------------------------------------------------------------------- comparing


def compare_table(saved: dict[str, Solution], language: str = "en") -> pd.DataFrame:
    """The headline figures of saved scenarios side by side (one column a scenario)."""
    rows = {}
    for name, solution in saved.items():
        h = solution.headline()
        rows[name] = {
            text("worker_years", language): h["worker_years"],
            text("reemployed", language) + f" ({int(h['peak_year'])})": h["reemployed_peak"],
            text("job_years", language): h["job_years"],
            text("projects", language): h["projects"],
            text("capex", language) + " (亿元)": h["capex"],
            text("job_years_per_yi", language): h["job_years_per_yi"],
            text("debt_used", language) + " (亿元)": h["debt_used"],
            text("worst_ppp_short", language): h["worst_ppp_ratio"],
        }
    return pd.DataFrame(rows).round(3)


def portfolio_changes(before: Solution, after: Solution, language: str = "en") -> pd.DataFrame:
    """Projects that enter, leave or move their start between two solutions."""
    a, b = before.chosen_starts, after.chosen_starts
    names = dict(zip(before.chosen["project_id"], before.chosen["name"], strict=True))
    names.update(zip(after.chosen["project_id"], after.chosen["name"], strict=True))
    rows = []
    for pid in sorted(set(a) | set(b)):
        if pid not in a:
            change = text("entered", language)
        elif pid not in b:
            change = text("left", language)
        elif a[pid] != b[pid]:
            change = f"{text('moved', language)} {a[pid]} → {b[pid]}"
        else:
            continue
        rows.append(
            {"project_id": pid, "name": names.get(pid, ""), text("change", language): change}
        )
    return pd.DataFrame(rows, columns=["project_id", "name", text("change", language)])
